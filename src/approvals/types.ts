/**
 * Plain data of the approval–supervision loop (审管联动) as the core sees it: no ids of a
 * database other than the numbers that name departments, entries and decisions, no Prisma, no
 * clock. The store translates rows into these (src/store/translate/approvals.ts).
 */
import type { DecisionKind, DecisionOutcome, Level, PushRoute, VerificationOutcome } from "./values.ts";

/** A department (行业监管部门 or 行政审批局) at city, district or 开发区 level. */
export interface DepartmentRef {
  id: number;
  code: string;
  name: string;
  level: Level;
  kind: "supervision" | "approval";
  /** 6-digit 区划码 of the department's area. */
  districtCode: string;
  /** For a district or 开发区 department: the city department of the same line. */
  parentId: number | null;
  active: boolean;
}

/** One line of a 职责边界清单 (duty list). */
export interface DutyEntryInput {
  approvalCode: string;
  approvalName: string;
  approvalBasis?: string | null;
  supervisionCode?: string | null;
  supervisionName: string;
  boundary?: string | null;
  departmentId: number;
  itemId?: number | null;
  /** The push also goes to the higher-level department of the same line (转送上级). */
  forwardUp?: boolean;
}

export interface DutyEntry extends Required<Omit<DutyEntryInput, "forwardUp">> {
  id: number;
  forwardUp: boolean;
}

/** The supervision items of one push, as recorded on it. */
export interface PushedSupervision {
  entryId: number;
  code: string | null;
  name: string;
  boundary: string | null;
}

/** A licensing decision as far as routing needs it. */
export interface DecisionForRouting {
  bureau: DepartmentRef;
  approvalCode: string;
  kind: DecisionKind;
  decision: DecisionOutcome;
  /** 区划码 of the entity the decision is about. */
  entityDistrict: string;
}

/** Where the service sends a decision (审批结果推送). */
export interface PushPlan {
  departmentId: number;
  route: Exclude<PushRoute, "forward">;
  supervision: PushedSupervision[];
  /** Some entry of this push asks for the forward to the higher-level department. */
  forwardUp: boolean;
}

/** The deadlines of the loop, set by configuration (`approvals` key). */
export interface LoopSettings {
  /** 签收: working days after the push day. */
  ackWorkingDays: number;
  /** 告知承诺核查: calendar months after the decision day (a common local rule: two). */
  verificationMonths: number;
  /** 复核: working days after the 函告 is received. */
  reviewWorkingDays: number;
  /** 反馈签收: working days after the 复核 outcome is sent. */
  feedbackWorkingDays: number;
  /** 复核后续监管: working days after the feedback is acknowledged (the follow-up task's window). */
  followUpWorkingDays: number;
  /** 风险预警处置: working days by alert level. */
  alertWorkingDays: { high: number; medium: number; low: number };
  /**
   * 核查结果公示: the outcomes published when recorded (default 不属实 and 未履行承诺, the 信用
   * information of a broken commitment); `publishOutcomesByItem` replaces the list for one
   * approval item (审批事项编码), e.g. `[]` where no law provides for publication or all three
   * where the item's rules publish every outcome.
   */
  publishOutcomes: VerificationOutcome[];
  publishOutcomesByItem: Record<string, VerificationOutcome[]>;
}

export const DEFAULT_LOOP_SETTINGS: LoopSettings = {
  ackWorkingDays: 3,
  verificationMonths: 2,
  reviewWorkingDays: 10,
  feedbackWorkingDays: 3,
  followUpWorkingDays: 20,
  alertWorkingDays: { high: 3, medium: 7, low: 15 },
  publishOutcomes: ["false", "unfulfilled"],
  publishOutcomesByItem: {},
};

/** A rule of the loop broken by an input: stable English code, Chinese message naming the field. */
export class LoopError extends Error {
  override readonly name = "LoopError";
  constructor(
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly status: 400 | 403 | 404 | 409 | 422 = 422,
  ) {
    super(message);
  }
}
