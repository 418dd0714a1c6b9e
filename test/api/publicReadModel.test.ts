/**
 * The read model itself, on SQLite and on PostgreSQL: name search equals a naive substring filter
 * for queries of every length (fast-check), filters and cursor pages, replace-on-republish,
 * rebuild. PostgreSQL runs against SSJ_TEST_PG_URL (default postgresql://postgres@127.0.0.1:5432/test)
 * in a fresh database of its own; it skips when none is reachable unless SSJ_REQUIRE_PG=1.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import pg from "pg";
import {
  PgReadModel,
  SqliteReadModel,
  normalizeName,
  openReadModel,
  publishToReadModel,
  rebuildReadModel,
  type PublicRecord,
  type ReadModel,
  type ReadModelStore,
} from "../../src/store/readModel/index.ts";
import { creditCode, sqliteStore } from "../e2e/fixtures.ts";

const PG_URL = process.env.SSJ_TEST_PG_URL || "postgresql://postgres@127.0.0.1:5432/test";
const REQUIRE_PG = process.env.SSJ_REQUIRE_PG === "1";

async function pgAvailable(): Promise<string | null> {
  const c = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.end();
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

const pgProblem = await pgAvailable();
if (pgProblem && REQUIRE_PG) throw new Error(`SSJ_REQUIRE_PG=1 but PostgreSQL at ${PG_URL} is unreachable: ${pgProblem}`);
if (pgProblem) console.warn(`[skip] PostgreSQL read-model tests: ${PG_URL} unreachable (${pgProblem}); set SSJ_TEST_PG_URL or start PostgreSQL`);

/** A throwaway database on the test server, dropped afterwards. */
async function pgStore(): Promise<ReadModelStore & { close(): Promise<void> }> {
  const name = `ssj_rm_test_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  // Like openStore: the pool's connections see only their own schema on the search_path.
  const setup = new pg.Client({ connectionString: url.toString() });
  await setup.connect();
  await setup.query(`CREATE SCHEMA app`);
  await setup.end();
  const pool = new pg.Pool({ connectionString: url.toString(), max: 4, options: "-c search_path=app" });
  return {
    kind: "postgresql",
    raw: pool,
    close: async () => {
      await pool.end();
      const a = new pg.Client({ connectionString: PG_URL });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}

const ALPHABET = ["餐", "饮", "服", "务", "有", "限", "公", "司", "市", "a", "B", "（", ")", " ", "2", "２", "%", "_", "\\", '"'];
const nameArb = fc.array(fc.constantFrom(...ALPHABET), { minLength: 1, maxLength: 12 }).map((a) => a.join(""));

function result(i: number, name: string, extra: Partial<PublicRecord> = {}): PublicRecord {
  return {
    kind: "result",
    id: `R${i}`,
    entityCode: creditCode(i),
    entityName: name,
    taskNumber: `T${i}`,
    taskName: "抽查",
    department: ["市场监管局", "卫健委"][i % 2]!,
    checkDate: `2026-0${1 + (i % 9)}-15`,
    results: ["未发现问题"],
    publishedAt: "2026-10-01T00:00:00Z",
    ...extra,
  } as PublicRecord;
}

async function allIds(rm: ReadModel, q: { name?: string; code?: string; department?: string; from?: string; to?: string }, pageSize = 7): Promise<string[]> {
  const ids: string[] = [];
  let cursor: number | undefined;
  for (let guard = 0; guard < 1000; guard++) {
    const p = await rm.searchResults({ ...q, pageSize, cursor });
    ids.push(...p.docs.map((d) => (JSON.parse(d) as { id: string }).id));
    if (p.nextCursor === null) return ids;
    cursor = p.nextCursor;
  }
  throw new Error("pagination did not end");
}

const backends: [string, () => Promise<ReadModelStore & { close(): Promise<void> }>, boolean][] = [
  ["sqlite", async () => sqliteStore(), false],
  ["postgresql", pgStore, pgProblem !== null],
];

for (const [label, make, skip] of backends) {
  describe.skipIf(skip)(`read model on ${label}`, () => {
    let store: ReadModelStore & { close(): Promise<void> };
    let rm: ReadModel;
    const names: string[] = fc.sample(nameArb, { numRuns: 150, seed: 42 });
    names.push("福州市餐饮服务有限公司", "饮", "餐饮", "司");

    beforeAll(async () => {
      store = await make();
      rm = await openReadModel(store);
      await publishToReadModel(store, names.map((n, i) => result(i, n)));
    });
    afterAll(async () => {
      await store?.close();
    });

    it("name search of any length equals a substring filter on the normalised name", async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            nameArb.map((s) => s.slice(0, 1 + (s.length % 4))),
            fc.nat({ max: names.length - 1 }).chain((i) => {
              const s = names[i]!;
              return fc.tuple(fc.nat({ max: s.length }), fc.nat({ max: 5 })).map(([a, l]) => s.slice(a, a + l + 1));
            }),
          ),
          async (q) => {
            const nq = normalizeName(q);
            fc.pre(nq.length > 0);
            const expected = names.map((n, i) => [normalizeName(n), `R${i}`] as const).filter(([n]) => n.includes(nq)).map(([, id]) => id);
            const got = await allIds(rm, { name: q }, 25);
            expect(got.sort(), JSON.stringify(q)).toEqual(expected.sort());
          },
        ),
        { numRuns: 120, seed: 7 },
      );
    });

    if (label === "sqlite") it("answers long queries the same from the rarest trigram alone as from the whole phrase", async () => {
      const raw = (store as unknown as { raw: ConstructorParameters<typeof SqliteReadModel>[0] }).raw;
      const byRare = new SqliteReadModel(raw, { rareFraction: 1 });
      const byPhrase = new SqliteReadModel(raw, { rareFraction: 0 });
      await fc.assert(
        fc.asyncProperty(
          fc.nat({ max: names.length - 1 }).chain((i) => {
            const s = names[i]!;
            return fc.tuple(fc.nat({ max: s.length }), fc.integer({ min: 4, max: 8 })).map(([a, l]) => s.slice(a, a + l));
          }),
          fc.constantFrom({}, { department: "卫健委" }),
          async (q, filter) => {
            fc.pre([...normalizeName(q)].length >= 4);
            const all = async (m: ReadModel) => {
              const ids: string[] = [];
              let cursor: number | undefined;
              do {
                const p = await m.searchResults({ name: q, ...filter, pageSize: 2, cursor });
                ids.push(...p.docs.map((d) => (JSON.parse(d) as { id: string }).id));
                cursor = p.nextCursor ?? undefined;
              } while (cursor !== undefined);
              return ids;
            };
            const expected = names
              .map((n, i) => [normalizeName(n), i] as const)
              .filter(([n, i]) => n.includes(normalizeName(q)) && (!("department" in filter) || i % 2 === 1))
              .map(([, i]) => `R${i}`)
              .reverse();
            expect(await all(byRare), q).toEqual(expected);
            expect(await all(byPhrase), q).toEqual(expected);
          },
        ),
        { numRuns: 60, seed: 11 },
      );
    });

    if (label === "postgresql") it("every step of the adaptive name search (walk, longer walk, forced bitmap) gives the same answer", async () => {
      const small = new PgReadModel((store as unknown as { raw: import("pg").Pool }).raw, { walk: 4 });
      const queries = ["餐", "饮", "司", "公司", "服务", "a", "餐饮", "有限公", "限公司", "(2", "务有限"];
      for (const q of queries) {
        for (const filter of [{}, { department: "卫健委" }, { from: "2026-03-01", to: "2026-06-30" }]) {
          const all: string[] = [];
          let cursor: number | undefined;
          do {
            const p = await small.searchResults({ name: q, ...filter, pageSize: 3, cursor });
            all.push(...p.docs.map((d) => (JSON.parse(d) as { id: string }).id));
            cursor = p.nextCursor ?? undefined;
          } while (cursor !== undefined);
          expect(all, `${q} ${JSON.stringify(filter)}`).toEqual(await allIds(rm, { name: q, ...filter }, 1000));
        }
      }
    });

    it("pages newest first, without gaps or repeats, under every filter combination", async () => {
      const all = await allIds(rm, {}, 13);
      expect(all).toHaveLength(names.length);
      expect(all[0]).toBe(`R${names.length - 1}`);
      expect(new Set(all).size).toBe(names.length);
      const f = await allIds(rm, { department: "卫健委", from: "2026-03-01", to: "2026-06-30", name: "饮" }, 3);
      const exp = names
        .map((n, i) => ({ n: normalizeName(n), i }))
        .filter(({ n, i }) => i % 2 === 1 && n.includes("饮") && `2026-0${1 + (i % 9)}-15` >= "2026-03-01" && `2026-0${1 + (i % 9)}-15` <= "2026-06-30")
        .map(({ i }) => `R${i}`)
        .reverse();
      expect(f).toEqual(exp);
      expect(await allIds(rm, { code: creditCode(3) })).toEqual(["R3"]);
      expect(await allIds(rm, { code: creditCode(3), name: "zzz" })).toEqual([]);
    });

    it("replaces a re-published result and keeps department counts right", async () => {
      const before = await rm.countResults();
      await publishToReadModel(store, [result(3, "改名后的餐饮店", { department: "生态环境局" } as Partial<PublicRecord>)]);
      expect(await rm.countResults()).toBe(before);
      expect(await allIds(rm, { name: "改名后" })).toEqual(["R3"]);
      expect(await allIds(rm, { code: creditCode(3) })).toEqual(["R3"]);
      const depts = await rm.departments();
      expect(depts.find((d) => d.name === "生态环境局")?.results).toBe(1);
      expect(depts.reduce((a, d) => a + d.results, 0)).toBe(before);
    });

    it("rolls back a publication batch that contains a bad record", async () => {
      const before = await rm.countResults();
      await expect(publishToReadModel(store, [result(9001, "新店"), { ...result(9002, "坏记录"), checkDate: "03/05/2026" } as PublicRecord])).rejects.toThrow(
        /checkDate/,
      );
      expect(await rm.countResults()).toBe(before);
      expect(await allIds(rm, { name: "新店" })).toEqual([]);
    });

    it("rebuilds from a source of records", async () => {
      async function* source() {
        for (let i = 0; i < 30; i++) yield result(i, `重建${i}号餐饮`);
      }
      expect(await rebuildReadModel(store, source(), { chunk: 7 })).toBe(30);
      expect(await rm.countResults()).toBe(30);
      expect((await allIds(rm, { name: "重建1" })).sort()).toEqual(["R1", ...Array.from({ length: 10 }, (_, k) => `R${10 + k}`)].sort());
      expect(await allIds(rm, { name: "饮" }, 100)).toHaveLength(30);
    });
  });
}
