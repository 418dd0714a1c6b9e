/**
 * 专家库 and 回避 in the console (api/console/pages/experts.ts), as the administrator uses them and
 * as an opponent would try them: the list is searched and paged by the server; an expert is added,
 * edited and disabled through CSRF-checked forms, and the API's state follows; bad input comes back
 * on the form in Chinese naming the field; recusals of an inspector and of an expert are recorded,
 * found, refused twice, and withdrawn; officers cannot read recusals through the API; an expert's
 * recusal keeps it off that entity's inspection team.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixture, pgProblem, pgSchemaUrl, PG_URL, REQUIRE_PG, seedBatch, type Fixture } from "../api/helpers.ts";
import { openStore } from "../../src/store/index.ts";
import { commit, external, fullManifest, publicManifest, run } from "../api/support/ceremony.ts";
import { demoPanels, getPanelDraw } from "../../src/store/repos/panels.ts";
import { consoleFixture, cookieOf, type ConsoleFixture } from "./helpers.ts";

describe("console: 专家库 and 回避", () => {
  let fx: ConsoleFixture;
  let s: { cookie: string; csrf: string };
  let inspectorCert = "";
  let entityCode = "";

  beforeAll(async () => {
    fx = await consoleFixture();
    await seedBatch(fx, { entities: 3, count: 1, officers: 1 });
    const p = fx.store.prisma;
    for (let i = 1; i <= 60; i++)
      await p.expert.create({ data: { name: `专家${String(i).padStart(2, "0")}`, certificateNo: `ZJ-${String(i).padStart(3, "0")}`, specialities: ["食品安全"], districts: ["4601"], departmentId: i % 2 ? fx.dept.a : null, active: i % 10 !== 0 } });
    inspectorCert = (await p.inspector.findFirstOrThrow({ where: { departmentId: fx.dept.a } })).certificateNo;
    entityCode = (await p.entity.findFirstOrThrow({ orderBy: { id: "asc" } })).code;
    s = await fx.session("admin");
  });
  afterAll(async () => fx?.close());

  const get = (url: string) => fx.app.inject({ method: "GET", url, headers: { cookie: s.cookie } });
  const post = (url: string, form: Record<string, string>, csrf = s.csrf) =>
    fx.app.inject({ method: "POST", url, headers: { cookie: s.cookie, "content-type": "application/x-www-form-urlencoded" }, payload: new URLSearchParams({ _csrf: csrf, ...form }).toString() });
  const rows = (body: string) => (body.match(/<tr><td data-label="姓名">/g) ?? []).length;

  it("lists one page of 50 of the 60 experts, pages on, and filters on the server", async () => {
    const first = await get("/console/experts");
    expect(first.statusCode).toBe(200);
    expect(rows(first.body)).toBe(50);
    expect(first.body).toContain("共 60 条");
    const second = await get("/console/experts?offset=50");
    expect(rows(second.body)).toBe(10);
    expect(second.body).toContain("专家60");
    const disabled = await get("/console/experts?active=false");
    expect(rows(disabled.body)).toBe(6);
    const shared = await get("/console/experts?department=shared&q=%E4%B8%93%E5%AE%B60");
    // 专家0x with an even number: 02 04 06 08 (shared library)
    expect(rows(shared.body)).toBe(4);
    const api = (await fx.as("admin", { method: "GET", url: "/experts/search?department=shared&active=true&limit=5" })).json();
    expect(api.total).toBe(24); // 30 even numbers in the shared library, 6 of them (multiples of 10) disabled
    expect(api.items).toHaveLength(5);
  });

  it("adds an expert through the form, refuses bad lists in Chinese naming the field, and a missing CSRF token", async () => {
    const bad = await post("/console/experts", { name: "新专家", certificateNo: "ZJ-NEW", departmentId: String(fx.dept.a), specialities: "特种设备", districts: "4601 46x" });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain("【服务区域】");
    expect(bad.body).toContain("“46x”不是 2–6 位数字的区划代码前缀");
    expect(bad.body).toContain('value="新专家"');
    const noSpeciality = await post("/console/experts", { name: "新专家", certificateNo: "ZJ-NEW", specialities: " 、 " });
    expect(noSpeciality.statusCode).toBe(422);
    expect(noSpeciality.body).toContain("【专业】至少要有一项专业");
    const forged = await post("/console/experts", { name: "新专家", certificateNo: "ZJ-NEW", specialities: "特种设备" }, "forged");
    expect(forged.statusCode).toBe(403);
    const ok = await post("/console/experts", { name: "新专家", certificateNo: "ZJ-NEW", departmentId: String(fx.dept.a), specialities: "特种设备、电梯，锅炉", districts: "4601 460105", unavailable: "2026-03-02, 2026-03-03", organization: "测试大学" });
    expect(ok.statusCode, ok.body).toBe(303);
    const made = (await fx.as("admin", { method: "GET", url: "/experts/search?q=ZJ-NEW" })).json().items[0];
    expect(made).toMatchObject({ name: "新专家", specialities: ["特种设备", "电梯", "锅炉"], districts: ["4601", "460105"], unavailable: ["2026-03-02", "2026-03-03"], organization: "测试大学", active: true });
    const dup = await post("/console/experts", { name: "重复", certificateNo: "ZJ-NEW", specialities: "电梯" });
    expect(dup.statusCode).toBe(409);
    expect(dup.body).toContain("【证件号】");
  });

  it("edits and disables an expert; the API's state follows", async () => {
    const x = (await fx.as("admin", { method: "GET", url: "/experts/search?q=ZJ-001" })).json().items[0];
    const form = await get(`/console/experts/${x.id}`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('value="食品安全"');
    const badDate = await post(`/console/experts/${x.id}`, { specialities: "食品安全", districts: "4601", unavailable: "2026-13-45" });
    expect(badDate.statusCode).toBe(422);
    expect(badDate.body).toContain("【不能参加的日期】");
    const saved = await post(`/console/experts/${x.id}`, { specialities: "食品安全 餐饮", districts: "460105", unavailable: "", organization: "" });
    expect(saved.statusCode).toBe(303);
    const off = await post(`/console/experts/${x.id}/active`, { active: "false" });
    expect(off.statusCode).toBe(303);
    const after = (await fx.as("admin", { method: "GET", url: `/experts/${x.id}` })).json();
    expect(after).toMatchObject({ specialities: ["食品安全", "餐饮"], districts: ["460105"], organization: null, active: false });
    expect((await get("/console/experts?q=ZJ-001")).body).toContain("已停用");
    const missing = await get("/console/experts/999999");
    expect(missing.statusCode).toBe(404);
  });

  it("records recusals of an inspector and of an expert, finds them, refuses a second one, and withdraws one", async () => {
    const unknown = await post("/console/recusals", { kind: "inspector", certificateNo: "NO-SUCH", entityCode, reason: "亲属" });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.body).toContain("【证件号】执法证号 NO-SUCH 不在执法人员名录中");
    const noReason = await post("/console/recusals", { kind: "expert", certificateNo: "ZJ-002", entityCode, reason: " " });
    expect(noReason.statusCode).toBe(422);
    expect(noReason.body).toContain("【回避理由】");
    expect((await post("/console/recusals", { kind: "inspector", certificateNo: inspectorCert, entityCode: entityCode.toLowerCase(), reason: "配偶在该企业任职" })).statusCode).toBe(303);
    expect((await post("/console/recusals", { kind: "expert", certificateNo: "ZJ-002", entityCode: "91460000MA5TEST001", reason: "曾为该企业提供咨询" })).statusCode).toBe(303);
    const twice = await post("/console/recusals", { kind: "inspector", certificateNo: inspectorCert, entityCode, reason: "再次" });
    expect(twice.statusCode).toBe(409);

    const list = await get("/console/recusals");
    expect(list.body).toContain("共 2 项回避");
    expect(list.body).toContain("配偶在该企业任职");
    expect(list.body).toContain("（不在名录中）");
    const byEntity = await get(`/console/recusals?entity=${entityCode.slice(0, 12)}`);
    expect(byEntity.body).toContain("共 1 项回避");
    const api = (await fx.as("auditor", { method: "GET", url: "/recusals?kind=expert" })).json();
    expect(api.total).toBe(1);
    expect(api.items[0]).toMatchObject({ kind: "expert", person: { certificateNo: "ZJ-002" }, entity: { code: "91460000MA5TEST001", name: null }, reason: "曾为该企业提供咨询" });
    expect((await fx.as("officerA", { method: "GET", url: "/recusals" })).statusCode).toBe(403);

    const withdrawn = await post(`/console/recusals/expert/${api.items[0].id}/delete`, {});
    expect(withdrawn.statusCode).toBe(303);
    expect((await fx.as("admin", { method: "GET", url: "/recusals" })).json().total).toBe(1);
    const again = await post(`/console/recusals/expert/${api.items[0].id}/delete`, {});
    expect(again.statusCode).toBe(404);
    const audit = await fx.store.prisma.auditLog.findMany({ where: { action: { startsWith: "recusal." } } });
    expect(audit.map((a) => a.action).sort()).toEqual(["recusal.create", "recusal.create", "recusal.delete"]);
    expect(JSON.stringify(audit)).not.toContain("配偶");
  });
});

describe("console: recusals from a file", () => {
  let fx: ConsoleFixture;
  afterAll(async () => fx?.close());

  const upload = async (content: string) => {
    const s = await fx.session("admin");
    const boundary = `----ssjr${Math.random().toString(16).slice(2)}`;
    const body = `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${s.csrf}\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="recusals.csv"\r\nContent-Type: text/csv\r\n\r\n${content}\r\n--${boundary}--\r\n`;
    const res = await fx.app.inject({ method: "POST", url: "/console/recusals/import", headers: { cookie: s.cookie, "content-type": `multipart/form-data; boundary=${boundary}` }, payload: Buffer.from(body, "utf8") });
    return { res, s };
  };

  it("refuses a file with a bad row whole, naming every row; then records a good one once", async () => {
    fx = await consoleFixture();
    await seedBatch(fx, { entities: 2, count: 1, officers: 1 });
    const p = fx.store.prisma;
    await p.expert.create({ data: { name: "文件专家", certificateNo: "WJ-1", specialities: ["食品安全"], districts: ["4601"] } });
    const cert = (await p.inspector.findFirstOrThrow()).certificateNo;
    const [e1, e2] = (await p.entity.findMany({ orderBy: { id: "asc" } })).map((e) => e.code) as [string, string];
    const head = "人员类别,证件号,企业代码,回避理由";
    const bad = await upload([head, `执法人员,${cert},${e1},配偶任职`, `专家,NO-SUCH,${e2},咨询`, `律师,X,${e2},？`, `执法人员,${cert},91460000MA5NOTHERE,亲属`].join("\n"));
    expect(bad.res.statusCode).toBe(422);
    expect(bad.res.body).toContain("文件有 3 处问题，未导入");
    expect(bad.res.body).toContain("第 3 行：证件号 NO-SUCH 不在专家库中");
    expect(bad.res.body).toContain("第 4 行：人员类别应为“执法人员”或“专家”");
    expect(bad.res.body).toContain("第 5 行：企业代码 91460000MA5NOTHERE 不在检查对象名录中");
    expect(await p.recusal.count()).toBe(0);
    const good = [head, `执法人员,${cert},${e1},配偶任职`, `专家,WJ-1,${e2.toLowerCase()},曾提供咨询`, `专家,WJ-1,91460000MA5APPLIC1,申请人的设计单位`].join("\n");
    const first = await upload(good);
    expect(first.res.statusCode, first.res.body).toBe(303);
    const page = await fx.app.inject({ method: "GET", url: "/console/recusals", headers: { cookie: `${first.s.cookie}; ${cookieOf(first.res, "ssj_flash")}` } });
    expect(page.body).toContain("已从文件读取 3 行：新登记 3 项回避，0 项此前已登记。");
    expect(page.body).toContain("共 3 项回避");
    const again = await fx.as("admin", { method: "POST", url: "/recusals/import", payload: Buffer.from(`--b\r\nContent-Disposition: form-data; name="file"; filename="r.csv"\r\nContent-Type: text/csv\r\n\r\n${good}\r\n--b--\r\n`), headers: { "content-type": "multipart/form-data; boundary=b" } });
    expect(again.json()).toMatchObject({ rows: 3, created: 0, unchanged: 3 });
    expect((await fx.as("officerA", { method: "POST", url: "/recusals/import", payload: {} })).statusCode).toBe(403);
  });
});

describe("an expert's recusal binds the inspection draw", () => {
  let fx: ConsoleFixture;
  afterAll(async () => fx?.close());

  it("the recused expert is never on that entity's team; the other one takes the seat", async () => {
    fx = await consoleFixture();
    const { batchId } = await seedBatch(fx, { entities: 4, count: 1 });
    const put = await fx.as("admin", { method: "PUT", url: "/config/draw", payload: { team: { minPerDepartment: 1, minTotal: 2, experts: 1, reserves: 1 } } });
    expect(put.statusCode, put.body).toBe(204);
    for (const c of ["ZJ-R1", "ZJ-R2"]) expect((await fx.as("admin", { method: "POST", url: "/experts", payload: { name: `回避专家${c}`, certificateNo: c, specialities: ["食品安全"], districts: ["4601"] } })).statusCode).toBe(201);
    const codes = (await fx.store.prisma.entity.findMany({ orderBy: { id: "asc" } })).map((e) => e.code);
    // ZJ-R1 recused from three of the four entities, ZJ-R2 from the fourth
    for (const code of codes.slice(0, 3)) expect((await fx.as("admin", { method: "POST", url: "/recusals", payload: { kind: "expert", certificateNo: "ZJ-R1", entityCode: code, reason: "曾为该企业提供咨询" } })).statusCode).toBe(201);
    expect((await fx.as("admin", { method: "POST", url: "/recusals", payload: { kind: "expert", certificateNo: "ZJ-R2", entityCode: codes[3], reason: "近亲属在该企业任职" } })).statusCode).toBe(201);
    const d = await commit(fx, batchId, { mode: "external", source: "中国福利彩票 双色球", reference: "回避测试" });
    await external(fx, d.id);
    await run(fx, d.id);
    expect((await fx.as("officerA", { method: "POST", url: `/batches/${batchId}/optimize`, payload: {} })).statusCode).toBe(201);
    const schedule = (await fx.as("officerA", { method: "GET", url: `/batches/${batchId}/schedule` })).json() as { visits: { entity: { code: string }; team: { expertId: number | null; name: string }[] }[] };
    const expertOf = new Map(schedule.visits.map((v) => [v.entity.code, v.team.filter((m) => m.expertId !== null).map((m) => m.name)]));
    expect(expertOf.size).toBe(4);
    for (const code of codes.slice(0, 3)) expect(expertOf.get(code)).toEqual(["回避专家ZJ-R2"]);
    expect(expertOf.get(codes[3]!)).toEqual(["回避专家ZJ-R1"]);
    // the recusals are frozen into the full manifest (for the auditor), never into the public one
    expect(await fullManifest(fx, d.id)).toContain("近亲属在该企业任职");
    const pub = (await publicManifest(fx, d.id)).body;
    for (const secret of ["近亲属在该企业任职", "曾为该企业提供咨询", "ZJ-R1", "ZJ-R2", "回避专家"]) expect(pub).not.toContain(secret);
    const page = await fx.as("public", { method: "GET", url: `/public?q=${codes[3]}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain("近亲属在该企业任职");
  });
});

describe("an inspector's recusal binds the panel draw (专家和人员抽取) of the entity it names", () => {
  let fx: ConsoleFixture;
  afterAll(async () => fx?.close());

  it("the staff seat goes to the one officer of the department not recused from the applicant", async () => {
    fx = await consoleFixture();
    await seedBatch(fx, { entities: 2, count: 1 });
    const p = fx.store.prisma;
    await p.department.create({ data: { code: "T-XZSP-RECUSE", name: "测试市行政审批服务局", level: "city", kind: "approval", districtCode: "460100" } });
    for (let i = 1; i <= 4; i++) expect((await fx.as("admin", { method: "POST", url: "/experts", payload: { name: `验收专家${i}`, certificateNo: `YS-${i}`, specialities: ["结构工程"], districts: ["4601"] } })).statusCode).toBe(201);
    // demoPanels: the applicant is the area's first entity, the staff seat one officer of the first supervising department
    const subject = (await p.entity.findFirstOrThrow({ where: { districtCode: { startsWith: "4601" }, status: "active" }, orderBy: { id: "asc" } })).code;
    const officers = await p.inspector.findMany({ where: { departmentId: fx.dept.a }, orderBy: { id: "asc" } });
    expect(officers).toHaveLength(4);
    for (const o of officers.slice(0, 3)) expect((await fx.as("admin", { method: "POST", url: "/recusals", payload: { kind: "inspector", certificateNo: o.certificateNo, entityCode: subject, reason: "近亲属为申请人股东" } })).statusCode).toBe(201);
    const admin = await p.user.findFirstOrThrow({ where: { role: "admin" } });
    const actor = { userId: admin.id, role: "admin" as const, departmentId: null, actor: "test" };
    const draws = await demoPanels(fx.store, actor, { perBureau: 2 });
    expect(draws).toHaveLength(2);
    for (const id of draws) {
      const d = await getPanelDraw(fx.store, id, actor);
      const staff = d.seats!.find((s) => s.seat === "O1")!;
      expect(staff.persons).toEqual([officers[3]!.certificateNo]);
    }
  });
});

const pg = await pgProblem();
if (pg && REQUIRE_PG) throw new Error(`SSJ_REQUIRE_PG=1 but PostgreSQL at ${PG_URL} is unreachable: ${pg}`);

describe.skipIf(pg !== null)("experts search and recusals on PostgreSQL", () => {
  let fx: Fixture;
  let drop: () => Promise<void> = async () => undefined;
  afterAll(async () => {
    await fx?.close();
    await drop();
  });

  it("searches and pages experts, records, lists and withdraws recusals", async () => {
    const db = await pgSchemaUrl();
    drop = db.drop;
    const store = await openStore({ databaseUrl: db.url });
    await store.migrate();
    fx = await fixture({ store });
    await seedBatch(fx, { entities: 2, count: 1, officers: 1 });
    for (let i = 1; i <= 7; i++) expect((await fx.as("admin", { method: "POST", url: "/experts", payload: { name: `库专家${i}`, certificateNo: `PG-${i}`, organization: i <= 3 ? "西北大学" : "测试研究院", specialities: ["食品安全"], districts: ["4601"] } })).statusCode).toBe(201);
    const page = (await fx.as("admin", { method: "GET", url: "/experts/search?q=%E8%A5%BF%E5%8C%97&department=shared&limit=2&offset=2" })).json();
    expect(page).toMatchObject({ total: 3, items: [{ certificateNo: "PG-3" }] });
    const cert = (await store.prisma.inspector.findFirstOrThrow()).certificateNo;
    const code = (await store.prisma.entity.findFirstOrThrow()).code;
    expect((await fx.as("admin", { method: "POST", url: "/recusals", payload: { kind: "inspector", certificateNo: cert, entityCode: code, reason: "亲属" } })).statusCode).toBe(201);
    const made = await fx.as("admin", { method: "POST", url: "/recusals", payload: { kind: "expert", certificateNo: "PG-2", entityCode: code, reason: "咨询" } });
    expect(made.statusCode, made.body).toBe(201);
    const all = (await fx.as("auditor", { method: "GET", url: `/recusals?entity=${code.slice(0, 10)}&limit=1&offset=1` })).json();
    expect(all).toMatchObject({ total: 2, items: [{ kind: "expert", person: { certificateNo: "PG-2" }, entity: { code } }] });
    expect((await fx.as("admin", { method: "DELETE", url: `/recusals/expert/${made.json().id}` })).statusCode).toBe(204);
    expect((await fx.as("admin", { method: "GET", url: "/recusals" })).json().total).toBe(1);
  });
});
