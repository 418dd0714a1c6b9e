/**
 * 审管联动, what leaves the service, on SQLite and PostgreSQL (skipped, saying why, when
 * PostgreSQL is unreachable unless SSJ_REQUIRE_PG=1):
 *   - 核查结果公示: a 告知承诺 outcome recorded by the department is published by the rule in force
 *     (default 不属实 and 未履行承诺; per approval item configurable), visible on the public API and
 *     the 公示 page, with only its public fields — never the findings, the commitment text, a
 *     complainant or an inspector; a published outcome cannot be withdrawn in the database;
 *   - the statistics as XLSX and CSV (GET /approvals/stats/export): the same figures as the JSON, per
 *     department with its level, per level, the visits; every role may read them, nobody without a
 *     token.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import ExcelJS from "exceljs";
import type { InjectOptions } from "fastify";
import { openStore, type Store } from "../../src/store/index.ts";
import { createUser } from "../../src/store/repos/users.ts";
import { creditCodeCheckChar } from "../../src/directories/creditCode.ts";
import { fixture, pgProblem, pgSchemaUrl, PG_URL, REQUIRE_PG, type Fixture } from "./helpers.ts";

const problem = await pgProblem();
if (problem && REQUIRE_PG) throw new Error(`SSJ_REQUIRE_PG=1 but PostgreSQL at ${PG_URL} is unreachable: ${problem}`);
if (problem) console.warn(`[skip] 核查结果公示 on PostgreSQL: ${PG_URL} unreachable (${problem})`);

const PUBLIC_KEYS = ["approvalCode", "approvalItem", "bureau", "checkedOn", "decidedOn", "department", "entityCode", "entityName", "id", "outcome", "outcomeLabel", "publishedAt"];
// Private material planted in every internal field: none of it may reach a public answer.
const SECRET = { findings: "举报人王秘密（电话 13912345678）反映", commitment: "承诺内容保密条款甲", inspector: "核查员赵隐私", user: "录入员钱隐私" };

const code = (i: number, r: string) => {
  const p = `91460105${r.toUpperCase().replace(/[^0-9A-HJ-NPQRTUWXY]/g, "0").padEnd(5, "0").slice(0, 5)}${String(i).padStart(4, "0")}`;
  return p + creditCodeCheckChar(p);
};

function suite(name: string, makeStore: () => Promise<{ store?: Store; drop?: () => Promise<void> }>) {
  describe(name, () => {
    let fx: Fixture;
    let drop: (() => Promise<void>) | undefined;
    let bureauToken = "", verifierToken = "";
    const r = Math.random().toString(36).slice(2, 7);
    const entities: { code: string; name: string }[] = [];
    const ver: Record<string, { id: number; decidedOn: string }> = {};
    const bureauAs = (o: InjectOptions) => fx.app.inject({ ...o, headers: { authorization: `Bearer ${bureauToken}` } });
    const verifierAs = (o: InjectOptions) => fx.app.inject({ ...o, headers: { authorization: `Bearer ${verifierToken}` } });

    beforeAll(async () => {
      const s = await makeStore();
      drop = s.drop;
      fx = await fixture(s.store ? { store: s.store } : {});
      const p = fx.store.prisma;
      const bureau = await p.department.create({ data: { code: `T-XZSP-${r}`, name: "测试市行政审批服务局", level: "city", kind: "approval", districtCode: "460100" } });
      bureauToken = (await createUser(fx.store, { name: "审批员", role: "officer", department: bureau.id }, "test")).token;
      verifierToken = (await createUser(fx.store, { name: SECRET.user, role: "officer", department: fx.dept.b }, "test")).token;
      await p.inspector.create({ data: { departmentId: fx.dept.b, name: SECRET.inspector, certificateNo: `CERT-${r}`, qualifications: ["执法证"], specialities: [], districts: ["4601"] } });
      const item = await p.inspectionItem.create({ data: { departmentId: fx.dept.b, code: `IT-${r}`, category: "施工安全", name: "施工许可条件核查", target: "建设单位", legalBasis: "《建筑法》", content: "核查承诺", methods: ["on-site"], importance: "key", source: "测试清单" } });
      for (let i = 0; i < 4; i++) {
        const e = { code: code(i, r), name: `公示测试建设有限公司${r}${i}` };
        entities.push(e);
        await p.entity.create({ data: { code: e.code, codeKind: "uscc", name: e.name, districtCode: "460105", industryCode: "E4710", kind: "enterprise", riskClass: "B", size: "small" } });
      }
      const entries = [
        { approvalCode: "SP-101", approvalName: "建筑工程施工许可", supervisionName: "施工安全监督", departmentId: fx.dept.b, itemId: item.id },
        { approvalCode: "SP-102", approvalName: "建筑业企业资质许可", supervisionName: "资质动态核查", departmentId: fx.dept.b, itemId: item.id },
      ];
      const list = await bureauAs({ method: "POST", url: "/duty-lists", payload: { reason: "首次发布", entries } });
      expect(list.statusCode, list.body).toBe(201);
      const decisions = [
        ["true", "SP-101", 0],
        ["false", "SP-101", 1],
        ["unfulfilled", "SP-101", 2],
        ["item", "SP-102", 3],
      ].map(([tag, item, i]) => ({ decisionNo: `GS-${r}-${tag}`, entityCode: entities[i as number]!.code, approvalCode: item, kind: "commitment", decision: "grant", decidedOn: "2026-03-02", commitment: SECRET.commitment }));
      const d = await bureauAs({ method: "POST", url: "/approval-decisions", payload: { decisions } });
      expect(d.statusCode, d.body).toBe(201);
      const list2 = (await verifierAs({ method: "GET", url: "/verifications?open=true&limit=500" })).json().items as { id: number; decision: { decisionNo: string; decidedOn: string } }[];
      for (const v of list2) if (v.decision.decisionNo.startsWith(`GS-${r}-`)) ver[v.decision.decisionNo.slice(`GS-${r}-`.length)] = { id: v.id, decidedOn: v.decision.decidedOn };
      expect(Object.keys(ver).sort()).toEqual(["false", "item", "true", "unfulfilled"]);
    });
    afterAll(async () => {
      await fx?.close();
      await drop?.();
    });

    const publicList = async (q = "") => {
      const res = await fx.app.inject({ method: "GET", url: `/api/public/commitment-verifications${q}` });
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as Record<string, unknown>[];
    };
    const record = (tag: string, outcome: string) =>
      verifierAs({ method: "POST", url: `/verifications/${ver[tag]!.id}/outcome`, payload: { outcome, checkedOn: "2026-04-10", ...(outcome === "true" ? {} : { findings: SECRET.findings }) } });

    it("the publication rule is checked when set: an unknown outcome or member is refused with the field named", async () => {
      const bad = await fx.as("admin", { method: "PUT", url: "/config/approvals", payload: { publishOutcomes: ["false", "guilty"] } });
      expect(bad.statusCode).toBeGreaterThanOrEqual(400);
      expect(bad.statusCode).toBeLessThan(500);
      expect(bad.json()).toMatchObject({ field: "approvals.publishOutcomes" });
      expect(bad.json().message).toContain("核查结果");
      const byItem = await fx.as("admin", { method: "PUT", url: "/config/approvals", payload: { publishOutcomesByItem: { "SP-102": "all" } } });
      expect(byItem.json()).toMatchObject({ field: "approvals.publishOutcomesByItem.SP-102" });
      // SP-102's rules publish every outcome, 承诺属实 included
      const ok = await fx.as("admin", { method: "PUT", url: "/config/approvals", payload: { publishOutcomesByItem: { "SP-102": ["true", "false", "unfulfilled"] } } });
      expect(ok.statusCode, ok.body).toBe(204);
    });

    it("record → publish: 不属实 and 未履行承诺 are published by default, 承诺属实 is not; the item rule publishes its 属实", async () => {
      expect((await publicList(`?code=${entities[1]!.code}`)).length).toBe(0);
      for (const [tag, outcome] of [["true", "true"], ["false", "false"], ["unfulfilled", "unfulfilled"], ["item", "true"]] as const) {
        const res = await record(tag, outcome);
        expect(res.statusCode, res.body).toBe(200);
        expect(res.json().publishedAt === null, tag).toBe(tag === "true");
      }
      const all = (await publicList()).filter((x) => String(x.entityName).includes(r));
      expect(all.map((x) => [x.entityCode, x.outcome]).sort()).toEqual(
        [
          [entities[1]!.code, "false"],
          [entities[2]!.code, "unfulfilled"],
          [entities[3]!.code, "true"],
        ].sort(),
      );
      const one = (await publicList(`?code=${entities[2]!.code.toLowerCase()}`))[0]!;
      expect(one).toMatchObject({ entityName: entities[2]!.name, approvalCode: "SP-101", approvalItem: "建筑工程施工许可", decidedOn: "2026-03-02", outcome: "unfulfilled", outcomeLabel: "未履行承诺", checkedOn: "2026-04-10", department: "测试市住房和城乡建设局", bureau: "测试市行政审批服务局" });
      expect(Object.keys(one).sort()).toEqual(PUBLIC_KEYS);
      // the bureau reads the outcome and whether it was published
      const fed = (await bureauAs({ method: "GET", url: `/verifications/${ver.false!.id}` })).json();
      expect(fed.publishedAt).toEqual(expect.any(String));
    });

    it("the 公示 page shows the published outcomes, an entity's by its code, and nothing private", async () => {
      const page = await fx.app.inject({ method: "GET", url: "/public" });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain("告知承诺核查结果公示");
      expect(page.body).toContain(entities[1]!.name);
      expect(page.body).toContain(entities[2]!.name);
      expect(page.body).toContain("承诺不属实");
      expect(page.body).toContain("未履行承诺");
      expect(page.body).not.toContain(entities[0]!.name); // 承诺属实 under the default rule: not published
      const byCode = await fx.app.inject({ method: "GET", url: `/public?q=${entities[1]!.code}` });
      expect(byCode.body).toContain(`统一社会信用代码为 ${entities[1]!.code} 的告知承诺核查结果`);
      expect(byCode.body).toContain(entities[1]!.name);
      expect(byCode.body).not.toContain(entities[2]!.name);
      const none = await fx.app.inject({ method: "GET", url: `/public?q=${entities[0]!.code}` });
      expect(none.body).toContain("没有公示的告知承诺核查结果");
      const json = JSON.stringify(await publicList());
      for (const text of [page.body, byCode.body, json]) for (const s of Object.values(SECRET)) expect(text).not.toContain(s);
      expect(json).not.toContain("13912345678");
    });

    it("a published outcome cannot be withdrawn or re-dated in the database", async () => {
      const p = fx.store.prisma;
      await expect(p.verification.update({ where: { id: ver.false!.id }, data: { publishedAt: null } })).rejects.toThrow();
      await expect(p.verification.update({ where: { id: ver.false!.id }, data: { publishedAt: new Date("2030-01-01T00:00:00Z") } })).rejects.toThrow();
      expect((await p.verification.findUniqueOrThrow({ where: { id: ver.false!.id } })).publishedAt).not.toBeNull();
    });

    it("statistics as XLSX: the JSON's figures per department (with level), per level and the visits", async () => {
      const json = (await fx.as("officerA", { method: "GET", url: "/approvals/stats?year=2026" })).json();
      const res = await fx.as("officerA", { method: "GET", url: "/approvals/stats/export?year=2026" });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers["content-type"]).toContain("spreadsheetml");
      expect(String(res.headers["content-disposition"])).toContain(encodeURIComponent("审管联动统计-2026.xlsx"));
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
      expect(wb.worksheets.map((w) => w.name)).toEqual(["各部门", "按层级", "入企检查", "检查频次"]);
      const rows = (name: string) => {
        const ws = wb.getWorksheet(name)!;
        const head = (ws.getRow(1).values as unknown[]).slice(1).map(String);
        const out: Record<string, unknown>[] = [];
        ws.eachRow((row, n) => {
          if (n > 1) out.push(Object.fromEntries(head.map((h, i) => [h, (row.values as unknown[])[i + 1]])));
        });
        return out;
      };
      const depts = rows("各部门");
      expect(depts.length).toBe(json.departments.length);
      const zj = json.departments.find((d: { departmentId: number }) => d.departmentId === fx.dept.b);
      const row = depts.find((x) => x["部门"] === zj.department.name)!;
      expect(row).toMatchObject({ 层级: "市级", 部门类型: "监管部门", "签收推送：合计": zj.pushes.total, "告知承诺核查：合计": zj.verifications.total, "告知承诺核查：按时办结": zj.verifications.onTime });
      expect(row).toMatchObject({ "核查结果：承诺属实": 2, "核查结果：承诺不属实": 1, "核查结果：未履行承诺": 1 });
      expect(zj.verifications.outcomes).toMatchObject({ true: 2, false: 1, unfulfilled: 1 });
      const city = rows("按层级").find((x) => x["层级"] === "市级")!;
      const cityDepts = json.departments.filter((d: { department: { level: string } }) => d.department.level === "city");
      expect(city["部门数"]).toBe(cityDepts.length);
      expect(city["签收推送：合计"]).toBe(cityDepts.reduce((n: number, d: { pushes: { total: number } }) => n + d.pushes.total, 0));
      expect(rows("入企检查")[0]).toMatchObject({ 年度: 2026, 入企检查次数: json.visits.total, 联合检查次数: json.visits.joint, 合并减少的入企次数: json.visits.duplicatesAvoided });
    });

    it("statistics as CSV (UTF-8 with BOM); every role reads them, nobody without a token; a bad format or year is a 400", async () => {
      const csv = await fx.as("auditor", { method: "GET", url: "/approvals/stats/export?year=2026&format=csv" });
      expect(csv.statusCode).toBe(200);
      expect(csv.headers["content-type"]).toContain("text/csv");
      expect(csv.body.startsWith("\uFEFF年度,层级,部门代码,部门,部门类型,签收推送：合计")).toBe(true);
      expect(csv.body).toContain(",测试市住房和城乡建设局,监管部门,");
      for (const who of ["admin", "officerB"] as const) expect((await fx.as(who, { method: "GET", url: "/approvals/stats/export?year=2026" })).statusCode).toBe(200);
      expect((await fx.app.inject({ method: "GET", url: "/approvals/stats/export?year=2026" })).statusCode).toBe(401);
      const bad = await fx.as("auditor", { method: "GET", url: "/approvals/stats/export?year=2026&format=pdf" });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().code).toBe("VALIDATION_FAILED");
      expect((await fx.as("auditor", { method: "GET", url: "/approvals/stats/export?year=1999" })).statusCode).toBe(400);
    });
  });
}

suite("审管联动 publication and statistics export (SQLite)", async () => ({}));
describe.skipIf(problem !== null)("PostgreSQL", () => {
  suite("审管联动 publication and statistics export (PostgreSQL)", async () => {
    const db = await pgSchemaUrl();
    const store = await openStore({ databaseUrl: db.url });
    await store.migrate();
    return { store, drop: db.drop };
  });
});
