/**
 * The closed value sets of the approval–supervision loop (审管联动, docs/approvals.md) and their
 * Chinese labels. Pure data, no imports: the store's value sets (src/store/values.ts) re-export
 * these, so the database rules (prisma/constraints.ts) and the core read one list.
 */

/** 一般审批, 告知承诺, 备案, 下放, 委托. */
export const DECISION_KINDS = ["general", "commitment", "filing", "delegated", "entrusted"] as const;
/** 准予, 不予, 变更, 延续, 注销/撤回. */
export const DECISION_OUTCOMES = ["grant", "deny", "change", "renew", "cancel"] as const;
export const DECISION_SOURCES = ["api", "import"] as const;
/** 同级推送, 市级审批告知区县/开发区监管部门, 同级监管部门向上级转送. */
export const PUSH_ROUTES = ["sameLevel", "area", "forward"] as const;
/** 承诺属实, 承诺不属实, 未履行承诺. */
export const VERIFICATION_OUTCOMES = ["true", "false", "unfulfilled"] as const;
/** 对审批结果有异议, 虚假承诺, 材料造假, 违反承诺. */
export const DISPUTE_KINDS = ["dispute", "falseCommitment", "forgedMaterials", "brokenCommitment"] as const;
/** 维持, 撤销, 责令整改, 依法处置. */
export const REVIEW_OUTCOMES = ["maintain", "revoke", "rectify", "dispose"] as const;
export const ALERT_LEVELS = ["high", "medium", "low"] as const;
/** 核实属实已处置, 已责令整改, 核实不属实, 移送处理. */
export const ALERT_HANDLINGS = ["confirmed", "rectified", "dismissed", "referred"] as const;
/** 现场踏勘, 技术审查, 听证论证, 验收. */
export const PANEL_PURPOSES = ["siteVisit", "technicalReview", "hearing", "acceptance"] as const;
export const DUTY_LIST_STATUSES = ["current", "superseded"] as const;
export const NOTICE_STATUSES = ["open", "revised", "noChange"] as const;
/** The directed kinds the loop creates: 告知承诺核查, 风险预警, 复核后续监管. */
export const LOOP_DIRECTED_KINDS = ["commitment", "riskAlert", "followUp"] as const;
export const LEVELS = ["city", "district", "zone"] as const;

export type DecisionKind = (typeof DECISION_KINDS)[number];
export type DecisionOutcome = (typeof DECISION_OUTCOMES)[number];
export type PushRoute = (typeof PUSH_ROUTES)[number];
export type VerificationOutcome = (typeof VERIFICATION_OUTCOMES)[number];
export type DisputeKind = (typeof DISPUTE_KINDS)[number];
export type ReviewOutcome = (typeof REVIEW_OUTCOMES)[number];
export type AlertLevel = (typeof ALERT_LEVELS)[number];
export type AlertHandling = (typeof ALERT_HANDLINGS)[number];
export type PanelPurpose = (typeof PANEL_PURPOSES)[number];
export type LoopDirectedKind = (typeof LOOP_DIRECTED_KINDS)[number];
export type Level = (typeof LEVELS)[number];

export const LEVEL_LABELS: Readonly<Record<Level, string>> = { city: "市级", district: "区县级", zone: "开发区" };
export const DECISION_KIND_LABELS: Readonly<Record<DecisionKind, string>> = { general: "一般审批", commitment: "告知承诺", filing: "备案", delegated: "下放", entrusted: "委托" };
export const DECISION_OUTCOME_LABELS: Readonly<Record<DecisionOutcome, string>> = { grant: "准予许可", deny: "不予许可", change: "准予变更", renew: "准予延续", cancel: "注销（撤回）" };
export const PUSH_ROUTE_LABELS: Readonly<Record<PushRoute, string>> = { sameLevel: "同级推送", area: "告知属地监管部门", forward: "同级监管部门转送上级" };
export const VERIFICATION_OUTCOME_LABELS: Readonly<Record<VerificationOutcome, string>> = { true: "承诺属实", false: "承诺不属实", unfulfilled: "未履行承诺" };
export const DISPUTE_KIND_LABELS: Readonly<Record<DisputeKind, string>> = { dispute: "对审批结果有异议", falseCommitment: "虚假承诺", forgedMaterials: "材料造假", brokenCommitment: "违反承诺" };
export const REVIEW_OUTCOME_LABELS: Readonly<Record<ReviewOutcome, string>> = { maintain: "维持", revoke: "撤销", rectify: "责令整改", dispose: "依法处置" };
export const ALERT_LEVEL_LABELS: Readonly<Record<AlertLevel, string>> = { high: "高", medium: "中", low: "低" };
export const ALERT_HANDLING_LABELS: Readonly<Record<AlertHandling, string>> = { confirmed: "核实属实，已处置", rectified: "已责令整改", dismissed: "核实不属实", referred: "移送处理" };
export const PANEL_PURPOSE_LABELS: Readonly<Record<PanelPurpose, string>> = { siteVisit: "现场踏勘", technicalReview: "技术审查", hearing: "听证论证", acceptance: "验收" };
export const LOOP_DIRECTED_KIND_LABELS: Readonly<Record<LoopDirectedKind, string>> = { commitment: "告知承诺核查", riskAlert: "风险预警", followUp: "复核后续监管" };

/** The decisions that leave something to supervise (a denial does not): pushed to the supervising departments. */
export const PUSHED_OUTCOMES: readonly DecisionOutcome[] = ["grant", "change", "renew", "cancel"];

/** A value of a closed set from its code or its Chinese label (imports write labels). */
export function valueOf<T extends string>(labels: Readonly<Record<T, string>>, text: string, aliases: Readonly<Record<string, T>> = {}): T | null {
  const t = text.trim();
  if (Object.hasOwn(labels, t)) return t as T;
  for (const [k, v] of Object.entries(labels) as [T, string][]) if (v === t) return k;
  return Object.hasOwn(aliases, t) ? aliases[t]! : null;
}
