/**
 * Test databases for the store tests: SQLite always (a temp file), PostgreSQL when reachable at
 * SSJ_TEST_PG_URL (default postgresql://postgres@127.0.0.1:5432/test), each test file in a fresh
 * schema `t_<random>` dropped afterwards. When PostgreSQL is unreachable its tests skip with a
 * message, unless SSJ_REQUIRE_PG=1, in which case they fail.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import pg from "pg";

export const PG_BASE_URL = process.env.SSJ_TEST_PG_URL ?? "postgresql://postgres@127.0.0.1:5432/test";
export const REQUIRE_PG = process.env.SSJ_REQUIRE_PG === "1";

let pgProbe: Promise<string | null> | undefined;
/** null when reachable, else why not. */
export function pgUnavailableReason(): Promise<string | null> {
  pgProbe ??= (async () => {
    const c = new pg.Client({ connectionString: PG_BASE_URL, connectionTimeoutMillis: 3000 });
    try {
      await c.connect();
      await c.query("SELECT 1");
      return null;
    } catch (err) {
      return (err as Error).message || String(err);
    } finally {
      await c.end().catch(() => {});
    }
  })();
  return pgProbe;
}

export interface TestDb {
  kind: "sqlite" | "postgresql";
  /** A new, empty database URL (SQLite file / PostgreSQL schema), cleaned up by dispose(). */
  fresh(): Promise<string>;
  dispose(): Promise<void>;
}

export function sqliteTestDb(): TestDb {
  const dir = mkdtempSync(join(tmpdir(), "ssj-store-"));
  let n = 0;
  return {
    kind: "sqlite",
    async fresh() {
      return `file:${join(dir, `db${++n}.sqlite`)}`;
    },
    async dispose() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function pgTestDb(): TestDb {
  const schemas: string[] = [];
  return {
    kind: "postgresql",
    async fresh() {
      const schema = `t_${randomBytes(6).toString("hex")}`;
      schemas.push(schema);
      const u = new URL(PG_BASE_URL);
      u.searchParams.set("schema", schema);
      return u.href;
    },
    async dispose() {
      if (!schemas.length) return;
      const c = new pg.Client({ connectionString: PG_BASE_URL });
      await c.connect();
      try {
        for (const s of schemas) await c.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
      } finally {
        await c.end();
      }
    },
  };
}

/** The providers to run a suite against, with the reason PostgreSQL is skipped (if it is). */
export async function providers(): Promise<{ kind: "sqlite" | "postgresql"; skip: string | null; make(): TestDb }[]> {
  const why = await pgUnavailableReason();
  let skip: string | null = null;
  if (why) {
    if (REQUIRE_PG) throw new Error(`SSJ_REQUIRE_PG=1 but PostgreSQL is not reachable at ${PG_BASE_URL}: ${why}`);
    skip = `PostgreSQL not reachable at ${PG_BASE_URL} (${why}); PostgreSQL store tests skipped. Start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`;
    console.warn(skip);
  }
  return [
    { kind: "sqlite", skip: null, make: sqliteTestDb },
    { kind: "postgresql", skip, make: pgTestDb },
  ];
}

import type { Db } from "../../src/store/index.ts";

/** A minimal consistent graph: a department, an entity, an inspector, a plan, a batch led by it. */
export async function seedBasics(db: Db, tag = "") {
  const department = await db.department.create({
    data: { code: `370100-SCJG${tag}`, name: "济南市市场监督管理局", level: "city", districtCode: "370100" },
  });
  const partner = await db.department.create({
    data: { code: `370100-WJW${tag}`, name: "济南市卫生健康委员会", level: "city", districtCode: "370100" },
  });
  const entity = await db.entity.create({
    data: { code: "91350100M000100Y43", codeKind: "uscc", name: "示例有限公司", districtCode: "350100", kind: "enterprise", riskClass: "B" },
  });
  const entity2 = await db.entity.create({
    data: { code: "370102000123456", codeKind: "regno", name: "个体户", districtCode: "370102", kind: "individual" },
  });
  const inspector = await db.inspector.create({
    data: { departmentId: department.id, name: "张三", certificateNo: `37010001${tag}`, qualifications: ["执法"], specialities: ["食品"], districts: ["370102"] },
  });
  const plan = await db.annualPlan.create({ data: { departmentId: department.id, year: 2026, name: "2026 年度抽查计划" } });
  const batch = await db.batch.create({
    data: { planId: plan.id, code: `B2026-01${tag}`, name: "第一批", directed: false, conditions: {}, windowStart: "2026-03-01", windowEnd: "2026-06-30" },
  });
  await db.batchDepartment.create({ data: { batchId: batch.id, departmentId: department.id, role: "lead" } });
  return { department, partner, entity, entity2, inspector, plan, batch };
}

export const HEX64 = "a".repeat(64);
