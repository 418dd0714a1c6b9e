/**
 * Commit step of the seed ceremony: freeze a batch's inputs into a canonical document and its
 * SHA-256 commitment, BEFORE any seed exists (docs/draw-spec.md §3–4).
 *
 *   freezeInputs(DrawRequest) → FrozenInputs    (canonical: sorted, exclusions resolved, reasons recorded)
 *   commitment(FrozenInputs)  → "9f2c…" (64 hex) = SHA-256(CJSON(FrozenInputs))
 *
 * The rules for the population and the exclusions are separate pure functions so they can be
 * tested and reused: matchesConditions, frequencyCapExclusion, statusExclusion.
 */
import { canonicalJson, cjsonDigest, codePointCompare } from "./canonicalJson.ts";
import { HashWriter } from "./hashWriter.ts";
import { DrawInputError, ceilRatio, parseRatio } from "./rational.ts";
import type { SamplingFrame } from "./targets.ts";
import {
  RISK_CLASSES,
  SPEC_VERSION,
  type CheckRecord,
  type Conditions,
  type DepartmentInput,
  type DrawRequest,
  type Entity,
  type Exclusion,
  type ExclusionRule,
  type FrequencyCap,
  type FrozenDepartment,
  type FrozenInputs,
  type Quota,
  type RiskClass,
} from "./types.ts";

export { DrawInputError };

/** Codes the engine accepts: 1–23 characters of [0-9A-Z] (covers 统一社会信用代码 and 注册号). */
export const CODE_PATTERN = /^[0-9A-Z]{1,23}$/;

/** 定向 conditions (AND across fields, OR within; districts/industries by prefix). */
export function matchesConditions(e: Pick<Entity, "district" | "industry" | "kind" | "size">, c: Conditions): boolean {
  if (c.districts && !c.districts.some((p) => e.district.startsWith(p))) return false;
  if (c.industries && !c.industries.some((p) => e.industry.startsWith(p))) return false;
  if (c.kinds && !c.kinds.includes(e.kind)) return false;
  if (c.sizes && !(e.size !== undefined && c.sizes.includes(e.size))) return false;
  return true;
}

/** Entity statuses as the exclusion reason names them (public text of the manifest). */
const STATUS_NAMES: Readonly<Record<string, string>> = { deregistered: "注销", revoked: "吊销", cancelled: "撤销", closed: "停业", "moved-out": "迁出" };

/** Exclusion for a non-active entity (注销, 吊销, 撤销, 迁出 …), or null. */
export function statusExclusion(e: Entity): Exclusion | null {
  return e.status === "active" ? null : { code: e.code, rule: "status", reason: `登记状态为${STATUS_NAMES[e.status] ?? e.status}，不是存续` };
}

/** Department levels as the exclusion reason names them (public text of the manifest). */
const LEVEL_NAMES: Readonly<Record<string, string>> = { city: "市级", district: "区县级", zone: "开发区" };

/**
 * Yearly frequency cap: given the entity's past checks, does `department` at `level` in `year`
 * reach its cap? Exempt kinds (complaints, referrals …) do not count.
 */
export function frequencyCapExclusion(
  code: string,
  cap: FrequencyCap,
  year: number,
  history: readonly CheckRecord[],
): Exclusion | null {
  let sameLevel = 0;
  let allLevels = 0;
  for (const h of history) {
    if (h.code !== code || h.department !== cap.department || h.year !== year || cap.exemptKinds.includes(h.kind)) continue;
    allLevels++;
    if (h.level === cap.level) sameLevel++;
  }
  if (sameLevel >= cap.maxPerYear)
    return {
      code,
      rule: "frequencyCap",
      reason: `${cap.department} ${year} 年在本层级（${LEVEL_NAMES[cap.level] ?? cap.level}）已计入检查 ${sameLevel} 次，达到年度频次上限 ${cap.maxPerYear} 次`,
    };
  if (cap.maxPerYearAllLevels !== undefined && allLevels >= cap.maxPerYearAllLevels)
    return {
      code,
      rule: "frequencyCap",
      reason: `${cap.department} ${year} 年与上下级合计已计入检查 ${allLevels} 次，达到跨层级年度频次上限 ${cap.maxPerYearAllLevels} 次`,
    };
  return null;
}

function ruleMatches(rule: ExclusionRule, e: Entity): boolean {
  if (rule.codes?.includes(e.code)) return true;
  return rule.conditions !== undefined && matchesConditions(e, rule.conditions);
}

function validateQuota(q: Quota, field: string): void {
  if ("ratio" in q) parseRatio(q.ratio, `${field}.ratio`);
  else if (!Number.isSafeInteger(q.count) || q.count < 0)
    throw new DrawInputError(`${field}.count`, "quota", `数量须为不小于 0 的整数，实为 ${q.count}`);
}

const byId = (a: { id: string }, b: { id: string }) => codePointCompare(a.id, b.id);
const sortedStrings = (xs: readonly string[]) => [...new Set(xs)].sort(codePointCompare);

/**
 * Freeze a batch: validate, resolve population and exclusions, canonicalise. Throws DrawInputError
 * naming the field and the rule broken. The result contains no floating point and no db ids.
 */
export function freezeInputs(req: DrawRequest): FrozenInputs {
  const { batch, config } = req;
  req.entities.forEach((e, i) => {
    if (!CODE_PATTERN.test(e.code))
      throw new DrawInputError(`entities[${i}].code`, "code", `“${e.code}”不是 1–23 位数字或大写字母`);
    if (!RISK_CLASSES.includes(e.riskClass))
      throw new DrawInputError(`entities[${i}].riskClass`, "riskClass", `风险类别“${e.riskClass}”不是 A、B、C、D 之一`);
  });
  // Sort once (radix); every list derived below keeps this order. Duplicates are adjacent.
  const perm = sortedOrder(req.entities.map((e) => e.code));
  const entities: Entity[] = new Array(perm.length);
  for (let k = 0; k < perm.length; k++) {
    entities[k] = req.entities[perm[k]!]!;
    if (k > 0 && entities[k - 1]!.code === entities[k]!.code)
      throw new DrawInputError(`entities[${perm[k]}].code`, "unique", `代码 ${entities[k]!.code} 重复（另见 entities[${perm[k - 1]}]）`);
  }
  const depIds = new Set<string>();
  req.departments.forEach((d, i) => {
    if (depIds.has(d.id)) throw new DrawInputError(`departments[${i}].id`, "unique", `部门 ${d.id} 重复`);
    depIds.add(d.id);
    for (const k of RISK_CLASSES) {
      const q = d.quotas?.[k];
      if (!q) throw new DrawInputError(`departments[${i}].quotas.${k}`, "quota", `缺少 ${k} 类的配额`);
      validateQuota(q, `departments[${i}].quotas.${k}`);
    }
  });
  for (const k of RISK_CLASSES) parseRatio(config.generalRatioCap[k], `config.generalRatioCap.${k}`);
  if (!Number.isSafeInteger(config.substitutes) || config.substitutes < 0)
    throw new DrawInputError("config.substitutes", "substitutes", "须为不小于 0 的整数");

  // 1. Global exclusions: status, then rules that apply to every department.
  const globalRules = config.rules.filter((r) => !r.departments);
  const excluded: Exclusion[] = [];
  const live: Entity[] = [];
  for (const e of entities) {
    let x = statusExclusion(e);
    if (!x) {
      const r = globalRules.find((r) => ruleMatches(r, e));
      if (r) x = { code: e.code, rule: r.id, reason: r.reason };
    }
    if (x) excluded.push(x);
    else live.push(e);
  }

  // 2. Per department: scope and its own exclusions.
  const historyByCode = new Map<string, CheckRecord[]>();
  for (const h of req.history) {
    const l = historyByCode.get(h.code);
    if (l) l.push(h);
    else historyByCode.set(h.code, [h]);
  }
  const inAnyScope = new Set<string>();
  let allScoped = false;
  const departments: FrozenDepartment[] = [...req.departments].sort(byId).map((d: DepartmentInput) => {
    const scoped = d.conditions ? live.filter((e) => matchesConditions(e, d.conditions!)) : live;
    if (d.conditions) for (const e of scoped) inAnyScope.add(e.code);
    else allScoped = true;
    // A department's caps apply whatever the batch level (a district partner in a city batch keeps its own).
    const caps = config.frequencyCaps.filter((c) => c.department === d.id);
    const rules = config.rules.filter((r) => r.departments?.includes(d.id));
    const dx: Exclusion[] = [];
    if (caps.length > 0 || rules.length > 0) {
      for (const e of scoped) {
        let x: Exclusion | null = null;
        const hist = historyByCode.get(e.code);
        if (hist) for (const c of caps) if ((x = frequencyCapExclusion(e.code, c, batch.year, hist))) break;
        if (!x) {
          const r = rules.find((r) => ruleMatches(r, e));
          if (r) x = { code: e.code, rule: r.id, reason: r.reason };
        }
        if (x) dx.push(x);
      }
    }
    return {
      id: d.id,
      name: d.name,
      role: d.role,
      items: [...d.items].sort(byId),
      scope: d.conditions
        ? { kind: "directed" as const, conditions: canonicalConditions(d.conditions), codes: scoped.map((e) => e.code) }
        : { kind: "all" as const },
      quotas: { A: d.quotas.A, B: d.quotas.B, C: d.quotas.C, D: d.quotas.D },
      qualification: d.qualification ?? null,
      excluded: dx,
    };
  });

  // 3. The pool: live entities in at least one department's scope, sorted by code.
  const poolEntities = allScoped ? live : live.filter((e) => inAnyScope.has(e.code));
  const codes = poolEntities.map((e) => e.code);
  const strata = poolEntities.map((e) => e.riskClass).join("");
  const districts = poolEntities.map((e) => e.district);

  let inspectors: FrozenInputs["inspectors"] = null;
  if (req.inspectors) {
    const officers = req.inspectors.officers
      .map((o) => ({ ...o, qualifications: sortedStrings(o.qualifications), districts: sortedStrings(o.districts) }))
      .sort(byId);
    const experts = req.inspectors.experts
      .map((x) => ({ ...x, specialities: sortedStrings(x.specialities), districts: sortedStrings(x.districts) }))
      .sort(byId);
    const ids = new Set<string>();
    for (const p of [...officers, ...experts]) {
      if (ids.has(p.id)) throw new DrawInputError("inspectors", "unique", `人员编号 ${p.id} 重复`);
      ids.add(p.id);
    }
    const rec = new Map<string, (typeof req.inspectors.recusals)[number]>();
    for (const r of req.inspectors.recusals) {
      const k = `${r.inspectorId}\u0000${r.code}`;
      if (!rec.has(k)) rec.set(k, { inspectorId: r.inspectorId, code: r.code, reason: r.reason });
    }
    const recusals = [...rec.values()].sort((a, b) => codePointCompare(a.inspectorId, b.inspectorId) || codePointCompare(a.code, b.code));
    inspectors = { officers, experts, recusals };
  }

  const seedPlan =
    req.seedPlan.mode === "commitReveal"
      ? { mode: "commitReveal" as const, departments: sortedStrings(req.seedPlan.departments) }
      : { mode: "external" as const, source: req.seedPlan.source, reference: req.seedPlan.reference };
  if (seedPlan.mode === "commitReveal") {
    if (seedPlan.departments.length === 0) throw new DrawInputError("seedPlan.departments", "seedPlan", "至少要有一个部门参与");
    for (const d of seedPlan.departments)
      if (!depIds.has(d)) throw new DrawInputError("seedPlan.departments", "seedPlan", `${d} 不是本批次的部门`);
  }

  const frozen: FrozenInputs = {
    spec: SPEC_VERSION,
    batch: { id: batch.id, name: batch.name, year: batch.year, level: batch.level },
    pool: { codes, strata, districts },
    excluded,
    departments,
    config: { generalRatioCap: { ...config.generalRatioCap }, substitutes: config.substitutes, team: { ...config.team } },
    inspectors,
    seedPlan,
  };
  validateFrozen(frozen);
  return frozen;
}

function canonicalConditions(c: Conditions): Conditions {
  const out: Conditions = {};
  if (c.districts) out.districts = sortedStrings(c.districts);
  if (c.industries) out.industries = sortedStrings(c.industries);
  if (c.kinds) out.kinds = sortedStrings(c.kinds);
  if (c.sizes) out.sizes = sortedStrings(c.sizes);
  return out;
}

/**
 * Structural rules every FrozenInputs must satisfy (used by freezeInputs and by the verifier):
 * sorted unique pool, aligned columns, sorted exclusions inside the pool, directed scopes inside
 * the pool, quotas valid, and the 一般-item ratio cap. Throws DrawInputError.
 */
export function validateFrozen(f: FrozenInputs): void {
  if (f.spec !== SPEC_VERSION) throw new DrawInputError("spec", "spec", `不支持的规范版本“${f.spec}”，此处实现的是 ${SPEC_VERSION}`);
  const { codes, strata, districts } = f.pool;
  if (strata.length !== codes.length || districts.length !== codes.length)
    throw new DrawInputError("pool", "columns", "codes、strata、districts 的长度须相同");
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i]!;
    if (!CODE_PATTERN.test(c)) throw new DrawInputError(`pool.codes[${i}]`, "code", `“${c}”不是 1–23 位数字或大写字母`);
    if (i > 0 && !(codes[i - 1]! < c)) throw new DrawInputError(`pool.codes[${i}]`, "order", "名录代码须严格升序");
    const s = strata.charCodeAt(i);
    if (s < 65 || s > 68) throw new DrawInputError(`pool.strata[${i}]`, "riskClass", "类别须为 A、B、C、D 之一");
  }
  const depIds = new Set<string>();
  f.departments.forEach((d, di) => {
    if (di > 0 && !(codePointCompare(f.departments[di - 1]!.id, d.id) < 0))
      throw new DrawInputError(`departments[${di}].id`, "order", "部门须按编号严格升序、不重复");
    depIds.add(d.id);
    for (const k of RISK_CLASSES) validateQuota(d.quotas[k], `departments[${di}].quotas.${k}`);
    if (d.scope.kind === "directed") {
      const sc = d.scope.codes;
      for (let i = 0; i < sc.length; i++) {
        if (i > 0 && !(sc[i - 1]! < sc[i]!)) throw new DrawInputError(`departments[${di}].scope.codes[${i}]`, "order", "须严格升序");
        if (poolIndex(codes, sc[i]!) < 0) throw new DrawInputError(`departments[${di}].scope.codes[${i}]`, "pool", `${sc[i]} 不在名录中`);
      }
    }
    d.excluded.forEach((x, i) => {
      if (i > 0 && !(d.excluded[i - 1]!.code < x.code)) throw new DrawInputError(`departments[${di}].excluded[${i}]`, "order", "须按代码严格升序、不重复");
    });
    if (d.items.length > 0 && d.items.every((it) => it.kind === "general")) {
      const sizes = eligibleCounts(f, di);
      for (const k of RISK_CLASSES) {
        const cap = parseRatio(f.config.generalRatioCap[k], `config.generalRatioCap.${k}`);
        const q = d.quotas[k];
        const field = `departments[${di}].quotas.${k}`;
        if ("ratio" in q) {
          const r = parseRatio(q.ratio, field);
          if (r.p * cap.q > cap.p * r.q)
            throw new DrawInputError(field, "generalRatioCap", `一般检查事项的抽查比例 ${q.ratio} 超过了上限 ${f.config.generalRatioCap[k]}`);
        } else if (q.count > ceilRatio(sizes[k], cap)) {
          throw new DrawInputError(field, "generalRatioCap", `一般检查事项的抽查数量 ${q.count} 超过了 ${sizes[k]} 个候选对象的上限 ${f.config.generalRatioCap[k]}`);
        }
      }
    }
  });
  f.excluded.forEach((x, i) => {
    if (i > 0 && !(f.excluded[i - 1]!.code < x.code)) throw new DrawInputError(`excluded[${i}]`, "order", "须按代码严格升序、不重复");
  });
  if (f.seedPlan.mode === "commitReveal")
    for (const d of f.seedPlan.departments)
      if (!depIds.has(d)) throw new DrawInputError("seedPlan.departments", "seedPlan", `${d} 不是本批次的部门`);
}

/**
 * The permutation that sorts `codes` ascending (byte order), for codes matching CODE_PATTERN:
 * an LSD radix sort over character positions (37 buckets: "past the end", 0-9, A-Z), linear
 * in the total length, several times faster than a comparison sort of 2,000,000 strings.
 */
export function sortedOrder(codes: readonly string[]): Int32Array {
  const n = codes.length;
  let maxLen = 0;
  for (let i = 0; i < n; i++) if (codes[i]!.length > maxLen) maxLen = codes[i]!.length;
  if (maxLen > 23) throw new RangeError("codes longer than 23 characters");
  const digit = new Uint8Array(n * maxLen); // column-major: position p of code i at p*n + i
  for (let i = 0; i < n; i++) {
    const c = codes[i]!;
    for (let p = 0; p < c.length; p++) {
      const ch = c.charCodeAt(p);
      digit[p * n + i] = ch <= 57 ? ch - 47 : ch - 54; // '0'..'9' → 1..10, 'A'..'Z' → 11..36
    }
  }
  let perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  let tmp = new Int32Array(n);
  const count = new Int32Array(38);
  for (let p = maxLen - 1; p >= 0; p--) {
    const col = p * n;
    count.fill(0);
    for (let i = 0; i < n; i++) count[digit[col + i]! + 1]!++;
    let distinct = 0;
    for (let b = 1; b < 38; b++) if (count[b]! > 0) distinct++;
    if (distinct <= 1) continue;
    for (let b = 1; b < 38; b++) count[b]! += count[b - 1]!;
    for (let k = 0; k < n; k++) {
      const i = perm[k]!;
      tmp[count[digit[col + i]!]!++] = i;
    }
    const t = perm;
    perm = tmp;
    tmp = t;
  }
  return perm;
}

/** Index of `code` in the sorted pool, or -1. */
export function poolIndex(codes: readonly string[], code: string): number {
  let lo = 0;
  let hi = codes.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const c = codes[mid]!;
    if (c === code) return mid;
    if (c < code) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** Candidate mask of department `di` over the pool: 1 = in scope and not excluded. */
export function candidateMask(f: SamplingFrame, di: number): Uint8Array {
  const d = f.departments[di]!;
  const n = f.pool.codes.length;
  const mask = new Uint8Array(n);
  if (d.scope.kind === "all") mask.fill(1);
  else for (const c of d.scope.codes) { const i = poolIndex(f.pool.codes, c); if (i >= 0) mask[i] = 1; }
  for (const x of d.excluded) { const i = poolIndex(f.pool.codes, x.code); if (i >= 0) mask[i] = 0; }
  return mask;
}

/** Number of candidates per stratum for department `di`. */
export function eligibleCounts(f: SamplingFrame, di: number): Record<RiskClass, number> {
  const mask = candidateMask(f, di);
  const c = [0, 0, 0, 0];
  const s = f.pool.strata;
  for (let i = 0; i < mask.length; i++) if (mask[i]) c[s.charCodeAt(i) - 65]!++;
  return { A: c[0]!, B: c[1]!, C: c[2]!, D: c[3]! };
}

/**
 * The commitment: SHA-256 (hex) of CJSON(FrozenInputs). Published before the seed exists.
 * The pool (millions of codes) is streamed into the hash without building its JSON text; the
 * bytes are exactly CJSON's (tested against cjsonDigest).
 */
export function commitment(f: FrozenInputs): string {
  const pool = f.pool as unknown as Record<string, unknown>;
  const keys = pool && typeof pool === "object" ? Object.keys(pool).sort().join(",") : "";
  if (keys !== "codes,districts,strata" || !Array.isArray(pool.codes) || !Array.isArray(pool.districts) || typeof pool.strata !== "string")
    return cjsonDigest(f);
  const MARK = "\u0001ssj-draw pool\u0001";
  const text = canonicalJson({ ...f, pool: MARK });
  const enc = canonicalJson(MARK);
  const at = text.indexOf(enc);
  if (at < 0 || text.lastIndexOf(enc) !== at) return cjsonDigest(f);
  const w = new HashWriter();
  w.bytes(Buffer.from(text.slice(0, at), "utf8"));
  w.raw('{"codes":');
  w.strArray(f.pool.codes);
  w.raw(',"districts":');
  w.strArray(f.pool.districts);
  w.raw(',"strata":');
  w.str(f.pool.strata);
  w.raw("}");
  w.bytes(Buffer.from(text.slice(at + enc.length), "utf8"));
  return w.digestHex();
}
