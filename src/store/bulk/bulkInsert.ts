/**
 * Bulk insertion through the raw driver handle of a Store (no Prisma: its per-row cost would make
 * a two-million-row load take many minutes).
 *
 * `bulkInsert(store, tables, options)` writes every table, in the order given, in ONE transaction:
 * either all rows of all tables are committed or none are (a failed or interrupted load leaves the
 * database as it was). Rows arrive as batches (any iterable, e.g. a generator), so memory stays
 * bounded by one batch whatever the row count.
 *
 *  - SQLite (better-sqlite3): `BEGIN IMMEDIATE`, one prepared INSERT per table, executed per row.
 *    The event loop is given a turn between batches so progress output keeps moving.
 *    For a big table (`rebuildIndexesFrom` rows, default 100,000), inside the same transaction:
 *    secondary indexes are dropped before its rows go in and re-created from their own stored SQL
 *    afterwards (building an index once is much faster than maintaining it through millions of
 *    random-key inserts; a UNIQUE index that cannot be rebuilt fails the whole load); and the
 *    CHECK-emulating triggers (`BEFORE INSERT … WHEN NOT (cond) BEGIN SELECT RAISE(ABORT, msg);
 *    END`, see prisma/constraints.ts) are dropped, their conditions evaluated set-based over each
 *    batch just written (one query per batch over its rowid range; any violating row fails the
 *    load with the trigger's message), and the triggers re-created at the end. Triggers of any
 *    other shape are left in place and fire per row.
 *  - PostgreSQL (pg): one client, `BEGIN`, one `INSERT … SELECT … FROM unnest($1::type[], …)`
 *    statement per batch (one array parameter per column, so no 65,535-parameter limit), then the
 *    id sequences are moved past the explicit ids, `COMMIT`. For a big table, indexes that do not
 *    back a constraint are dropped first and re-created from `pg_indexes.indexdef` afterwards, in
 *    the same transaction (CHECK constraints stay: they are cheap per row on PostgreSQL).
 *
 * With `requireEmpty`, every target table is checked inside the transaction and the load refuses
 * (BulkLoadError, nothing written) when any of them has a row.
 */
import type { Store } from "../index.ts";

export type BulkColumnType = "int" | "text" | "bool" | "json";

export interface BulkColumn {
  name: string;
  type: BulkColumnType;
}

export interface BulkTable {
  /** Table name as in the migrations (snake_case). */
  table: string;
  columns: readonly BulkColumn[];
  /** Batches of rows; each row has one value per column, in column order. */
  batches: Iterable<readonly unknown[][]>;
  /** Expected row count, for progress reporting. */
  total: number;
  /** The table has a SERIAL `id` given explicit values: move its sequence on PostgreSQL. */
  explicitIds?: boolean;
}

export interface BulkProgress {
  table: string;
  /** "rows" while rows go in; "indexes" once, when a big table's rows are in and its deferred checks and indexes are being built. */
  phase: "rows" | "indexes";
  /** Rows of this table written so far / expected. */
  done: number;
  total: number;
}

export interface BulkInsertOptions {
  /** Refuse (nothing written) when any target table already has rows. */
  requireEmpty?: boolean;
  /** SQLite: drop and re-create secondary indexes of tables with at least this many rows. Default 100,000; Infinity disables. */
  rebuildIndexesFrom?: number;
  onProgress?: (p: BulkProgress) => void;
}

export interface BulkInsertResult {
  rows: Record<string, number>;
  ms: number;
  /** SQLite: per table, time inserting rows, checking the deferred CHECK triggers, and rebuilding indexes. */
  timings: Record<string, { insertMs: number; checkMs: number; indexMs: number }>;
}

export class BulkLoadError extends Error {
  constructor(
    message: string,
    /** not-empty: `requireEmpty` refused; constraint: a deferred CHECK failed; usage: a bad table/column name. */
    readonly reason: "not-empty" | "constraint" | "usage",
  ) {
    super(message);
  }
}

const quote = (name: string) => {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new BulkLoadError(`not a plain identifier: ${name}`, "usage");
  return `"${name}"`;
};

/** A CHECK-emulating trigger: `CREATE TRIGGER "n" BEFORE INSERT ON "t" WHEN NOT (cond) BEGIN SELECT RAISE(ABORT, 'msg'); END`. */
const CHECK_TRIGGER = /^CREATE TRIGGER\s+"?(\w+)"?\s+BEFORE INSERT ON\s+"?(\w+)"?\s+WHEN\s+NOT\s+\((.*)\)\s+BEGIN\s+SELECT\s+RAISE\(ABORT,\s*'([^']*)'\);?\s*END;?\s*$/is;

interface CheckTrigger {
  name: string;
  sql: string;
  /** The condition over the table's columns (NEW. removed). */
  condition: string;
  message: string;
}

/** The CHECK-emulating insert triggers of a SQLite table (exported for tests). */
export function checkTriggers(db: Extract<Store, { kind: "sqlite" }>["raw"], table: string): CheckTrigger[] {
  const rows = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?").all(table) as { name: string; sql: string }[];
  const out: CheckTrigger[] = [];
  for (const r of rows) {
    const m = CHECK_TRIGGER.exec(r.sql);
    if (!m || m[2] !== table) continue;
    out.push({ name: r.name, sql: r.sql, condition: m[3]!.replace(/\bNEW\./g, ""), message: m[4]! });
  }
  return out;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function bulkInsert(store: Store, tables: readonly BulkTable[], options: BulkInsertOptions = {}): Promise<BulkInsertResult> {
  const started = performance.now();
  const timings: BulkInsertResult["timings"] = {};
  const rows = store.kind === "sqlite" ? await sqliteInsert(store, tables, options, timings) : await postgresInsert(store, tables, options);
  return { rows, ms: performance.now() - started, timings };
}

// ── SQLite ───────────────────────────────────────────────────────────────────────────────────

function sqliteValue(v: unknown, type: BulkColumnType): unknown {
  if (v === null || v === undefined) return null;
  switch (type) {
    case "bool":
      return v ? 1 : 0;
    case "json":
      return JSON.stringify(v);
    default:
      return v;
  }
}

async function sqliteInsert(
  store: Extract<Store, { kind: "sqlite" }>,
  tables: readonly BulkTable[],
  options: BulkInsertOptions,
  timings: BulkInsertResult["timings"],
): Promise<Record<string, number>> {
  const db = store.raw;
  const rebuildFrom = options.rebuildIndexesFrom ?? 100_000;
  const counts: Record<string, number> = {};
  const cacheSize = db.pragma("cache_size", { simple: true }) as number;
  db.pragma("cache_size = -131072"); // 128 MiB while loading (index builds, big transaction)
  db.exec("BEGIN IMMEDIATE");
  try {
    if (options.requireEmpty) {
      for (const t of tables) {
        const row = db.prepare(`SELECT 1 AS x FROM ${quote(t.table)} LIMIT 1`).get();
        if (row) throw new BulkLoadError(`表 ${t.table} 已有数据`, "not-empty");
      }
    }
    for (const t of tables) {
      const cols = t.columns;
      const insert = db.prepare(`INSERT INTO ${quote(t.table)} (${cols.map((c) => quote(c.name)).join(", ")}) VALUES (${cols.map(() => "?").join(", ")})`);
      // Secondary indexes (not the rowid primary key, not automatic UNIQUE-constraint indexes).
      const indexes =
        t.total >= rebuildFrom
          ? (db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL").all(t.table) as { name: string; sql: string }[])
          : [];
      for (const ix of indexes) db.exec(`DROP INDEX ${quote(ix.name)}`);
      const triggers = t.total >= rebuildFrom ? checkTriggers(db, t.table) : [];
      for (const tr of triggers) db.exec(`DROP TRIGGER ${quote(tr.name)}`);
      // Deferred CHECKs: all conditions in one query over the rowid range of each batch just written
      // (its pages are still in the cache); the CASE names the first violated condition.
      const check = triggers.length
        ? db.prepare(
            `SELECT rowid AS id, CASE ${triggers.map((tr, k) => `WHEN NOT (${tr.condition}) THEN ${k}`).join(" ")} END AS k FROM ${quote(t.table)} ` +
              `WHERE rowid BETWEEN ? AND ? AND (${triggers.map((tr) => `NOT (${tr.condition})`).join(" OR ")}) LIMIT 1`,
          )
        : null;
      let checkMs = 0;
      const t0 = performance.now();
      const types = cols.map((c) => c.type);
      const plain = types.every((ty) => ty === "int" || ty === "text");
      const values: unknown[] = new Array(cols.length);
      let done = 0;
      for (const batch of t.batches) {
        let lo = Infinity,
          hi = -Infinity;
        for (const row of batch) {
          let rowid: number | bigint;
          if (plain) rowid = insert.run(row as unknown[]).lastInsertRowid;
          else {
            for (let k = 0; k < types.length; k++) values[k] = sqliteValue(row[k], types[k]!);
            rowid = insert.run(values).lastInsertRowid;
          }
          const r = Number(rowid);
          if (r < lo) lo = r;
          if (r > hi) hi = r;
        }
        if (check && batch.length) {
          const c0 = performance.now();
          const bad = check.get(lo, hi) as { id: number; k: number } | undefined;
          if (bad) throw new BulkLoadError(`${triggers[bad.k]!.message} (table ${t.table}, row ${bad.id})`, "constraint");
          checkMs += performance.now() - c0;
        }
        done += batch.length;
        options.onProgress?.({ table: t.table, phase: "rows", done, total: t.total });
        await yieldToEventLoop();
      }
      const t1 = performance.now();
      if (triggers.length || indexes.length) options.onProgress?.({ table: t.table, phase: "indexes", done, total: t.total });
      for (const tr of triggers) db.exec(tr.sql);
      const t2 = performance.now();
      for (const ix of indexes) db.exec(ix.sql);
      timings[t.table] = { insertMs: t1 - t0 - checkMs, checkMs, indexMs: performance.now() - t2 };
      counts[t.table] = done;
      if (done === 0) options.onProgress?.({ table: t.table, phase: "rows", done, total: t.total });
    }
    db.exec("COMMIT");
  } catch (err) {
    if (db.inTransaction) db.exec("ROLLBACK");
    throw err;
  } finally {
    db.pragma(`cache_size = ${Number(cacheSize)}`);
  }
  return counts;
}

// ── PostgreSQL ───────────────────────────────────────────────────────────────────────────────

const PG_ARRAY_TYPE: Record<BulkColumnType, string> = { int: "int4[]", text: "text[]", bool: "bool[]", json: "text[]" };

async function postgresInsert(store: Extract<Store, { kind: "postgresql" }>, tables: readonly BulkTable[], options: BulkInsertOptions): Promise<Record<string, number>> {
  const client = await store.raw.connect();
  const counts: Record<string, number> = {};
  try {
    await client.query("BEGIN");
    try {
      if (options.requireEmpty) {
        for (const t of tables) {
          const r = await client.query(`SELECT 1 FROM ${quote(t.table)} LIMIT 1`);
          if (r.rowCount) throw new BulkLoadError(`表 ${t.table} 已有数据`, "not-empty");
        }
      }
      for (const t of tables) {
        const cols = t.columns;
        const indexes =
          t.total >= (options.rebuildIndexesFrom ?? 100_000)
            ? (
                await client.query(
                  `SELECT i.indexname, i.indexdef FROM pg_indexes i
                    WHERE i.schemaname = current_schema() AND i.tablename = $1
                      AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = (quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass)`,
                  [t.table],
                )
              ).rows as { indexname: string; indexdef: string }[]
            : [];
        for (const ix of indexes) await client.query(`DROP INDEX ${quote(ix.indexname)}`);
        const names = cols.map((c) => quote(c.name)).join(", ");
        const params = cols.map((c, k) => `$${k + 1}::${PG_ARRAY_TYPE[c.type]}`).join(", ");
        const select = cols.map((c, k) => (c.type === "json" ? `c${k}::jsonb` : `c${k}`)).join(", ");
        const sql = `INSERT INTO ${quote(t.table)} (${names}) SELECT ${select} FROM unnest(${params}) AS u(${cols.map((_, k) => `c${k}`).join(", ")})`;
        let done = 0;
        // One batch in flight: the next batch is generated while the server inserts the previous one.
        let inFlight: { query: Promise<unknown>; rows: number } | null = null;
        const settle = async () => {
          if (!inFlight) return;
          const { query, rows } = inFlight;
          inFlight = null;
          await query;
          done += rows;
          options.onProgress?.({ table: t.table, phase: "rows", done, total: t.total });
        };
        try {
          for (const batch of t.batches) {
            if (batch.length === 0) continue;
            const arrays: unknown[][] = cols.map(() => new Array(batch.length));
            for (let r = 0; r < batch.length; r++) {
              const row = batch[r]!;
              for (let k = 0; k < cols.length; k++) {
                const v = row[k];
                arrays[k]![r] = v === undefined ? null : cols[k]!.type === "json" && v !== null ? JSON.stringify(v) : v;
              }
            }
            await settle();
            const query = client.query(sql, arrays);
            query.catch(() => {}); // observed by settle(); avoids an unhandled rejection if generation throws first
            inFlight = { query, rows: batch.length };
          }
          await settle();
        } catch (err) {
          // Let a still-running statement finish (or fail) before ROLLBACK goes out on this client.
          await (inFlight as { query: Promise<unknown> } | null)?.query.catch(() => {});
          throw err;
        }
        if (indexes.length) options.onProgress?.({ table: t.table, phase: "indexes", done, total: t.total });
        for (const ix of indexes) await client.query(ix.indexdef);
        if (t.explicitIds && done > 0) {
          await client.query(`SELECT setval(pg_get_serial_sequence($1, 'id'), (SELECT max(id) FROM ${quote(t.table)}))`, [quote(t.table)]);
        }
        counts[t.table] = done;
        if (done === 0) options.onProgress?.({ table: t.table, phase: "rows", done, total: t.total });
      }
      await client.query("COMMIT");
    } catch (err) {
      await client.query("ROLLBACK").catch(() => {});
      throw err;
    }
  } finally {
    client.release();
  }
  return counts;
}
