/**
 * The store: the only code that touches the generated Prisma clients and the database drivers.
 *
 *   const store = await openStore();              // DATABASE_URL, else SQLite data/ssj.db
 *   await store.migrate();                        // bring the schema up to date (idempotent)
 *   await withTransaction(store, async (tx) => {
 *     await tx.department.create({ data: … });
 *     await appendAudit(tx, { actor, action, subject, payload });
 *   });
 *   await store.close();
 *
 * One client type for both databases: `Db` is the SQLite client's type. Both clients are generated
 * from the same models (prisma/schema.base.prisma), so their model delegates, inputs and results
 * are the same types; the PostgreSQL client is cast to `Db`. What the cast hides is the few
 * provider-only query options (e.g. `mode: "insensitive"` string filters, PostgreSQL-only Json
 * filters): code that must run on both databases must not use them (the SQLite type does not
 * offer them anyway, so the cast errs on the safe side).
 *
 * `raw` is the driver handle (better-sqlite3 Database or pg Pool) for bulk loads and hot read
 * models, where Prisma's per-query cost (~0.4 ms CPU) matters. It has the same constraints: SQLite
 * foreign keys are switched on for both connections. On SQLite `raw` is a second connection to the
 * file: do not write through it while a Prisma transaction of the same process is open
 * (better-sqlite3 waits for the lock synchronously, blocking the event loop until the busy timeout).
 */
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as SqliteClient, Prisma } from "./generated/sqlite/client.ts";
import { PrismaClient as PostgresClient } from "./generated/postgresql/client.ts";
import {
  migratePostgres,
  migrateSqlite,
  pgSchemaVersion,
  sqliteSchemaVersion,
  type MigrateReport,
  type SchemaVersion,
} from "./migrate.ts";
import { resolveDatabase } from "./url.ts";

export { Prisma };
/** Row types of every model (identical for both providers). */
export type {
  Department, InspectionItem, JointTemplate, JointTemplatePartner, JointTemplateItem, Entity,
  Inspector, Recusal, Expert, User, AnnualPlan, Batch, BatchDepartment, BatchItem, SamplingRule,
  FrequencyCap, Draw, DrawCommitment, Task, TaskItem, JointCheck, JointCheckTask, TeamMember,
  OptimizationRun, Result, Publication, ConfigEntry, AuditLog,
} from "./generated/sqlite/client.ts";
export type { MigrateReport, SchemaVersion } from "./migrate.ts";
export { MigrationError, loadMigrations } from "./migrate.ts";
export { DatabaseUrlError, resolveDatabase, type DatabaseTarget } from "./url.ts";
export { appendAudit, auditHead, readAuditLog, storedAnchors, verifyStoredAuditChain } from "./audit.ts";
export { dbErrorKind, type DbErrorKind } from "./errors.ts";
export * from "./values.ts";

/** The Prisma client type used for both databases (see the header). */
export type Db = SqliteClient;
/** The client inside an interactive transaction. */
export type Tx = Prisma.TransactionClient;

interface StoreBase {
  prisma: Db;
  /** Human-readable target (password masked). */
  describe: string;
  /** Applies pending migrations (safe to run twice, and from two processes at once). */
  migrate(): Promise<MigrateReport>;
  /** Latest applied migration and count; null on a database never migrated. */
  schemaVersion(): Promise<SchemaVersion | null>;
  /** True when no department exists (a fresh installation). Requires a migrated database. */
  isEmpty(): Promise<boolean>;
  close(): Promise<void>;
}
export interface SqliteStore extends StoreBase {
  kind: "sqlite";
  /** A better-sqlite3 connection to the same file (WAL mode, foreign keys on). */
  raw: Database.Database;
  path: string;
}
export interface PostgresStore extends StoreBase {
  kind: "postgresql";
  /** The pg Pool Prisma also uses; its connections have search_path = `schema`. */
  raw: pg.Pool;
  schema: string;
}
export type Store = SqliteStore | PostgresStore;

const SQLITE_BUSY_TIMEOUT_MS = 10_000;

/**
 * The better-sqlite3 adapter, adjusted on its connection (one per client):
 *  - `PRAGMA foreign_keys = ON` (SQLite enforces foreign keys only when asked to);
 *  - interactive transactions start with `BEGIN IMMEDIATE` instead of `BEGIN`, so a transaction
 *    takes the write lock up front. With a deferred BEGIN, two processes that both read and then
 *    write (e.g. appending to the audit chain) fail with SQLITE_BUSY_SNAPSHOT; with IMMEDIATE the
 *    second one waits (busy timeout) and then proceeds on fresh data.
 * Relies on the adapter keeping its better-sqlite3 Database in `client` and beginning with
 * `prepare("BEGIN")` (checked: @prisma/adapter-better-sqlite3 6.19.3); fails loudly otherwise.
 */
class SqliteAdapterFactory extends PrismaBetterSQLite3 {
  override async connect() {
    const adapter = await super.connect();
    const db = (adapter as unknown as { client?: Database.Database }).client;
    if (!db || typeof db.prepare !== "function" || typeof db.pragma !== "function")
      throw new Error("@prisma/adapter-better-sqlite3 changed: its connection is not at adapter.client; review src/store/index.ts");
    db.pragma("foreign_keys = ON");
    const prepare = db.prepare.bind(db);
    db.prepare = ((sql: string) => prepare(sql === "BEGIN" ? "BEGIN IMMEDIATE" : sql)) as typeof db.prepare;
    return adapter;
  }
}

export async function openStore(options: { databaseUrl?: string } = {}): Promise<Store> {
  const target = resolveDatabase(options.databaseUrl ?? process.env.DATABASE_URL);

  if (target.kind === "sqlite") {
    mkdirSync(dirname(target.path), { recursive: true });
    const raw = new Database(target.path, { timeout: SQLITE_BUSY_TIMEOUT_MS });
    raw.pragma("journal_mode = WAL");
    raw.pragma("foreign_keys = ON");
    const adapter = new SqliteAdapterFactory({ url: `file:${target.path}`, timeout: SQLITE_BUSY_TIMEOUT_MS });
    const prisma = new SqliteClient({ adapter });
    await prisma.$connect();
    let closed = false;
    const store: SqliteStore = {
      kind: "sqlite",
      prisma,
      raw,
      path: target.path,
      describe: `sqlite ${target.path}`,
      async migrate() {
        return migrateSqlite(raw);
      },
      async schemaVersion() {
        return sqliteSchemaVersion(raw);
      },
      async isEmpty() {
        return (await prisma.department.count()) === 0;
      },
      async close() {
        if (closed) return;
        closed = true;
        await prisma.$disconnect();
        raw.close();
      },
    };
    return store;
  }

  const pool = new pg.Pool({
    connectionString: target.connectionString,
    options: `-c search_path="${target.schema}"`,
    max: 10,
  });
  // An idle connection dropped by the server must not crash the process (pg emits 'error').
  pool.on("error", (err) => console.error(`ssj store: idle PostgreSQL connection error: ${err.message}`));
  const adapter = new PrismaPg(pool, { schema: target.schema });
  const prisma = new PostgresClient({ adapter }) as unknown as Db;
  let closed = false;
  const store: PostgresStore = {
    kind: "postgresql",
    prisma,
    raw: pool,
    schema: target.schema,
    describe: `postgresql ${target.display} (schema ${target.schema})`,
    async migrate() {
      return migratePostgres(pool, target.schema);
    },
    async schemaVersion() {
      return pgSchemaVersion(pool, target.schema);
    },
    async isEmpty() {
      return (await prisma.department.count()) === 0;
    },
    async close() {
      if (closed) return;
      closed = true;
      await prisma.$disconnect();
      await pool.end();
    },
  };
  return store;
}

export interface TransactionOptions {
  /** Max time to wait for a connection / the SQLite transaction slot (ms). Default 10 s. */
  maxWait?: number;
  /** Max time the transaction may run (ms). Default 30 s. */
  timeout?: number;
}

/** Runs `fn` in one interactive transaction: all of it commits, or none of it (it rethrows). */
export async function withTransaction<T>(store: Store | Db, fn: (tx: Tx) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
  const db: Db = "prisma" in store ? store.prisma : store;
  return db.$transaction(fn, { maxWait: options.maxWait ?? 10_000, timeout: options.timeout ?? 30_000 });
}
