/**
 * Row ↔ core translation of the approval–supervision loop (审管联动), in one pure module: database
 * rows (as Prisma returns them) into the core's plain data (src/approvals) and into the views the
 * API and the CLI show. No Prisma calls here.
 */
import {
  classifyStep,
  DECISION_KIND_LABELS,
  DECISION_OUTCOME_LABELS,
  DISPUTE_KIND_LABELS,
  disputeState,
  DISPUTE_STATE_LABELS,
  LEVEL_LABELS,
  PUSH_ROUTE_LABELS,
  REVIEW_OUTCOME_LABELS,
  STEP_STATUS_LABELS,
  VERIFICATION_OUTCOME_LABELS,
  ALERT_HANDLING_LABELS,
  ALERT_LEVEL_LABELS,
  type AlertHandling,
  type AlertLevel,
  type DecisionKind,
  type DecisionOutcome,
  type DepartmentRef,
  type DisputeKind,
  type DutyEntry,
  type Level,
  type PushedSupervision,
  type PushRoute,
  type ReviewOutcome,
  type StepStatus,
  type VerificationOutcome,
} from "../../approvals/index.ts";

export interface DepartmentRow {
  id: number;
  code: string;
  name: string;
  level: string;
  kind: string;
  districtCode: string;
  parentId: number | null;
  active: boolean;
}

export function departmentRef(r: DepartmentRow): DepartmentRef {
  return { id: r.id, code: r.code, name: r.name, level: r.level as Level, kind: r.kind as DepartmentRef["kind"], districtCode: r.districtCode, parentId: r.parentId, active: r.active };
}

export interface DutyEntryRow {
  id: number;
  approvalCode: string;
  approvalName: string;
  approvalBasis: string | null;
  supervisionCode: string | null;
  supervisionName: string;
  boundary: string | null;
  departmentId: number;
  itemId: number | null;
  forwardUp: boolean;
}

export function dutyEntryOf(r: DutyEntryRow): DutyEntry {
  return {
    id: r.id,
    approvalCode: r.approvalCode,
    approvalName: r.approvalName,
    approvalBasis: r.approvalBasis,
    supervisionCode: r.supervisionCode,
    supervisionName: r.supervisionName,
    boundary: r.boundary,
    departmentId: r.departmentId,
    itemId: r.itemId,
    forwardUp: r.forwardUp,
  };
}

/** A step's standing as the views show it. */
export interface StepView {
  dueOn: string | null;
  doneOn: string | null;
  status: StepStatus;
  statusLabel: string;
}

export function stepView(dueOn: string | null, doneOn: string | null, today: string): StepView {
  const status = classifyStep({ dueOn, doneOn }, today);
  return { dueOn, doneOn, status, statusLabel: STEP_STATUS_LABELS[status] };
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);
type DeptLite = { id: number; code: string; name: string };
const dept = (d: DeptLite) => ({ id: d.id, code: d.code, name: d.name });

export interface DutyListRow {
  id: number;
  bureauId: number;
  version: number;
  status: string;
  reason: string;
  noticeId: number | null;
  source: string;
  digest: string;
  createdAt: Date;
  supersededAt: Date | null;
  bureau: DeptLite;
}

/** A list version (public: 职责边界清单依法公开). */
export function dutyListView(r: DutyListRow, entries?: (DutyEntryRow & { department: DeptLite })[]) {
  return {
    id: r.id,
    bureau: dept(r.bureau),
    version: r.version,
    status: r.status,
    statusLabel: r.status === "current" ? "现行" : "已被新版本替代",
    reason: r.reason,
    noticeId: r.noticeId,
    source: r.source,
    digest: r.digest,
    publishedAt: r.createdAt.toISOString(),
    supersededAt: iso(r.supersededAt),
    ...(entries
      ? {
          entries: entries.map((e) => ({
            id: e.id,
            approvalCode: e.approvalCode,
            approvalName: e.approvalName,
            approvalBasis: e.approvalBasis,
            supervisionCode: e.supervisionCode,
            supervisionName: e.supervisionName,
            boundary: e.boundary,
            department: dept(e.department),
            itemId: e.itemId,
            forwardUp: e.forwardUp,
          })),
        }
      : {}),
  };
}

export interface NoticeRow {
  id: number;
  departmentId: number;
  bureauId: number;
  law: string;
  summary: string;
  effectiveOn: string | null;
  sentAt: Date;
  sentBy: number;
  status: string;
  resolutionNote: string | null;
  resolvedAt: Date | null;
  resolvedBy: number | null;
  department: DeptLite;
  bureau: DeptLite;
  revision: { id: number; version: number } | null;
}

const NOTICE_LABELS: Record<string, string> = { open: "待处理", revised: "已修订清单", noChange: "无需修订" };

export function noticeView(r: NoticeRow) {
  return {
    id: r.id,
    department: dept(r.department),
    bureau: dept(r.bureau),
    law: r.law,
    summary: r.summary,
    effectiveOn: r.effectiveOn,
    sentAt: r.sentAt.toISOString(),
    sentBy: r.sentBy,
    status: r.status,
    statusLabel: NOTICE_LABELS[r.status] ?? r.status,
    resolutionNote: r.resolutionNote,
    resolvedAt: iso(r.resolvedAt),
    revision: r.revision,
  };
}

export interface DecisionRow {
  id: number;
  bureauId: number;
  decisionNo: string;
  listId: number;
  approvalCode: string;
  approvalName: string;
  kind: string;
  decision: string;
  decidedOn: string;
  level: string;
  approvingBody: string | null;
  licenceNo: string | null;
  commitment: string | null;
  source: string;
  createdAt: Date;
  bureau: DeptLite;
  entity: { id: number; code: string; name: string; districtCode: string };
}

export function decisionView(r: DecisionRow) {
  return {
    id: r.id,
    bureau: dept(r.bureau),
    decisionNo: r.decisionNo,
    entity: { id: r.entity.id, code: r.entity.code, name: r.entity.name, districtCode: r.entity.districtCode },
    listId: r.listId,
    approvalCode: r.approvalCode,
    approvalName: r.approvalName,
    kind: r.kind as DecisionKind,
    kindLabel: DECISION_KIND_LABELS[r.kind as DecisionKind],
    decision: r.decision as DecisionOutcome,
    decisionLabel: DECISION_OUTCOME_LABELS[r.decision as DecisionOutcome],
    decidedOn: r.decidedOn,
    level: r.level as Level,
    levelLabel: LEVEL_LABELS[r.level as Level],
    approvingBody: r.approvingBody,
    licenceNo: r.licenceNo,
    commitment: r.commitment,
    source: r.source,
    recordedAt: r.createdAt.toISOString(),
  };
}

export interface PushRow {
  id: number;
  decisionId: number;
  departmentId: number;
  route: string;
  viaPushId: number | null;
  supervision: unknown;
  pushedAt: Date;
  pushedOn: string;
  workingDays: number;
  dueOn: string | null;
  acknowledgedAt: Date | null;
  acknowledgedOn: string | null;
  acknowledgedBy: number | null;
  department: DeptLite;
  decision: DecisionRow;
}

export function pushView(r: PushRow, today: string) {
  return {
    id: r.id,
    department: dept(r.department),
    route: r.route as PushRoute,
    routeLabel: PUSH_ROUTE_LABELS[r.route as PushRoute],
    viaPushId: r.viaPushId,
    supervision: r.supervision as PushedSupervision[],
    pushedAt: r.pushedAt.toISOString(),
    workingDays: r.workingDays,
    acknowledgedAt: iso(r.acknowledgedAt),
    acknowledgedBy: r.acknowledgedBy,
    step: stepView(r.dueOn, r.acknowledgedOn, today),
    decision: decisionView(r.decision),
  };
}

export interface VerificationRow {
  id: number;
  decisionId: number;
  departmentId: number;
  taskId: number;
  nominalDueOn: string;
  dueOn: string | null;
  outcome: string | null;
  findings: string | null;
  checkedOn: string | null;
  recordedAt: Date | null;
  recordedBy: number | null;
  publishedAt: Date | null;
  department: DeptLite;
  task: { id: number; taskNo: string; status: string; windowStart: string; windowEnd: string };
  decision: DecisionRow;
}

export function verificationView(r: VerificationRow, today: string) {
  return {
    id: r.id,
    department: dept(r.department),
    task: { id: r.task.id, taskNo: r.task.taskNo, status: r.task.status, windowStart: r.task.windowStart, windowEnd: r.task.windowEnd },
    nominalDueOn: r.nominalDueOn,
    step: stepView(r.dueOn, r.checkedOn, today),
    outcome: r.outcome as VerificationOutcome | null,
    outcomeLabel: r.outcome ? VERIFICATION_OUTCOME_LABELS[r.outcome as VerificationOutcome] : null,
    findings: r.findings,
    recordedAt: iso(r.recordedAt),
    recordedBy: r.recordedBy,
    /** 核查结果公示: when the outcome was published (null: not public under the rule in force when recorded). */
    publishedAt: iso(r.publishedAt),
    /** 推送同级行政审批部门: the outcome is visible to the bureau as soon as it is recorded. */
    feedbackTo: dept(r.decision.bureau),
    decision: decisionView(r.decision),
  };
}

export interface DisputeRow {
  id: number;
  decisionId: number;
  departmentId: number;
  verificationId: number | null;
  kind: string;
  letterNo: string | null;
  letter: string;
  sentAt: Date;
  sentOn: string;
  sentBy: number;
  reviewDueOn: string | null;
  outcome: string | null;
  reviewNote: string | null;
  reviewedAt: Date | null;
  reviewedOn: string | null;
  reviewedBy: number | null;
  feedbackDueOn: string | null;
  feedbackAckAt: Date | null;
  feedbackAckOn: string | null;
  feedbackAckBy: number | null;
  followUpTaskId: number | null;
  department: DeptLite;
  decision: DecisionRow;
  followUpTask: { id: number; taskNo: string; status: string; windowStart: string; windowEnd: string } | null;
}

export function disputeView(r: DisputeRow, today: string) {
  const state = disputeState(r);
  return {
    id: r.id,
    department: dept(r.department),
    kind: r.kind as DisputeKind,
    kindLabel: DISPUTE_KIND_LABELS[r.kind as DisputeKind],
    letterNo: r.letterNo,
    letter: r.letter,
    verificationId: r.verificationId,
    sentAt: r.sentAt.toISOString(),
    sentBy: r.sentBy,
    state,
    stateLabel: DISPUTE_STATE_LABELS[state],
    review: stepView(r.reviewDueOn, r.reviewedOn, today),
    outcome: r.outcome as ReviewOutcome | null,
    outcomeLabel: r.outcome ? REVIEW_OUTCOME_LABELS[r.outcome as ReviewOutcome] : null,
    reviewNote: r.reviewNote,
    reviewedAt: iso(r.reviewedAt),
    reviewedBy: r.reviewedBy,
    feedbackAck: r.reviewedAt ? stepView(r.feedbackDueOn, r.feedbackAckOn, today) : null,
    followUpTask: r.followUpTask,
    decision: decisionView(r.decision),
  };
}

export interface AlertRow {
  id: number;
  externalId: string;
  source: string;
  entityId: number;
  departmentId: number;
  category: string;
  level: string;
  detail: string;
  raisedOn: string;
  receivedAt: Date;
  receivedOn: string;
  workingDays: number;
  dueOn: string | null;
  taskId: number;
  handling: string | null;
  feedback: string | null;
  handledAt: Date | null;
  handledOn: string | null;
  handledBy: number | null;
  department: DeptLite;
  entity: { id: number; code: string; name: string };
  task: { id: number; taskNo: string; status: string; windowStart: string; windowEnd: string };
}

export function alertView(r: AlertRow, today: string) {
  return {
    id: r.id,
    externalId: r.externalId,
    source: r.source,
    entity: { id: r.entity.id, code: r.entity.code, name: r.entity.name },
    department: dept(r.department),
    category: r.category,
    level: r.level as AlertLevel,
    levelLabel: ALERT_LEVEL_LABELS[r.level as AlertLevel],
    detail: r.detail,
    raisedOn: r.raisedOn,
    receivedAt: r.receivedAt.toISOString(),
    workingDays: r.workingDays,
    task: r.task,
    step: stepView(r.dueOn, r.handledOn, today),
    handling: r.handling as AlertHandling | null,
    handlingLabel: r.handling ? ALERT_HANDLING_LABELS[r.handling as AlertHandling] : null,
    feedback: r.feedback,
    handledAt: iso(r.handledAt),
    handledBy: r.handledBy,
  };
}
