/**
 * `ssj audit verify [--anchors <file>] [--json]`: recompute the audit log's hash chain, then check
 * it against every published head (docs/draw-spec.md §12): the anchors table, the heads frozen into
 * draws and carried by their records, and — the copies nobody inside can rewrite — the anchors in
 * `--anchors <file>` (the JSON of /api/public/audit/anchors, or of `ssj audit anchors`). Exit 0
 * intact; 1 naming the first bad seq (an edited row, a cut tail, a recomputed chain).
 * `ssj audit anchors [--out <file>]`: the published heads as JSON, to keep outside the service.
 * `ssj audit tail [--limit N]`: the last entries.
 */
import { readFileSync, writeFileSync } from "node:fs";
import type { Command } from "../command.ts";
import { CliError } from "../cliError.ts";
import { openCliStore, parseFlags } from "../../store/repos/cliStore.ts";
import { readAuditLog, storedAnchors } from "../../store/index.ts";
import { verifyAnchors, verifyAuditChain, type AuditAnchor } from "../../audit/chain.ts";

const USAGE = "用法：ssj audit verify [--anchors <链头文件>] [--json] | ssj audit anchors [--out <文件>] | ssj audit tail [--limit N]";

/** Anchors from a file: { items: [{ seq, hash, … }] } or a bare list. */
function anchorsFromFile(path: string): AuditAnchor[] {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new CliError(`无法读取链头文件 ${path}：${(e as Error).message}`);
  }
  const items = Array.isArray(doc) ? doc : (doc as { items?: unknown }).items;
  if (!Array.isArray(items)) throw new CliError(`${path}：应为链头列表（/api/public/audit/anchors 的 JSON）`);
  return items.map((x, i) => {
    const a = x as { seq?: unknown; hash?: unknown };
    if (!Number.isSafeInteger(a.seq) || typeof a.hash !== "string" || !/^[0-9a-f]{64}$/.test(a.hash)) throw new CliError(`${path} 第 ${i + 1} 项不是链头（seq, hash）`);
    return { seq: a.seq as number, hash: a.hash, source: `文件 ${path}` };
  });
}

export const auditCommand: Command = {
  name: "audit",
  summary: "核验哈希链审计日志（含已公布的链头，可发现截尾和重算），导出链头，或查看最近条目",
  async run(args) {
    const [sub, ...rest] = args;
    let flags: Record<string, string>;
    try {
      flags = parseFlags(rest, ["limit", "json", "anchors", "out"]).flags;
    } catch (e) {
      throw new CliError(`${(e as Error).message}\n${USAGE}`);
    }
    if (sub !== "verify" && sub !== "tail" && sub !== "anchors") throw new CliError(USAGE);
    const fileAnchors = sub === "verify" && flags.anchors ? anchorsFromFile(flags.anchors) : [];
    const store = await openCliStore();
    try {
      if (sub === "verify") {
        const rows = await readAuditLog(store.prisma);
        const chain = verifyAuditChain(rows);
        if (!chain.ok) {
          if (flags.json) console.log(JSON.stringify(chain));
          else console.error(`审计日志已损坏：第 ${chain.seq} 条：${chain.reason}`);
          return 1;
        }
        const anchors = [...(await storedAnchors(store.prisma)), ...fileAnchors];
        const a = verifyAnchors(rows, anchors);
        if (flags.json) console.log(JSON.stringify({ ...chain, anchors: a }));
        if (!a.ok) {
          if (!flags.json) console.error(`审计日志与已公布的链头不符：第 ${a.seq} 条（依据：${a.source}）：${a.reason}`);
          return 1;
        }
        if (!flags.json) {
          console.log(`审计日志完整：${chain.count} 条，链头 ${chain.head}`);
          console.log(`  与 ${a.checked} 个已公布的链头一致${fileAnchors.length ? `（其中 ${fileAnchors.length} 个来自 ${flags.anchors}）` : "；请用 --anchors 给出您在服务之外保存的链头，才能排除整个数据库被一并改写"}`);
        }
        return 0;
      }
      if (sub === "anchors") {
        const items = (await store.prisma.auditAnchor.findMany({ orderBy: { seq: "asc" } })).map((x) => ({ seq: x.seq, hash: x.hash, publishedAt: x.publishedAt.toISOString(), reason: x.reason }));
        const text = `${JSON.stringify({ items }, null, 2)}\n`;
        if (flags.out && flags.out !== "true") {
          writeFileSync(flags.out, text);
          console.log(`已写入 ${items.length} 个链头到 ${flags.out}`);
        } else process.stdout.write(text);
        return 0;
      }
      const limit = Number(flags.limit ?? 20);
      if (!Number.isInteger(limit) || limit < 1) throw new CliError("--limit 须为正整数");
      const rows = await store.prisma.auditLog.findMany({ orderBy: { seq: "desc" }, take: limit });
      for (const r of rows.reverse()) console.log(`${String(r.seq).padStart(6)}  ${r.at.toISOString()}  ${r.actor.padEnd(14)} ${r.action.padEnd(18)} ${r.subject}`);
      return 0;
    } finally {
      await store.close();
    }
  },
};
