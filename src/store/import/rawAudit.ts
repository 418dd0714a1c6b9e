/**
 * The audit append of src/store/audit.ts (`appendAudit`), for a transaction held on the raw driver
 * handle (better-sqlite3 connection, pg client) instead of a Prisma transaction client: the same
 * chain rule (`nextAuditRow`), the same serialisation (SQLite: the caller holds the write lock via
 * BEGIN IMMEDIATE; PostgreSQL: the same transaction-scoped advisory lock), the same stored format
 * as Prisma writes it (SQLite `at` as ISO text with `+00:00`; PostgreSQL TIMESTAMP(3) in UTC).
 */
import type Database from "better-sqlite3";
import type pg from "pg";
import { nextAuditRow, type AuditEntry, type AuditRow } from "../../audit/chain.ts";

/** Appends one entry inside the caller's open transaction on `db`. */
export function appendAuditSqliteRaw(db: Database.Database, entry: AuditEntry, at: Date = new Date()): AuditRow {
  if (!db.inTransaction) throw new Error("appendAuditSqliteRaw: call it inside the transaction of the change it records");
  const last = db.prepare(`SELECT seq, hash FROM "audit_log" ORDER BY seq DESC LIMIT 1`).get() as { seq: number; hash: string } | undefined;
  const row = nextAuditRow(last ?? null, entry, at);
  db.prepare(`INSERT INTO "audit_log" (seq, at, actor, action, subject, payload, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`).run(
    row.seq,
    sqliteDateTime(row.at),
    row.actor,
    row.action,
    row.subject,
    row.payload,
    row.prevHash,
    row.hash,
  );
  return row;
}

/** Appends one entry inside the caller's open transaction on `client` (BEGIN already sent). */
export async function appendAuditPgRaw(client: pg.PoolClient | pg.Client, entry: AuditEntry, at: Date = new Date()): Promise<AuditRow> {
  await client.query("SELECT pg_advisory_xact_lock(hashtext('ssj_audit_log'))::text");
  const r = await client.query<{ seq: number; hash: string }>(`SELECT seq, hash FROM "audit_log" ORDER BY seq DESC LIMIT 1`);
  const row = nextAuditRow(r.rows[0] ?? null, entry, at);
  await client.query(`INSERT INTO "audit_log" (seq, at, actor, action, subject, payload, prev_hash, hash) VALUES ($1, $2::timestamp(3), $3, $4, $5, $6, $7, $8)`, [
    row.seq,
    row.at.toISOString().slice(0, 23), // UTC wall time, as Prisma stores a DateTime in TIMESTAMP(3)
    row.actor,
    row.action,
    row.subject,
    row.payload,
    row.prevHash,
    row.hash,
  ]);
  return row;
}

/** A DateTime as Prisma's SQLite adapter stores it: `2026-11-24T16:56:44.398+00:00`. */
export function sqliteDateTime(d: Date): string {
  return d.toISOString().replace("Z", "+00:00");
}
