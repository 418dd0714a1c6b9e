/**
 * Configuration entries with meaning (all stored in `config_entries`, changed by admins):
 *   resultCategories  { labels: { code: label } }           result-category labels (src/publication)
 *   holidayTables     HolidayTable[]                         extra official holiday years (src/calendar)
 *   publication       { workingDays?: number, dueSoonDays?: number }
 */
import { builtInCalendar, parseHolidayTable, withHolidayTable, type HolidayCalendar } from "../../calendar/index.ts";
import { resultCategories, type ResultCategory } from "../../publication/index.ts";
import { getConfig } from "./directories.ts";
import type { RepoStore } from "./db.ts";
import { RepoError } from "./db.ts";

export const CONFIG_KEYS = ["resultCategories", "holidayTables", "publication"] as const;
export type ConfigKey = (typeof CONFIG_KEYS)[number];

/** Validate a configuration value before it is stored; throws RepoError 422 naming the field. */
export function validateConfig(key: string, value: unknown): void {
  try {
    if (key === "resultCategories") {
      if (!value || typeof value !== "object") throw new Error("must be an object { labels: { code: label } }");
      resultCategories(value as { labels?: Record<string, string> });
    } else if (key === "holidayTables") {
      if (!Array.isArray(value)) throw new Error("must be an array of holiday tables");
      value.forEach((t) => parseHolidayTable(t));
    } else if (key === "publication") {
      const v = value as { workingDays?: unknown; dueSoonDays?: unknown };
      if (!v || typeof v !== "object") throw new Error("must be an object");
      for (const k of ["workingDays", "dueSoonDays"] as const)
        if (v[k] !== undefined && !(Number.isInteger(v[k]) && (v[k] as number) >= 0 && (v[k] as number) <= 60))
          throw new Error(`${k} must be a whole number 0–60`);
    } else {
      throw new Error(`unknown configuration key (known: ${CONFIG_KEYS.join(", ")})`);
    }
  } catch (e) {
    if (e instanceof RepoError) throw e;
    throw new RepoError(422, "INVALID_CONFIG", `${key}: ${(e as Error).message}`, key);
  }
}

export async function calendarFor(store: RepoStore): Promise<HolidayCalendar> {
  let cal = builtInCalendar();
  const tables = await getConfig(store, "holidayTables");
  if (Array.isArray(tables)) for (const t of tables) cal = withHolidayTable(cal, t, { replace: true });
  return cal;
}

export async function categoriesFor(store: RepoStore): Promise<ResultCategory[]> {
  const c = await getConfig(store, "resultCategories");
  return resultCategories((c as { labels?: Record<string, string> } | undefined) ?? {});
}

export async function publicationSettings(store: RepoStore): Promise<{ workingDays: number; dueSoonDays: number }> {
  const c = ((await getConfig(store, "publication")) ?? {}) as { workingDays?: number; dueSoonDays?: number };
  return { workingDays: c.workingDays ?? 20, dueSoonDays: c.dueSoonDays ?? 5 };
}
