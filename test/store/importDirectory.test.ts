import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore, readAuditLog, verifyStoredAuditChain, type Store } from "../../src/store/index.ts";
import { importDirectory, type DirectoryImportReport, type ImportDirectoryOptions } from "../../src/store/import/index.ts";
import { ImportError } from "../../src/directories/import/index.ts";
import { badChecksum, creditCode, csv, registrationNumber } from "../directories/helpers.ts";
import { providers } from "./helpers.ts";

const HEADER = "统一社会信用代码,名称,区划码,地址,行业代码,主体类型,状态,风险等级,成立日期";

/** n valid entity lines (codes creditCode(1..n)). */
function entityLines(n: number, from = 1, name = (i: number) => `企业${i}有限公司`): string[] {
  const out: string[] = [];
  for (let i = from; i < from + n; i++) out.push(`${creditCode(i)},${name(i)},460100,海口市${i}号,F5211,有限责任公司,存续,B,2020-01-05`);
  return out;
}

async function* failingAfter(buf: Buffer, bytes: number): AsyncGenerator<Uint8Array> {
  yield buf.subarray(0, bytes);
  throw new Error("disk read failed");
}

/** Everything an import may touch, to compare before/after. */
async function snapshot(s: Store) {
  return {
    entities: await s.prisma.entity.findMany({ orderBy: { code: "asc" } }),
    inspectors: await s.prisma.inspector.findMany({ orderBy: { certificateNo: "asc" } }),
    audit: (await readAuditLog(s.prisma)).length,
  };
}

for (const p of await providers()) {
  describe.skipIf(p.skip)(`importDirectory on ${p.kind}`, () => {
    const dbs = p.make();
    let s: Store;
    let deptId: number;
    const run = (o: Partial<ImportDirectoryOptions> & Pick<ImportDirectoryOptions, "source">): Promise<DirectoryImportReport> =>
      importDirectory(s, { kind: "entities", fileName: "test.csv", actor: "cli:tester", batchSize: 7, ...o });

    beforeAll(async () => {
      s = await openStore({ databaseUrl: await dbs.fresh() });
      await s.migrate();
      deptId = (await s.prisma.department.create({ data: { code: "460100-SCJG", name: "海口市市场监督管理局", level: "city", districtCode: "460100" } })).id;
      await s.prisma.department.create({ data: { code: "460100-WJW", name: "海口市卫生健康委员会", level: "city", districtCode: "460100" } });
    });
    afterAll(async () => {
      await s?.close();
      await dbs.dispose();
    });

    it("imports entities, reports rejected and flagged rows, keeps valid ones, audits once", async () => {
      const bad = badChecksum(creditCode(31));
      const file = csv([
        HEADER,
        ...entityLines(30),
        `${bad},旧代码企业,460100,,,,存续,,`, // row 32: flagged checksum, kept
        `${registrationNumber(7)},个体户七,460100,,,个体工商户,存续,A,`, // row 33: 注册号
        `9.13501E+17,科学计数法,460100,,,,,,`, // row 34: rejected excelNumber
        `${creditCode(40)},,460100,,,,,,`, // row 35: rejected name required
        `${creditCode(41)},状态怪异,460100,,,,冬眠,,`, // row 36: rejected unknownStatus (store rule)
        `${creditCode(1)},重复,460100,,,,,,`, // row 37: rejected duplicate
      ]);
      const before = (await readAuditLog(s.prisma)).length;
      const r = await run({ source: file, fileName: "entities.csv" });
      expect(r).toMatchObject({ kind: "entities", format: "csv", rowsRead: 36, accepted: 32, rejected: 4, flagged: 1, created: 32, updated: 0, unchanged: 0 });
      expect(r.sha256).toMatch(/^[0-9a-f]{64}$/);
      const rejected = r.issues.filter((i) => i.severity === "error").map((i) => [i.row, i.field, i.rule]);
      expect(rejected).toEqual([
        [34, "code", "excelNumber"],
        [35, "name", "required"],
        [36, "status", "unknownStatus"],
        [37, "code", "duplicate"],
      ]);
      expect(r.issues.filter((i) => i.severity === "flag").map((i) => [i.row, i.field, i.rule])).toEqual([[32, "code", "checksum"]]);
      expect(r.issueCounts).toMatchObject({ "code:excelNumber": 1, "name:required": 1, "status:unknownStatus": 1, "code:duplicate": 1, "code:checksum": 1 });

      expect(await s.prisma.entity.count()).toBe(32);
      const flagged = await s.prisma.entity.findUniqueOrThrow({ where: { code: bad } });
      expect(flagged).toMatchObject({ checksumFailed: true, codeKind: "uscc", name: "旧代码企业", status: "active", kind: "enterprise" });
      const e5 = await s.prisma.entity.findUniqueOrThrow({ where: { code: creditCode(5) } });
      expect(e5).toMatchObject({ checksumFailed: false, name: "企业5有限公司", districtCode: "460100", address: "海口市5号", industryCode: "F5211", kind: "enterprise", riskClass: "B", establishedOn: "2020-01-05" });
      expect(e5.createdAt).toBeInstanceOf(Date);
      expect(await s.prisma.entity.findUniqueOrThrow({ where: { code: registrationNumber(7) } })).toMatchObject({ codeKind: "regno", kind: "individual", riskClass: "A" });
      expect(await s.prisma.entity.findUnique({ where: { code: creditCode(40) } })).toBeNull();

      const log = await readAuditLog(s.prisma);
      expect(log.length).toBe(before + 1);
      const entry = log[log.length - 1]!;
      expect(entry).toMatchObject({ seq: r.auditSeq, actor: "cli:tester", action: "import.entities", subject: "directory:entities" });
      expect(JSON.parse(entry.payload)).toMatchObject({ file: "entities.csv", sha256: r.sha256, created: 32, rejected: 4, flagged: 1 });
      expect(await verifyStoredAuditChain(s.prisma)).toMatchObject({ ok: true });
    });

    it("is idempotent: the same file again changes nothing and says so; a changed file updates", async () => {
      const file = csv([HEADER, ...entityLines(30)]);
      const snap = await snapshot(s);
      const again = await run({ source: file });
      expect(again).toMatchObject({ accepted: 30, created: 0, updated: 0, unchanged: 30 });
      const after = await snapshot(s);
      expect(after.entities).toEqual(snap.entities);
      expect(after.audit).toBe(snap.audit + 1);

      const changed = csv([HEADER, ...entityLines(2, 1).map((l) => l.replace(",存续,", ",注销,")), ...entityLines(28, 3), ...entityLines(1, 100)]);
      const r = await run({ source: changed });
      expect(r).toMatchObject({ accepted: 31, created: 1, updated: 2, unchanged: 28 });
      const e1 = await s.prisma.entity.findUniqueOrThrow({ where: { code: creditCode(1) } });
      expect(e1.status).toBe("deregistered");
      expect(e1.statusChangedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(await s.prisma.entity.count()).toBe(33);
    });

    it("does not wipe optional columns the file does not have", async () => {
      const r = await run({ source: csv(["统一社会信用代码,名称,区划码", `${creditCode(5)},企业5有限公司,460100`]) });
      expect(r).toMatchObject({ accepted: 1, created: 0, updated: 0, unchanged: 1 });
      const e5 = await s.prisma.entity.findUniqueOrThrow({ where: { code: creditCode(5) } });
      expect(e5).toMatchObject({ riskClass: "B", address: "海口市5号", status: "active", establishedOn: "2020-01-05" });
      const renamed = await run({ source: csv(["统一社会信用代码,名称,区划码", `${creditCode(5)},企业五有限公司,460100`]) });
      expect(renamed).toMatchObject({ updated: 1, unchanged: 0 });
      expect(await s.prisma.entity.findUniqueOrThrow({ where: { code: creditCode(5) } })).toMatchObject({ name: "企业五有限公司", riskClass: "B" });
    });

    it("a rejected file (bad header) leaves the database as it was", async () => {
      const snap = await snapshot(s);
      await expect(run({ source: csv(["名字,地方", "a,b"]) })).rejects.toBeInstanceOf(ImportError);
      await expect(run({ source: csv(["统一社会信用代码,地址", `${creditCode(3)},x`]) })).rejects.toMatchObject({ code: "header" });
      expect(await snapshot(s)).toEqual(snap);
    });

    it("a failure mid-way (failing batch, failing source, failing write) leaves the database as it was", async () => {
      const snap = await snapshot(s);
      const file = csv([HEADER, ...entityLines(60, 200)]);
      // 1. the third batch fails (after two batches were written)
      let batches = 0;
      await expect(
        run({
          source: file,
          onProgress: (pr) => {
            if (pr.phase === "importing" && ++batches === 3) throw new Error("injected failure in batch 3");
          },
        }),
      ).rejects.toThrow("injected failure in batch 3");
      expect(batches).toBe(3);
      // 2. the source breaks after some rows
      await expect(run({ source: failingAfter(file, Math.floor(file.length / 2)) })).rejects.toThrow("disk read failed");
      expect(await snapshot(s)).toEqual(snap);
      // the store still works afterwards
      const ok = await run({ source: file });
      expect(ok.created).toBe(60);
    });

    it.skipIf(p.kind !== "sqlite")("big files (checks deferred): the CHECK triggers are back afterwards, also after a failure", async () => {
      const raw = (s as Extract<Store, { kind: "sqlite" }>).raw;
      const triggers = () => (raw.prepare(`SELECT count(*) AS n FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'entities'`).get() as { n: number }).n;
      const n0 = triggers();
      expect(n0).toBeGreaterThanOrEqual(20);
      const r = await run({ source: csv([HEADER, ...entityLines(20, 500)]), deferChecksFrom: 0 });
      expect(r).toMatchObject({ created: 20, unchanged: 0 });
      expect(triggers()).toBe(n0);
      const snap = await snapshot(s);
      const failing = () => {
        throw new Error("injected");
      };
      await expect(run({ source: csv([HEADER, ...entityLines(20, 600)]), deferChecksFrom: 0, onProgress: failing })).rejects.toThrow("injected");
      expect(triggers()).toBe(n0);
      expect(await snapshot(s)).toEqual(snap);
      // and they still guard the table
      expect(() => raw.prepare(`INSERT INTO entities (code, code_kind, name, district_code, kind) VALUES (?, 'uscc', 'x', '460100', 'bogus')`).run(creditCode(700))).toThrow(/entities_kind/);
    });

    it("a big file into an empty table: plain inserts, indexes rebuilt, same result", async () => {
      const s2 = await openStore({ databaseUrl: await dbs.fresh() });
      try {
        await s2.migrate();
        const schemaOf = async () =>
          s2.kind === "sqlite"
            ? s2.raw.prepare(`SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'entities' ORDER BY name`).all()
            : (await s2.raw.query(`SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'entities' ORDER BY 1`)).rows;
        const before = await schemaOf();
        expect(before.length).toBeGreaterThanOrEqual(3);
        const file = csv([HEADER, ...entityLines(25), `${badChecksum(creditCode(90))},旧,460100,,,,注销,,`]);
        const r = await importDirectory(s2, { kind: "entities", source: file, fileName: "big.csv", actor: "t", batchSize: 4, deferChecksFrom: 0 });
        expect(r).toMatchObject({ accepted: 26, created: 26, updated: 0, unchanged: 0, flagged: 1 });
        expect(await schemaOf()).toEqual(before);
        expect(await s2.prisma.entity.findUniqueOrThrow({ where: { code: badChecksum(creditCode(90)) } })).toMatchObject({ checksumFailed: true, status: "deregistered" });
        const again = await importDirectory(s2, { kind: "entities", source: file, fileName: "big.csv", actor: "t", deferChecksFrom: 0 });
        expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 26 });
        expect(await verifyStoredAuditChain(s2.prisma)).toMatchObject({ ok: true, count: 2 });
      } finally {
        await s2.close();
      }
    });

    it("imports inspectors by certificate number; unknown department rejects the row, not the file", async () => {
      const file = csv([
        "执法证号,姓名,部门,资质,专长,区划,在岗",
        "46010001,张三,460100-SCJG,行政执法；食品,食品安全、特种设备,460105；460106,是",
        "46010002,李四,海口市卫生健康委员会,行政执法,公共卫生,460106,否",
        "46010003,王五,不存在的局,行政执法,,460105,是",
        "46010004,赵六,,行政执法,,460105,是",
        "46010005,钱七,460100-SCJG,,,,",
      ]);
      const r = await importDirectory(s, { kind: "inspectors", source: file, fileName: "inspectors.csv", actor: "cli:tester" });
      expect(r).toMatchObject({ kind: "inspectors", rowsRead: 5, accepted: 3, rejected: 2, created: 3, updated: 0, unchanged: 0 });
      expect(r.issues.map((i) => [i.row, i.field, i.rule])).toEqual([
        [4, "department", "unknownDepartment"],
        [5, "department", "required"],
      ]);
      const zs = await s.prisma.inspector.findUniqueOrThrow({ where: { certificateNo: "46010001" } });
      expect(zs).toMatchObject({ departmentId: deptId, name: "张三", qualifications: ["行政执法", "食品"], specialities: ["食品安全", "特种设备"], districts: ["460105", "460106"], active: true });
      expect(await s.prisma.inspector.findUniqueOrThrow({ where: { certificateNo: "46010002" } })).toMatchObject({ active: false });
      expect(await s.prisma.inspector.findUnique({ where: { certificateNo: "46010003" } })).toBeNull();

      const snap = await snapshot(s);
      const again = await importDirectory(s, { kind: "inspectors", source: file, fileName: "inspectors.csv", actor: "cli:tester" });
      expect(again).toMatchObject({ accepted: 3, created: 0, updated: 0, unchanged: 3 });
      expect((await snapshot(s)).inspectors).toEqual(snap.inspectors);

      const moved = await importDirectory(s, {
        kind: "inspectors",
        source: csv(["执法证号,姓名,部门,专长", "46010001,张三,460100-WJW,食品安全"]),
        fileName: "x.csv",
        actor: "cli:tester",
      });
      expect(moved).toMatchObject({ updated: 1, unchanged: 0 });
      // qualifications/districts are not in that file: kept
      expect(await s.prisma.inspector.findUniqueOrThrow({ where: { certificateNo: "46010001" } })).toMatchObject({
        departmentId: (await s.prisma.department.findUniqueOrThrow({ where: { code: "460100-WJW" } })).id,
        specialities: ["食品安全"],
        qualifications: ["行政执法", "食品"],
        districts: ["460105", "460106"],
      });
      expect(await verifyStoredAuditChain(s.prisma)).toMatchObject({ ok: true });
    });
  });
}
