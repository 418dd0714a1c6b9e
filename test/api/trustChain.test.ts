/**
 * The trust chain end to end (issue 8): each observation tried as the opponent would — a lead
 * department that wants another result, an operator with database access, a citizen checking the
 * 公示 — across API, store, engine, CLI and page. Each `describe` names the observation it closes.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { canonicalJson } from "../../src/draws/index.ts";
import { inputsDigests, NEEDS_FULL_MANIFEST, PUBLIC_PROVES, type FullManifest2, type PublicManifest2 } from "../../src/draws/v2/index.ts";
import { verifyCommand } from "../../src/cli/commands/verify.ts";
import { main } from "../../src/cli/main.ts";
import { fixture, seedBatch, type Fixture } from "./helpers.ts";
import { commit, commitReveal, drawBatch, external, fullManifest, publicManifest, run } from "./support/ceremony.ts";

type PublicDraw = { id: string; status: string; statusLabel: string; voidReason?: string; attempt: number; attemptsOfBatch: number; commitment: string; frozenAt: string; seed?: string; selectedCount?: number; secretCommitments?: { department: string; hash: string }[]; head: string; records: { kind: string; summary: string }[]; planId: string; batchId: string };

const publicDraw = async (fx: Fixture, id: number) => {
  const r = await fx.as("public", { method: "GET", url: `/api/public/draws/${id}` });
  expect(r.statusCode, r.body).toBe(200);
  return r.json() as PublicDraw;
};
const page = async (fx: Fixture, id: number) => (await fx.as("public", { method: "GET", url: `/public/draws/${id}` })).body;
const logs = () => {
  const out: string[] = [];
  const a = vi.spyOn(console, "log").mockImplementation((...x: unknown[]) => void out.push(x.join(" ")));
  const b = vi.spyOn(console, "error").mockImplementation((...x: unknown[]) => void out.push(x.join(" ")));
  return { out, restore: () => (a.mockRestore(), b.mockRestore()) };
};

let fx: Fixture;
beforeAll(async () => {
  fx = await fixture();
});
afterAll(async () => fx.close());

describe("1. void and redraw is public and costly, never a silent re-roll", () => {
  it("a voided draw stays on the public record with its results, reason and attempt count, next to the redraw", async () => {
    const { batchId } = await seedBatch(fx, { entities: 40, count: 2 });
    const first = await drawBatch(fx, batchId, "2026140 期");
    const before = await publicDraw(fx, first);
    expect(before.selectedCount).toBe(16);
    const v = await fx.as("officerA", { method: "POST", url: `/draws/${first}/void`, payload: { reason: "名录导入有误，经纪检组同意作废" } });
    expect(v.statusCode, v.body).toBe(200);
    const voided = await publicDraw(fx, first);
    expect(voided).toMatchObject({ status: "void", statusLabel: "已作废", voidReason: "名录导入有误，经纪检组同意作废", selectedCount: 16, seed: before.seed, commitment: before.commitment });
    expect(await page(fx, first)).toMatch(/已作废[\s\S]*名录导入有误，经纪检组同意作废/);
    // the same external period again is refused: its value existed at the void
    const same = await fx.as("officerA", { method: "POST", url: `/batches/${batchId}/draws`, payload: { seed: { mode: "external", source: "中国福利彩票 双色球", reference: "2026140 期" } } });
    expect(same.statusCode, same.body).toBe(409);
    expect(same.json().code).toBe("DRAW_SEED_REUSED");
    const second = await drawBatch(fx, batchId, "2026141 期");
    const redraw = await publicDraw(fx, second);
    expect(redraw).toMatchObject({ attempt: 2, attemptsOfBatch: 2, status: "drawn" });
    // the redraw's committed inputs name the voided attempt (its commitment, seed, reason)
    const pm = JSON.parse((await publicManifest(fx, second)).body) as PublicManifest2;
    expect(pm.inputs.public.attempt.previous).toMatchObject([{ attempt: 1, commitment: before.commitment, seed: before.seed, reason: "名录导入有误，经纪检组同意作废", reference: "2026140 期" }]);
    const list = (await fx.as("public", { method: "GET", url: `/api/public/draws?pageSize=100` })).json().items as PublicDraw[];
    expect(list.filter((d) => d.batchId === String(batchId)).map((d) => d.status).sort()).toEqual(["drawn", "void"]);
  });

  it("a draw voided before its seed appears publicly too, with its reason", async () => {
    const { batchId } = await seedBatch(fx, { entities: 12, count: 1 });
    const d = await commit(fx, batchId, { mode: "commitReveal" });
    expect((await publicDraw(fx, d.id)).status).toBe("committed");
    await fx.as("officerA", { method: "POST", url: `/draws/${d.id}/void`, payload: { reason: "配合部门未能按时提交承诺" } });
    expect(await publicDraw(fx, d.id)).toMatchObject({ status: "void", voidReason: "配合部门未能按时提交承诺" });
  });
});

describe("2. the commitment is public before the seed", () => {
  it("committing publishes at once the batch, departments, pool, commitment, freeze time and seed plan; hashes as they arrive", async () => {
    const { batchId } = await seedBatch(fx, { entities: 30, count: 1 });
    const d = await commit(fx, batchId, { mode: "commitReveal" });
    const pub = await publicDraw(fx, d.id);
    expect(pub).toMatchObject({ status: "committed", commitment: d.commitment, frozenAt: d.frozenAt });
    expect(pub.seed).toBeUndefined();
    const early = JSON.parse((await publicManifest(fx, d.id)).body) as PublicManifest2;
    expect(early.seed).toBeNull();
    expect(early.inputs.public.pool.codes).toHaveLength((await fx.as("auditor", { method: "GET", url: `/draws/${d.id}` })).json().summary.pool);
    expect(early.inputs.public.pool.codes.length).toBeGreaterThanOrEqual(30);
    expect(early.inputs.public.seedPlan).toMatchObject({ mode: "commitReveal" });
    expect(await page(fx, d.id)).toMatch(/已承诺[\s\S]*承诺值（抽取前公布）[\s\S]*尚未生成/);
    // the citizen's early copy: its commitment recomputes from its own public inputs
    expect(inputsDigests({ public: early.inputs.public, private: null as never }).publicDigest).toBeDefined();
    const secrets = await commitReveal(fx, d.id);
    void secrets;
    const seeded = await publicDraw(fx, d.id);
    expect(seeded.secretCommitments).toHaveLength(2);
    await run(fx, d.id);
    const late = JSON.parse((await publicManifest(fx, d.id)).body) as PublicManifest2;
    // the published inputs never changed between the commitment and the draw
    expect(canonicalJson(late.inputs)).toBe(canonicalJson(early.inputs));
    expect(late.commitment).toBe(early.commitment);
    // and the early copy is enough to check the late manifest against
    const dir = mkdtempSync(join(tmpdir(), "trust-"));
    writeFileSync(join(dir, "late.json"), canonicalJson(late));
    const l = logs();
    try {
      expect(await verifyCommand.run([join(dir, "late.json"), "--commitment", early.commitment])).toBe(0);
    } finally {
      l.restore();
    }
  });

  it("an external value stated as published before the freeze is refused; its publication time is bound into the seed", async () => {
    const { batchId } = await seedBatch(fx, { entities: 12, count: 1 });
    const d = await commit(fx, batchId, { mode: "external", source: "中国福利彩票 双色球", reference: "2026150 期" });
    const before = await fx.as("officerA", { method: "POST", url: `/draws/${d.id}/external-value`, payload: { value: "01 02 03", publishedAt: new Date(Date.parse(d.frozenAt) - 1000).toISOString() } });
    expect(before.statusCode).toBe(422);
    expect(before.json().message).toMatch(/不晚于输入冻结时间/);
    await external(fx, d.id);
    await run(fx, d.id);
    const m = JSON.parse(await fullManifest(fx, d.id)) as FullManifest2;
    const moved = structuredClone(m);
    (moved.seed!.provenance as { publishedAt: string }).publishedAt = new Date(Date.parse(d.frozenAt) + 5000).toISOString();
    const res = await fx.as("auditor", { method: "POST", url: "/draws/verify", payload: moved });
    expect(res.json()).toMatchObject({ ok: false, path: "seed.value" });
  });
});

describe("3. public verification proves what the page says, and says what it cannot", () => {
  let drawId: number;
  let pub: PublicManifest2;
  let dir: string;
  beforeAll(async () => {
    const { batchId } = await seedBatch(fx, { entities: 40, count: 2 });
    drawId = await drawBatch(fx, batchId);
    pub = JSON.parse((await publicManifest(fx, drawId)).body);
    dir = mkdtempSync(join(tmpdir(), "trust-pub-"));
  });
  const verifyFile = async (doc: unknown, ...args: string[]) => {
    const f = join(dir, `m-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(f, typeof doc === "string" ? doc : canonicalJson(doc));
    const l = logs();
    try {
      return { code: await verifyCommand.run([f, ...args]), out: l.out.join("\n") };
    } catch (e) {
      return { code: (e as { exitCode?: number }).exitCode ?? -1, out: String((e as Error).message) };
    } finally {
      l.restore();
    }
  };

  it("an honest public manifest: exit 0, the proven and the unprovable listed in the page's own words", async () => {
    const r = await verifyFile(pub, "--commitment", pub.commitment);
    expect(r.code, r.out).toBe(0);
    for (const claim of Object.values(PUBLIC_PROVES).filter((c) => c !== PUBLIC_PROVES.substitutions)) expect(r.out).toContain(claim);
    for (const limit of NEEDS_FULL_MANIFEST) expect(r.out).toContain(limit);
    const html = await page(fx, drawId);
    for (const claim of Object.values(PUBLIC_PROVES)) expect(html).toContain(claim);
    for (const limit of NEEDS_FULL_MANIFEST) expect(html).toContain(limit);
    expect(html).not.toMatch(/未被更改或重抽/); // the old overclaim is gone
  });

  it("an entity deleted from the pool, a renamed batch or a fake commitment: exit 1", async () => {
    const dropped = structuredClone(pub);
    const k = dropped.inputs.public.pool.codes.findIndex((c) => !JSON.stringify(dropped.records).includes(c));
    dropped.inputs.public.pool.codes.splice(k, 1);
    dropped.inputs.public.pool.districts.splice(k, 1);
    dropped.inputs.public.pool.classCounts.A--; // keep the counts adding up; the class is unknown to the public anyway
    expect((await verifyFile(dropped, "--commitment", pub.commitment)).code).toBe(1);
    expect((await verifyFile(dropped)).code).toBe(1); // even without the published commitment: the manifest's own commitment no longer recomputes
    const renamed = structuredClone(pub);
    renamed.inputs.public.batch.name = "另一个批次";
    const r = await verifyFile(renamed);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/commitment/);
    expect((await verifyFile(pub, "--commitment", "0".repeat(64))).code).toBe(1);
  });

  it("a consistent forger who recomputes the commitment is caught by the commitment published before the seed", async () => {
    const forged = structuredClone(pub);
    forged.inputs.public.batch.name = "另一个批次";
    const { publicDigest } = inputsDigests({ public: forged.inputs.public, private: {} as never });
    const { commitmentOf } = await import("../../src/draws/v2/digest.ts");
    forged.commitment = commitmentOf(publicDigest, forged.inputs.privateDigest);
    expect((await verifyFile(forged, "--commitment", pub.commitment)).code).toBe(1);
    const api = await fx.as("public", { method: "POST", url: "/draws/verify", payload: forged });
    expect(api.statusCode).toBe(401); // the upload route is for users; the CLI is the public's tool
    const asAuditor = await fx.as("auditor", { method: "POST", url: "/draws/verify", payload: forged });
    expect(asAuditor.json().ok).toBe(false);
  });

  it("POST /draws/verify accepts public manifests and says what only the full one proves", async () => {
    const r = await fx.as("officerB", { method: "POST", url: "/draws/verify", payload: pub });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ ok: true, kind: "public", knownDraw: { id: drawId, matchesPublished: true } });
    expect(r.json().notProven).toEqual([...NEEDS_FULL_MANIFEST]);
  });
});

describe("6. a stored draw cannot be rewritten, and verification trusts what was published, not the row", () => {
  it("the database refuses changes to a drawn draw and to its records; a rewrite behind its back is caught", async () => {
    const { batchId } = await seedBatch(fx, { entities: 20, count: 1 });
    const drawId = await drawBatch(fx, batchId);
    const raw = (fx.store as { raw: import("better-sqlite3").Database }).raw;
    for (const sql of [
      `UPDATE draws SET public_inputs = '{}' WHERE id = ${drawId}`,
      `UPDATE draws SET commitment = '${"1".repeat(64)}' WHERE id = ${drawId}`,
      `UPDATE draws SET seed = '${"2".repeat(64)}' WHERE id = ${drawId}`,
      `UPDATE draws SET status = 'seeded' WHERE id = ${drawId}`,
      `DELETE FROM draws WHERE id = ${drawId}`,
      `UPDATE draw_records SET public_part = '{}' WHERE draw_id = ${drawId}`,
      `DELETE FROM draw_records WHERE draw_id = ${drawId}`,
    ])
      expect(() => raw.prepare(sql).run(), sql).toThrow(/cannot be changed|never deleted|append-only/);
    // An operator who drops the triggers and rewrites inputs and commitment consistently
    raw.exec(`DROP TRIGGER IF EXISTS "draws_immutable"`);
    const row = raw.prepare(`SELECT public_inputs, private_digest FROM draws WHERE id = ?`).get(drawId) as { public_inputs: string; private_digest: string };
    const inputs = JSON.parse(row.public_inputs);
    inputs.batch.name = "改过的批次名";
    const { commitmentOf, digestOf } = await import("../../src/draws/v2/digest.ts");
    const forged = commitmentOf(digestOf(inputs), row.private_digest);
    raw.prepare(`UPDATE draws SET public_inputs = ?, commitment = ? WHERE id = ?`).run(canonicalJson(inputs), forged, drawId);
    const v = await fx.as("auditor", { method: "GET", url: `/draws/${drawId}/verify` });
    expect(v.statusCode, v.body).toBe(200);
    expect(v.json().ok).toBe(false);
    expect(v.json().path).toBe("commitment");
    expect(v.json().message).toMatch(/公布|审计日志/);
  });
});

describe("7. the audit log's tail cannot be cut nor its chain recomputed unnoticed", () => {
  it("ssj audit verify checks the log against the published heads (stored, in draws, and in a file kept outside)", async () => {
    const { batchId } = await seedBatch(fx, { entities: 12, count: 1 });
    await drawBatch(fx, batchId);
    const anchorsFile = join(mkdtempSync(join(tmpdir(), "anchors-")), "anchors.json");
    const published = await fx.as("public", { method: "GET", url: "/api/public/audit/anchors" });
    expect(published.statusCode).toBe(200);
    expect(published.json().items.length).toBeGreaterThan(0);
    writeFileSync(anchorsFile, published.body);
    const saved = process.env.DATABASE_URL;
    process.env.DATABASE_URL = `file:${(fx.store as { path: string }).path}`;
    const l = logs();
    try {
      expect(await main(["audit", "verify", "--anchors", anchorsFile])).toBe(0);
      const raw = (fx.store as { raw: import("better-sqlite3").Database }).raw;
      raw.exec(`DROP TRIGGER IF EXISTS "audit_log_no_update"; DROP TRIGGER IF EXISTS "audit_log_no_delete"; DROP TRIGGER IF EXISTS "audit_anchors_no_delete";`);
      // cut the tail: the chain itself stays intact
      const last = (raw.prepare("SELECT max(seq) AS n FROM audit_log").get() as { n: number }).n;
      raw.prepare("DELETE FROM audit_log WHERE seq > ?").run(last - 3);
      const { verifyAuditChain } = await import("../../src/audit/chain.ts");
      const { readAuditLog } = await import("../../src/store/index.ts");
      expect(verifyAuditChain(await readAuditLog(fx.store.prisma)).ok).toBe(true); // the cut log alone looks intact
      l.out.length = 0;
      expect(await main(["audit", "verify"])).toBe(1);
      expect(l.out.join("\n")).toMatch(/末尾被截掉/);
      // and with every anchor inside the database deleted too, the file kept outside still tells
      raw.prepare("DELETE FROM audit_anchors").run();
      l.out.length = 0;
      expect(await main(["audit", "verify", "--anchors", anchorsFile])).toBe(1);
    } finally {
      l.restore();
      if (saved === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = saved;
    }
  });
});

describe("8. configuration the spec forbids is refused when it is set", () => {
  it.each([
    [{ team: { minPerDepartment: 0 } }, "draw.team.minPerDepartment"],
    [{ team: { minTotal: 1 } }, "draw.team.minTotal"],
    [{ team: "x" }, "draw.team"],
    [{ substitutes: -1 }, "draw.substitutes"],
    [{ substitutes: "3" }, "draw.substitutes"],
    [{ generalRatioCap: { A: "2/1" } }, "draw.generalRatioCap.A"],
    [{ generalRatioCap: { E: "1/10" } }, "draw.generalRatioCap.E"],
    [{ quota: 1 }, "draw.quota"],
    [{ team: { minPerDepartment: 1, extra: 2 } }, "draw.team.extra"],
  ])("PUT /config/draw %j → 422 naming %s", async (value, field) => {
    const r = await fx.as("admin", { method: "PUT", url: "/config/draw", payload: value });
    expect(r.statusCode, r.body).toBe(422);
    expect(r.json().field).toBe(field);
    expect(r.json().message).toMatch(/[\u4e00-\u9fff]/);
  });
});

describe("10. the public record follows the chain at once; only approved plans are drawn", () => {
  it("a 递补 is on the public manifest at once: new ETag (the chain head), no stale cache", async () => {
    const { batchId } = await seedBatch(fx, { entities: 40, count: 2 });
    const drawId = await drawBatch(fx, batchId);
    const before = await publicManifest(fx, drawId);
    expect(before.headers["cache-control"]).toMatch(/no-cache/);
    const m = JSON.parse(before.body) as PublicManifest2;
    const t = (m.records[0]!.public as unknown as { results: { targets: { department: string; selected: string[] }[] } }).results.targets[0]!;
    const dept = await fx.store.prisma.department.findUniqueOrThrow({ where: { code: t.department } });
    const who = dept.id === fx.dept.a ? "officerA" : "officerB";
    const s = await fx.as(who, { method: "POST", url: `/draws/${drawId}/substitutions`, payload: { kind: "target", out: t.selected[0]!, reason: "现场核实已停业" } });
    expect(s.statusCode, s.body).toBe(201);
    const revalidate = await fx.as("public", { method: "GET", url: `/api/public/draws/${drawId}/manifest.json`, headers: { "if-none-match": before.headers.etag as string } });
    expect(revalidate.statusCode).toBe(200);
    expect(revalidate.headers.etag).toBe(`"${s.json().head}"`);
    const after = JSON.parse(revalidate.body) as PublicManifest2;
    expect(after.records.map((r) => r.kind)).toEqual(["draw", "substitution"]);
    expect((await publicDraw(fx, drawId)).records.at(-1)!.summary).toMatch(/对象递补：.*现场核实已停业/);
  });

  it("a batch of a draft plan cannot be drawn; a published plan lists its draws under the same id", async () => {
    const { batchId, planId } = await seedBatch(fx, { entities: 12, count: 1, approve: false });
    const r = await fx.as("officerA", { method: "POST", url: `/batches/${batchId}/draws`, payload: { seed: { mode: "commitReveal" } } });
    expect(r.statusCode).toBe(409);
    expect(r.json().code).toBe("PLAN_NOT_APPROVED");
    expect((await fx.as("public", { method: "GET", url: `/api/public/plans/${planId}` })).statusCode).toBe(404);
    await fx.as("officerA", { method: "POST", url: `/plans/${planId}/status`, payload: { status: "approved" } });
    const d = await commit(fx, batchId, { mode: "commitReveal" });
    const plan = await fx.as("public", { method: "GET", url: `/api/public/plans/${planId}` });
    expect(plan.statusCode, plan.body).toBe(200);
    expect(plan.json().plan.id).toBe(String(planId));
    expect(plan.json().plan.batches.map((b: { id: string }) => b.id)).toContain(String(batchId));
    expect(plan.json().draws.map((x: { id: string }) => x.id)).toContain(String(d.id));
  });
});
