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

const USAGE = "用法：ssj user create --role <admin|officer|auditor> --name <姓名> [--department <部门代码>] | ssj user list | ssj user revoke <用户号>";

export const userCommand: Command = {
  name: "user",
  summary: "创建、列出或停用 API 用户（管理员、科员、审计；持有令牌）",
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
      if (role !== "admin" && role !== "officer" && role !== "auditor") throw new CliError(`--role 须为 admin（管理员）、officer（科员）或 auditor（审计）\n${USAGE}`);
      if (!flags.name || flags.name === "true") throw new CliError(`须给出 --name\n${USAGE}`);
      if (role === "officer" && !flags.department) throw new CliError("科员须用 --department <部门代码> 指明所属部门");
      if (role !== "officer" && flags.department) throw new CliError("只有科员属于某个部门：管理员和审计不加 --department");
      const store = await openCliStore();
      try {
        const { user, token } = await createUser(store, { name: flags.name, role: role as Role, department: flags.department ?? null }, cliActor());
        if (flags.json) console.log(JSON.stringify({ user, token }));
        else {
          console.log(`已创建用户 ${user.id}（${user.name}，${user.role}${user.departmentCode ? `，${user.departmentCode}` : ""}）`);
          console.log(`令牌（只显示这一次，请立即妥善保存）：${token}`);
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
            console.log(`${String(u.id).padStart(4)}  ${u.role.padEnd(8)} ${(u.departmentCode ?? "-").padEnd(16)} ${u.name}${u.revokedAt ? "  （已停用）" : ""}`);
        return 0;
      } finally {
        await store.close();
      }
    }
    if (sub === "revoke") {
      const id = Number(positionals[0]);
      if (!Number.isInteger(id) || id < 1) throw new CliError(`revoke 须给出用户号\n${USAGE}`);
      const store = await openCliStore();
      try {
        const u = await revokeUser(store, id, cliActor());
        console.log(`已停用用户 ${u.id}（${u.name}）`);
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
