import { afterAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { openStore, loadMigrations, MigrationError, type Store } from "../../src/store/index.ts";
import { migratePostgres, migrateSqlite, MIGRATIONS_TABLE } from "../../src/store/migrate.ts";
import { providers } from "./helpers.ts";

const ROOT = join(fileURLToPath(import.meta.url), "..", "..", "..");

function runSsj(args: string[], env: Record<string, string>): Promise<{ code: number; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", join(ROOT, "src/cli/main.ts"), ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, out }));
  });
}

for (const p of await providers()) {
  describe.skipIf(p.skip)(`migrations on ${p.kind}`, () => {
    const dbs = p.make();
    const open: Store[] = [];
    const openFresh = async () => {
      const s = await openStore({ databaseUrl: await dbs.fresh() });
      open.push(s);
      return s;
    };
    afterAll(async () => {
      for (const s of open) await s.close();
      await dbs.dispose();
    });
    const files = loadMigrations(p.kind);
    const latest = files.at(-1)!.name;

    it("migrates an empty database to the latest migration and reports the schema version", async () => {
      const s = await openFresh();
      expect(s.kind).toBe(p.kind);
      expect(await s.schemaVersion()).toBeNull();
      const report = await s.migrate();
      expect(report.applied).toEqual(files.map((f) => f.name));
      expect(report.version).toMatchObject({ name: latest, count: files.length });
      expect(await s.schemaVersion()).toMatchObject({ name: latest, count: files.length });
      expect(await s.isEmpty()).toBe(true);
      await s.prisma.department.create({ data: { code: "D1", name: "局", level: "district", districtCode: "370102" } });
      expect(await s.isEmpty()).toBe(false);
    });

    it("running migrate twice is a no-op", async () => {
      const s = await openFresh();
      await s.migrate();
      await s.prisma.configEntry.create({ data: { key: "k", value: { a: 1 } } });
      const again = await s.migrate();
      expect(again.applied).toEqual([]);
      expect(again.version).toMatchObject({ name: latest, count: files.length });
      expect(await s.prisma.configEntry.count()).toBe(1);
    });

    it("two processes migrating the same empty database at once: both succeed, each migration applied once", async () => {
      const url = await dbs.fresh();
      const [a, b] = await Promise.all([runSsj(["migrate"], { DATABASE_URL: url }), runSsj(["migrate"], { DATABASE_URL: url })]);
      expect(a.code, a.out).toBe(0);
      expect(b.code, b.out).toBe(0);
      const applied = [a.out, b.out].filter((o) => o.includes("已执行迁移：")).length;
      expect(applied).toBe(1);
      expect([a.out, b.out].filter((o) => o.includes("已是最新结构")).length).toBe(1);
      const s = await openStore({ databaseUrl: url });
      open.push(s);
      expect(await s.schemaVersion()).toMatchObject({ name: latest, count: files.length });
    });

    it("refuses when an applied migration's file changed, and when the database knows a migration the code does not", async () => {
      const s = await openFresh();
      await s.migrate();
      const edited = files.map((f, i) => (i === 0 ? { ...f, sql: f.sql + "\n-- edited", checksum: "0".repeat(64) } : f));
      const run = (fs: typeof files) => (s.kind === "sqlite" ? Promise.resolve().then(() => migrateSqlite(s.raw, fs)) : migratePostgres(s.raw, s.schema, fs));
      await expect(run(edited)).rejects.toThrow(MigrationError);
      await expect(run(edited)).rejects.toThrow(/was changed after it was applied/);
      await expect(run(files.slice(0, -1).length ? files.slice(0, -1) : [])).rejects.toThrow(/does not know/);
      // Nothing was applied or recorded by the refused runs.
      expect(await s.schemaVersion()).toMatchObject({ name: latest, count: files.length });
    });

    it("a failing migration is rolled back entirely (its statements and its record)", async () => {
      const s = await openFresh();
      await s.migrate();
      const bad = [...files, { name: "9999_bad", sql: `CREATE TABLE "zz_half" ("id" INTEGER);\nTHIS IS NOT SQL;`, checksum: "f".repeat(64) }];
      const run = () => (s.kind === "sqlite" ? Promise.resolve().then(() => migrateSqlite(s.raw, bad)) : migratePostgres(s.raw, s.schema, bad));
      await expect(run()).rejects.toThrow(/migration 9999_bad failed/);
      expect(await s.schemaVersion()).toMatchObject({ name: latest });
      const exists =
        s.kind === "sqlite"
          ? s.raw.prepare(`SELECT count(*) AS n FROM sqlite_master WHERE name = 'zz_half'`).get()
          : (await s.raw.query(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'zz_half'`, [s.schema])).rows[0];
      expect(exists).toEqual({ n: 0 });
      const recorded =
        s.kind === "sqlite"
          ? s.raw.prepare(`SELECT count(*) AS n FROM "${MIGRATIONS_TABLE}"`).get()
          : (await s.raw.query(`SELECT count(*)::int AS n FROM "${MIGRATIONS_TABLE}"`)).rows[0];
      expect(recorded).toEqual({ n: files.length });
    });

    it("ssj migrate --status reports pending migrations with exit code 1, and 0 once migrated", async () => {
      const url = await dbs.fresh();
      const before = await runSsj(["migrate", "--status"], { DATABASE_URL: url });
      expect(before.code).toBe(1);
      expect(before.out).toContain(`待执行迁移：${files.map((f) => f.name).join(", ")}`);
      await runSsj(["migrate"], { DATABASE_URL: url });
      const after = await runSsj(["migrate", "--status"], { DATABASE_URL: url });
      expect(after.code, after.out).toBe(0);
      expect(after.out).toContain(`结构版本：${latest}`);
    });
  });
}

describe("database URL selection", () => {
  it("refuses unsupported URLs with a clear message", async () => {
    await expect(openStore({ databaseUrl: "mysql://x@y/z" })).rejects.toThrow(/use file:<path> \(SQLite\) or postgresql:\/\//);
    await expect(openStore({ databaseUrl: "file::memory:" })).rejects.toThrow(/in-memory/);
  });
});
