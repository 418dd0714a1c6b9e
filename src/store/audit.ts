/**
 * Appending to and reading the hash-chained audit log (the chain itself: src/audit/chain.ts).
 * The table is append-only in the database (triggers reject UPDATE, DELETE and, on PostgreSQL,
 * TRUNCATE), so the only write path is `appendAudit`.
 */
import { nextAuditRow, verifyAuditChain, type AuditAnchor, type AuditChainVerdict, type AuditEntry, type AuditRow } from "../audit/chain.ts";
import type { Db, Tx } from "./index.ts";

/** Serialises appenders: PostgreSQL takes a transaction-scoped advisory lock; SQLite has one writer. */
async function lockAuditHead(tx: Tx): Promise<void> {
  // Prisma's clients (and their transaction clients) carry the provider they were generated for.
  const provider = (tx as unknown as { _activeProvider?: string })._activeProvider;
  if (provider === "postgresql") await tx.$queryRawUnsafe("SELECT pg_advisory_xact_lock(hashtext('ssj_audit_log'))::text");
  else if (provider !== "sqlite") throw new Error(`appendAudit: cannot tell the database of this transaction client (${String(provider)})`);
}

/**
 * Appends one entry inside the caller's transaction and returns the stored row. Call it in the
 * same transaction as the change it records, so both commit or neither does.
 */
export async function appendAudit(tx: Tx, entry: AuditEntry, at: Date = new Date()): Promise<AuditRow> {
  await lockAuditHead(tx);
  const last = await tx.auditLog.findFirst({ orderBy: { seq: "desc" }, select: { seq: true, hash: true } });
  const row = nextAuditRow(last, entry, at);
  await tx.auditLog.create({ data: row });
  return row;
}

/** Rows in seq order, optionally from a seq on. */
export async function readAuditLog(db: Db | Tx, options: { fromSeq?: number; limit?: number } = {}): Promise<AuditRow[]> {
  return db.auditLog.findMany({
    where: options.fromSeq ? { seq: { gte: options.fromSeq } } : {},
    orderBy: { seq: "asc" },
    ...(options.limit ? { take: options.limit } : {}),
  });
}

/** Reads the whole log and verifies its chain. */
export async function verifyStoredAuditChain(db: Db | Tx): Promise<AuditChainVerdict> {
  return verifyAuditChain(await readAuditLog(db));
}

/** The audit log's head (last seq and hash; seq 0 and 64 zeros for an empty log), under the appenders' lock. */
export async function auditHead(tx: Tx): Promise<{ seq: number; hash: string }> {
  await lockAuditHead(tx);
  const last = await tx.auditLog.findFirst({ orderBy: { seq: "desc" }, select: { seq: true, hash: true } });
  return last ? { seq: last.seq, hash: last.hash } : { seq: 0, hash: "0".repeat(64) };
}

/**
 * Every anchor the database knows of: published heads (audit_anchors), the audit head frozen into
 * each version-2 draw's public inputs, and the head carried by each of its records.
 */
export async function storedAnchors(db: Db | Tx): Promise<AuditAnchor[]> {
  const out: AuditAnchor[] = (await db.auditAnchor.findMany({ orderBy: { seq: "asc" } })).map((a) => ({ seq: a.seq, hash: a.hash, source: `已公布的链头（${a.publishedAt.toISOString()}）` }));
  const draws = await db.draw.findMany({ where: { specVersion: "ssj-draw/2" }, select: { id: true, publicInputs: true } });
  for (const d of draws) {
    const audit = d.publicInputs ? (JSON.parse(d.publicInputs) as { audit?: { seq: number; hash: string } }).audit : undefined;
    if (audit) out.push({ ...audit, source: `抽取 ${d.id} 冻结时的链头` });
  }
  for (const r of await db.drawRecord.findMany({ select: { drawId: true, seq: true, publicPart: true } })) {
    const audit = (JSON.parse(r.publicPart) as { audit?: { seq: number; hash: string } }).audit;
    if (audit) out.push({ ...audit, source: `抽取 ${r.drawId} 的记录 ${r.seq}` });
  }
  return out;
}
