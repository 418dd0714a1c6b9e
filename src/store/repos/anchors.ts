/**
 * Audit anchors: published heads of the audit log (docs/draw-spec.md §12), written to the
 * append-only `audit_anchors` table and the public read model. Draw events publish one each
 * (src/store/repos/draws.ts); the server publishes one at least daily.
 */
import { publishAnchor } from "./draws.ts";
import type { RepoStore } from "./db.ts";

/** Publish the current head when the newest anchor is older than a day (or there is none). */
export async function publishDailyAnchor(store: RepoStore, now: Date = new Date()): Promise<{ seq: number; hash: string } | null> {
  const last = await store.prisma.auditAnchor.findFirst({ orderBy: { publishedAt: "desc" } });
  if (last && now.getTime() - last.publishedAt.getTime() < 24 * 3600_000) {
    const head = await store.prisma.auditLog.findFirst({ orderBy: { seq: "desc" }, select: { seq: true } });
    if (!head || head.seq === last.seq) return null;
  }
  return publishAnchor(store, "daily");
}
