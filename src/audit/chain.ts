/**
 * The audit log's hash chain: pure functions, no database.
 *
 * Each row: seq (1, 2, 3 … without gaps), at (instant), actor, action, subject, payload (a JSON
 * value, stored as its canonical JSON text), prevHash, hash.
 *
 *   prevHash(1)   = GENESIS_HASH (64 × "0")
 *   prevHash(n)   = hash(n − 1)
 *   hash(n)       = hex(SHA-256(UTF-8(prevHash(n) + canonicalJson({
 *                     action, actor, at: ISO-8601 UTC with milliseconds ("2026-11-24T16:00:00.000Z"),
 *                     payload: <the JSON value>, seq, subject }))))
 *
 * canonicalJson: object keys sorted by UTF-16 code units, no whitespace, strings and finite numbers
 * as JSON.stringify writes them; undefined, functions, bigint and non-finite numbers are refused.
 * The same definition is in docs/data-model.md.
 */
import { createHash } from "node:crypto";

export const GENESIS_HASH = "0".repeat(64);

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export function canonicalJson(value: unknown): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "boolean":
      return value ? "true" : "false";
    case "number":
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: non-finite number ${value}`);
      return JSON.stringify(value);
    case "string":
      return JSON.stringify(value);
    case "object": {
      if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
      if (value instanceof Date) throw new TypeError("canonicalJson: Date is not JSON; pass an ISO string");
      const obj = value as Record<string, unknown>;
      const keys = Object.keys(obj).sort();
      return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(",")}}`;
    }
    default:
      throw new TypeError(`canonicalJson: ${typeof value} is not JSON`);
  }
}

export interface AuditEntry {
  actor: string;
  action: string;
  subject: string;
  payload: JsonValue;
}

/** A row as stored (payload is the canonical JSON text). */
export interface AuditRow {
  seq: number;
  at: Date;
  actor: string;
  action: string;
  subject: string;
  payload: string;
  prevHash: string;
  hash: string;
}

export function auditHash(prevHash: string, row: { seq: number; at: Date; actor: string; action: string; subject: string; payload: JsonValue }): string {
  const body = canonicalJson({
    action: row.action,
    actor: row.actor,
    at: row.at.toISOString(),
    payload: row.payload,
    seq: row.seq,
    subject: row.subject,
  });
  return createHash("sha256").update(prevHash + body, "utf8").digest("hex");
}

/** The row that follows `previous` (null for the first row). */
export function nextAuditRow(previous: Pick<AuditRow, "seq" | "hash"> | null, entry: AuditEntry, at: Date): AuditRow {
  const seq = previous ? previous.seq + 1 : 1;
  const prevHash = previous ? previous.hash : GENESIS_HASH;
  const payload = canonicalJson(entry.payload);
  return {
    seq,
    at,
    actor: entry.actor,
    action: entry.action,
    subject: entry.subject,
    payload,
    prevHash,
    hash: auditHash(prevHash, { seq, at, actor: entry.actor, action: entry.action, subject: entry.subject, payload: entry.payload }),
  };
}

export type AuditChainVerdict =
  | { ok: true; count: number; head: string }
  | { ok: false; seq: number; reason: string };

/**
 * Verifies a chain given in any order: seq 1..n without gaps, each prevHash links to the previous
 * hash, each hash recomputes, each payload is canonical JSON. Reports the first bad row.
 */
export function verifyAuditChain(rows: readonly AuditRow[]): AuditChainVerdict {
  const sorted = [...rows].sort((a, b) => a.seq - b.seq);
  let prev = GENESIS_HASH;
  for (let i = 0; i < sorted.length; i++) {
    const r = sorted[i]!;
    if (r.seq !== i + 1) return { ok: false, seq: r.seq, reason: `应为第 ${i + 1} 条，实为第 ${r.seq} 条（有条目缺失或重复）` };
    if (r.prevHash !== prev) return { ok: false, seq: r.seq, reason: "prevHash 与前一条的哈希不符" };
    let payload: JsonValue;
    try {
      payload = JSON.parse(r.payload) as JsonValue;
    } catch {
      return { ok: false, seq: r.seq, reason: "payload 不是 JSON" };
    }
    if (canonicalJson(payload) !== r.payload) return { ok: false, seq: r.seq, reason: "payload 不是规范 JSON" };
    const h = auditHash(r.prevHash, { ...r, payload });
    if (h !== r.hash) return { ok: false, seq: r.seq, reason: "哈希与该条内容不符（该条被改动过）" };
    prev = r.hash;
  }
  return { ok: true, count: sorted.length, head: prev };
}

/** A published head of the chain: at seq `seq` the row's hash was `hash`. */
export interface AuditAnchor {
  seq: number;
  hash: string;
  /** Where the anchor was found (shown in reports): "已公布的链头", "抽取 12 的记录 3", a file name … */
  source: string;
}

export type AnchorVerdict = { ok: true; checked: number } | { ok: false; seq: number; reason: string; source: string };

/**
 * Check a log against published heads: every anchored seq must exist (else the tail was cut) and
 * carry the anchored hash (else a row was edited and the chain recomputed). `rows` must already
 * verify as a chain (verifyAuditChain). Reports the first failing anchor, lowest seq first.
 */
export function verifyAnchors(rows: readonly Pick<AuditRow, "seq" | "hash">[], anchors: readonly AuditAnchor[]): AnchorVerdict {
  const bySeq = new Map(rows.map((r) => [r.seq, r.hash]));
  const last = rows.reduce((m, r) => Math.max(m, r.seq), 0);
  const sorted = [...anchors].filter((a) => a.seq > 0).sort((a, b) => a.seq - b.seq);
  for (const a of sorted) {
    const h = bySeq.get(a.seq);
    if (h === undefined)
      return { ok: false, seq: a.seq, source: a.source, reason: `已公布的链头指向第 ${a.seq} 条，日志只有 ${last} 条：日志末尾被截掉了` };
    if (h !== a.hash) return { ok: false, seq: a.seq, source: a.source, reason: `第 ${a.seq} 条的哈希与公布的链头不同：该条或之前的条目被改动后重算了哈希链` };
  }
  return { ok: true, checked: sorted.length };
}
