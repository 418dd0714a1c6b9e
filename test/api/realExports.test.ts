/**
 * Issue 9, "real exports": the synthetic corpus (test/directories/corpus.ts) shaped like
 * registration-system exports, imported through the API and the CLI on SQLite and PostgreSQL,
 * with the exact outcome of every kind of row; templates, --map, --district, the change list
 * (全记录) of an import, and item lists that name their own departments.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import ExcelJS from "exceljs";
import { main } from "../../src/cli/main.ts";
import { openStore } from "../../src/store/index.ts";
import { legacyKey } from "../../src/directories/creditCode.ts";
import { templateHeaders } from "../../src/directories/import/index.ts";
import { countyXls, COUNTY, CSV_DIVISION, inspectorsXlsx, pinyinXlsx, PINYIN_DIVISION, regNo, unifiedCodeCsv, wrongRegCheck, type Expected } from "../directories/corpus.ts";
import { fixture, pgProblem, pgSchemaUrl, PG_URL, REQUIRE_PG, type Fixture } from "./helpers.ts";

const problem = await pgProblem();
if (problem && REQUIRE_PG) throw new Error(`SSJ_REQUIRE_PG=1 but PostgreSQL at ${PG_URL} is unreachable: ${problem}`);
if (problem) console.warn(`[skip] real-export corpus on PostgreSQL: ${PG_URL} unreachable (${problem})`);

const HAINAN_ITEMS = resolve(import.meta.dirname, "../../../shared/data/real/hainan-2020-random-inspection-items.xlsx");

function multipart(fileName: string, content: Uint8Array | string) {
  const boundary = "----ssjcorpus" + Math.random().toString(16).slice(2);
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { payload: Buffer.concat([head, Buffer.from(content), tail]), headers: { "content-type": `multipart/form-data; boundary=${boundary}` } };
}

type Report = Omit<Expected, "ignoredColumns"> & { format: string; created: number; updated: number; unchanged: number; ignoredColumns: { index: number; header: string }[]; changes: { importId: string; created: number; updated: number; parts: number }; issues: { row: number; field: string | null; rule: string; severity: string; message: string }[]; warnings: string[] };

function expectReport(r: Report, e: Expected) {
  expect(r.issues.length).toBe(Object.values(e.issueCounts).reduce((a, b) => a + b, 0));
  expect({ rowsRead: r.rowsRead, accepted: r.accepted, rejected: r.rejected, flagged: r.flagged }).toEqual({ rowsRead: e.rowsRead, accepted: e.accepted, rejected: e.rejected, flagged: e.flagged });
  expect(r.issueCounts).toEqual(e.issueCounts);
  expect(r.ignoredColumns.map((c) => c.header)).toEqual(e.ignoredColumns);
}

for (const backend of ["sqlite", "postgresql"] as const) {
  describe.skipIf(backend === "postgresql" && problem !== null)(`real-export corpus (${backend})`, () => {
    let fx: Fixture;
    let drop: (() => Promise<void>) | undefined;
    let url = "";
    let dir = "";
    const county = countyXls();

    /** Runs `ssj …` against the fixture's database; returns exit code and what it printed. */
    async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
      const old = process.env.DATABASE_URL;
      process.env.DATABASE_URL = url;
      const out: string[] = [];
      const err: string[] = [];
      const log = vi.spyOn(console, "log").mockImplementation((s: unknown) => void out.push(String(s)));
      const error = vi.spyOn(console, "error").mockImplementation((s: unknown) => void err.push(String(s)));
      try {
        return { code: await main(args), out: out.join("\n"), err: err.join("\n") };
      } finally {
        log.mockRestore();
        error.mockRestore();
        if (old === undefined) delete process.env.DATABASE_URL;
        else process.env.DATABASE_URL = old;
      }
    }
    const file = (name: string, bytes: Uint8Array | string) => {
      const p = join(dir, name);
      writeFileSync(p, bytes);
      return p;
    };
    const upload = async (kind: string, name: string, bytes: Uint8Array | string, query = "") =>
      fx.as("admin", { method: "POST", url: `/imports/${kind}${query}`, ...multipart(name, bytes) });

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), "ssj-corpus-"));
      if (backend === "postgresql") {
        const db = await pgSchemaUrl();
        drop = db.drop;
        url = db.url;
        const store = await openStore({ databaseUrl: db.url });
        await store.migrate();
        fx = await fixture({ store });
      } else {
        fx = await fixture();
        url = `file:${(fx.store as { path: string }).path}`;
      }
    });
    afterAll(async () => {
      await fx?.close();
      await drop?.();
      rmSync(dir, { recursive: true, force: true });
    });

    it("the county's legacy .xls imports as it is: every row stored or reported with its reason (API)", async () => {
      const res = await upload("entities", "万宁市主体名录.xls", county.bytes);
      expect(res.statusCode, res.body).toBe(200);
      const r = res.json() as Report;
      expect(r.format).toBe("xls");
      expectReport(r, county.expected);
      expect(r).toMatchObject({ created: 631, updated: 0, unchanged: 0, districtFrom: "code" });
      expect(r.changes).toMatchObject({ created: 631, updated: 0 });
      const p = fx.store.prisma;
      expect(await p.entity.count()).toBe(631);
      // district derived from the codes (no 区划码 column); the unknown division kept as it is
      expect(await p.entity.count({ where: { districtCode: COUNTY } })).toBe(629);
      expect(await p.entity.count({ where: { districtCode: "469099" } })).toBe(2);
      // dates in four forms, the ambiguous ones left empty; statuses as the system writes them
      for (const k of [1, 2, 3, 4, 5, 299, 600]) {
        const e = county.enterprises[k - 1]!;
        expect(await p.entity.findUniqueOrThrow({ where: { code: e.code } }), `row ${k}`).toMatchObject({ establishedOn: e.establishedOn, status: e.status, kind: "enterprise", districtCode: COUNTY });
      }
      expect((await p.entity.findUniqueOrThrow({ where: { code: county.enterprises[49]!.code } })).establishedOn).toBeNull();
      // a 15-digit 注册号 in a number cell is intact; a wrong check digit is kept and flagged
      expect(await p.entity.findUniqueOrThrow({ where: { code: regNo(COUNTY, 90_005) } })).toMatchObject({ codeKind: "regno", kind: "individual", establishedOn: "2012-06-15" });
      expect(await p.entity.findUniqueOrThrow({ where: { code: wrongRegCheck(regNo(COUNTY, 90_001)) } })).toMatchObject({ checksumFailed: true });
      // legacy numbers under their normalized key, as written kept
      expect(await p.entity.findUniqueOrThrow({ where: { code: "469006NA000130X" } })).toMatchObject({ codeKind: "legacy", codeAsWritten: "469006NA000130X", kind: "cooperative" });
      expect(await p.entity.count({ where: { codeKind: "legacy" } })).toBe(9);
      // the personal columns were not imported, and the report says so
      expect(JSON.stringify(await p.entity.findMany({ take: 5 }))).not.toMatch(/示例代表人|0000-0000000/);
      const row = (rule: string) => r.issues.filter((i) => i.rule === rule).map((i) => i.row);
      expect(row("placeholder")).toEqual([637, 638, 639]);
      expect(row("duplicate")).toEqual([644]);
      expect(r.issues.find((i) => i.rule === "dateAmbiguous")!.message).toMatch(/两种读法/);
      expect(r.issues.find((i) => i.rule === "excelNumber")!.message).not.toMatch(/got 15|需要 15 位.*15 位/);
    });

    it("again with --district (CLI): the 企独琼总字 numbers are kept and flagged; the rest is unchanged; the change list says which", async () => {
      const path = file("county.xls", county.bytes);
      const r1 = await cli(["import", "entities", path, "--district", COUNTY, "--json"]);
      expect(r1.code, r1.err).toBe(0);
      const r = JSON.parse(r1.out) as Report;
      expectReport(r, county.expectedWithDistrict);
      expect(r).toMatchObject({ created: 3, updated: 0, unchanged: 631 });
      const keys = [1, 2, 3].map((i) => legacyKey(`企独琼总字第00824${i}号`));
      expect(await fx.store.prisma.entity.count({ where: { code: { in: keys }, districtCode: COUNTY } })).toBe(3);
      const list = await fx.as("auditor", { method: "GET", url: `/imports/${r.changes.importId}/changes` });
      expect(list.statusCode, list.body).toBe(200);
      expect(list.json()).toMatchObject({ verified: true, created: 3, updated: 0, parts: 1, action: "import.entities" });
      const part = await fx.as("admin", { method: "GET", url: `/imports/${r.changes.importId}/changes/0` });
      expect(part.json().created.sort()).toEqual(keys.sort());
      expect((await fx.as("admin", { method: "GET", url: `/imports/${r.changes.importId}/changes/1` })).statusCode).toBe(404);
      expect((await fx.as("officerA", { method: "GET", url: `/imports/${r.changes.importId}/changes` })).statusCode).toBe(403);
      // the text report names the columns it did not import
      const text = await cli(["import", "entities", path, "--district", COUNTY]);
      expect(text.code).toBe(0);
      expect(text.out).toMatch(/读取 641 行，接受 634 行（新增 0，更新 0，未变 634），拒绝 7 行/);
      expect(text.out).toContain("未导入的列（4）：第 1 列“序号”、第 6 列“法定代表人”、第 10 列“登记机关”、第 11 列“联系电话”");
      expect(text.out).toMatch(/文件没有区划码列，已由统一社会信用代码/);
      // a district that is not 6 digits is bad usage
      expect((await cli(["import", "entities", path, "--district", "46"])).code).toBe(2);
      expect((await upload("entities", "c.xls", county.bytes, "?district=46")).statusCode).toBe(400);
    });

    it("pinyin headers (.xlsx, CLI then API): number and date cells, statuses as the system writes them", async () => {
      const { bytes, expected } = await pinyinXlsx();
      const r1 = await cli(["import", "entities", file("pinyin.xlsx", bytes), "--json"]);
      expect(r1.code, r1.err).toBe(0);
      const r = JSON.parse(r1.out) as Report;
      expectReport(r, expected);
      expect(r).toMatchObject({ created: 50, updated: 0 });
      const p = fx.store.prisma;
      expect(await p.entity.count({ where: { districtCode: PINYIN_DIVISION } })).toBe(50);
      expect(await p.entity.count({ where: { districtCode: PINYIN_DIVISION, status: "revoked" } })).toBe(8);
      expect(await p.entity.count({ where: { districtCode: PINYIN_DIVISION, codeKind: "regno", establishedOn: "2014-05-30" } })).toBe(10);
      const again = await upload("entities", "pinyin.xlsx", bytes);
      expect(again.json()).toMatchObject({ accepted: 50, created: 0, updated: 0, unchanged: 50 });
    });

    it("a header only --map explains: refused without it (naming the column), imported with it (API and CLI), GB18030", async () => {
      const { bytes, expected, map } = unifiedCodeCsv();
      const before = await fx.store.prisma.auditLog.count();
      const refused = await upload("entities", "秀英.csv", bytes);
      expect(refused.statusCode).toBe(422);
      expect(refused.json().message).toMatch(/名称.*--map 列名=name/);
      expect(await fx.store.prisma.auditLog.count()).toBe(before);
      const q = "?" + Object.entries(map).map(([k, v]) => `map=${encodeURIComponent(`${k}=${v ?? "-"}`)}`).join("&");
      const res = await upload("entities", "秀英.csv", bytes, q);
      expect(res.statusCode, res.body).toBe(200);
      const r = res.json() as Report;
      expect(r.format).toBe("csv");
      expectReport(r, expected);
      expect(r.created).toBe(13);
      expect(await fx.store.prisma.entity.count({ where: { districtCode: CSV_DIVISION, kind: "individual" } })).toBe(13);
      const c = await cli(["import", "entities", file("xy.csv", bytes), "--map", "商户名称=name", "--map=备注=-", "--json"]);
      expect(c.code, c.err).toBe(0);
      expect(JSON.parse(c.out)).toMatchObject({ accepted: 13, unchanged: 13 });
      expect((await upload("entities", "秀英.csv", bytes, "?map=商户名称")).statusCode).toBe(400);
      expect((await upload("entities", "秀英.csv", bytes, `?map=${encodeURIComponent("商户名称=nonsense")}`)).statusCode).toBe(422);
    });

    it("inspector files with 执法姓名 / 执法类别 / 证件编号", async () => {
      const dept = await fx.store.prisma.department.findUniqueOrThrow({ where: { id: fx.dept.a } });
      const { bytes, expected } = await inspectorsXlsx(dept.name);
      const res = await upload("inspectors", "执法人员.xlsx", bytes);
      expect(res.statusCode, res.body).toBe(200);
      expectReport(res.json(), expected);
      const one = await fx.store.prisma.inspector.findUniqueOrThrow({ where: { certificateNo: "460000000003" } });
      expect(one).toMatchObject({ name: "示例执法员3", departmentId: fx.dept.a });
      expect(one.qualifications).toEqual(["市场监管综合执法"]);
      const again = await cli(["import", "inspectors", file("inspectors.xlsx", bytes), "--json"]);
      expect(again.code, again.err).toBe(0);
      expect(JSON.parse(again.out)).toMatchObject({ rowsRead: 9, accepted: 8, rejected: 1, created: 0, updated: 0, unchanged: 8 });
    });

    it("templates (API and CLI) carry the expected headers and import as they are", async () => {
      await fx.store.prisma.department.create({ data: { code: "D01", name: "模板示例部门", level: "city", districtCode: "610100" } });
      for (const kind of ["entities", "inspectors", "items", "joint-items"] as const) {
        const res = await fx.as("officerA", { method: "GET", url: `/imports/templates/${kind}` });
        expect(res.statusCode).toBe(200);
        expect(res.headers["content-type"]).toMatch(/spreadsheetml/);
        const wb = new ExcelJS.Workbook();
        await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
        expect((wb.worksheets[0]!.getRow(2).values as unknown[]).slice(1)).toEqual(templateHeaders(kind));
        const up = await upload(kind, `${kind}.xlsx`, res.rawPayload);
        expect(up.statusCode, up.body).toBe(200);
        expect(up.json(), kind).toMatchObject({ rowsRead: 1, accepted: 1, rejected: 0 });
      }
      const out = join(dir, "模板.xlsx");
      const t = await cli(["import", "template", "entities", out]);
      expect(t.code).toBe(0);
      expect(existsSync(out)).toBe(true);
      const again = await cli(["import", "entities", out, "--json"]);
      expect(JSON.parse(again.out)).toMatchObject({ accepted: 1, unchanged: 1 });
      expect((await fx.as("admin", { method: "GET", url: "/imports/templates/nonsense" })).statusCode).toBe(400);
    });

    it.skipIf(!existsSync(HAINAN_ITEMS))("an item list that names its own departments refuses --department; nothing is written", async () => {
      const bytes = new Uint8Array(readFileSync(HAINAN_ITEMS));
      const before = await fx.store.prisma.inspectionItem.count();
      const res = await upload("items", "items.xlsx", bytes, `?department=${fx.dept.b}`);
      expect(res.statusCode).toBe(422);
      expect(res.json()).toMatchObject({ code: "LIST_NAMES_DEPARTMENTS", field: "department" });
      expect(res.json().message).toMatch(/16 个部门/);
      expect(await fx.store.prisma.inspectionItem.count()).toBe(before);
      const c = await cli(["import", "items", file("items.xlsx", bytes), "--department", String(fx.dept.b)]);
      expect(c.code).toBe(2);
      expect(c.err).toMatch(/16 个部门/);
    });
  });
}
