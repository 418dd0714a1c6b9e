/**
 * Strict validation of version-2 draw documents (docs/draw-spec.md §3.1, §5, §9, §10): exact
 * shapes, orders, id namespaces, pool membership, quotas, the 一般 cap, attempts. Used by the
 * service's commit (freezeDraw), by both verifiers, and by the configuration endpoint.
 *
 *   validatePublicInputs(p)            throws DrawInputError(path, rule, 中文说明)
 *   validatePrivateInputs(p, priv)     (needs the public part)
 *   validateDrawConfig(config, path)   the `config` member alone (PUT /config/draw)
 *   checkProvenanceShape / checkRecordShape / checkManifestShape
 */
import { CODE_PATTERN, poolIndex } from "../freeze.ts";
import { ceilRatio, parseRatio } from "../rational.ts";
import { RISK_CLASSES } from "../types.ts";
import {
  bool,
  code,
  date,
  district,
  fail,
  hex64,
  instant,
  int,
  list,
  literal,
  nullable,
  obj,
  prefix,
  record,
  str,
  strMax,
  union,
  type Check,
  DISTRICT,
} from "./shape.ts";
import type { Department2, PrivateInputs, PublicInputs, RiskClass } from "./types.ts";

const RATIO = /^(0|[1-9][0-9]*)\/([1-9][0-9]*)$/;
const ratio: Check = (v, p) => {
  if (typeof v !== "string" || !RATIO.test(v)) fail(p, "ratio", `“${String(v).slice(0, 40)}”不是比例“p/q”（不带前导零的十进制整数）`);
  parseRatio(v as string, p);
};
const sortedStrings = list(str, { sorted: true });
const sortedNonEmpty = list(str, { sorted: true, nonEmpty: true });

const quota: Check = (v, p) => {
  if (typeof v !== "object" || v === null || Array.isArray(v)) fail(p, "type", "配额应为对象 {ratio} 或 {count}");
  const o = v as Record<string, unknown>;
  const hasRatio = "ratio" in o;
  const hasCount = "count" in o;
  if (hasRatio === hasCount) fail(p, "quota", "配额必须且只能给出 ratio（比例）与 count（数量）之一");
  (hasRatio ? obj({ ratio }) : obj({ count: int(0) }))(v, p);
};

const exclusion = obj({ code, rule: str, reason: str });
const exclusions = list(exclusion, { sortedBy: (x: { code: string }) => x.code });
const conditions: Check = (v, p) => {
  obj({ districts: list(prefix, { sorted: true, nonEmpty: true }), industries: sortedNonEmpty, kinds: sortedNonEmpty, sizes: sortedNonEmpty }, ["districts", "industries", "kinds", "sizes"])(v, p);
  if (Object.keys(v as object).length === 0) fail(p, "conditions", "定向条件至少要有一项");
};
const scope = union("kind", {
  all: obj({ kind: literal("all") }),
  directed: obj({ kind: literal("directed"), conditions, codes: list(code, { sorted: true }) }),
});
const department = obj({
  id: strMax(64),
  name: str,
  role: literal("lead", "participating"),
  items: list(obj({ id: strMax(64), name: str, kind: literal("key", "general") }), { sortedBy: (x: { id: string }) => x.id, nonEmpty: true }),
  scope,
  quotas: record(RISK_CLASSES, quota),
  requires: sortedStrings,
  excluded: exclusions,
});

export const teamRuleShape = obj({ minPerDepartment: int(1, 20), minTotal: int(2, 20), experts: int(0, 20), reserves: int(0, 100) });
export const drawConfigShape = obj({ generalRatioCap: record(RISK_CLASSES, ratio), substitutes: int(0, 1000), team: teamRuleShape });

export const previousAttempt = obj({
  attempt: int(1),
  commitment: hex64,
  seed: nullable(hex64),
  secretCommitments: list(hex64, { sorted: true }),
  reference: nullable(strMax(200)),
  head: nullable(hex64),
  voidedAt: instant,
  reason: str,
});

export const seedPlan = union("mode", {
  commitReveal: obj({ mode: literal("commitReveal"), departments: list(strMax(64), { sorted: true, nonEmpty: true }) }),
  external: obj({ mode: literal("external"), source: strMax(200), reference: strMax(200) }),
});

const publicShape = obj({
  spec: literal("ssj-draw/2"),
  batch: obj({
    id: strMax(64),
    name: str,
    year: int(2000, 2100),
    level: strMax(32),
    plan: obj({ id: strMax(64), name: str }),
    window: obj({ from: date, to: date }),
    horizon: list(date, { sorted: true }),
  }),
  attempt: obj({ number: int(1, 1000), previous: list(previousAttempt) }),
  frozenAt: instant,
  audit: obj({ seq: int(0), hash: hex64 }),
  // codes and districts are checked by the fast loop below (2,000,000 entries)
  pool: obj({ codes: (v, p) => Array.isArray(v) || fail(p, "type", "应为数组"), districts: (v, p) => Array.isArray(v) || fail(p, "type", "应为数组"), classCounts: record(RISK_CLASSES, int(0)), classRoot: hex64 }),
  excluded: exclusions,
  departments: list(department, { sortedBy: (x: { id: string }) => x.id, nonEmpty: true }),
  config: drawConfigShape,
  inspectors: nullable(obj({ officers: (v, p) => (typeof v === "object" && v !== null && !Array.isArray(v)) || fail(p, "type", "应为对象"), experts: int(0) })),
  seedPlan,
});

/** Candidates of a department per class, given the pool's classes. */
export function candidateCounts(p: PublicInputs, d: Department2, strata: string): Record<RiskClass, number> {
  const codes = p.pool.codes;
  const c = [0, 0, 0, 0];
  const excluded = new Set(d.excluded.map((x) => x.code));
  if (d.scope.kind === "all") {
    for (let i = 0; i < codes.length; i++) c[strata.charCodeAt(i) - 65]!++;
    for (const x of excluded) {
      const i = poolIndex(codes, x);
      if (i >= 0) c[strata.charCodeAt(i) - 65]!--;
    }
  } else {
    for (const x of d.scope.codes) if (!excluded.has(x)) c[strata.charCodeAt(poolIndex(codes, x)) - 65]!++;
  }
  return { A: c[0]!, B: c[1]!, C: c[2]!, D: c[3]! };
}

/** Number of candidates of a department (in scope, not excluded), from public data only. */
export function candidateTotal(p: PublicInputs, d: Department2): number {
  return (d.scope.kind === "all" ? p.pool.codes.length : d.scope.codes.length) - d.excluded.length;
}

/** §3.1 rule 8: the 一般-item cap, given the department's candidates per class. */
export function checkGeneralCap(p: PublicInputs, di: number, n: Record<RiskClass, number>, path: string): void {
  const d = p.departments[di]!;
  if (!d.items.every((it) => it.kind === "general")) return;
  for (const k of RISK_CLASSES) {
    const cap = parseRatio(p.config.generalRatioCap[k], `config.generalRatioCap.${k}`);
    const q = d.quotas[k];
    const field = `${path}.departments[${di}].quotas.${k}`;
    if ("ratio" in q) {
      const r = parseRatio(q.ratio, field);
      if (r.p * cap.q > cap.p * r.q) fail(field, "generalRatioCap", `一般检查事项的抽查比例 ${q.ratio} 超过了 ${k} 类上限 ${p.config.generalRatioCap[k]}`);
    } else if (q.count > ceilRatio(n[k], cap)) {
      fail(field, "generalRatioCap", `一般检查事项的抽查数量 ${q.count} 超过了 ${k} 类上限 ${p.config.generalRatioCap[k]}（${n[k]} 个候选对象）`);
    }
  }
}

/** Every rule of §3.1 that needs only the public part. `path` prefixes error paths. */
export function validatePublicInputs(p: PublicInputs, path = "inputs.public"): void {
  publicShape(p, path);
  const { batch, pool } = p;
  if (batch.window.from > batch.window.to) fail(`${path}.batch.window`, "window", "时间窗口的开始晚于结束");
  batch.horizon.forEach((d, i) => {
    if (d < batch.window.from || d > batch.window.to) fail(`${path}.batch.horizon[${i}]`, "horizon", `工作日 ${d} 不在时间窗口内`);
  });
  // attempts (rule 11)
  const prev = p.attempt.previous;
  if (prev.length !== p.attempt.number - 1) fail(`${path}.attempt.previous`, "attempts", `第 ${p.attempt.number} 次抽取应列出此前 ${p.attempt.number - 1} 次作废的抽取，实列 ${prev.length} 次`);
  prev.forEach((a, i) => {
    if (a.attempt !== i + 1) fail(`${path}.attempt.previous[${i}].attempt`, "attempts", `应为第 ${i + 1} 次`);
    if (!(p.frozenAt > a.voidedAt)) fail(`${path}.frozenAt`, "attempts", `冻结时间 ${p.frozenAt} 不晚于第 ${a.attempt} 次抽取的作废时间 ${a.voidedAt}`);
    if (p.seedPlan.mode === "external" && a.reference === p.seedPlan.reference)
      fail(`${path}.seedPlan.reference`, "seedReused", `外部随机数“${a.reference}”已被第 ${a.attempt} 次（已作废）抽取使用，重新抽取必须使用作废后才公布的新一期数值`);
  });
  // pool (rule 4)
  const { codes, districts } = pool;
  if (districts.length !== codes.length) fail(`${path}.pool.districts`, "columns", `区划码有 ${districts.length} 个，代码有 ${codes.length} 个，应一一对应`);
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i];
    if (typeof c !== "string" || !CODE_PATTERN.test(c)) fail(`${path}.pool.codes[${i}]`, "format", `“${String(c).slice(0, 30)}”不是统一社会信用代码或注册号`);
    if (i > 0 && !(codes[i - 1]! < c)) fail(`${path}.pool.codes[${i}]`, "order", codes[i - 1] === c ? `代码 ${c} 重复` : "名录代码须严格升序");
    const d = districts[i];
    if (typeof d !== "string" || !DISTRICT.test(d)) fail(`${path}.pool.districts[${i}]`, "format", `“${String(d).slice(0, 30)}”不是 6 位区划码`);
  }
  const counted = RISK_CLASSES.reduce((s, k) => s + pool.classCounts[k], 0);
  if (counted !== codes.length) fail(`${path}.pool.classCounts`, "classCounts", `各类别数量之和 ${counted} 不等于名录数量 ${codes.length}`);
  // exclusions (rule 5)
  p.excluded.forEach((x, i) => {
    if (poolIndex(codes, x.code) >= 0) fail(`${path}.excluded[${i}].code`, "excludedInPool", `${x.code} 既被排除又在名录中`);
  });
  // departments (rule 6, 10)
  const depIds = p.departments.map((d) => d.id);
  const leads = p.departments.filter((d) => d.role === "lead").length;
  if (leads !== 1) fail(`${path}.departments`, "lead", `须有且只有一个发起部门（lead），实有 ${leads} 个`);
  p.departments.forEach((d, di) => {
    const dp = `${path}.departments[${di}]`;
    let scoped: Set<string> | null = null;
    if (d.scope.kind === "directed") {
      scoped = new Set(d.scope.codes);
      d.scope.codes.forEach((c, i) => {
        if (poolIndex(codes, c) < 0) fail(`${dp}.scope.codes[${i}]`, "pool", `${c} 不在名录中`);
      });
    }
    d.excluded.forEach((x, i) => {
      if (poolIndex(codes, x.code) < 0 || (scoped && !scoped.has(x.code))) fail(`${dp}.excluded[${i}].code`, "scope", `${x.code} 不在该部门的抽查范围内，不能被排除`);
    });
  });
  // §3.1 rule 8 for ratio quotas (count quotas need the candidates per class: checked with them)
  p.departments.forEach((d, di) => {
    if (!d.items.every((it) => it.kind === "general")) return;
    for (const k of RISK_CLASSES) {
      const q = d.quotas[k];
      if (!("ratio" in q)) continue;
      const cap = parseRatio(p.config.generalRatioCap[k], `${path}.config.generalRatioCap.${k}`);
      const r = parseRatio(q.ratio, `${path}.departments[${di}].quotas.${k}.ratio`);
      if (r.p * cap.q > cap.p * r.q)
        fail(`${path}.departments[${di}].quotas.${k}`, "generalRatioCap", `一般检查事项的抽查比例 ${q.ratio} 超过了 ${k} 类上限 ${p.config.generalRatioCap[k]}`);
    }
  });
  if (p.inspectors) {
    const keys = Object.keys(p.inspectors.officers).sort();
    const want = [...depIds].sort();
    if (keys.join("\u0000") !== want.join("\u0000")) fail(`${path}.inspectors.officers`, "departments", "执法人员数量须且只须列出本批次的每个部门");
    for (const k of keys) int(0)(p.inspectors.officers[k], `${path}.inspectors.officers.${k}`);
  }
  if (p.seedPlan.mode === "commitReveal")
    p.seedPlan.departments.forEach((d, i) => {
      if (!depIds.includes(d)) fail(`${path}.seedPlan.departments[${i}]`, "seedPlan", `${d} 不是本批次的部门`);
    });
}

const officer = obj({
  id: strMax(64),
  department: strMax(64),
  qualifications: sortedStrings,
  districts: list(prefix, { sorted: true }),
  active: bool,
  capacity: nullable(int(0)),
  dailyCapacity: int(1, 1000),
  unavailable: list(date, { sorted: true }),
});
const expert = obj({ id: strMax(64), specialities: sortedStrings, districts: list(prefix, { sorted: true }), active: bool, capacity: nullable(int(0)) });
const recusal = obj({ inspectorId: strMax(64), code, reason: str });
const privateShape = obj({
  classKey: hex64,
  strata: (v, p) => typeof v === "string" || fail(p, "type", "应为字符串"),
  inspectors: nullable(
    obj({
      officers: list(officer, { sortedBy: (x: { id: string }) => x.id }),
      experts: list(expert, { sortedBy: (x: { id: string }) => x.id }),
      recusals: list(recusal, { sortedBy: (x: { inspectorId: string; code: string }) => [x.inspectorId, x.code] }),
    }),
  ),
});

/** Every rule of §3.1 on the private part (the public part must already be valid). */
export function validatePrivateInputs(p: PublicInputs, priv: PrivateInputs, path = "inputs.private"): void {
  privateShape(priv, path);
  const n = p.pool.codes.length;
  if (priv.strata.length !== n) fail(`${path}.strata`, "columns", `类别串长度 ${priv.strata.length} 不等于名录数量 ${n}`);
  const counts = { A: 0, B: 0, C: 0, D: 0 } as Record<RiskClass, number>;
  for (let i = 0; i < n; i++) {
    const s = priv.strata[i] as RiskClass;
    if (!(s in counts)) fail(`${path}.strata[${i}]`, "riskClass", "类别必须是 A、B、C、D 之一");
    counts[s]++;
  }
  for (const k of RISK_CLASSES)
    if (counts[k] !== p.pool.classCounts[k]) fail(`inputs.public.pool.classCounts.${k}`, "classCounts", `公开的 ${k} 类数量为 ${p.pool.classCounts[k]}，类别串中为 ${counts[k]}`);
  if ((priv.inspectors === null) !== (p.inspectors === null)) fail(`${path}.inspectors`, "inspectors", "公开部分与保密部分对是否有执法人员名录的说法不一致");
  const insp = priv.inspectors;
  if (insp && p.inspectors) {
    const depIds = new Set(p.departments.map((d) => d.id));
    const perDept: Record<string, number> = Object.fromEntries(p.departments.map((d) => [d.id, 0]));
    insp.officers.forEach((o, i) => {
      if (!depIds.has(o.department)) fail(`${path}.inspectors.officers[${i}].department`, "department", `${o.department} 不是本批次的部门`);
      perDept[o.department]!++;
    });
    for (const d of depIds)
      if (perDept[d] !== p.inspectors.officers[d]) fail(`inputs.public.inspectors.officers.${d}`, "inspectorCount", `公开的人数 ${p.inspectors.officers[d]} 与名录中的 ${perDept[d]} 不符`);
    if (insp.experts.length !== p.inspectors.experts) fail("inputs.public.inspectors.experts", "inspectorCount", `公开的专家人数 ${p.inspectors.experts} 与名录中的 ${insp.experts.length} 不符`);
    const people = new Set(insp.officers.map((o) => o.id));
    insp.experts.forEach((x, i) => {
      if (people.has(x.id)) fail(`${path}.inspectors.experts[${i}].id`, "idNamespace", `专家编号 ${x.id} 与执法人员编号重复：一人只能有一个编号`);
      people.add(x.id);
    });
    insp.recusals.forEach((r, i) => {
      if (!people.has(r.inspectorId)) fail(`${path}.inspectors.recusals[${i}].inspectorId`, "unknownPerson", `${r.inspectorId} 不在执法人员或专家名录中`);
      if (poolIndex(p.pool.codes, r.code) < 0) fail(`${path}.inspectors.recusals[${i}].code`, "pool", `${r.code} 不在名录中`);
    });
  }
  p.departments.forEach((d, di) => {
    if (d.items.every((it) => it.kind === "general")) checkGeneralCap(p, di, candidateCounts(p, d, priv.strata), "inputs.public");
  });
}

/** The `draw` configuration as a draw would freeze it (PUT /config/draw). */
export function validateDrawConfig(config: unknown, path = "config"): void {
  drawConfigShape(config, path);
}

export const provenanceShape = union("mode", {
  commitReveal: obj({
    mode: literal("commitReveal"),
    reveals: list(obj({ department: strMax(64), commitment: hex64, committedAt: instant, secret: hex64, revealedAt: instant }), {
      sortedBy: (x: { department: string }) => x.department,
      nonEmpty: true,
    }),
  }),
  external: obj({ mode: literal("external"), source: strMax(200), reference: strMax(200), value: strMax(500), publishedAt: instant }),
});

export const auditShape = obj({ seq: int(0), hash: hex64 });

export { district };
