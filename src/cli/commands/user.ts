/**
 * `ssj user create --role <admin|officer|auditor> --name <name> [--department <code>]`
 * `ssj user list`
 * `ssj user revoke <id>`
 *
 * The token is printed once, on creation; only its SHA-256 hash is stored.
 */
import type { Command } from "../command.ts";
import { CliError } from "../cliError.ts";
import { cliActor, openCliStore, parseFlags } from "../../store/repos/cliStore.ts";
import { createUser, listUsers, revokeUser } from "../../store/repos/users.ts";
import type { Role } from "../../../api/auth.ts";

const USAGE = "usage: ssj user create --role <admin|officer|auditor> --name <name> [--department <code>] | ssj user list | ssj user revoke <id>";

export const userCommand: Command = {
  name: "user",
  summary: "create, list or revoke API users (bearer tokens)",
  async run(args) {
    const [sub, ...rest] = args;
    let parsed: ReturnType<typeof parseFlags>;
    try {
      parsed = parseFlags(rest, ["role", "name", "department", "json"]);
    } catch (e) {
      throw new CliError(`${(e as Error).message}\n${USAGE}`);
    }
    const { flags, positionals } = parsed;
    if (sub === "create") {
      const role = flags.role;
      if (role !== "admin" && role !== "officer" && role !== "auditor") throw new CliError(`--role must be admin, officer or auditor\n${USAGE}`);
      if (!flags.name || flags.name === "true") throw new CliError(`--name is required\n${USAGE}`);
      if (role === "officer" && !flags.department) throw new CliError("an officer needs --department <code>");
      if (role !== "officer" && flags.department) throw new CliError("only officers belong to a department");
      const store = await openCliStore();
      try {
        const { user, token } = await createUser(store, { name: flags.name, role: role as Role, department: flags.department ?? null }, cliActor());
        if (flags.json) console.log(JSON.stringify({ user, token }));
        else {
          console.log(`created user ${user.id} (${user.name}, ${user.role}${user.departmentCode ? `, ${user.departmentCode}` : ""})`);
          console.log(`token (shown once, store it now): ${token}`);
        }
        return 0;
      } catch (e) {
        const err = e as { statusCode?: number; message: string };
        if (err.statusCode && err.statusCode < 500) throw new CliError(err.message);
        throw e;
      } finally {
        await store.close();
      }
    }
    if (sub === "list") {
      const store = await openCliStore();
      try {
        const users = await listUsers(store);
        if (flags.json) console.log(JSON.stringify(users));
        else
          for (const u of users)
            console.log(`${String(u.id).padStart(4)}  ${u.role.padEnd(8)} ${(u.departmentCode ?? "-").padEnd(16)} ${u.name}${u.revokedAt ? "  (revoked)" : ""}`);
        return 0;
      } finally {
        await store.close();
      }
    }
    if (sub === "revoke") {
      const id = Number(positionals[0]);
      if (!Number.isInteger(id) || id < 1) throw new CliError(`revoke needs a user id\n${USAGE}`);
      const store = await openCliStore();
      try {
        const u = await revokeUser(store, id, cliActor());
        console.log(`revoked user ${u.id} (${u.name})`);
        return 0;
      } catch (e) {
        const err = e as { statusCode?: number; message: string };
        if (err.statusCode && err.statusCode < 500) throw new CliError(err.message);
        throw e;
      } finally {
        await store.close();
      }
    }
    throw new CliError(USAGE);
  },
};
