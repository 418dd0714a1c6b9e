/**
 * The console's browser-test harness: the real service on a fresh SQLite file holding the demo
 * city (small directory, so it loads in a second or two) and its demo accounts, one headless
 * Chromium (Debian's /usr/bin/chromium via playwright-core), a browser context per person.
 *
 * Skips, saying why, when /usr/bin/chromium is missing — unless SSJ_REQUIRE_BROWSER=1 (CI), then
 * it fails. SSJ_CONSOLE_SHOTS=<dir> saves screenshots of the main screens there (the README's
 * pictures in docs/console/ are made that way).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { buildApp } from "../../api/app.ts";
import { openStore, type Store } from "../../src/store/index.ts";
import { loadDemoCity } from "../../src/demo/index.ts";
import { DEMO_ACCOUNTS, ensureDemoAccounts } from "../../src/store/repos/demoAccounts.ts";
import { addDays, builtInCalendar, coveredYears, isWorkingDay, publicationDeadline } from "../../src/calendar/index.ts";

export const CHROMIUM = process.env.SSJ_CHROMIUM || "/usr/bin/chromium";
const REQUIRE = process.env.SSJ_REQUIRE_BROWSER === "1";
export const haveBrowser = existsSync(CHROMIUM);
if (!haveBrowser && REQUIRE) throw new Error(`SSJ_REQUIRE_BROWSER=1 but ${CHROMIUM} is missing: apt-get install -y chromium fonts-noto-cjk`);
if (!haveBrowser) console.warn(`[skip] console browser tests: ${CHROMIUM} not found (apt-get install -y chromium; SSJ_REQUIRE_BROWSER=1 makes this fail)`);

/**
 * Dates for the journeys, computed from today (Beijing) so the tests do not age: a check date on
 * a working day about 45 days ago — so its 20-working-day publication deadline has passed (the
 * result is on the overdue list) — in a year the built-in holiday tables cover, with its deadline
 * covered too; else 2 November of the last covered year. The batch window runs from the check
 * date (at the latest 2 November) for about three months, ending in that year at the latest; the
 * plan is of that year.
 */
export function journeyDates(now = new Date()): { year: number; windowStart: string; windowEnd: string; checkDate: string } {
  const cal = builtInCalendar();
  const years = new Set(coveredYears(cal));
  const today = new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
  const covered = (d: string) => years.has(Number(d.slice(0, 4)));
  let check = addDays(today, -45);
  while (covered(check) && !isWorkingDay(cal, check)) check = addDays(check, -1);
  if (!covered(check) || !covered(addDays(check, 40)) || publicationDeadline(cal, check) >= today) check = `${Math.max(...years)}-11-02`;
  const year = Number(check.slice(0, 4));
  const windowStart = check < `${year}-11-02` ? check : `${year}-11-02`;
  const end = addDays(windowStart, 90);
  return { year, windowStart, windowEnd: end < `${year}-12-31` ? end : `${year}-12-31`, checkDate: check };
}

export type DemoLogin = "demo-admin" | "demo-scjg" | "demo-cgzf" | "demo-auditor";

export interface ConsoleE2E {
  base: string;
  store: Store;
  app: FastifyInstance;
  dir: string;
  browser: Browser;
  /** A fresh browser context (its own cookies and localStorage: one person's computer). */
  person(o?: { width?: number; height?: number; javaScript?: boolean }): Promise<{ context: BrowserContext; page: Page }>;
  /** A fresh context logged in as a demo account, on the console's home page. */
  loggedIn(login: DemoLogin, o?: { width?: number; javaScript?: boolean }): Promise<{ context: BrowserContext; page: Page }>;
  shot(page: Page, name: string): Promise<void>;
  /** The API as a demo account (its console session: cookie + CSRF token), for setting the scene. */
  api(login: DemoLogin): Promise<(method: "GET" | "POST" | "PUT", url: string, body?: unknown) => Promise<any>>;
  close(): Promise<void>;
}

export async function startConsole(o: { entities?: number } = {}): Promise<ConsoleE2E> {
  const dir = mkdtempSync(join(tmpdir(), "ssj-console-e2e-"));
  const store = await openStore({ databaseUrl: `file:${join(dir, "ssj.db")}` });
  await store.migrate();
  await loadDemoCity(store, { entities: o.entities ?? 1500 });
  await ensureDemoAccounts(store);
  const app = await buildApp({ store });
  const base = await app.listen({ host: "127.0.0.1", port: 0 });
  const { chromium } = await import("playwright-core");
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const contexts: BrowserContext[] = [];
  const shots = process.env.SSJ_CONSOLE_SHOTS;
  if (shots) mkdirSync(shots, { recursive: true });
  const person: ConsoleE2E["person"] = async (v = {}) => {
    const context = await browser.newContext({ locale: "zh-CN", timezoneId: "Asia/Shanghai", acceptDownloads: true, viewport: { width: v.width ?? 1280, height: v.height ?? 900 }, javaScriptEnabled: v.javaScript ?? true });
    contexts.push(context);
    context.setDefaultTimeout(30_000);
    const page = await context.newPage();
    page.on("pageerror", (e) => console.error(`[page error] ${e.message}`));
    page.on("dialog", (d) => void d.accept());
    return { context, page };
  };
  return {
    base,
    store,
    app,
    dir,
    browser,
    person,
    async loggedIn(login, v) {
      const p = await person(v);
      const account = DEMO_ACCOUNTS.find((a) => a.login === login)!;
      await p.page.goto(`${base}/console/login`);
      await p.page.getByLabel("登录账号").fill(account.login);
      await p.page.getByLabel("密码", { exact: true }).fill(account.password);
      await Promise.all([p.page.waitForURL(`${base}/console`), p.page.getByRole("button", { name: "登录" }).click()]);
      return p;
    },
    async api(login) {
      const account = DEMO_ACCOUNTS.find((a) => a.login === login)!;
      const res = await app.inject({ method: "POST", url: "/session", payload: { login, password: account.password } });
      if (res.statusCode !== 200) throw new Error(`login ${login}: ${res.body}`);
      const cookie = String(([] as string[]).concat(res.headers["set-cookie"] as string[] | string)[0]).split(";")[0]!;
      const csrf = res.json().csrfToken as string;
      return async (method, url, body) => {
        const r = await app.inject({ method, url, headers: { cookie, "x-csrf-token": csrf }, ...(body === undefined ? {} : { payload: body as object }) });
        if (r.statusCode >= 400) throw new Error(`${method} ${url} → ${r.statusCode} ${r.body}`);
        return r.headers["content-type"]?.toString().includes("json") ? r.json() : r.body;
      };
    },
    async shot(page, name) {
      if (shots) await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => undefined);
      await browser.close().catch(() => undefined);
      await app.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
