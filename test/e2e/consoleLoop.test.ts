/**
 * 专家和人员抽取 for an approval in the console, in a real headless Chromium on the demo city: the
 * approval bureau's officer records the 事由 and a staff seat of 市场监管 on the form, freezes the
 * directory; the bureau and 市场监管 each make their secret in their own browser (console.js, as
 * for batch draws), commit only its hash, reveal it (a wrong secret is refused in the browser);
 * the bureau draws once; the draw verifies; the auditor reads the page at 390 px without
 * horizontal scrolling.
 */
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { createAccount } from "../../src/store/repos/accounts.ts";
import { haveBrowser, startConsole, type ConsoleE2E } from "./consoleHarness.ts";

describe.skipIf(!haveBrowser)("console: a panel draw for an approval in Chromium", () => {
  let e: ConsoleE2E;
  let bureau: Page;
  let scjg: Page;
  let panelUrl = "";
  let bureauCode = "";
  const day = new Date(Date.now() + (8 * 3600 + 20 * 86400) * 1000).toISOString().slice(0, 10);

  beforeAll(async () => {
    e = await startConsole({ entities: 300 });
    const p = e.store.prisma;
    const d01 = await p.department.findUniqueOrThrow({ where: { code: "D01" } });
    const b = await p.department.create({ data: { code: "SP-E2E", name: "演示市行政审批服务局", level: d01.level, kind: "approval", districtCode: d01.districtCode } });
    bureauCode = b.code;
    await createAccount(e.store, { name: "审批科员", role: "officer", department: b.id, login: "t-bureau", password: "Bureau-pass-2026" }, "test", { mustChange: false });
    bureau = (await e.person()).page;
    await bureau.goto(`${e.base}/console/login`);
    await bureau.getByLabel("登录账号").fill("t-bureau");
    await bureau.getByLabel("密码", { exact: true }).fill("Bureau-pass-2026");
    await Promise.all([bureau.waitForURL(`${e.base}/console`), bureau.getByRole("button", { name: "登录" }).click()]);
    scjg = (await e.loggedIn("demo-scjg")).page;
  }, 120_000);
  afterAll(async () => e?.close());

  it("the bureau records the 事由 with a staff seat and freezes the directory", async () => {
    const entity = await e.store.prisma.entity.findFirstOrThrow({ orderBy: { id: "asc" } });
    await bureau.getByRole("link", { name: "专家和人员抽取" }).click();
    await bureau.getByLabel("事由", { exact: true }).selectOption("siteVisit");
    await bureau.getByLabel("日期", { exact: true }).fill(day);
    await bureau.getByLabel("名称（公开）").fill("某食品厂现场踏勘（演示）");
    await bureau.getByLabel("办件编号").fill("SP-E2E-0001");
    await bureau.getByLabel("申请人统一社会信用代码（不公开）").fill(entity.code);
    await bureau.getByLabel("申请人所在区划码（不公开）").fill(entity.districtCode);
    await bureau.locator("#seat0-kind").selectOption("officer");
    await bureau.locator("#seat0-department").selectOption({ label: "西安市市场监督管理局" });
    await Promise.all([bureau.waitForURL(/\/console\/panels\/\d+$/), bureau.getByRole("button", { name: "登记" }).click()]);
    panelUrl = bureau.url();
    await expect(bureau.locator(".flash").textContent()).resolves.toContain("已登记抽取事由");
    await Promise.all([bureau.waitForURL(panelUrl), bureau.getByRole("button", { name: "冻结并公布承诺值" }).click()]);
    await expect(bureau.locator(".flash").textContent()).resolves.toContain("承诺值已公布");
    await expect(bureau.locator("main").textContent()).resolves.toContain("已承诺");
  });

  async function commit(page: Page): Promise<string> {
    await page.goto(panelUrl);
    await page.getByRole("button", { name: "生成本部门秘密值" }).click();
    await expect.poll(() => page.locator("[data-hash-out]").textContent()).toMatch(/^[0-9a-f]{64}$/);
    const hash = (await page.locator("[data-hash-out]").textContent())!;
    await Promise.all([page.waitForURL(panelUrl), page.getByRole("button", { name: "提交本部门的秘密值承诺" }).click()]);
    await expect(page.locator(".flash").textContent()).resolves.toContain("承诺已提交");
    return hash;
  }

  it("the bureau and 市场监管 make their secrets in their own browsers, commit the hashes, reveal; the bureau draws once", async () => {
    const h1 = await commit(bureau);
    await expect(bureau.locator("main").textContent()).resolves.toContain("等待 西安市市场监督管理局 提交承诺");
    const h2 = await commit(scjg);
    expect(h1).not.toBe(h2);
    const drawId = (await e.store.prisma.panelDraw.findFirstOrThrow({ orderBy: { id: "desc" } })).id;
    const kept = await bureau.evaluate((k) => (globalThis as any).localStorage.getItem(k) as string | null, `ssj-secret:panel-draw-${drawId}-${bureauCode}`);
    expect(kept).toMatch(/^[0-9a-f]{64}$/);
    expect(createHash("sha256").update(Buffer.from(kept!, "hex")).digest("hex")).toBe(h1);
    for (const page of [scjg, bureau]) {
      await page.goto(panelUrl);
      const status = page.locator("form[data-secret-reveal] [data-status]");
      const submit = page.getByRole("button", { name: "公开本部门秘密值" });
      await expect.poll(() => status.textContent()).toMatch(/已核对/);
      await page.getByLabel("或粘贴秘密值").fill("ab".repeat(32));
      await expect.poll(() => status.textContent()).toMatch(/与本部门提交的承诺不符/);
      expect(await submit.isDisabled()).toBe(true);
      const mine = await page.evaluate((k) => (globalThis as any).localStorage.getItem(k) as string, `ssj-secret:panel-draw-${drawId}-${page === bureau ? bureauCode : "D01"}`);
      await page.getByLabel("或粘贴秘密值").fill(mine);
      await expect.poll(() => status.textContent()).toMatch(/已核对/);
      await Promise.all([page.waitForURL(panelUrl), submit.click()]);
    }
    await expect(bureau.locator(".flash").textContent()).resolves.toContain("种子已确定");
    expect(await scjg.getByRole("button", { name: "抽取（只能一次）" }).count()).toBe(0);
    await Promise.all([bureau.waitForURL(panelUrl), bureau.getByRole("button", { name: "抽取（只能一次）" }).click()]);
    await expect(bureau.locator(".flash").textContent()).resolves.toContain("已抽取");
    await expect(bureau.locator("main").textContent()).resolves.toContain("核验通过");
    await e.shot(bureau, "panel-draw");
  });

  it("the auditor reads the panel page at 390 px without horizontal scrolling, and finds no form to act", async () => {
    const { page } = await e.loggedIn("demo-auditor", { width: 390 });
    await page.goto(panelUrl);
    await expect(page.locator("main").textContent()).resolves.toContain("核验通过");
    await e.shot(page, "panel-draw-390");
    expect(await page.locator("main form[method=post]").count()).toBe(0);
    for (const url of [panelUrl, `${e.base}/console/panels`, `${e.base}/console/verifications`, `${e.base}/console/duty-lists`]) {
      await page.goto(url);
      const [scroll, client] = await page.evaluate(() => { const el = (globalThis as any).document.documentElement; return [el.scrollWidth as number, el.clientWidth as number]; });
      expect(scroll, url).toBeLessThanOrEqual(client);
    }
  });
});
