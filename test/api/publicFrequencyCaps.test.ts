/**
 * 国办发〔2024〕54号 asks every department to publish its 同一企业年度检查频次上限: the cap an
 * administrator sets is on the public API and the 公示 page (no login) with its exemptions and
 * their reasons, a department without a cap is not listed as if it had one, and a removed cap
 * leaves the page.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixture, type Fixture } from "./helpers.ts";

describe("published frequency caps", () => {
  let fx: Fixture;
  beforeAll(async () => {
    fx = await fixture();
  });
  afterAll(async () => fx?.close());

  const publicCaps = async () => {
    const res = await fx.app.inject({ method: "GET", url: "/api/public/frequency-caps" });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { department: string; maxPerYear: number; maxPerYearAllLevels: number | null; exemptions: { kind: string; label: string; reason: string }[] }[];
  };
  const page = async () => (await fx.app.inject({ method: "GET", url: "/public" })).body;

  it("lists none before any is set, and the page says so", async () => {
    expect(await publicCaps()).toEqual([]);
    expect(await page()).toContain("暂无部门公布同一企业年度检查频次上限");
  });

  it("publishes the administrator's cap with its exemptions and reasons; the other department is absent", async () => {
    const cap = { maxPerYear: 2, maxPerYearAllLevels: 4, exemptions: [{ kind: "complaint", reason: "投诉举报依法必须核查，不计入频次" }] };
    const set = await fx.as("admin", { method: "PUT", url: `/departments/${fx.dept.a}/frequency-cap`, payload: cap });
    expect(set.statusCode, set.body).toBe(200);
    const caps = await publicCaps();
    expect(caps).toHaveLength(1);
    expect(caps[0]).toMatchObject({ department: "测试市市场监督管理局", maxPerYear: 2, maxPerYearAllLevels: 4, exemptions: [{ kind: "complaint", label: "投诉举报", reason: cap.exemptions[0]!.reason }] });
    await new Promise((r) => setTimeout(r, 5_100)); // the page's side lists are kept 5 s
    const html = await page();
    const section = html.slice(html.indexOf('id="frequency-caps"'), html.indexOf("</section>", html.indexOf('id="frequency-caps"')));
    expect(section).toContain("测试市市场监督管理局");
    expect(section).toContain("2 次");
    expect(section).toContain("4 次");
    expect(section).toContain("投诉举报：投诉举报依法必须核查，不计入频次");
    expect(section).not.toContain("测试市住房和城乡建设局");
  });

  it("drops a removed cap", async () => {
    expect((await fx.as("admin", { method: "DELETE", url: `/departments/${fx.dept.a}/frequency-cap` })).statusCode).toBe(204);
    expect(await publicCaps()).toEqual([]);
  });
});
