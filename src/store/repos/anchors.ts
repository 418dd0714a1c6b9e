/**
 * Audit anchors: published heads of the audit log (docs/draw-spec.md §12), written to the
 * append-only `audit_anchors` table and the public read model. Draw events publish one each
 * (src/store/repos/draws.ts); the server publishes one at least daily.
 */
import { publishToReadModel } from "../readModel/index.ts";
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

/** Publish the audit log's current head (once per seq), to the anchors table and the read model. */
export async function publishAnchor(store: RepoStore, reason: "draw" | "daily" | string): Promise<{ seq: number; hash: string } | null> {
  const last = await store.prisma.auditLog.findFirst({ orderBy: { seq: "desc" }, select: { seq: true, hash: true } });
  if (!last) return null;
  const existing = await store.prisma.auditAnchor.findUnique({ where: { seq: last.seq } });
  const publishedAt = existing?.publishedAt ?? new Date();
  if (!existing) {
    try {
      await store.prisma.auditAnchor.create({ data: { seq: last.seq, hash: last.hash, publishedAt, reason } });
    } catch (e) {
      if ((e as { code?: string }).code !== "P2002") throw e;
    }
  }
  await publishToReadModel(store, [{ kind: "anchor", seq: last.seq, hash: last.hash, publishedAt: publishedAt.toISOString(), reason }]);
  return { seq: last.seq, hash: last.hash };
}
