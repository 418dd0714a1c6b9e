/**
 * A future migration generated the way `npm run prisma:schemas -- --migration` does, applied to a
 * database holding data: on SQLite, Prisma rebuilds the altered tables, and every rule
 * (checks-as-triggers, the recusal trigger that reads a rebuilt table, append-only audit) must
 * still hold afterwards, with the data intact.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PRISMA_DIR, composeMigration, prismaDiff, renderSchema } from "../../prisma/build-schemas.ts";
import { renderExtras } from "../../prisma/constraints.ts";
import { appendAudit, dbErrorKind, loadMigrations, openStore, withTransaction, type Store } from "../../src/store/index.ts";
import { migratePostgres, migrateSqlite } from "../../src/store/migrate.ts";
import { providers, seedBasics } from "./helpers.ts";

const base = readFileSync(join(PRISMA_DIR, "schema.base.prisma"), "utf8");
// Changes SQLite can only make by rebuilding `entities` and `joint_checks` (a column default and
// a foreign-key action).
const evolved = base
  .replace("industryCode     String?", 'industryCode     String?   @default("0000")')
  .replace(
    "optimizationRun OptimizationRun? @relation(fields: [optimizationRunId], references: [id])",
    "optimizationRun OptimizationRun? @relation(fields: [optimizationRunId], references: [id], onDelete: Cascade)",
  );

for (const p of await providers()) {
  describe.skipIf(p.skip)(`a later migration on ${p.kind}`, () => {
    const dbs = p.make();
    let s: Store;
    let g: Awaited<ReturnType<typeof seedBasics>>;
    beforeAll(async () => {
      s = await openStore({ databaseUrl: await dbs.fresh() });
      await s.migrate();
      g = await seedBasics(s.prisma);
      await s.prisma.recusal.create({ data: { inspectorId: g.inspector.id, entityId: g.entity2.id, reason: "亲属" } });
      await s.prisma.jointCheck.create({ data: { entityId: g.entity.id, day: "2026-05-01" } });
      await withTransaction(s, (tx) => appendAudit(tx, { actor: "t", action: "seed", subject: "x", payload: { ok: true } }));
    });
    afterAll(async () => {
      await s?.close();
      await dbs.dispose();
    });

    it("keeps data and every rule through Prisma's table rebuilds", async () => {
      expect(evolved).not.toBe(base);
      expect(evolved.match(/@default\("0000"\)|onDelete: Cascade\)\n/g)?.length).toBeGreaterThanOrEqual(1);
      const prismaSql = prismaDiff(p.kind, renderSchema(p.kind), renderSchema(p.kind, evolved));
      if (p.kind === "sqlite") {
        expect(prismaSql).toContain('CREATE TABLE "new_entities"');
        expect(prismaSql).toContain('CREATE TABLE "new_joint_checks"');
      }
      const extras = renderExtras(p.kind);
      const sql = composeMigration(p.kind, prismaSql, extras, extras);
      const files = [...loadMigrations(p.kind), { name: "9000_evolve", sql, checksum: createHash("sha256").update(sql).digest("hex") }];
      const report = s.kind === "sqlite" ? migrateSqlite(s.raw, files) : await migratePostgres(s.raw, s.schema, files);
      expect(report.applied).toEqual(["9000_evolve"]);

      // Data intact.
      expect(await s.prisma.entity.count()).toBe(2);
      expect(await s.prisma.recusal.count()).toBe(1);
      expect(await s.prisma.jointCheck.count()).toBe(1);

      const kind = async (work: () => Promise<unknown>) => {
        try {
          await work();
          return "accepted";
        } catch (err) {
          return dbErrorKind(err);
        }
      };
      // Checks on the rebuilt tables still hold.
      expect(await kind(() => s.prisma.entity.update({ where: { id: g.entity.id }, data: { riskClass: "E" } }))).toBe("check");
      expect(await kind(() => s.prisma.jointCheck.create({ data: { entityId: g.entity.id, day: "May 2" } }))).toBe("check");
      // Foreign keys into the rebuilt tables still hold.
      expect(await kind(() => s.prisma.recusal.create({ data: { inspectorId: g.inspector.id, entityId: 424242, reason: "x" } }))).toBe("foreign-key");
      // The recusal trigger (on team_members, reading the rebuilt joint_checks) still holds.
      const visit = await s.prisma.jointCheck.create({ data: { entityId: g.entity2.id, day: "2026-05-02" } });
      expect(await kind(() => s.prisma.teamMember.create({ data: { jointCheckId: visit.id, role: "officer", inspectorId: g.inspector.id } }))).toBe("recusal");
      // The audit log is still append-only.
      expect(await kind(() => s.prisma.auditLog.deleteMany({}))).toBe("append-only");
      // The new default applies.
      const e = await s.prisma.entity.create({ data: { code: "91370102MA3C0000X9", codeKind: "uscc", name: "新", districtCode: "370102", kind: "other" } });
      expect(e.industryCode).toBe("0000");
      const raw = s.kind === "sqlite"
        ? (s.raw.prepare(`SELECT count(*) AS n FROM sqlite_master WHERE type = 'trigger'`).get() as { n: number }).n
        : Number((await s.raw.query(`SELECT count(*) AS n FROM information_schema.triggers WHERE trigger_schema = $1`, [s.schema])).rows[0].n);
      expect(raw).toBeGreaterThan(0);
    });
  });
}
