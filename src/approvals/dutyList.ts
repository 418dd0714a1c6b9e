/**
 * 职责边界清单: the mapping approval item → supervision item → supervising department, one list
 * per approval bureau, versioned. `validateDutyList` checks a new version against the
 * departments; `dutyListDigest` is what the published version commits to.
 */
import { canonicalJson, sha256Hex } from "../draws/canonicalJson.ts";
import { LoopError, type DepartmentRef, type DutyEntryInput } from "./types.ts";
import { LEVEL_LABELS } from "./values.ts";

const MAX_TEXT = 500;

function text(v: unknown, field: string, required: boolean, max = MAX_TEXT): string | null {
  if (v === undefined || v === null || (typeof v === "string" && v.trim() === "" && !required)) return null;
  if (typeof v !== "string" || v.trim() === "") throw new LoopError("VALIDATION_FAILED", `${field}：须填写`, field, 400);
  if (v.length > max) throw new LoopError("VALIDATION_FAILED", `${field}：不超过 ${max} 个字符`, field, 400);
  return v.trim();
}

/**
 * Checks every entry of a list version of `bureau` and returns them normalized (trimmed, nulls
 * for absent text, `forwardUp` false by default), in the given order. Rules:
 *   - the bureau is an approval bureau (kind 'approval');
 *   - each entry names an active supervising department (kind 'supervision') at the bureau's level
 *     and, below city level, in the bureau's area (same 区划码);
 *   - `forwardUp` only where the department has a higher-level department of the same line;
 *   - (approval code, department, supervision name) once per list;
 *   - at least one entry.
 * The error names the entry (`entries[i].field`).
 */
export function validateDutyList(bureau: DepartmentRef, entries: readonly DutyEntryInput[], departments: ReadonlyMap<number, DepartmentRef>): Required<DutyEntryInput>[] {
  if (bureau.kind !== "approval") throw new LoopError("NOT_AN_APPROVAL_BUREAU", `部门 ${bureau.name} 不是行政审批部门，不能发布职责边界清单`, "bureauId");
  if (entries.length === 0) throw new LoopError("VALIDATION_FAILED", "entries：清单至少有一行", "entries", 400);
  const seen = new Set<string>();
  return entries.map((e, i) => {
    const f = (name: string) => `entries[${i}].${name}`;
    const approvalCode = text(e.approvalCode, f("approvalCode"), true, 100)!;
    const approvalName = text(e.approvalName, f("approvalName"), true)!;
    const supervisionName = text(e.supervisionName, f("supervisionName"), true)!;
    const d = departments.get(e.departmentId);
    if (!d) throw new LoopError("UNKNOWN_DEPARTMENT", `${f("departmentId")}：部门 ${e.departmentId} 不存在`, f("departmentId"));
    if (d.kind !== "supervision") throw new LoopError("NOT_A_SUPERVISING_DEPARTMENT", `${f("departmentId")}：${d.name} 不是行业监管部门`, f("departmentId"));
    if (!d.active) throw new LoopError("INACTIVE_DEPARTMENT", `${f("departmentId")}：${d.name} 已停用`, f("departmentId"));
    if (d.level !== bureau.level) throw new LoopError("LEVEL_MISMATCH", `${f("departmentId")}：${d.name} 是${LEVEL_LABELS[d.level]}部门，本清单属${LEVEL_LABELS[bureau.level]}审批部门（同级监管）`, f("departmentId"));
    if (bureau.level !== "city" && d.districtCode !== bureau.districtCode) throw new LoopError("AREA_MISMATCH", `${f("departmentId")}：${d.name}（${d.districtCode}）不在审批部门的辖区（${bureau.districtCode}）`, f("departmentId"));
    const forwardUp = e.forwardUp === true;
    if (forwardUp && (d.parentId === null || !departments.has(d.parentId))) throw new LoopError("NO_HIGHER_DEPARTMENT", `${f("forwardUp")}：${d.name} 没有上级同系统部门，无法转送`, f("forwardUp"));
    const key = `${approvalCode}\u0000${d.id}\u0000${supervisionName}`;
    if (seen.has(key)) throw new LoopError("DUPLICATE_ENTRY", `${f("approvalCode")}：审批事项 ${approvalCode}、部门 ${d.name}、监管事项 ${supervisionName} 重复`, f("approvalCode"));
    seen.add(key);
    return {
      approvalCode,
      approvalName,
      approvalBasis: text(e.approvalBasis, f("approvalBasis"), false),
      supervisionCode: text(e.supervisionCode, f("supervisionCode"), false, 100),
      supervisionName,
      boundary: text(e.boundary, f("boundary"), false, 2000),
      departmentId: d.id,
      itemId: e.itemId ?? null,
      forwardUp,
    };
  });
}

/** SHA-256 (hex) of the canonical JSON of the entries, in list order (what the version commits to). */
export function dutyListDigest(entries: readonly Required<DutyEntryInput>[]): string {
  return sha256Hex(
    canonicalJson(
      entries.map((e) => ({
        approvalCode: e.approvalCode,
        approvalName: e.approvalName,
        approvalBasis: e.approvalBasis,
        supervisionCode: e.supervisionCode,
        supervisionName: e.supervisionName,
        boundary: e.boundary,
        departmentId: e.departmentId,
        itemId: e.itemId,
        forwardUp: e.forwardUp,
      })),
    ),
  );
}
