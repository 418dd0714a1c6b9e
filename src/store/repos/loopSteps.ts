/**
 * 审管联动 on the database, part 2: 告知承诺核查 outcomes (fed back to the bureau), 函告 → 复核 →
 * 反馈 → 后续监管, 风险预警 and their feedback, the overdue list (未履职、慢履职), statistics, and the
 * merge of the loop's directed tasks into the visits of the schedule (进一次门、查多项事). Scope and
 * audit as in ./approvals.ts.
 */
import { createHash } from "node:crypto";
import {
  ALERT_HANDLING_LABELS,
  ALERT_LEVEL_LABELS,
  DISPUTE_KIND_LABELS,
  disputeState,
  disputeTransition,
  followUpTask,
  alertTask,
  LOOP_DIRECTED_KINDS,
  loopStats,
  mergeInstance,
  needsAttention,
  needsFollowUp,
  readMerge,
  REVIEW_OUTCOME_LABELS,
  STEP_KIND_LABELS,
  valueOf,
  VERIFICATION_OUTCOME_LABELS,
  workingDayDeadline,
  type AlertLevel,
  type DisputeKind,
  type MergeInput,
  type ReviewOutcome,
  type StepKind,
  type StepStatus,
  classifyStep,
  STEP_STATUS_LABELS,
  publishesOutcome,
} from "../../approvals/index.ts";
import { addDays, isIsoDate, workingDaysInRange } from "../../calendar/index.ts";
import { alertView, disputeView, verificationView } from "../translate/approvals.ts";
import { DEFAULT_DAILY_CAPACITY } from "../translate/draws.ts";
import { inTransaction, type AuditEntry } from "./audit.ts";
import { assertActsFor, assertParty, loopActorString, type LoopActor } from "./approvals.ts";
import { RepoError, type RepoStore } from "./db.ts";
import { asArray, getConfig } from "./directories.ts";
import { todayInChina } from "./results.ts";
import { calendarFor, loopSettingsFor } from "./settings.ts";
import { solveAndRecord } from "./optimizationRuns.ts";

const decisionInclude = { bureau: true, entity: true } as const;
const taskSelect = { select: { id: true, taskNo: true, status: true, windowStart: true, windowEnd: true } } as const;
const verificationInclude = { department: true, task: taskSelect, decision: { include: decisionInclude } } as const;
const disputeInclude = { department: true, decision: { include: decisionInclude }, followUpTask: taskSelect } as const;
const alertInclude = { department: true, entity: { select: { id: true, code: true, name: true } }, task: taskSelect } as const;

/** A field as messages name it (`label`, e.g. 第 3 行“预警日期”) and as `field` gives it (`path`). */
type FieldName = string | { label: string; path: string };
const labelOf = (f: FieldName) => (typeof f === "string" ? f : f.label);
const pathOf = (f: FieldName) => (typeof f === "string" ? f : f.path);

function checkText(v: unknown, field: FieldName, max: number, min = 1): string {
  if (typeof v !== "string" || v.trim().length < min) throw new RepoError(400, "VALIDATION_FAILED", `${labelOf(field)}：须填写`, pathOf(field));
  if (v.trim().length > max) throw new RepoError(400, "VALIDATION_FAILED", `${labelOf(field)}：不超过 ${max} 个字符`, pathOf(field));
  return v.trim();
}

/** A step is done on a day that is neither in the future nor before it could start. */
function checkDay(v: unknown, field: FieldName, notBefore: string, today: string): string {
  const [label, path] = [labelOf(field), pathOf(field)];
  if (!isIsoDate(v)) throw new RepoError(400, "INVALID_DATE", `${label}：日期格式应为 YYYY-MM-DD`, path);
  if (v > today) throw new RepoError(422, "FUTURE_DATE", `${label}：${v} 晚于今天（${today}）`, path);
  if (v < notBefore) throw new RepoError(422, "TOO_EARLY", `${label}：${v} 早于 ${notBefore}`, path);
  return v;
}

// ─── 告知承诺核查 ─────────────────────────────────────────────────────────────────────────────

export async function listVerifications(store: RepoStore, filter: { open?: boolean; limit: number; offset: number }, a: LoopActor, today: string = todayInChina()) {
  const mine = a.role === "officer" ? { OR: [{ departmentId: a.departmentId! }, { decision: { bureauId: a.departmentId! } }] } : {};
  const where = { ...mine, ...(filter.open ? { outcome: null } : {}) };
  const [total, rows] = await Promise.all([store.prisma.verification.count({ where }), store.prisma.verification.findMany({ where, include: verificationInclude, orderBy: { id: "asc" }, take: filter.limit, skip: filter.offset })]);
  return { total, items: rows.map((r) => verificationView(r, today)) };
}

export async function getVerification(store: RepoStore, id: number, a: LoopActor, today: string = todayInChina()) {
  const v = await store.prisma.verification.findUnique({ where: { id }, include: verificationInclude });
  if (!v) throw new RepoError(404, "NOT_FOUND", `核查 ${id} 不存在`);
  assertParty(a, [v.departmentId, v.decision.bureauId], "该核查");
  return verificationView(v, today);
}

/**
 * The verifying department records the outcome (承诺属实 / 不属实 / 未履行承诺) and findings; the
 * task is done; the outcome is fed back to the bureau (it reads it at once, and the audit entry
 * records the feedback). Once recorded it cannot change.
 */
export async function recordVerification(store: RepoStore, id: number, input: { outcome: string; findings?: string | null; checkedOn: string }, a: LoopActor, today: string = todayInChina()) {
  const outcome = valueOf(VERIFICATION_OUTCOME_LABELS, String(input.outcome ?? ""));
  if (!outcome) throw new RepoError(400, "VALIDATION_FAILED", `outcome：核查结果须为 true（承诺属实）、false（承诺不属实）或 unfulfilled（未履行承诺），收到 ${JSON.stringify(input.outcome)}`, "outcome");
  const settings = await loopSettingsFor(store);
  await inTransaction(store, async (tx) => {
    const v = await tx.verification.findUnique({ where: { id }, include: { decision: true, task: true } });
    if (!v) throw new RepoError(404, "NOT_FOUND", `核查 ${id} 不存在`);
    assertActsFor(a, v.departmentId, "录入本部门的核查结果");
    if (v.outcome) throw new RepoError(409, "ALREADY_RECORDED", `核查 ${id} 的结果已录入，不能更改`);
    if (v.task.status === "cancelled") throw new RepoError(409, "TASK_CANCELLED", `核查任务 ${v.task.taskNo} 已取消`);
    const checkedOn = checkDay(input.checkedOn, "checkedOn", v.decision.decidedOn, today);
    const findings = input.findings == null || input.findings.trim() === "" ? null : checkText(input.findings, "findings", 4000);
    if (outcome !== "true" && !findings) throw new RepoError(400, "VALIDATION_FAILED", "findings：承诺不属实或未履行承诺时须写明核查发现", "findings");
    const now = new Date();
    const published = publishesOutcome(settings, v.decision.approvalCode, outcome);
    await tx.verification.update({ where: { id }, data: { outcome, findings, checkedOn, recordedAt: now, recordedBy: a.userId, publishedAt: published ? now : null } });
    await tx.task.update({ where: { id: v.taskId }, data: { status: "done" } });
    const late = v.dueOn !== null && checkedOn > v.dueOn;
    return {
      value: null,
      audit: [
        { actor: loopActorString(a), action: "verification.record", subject: `verification:${id}`, payload: { decisionId: v.decisionId, taskNo: v.task.taskNo, outcome, checkedOn, dueOn: v.dueOn, late, published } },
        { actor: loopActorString(a), action: "verification.feedback", subject: `verification:${id}`, payload: { to: `department:${v.decision.bureauId}`, outcome } },
      ],
    };
  });
  return getVerification(store, id, a, today);
}

/** A published 告知承诺 verification outcome (核查结果公示): only what may be public. */
export interface PublicVerification {
  id: number;
  entityName: string;
  entityCode: string;
  approvalCode: string;
  approvalItem: string;
  decidedOn: string;
  outcome: string;
  outcomeLabel: string;
  checkedOn: string;
  department: string;
  bureau: string;
  publishedAt: string;
}

/**
 * The published outcomes, newest publication first, optionally of one entity (统一社会信用代码).
 * Read field by field: findings, the decision's commitment text, the task, 函告 and every person
 * stay out.
 */
export async function listPublishedVerifications(store: RepoStore, q: { code?: string; limit: number; offset: number }): Promise<PublicVerification[]> {
  const rows = await store.prisma.verification.findMany({
    where: { publishedAt: { not: null }, ...(q.code ? { decision: { entity: { code: q.code } } } : {}) },
    orderBy: [{ publishedAt: "desc" }, { id: "desc" }],
    take: q.limit,
    skip: q.offset,
    select: {
      id: true,
      outcome: true,
      checkedOn: true,
      publishedAt: true,
      department: { select: { name: true } },
      decision: { select: { approvalCode: true, approvalName: true, decidedOn: true, entity: { select: { name: true, code: true } }, bureau: { select: { name: true } } } },
    },
  });
  return rows.map((r) => ({
    id: r.id,
    entityName: r.decision.entity.name,
    entityCode: r.decision.entity.code,
    approvalCode: r.decision.approvalCode,
    approvalItem: r.decision.approvalName,
    decidedOn: r.decision.decidedOn,
    outcome: r.outcome!,
    outcomeLabel: VERIFICATION_OUTCOME_LABELS[r.outcome as keyof typeof VERIFICATION_OUTCOME_LABELS] ?? r.outcome!,
    checkedOn: r.checkedOn!,
    department: r.department.name,
    bureau: r.decision.bureau.name,
    publishedAt: r.publishedAt!.toISOString(),
  }));
}

// ─── 函告 → 复核 → 反馈 → 后续监管 ─────────────────────────────────────────────────────────────

export async function sendDispute(store: RepoStore, input: { decisionId: number; kind: string; letterNo?: string | null; letter: string; verificationId?: number | null }, a: LoopActor, today: string = todayInChina()) {
  if (a.role !== "officer") throw new RepoError(403, "FORBIDDEN", "函告由监管部门的执法人员发出");
  const kind = valueOf(DISPUTE_KIND_LABELS, String(input.kind ?? ""));
  if (!kind) throw new RepoError(400, "VALIDATION_FAILED", `kind：函告事由须为 dispute（对审批结果有异议）、falseCommitment（虚假承诺）、forgedMaterials（材料造假）或 brokenCommitment（违反承诺），收到 ${JSON.stringify(input.kind)}`, "kind");
  const letter = checkText(input.letter, "letter", 8000, 2);
  const cal = await calendarFor(store);
  const settings = await loopSettingsFor(store);
  const id = await inTransaction(store, async (tx) => {
    const d = await tx.approvalDecision.findUnique({ where: { id: input.decisionId }, include: { pushes: true } });
    if (!d) throw new RepoError(404, "NOT_FOUND", `审批决定 ${input.decisionId} 不存在`);
    if (!d.pushes.some((p) => p.departmentId === a.departmentId)) throw new RepoError(403, "FORBIDDEN", "该审批决定未推送给本部门，不能函告");
    if (input.verificationId != null) {
      const v = await tx.verification.findUnique({ where: { id: input.verificationId } });
      if (!v || v.decisionId !== d.id || v.departmentId !== a.departmentId) throw new RepoError(422, "UNKNOWN_VERIFICATION", `verificationId：核查 ${input.verificationId} 不是本部门对该决定的核查`, "verificationId");
    }
    const reviewDueOn = workingDayDeadline(cal, today, settings.reviewWorkingDays);
    const row = await tx.dispute.create({
      data: { decisionId: d.id, departmentId: a.departmentId!, verificationId: input.verificationId ?? null, kind, letterNo: input.letterNo?.trim() || null, letter, sentAt: new Date(), sentOn: today, sentBy: a.userId, reviewDueOn },
    });
    return { value: row.id, audit: { actor: loopActorString(a), action: "dispute.send", subject: `dispute:${row.id}`, payload: { decisionId: d.id, to: `department:${d.bureauId}`, kind, letterNo: row.letterNo, reviewDueOn } } };
  });
  return getDispute(store, id, a, today);
}

export async function getDispute(store: RepoStore, id: number, a: LoopActor, today: string = todayInChina()) {
  const r = await store.prisma.dispute.findUnique({ where: { id }, include: disputeInclude });
  if (!r) throw new RepoError(404, "NOT_FOUND", `函告 ${id} 不存在`);
  assertParty(a, [r.departmentId, r.decision.bureauId], "该函告");
  return disputeView(r, today);
}

export async function listDisputes(store: RepoStore, filter: { state?: string; limit: number; offset: number }, a: LoopActor, today: string = todayInChina()) {
  const mine = a.role === "officer" ? { OR: [{ departmentId: a.departmentId! }, { decision: { bureauId: a.departmentId! } }] } : {};
  const state = filter.state === "sent" ? { reviewedAt: null } : filter.state === "reviewed" ? { reviewedAt: { not: null }, feedbackAckAt: null } : filter.state === "closed" ? { feedbackAckAt: { not: null } } : {};
  const where = { ...mine, ...state };
  const [total, rows] = await Promise.all([store.prisma.dispute.count({ where }), store.prisma.dispute.findMany({ where, include: disputeInclude, orderBy: { id: "asc" }, take: filter.limit, skip: filter.offset })]);
  return { total, items: rows.map((r) => disputeView(r, today)) };
}

/** 复核 by the bureau that decided: outcome and note, fed back to the department with a deadline to acknowledge. */
export async function reviewDispute(store: RepoStore, id: number, input: { outcome: string; note: string }, a: LoopActor, today: string = todayInChina()) {
  const outcome = valueOf(REVIEW_OUTCOME_LABELS, String(input.outcome ?? ""));
  if (!outcome) throw new RepoError(400, "VALIDATION_FAILED", `outcome：复核结果须为 maintain（维持）、revoke（撤销）、rectify（责令整改）或 dispose（依法处置），收到 ${JSON.stringify(input.outcome)}`, "outcome");
  const note = checkText(input.note, "note", 8000, 2);
  const cal = await calendarFor(store);
  const settings = await loopSettingsFor(store);
  await inTransaction(store, async (tx) => {
    const r = await tx.dispute.findUnique({ where: { id }, include: { decision: true } });
    if (!r) throw new RepoError(404, "NOT_FOUND", `函告 ${id} 不存在`);
    assertParty(a, [r.departmentId, r.decision.bureauId], "该函告");
    const by = a.role === "admin" || a.departmentId === r.decision.bureauId ? "bureau" : a.departmentId === r.departmentId ? "department" : "other";
    try {
      disputeTransition(disputeState(r), { type: "review", by });
    } catch (e) {
      const le = e as { status: number; code: string; message: string };
      throw new RepoError(le.status, le.code, le.message);
    }
    const feedbackDueOn = workingDayDeadline(cal, today, settings.feedbackWorkingDays);
    await tx.dispute.update({ where: { id }, data: { outcome, reviewNote: note, reviewedAt: new Date(), reviewedOn: today, reviewedBy: a.userId, feedbackDueOn } });
    return {
      value: null,
      audit: [
        { actor: loopActorString(a), action: "dispute.review", subject: `dispute:${id}`, payload: { outcome, reviewedOn: today, reviewDueOn: r.reviewDueOn, late: r.reviewDueOn !== null && today > r.reviewDueOn } },
        { actor: loopActorString(a), action: "dispute.feedback", subject: `dispute:${id}`, payload: { to: `department:${r.departmentId}`, outcome, feedbackDueOn } },
      ],
    };
  });
  return getDispute(store, id, a, today);
}

/**
 * The department acknowledges the 复核 outcome; where supervision remains (撤销, 责令整改, 依法处置)
 * the follow-up becomes a directed task (复核后续监管) with a window of the configured working days.
 */
export async function acknowledgeDispute(store: RepoStore, id: number, input: { itemIds?: number[] }, a: LoopActor, today: string = todayInChina()) {
  const cal = await calendarFor(store);
  const settings = await loopSettingsFor(store);
  await inTransaction(store, async (tx) => {
    const r = await tx.dispute.findUnique({ where: { id }, include: { decision: true, department: true } });
    if (!r) throw new RepoError(404, "NOT_FOUND", `函告 ${id} 不存在`);
    assertParty(a, [r.departmentId, r.decision.bureauId], "该函告");
    const by = a.role === "officer" && a.departmentId === r.departmentId ? "department" : a.role === "officer" && a.departmentId === r.decision.bureauId ? "bureau" : a.role === "admin" ? "department" : "other";
    try {
      disputeTransition(disputeState(r), { type: "acknowledge", by });
    } catch (e) {
      const le = e as { status: number; code: string; message: string };
      throw new RepoError(le.status, le.code, le.message);
    }
    let followUpTaskId: number | null = null;
    if (needsFollowUp(r.outcome as ReviewOutcome)) {
      const itemIds = input.itemIds ?? [];
      if (itemIds.length) {
        const items = await tx.inspectionItem.findMany({ where: { id: { in: itemIds } } });
        for (const i of itemIds) if (items.find((x) => x.id === i)?.departmentId !== r.departmentId) throw new RepoError(422, "FOREIGN_ITEM", `itemIds：检查事项 ${i} 不在本部门的抽查事项清单中`, "itemIds");
      }
      const to = workingDayDeadline(cal, today, settings.followUpWorkingDays) ?? addDays(today, Math.ceil((settings.followUpWorkingDays * 7) / 5));
      const spec = followUpTask({ entityId: r.decision.entityId, departmentId: r.departmentId, itemIds, disputeId: r.id, kind: r.kind as DisputeKind, outcome: r.outcome as ReviewOutcome, decisionNo: r.decision.decisionNo, from: today, to });
      const t = await tx.task.create({ data: { taskNo: `FC-${r.department.code}-${r.id}`, entityId: spec.entityId, departmentId: spec.departmentId, kind: "directed", directedKind: spec.directedKind, directedReason: spec.reason, windowStart: spec.windowStart, windowEnd: spec.windowEnd } });
      if (spec.itemIds.length) await tx.taskItem.createMany({ data: spec.itemIds.map((itemId) => ({ taskId: t.id, itemId })) });
      followUpTaskId = t.id;
    }
    await tx.dispute.update({ where: { id }, data: { feedbackAckAt: new Date(), feedbackAckOn: today, feedbackAckBy: a.userId, followUpTaskId } });
    return { value: null, audit: { actor: loopActorString(a), action: "dispute.acknowledge", subject: `dispute:${id}`, payload: { on: today, feedbackDueOn: r.feedbackDueOn, late: r.feedbackDueOn !== null && today > r.feedbackDueOn, followUpTaskId } } };
  });
  return getDispute(store, id, a, today);
}

// ─── 风险预警 ─────────────────────────────────────────────────────────────────────────────────

export interface AlertInput {
  externalId: string;
  source: string;
  entityCode: string;
  departmentId: number;
  category: string;
  level: string;
  detail: string;
  raisedOn: string;
}

/**
 * Alerts of the 互联网+监管 system (pushed or imported) become directed tasks of the responsible
 * department, due within the working days of their level. All or nothing; a resend with the same
 * 预警编号 is recognised and left as it is.
 */
/**
 * How a problem names an alert's field: `alerts[i].field` for the API; a file import passes the
 * sheet's row and column (第 N 行“预警日期”, field `第 N 行.raisedOn`).
 */
export type AlertFieldNames = (i: number, field: keyof AlertInput) => { label: string; path: string };
const apiAlertField: AlertFieldNames = (i, n) => ({ label: `alerts[${i}].${n}`, path: `alerts[${i}].${n}` });

export async function receiveAlerts(store: RepoStore, alerts: AlertInput[], a: LoopActor, today: string = todayInChina(), names: AlertFieldNames = apiAlertField) {
  const cal = await calendarFor(store);
  const settings = await loopSettingsFor(store);
  return inTransaction(store, async (tx) => {
    const out = { received: 0, unchanged: 0, alerts: [] as { externalId: string; id: number; taskId: number; status: "received" | "unchanged" }[] };
    const depts = new Map((await tx.department.findMany()).map((d) => [d.id, d]));
    for (const [i, raw] of alerts.entries()) {
      const f = (n: keyof AlertInput) => names(i, n);
      const externalId = checkText(raw.externalId, f("externalId"), 100);
      const prior = await tx.riskAlert.findUnique({ where: { externalId } });
      if (prior) {
        out.unchanged++;
        out.alerts.push({ externalId, id: prior.id, taskId: prior.taskId, status: "unchanged" });
        continue;
      }
      const level = valueOf(ALERT_LEVEL_LABELS, String(raw.level ?? ""), { 高风险: "high", 中风险: "medium", 低风险: "low" } as Record<string, AlertLevel>);
      if (!level) throw new RepoError(400, "VALIDATION_FAILED", `${f("level").label}：预警等级须为 high（高）、medium（中）或 low（低），收到 ${JSON.stringify(raw.level)}`, f("level").path);
      const d = depts.get(raw.departmentId);
      if (!d || d.kind !== "supervision") throw new RepoError(422, "NOT_A_SUPERVISING_DEPARTMENT", `${f("departmentId").label}：部门 ${d ? d.name : raw.departmentId} 不是行业监管部门`, f("departmentId").path);
      if (a.role === "officer" && a.departmentId !== d.id) throw new RepoError(403, "FORBIDDEN", `${f("departmentId").label}：执法人员只能接收本部门的预警`);
      const entity = await tx.entity.findUnique({ where: { code: String(raw.entityCode ?? "").trim().toUpperCase() } });
      if (!entity) throw new RepoError(422, "UNKNOWN_ENTITY", `${f("entityCode").label}：市场主体 ${raw.entityCode} 不在名录中`, f("entityCode").path);
      const raisedOn = checkDay(raw.raisedOn, f("raisedOn"), "1900-01-01", today);
      const source = checkText(raw.source, f("source"), 100);
      const category = checkText(raw.category, f("category"), 200);
      const detail = checkText(raw.detail, f("detail"), 8000);
      const workingDays = settings.alertWorkingDays[level];
      const dueOn = workingDayDeadline(cal, today, workingDays);
      const spec = alertTask({ entityId: entity.id, departmentId: d.id, externalId, category, receivedOn: today, dueOn, fallbackEnd: addDays(today, Math.ceil((workingDays * 7) / 5)) });
      const t = await tx.task.create({ data: { taskNo: `YJ-${d.code}-${createHash("sha256").update(externalId).digest("hex").slice(0, 12)}`, entityId: entity.id, departmentId: d.id, kind: "directed", directedKind: spec.directedKind, directedReason: spec.reason, windowStart: spec.windowStart, windowEnd: spec.windowEnd } });
      const row = await tx.riskAlert.create({ data: { externalId, source, entityId: entity.id, departmentId: d.id, category, level, detail, raisedOn, receivedAt: new Date(), receivedOn: today, workingDays, dueOn, taskId: t.id } });
      out.received++;
      out.alerts.push({ externalId, id: row.id, taskId: t.id, status: "received" });
    }
    return { value: out, audit: { actor: loopActorString(a), action: "alert.receive", subject: "alerts", payload: { received: out.received, unchanged: out.unchanged, alerts: out.alerts.filter((x) => x.status === "received").map((x) => [x.id, x.externalId, x.taskId]) } } };
  });
}

export async function getAlert(store: RepoStore, id: number, a: LoopActor, today: string = todayInChina()) {
  const r = await store.prisma.riskAlert.findUnique({ where: { id }, include: alertInclude });
  if (!r) throw new RepoError(404, "NOT_FOUND", `预警 ${id} 不存在`);
  assertParty(a, [r.departmentId], "该预警");
  return alertView(r, today);
}

export async function listAlerts(store: RepoStore, filter: { open?: boolean; limit: number; offset: number }, a: LoopActor, today: string = todayInChina()) {
  const where = { ...(a.role === "officer" ? { departmentId: a.departmentId! } : {}), ...(filter.open ? { handledAt: null } : {}) };
  const [total, rows] = await Promise.all([store.prisma.riskAlert.count({ where }), store.prisma.riskAlert.findMany({ where, include: alertInclude, orderBy: { id: "asc" }, take: filter.limit, skip: filter.offset })]);
  return { total, items: rows.map((r) => alertView(r, today)) };
}

/** 及时反馈处理结果: the department records how it handled the alert; the task is done. */
export async function answerAlert(store: RepoStore, id: number, input: { handling: string; feedback: string; handledOn?: string }, a: LoopActor, today: string = todayInChina()) {
  const handling = valueOf(ALERT_HANDLING_LABELS, String(input.handling ?? ""));
  if (!handling) throw new RepoError(400, "VALIDATION_FAILED", "handling：处置结果须为 confirmed、rectified、dismissed 或 referred", "handling");
  const feedback = checkText(input.feedback, "feedback", 8000, 2);
  await inTransaction(store, async (tx) => {
    const r = await tx.riskAlert.findUnique({ where: { id } });
    if (!r) throw new RepoError(404, "NOT_FOUND", `预警 ${id} 不存在`);
    assertActsFor(a, r.departmentId, "反馈本部门预警的处置结果");
    if (r.handledAt) throw new RepoError(409, "ALREADY_ANSWERED", `预警 ${id} 已反馈处置结果`);
    const handledOn = checkDay(input.handledOn ?? today, "handledOn", r.receivedOn, today);
    await tx.riskAlert.update({ where: { id }, data: { handling, feedback, handledAt: new Date(), handledOn, handledBy: a.userId } });
    await tx.task.update({ where: { id: r.taskId }, data: { status: "done" } });
    return { value: null, audit: { actor: loopActorString(a), action: "alert.answer", subject: `alert:${id}`, payload: { externalId: r.externalId, handling, handledOn, dueOn: r.dueOn, late: r.dueOn !== null && handledOn > r.dueOn } } };
  });
  return getAlert(store, id, a, today);
}

// ─── 未履职、慢履职: the overdue list ────────────────────────────────────────────────────────────

export interface OverdueEntry {
  kind: StepKind;
  kindLabel: string;
  /** What the step is about: `push:12`, `verification:3`, `dispute:4`, `alert:9`. */
  subject: string;
  /** The department that owes the step. */
  departmentId: number;
  dueOn: string | null;
  doneOn: string | null;
  status: StepStatus;
  statusLabel: string;
  decisionNo: string | null;
  entityCode: string;
}

/**
 * Every step that is overdue (逾期未办), done late (逾期办结) or without a deadline (期限未定), of the
 * departments the actor may see (an officer: the steps their department owes), oldest deadline first.
 */
export async function overdueList(store: RepoStore, filter: { departmentId?: number; limit: number; offset: number }, a: LoopActor, today: string = todayInChina()) {
  if (a.role === "officer" && filter.departmentId !== undefined && filter.departmentId !== a.departmentId) throw new RepoError(403, "FORBIDDEN", "执法人员只能查看本部门的逾期事项");
  const dep = a.role === "officer" ? a.departmentId! : filter.departmentId;
  const p = store.prisma;
  const lateOrOpen = (doneNull: object, lateCmp: object): object => ({ OR: [doneNull, lateCmp] });
  const out: OverdueEntry[] = [];
  const add = (kind: StepKind, subject: string, departmentId: number, dueOn: string | null, doneOn: string | null, decisionNo: string | null, entityCode: string) => {
    const status = classifyStep({ dueOn, doneOn }, today);
    if (needsAttention(status)) out.push({ kind, kindLabel: STEP_KIND_LABELS[kind], subject, departmentId, dueOn, doneOn, status, statusLabel: STEP_STATUS_LABELS[status], decisionNo, entityCode });
  };
  const pushes = await p.decisionPush.findMany({
    where: { ...(dep ? { departmentId: dep } : {}), ...lateOrOpen({ acknowledgedOn: null, OR: [{ dueOn: null }, { dueOn: { lt: today } }] }, { acknowledgedOn: { gt: p.decisionPush.fields.dueOn } }) },
    include: { decision: { select: { decisionNo: true, entity: { select: { code: true } } } } },
  });
  for (const r of pushes) add("acknowledge", `push:${r.id}`, r.departmentId, r.dueOn, r.acknowledgedOn, r.decision.decisionNo, r.decision.entity.code);
  const verifs = await p.verification.findMany({
    where: { ...(dep ? { departmentId: dep } : {}), ...lateOrOpen({ checkedOn: null, OR: [{ dueOn: null }, { dueOn: { lt: today } }] }, { checkedOn: { gt: p.verification.fields.dueOn } }) },
    include: { decision: { select: { decisionNo: true, entity: { select: { code: true } } } } },
  });
  for (const r of verifs) add("verify", `verification:${r.id}`, r.departmentId, r.dueOn, r.checkedOn, r.decision.decisionNo, r.decision.entity.code);
  const disputes = await p.dispute.findMany({
    where: dep ? { OR: [{ departmentId: dep }, { decision: { bureauId: dep } }] } : {},
    include: { decision: { select: { decisionNo: true, bureauId: true, entity: { select: { code: true } } } } },
  });
  for (const r of disputes) {
    if (!dep || r.decision.bureauId === dep) add("review", `dispute:${r.id}`, r.decision.bureauId, r.reviewDueOn, r.reviewedOn, r.decision.decisionNo, r.decision.entity.code);
    if (r.reviewedAt && (!dep || r.departmentId === dep)) add("feedbackAck", `dispute:${r.id}`, r.departmentId, r.feedbackDueOn, r.feedbackAckOn, r.decision.decisionNo, r.decision.entity.code);
  }
  const alerts = await p.riskAlert.findMany({
    where: { ...(dep ? { departmentId: dep } : {}), ...lateOrOpen({ handledOn: null, OR: [{ dueOn: null }, { dueOn: { lt: today } }] }, { handledOn: { gt: p.riskAlert.fields.dueOn } }) },
    include: { entity: { select: { code: true } } },
  });
  for (const r of alerts) add("alert", `alert:${r.id}`, r.departmentId, r.dueOn, r.handledOn, null, r.entity.code);
  out.sort((x, y) => (x.dueOn ?? "0000") < (y.dueOn ?? "0000") ? -1 : (x.dueOn ?? "0000") > (y.dueOn ?? "0000") ? 1 : x.subject < y.subject ? -1 : 1);
  return { total: out.length, items: out.slice(filter.offset, filter.offset + filter.limit) };
}

// ─── statistics ─────────────────────────────────────────────────────────────────────────────

/** The loop's statistics of a year (figures of 督查考核: not private, readable by every role). */
export async function loopStatistics(store: RepoStore, year: number, today: string = todayInChina()) {
  const p = store.prisma;
  const from = `${year}-01-01`, to = `${year}-12-31`;
  const [pushes, verifs, disputes, alerts, visits, caps, depts] = await Promise.all([
    p.decisionPush.findMany({ where: { pushedOn: { gte: from, lte: to } }, select: { departmentId: true, dueOn: true, acknowledgedOn: true } }),
    p.verification.findMany({ where: { nominalDueOn: { gte: from } , decision: { decidedOn: { gte: from, lte: to } } }, select: { departmentId: true, dueOn: true, checkedOn: true, outcome: true } }),
    p.dispute.findMany({ where: { sentOn: { gte: from, lte: to } }, select: { departmentId: true, reviewDueOn: true, reviewedOn: true, kind: true, outcome: true, decision: { select: { bureauId: true } } } }),
    p.riskAlert.findMany({ where: { receivedOn: { gte: from, lte: to } }, select: { departmentId: true, dueOn: true, handledOn: true, handling: true } }),
    p.jointCheck.findMany({ where: { day: { gte: from, lte: to }, status: { not: "cancelled" } }, select: { entityId: true, tasks: { select: { task: { select: { departmentId: true } } } } } }),
    p.frequencyCap.findMany({ where: { planId: null }, select: { maxPerYear: true } }),
    p.department.findMany({ select: { id: true, code: true, name: true, level: true, kind: true } }),
  ]);
  const cap = caps.length ? Math.min(...caps.map((c) => c.maxPerYear)) : null;
  const s = loopStats({
    today,
    pushes: pushes.map((r) => ({ departmentId: r.departmentId, dueOn: r.dueOn, doneOn: r.acknowledgedOn })),
    verifications: verifs.map((r) => ({ departmentId: r.departmentId, dueOn: r.dueOn, doneOn: r.checkedOn, outcome: r.outcome as never })),
    disputes: disputes.map((r) => ({ departmentId: r.departmentId, dueOn: r.reviewDueOn, doneOn: r.reviewedOn, kind: r.kind as never, outcome: r.outcome as never, bureauId: r.decision.bureauId })),
    alerts: alerts.map((r) => ({ departmentId: r.departmentId, dueOn: r.dueOn, doneOn: r.handledOn, handling: r.handling as never })),
    visits: visits.map((v) => ({ entityId: v.entityId, departmentIds: v.tasks.map((t) => t.task.departmentId), tasks: v.tasks.length })),
    maxChecksPerYear: cap ?? Number.MAX_SAFE_INTEGER,
  });
  const byId = new Map(depts.map((d) => [d.id, d]));
  return {
    year,
    today,
    departments: s.departments.map((d) => ({ ...d, department: byId.get(d.departmentId)! })),
    visits: { ...s.visits, maxChecksPerYear: cap, entitiesOverCap: cap === null ? null : s.visits.entitiesOverCap },
  };
}

// ─── 进一次门、查多项事: directed tasks into the schedule ───────────────────────────────────────

/** `f` over `ids` in slices of 500 (Prisma bounds the parameters of one statement, SQLite below 1,000), results concatenated. */
async function chunked<T>(ids: readonly number[], f: (slice: number[]) => Promise<T[]>, size = 500): Promise<T[]> {
  const out: T[] = [];
  for (let k = 0; k < ids.length; k += size) for (const r of await f(ids.slice(k, k + size))) out.push(r);
  return out;
}

/**
 * Places the open directed tasks of the loop (告知承诺核查, 风险预警, 复核后续监管) whose window meets
 * [from, to] on visits: onto a visit already planned on the entity where a day fits (its day and
 * team unchanged, the team extended by the task's department when needed), else onto new visits
 * with officers of the task's department. The optimizer's run is stored (instance digest, seed =
 * that digest, schedule) and the change audited. An officer schedules their department's tasks.
 */
export async function scheduleLoopTasks(store: RepoStore, input: { from: string; to: string; departmentId?: number }, a: LoopActor) {
  if (!isIsoDate(input.from) || !isIsoDate(input.to)) throw new RepoError(400, "INVALID_DATE", "from/to：日期格式应为 YYYY-MM-DD", "from");
  if (input.to < input.from) throw new RepoError(422, "INVALID_WINDOW", `排期区间的结束日期（${input.to}）早于开始日期（${input.from}）`, "to");
  if (a.role === "officer" && input.departmentId !== undefined && input.departmentId !== a.departmentId) throw new RepoError(403, "FORBIDDEN", "执法人员只能为本部门的任务排期");
  const dep = a.role === "officer" ? a.departmentId! : input.departmentId;
  const cal = await calendarFor(store);
  const days = workingDaysInRange(cal, input.from, input.to);
  const daily = ((await getConfig(store, "optimizer")) as { dailyCapacity?: number } | undefined)?.dailyCapacity ?? DEFAULT_DAILY_CAPACITY;
  return inTransaction(
    store,
    async (tx) => {
      // Plain rows first, relations in slices: an include would send every task id in one statement.
      const candidates = await tx.task.findMany({
        where: { kind: "directed", directedKind: { in: [...LOOP_DIRECTED_KINDS] }, status: { in: ["open", "scheduled"] }, windowStart: { lte: input.to }, windowEnd: { gte: input.from }, ...(dep ? { departmentId: dep } : {}) },
        select: { id: true, taskNo: true, entityId: true, departmentId: true, windowStart: true, windowEnd: true },
        orderBy: { id: "asc" },
      });
      // A task is open when it is on no live visit (a re-planned batch cancels its visits).
      const live = new Set(
        (await chunked(candidates.map((t) => t.id), (ids) => tx.jointCheckTask.findMany({ where: { taskId: { in: ids }, jointCheck: { status: { not: "cancelled" } } }, select: { taskId: true } }))).map((r) => r.taskId),
      );
      const openRows = candidates.filter((t) => !live.has(t.id));
      if (openRows.length === 0) return { value: { runId: null as number | null, tasks: 0, joined: 0, created: 0, unscheduled: [] as { taskId: number; taskNo: string; reason: string }[] }, audit: [] as AuditEntry[] };
      const entityById = new Map(
        (await chunked([...new Set(openRows.map((t) => t.entityId))], (ids) => tx.entity.findMany({ where: { id: { in: ids } }, select: { id: true, code: true, districtCode: true } }))).map((e) => [e.id, e]),
      );
      const deptById = new Map((await tx.department.findMany({ select: { id: true, code: true } })).map((d) => [d.id, d]));
      const itemsOf = new Map<number, { itemId: number }[]>();
      for (const r of await chunked(openRows.map((t) => t.id), (ids) => tx.taskItem.findMany({ where: { taskId: { in: ids } } }))) itemsOf.set(r.taskId, [...(itemsOf.get(r.taskId) ?? []), { itemId: r.itemId }]);
      const open = openRows.map((t) => ({ ...t, entity: entityById.get(t.entityId)!, department: deptById.get(t.departmentId)!, items: itemsOf.get(t.id) ?? [] }));
      const entityIds = [...new Set(open.map((t) => t.entityId))];
      const planned = (
        await chunked(entityIds, (ids) =>
          tx.jointCheck.findMany({ where: { entityId: { in: ids }, status: "planned", day: { gte: input.from, lte: input.to } }, include: { entity: true, team: { include: { inspector: { include: { department: true } } } } } }),
        )
      ).sort((x, y) => x.id - y.id);
      const deptIds = [...new Set(open.map((t) => t.departmentId))];
      const onVisits = planned.flatMap((v) => v.team.filter((m) => m.role === "officer" && m.inspector).map((m) => m.inspector!.id));
      const inspectorById = new Map<number, Awaited<ReturnType<typeof tx.inspector.findMany<{ include: { department: true } }>>>[number]>();
      for (const i of await tx.inspector.findMany({ where: { departmentId: { in: deptIds }, active: true }, include: { department: true } })) inspectorById.set(i.id, i);
      const missing = [...new Set(onVisits)].filter((id) => !inspectorById.has(id));
      for (const i of await chunked(missing, (ids) => tx.inspector.findMany({ where: { id: { in: ids } }, include: { department: true } }))) inspectorById.set(i.id, i);
      const inspectors = [...inspectorById.values()].sort((x, y) => x.id - y.id);
      const inInstance = new Set(planned.map((v) => v.id));
      const busyRows = (
        await chunked(
          inspectors.map((i) => i.id),
          (ids) => tx.teamMember.findMany({ where: { inspectorId: { in: ids }, jointCheck: { status: "planned", day: { gte: input.from, lte: input.to } } }, select: { inspectorId: true, jointCheckId: true, jointCheck: { select: { day: true } } } }),
        )
      ).filter((b) => !inInstance.has(b.jointCheckId));
      const certOf = new Map(inspectors.map((i) => [i.id, i.certificateNo]));
      const busy = new Map<string, number>();
      for (const b of busyRows) {
        const k = `${certOf.get(b.inspectorId!)}\u0000${b.jointCheck.day}`;
        busy.set(k, (busy.get(k) ?? 0) + 1);
      }
      const known = new Set(inspectors.map((i) => i.id));
      const recusals = (await chunked(entityIds, (ids) => tx.recusal.findMany({ where: { entityId: { in: ids } }, include: { entity: { select: { code: true } } } }))).filter((r) => known.has(r.inspectorId));
      const m: MergeInput = {
        days,
        tasks: open.map((t) => ({ taskId: t.id, entityCode: t.entity.code, district: t.entity.districtCode, departmentCode: t.department.code, windowStart: t.windowStart < input.from ? input.from : t.windowStart, windowEnd: t.windowEnd > input.to ? input.to : t.windowEnd, itemIds: t.items.map((i) => i.itemId) })),
        visits: planned.map((v) => ({ jointCheckId: v.id, entityCode: v.entity.code, district: v.entity.districtCode, day: v.day, officers: v.team.filter((x) => x.role === "officer" && x.inspector).map((x) => ({ certificateNo: x.inspector!.certificateNo, departmentCode: x.inspector!.department.code })) })),
        inspectors: inspectors.map((i) => ({ certificateNo: i.certificateNo, departmentCode: i.department.code, districts: asArray(i.districts), qualifications: asArray(i.qualifications), unavailable: asArray(i.unavailable ?? []) })),
        recusals: recusals.map((r) => ({ certificateNo: certOf.get(r.inspectorId)!, entityCode: r.entity.code })),
        dailyCapacity: daily,
        busy,
      };
      const instance = mergeInstance(m);
      const { schedule, runId, instanceDigest } = await solveAndRecord(tx, instance);
      const merged = readMerge(m, schedule);
      const byId = new Map(open.map((t) => [t.id, t]));
      const inspectorByCert = new Map(inspectors.map((i) => [i.certificateNo, i]));
      const scheduled: number[] = [];
      for (const j of merged.joined) {
        await tx.jointCheckTask.createMany({ data: j.taskIds.map((id) => ({ jointCheckId: j.jointCheckId, taskId: id, entityId: byId.get(id)!.entityId })) });
        if (j.addOfficers.length) await tx.teamMember.createMany({ data: j.addOfficers.map((c) => ({ jointCheckId: j.jointCheckId, role: "officer", departmentId: inspectorByCert.get(c)!.departmentId, inspectorId: inspectorByCert.get(c)!.id })) });
        scheduled.push(...j.taskIds);
      }
      for (const c of merged.created) {
        const entityId = byId.get(c.taskIds[0]!)!.entityId;
        const jc = await tx.jointCheck.create({ data: { entityId, day: c.day, optimizationRunId: runId } });
        await tx.jointCheckTask.createMany({ data: c.taskIds.map((id) => ({ jointCheckId: jc.id, taskId: id, entityId })) });
        await tx.teamMember.createMany({ data: c.officers.map((cert) => ({ jointCheckId: jc.id, role: "officer", departmentId: inspectorByCert.get(cert)!.departmentId, inspectorId: inspectorByCert.get(cert)!.id })) });
        scheduled.push(...c.taskIds);
      }
      await chunked(scheduled, async (ids) => [await tx.task.updateMany({ where: { id: { in: ids } }, data: { status: "scheduled" } })]);
      const value = {
        runId,
        tasks: open.length,
        joined: merged.joined.reduce((n, j) => n + j.taskIds.length, 0),
        created: merged.created.length,
        unscheduled: merged.unscheduled.map((u) => ({ taskId: u.taskId, taskNo: byId.get(u.taskId)!.taskNo, reason: u.reason })),
      };
      return {
        value,
        audit: { actor: loopActorString(a), action: "loop.schedule", subject: `optimizationRun:${runId}`, payload: { from: input.from, to: input.to, departmentId: dep ?? null, instanceDigest, tasks: value.tasks, joined: merged.joined.map((j) => [j.jointCheckId, j.taskIds, j.addOfficers.length]), created: merged.created.length, unscheduled: value.unscheduled.length } },
      };
    },
    { timeout: 10 * 60_000 },
  );
}
