/**
 * End to end in a real headless Chromium (Debian's /usr/bin/chromium via playwright-core): start
 * the service on a temporary SQLite database holding a known published result, search for the
 * entity by name and by credit code with the keyboard, see its result, download a draw manifest.
 *
 * Skips, saying why, when /usr/bin/chromium is missing — unless SSJ_REQUIRE_BROWSER=1 (CI), then
 * it fails. SSJ_E2E_SCREENSHOT=<file.png> saves a screenshot of the results page.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import type { BrowserContext, Page } from "playwright-core";
import { buildApp } from "../../api/app.ts";
import { openStore, type Store } from "../../src/store/index.ts";
import { publishToReadModel } from "../../src/store/readModel/index.ts";
import { KNOWN, fixtureRecords } from "./fixtures.ts";

const CHROMIUM = process.env.SSJ_CHROMIUM || "/usr/bin/chromium";
const REQUIRE = process.env.SSJ_REQUIRE_BROWSER === "1";
const haveBrowser = existsSync(CHROMIUM);
if (!haveBrowser && REQUIRE) throw new Error(`SSJ_REQUIRE_BROWSER=1 but ${CHROMIUM} is missing: apt-get install -y chromium`);
if (!haveBrowser) console.warn(`[skip] browser end-to-end test: ${CHROMIUM} not found (apt-get install -y chromium; SSJ_REQUIRE_BROWSER=1 makes this fail)`);

describe.skipIf(!haveBrowser)("公示 page in headless Chromium", () => {
  let dir: string;
  let store: Store;
  let app: FastifyInstance;
  let base: string;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "ssj-e2e-"));
    // The real store on a fresh SQLite file, migrated, with the known records published.
    store = await openStore({ databaseUrl: `file:${join(dir, "ssj.db")}` });
    await store.migrate();
    await publishToReadModel(store, fixtureRecords());
    app = await buildApp({ store });
    base = await app.listen({ host: "127.0.0.1", port: 0 });
    const { chromium } = await import("playwright-core");
    context = await chromium.launchPersistentContext(join(dir, "profile"), {
      executablePath: CHROMIUM,
      headless: true,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
      acceptDownloads: true,
      locale: "zh-CN",
      viewport: { width: 1280, height: 900 },
    });
    page = context.pages()[0] ?? (await context.newPage());
  });

  afterAll(async () => {
    await context?.close();
    await app?.close();
    await store?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("finds the entity by name with the keyboard and shows its published result", async () => {
    const res = await page.goto(`${base}/public`);
    expect(res?.status()).toBe(200);
    expect(await page.getAttribute("html", "lang")).toBe("zh-CN");
    await expect(page.title()).resolves.toContain("公示");
    // Keyboard only: the skip link comes first, then the search box via its label.
    await page.keyboard.press("Tab");
    expect(await page.locator(":focus").textContent()).toBe("跳到主要内容");
    const box = page.getByLabel("统一社会信用代码或市场主体名称");
    await box.focus();
    await page.keyboard.type("闽味餐饮");
    await Promise.all([page.waitForURL(/\/public\?q=/), page.keyboard.press("Enter")]);
    const table = page.getByRole("table");
    await expect(table.locator("caption").textContent()).resolves.toContain("名称含“闽味餐饮”");
    const rows = table.locator("tbody tr");
    expect(await rows.count()).toBe(1);
    const cells = await rows.first().locator("td").allTextContents();
    expect(cells).toEqual([KNOWN.name, KNOWN.code, "2026-SJ-0001", "食品经营许可事项抽查", "2026-03-05", "福州市市场监督管理局", "发现问题已责令改正", "2026-03-20"]);
    const shot = process.env.SSJ_E2E_SCREENSHOT;
    if (shot) await page.screenshot({ path: shot, fullPage: true });
  });

  it("finds it by credit code with a department filter, and paginates", async () => {
    await page.goto(`${base}/public`);
    await page.getByLabel("统一社会信用代码或市场主体名称").fill(KNOWN.code);
    await page.getByLabel("检查部门").selectOption("福州市市场监督管理局");
    await Promise.all([page.waitForURL(/q=/), page.getByRole("button", { name: "查询" }).click()]);
    const rows = page.locator("tbody tr");
    expect(await rows.count()).toBe(1);
    expect(await rows.first().locator("td").first().textContent()).toBe(KNOWN.name);

    await page.goto(`${base}/public?q=${encodeURIComponent("有限公司")}`);
    expect(await page.locator("tbody tr").count()).toBe(20);
    const first = await page.locator("tbody tr td").first().textContent();
    await Promise.all([page.waitForURL(/cursor=/), page.getByRole("link", { name: "下一页" }).click()]);
    expect(await page.locator("tbody tr").count()).toBe(20);
    expect(await page.locator("tbody tr td").first().textContent()).not.toBe(first);
  });

  it("shows the draw's commitment, seed and provenance and downloads its manifest", async () => {
    await page.goto(`${base}/public`);
    const draw = page.locator("article.draw").first();
    await expect(draw.textContent()).resolves.toContain("8d3f1a2b9c7e6d5f");
    await expect(draw.textContent()).resolves.toContain("快乐8");
    await expect(draw.textContent()).resolves.toContain(`ssj verify manifest-${KNOWN.drawId}.json`);
    const [download] = await Promise.all([page.waitForEvent("download"), draw.getByRole("link", { name: /下载 manifest/ }).click()]);
    expect(download.suggestedFilename()).toBe(`manifest-${KNOWN.drawId}.json`);
    const saved = join(dir, download.suggestedFilename());
    await download.saveAs(saved);
    const text = readFileSync(saved, "utf8");
    const published = fixtureRecords().find((r) => r.kind === "draw") as { manifest: string };
    expect(text).toBe(published.manifest);
    expect(JSON.parse(text)).toMatchObject({ drawId: KNOWN.drawId, selected: [KNOWN.code] });
  });
});

