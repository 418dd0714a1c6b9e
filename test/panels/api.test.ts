/**
 * 专家和人员抽取 end to end (issue 12, step 5), on SQLite and PostgreSQL: the approval bureau
 * records a 验收 with expert and staff seats, the bureau and the staff department run the
 * commit-reveal seed, the draw happens once, a drawn expert steps aside (递补), the draw is
 * voided with a public reason and drawn again with fresh secrets. The full manifest verifies
 * offline with `ssj verify`, a tampered one is rejected; a department outside the case gets 403;
 * the public record names no person; every step is in the audit chain; the database refuses a
 * rewrite of a stored draw.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { openStore } from "../../src/store/index.ts";
import { createUser } from "../../src/store/repos/users.ts";
import { verifyCommand } from "../../src/cli/commands/verify.ts";
import { verifyPanelPublic, type FullPanelManifest, type PublicPanelManifest } from "../../src/panels/index.ts";
import { fixture, pgProblem, pgSchemaUrl, PG_URL, REQUIRE_PG, seedBatch, type Fixture } from "../api/helpers.ts";
import { newSecret, secretHash } from "../api/support/ceremony.ts";

const problem = await pgProblem();
if (problem && REQUIRE_PG) throw new Error(`SSJ_REQUIRE_PG=1 but PostgreSQL at ${PG_URL} is unreachable: ${problem}`);
if (problem) console.warn(`[skip] panel draws on PostgreSQL: ${PG_URL} unreachable (${problem})`);

const SUBJECT = "91610100MA6PANEL1X";

interface Ctx {
  fx: Fixture;
  bureau: { id: number; code: string; token: string };
  expertNames: string[];
  certs: string[];
}

async function setUp(fx: Fixture): Promise<Ctx> {
  const p = fx.store.prisma;
  const b = await p.department.create({ data: { code: `T-XZSP-${Math.random().toString(36).slice(2, 8)}`, name: "测试市行政审批服务局", level: "city", kind: "approval", districtCode: "610100" } });
  const token = (await createUser(fx.store, { name: "审批科员", role: "officer", department: b.id }, "test")).token;
  // Staff of department B (住建): three qualified officers, one without the qualification.
  for (let i = 1; i <= 4; i++)
    await p.inspector.create({
      data: { departmentId: fx.dept.b, name: `住建执法员${i}`, certificateNo: `ZJ-ZF-${i}-${b.id}`, qualifications: i === 4 ? [] : ["行政执法证"], specialities: [], districts: ["6101"] },
    });
  // Expert libraries of A and B, through the API (names are synthetic).
  const expertNames: string[] = [];
  const certs: string[] = [];
  for (let i = 1; i <= 8; i++) {
    const name = `专家测试${String.fromCharCode(0x7532 + i)}${b.id}`;
    const cert = `ZJK-${b.id}-${i}`;
    const res = await fx.as("admin", {
      method: "POST",
      url: "/experts",
      payload: {
        departmentId: i % 2 ? null : fx.dept.b, // B's library and the shared one
        name,
        certificateNo: cert,
        specialities: i <= 5 ? ["结构工程"] : ["消防工程"],
        districts: ["6101"],
        ...(i === 2 ? { recusals: [{ code: SUBJECT, reason: "曾为申请人设计该项目" }] } : {}),
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    expertNames.push(name);
    certs.push(cert);
  }
  // A's library has no expert of the seats' specialities: A takes no part in the case.
  for (let i = 1; i <= 4; i++) {
    const res = await fx.as("officerA", { method: "POST", url: "/experts", payload: { name: `食品专家${i}${b.id}`, certificateNo: `SPJ-${b.id}-${i}`, specialities: ["食品检验"], districts: ["6101"] } });
    expect(res.statusCode, res.body).toBe(201);
  }
  return { fx, bureau: { id: b.id, code: b.code, token }, expertNames, certs };
}

function suite(name: string, open: () => Promise<{ fx: Fixture; drop?: () => Promise<void> }>) {
  describe(name, () => {
    let c: Ctx;
    let drop: (() => Promise<void>) | undefined;
    let panelId: number;
    let drawId: number;
    const asBureau = (opts: Parameters<Fixture["as"]>[1]) => c.fx.app.inject({ ...opts, headers: { authorization: `Bearer ${c.bureau.token}` } });

    beforeAll(async () => {
      const o = await open();
      drop = o.drop;
      c = await setUp(o.fx);
    });
    afterAll(async () => {
      await c?.fx.close();
      await drop?.();
    });

    it("expert libraries: a department keeps its own, sees only its own; the approval bureau sees the open libraries", async () => {
      expect((await c.fx.as("officerA", { method: "POST", url: "/experts", payload: { name: "共享", certificateNo: "X-0", specialities: ["结构工程"], districts: ["6101"], departmentId: null } })).statusCode).toBe(403);
      const own = await c.fx.as("officerA", { method: "POST", url: "/experts", payload: { departmentId: c.fx.dept.b, name: "越权专家", certificateNo: "X-1", specialities: ["结构工程"], districts: ["6101"] } });
      expect(own.statusCode, own.body).toBe(403);
      const a = (await c.fx.as("officerA", { method: "GET", url: "/experts" })).json() as { department: string }[];
      expect(a.length).toBe(4);
      expect((await c.fx.as("officerA", { method: "GET", url: `/experts?department=${c.fx.dept.b}` })).statusCode).toBe(403);
      expect(((await asBureau({ method: "GET", url: "/experts" })).json() as unknown[]).length).toBe(12);
      // maintenance: B's officer on B's expert yes, A's officer no; a deactivated expert is not drawn
      const bs = (await c.fx.as("officerB", { method: "GET", url: "/experts" })).json() as { id: number; certificateNo: string }[];
      const e8 = bs.find((x) => x.certificateNo === c.certs[7])!;
      expect((await c.fx.as("officerA", { method: "PUT", url: `/experts/${e8.id}`, payload: { active: false } })).statusCode).toBe(403);
      const up = await c.fx.as("officerB", { method: "PUT", url: `/experts/${e8.id}`, payload: { active: false } });
      expect(up.statusCode, up.body).toBe(200);
      expect(up.json().active).toBe(false);
      expect(((await c.fx.as("officerB", { method: "GET", url: "/experts" })).json() as unknown[]).length).toBe(4);
    });

    it("only an approval bureau records a panel; seats and recusals are checked", async () => {
      const body = {
        purpose: "acceptance",
        name: "某住宅项目竣工验收（测试）",
        applicationNo: "SP-2026-0815",
        subjectCode: SUBJECT,
        subjectDistrict: "610113",
        day: "2026-12-15",
        seats: [
          { id: "E1", kind: "expert", speciality: "结构工程", count: 2 },
          { id: "E2", kind: "expert", speciality: "消防工程", count: 1 },
          { id: "O1", kind: "officer", departmentId: c.fx.dept.b, qualifications: ["行政执法证"], count: 1 },
        ],
        recusals: [{ person: c.certs[0], reason: "与申请人法定代表人系亲属" }],
      };
      expect((await c.fx.as("officerA", { method: "POST", url: "/panels", payload: body })).statusCode).toBe(403);
      const bad = await asBureau({ method: "POST", url: "/panels", payload: { ...body, seats: [{ id: "O1", kind: "officer", departmentId: c.bureau.id, count: 1 }] } });
      expect(bad.statusCode, bad.body).toBe(422);
      expect(bad.json().message).toMatch(/不是监管部门/);
      const res = await asBureau({ method: "POST", url: "/panels", payload: body });
      expect(res.statusCode, res.body).toBe(201);
      panelId = res.json().id;
    });

    it("a department outside the case is refused (403); the case's departments and auditors read it", async () => {
      expect((await c.fx.as("officerA", { method: "GET", url: `/panels/${panelId}` })).statusCode).toBe(403);
      expect((await c.fx.as("officerB", { method: "GET", url: `/panels/${panelId}` })).statusCode).toBe(200);
      expect((await c.fx.as("auditor", { method: "GET", url: `/panels/${panelId}` })).statusCode).toBe(200);
      expect(((await c.fx.as("officerA", { method: "GET", url: "/panels" })).json() as unknown[]).length).toBe(0);
      expect((await c.fx.as("officerA", { method: "POST", url: `/panels/${panelId}/draws`, payload: { seed: { mode: "commitReveal" } } })).statusCode).toBe(403);
      expect((await c.fx.as("officerB", { method: "POST", url: `/panels/${panelId}/draws`, payload: { seed: { mode: "commitReveal" } } })).statusCode).toBe(403);
    });

    const secrets: Record<string, string> = {};
    async function ceremony(): Promise<void> {
      const commit = await asBureau({ method: "POST", url: `/panels/${panelId}/draws`, payload: { seed: { mode: "commitReveal" } } });
      expect(commit.statusCode, commit.body).toBe(201);
      drawId = commit.json().id;
      expect(commit.json().seedPlan.departments).toHaveLength(2); // the bureau and B (staff seat, library); never the bureau alone
      expect((await asBureau({ method: "POST", url: `/panels/${panelId}/draws`, payload: { seed: { mode: "commitReveal" } } })).statusCode).toBe(409); // one live draw
      const outsider = await c.fx.as("officerA", { method: "POST", url: `/panel-draws/${drawId}/commitments`, payload: { hash: secretHash(newSecret()) } });
      expect(outsider.statusCode, outsider.body).toBe(403);
      for (const who of ["bureau", "officerB"] as const) {
        secrets[who] = newSecret();
        const r = who === "bureau" ? await asBureau({ method: "POST", url: `/panel-draws/${drawId}/commitments`, payload: { hash: secretHash(secrets[who]!) } }) : await c.fx.as(who, { method: "POST", url: `/panel-draws/${drawId}/commitments`, payload: { hash: secretHash(secrets[who]!) } });
        expect(r.statusCode, r.body).toBe(201);
      }
      expect((await asBureau({ method: "POST", url: `/panel-draws/${drawId}/run` })).statusCode).toBe(409); // no seed yet
      const r1 = await asBureau({ method: "POST", url: `/panel-draws/${drawId}/reveals`, payload: { secret: secrets.bureau } });
      expect(r1.statusCode, r1.body).toBe(201);
      const r2 = await c.fx.as("officerB", { method: "POST", url: `/panel-draws/${drawId}/reveals`, payload: { secret: secrets.officerB } });
      expect(r2.statusCode, r2.body).toBe(201);
      expect(r2.json().status).toBe("seeded");
      // Two runs at once (two clicks, two API instances): exactly one draws.
      const runs = await Promise.all([asBureau({ method: "POST", url: `/panel-draws/${drawId}/run` }), asBureau({ method: "POST", url: `/panel-draws/${drawId}/run` })]);
      expect(runs.map((r) => r.statusCode).sort(), runs.map((r) => r.body).join("\n")).toEqual([201, 409]);
      expect(await c.fx.store.prisma.panelDrawRecord.count({ where: { drawId } })).toBe(1);
    }

    it("commit-reveal among the bureau and the staff department; drawn once; no re-roll", async () => {
      await ceremony();
      expect((await asBureau({ method: "POST", url: `/panel-draws/${drawId}/run` })).statusCode).toBe(409);
      const d = (await c.fx.as("officerB", { method: "GET", url: `/panel-draws/${drawId}` })).json();
      const seats = d.seats as { seat: string; persons: string[]; shortfall: number }[];
      expect(seats.map((s) => s.persons.length)).toEqual([2, 1, 1]);
      const e1 = seats[0]!.persons;
      expect(e1).not.toContain(c.certs[0]); // recused for this application
      expect(e1).not.toContain(c.certs[1]); // recused for the applicant (expert_recusals)
      expect(e1.every((x) => c.certs.slice(2, 5).includes(x))).toBe(true);
      expect(seats[1]!.persons).not.toContain(c.certs[7]); // deactivated
      expect(seats[2]!.persons[0]).toMatch(/^ZJ-ZF-[123]-/);
      expect((await c.fx.as("officerA", { method: "GET", url: `/panel-draws/${drawId}` })).statusCode).toBe(403);
      expect((await c.fx.as("officerA", { method: "GET", url: `/panel-draws/${drawId}/manifest` })).statusCode).toBe(403);
    });

    it("递补: the next of the seat's order; reason required; not by an outsider", async () => {
      const d = (await asBureau({ method: "GET", url: `/panel-draws/${drawId}` })).json();
      const out = d.seats[0].persons[0] as string;
      expect((await c.fx.as("officerA", { method: "POST", url: `/panel-draws/${drawId}/substitutions`, payload: { seat: "E1", out, reason: "因病不能参加" } })).statusCode).toBe(403);
      const s = await asBureau({ method: "POST", url: `/panel-draws/${drawId}/substitutions`, payload: { seat: "E1", out, reason: "因病不能参加" } });
      expect(s.statusCode, s.body).toBe(201);
      expect(s.json().in === null || c.certs.slice(2, 5).includes(s.json().in)).toBe(true);
      const again = await asBureau({ method: "POST", url: `/panel-draws/${drawId}/substitutions`, payload: { seat: "E1", out, reason: "再次" } });
      expect(again.statusCode).toBe(422);
    });

    it("the full manifest verifies offline (ssj verify); a tampered one is rejected, by the CLI and the API", async () => {
      const full = (await c.fx.as("auditor", { method: "GET", url: `/panel-draws/${drawId}/manifest` })).body;
      const m = JSON.parse(full) as FullPanelManifest;
      const dir = mkdtempSync(join(tmpdir(), "ssj-panel-"));
      const good = join(dir, "full.json");
      writeFileSync(good, full);
      const lines: string[] = [];
      const spy = vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => void lines.push(a.join(" ")));
      try {
        expect(await verifyCommand.run([good, "--commitment", m.commitment])).toBe(0);
        expect(lines.join("\n")).toMatch(/一致：专家和人员抽取/);
        const t = structuredClone(m);
        const seat = (t.records[0]!.private as { results: { seats: { drawn: string[] }[] } }).results.seats[1]!;
        seat.drawn[0] = c.certs.find((x) => x !== seat.drawn[0] && /-[678]$/.test(x))!; // another 消防 expert
        const bad = join(dir, "tampered.json");
        writeFileSync(bad, JSON.stringify(t));
        lines.length = 0;
        expect(await verifyCommand.run([bad])).toBe(1);
        expect(lines.join("\n")).toMatch(/不一致：records\[0\]\.private/);
        const api = await c.fx.as("auditor", { method: "POST", url: "/panel-draws/verify", headers: { "content-type": "application/json" }, payload: JSON.stringify(t) });
        expect(api.json()).toMatchObject({ ok: false, rule: "recompute" });
      } finally {
        spy.mockRestore();
      }
      expect((await c.fx.as("auditor", { method: "GET", url: `/panel-draws/${drawId}/verify` })).json()).toMatchObject({ ok: true, kind: "full", knownDraw: { matchesPublished: true } });
    });

    it("the public record and manifest name no expert; they verify and state the method and the manifest digest", async () => {
      const rec = await c.fx.as("public", { method: "GET", url: `/api/public/panel-draws/${drawId}` });
      expect(rec.statusCode, rec.body).toBe(200);
      const man = await c.fx.as("public", { method: "GET", url: `/api/public/panel-draws/${drawId}/manifest.json` });
      expect(man.statusCode).toBe(200);
      for (const text of [rec.body, man.body, (await c.fx.as("public", { method: "GET", url: "/api/public/panel-draws" })).body]) {
        for (const n of [...c.expertNames, ...c.certs, SUBJECT, "因病", "亲属"]) expect(text).not.toContain(n);
        expect(text).not.toMatch(/ZJ-ZF-/);
      }
      const r = rec.json();
      expect(r).toMatchObject({ status: "drawn", panel: { purposeLabel: "验收" } });
      expect(r.method).toMatch(/ssj-draw\/2 §15/);
      expect(man.headers.etag).toBe(`"${r.head}"`);
      const pm = JSON.parse(man.body) as PublicPanelManifest;
      expect(verifyPanelPublic(pm, { expectedCommitment: r.commitment })).toMatchObject({ ok: true, kind: "public" });
      const { digestOf } = await import("../../src/draws/v2/digest.ts");
      expect(digestOf(pm)).toBe(r.manifestDigest);
    });

    it("void is public and reasoned; a new attempt lists it and refuses a secret used before", async () => {
      expect((await asBureau({ method: "POST", url: `/panel-draws/${drawId}/void`, payload: { reason: "短" } })).statusCode).toBe(400);
      const v = await asBureau({ method: "POST", url: `/panel-draws/${drawId}/void`, payload: { reason: "验收日期变更，重新抽取" } });
      expect(v.statusCode, v.body).toBe(201);
      const pubVoid = (await c.fx.as("public", { method: "GET", url: `/api/public/panel-draws/${drawId}` })).json();
      expect(pubVoid).toMatchObject({ status: "void", voidReason: "验收日期变更，重新抽取" });
      const first = drawId;
      const commit = await asBureau({ method: "POST", url: `/panels/${panelId}/draws`, payload: { seed: { mode: "commitReveal" } } });
      expect(commit.statusCode, commit.body).toBe(201);
      drawId = commit.json().id;
      expect(commit.json().attempt).toBe(2);
      const reused = await asBureau({ method: "POST", url: `/panel-draws/${drawId}/commitments`, payload: { hash: secretHash(secrets.bureau!) } });
      expect(reused.statusCode, reused.body).toBe(409);
      const full = JSON.parse((await c.fx.as("auditor", { method: "GET", url: `/panel-draws/${drawId}/manifest` })).body) as FullPanelManifest;
      expect(full.inputs.public.attempt.previous).toHaveLength(1);
      expect(full.inputs.public.attempt.previous[0]!.reason).toBe("验收日期变更，重新抽取");
      expect(first).not.toBe(drawId);
      const list = (await c.fx.as("public", { method: "GET", url: "/api/public/panel-draws?limit=1" })).json() as { id: number }[];
      expect(list.map((d) => d.id)).toEqual([drawId]); // newest first, paged
    });

    it("a secret revealed in a panel draw is refused in a batch draw (no secret re-use anywhere)", async () => {
      const { batchId } = await seedBatch(c.fx, { entities: 8, count: 1 });
      const commit = await c.fx.as("officerA", { method: "POST", url: `/batches/${batchId}/draws`, payload: { seed: { mode: "commitReveal" } } });
      expect(commit.statusCode, commit.body).toBe(201);
      const reused = await c.fx.as("officerB", { method: "POST", url: `/draws/${commit.json().id}/commitments`, payload: { hash: secretHash(secrets.officerB!) } });
      expect(reused.statusCode, reused.body).toBe(409);
    });

    it("every step is in the audit chain; the database refuses a rewrite of a stored draw", async () => {
      const actions = (await c.fx.store.prisma.auditLog.findMany({ where: { action: { startsWith: "panel." } }, select: { action: true } })).map((a) => a.action);
      for (const a of ["panel.create", "panel.draw.commit", "panel.draw.secretCommitment", "panel.draw.reveal", "panel.draw.seeded", "panel.draw.run", "panel.draw.substitute", "panel.draw.void"]) expect(actions).toContain(a);
      const audit = await c.fx.as("auditor", { method: "GET", url: "/audit/verify" });
      expect(audit.json().ok, audit.body).toBe(true);
      const row = await c.fx.store.prisma.panelDraw.findFirstOrThrow({ where: { status: "void" } });
      await expect(c.fx.store.prisma.panelDraw.update({ where: { id: row.id }, data: { publicInputs: row.publicInputs.replace("验收", "踏勘") } })).rejects.toThrow();
      const rec = await c.fx.store.prisma.panelDrawRecord.findFirstOrThrow();
      await expect(c.fx.store.prisma.panelDrawRecord.update({ where: { id: rec.id }, data: { privatePart: "{}" } })).rejects.toThrow();
      await expect(c.fx.store.prisma.panelDrawRecord.delete({ where: { id: rec.id } })).rejects.toThrow();
    });
  });
}

suite("panel draws on SQLite", async () => ({ fx: await fixture() }));

describe.skipIf(problem !== null)("PostgreSQL", () => {
  suite("panel draws on PostgreSQL", async () => {
    const db = await pgSchemaUrl();
    const store = await openStore({ databaseUrl: db.url });
    await store.migrate();
    return { fx: await fixture({ store }), drop: db.drop };
  });
});
