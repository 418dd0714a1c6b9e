/**
 * The draw's 公示 page in a real headless Chromium, as a citizen sees it: a batch drawn, voided with
 * a reason and drawn again through the API; the page shows both attempts, the voided one marked
 * 已作废 with its reason, the commitment published before the seed, and exactly what a public
 * verification proves and what it cannot — readable at 390 px wide (no horizontal scrolling).
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrowserContext } from "playwright-core";
import { NEEDS_FULL_MANIFEST, PUBLIC_PROVES } from "../../src/draws/v2/index.ts";
import { fixture, seedBatch, type Fixture } from "../api/helpers.ts";
import { drawBatch } from "../api/support/ceremony.ts";

const CHROMIUM = process.env.SSJ_CHROMIUM || "/usr/bin/chromium";
const REQUIRE = process.env.SSJ_REQUIRE_BROWSER === "1";
const haveBrowser = existsSync(CHROMIUM);
if (!haveBrowser && REQUIRE) throw new Error(`SSJ_REQUIRE_BROWSER=1 but ${CHROMIUM} is missing: apt-get install -y chromium`);

describe.skipIf(!haveBrowser)("the draw's 公示 page in headless Chromium", () => {
  let fx: Fixture;
  let base: string;
  let dir: string;
  let context: BrowserContext;
  let voided: number;
  let redrawn: number;

  beforeAll(async () => {
    fx = await fixture();
    const { batchId } = await seedBatch(fx, { entities: 40, count: 2 });
    voided = await drawBatch(fx, batchId, "2026150 期");
    const v = await fx.as("officerA", { method: "POST", url: `/draws/${voided}/void`, payload: { reason: "名录导入有误，经纪检组同意作废" } });
    expect(v.statusCode, v.body).toBe(200);
    redrawn = await drawBatch(fx, batchId, "2026151 期");
    base = await fx.app.listen({ host: "127.0.0.1", port: 0 });
    dir = mkdtempSync(join(tmpdir(), "ssj-e2e-draw-"));
    const { chromium } = await import("playwright-core");
    context = await chromium.launchPersistentContext(join(dir, "profile"), {
      executablePath: CHROMIUM,
      headless: true,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
      locale: "zh-CN",
      viewport: { width: 390, height: 844 },
    });
  });
  afterAll(async () => {
    await context?.close();
    await fx?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("the voided attempt stays on the record, marked 已作废 with its reason; the redraw says it is attempt 2 of 2", async () => {
    const page = context.pages()[0] ?? (await context.newPage());
    expect((await page.goto(`${base}/public/draws/${voided}`))?.status()).toBe(200);
    const article = page.locator("article.draw");
    await expect(article.locator(".status").textContent()).resolves.toBe("已作废");
    await expect(page.getByRole("note").textContent()).resolves.toContain("名录导入有误，经纪检组同意作废");
    expect(await article.textContent()).toMatch(/抽中数量\s*16/);
    await page.goto(`${base}/public/draws/${redrawn}`);
    await expect(page.locator("article.draw").textContent()).resolves.toMatch(/第 2 次抽取（本批次共 2 次）/);
    const text = (await page.locator("article.draw").textContent())!;
    expect(text).toContain("承诺公布时间");
    for (const claim of Object.values(PUBLIC_PROVES)) expect(text).toContain(claim);
    for (const limit of NEEDS_FULL_MANIFEST) expect(text).toContain(limit);
    // readable on a phone: nothing wider than the screen
    const overflow = await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement.scrollWidth - (globalThis as unknown as { document: { documentElement: { clientWidth: number } } }).document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    const shot = process.env.SSJ_E2E_SCREENSHOT_DRAW;
    if (shot) await page.screenshot({ path: shot, fullPage: true });
  });

  it("the home page lists both attempts and the published audit heads; its results table fits 390 px", async () => {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`${base}/public`);
    const statuses = await page.locator("article.draw .status").allTextContents();
    expect(statuses).toEqual(expect.arrayContaining(["已作废", "已抽取"]));
    await expect(page.getByRole("heading", { name: "审计日志链头" }).isVisible()).resolves.toBe(true);
    const overflow = await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement.scrollWidth - (globalThis as unknown as { document: { documentElement: { clientWidth: number } } }).document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });
});
