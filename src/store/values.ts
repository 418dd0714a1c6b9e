/**
 * The closed value sets of String columns. The database enforces them (CHECK constraints on
 * PostgreSQL, triggers on SQLite: see prisma/constraints.ts and docs/data-model.md); this module is
 * the single list both the migration builder and application code read. Pure data (the loop's
 * sets come from the core, src/approvals/values.ts, also pure data).
 */
import { LOOP_DIRECTED_KINDS } from "../approvals/values.ts";

export const DEPARTMENT_LEVELS = ["city", "district", "zone"] as const;
/** supervision 行业监管部门; approval 行政审批局 (grants licences after the 相对集中行政许可权 reform). */
export const DEPARTMENT_KINDS = ["supervision", "approval"] as const;
export const ITEM_METHODS = ["on-site", "written", "online"] as const;
export const ITEM_IMPORTANCE = ["key", "general"] as const;
/** uscc 统一社会信用代码; regno 15-digit 注册号; legacy a registration number of another era or kind (旧登记号, flagged for review). */
export const CODE_KINDS = ["uscc", "regno", "legacy"] as const;
export const ENTITY_KINDS = ["enterprise", "individual", "cooperative", "other"] as const;
export const ENTITY_STATUSES = ["active", "deregistered", "revoked", "cancelled", "closed", "moved-out"] as const;
export const RISK_CLASSES = ["A", "B", "C", "D"] as const;
export const ENTITY_SIZES = ["large", "medium", "small", "micro"] as const;
export const USER_ROLES = ["admin", "officer", "auditor"] as const;
export const PLAN_STATUSES = ["draft", "approved", "closed"] as const;
export const BATCH_STATUSES = ["draft", "ready", "drawn", "closed"] as const;
export const BATCH_ROLES = ["lead", "partner"] as const;
export const CAP_LEVELS = ["city", "district", "any"] as const;
export const DRAW_STATUSES = ["committed", "seeded", "drawn", "void"] as const;
export const TASK_KINDS = ["random", "directed"] as const;
/** Why a directed (non-random) check happens: 投诉举报, 转办交办, 数据监测 (the public sees only this). */
export const DIRECTED_KINDS = ["complaint", "referral", "dataAlert"] as const;
/**
 * Directed kinds the approval–supervision loop creates (never through POST /tasks): 告知承诺核查,
 * 风险预警 (an alert of the 互联网+监管 system), 复核后续监管 (the follow-up after a 复核).
 */
export { LOOP_DIRECTED_KINDS };
/** Stored values: the kinds, and "unspecified" for directed tasks recorded before kinds existed (published as plain 定向检查). */
export const STORED_DIRECTED_KINDS = [...DIRECTED_KINDS, ...LOOP_DIRECTED_KINDS, "unspecified"] as const;
export const DRAW_RECORD_KINDS = ["draw", "substitution", "schedule"] as const;
export const TASK_STATUSES = ["open", "scheduled", "done", "cancelled"] as const;
export const JOINT_CHECK_STATUSES = ["planned", "done", "cancelled"] as const;
export const TEAM_ROLES = ["officer", "expert"] as const;

// ── 审管联动 (docs/approvals.md): the core's value sets (src/approvals/values.ts), one list ──
export {
  DUTY_LIST_STATUSES,
  NOTICE_STATUSES,
  DECISION_KINDS,
  DECISION_OUTCOMES,
  DECISION_SOURCES,
  PUSH_ROUTES,
  VERIFICATION_OUTCOMES,
  DISPUTE_KINDS,
  REVIEW_OUTCOMES,
  ALERT_LEVELS,
  ALERT_HANDLINGS,
  PANEL_PURPOSES,
} from "../approvals/values.ts";
export const PANEL_RECORD_KINDS = ["draw", "substitution"] as const;

export type DepartmentLevel = (typeof DEPARTMENT_LEVELS)[number];
export type DepartmentKind = (typeof DEPARTMENT_KINDS)[number];
export type {
  LoopDirectedKind,
  DecisionKind,
  DecisionOutcome,
  PushRoute,
  VerificationOutcome,
  DisputeKind,
  ReviewOutcome,
  AlertLevel,
  AlertHandling,
  PanelPurpose,
} from "../approvals/values.ts";
export type ItemMethod = (typeof ITEM_METHODS)[number];
export type ItemImportance = (typeof ITEM_IMPORTANCE)[number];
export type CodeKind = (typeof CODE_KINDS)[number];
export type EntityKind = (typeof ENTITY_KINDS)[number];
export type EntityStatus = (typeof ENTITY_STATUSES)[number];
export type RiskClass = (typeof RISK_CLASSES)[number];
export type EntitySize = (typeof ENTITY_SIZES)[number];
export type UserRole = (typeof USER_ROLES)[number];
export type PlanStatus = (typeof PLAN_STATUSES)[number];
export type BatchStatus = (typeof BATCH_STATUSES)[number];
export type BatchRole = (typeof BATCH_ROLES)[number];
export type CapLevel = (typeof CAP_LEVELS)[number];
export type DrawStatus = (typeof DRAW_STATUSES)[number];
export type TaskKind = (typeof TASK_KINDS)[number];
export type DirectedKind = (typeof DIRECTED_KINDS)[number];
/** Every kind a stored directed task can carry: an officer's (DirectedKind), the loop's, or `unspecified` (older rows). */
export type StoredDirectedKind = (typeof STORED_DIRECTED_KINDS)[number];
export type DrawRecordKind = (typeof DRAW_RECORD_KINDS)[number];
export type TaskStatus = (typeof TASK_STATUSES)[number];
export type JointCheckStatus = (typeof JOINT_CHECK_STATUSES)[number];
export type TeamRole = (typeof TEAM_ROLES)[number];
