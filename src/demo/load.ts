/**
 * Loading the demo city into a store: `loadDemoCity(store, {seed, entities}, onProgress)`.
 *
 * Migrates first (idempotent), then writes the whole city in one transaction through the bulk
 * loader (src/store/bulk), then records the load in the audit log. Refuses — writing nothing — when
 * the database already has departments, items, entities, inspectors, experts or recusals.
 * `npm start` calls it on an empty database with the defaults (5,000 entities, loads in ~1 s).
 */
import { appendAudit, withTransaction, type Store } from "../store/index.ts";
import { BulkLoadError, type BulkInsertResult, type BulkProgress } from "../store/bulk/bulkInsert.ts";
import { writeDemoCity } from "../store/bulk/demoCity.ts";
import { demoCity, entityGenerator, resolveOptions, type DemoCityOptions } from "./city.ts";

export interface DemoLoadProgress extends BulkProgress {
  /** Rows of all tables written so far / to write. */
  overallDone: number;
  overallTotal: number;
}

export interface DemoLoadResult {
  seed: string;
  entities: number;
  /** Rows written per table. */
  rows: Record<string, number>;
  /** Time to generate and write, in milliseconds. */
  ms: number;
  /** Bulk-load phase timings per table (SQLite). */
  timings: BulkInsertResult["timings"];
}

/** The database is not empty: nothing was written. */
export class DemoCityRefused extends Error {}

export async function loadDemoCity(
  store: Store,
  options: DemoCityOptions = {},
  onProgress?: (progress: DemoLoadProgress) => void,
): Promise<DemoLoadResult> {
  const { seed, entities } = resolveOptions(options);
  await store.migrate();
  const started = performance.now();
  const city = demoCity({ seed, entities });
  const templateRows = city.jointTemplates.reduce((n, t) => n + 1 + t.partnerDepartmentIds.length + t.itemIds.length, 0);
  const overallTotal = city.departments.length + city.items.length + templateRows + entities + city.inspectors.length + city.experts.length + city.recusals.length;
  const doneByTable = new Map<string, number>();
  const report = onProgress
    ? (p: BulkProgress) => {
        doneByTable.set(p.table, p.done);
        let overallDone = 0;
        for (const n of doneByTable.values()) overallDone += n;
        onProgress({ ...p, overallDone, overallTotal });
      }
    : undefined;
  let written: BulkInsertResult;
  try {
    written = await writeDemoCity(store, city, entityGenerator({ seed, entities }), report);
  } catch (err) {
    if (err instanceof BulkLoadError && err.reason === "not-empty") {
      throw new DemoCityRefused(
        `数据库不是空的（${err.message}）：演示城市只载入空数据库，未写入任何数据。请换用另一个 --database-url / DATABASE_URL。`,
      );
    }
    throw err;
  }
  const ms = performance.now() - started;
  const { rows, timings } = written;
  await withTransaction(store, (tx) =>
    appendAudit(tx, { actor: "ssj demo", action: "demo.load", subject: `demo-city:${seed}`, payload: { seed, entities, rows } }),
  );
  return { seed, entities, rows, ms, timings };
}
