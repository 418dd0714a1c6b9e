/**
 * Rate-limit counters shared by every API instance on one PostgreSQL database (table
 * `rate_limits`, migration 0006): a fixed window per key, counted by one atomic upsert, so two
 * instances together allow the limit once, not twice. SQLite serves one process and counts in
 * memory (the rate-limit plugin's own store); these functions are for PostgreSQL only.
 */
import type { PostgresStore } from "../index.ts";

const NOW = `(now() AT TIME ZONE 'UTC')`;
const EXPIRED = `r.window_start <= ${NOW} - make_interval(secs => $2::float8 / 1000)`;
const HIT_SQL = `
  INSERT INTO rate_limits AS r (key, window_start, hits) VALUES ($1, ${NOW}, 1)
  ON CONFLICT (key) DO UPDATE SET
    window_start = CASE WHEN ${EXPIRED} THEN ${NOW} ELSE r.window_start END,
    hits = CASE WHEN ${EXPIRED} THEN 1 ELSE LEAST(r.hits + 1, 2147483647) END
  RETURNING hits, GREATEST(0, EXTRACT(EPOCH FROM (r.window_start + make_interval(secs => $2::float8 / 1000) - ${NOW})) * 1000)::float8 AS ttl`;

/** Count one request under `key` in a window of `windowMs`: the hits so far in the window and the milliseconds left. */
export async function hitRateLimit(store: PostgresStore, key: string, windowMs: number): Promise<{ hits: number; ttlMs: number }> {
  const res = await store.raw.query<{ hits: number; ttl: number }>(HIT_SQL, [key, windowMs]);
  const row = res.rows[0]!;
  return { hits: row.hits, ttlMs: Math.round(row.ttl) };
}

/** Delete counters whose window ended more than `olderThanMs` ago (they would restart at 1 anyway). */
export async function pruneRateLimits(store: PostgresStore, olderThanMs: number): Promise<number> {
  const res = await store.raw.query(`DELETE FROM rate_limits WHERE window_start < ${NOW} - make_interval(secs => $1::float8 / 1000)`, [olderThanMs]);
  return res.rowCount ?? 0;
}
