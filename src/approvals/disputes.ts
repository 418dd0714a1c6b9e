/**
 * 函告 → 复核 → 反馈 → 后续监管: the dispute state machine. A supervising department sends a
 * 函告 (`sent`); the approval bureau reviews the case file and procedure and records an outcome,
 * fed back to the department (`reviewed`); the department acknowledges the feedback (`closed`),
 * and where the outcome leaves supervision to do (撤销, 责令整改, 依法处置) the follow-up becomes a
 * directed task of the department. Steps never go back.
 */
import { LoopError } from "./types.ts";
import type { ReviewOutcome } from "./values.ts";

export type DisputeState = "sent" | "reviewed" | "closed";
export const DISPUTE_STATE_LABELS: Readonly<Record<DisputeState, string>> = { sent: "已函告，待复核", reviewed: "已复核，待签收", closed: "已签收" };

export type DisputeEvent = { type: "review"; by: "bureau" | "department" | "other" } | { type: "acknowledge"; by: "bureau" | "department" | "other" };

/** The state of a dispute row. */
export function disputeState(d: { reviewedAt: unknown; feedbackAckAt: unknown }): DisputeState {
  return d.feedbackAckAt != null ? "closed" : d.reviewedAt != null ? "reviewed" : "sent";
}

/**
 * The next state, or a LoopError: only the bureau reviews, only the department acknowledges, each
 * once, in order (409 for a step out of order, 403 for the wrong party).
 */
export function disputeTransition(state: DisputeState, e: DisputeEvent): DisputeState {
  if (e.type === "review") {
    if (e.by !== "bureau") throw new LoopError("NOT_THE_BUREAU", "只有作出审批决定的行政审批部门可以复核", undefined, 403);
    if (state !== "sent") throw new LoopError("ALREADY_REVIEWED", "该函告已复核，复核结果不能更改", undefined, 409);
    return "reviewed";
  }
  if (e.by !== "department") throw new LoopError("NOT_THE_DEPARTMENT", "只有发出函告的监管部门可以签收复核结果", undefined, 403);
  if (state === "sent") throw new LoopError("NOT_REVIEWED", "该函告尚未复核，无复核结果可签收", undefined, 409);
  if (state === "closed") throw new LoopError("ALREADY_ACKNOWLEDGED", "复核结果已签收", undefined, 409);
  return "closed";
}

/** Outcomes that leave supervision to the department: a follow-up task is created at acknowledgement. */
export function needsFollowUp(outcome: ReviewOutcome): boolean {
  return outcome !== "maintain";
}
