/** Validation of the loop's configuration (`approvals` config key) into `LoopSettings`. */
import { DEFAULT_LOOP_SETTINGS, LoopError, type LoopSettings } from "./types.ts";
import { VERIFICATION_OUTCOMES, type VerificationOutcome } from "./values.ts";

const INT_FIELDS = ["ackWorkingDays", "verificationMonths", "reviewWorkingDays", "feedbackWorkingDays", "followUpWorkingDays"] as const;
const LIMITS: Record<(typeof INT_FIELDS)[number], [number, number]> = {
  ackWorkingDays: [1, 60],
  verificationMonths: [1, 12],
  reviewWorkingDays: [1, 60],
  feedbackWorkingDays: [1, 60],
  followUpWorkingDays: [1, 120],
};

/**
 * The settings from a stored configuration value (undefined = defaults). Unknown members, wrong
 * types and numbers out of range are refused with the field named (`approvals.<member>`).
 */
export function loopSettings(value: unknown): LoopSettings {
  if (value === undefined || value === null) return DEFAULT_LOOP_SETTINGS;
  if (typeof value !== "object" || Array.isArray(value)) throw new LoopError("INVALID_CONFIG", "approvals 配置应为对象", "approvals");
  const v = value as Record<string, unknown>;
  const members = [...INT_FIELDS, "alertWorkingDays", "publishOutcomes", "publishOutcomesByItem"];
  for (const k of Object.keys(v)) if (!members.includes(k)) throw new LoopError("INVALID_CONFIG", `approvals.${k}：未知成员（允许 ${members.join("、")}）`, `approvals.${k}`);
  const out: LoopSettings = { ...DEFAULT_LOOP_SETTINGS, alertWorkingDays: { ...DEFAULT_LOOP_SETTINGS.alertWorkingDays } };
  if (v.publishOutcomes !== undefined) out.publishOutcomes = outcomeList(v.publishOutcomes, "approvals.publishOutcomes");
  if (v.publishOutcomesByItem !== undefined) {
    const m = v.publishOutcomesByItem;
    if (!m || typeof m !== "object" || Array.isArray(m)) throw new LoopError("INVALID_CONFIG", "approvals.publishOutcomesByItem 应为对象 { 审批事项编码: [核查结果…] }", "approvals.publishOutcomesByItem");
    out.publishOutcomesByItem = Object.fromEntries(Object.entries(m).map(([code, list]) => [code, outcomeList(list, `approvals.publishOutcomesByItem.${code}`)]));
  }
  for (const k of INT_FIELDS) {
    if (v[k] === undefined) continue;
    const [lo, hi] = LIMITS[k];
    const n = v[k];
    if (!(typeof n === "number" && Number.isSafeInteger(n) && n >= lo && n <= hi)) throw new LoopError("INVALID_CONFIG", `approvals.${k} 须为 ${lo}–${hi} 的整数`, `approvals.${k}`);
    out[k] = n;
  }
  if (v.alertWorkingDays !== undefined) {
    const a = v.alertWorkingDays as Record<string, unknown>;
    if (!a || typeof a !== "object" || Array.isArray(a)) throw new LoopError("INVALID_CONFIG", "approvals.alertWorkingDays 应为对象 { high, medium, low }", "approvals.alertWorkingDays");
    for (const k of Object.keys(a)) {
      if (!["high", "medium", "low"].includes(k)) throw new LoopError("INVALID_CONFIG", `approvals.alertWorkingDays.${k}：未知预警等级（允许 high、medium、low）`, `approvals.alertWorkingDays.${k}`);
      const n = a[k];
      if (!(typeof n === "number" && Number.isSafeInteger(n) && n >= 1 && n <= 60)) throw new LoopError("INVALID_CONFIG", `approvals.alertWorkingDays.${k} 须为 1–60 的整数`, `approvals.alertWorkingDays.${k}`);
      out.alertWorkingDays[k as "high"] = n;
    }
  }
  return out;
}

/** A list of verification outcomes (true / false / unfulfilled), each at most once. */
function outcomeList(v: unknown, field: string): VerificationOutcome[] {
  const ok = Array.isArray(v) && v.every((x) => (VERIFICATION_OUTCOMES as readonly unknown[]).includes(x)) && new Set(v).size === v.length;
  if (!ok) throw new LoopError("INVALID_CONFIG", `${field} 须为核查结果的列表，取值 true（承诺属实）、false（承诺不属实）、unfulfilled（未履行承诺），不重复`, field);
  return v as VerificationOutcome[];
}

/** Whether an outcome recorded for a decision on `approvalCode` is published (核查结果公示). */
export function publishesOutcome(s: LoopSettings, approvalCode: string, outcome: VerificationOutcome): boolean {
  const list = Object.hasOwn(s.publishOutcomesByItem, approvalCode) ? s.publishOutcomesByItem[approvalCode]! : s.publishOutcomes;
  return list.includes(outcome);
}
