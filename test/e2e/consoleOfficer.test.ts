/**
 * The department officer's journey in the console, in a real headless Chromium, on the demo city:
 * plan → batch (lead 市场监管 + partner 城管执法, items and quotas per department, the cap checked
 * as it is typed) → approval → the seed ceremony with the two departments in two browser contexts
 * (each makes its secret in its own browser, commits its hash, reveals) → the draw → the schedule
 * (calendar, joint visits) → a printable notice → a result → publishing → visible on 公示.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import type { Page } from "playwright-core";
import { haveBrowser, journeyDates, startConsole, type ConsoleE2E } from "./consoleHarness.ts";

// Relative to today, in a year with holiday data (the check date's deadline has passed).
const { year, windowStart, windowEnd, checkDate } = journeyDates();

describe.skipIf(!haveBrowser)("console: the officer's journey in Chromium", () => {
  let e: ConsoleE2E;
  let lead: Page;
  let partner: Page;
  let drawUrl = "";
  let batchUrl = "";

  beforeAll(async () => {
    e = await startConsole();
    lead = (await e.loggedIn("demo-scjg")).page;
    partner = (await e.loggedIn("demo-cgzf")).page;
  }, 60_000);
  afterAll(async () => e?.close());

  it("creates a plan and a joint batch through the guided form, the cap enforced while typing", async () => {
    await e.shot(lead, "home-officer");
    await lead.getByRole("link", { name: "抽查计划" }).first().click();
    await lead.getByLabel("计划名称").fill(`${year}年度餐饮服务联合抽查计划`);
    await Promise.all([lead.waitForURL(/\/console\/plans\/\d+$/), lead.getByRole("button", { name: "建立计划" }).click()]);
    await expect(lead.locator(".flash").textContent()).resolves.toContain("计划已建立");
    await lead.getByRole("link", { name: "新建批次" }).click();
    await lead.getByLabel("西安市城市管理和综合执法局").check();
    await Promise.all([lead.waitForURL(/partners=10/), lead.getByRole("button", { name: "更新事项表" }).click()]);
    await lead.getByLabel("批次编号").fill(`${year}-CY-01`);
    await lead.getByLabel("批次名称").fill("餐饮服务联合抽查");
    await lead.getByLabel("检查开始日期").fill(windowStart);
    await lead.getByLabel("检查结束日期").fill(windowEnd);
    for (const dept of ["1", "10"]) {
      const fs = lead.locator(`fieldset[data-dept="${dept}"]`);
      // general items only: the cap binds
      const general = fs.locator('input[type=checkbox][data-kind="general"]');
      await general.first().check();
      const a = fs.getByLabel("A 类数值");
      await a.fill("999");
      const hint = fs.locator(`#h-${dept}-A`);
      await expect(hint.textContent()).resolves.toContain("超过一般检查事项的比例上限");
      expect(await a.getAttribute("aria-invalid")).toBe("true");
      // the quota as a count instead
      await fs.getByLabel("A 类方式").selectOption("count");
      await a.fill("3");
      expect(await a.getAttribute("aria-invalid")).toBe("false");
      await fs.getByLabel("B 类方式").selectOption("count");
      await fs.getByLabel("B 类数值").fill("3");
    }
    await e.shot(lead, "batch-form");
    await Promise.all([lead.waitForURL(/\/console\/batches\/\d+$/), lead.getByRole("button", { name: "建立批次" }).click()]);
    batchUrl = lead.url();
    const text = await lead.locator("main").textContent();
    expect(text).toContain("批次已建立");
    expect(text).toContain("西安市城市管理和综合执法局（配合）");
    expect(text).toContain("A 类 3 户；B 类 3 户");
  });


  it("edits the batch while nothing is committed, and deletes a second one from the draft plan", async () => {
    await lead.goto(batchUrl);
    await lead.getByRole("link", { name: "修改批次" }).click();
    expect(await lead.getByLabel("批次名称").inputValue()).toBe("餐饮服务联合抽查");
    // the stored quotas come back into the form
    expect(await lead.locator('fieldset[data-dept="10"]').getByLabel("B 类数值").inputValue()).toBe("3");
    await lead.getByLabel("批次名称").fill("餐饮服务联合抽查（第一批）");
    await Promise.all([lead.waitForURL(batchUrl), lead.getByRole("button", { name: "保存批次" }).click()]);
    await expect.poll(() => lead.locator("h1").textContent()).toBe("批次：餐饮服务联合抽查（第一批）");
    // a second batch, then deleted: the plan lists only the first
    const planPage = (await lead.locator("p.small a").nth(1).getAttribute("href"))!;
    await lead.goto(`${e.base}${planPage}/batches/new`);
    await lead.getByLabel("批次编号").fill(`${year}-CY-02`);
    await lead.getByLabel("批次名称").fill("将删除的批次");
    await lead.getByLabel("检查开始日期").fill(windowStart);
    await lead.getByLabel("检查结束日期").fill(windowEnd);
    const fs = lead.locator('fieldset[data-dept="1"]');
    await fs.locator('input[type=checkbox][data-kind="general"]').first().check();
    await fs.getByLabel("A 类方式").selectOption("count");
    await fs.getByLabel("A 类数值").fill("1");
    // directed, within the department's own conditions: the browser checks the district codes as typed
    await lead.locator('input[name=directed][value="1"]').check();
    const own = fs.locator("details.dept-conditions");
    await own.locator("summary").click();
    const districts = own.getByLabel("区划代码");
    await districts.fill("61x");
    expect(await districts.evaluate((el) => (el as any).validity.patternMismatch)).toBe(true);
    await districts.fill("610102，610104");
    expect(await districts.evaluate((el) => (el as any).validity.valid)).toBe(true);
    await Promise.all([lead.waitForURL(/\/console\/batches\/\d+$/), lead.getByRole("button", { name: "建立批次" }).click()]);
    await expect.poll(() => lead.locator("main").textContent()).toContain("本部门条件：区划 610102、610104");
    await Promise.all([lead.waitForURL(`${e.base}${planPage}`), lead.getByRole("button", { name: "删除批次" }).click()]);
    await expect.poll(() => lead.locator(".flash").textContent()).toContain("已删除");
    const names = await lead.locator("tbody tr td[data-label=名称]").allTextContents();
    expect(names).toEqual(["餐饮服务联合抽查（第一批）"]);
  });

  it("approves the plan, which publishes it, and freezes the inputs with a commit–reveal seed", async () => {
    await lead.goto(batchUrl);
    await lead.getByRole("link", { name: "去批准" }).click();
    await Promise.all([lead.waitForURL(/\/console\/plans\/\d+$/), lead.getByRole("button", { name: "批准并公示计划" }).click()]);
    await expect(lead.locator(".flash").textContent()).resolves.toContain("已批准并公示");
    await lead.goto(batchUrl);
    await Promise.all([lead.waitForURL(/\/console\/draws\/\d+$/), lead.getByRole("button", { name: "冻结输入并公布承诺值" }).click()]);
    drawUrl = lead.url();
    await expect(lead.locator("h1").textContent()).resolves.toContain("已承诺");
  });

  async function commit(page: Page) {
    await page.goto(drawUrl);
    await page.getByRole("button", { name: "生成本部门秘密值" }).click();
    await expect.poll(() => page.locator("[data-hash-out]").textContent()).toMatch(/^[0-9a-f]{64}$/);
    const hash = (await page.locator("[data-hash-out]").textContent())!;
    expect(await page.locator("#receipt").isVisible()).toBe(true);
    expect(await page.locator("[data-receipt-hash]").textContent()).toBe(hash);
    // printing now prints the receipt alone
    await page.emulateMedia({ media: "print" });
    expect(await page.locator("#receipt").isVisible()).toBe(true);
    expect(await page.locator("main h1").isVisible()).toBe(false);
    await page.emulateMedia({ media: "screen" });
    await Promise.all([page.waitForURL(drawUrl), page.getByRole("button", { name: /提交.*秘密值承诺/ }).click()]);
    await expect(page.locator(".flash").textContent()).resolves.toContain("承诺已提交");
    return hash;
  }

  it("each department makes its secret in its own browser and commits only its hash; both reveal; the seed is fixed", async () => {
    const h1 = await commit(lead);
    await e.shot(lead, "ceremony");
    // the lead cannot reveal before the partner has committed
    await expect(lead.locator("main").textContent()).resolves.toContain("等待 西安市城市管理和综合执法局 提交承诺");
    const h2 = await commit(partner);
    expect(h1).not.toBe(h2);
    // the secret stays in the department's browser; the server has only its hash
    const drawId = Number(drawUrl.split("/").pop());
    const kept = await lead.evaluate((k) => (globalThis as any).localStorage.getItem(k) as string | null, `ssj-secret:draw-${drawId}-D01`);
    expect(kept).toMatch(/^[0-9a-f]{64}$/);
    expect(createHash("sha256").update(Buffer.from(kept!, "hex")).digest("hex")).toBe(h1);
    const stored = await e.store.prisma.drawCommitment.findMany({ where: { drawId } });
    expect(stored.map((c) => [c.hash, c.reveal]).sort()).toEqual([[h1, null], [h2, null]].sort());
    for (const page of [partner, lead]) {
      await page.goto(drawUrl);
      const status = page.locator("form[data-secret-reveal] [data-status]");
      const submit = page.getByRole("button", { name: "公开本部门秘密值" });
      await expect.poll(() => status.textContent()).toMatch(/已核对/);
      // an opponent's (or a mistyped) secret is refused in the browser before anything is sent
      await page.getByLabel("或粘贴秘密值").fill("ab".repeat(32));
      await expect.poll(() => status.textContent()).toMatch(/与本部门提交的承诺不符/);
      expect(await submit.isDisabled()).toBe(true);
      const mine = await page.evaluate(() => { const ls = (globalThis as any).localStorage; return Object.keys(ls).map((k) => ls.getItem(k) as string).find(Boolean)!; });
      await page.getByLabel("或粘贴秘密值").fill(mine);
      await expect.poll(() => status.textContent()).toMatch(/已核对/);
      await Promise.all([page.waitForURL(drawUrl), submit.click()]);
    }
    await expect(lead.locator(".flash").textContent()).resolves.toContain("种子已确定");
    await expect(lead.locator("h1").textContent()).resolves.toContain("已生成种子");
  });

  it("the lead draws once; tasks are made and the draw is public", async () => {
    await Promise.all([lead.waitForURL(drawUrl), lead.getByRole("button", { name: "抽取（只能一次）" }).click()]);
    const flash = (await lead.locator(".flash").textContent())!;
    expect(flash).toMatch(/抽取完成：抽中 \d+ 户，生成 \d+ 项任务/);
    await expect(lead.locator("h1").textContent()).resolves.toContain("已抽取");
    // the partner sees the same draw, drawn, and no draw button
    await partner.goto(drawUrl);
    expect(await partner.getByRole("button", { name: "抽取（只能一次）" }).count()).toBe(0);
    await expect(partner.locator("h1").textContent()).resolves.toContain("已抽取");
  });

  it("递补: replaces a drawn entity by the next in the published order, with a public reason", async () => {
    await lead.goto(drawUrl);
    const form = lead.locator("form[action$=substitute]");
    const out = await form.getByLabel("检查对象", { exact: true }).inputValue();
    await form.getByLabel("理由（检查对象的理由公开）").fill("该企业已注销，无法检查");
    await Promise.all([lead.waitForURL(drawUrl), form.getByRole("button", { name: "递补" }).click()]);
    const flash = (await lead.locator(".flash").textContent())!;
    expect(flash).toMatch(/已递补：由 [0-9A-Z]+ 替换/);
    const incoming = /由 ([0-9A-Z]+) 替换/.exec(flash)![1]!;
    expect(incoming).not.toBe(out);
    await expect.poll(() => lead.locator("ol.timeline").textContent()).toContain("递补");
  });

  it("schedules the joint checks: calendar, by inspector with loads, joint visits marked; prints a notice", async () => {
    await lead.getByRole("link", { name: "排期与日历" }).first().click();
    await Promise.all([lead.waitForURL(/\/schedule$/), lead.getByRole("button", { name: "生成排期" }).click()]);
    await expect(lead.locator(".flash").textContent()).resolves.toMatch(/排期完成：\d+ 次检查/);
    const visits = lead.locator(".cal a.visit");
    expect(await visits.count()).toBeGreaterThan(0);
    await e.shot(lead, "schedule-calendar");
    await lead.getByRole("link", { name: "按人员" }).click();
    const rows = lead.locator("table tbody tr");
    expect(await rows.count()).toBeGreaterThan(1);
    const firstLoad = Number(await rows.first().locator('td[data-label="检查次数"]').textContent());
    expect(firstLoad).toBeGreaterThan(0);
    await lead.getByRole("link", { name: "日历（按日）" }).click();
    await lead.locator(".cal a.visit").first().click();
    await lead.getByRole("link", { name: "打印检查通知书" }).click();
    const sheet = lead.locator("article.sheet");
    await expect(sheet.locator("h1").textContent()).resolves.toMatch(/检查通知书/);
    await expect(sheet.textContent()).resolves.toMatch(/执法证号/);
    await e.shot(lead, "notice");
    // A4 print: controls hidden, one notice per sheet of paper
    await lead.emulateMedia({ media: "print" });
    expect(await lead.locator(".no-print").first().isVisible()).toBe(false);
    const pdf = (await lead.pdf({ format: "A4", preferCSSPageSize: true })).toString("latin1");
    expect(pdf.match(/\/Type\s*\/Page[^s]/g)?.length).toBe(1);
    await lead.emulateMedia({ media: "screen" });
    await lead.getByRole("link", { name: "返回" }).click();
    await lead.getByRole("link", { name: "打印现场检查记录表" }).click();
    await expect.poll(() => lead.locator("article.sheet h1").textContent()).toBe("现场检查记录表");
    await expect.poll(() => lead.locator("article.sheet").textContent()).toMatch(/检查人员签名/);
  });

  it("递补 of an inspector: picked from the scheduled teams; the schedule follows", async () => {
    await lead.goto(drawUrl);
    const form = lead.locator("form[action$=substitute]");
    await form.getByLabel("执法人员（回避、请假）").check();
    const member = form.getByLabel("被替换的执法人员（递补人员时）");
    const value = await member.locator("option").nth(1).getAttribute("value");
    const [code, cert] = value!.split("|") as [string, string];
    await member.selectOption(value!);
    await form.getByLabel("理由（检查对象的理由公开）").fill("与该企业负责人系近亲属，申请回避");
    await Promise.all([lead.waitForURL(drawUrl), form.getByRole("button", { name: "递补" }).click()]);
    const flash = (await lead.locator(".flash").textContent())!;
    expect(flash).toMatch(/已递补：由 \S+ 替换|已记录：随机顺序中已无可递补者/);
    if (flash.startsWith("已递补")) {
      const schedule = (await (await e.api("demo-scjg"))("GET", `/batches/${batchUrl.split("/").pop()}/schedule`)) as { visits: { entity: { code: string }; team: { certificateNo: string | null }[] }[] };
      const visit = schedule.visits.find((v) => v.entity.code === code)!;
      expect(visit.team.map((m) => m.certificateNo)).not.toContain(cert);
    }
  });

  let entityCode = "";
  it("enters a result with the standard categories (checked as ticked) and publishes it", async () => {
    await lead.goto(`${e.base}/console/tasks`);
    await lead.getByLabel("任务状态").selectOption("scheduled");
    await Promise.all([lead.waitForURL(/status=scheduled/), lead.getByRole("button", { name: "筛选" }).click()]);
    const row = lead.locator("tbody tr").first();
    await expect.poll(() => row.locator('td[data-label="状态"]').textContent()).toBe("已排期");
    entityCode = (await row.locator("code").textContent())!.trim();
    await e.shot(lead, "tasks");
    await row.locator("a").first().click();
    await expect.poll(() => lead.locator("main dl").textContent()).toContain(entityCode);
    const boxes = lead.locator("[data-categories]");
    await boxes.getByLabel("未发现问题").check();
    await boxes.locator('input[data-group="problem"]').first().check();
    await expect(boxes.locator("[data-status]").textContent()).resolves.toContain("不能与发现问题的类别同时选择");
    await boxes.locator('input[data-group="problem"]').first().uncheck();
    await lead.getByLabel("检查日期").fill(checkDate);
    await Promise.all([lead.waitForURL(/\/console\/tasks\/\d+$/), lead.getByRole("button", { name: "保存结果" }).click()]);
    await expect(lead.locator(".flash").textContent()).resolves.toContain("检查结果已保存");
    // checked about 45 days ago, not yet published: past the 20-working-day deadline, on the deadline list
    const taskUrl = lead.url();
    await lead.goto(`${e.base}/console/deadlines`);
    const overdue = lead.locator("table", { has: lead.locator("caption", { hasText: "已逾期" }) });
    await expect.poll(() => overdue.textContent()).toContain(checkDate);
    await lead.goto(taskUrl);
    await Promise.all([lead.waitForURL(/\/console\/tasks\/\d+$/), lead.getByRole("button", { name: "公示检查结果" }).click()]);
    await expect(lead.locator(".flash").textContent()).resolves.toContain("检查结果已公示");
  });

  it("the deadline list names the result not yet published, and forgets it once published", async () => {
    await lead.goto(`${e.base}/console/deadlines`);
    await expect.poll(() => lead.locator("main").textContent()).toContain("今天");
    expect(await lead.locator("main").textContent()).not.toContain(checkDate);
    await expect.poll(() => lead.locator("main").textContent()).toContain("已逾期：无");
  });

  it("the dashboard counts the drawn batch, the joint share and the published result", async () => {
    await lead.goto(`${e.base}/console/dashboard?year=${year}`);
    const main = lead.locator("main");
    await expect.poll(() => main.locator(".cards").textContent()).toMatch(/1\s*已抽取的批次/);
    const joint = (await main.locator("section[aria-labelledby=joint-title] p").first().textContent())!;
    expect(joint).toMatch(/已排期的 \d+ 项任务中，\d+ 项在联合检查中完成/);
    const cat = main.locator("section[aria-labelledby=cat-title] tbody tr", { hasText: "未发现问题" });
    expect((await cat.locator("td.num").textContent())!.trim()).toBe("1");
    expect(await main.locator("svg.chart").count()).toBeGreaterThanOrEqual(3);
    await e.shot(lead, "dashboard");
  });

  it("the officer's pages are usable at 390 px (no horizontal scrolling)", async () => {
    const narrow = (await e.loggedIn("demo-scjg", { width: 390 })).page;
    const batchId = batchUrl.split("/").pop();
    const plan = (await (await e.api("demo-scjg"))("GET", `/batches/${batchId}`)) as { planId: number };
    for (const path of [
      `/console/plans/${plan.planId}/batches/new?partners=10`,
      `/console/batches/${batchId}`,
      drawUrl.replace(e.base, ""),
      `/console/batches/${batchId}/schedule`,
      `/console/batches/${batchId}/schedule?view=inspector`,
      "/console/tasks",
      "/console/deadlines",
      "/console/dashboard",
    ]) {
      await narrow.goto(`${e.base}${path}`);
      const wide = await narrow.evaluate(() => {
        const d = (globalThis as any).document;
        return [...d.querySelectorAll("main *")].filter((el: any) => el.getBoundingClientRect().right > 391).map((el: any) => `${el.tagName}.${el.className}#${el.id} ${Math.round(el.getBoundingClientRect().right)}`).slice(-8);
      });
      expect(await narrow.evaluate(() => (globalThis as any).document.documentElement.scrollWidth as number), `${path} ${JSON.stringify(wide)}`).toBeLessThanOrEqual(390);
    }
  });

  it("the published result is on 公示", async () => {
    const citizen = await e.person({ width: 390 });
    await citizen.page.goto(`${e.base}/public?q=${entityCode}`);
    const rows = citizen.page.locator("#results table tbody tr");
    expect(await rows.count()).toBe(1);
    await expect(rows.first().textContent()).resolves.toContain("未发现问题");
    await expect(rows.first().textContent()).resolves.toContain("西安市市场监督管理局");
    // usable at 390 px: each row a card, nothing wider than the screen
    expect(await citizen.page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth as number)).toBeLessThanOrEqual(390);
    expect(await rows.first().locator("td").first().evaluate((el) => (globalThis as any).getComputedStyle(el).display as string)).toBe("block");
  });
});
