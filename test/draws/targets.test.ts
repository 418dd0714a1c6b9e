import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  buildManifest,
  canonicalJson,
  DrawInputError,
  drawTargets,
  freezeInputs,
  frequencyCapExclusion,
  matchesConditions,
  quotaFor,
  RISK_CLASSES,
  substituteTarget,
  ticketOf,
  ticketOrder,
  type DrawRequest,
  type FrozenInputs,
  type RiskClass,
  type SeedProvenance,
} from "../../src/draws/index.ts";
import { arbRequest, fixtureRng, makeRequest, ratioQuotas, seedFor } from "./fixtures.ts";

const prov = (value = "12345"): SeedProvenance => ({ mode: "external", source: "drand", reference: "round 42", value, publishedAt: "2026-11-25T00:00:00Z" });

function shuffled<T>(xs: readonly T[], seed: number): T[] {
  const r = fixtureRng(seed);
  const a = xs.slice();
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

/** Candidates of a department in a stratum, computed independently of the engine from the request. */
function expectedCandidates(req: DrawRequest, f: FrozenInputs, dep: string, k: RiskClass): Set<string> {
  const d = req.departments.find((x) => x.id === dep)!;
  const fd = f.departments.find((x) => x.id === dep)!;
  const excluded = new Set([...f.excluded.map((x) => x.code), ...fd.excluded.map((x) => x.code)]);
  return new Set(
    req.entities
      .filter((e) => e.status === "active" && e.riskClass === k && (!d.conditions || matchesConditions(e, d.conditions)) && !excluded.has(e.code))
      .map((e) => e.code),
  );
}

describe("drawTargets", () => {
  it("same inputs and seed → byte-identical manifest", () => {
    fc.assert(
      fc.property(arbRequest, fc.string({ minLength: 1, maxLength: 8 }), (req, v) => {
        const a = buildManifest({ inputs: freezeInputs(req), provenance: prov(v) });
        const b = buildManifest({ inputs: freezeInputs(structuredClone(req)), provenance: prov(v) });
        expect(canonicalJson(b)).toBe(canonicalJson(a));
        expect(JSON.stringify(b)).toBe(JSON.stringify(a));
      }),
      { numRuns: 60 },
    );
  });

  it("does not depend on input order (entities, departments, history, rules, officers)", () => {
    fc.assert(
      fc.property(arbRequest, fc.integer(), (req, s) => {
        const shuffledReq: DrawRequest = {
          ...req,
          entities: shuffled(req.entities, s),
          departments: shuffled(req.departments, s + 1),
          history: shuffled(req.history, s + 2),
          inspectors: req.inspectors && {
            officers: shuffled(req.inspectors.officers, s + 3),
            experts: shuffled(req.inspectors.experts, s + 4),
            recusals: shuffled(req.inspectors.recusals, s + 5),
          },
        };
        const a = buildManifest({ inputs: freezeInputs(req), provenance: prov() });
        const b = buildManifest({ inputs: freezeInputs(shuffledReq), provenance: prov() });
        expect(b.commitment).toBe(a.commitment);
        expect(canonicalJson(b.results)).toBe(canonicalJson(a.results));
      }),
      { numRuns: 60 },
    );
  });

  it("meets quotas exactly when the pool allows, reports the shortfall when not, and never draws an excluded entity", () => {
    fc.assert(
      fc.property(arbRequest, (req) => {
        const f = freezeInputs(req);
        const targets = drawTargets(f, seedFor(req.entities.length));
        for (const t of targets) {
          const d = f.departments.find((x) => x.id === t.department)!;
          for (const s of t.strata) {
            const cand = expectedCandidates(req, f, t.department, s.stratum);
            expect(s.candidates).toBe(cand.size);
            expect(s.quota).toBe(quotaFor(d.quotas[s.stratum], cand.size));
            expect(s.selected.length).toBe(Math.min(s.quota, cand.size));
            expect(s.shortfall).toBe(s.quota - s.selected.length);
            if ("ratio" in d.quotas[s.stratum]) expect(s.shortfall).toBe(0);
            for (const [, code] of [...s.selected, ...s.next]) expect(cand.has(code)).toBe(true);
            // ranks are 1..n in ticket order
            [...s.selected, ...s.next].forEach((row, i) => expect(row[0]).toBe(i + 1));
          }
        }
        // Independently: no non-active entity and no entity over its frequency cap is drawn.
        const inactive = new Set(req.entities.filter((e) => e.status !== "active").map((e) => e.code));
        for (const t of targets)
          for (const s of t.strata)
            for (const [, code] of s.selected) {
              expect(inactive.has(code)).toBe(false);
              const cap = req.config.frequencyCaps.find((c) => c.department === t.department)!;
              expect(frequencyCapExclusion(code, cap, 2026, req.history)).toBeNull();
            }
      }),
      { numRuns: 100 },
    );
  });

  it("selects the smallest tickets: every selected ticket < every unselected candidate's ticket", () => {
    fc.assert(
      fc.property(arbRequest, fc.nat(1000), (req, si) => {
        const f = freezeInputs(req);
        const seed = seedFor(si);
        for (const t of drawTargets(f, seed))
          for (const s of t.strata) {
            const chosen = new Set(s.selected.map((r) => r[1]));
            const cand = [...expectedCandidates(req, f, t.department, s.stratum)].map((c) => ({ c, t: ticketOf(seed, c) }));
            cand.sort((a, b) => (a.t < b.t ? -1 : a.t > b.t ? 1 : 0));
            expect(s.selected.map((r) => r[1])).toEqual(cand.slice(0, chosen.size).map((x) => x.c));
            expect(s.next.map((r) => r[1])).toEqual(cand.slice(chosen.size, chosen.size + f.config.substitutes).map((x) => x.c));
            for (const r of [...s.selected, ...s.next]) expect(ticketOf(seed, r[1]).slice(0, 16)).toBe(r[2]);
          }
      }),
      { numRuns: 60 },
    );
  });

  it("a department with a larger ratio selects a superset of one with a smaller ratio (same stratum, same pool)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 }), fc.nat(500), fc.integer({ min: 20, max: 200 }), (a, b, si, n) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const req = makeRequest({ n, departments: 2, inspectors: false });
        req.departments[0]!.quotas = ratioQuotas(`${lo}/100`, `${lo}/100`, `${lo}/100`, `${lo}/100`);
        req.departments[1]!.quotas = ratioQuotas(`${hi}/100`, `${hi}/100`, `${hi}/100`, `${hi}/100`);
        const [small, large] = drawTargets(freezeInputs(req), seedFor(si));
        for (const k of [0, 1, 2, 3]) {
          const big = new Set(large!.strata[k]!.selected.map((r) => r[1]));
          for (const r of small!.strata[k]!.selected) expect(big.has(r[1])).toBe(true);
        }
      }),
      { numRuns: 100 },
    );
  });

  it("selects uniformly: χ² over 3,000 deterministic seeds stays below the α = 0.001 critical value", () => {
    // 20 candidates in one stratum, 5 drawn per seed: each should be drawn 3000·5/20 = 750 times.
    const req = makeRequest({ n: 200, departments: 1, inspectors: false });
    const f = freezeInputs(req);
    const inA = f.pool.codes.filter((_, i) => f.pool.strata[i] === "A").slice(0, 20);
    const g: FrozenInputs = {
      ...f,
      pool: { codes: inA, strata: "A".repeat(20), districts: inA.map(() => "350102") },
      excluded: [],
      departments: [{ ...f.departments[0]!, excluded: [], quotas: { A: { count: 5 }, B: { count: 0 }, C: { count: 0 }, D: { count: 0 } } }],
    };
    const chi2 = (pick: (seedIndex: number) => string[]) => {
      const counts = new Map(inA.map((c) => [c, 0]));
      for (let i = 0; i < 3000; i++) for (const c of pick(i)) counts.set(c, counts.get(c)! + 1);
      return [...counts.values()].reduce((x, o) => x + (o - 750) ** 2 / 750, 0);
    };
    const engine = chi2((i) => drawTargets(g, seedFor(i))[0]!.strata[0]!.selected.map((r) => r[1]));
    const CRITICAL_19DF_0001 = 43.82;
    expect(engine).toBeLessThan(CRITICAL_19DF_0001);
    // The test can fail: a biased rule (ticket order restricted to the first 15 codes) is caught.
    const biased = chi2((i) => {
      const sel = drawTargets(g, seedFor(i))[0]!.strata[0]!.selected.map((r) => r[1]);
      return sel.map((c) => (inA.indexOf(c) >= 15 ? inA[inA.indexOf(c) - 15]! : c));
    });
    expect(biased).toBeGreaterThan(CRITICAL_19DF_0001);
  });

  it("substitutes a target by the next candidate in ticket order, chaining and skipping removed ones", () => {
    const req = makeRequest({ n: 300, departments: 2, inspectors: false });
    const f = freezeInputs(req);
    const seed = seedFor(3);
    const order = ticketOrder(f, seed);
    const results = drawTargets(f, seed, order);
    const s = results[0]!.strata[1]!;
    const first = substituteTarget(f, order, results, [], { department: "D01", stratum: "B", out: s.selected[0]![1], reason: "到达现场发现已注销" });
    expect(first.in).toBe(s.next[0]![1]);
    const second = substituteTarget(f, order, results, [first], { department: "D01", stratum: "B", out: first.in!, reason: "已迁出" });
    expect(second.in).toBe(s.next[1]![1]);
    expect(() => substituteTarget(f, order, results, [first], { department: "D01", stratum: "B", out: s.selected[0]![1], reason: "x" })).toThrow(/not currently selected/);
    expect(() => substituteTarget(f, order, results, [], { department: "D01", stratum: "B", out: s.selected[1]![1], reason: " " })).toThrow(/needs a reason/);
  });
});

describe("freezeInputs rules", () => {
  it("excludes non-active entities with a reason and keeps them out of the pool", () => {
    const req = makeRequest({ n: 200, inspectors: false });
    req.entities[0]!.status = "revoked";
    const f = freezeInputs(req);
    expect(f.excluded).toContainEqual({ code: req.entities[0]!.code, rule: "status", reason: "登记状态为吊销，不是存续" });
    expect(f.pool.codes).not.toContain(req.entities[0]!.code);
  });

  it("applies the yearly frequency cap per department and level, with exempt kinds and a cross-level cap", () => {
    const cap = { department: "D01", level: "city", maxPerYear: 2, maxPerYearAllLevels: 3, exemptKinds: ["complaint", "referral"] };
    const h = (level: string, kind = "random", department = "D01", year = 2026) => ({ code: "X", department, level, year, kind });
    expect(frequencyCapExclusion("X", cap, 2026, [h("city"), h("city", "complaint"), h("city", "referral")])).toBeNull();
    expect(frequencyCapExclusion("X", cap, 2026, [h("city"), h("city")])).toEqual({ code: "X", rule: "frequencyCap", reason: "D01 2026 年在本层级（市级）已计入检查 2 次，达到年度频次上限 2 次" });
    expect(frequencyCapExclusion("X", cap, 2026, [h("city"), h("district"), h("district")])?.reason).toBe("D01 2026 年与上下级合计已计入检查 3 次，达到跨层级年度频次上限 3 次");
    expect(frequencyCapExclusion("X", cap, 2026, [h("city"), h("city", "random", "D02"), h("city", "random", "D01", 2025)])).toBeNull();
  });

  it("matches 定向 conditions: AND across fields, OR within, prefixes for district and industry", () => {
    const e = { district: "350102", industry: "C1310", kind: "enterprise", size: "small" };
    expect(matchesConditions(e, {})).toBe(true);
    expect(matchesConditions(e, { districts: ["3501"], industries: ["C13", "F"] })).toBe(true);
    expect(matchesConditions(e, { districts: ["3502"] })).toBe(false);
    expect(matchesConditions(e, { kinds: ["individual"] })).toBe(false);
    expect(matchesConditions({ ...e, size: undefined }, { sizes: ["small"] })).toBe(false);
  });

  it("caps the ratio of departments whose items are all 一般, but not of 重点 items", () => {
    const req = makeRequest({ n: 100, departments: 1, inspectors: false });
    req.departments[0]!.quotas = ratioQuotas("10/100", "3/100", "3/100", "3/100");
    expect(() => freezeInputs(req)).not.toThrow();
    req.departments[0]!.items = [{ id: "g", name: "一般事项", kind: "general" }];
    expect(() => freezeInputs(req)).toThrow(/quotas\.A.*超过了上限 5\/100.*generalRatioCap/);
    req.departments[0]!.quotas = { ...ratioQuotas("5/100", "3/100", "3/100", "3/100"), C: { count: 99 } };
    expect(() => freezeInputs(req)).toThrow(/quotas\.C: 一般检查事项的抽查数量 99 超过了/);
  });

  it("rejects duplicate codes, bad codes, bad ratios and missing quotas, naming the field", () => {
    const req = makeRequest({ n: 20, departments: 1, inspectors: false });
    const dup = { ...req, entities: [...req.entities, { ...req.entities[3]! }] };
    expect(() => freezeInputs(dup)).toThrow(/代码 .* 重复/);
    const bad = structuredClone(req);
    bad.entities[2]!.code = "91350100m000100y43";
    expect(() => freezeInputs(bad)).toThrow(/entities\[2\]\.code/);
    const ratio = structuredClone(req);
    ratio.departments[0]!.quotas.B = { ratio: "0.03" };
    expect(() => freezeInputs(ratio)).toThrow(DrawInputError);
    const over = structuredClone(req);
    over.departments[0]!.quotas.B = { ratio: "3/2" };
    expect(() => freezeInputs(over)).toThrow(/大于 1/);
  });

  it("quota rounding is ceil(n·p/q) in exact integers", () => {
    expect(quotaFor({ ratio: "3/100" }, 100)).toBe(3);
    expect(quotaFor({ ratio: "3/100" }, 101)).toBe(4);
    expect(quotaFor({ ratio: "0/7" }, 50)).toBe(0);
    expect(quotaFor({ ratio: "1/3" }, 9_007_199_254_740)).toBe(3_002_399_751_580);
    expect(quotaFor({ count: 7 }, 3)).toBe(7);
  });

  it("pools are sorted by code and the risk classes are A–D", () => {
    fc.assert(
      fc.property(arbRequest, (req) => {
        const f = freezeInputs(req);
        expect([...f.pool.codes].sort()).toEqual(f.pool.codes);
        for (const ch of f.pool.strata) expect(RISK_CLASSES).toContain(ch);
      }),
      { numRuns: 30 },
    );
  });
});

