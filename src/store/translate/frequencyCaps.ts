/**
 * 同一企业年度检查频次上限 (国办发〔2024〕54号): rows of `frequency_caps` ↔ the core's FrequencyCap.
 *
 * A department's standing cap is stored as one row at its own level (`max_per_year`: checks of one
 * entity a year at that level) and, optionally, one row at level `any` (checks across levels, e.g.
 * 2 per level and 4 across the city and district levels). `exemptions` holds the kinds of directed
 * check that do not count, each with the reason the department gives: [{ kind, reason }] (an
 * older row may hold bare kinds). A cap of a plan (plan_id set) replaces the standing one for it.
 *
 * Checks counted for a department are those of its own line: itself, its superiors and its
 * subordinates (parent_id), so a city bureau and its district bureaus share the cross-level cap.
 */
import type { CheckRecord, FrequencyCap } from "../../draws/index.ts";

export interface CapRow {
  planId: number | null;
  departmentId: number | null;
  level: string;
  maxPerYear: number;
  exemptions: unknown;
}

export interface Exemption {
  kind: string;
  reason: string;
}

/** A department's cap as the API shows it. */
export interface DepartmentCaps {
  maxPerYear: number;
  maxPerYearAllLevels: number | null;
  exemptions: Exemption[];
}

/** Exemptions of a row: [{ kind, reason }], or bare kinds of an older row (reason unknown). */
export function exemptionsOf(json: unknown): Exemption[] {
  if (!Array.isArray(json)) return [];
  return json.flatMap((x): Exemption[] => {
    if (typeof x === "string") return [{ kind: x, reason: "" }];
    if (x && typeof x === "object" && typeof (x as Exemption).kind === "string") return [{ kind: (x as Exemption).kind, reason: String((x as Exemption).reason ?? "") }];
    return [];
  });
}

/** The cap of department `departmentId` (own level `level`) for plan `planId`, or null if none. */
export function departmentCaps(rows: readonly CapRow[], departmentId: number, level: string, planId: number | null = null): DepartmentCaps | null {
  const mine = rows.filter((r) => r.departmentId === departmentId);
  const forPlan = planId !== null ? mine.filter((r) => r.planId === planId) : [];
  const use = forPlan.length > 0 ? forPlan : mine.filter((r) => r.planId === null);
  const own = use.find((r) => r.level === level);
  const any = use.find((r) => r.level === "any");
  if (!own && !any) return null;
  return {
    // Only a cross-level row: the same-level count never exceeds the cross-level one.
    maxPerYear: own?.maxPerYear ?? any!.maxPerYear,
    maxPerYearAllLevels: any?.maxPerYear ?? null,
    exemptions: exemptionsOf((own ?? any)!.exemptions),
  };
}

/** The core's cap of one department (by code) at its own level. */
export function coreCap(department: string, level: string, c: DepartmentCaps): FrequencyCap {
  return {
    department,
    level,
    maxPerYear: c.maxPerYear,
    ...(c.maxPerYearAllLevels !== null ? { maxPerYearAllLevels: c.maxPerYearAllLevels } : {}),
    exemptKinds: c.exemptions.map((e) => e.kind),
  };
}

export interface DepartmentNode {
  code: string;
  parentCode: string | null;
}

/** The codes of a department's line: itself, its superiors and its subordinates. */
export function departmentLine(tree: readonly DepartmentNode[], code: string): Set<string> {
  const parent = new Map(tree.map((d) => [d.code, d.parentCode]));
  const line = new Set([code]);
  for (let p = parent.get(code) ?? null, guard = 0; p !== null && !line.has(p) && guard < 64; p = parent.get(p) ?? null, guard++) line.add(p);
  const children = new Map<string, string[]>();
  for (const d of tree) if (d.parentCode !== null) children.set(d.parentCode, [...(children.get(d.parentCode) ?? []), d.code]);
  const stack = [code];
  const below = new Set<string>();
  while (stack.length) for (const c of children.get(stack.pop()!) ?? []) if (!below.has(c) && c !== code) (below.add(c), line.add(c), stack.push(c));
  return line;
}

/**
 * The history the core counts: every record as it is, plus, for each capped department, a copy
 * under its code of each record of another department of its line (the core counts a
 * department's own records only).
 */
export function capHistory(history: readonly CheckRecord[], tree: readonly DepartmentNode[], capped: readonly string[]): CheckRecord[] {
  const out = [...history];
  for (const code of capped) {
    const line = departmentLine(tree, code);
    line.delete(code);
    if (line.size === 0) continue;
    for (const h of history) if (line.has(h.department)) out.push({ ...h, department: code });
  }
  return out;
}

/** The kind a stored task counts as: "random", or its directed kind. */
export const checkKind = (t: { kind: string; directedKind: string | null }) => (t.kind === "random" ? "random" : (t.directedKind ?? "directed"));

/** The department tree from rows { id, code, parentId }. */
export function departmentTree(rows: readonly { id: number; code: string; parentId: number | null }[]): DepartmentNode[] {
  const code = new Map(rows.map((d) => [d.id, d.code]));
  return rows.map((d) => ({ code: d.code, parentCode: d.parentId !== null ? (code.get(d.parentId) ?? null) : null }));
}
