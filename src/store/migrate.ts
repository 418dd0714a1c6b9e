/**
 * The migration runner behind `ssj migrate` and `Store.migrate()`.
 *
 * Migrations are the committed files prisma/<provider>/migrations/NNNN_name/migration.sql (written
 * by prisma/build-schemas.ts). Applied migrations are recorded in `_ssj_migrations` (name,
 * checksum = SHA-256 of the file, applied_at). Rules:
 *  - each migration runs in its own transaction together with its `_ssj_migrations` row;
 *  - safe to run twice (applied ones are skipped) and from two processes at once: PostgreSQL holds
 *    a session advisory lock keyed by the schema for the whole run; SQLite takes BEGIN IMMEDIATE
 *    (the write lock) before re-reading what is applied, for each migration;
 *  - refuses (MigrationError, nothing applied) when an applied migration's file changed, or when
 *    the database has a migration this code does not know (it was migrated by newer code).
 * Schema version = the latest applied migration's name, with the count.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type BetterSqlite3 from "better-sqlite3";
import type pg from "pg";
import { REPO_ROOT } from "./url.ts";

export const MIGRATIONS_TABLE = "_ssj_migrations";

export class MigrationError extends Error {}

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

export interface AppliedMigration {
  name: string;
  checksum: string;
  appliedAt: string;
}

export interface SchemaVersion {
  /** The latest applied migration, e.g. "0001_init". */
  name: string;
  /** How many migrations are applied. */
  count: number;
  appliedAt: string;
}

export interface MigrateReport {
  applied: string[];
  version: SchemaVersion | null;
}

export function migrationsDirFor(kind: "sqlite" | "postgresql"): string {
  return join(REPO_ROOT, "prisma", kind, "migrations");
}

export function loadMigrations(kind: "sqlite" | "postgresql", dir = migrationsDirFor(kind)): MigrationFile[] {
  if (!existsSync(dir)) throw new MigrationError(`no migrations directory at ${dir}`);
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && /^\d{4}_[a-z0-9_]+$/.test(d.name))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql, "utf8").digest("hex") };
    });
}

/** Throws unless every applied migration is known and unchanged; returns the pending ones. */
export function pendingMigrations(files: MigrationFile[], applied: AppliedMigration[]): MigrationFile[] {
  const byName = new Map(files.map((f) => [f.name, f]));
  for (const a of applied) {
    const f = byName.get(a.name);
    if (!f)
      throw new MigrationError(
        `the database has migration ${a.name}, which this version of ssj does not know (was it migrated by a newer version?); refusing to continue`,
      );
    if (f.checksum !== a.checksum)
      throw new MigrationError(
        `migration ${a.name} was changed after it was applied (checksum ${a.checksum.slice(0, 12)}… in the database, ${f.checksum.slice(0, 12)}… on disk); ` +
          "applied migrations must never be edited: restore the file and add a new migration instead",
      );
  }
  const done = new Set(applied.map((a) => a.name));
  return files.filter((f) => !done.has(f.name));
}

function versionOf(applied: AppliedMigration[]): SchemaVersion | null {
  const last = [...applied].sort((a, b) => a.name.localeCompare(b.name)).at(-1);
  return last ? { name: last.name, count: applied.length, appliedAt: last.appliedAt } : null;
}

// ── SQLite ──────────────────────────────────────────────────────────────────────────────────

const SQLITE_CREATE = `CREATE TABLE IF NOT EXISTS "${MIGRATIONS_TABLE}" ("name" TEXT NOT NULL PRIMARY KEY, "checksum" TEXT NOT NULL, "applied_at" TEXT NOT NULL)`;

function sqliteApplied(db: BetterSqlite3.Database): AppliedMigration[] {
  const exists = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(MIGRATIONS_TABLE);
  if (!exists) return [];
  return db
    .prepare(`SELECT "name", "checksum", "applied_at" AS "appliedAt" FROM "${MIGRATIONS_TABLE}" ORDER BY "name"`)
    .all() as AppliedMigration[];
}

export function sqliteSchemaVersion(db: BetterSqlite3.Database): SchemaVersion | null {
  return versionOf(sqliteApplied(db));
}

/**
 * Synchronous on purpose: nothing else can use this connection meanwhile. Foreign-key enforcement
 * is switched off for the run (PRAGMA foreign_keys cannot change inside a transaction, and Prisma's
 * SQLite table rebuilds would otherwise cascade deletes); `PRAGMA foreign_key_check` must be clean
 * before each COMMIT.
 */
export function migrateSqlite(db: BetterSqlite3.Database, files: MigrationFile[] = loadMigrations("sqlite")): MigrateReport {
  const applied: string[] = [];
  const fkWasOn = db.pragma("foreign_keys", { simple: true }) === 1;
  db.pragma("foreign_keys = OFF");
  try {
    for (;;) {
      db.exec("BEGIN IMMEDIATE");
      try {
        db.exec(SQLITE_CREATE);
        const pending = pendingMigrations(files, sqliteApplied(db));
        const next = pending[0];
        if (!next) {
          db.exec("COMMIT");
          break;
        }
        try {
          db.exec(next.sql);
        } catch (err) {
          throw new MigrationError(`migration ${next.name} failed: ${(err as Error).message}`);
        }
        const broken = db.prepare("PRAGMA foreign_key_check").all();
        if (broken.length) throw new MigrationError(`migration ${next.name} leaves ${broken.length} foreign-key violation(s)`);
        db.prepare(`INSERT INTO "${MIGRATIONS_TABLE}" ("name", "checksum", "applied_at") VALUES (?, ?, ?)`).run(
          next.name,
          next.checksum,
          new Date().toISOString(),
        );
        db.exec("COMMIT");
        applied.push(next.name);
      } catch (err) {
        if (db.inTransaction) db.exec("ROLLBACK");
        throw err;
      }
    }
  } finally {
    if (fkWasOn) db.pragma("foreign_keys = ON");
  }
  return { applied, version: sqliteSchemaVersion(db) };
}

// ── PostgreSQL ──────────────────────────────────────────────────────────────────────────────

const quoteIdent = (s: string) => `"${s.replace(/"/g, '""')}"`;

async function pgApplied(client: pg.PoolClient | pg.Pool, schema: string): Promise<AppliedMigration[]> {
  const exists = await client.query(`SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = $2`, [
    schema,
    MIGRATIONS_TABLE,
  ]);
  if (exists.rowCount === 0) return [];
  const r = await client.query<AppliedMigration>(
    `SELECT "name", "checksum", "applied_at" AS "appliedAt" FROM ${quoteIdent(schema)}.${quoteIdent(MIGRATIONS_TABLE)} ORDER BY "name"`,
  );
  return r.rows;
}

export async function pgSchemaVersion(pool: pg.Pool, schema: string): Promise<SchemaVersion | null> {
  return versionOf(await pgApplied(pool, schema));
}

/** The pool's connections must have search_path = schema (openStore sets it). */
export async function migratePostgres(pool: pg.Pool, schema: string, files: MigrationFile[] = loadMigrations("postgresql")): Promise<MigrateReport> {
  const client = await pool.connect();
  const lockKey = `ssj_migrate:${schema}`;
  let locked = false;
  try {
    await client.query("SELECT pg_advisory_lock(hashtext($1))", [lockKey]);
    locked = true;
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${quoteIdent(schema)}.${quoteIdent(MIGRATIONS_TABLE)} ("name" TEXT NOT NULL PRIMARY KEY, "checksum" TEXT NOT NULL, "applied_at" TEXT NOT NULL)`,
    );
    const pending = pendingMigrations(files, await pgApplied(client, schema));
    const applied: string[] = [];
    for (const m of pending) {
      await client.query("BEGIN");
      try {
        await client.query(m.sql);
        await client.query(
          `INSERT INTO ${quoteIdent(schema)}.${quoteIdent(MIGRATIONS_TABLE)} ("name", "checksum", "applied_at") VALUES ($1, $2, $3)`,
          [m.name, m.checksum, new Date().toISOString()],
        );
        await client.query("COMMIT");
      } catch (err) {
        await client.query("ROLLBACK").catch(() => {});
        throw new MigrationError(`migration ${m.name} failed: ${(err as Error).message}`);
      }
      applied.push(m.name);
    }
    return { applied, version: versionOf(await pgApplied(client, schema)) };
  } finally {
    if (locked) await client.query("SELECT pg_advisory_unlock(hashtext($1))", [lockKey]).catch(() => {});
    client.release();
  }
}
