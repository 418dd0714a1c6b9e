/** Test harness: a migrated store (fresh SQLite file), a few departments, users of each role. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from "fastify";
import { openStore, type Store } from "../../src/store/index.ts";
import { createUser } from "../../src/store/repos/users.ts";
import { buildApp } from "../../api/app.ts";
import pg from "pg";
import { creditCodeCheckChar } from "../../src/directories/creditCode.ts";

export interface Fixture {
  store: Store;
  app: FastifyInstance;
  dir: string;
  dept: { a: number; b: number };
  tokens: { admin: string; officerA: string; officerB: string; auditor: string; revoked: string };
  /** Inject with a role's token (or none for "public"). */
  as(who: keyof Fixture["tokens"] | "public", opts: InjectOptions): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export async function sqliteStore(): Promise<{ store: Store; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), "ssj-api-"));
  const store = await openStore({ databaseUrl: `file:${join(dir, "test.db")}` });
  await store.migrate();
  return { store, dir };
}

export async function fixture(options: { store?: Store } = {}): Promise<Fixture> {
  let dir = "";
  let store = options.store;
  if (!store) ({ store, dir } = await sqliteStore());
  const p = store.prisma;
  const a = await p.department.create({ data: { code: `T-SCJG-${Math.random().toString(36).slice(2, 8)}`, name: "测试市市场监督管理局", level: "city", districtCode: "460100" } });
  const b = await p.department.create({ data: { code: `T-ZJ-${Math.random().toString(36).slice(2, 8)}`, name: "测试市住房和城乡建设局", level: "city", districtCode: "460100" } });
  const mk = async (role: "admin" | "officer" | "auditor", name: string, department?: number) =>
    (await createUser(store!, { name, role, department: department ?? null }, "test")).token;
  const tokens = {
    admin: await mk("admin", "管理员"),
    officerA: await mk("officer", "执法员甲", a.id),
    officerB: await mk("officer", "执法员乙", b.id),
    auditor: await mk("auditor", "审计员"),
    revoked: await mk("auditor", "已撤销"),
  };
  const revokedUser = await p.user.findFirst({ where: { name: "已撤销" } });
  await p.user.update({ where: { id: revokedUser!.id }, data: { revokedAt: new Date() } });
  const app = await buildApp({ store });
  const fx: Fixture = {
    store,
    app,
    dir,
    dept: { a: a.id, b: b.id },
    tokens,
    as(who, opts) {
      const headers = { ...(opts.headers ?? {}) } as Record<string, string>;
      if (who !== "public") headers.authorization = `Bearer ${tokens[who]}`;
      return app.inject({ ...opts, headers });
    },
    async close() {
      await app.close();
      await store!.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
  return fx;
}

// ── PostgreSQL (optional) ────────────────────────────────────────────────────────────────────

export const PG_URL = process.env.SSJ_TEST_PG_URL || "postgresql://postgres@127.0.0.1:5432/test";
export const REQUIRE_PG = process.env.SSJ_REQUIRE_PG === "1";

/** null when PostgreSQL answers, else why not. */
export async function pgProblem(): Promise<string | null> {
  const c = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.end();
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

/** A migrated store in a throwaway schema of the test database; `drop()` removes the schema. */
export async function pgSchemaUrl(): Promise<{ url: string; drop(): Promise<void> }> {
  const schema = `ssj_api_${process.pid}_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
  const u = new URL(PG_URL);
  u.searchParams.set("schema", schema);
  return {
    url: u.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await c.end();
    },
  };
}

// ── directory data ───────────────────────────────────────────────────────────────────────────

const ALPHA = "0123456789ABCDEFGHJKLMNPQRTUWXY";
/** A valid synthetic 统一社会信用代码 in district 460100. */
export function creditCode(i: number): string {
  let org = "";
  let n = i + 7919;
  for (let k = 0; k < 9; k++) {
    org = ALPHA[n % 31]! + org;
    n = Math.floor(n / 31);
  }
  const first = `91460100${org}`;
  return first + creditCodeCheckChar(first);
}

/**
 * Entities (n, classes A–D round robin), 4 inspectors and 2 items per department, and a batch of
 * a plan of department A (lead) with department B as partner, drawing `count` per class.
 */
export async function seedBatch(fx: Fixture, options: { entities?: number; count?: number; approve?: boolean; officers?: number } = {}) {
  const p = fx.store.prisma;
  const n = options.entities ?? 40;
  const classes = ["A", "B", "C", "D"];
  const existing = await p.entity.count();
  for (let i = existing; i < existing + n; i++)
    await p.entity.create({
      data: {
        code: creditCode(i),
        codeKind: "uscc",
        name: `测试餐饮有限公司${i}`,
        districtCode: "460105",
        industryCode: "H6210",
        kind: "enterprise",
        riskClass: classes[i % 4]!,
        size: "small",
      },
    });
  const items: Record<number, number[]> = {};
  for (const d of [fx.dept.a, fx.dept.b]) {
    items[d] = [];
    for (let k = 1; k <= 2; k++) {
      const it = await p.inspectionItem.create({
        data: {
          departmentId: d,
          code: `IT-${d}-${k}-${Math.random().toString(36).slice(2, 7)}`,
          category: "食品安全",
          name: `检查事项${k}`,
          target: "餐饮服务提供者",
          legalBasis: "《中华人民共和国食品安全法》",
          content: "检查内容",
          methods: ["on-site"],
          importance: "key",
          source: "测试清单",
        },
      });
      items[d]!.push(it.id);
    }
    for (let k = 1; k <= (options.officers ?? 4); k++)
      await p.inspector.create({
        data: {
          departmentId: d,
          name: `检查员${d}-${k}`,
          certificateNo: `CERT-${d}-${k}-${Math.random().toString(36).slice(2, 7)}`,
          qualifications: ["执法证"],
          specialities: ["食品"],
          districts: ["4601"],
        },
      });
  }
  const plan = await p.annualPlan.create({ data: { departmentId: fx.dept.a, year: 2026, name: `年度计划${Math.random().toString(36).slice(2, 6)}` } });
  const count = options.count ?? 2;
  const res = await fx.as("officerA", {
    method: "POST",
    url: `/plans/${plan.id}/batches`,
    payload: {
      code: `B-${Math.random().toString(36).slice(2, 8)}`,
      name: "餐饮联合抽查",
      directed: false,
      conditions: {},
      windowStart: "2026-03-01",
      windowEnd: "2026-06-30",
      departments: [
        { departmentId: fx.dept.a, role: "lead", itemIds: items[fx.dept.a], samplingRules: classes.map((c) => ({ riskClass: c, count })) },
        { departmentId: fx.dept.b, role: "partner", itemIds: items[fx.dept.b], samplingRules: classes.map((c) => ({ riskClass: c, count })) },
      ],
    },
  });
  if (res.statusCode !== 201) throw new Error(`batch creation failed: ${res.body}`);
  // Draws are possible only for batches of an approved (published) plan.
  if (options.approve !== false) {
    const ok = await fx.as("officerA", { method: "POST", url: `/plans/${plan.id}/status`, payload: { status: "approved" } });
    if (ok.statusCode !== 200) throw new Error(`plan approval failed: ${ok.body}`);
  }
  return { planId: plan.id, batchId: res.json().id as number, items };
}

/** A fixture on SQLite, or on a fresh PostgreSQL schema of SSJ_TEST_PG_URL (dropped when closed). */
export async function fixtureOn(provider: "sqlite" | "postgresql"): Promise<Fixture> {
  if (provider === "sqlite") return fixture();
  const db = await pgSchemaUrl();
  const store = await openStore({ databaseUrl: db.url });
  await store.migrate();
  const fx = await fixture({ store });
  const close = fx.close;
  fx.close = async () => {
    await close();
    await db.drop();
  };
  return fx;
}
