/**
 * 全记录 of a directory import: the change list in import_changes names every created entity and,
 * for every changed one, the old values of exactly the columns that changed; the audit entry
 * commits to it (digest chain), on SQLite and PostgreSQL alike.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { openStore, readAuditLog, type Store } from "../../src/store/index.ts";
import { importDirectory, verifyChangeParts, type DirectoryImportReport, type ImportDirectoryOptions } from "../../src/store/import/index.ts";
import { ChangeLog } from "../../src/store/import/changeLog.ts";
import { importChangeList, importChangePart } from "../../src/store/repos/imports.ts";
import { creditCode, csv } from "../directories/helpers.ts";
import { providers } from "./helpers.ts";

const HEADER = "统一社会信用代码,名称,区划码,地址,状态,风险等级";
const line = (i: number, o: { name?: string; status?: string; risk?: string; address?: string } = {}) =>
  `${creditCode(i)},${o.name ?? `企业${i}有限公司`},460100,${o.address ?? `海口市${i}号`},${o.status ?? "存续"},${o.risk ?? "B"}`;

async function parts(s: Store, importId: string) {
  return s.prisma.importChange.findMany({ where: { importId }, orderBy: { part: "asc" }, select: { part: true, changes: true, digest: true } });
}

for (const p of await providers()) {
  describe.skipIf(p.skip)(`import change list (全记录) on ${p.kind}`, () => {
    const dbs = p.make();
    let s: Store;
    const run = (o: Partial<ImportDirectoryOptions> & Pick<ImportDirectoryOptions, "source">): Promise<DirectoryImportReport> =>
      importDirectory(s, { kind: "entities", fileName: "changes.csv", actor: "cli:tester", batchSize: 3, ...o });

    beforeAll(async () => {
      s = await openStore({ databaseUrl: await dbs.fresh() });
      await s.migrate();
    });
    afterAll(async () => {
      await s?.close();
      await dbs.dispose();
    });

    it("the first import lists every created code; the audit entry commits to the list", async () => {
      const r = await run({ source: csv([HEADER, ...[1, 2, 3, 4, 5].map((i) => line(i))]) });
      expect(r).toMatchObject({ created: 5, updated: 0 });
      expect(r.changes).toMatchObject({ created: 5, updated: 0, parts: 1 });
      const stored = await parts(s, r.changes.importId);
      expect(stored).toHaveLength(1);
      const body = JSON.parse(stored[0]!.changes);
      expect(body.created.sort()).toEqual([1, 2, 3, 4, 5].map((i) => creditCode(i)).sort());
      expect(body.updated).toEqual([]);
      expect(verifyChangeParts(r.changes, stored)).toBeNull();
      const audit = (await readAuditLog(s.prisma)).find((a) => a.seq === r.auditSeq)!;
      expect(JSON.parse(audit.payload).changes).toEqual(r.changes);
    });

    it("a second import records the old values of exactly what changed; unchanged rows are not listed", async () => {
      const r = await run({
        source: csv([
          HEADER,
          line(1, { name: "企业一改名有限公司" }), // name changed
          line(2, { status: "注销" }), // status changed (and its date)
          line(3), // unchanged
          line(4, { risk: "D", address: "海口市新址" }), // two columns changed
          line(5),
          line(6), // new
        ]),
      });
      expect(r).toMatchObject({ created: 1, updated: 3, unchanged: 2 });
      expect(r.changes).toMatchObject({ created: 1, updated: 3 });
      const list = await importChangeList(s, r.changes.importId);
      expect(list).toMatchObject({ verified: true, problem: null, created: 1, updated: 3, auditSeq: r.auditSeq, file: "changes.csv", action: "import.entities" });
      const all = { created: [] as string[], updated: [] as { key: string; old: Record<string, unknown> }[] };
      for (let n = 0; n < list.parts; n++) {
        const part = await importChangePart(s, r.changes.importId, n);
        all.created.push(...part.created);
        all.updated.push(...part.updated);
      }
      expect(all.created).toEqual([creditCode(6)]);
      const old = Object.fromEntries(all.updated.map((u) => [u.key, u.old]));
      expect(Object.keys(old).sort()).toEqual([1, 2, 4].map((i) => creditCode(i)).sort());
      expect(old[creditCode(1)]).toEqual({ name: "企业1有限公司" });
      expect(old[creditCode(2)]).toEqual({ status: "active" });
      expect(old[creditCode(4)]).toEqual({ risk_class: "B", address: "海口市4号" });
      // the stored rows now hold the new values
      expect(await s.prisma.entity.findUniqueOrThrow({ where: { code: creditCode(1) } })).toMatchObject({ name: "企业一改名有限公司" });
    });

    it("inspectors: list columns, department and 在岗 changes keep their old values in the stored form", async () => {
      const d1 = (await s.prisma.department.create({ data: { code: "CL-1", name: "变更测试一局", level: "city", districtCode: "460100" } })).id;
      const d2 = (await s.prisma.department.create({ data: { code: "CL-2", name: "变更测试二局", level: "city", districtCode: "460100" } })).id;
      const head = "执法证号,姓名,部门,资质,区划,在岗";
      const first = await run({ kind: "inspectors", source: csv([head, "CL0001,示例甲,CL-1,行政执法；食品,460105；460106,是", "CL0002,示例乙,CL-1,行政执法,460106,是", "CL0003,示例丙,CL-2,,,否"]) });
      expect(first.changes).toMatchObject({ created: 3, updated: 0 });
      const r = await run({ kind: "inspectors", source: csv([head, "CL0001,示例甲,CL-1,行政执法,460105；460106,是", "CL0002,示例乙,CL-2,行政执法,460106,否", "CL0003,示例丙,CL-2,,,否"]) });
      expect(r).toMatchObject({ created: 0, updated: 2, unchanged: 1 });
      const part = await importChangePart(s, r.changes.importId, 0);
      const old = Object.fromEntries(part.updated.map((u) => [u.key, u.old]));
      expect(old).toEqual({ CL0001: { qualifications: ["行政执法", "食品"] }, CL0002: { department_id: d1, active: true } });
      expect(d2).not.toBe(d1);
    });

    it("an import that changes nothing writes no part and says so", async () => {
      const r = await run({ source: csv([HEADER, line(3), line(5)]) });
      expect(r).toMatchObject({ created: 0, updated: 0, unchanged: 2 });
      expect(r.changes).toMatchObject({ parts: 0, created: 0, updated: 0, digest: "0".repeat(64) });
      expect(await importChangeList(s, r.changes.importId)).toMatchObject({ verified: true, parts: 0 });
    });

    it("a list with a part changed, dropped or reordered no longer verifies", async () => {
      const written: { part: number; changes: string; digest: string }[] = [];
      const real = new ChangeLog((_id, part, changes, digest) => void written.push({ part, changes, digest }), 2);
      for (const k of ["A", "B", "C", "D", "E"]) {
        real.created(k);
        await real.maybeFlush();
      }
      real.updated("F", { name: "旧" });
      await real.flush();
      const summary = real.summary();
      expect(summary.parts).toBe(3);
      expect(verifyChangeParts(summary, written)).toBeNull();
      const tampered = written.map((w, i) => (i === 0 ? { ...w, changes: w.changes.replace('"A"', '"Z"') } : w));
      expect(verifyChangeParts(summary, tampered)).toMatch(/摘要不符/);
      expect(verifyChangeParts(summary, written.slice(1))).not.toBeNull();
      await expect(importChangeList(s, "00000000-0000-4000-8000-000000000000")).rejects.toMatchObject({ statusCode: 404 });
      await expect(importChangeList(s, "nonsense")).rejects.toMatchObject({ statusCode: 404 });
    });

    it("property: parts of any size chain, and any single-part edit is caught", async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(fc.string({ minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 40 }), fc.integer({ min: 1, max: 7 }), fc.nat(), async (keys, size, pick) => {
          const written: { part: number; changes: string; digest: string }[] = [];
          const l = new ChangeLog((_id, part, changes, digest) => void written.push({ part, changes, digest }), size);
          for (const k of keys) {
            l.created(k);
            await l.maybeFlush();
          }
          await l.flush();
          const sum = l.summary();
          expect(sum.created).toBe(keys.length);
          expect(written.flatMap((w) => JSON.parse(w.changes).created)).toEqual(keys);
          expect(verifyChangeParts(sum, written)).toBeNull();
          const i = pick % written.length;
          const edited = written.map((w, j) => (j === i ? { ...w, changes: w.changes.replace(/\]/, ',"x"]') } : w));
          expect(verifyChangeParts(sum, edited)).not.toBeNull();
        }),
        { numRuns: 50 },
      );
    });

    it("a part handed to an asynchronous writer is not waited for; settle() waits and reports the first failed write", async () => {
      const order: string[] = [];
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      const l = new ChangeLog(async (_id, part) => {
        await gate;
        order.push(`part ${part}`);
        if (part === 1) throw new Error("part 1 lost");
      }, 1);
      l.created("A");
      await l.flush();
      l.created("B");
      await l.flush();
      order.push("both handed over");
      let settled: unknown = null;
      const settling = l.settle().catch((e: Error) => (settled = e.message));
      await Promise.resolve();
      expect(settled).toBeNull();
      release();
      await settling;
      expect(order).toEqual(["both handed over", "part 0", "part 1"]);
      expect(settled).toBe("part 1 lost");
      expect(l.summary()).toMatchObject({ parts: 2, created: 2 });
    });

    it("a change-list part that cannot be written fails the import with its own error, and nothing of it stays", async () => {
      const raise = "part 1 refused (test)";
      if (s.kind === "sqlite") s.raw.exec(`CREATE TRIGGER "t_part_refused" BEFORE INSERT ON "import_changes" WHEN NEW."part" = 1 BEGIN SELECT RAISE(ABORT, '${raise}'); END`);
      else
        await s.raw.query(
          `CREATE FUNCTION t_part_refused() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.part = 1 THEN RAISE EXCEPTION '${raise}'; END IF; RETURN NEW; END $$;
           CREATE TRIGGER t_part_refused BEFORE INSERT ON import_changes FOR EACH ROW EXECUTE FUNCTION t_part_refused()`,
        );
      try {
        const entities = await s.prisma.entity.count();
        const changeRows = await s.prisma.importChange.count();
        const audits = (await readAuditLog(s.prisma)).length;
        const lines = Array.from({ length: 12_000 }, (_, k) => line(900_000 + k)); // parts 0, 1, 2 (5,000 changes each)
        await expect(run({ source: csv([HEADER, ...lines]), batchSize: 1000 })).rejects.toThrow(raise);
        expect(await s.prisma.entity.count()).toBe(entities);
        expect(await s.prisma.importChange.count()).toBe(changeRows);
        expect((await readAuditLog(s.prisma)).length).toBe(audits);
      } finally {
        if (s.kind === "sqlite") s.raw.exec(`DROP TRIGGER "t_part_refused"`);
        else await s.raw.query(`DROP TRIGGER t_part_refused ON import_changes; DROP FUNCTION t_part_refused()`);
      }
    });
  });
}
