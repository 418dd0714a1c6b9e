/**
 * The database itself refuses bad data, whatever the path (Prisma or the raw driver).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dbErrorKind, openStore, withTransaction, appendAudit, type Store } from "../../src/store/index.ts";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { HEX64, providers, seedBasics } from "./helpers.ts";

function runFixture(name: string, env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const file = fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
    const child = spawn(process.execPath, ["--import", "tsx", file], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("error", reject);
    child.on("close", () => resolve(out));
  });
}

for (const p of await providers()) {
  describe.skipIf(p.skip)(`database constraints on ${p.kind}`, () => {
    const dbs = p.make();
    let s: Store;
    let g: Awaited<ReturnType<typeof seedBasics>>;
    beforeAll(async () => {
      s = await openStore({ databaseUrl: await dbs.fresh() });
      await s.migrate();
      g = await seedBasics(s.prisma);
    });
    afterAll(async () => {
      await s?.close();
      await dbs.dispose();
    });

    /** Expects the promise to be refused by the database with the given kind of rule. */
    const refused = async (kind: string, work: () => Promise<unknown>) => {
      let error: unknown;
      try {
        await work();
      } catch (err) {
        error = err;
      }
      expect(error, `expected a ${kind} violation`).toBeDefined();
      expect(dbErrorKind(error), String((error as Error).message)).toBe(kind);
    };
    /** Runs SQL through the raw driver handle (bypassing Prisma entirely). */
    const rawExec = async (sql: string) => {
      if (s.kind === "sqlite") s.raw.exec(sql);
      else await s.raw.query(sql);
    };

    it("foreign keys: a recusal for an unknown inspector or entity", async () => {
      await refused("foreign-key", () => s.prisma.recusal.create({ data: { inspectorId: 999_999, entityId: g.entity.id, reason: "亲属" } }));
      await refused("foreign-key", () => rawExec(`INSERT INTO recusals (inspector_id, entity_id, reason) VALUES (${g.inspector.id}, 999999, 'x')`));
    });

    it("unique keys: recusal inspector × entity, certificate number, entity code", async () => {
      await s.prisma.recusal.create({ data: { inspectorId: g.inspector.id, entityId: g.entity2.id, reason: "曾任职" } });
      await refused("unique", () => s.prisma.recusal.create({ data: { inspectorId: g.inspector.id, entityId: g.entity2.id, reason: "again" } }));
      await refused("unique", () =>
        s.prisma.inspector.create({
          data: { departmentId: g.department.id, name: "李四", certificateNo: g.inspector.certificateNo, qualifications: [], specialities: [], districts: [] },
        }),
      );
      await refused("unique", () =>
        s.prisma.entity.create({ data: { code: g.entity.code, codeKind: "uscc", name: "dup", districtCode: "350100", kind: "enterprise" } }),
      );
    });

    it("checks: risk class 'E', unknown status, malformed code and date, via Prisma and raw SQL", async () => {
      const base = { codeKind: "uscc", name: "甲", districtCode: "370102", kind: "enterprise" };
      await refused("check", () => s.prisma.entity.create({ data: { ...base, code: "91370102MA3C0000X1", riskClass: "E" } }));
      await refused("check", () => s.prisma.entity.update({ where: { id: g.entity.id }, data: { riskClass: "E" } }));
      await refused("check", () => rawExec(`UPDATE entities SET risk_class = 'E' WHERE id = ${g.entity.id}`));
      await refused("check", () => s.prisma.entity.create({ data: { ...base, code: "91370102MA3C0000X2", status: "sleeping" } }));
      await refused("check", () => s.prisma.entity.create({ data: { ...base, code: "91370102MA3C0000I2" } })); // I is not in the alphabet
      await refused("check", () => s.prisma.entity.create({ data: { ...base, code: "9137010", codeKind: "regno" } }));
      await refused("check", () => s.prisma.entity.create({ data: { ...base, code: "91370102MA3C0000X3", establishedOn: "2026/01/01" } }));
      // NULL risk class (unclassified) is allowed; a valid one too.
      const ok = await s.prisma.entity.create({ data: { ...base, code: "91370102MA3C0000X4", riskClass: null } });
      await s.prisma.entity.update({ where: { id: ok.id }, data: { riskClass: "D", status: "moved-out" } });
      expect((await s.prisma.entity.findUniqueOrThrow({ where: { id: ok.id } })).riskClass).toBe("D");
    });

    it("checks: sampling rule needs exactly one of ratio (0‰..1000‰) and count; batch window ordered; one lead per batch", async () => {
      const key = { batchId: g.batch.id, departmentId: g.department.id };
      await refused("check", () => s.prisma.samplingRule.create({ data: { ...key, riskClass: "A", ratioPerMille: 10, count: 5 } }));
      await refused("check", () => s.prisma.samplingRule.create({ data: { ...key, riskClass: "A" } }));
      await refused("check", () => s.prisma.samplingRule.create({ data: { ...key, riskClass: "A", ratioPerMille: 1001 } }));
      await s.prisma.samplingRule.create({ data: { ...key, riskClass: "A", ratioPerMille: 10 } });
      // A sampling rule for a department that does not take part in the batch.
      await refused("foreign-key", () => s.prisma.samplingRule.create({ data: { batchId: g.batch.id, departmentId: g.partner.id, riskClass: "B", count: 3 } }));
      await refused("check", () => s.prisma.batch.update({ where: { id: g.batch.id }, data: { windowEnd: "2026-02-01" } }));
      await refused("unique", () => s.prisma.batchDepartment.create({ data: { batchId: g.batch.id, departmentId: g.partner.id, role: "lead" } }));
      await s.prisma.batchDepartment.create({ data: { batchId: g.batch.id, departmentId: g.partner.id, role: "partner" } });
    });

    it("draws: at most one live draw per batch; void needs a reason and frees the batch", async () => {
      const d = { batchId: g.batch.id, specVersion: "1", inputDigest: HEX64, commitment: "c1" };
      const first = await s.prisma.draw.create({ data: { ...d, liveBatchId: g.batch.id } });
      await refused("unique", () => s.prisma.draw.create({ data: { ...d, liveBatchId: g.batch.id } }));
      // liveBatchId must be the batch id while live, and null when void.
      await refused("check", () => s.prisma.draw.create({ data: { ...d, liveBatchId: null } }));
      await refused("check", () => s.prisma.draw.update({ where: { id: first.id }, data: { status: "void", liveBatchId: null } }));
      // A status only moves forward (committed → seeded → drawn, or → void): skipping the seed is refused.
      await refused("immutable", () => s.prisma.draw.update({ where: { id: first.id }, data: { status: "drawn" } }));
      await s.prisma.draw.update({ where: { id: first.id }, data: { status: "void", liveBatchId: null, voidReason: "wrong frame", voidedAt: new Date() } });
      const second = await s.prisma.draw.create({ data: { ...d, liveBatchId: g.batch.id } });
      expect(second.status).toBe("committed");
      await s.prisma.draw.update({ where: { id: second.id }, data: { status: "void", liveBatchId: null, voidReason: "test cleanup", voidedAt: new Date() } });
    });

    it("a draw's inputs, commitment, seed and records cannot be changed; statuses only move forward; nothing is deleted", async () => {
      const d2 = { batchId: g.batch.id, specVersion: "ssj-draw/2", inputDigest: HEX64, commitment: "c".repeat(64), publicInputs: "{}", privateInputs: "{}", privateDigest: HEX64, frozenAt: new Date() };
      await refused("check", () => s.prisma.draw.create({ data: { ...d2, liveBatchId: g.batch.id, publicInputs: null } }));
      const draw = await s.prisma.draw.create({ data: { ...d2, liveBatchId: g.batch.id } });
      await refused("immutable", () => s.prisma.draw.update({ where: { id: draw.id }, data: { commitment: "d".repeat(64) } }));
      await refused("immutable", () => s.prisma.draw.update({ where: { id: draw.id }, data: { publicInputs: '{"x":1}' } }));
      await s.prisma.draw.update({ where: { id: draw.id }, data: { status: "seeded", seed: "e".repeat(64), seededAt: new Date(), seedProvenance: { mode: "external" } } });
      await refused("immutable", () => s.prisma.draw.update({ where: { id: draw.id }, data: { seed: "f".repeat(64) } }));
      await refused("immutable", () => s.prisma.draw.update({ where: { id: draw.id }, data: { status: "committed" } }));
      await s.prisma.draw.update({ where: { id: draw.id }, data: { status: "drawn", drawnAt: new Date() } });
      await refused("immutable", () => rawExec(`UPDATE draws SET drawn_at = NULL WHERE id = ${draw.id}`));
      await refused("immutable", () => rawExec(`DELETE FROM draws WHERE id = ${draw.id}`));
      const rec = { drawId: draw.id, seq: 0, kind: "draw", prev: HEX64, digest: "1".repeat(64), at: new Date(), publicPart: "{}", privatePart: "{}", privateDigest: HEX64, actor: "test" };
      await refused("check", () => s.prisma.drawRecord.create({ data: { ...rec, kind: "schedule" } }));
      await s.prisma.drawRecord.create({ data: rec });
      await refused("unique", () => s.prisma.drawRecord.create({ data: { ...rec, digest: "2".repeat(64) } }));
      await refused("append-only", () => rawExec(`UPDATE draw_records SET public_part = '{"y":1}' WHERE draw_id = ${draw.id}`));
      await refused("append-only", () => rawExec(`DELETE FROM draw_records WHERE draw_id = ${draw.id}`));
      // a secret commitment is unique everywhere and never changes
      await s.prisma.drawCommitment.create({ data: { drawId: draw.id, departmentId: g.department.id, hash: "3".repeat(64) } });
      await refused("unique", () => s.prisma.drawCommitment.create({ data: { drawId: draw.id, departmentId: g.partner.id, hash: "3".repeat(64) } }));
      await refused("immutable", () => rawExec(`UPDATE draw_commitments SET hash = '${"4".repeat(64)}' WHERE draw_id = ${draw.id}`));
      // void: reason and actor, then nothing moves any more
      await s.prisma.draw.update({ where: { id: draw.id }, data: { status: "void", liveBatchId: null, voidReason: "测试", voidedAt: new Date(), voidActor: "user:1" } });
      await refused("immutable", () => s.prisma.draw.update({ where: { id: draw.id }, data: { voidReason: "另一个理由" } }));
      await refused("append-only", () => s.prisma.auditAnchor.create({ data: { seq: 1, hash: HEX64, publishedAt: new Date(), reason: "daily" } }).then(() => rawExec(`DELETE FROM audit_anchors WHERE seq = 1`)));
    });

    it("two processes drawing the same batch at once: one success, one unique violation", async () => {
      // Like two API instances: each process opens its own store and creates a live draw in a
      // transaction that stays open for a moment. The database lets exactly one through.
      const url = s.kind === "sqlite" ? `file:${s.path}` : pgUrl(s);
      const outs = await Promise.all([0, 1].map(() => runFixture("drawOnce.ts", { DATABASE_URL: url, BATCH_ID: String(g.batch.id) })));
      const results = outs.map((o) => /result: (\w[\w-]*)/.exec(o)?.[1] ?? o);
      expect(results.sort(), outs.join("\n")).toEqual(["ok", "unique"]);
      expect(await s.prisma.draw.count({ where: { liveBatchId: g.batch.id } })).toBe(1);
    });

    it("tasks: directed needs a kind and a reason, random needs a draw; a visit takes only tasks of its own entity", async () => {
      const t = { entityId: g.entity.id, departmentId: g.department.id, windowStart: "2026-03-01", windowEnd: "2026-03-31" };
      await refused("check", () => s.prisma.task.create({ data: { ...t, taskNo: "T-1", kind: "directed" } }));
      await refused("check", () => s.prisma.task.create({ data: { ...t, taskNo: "T-1", kind: "directed", directedKind: "complaint" } }));
      await refused("check", () => s.prisma.task.create({ data: { ...t, taskNo: "T-1", kind: "directed", directedReason: "投诉举报 12315" } }));
      await refused("check", () => s.prisma.task.create({ data: { ...t, taskNo: "T-1", kind: "directed", directedKind: "hotline", directedReason: "投诉举报 12315" } }));
      await refused("check", () => s.prisma.task.create({ data: { ...t, taskNo: "T-2", kind: "random" } }));
      const task = await s.prisma.task.create({ data: { ...t, taskNo: "T-3", kind: "directed", directedKind: "complaint", directedReason: "投诉举报 12315" } });
      const otherVisit = await s.prisma.jointCheck.create({ data: { entityId: g.entity2.id, day: "2026-03-10" } });
      await refused("foreign-key", () => s.prisma.jointCheckTask.create({ data: { jointCheckId: otherVisit.id, taskId: task.id, entityId: g.entity2.id } }));
      await refused("foreign-key", () => s.prisma.jointCheckTask.create({ data: { jointCheckId: otherVisit.id, taskId: task.id, entityId: g.entity.id } }));
      const visit = await s.prisma.jointCheck.create({ data: { entityId: g.entity.id, day: "2026-03-11" } });
      await s.prisma.jointCheckTask.create({ data: { jointCheckId: visit.id, taskId: task.id, entityId: g.entity.id } });
    });

    it("team: a recused inspector cannot join a visit of that entity; officer/expert and substitution shapes", async () => {
      const visit = await s.prisma.jointCheck.create({ data: { entityId: g.entity2.id, day: "2026-04-01" } });
      // The inspector was recused from entity2 in the unique-keys test.
      await refused("recusal", () => s.prisma.teamMember.create({ data: { jointCheckId: visit.id, role: "officer", inspectorId: g.inspector.id } }));
      const visit2 = await s.prisma.jointCheck.create({ data: { entityId: g.entity.id, day: "2026-04-02" } });
      await refused("check", () => s.prisma.teamMember.create({ data: { jointCheckId: visit2.id, role: "expert", inspectorId: g.inspector.id } }));
      await refused("check", () =>
        s.prisma.teamMember.create({ data: { jointCheckId: visit2.id, role: "officer", inspectorId: g.inspector.id, replacedInspectorId: g.inspector.id + 0 } }),
      );
      await s.prisma.teamMember.create({ data: { jointCheckId: visit2.id, role: "officer", inspectorId: g.inspector.id, departmentId: g.department.id } });
    });

    it("users: role values, officers need a department, token hashes are unique", async () => {
      await refused("check", () => s.prisma.user.create({ data: { name: "x", role: "root", tokenHash: "h1" } }));
      await refused("check", () => s.prisma.user.create({ data: { name: "x", role: "officer", tokenHash: "h2" } }));
      await s.prisma.user.create({ data: { name: "a", role: "admin", tokenHash: "h3" } });
      await refused("unique", () => s.prisma.user.create({ data: { name: "b", role: "auditor", tokenHash: "h3" } }));
    });

    it("audit log: UPDATE, DELETE (and on PostgreSQL TRUNCATE) are rejected, by Prisma and by raw SQL", async () => {
      await withTransaction(s, (tx) => appendAudit(tx, { actor: "test", action: "x", subject: "s", payload: null }));
      await refused("append-only", () => s.prisma.auditLog.updateMany({ data: { actor: "mallory" } }));
      await refused("append-only", () => s.prisma.auditLog.deleteMany({}));
      await refused("append-only", () => rawExec(`UPDATE audit_log SET actor = 'mallory'`));
      await refused("append-only", () => rawExec(`DELETE FROM audit_log`));
      if (s.kind === "postgresql") await refused("append-only", () => rawExec(`TRUNCATE audit_log`));
      expect(await s.prisma.auditLog.count()).toBe(1);
    });

    it("not-null columns are enforced by the database too", async () => {
      await refused("not-null", () => rawExec(`INSERT INTO departments (code, name, level) VALUES ('N1', 'x', 'city')`));
    });
  });
}

function pgUrl(s: Store): string {
  if (s.kind !== "postgresql") throw new Error("unreachable");
  const u = new URL(process.env.SSJ_TEST_PG_URL ?? "postgresql://postgres@127.0.0.1:5432/test");
  u.searchParams.set("schema", s.schema);
  return u.href;
}
