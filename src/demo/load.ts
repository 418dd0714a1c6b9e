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
import { setFrequencyCaps, type FrequencyCapsInput } from "../store/repos/frequencyCaps.ts";
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
  await setDemoFrequencyCap(store);
  return { seed, entities, rows, ms, timings };
}

/**
 * The demo's 同一企业年度检查频次上限 (the local example of ../shared/domain.md: 2 checks a year at
 * the level, 4 across levels, complaints and referrals exempt) for D01 市场监督管理局, so that a
 * newcomer sees one on the configuration page and on 公示. The loop's mandated checks are exempt
 * too, so on a fresh demo no entity is at the cap and no draw differs from a city without it.
 */
export const DEMO_FREQUENCY_CAP: FrequencyCapsInput = {
  maxPerYear: 2,
  maxPerYearAllLevels: 4,
  exemptions: [
    { kind: "complaint", reason: "投诉举报引发的检查依法必须处理，不计入频次" },
    { kind: "referral", reason: "上级转办交办的案件线索依法必须查处，不计入频次" },
    { kind: "commitment", reason: "告知承诺核查是审批后的法定核查，不计入频次" },
    { kind: "riskAlert", reason: "风险预警须及时处置并反馈，不计入频次" },
    { kind: "followUp", reason: "复核后续监管落实复核结果，不计入频次" },
  ],
};

async function setDemoFrequencyCap(store: Store): Promise<void> {
  const d01 = await store.prisma.department.findUnique({ where: { code: "D01" } });
  if (d01) await setFrequencyCaps(store, d01.id, DEMO_FREQUENCY_CAP, "ssj demo");
}
