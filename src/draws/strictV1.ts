/**
 * Strict reading of version-1 manifests (docs/draw-spec-v1.md §3, §9 as amended): the exact
 * members and types of the frozen inputs, unique ids, disjoint officer and expert ids, known kinds,
 * exactly one of ratio/count, integers, minPerDepartment ≥ 1, non-empty items, district formats,
 * top-level exclusions outside the pool; then version 1's own validation (orders, the 一般 cap).
 * A manifest the spec forbids is refused even when its commitment was computed over it.
 *
 *   validateFrozenStrictV1(manifest)   throws DrawInputError(path, rule, 中文说明)
 */
import { poolIndex, validateFrozen } from "./freeze.ts";
import type { DrawManifest } from "./manifest.ts";
import { bool, code, fail, hex64, int, list, literal, nullable, obj, prefix, record, str, strMax, union, type Check } from "./v2/shape.ts";
import { RISK_CLASSES } from "./types.ts";

const RATIO = /^(0|[1-9][0-9]*)\/([1-9][0-9]*)$/;
const ratio: Check = (v, p) => {
  if (typeof v !== "string" || !RATIO.test(v)) fail(p, "ratio", `“${String(v).slice(0, 40)}”不是比例“p/q”`);
};
const quota: Check = (v, p) => {
  const o = v as Record<string, unknown>;
  if (typeof o !== "object" || o === null || ("ratio" in o) === ("count" in o)) fail(p, "quota", "配额必须且只能给出 ratio 与 count 之一");
  ("ratio" in o ? obj({ ratio }) : obj({ count: int(0) }))(v, p);
};
const sorted = list(str, { sorted: true });
const exclusions = list(obj({ code, rule: str, reason: str }), { sortedBy: (x: { code: string }) => x.code });
const conditions = obj({ districts: sorted, industries: sorted, kinds: sorted, sizes: sorted }, ["districts", "industries", "kinds", "sizes"]);
const department = obj({
  id: strMax(64),
  name: str,
  role: literal("lead", "participating"),
  items: list(obj({ id: strMax(64), name: str, kind: literal("key", "general") }), { sortedBy: (x: { id: string }) => x.id, nonEmpty: true }),
  scope: union("kind", { all: obj({ kind: literal("all") }), directed: obj({ kind: literal("directed"), conditions, codes: list(code, { sorted: true }) }) }),
  quotas: record(RISK_CLASSES, quota),
  qualification: nullable(str),
  excluded: exclusions,
});
const inputs = obj({
  spec: literal("ssj-draw/1"),
  batch: obj({ id: str, name: str, year: int(), level: str }),
  pool: obj({ codes: (v, p) => Array.isArray(v) || fail(p, "type", "应为数组"), strata: (v, p) => typeof v === "string" || fail(p, "type", "应为字符串"), districts: (v, p) => Array.isArray(v) || fail(p, "type", "应为数组") }),
  excluded: exclusions,
  departments: list(department, { sortedBy: (x: { id: string }) => x.id }),
  config: obj({
    generalRatioCap: record(RISK_CLASSES, ratio),
    substitutes: int(0),
    team: obj({ minPerDepartment: int(1), minTotal: int(1), experts: int(0), reserves: int(0) }),
  }),
  inspectors: nullable(
    obj({
      officers: list(obj({ id: str, department: str, qualifications: sorted, districts: list(prefix, { sorted: true }), active: bool }), { sortedBy: (x: { id: string }) => x.id }),
      experts: list(obj({ id: str, specialities: sorted, districts: list(prefix, { sorted: true }), active: bool }), { sortedBy: (x: { id: string }) => x.id }),
      recusals: list(obj({ inspectorId: str, code, reason: str }), { sortedBy: (x: { inspectorId: string; code: string }) => [x.inspectorId, x.code] }),
    }),
  ),
  seedPlan: union("mode", {
    commitReveal: obj({ mode: literal("commitReveal"), departments: list(str, { sorted: true, nonEmpty: true }) }),
    external: obj({ mode: literal("external"), source: str, reference: str }),
  }),
});
const top = obj({
  manifest: literal("ssj-draw-manifest/1"),
  spec: literal("ssj-draw/1"),
  inputs: (v, p) => (typeof v === "object" && v !== null) || fail(p, "type", "应为对象"),
  commitment: hex64,
  seed: obj({ value: hex64, provenance: (v, p) => (typeof v === "object" && v !== null) || fail(p, "type", "应为对象") }),
  results: obj({ targets: (v, p) => Array.isArray(v) || fail(p, "type", "应为数组"), checks: (v, p) => v === null || Array.isArray(v) || fail(p, "type", "应为数组或 null") }),
  resultDigest: hex64,
  substitutions: obj({ targets: (v, p) => Array.isArray(v) || fail(p, "type", "应为数组"), inspectors: (v, p) => Array.isArray(v) || fail(p, "type", "应为数组") }),
});

export function validateFrozenStrictV1(m: DrawManifest): void {
  top(m, "$");
  inputs(m.inputs, "inputs");
  const f = m.inputs;
  f.pool.districts.forEach((d, i) => {
    if (typeof d !== "string" || !/^[0-9]{6}$/.test(d)) fail(`inputs.pool.districts[${i}]`, "format", "不是 6 位区划码");
  });
  f.excluded.forEach((x, i) => {
    if (poolIndex(f.pool.codes, x.code) >= 0) fail(`inputs.excluded[${i}].code`, "excludedInPool", `${x.code} 既被排除又在名录中`);
  });
  if (f.inspectors) {
    const officers = new Set(f.inspectors.officers.map((o) => o.id));
    f.inspectors.experts.forEach((x, i) => {
      if (officers.has(x.id)) fail(`inputs.inspectors.experts[${i}].id`, "idNamespace", `专家编号 ${x.id} 与执法人员编号重复：一人只能有一个编号`);
    });
    const deps = new Set(f.departments.map((d) => d.id));
    f.inspectors.officers.forEach((o, i) => {
      if (!deps.has(o.department)) fail(`inputs.inspectors.officers[${i}].department`, "department", `${o.department} 不是本批次的部门`);
    });
  }
  validateFrozen(f);
}
