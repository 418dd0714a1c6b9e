/**
 * Read-only overviews for the console: every draw with its status history (auditors), the figures
 * of the dashboards, and the draw rules a batch form shows while the quotas are typed.
 *
 *   listDraws(store, { departmentId?, status?, limit, offset }) → { total, items: DrawSummary[] }
 *   dashboard(store, { year, departmentId? })                   → Dashboard
 *   drawRules(store)                                           → { generalRatioCap: {A: "5/100"…}, capPerMille: {A: 50…}, team, substitutes }
 */
import { getConfig } from "./directories.ts";
import { drawConfigFrom } from "../translate/draws.ts";
import type { RepoStore } from "./db.ts";

const STATUS_LABEL: Record<string, string> = { committed: "已承诺（输入已冻结）", seeded: "已生成种子", drawn: "已抽取", void: "已作废" };

export interface DrawSummary {
  id: number;
  batchId: number;
  batchCode: string;
  batchName: string;
  planId: number;
  planName: string;
  year: number;
  departments: { id: number; name: string; role: string }[];
  status: string;
  statusLabel: string;
  attempt: number;
  commitment: string;
  createdAt: string;
  seededAt: string | null;
  drawnAt: string | null;
  voidedAt: string | null;
  voidReason: string | null;
}

const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null);

export async function listDraws(
  store: RepoStore,
  q: { departmentId?: number; status?: string; year?: number; limit: number; offset: number },
): Promise<{ total: number; items: DrawSummary[] }> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const where: any = {};
  if (q.status) where.status = q.status;
  if (q.departmentId !== undefined || q.year !== undefined) {
    where.batch = {};
    if (q.departmentId !== undefined) where.batch.departments = { some: { departmentId: q.departmentId } };
    if (q.year !== undefined) where.batch.plan = { year: q.year };
  }
  const [total, rows] = await Promise.all([
    store.prisma.draw.count({ where }),
    store.prisma.draw.findMany({
      where,
      orderBy: { id: "desc" },
      take: q.limit,
      skip: q.offset,
      include: { batch: { include: { plan: true, departments: { include: { department: true }, orderBy: { id: "asc" } } } } },
    }),
  ]);
  return {
    total,
    items: rows.map((d) => ({
      id: d.id,
      batchId: d.batchId,
      batchCode: d.batch.code,
      batchName: d.batch.name,
      planId: d.batch.planId,
      planName: d.batch.plan.name,
      year: d.batch.plan.year,
      departments: d.batch.departments.map((bd) => ({ id: bd.departmentId, name: bd.department.name, role: bd.role })),
      status: d.status,
      statusLabel: STATUS_LABEL[d.status] ?? d.status,
      attempt: d.attempt,
      commitment: d.commitment,
      createdAt: iso(d.createdAt)!,
      seededAt: iso(d.seededAt),
      drawnAt: iso(d.drawnAt),
      voidedAt: iso(d.voidedAt),
      voidReason: d.voidReason ?? null,
    })),
  };
}

export interface Dashboard {
  year: number;
  departmentId: number | null;
  plans: { total: number; approved: number; draft: number; closed: number };
  batches: { total: number; drawn: number };
  tasks: { total: number; random: number; directed: number; open: number; scheduled: number; done: number; cancelled: number };
  joint: { visits: number; jointVisits: number; tasksInVisits: number; tasksInJointVisits: number; share: number | null };
  results: { recorded: number; byCategory: Record<string, number> };
  publication: { published: number; onTime: number; late: number; unpublished: number };
}

/** Beijing civil date of an instant. */
const civil = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);

export async function dashboard(store: RepoStore, q: { year: number; departmentId?: number }): Promise<Dashboard> {
  const db = store.prisma;
  const dept = q.departmentId;
  const plans = await db.annualPlan.findMany({ where: { year: q.year, ...(dept !== undefined ? { departmentId: dept } : {}) }, select: { status: true } });
  const batches = await db.batch.findMany({
    where: { plan: { year: q.year }, ...(dept !== undefined ? { departments: { some: { departmentId: dept } } } : {}) },
    select: { id: true, status: true, liveDraw: { select: { status: true } } },
  });
  const batchIds = batches.map((b) => b.id);
  const yearStart = `${q.year}-01-01`;
  const yearEnd = `${q.year}-12-31`;
  const tasks = await db.task.findMany({
    where: {
      ...(dept !== undefined ? { departmentId: dept } : {}),
      OR: [{ batchId: { in: batchIds } }, { batchId: null, windowStart: { gte: yearStart, lte: yearEnd } }],
    },
    select: {
      id: true,
      kind: true,
      status: true,
      result: { select: { categories: true, publication: { select: { publishedAt: true, deadline: true } } } },
      jointChecks: { select: { jointCheck: { select: { id: true, status: true, tasks: { select: { task: { select: { departmentId: true } } } } } } } },
    },
  });
  const count = (s: string) => tasks.filter((t) => t.status === s).length;
  const visitIds = new Set<number>();
  const jointVisitIds = new Set<number>();
  let tasksInVisits = 0;
  let tasksInJoint = 0;
  const byCategory: Record<string, number> = {};
  let recorded = 0;
  let published = 0;
  let onTime = 0;
  for (const t of tasks) {
    const visits = t.jointChecks.map((j) => j.jointCheck).filter((v) => v.status !== "cancelled");
    if (visits.length > 0) tasksInVisits++;
    if (visits.some((v) => new Set(v.tasks.map((x) => x.task.departmentId)).size > 1)) tasksInJoint++;
    for (const v of visits) {
      visitIds.add(v.id);
      if (new Set(v.tasks.map((x) => x.task.departmentId)).size > 1) jointVisitIds.add(v.id);
    }
    if (t.result) {
      recorded++;
      for (const c of (t.result.categories as string[]) ?? []) byCategory[c] = (byCategory[c] ?? 0) + 1;
      const p = t.result.publication;
      if (p) {
        published++;
        if (civil(p.publishedAt) <= p.deadline) onTime++;
      }
    }
  }
  return {
    year: q.year,
    departmentId: dept ?? null,
    plans: { total: plans.length, approved: plans.filter((p) => p.status === "approved").length, draft: plans.filter((p) => p.status === "draft").length, closed: plans.filter((p) => p.status === "closed").length },
    batches: { total: batches.length, drawn: batches.filter((b) => b.liveDraw?.status === "drawn").length },
    tasks: {
      total: tasks.length,
      random: tasks.filter((t) => t.kind === "random").length,
      directed: tasks.filter((t) => t.kind === "directed").length,
      open: count("open"),
      scheduled: count("scheduled"),
      done: count("done"),
      cancelled: count("cancelled"),
    },
    joint: { visits: visitIds.size, jointVisits: jointVisitIds.size, tasksInVisits, tasksInJointVisits: tasksInJoint, share: tasksInVisits > 0 ? tasksInJoint / tasksInVisits : null },
    results: { recorded, byCategory },
    publication: { published, onTime, late: published - onTime, unpublished: recorded - published },
  };
}

/** "5/100" → 50 (‰, rounded down): what a ratio quota in per mille may reach. */
export function capPerMille(ratio: string): number {
  const [p, q] = ratio.split("/").map(Number) as [number, number];
  return Math.floor((1000 * p) / q);
}

export async function drawRules(store: RepoStore) {
  const c = drawConfigFrom(await getConfig(store, "draw"));
  const caps = c.generalRatioCap as Record<string, string>;
  return {
    generalRatioCap: caps,
    capPerMille: Object.fromEntries(Object.entries(caps).map(([k, v]) => [k, capPerMille(v)])) as Record<string, number>,
    substitutes: c.substitutes,
    team: c.team as unknown as Record<string, unknown>,
  };
}
