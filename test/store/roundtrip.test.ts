import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { appendAudit, openStore, readAuditLog, verifyStoredAuditChain, withTransaction, type Store } from "../../src/store/index.ts";
import { GENESIS_HASH, verifyAuditChain } from "../../src/audit/chain.ts";
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
  describe.skipIf(p.skip)(`store round trips on ${p.kind}`, () => {
    const dbs = p.make();
    let s: Store;
    let url: string;
    beforeAll(async () => {
      url = await dbs.fresh();
      s = await openStore({ databaseUrl: url });
      await s.migrate();
    });
    afterAll(async () => {
      await s?.close();
      await dbs.dispose();
    });

    it("round-trips entities, inspectors (Json arrays), draws with manifests, results and config", async () => {
      const g = await seedBasics(s.prisma);
      const e = await s.prisma.entity.findUniqueOrThrow({ where: { code: "91350100M000100Y43" } });
      expect(e).toMatchObject({ name: "示例有限公司", codeKind: "uscc", checksumFailed: false, status: "active", riskClass: "B", address: null });
      expect(e.createdAt).toBeInstanceOf(Date);

      const insp = await s.prisma.inspector.findUniqueOrThrow({ where: { id: g.inspector.id } });
      expect(insp.qualifications).toEqual(["执法"]);
      expect(insp.districts).toEqual(["370102"]);

      const manifest = JSON.stringify({ b: [3, 2, 1], a: "抽取结果", n: 1.5 });
      const seededAt = new Date("2026-03-01T02:03:04.567Z");
      const draw = await s.prisma.draw.create({
        data: {
          batchId: g.batch.id,
          liveBatchId: g.batch.id,
          status: "drawn",
          specVersion: "ssj-draw/1",
          inputDigest: HEX64,
          commitment: "c",
          seed: "00ff",
          seedProvenance: { beacon: "drand", round: 123 },
          manifest,
          seededAt,
          drawnAt: seededAt,
        },
      });
      const back = await s.prisma.draw.findUniqueOrThrow({ where: { id: draw.id } });
      expect(back.manifest).toBe(manifest); // byte-exact
      expect(back.seedProvenance).toEqual({ beacon: "drand", round: 123 });
      expect(back.seededAt?.toISOString()).toBe(seededAt.toISOString());

      const task = await s.prisma.task.create({
        data: {
          taskNo: "2026-0001",
          entityId: g.entity.id,
          departmentId: g.department.id,
          batchId: g.batch.id,
          drawId: draw.id,
          kind: "random",
          windowStart: "2026-03-01",
          windowEnd: "2026-06-30",
        },
      });
      await expect(
        s.prisma.task.create({ data: { ...task, id: undefined, taskNo: "2026-0002" } }),
      ).rejects.toThrow(); // one task per draw × entity × department
      const user = await s.prisma.user.create({ data: { name: "录入员", role: "officer", departmentId: g.department.id, tokenHash: "t1" } });
      const result = await s.prisma.result.create({
        data: { taskId: task.id, categories: ["未发现问题"], checkDate: "2026-03-15", recorderId: user.id, note: "正常" },
      });
      const pub = await s.prisma.publication.create({
        data: { resultId: result.id, publishedAt: new Date(), deadline: "2026-04-14", publisherId: user.id },
      });
      const withAll = await s.prisma.task.findUniqueOrThrow({
        where: { id: task.id },
        include: { result: { include: { publication: true } }, entity: true, draw: true },
      });
      expect(withAll.result?.categories).toEqual(["未发现问题"]);
      expect(withAll.result?.publication?.id).toBe(pub.id);
      expect(withAll.draw?.id).toBe(draw.id);

      await s.prisma.configEntry.upsert({
        where: { key: "result.categories" },
        create: { key: "result.categories", value: { labels: ["未发现问题", "发现问题已责令改正"], nested: { n: 1 } } },
        update: {},
      });
      expect((await s.prisma.configEntry.findUniqueOrThrow({ where: { key: "result.categories" } })).value).toEqual({
        labels: ["未发现问题", "发现问题已责令改正"],
        nested: { n: 1 },
      });
    });

    it("withTransaction commits all or nothing", async () => {
      await expect(
        withTransaction(s, async (tx) => {
          await tx.configEntry.create({ data: { key: "tx.a", value: 1 } });
          await appendAudit(tx, { actor: "t", action: "tx.fail", subject: "x", payload: {} });
          throw new Error("boom");
        }),
      ).rejects.toThrow("boom");
      expect(await s.prisma.configEntry.findUnique({ where: { key: "tx.a" } })).toBeNull();
      expect(await s.prisma.auditLog.count({ where: { action: "tx.fail" } })).toBe(0);
    });

    it("the raw driver handle sees the same data", async () => {
      const n =
        s.kind === "sqlite"
          ? (s.raw.prepare(`SELECT count(*) AS n FROM departments`).get() as { n: number }).n
          : (await s.raw.query(`SELECT count(*)::int AS n FROM departments`)).rows[0].n;
      expect(n).toBe(await s.prisma.department.count());
    });

    it("audit log: appends form a verifiable hash chain, also under concurrent appenders", async () => {
      const before = await s.prisma.auditLog.count();
      await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          withTransaction(s, (tx) => appendAudit(tx, { actor: "user:1", action: "test.parallel", subject: `n:${i}`, payload: { i, 名: "值" } })),
        ),
      );
      const outs = await Promise.all([0, 1].map(() => runFixture("appendMany.ts", { DATABASE_URL: url, COUNT: "12" })));
      for (const o of outs) expect(o, o).toContain("failures: 0");
      const rows = await readAuditLog(s.prisma);
      expect(rows).toHaveLength(before + 8 + 24);
      expect(rows[0]!.prevHash).toBe(GENESIS_HASH);
      const verdict = await verifyStoredAuditChain(s.prisma);
      expect(verdict).toMatchObject({ ok: true, count: rows.length, head: rows.at(-1)!.hash });
    });

    it("audit chain verification detects an edited row", async () => {
      const rows = await readAuditLog(s.prisma);
      expect(rows.length).toBeGreaterThan(2);
      const edited = rows.map((r) => ({ ...r }));
      edited[1]!.actor = "mallory";
      expect(verifyAuditChain(edited)).toMatchObject({ ok: false, seq: 2 });

      // And on the stored rows: an administrator with raw access disables the guard and edits.
      if (s.kind === "sqlite") {
        s.raw.exec(`DROP TRIGGER "audit_log_no_update"`);
        s.raw.exec(`UPDATE audit_log SET payload = '{"i":999}' WHERE seq = 3`);
      } else {
        await s.raw.query(`ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update_delete`);
        await s.raw.query(`UPDATE audit_log SET payload = '{"i":999}' WHERE seq = 3`);
      }
      expect(await verifyStoredAuditChain(s.prisma)).toMatchObject({ ok: false, seq: 3, reason: /hash/ });
    });
  });
}
