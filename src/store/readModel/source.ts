/**
 * The read model's source of truth: published results as stored by the domain (publications →
 * results → tasks → entity, department, batch/plan, items), mapped to exactly the public fields;
 * approved plans; drawn draws. `rebuildReadModel(store)` reads them from here (Prisma is fine for
 * a batch job; the hot path never uses it).
 */
import { directedTaskName, publicRecord, type ResultCategory } from "../../publication/index.ts";
import { categoriesFor } from "../repos/settings.ts";
import type { RepoStore } from "../repos/db.ts";
import type { PublicRecord } from "./records.ts";

/**
 * The loaded task shape the mapping needs (what `publishResult` loads too, with
 * `publishableTaskInclude`). A directed task's free-text reason is deliberately not part of it:
 * the public name of a directed check is its kind and its items.
 */
export interface PublishableTask {
  taskNo: string;
  /** 'random' | 'directed' */
  kind: string;
  /** 'complaint' | 'referral' | 'dataAlert' for a directed task (null on rows older than kinds). */
  directedKind: string | null;
  drawId: number | null;
  items: { item: { name: string } }[];
  entity: { name: string; code: string };
  department: { name: string };
  batch: { planId: number; name: string; plan: { name: string } } | null;
  result: { id: number; categories: unknown; checkDate: string } | null;
}

/** What to load with a task so that `publicResultRecord` can map it. */
export const publishableTaskInclude = {
  entity: true,
  department: true,
  batch: { include: { plan: true } },
  items: { include: { item: true }, orderBy: { itemId: "asc" } },
} as const;

/** The public task name: plan · batch for a drawn check, kind · items for a directed one. */
export function publicTaskName(t: Pick<PublishableTask, "kind" | "directedKind" | "batch" | "items">): string {
  if (t.kind === "directed") return directedTaskName(t.directedKind, t.items.map((i) => i.item.name));
  return t.batch ? `${t.batch.plan.name} · ${t.batch.name}` : "双随机抽查";
}

/** One published result as the read model stores it. Shared by publication and rebuild. */
export function publicResultRecord(t: PublishableTask, publishedAt: Date, categories: readonly ResultCategory[]): PublicRecord {
  if (!t.result) throw new Error(`task ${t.taskNo} has no result`);
  const cats = Array.isArray(t.result.categories) ? (t.result.categories as string[]) : (JSON.parse(String(t.result.categories)) as string[]);
  const pub = publicRecord(
    { categories: cats, checkDate: t.result.checkDate },
    { number: t.taskNo, name: publicTaskName(t) },
    { name: t.entity.name, code: t.entity.code },
    { name: t.department.name },
    categories,
  );
  return {
    kind: "result",
    id: `R${t.result.id}`,
    ...pub,
    publishedAt: publishedAt.toISOString(),
    ...(t.batch ? { planId: String(t.batch.planId) } : {}),
    ...(t.drawId ? { drawId: String(t.drawId) } : {}),
  };
}

/** Every published result, in publication order, fetched in batches. */
export async function* publishedRecordsFromStore(store: RepoStore, batch = 2_000): AsyncGenerator<PublicRecord> {
  const categories = await categoriesFor(store);
  let after = 0;
  for (;;) {
    const pubs = await store.prisma.publication.findMany({
      where: { id: { gt: after } },
      orderBy: { id: "asc" },
      take: batch,
      include: {
        result: { include: { task: { include: publishableTaskInclude } } },
      },
    });
    if (pubs.length === 0) return;
    for (const p of pubs) {
      const { task, ...result } = p.result;
      yield publicResultRecord({ ...task, result }, p.publishedAt, categories);
    }
    after = pubs[pubs.length - 1]!.id;
  }
}

/** Every public plan (approved, or closed after approval; never a draft), with all its batches. */
export async function* publishedPlansFromStore(store: RepoStore): AsyncGenerator<PublicRecord> {
  const { isPublicPlan, planApprovals, publicPlanRecord } = await import("../repos/plans.ts");
  const approvals = await planApprovals(store);
  const plans = await store.prisma.annualPlan.findMany({ where: { status: { in: ["approved", "closed"] } }, select: { id: true, status: true }, orderBy: { id: "asc" } });
  for (const p of plans) {
    if (!isPublicPlan(p.status, approvals.get(p.id))) continue;
    const record = await publicPlanRecord(store, p.id, approvals);
    if (record) yield record;
  }
}

/** Every draw attempt from its commitment on (voided ones too), as its public record (public manifest). */
export async function* publishedDrawsFromStore(store: RepoStore): AsyncGenerator<PublicRecord> {
  const { publicDrawRecord } = await import("../repos/draws.ts");
  const draws = await store.prisma.draw.findMany({ select: { id: true }, orderBy: { id: "asc" } });
  for (const d of draws) yield await publicDrawRecord(store, d.id);
}

/** Every published head of the audit log (from the append-only anchors table, never recomputed). */
export async function* publishedAnchorsFromStore(store: RepoStore): AsyncGenerator<PublicRecord> {
  for (const a of await store.prisma.auditAnchor.findMany({ orderBy: { seq: "asc" } }))
    yield { kind: "anchor", seq: a.seq, hash: a.hash, publishedAt: a.publishedAt.toISOString(), reason: a.reason };
}
