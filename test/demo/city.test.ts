import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { checkEntityCode, isValidCreditCode, isValidRegistrationNumber } from "../../src/directories/creditCode.ts";
import { demoCity, entityGenerator, inspectorCoverage, RISK_SHARES, type DemoEntity } from "../../src/demo/city.ts";
import { DISTRICTS, INDUSTRIES } from "../../src/demo/catalog.ts";
import { permute30, seedWords } from "../../src/demo/random.ts";

const XIAN = ["610102", "610103", "610104", "610111", "610112", "610113", "610114", "610115", "610116", "610117", "610118", "610122", "610124"];
const KIND_DIGIT = { enterprise: "1", individual: "2", cooperative: "3" } as const;

function all(seed: string, n: number): DemoEntity[] {
  return [...entityGenerator({ seed, entities: n }).entities()];
}

describe("demo city: determinism", () => {
  it("gives the same city and entities for the same seed and size", () => {
    const a = demoCity({ seed: "s1", entities: 3000 });
    const b = demoCity({ seed: "s1", entities: 3000 });
    expect(b).toEqual(a);
    expect(all("s1", 3000)).toEqual(all("s1", 3000));
  });

  it("is deterministic for any seed, and entity i does not depend on how it was reached", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), fc.integer({ min: 1, max: 400 }), fc.nat(), (seed, n, pick) => {
        const g1 = entityGenerator({ seed, entities: n });
        const g2 = entityGenerator({ seed, entities: n + 100 });
        const streamed = [...g1.entities()];
        expect([...g1.batches(7)].flat()).toEqual(streamed);
        const i = pick % n;
        // Same index, larger directory, random access: same entity.
        expect(g2.at(i)).toEqual(streamed[i]);
        expect(demoCity({ seed, entities: n })).toEqual(demoCity({ seed, entities: n }));
      }),
      { numRuns: 25 },
    );
  });

  it("gives different cities for different seeds", () => {
    const a = all("alpha", 200).map((e) => e.code);
    const b = all("beta", 200).map((e) => e.code);
    expect(new Set([...a, ...b]).size).toBeGreaterThan(390);
  });

  it("permute30 is a bijection on [0, n)", () => {
    const k = seedWords("x", "y");
    for (const n of [1, 2, 31, 1000, 4097]) {
      const seen = new Set<number>();
      for (let i = 0; i < n; i++) {
        const v = permute30(i, n, k);
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThan(n);
        seen.add(v);
      }
      expect(seen.size).toBe(n);
    }
  });

  it("refuses sizes it cannot generate", () => {
    expect(() => entityGenerator({ entities: -1 })).toThrow(RangeError);
    expect(() => entityGenerator({ entities: 1.5 })).toThrow(RangeError);
    expect(() => entityGenerator({ entities: 10 }).at(10)).toThrow(RangeError);
  });
});

describe("demo city: entities", () => {
  const N = 200_000;
  const entities = all("proportions", N);

  it("has valid, unique codes embedding kind and district", () => {
    // Per-entity expect() calls are slow at this size: collect problems, assert once.
    const problems: string[] = [];
    const codes = new Set<string>();
    let regno = 0,
      flagged = 0;
    for (const e of entities) {
      codes.add(e.code);
      if (e.codeKind === "regno") {
        regno++;
        if (e.kind !== "individual" || !isValidRegistrationNumber(e.code) || e.code.slice(0, 6) !== e.districtCode || e.checksumFailed) problems.push(e.code);
        continue;
      }
      const layout = e.code.length === 18 && e.code[0] === "9" && e.code[1] === KIND_DIGIT[e.kind] && e.code.slice(2, 8) === e.districtCode;
      if (!layout || isValidCreditCode(e.code) !== !e.checksumFailed) problems.push(e.code);
      if (e.checksumFailed) {
        flagged++;
        const r = checkEntityCode(e.code);
        if (!(r.ok && r.kind === "creditCode" && r.flag?.rule === "checksum")) problems.push(`flag ${e.code}`);
      }
    }
    expect(problems).toEqual([]);
    expect(codes.size).toBe(N);
    // A small share of older individual businesses have only a 注册号; a handful of codes fail their check.
    expect(regno / N).toBeGreaterThan(0.01);
    expect(regno / N).toBeLessThan(0.05);
    expect(flagged).toBeGreaterThan(0);
    expect(flagged / N).toBeLessThan(0.002);
  });

  it("passes the import validator like a real directory would", () => {
    const problems = entities.filter((e) => {
      const r = checkEntityCode(e.code);
      return !(r.ok && r.kind === (e.codeKind === "uscc" ? "creditCode" : "registrationNumber"));
    });
    expect(problems).toEqual([]);
  });

  it("places every entity in a Xi'an district and a known industry, with ids 1..N", () => {
    const industries = new Set(INDUSTRIES.map((x) => x.code));
    const xian = new Set(XIAN);
    const problems: number[] = [];
    entities.forEach((e, i) => {
      const ok =
        e.id === i + 1 &&
        xian.has(e.districtCode) &&
        industries.has(e.industryCode) &&
        /[\u4e00-\u9fff]{4,}/.test(e.name) &&
        e.address.startsWith("西安市") &&
        /^\d{4}-\d{2}-\d{2}$/.test(e.establishedOn) &&
        (e.statusChangedOn === null || e.statusChangedOn > e.establishedOn) &&
        (e.status === "active") === (e.statusChangedOn === null);
      if (!ok) problems.push(e.id);
    });
    expect(problems).toEqual([]);
    expect(DISTRICTS.map((d) => d.code)).toEqual(XIAN);
    // Every district gets entities.
    expect(new Set(entities.map((e) => e.districtCode)).size).toBe(XIAN.length);
  });

  it("has risk classes, kinds and statuses in realistic proportions", () => {
    const count = (f: (e: DemoEntity) => boolean) => entities.filter(f).length / N;
    for (const cls of ["A", "B", "C", "D"] as const) {
      expect(Math.abs(count((e) => e.riskClass === cls) - RISK_SHARES[cls]), cls).toBeLessThan(0.005);
    }
    expect(count((e) => e.kind === "individual")).toBeGreaterThan(0.6);
    expect(count((e) => e.kind === "cooperative")).toBeLessThan(0.03);
    expect(count((e) => e.status === "active")).toBeGreaterThan(0.88);
    expect(count((e) => e.status === "deregistered")).toBeGreaterThan(0.02);
    expect(count((e) => e.status === "revoked")).toBeGreaterThan(0.01);
    // Cooperatives are rural.
    const rural = new Set(DISTRICTS.filter((d) => d.rural).map((d) => d.code));
    expect(entities.filter((e) => e.kind === "cooperative" && !rural.has(e.districtCode))).toEqual([]);
  });

  it("has credit codes with an 18-character layout even for the converted pre-2015 ones", () => {
    const old = entities.filter((e) => e.codeKind === "uscc" && /^\d{8}$/.test(e.code.slice(8, 16)));
    const fresh = entities.filter((e) => e.codeKind === "uscc" && e.code.slice(8, 10) === "MA");
    expect(old.length).toBeGreaterThan(0);
    expect(fresh.length).toBeGreaterThan(old.length);
    expect(old.filter((e) => e.establishedOn >= "2015-10-01")).toEqual([]);
    expect(fresh.filter((e) => e.establishedOn < "2015-10-01")).toEqual([]);
  });
});

describe("demo city: departments, items, people", () => {
  const city = demoCity({ seed: "people", entities: 20_000 });

  it("has 20 city departments D01…D20 and district branches with parents", () => {
    const cityDepts = city.departments.filter((d) => d.level === "city");
    expect(cityDepts.map((d) => d.code)).toEqual(Array.from({ length: 20 }, (_, i) => `D${String(i + 1).padStart(2, "0")}`));
    for (const name of ["市场监督管理局", "生态环境局", "住房和城乡建设局", "卫生健康委员会", "交通运输局", "应急管理局"]) {
      expect(cityDepts.some((d) => d.name === `西安市${name}`), name).toBe(true);
    }
    const branches = city.departments.filter((d) => d.level === "district");
    expect(branches.length).toBeGreaterThan(0);
    for (const b of branches) {
      const parent = city.departments.find((d) => d.id === b.parentId)!;
      expect(parent.level).toBe("city");
      expect(b.code).toBe(`${parent.code}-${b.districtCode}`);
      expect(XIAN).toContain(b.districtCode);
    }
    expect(new Set(city.departments.map((d) => d.code)).size).toBe(city.departments.length);
    city.departments.forEach((d, i) => expect(d.id).toBe(i + 1));
  });

  it("gives each department 5–15 items with legal basis, method and importance", () => {
    for (const d of city.departments) {
      const items = city.items.filter((x) => x.departmentId === d.id);
      expect(items.length, d.code).toBeGreaterThanOrEqual(5);
      expect(items.length, d.code).toBeLessThanOrEqual(15);
      expect(new Set(items.map((x) => x.code)).size).toBe(items.length);
      for (const x of items) {
        expect(x.legalBasis).toMatch(/^《[^》]+》第[一二三四五六七八九十百千零]+条$/);
        expect(x.methods.length).toBeGreaterThan(0);
        for (const m of x.methods) expect(["on-site", "written", "online"]).toContain(m);
        expect(["key", "general"]).toContain(x.importance);
      }
    }
    expect(city.items.some((x) => x.importance === "key")).toBe(true);
    expect(city.items.some((x) => x.importance === "general")).toBe(true);
  });

  it("has joint templates whose items belong to the lead or a partner department", () => {
    expect(city.jointTemplates.length).toBeGreaterThanOrEqual(5);
    expect(new Set(city.jointTemplates.map((t) => t.code)).size).toBe(city.jointTemplates.length);
    for (const t of city.jointTemplates) {
      const depts = [t.leadDepartmentId, ...t.partnerDepartmentIds];
      expect(new Set(depts).size, t.code).toBe(depts.length);
      expect(t.partnerDepartmentIds.length).toBeGreaterThan(0);
      for (const id of depts) expect(city.departments[id - 1]!.level).toBe("city");
      const itemDepts = new Set(t.itemIds.map((id) => city.items[id - 1]!.departmentId));
      for (const d of itemDepts) expect(depts).toContain(d);
      // Every participating department brings at least one item.
      for (const d of depts) expect(itemDepts.has(d), `${t.code} department ${d}`).toBe(true);
    }
  });

  it("has at least two active inspectors qualified for each item category in every department × district", () => {
    const coverage = inspectorCoverage(city);
    for (const d of city.departments) {
      const districts = d.level === "city" ? XIAN : [d.districtCode];
      const categories = new Set(city.items.filter((x) => x.departmentId === d.id).map((x) => x.category));
      for (const district of districts) {
        expect(coverage.get(`${d.id}:${district}`) ?? 0, `${d.code} ${district}`).toBeGreaterThanOrEqual(2);
        for (const cat of categories) {
          const qualified = city.inspectors.filter(
            (p) => p.active && p.departmentId === d.id && p.districts.includes(district) && p.qualifications.includes(cat),
          );
          expect(qualified.length, `${d.code} ${district} ${cat}`).toBeGreaterThanOrEqual(2);
        }
      }
    }
  });

  it("has inspectors with unique certificates, own-department qualifications, and some inactive", () => {
    expect(new Set(city.inspectors.map((p) => p.certificateNo)).size).toBe(city.inspectors.length);
    for (const p of city.inspectors) {
      const categories = new Set(city.items.filter((x) => x.departmentId === p.departmentId).map((x) => x.category));
      expect(p.qualifications.length).toBeGreaterThan(0);
      for (const q of p.qualifications) expect(categories.has(q)).toBe(true);
      for (const d of p.districts) expect(XIAN).toContain(d);
      expect(p.specialities.length).toBeGreaterThan(0);
    }
    const active = city.inspectors.filter((p) => p.active).length;
    expect(active).toBeLessThan(city.inspectors.length);
    expect(active / city.inspectors.length).toBeGreaterThan(0.85);
    expect(city.experts.length).toBeGreaterThan(20);
    expect(new Set(city.experts.map((x) => x.certificateNo)).size).toBe(city.experts.length);
  });

  it("has recusals that keep every draw feasible", () => {
    expect(city.recusals.length).toBeGreaterThan(0);
    const gen = entityGenerator({ seed: "people", entities: 20_000 });
    const coverage = inspectorCoverage(city);
    const pairs = new Set<string>();
    const perEntityDept = new Set<string>();
    for (const r of city.recusals) {
      const p = city.inspectors[r.inspectorId - 1]!;
      expect(p.id).toBe(r.inspectorId);
      const e = gen.at(r.entityId - 1);
      expect(p.active).toBe(true);
      expect(p.districts).toContain(e.districtCode);
      // The department still has two other active officers for the entity's district.
      expect(coverage.get(`${p.departmentId}:${e.districtCode}`)! - 1).toBeGreaterThanOrEqual(2);
      pairs.add(`${r.inspectorId}:${r.entityId}`);
      perEntityDept.add(`${p.departmentId}:${r.entityId}`);
      expect(r.reason.length).toBeGreaterThan(0);
    }
    expect(pairs.size).toBe(city.recusals.length);
    expect(perEntityDept.size).toBe(city.recusals.length);
  });

  it("an empty directory is a valid city", () => {
    const empty = demoCity({ seed: "x", entities: 0 });
    expect(empty.recusals).toEqual([]);
    expect([...entityGenerator({ seed: "x", entities: 0 }).entities()]).toEqual([]);
  });
});
