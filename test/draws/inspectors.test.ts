import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  checksFromTargets,
  drawInspectors,
  drawTargets,
  eligibleExperts,
  eligibleInspectors,
  freezeInputs,
  recusals,
  substitute,
  teamRequirements,
  DEFAULT_TEAM_RULE,
  type Inspector,
} from "../../src/draws/index.ts";
import { arbRequest, makeRequest, seedFor } from "./fixtures.ts";

describe("eligibility rules (pure, shared with solver/)", () => {
  const officers: Inspector[] = [
    { id: "a", department: "SCJG", qualifications: ["执法证"], districts: ["3501"], active: true },
    { id: "b", department: "SCJG", qualifications: ["执法证"], districts: ["350102"], active: false },
    { id: "c", department: "SCJG", qualifications: [], districts: ["3501"], active: true },
    { id: "d", department: "SCJG", qualifications: ["执法证"], districts: ["350103"], active: true },
    { id: "e", department: "STHJ", qualifications: ["执法证"], districts: ["35"], active: true },
    { id: "f", department: "SCJG", qualifications: ["执法证"], districts: ["35"], active: true },
  ];
  const entity = { code: "91350100M000100Y43", district: "350102" };
  const rec = recusals([{ inspectorId: "f", code: entity.code, reason: "曾在该企业任职" }]);

  it("keeps active, qualified officers of the department who cover the district and are not recused", () => {
    expect(eligibleInspectors(officers, "SCJG", entity, rec, "执法证").map((o) => o.id)).toEqual(["a"]);
    expect(eligibleInspectors(officers, "SCJG", entity, rec, null).map((o) => o.id)).toEqual(["a", "c"]);
    expect(eligibleInspectors(officers, "STHJ", entity, rec, "执法证").map((o) => o.id)).toEqual(["e"]);
    expect(rec.reasonFor("f", entity.code)).toBe("曾在该企业任职");
    expect(rec.reasonFor("a", entity.code)).toBeNull();
  });

  it("experts: active, covering the district, not recused", () => {
    const experts = [
      { id: "x1", specialities: [], districts: ["3501"], active: true },
      { id: "x2", specialities: [], districts: ["3502"], active: true },
      { id: "x3", specialities: [], districts: ["3501"], active: false },
    ];
    expect(eligibleExperts(experts, entity, rec).map((x) => x.id)).toEqual(["x1"]);
  });

  it("team requirements: ≥1 per department, ≥2 in total, a single department sends two", () => {
    expect([...teamRequirements(["A"], DEFAULT_TEAM_RULE)]).toEqual([["A", 2]]);
    expect([...teamRequirements(["A", "B"], DEFAULT_TEAM_RULE)]).toEqual([["A", 1], ["B", 1]]);
    expect([...teamRequirements(["A", "B"], { ...DEFAULT_TEAM_RULE, minTotal: 5 })]).toEqual([["A", 3], ["B", 2]]);
    expect([...teamRequirements(["A", "B", "C"], { ...DEFAULT_TEAM_RULE, minPerDepartment: 2 })]).toEqual([["A", 2], ["B", 2], ["C", 2]]);
  });
});

describe("drawInspectors", () => {
  it("team composition always holds, no recused or ineligible officer is drawn, experts never count", () => {
    fc.assert(
      fc.property(arbRequest, fc.nat(100), (req, si) => {
        const f = freezeInputs(req);
        const seed = seedFor(si);
        const targets = drawTargets(f, seed);
        const checks = drawInspectors(f, seed, targets);
        const rec = recusals(req.inspectors!.recusals);
        const byId = new Map(req.inspectors!.officers.map((o) => [o.id, o]));
        const rule = req.config.team;
        expect(checks.map((c) => c.code)).toEqual(checksFromTargets(f, targets).map((c) => c.code));
        for (const c of checks) {
          const district = f.pool.districts[f.pool.codes.indexOf(c.code)]!;
          let total = 0;
          for (const t of c.departments) {
            const need = c.departments.length === 1 ? Math.max(rule.minTotal, rule.minPerDepartment) : t.required;
            expect(t.required).toBeGreaterThanOrEqual(rule.minPerDepartment);
            expect(t.required).toBe(need);
            expect(t.officers.length + t.shortfall).toBe(t.required);
            const qual = f.departments.find((d) => d.id === t.department)!.qualification;
            for (const id of [...t.officers, ...t.reserve]) {
              const o = byId.get(id)!;
              expect(o.department).toBe(t.department);
              expect(o.active).toBe(true);
              if (qual) expect(o.qualifications).toContain(qual);
              expect(o.districts.some((p) => district.startsWith(p))).toBe(true);
              expect(rec.reasonFor(id, c.code)).toBeNull();
            }
            expect(new Set([...t.officers, ...t.reserve]).size).toBe(t.officers.length + t.reserve.length);
            // shortfall only when the eligible officers are exhausted
            if (t.shortfall > 0) expect(t.reserve).toEqual([]);
            total += t.required;
          }
          expect(total).toBeGreaterThanOrEqual(rule.minTotal);
          for (const x of c.experts.drawn) {
            expect(rec.reasonFor(x, c.code)).toBeNull();
            expect(byId.has(x)).toBe(false); // experts are not officers and are not counted above
          }
          expect(c.experts.drawn.length + c.experts.shortfall).toBe(rule.experts);
        }
      }),
      { numRuns: 100 },
    );
  });

  it("substitutes a recused or unavailable officer by the next of that check's random order (递补), recorded with reason", () => {
    const req = makeRequest({ n: 200, departments: 2 });
    const f = freezeInputs(req);
    const seed = seedFor(11);
    const checks = drawInspectors(f, seed, drawTargets(f, seed));
    const check = checks.find((c) => c.departments[0]!.reserve.length >= 2)!;
    const team = check.departments[0]!;
    const s1 = substitute(f, seed, check, [], { department: team.department, out: team.officers[0]!, reason: "回避：亲属在该企业任职" });
    expect(s1).toEqual({ code: check.code, department: team.department, out: team.officers[0], in: team.reserve[0], reason: "回避：亲属在该企业任职" });
    const s2 = substitute(f, seed, check, [s1], { department: team.department, out: s1.in!, reason: "病假" });
    expect(s2.in).toBe(team.reserve[1]);
    expect(() => substitute(f, seed, check, [s1], { department: team.department, out: team.officers[0]!, reason: "x" })).toThrow(/not on the team/);
    expect(() => substitute(f, seed, check, [], { department: team.department, out: team.officers[0]!, reason: "" })).toThrow(/needs a reason/);
  });
});
