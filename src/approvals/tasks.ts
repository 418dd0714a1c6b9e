/**
 * The directed tasks the loop creates (directed_kind commitment / riskAlert / followUp): a
 * non-random check of one entity by one department within a window. They are ordinary tasks, so
 * they join the optimizer's schedule (`merge.ts`) and merge with random-check tasks on the same
 * entity into one visit (进一次门、查多项事). The reason is internal and never published; only the
 * kind (告知承诺核查, 风险预警, 复核后续监管) and the items are.
 */
import { compareDates } from "../calendar/index.ts";
import type { LoopDirectedKind } from "./values.ts";
import { DECISION_KIND_LABELS, DISPUTE_KIND_LABELS, REVIEW_OUTCOME_LABELS, type DecisionKind, type DisputeKind, type ReviewOutcome } from "./values.ts";

export interface LoopTaskSpec {
  entityId: number;
  departmentId: number;
  itemIds: number[];
  directedKind: LoopDirectedKind;
  /** Internal reason (不公示). */
  reason: string;
  windowStart: string;
  windowEnd: string;
}

/** A window never ends before it starts: a deadline already past gives a one-day window on the start. */
function window(start: string, end: string): { windowStart: string; windowEnd: string } {
  return compareDates(end, start) < 0 ? { windowStart: start, windowEnd: start } : { windowStart: start, windowEnd: end };
}

/**
 * 告知承诺核查 of one decision by one verifying department, from the decision day (a visit already
 * planned after the decision can carry it) to the deadline (the nominal deadline when the holiday
 * data is missing: the window is only for planning, the deadline stays "期限未定"). `itemIds` are
 * the department's inspection items the list names.
 */
export function verificationTask(input: {
  entityId: number;
  departmentId: number;
  itemIds: readonly number[];
  decisionNo: string;
  approvalName: string;
  kind: DecisionKind;
  decidedOn: string;
  nominalDueOn: string;
  dueOn: string | null;
}): LoopTaskSpec {
  return {
    entityId: input.entityId,
    departmentId: input.departmentId,
    itemIds: [...new Set(input.itemIds)].sort((a, b) => a - b),
    directedKind: "commitment",
    reason: `告知承诺核查：${DECISION_KIND_LABELS[input.kind]}决定 ${input.decisionNo}（${input.approvalName}）`,
    ...window(input.decidedOn, input.dueOn ?? input.nominalDueOn),
  };
}

/** 风险预警处置 of one alert by the responsible department, from the day received to the deadline. */
export function alertTask(input: { entityId: number; departmentId: number; externalId: string; category: string; receivedOn: string; dueOn: string | null; fallbackEnd: string }): LoopTaskSpec {
  return {
    entityId: input.entityId,
    departmentId: input.departmentId,
    itemIds: [],
    directedKind: "riskAlert",
    reason: `风险预警 ${input.externalId}：${input.category}`,
    ...window(input.receivedOn, input.dueOn ?? input.fallbackEnd),
  };
}

/** 复核后续监管 after the department acknowledged the bureau's 复核 outcome. */
export function followUpTask(input: { entityId: number; departmentId: number; itemIds: readonly number[]; disputeId: number; kind: DisputeKind; outcome: ReviewOutcome; decisionNo: string; from: string; to: string }): LoopTaskSpec {
  return {
    entityId: input.entityId,
    departmentId: input.departmentId,
    itemIds: [...new Set(input.itemIds)].sort((a, b) => a - b),
    directedKind: "followUp",
    reason: `复核后续监管：函告 ${input.disputeId}（${DISPUTE_KIND_LABELS[input.kind]}），决定 ${input.decisionNo} 复核结果：${REVIEW_OUTCOME_LABELS[input.outcome]}`,
    ...window(input.from, input.to),
  };
}
