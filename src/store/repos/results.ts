/**
 * Tasks, recorded results and their publication (谁检查、谁录入、谁公开).
 *
 * - A result is recorded (and may be corrected) by an officer of the task's department until it
 *   is published; validation (src/publication) names field and rule.
 * - Publishing fixes the deadline (20 working days after the check date, src/calendar; a year
 *   without holiday data is refused with 422) and then sends the public record — only the public
 *   fields — to the public read model.
 */
import { PUBLICATION_WORKING_DAYS, publicationDeadline } from "../../calendar/index.ts";
import { deadlineStatus, validateResult } from "../../publication/index.ts";
import { publishToReadModel } from "../readModel/index.ts";
import { publicResultRecord, publishableTaskInclude } from "../readModel/source.ts";
import { DIRECTED_KINDS, type DirectedKind, type StoredDirectedKind } from "../values.ts";
import { inTransaction } from "./audit.ts";
import { RepoError, type RepoStore } from "./db.ts";
import { asArray } from "./directories.ts";
import { assertUnderFrequencyCap } from "./frequencyCaps.ts";
import { calendarFor, categoriesFor, publicationSettings } from "./settings.ts";

/** Today's civil date in China (Asia/Shanghai), YYYY-MM-DD. */
export function todayInChina(now: Date = new Date()): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
}

export interface TaskView {
  id: number;
  taskNo: string;
  entity: { id: number; code: string; name: string };
  departmentId: number;
  batchId: number | null;
  drawId: number | null;
  kind: string;
  /** Directed checks: an officer's kind ('complaint' | 'referral' | 'dataAlert') or the loop's ('commitment' | 'riskAlert' | 'followUp'); the public sees its label. */
  directedKind: StoredDirectedKind | null;
  /** Directed checks: the internal reason (never published). */
  directedReason: string | null;
  windowStart: string;
  windowEnd: string;
  status: string;
  itemIds: number[];
  result: {
    categories: string[];
    checkDate: string;
    recorderId: number;
    note: string | null;
    updatedAt: string;
    publication: { publishedAt: string; deadline: string; publisherId: number } | null;
  } | null;
}

const taskInclude = { entity: true, items: true, result: { include: { publication: true } } } as const;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function taskView(t: any): TaskView {
  return {
    id: t.id,
    taskNo: t.taskNo,
    entity: { id: t.entity.id, code: t.entity.code, name: t.entity.name },
    departmentId: t.departmentId,
    batchId: t.batchId ?? null,
    drawId: t.drawId ?? null,
    kind: t.kind,
    directedKind: (t.directedKind as StoredDirectedKind | null) ?? null,
    directedReason: t.directedReason ?? null,
    windowStart: t.windowStart,
    windowEnd: t.windowEnd,
    status: t.status,
    itemIds: t.items.map((i: { itemId: number }) => i.itemId),
    result: t.result
      ? {
          categories: asArray(t.result.categories),
          checkDate: t.result.checkDate,
          recorderId: t.result.recorderId,
          note: t.result.note ?? null,
          updatedAt: new Date(t.result.updatedAt).toISOString(),
          publication: t.result.publication
            ? {
                publishedAt: new Date(t.result.publication.publishedAt).toISOString(),
                deadline: t.result.publication.deadline,
                publisherId: t.result.publication.publisherId,
              }
            : null,
        }
      : null,
  };
}

export async function getTask(store: RepoStore, id: number): Promise<TaskView> {
  const t = await store.prisma.task.findUnique({ where: { id }, include: taskInclude });
  if (!t) throw new RepoError(404, "NOT_FOUND", `任务 ${id} 不存在`);
  return taskView(t);
}

export async function listTasks(
  store: RepoStore,
  q: { departmentId?: number; batchId?: number; drawId?: number; status?: string; limit: number; offset: number },
): Promise<{ total: number; items: TaskView[] }> {
  const where = {
    ...(q.departmentId !== undefined ? { departmentId: q.departmentId } : {}),
    ...(q.batchId !== undefined ? { batchId: q.batchId } : {}),
    ...(q.drawId !== undefined ? { drawId: q.drawId } : {}),
    ...(q.status !== undefined ? { status: q.status } : {}),
  };
  const [total, rows] = await Promise.all([
    store.prisma.task.count({ where }),
    store.prisma.task.findMany({ where, include: taskInclude, orderBy: { id: "asc" }, take: q.limit, skip: q.offset }),
  ]);
  return { total, items: rows.map(taskView) };
}

/**
 * A directed (non-random) check triggered by a complaint (投诉举报), a referral (转办交办) or a data
 * alert (数据监测): recorded as such, so it is never mistaken for a drawn one. `directedKind` is
 * what the public sees (as 定向检查：投诉举报 and the items); `reason` is internal text (ticket
 * number, complaint details, a complainant's name) that is never published.
 */
export async function createDirectedTask(
  store: RepoStore,
  input: { entityCode: string; departmentId: number; itemIds: number[]; directedKind: DirectedKind; reason: string; windowStart: string; windowEnd: string },
  actor: string,
): Promise<TaskView> {
  if (!(DIRECTED_KINDS as readonly string[]).includes(input.directedKind))
    throw new RepoError(400, "VALIDATION_FAILED", `body.directedKind：定向检查的类型须为 complaint（投诉举报）、referral（转办交办）或 dataAlert（数据监测），收到 ${JSON.stringify(input.directedKind)}`, "body.directedKind");
  const reason = typeof input.reason === "string" ? input.reason.trim() : "";
  if (reason === "") throw new RepoError(400, "VALIDATION_FAILED", "body.reason：须填写定向检查的事由（内部记录，不公示）", "body.reason");
  if (input.windowEnd < input.windowStart)
    throw new RepoError(422, "INVALID_WINDOW", `检查期限的结束日期（${input.windowEnd}）早于开始日期（${input.windowStart}）`, "body.windowEnd");
  const id = await inTransaction(store, async (tx) => {
    const entity = await tx.entity.findUnique({ where: { code: input.entityCode.toUpperCase() } });
    if (!entity) throw new RepoError(422, "UNKNOWN_ENTITY", `市场主体 ${input.entityCode} 不在名录中`, "body.entityCode");
    const dept = await tx.department.findUnique({ where: { id: input.departmentId } });
    if (!dept) throw new RepoError(422, "UNKNOWN_DEPARTMENT", `部门 ${input.departmentId} 不存在`, "body.departmentId");
    const items = await tx.inspectionItem.findMany({ where: { id: { in: input.itemIds } } });
    for (const itemId of input.itemIds) {
      const it = items.find((i) => i.id === itemId);
      if (!it || it.departmentId !== dept.id) throw new RepoError(422, "FOREIGN_ITEM", `检查事项 ${itemId} 不在本部门的抽查事项清单中`, "body.itemIds");
    }
    await assertUnderFrequencyCap(tx, { entityId: entity.id, entityCode: entity.code, department: dept, directedKind: input.directedKind, year: Number(input.windowStart.slice(0, 4)) });
    const t = await tx.task.create({
      data: {
        taskNo: `tmp-${crypto.randomUUID()}`,
        entityId: entity.id,
        departmentId: dept.id,
        kind: "directed",
        directedKind: input.directedKind,
        directedReason: reason,
        windowStart: input.windowStart,
        windowEnd: input.windowEnd,
      },
    });
    const taskNo = `D-${dept.code}-${String(t.id).padStart(6, "0")}`;
    await tx.task.update({ where: { id: t.id }, data: { taskNo } });
    await tx.taskItem.createMany({ data: input.itemIds.map((itemId) => ({ taskId: t.id, itemId })) });
    return {
      value: t.id,
      audit: { actor, action: "task.directed", subject: `task:${t.id}`, payload: { taskNo, entity: entity.code, directedKind: input.directedKind, reason } },
    };
  });
  return getTask(store, id);
}

export async function recordResult(
  store: RepoStore,
  taskId: number,
  input: { categories: unknown; checkDate: unknown; note?: string | null },
  recorderId: number,
  actor: string,
  today: string = todayInChina(),
): Promise<TaskView> {
  const categories = await categoriesFor(store);
  await inTransaction(store, async (tx) => {
    const t = await tx.task.findUnique({ where: { id: taskId }, include: { result: { include: { publication: true } } } });
    if (!t) throw new RepoError(404, "NOT_FOUND", `任务 ${taskId} 不存在`);
    if (t.status === "cancelled") throw new RepoError(409, "TASK_CANCELLED", `任务 ${taskId} 已取消（其抽取已作废）`);
    if (t.result?.publication) throw new RepoError(409, "ALREADY_PUBLISHED", `任务 ${taskId} 的结果已公示，不能再修改`);
    const v = validateResult({ categories: input.categories, checkDate: input.checkDate }, categories, { today, notBefore: t.windowStart });
    if (!v.ok) {
      const first = v.errors[0]!;
      throw new RepoError(400, "VALIDATION_FAILED", `body.${first.field}：${first.message}（规则 ${first.rule}）`, `body.${first.field}`,
        v.errors.map((e) => ({ field: `body.${e.field}`, rule: e.rule, message: e.message })));
    }
    const data = { categories: v.value.categories, checkDate: v.value.checkDate, recorderId, note: input.note ?? null };
    if (t.result) await tx.result.update({ where: { taskId }, data });
    else await tx.result.create({ data: { taskId, ...data } });
    await tx.task.update({ where: { id: taskId }, data: { status: "done" } });
    return {
      value: null,
      audit: { actor, action: t.result ? "result.update" : "result.record", subject: `task:${taskId}`, payload: { categories: v.value.categories, checkDate: v.value.checkDate } },
    };
  });
  return getTask(store, taskId);
}

export async function publishResult(
  store: RepoStore,
  taskId: number,
  publisherId: number,
  actor: string,
  log?: { error(obj: unknown, msg: string): void },
): Promise<TaskView> {
  const cal = await calendarFor(store);
  const categories = await categoriesFor(store);
  const { workingDays } = await publicationSettings(store);
  const record = await inTransaction(store, async (tx) => {
    const t = await tx.task.findUnique({ where: { id: taskId }, include: { ...publishableTaskInclude, result: { include: { publication: true } } } });
    if (!t) throw new RepoError(404, "NOT_FOUND", `任务 ${taskId} 不存在`);
    if (!t.result) throw new RepoError(409, "NO_RESULT", `任务 ${taskId} 尚未登记结果，无可公示`);
    if (t.result.publication) throw new RepoError(409, "ALREADY_PUBLISHED", `任务 ${taskId} 的结果已经公示`);
    // Throws UnknownHolidayYearError (→ 422 HOLIDAY_DATA_MISSING) for a year without holiday data.
    const deadline = publicationDeadline(cal, t.result.checkDate, workingDays || PUBLICATION_WORKING_DAYS);
    const publishedAt = new Date();
    await tx.publication.create({ data: { resultId: t.result.id, publishedAt, deadline, publisherId } });
    // The same mapping as `rebuildReadModel` (source.ts): exactly the public fields; a directed
    // check is named by its kind and items, never by its reason.
    const record = publicResultRecord({ ...t, result: t.result }, publishedAt, categories);
    const late = todayInChina(publishedAt) > deadline;
    return {
      value: record,
      audit: { actor, action: "result.publish", subject: `task:${taskId}`, payload: { deadline, late } },
    };
  });
  // The read model lives on the driver connection: written after the commit. A failure here leaves
  // the publication recorded; `rebuildReadModel` restores the read model from the publications.
  try {
    await publishToReadModel(store, [record]);
  } catch (err) {
    log?.error({ err, taskId }, "published result could not be written to the public read model");
  }
  return getTask(store, taskId);
}

export interface DeadlineEntry {
  taskId: number;
  taskNo: string;
  entityCode: string;
  entityName: string;
  checkDate: string;
  deadline: string;
  workingDaysLeft: number;
}

/** Unpublished results of a department: overdue, due soon, and those whose deadline is undetermined. */
export async function publicationDeadlines(
  store: RepoStore,
  departmentId: number | undefined,
  options: { dueSoonDays?: number; today?: string } = {},
): Promise<{ today: string; overdue: DeadlineEntry[]; dueSoon: DeadlineEntry[]; undetermined: { taskId: number; taskNo: string; checkDate: string; year: number; reason: string }[] }> {
  const cal = await calendarFor(store);
  const settings = await publicationSettings(store);
  const today = options.today ?? todayInChina();
  const rows = await store.prisma.result.findMany({
    where: { publication: null, ...(departmentId !== undefined ? { task: { departmentId } } : {}) },
    include: { task: { include: { entity: true } } },
  });
  const status = deadlineStatus(
    rows.map((r) => ({ checkDate: r.checkDate, publishedOn: null, r })),
    cal,
    today,
    { dueSoonDays: options.dueSoonDays ?? settings.dueSoonDays, publicationDays: settings.workingDays },
  );
  const entry = (i: { record: { r: (typeof rows)[number] }; deadline: string; workingDaysLeft: number }): DeadlineEntry => ({
    taskId: i.record.r.taskId,
    taskNo: i.record.r.task.taskNo,
    entityCode: i.record.r.task.entity.code,
    entityName: i.record.r.task.entity.name,
    checkDate: i.record.r.checkDate,
    deadline: i.deadline,
    workingDaysLeft: i.workingDaysLeft,
  });
  return {
    today,
    overdue: status.overdue.map(entry),
    dueSoon: status.dueSoon.map(entry),
    undetermined: status.undetermined.map((u) => ({ taskId: u.record.r.taskId, taskNo: u.record.r.task.taskNo, checkDate: u.record.r.checkDate, year: u.year, reason: u.reason })),
  };
}
