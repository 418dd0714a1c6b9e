/**
 * Recording and publishing a check's result: validation of the recorded result, the public
 * record (what 一公开 shows, and nothing else), and publication-deadline status.
 */
import { isIsoDate } from "../calendar/isoDate.ts";
import { LOOP_DIRECTED_KIND_LABELS } from "../approvals/values.ts";
import { DEFAULT_RESULT_CATEGORIES, resultLabels, type ResultCategory } from "./categories.ts";

export interface ResultInput {
  categories?: unknown;
  checkDate?: unknown;
}

/** A validated result: category codes (a selected sub-kind implies its parent, which is added). */
export interface InspectionResult {
  categories: string[];
  checkDate: string;
}

export type ResultRule =
  | "required"
  | "unknownCategory"
  | "duplicate"
  | "contradictory"
  | "subkindRequired"
  | "invalidDate"
  | "future"
  | "beforeTask";

export interface ResultError {
  field: "categories" | "checkDate";
  rule: ResultRule;
  message: string;
}

export type ResultValidation = { ok: true; value: InspectionResult } | { ok: false; errors: ResultError[] };

export interface ValidateResultOptions {
  /** The current date (YYYY-MM-DD): a check date after it is refused. */
  today: string;
  /** Optional earliest allowed check date (e.g. the task's start). */
  notBefore?: string;
}

/**
 * Validates a recorded result. Every problem is reported with its field and rule:
 * categories required (at least one), known codes only, no duplicates, 未发现问题 never together
 * with a problem category, 发现问题待后续处理 needs at least one sub-kind; check date required, a
 * real YYYY-MM-DD date, not after `today`, not before `notBefore`.
 */
export function validateResult(
  input: ResultInput,
  categories: readonly ResultCategory[] = DEFAULT_RESULT_CATEGORIES,
  options: ValidateResultOptions,
): ResultValidation {
  if (!isIsoDate(options.today)) throw new RangeError(`options.today must be YYYY-MM-DD, got ${JSON.stringify(options.today)}`);
  const errors: ResultError[] = [];
  const byCode = new Map(categories.map((c) => [c.code, c]));
  const codes: string[] = [];

  const raw = input.categories;
  if (!Array.isArray(raw) || raw.length === 0) {
    errors.push({ field: "categories", rule: "required", message: "至少选择一个检查结果类别" });
  } else {
    const seen = new Set<string>();
    for (const c of raw) {
      if (typeof c !== "string" || !byCode.has(c)) {
        errors.push({ field: "categories", rule: "unknownCategory", message: `未知的检查结果类别 ${JSON.stringify(c)}` });
      } else if (seen.has(c)) {
        errors.push({ field: "categories", rule: "duplicate", message: `检查结果类别 ${c} 选了两次` });
      } else {
        seen.add(c);
        codes.push(c);
      }
    }
    // a sub-kind implies its parent
    for (const c of [...codes]) {
      const parent = byCode.get(c)!.parent;
      if (parent !== undefined && !seen.has(parent)) {
        seen.add(parent);
        codes.push(parent);
      }
    }
    for (const c of codes) {
      const hasSubkinds = categories.some((s) => s.parent === c);
      if (hasSubkinds && !codes.some((s) => byCode.get(s)!.parent === c)) {
        errors.push({
          field: "categories",
          rule: "subkindRequired",
          message: `“${byCode.get(c)!.label}”须至少选择一个细项：${categories.filter((s) => s.parent === c).map((s) => s.label).join("、")}`,
        });
      }
    }
    const clean = codes.filter((c) => byCode.get(c)!.group === "clean");
    const problems = codes.filter((c) => byCode.get(c)!.group === "problem" && byCode.get(c)!.parent === undefined);
    if (clean.length > 0 && problems.length > 0) {
      errors.push({
        field: "categories",
        rule: "contradictory",
        message: `“${byCode.get(clean[0]!)!.label}”与“${problems.map((p) => byCode.get(p)!.label).join("、")}”相互矛盾`,
      });
    }
  }

  const d = input.checkDate;
  let checkDate = "";
  if (d === undefined || d === null || d === "") {
    errors.push({ field: "checkDate", rule: "required", message: "须填写检查日期" });
  } else if (!isIsoDate(d)) {
    errors.push({ field: "checkDate", rule: "invalidDate", message: `检查日期应为真实的日期（YYYY-MM-DD），收到 ${JSON.stringify(d)}` });
  } else if (d > options.today) {
    errors.push({ field: "checkDate", rule: "future", message: `检查日期 ${d} 晚于今天（${options.today}）` });
  } else if (options.notBefore !== undefined && d < options.notBefore) {
    errors.push({ field: "checkDate", rule: "beforeTask", message: `检查日期 ${d} 早于任务开始日（${options.notBefore}）` });
  } else {
    checkDate = d;
  }

  if (errors.length > 0) return { ok: false, errors };
  const order = new Map(categories.map((c, i) => [c.code, i]));
  codes.sort((a, b) => order.get(a)! - order.get(b)!);
  return { ok: true, value: { categories: codes, checkDate } };
}

// ---------------------------------------------------------------------------------------------
// Public record

/** Exactly what is published about one check. Never inspector data, never the risk class. */
export interface PublicRecord {
  entityName: string;
  /** 统一社会信用代码 (or the 注册号 of an entity that has no credit code). */
  entityCode: string;
  taskNumber: string;
  taskName: string;
  checkDate: string;
  department: string;
  results: string[];
}

export const PUBLIC_RECORD_FIELDS: readonly (keyof PublicRecord)[] = Object.freeze([
  "entityName",
  "entityCode",
  "taskNumber",
  "taskName",
  "checkDate",
  "department",
  "results",
]);

export class PublicRecordError extends Error {
  override readonly name = "PublicRecordError";
  constructor(readonly field: keyof PublicRecord, message: string) {
    super(`${field}: ${message}`);
  }
}

export interface PublicTask {
  number: string;
  name: string;
}
export interface PublicEntity {
  name: string;
  code: string;
}
export interface PublicDepartment {
  name: string;
}

/**
 * Builds the published record from internal objects, copying only the allowed fields (whatever
 * else the inputs carry — inspectors, risk class, notes — is never read). Labels come from the
 * configured categories. Throws PublicRecordError on an unknown category code or a missing field.
 */
export function publicRecord(
  result: Pick<InspectionResult, "categories" | "checkDate">,
  task: PublicTask,
  entity: PublicEntity,
  department: PublicDepartment,
  categories: readonly ResultCategory[] = DEFAULT_RESULT_CATEGORIES,
): PublicRecord {
  const known = new Set(categories.map((c) => c.code));
  if (!Array.isArray(result.categories) || result.categories.length === 0) throw new PublicRecordError("results", "a published result needs at least one category");
  for (const c of result.categories) if (!known.has(c)) throw new PublicRecordError("results", `unknown result category ${JSON.stringify(c)}`);
  if (!isIsoDate(result.checkDate)) throw new PublicRecordError("checkDate", `not a YYYY-MM-DD date: ${JSON.stringify(result.checkDate)}`);
  const text = (field: keyof PublicRecord, v: unknown): string => {
    if (typeof v !== "string" || v.trim() === "") throw new PublicRecordError(field, "missing: a published record needs it");
    return v.trim();
  };
  return {
    entityName: text("entityName", entity.name),
    entityCode: text("entityCode", entity.code),
    taskNumber: text("taskNumber", task.number),
    taskName: text("taskName", task.name),
    checkDate: result.checkDate,
    department: text("department", department.name),
    results: resultLabels(result.categories, categories),
  };
}

// ---------------------------------------------------------------------------------------------
// Public task name of a directed check

/**
 * What the public sees of why a directed (non-random) check happened: its kind, never the
 * internal reason (complaint details, ticket numbers, a complainant's name and phone).
 * Keys are the store's `DIRECTED_KINDS` (src/store/values.ts).
 */
export const DIRECTED_KIND_LABELS: Readonly<Record<"complaint" | "referral" | "dataAlert", string>> = Object.freeze({
  complaint: "投诉举报",
  referral: "转办交办",
  dataAlert: "数据监测",
});

/**
 * The published task name of a directed check: `定向检查：投诉举报 · 事项甲、事项乙` — the kind's label
 * and the names of the checked items (duplicates dropped, order kept). A task recorded before
 * kinds existed (`kind` null) is `定向检查 · …`. An unknown kind is refused: the name is built from
 * closed values only, so nothing typed by an officer can reach it. The loop's kinds
 * (LOOP_DIRECTED_KIND_LABELS, src/approvals/values.ts) are named the same way.
 */
export function directedTaskName(kind: string | null | undefined, itemNames: readonly string[]): string {
  let head = "定向检查";
  if (kind !== null && kind !== undefined && kind !== "unspecified") {
    // The approval–supervision loop's kinds (告知承诺核查, 风险预警, 复核后续监管) are public too.
    const label = Object.hasOwn(DIRECTED_KIND_LABELS, kind) ? DIRECTED_KIND_LABELS[kind as keyof typeof DIRECTED_KIND_LABELS] : Object.hasOwn(LOOP_DIRECTED_KIND_LABELS, kind) ? LOOP_DIRECTED_KIND_LABELS[kind as keyof typeof LOOP_DIRECTED_KIND_LABELS] : null;
    if (label === null) throw new PublicRecordError("taskName", `unknown directed-check kind ${JSON.stringify(kind)}`);
    head = `定向检查：${label}`;
  }
  const names = [...new Set(itemNames.map((n) => n.trim()).filter((n) => n !== ""))];
  return names.length > 0 ? `${head} · ${names.join("、")}` : head;
}
