/**
 * Audit helpers for the repositories: every change goes through `inTransaction`, which runs the
 * change and appends its audit entry (who, what, subject, payload) in ONE transaction via the
 * store's hash-chained `appendAudit`. If either fails, neither happens.
 */
import type { Db, RepoStore } from "./db.ts";

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
  change: (tx: Db) => Promise<{ value: T; audit: AuditEntry | AuditEntry[] }>,
): Promise<T> {
  return store.withTransaction(async (tx: Db) => {
    const { value, audit } = await change(tx);
    for (const entry of Array.isArray(audit) ? audit : [audit]) await store.appendAudit(tx, entry);
    return value;
  });
}

export function actorOf(principal: { userId: number; name: string } | null | undefined): string {
  return principal ? `user:${principal.userId}` : "anonymous";
}
