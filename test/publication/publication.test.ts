import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { builtInCalendar, withHolidayTable } from "../../src/calendar/index.ts";
import { DIRECTED_KINDS } from "../../src/store/values.ts";
import {
  CategoryConfigError,
  DEFAULT_RESULT_CATEGORIES,
  deadlineStatus,
  DIRECTED_KIND_LABELS,
  directedTaskName,
  PUBLIC_RECORD_FIELDS,
  PublicRecordError,
  publicRecord,
  resultCategories,
  resultLabels,
  validateResult,
} from "../../src/publication/index.ts";

const cats = resultCategories();
const today = "2025-11-20";

describe("result categories", () => {
  it("has the 10 top-level categories and 4 sub-kinds, unique ASCII codes", () => {
    expect(cats.filter((c) => !c.parent)).toHaveLength(10);
    expect(cats.filter((c) => c.parent === "problem_pending")).toHaveLength(4);
    expect(new Set(cats.map((c) => c.code)).size).toBe(cats.length);
    for (const c of cats) expect(c.code).toMatch(/^[a-z_.]+$/);
    expect(cats.find((c) => c.code === "no_problem")!.label).toBe("未发现问题");
  });

  it("labels are configurable; unknown codes, empty or clashing labels are refused", () => {
    const custom = resultCategories({ labels: { no_problem: "未发现问题（合格）" } });
    expect(custom.find((c) => c.code === "no_problem")!.label).toBe("未发现问题（合格）");
    expect(DEFAULT_RESULT_CATEGORIES[0]!.label).toBe("未发现问题");
    expect(() => resultCategories({ labels: { nope: "x" } })).toThrow(CategoryConfigError);
    expect(() => resultCategories({ labels: { no_problem: " " } })).toThrow(/labels\.no_problem：名称须为非空文本/);
    expect(() => resultCategories({ labels: { no_problem: "已注销" } })).toThrow(/名称都将是“已注销”/);
  });

  it("shows sub-kinds inside their parent", () => {
    expect(resultLabels(["problem_pending", "problem_pending.unreachable", "problem_corrected"], cats)).toEqual([
      "发现问题待后续处理（通过登记的住所（经营场所）无法联系）",
      "发现问题已责令改正",
    ]);
  });
});

describe("validateResult", () => {
  const v = (input: object, opts: object = {}) => validateResult(input, cats, { today, ...opts });
  const rules = (r: ReturnType<typeof v>) => (r.ok ? [] : r.errors.map((e) => `${e.field}:${e.rule}`));

  it("accepts a valid multi-select result; a sub-kind implies its parent", () => {
    const r = v({ categories: ["problem_corrected", "problem_pending.false_info"], checkDate: "2025-11-03" });
    expect(r).toEqual({ ok: true, value: { categories: ["problem_pending", "problem_pending.false_info", "problem_corrected"], checkDate: "2025-11-03" } });
    expect(v({ categories: ["deregistered"], checkDate: today }).ok).toBe(true);
  });

  it.each([
    [{ checkDate: "2025-11-03" }, ["categories:required"]],
    [{ categories: [], checkDate: "2025-11-03" }, ["categories:required"]],
    [{ categories: ["bogus"], checkDate: "2025-11-03" }, ["categories:unknownCategory"]],
    [{ categories: ["no_problem", "no_problem"], checkDate: "2025-11-03" }, ["categories:duplicate"]],
    [{ categories: ["no_problem", "problem_corrected"], checkDate: "2025-11-03" }, ["categories:contradictory"]],
    [{ categories: ["no_problem", "problem_pending.other_violation"], checkDate: "2025-11-03" }, ["categories:contradictory"]],
    [{ categories: ["no_problem", "refused_inspection"], checkDate: "2025-11-03" }, ["categories:contradictory"]],
    [{ categories: ["problem_pending"], checkDate: "2025-11-03" }, ["categories:subkindRequired"]],
    [{ categories: ["no_problem"] }, ["checkDate:required"]],
    [{ categories: ["no_problem"], checkDate: "2025-02-29" }, ["checkDate:invalidDate"]],
    [{ categories: ["no_problem"], checkDate: "2025/11/03" }, ["checkDate:invalidDate"]],
    [{ categories: ["no_problem"], checkDate: "2025-11-21" }, ["checkDate:future"]],
    [{ categories: ["bogus"], checkDate: "2030-01-01" }, ["categories:unknownCategory", "checkDate:future"]],
  ])("%j → %j", (input, expected) => {
    expect(rules(v(input))).toEqual(expected);
  });

  it("refuses a check date before the task starts when asked", () => {
    expect(rules(v({ categories: ["no_problem"], checkDate: "2025-01-05" }, { notBefore: "2025-03-01" }))).toEqual(["checkDate:beforeTask"]);
  });

  it("error messages name what is wrong", () => {
    const r = v({ categories: ["no_problem", "problem_corrected"], checkDate: "2025-12-01" });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors[0]!.message).toContain("未发现问题");
      expect(r.errors[0]!.message).toContain("发现问题已责令改正");
      expect(r.errors[1]!.message).toContain("2025-12-01");
    }
  });
});

describe("publicRecord", () => {
  const result = { categories: ["no_problem"], checkDate: "2025-11-03" };
  const task = { number: "T-2025-001", name: "2025年度企业公示信息抽查" };
  const entity = { name: "示例贸易有限公司", code: "91350100M000100Y43" };
  const department = { name: "示例区市场监督管理局" };

  it("publishes exactly the allowed fields", () => {
    expect(publicRecord(result, task, entity, department, cats)).toEqual({
      entityName: "示例贸易有限公司",
      entityCode: "91350100M000100Y43",
      taskNumber: "T-2025-001",
      taskName: "2025年度企业公示信息抽查",
      checkDate: "2025-11-03",
      department: "示例区市场监督管理局",
      results: ["未发现问题"],
    });
  });

  it("property: whatever the inputs carry, output keys are exactly the allowed set and no private value leaks", () => {
    const secret = fc.string({ minLength: 1 }).map((s) => `SECRET:${s}`);
    const extras = fc.dictionary(fc.string().filter((k) => !["name", "code", "number", "categories", "checkDate"].includes(k)), secret);
    fc.assert(
      fc.property(extras, extras, extras, extras, secret, secret, fc.constantFrom("A", "B", "C", "D"), (e1, e2, e3, e4, inspectorName, phone, risk) => {
        const rec = publicRecord(
          { ...e1, ...result, inspectors: [{ name: inspectorName, phone }] } as typeof result,
          { ...e2, ...task, inspectors: [inspectorName] } as typeof task,
          { ...e3, ...entity, riskClass: risk, contactPhone: phone } as typeof entity,
          { ...e4, ...department, head: inspectorName } as typeof department,
          cats,
        );
        expect(Object.keys(rec).sort()).toEqual([...PUBLIC_RECORD_FIELDS].sort());
        const text = JSON.stringify(rec);
        expect(text).not.toContain("SECRET:");
        expect(text).not.toMatch(/riskClass|inspector/);
      }),
    );
  });

  it("uses configured labels and refuses unknown codes", () => {
    const custom = resultCategories({ labels: { deregistered: "企业已注销" } });
    expect(publicRecord({ categories: ["deregistered"], checkDate: "2025-11-03" }, task, entity, department, custom).results).toEqual(["企业已注销"]);
    expect(() => publicRecord({ categories: ["x"], checkDate: "2025-11-03" }, task, entity, department)).toThrow(/unknown/);
  });

  it("refuses to publish a record with a missing field instead of printing 'undefined'", () => {
    expect(() => publicRecord(result, task, { name: "示例" } as typeof entity, department)).toThrow(PublicRecordError);
    expect(() => publicRecord(result, { ...task, number: " " }, entity, department)).toThrow(/taskNumber/);
    expect(() => publicRecord({ categories: [], checkDate: "2025-11-03" }, task, entity, department)).toThrow(/results/);
    expect(() => publicRecord({ categories: ["no_problem"], checkDate: "2025-11-31" }, task, entity, department)).toThrow(/checkDate/);
  });
});

describe("directedTaskName", () => {
  it("names a directed check by its kind and its items, never anything else", () => {
    expect(Object.keys(DIRECTED_KIND_LABELS).sort()).toEqual([...DIRECTED_KINDS].sort());
    expect(directedTaskName("complaint", ["餐饮服务食品安全检查", "食品经营许可情况检查"])).toBe("定向检查：投诉举报 · 餐饮服务食品安全检查、食品经营许可情况检查");
    expect(directedTaskName("referral", ["事项甲"])).toBe("定向检查：转办交办 · 事项甲");
    expect(directedTaskName("dataAlert", [" 事项甲 ", "事项甲", ""])).toBe("定向检查：数据监测 · 事项甲");
    expect(directedTaskName("complaint", [])).toBe("定向检查：投诉举报");
    expect(directedTaskName(null, ["事项甲"])).toBe("定向检查 · 事项甲");
    for (const bad of ["complaint: 投诉人张三 13800000000", "constructor", "toString", ""])
      expect(() => directedTaskName(bad, ["事项甲"]), bad).toThrow(PublicRecordError);
  });
});

describe("deadlineStatus", () => {
  const cal = builtInCalendar();
  // deadlines: 2025-09-26 → 2025-10-30; 2025-10-20 → 2025-11-17; 2025-11-10 → 2025-12-08
  const recs = [
    { id: "a", checkDate: "2025-09-26" },
    { id: "b", checkDate: "2025-10-20" },
    { id: "c", checkDate: "2025-11-10" },
    { id: "d", checkDate: "2025-09-26", publishedOn: "2025-10-30" },
    { id: "e", checkDate: "2025-09-26", publishedOn: "2025-10-31" },
    { id: "f", checkDate: "2026-12-20" },
  ];

  it("sorts records into overdue / due soon / on time / published, refusing unknown years per record", () => {
    const s = deadlineStatus(recs, cal, "2025-11-12");
    expect(s.overdue.map((i) => i.record.id)).toEqual(["a"]);
    expect(s.dueSoon.map((i) => [i.record.id, i.deadline, i.workingDaysLeft])).toEqual([["b", "2025-11-17", 3]]);
    expect(s.onTime.map((i) => [i.record.id, i.deadline])).toEqual([["c", "2025-12-08"]]);
    expect(s.publishedOnTime.map((i) => i.record.id)).toEqual(["d"]);
    expect(s.publishedLate.map((i) => i.record.id)).toEqual(["e"]);
    expect(s.undetermined.map((i) => [i.record.id, i.year])).toEqual([["f", 2027]]);
    expect(s.overdue[0]!.workingDaysLeft).toBeLessThan(0);
  });

  it("the due-soon window is configurable and the deadline day itself is due soon, not overdue", () => {
    expect(deadlineStatus(recs.slice(1, 2), cal, "2025-11-12", { dueSoonDays: 2 }).onTime).toHaveLength(1);
    const onDeadline = deadlineStatus(recs.slice(1, 2), cal, "2025-11-17");
    expect(onDeadline.dueSoon.map((i) => i.workingDaysLeft)).toEqual([0]);
    expect(deadlineStatus(recs.slice(1, 2), cal, "2025-11-18").overdue).toHaveLength(1);
  });

  it("with next year's table loaded the 2027 deadline becomes computable", () => {
    const cal2 = withHolidayTable(cal, {
      years: { "2027": { holidays: ["2027-01-01"], workdays: [], source: "synthetic", version: "t1" } },
    });
    expect(deadlineStatus(recs.slice(5), cal2, "2026-12-21").onTime).toHaveLength(1);
  });
});

describe("properties", () => {
  const codes = cats.map((c) => c.code);
  it("validateResult accepts a category set exactly when it is non-empty, consistent and complete", () => {
    fc.assert(
      fc.property(fc.subarray(codes), (sel) => {
        const r = validateResult({ categories: sel, checkDate: "2025-11-03" }, cats, { today });
        const withParents = new Set(sel);
        for (const c of sel) if (c.startsWith("problem_pending.")) withParents.add("problem_pending");
        const hasSub = [...withParents].some((c) => c.startsWith("problem_pending."));
        const problem = ["problem_pending", "problem_corrected", "refused_inspection"].some((c) => withParents.has(c));
        const expectOk = sel.length > 0 && !(withParents.has("no_problem") && problem) && !(withParents.has("problem_pending") && !hasSub);
        expect(r.ok).toBe(expectOk);
        if (r.ok) {
          expect(new Set(r.value.categories)).toEqual(withParents);
          expect(publicRecord(r.value, { number: "T1", name: "任务" }, { name: "示例", code: "X1" }, { name: "示例局" }, cats).results.length).toBeGreaterThan(0);
        }
      }),
    );
  });

  it("deadlineStatus puts every record in exactly one list, consistent with its deadline", () => {
    const cal = builtInCalendar();
    const day = fc.integer({ min: 0, max: 600 }).map((n) => new Date(Date.UTC(2024, 0, 1) + n * 86_400_000).toISOString().slice(0, 10));
    fc.assert(
      fc.property(fc.array(fc.record({ checkDate: day, published: fc.option(fc.integer({ min: 0, max: 60 })) }), { maxLength: 20 }), day, fc.integer({ min: 0, max: 10 }), (rs, today, soon) => {
        const records = rs.map((r, i) => ({
          id: i,
          checkDate: r.checkDate,
          publishedOn: r.published === null ? null : new Date(Date.parse(r.checkDate) + r.published * 86_400_000).toISOString().slice(0, 10),
        }));
        const s = deadlineStatus(records, cal, today, { dueSoonDays: soon });
        const lists = [s.overdue, s.dueSoon, s.onTime, s.publishedLate, s.publishedOnTime];
        const ids = lists.flatMap((l) => l.map((i) => i.record.id)).concat(s.undetermined.map((u) => u.record.id));
        expect(ids.sort((a, b) => a - b)).toEqual(records.map((r) => r.id));
        for (const i of s.overdue) expect(i.deadline < today).toBe(true);
        for (const i of s.dueSoon) expect(i.deadline >= today && i.workingDaysLeft <= soon && i.workingDaysLeft >= 0).toBe(true);
        for (const i of s.onTime) expect(i.workingDaysLeft).toBeGreaterThan(soon);
        for (const i of s.publishedLate) expect(i.record.publishedOn! > i.deadline).toBe(true);
        for (const i of s.publishedOnTime) expect(i.record.publishedOn! <= i.deadline).toBe(true);
      }),
      { numRuns: 100 },
    );
  });
});
