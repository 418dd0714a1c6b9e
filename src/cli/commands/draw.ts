/**
 * `ssj draw …`: the draw ceremony of a batch from the command line, over the store's draw repo
 * (src/store/repos/draws.ts) — which applies the engine's rules (src/draws, docs/draw-spec.md).
 *
 *   ssj draw commit <batchId> --commit-reveal                      freeze inputs, print the commitment
 *   ssj draw commit <batchId> --source <s> --reference <r>         … with an external public value
 *   ssj draw secret <drawId> --department <code> --hash <hex>      commit-reveal: SHA-256(secret)
 *   ssj draw reveal <drawId> --department <code> --secret <hex>    commit-reveal: the secret
 *   ssj draw external <drawId> --value <v> --published-at <iso>    the external value, once published
 *   ssj draw run <drawId>                                          draw once (refused afterwards)
 *   ssj draw void <drawId> --reason <text>                         void with a reason (stays visible)
 *   ssj draw show <drawId> | ssj draw list <batchId>
 *   ssj draw manifest <drawId> [--out <file>]                      the manifest, for `ssj verify`
 *
 * Exit 0 on success; 1 when the store refuses a transition (the reason is printed); 2 for usage.
 */
import { writeFileSync } from "node:fs";
import type { Command } from "../command.ts";
import { CliError } from "../cliError.ts";
import { cliActor, openCliStore, parseFlags } from "../../store/repos/cliStore.ts";
import { RepoError } from "../../store/repos/db.ts";
import {
  commitDraw,
  enterExternalValue,
  getDraw,
  listBatchDraws,
  manifestText,
  revealSecret,
  runDrawOnce,
  submitSecret,
  voidDraw,
  type DrawView,
} from "../../store/repos/draws.ts";

const USAGE = [
  "usage: ssj draw commit <batchId> (--commit-reveal | --source <s> --reference <r>)",
  "       ssj draw secret <drawId> --department <code> --hash <hex>",
  "       ssj draw reveal <drawId> --department <code> --secret <hex>",
  "       ssj draw external <drawId> --value <v> --published-at <iso time>",
  "       ssj draw run <drawId> | ssj draw void <drawId> --reason <text>",
  "       ssj draw show <drawId> | ssj draw list <batchId> | ssj draw manifest <drawId> [--out <file>]",
].join("\n");

const FLAGS = ["commit-reveal", "source", "reference", "department", "hash", "secret", "value", "published-at", "reason", "out", "json"] as const;

function idArg(v: string | undefined, what: string): number {
  const n = Number(v);
  if (!v || !Number.isInteger(n) || n < 1) throw new CliError(`${what} must be a positive whole number\n${USAGE}`);
  return n;
}

function need(flags: Record<string, string>, name: string): string {
  const v = flags[name];
  if (!v || v === "true") throw new CliError(`--${name} is required\n${USAGE}`);
  return v;
}

function print(v: DrawView, json: boolean): void {
  if (json) {
    console.log(JSON.stringify(v, null, 2));
    return;
  }
  console.log(`draw ${v.id} of batch ${v.batchId} (attempt ${v.attempt}): ${v.status}`);
  console.log(`  commitment ${v.commitment}`);
  const plan = v.seedPlan.mode === "commitReveal" ? `commit-reveal among ${v.seedPlan.departments.join(", ")}` : `external: ${v.seedPlan.source} ${v.seedPlan.reference}`;
  console.log(`  seed plan  ${plan}`);
  for (const c of v.secretCommitments) console.log(`    ${c.department}: ${c.hash}${c.revealed ? " (revealed)" : ""}`);
  if (v.seed) console.log(`  seed       ${v.seed}`);
  console.log(`  pool ${v.summary.pool}, excluded ${v.summary.excluded}` + (v.summary.selected !== null ? `, selected ${v.summary.selected}` : "") + (v.summary.tasks !== null ? `, tasks ${v.summary.tasks}` : ""));
  if (v.voidReason) console.log(`  voided: ${v.voidReason}`);
}

export const drawCommand: Command = {
  name: "draw",
  summary: "run a batch's draw ceremony on the database (commit, seed, draw once, void, manifest)",
  async run(args) {
    const [sub, ...rest] = args;
    let flags: Record<string, string>;
    let positionals: string[];
    try {
      ({ flags, positionals } = parseFlags(rest, FLAGS));
    } catch (e) {
      throw new CliError(`${(e as Error).message}\n${USAGE}`);
    }
    const subs = ["commit", "secret", "reveal", "external", "run", "void", "show", "list", "manifest"];
    if (!sub || !subs.includes(sub)) throw new CliError(USAGE);
    const id = idArg(positionals[0], sub === "commit" || sub === "list" ? "batchId" : "drawId");
    const json = flags.json === "true";
    const store = await openCliStore();
    const actor = cliActor();
    const departmentId = async (code: string) => {
      const d = await store.prisma.department.findUnique({ where: { code } });
      if (!d) throw new CliError(`unknown department ${code}`);
      return d.id;
    };
    try {
      switch (sub) {
        case "commit": {
          const seed = flags["commit-reveal"] === "true" ? { mode: "commitReveal" as const } : { mode: "external" as const, source: need(flags, "source"), reference: need(flags, "reference") };
          print(await commitDraw(store, id, seed, actor), json);
          break;
        }
        case "secret":
          print(await submitSecret(store, id, await departmentId(need(flags, "department")), need(flags, "hash"), actor), json);
          break;
        case "reveal":
          print(await revealSecret(store, id, await departmentId(need(flags, "department")), need(flags, "secret"), actor), json);
          break;
        case "external":
          print(await enterExternalValue(store, id, need(flags, "value"), need(flags, "published-at"), actor), json);
          break;
        case "run":
          print(await runDrawOnce(store, id, actor), json);
          break;
        case "void":
          print(await voidDraw(store, id, need(flags, "reason"), actor), json);
          break;
        case "show":
          print(await getDraw(store, id), json);
          break;
        case "list":
          for (const v of await listBatchDraws(store, id)) print(v, json);
          break;
        case "manifest": {
          const text = await manifestText(store, id);
          if (flags.out && flags.out !== "true") {
            writeFileSync(flags.out, text);
            console.log(`wrote ${flags.out} (${text.length} characters); check it with: ssj verify ${flags.out}`);
          } else process.stdout.write(text + "\n");
          break;
        }
      }
      return 0;
    } catch (e) {
      if (e instanceof RepoError) {
        if (e.statusCode === 404) throw new CliError(e.message, 2);
        console.error(`ssj draw ${sub}: refused: ${e.message} [${e.code}]`);
        return 1;
      }
      throw e;
    } finally {
      await store.close();
    }
  },
};
