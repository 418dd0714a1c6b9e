/**
 * 同一企业年度检查频次上限及豁免 on the console's configuration page (api/console/pages/capsConfig.ts),
 * as the administrator uses it and as others try it: a form per department with the browser's
 * constraints; saved caps and their reasons listed; wrong values come back with the field named,
 * the typed values kept and nothing stored; officers and auditors cannot post it; a cap is removed.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { creditCode, seedBatch } from "../api/helpers.ts";
import { consoleFixture, type ConsoleFixture, type Who } from "./helpers.ts";

describe("console: frequency caps on the configuration page", () => {
  let fx: ConsoleFixture;
  beforeAll(async () => {
    fx = await consoleFixture();
  });
  afterAll(async () => fx?.close());

  const post = async (who: Who, path: string, fields: Record<string, string | string[]>) => {
    const s = await fx.session(who);
    const p = new URLSearchParams({ _csrf: s.csrf });
    for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) p.append(k, x);
    return fx.app.inject({ method: "POST", url: path, headers: { cookie: s.cookie, "content-type": "application/x-www-form-urlencoded" }, payload: p.toString() });
  };
  const page = async () => {
    const s = await fx.session("admin");
    return fx.app.inject({ method: "GET", url: "/console/config", headers: { cookie: s.cookie } });
  };
  const url = () => `/console/config/frequency-caps/${fx.dept.a}`;
  const good = { maxPerYear: "2", maxPerYearAllLevels: "4", exempt: ["complaint", "referral"], "reason-complaint": "投诉举报依法必须处理", "reason-referral": "上级转办交办的线索" };

  it("lists every department with a form checked by the browser", async () => {
    const res = await page();
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain("同一企业年度检查频次上限及豁免");
    for (const d of [fx.dept.a, fx.dept.b]) {
      expect(res.body).toContain(`action="/console/config/frequency-caps/${d}"`);
      expect(res.body).toMatch(new RegExp(`id="fc${d}-n" name="maxPerYear" type="number" required min="1" max="100"`));
    }
    expect(res.body).toContain("未设置");
    expect(res.body).not.toContain("/frequency-caps/" + fx.dept.a + "/delete");
  });

  it("saves a cap with its reasoned exemptions and lists them", async () => {
    const res = await post("admin", url(), good);
    expect(res.statusCode, res.body.slice(0, 1500)).toBe(303);
    const api = (await fx.as("auditor", { method: "GET", url: `/departments/${fx.dept.a}/frequency-cap` })).json();
    expect(api).toMatchObject({ configured: true, maxPerYear: 2, maxPerYearAllLevels: 4, exemptions: [{ kind: "complaint", reason: "投诉举报依法必须处理" }, { kind: "referral", reason: "上级转办交办的线索" }] });
    const body = (await page()).body;
    expect(body).toContain("本层级 2 次，合计 4 次");
    expect(body).toContain("投诉举报：投诉举报依法必须处理");
    // the saved values come back into the form, the exempted kinds checked and their reasons required
    expect(body).toMatch(new RegExp(`id="fc${fx.dept.a}-r-complaint" name="reason-complaint" maxlength="200" minlength="2" value="投诉举报依法必须处理"[^>]* required`));
    expect(body).toMatch(/name="exempt" value="referral" checked/);
  });

  it("names the field when a value is wrong, keeps what was typed and stores nothing", async () => {
    const cases: [Record<string, string | string[]>, RegExp][] = [
      [{ ...good, maxPerYear: "0" }, /【本层级上限】须为 1–100 的整数/],
      [{ ...good, maxPerYear: "二" }, /【本层级上限】须为 1–100 的整数/],
      [{ ...good, maxPerYearAllLevels: "1" }, /【跨层级上限】合计上限（1）不能小于本层级上限（2）/],
      [{ ...good, "reason-referral": " " }, /【转办交办的豁免理由】须写明理由/],
      [{ ...good, exempt: ["random"] }, /“random”不是可以豁免的定向检查类型/],
    ];
    for (const [form, message] of cases) {
      const res = await post("admin", url(), form);
      expect(res.statusCode, JSON.stringify(form)).toBe(422);
      expect(res.body).toMatch(message);
      expect(res.body).toContain('id="form-error"');
    }
    // kept: the form of that department is open with the typed value
    const res = await post("admin", url(), { ...good, maxPerYear: "3", maxPerYearAllLevels: "1" });
    expect(res.body).toMatch(new RegExp(`<details open><summary>设置 [^<]+</summary>[\\s\\S]*?id="fc${fx.dept.a}-all" name="maxPerYearAllLevels" type="number" min="1" max="100" step="1" value="1"`));
    expect((await fx.as("admin", { method: "GET", url: `/departments/${fx.dept.a}/frequency-cap` })).json().maxPerYear).toBe(2);
  });

  it("the draw page says how many entities each department's cap excluded", async () => {
    expect((await post("admin", url(), good)).statusCode).toBe(303);
    const { batchId, items } = await seedBatch(fx, { entities: 6, count: 1 });
    for (let i = 0; i < 2; i++) {
      const t = await fx.as("officerA", { method: "POST", url: "/tasks", payload: { entityCode: creditCode(0), itemIds: items[fx.dept.a]!.slice(0, 1), directedKind: "dataAlert", reason: "内部", windowStart: "2026-07-01", windowEnd: "2026-07-31" } });
      expect(t.statusCode, t.body).toBe(201);
    }
    const d = await fx.as("officerA", { method: "POST", url: `/batches/${batchId}/draws`, payload: { seed: { mode: "commitReveal" } } });
    expect(d.statusCode, d.body).toBe(201);
    const s = await fx.session("officerB");
    const res = await fx.app.inject({ method: "GET", url: `/console/draws/${d.json().id}`, headers: { cookie: s.cookie } });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain("测试市市场监督管理局：1 户（其中 1 户已达同一企业年度检查频次上限）");
    expect(res.body).not.toContain("测试市住房和城乡建设局：");
  });

  it("is the administrator's: officers and auditors are refused; the cap can be removed", async () => {
    for (const who of ["officerA", "auditor"] as const) expect((await post(who, url(), good)).statusCode).toBe(403);
    expect((await post("officerA", `${url()}/delete`, {})).statusCode).toBe(403);
    expect((await page()).body).toContain(`/console/config/frequency-caps/${fx.dept.a}/delete`);
    expect((await post("admin", `${url()}/delete`, {})).statusCode).toBe(303);
    expect((await fx.as("admin", { method: "GET", url: `/departments/${fx.dept.a}/frequency-cap` })).json().configured).toBe(false);
  });
});
