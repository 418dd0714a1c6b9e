/**
 * The committed schemas and migrations are what the single source (prisma/schema.base.prisma +
 * prisma/constraints.ts) generates. Fails when someone edits the base without running
 * `npm run prisma:schemas [-- --migration <name>]`, or edits a generated file by hand.
 */
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PRISMA_DIR, checkUpToDate, extrasSql, listMigrations, renderSchema, schemaPath } from "../../prisma/build-schemas.ts";
import { renderExtras, type ExtraObject } from "../../prisma/constraints.ts";

describe("one source of truth for both databases", () => {
  it("prisma/sqlite and prisma/postgresql schemas are the rendering of schema.base.prisma", () => {
    for (const provider of ["sqlite", "postgresql"] as const) {
      expect(readFileSync(schemaPath(provider), "utf8"), `prisma/${provider}/schema.prisma`).toBe(renderSchema(provider));
    }
  });

  it("both providers have the same migrations, and each migration.sql is what its snapshots generate", () => {
    expect(listMigrations("sqlite").map((m) => m.name)).toEqual(listMigrations("postgresql").map((m) => m.name));
    expect(checkUpToDate({ regenerateSql: true })).toEqual([]);
  });

  it("an edited base model is detected as a missing migration", () => {
    const base = readFileSync(join(PRISMA_DIR, "schema.base.prisma"), "utf8");
    const edited = base.replace("model Expert {", "model Expert {\n  phone String?");
    expect(edited).not.toBe(base);
    expect(renderSchema("sqlite", edited)).not.toBe(readFileSync(schemaPath("sqlite"), "utf8"));
  });
});

describe("extra rules in generated migrations", () => {
  const cur = renderExtras("sqlite");
  const entityRules = cur.filter((o) => o.table === "entities");

  it("a table SQLite rebuilds gets all its rules again; untouched tables get nothing", () => {
    const rebuild = `CREATE TABLE "new_entities" ("id" INTEGER);\nINSERT INTO "new_entities" SELECT "id" FROM "entities";\nDROP TABLE "entities";\nALTER TABLE "new_entities" RENAME TO "entities";`;
    const { before, after: sql } = extrasSql("sqlite", rebuild, cur, cur);
    expect(before).toBe("");
    for (const o of entityRules) expect(sql).toContain(o.create);
    expect(sql).not.toMatch(/DROP TRIGGER/); // the rebuild already dropped them with the table
    expect(sql).not.toContain('ON "draws"');
    expect(extrasSql("sqlite", "", cur, cur)).toEqual({ before: "", after: "" });
  });

  it("a changed rule is dropped and re-created; a removed rule is dropped; a dropped table's rules are left alone", () => {
    const prev: ExtraObject[] = cur.map((o) => (o.key === "check:entities_risk_class" ? { ...o, create: o.create.replace("'D'", "'Z'") } : o));
    prev.push({ key: "check:gone", table: "draws", create: "CREATE TRIGGER x", drop: 'DROP TRIGGER IF EXISTS "x"' });
    prev.push({ key: "check:dead_table", table: "dead", create: "CREATE TRIGGER y", drop: 'DROP TRIGGER IF EXISTS "y"' });
    const { after: sql } = extrasSql("sqlite", 'DROP TABLE "dead";', prev, cur);
    const risk = cur.find((o) => o.key === "check:entities_risk_class")!;
    expect(sql).toContain(`-- replace check:entities_risk_class\n${risk.drop};`);
    expect(sql).toContain(risk.create);
    expect(sql).toContain('DROP TRIGGER IF EXISTS "x"');
    expect(sql).not.toContain('"y"');
  });
});
