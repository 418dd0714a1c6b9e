/**
 * 全记录 of the loop's steps: every step (签收, 核查, 复核, 反馈签收, 预警处置) has a deadline and,
 * once done, the day it was done. `classifyStep` says where it stands; the overdue list (未履职、
 * 慢履职, what 督查考核 looks at) is every step that is `overdue`, `late` or `noDeadline`.
 */

/** pending 未到期 · onTime 按时办结 · late 逾期办结（慢履职） · overdue 逾期未办（未履职） · noDeadline 期限未定（缺节假日数据）. */
export type StepStatus = "pending" | "onTime" | "late" | "overdue" | "noDeadline";

export const STEP_STATUS_LABELS: Readonly<Record<StepStatus, string>> = {
  pending: "未到期",
  onTime: "按时办结",
  late: "逾期办结（慢履职）",
  overdue: "逾期未办（未履职）",
  noDeadline: "期限未定（缺少节假日数据）",
};

/**
 * Where a step stands on `today` (YYYY-MM-DD, China). Done on the deadline day is on time; not done
 * and the deadline day not yet over is pending. A step without a deadline is `noDeadline` until
 * done (then on time: nothing can be held against it).
 */
export function classifyStep(step: { dueOn: string | null; doneOn: string | null }, today: string): StepStatus {
  if (step.doneOn !== null) return step.dueOn === null || step.doneOn <= step.dueOn ? "onTime" : "late";
  if (step.dueOn === null) return "noDeadline";
  return today > step.dueOn ? "overdue" : "pending";
}

/** Steps that belong on the overdue list. */
export const needsAttention = (s: StepStatus): boolean => s === "overdue" || s === "late" || s === "noDeadline";

/** The kinds of step the loop tracks. */
export type StepKind = "acknowledge" | "verify" | "review" | "feedbackAck" | "alert";
export const STEP_KIND_LABELS: Readonly<Record<StepKind, string>> = {
  acknowledge: "审批结果签收",
  verify: "告知承诺核查",
  review: "函告复核",
  feedbackAck: "复核结果签收",
  alert: "风险预警处置",
};
