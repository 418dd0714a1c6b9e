/**
 * The rate-limit plugin's store on PostgreSQL: every API instance counts in the same rows
 * (src/store/repos/rateLimits.ts), so N instances allow the limit once, not N times. Counters are
 * per route and client key, like the plugin's in-memory store. On SQLite (one process) the
 * plugin's own in-memory store is used.
 */
import type { PostgresStore } from "../src/store/index.ts";
import { hitRateLimit, pruneRateLimits } from "../src/store/repos/rateLimits.ts";

/** The plugin calls `incr(key, cb, timeWindow, max)` (its typings list only the first two). */
type Incr = (key: string, cb: (err: Error | null, res?: { current: number; ttl: number }) => void, timeWindow?: number, max?: number) => void;
/** What `child()` receives: the route's merged options, with the route itself under `routeInfo`. */
type RouteParams = object & { routeInfo?: { method?: string | string[]; url?: string } };

/** Prune old counters about every this many requests per process. */
const PRUNE_EVERY = 1000;

/** A store class for `@fastify/rate-limit`'s `store` option, bound to `store`. */
export function sharedRateLimitStore(store: PostgresStore) {
  let sincePrune = 0;
  return class SharedRateLimitStore {
    constructor(
      _params?: unknown,
      private readonly route = "",
    ) {}

    incr: Incr = (key, cb, timeWindow = 60_000) => {
      hitRateLimit(store, `${this.route}|${key}`, timeWindow).then(
        ({ hits, ttlMs }) => cb(null, { current: hits, ttl: ttlMs }),
        (err: Error) => cb(err),
      );
      if (++sincePrune >= PRUNE_EVERY) {
        sincePrune = 0;
        pruneRateLimits(store, Math.max(timeWindow * 10, 24 * 3600 * 1000)).catch(() => {});
      }
    };

    child(params: RouteParams) {
      const m = params.routeInfo?.method;
      const route = params.routeInfo?.url ? `${Array.isArray(m) ? m.join(",") : (m ?? "")} ${params.routeInfo.url}` : "";
      return new SharedRateLimitStore(undefined, route);
    }
  };
}
