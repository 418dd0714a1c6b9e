/** Synthetic, deterministic draw inputs for tests (no real entities or people). */
import fc from "fast-check";
import type { ExclusionRule, CheckRecord, Recusal, Expert } from "../../src/draws/index.ts";
import { creditCodeCheckChar, CREDIT_CODE_ALPHABET } from "../../src/directories/creditCode.ts";
import { DEFAULT_TEAM_RULE, type DrawRequest, type Entity, type Inspector, type RiskClass, type DepartmentInput, type Quota } from "../../src/draws/index.ts";

/** A small deterministic PRNG for building fixtures (mulberry32). */
export function fixtureRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const DISTRICTS = ["350102", "350103", "350104", "350105", "350111"];

/** A valid 统一社会信用代码 for index i (region 350100, organisation code from i). */
export function codeFor(i: number, kind = "1"): string {
  let org = "";
  let x = i;
  for (let k = 0; k < 9; k++) {
    org = CREDIT_CODE_ALPHABET[x % 31]! + org;
    x = Math.floor(x / 31);
  }
  const first17 = `9${kind}350100${org}`;
  return first17 + creditCodeCheckChar(first17);
}

export function makeEntities(n: number, seed = 1, opts: { inactiveShare?: number } = {}): Entity[] {
  const r = fixtureRng(seed);
  const classes: RiskClass[] = ["A", "B", "B", "B", "C", "D"];
  return Array.from({ length: n }, (_, i) => ({
    code: codeFor(i * 7 + seed),
    name: `测试主体${i}`,
    district: DISTRICTS[Math.floor(r() * DISTRICTS.length)]!,
    industry: ["C13", "F52", "H62", "I65"][Math.floor(r() * 4)]!,
    kind: r() < 0.7 ? "enterprise" : "individual",
    size: r() < 0.5 ? "small" : "medium",
    status: r() < (opts.inactiveShare ?? 0.05) ? "deregistered" : "active",
    riskClass: classes[Math.floor(r() * classes.length)]!,
  }));
}

export const ratioQuotas = (a: string, b: string, c: string, d: string): Record<RiskClass, Quota> => ({
  A: { ratio: a },
  B: { ratio: b },
  C: { ratio: c },
  D: { ratio: d },
});

export function makeDepartments(k: number): DepartmentInput[] {
  return Array.from({ length: k }, (_, i) => ({
    id: `D${String(i + 1).padStart(2, "0")}`,
    name: `部门${i + 1}`,
    role: i === 0 ? "lead" : "participating",
    items: [{ id: `I${i}`, name: `检查事项${i}`, kind: "key" }],
    quotas: ratioQuotas("1/100", "3/100", "10/100", "30/100"),
    qualification: "执法证",
  }));
}

export function makeOfficers(departments: string[], perDept: number, seed = 3): Inspector[] {
  const r = fixtureRng(seed);
  const out: Inspector[] = [];
  for (const d of departments)
    for (let i = 0; i < perDept; i++)
      out.push({
        id: `${d}-P${String(i).padStart(3, "0")}`,
        department: d,
        qualifications: r() < 0.9 ? ["执法证"] : [],
        districts: r() < 0.5 ? ["3501"] : [DISTRICTS[Math.floor(r() * DISTRICTS.length)]!],
        active: r() < 0.9,
      });
  return out;
}

export function makeRequest(opts: { n?: number; departments?: number; seed?: number; inspectors?: boolean } = {}): DrawRequest {
  const deps = makeDepartments(opts.departments ?? 3);
  const entities = makeEntities(opts.n ?? 400, opts.seed ?? 1);
  return {
    batch: { id: "2026-B01", name: "2026年第一批联合抽查", year: 2026, level: "city" },
    entities,
    departments: deps,
    config: {
      generalRatioCap: { A: "5/100", B: "20/100", C: "60/100", D: "1/1" },
      substitutes: 3,
      frequencyCaps: deps.map((d) => ({ department: d.id, level: "city", maxPerYear: 2, exemptKinds: ["complaint", "referral"] })),
      rules: [],
      team: { ...DEFAULT_TEAM_RULE },
    },
    history: [],
    inspectors: opts.inspectors === false ? undefined : { officers: makeOfficers(deps.map((d) => d.id), 8), experts: [], recusals: [] },
    seedPlan: { mode: "external", source: "drand", reference: "quicknet round 1000000" },
  };
}


const quotaArb: fc.Arbitrary<Quota> = fc.oneof(
  fc.tuple(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 1, max: 20 })).map(([a, b]) => ({ ratio: `${Math.min(a, b)}/${b}` })),
  fc.integer({ min: 0, max: 12 }).map((count) => ({ count })),
);

/** Random but valid draw requests (small), with exclusions, history, rules, inspectors, recusals. */
export const arbRequest: fc.Arbitrary<DrawRequest> = fc
  .record({
    n: fc.integer({ min: 1, max: 60 }),
    seed: fc.integer({ min: 1, max: 1_000_000 }),
    k: fc.integer({ min: 1, max: 4 }),
    quotas: fc.array(fc.record({ A: quotaArb, B: quotaArb, C: quotaArb, D: quotaArb }), { minLength: 4, maxLength: 4 }),
    directed: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
    historyPicks: fc.array(fc.tuple(fc.nat(), fc.nat(3), fc.constantFrom("random", "complaint"), fc.constantFrom("city", "district")), { maxLength: 80 }),
    rulePicks: fc.array(fc.nat(), { maxLength: 5 }),
    recusalPicks: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 40 }),
    perDept: fc.integer({ min: 0, max: 6 }),
    experts: fc.integer({ min: 0, max: 2 }),
    minTotal: fc.integer({ min: 2, max: 3 }),
    minPerDepartment: fc.integer({ min: 1, max: 2 }),
    substitutes: fc.integer({ min: 0, max: 3 }),
  })
  .map((p) => {
    const entities = makeEntities(p.n, p.seed, { inactiveShare: 0.1 });
    const deps = makeDepartments(p.k).map((d, i) => ({
      ...d,
      quotas: p.quotas[i]!,
      conditions: p.directed[i] ? { districts: [DISTRICTS[i % DISTRICTS.length]!, DISTRICTS[(i + 2) % DISTRICTS.length]!] } : undefined,
    }));
    const history: CheckRecord[] = p.historyPicks.map(([e, d, kind, level]) => ({
      code: entities[e % entities.length]!.code,
      department: deps[d % deps.length]!.id,
      level,
      year: 2026,
      kind,
    }));
    const rules: ExclusionRule[] = p.rulePicks.length
      ? [
          { id: "listed", reason: "列入严重违法失信名单另行处置", codes: p.rulePicks.map((x) => entities[x % entities.length]!.code), departments: [deps[0]!.id] },
          { id: "industryI65", reason: "行业另有专项检查", conditions: { industries: ["I65"] }, departments: [deps[deps.length - 1]!.id] },
        ]
      : [];
    const officers = makeOfficers(deps.map((d) => d.id), p.perDept, p.seed);
    const experts: Expert[] = Array.from({ length: 4 }, (_, i) => ({ id: `X${i}`, specialities: ["食品"], districts: ["3501"], active: i !== 3 }));
    const people = [...officers.map((o) => o.id), ...experts.map((x) => x.id)];
    const recusals: Recusal[] = people.length
      ? p.recusalPicks.map(([a, e]) => ({ inspectorId: people[a % people.length]!, code: entities[e % entities.length]!.code, reason: "亲属关系" }))
      : [];
    const req: DrawRequest = {
      batch: { id: `B${p.seed}`, name: "随机批次", year: 2026, level: "city" },
      entities,
      departments: deps,
      config: {
        generalRatioCap: { A: "5/100", B: "20/100", C: "60/100", D: "1/1" },
        substitutes: p.substitutes,
        frequencyCaps: deps.map((d) => ({ department: d.id, level: "city", maxPerYear: 1, maxPerYearAllLevels: 2, exemptKinds: ["complaint"] })),
        rules,
        team: { minPerDepartment: p.minPerDepartment, minTotal: p.minTotal, experts: p.experts, reserves: 2 },
      },
      history,
      inspectors: { officers, experts, recusals },
      seedPlan: { mode: "external", source: "drand", reference: "round 42" },
    };
    return req;
  });

/** A 32-byte seed (hex) from a small integer, for deterministic multi-seed tests. */
export function seedFor(i: number): string {
  let h = "";
  let x = (i * 2654435761) >>> 0;
  for (let k = 0; k < 8; k++) {
    x = (Math.imul(x ^ (x >>> 16), 0x45d9f3b) + k * 0x9e3779b9) >>> 0;
    h += x.toString(16).padStart(8, "0");
  }
  return h;
}
