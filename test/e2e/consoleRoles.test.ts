/**
 * The administrator's and the auditor's journeys in the console, in a real headless Chromium, on
 * the demo city, and a role opening another role's page:
 *   admin: creates an officer account with an initial password → the officer must change it at
 *          first login → admin resets it → disables the user, whose session ends at once; uploads a
 *          directory file and reads the row-by-row report; a configuration form refuses a bad cap;
 *   auditor: sees every draw with its status history, downloads the full manifest, verifies the
 *          stored draw and the downloaded file (proven / not provable in plain Chinese), sees a
 *          tampered upload rejected naming what does not match, searches the audit log and
 *          verifies its chain;
 *   an officer opening the users page and an auditor opening the batch form get the 403 page.
 */
import { createHash, randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { haveBrowser, journeyDates, startConsole, type ConsoleE2E } from "./consoleHarness.ts";

// Relative to today, in a year with holiday data.
const { year, windowStart, windowEnd } = journeyDates();

describe.skipIf(!haveBrowser)("console: administrator, auditor and refusals in Chromium", () => {
  let e: ConsoleE2E;
  let drawId = 0;
  let planId = 0;
  let frozenAt = "";

  beforeAll(async () => {
    e = await startConsole();
    // The scene: a drawn batch of 市场监管 (external seed), through the API as the demo officer.
    const api = await e.api("demo-scjg");
    const items = (await api("GET", "/departments/1/items")) as { id: number; importance: string }[];
    const plan = await api("POST", "/plans", { year, name: `${year}年度审计演示计划` });
    planId = plan.id;
    const batch = await api("POST", `/plans/${plan.id}/batches`, {
      code: `${year}-SJ-AUD`,
      name: "审计演示批次",
      directed: false,
      conditions: {},
      windowStart,
      windowEnd,
      departments: [{ departmentId: 1, role: "lead", itemIds: [items.find((i) => i.importance === "general")!.id], samplingRules: [{ riskClass: "A", count: 3 }, { riskClass: "B", count: 3 }] }],
    });
    await api("POST", `/plans/${plan.id}/status`, { status: "approved" });
    const d = await api("POST", `/batches/${batch.id}/draws`, { seed: { mode: "external", source: "中国福利彩票 双色球", reference: "2026139 期" } });
    drawId = d.id;
    frozenAt = d.frozenAt;
  }, 90_000);
  afterAll(async () => e?.close());

  async function login(page: Page, loginName: string, password: string) {
    await page.goto(`${e.base}/console/login`);
    await page.getByLabel("登录账号").fill(loginName);
    await page.getByLabel("密码", { exact: true }).fill(password);
    await page.getByRole("button", { name: "登录" }).click();
    await page.waitForLoadState();
  }

  it("the lead enters the external value in Beijing time (to the second) and draws", async () => {
    const { page } = await e.loggedIn("demo-scjg");
    await page.goto(`${e.base}/console/draws/${drawId}`);
    // one second after the freeze, written as Beijing wall-clock time; wait until it is not in the future
    const at = Date.parse(frozenAt) + 1000;
    while (Date.now() <= at + 200) await new Promise((r) => setTimeout(r, 200));
    const local = new Date(at + 8 * 3600_000).toISOString().slice(0, 19);
    await page.getByLabel("公布的数值").fill("03 07 12 19 25 31 + 09");
    await page.getByLabel("公布时间（北京时间）").fill(local);
    await Promise.all([page.waitForURL(`${e.base}/console/draws/${drawId}`), page.getByRole("button", { name: "录入外部随机数" }).click()]);
    await expect.poll(() => page.locator(".flash").textContent()).toContain("种子已确定");
    const stored = await (await e.api("demo-auditor"))("GET", `/draws/${drawId}`);
    expect(JSON.stringify(stored.seedProvenance)).toContain(new Date(at).toISOString().slice(0, 19));
    await Promise.all([page.waitForURL(`${e.base}/console/draws/${drawId}`), page.getByRole("button", { name: "抽取（只能一次）" }).click()]);
    await expect.poll(() => page.locator("h1").textContent()).toContain("已抽取");
  });

  it("admin creates an officer account; the officer must change the initial password first; reset; disable ends the session", async () => {
    const { page: admin } = await e.loggedIn("demo-admin");
    await e.shot(admin, "home-admin");
    await admin.goto(`${e.base}/console/users`);
    await admin.getByLabel("姓名", { exact: true }).fill("王晓明");
    await admin.getByLabel("角色").selectOption("officer");
    await admin.getByLabel("部门（科员必填）").selectOption({ label: "西安市市场监督管理局" });
    await admin.getByLabel("登录账号").fill("wang-xm");
    await admin.getByLabel("初始密码", { exact: true }).fill("Chushi-Mima-2026");
    await Promise.all([admin.waitForURL(`${e.base}/console/users`), admin.getByRole("button", { name: "建立账号" }).click()]);
    await expect.poll(() => admin.locator(".flash").textContent()).toContain("已建立账号 wang-xm");
    await e.shot(admin, "users");
    const row = admin.locator("tbody tr", { hasText: "wang-xm" });
    await expect.poll(() => row.textContent()).toContain("待修改初始密码");
    // a weak password is refused with the rule named
    await admin.getByLabel("姓名", { exact: true }).fill("弱密码");
    await admin.getByLabel("角色").selectOption("auditor");
    await admin.getByLabel("登录账号").fill("weak-pw");
    await admin.getByLabel("初始密码", { exact: true }).fill("1234567890");
    await admin.getByRole("button", { name: "建立账号" }).click();
    await expect.poll(() => admin.locator("#form-error").textContent()).toMatch(/密码/);

    const { page: officer } = await e.person();
    await login(officer, "wang-xm", "Chushi-Mima-2026");
    expect(officer.url()).toContain("/console/password");
    await officer.goto(`${e.base}/console/plans`);
    expect(officer.url()).toContain("/console/password");
    await officer.getByLabel("当前密码").fill("Chushi-Mima-2026");
    await officer.getByLabel("新密码", { exact: true }).fill("Wode-Xin-Mima-77");
    await officer.getByLabel("确认新密码").fill("Wode-Xin-Mima-77");
    await Promise.all([officer.waitForURL(`${e.base}/console`), officer.getByRole("button", { name: "保存新密码" }).click()]);
    await officer.goto(`${e.base}/console/plans`);
    expect(officer.url()).toBe(`${e.base}/console/plans`);

    // reset: the officer's sessions end, the new initial password must be changed again
    await admin.goto(`${e.base}/console/users`);
    const r = admin.locator("tbody tr", { hasText: "wang-xm" });
    await r.locator("summary").click();
    await r.getByLabel("新的初始密码").fill("Chongzhi-Mima-2026");
    await Promise.all([admin.waitForURL(`${e.base}/console/users`), r.getByRole("button", { name: /重置密码/ }).click()]);
    await expect.poll(() => admin.locator(".flash").textContent()).toContain("已重置 王晓明 的密码");
    await officer.goto(`${e.base}/console/plans`);
    expect(officer.url()).toContain("/console/login");
    await login(officer, "wang-xm", "Chongzhi-Mima-2026");
    expect(officer.url()).toContain("/console/password");

    // disable: the officer's open session ends at once
    await r.locator("summary").click();
    await Promise.all([admin.waitForURL(`${e.base}/console/users`), r.getByRole("button", { name: "停用此用户" }).click()]);
    await expect.poll(() => admin.locator("tbody tr", { hasText: "wang-xm" }).textContent()).toContain("已停用");
    await officer.goto(`${e.base}/console/plans`);
    expect(officer.url()).toContain("/console/login");
  });

  it("admin uploads an entity file and reads the row-by-row report", async () => {
    const { page } = await e.loggedIn("demo-admin");
    await page.goto(`${e.base}/console/imports`);
    const csv = join(e.dir, "entities.csv");
    writeFileSync(
      csv,
      "统一社会信用代码,名称,区划代码,行业代码,主体类型,登记状态\n" +
        "91610102MA6U000000,西安市新城区测试餐饮有限公司,610102,H6210,enterprise,active\n" +
        "不是代码,第二行名称,610102,H6210,enterprise,active\n",
    );
    await page.getByLabel("名录类型").selectOption("entities");
    await page.getByLabel("文件", { exact: true }).setInputFiles(csv);
    await page.getByRole("button", { name: "上传并导入" }).click();
    await expect.poll(() => page.locator("#report-title").count()).toBe(1);
    const report = page.locator("section[aria-labelledby=report-title]");
    await e.shot(page, "import-report");
    const text = (await report.textContent())!;
    expect(text).toContain("读取行数");
    const rows = report.locator("tbody tr");
    expect(await rows.count()).toBeGreaterThan(0);
    // the bad row is named by its row number and rule
    await expect.poll(() => report.locator("tbody").textContent()).toMatch(/统一社会信用代码|代码/);
    const rejected = report.locator("tbody tr", { hasText: "拒绝" });
    expect(await rejected.count()).toBeGreaterThan(0);
    expect((await rejected.first().locator('td[data-label="行号"]').textContent())!.trim()).toMatch(/^[23]$/);
    // the import ran in the background: the report is on its progress page, which leads back to the form
    expect(page.url()).toMatch(/\/console\/jobs\/[A-Za-z0-9_-]+$/);
    await Promise.all([page.waitForURL(`${e.base}/console/imports`), page.getByRole("link", { name: "继续导入" }).click()]);
    // the template for the same kind downloads as an .xlsx
    const [template] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: /检查对象名录模板/ }).click()]);
    expect(template.suggestedFilename()).toMatch(/\.xlsx$/);
    const saved = join(e.dir, "template.xlsx");
    await template.saveAs(saved);
    expect(readFileSync(saved).subarray(0, 2).toString("latin1")).toBe("PK");
  });

  it("admin creates a department (the district code checked in the form and by the API) and sees the expert library", async () => {
    const { page } = await e.loggedIn("demo-admin");
    await page.locator("nav.menu").getByRole("link", { name: "部门", exact: true }).click();
    await page.getByLabel("部门代码").fill("D99");
    await page.getByLabel("部门名称").fill("西安市测试局");
    const district = page.getByLabel("区划代码");
    await district.fill("6101");
    expect(await district.evaluate((el) => (el as any).validity.patternMismatch as boolean)).toBe(true);
    await district.fill("610100");
    await Promise.all([page.waitForURL(`${e.base}/console/departments`), page.getByRole("button", { name: "建立部门" }).click()]);
    await expect.poll(() => page.locator(".flash").textContent()).toContain("已建立部门 西安市测试局（D99）");
    // the same code twice is refused, the form keeps what was typed
    await page.getByLabel("部门代码").fill("D99");
    await page.getByLabel("部门名称").fill("重复的局");
    await page.getByLabel("区划代码").fill("610100");
    await page.getByRole("button", { name: "建立部门" }).click();
    await expect.poll(() => page.locator("#form-error").count()).toBe(1);
    expect(await page.getByLabel("部门名称").inputValue()).toBe("重复的局");
    await page.locator("nav.menu").getByRole("link", { name: "专家库" }).click();
    const experts = (await (await e.api("demo-admin"))("GET", "/experts")) as unknown[];
    await expect.poll(() => page.locator("main").textContent()).toContain(experts.length ? `共 ${experts.length} 位专家` : "没有专家");
  });

  it("admin reads a department's item list", async () => {
    const { page } = await e.loggedIn("demo-admin");
    await page.locator("nav.menu").getByRole("link", { name: "抽查事项清单" }).click();
    await page.getByLabel("部门").selectOption({ label: "西安市城市管理和综合执法局" });
    await Promise.all([page.waitForURL(/department=10/), page.getByRole("button", { name: "查看" }).click()]);
    const api = await e.api("demo-admin");
    const items = (await api("GET", "/departments/10/items")) as { name: string }[];
    expect(await page.locator("tbody tr").count()).toBe(Math.min(50, items.length));
    await expect.poll(() => page.locator("tbody").textContent()).toContain(items[0]!.name);
  });

  it("admin's configuration form refuses a cap that is not a ratio and saves a valid one", async () => {
    const { page } = await e.loggedIn("demo-admin");
    await page.goto(`${e.base}/console/config`);
    const form = page.locator("section[aria-labelledby=cfg-draw] form");
    await form.getByLabel("A 类（低风险）").fill("百分之五");
    // the browser itself refuses (pattern) — and a crafted post is refused by the server, naming the field
    expect(await form.getByLabel("A 类（低风险）").evaluate((el) => (el as any).validity.patternMismatch as boolean)).toBe(true);
    await form.getByLabel("每组执法人员至少（人）").evaluate((el) => el.removeAttribute("min"));
    await form.getByLabel("A 类（低风险）").fill("3/100");
    await form.getByLabel("每组执法人员至少（人）").fill("1");
    await form.getByRole("button", { name: "保存" }).click();
    await expect.poll(() => page.locator("section[aria-labelledby=cfg-draw] .error-box").textContent()).toMatch(/\S/);
    await form.getByLabel("每组执法人员至少（人）").fill("2");
    await Promise.all([page.waitForURL(`${e.base}/console/config`), form.getByRole("button", { name: "保存" }).click()]);
    await expect.poll(() => page.locator(".flash").textContent()).toContain("配置已保存");
    const rules = await (await e.api("demo-auditor"))("GET", "/draw-rules");
    expect(rules.generalRatioCap.A).toBe("3/100");
  });

  it("admin sets a department's yearly frequency cap with a reason for each exemption, checked as it is typed", async () => {
    const { page } = await e.loggedIn("demo-admin");
    await page.goto(`${e.base}/console/config`);
    const section = page.locator("section[aria-labelledby=cfg-frequencyCaps]");
    // the demo city's own cap (D01, src/demo/load.ts) is listed; this journey sets another department's
    await expect.poll(() => section.locator("tbody").textContent()).toContain("西安市市场监督管理局");
    const details = section.locator("details", { has: page.locator("summary", { hasText: "设置 西安市应急管理局" }) });
    await details.locator("summary").click();
    const form = details.locator("form[data-frequency-cap]");
    await form.getByLabel("本层级每年对同一企业最多检查（次）").fill("3");
    const all = form.getByLabel("与上下级部门合计每年最多（次）");
    await all.fill("2");
    expect(await all.evaluate((el) => (el as any).validity.valid as boolean)).toBe(false);
    expect(await all.getAttribute("aria-invalid")).toBe("true");
    await all.fill("5");
    expect(await all.evaluate((el) => (el as any).validity.valid as boolean)).toBe(true);
    await form.getByLabel("投诉举报", { exact: true }).check();
    const reason = form.getByLabel("投诉举报的豁免理由");
    expect(await reason.evaluate((el) => (el as any).validity.valueMissing as boolean)).toBe(true);
    await reason.fill("应急投诉须依法处理（测试）");
    await Promise.all([page.waitForURL(/\/console\/config/), form.getByRole("button", { name: /^保存/ }).click()]);
    await expect.poll(() => page.locator(".flash").textContent()).toContain("年度检查频次上限已保存");
    await expect.poll(() => section.locator("tbody").textContent()).toContain("本层级 3 次，合计 5 次");
    await expect.poll(() => section.locator("tbody").textContent()).toContain("投诉举报：应急投诉须依法处理（测试）");
    // removed again: the other journeys draw on this demo city
    await details.locator("summary").click();
    await Promise.all([page.waitForURL(/\/console\/config/), section.getByRole("button", { name: "取消 西安市应急管理局 的上限" }).click()]);
    await expect.poll(() => page.locator(".flash").textContent()).toContain("已取消");
  });

  it("auditor: draws with status history, full manifest download, stored and uploaded verification, tampered upload rejected", async () => {
    const { page } = await e.loggedIn("demo-auditor");
    await e.shot(page, "home-auditor");
    await page.getByRole("link", { name: "抽取仪式与记录" }).click();
    const row = page.locator("tbody tr", { hasText: "审计演示批次" });
    await expect.poll(() => row.textContent()).toMatch(/已抽取/);
    await expect.poll(() => row.locator("ol.timeline").textContent()).toMatch(/承诺.*种子.*抽取/);
    await e.shot(page, "draws");
    await row.getByRole("link", { name: String(drawId) }).click();
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: /下载完整清单/ }).click()]);
    const file = join(e.dir, "full.json");
    await download.saveAs(file);
    const manifest = readFileSync(file, "utf8");
    expect(JSON.parse(manifest)).toBeTypeOf("object");

    await page.goto(`${e.base}/console/verify?draw=${drawId}`);
    const stored = page.locator("section.verdict");
    await expect.poll(() => stored.locator("h2").textContent()).toContain("核验通过");
    await expect.poll(() => stored.textContent()).toContain(`与本系统公布的抽取 ${drawId} 的承诺值一致`);

    await page.getByLabel(/清单文件/).setInputFiles(file);
    await page.getByRole("button", { name: "上传并核验" }).click();
    await expect.poll(() => page.locator("section.verdict h2").textContent()).toContain("核验通过：上传的清单");
    await e.shot(page, "verify-ok");

    // tamper: one selected code replaced by another code of the directory
    const m = JSON.parse(manifest) as Record<string, unknown>;
    const text = JSON.stringify(m);
    const codes = [...new Set(text.match(/"[0-9A-Z]{18}"/g) ?? [])];
    expect(codes.length).toBeGreaterThan(2);
    const tampered = text.replace(codes[0]!, "__X__").replace(codes[1]!, codes[0]!).replace("__X__", codes[1]!);
    expect(tampered).not.toBe(text);
    const bad = join(e.dir, "tampered.json");
    writeFileSync(bad, tampered);
    await page.getByLabel(/清单文件/).setInputFiles(bad);
    await page.getByRole("button", { name: "上传并核验" }).click();
    const verdict = page.locator("section.verdict");
    await expect.poll(() => verdict.locator("h2").textContent()).toContain("核验未通过");
    await expect.poll(() => verdict.textContent()).toContain("不能证明抽取是按规则进行的");
    await e.shot(page, "verify-tampered");

    // the draw's public record as a printable page
    await page.goto(`${e.base}/console/draws/${drawId}`);
    await page.getByRole("link", { name: "打印抽取公示" }).click();
    const sheet = page.locator("article.sheet");
    await expect.poll(() => sheet.locator("h1").textContent()).toContain("抽取结果公示");
    const tasks = (await (await e.api("demo-auditor"))("GET", `/tasks?draw=${drawId}&limit=500`)) as { total: number };
    expect(await sheet.locator("tbody tr").count()).toBe(tasks.total);
  });

  it("auditor searches the audit log and verifies its chain", async () => {
    const { page } = await e.loggedIn("demo-auditor");
    await page.locator("nav.menu").getByRole("link", { name: "审计日志" }).click();
    await page.getByLabel("对象").fill(`draw:${drawId}`);
    await Promise.all([page.waitForURL(/subject=/), page.getByRole("button", { name: "检索" }).click()]);
    const rows = page.locator("tbody tr");
    expect(await rows.count()).toBeGreaterThan(0);
    for (const s of await rows.locator('td[data-label="对象"]').allTextContents()) expect(s.trim()).toBe(`draw:${drawId}`);
    await page.getByRole("link", { name: "核验整条哈希链" }).click();
    await expect.poll(() => page.locator(".verdict").textContent()).toMatch(/完整.*共 \d+ 条记录/);
    await e.shot(page, "audit");
  });

  it("the auditor's and the administrator's pages are usable at 390 px (no horizontal scrolling; tables become cards)", async () => {
    const { page } = await e.loggedIn("demo-auditor", { width: 390 });
    for (const path of ["/console/draws", `/console/draws/${drawId}`, "/console/audit", "/console/dashboard", `/console/verify?draw=${drawId}`, "/console/tasks"]) {
      await page.goto(`${e.base}${path}`);
      const width = await page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth as number);
      expect(width, path).toBeLessThanOrEqual(390);
    }
    await page.goto(`${e.base}/console/draws`);
    await e.shot(page, "draws-390");
    const { page: admin } = await e.loggedIn("demo-admin", { width: 390 });
    for (const path of ["/console/users", "/console/departments", "/console/entities", "/console/inspectors", "/console/items", "/console/experts", "/console/experts/new", "/console/recusals", "/console/imports", "/console/config"]) {
      await admin.goto(`${e.base}${path}`);
      const wide = await admin.evaluate(() =>
        [...(globalThis as any).document.querySelectorAll("main *")].filter((el: any) => el.getBoundingClientRect().right > 391).map((el: any) => `${el.tagName}.${el.className}#${el.id}`).slice(-6),
      );
      expect(await admin.evaluate(() => (globalThis as any).document.documentElement.scrollWidth as number), `${path} ${JSON.stringify(wide)}`).toBeLessThanOrEqual(390);
    }
  });

  it("keyboard only: the login field has the focus, typing logs in; then the skip link comes first with a visible focus ring", async () => {
    const { page } = await e.person();
    await page.goto(`${e.base}/console/login`);
    expect(await page.evaluate(() => (globalThis as any).document.activeElement.id as string)).toBe("login");
    await page.keyboard.type("demo-auditor");
    await page.keyboard.press("Tab");
    await page.keyboard.type("Xa-Audit-2026!");
    await Promise.all([page.waitForURL(`${e.base}/console`), page.keyboard.press("Enter")]);
    await expect.poll(() => page.locator("h1").textContent()).toBe("工作台首页");
    await page.keyboard.press("Tab");
    expect(await page.locator(":focus").textContent()).toBe("跳到主要内容");
    const outline = await page.locator(":focus").evaluate((el) => (globalThis as any).getComputedStyle(el).outlineStyle as string);
    expect(outline).not.toBe("none");
    await page.keyboard.press("Enter");
    expect(await page.evaluate(() => (globalThis as any).document.activeElement.id as string)).toBe("main");
  });

  it("an officer reads only the own department's inspectors, whatever the address asks for", async () => {
    const { page } = await e.loggedIn("demo-cgzf");
    await page.goto(`${e.base}/console/inspectors?department=1`);
    const depts = await page.locator('tbody td[data-label="部门"]').allTextContents();
    expect(depts.length).toBeGreaterThan(0);
    expect(new Set(depts)).toEqual(new Set(["西安市城市管理和综合执法局"]));
  });

  it("without JavaScript the ceremony still works: the hash and then the secret typed in (made with ssj secret new)", async () => {
    const api = await e.api("demo-scjg");
    const items = (await api("GET", "/departments/1/items")) as { id: number; importance: string }[];
    const batch = await api("POST", `/plans/${planId}/batches`, {
      code: `${year}-SJ-NOJS`,
      name: "无脚本批次",
      directed: false,
      conditions: {},
      windowStart,
      windowEnd,
      departments: [{ departmentId: 1, role: "lead", itemIds: [items.find((i) => i.importance === "general")!.id], samplingRules: [{ riskClass: "A", count: 1 }] }],
    });
    const d = await api("POST", `/batches/${batch.id}/draws`, { seed: { mode: "commitReveal" } });
    const secret = randomBytes(32).toString("hex");
    const hash = createHash("sha256").update(Buffer.from(secret, "hex")).digest("hex");
    const { page } = await e.loggedIn("demo-scjg", { javaScript: false });
    await page.goto(`${e.base}/console/draws/${d.id}`);
    await page.getByLabel("秘密值的 SHA-256（64 位十六进制）").fill(hash);
    await Promise.all([page.waitForURL(`${e.base}/console/draws/${d.id}`), page.getByRole("button", { name: /提交.*秘密值承诺/ }).click()]);
    await expect.poll(() => page.locator(".flash").textContent()).toContain("承诺已提交");
    await page.getByLabel("秘密值（64 位十六进制）").fill(secret);
    await Promise.all([page.waitForURL(`${e.base}/console/draws/${d.id}`), page.getByRole("button", { name: "公开本部门秘密值" }).click()]);
    await expect.poll(() => page.locator(".flash").textContent()).toContain("种子已确定");
    // the draw runs in the background: its progress page refreshes itself, then goes on to the draw
    await page.getByRole("button", { name: "抽取（只能一次）" }).click();
    await page.waitForURL(`${e.base}/console/draws/${d.id}`);
    await expect.poll(() => page.locator(".flash").textContent()).toMatch(/抽取完成：抽中 \d+ 户/);
  });

  it("admin adds an expert (the districts checked as typed, in Chinese), disables it, and records a recusal", async () => {
    const { page } = await e.loggedIn("demo-admin");
    await page.goto(`${e.base}/console/experts/new`);
    await page.getByLabel("姓名").fill("浏览器测试专家");
    await page.getByLabel("证件号").fill("ZJ-E2E-0001");
    await page.getByLabel(/^专业/).fill("食品安全、餐饮");
    const districts = page.getByLabel(/^服务区域/);
    await districts.fill("6101 61x");
    await expect.poll(() => districts.getAttribute("aria-invalid")).toBe("true");
    await expect.poll(() => page.locator("#districts-msg").textContent()).toContain("区划代码前缀为 2–6 位数字");
    await districts.fill("6101 610102");
    await expect.poll(() => districts.getAttribute("aria-invalid")).toBe("false");
    await Promise.all([page.waitForURL(/\/console\/experts\?q=/), page.getByRole("button", { name: "加入专家库" }).click()]);
    await expect.poll(() => page.locator(".flash").textContent()).toContain("已将 浏览器测试专家 加入");
    await Promise.all([page.waitForURL(/\/console\/experts\?q=/), page.getByRole("button", { name: "停用" }).click()]);
    await expect.poll(() => page.locator("tbody").textContent()).toContain("已停用");
    const entity = (await (await e.api("demo-admin"))("GET", "/entities?limit=1")) as { items: { code: string }[] };
    await page.locator("nav.menu").getByRole("link", { name: "回避登记" }).click();
    const form = page.locator("section[aria-labelledby=new-recusal] form");
    await form.getByLabel("人员类别").selectOption("expert");
    await form.getByLabel("证件号").fill("ZJ-E2E-0001");
    await form.getByLabel("企业代码").fill(entity.items[0]!.code);
    await form.getByLabel("回避理由").fill("曾为该企业提供咨询服务");
    await Promise.all([page.waitForURL(/\/console\/recusals\?entity=/), form.getByRole("button", { name: "登记回避" }).click()]);
    await expect.poll(() => page.locator("tbody").textContent()).toContain("曾为该企业提供咨询服务");
    await e.shot(page, "recusals");
  });

  it("a role opening another role's page is refused", async () => {
    const { page: officer } = await e.loggedIn("demo-cgzf");
    const res = await officer.goto(`${e.base}/console/users`);
    expect(res?.status()).toBe(403);
    await expect.poll(() => officer.locator("h1").textContent()).toBe("无权访问");
    expect(await officer.locator("nav.menu a", { hasText: "用户" }).count()).toBe(0);
    const { page: auditor } = await e.loggedIn("demo-auditor");
    const r2 = await auditor.goto(`${e.base}/console/plans/${planId}/batches/new`);
    expect(r2?.status()).toBe(403);
    await expect.poll(() => auditor.locator("main").textContent()).toContain("不对审计（纪检）开放");
    const r3 = await auditor.goto(`${e.base}/console/config`);
    expect(r3?.status()).toBe(403);
  });
});
