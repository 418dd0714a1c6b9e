/**
 * Audit helpers for the repositories: every change goes through `inTransaction`, which runs the
 * change and appends its audit entry (who, what, subject, payload) in ONE transaction via the
 * store's hash-chained `appendAudit`. If either fails, neither happens.
 */
import { appendAudit, withTransaction, type TransactionOptions } from "../index.ts";
import type { JsonValue } from "../../audit/chain.ts";
import type { RepoStore, Tx } from "./db.ts";

export interface AuditEntry {
  /** Who: `user:<id>` (API), `cli:<login>` (command line), `system` (startup, demo). */
  actor: string;
  /** What, dotted: `user.create`, `draw.void`, `result.publish` … */
  action: string;
  /** On what: `draw:12`, `batch:3`, `entity:91350100M000100Y43` … */
  subject: string;
  /** Details (JSON-serialisable). Never tokens or secrets. */
  payload: unknown;
}

/**
 * Run `change(tx)` in a transaction; append the audit entries it returns in the same
 * transaction. Returns the change's value.
 */
export async function inTransaction<T>(
  store: RepoStore,
  change: (tx: Tx) => Promise<{ value: T; audit: AuditEntry | AuditEntry[] }>,
  options: TransactionOptions = {},
): Promise<T> {
  return withTransaction(store, async (tx) => {
    // SQLite (WAL): a transaction that reads first and writes later cannot wait for the write lock
    // (SQLITE_BUSY_SNAPSHOT once another connection has written), so two API instances on one file
    // would time out instead of queueing. Taking the write lock with the first statement makes
    // them queue (busy timeout) and then see each other's committed rows.
    if (store.kind === "sqlite") await tx.$executeRawUnsafe("UPDATE config_entries SET key = key WHERE 0");
    const { value, audit } = await change(tx);
    for (const entry of Array.isArray(audit) ? audit : [audit]) await appendAudit(tx, { ...entry, payload: toJson(entry.payload) });
    return value;
  }, options);
}

export function actorOf(principal: { userId: number; name: string } | null | undefined): string {
  return principal ? `user:${principal.userId}` : "anonymous";
}

/** Plain JSON copy (drops undefined, turns dates into strings) so the audit payload is canonical JSON. */
export function toJson(v: unknown): JsonValue {
  return v === undefined ? null : (JSON.parse(JSON.stringify(v)) as JsonValue);
}
