/**
 * The main API flows on PostgreSQL (the other API suites run on SQLite): draw ceremony, tasks,
 * optimization, results and publication to the read model, audit chain. Skips when no PostgreSQL
 * is reachable, unless SSJ_REQUIRE_PG=1.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../../src/store/index.ts";
import { openReadModel } from "../../src/store/readModel/index.ts";
import { fixture, pgProblem, pgSchemaUrl, PG_URL, REQUIRE_PG, seedBatch, type Fixture } from "./helpers.ts";

const problem = await pgProblem();
if (problem && REQUIRE_PG) throw new Error(`SSJ_REQUIRE_PG=1 but PostgreSQL at ${PG_URL} is unreachable: ${problem}`);
if (problem) console.warn(`[skip] API flows on PostgreSQL: ${PG_URL} unreachable (${problem})`);

describe.skipIf(problem !== null)("API flows on PostgreSQL", () => {
  let fx: Fixture;
  let drop: () => Promise<void>;
  let batchId: number;
  let drawId: number;
  beforeAll(async () => {
    const db = await pgSchemaUrl();
    drop = db.drop;
    const store = await openStore({ databaseUrl: db.url });
    await store.migrate();
    fx = await fixture({ store });
    ({ batchId } = await seedBatch(fx, { entities: 30, count: 2 }));
  });
  afterAll(async () => {
    await fx?.close();
    await drop?.();
  });

  it("draw ceremony with an external seed; run once", async () => {
    expect(fx.store.kind).toBe("postgresql");
    const c = await fx.as("officerA", { method: "POST", url: `/batches/${batchId}/draws`, payload: { seed: { mode: "external", source: "测试信标", reference: "7" } } });
    expect(c.statusCode, c.body).toBe(201);
    drawId = c.json().id;
    const v = await fx.as("officerA", { method: "POST", url: `/draws/${drawId}/external-value`, payload: { value: "0815", publishedAt: new Date(Date.now() + 60_000).toISOString() } });
    expect(v.statusCode, v.body).toBe(200);
    const r = await fx.as("officerA", { method: "POST", url: `/draws/${drawId}/run` });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json().summary.tasks).toBe(16);
    expect((await fx.as("officerA", { method: "POST", url: `/draws/${drawId}/run` })).statusCode).toBe(409);
    expect((await fx.as("auditor", { method: "GET", url: `/draws/${drawId}/verify` })).json().ok).toBe(true);
  });

  it("optimization, then results recorded and published to the PostgreSQL read model", async () => {
    const o = await fx.as("officerA", { method: "POST", url: `/batches/${batchId}/optimize`, payload: {} });
    expect(o.statusCode, o.body).toBe(201);
    const tasks = (await fx.as("officerA", { method: "GET", url: `/tasks?draw=${drawId}` })).json().items;
    expect(tasks.length).toBe(8);
    const t = tasks[0];
    const rec = await fx.as("officerA", { method: "PUT", url: `/tasks/${t.id}/result`, payload: { categories: ["no_problem"], checkDate: "2026-04-08" } });
    expect(rec.statusCode, rec.body).toBe(200);
    const pub = await fx.as("officerA", { method: "POST", url: `/tasks/${t.id}/publish` });
    expect(pub.statusCode, pub.body).toBe(200);
    const rm = await openReadModel(fx.store);
    const page = await rm.searchResults({ code: t.entity.code, pageSize: 5 });
    expect(page.docs.length).toBe(1);
    expect(JSON.parse(page.docs[0]!).results).toEqual(["未发现问题"]);
    const name = await fx.as("admin", { method: "GET", url: `/entities?name=${encodeURIComponent("测试餐饮")}&limit=5` });
    expect(name.json().total).toBe(30);
  });

  it("the audit chain is intact and lists the flow", async () => {
    const v = await fx.as("auditor", { method: "GET", url: "/audit/verify" });
    expect(v.json()).toMatchObject({ ok: true });
    const log = await fx.as("auditor", { method: "GET", url: `/audit?subject=draw:${drawId}` });
    expect(log.json().entries.map((e: { action: string }) => e.action)).toEqual(["draw.commit", "draw.seeded", "draw.run"]);
  });
});
