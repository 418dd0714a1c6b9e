/**
 * The guided batch form (api/console/pages/plans.ts) with each department's own 定向 conditions,
 * as the officer uses it: the fields are there per department with the browser's pattern checks,
 * a directed batch saves each department's conditions and the batch page shows each department's
 * scope; mistyped codes and conditions on an undirected batch come back with a Chinese message
 * naming the department, before the API is called; and the API refuses what the form was bypassed for.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedBatch } from "../api/helpers.ts";
import { consoleFixture, type ConsoleFixture } from "./helpers.ts";

describe("console: per-department 定向 conditions in the batch form", () => {
  let fx: ConsoleFixture;
  let planId = 0;
  let items: Record<number, number[]> = {};
  let s: { cookie: string; csrf: string };

  beforeAll(async () => {
    fx = await consoleFixture();
    ({ planId, items } = await seedBatch(fx, { entities: 4, count: 1 }));
    s = await fx.session("officerA");
  });
  afterAll(async () => fx?.close());

  const form = (over: Record<string, string | string[]>) => {
    const a = fx.dept.a, b = fx.dept.b;
    const base: Record<string, string | string[]> = {
      _csrf: s.csrf,
      partners: String(b),
      code: `C-${Math.random().toString(36).slice(2, 8)}`,
      name: "定向联合抽查",
      windowStart: "2026-04-01",
      windowEnd: "2026-05-29",
      directed: "1",
      [`d${a}_items`]: String(items[a]![0]),
      [`d${a}_qB_mode`]: "count",
      [`d${a}_qB_value`]: "1",
      [`d${a}_districts`]: "460105，460106",
      [`d${b}_items`]: String(items[b]![0]),
      [`d${b}_qB_mode`]: "count",
      [`d${b}_qB_value`]: "1",
      [`d${b}_kinds`]: "individual",
      [`d${b}_industries`]: "f52",
      ...over,
    };
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(base)) for (const x of Array.isArray(v) ? v : [v]) p.append(k, x);
    return p.toString();
  };
  const post = (body: string) =>
    fx.app.inject({ method: "POST", url: `/console/plans/${planId}/batches/new`, headers: { cookie: s.cookie, "content-type": "application/x-www-form-urlencoded" }, payload: body });

  it("offers each department its own condition fields, checked as typed", async () => {
    const res = await fx.app.inject({ method: "GET", url: `/console/plans/${planId}/batches/new?partners=${fx.dept.b}`, headers: { cookie: s.cookie } });
    expect(res.statusCode).toBe(200);
    for (const d of [fx.dept.a, fx.dept.b]) {
      expect(res.body).toMatch(new RegExp(`<fieldset data-dept="${d}">[\\s\\S]*?本部门定向条件[\\s\\S]*?name="d${d}_districts"[^>]*pattern="`));
      expect(res.body).toContain(`name="d${d}_industries"`);
      expect(res.body).toContain(`name="d${d}_kinds" value="individual"`);
      expect(res.body).toContain(`name="d${d}_sizes" value="micro"`);
    }
    // The browser's pattern accepts what the server accepts, and no more.
    const pattern = new RegExp(`^(?:${/name="districts"[^>]*pattern="([^"]+)"/.exec(res.body)![1]!.replace(/&quot;/g, '"')})$`);
    for (const ok of ["460105", "46, 4601", "460105，460106、4602 "]) expect(pattern.test(ok), ok).toBe(true);
    for (const bad of ["4", "4601051", "46x", "46,,x"]) expect(pattern.test(bad), bad).toBe(false);
  });

  it("shows each department's yearly frequency cap as the draw will apply it", async () => {
    const cap = { maxPerYear: 2, maxPerYearAllLevels: 4, exemptions: [{ kind: "complaint", reason: "依法必须处理" }] };
    expect((await fx.as("admin", { method: "PUT", url: `/departments/${fx.dept.a}/frequency-cap`, payload: cap })).statusCode).toBe(200);
    const res = await fx.app.inject({ method: "GET", url: `/console/plans/${planId}/batches/new?partners=${fx.dept.b}`, headers: { cookie: s.cookie } });
    const lead = /<fieldset data-dept="(\d+)">[\s\S]*?<\/fieldset>/g;
    const sets = [...res.body.matchAll(lead)].map((m) => [Number(m[1]), m[0]] as const);
    expect(sets.find(([d]) => d === fx.dept.a)![1]).toContain("同一企业年度检查频次上限：本层级 2 次，与上下级合计 4 次（投诉举报不计入）");
    expect(sets.find(([d]) => d === fx.dept.b)![1]).not.toContain("同一企业年度检查频次上限");
  });

  it("saves a directed batch with each department's conditions and shows each department's scope", async () => {
    const res = await post(form({}));
    expect(res.statusCode, res.body.slice(0, 2000)).toBe(303);
    const id = Number(/\/console\/batches\/(\d+)/.exec(res.headers.location as string)![1]);
    const b = (await fx.as("officerA", { method: "GET", url: `/batches/${id}` })).json();
    expect(b.departments.map((d: { conditions: unknown }) => d.conditions)).toEqual([{ districts: ["460105", "460106"] }, { industries: ["F52"], kinds: ["individual"] }]);
    const page = await fx.app.inject({ method: "GET", url: `/console/batches/${id}`, headers: { cookie: s.cookie } });
    expect(page.body).toContain("定向：按各部门的定向条件（见下表）");
    expect(page.body).toContain("本部门条件：区划 460105、460106");
    expect(page.body).toContain("本部门条件：行业 F52；类型 个体工商户");
    // The edit form brings them back.
    const edit = await fx.app.inject({ method: "GET", url: `/console/batches/${id}/edit`, headers: { cookie: s.cookie } });
    expect(edit.body).toMatch(new RegExp(`name="d${fx.dept.a}_districts" value="460105, 460106"`));
    expect(edit.body).toMatch(new RegExp(`name="d${fx.dept.b}_kinds" value="individual" checked`));
  });

  it("names the department and the rule when the conditions are wrong, before the API is called", async () => {
    const cases: [Record<string, string | string[]>, RegExp][] = [
      [{ [`d${fx.dept.a}_districts`]: "46x" }, /测试市市场监督管理局的区划代码“46x”不是 2–6 位数字的区划代码/],
      [{ [`d${fx.dept.b}_industries`]: "Z9" }, /测试市住房和城乡建设局的行业代码“Z9”不是 GB\/T 4754 行业代码/],
      [{ [`d${fx.dept.b}_kinds`]: "company" }, /主体类型“company”不是可选的值/],
      [{ directed: "0" }, /定向条件只用于定向批次/],
      [{ [`d${fx.dept.b}_kinds`]: [], [`d${fx.dept.b}_industries`]: "" }, /测试市住房和城乡建设局还没有/],
    ];
    const before = await fx.store.prisma.batch.count();
    for (const [over, message] of cases) {
      const res = await post(form(over));
      expect(res.statusCode, JSON.stringify(over)).toBe(422);
      expect(res.body).toMatch(message);
      // the typed values stay in the form
      expect(res.body).toContain("定向联合抽查");
    }
    expect(await fx.store.prisma.batch.count()).toBe(before);
  });
});
