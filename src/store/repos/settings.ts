/**
 * Configuration entries with meaning (all stored in `config_entries`, changed by admins):
 *   resultCategories  { labels: { code: label } }           result-category labels (src/publication)
 *   holidayTables     HolidayTable[]                         extra official holiday years (src/calendar)
 *   publication       { workingDays?: number, dueSoonDays?: number }
 *   draw              { generalRatioCap?: {A,B,C,D: "p/q"}, substitutes?: number, team?: {minPerDepartment, minTotal, experts, reserves} }
 *   optimizer         { dailyCapacity?: number, totalCapacity?: number }   visits per inspector
 */
import { builtInCalendar, parseHolidayTable, withHolidayTable, type HolidayCalendar } from "../../calendar/index.ts";
import { resultCategories, type ResultCategory } from "../../publication/index.ts";
import { getConfig } from "./directories.ts";
import type { RepoStore } from "./db.ts";
import { RepoError } from "./db.ts";

export const CONFIG_KEYS = ["resultCategories", "holidayTables", "publication", "draw", "optimizer"] as const;
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
    } else if (key === "draw" || key === "optimizer") {
      if (!value || typeof value !== "object" || Array.isArray(value)) throw new Error("must be an object");
      const v = value as Record<string, unknown>;
      const allowed = key === "draw" ? ["generalRatioCap", "substitutes", "team"] : ["dailyCapacity", "totalCapacity"];
      for (const k of Object.keys(v)) if (!allowed.includes(k)) throw new Error(`unknown field ${k} (allowed: ${allowed.join(", ")})`);
      for (const k of ["substitutes", "dailyCapacity", "totalCapacity"])
        if (v[k] !== undefined && !(Number.isInteger(v[k]) && (v[k] as number) >= 0)) throw new Error(`${k} must be a whole number ≥ 0`);
      if (v.generalRatioCap !== undefined) {
        const caps = v.generalRatioCap as Record<string, unknown>;
        for (const [c, r] of Object.entries(caps ?? {}))
          if (!["A", "B", "C", "D"].includes(c) || typeof r !== "string" || !/^(0|[1-9]\d*)\/[1-9]\d*$/.test(r)) throw new Error(`generalRatioCap.${c} must be a ratio "p/q" for class A–D`);
      }
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
