/**
 * 审管联动's step pages in the console (api/console/pages/loop*.ts), as the people who use them and
 * as opponents: the approval bureau's officer imports the 职责边界清单 (a bad file is refused row by
 * row, nothing published), answers a law-change notice with a revision, records a 告知承诺 decision
 * on the form; the supervising department's officer (A) records the verification outcome, sends a
 * 函告, signs for the 复核 outcome and answers a risk alert; department B's officer, outside every
 * case, is refused (403) reading and writing them; the auditor reads everything and writes nothing;
 * a panel draw is listed with its status, the manifest downloads and links to the public record.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LightMyRequestResponse } from "fastify";
import { openStore } from "../../src/store/index.ts";
import { createAccount } from "../../src/store/repos/accounts.ts";
import { createUser } from "../../src/store/repos/users.ts";
import { pgProblem, pgSchemaUrl, PG_URL, REQUIRE_PG, seedBatch } from "../api/helpers.ts";
import { newSecret, secretHash } from "../api/support/ceremony.ts";
import { todayBeijing } from "../../api/console/html.ts";
import { consoleFixture, cookieOf, type ConsoleFixture, type Who } from "./helpers.ts";

type Session = { cookie: string; csrf: string };

const problem = await pgProblem();
if (problem && REQUIRE_PG) throw new Error(`SSJ_REQUIRE_PG=1 but PostgreSQL at ${PG_URL} is unreachable: ${problem}`);
if (problem) console.warn(`[skip] console 审管联动 on PostgreSQL: ${PG_URL} unreachable (${problem})`);

suite("console: 审管联动 steps (SQLite)", async () => ({ fx: await consoleFixture() }));
describe.skipIf(problem !== null)("PostgreSQL", () => {
  suite("console: 审管联动 steps (PostgreSQL)", async () => {
    const db = await pgSchemaUrl();
    const store = await openStore({ databaseUrl: db.url });
    await store.migrate();
    return { fx: await consoleFixture({ store }), drop: db.drop };
  });
});

function suite(name: string, open: () => Promise<{ fx: ConsoleFixture; drop?: () => Promise<void> }>) {
  describe(name, () => {
    let fx: ConsoleFixture;
    let drop: (() => Promise<void>) | undefined;
    const s: Partial<Record<Who | "bureau", Session>> = {};
    let bureauId = 0;
    let bureauToken = "";
    let entityCode = "";
    let itemCode = "";
    let itemId = 0;
    let listId = 0;
    let decisionId = 0;
    let verificationId = 0;
    let disputeId = 0;
    let alertId = 0;
    const tag = Math.random().toString(36).slice(2, 7);

    beforeAll(async () => {
      ({ fx, drop } = await open());
      const p = fx.store.prisma;
      const { items } = await seedBatch(fx, { entities: 3, count: 1 });
      itemId = items[fx.dept.a]![0]!;
      itemCode = (await p.inspectionItem.findUniqueOrThrow({ where: { id: itemId } })).code;
      const bureau = await p.department.create({ data: { code: `T-XZSP-${tag}`, name: "测试市行政审批服务局", level: "city", kind: "approval", districtCode: "460100" } });
      bureauId = bureau.id;
      bureauToken = (await createUser(fx.store, { name: "审批接口", role: "officer", department: bureau.id }, "test")).token;
      await createAccount(fx.store, { name: "审批科员", role: "officer", department: bureau.id, login: "t-bureau", password: "Bureau-pass-2026" }, "test", { mustChange: false });
      const login = await fx.app.inject({ method: "POST", url: "/session", payload: { login: "t-bureau", password: "Bureau-pass-2026" } });
      s.bureau = { cookie: cookieOf(login), csrf: login.json().csrfToken };
      for (const who of ["officerA", "officerB", "auditor", "admin"] as const) s[who] = await fx.session(who);
      entityCode = (await p.entity.findFirstOrThrow({ orderBy: { id: "asc" } })).code;
    });
    afterAll(async () => {
      await fx?.close();
      await drop?.();
    });

    const get = (who: keyof typeof s, url: string) => fx.app.inject({ method: "GET", url, headers: { cookie: s[who]!.cookie } });
    const post = (who: keyof typeof s, url: string, form: Record<string, string | string[]> = {}) => {
      const body = new URLSearchParams({ _csrf: s[who]!.csrf });
      for (const [k, v] of Object.entries(form)) for (const x of Array.isArray(v) ? v : [v]) body.append(k, x);
      return fx.app.inject({ method: "POST", url, headers: { cookie: s[who]!.cookie, "content-type": "application/x-www-form-urlencoded" }, payload: body.toString() });
    };
    const upload = (who: keyof typeof s, url: string, form: Record<string, string>, file: { name: string; text: string }) => {
      const b = `----t${tag}`;
      const parts = Object.entries({ _csrf: s[who]!.csrf, ...form }).map(([k, v]) => `--${b}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`);
      const payload = Buffer.concat([Buffer.from(parts.join(""), "utf8"), Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: text/csv\r\n\r\n${file.text}\r\n--${b}--\r\n`, "utf8")]);
      return fx.app.inject({ method: "POST", url, headers: { cookie: s[who]!.cookie, "content-type": `multipart/form-data; boundary=${b}` }, payload });
    };
    const flashOf = (res: LightMyRequestResponse) => decodeURIComponent(String(res.headers["set-cookie"] ?? "").match(/ssj_flash=([^;]*)/)?.[1] ?? "");
    const idFrom = (res: LightMyRequestResponse, path: string) => Number(new RegExp(`^/console/${path}/(\\d+)`).exec(String(res.headers.location))?.[1]);
    const HEAD = "审批事项编码,审批事项名称,审批依据,监管事项名称,职责边界,监管部门,核查事项编码,转送上级";

    it("职责边界清单: a file with a bad row is refused row by row and nothing is published; a good one becomes version 1", async () => {
      const dA = await fx.store.prisma.department.findUniqueOrThrow({ where: { id: fx.dept.a } });
      const bad = `${HEAD}\nSP-001,食品经营许可,《食品安全法》,食品经营监督检查,证后检查,${dA.code},${itemCode},否\nSP-002,公共场所卫生许可,,公共场所卫生监督,,不存在的局,,否\nSP-003,餐饮许可,,餐饮监督,,${dA.code},,也许\n`;
      const refused = await upload("bureau", "/console/duty-lists/import", { reason: "首次发布" }, { name: "清单.csv", text: bad });
      expect(refused.statusCode, refused.body).toBe(422);
      expect(refused.body).toContain("逐行问题（2 处");
      expect(refused.body).toContain("第 3 行：监管部门“不存在的局”不存在");
      expect(refused.body).toContain("第 4 行：“转送上级”应填 是 或 否");
      expect(refused.body).toContain('value="首次发布"'); // the form keeps what was typed
      expect(await fx.store.prisma.dutyList.count({ where: { bureauId } })).toBe(0);
      // the auditor cannot import (page role), department A's officer is not a bureau (the API refuses)
      expect((await upload("auditor", "/console/duty-lists/import", { reason: "首次发布" }, { name: "a.csv", text: bad })).statusCode).toBe(403);
      const notBureau = await upload("officerA", "/console/duty-lists/import", { reason: "首次发布" }, { name: "a.csv", text: `${HEAD}\nSP-001,食品经营许可,,食品经营监督检查,,${dA.code},,否\n` });
      expect(notBureau.statusCode).toBe(422);
      expect(notBureau.body).toContain("不是行政审批部门");
      const good = `${HEAD},备注\nSP-001,食品经营许可,《食品安全法》,食品经营监督检查,证后检查,${dA.code},${itemCode},否,x\n`;
      const ok = await upload("bureau", "/console/duty-lists/import", { reason: "首次发布" }, { name: "清单.csv", text: good });
      expect(ok.statusCode, ok.body).toBe(303);
      listId = idFrom(ok, "duty-lists");
      expect(flashOf(ok)).toContain("第 1 版：读取 1 行，1 个条目；未使用的列：备注");
      const view = await get("auditor", `/console/duty-lists/${listId}`);
      expect(view.statusCode).toBe(200);
      expect(view.body).toContain("食品经营监督检查");
      expect(view.body).toContain(dA.name);
      const all = await get("officerB", "/console/duty-lists");
      expect(all.body).toContain(`/console/duty-lists/${listId}`); // the lists are public
      expect(all.body).not.toContain('action="/console/duty-lists/import"'); // no import form for a supervising department
    });

    it("法律法规变化告知: A sends one, B cannot answer it, the bureau's revision resolves it and is linked", async () => {
      const sent = await post("officerA", "/console/law-change-notices", { bureauId: String(bureauId), law: "《食品安全法实施条例》（2026 修订）", summary: "新增证后检查要求", effectiveOn: "2026-12-01" });
      expect(sent.statusCode, sent.body).toBe(303);
      const notice = (await fx.as("officerA", { method: "GET", url: "/law-change-notices" })).json()[0];
      expect(notice.status).toBe("open");
      const empty = await post("officerA", "/console/law-change-notices", { bureauId: String(bureauId), law: "x", summary: "" });
      expect(empty.statusCode).toBe(400);
      expect(empty.body).toContain("未能保存");
      expect((await get("officerB", "/console/law-change-notices")).body).not.toContain("食品安全法实施条例");
      const outsider = await post("officerB", `/console/law-change-notices/${notice.id}/resolve`, { note: "无需修订" });
      expect(outsider.statusCode).toBe(403);
      expect((await get("bureau", "/console/law-change-notices")).body).toContain(`/console/law-change-notices/${notice.id}/resolve`);
      const dA = await fx.store.prisma.department.findUniqueOrThrow({ where: { id: fx.dept.a } });
      const rev = await upload("bureau", "/console/duty-lists/import", { reason: "依条例修订", noticeId: String(notice.id) }, { name: "修订.csv", text: `${HEAD}\nSP-001,食品经营许可,《食品安全法》,食品经营监督检查（含证后检查）,证后检查,${dA.code},${itemCode},否\n` });
      expect(rev.statusCode, rev.body).toBe(303);
      listId = idFrom(rev, "duty-lists");
      const after = await get("auditor", "/console/law-change-notices");
      expect(after.body).toContain(`<a href="/console/duty-lists/${listId}">修订为第 2 版</a>`);
      expect((await fx.as("auditor", { method: "GET", url: "/law-change-notices" })).json()[0].status).toBe("revised");
      const resolved = await post("bureau", `/console/law-change-notices/${notice.id}/resolve`, { note: "无需修订" });
      expect(resolved.statusCode).toBe(409);
      expect(resolved.body).toContain("已处理");
    });

    it("审批决定: the bureau's form is checked on the server, records a 告知承诺 decision and shows its push; B is refused the decision", async () => {
      expect((await get("officerA", "/console/decisions/new")).statusCode).toBe(403); // a supervising department records no decisions
      const form = await get("bureau", "/console/decisions/new");
      expect(form.statusCode).toBe(200);
      expect(form.body).toContain('<option value="SP-001">食品经营许可（SP-001）</option>');
      const decisionNo = `控制台-${tag}`;
      const base = { decisionNo, entityCode, approvalCode: "SP-001", kind: "commitment", decision: "grant", decidedOn: "2026-02-02", commitment: "承诺具备经营场所" };
      const noEntity = await post("bureau", "/console/decisions", { ...base, entityCode: "91000000NOSUCH0000" });
      expect(noEntity.statusCode).toBe(422);
      expect(noEntity.body).toContain("未能保存");
      expect(noEntity.body).toContain(`value="${decisionNo}"`);
      const noKind = await post("bureau", "/console/decisions", { ...base, kind: "" });
      expect(noKind.statusCode).toBeGreaterThanOrEqual(400);
      expect(noKind.statusCode).toBeLessThan(500);
      expect(noKind.body).toContain("【审批方式】");
      expect(await fx.store.prisma.approvalDecision.count()).toBe(0);
      const ok = await post("bureau", "/console/decisions", base);
      expect(ok.statusCode, ok.body).toBe(303);
      decisionId = idFrom(ok, "decisions");
      expect(flashOf(ok)).toContain("已记录并推送给 1 个部门，生成告知承诺核查 1 项");
      const page = await get("officerA", `/console/decisions/${decisionId}`);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain("同级推送");
      expect(page.body).toContain("未签收");
      const b = await get("officerB", `/console/decisions/${decisionId}`);
      expect(b.statusCode).toBe(403);
      expect(b.body).toContain("无权访问");
      expect((await get("officerB", "/console/decisions")).body).not.toContain(decisionNo);
      expect((await get("auditor", "/console/decisions")).body).toContain(decisionNo);
    });

    it("审批决定 import: a file with problem rows is refused naming them, nothing recorded; a good one is recorded and pushed; A and the auditor cannot import", async () => {
      const head = "办件编号,统一社会信用代码,审批事项编码,审批方式,审批结果,决定日期";
      const before = await fx.store.prisma.approvalDecision.count();
      const bad = await upload("bureau", "/console/decisions/import", {}, { name: "决定.csv", text: `${head}\n导入-${tag}-1,${entityCode},SP-001,一般审批,准予许可,2026-03-01\n导入-${tag}-2,${entityCode},SP-001,一般审批,准予许可,\n` });
      expect(bad.statusCode, bad.body).toBe(422);
      expect(bad.body).toContain("第 3 行：“决定日期”为空");
      expect(await fx.store.prisma.approvalDecision.count()).toBe(before);
      const unknown = await upload("bureau", "/console/decisions/import", {}, { name: "决定.csv", text: `${head}\n导入-${tag}-1,${entityCode},SP-999,一般审批,准予许可,2026-03-01\n` });
      expect(unknown.statusCode).toBe(422);
      expect(unknown.body).toContain("第 2 行");
      expect((await upload("auditor", "/console/decisions/import", {}, { name: "d.csv", text: head })).statusCode).toBe(403);
      const notBureau = await upload("officerA", "/console/decisions/import", {}, { name: "d.csv", text: `${head}\n导入-${tag}-9,${entityCode},SP-001,一般审批,准予许可,2026-03-01\n` });
      expect(notBureau.statusCode).toBe(422);
      expect(notBureau.body).toContain("不是行政审批部门");
      const ok = await upload("bureau", "/console/decisions/import", {}, { name: "决定.csv", text: `${head},备注\n导入-${tag}-1,${entityCode},SP-001,一般审批,准予许可,2026-03-01,x\n` });
      expect(ok.statusCode, ok.body).toBe(303);
      expect(flashOf(ok)).toContain("已导入 1 行：新记录 1 项（重复 0 项），推送 1 次，生成告知承诺核查 0 项；未使用的列：备注");
      expect(await fx.store.prisma.approvalDecision.count()).toBe(before + 1);
      expect((await get("officerA", "/console/decisions")).body).toContain(`导入-${tag}-1`);
    });

    it("告知承诺核查: the deadline passed is marked; B and the auditor cannot record A's outcome; A's outcome is checked, recorded and fed back", async () => {
      const v = (await fx.as("officerA", { method: "GET", url: "/verifications" })).json().items[0];
      verificationId = v.id;
      expect(v.step.status).toBe("overdue"); // decided 2026-02-02: due two months later
      const list = await get("officerA", "/console/verifications");
      expect(list.body).toContain(`/console/verifications/${verificationId}`);
      expect(list.body).toContain("⚠ 逾期未办");
      expect(list.body).toContain(v.step.dueOn);
      const noToken = await fx.app.inject({ method: "POST", url: `/console/verifications/${verificationId}/outcome`, headers: { cookie: s.officerA!.cookie, "content-type": "application/x-www-form-urlencoded" }, payload: "outcome=true&checkedOn=2026-03-01" });
      expect(noToken.statusCode).toBe(403);
      expect(noToken.body).toContain("安全令牌（CSRF）");
      const outsider = await post("officerB", `/console/verifications/${verificationId}/outcome`, { outcome: "true", checkedOn: "2026-03-01" });
      expect(outsider.statusCode).toBe(403);
      expect((await post("auditor", `/console/verifications/${verificationId}/outcome`, { outcome: "true", checkedOn: "2026-03-01" })).statusCode).toBe(403);
      expect((await get("officerB", `/console/verifications/${verificationId}`)).statusCode).toBe(403);
      const auditorView = await get("auditor", `/console/verifications/${verificationId}`);
      expect(auditorView.statusCode).toBe(200);
      expect(auditorView.body).not.toContain(`action="/console/verifications/${verificationId}/outcome"`);
      const noFindings = await post("officerA", `/console/verifications/${verificationId}/outcome`, { outcome: "false", checkedOn: "2026-03-01" });
      expect(noFindings.statusCode).toBeGreaterThanOrEqual(400);
      expect(noFindings.statusCode).toBeLessThan(500);
      expect(noFindings.body).toContain("未能保存");
      expect((await fx.as("officerA", { method: "GET", url: `/verifications/${verificationId}` })).json().outcome).toBeNull();
      const ok = await post("officerA", `/console/verifications/${verificationId}/outcome`, { outcome: "false", findings: "经营场所与承诺不符", checkedOn: "2026-03-01" });
      expect(ok.statusCode, ok.body).toBe(303);
      expect(flashOf(ok)).toContain("承诺不属实");
      const fed = await get("bureau", `/console/verifications/${verificationId}`);
      expect(fed.body).toContain("承诺不属实");
      expect(fed.body).toContain("已推送 测试市行政审批服务局");
      expect(fed.body).toContain("经营场所与承诺不符");
      const again = await post("officerA", `/console/verifications/${verificationId}/outcome`, { outcome: "true", checkedOn: "2026-03-02" });
      expect(again.statusCode).toBe(409);
      expect(again.body).toContain("未能保存"); // the refusal is shown although the form is gone
    });

    it("函告 → 复核 → 签收: A sends, B cannot review, the bureau reviews, A signs and gets the follow-up task", async () => {
      const letter = await post("officerA", "/console/disputes", { decisionId: String(decisionId), kind: "falseCommitment", letterNo: "测函〔2026〕1号", letter: "核查发现承诺不实", verificationId: String(verificationId) });
      expect(letter.statusCode, letter.body).toBe(303);
      disputeId = idFrom(letter, "disputes");
      expect((await post("officerB", "/console/disputes", { decisionId: String(decisionId), kind: "dispute", letter: "越权函告" })).statusCode).toBe(403);
      const list = await get("auditor", "/console/disputes");
      expect(list.body).toContain(`/console/disputes/${disputeId}`);
      expect(list.body).toContain("待复核");
      expect((await get("bureau", `/console/disputes/${disputeId}`)).body).toContain(`action="/console/disputes/${disputeId}/review"`);
      expect((await get("officerA", `/console/disputes/${disputeId}`)).body).not.toContain(`action="/console/disputes/${disputeId}/review"`);
      expect((await post("officerB", `/console/disputes/${disputeId}/review`, { outcome: "revoke", note: "越权复核" })).statusCode).toBe(403);
      expect((await post("officerA", `/console/disputes/${disputeId}/review`, { outcome: "revoke", note: "自己复核" })).statusCode).toBe(403);
      const reviewed = await post("bureau", `/console/disputes/${disputeId}/review`, { outcome: "revoke", note: "经复核卷宗，撤销许可" });
      expect(reviewed.statusCode, reviewed.body).toBe(303);
      const ackForm = await get("officerA", `/console/disputes/${disputeId}`);
      expect(ackForm.body).toContain(`action="/console/disputes/${disputeId}/acknowledge"`);
      expect(ackForm.body).toContain(`value="${itemId}"`);
      const acked = await post("officerA", `/console/disputes/${disputeId}/acknowledge`, { itemIds: [String(itemId)] });
      expect(acked.statusCode, acked.body).toBe(303);
      expect(flashOf(acked)).toMatch(/生成后续监管任务 FC-/);
      const done = await get("auditor", `/console/disputes/${disputeId}`);
      expect(done.body).toContain("撤销");
      expect(done.body).toContain("后续监管任务");
    });

    it("风险预警: listed with its deadline for A; B cannot answer it; A's feedback is recorded and shown", async () => {
      const r = await fx.as("admin", { method: "POST", url: "/risk-alerts", payload: { alerts: [{ externalId: `YJ-${tag}`, source: "互联网+监管", entityCode, departmentId: fx.dept.a, category: "投诉集中", level: "high", detail: "近期投诉较多", raisedOn: "2026-11-30" }] } });
      expect(r.statusCode, r.body).toBe(201);
      alertId = r.json().alerts[0].id;
      const list = await get("officerA", "/console/alerts?open=1");
      expect(list.body).toContain(`YJ-${tag}`);
      expect((await get("officerB", "/console/alerts")).body).not.toContain(`YJ-${tag}`);
      expect((await get("officerB", `/console/alerts/${alertId}`)).statusCode).toBe(403);
      expect((await post("officerB", `/console/alerts/${alertId}/feedback`, { handling: "confirmed", feedback: "越权反馈" })).statusCode).toBe(403);
      expect((await post("auditor", `/console/alerts/${alertId}/feedback`, { handling: "confirmed", feedback: "审计反馈" })).statusCode).toBe(403);
      const bad = await post("officerA", `/console/alerts/${alertId}/feedback`, { handling: "maybe", feedback: "已处置" });
      expect(bad.statusCode).toBe(400);
      expect(bad.body).toContain("【处置结果】");
      const ok = await post("officerA", `/console/alerts/${alertId}/feedback`, { handling: "rectified", feedback: "已责令限期整改" });
      expect(ok.statusCode, ok.body).toBe(303);
      const view = await get("auditor", `/console/alerts/${alertId}`);
      expect(view.body).toContain("已责令整改");
      expect(view.body).toContain("已责令限期整改");
      expect((await get("officerA", "/console/alerts?open=1")).body).not.toContain(`YJ-${tag}`);
      // a file from the 互联网+监管 system: A imports its own department's alerts, B may not import A's
      const dA = await fx.store.prisma.department.findUniqueOrThrow({ where: { id: fx.dept.a } });
      const file = { name: "预警.csv", text: `预警编号,来源系统,统一社会信用代码,负责部门,预警类型,预警等级,预警内容,预警日期\nYJF-${tag},互联网+监管,${entityCode},${dA.code},信用异常,中,经营异常名录,2026-11-29\n` };
      expect((await upload("officerB", "/console/alerts/import", {}, file)).statusCode).toBe(403);
      expect((await upload("auditor", "/console/alerts/import", {}, file)).statusCode).toBe(403);
      const imported = await upload("officerA", "/console/alerts/import", {}, file);
      expect(imported.statusCode, imported.body).toBe(303);
      expect(flashOf(imported)).toContain("已接收预警 1 条（重复 0 条）");
      expect((await get("officerA", "/console/alerts?open=1")).body).toContain(`YJF-${tag}`);
    });

    it("进一次门: A puts its open loop tasks into visits from the verifications page; the auditor cannot; bad dates come back on the form", async () => {
      expect((await get("officerA", "/console/verifications")).body).toContain('action="/console/loop-schedule"');
      expect((await get("auditor", "/console/verifications")).body).not.toContain('action="/console/loop-schedule"');
      expect((await post("auditor", "/console/loop-schedule", { from: "2026-12-01", to: "2026-12-31" })).statusCode).toBe(403);
      const bad = await post("officerA", "/console/loop-schedule", { from: "2026-12-31", to: "2026-12-01" });
      expect(bad.statusCode).toBeGreaterThanOrEqual(400);
      expect(bad.statusCode).toBeLessThan(500);
      expect(bad.body).toContain("未能保存");
      const open = await fx.store.prisma.task.count({ where: { departmentId: fx.dept.a, kind: "directed", status: "open" } });
      expect(open).toBeGreaterThan(0);
      const today = todayBeijing();
      const res = await post("officerA", "/console/loop-schedule", { from: today, to: `${today.slice(0, 4)}-12-31` }); // a year with holiday data (fail closed otherwise)
      expect(res.statusCode, res.body).toBe(200);
      const cards = [...res.body.matchAll(/<div class="n">(\d+)<\/div><div class="k">([^<]+)<\/div>/g)].map((m) => [m[2], Number(m[1])]);
      const n = Object.fromEntries(cards) as Record<string, number>;
      expect(n["参与排期的任务"]).toBeGreaterThan(0);
      expect(n["并入已排期的检查"]! + n["新排的检查"]! + n["未能排期"]!).toBeGreaterThan(0);
      expect(await fx.store.prisma.task.count({ where: { departmentId: fx.dept.a, kind: "directed", status: "open" } })).toBe(open - n["参与排期的任务"]! + n["未能排期"]!);
    });

    it("专家和人员抽取: the drawn panel is listed with its status; manifests download; links go to the public record; B (outside the case) is refused", async () => {
      const p = fx.store.prisma;
      for (let i = 1; i <= 2; i++) await p.inspector.create({ data: { departmentId: fx.dept.a, name: `执法员${i}`, certificateNo: `ZF-${tag}-${i}`, qualifications: [], specialities: [], districts: ["4601"] } });
      const auth = { authorization: `Bearer ${bureauToken}` };
      const panel = await fx.app.inject({ method: "POST", url: "/panels", headers: auth, payload: { purpose: "siteVisit", name: "某餐馆现场踏勘（测试）", applicationNo: `SP-${tag}`, subjectCode: entityCode, subjectDistrict: "460105", day: "2026-12-20", seats: [{ id: "O1", kind: "officer", departmentId: fx.dept.a, count: 1 }] } });
      expect(panel.statusCode, panel.body).toBe(201);
      const panelId = panel.json().id;
      const commit = await fx.app.inject({ method: "POST", url: `/panels/${panelId}/draws`, headers: auth, payload: { seed: { mode: "external", source: "测试外部随机数", reference: "第 1 期" } } });
      expect(commit.statusCode, commit.body).toBe(201);
      const drawId = commit.json().id;
      const ext = await fx.app.inject({ method: "POST", url: `/panel-draws/${drawId}/external-value`, headers: auth, payload: { value: "20261201", publishedAt: new Date(Date.now() + 1000).toISOString() } });
      expect(ext.statusCode, ext.body).toBe(201);
      expect((await fx.app.inject({ method: "POST", url: `/panel-draws/${drawId}/run`, headers: auth })).statusCode).toBe(201);
      const list = await get("officerA", "/console/panels");
      expect(list.body).toContain(`/console/panels/${panelId}`);
      expect(list.body).toContain("已抽取");
      expect((await get("officerB", "/console/panels")).body).not.toContain("某餐馆现场踏勘");
      expect((await get("officerB", `/console/panels/${panelId}`)).statusCode).toBe(403);
      const page = await get("auditor", `/console/panels/${panelId}`);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain("核验通过");
      expect(page.body).toContain(`href="/api/public/panel-draws/${drawId}"`);
      const drawn = ((await fx.as("auditor", { method: "GET", url: `/panel-draws/${drawId}` })).json().seats[0].persons as string[])[0]!;
      const certs = (await p.inspector.findMany({ where: { departmentId: fx.dept.a } })).map((x) => x.certificateNo);
      expect(certs).toContain(drawn);
      expect(page.body).toContain(`<td data-label="抽中">${drawn}</td>`); // the case's readers see who was drawn
      const full = await get("auditor", `/console/panel-draws/${drawId}/manifest?kind=full`);
      expect(full.statusCode).toBe(200);
      expect(String(full.headers["content-disposition"])).toContain("full-manifest.json");
      expect(full.body).toBe((await fx.as("auditor", { method: "GET", url: `/panel-draws/${drawId}/manifest?kind=full` })).body);
      const pub = await get("officerA", `/console/panel-draws/${drawId}/manifest?kind=public`);
      expect(pub.statusCode).toBe(200);
      expect(pub.body).not.toContain(drawn);
      expect((await get("officerB", `/console/panel-draws/${drawId}/manifest?kind=full`)).statusCode).toBe(403);
    });

    it("专家和人员抽取 ceremony on the console: the bureau freezes, the bureau and department A commit and reveal in their browsers, the bureau draws once; B, A (not the bureau) and the auditor are refused", async () => {
      // the 事由 is recorded on the bureau's form; the form is checked on the server and keeps what was typed
      expect((await get("bureau", "/console/panels")).body).toContain('action="/console/panels"');
      expect((await get("officerA", "/console/panels")).body).not.toContain('action="/console/panels"');
      const fields = { purpose: "acceptance", name: "某仓库竣工验收（测试）", applicationNo: `YS-${tag}`, subjectCode: entityCode, subjectDistrict: "460105", day: "2026-12-21" };
      const noSeat = await post("bureau", "/console/panels", fields);
      expect(noSeat.statusCode).toBe(400);
      expect(noSeat.body).toContain("【席位】");
      expect(noSeat.body).toContain(`value="YS-${tag}"`);
      const seat = { "seat0-kind": "officer", "seat0-department": String(fx.dept.a), "seat0-count": "1" };
      const outsider = await post("officerA", "/console/panels", { ...fields, ...seat });
      expect(outsider.statusCode).toBe(403);
      expect((await post("auditor", "/console/panels", { ...fields, ...seat })).statusCode).toBe(403);
      const created = await post("bureau", "/console/panels", { ...fields, ...seat });
      expect(created.statusCode, created.body).toBe(303);
      const panelId = idFrom(created, "panels");
      expect((await fx.as("auditor", { method: "GET", url: `/panels/${panelId}` })).json().seats).toEqual([{ id: "O1", kind: "officer", department: expect.any(String), qualifications: [], count: 1 }]);
      const url = `/console/panels/${panelId}`;
      expect((await get("bureau", url)).body).toContain(`action="/console/panels/${panelId}/draws"`);
      expect((await get("officerA", url)).body).not.toContain(`action="/console/panels/${panelId}/draws"`);
      expect((await get("auditor", url)).body).not.toContain("当前步骤");
      expect((await post("officerB", `${url}/draws`, { mode: "commitReveal" })).statusCode).toBe(403);
      expect((await post("officerA", `${url}/draws`, { mode: "commitReveal" })).statusCode).toBe(403);
      expect((await post("auditor", `${url}/draws`, { mode: "commitReveal" })).statusCode).toBe(403);
      const noSource = await post("bureau", `${url}/draws`, { mode: "external", source: "", reference: "" });
      expect(noSource.statusCode).toBe(400);
      expect(noSource.body).toContain("未能保存");
      const frozen = await post("bureau", `${url}/draws`, { mode: "commitReveal", reserves: "1" });
      expect(frozen.statusCode, frozen.body).toBe(303);
      const drawId = (await fx.as("auditor", { method: "GET", url: `/panels/${panelId}` })).json().draws[0].id as number;
      for (const who of ["bureau", "officerA"] as const) expect((await get(who, url)).body).toContain(`data-secret-commit="panel-draw-${drawId}-`);
      expect((await post("officerB", `/console/panel-draws/${drawId}/commitment`, { hash: secretHash(newSecret()) })).statusCode).toBe(403);
      const secrets = { bureau: newSecret(), officerA: newSecret() };
      // without a script the hash is typed into the <noscript> field, after the empty hidden one
      expect((await post("bureau", `/console/panel-draws/${drawId}/commitment`, { hash: ["", secretHash(secrets.bureau)] })).statusCode).toBe(303);
      expect((await get("bureau", url)).body).toContain("等待");
      expect((await post("officerA", `/console/panel-draws/${drawId}/commitment`, { hash: secretHash(secrets.officerA) })).statusCode).toBe(303);
      const revealForm = (await get("officerA", url)).body;
      expect(revealForm).toContain(`data-secret-reveal="panel-draw-${drawId}-`);
      expect(revealForm).toContain(`data-hash="${secretHash(secrets.officerA)}"`);
      const wrong = await post("officerA", `/console/panel-draws/${drawId}/reveal`, { secret: secrets.bureau });
      expect(wrong.statusCode).toBeGreaterThanOrEqual(400);
      expect(wrong.statusCode).toBeLessThan(500);
      expect(wrong.body).toContain("未能保存");
      for (const who of ["bureau", "officerA"] as const) expect((await post(who, `/console/panel-draws/${drawId}/reveal`, { secret: ["", secrets[who]] })).statusCode).toBe(303);
      expect((await get("bureau", url)).body).toContain(`action="/console/panel-draws/${drawId}/run"`);
      expect((await post("auditor", `/console/panel-draws/${drawId}/run`)).statusCode).toBe(403);
      expect((await post("officerA", `/console/panel-draws/${drawId}/run`)).statusCode).toBe(403);
      const ran = await post("bureau", `/console/panel-draws/${drawId}/run`);
      expect(ran.statusCode, ran.body).toBe(303);
      const again = await post("bureau", `/console/panel-draws/${drawId}/run`);
      expect(again.statusCode).toBe(409);
      const drawn = await get("auditor", url);
      expect(drawn.body).toContain("已抽取");
      expect(drawn.body).toContain("核验通过");
      const v = (await fx.as("auditor", { method: "GET", url: `/panel-draws/${drawId}/verify` })).json();
      expect(v.ok).toBe(true);
      const voided = await post("bureau", `/console/panel-draws/${drawId}/void`, { reason: "申请人撤回申请" });
      expect(voided.statusCode, voided.body).toBe(303);
      const after = await get("bureau", url);
      expect(after.body).toContain("已作废");
      expect(after.body).toContain(`action="/console/panels/${panelId}/draws"`); // a new attempt, with new secrets
    });

    it("an administrator imports a list for a bureau it names (none named: refused, naming the field)", async () => {
      const dA = await fx.store.prisma.department.findUniqueOrThrow({ where: { id: fx.dept.a } });
      const file = { name: "清单.csv", text: `${HEAD}\nSP-001,食品经营许可,《食品安全法》,食品经营监督检查,证后检查,${dA.code},${itemCode},否\n` };
      expect((await get("admin", "/console/duty-lists")).body).toContain('name="bureauId"');
      const unnamed = await upload("admin", "/console/duty-lists/import", { reason: "管理员代为发布" }, file);
      expect(unnamed.statusCode).toBe(400);
      expect(unnamed.body).toContain("【行政审批部门】");
      const named = await upload("admin", "/console/duty-lists/import", { reason: "管理员代为发布", bureauId: String(bureauId) }, file);
      expect(named.statusCode, named.body).toBe(303);
      expect(flashOf(named)).toContain("测试市行政审批服务局 职责边界清单第 3 版");
    });
  });
}
