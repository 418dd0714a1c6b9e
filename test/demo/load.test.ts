import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { openStore, readAuditLog, type Store } from "../../src/store/index.ts";
import { bulkInsert, BulkLoadError, checkTriggers, type BulkTable } from "../../src/store/bulk/bulkInsert.ts";
import { demoCity, entityGenerator, loadDemoCity, DemoCityRefused, type DemoLoadProgress } from "../../src/demo/index.ts";
import { parseDemoArgs, parseEntityCount } from "../../src/cli/commands/demo.ts";
import { providers, sqliteTestDb } from "../store/helpers.ts";

const SEED = "load-test";
const N = 3_000;

async function count(s: Store, table: string): Promise<number> {
  if (s.kind === "sqlite") return (s.raw.prepare(`SELECT count(*) AS n FROM "${table}"`).get() as { n: number }).n;
  const r = await s.raw.query(`SELECT count(*)::int AS n FROM "${table}"`);
  return r.rows[0].n as number;
}

async function schemaObjects(s: Store): Promise<string[]> {
  if (s.kind === "sqlite") {
    return (s.raw.prepare("SELECT type || ':' || name AS o FROM sqlite_master WHERE tbl_name = 'entities' ORDER BY 1").all() as { o: string }[]).map((r) => r.o);
  }
  const r = await s.raw.query("SELECT indexname AS o FROM pg_indexes WHERE tablename = 'entities' AND schemaname = current_schema() ORDER BY 1");
  return r.rows.map((x: { o: string }) => x.o);
}

const entityColumns: BulkTable["columns"] = [
  { name: "id", type: "int" },
  { name: "code", type: "text" },
  { name: "code_kind", type: "text" },
  { name: "name", type: "text" },
  { name: "district_code", type: "text" },
  { name: "kind", type: "text" },
];

for (const p of await providers()) {
  describe.skipIf(p.skip)(`demo city load on ${p.kind}`, () => {
    const dbs = p.make();
    let s: Store;
    const progress: DemoLoadProgress[] = [];
    let loaded: Awaited<ReturnType<typeof loadDemoCity>>;

    beforeAll(async () => {
      s = await openStore({ databaseUrl: await dbs.fresh() });
      loaded = await loadDemoCity(s, { seed: SEED, entities: N }, (x) => progress.push(x));
    });
    afterAll(async () => {
      await s?.close();
      await dbs.dispose();
    });

    it("writes the generated city with the right counts", async () => {
      const city = demoCity({ seed: SEED, entities: N });
      const expected = {
        departments: city.departments.length,
        inspection_items: city.items.length,
        joint_templates: city.jointTemplates.length,
        joint_template_partners: city.jointTemplates.reduce((n, t) => n + t.partnerDepartmentIds.length, 0),
        joint_template_items: city.jointTemplates.reduce((n, t) => n + t.itemIds.length, 0),
        entities: N,
        inspectors: city.inspectors.length,
        experts: city.experts.length,
        recusals: city.recusals.length,
      };
      expect(loaded.rows).toEqual(expected);
      for (const [table, n] of Object.entries(expected)) expect(await count(s, table), table).toBe(n);
      expect(await s.isEmpty()).toBe(false);
      const last = progress.at(-1)!;
      expect(last.overallDone).toBe(last.overallTotal);
      expect(last.overallTotal).toBe(Object.values(expected).reduce((a, b) => a + b, 0));
    });

    it("stores rows that read back through Prisma exactly as generated", async () => {
      const gen = entityGenerator({ seed: SEED, entities: N });
      for (const i of [0, 1, 1234, N - 1]) {
        const e = gen.at(i);
        const row = await s.prisma.entity.findUniqueOrThrow({ where: { code: e.code } });
        const { createdAt, updatedAt, codeAsWritten, ...rest } = row;
        expect(codeAsWritten).toBeNull(); // demo codes are generated in their stored form
        expect(createdAt).toBeInstanceOf(Date);
        expect(updatedAt).toBeInstanceOf(Date);
        expect(rest).toEqual(e);
      }
      const city = demoCity({ seed: SEED, entities: N });
      const p1 = await s.prisma.inspector.findUniqueOrThrow({ where: { id: 1 } });
      const { createdAt: _c, unavailable, ...insp } = p1;
      expect(insp).toEqual(city.inspectors[0]);
      expect(unavailable).toBeNull(); // no absences in the demo directory
      const item = await s.prisma.inspectionItem.findUniqueOrThrow({ where: { id: 1 } });
      expect(item.methods).toEqual(city.items[0]!.methods);
      const branch = await s.prisma.department.findUniqueOrThrow({ where: { code: "D01-610113" }, include: { parent: true } });
      expect(branch.parent?.code).toBe("D01");
      const jt = await s.prisma.jointTemplate.findUniqueOrThrow({ where: { code: "JT01" }, include: { partners: true, items: { include: { item: true } } } });
      expect(jt.partners.map((p) => p.departmentId).sort()).toEqual([...city.jointTemplates[0]!.partnerDepartmentIds].sort());
      expect(jt.items.map((x) => x.item.code).sort()).toEqual(["D01-04", "D01-11", "D10-02", "D10-04", "D11-02"]);
      expect(await s.prisma.entity.count({ where: { checksumFailed: true } })).toBe([...gen.entities()].filter((e) => e.checksumFailed).length);
    });

    it("records the load in the audit log", async () => {
      const log = await readAuditLog(s.prisma);
      const entry = log.find((r) => r.action === "demo.load");
      expect(entry?.subject).toBe(`demo-city:${SEED}`);
      expect(JSON.parse(entry!.payload)).toMatchObject({ seed: SEED, entities: N });
    });

    it("leaves id sequences past the loaded ids, so later inserts work", async () => {
      const d = await s.prisma.department.create({ data: { code: "X99", name: "测试部门", level: "city", districtCode: "610100" } });
      expect(d.id).toBeGreaterThan(demoCity({ seed: SEED, entities: 0 }).departments.length);
      const e = await s.prisma.entity.create({ data: { code: "91350100M000100Y43", codeKind: "uscc", name: "示例有限公司", districtCode: "610113", kind: "enterprise" } });
      expect(e.id).toBe(N + 1);
      await s.prisma.entity.delete({ where: { id: e.id } });
      await s.prisma.department.delete({ where: { id: d.id } });
    });

    it("refuses to load into a non-empty database and writes nothing", async () => {
      const before = await count(s, "entities");
      await expect(loadDemoCity(s, { seed: "other", entities: 10 })).rejects.toBeInstanceOf(DemoCityRefused);
      expect(await count(s, "entities")).toBe(before);
    });

    it("rolls back everything when a row breaks a constraint (small and big-table paths)", async () => {
      const s2 = await openStore({ databaseUrl: await dbs.fresh() });
      try {
        await s2.migrate();
        const objectsBefore = await schemaObjects(s2);
        if (s2.kind === "sqlite") {
          // The big-table path recognises the schema's CHECK triggers (else they would fire per row).
          const triggers = checkTriggers(s2.raw, "entities");
          expect(triggers.map((t) => t.name)).toContain("ck_entities_kind_ins");
          for (const t of triggers) expect(t.condition).not.toMatch(/NEW\./);
        }
        const deps: BulkTable = {
          table: "departments",
          columns: [
            { name: "id", type: "int" },
            { name: "code", type: "text" },
            { name: "name", type: "text" },
            { name: "level", type: "text" },
            { name: "district_code", type: "text" },
          ],
          total: 1,
          batches: [[[1, "D01", "西安市市场监督管理局", "city", "610100"]]],
        };
        const good = (i: number) => [i, `9161011300000000${String(i).padStart(2, "0")}`, "uscc", `主体${i}`, "610113", "enterprise"];
        // A bad kind (CHECK) in the second batch.
        const badKind = (): BulkTable => ({ table: "entities", columns: entityColumns, total: 4, batches: [[good(1), good(2)], [good(3), [4, "916101130000000004", "uscc", "x", "610113", "spaceship"]]] });
        // A duplicate code (UNIQUE).
        const dup = (): BulkTable => ({ table: "entities", columns: entityColumns, total: 3, batches: [[good(1), good(2), [3, good(1)[1], "uscc", "x", "610113", "enterprise"]]] });
        for (const rebuildIndexesFrom of [Infinity, 0]) {
          for (const make of [badKind, dup]) {
            const fresh = { ...deps, batches: [[[1, "D01", "西安市市场监督管理局", "city", "610100"]]] };
            const attempt = bulkInsert(s2, [fresh, make()], { rebuildIndexesFrom });
            if (s2.kind === "sqlite" && rebuildIndexesFrom === 0 && make === badKind) {
              // The deferred set-based check names the violated constraint.
              await expect(attempt).rejects.toMatchObject({ reason: "constraint", message: expect.stringContaining("ck_entities_kind") });
            } else await expect(attempt).rejects.toThrow();
            expect(await count(s2, "departments")).toBe(0);
            expect(await count(s2, "entities")).toBe(0);
            expect(await schemaObjects(s2)).toEqual(objectsBefore);
          }
        }
        // The big-table path still loads good rows and keeps the constraints afterwards.
        const ok = await bulkInsert(s2, [{ table: "entities", columns: entityColumns, total: 3, batches: [[good(1), good(2), good(3)]] }], { rebuildIndexesFrom: 0 });
        expect(ok.rows).toEqual({ entities: 3 });
        expect(await schemaObjects(s2)).toEqual(objectsBefore);
        await expect(s2.prisma.entity.create({ data: { code: good(1)[1] as string, codeKind: "uscc", name: "重复", districtCode: "610113", kind: "enterprise" } })).rejects.toThrow();
        await expect(s2.prisma.entity.create({ data: { code: "916101130000000099", codeKind: "uscc", name: "坏", districtCode: "610113", kind: "spaceship" } })).rejects.toThrow();
        await expect(bulkInsert(s2, [{ table: "entities", columns: entityColumns, total: 0, batches: [] }], { requireEmpty: true })).rejects.toMatchObject({
          reason: "not-empty",
        });
        await expect(bulkInsert(s2, [{ table: "entities; DROP TABLE x", columns: entityColumns, total: 0, batches: [] }])).rejects.toBeInstanceOf(BulkLoadError);
      } finally {
        await s2.close();
      }
    });
  });
}

describe("ssj demo", () => {
  it("loads a city into an empty database (exit 0) and refuses a second load (exit 1)", async () => {
    const { main } = await import("../../src/cli/main.ts");
    const dbs = sqliteTestDb();
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const err = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const url = await dbs.fresh();
      expect(await main(["demo", "--database-url", url, "--entities", "200", "--seed", "cli"])).toBe(0);
      expect(log.mock.calls.flat().join("\n")).toMatch(/载入完成.* entities 200/);
      expect(await main(["demo", "--database-url", url, "--entities", "10"])).toBe(1);
      expect(err.mock.calls.flat().join("\n")).toMatch(/数据库不是空的（表 \w+ 已有数据）.*未写入任何数据/);
      expect(await main(["demo", "--entities", "lots"])).toBe(2);
      const printed = /专家和人员抽取：(\d+) 次已抽取/.exec(log.mock.calls.flat().join("\n"));
      expect(printed).not.toBeNull();
      const s = await openStore({ databaseUrl: url });
      try {
        expect(await s.prisma.entity.count()).toBe(200);
        // the demo's panel draws (step 5 of 审管联动) are drawn, and as many as the loader says
        const drawn = await s.prisma.panelDraw.count({ where: { status: "drawn" } });
        expect(drawn).toBe(Number(printed![1]));
        expect(drawn).toBeGreaterThan(0);
      } finally {
        await s.close();
      }
    } finally {
      log.mockRestore();
      err.mockRestore();
      await dbs.dispose();
    }
  });
});

describe("ssj demo arguments", () => {
  it("parses entity counts in the accepted forms", () => {
    expect(parseEntityCount("5000")).toBe(5000);
    expect(parseEntityCount("2_000_000")).toBe(2_000_000);
    expect(parseEntityCount("2e6")).toBe(2_000_000);
    expect(parseEntityCount("500k")).toBe(500_000);
    expect(parseEntityCount("2m")).toBe(2_000_000);
    for (const bad of ["", "abc", "-5", "1.5", "2x"]) expect(() => parseEntityCount(bad), bad).toThrow();
  });

  it("parses flags with and without '='", () => {
    expect(parseDemoArgs(["--seed", "s", "--entities=10", "--database-url", "file:x.db"])).toEqual({ seed: "s", entities: 10, databaseUrl: "file:x.db" });
    expect(() => parseDemoArgs(["--replace"])).toThrow(/未知选项/);
    expect(() => parseDemoArgs(["--seed"])).toThrow(/须给出值/);
  });
});
