/**
 * The translation of 同一企业年度检查频次上限 (src/store/translate/frequencyCaps.ts) and the core's use
 * of it, as pure functions: rows → a department's cap (plan caps over standing ones, a cross-level
 * row alone, older rows of bare kinds), the department's line, the history the core counts, and
 * the freeze applying a department's cap whatever the batch level.
 */
import { describe, expect, it } from "vitest";
import { freezeInputs, frequencyCapExclusion, type CheckRecord } from "../../src/draws/index.ts";
import { capHistory, coreCap, departmentCaps, departmentLine, departmentTree, exemptionsOf, type CapRow } from "../../src/store/translate/frequencyCaps.ts";
import { makeRequest } from "../draws/fixtures.ts";

const row = (over: Partial<CapRow>): CapRow => ({ planId: null, departmentId: 1, level: "city", maxPerYear: 2, exemptions: [{ kind: "complaint", reason: "依法必须处理" }], ...over });

describe("frequency cap rows", () => {
  it("give the department's cap at its level and across levels; a plan's rows replace the standing ones", () => {
    const rows = [row({}), row({ level: "any", maxPerYear: 4 }), row({ planId: 7, maxPerYear: 1, exemptions: [] }), row({ departmentId: 2, maxPerYear: 9 })];
    expect(departmentCaps(rows, 1, "city")).toEqual({ maxPerYear: 2, maxPerYearAllLevels: 4, exemptions: [{ kind: "complaint", reason: "依法必须处理" }] });
    expect(departmentCaps(rows, 1, "city", 7)).toEqual({ maxPerYear: 1, maxPerYearAllLevels: null, exemptions: [] });
    expect(departmentCaps(rows, 1, "city", 8)?.maxPerYear).toBe(2);
    expect(departmentCaps(rows, 3, "city")).toBeNull();
    // a row of another level is not the department's; a cross-level row alone bounds both counts
    expect(departmentCaps([row({ level: "district" })], 1, "city")).toBeNull();
    expect(departmentCaps([row({ level: "any", maxPerYear: 3 })], 1, "city")).toMatchObject({ maxPerYear: 3, maxPerYearAllLevels: 3 });
  });

  it("read older exemptions of bare kinds and skip what is not an exemption", () => {
    expect(exemptionsOf(["complaint", { kind: "referral", reason: "转办" }, 3, null, { reason: "无类型" }])).toEqual([
      { kind: "complaint", reason: "" },
      { kind: "referral", reason: "转办" },
    ]);
    expect(exemptionsOf({ kind: "complaint" })).toEqual([]);
  });
});

describe("a department's line", () => {
  const tree = departmentTree([
    { id: 1, code: "CITY", parentId: null },
    { id: 2, code: "D1", parentId: 1 },
    { id: 3, code: "D2", parentId: 1 },
    { id: 4, code: "D1-S", parentId: 2 },
    { id: 5, code: "OTHER", parentId: null },
    { id: 6, code: "LOOP-A", parentId: 7 },
    { id: 7, code: "LOOP-B", parentId: 6 },
  ]);

  it("is itself, its superiors and its subordinates — not its siblings, not another line, and a cycle ends", () => {
    expect([...departmentLine(tree, "D1")].sort()).toEqual(["CITY", "D1", "D1-S"]);
    expect([...departmentLine(tree, "CITY")].sort()).toEqual(["CITY", "D1", "D1-S", "D2"]);
    expect([...departmentLine(tree, "OTHER")]).toEqual(["OTHER"]);
    expect([...departmentLine(tree, "LOOP-A")].sort()).toEqual(["LOOP-A", "LOOP-B"]);
  });

  it("its checks are counted for the capped department, and only for it", () => {
    const h = (department: string, level: string, kind = "random"): CheckRecord => ({ code: "X", department, level, year: 2026, kind });
    const history = [h("D1", "district"), h("D1", "district"), h("D2", "district"), h("OTHER", "city")];
    const counted = capHistory(history, tree, ["CITY"]);
    const cap = coreCap("CITY", "city", { maxPerYear: 2, maxPerYearAllLevels: 3, exemptions: [] });
    expect(frequencyCapExclusion("X", cap, 2026, history)).toBeNull();
    expect(frequencyCapExclusion("X", cap, 2026, counted)?.rule).toBe("frequencyCap");
    // same level (city) counts none of them: with no cross-level cap nothing is reached
    expect(frequencyCapExclusion("X", { ...cap, maxPerYearAllLevels: undefined }, 2026, counted)).toBeNull();
    // the copies carry the capped department's code; the others' own records are untouched
    expect(counted.filter((r) => r.department === "CITY")).toHaveLength(3);
    expect(counted.filter((r) => r.department === "D1")).toHaveLength(2);
  });
});

describe("the freeze", () => {
  it("applies each department's cap at its own level whatever the batch's level", () => {
    const req = makeRequest({ n: 60, departments: 2, inspectors: false });
    const [d1, d2] = req.departments.map((d) => d.id) as [string, string];
    const x = req.entities.find((e) => e.status === "active")!.code;
    req.batch.level = "city";
    req.config.frequencyCaps = [{ department: d2, level: "district", maxPerYear: 1, exemptKinds: [] }];
    req.history = [{ code: x, department: d2, level: "district", year: req.batch.year, kind: "random" }];
    const f = freezeInputs(req);
    expect(f.departments.find((d) => d.id === d2)!.excluded.map((e) => e.code)).toEqual([x]);
    expect(f.departments.find((d) => d.id === d1)!.excluded.map((e) => e.code)).not.toContain(x);
    expect(f.pool.codes).toContain(x);
  });
});
