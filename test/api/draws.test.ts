import { createHash, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { openStore } from "../../src/store/index.ts";
import { fixture, pgProblem, pgSchemaUrl, REQUIRE_PG, PG_URL, seedBatch, type Fixture } from "./helpers.ts";
import { external, run } from "./support/ceremony.ts";

const secret = () => randomBytes(32).toString("hex");
const commitmentOf = (s: string) => createHash("sha256").update(Buffer.from(s, "hex")).digest("hex");

describe("draw ceremony (commit-reveal)", () => {
  let fx: Fixture;
  let batchId: number;
  let drawId: number;
  const secrets = { a: secret(), b: secret() };

  beforeAll(async () => {
    fx = await fixture();
    ({ batchId } = await seedBatch(fx, { entities: 40, count: 2 }));
  });
  afterAll(async () => fx.close());

  it("only the lead department commits the inputs", async () => {
    const res = await fx.as("officerB", { method: "POST", url: `/batches/${batchId}/draws`, payload: { seed: { mode: "commitReveal" } } });
    expect(res.statusCode).toBe(403);
  });

  it("commit freezes the inputs: 201 with a commitment; a second live draw → 409", async () => {
    const res = await fx.as("officerA", { method: "POST", url: `/batches/${batchId}/draws`, payload: { seed: { mode: "commitReveal" } } });
    expect(res.statusCode, res.body).toBe(201);
    const d = res.json();
    expect(d.status).toBe("committed");
    expect(d.specVersion).toBe("ssj-draw/2");
    expect(d.commitment).toMatch(/^[0-9a-f]{64}$/);
    expect(d.summary.pool).toBe(40);
    drawId = d.id;
    const again = await fx.as("admin", { method: "POST", url: `/batches/${batchId}/draws`, payload: { seed: { mode: "commitReveal" } } });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe("LIVE_DRAW_EXISTS");
  });

  it("running before the seed exists is refused", async () => {
    const res = await fx.as("officerA", { method: "POST", url: `/draws/${drawId}/run` });
    expect(res.statusCode).toBe(409);
  });

  it("each department commits its own secret; no reveal before all commitments", async () => {
    const a = await fx.as("officerA", { method: "POST", url: `/draws/${drawId}/commitments`, payload: { hash: commitmentOf(secrets.a) } });
    expect(a.statusCode, a.body).toBe(201);
    const early = await fx.as("officerA", { method: "POST", url: `/draws/${drawId}/reveals`, payload: { secret: secrets.a } });
    expect(early.statusCode).toBe(422);
    expect(early.json().code).toBe("DRAW_COMMITMENTS_INCOMPLETE");
    const forOther = await fx.as("officerA", { method: "POST", url: `/draws/${drawId}/commitments`, payload: { hash: commitmentOf(secrets.b), departmentId: fx.dept.b } });
    expect(forOther.statusCode).toBe(403);
    const b = await fx.as("officerB", { method: "POST", url: `/draws/${drawId}/commitments`, payload: { hash: commitmentOf(secrets.b) } });
    expect(b.statusCode).toBe(201);
    const dup = await fx.as("officerB", { method: "POST", url: `/draws/${drawId}/commitments`, payload: { hash: commitmentOf(secret()) } });
    expect(dup.statusCode).toBe(409);
  });

  it("a reveal must match its commitment; the last reveal fixes the seed", async () => {
    const wrong = await fx.as("officerA", { method: "POST", url: `/draws/${drawId}/reveals`, payload: { secret: secret() } });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json().code).toBe("DRAW_REVEAL_MISMATCH");
    expect(wrong.json().message).toMatch(/不符/);
    const a = await fx.as("officerA", { method: "POST", url: `/draws/${drawId}/reveals`, payload: { secret: secrets.a } });
    expect(a.json().status).toBe("committed");
    const b = await fx.as("officerB", { method: "POST", url: `/draws/${drawId}/reveals`, payload: { secret: secrets.b } });
    expect(b.statusCode, b.body).toBe(200);
    expect(b.json().status).toBe("seeded");
    expect(b.json().seed).toMatch(/^[0-9a-f]{64}$/);
  });

  it("the draw runs once: tasks persisted; a second run → 409", async () => {
    const partner = await fx.as("officerB", { method: "POST", url: `/draws/${drawId}/run` });
    expect(partner.statusCode).toBe(403);
    const res = await fx.as("officerA", { method: "POST", url: `/draws/${drawId}/run` });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().status).toBe("drawn");
    expect(res.json().records).toHaveLength(1);
    // 2 per class × 4 classes × 2 departments
    expect(res.json().summary.selected).toBe(16);
    expect(await fx.store.prisma.task.count({ where: { drawId } })).toBe(16);
    expect(await fx.store.prisma.taskItem.count({ where: { task: { drawId } } })).toBe(32);
    const again = await fx.as("admin", { method: "POST", url: `/draws/${drawId}/run` });
    expect(again.statusCode).toBe(409);
    expect(await fx.store.prisma.task.count({ where: { drawId } })).toBe(16);
  });

  it("the full manifest verifies (stored and uploaded); a tampered one names the divergence", async () => {
    const res = await fx.as("auditor", { method: "GET", url: `/draws/${drawId}/manifest` });
    expect(res.statusCode).toBe(200);
    const ok = await fx.as("auditor", { method: "POST", url: "/draws/verify", payload: res.body, headers: { "content-type": "application/json" } });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ ok: true, kind: "full", knownDraw: { id: drawId, matchesPublished: true } });
    const m = JSON.parse(res.body);
    const t = m.records[0].private.results.targets[0].strata.find((s: { selected: unknown[]; next: unknown[] }) => s.selected.length > 0 && s.next.length > 0);
    [t.selected[0], t.next[0]] = [t.next[0], t.selected[0]];
    const bad = await fx.as("auditor", { method: "POST", url: "/draws/verify", payload: m });
    expect(bad.json().ok).toBe(false);
    expect(bad.json().path).toMatch(/^records\[0\]\.private\.results\.targets/);
    const stored = await fx.as("auditor", { method: "GET", url: `/draws/${drawId}/verify` });
    expect(stored.json()).toMatchObject({ ok: true, knownDraw: { id: drawId, matchesPublished: true } });
    const junk = await fx.as("auditor", { method: "POST", url: "/draws/verify", payload: { hello: "world" } });
    expect(junk.statusCode).toBe(422);
    expect(junk.json().code).toBe("NOT_A_MANIFEST");
  });

  it("递补: a drawn entity or officer is replaced by the next of the random order, and the chain still verifies", async () => {
    const m = JSON.parse((await fx.as("officerA", { method: "GET", url: `/draws/${drawId}/manifest` })).body);
    const deptA = (await fx.store.prisma.department.findUniqueOrThrow({ where: { id: fx.dept.a } })).code;
    const stratum = m.records[0].private.results.targets
      .find((t: { department: string }) => t.department === deptA)
      .strata.find((s: { selected: unknown[]; next: unknown[] }) => s.selected.length > 0 && s.next.length > 0);
    const out = stratum.selected[0];
    const expectedIn = stratum.next[0];
    const foreign = await fx.as("officerB", { method: "POST", url: `/draws/${drawId}/substitutions`, payload: { kind: "target", out, reason: "已注销", departmentId: fx.dept.a } });
    expect(foreign.statusCode).toBe(403);
    const res = await fx.as("officerA", { method: "POST", url: `/draws/${drawId}/substitutions`, payload: { kind: "target", out, reason: "现场核实已注销" } });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().in).toBe(expectedIn);
    const tasks = await fx.store.prisma.task.findMany({ where: { drawId, departmentId: fx.dept.a, entity: { code: { in: [out, expectedIn] } } }, include: { entity: true } });
    expect(tasks.map((t) => [t.entity.code, t.status]).sort()).toEqual([[out, "cancelled"], [expectedIn, "open"]].sort());
    // an officer of department A on some check steps aside (回避)
    // (not the check of the entity just replaced: that check was left by department A)
    const check = m.records[0].private.results.checks.find((c: { code: string; departments: { department: string; officers: string[]; reserve: string[] }[] }) =>
      c.code !== out && c.code !== expectedIn && c.departments.some((d) => d.department === deptA && d.officers.length > 0 && d.reserve.length > 0),
    );
    const team = check.departments.find((d: { department: string }) => d.department === deptA);
    const sub = await fx.as("officerA", { method: "POST", url: `/draws/${drawId}/substitutions`, payload: { kind: "inspector", entityCode: check.code, out: team.officers[0], reason: "与检查对象负责人系亲属，回避" } });
    expect(sub.statusCode, sub.body).toBe(201);
    expect(sub.json()).toMatchObject({ records: 3 });
    expect(sub.json().in).not.toBe(team.officers[0]);
    const verified = await fx.as("auditor", { method: "GET", url: `/draws/${drawId}/verify` });
    expect(verified.json(), verified.body).toMatchObject({ ok: true });
    // a manifest whose substitution picks someone else fails verification
    const tampered = JSON.parse((await fx.as("auditor", { method: "GET", url: `/draws/${drawId}/manifest` })).body);
    tampered.records[1].public.target.in = out;
    const bad = await fx.as("auditor", { method: "POST", url: "/draws/verify", payload: tampered });
    expect(bad.json()).toMatchObject({ ok: false, path: "records[1].public.target.in" });
  });

  it("void needs a reason; voiding cancels the tasks and lets the batch be drawn again with a new seed", async () => {
    const noReason = await fx.as("officerA", { method: "POST", url: `/draws/${drawId}/void`, payload: {} });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().field).toBe("body.reason");
    const auditor = await fx.as("auditor", { method: "POST", url: `/draws/${drawId}/void`, payload: { reason: "测试作废" } });
    expect(auditor.statusCode).toBe(403);
    const res = await fx.as("officerA", { method: "POST", url: `/draws/${drawId}/void`, payload: { reason: "抽取名录有误，经纪检监督同意作废" } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: "void", voidReason: "抽取名录有误，经纪检监督同意作废" });
    expect(await fx.store.prisma.task.count({ where: { drawId, status: { not: "cancelled" } } })).toBe(0);
    const next = await fx.as("officerA", { method: "POST", url: `/batches/${batchId}/draws`, payload: { seed: { mode: "external", source: "中国福利彩票 双色球", reference: "2026135 期" } } });
    expect(next.statusCode, next.body).toBe(201);
    expect(next.json().attempt).toBe(2);
    const list = await fx.as("auditor", { method: "GET", url: `/batches/${batchId}/draws` });
    expect(list.json().map((d: { status: string }) => d.status)).toEqual(["void", "committed"]);
    // an external value published before the commitment is refused, and one "published" in the future too
    const early = await fx.as("officerA", { method: "POST", url: `/draws/${next.json().id}/external-value`, payload: { value: "03 07 12 19 25 31 + 09", publishedAt: "2020-01-01T00:00:00Z" } });
    expect(early.statusCode).toBe(422);
    const future = await fx.as("officerA", { method: "POST", url: `/draws/${next.json().id}/external-value`, payload: { value: "x", publishedAt: new Date(Date.now() + 3600_000).toISOString() } });
    expect(future.statusCode).toBe(422);
    await external(fx, next.json().id);
    await run(fx, next.json().id);
    const actions = (await fx.store.prisma.auditLog.findMany({ where: { subject: `draw:${drawId}` }, orderBy: { seq: "asc" } })).map((r) => r.action);
    expect(actions).toEqual(["draw.commit", "draw.secretCommitment", "draw.secretCommitment", "draw.reveal", "draw.reveal", "draw.seeded", "draw.run", "draw.substitute.target", "draw.substitute.inspector", "draw.void"]);
  });
});

/** Another API instance, in its own process (as in production), on the same database. */
async function otherInstance(databaseUrl: string): Promise<{ inject(o: { method: string; url: string; payload?: unknown; headers: Record<string, string> }): Promise<{ statusCode: number; body: string; json(): any }>; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ["--import", "tsx", fileURLToPath(new URL("./support/instance.ts", import.meta.url))], {
    env: { ...process.env, DATABASE_URL: databaseUrl },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let buf = "";
    child.stdout!.on("data", (d: Buffer) => {
      buf += d.toString();
      const m = /\{"port":(\d+)\}/.exec(buf);
      if (m) resolve(Number(m[1]));
    });
    child.once("exit", (code) => reject(new Error(`second instance exited with ${code}`)));
  });
  return {
    async inject(o) {
      const res = await fetch(`http://127.0.0.1:${port}${o.url}`, {
        method: o.method,
        headers: { ...o.headers, ...(o.payload !== undefined ? { "content-type": "application/json" } : {}) },
        body: o.payload !== undefined ? JSON.stringify(o.payload) : undefined,
      });
      const body = await res.text();
      return { statusCode: res.status, body, json: () => JSON.parse(body) };
    },
    async stop() {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await exited;
    },
  };
}

describe("exactly one live draw per batch across API instances", () => {
  it("two instances (two processes) racing: one 201, one 409 — for the commit and for the run", async () => {
    const problem = await pgProblem();
    if (problem && REQUIRE_PG) throw new Error(`SSJ_REQUIRE_PG=1 but PostgreSQL at ${PG_URL} is unreachable: ${problem}`);
    if (problem) console.warn(`[PostgreSQL unreachable (${problem}): racing two instances on one SQLite file instead]`);
    const pgdb = problem ? null : await pgSchemaUrl();
    const fx = await fixture(pgdb ? { store: await (async () => { const s = await openStore({ databaseUrl: pgdb.url }); await s.migrate(); return s; })() } : {});
    const url = pgdb ? pgdb.url : `file:${(fx.store as { path: string }).path}`;
    const app2 = await otherInstance(url);
    try {
      expect(fx.store.kind).toBe(pgdb ? "postgresql" : "sqlite");
      const { batchId } = await seedBatch(fx, { entities: 20, count: 1 });
      const payload = { seed: { mode: "commitReveal" } };
      const headers = { authorization: `Bearer ${fx.tokens.officerA}` };
      const [r1, r2] = await Promise.all([
        fx.app.inject({ method: "POST", url: `/batches/${batchId}/draws`, payload, headers }),
        app2.inject({ method: "POST", url: `/batches/${batchId}/draws`, payload, headers }),
      ]);
      expect([r1.statusCode, r2.statusCode].sort(), `${r1.body}\n${r2.body}`).toEqual([201, 409]);
      const loser = r1.statusCode === 409 ? r1 : r2;
      expect(loser.json().code).toBe("LIVE_DRAW_EXISTS");
      expect(await fx.store.prisma.draw.count({ where: { batchId } })).toBe(1);

      // the same for running the draw: one 201, one 409, one set of tasks
      const drawId = (r1.statusCode === 201 ? r1 : r2).json().id;
      const secrets = [randomBytes(32).toString("hex"), randomBytes(32).toString("hex")];
      for (const [i, who] of (["officerA", "officerB"] as const).entries()) {
        const c = await fx.as(who, { method: "POST", url: `/draws/${drawId}/commitments`, payload: { hash: commitmentOf(secrets[i]!) } });
        expect(c.statusCode, c.body).toBe(201);
      }
      for (const [i, who] of (["officerA", "officerB"] as const).entries())
        expect((await fx.as(who, { method: "POST", url: `/draws/${drawId}/reveals`, payload: { secret: secrets[i] } })).statusCode).toBe(200);
      const [x1, x2] = await Promise.all([
        fx.app.inject({ method: "POST", url: `/draws/${drawId}/run`, headers }),
        app2.inject({ method: "POST", url: `/draws/${drawId}/run`, headers }),
      ]);
      expect([x1.statusCode, x2.statusCode].sort(), `${x1.body}\n${x2.body}`).toEqual([201, 409]);
      const tasks = (x1.statusCode === 201 ? x1 : x2).json().summary.tasks;
      expect(await fx.store.prisma.task.count({ where: { drawId } })).toBe(tasks);
    } finally {
      await app2.stop();
      await fx.close();
      await pgdb?.drop();
    }
  });
});
