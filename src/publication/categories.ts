/**
 * Result categories of a random check (multi-select). Codes are stable ASCII identifiers; labels
 * are the defaults from a provincial platform's code table (there is no national table) and can be
 * overridden by configuration.
 */

/** `clean`: nothing found; `problem`: a problem was found; `status`: the entity could not be checked as such. */
export type CategoryGroup = "clean" | "problem" | "status";

export interface ResultCategory {
  code: string;
  label: string;
  group: CategoryGroup;
  /** For a sub-kind: the code of its parent category. */
  parent?: string;
}

export const DEFAULT_RESULT_CATEGORIES: readonly ResultCategory[] = Object.freeze(([
  { code: "no_problem", label: "未发现问题", group: "clean" },
  { code: "problem_pending", label: "发现问题待后续处理", group: "problem" },
  { code: "problem_pending.unpublished_info", label: "未按规定公示应当公示的信息", group: "problem", parent: "problem_pending" },
  { code: "problem_pending.false_info", label: "公示信息隐瞒真实情况、弄虚作假", group: "problem", parent: "problem_pending" },
  { code: "problem_pending.unreachable", label: "通过登记的住所（经营场所）无法联系", group: "problem", parent: "problem_pending" },
  { code: "problem_pending.other_violation", label: "违反其他规定", group: "problem", parent: "problem_pending" },
  { code: "problem_corrected", label: "发现问题已责令改正", group: "problem" },
  { code: "no_relevant_activity", label: "未发现开展本次抽查涉及的经营活动", group: "status" },
  { code: "closed_or_liquidating", label: "已关闭停业或正在组织清算", group: "status" },
  { code: "refused_inspection", label: "不配合检查情节严重", group: "problem" },
  { code: "deregistered", label: "已注销", group: "status" },
  { code: "license_revoked", label: "已被吊销", group: "status" },
  { code: "registration_revoked", label: "已被撤销", group: "status" },
  { code: "moved_out", label: "已迁出", group: "status" },
] satisfies ResultCategory[]).map((c): ResultCategory => Object.freeze(c)));

export interface CategoryConfig {
  /** code → label overriding the default label. */
  labels?: Record<string, string>;
}

export class CategoryConfigError extends Error {
  override readonly name = "CategoryConfigError";
}

/** The categories with configured labels. Unknown codes or empty labels in the config throw. */
export function resultCategories(config: CategoryConfig = {}): ResultCategory[] {
  const labels = config.labels ?? {};
  const known = new Set(DEFAULT_RESULT_CATEGORIES.map((c) => c.code));
  for (const [code, label] of Object.entries(labels)) {
    if (!known.has(code)) throw new CategoryConfigError(`labels.${code}：未知的检查结果类别代码（已知：${[...known].join("、")}）`);
    if (typeof label !== "string" || label.trim() === "") throw new CategoryConfigError(`labels.${code}：名称须为非空文本`);
  }
  const out = DEFAULT_RESULT_CATEGORIES.map((c) => ({ ...c, label: Object.hasOwn(labels, c.code) ? labels[c.code]!.trim() : c.label }));
  const seen = new Map<string, string>();
  for (const c of out) {
    const other = seen.get(c.label);
    if (other) throw new CategoryConfigError(`labels：${c.code} 和 ${other} 的名称都将是“${c.label}”`);
    seen.set(c.label, c.code);
  }
  return out;
}

/**
 * The published text of a set of codes, in table order; sub-kinds are shown inside their parent:
 * `发现问题待后续处理（未按规定公示应当公示的信息、违反其他规定）`.
 */
export function resultLabels(codes: readonly string[], categories: readonly ResultCategory[]): string[] {
  const selected = new Set(codes);
  const out: string[] = [];
  for (const c of categories) {
    if (c.parent !== undefined) continue;
    const subs = categories.filter((s) => s.parent === c.code && selected.has(s.code)).map((s) => s.label);
    if (!selected.has(c.code) && subs.length === 0) continue;
    out.push(subs.length > 0 ? `${c.label}（${subs.join("、")}）` : c.label);
  }
  return out;
}
