/** Annual plans (年度抽查计划) and batches (批次): departments, items, sampling rules, window. */
import { publishToReadModel, type PublicRecord } from "../readModel/index.ts";
import { inTransaction } from "./audit.ts";
import { RepoError, type RepoStore } from "./db.ts";

/* eslint-disable @typescript-eslint/no-explicit-any */

export interface PlanView {
  id: number;
  departmentId: number;
  year: number;
  name: string;
  status: string;
  createdAt: string;
}

const plan = (p: any): PlanView => ({
  id: p.id,
  departmentId: p.departmentId,
  year: p.year,
  name: p.name,
  status: p.status,
  createdAt: new Date(p.createdAt).toISOString(),
});

export async function listPlans(store: RepoStore, q: { departmentId?: number; year?: number }): Promise<PlanView[]> {
  const where: any = {};
  if (q.departmentId !== undefined) where.departmentId = q.departmentId;
  if (q.year !== undefined) where.year = q.year;
  return (await store.prisma.annualPlan.findMany({ where, orderBy: { id: "asc" } })).map(plan);
}

export async function getPlan(store: RepoStore, id: number): Promise<PlanView & { batches: { id: number; code: string; name: string; status: string }[] }> {
  const p = await store.prisma.annualPlan.findUnique({ where: { id }, include: { batches: { orderBy: { id: "asc" } } } });
  if (!p) throw new RepoError(404, "NOT_FOUND", `计划 ${id} 不存在`);
  return { ...plan(p), batches: p.batches.map((b: any) => ({ id: b.id, code: b.code, name: b.name, status: b.status })) };
}

export async function createPlan(store: RepoStore, input: { departmentId: number; year: number; name: string }, actor: string): Promise<PlanView> {
  return inTransaction(store, async (tx) => {
    if (!(await tx.department.findUnique({ where: { id: input.departmentId } })))
      throw new RepoError(422, "UNKNOWN_DEPARTMENT", `departmentId：部门 ${input.departmentId} 不存在`, "departmentId");
    const p = await tx.annualPlan.create({ data: input });
    return { value: plan(p), audit: { actor, action: "plan.create", subject: `plan:${p.id}`, payload: input } };
  });
}

export async function setPlanStatus(
  store: RepoStore,
  id: number,
  status: "draft" | "approved" | "closed",
  actor: string,
  log?: { error(obj: unknown, msg: string): void },
): Promise<PlanView> {
  const view = await inTransaction(store, async (tx) => {
    const p = await tx.annualPlan.findUnique({ where: { id } });
    if (!p) throw new RepoError(404, "NOT_FOUND", `计划 ${id} 不存在`);
    if (p.status === "closed" && status !== "closed") throw new RepoError(409, "PLAN_CLOSED", `计划 ${id} 已关闭`);
    // An approved plan is public (一公开): it is never taken back to a draft behind the public's back.
    if (p.status === "approved" && status === "draft")
      throw new RepoError(409, "PLAN_PUBLISHED", `计划 ${id} 已批准并公示，不能退回草稿；可以关闭（closed）`, "body.status");
    const u = await tx.annualPlan.update({ where: { id }, data: { status } });
    return { value: plan(u), audit: { actor, action: "plan.status", subject: `plan:${id}`, payload: { from: p.status, to: status } } };
  });
  // An approved plan is public (一公开): its record goes to the public read model, after the commit.
  if (status === "approved") await republishPlan(store, id, log);
  return view;
}

/**
 * When each plan was approved (its first `plan.status` → approved audit entry), for the given
 * plans or all. The approval instant is the plan record's `publishedAt`, so republishing (a batch
 * added) and rebuilding give the same record.
 */
export async function planApprovals(store: RepoStore, planId?: number): Promise<Map<number, Date>> {
  const rows = await store.prisma.auditLog.findMany({
    where: { action: "plan.status", ...(planId !== undefined ? { subject: `plan:${planId}` } : {}) },
    orderBy: { seq: "asc" },
    select: { subject: true, at: true, payload: true },
  });
  const out = new Map<number, Date>();
  for (const r of rows) {
    const m = /^plan:(\d+)$/.exec(r.subject);
    if (!m || out.has(Number(m[1]))) continue;
    let to: unknown;
    try {
      to = (JSON.parse(r.payload) as { to?: unknown }).to;
    } catch {
      continue;
    }
    if (to === "approved") out.set(Number(m[1]), new Date(r.at));
  }
  return out;
}

/**
 * Only approved plans are public: an approved plan, or a closed one that was approved before
 * (its record stays on the public record). A draft — or a plan closed without approval — never is.
 */
export function isPublicPlan(status: string, approvedAt: Date | undefined): boolean {
  return status === "approved" || (status === "closed" && approvedAt !== undefined);
}

/**
 * The public record of a plan: names, departments, items with their legal basis, every batch with
 * its window. Ids are the plain numeric ids of the API (`"1"`, batches `"3"`), as in the draw and
 * result records (`planId: "1"`). Null when the plan is not public (`isPublicPlan`).
 */
export async function publicPlanRecord(store: RepoStore, id: number, approvals?: Map<number, Date>): Promise<PublicRecord | null> {
  const p = await store.prisma.annualPlan.findUniqueOrThrow({
    where: { id },
    include: {
      department: true,
      batches: { orderBy: { id: "asc" }, include: { departments: { orderBy: { id: "asc" }, include: { department: true, items: { orderBy: { itemId: "asc" }, include: { item: true } } } } } },
    },
  });
  const approvedAt = (approvals ?? (await planApprovals(store, id))).get(id);
  if (!isPublicPlan(p.status, approvedAt)) return null;
  const departments = [p.department.name];
  const items = new Map<string, { name: string; basis?: string }>();
  for (const b of p.batches)
    for (const d of b.departments) {
      if (!departments.includes(d.department.name)) departments.push(d.department.name);
      for (const bi of d.items) items.set(`${bi.item.id}`, { name: bi.item.name, basis: bi.item.legalBasis });
    }
  return {
    kind: "plan",
    id: String(p.id),
    name: p.name,
    year: p.year,
    leadDepartment: p.department.name,
    departments,
    description: p.batches.some((b) => b.directed) ? "含定向抽查批次" : "不定向抽查",
    items: [...items.values()],
    batches: p.batches.map((b) => ({ id: String(b.id), name: b.name, from: b.windowStart, to: b.windowEnd })),
    // Approved without an audited approval (rows written outside the repositories): its creation.
    publishedAt: (approvedAt ?? p.createdAt).toISOString(),
  };
}

/**
 * Writes the plan's current public record to the read model (after the commit that changed it),
 * when the plan is public; a draft is never written. A failure is logged, not thrown: the change
 * is committed and `rebuildReadModel` restores the record from the domain tables.
 */
export async function republishPlan(store: RepoStore, id: number, log?: { error(obj: unknown, msg: string): void }): Promise<void> {
  try {
    const record = await publicPlanRecord(store, id);
    if (record) await publishToReadModel(store, [record]);
  } catch (err) {
    log?.error({ err, planId: id }, "plan could not be written to the public read model");
  }
}

export interface SamplingRuleInput {
  riskClass: "A" | "B" | "C" | "D";
  ratioPerMille?: number;
  count?: number;
}

export interface BatchDepartmentInput {
  departmentId: number;
  role: "lead" | "partner";
  itemIds: number[];
  samplingRules: SamplingRuleInput[];
  /** This department's own 定向 conditions (directed batches only); absent or {} = the batch's. */
  conditions?: BatchConditions;
}

/** 定向 conditions: AND across fields, OR within one (docs/draw-spec.md §3.2). */
export interface BatchConditions {
  districts?: string[];
  industries?: string[];
  kinds?: string[];
  sizes?: string[];
}

const hasConditions = (c: object | null | undefined): c is BatchConditions => !!c && Object.keys(c).length > 0;

export interface BatchInput {
  code: string;
  name: string;
  directed: boolean;
  conditions: Record<string, unknown>;
  windowStart: string;
  windowEnd: string;
  jointTemplateId?: number | null;
  departments: BatchDepartmentInput[];
}

export interface BatchView {
  id: number;
  planId: number;
  planDepartmentId: number;
  year: number;
  code: string;
  name: string;
  directed: boolean;
  conditions: unknown;
  windowStart: string;
  windowEnd: string;
  jointTemplateId: number | null;
  status: string;
  departments: {
    departmentId: number;
    departmentName: string;
    role: string;
    itemIds: number[];
    samplingRules: { riskClass: string; ratioPerMille: number | null; count: number | null }[];
    /** The department's own 定向 conditions, or null (the batch's apply). */
    conditions: BatchConditions | null;
  }[];
  liveDrawId: number | null;
}

function checkBatchInput(input: BatchInput): void {
  const fail = (field: string, msg: string) => {
    throw new RepoError(422, "INVALID_BATCH", msg, field);
  };
  if (input.windowEnd < input.windowStart) fail("windowEnd", `windowEnd：检查期限的结束日（${input.windowEnd}）早于开始日（${input.windowStart}）`);
  const leads = input.departments.filter((d) => d.role === "lead");
  if (leads.length !== 1) fail("departments", `departments：一个批次须有且只有一个发起部门（牵头），收到 ${leads.length} 个`);
  const seen = new Set<number>();
  input.departments.forEach((d, i) => {
    if (seen.has(d.departmentId)) fail(`departments.${i}.departmentId`, `departments.${i}.departmentId：部门 ${d.departmentId} 重复列出`);
    seen.add(d.departmentId);
    if (d.itemIds.length === 0) fail(`departments.${i}.itemIds`, `departments.${i}.itemIds：每个部门至少检查一个事项`);
    const classes = new Set<string>();
    d.samplingRules.forEach((r, j) => {
      if ((r.ratioPerMille === undefined) === (r.count === undefined))
        fail(`departments.${i}.samplingRules.${j}`, `departments.${i}.samplingRules.${j}：ratioPerMille（千分比）与 count（数量）须给出且只给出一个`);
      if (classes.has(r.riskClass)) fail(`departments.${i}.samplingRules.${j}.riskClass`, `departments.${i}.samplingRules.${j}.riskClass：风险等级 ${r.riskClass} 重复列出`);
      classes.add(r.riskClass);
    });
  });
  const own = input.departments.map((d) => hasConditions(d.conditions));
  if (!input.directed) {
    const i = own.indexOf(true);
    if (i >= 0) fail(`departments.${i}.conditions`, `departments.${i}.conditions：不定向批次的部门不能有定向条件（要按条件抽取，请选“定向”）`);
  } else if (!hasConditions(input.conditions)) {
    if (!own.includes(true)) fail("conditions", "conditions：定向批次至少需要一个条件");
    const i = own.indexOf(false);
    if (i >= 0) fail(`departments.${i}.conditions`, `departments.${i}.conditions：批次没有共同的定向条件，部门 ${input.departments[i]!.departmentId} 须填写本部门的定向条件`);
  }
}

/** The row of one batch department (its own conditions only when it has some). */
const departmentRow = (batchId: number, d: BatchDepartmentInput) => ({
  batchId,
  departmentId: d.departmentId,
  role: d.role,
  ...(hasConditions(d.conditions) ? { conditions: d.conditions as any } : {}),
});

export async function createBatch(
  store: RepoStore,
  planId: number,
  input: BatchInput,
  actor: string,
  log?: { error(obj: unknown, msg: string): void },
): Promise<BatchView> {
  checkBatchInput(input);
  const id = await inTransaction(store, async (tx) => {
    const p = await tx.annualPlan.findUnique({ where: { id: planId } });
    if (!p) throw new RepoError(404, "NOT_FOUND", `计划 ${planId} 不存在`);
    const lead = input.departments.find((d) => d.role === "lead")!;
    if (lead.departmentId !== p.departmentId)
      throw new RepoError(422, "INVALID_BATCH", "departments：批次的牵头部门须为计划所属部门", "departments");
    for (const [i, d] of input.departments.entries()) {
      if (!(await tx.department.findUnique({ where: { id: d.departmentId } })))
        throw new RepoError(422, "UNKNOWN_DEPARTMENT", `departments.${i}.departmentId：部门 ${d.departmentId} 不存在`, `departments.${i}.departmentId`);
      const items = await tx.inspectionItem.findMany({ where: { id: { in: d.itemIds } } });
      for (const itemId of d.itemIds) {
        const it = items.find((x: any) => x.id === itemId);
        if (!it) throw new RepoError(422, "UNKNOWN_ITEM", `departments.${i}.itemIds：抽查事项 ${itemId} 不存在`, `departments.${i}.itemIds`);
        if (it.departmentId !== d.departmentId)
          throw new RepoError(422, "FOREIGN_ITEM", `departments.${i}.itemIds：事项 ${itemId} 不在部门 ${d.departmentId} 的抽查事项清单上`, `departments.${i}.itemIds`);
      }
    }
    const b = await tx.batch.create({
      data: {
        planId,
        code: input.code,
        name: input.name,
        directed: input.directed,
        conditions: input.conditions as any,
        windowStart: input.windowStart,
        windowEnd: input.windowEnd,
        jointTemplateId: input.jointTemplateId ?? null,
      },
    });
    for (const d of input.departments) {
      await tx.batchDepartment.create({ data: departmentRow(b.id, d) });
      for (const itemId of d.itemIds) await tx.batchItem.create({ data: { batchId: b.id, departmentId: d.departmentId, itemId } });
      for (const r of d.samplingRules)
        await tx.samplingRule.create({
          data: { batchId: b.id, departmentId: d.departmentId, riskClass: r.riskClass, ratioPerMille: r.ratioPerMille ?? null, count: r.count ?? null },
        });
    }
    return { value: b.id as number, audit: { actor, action: "batch.create", subject: `batch:${b.id}`, payload: { planId, ...input } } };
  });
  // A batch added to an approved plan is public at once: the plan's record lists every batch.
  await republishPlan(store, planId, log);
  return getBatch(store, id);
}

export async function getBatch(store: RepoStore, id: number): Promise<BatchView> {
  const b = await store.prisma.batch.findUnique({
    where: { id },
    include: {
      plan: true,
      liveDraw: true,
      departments: { include: { department: true, items: true, samplingRules: true }, orderBy: { id: "asc" } },
    },
  });
  if (!b) throw new RepoError(404, "NOT_FOUND", `批次 ${id} 不存在`);
  return {
    id: b.id,
    planId: b.planId,
    planDepartmentId: b.plan.departmentId,
    year: b.plan.year,
    code: b.code,
    name: b.name,
    directed: b.directed,
    conditions: b.conditions,
    windowStart: b.windowStart,
    windowEnd: b.windowEnd,
    jointTemplateId: b.jointTemplateId ?? null,
    status: b.status,
    departments: b.departments.map((d: any) => ({
      departmentId: d.departmentId,
      departmentName: d.department.name,
      role: d.role,
      itemIds: d.items.map((i: any) => i.itemId).sort((a: number, c: number) => a - c),
      samplingRules: d.samplingRules
        .map((r: any) => ({ riskClass: r.riskClass, ratioPerMille: r.ratioPerMille ?? null, count: r.count ?? null }))
        .sort((x: any, y: any) => (x.riskClass < y.riskClass ? -1 : 1)),
      conditions: hasConditions(d.conditions) ? (d.conditions as BatchConditions) : null,
    })),
    liveDrawId: b.liveDraw?.id ?? null,
  };
}

/** Departments taking part in a batch (for officer scoping). */
export function batchDepartmentIds(b: BatchView): number[] {
  return b.departments.map((d) => d.departmentId);
}

/** Refuses a change of a batch once any draw (even a voided one) exists: its inputs are on record. */
async function assertBatchEditable(tx: any, id: number): Promise<any> {
  const b = await tx.batch.findUnique({ where: { id }, include: { plan: true } });
  if (!b) throw new RepoError(404, "NOT_FOUND", `批次 ${id} 不存在`);
  if (b.plan.status === "closed") throw new RepoError(409, "PLAN_CLOSED", `计划 ${b.planId} 已关闭，批次不能修改`);
  if ((await tx.draw.count({ where: { batchId: id } })) > 0)
    throw new RepoError(409, "BATCH_COMMITTED", `批次 ${id} 已有抽取（输入已冻结并公布），不能再修改或删除`);
  return b;
}

/** Replace a batch's fields, departments, items and sampling rules while nothing is committed. */
export async function updateBatch(store: RepoStore, id: number, input: BatchInput, actor: string, log?: { error(obj: unknown, msg: string): void }): Promise<BatchView> {
  checkBatchInput(input);
  const planId = await inTransaction(store, async (tx) => {
    const b = await assertBatchEditable(tx, id);
    const lead = input.departments.find((d) => d.role === "lead")!;
    if (lead.departmentId !== b.plan.departmentId) throw new RepoError(422, "INVALID_BATCH", "departments：批次的牵头部门须为计划所属部门", "departments");
    for (const [i, d] of input.departments.entries()) {
      const items = await tx.inspectionItem.findMany({ where: { id: { in: d.itemIds } } });
      for (const itemId of d.itemIds) {
        const it = items.find((x: any) => x.id === itemId);
        if (!it) throw new RepoError(422, "UNKNOWN_ITEM", `departments.${i}.itemIds：抽查事项 ${itemId} 不存在`, `departments.${i}.itemIds`);
        if (it.departmentId !== d.departmentId) throw new RepoError(422, "FOREIGN_ITEM", `departments.${i}.itemIds：事项 ${itemId} 不在部门 ${d.departmentId} 的抽查事项清单上`, `departments.${i}.itemIds`);
      }
    }
    await tx.batchDepartment.deleteMany({ where: { batchId: id } });
    await tx.batch.update({
      where: { id },
      data: { code: input.code, name: input.name, directed: input.directed, conditions: input.conditions as any, windowStart: input.windowStart, windowEnd: input.windowEnd, jointTemplateId: input.jointTemplateId ?? null },
    });
    for (const d of input.departments) {
      await tx.batchDepartment.create({ data: departmentRow(id, d) });
      for (const itemId of d.itemIds) await tx.batchItem.create({ data: { batchId: id, departmentId: d.departmentId, itemId } });
      for (const r of d.samplingRules)
        await tx.samplingRule.create({ data: { batchId: id, departmentId: d.departmentId, riskClass: r.riskClass, ratioPerMille: r.ratioPerMille ?? null, count: r.count ?? null } });
    }
    return { value: b.planId as number, audit: { actor, action: "batch.update", subject: `batch:${id}`, payload: { planId: b.planId, ...input } } };
  });
  await republishPlan(store, planId, log);
  return getBatch(store, id);
}

/**
 * Delete a batch of a draft plan while nothing is committed. A batch of an approved plan is on
 * the public record (一公开) and stays there; it can still be changed until its first draw.
 */
export async function deleteBatch(store: RepoStore, id: number, actor: string): Promise<void> {
  await inTransaction(store, async (tx) => {
    const b = await assertBatchEditable(tx, id);
    if (b.plan.status !== "draft") throw new RepoError(409, "PLAN_PUBLISHED", `计划 ${b.planId} 已批准并公示，其批次不能删除（抽取前仍可修改）`);
    await tx.batchDepartment.deleteMany({ where: { batchId: id } });
    await tx.batch.delete({ where: { id } });
    return { value: null, audit: { actor, action: "batch.delete", subject: `batch:${id}`, payload: { planId: b.planId, code: b.code, name: b.name } } };
  });
}
