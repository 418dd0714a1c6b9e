/**
 * The 公示 page's 审管联动 sections in a real headless Chromium at 390 px, as a citizen sees them:
 *   - 专家和人员抽取 (panel draws for approvals): a drawn one and one still waiting for its seed,
 *     each with its status, method, seats (required / drawn), commitment, seed, chain head, the
 *     public manifest's digest and a download link whose file hashes to that digest — and no
 *     expert's or officer's name or certificate number, nor the applicant's code;
 *   - 告知承诺核查结果公示: a 不属实 outcome recorded by the department appears with its public
 *     fields only (never the findings).
 * Nothing wider than the screen.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrowserContext, Page } from "playwright-core";
import { fixture, type Fixture } from "../api/helpers.ts";
import { commitPanelDraw, createExpert, createPanel, enterPanelExternal, runPanelDraw, type PanelActor } from "../../src/store/repos/panels.ts";
import { publishDutyList, recordDecisions } from "../../src/store/repos/approvals.ts";
import { listVerifications, recordVerification } from "../../src/store/repos/loopSteps.ts";
import { creditCodeCheckChar } from "../../src/directories/creditCode.ts";

const CHROMIUM = process.env.SSJ_CHROMIUM || "/usr/bin/chromium";
const REQUIRE = process.env.SSJ_REQUIRE_BROWSER === "1";
const haveBrowser = existsSync(CHROMIUM);
if (!haveBrowser && REQUIRE) throw new Error(`SSJ_REQUIRE_BROWSER=1 but ${CHROMIUM} is missing: apt-get install -y chromium`);

const withCheck = (p: string) => p + creditCodeCheckChar(p);
const APPLICANT = withCheck("91610113MA6PNL0E2");
const VERIFIED = withCheck("91610113MA6HC00E2");
const FINDINGS = "现场核查发现举报人孙保密所述情况属实";

const overflow = (page: Page) =>
  page.evaluate(() => {
    const d = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement;
    return d.scrollWidth - d.clientWidth;
  });

describe.skipIf(!haveBrowser)("the 公示 page's 审管联动 sections in headless Chromium (390 px)", () => {
  let fx: Fixture;
  let base: string;
  let dir: string;
  let context: BrowserContext;
  let drawn: number;
  let waiting: number;
  const people: string[] = [];

  beforeAll(async () => {
    fx = await fixture();
    const p = fx.store.prisma;
    const admin: PanelActor = { userId: 0, role: "admin", departmentId: null };
    const bureau = await p.department.create({ data: { code: "T-XZSP-E2E", name: "测试市行政审批服务局", level: "city", kind: "approval", districtCode: "610100" } });
    for (let i = 1; i <= 3; i++) {
      const cert = `ZJ-E2E-${i}`;
      await p.inspector.create({ data: { departmentId: fx.dept.b, name: `住建人员保密${i}`, certificateNo: cert, qualifications: ["行政执法证"], specialities: [], districts: ["6101"] } });
      people.push(`住建人员保密${i}`, cert);
    }
    for (let i = 1; i <= 5; i++) {
      const x = { name: `专家保密${i}号`, certificateNo: `ZJK-E2E-${i}`, departmentId: fx.dept.b, specialities: ["结构工程"], districts: ["6101"] };
      await createExpert(fx.store, x, admin);
      people.push(x.name, x.certificateNo);
    }
    const seats = [
      { id: "E1", kind: "expert" as const, speciality: "结构工程", count: 2 },
      { id: "O1", kind: "officer" as const, departmentId: fx.dept.b, count: 1 },
    ];
    const panel = (name: string, no: string) => createPanel(fx.store, { bureauId: bureau.id, purpose: "acceptance", name, applicationNo: no, subjectCode: APPLICANT, subjectDistrict: "610113", day: "2026-12-15", seats }, admin);
    const p1 = await panel("某住宅项目竣工验收（测试）", "SP-E2E-1");
    const d1 = await commitPanelDraw(fx.store, p1.id, { mode: "external", source: "测试随机数信标", reference: "第 1001 轮" }, admin);
    await enterPanelExternal(fx.store, d1.id, "0123456789", new Date(Date.parse(d1.frozenAt) + 1).toISOString(), admin);
    drawn = (await runPanelDraw(fx.store, d1.id, admin)).id;
    const p2 = await panel("某厂房技术审查（测试）", "SP-E2E-2");
    waiting = (await commitPanelDraw(fx.store, p2.id, { mode: "external", source: "测试随机数信标", reference: "第 1002 轮" }, admin)).id;

    // 告知承诺: a decision verified 不属实 by 住建 (published under the default rule)
    await p.entity.create({ data: { code: VERIFIED, codeKind: "uscc", name: "公示核查测试建设有限公司", districtCode: "610113", industryCode: "E4710", kind: "enterprise", riskClass: "B", size: "small" } });
    await publishDutyList(fx.store, { bureauId: bureau.id, reason: "首次发布", entries: [{ approvalCode: "SP-201", approvalName: "建筑工程施工许可", supervisionName: "施工安全监督", departmentId: fx.dept.b }] }, admin);
    await recordDecisions(fx.store, { bureauId: bureau.id, decisions: [{ decisionNo: "E2E-CN-1", entityCode: VERIFIED, approvalCode: "SP-201", kind: "commitment", decision: "grant", decidedOn: "2026-03-02", commitment: "承诺具备安全生产条件" }], source: "api" }, admin, "2026-03-02");
    const v = (await listVerifications(fx.store, { limit: 10, offset: 0 }, admin)).items[0]!;
    await recordVerification(fx.store, v.id, { outcome: "false", findings: FINDINGS, checkedOn: "2026-04-01" }, admin);

    base = await fx.app.listen({ host: "127.0.0.1", port: 0 });
    dir = mkdtempSync(join(tmpdir(), "ssj-e2e-loop-"));
    const { chromium } = await import("playwright-core");
    context = await chromium.launchPersistentContext(join(dir, "profile"), {
      executablePath: CHROMIUM,
      headless: true,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
      locale: "zh-CN",
      viewport: { width: 390, height: 844 },
    });
  }, 60_000);
  afterAll(async () => {
    await context?.close();
    await fx?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("panel draws: status, method, seats, commitment, seed, digest and manifest link; the file hashes to the digest; no person named", async () => {
    const page = context.pages()[0] ?? (await context.newPage());
    expect((await page.goto(`${base}/public`))?.status()).toBe(200);
    const section = page.locator("section#panel-draws");
    await expect(section.getByRole("heading", { name: "专家和人员抽取公示（行政审批）" }).isVisible()).resolves.toBe(true);
    const api = (await (await fetch(`${base}/api/public/panel-draws/${drawn}`)).json()) as { manifestDigest: string; commitment: string; seed: string; head: string; method: string };
    const one = section.locator(`article:has(#panel-draw-${drawn})`);
    await expect(one.locator(".status").textContent()).resolves.toBe("已抽取");
    const text = (await one.textContent())!;
    for (const s of [api.manifestDigest, api.commitment, api.seed, api.head, api.method, "测试市行政审批服务局", "验收", "专家（结构工程）：需 2 人，抽中 2 人", "监管部门人员（测试市住房和城乡建设局）：需 1 人，抽中 1 人"]) expect(text).toContain(s);
    await expect(section.locator(`article:has(#panel-draw-${waiting}) .status`).textContent()).resolves.toBe("已承诺（待生成种子）");
    expect(await section.locator(`article:has(#panel-draw-${waiting})`).textContent()).toContain("尚未抽取");
    // the download link serves the public manifest, whose SHA-256 is the digest shown
    const href = (await one.getByRole("link", { name: /下载 panel-draw-/ }).getAttribute("href"))!;
    expect(href).toBe(`/api/public/panel-draws/${drawn}/manifest.json`);
    const file = await (await fetch(`${base}${href}`)).text();
    expect(createHash("sha256").update(file).digest("hex")).toBe(api.manifestDigest);
    const body = (await page.content()) + file;
    for (const s of [...people, APPLICANT]) expect(body).not.toContain(s);
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    const shot = process.env.SSJ_E2E_SCREENSHOT_LOOP;
    if (shot) await page.screenshot({ path: shot, fullPage: true });
  });

  it("告知承诺核查结果: the 不属实 outcome with its public fields, found by credit code; never the findings; fits 390 px", async () => {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`${base}/public`);
    await page.getByLabel("统一社会信用代码或市场主体名称").fill(VERIFIED);
    await page.keyboard.press("Enter");
    await page.waitForURL(/q=/);
    const table = page.locator("section#verifications table");
    await expect(table.locator("caption").textContent()).resolves.toContain(VERIFIED);
    const row = (await table.locator("tbody tr").first().textContent())!;
    for (const s of ["公示核查测试建设有限公司", "建筑工程施工许可", "2026-03-02", "承诺不属实", "2026-04-01", "测试市住房和城乡建设局", "测试市行政审批服务局"]) expect(row).toContain(s);
    expect(await page.content()).not.toContain(FINDINGS);
    expect(await overflow(page)).toBeLessThanOrEqual(0);
  });
});
