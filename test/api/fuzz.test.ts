/**
 * Fuzzing every route as every role, from the OpenAPI description the app serves, on SQLite always
 * and on PostgreSQL when reachable (SSJ_REQUIRE_PG=1 makes it mandatory). No request may reach a
 * 5xx, and every error must be `{ statusCode, code, message (Chinese), field?, details? }`.
 *
 * Deterministic: requests come from fast-check with a seed per (base seed, route, role).
 *   SSJ_FUZZ_SEED=<n>            base seed (default below; printed with every failure)
 *   SSJ_FUZZ_ROUTE="GET /plans/:id"   only that route (replay)
 *   SSJ_FUZZ_RUNS=<n>            requests per route and allowed role (default 4; 2 for a role the route refuses)
 *   SSJ_FUZZ_OUT=<file>          every finding as a JSON line (the failure message lists 25)
 * A failure prints the request (method, URL, headers, body head) and the replay line.
 */
import { appendFileSync } from "node:fs";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../../src/store/index.ts";
import { fixture, pgProblem, pgSchemaUrl, PG_URL, REQUIRE_PG, seedBatch, type Fixture } from "./helpers.ts";
import { drawBatch } from "./support/ceremony.ts";
import { operationsOf, problemOf, requestArb, seedFor, type FuzzRequest, type Pool } from "./support/fuzz.ts";

const BASE_SEED = Number(process.env.SSJ_FUZZ_SEED ?? 20261201);
const ONLY = process.env.SSJ_FUZZ_ROUTE;
const RUNS_ALLOWED = Number(process.env.SSJ_FUZZ_RUNS ?? 4);
const RUNS_DENIED = 2;
/** A file to append every request to before it is sent (to find a request that hangs). */
const TRACE = process.env.SSJ_FUZZ_TRACE;
/** A file to write every finding to (JSON lines), not only the first 25. */
const OUT = process.env.SSJ_FUZZ_OUT;
const ROLES = ["public", "admin", "officerA", "officerB", "auditor"] as const;
type Who = (typeof ROLES)[number];
const roleOf = (w: Who) => (w === "officerA" || w === "officerB" ? "officer" : w);

/** A batch drawn with an external seed (tasks, teams, a manifest), a directed task, and the pool of ids. */
async function world(fx: Fixture): Promise<Pool> {
  const { batchId } = await seedBatch(fx, { entities: 24, count: 1 });
  const drawId = await drawBatch(fx, batchId, "第 2026001 期");
  const p = fx.store.prisma;
  const manifests = [
    (await fx.as("auditor", { method: "GET", url: `/draws/${drawId}/manifest` })).body,
    (await fx.as("auditor", { method: "GET", url: `/draws/${drawId}/manifest?kind=public` })).body,
  ];
  const ids = new Set<number>([1, 2, 3]);
  for (const rows of await Promise.all([p.annualPlan.findMany(), p.batch.findMany(), p.draw.findMany(), p.task.findMany(), p.user.findMany(), p.department.findMany(), p.inspectionItem.findMany()]))
    for (const r of rows as { id: number }[]) ids.add(r.id);
  const entities = await p.entity.findMany({ take: 10 });
  const departments = await p.department.findMany();
  const inspectors = await p.inspector.findMany({ take: 4 });
  return {
    ids: [...ids].sort((a, b) => a - b),
    codes: entities.map((e) => e.code),
    words: [...departments.flatMap((d) => [d.code, d.name]), ...inspectors.map((i) => i.certificateNo), String(drawId), "publication", "draw", "optimizer", "resultCategories", "holidayTables"],
    manifests,
  };
}

interface Finding {
  who: Who;
  request: FuzzRequest;
  status: number;
  problem: string;
}

async function fuzz(fx: Fixture, label: string): Promise<{ sent: number; findings: Finding[] }> {
  const pool = await world(fx);
  const spec = (await fx.app.inject({ method: "GET", url: "/docs/json" })).json();
  const refs = spec.components?.schemas ?? {};
  const access = new Map(fx.app.ssj.routes.map((r) => [`${r.method} ${r.url}`, r.access]));
  const ops = operationsOf(spec, fx.app.ssj.routes).filter((op) => !ONLY || `${op.method} ${op.url}` === ONLY);
  const users = await fx.store.prisma.user.findMany({ where: { name: { in: ["管理员", "执法员甲", "执法员乙", "审计员"] } } });
  const findings: Finding[] = [];
  let sent = 0;
  for (const op of ops) {
    const acc = access.get(`${op.method} ${op.url}`) ?? "public";
    for (const who of ROLES) {
      const allowed = acc === "public" || (who !== "public" && acc.includes(roleOf(who) as never));
      const token = who === "public" ? undefined : fx.tokens[who];
      const seed = seedFor(BASE_SEED, op.method, op.url, who);
      const requests = fc.sample(requestArb(op, pool, refs, token), { seed, numRuns: allowed ? RUNS_ALLOWED : RUNS_DENIED });
      for (const request of requests) {
        if (TRACE) appendFileSync(TRACE, `${label} ${who} ${request.method} ${request.url.slice(0, 160)} ${request.note}\n`);
        let res;
        try {
          res = await fx.app.inject({ method: request.method as "GET", url: request.url, headers: request.headers, payload: request.payload });
        } catch (e) {
          findings.push({ who, request, status: 0, problem: `inject failed: ${(e as Error).message}` });
          continue;
        }
        sent++;
        const problem = problemOf(res, op);
        if (problem) {
          findings.push({ who, request, status: res.statusCode, problem });
          if (OUT) appendFileSync(OUT, `${JSON.stringify({ label, who, method: request.method, url: request.url.slice(0, 300), note: request.note, status: res.statusCode, problem, body: request.payload === undefined ? undefined : String(request.payload).slice(0, 300) })}\n`);
        }
        // Keep the fuzzing users able to sign in (a fuzzed revoke may hit them).
        if (op.url === "/users/:id/revoke") await fx.store.prisma.user.updateMany({ where: { id: { in: users.map((u) => u.id) } }, data: { revokedAt: null } });
      }
    }
  }
  const by5xx = findings.filter((f) => f.status >= 500).length;
  console.log(`fuzz[${label}]: ${sent} requests over ${ops.length} routes × ${ROLES.length} roles; ${by5xx} answered 5xx, ${findings.length - by5xx} other contract breaks (SSJ_FUZZ_SEED=${BASE_SEED})`);
  return { sent, findings };
}

function report(findings: Finding[]): string[] {
  return findings.slice(0, 25).map((f) => {
    const body = f.request.payload === undefined ? "" : ` body=${JSON.stringify(String(f.request.payload).slice(0, 160))}`;
    return `[${f.who}] ${f.request.method} ${f.request.url.slice(0, 200)} (${f.request.note || "valid"}) → ${f.problem}${body} · replay: SSJ_FUZZ_SEED=${BASE_SEED} SSJ_FUZZ_ROUTE="${routeOf(f.request)}"`;
  });
}
const routeOf = (r: FuzzRequest) => `${r.method} ${r.url.split("?")[0]}`;

describe("fuzz: SQLite", () => {
  let fx: Fixture;
  beforeAll(async () => {
    fx = await fixture();
  });
  afterAll(async () => fx?.close());

  it("no request reaches a 5xx; every error has the documented shape", async () => {
    const { sent, findings } = await fuzz(fx, "sqlite");
    expect(sent).toBeGreaterThan(1000);
    expect(report(findings)).toEqual([]);
  }, 300_000);
});

const problem = await pgProblem();
if (problem && REQUIRE_PG) throw new Error(`SSJ_REQUIRE_PG=1 but PostgreSQL at ${PG_URL} is unreachable: ${problem}`);
if (problem) console.warn(`[skip] fuzz on PostgreSQL: ${PG_URL} unreachable (${problem})`);

describe.skipIf(problem !== null)("fuzz: PostgreSQL", () => {
  let fx: Fixture;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const db = await pgSchemaUrl();
    drop = db.drop;
    const store = await openStore({ databaseUrl: db.url });
    await store.migrate();
    fx = await fixture({ store });
  });
  afterAll(async () => {
    await fx?.close();
    await drop?.();
  });

  it("no request reaches a 5xx; every error has the documented shape", async () => {
    expect(fx.store.kind).toBe("postgresql");
    const { sent, findings } = await fuzz(fx, "postgresql");
    expect(sent).toBeGreaterThan(1000);
    expect(report(findings)).toEqual([]);
  }, 300_000);
});

