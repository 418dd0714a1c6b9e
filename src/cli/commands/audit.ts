/**
 * `ssj audit verify`: recompute the audit log's hash chain. Exit 0 when intact; exit 1 naming the
 * first bad seq when a row was edited, deleted or inserted.
 * `ssj audit tail [--limit N]`: print the last entries.
 */
import type { Command } from "../command.ts";
import { CliError } from "../cliError.ts";
import { openCliStore, parseFlags } from "../../store/repos/cliStore.ts";
import { verifyStoredAuditChain } from "../../store/index.ts";

export const auditCommand: Command = {
  name: "audit",
  summary: "verify the hash-chained audit log (exit 1 names the first bad seq), or show its tail",
  async run(args) {
    const [sub, ...rest] = args;
    let flags: Record<string, string>;
    try {
      flags = parseFlags(rest, ["limit", "json"]).flags;
    } catch (e) {
      throw new CliError((e as Error).message);
    }
    if (sub !== "verify" && sub !== "tail") throw new CliError("usage: ssj audit verify | ssj audit tail [--limit N]");
    const store = await openCliStore();
    try {
      if (sub === "verify") {
        const verdict = await verifyStoredAuditChain(store.prisma);
        if (flags.json) console.log(JSON.stringify(verdict));
        if (verdict.ok) {
          if (!flags.json) console.log(`audit log intact: ${verdict.count} entries, head ${verdict.head}`);
          return 0;
        }
        if (!flags.json) console.error(`audit log BROKEN at seq ${verdict.seq}: ${verdict.reason}`);
        return 1;
      }
      const limit = Number(flags.limit ?? 20);
      if (!Number.isInteger(limit) || limit < 1) throw new CliError("--limit must be a positive whole number");
      const rows = await store.prisma.auditLog.findMany({ orderBy: { seq: "desc" }, take: limit });
      for (const r of rows.reverse()) console.log(`${String(r.seq).padStart(6)}  ${r.at.toISOString()}  ${r.actor.padEnd(14)} ${r.action.padEnd(18)} ${r.subject}`);
      return 0;
    } finally {
      await store.close();
    }
  },
};
