/**
 * The read model of published results: tables built for the public read path, filled when
 * something is published and queried with prepared statements on the store's own driver
 * (better-sqlite3 / pg) — never one ORM round trip per request.
 *
 * Tables are created here, idempotently (`CREATE … IF NOT EXISTS`, versioned in `rm_meta`), not
 * in the Prisma migrations: FTS5 virtual tables and pg_trgm GIN indexes cannot be expressed in a
 * Prisma schema, and the read model is derived data that `rebuildReadModel` can always recreate.
 *
 *   const rm = await openReadModel(store);            // once at startup
 *   await publishToReadModel(store, records);         // when something is published
 *   await rebuildReadModel(store);                    // from the publications (after a restore)
 */
import type { Database } from "better-sqlite3";
import type { Pool } from "pg";
import { SqliteReadModel } from "./sqlite.ts";
import { PgReadModel, ensurePg } from "./pg.ts";
import type { PublicRecord, PublicResultRecord } from "./records.ts";
import type { ReadModel, ReadModelStore } from "./types.ts";

export * from "./types.ts";
export * from "./records.ts";
export { normalizeName } from "./text.ts";
export { SqliteReadModel } from "./sqlite.ts";
export { PgReadModel } from "./pg.ts";

const models = new WeakMap<object, Promise<ReadModel>>();

let generation = 0;
/** Bumped by every publication, rebuild and bulk load in this process (cache invalidation). */
export function readModelGeneration(): number {
  return generation;
}

function isSqlite(raw: unknown): raw is Database {
  return !!raw && typeof (raw as Database).prepare === "function" && typeof (raw as Database).transaction === "function";
}

function isPgPool(raw: unknown): raw is Pool {
  return !!raw && typeof (raw as Pool).query === "function" && typeof (raw as Pool).connect === "function";
}

/** The read model of a store (tables created on first use), one per driver handle. */
export function openReadModel(store: ReadModelStore): Promise<ReadModel> {
  const raw = store.raw;
  if (!raw || typeof raw !== "object") throw new TypeError("openReadModel: store.raw is not a database handle");
  let m = models.get(raw);
  if (!m) {
    if (isSqlite(raw)) m = Promise.resolve(new SqliteReadModel(raw));
    else if (isPgPool(raw)) m = ensurePg(raw).then(() => new PgReadModel(raw));
    else throw new TypeError(`openReadModel: unsupported store '${store.kind}' (need a better-sqlite3 Database or a pg Pool)`);
    m.catch(() => models.delete(raw));
    models.set(raw, m);
  }
  return m;
}

/**
 * Insert or replace published records (results, plans, draws) in one transaction. Only the
 * public fields are kept. On SQLite a call inside a better-sqlite3 transaction nests in it; on
 * PostgreSQL pass `{ client }` (a pg client inside BEGIN) to join the caller's transaction.
 */
export async function publishToReadModel(
  store: ReadModelStore,
  records: Iterable<PublicRecord>,
  opts: { client?: unknown } = {},
): Promise<number> {
  const rm = await openReadModel(store);
  try {
    return await rm.publish(records, opts.client);
  } finally {
    generation++;
  }
}

/**
 * Empty the read model and fill it again from `source` — by default from the store's domain
 * tables (source.ts): every published result (publications), every public plan (approved, with
 * all its batches; never a draft) and every drawn draw — in chunks of one transaction each:
 * during a rebuild readers see a partial model. A `source` given replaces all of them.
 */
export async function rebuildReadModel(
  store: ReadModelStore,
  source?: Iterable<PublicRecord> | AsyncIterable<PublicRecord>,
  opts: { chunk?: number } = {},
): Promise<number> {
  if (!source) {
    const { publishedRecordsFromStore, publishedPlansFromStore, publishedDrawsFromStore, publishedAnchorsFromStore } = await import("./source.ts");
    const rs = store as unknown as Parameters<typeof publishedRecordsFromStore>[0];
    source = (async function* () {
      yield* publishedRecordsFromStore(rs);
      yield* publishedPlansFromStore(rs);
      yield* publishedDrawsFromStore(rs);
      yield* publishedAnchorsFromStore(rs);
    })();
  }
  const rm = await openReadModel(store);
  const size = opts.chunk ?? 5_000;
  generation++;
  await rm.clear();
  let n = 0;
  let buf: PublicRecord[] = [];
  for await (const rec of source as AsyncIterable<PublicRecord>) {
    buf.push(rec);
    if (buf.length >= size) {
      n += await rm.publish(buf);
      buf = [];
    }
  }
  if (buf.length > 0) n += await rm.publish(buf);
  generation++;
  return n;
}

/**
 * Empty the read model and load `source` (results only) on the fast path: big transactions, no
 * per-row replace check; on PostgreSQL the search indexes are built once at the end. For
 * rebuilds from a complete source and for benchmarks.
 */
export async function bulkLoadResults(
  store: ReadModelStore,
  source: Iterable<PublicResultRecord> | AsyncIterable<PublicResultRecord>,
): Promise<number> {
  const rm = await openReadModel(store);
  generation++;
  await rm.clear();
  try {
    return await rm.bulkLoadResults(source);
  } finally {
    generation++;
  }
}
