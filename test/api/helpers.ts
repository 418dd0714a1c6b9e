/** Test harness: a migrated store (fresh SQLite file), a few departments, users of each role. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from "fastify";
import { openStore, type Store } from "../../src/store/index.ts";
import { createUser } from "../../src/store/repos/users.ts";
import { buildApp } from "../../api/app.ts";

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
