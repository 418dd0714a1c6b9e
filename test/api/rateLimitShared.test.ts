/**
 * Issue 9: rate limits counted per process let two instances allow twice the limit. On
 * PostgreSQL every instance counts in the same rows (api/rateLimitStore.ts,
 * src/store/repos/rateLimits.ts): two apps on one database, each its own store (its own pool, as
 * two processes would have), allow the limit once between them.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../api/app.ts";
import { openStore, type PostgresStore } from "../../src/store/index.ts";
import { hitRateLimit, pruneRateLimits } from "../../src/store/repos/rateLimits.ts";
import { pgProblem, pgSchemaUrl, PG_URL, REQUIRE_PG } from "./helpers.ts";

const problem = await pgProblem();
if (problem && REQUIRE_PG) throw new Error(`SSJ_REQUIRE_PG=1 but PostgreSQL at ${PG_URL} is unreachable: ${problem}`);
if (problem) console.warn(`[skip] shared rate limit on PostgreSQL: ${PG_URL} unreachable (${problem})`);

describe.skipIf(problem !== null)("rate limit shared by API instances on PostgreSQL", () => {
  let a: PostgresStore;
  let b: PostgresStore;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const db = await pgSchemaUrl();
    drop = db.drop;
    a = (await openStore({ databaseUrl: db.url })) as PostgresStore;
    await a.migrate();
    b = (await openStore({ databaseUrl: db.url })) as PostgresStore;
    expect([a.kind, b.kind]).toEqual(["postgresql", "postgresql"]);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await drop?.();
  });

  it("two instances together allow the limit once; routes and clients count apart", async () => {
    const opts = { tokenLookup: async () => null, publicRateLimit: { max: 4, timeWindow: "1 minute" } };
    const one = await buildApp({ store: a, ...opts });
    const two = await buildApp({ store: b, ...opts });
    try {
      const url = "/api/public/results?pageSize=1";
      const codes: number[] = [];
      for (let i = 0; i < 6; i++) codes.push((await (i % 2 === 0 ? one : two).inject({ url })).statusCode);
      expect(codes).toEqual([200, 200, 200, 200, 429, 429]);
      const refused = await two.inject({ url });
      expect(refused.json()).toMatchObject({ statusCode: 429, code: "RATE_LIMITED", message: expect.stringMatching(/[\u4e00-\u9fff]/) });
      expect(Number(refused.headers["retry-after"])).toBeGreaterThan(0);
      // Another client address, and another limited route, have their own counters.
      expect((await one.inject({ url, remoteAddress: "203.0.113.9" })).statusCode).toBe(200);
      expect((await two.inject({ url: "/api/public/plans" })).statusCode).not.toBe(429);
      const rows = await a.raw.query<{ key: string; hits: number }>("SELECT key, hits FROM rate_limits ORDER BY key");
      expect(rows.rows.find((r) => r.key.startsWith("GET /api/public/results|127.0.0.1"))?.hits).toBe(7);
    } finally {
      await one.close();
      await two.close();
    }
  });

  it("a window restarts at 1 once it has passed; old counters are pruned", async () => {
    expect(await hitRateLimit(a, "t|x", 60_000)).toMatchObject({ hits: 1 });
    const second = await hitRateLimit(a, "t|x", 60_000);
    expect(second.hits).toBe(2);
    expect(second.ttlMs).toBeGreaterThan(50_000);
    expect(second.ttlMs).toBeLessThanOrEqual(60_000);
    await a.raw.query("UPDATE rate_limits SET window_start = window_start - interval '2 minutes' WHERE key = 't|x'");
    expect((await hitRateLimit(a, "t|x", 60_000)).hits).toBe(1);
    await a.raw.query("UPDATE rate_limits SET window_start = window_start - interval '3 days' WHERE key = 't|x'");
    expect(await pruneRateLimits(a, 24 * 3600 * 1000)).toBeGreaterThanOrEqual(1);
    expect((await a.raw.query("SELECT 1 FROM rate_limits WHERE key = 't|x'")).rowCount).toBe(0);
  });

  it("concurrent requests through both instances are all counted", async () => {
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => hitRateLimit(i % 2 ? a : b, "t|burst", 60_000)));
    expect(results.map((r) => r.hits).sort((x, y) => x - y)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
  });
});
