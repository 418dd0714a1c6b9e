/**
 * Configuration entries with meaning (all stored in `config_entries`, changed by admins):
 *   resultCategories  { labels: { code: label } }           result-category labels (src/publication)
 *   holidayTables     HolidayTable[]                         extra official holiday years (src/calendar)
 *   publication       { workingDays?: number, dueSoonDays?: number }
 *   draw              { generalRatioCap?: {A,B,C,D: "p/q"}, substitutes?: number, team?: {minPerDepartment, minTotal, experts, reserves} }
 *   optimizer         { dailyCapacity?: number, totalCapacity?: number }   visits per inspector
 *   approvals         { ackWorkingDays?, verificationMonths?, reviewWorkingDays?, feedbackWorkingDays?, followUpWorkingDays?, alertWorkingDays? }   审管联动 deadlines (src/approvals/settings.ts)
 */
import { builtInCalendar, parseHolidayTable, withHolidayTable, type HolidayCalendar } from "../../calendar/index.ts";
import { resultCategories, type ResultCategory } from "../../publication/index.ts";
import { getConfig } from "./directories.ts";
import { DrawInputError } from "../../draws/rational.ts";
import { validateDrawConfig } from "../../draws/v2/validate.ts";
import { drawConfigFrom } from "../translate/draws.ts";
import { LoopError, loopSettings, type LoopSettings } from "../../approvals/index.ts";
import type { RepoStore } from "./db.ts";
import { RepoError } from "./db.ts";

export const CONFIG_KEYS = ["resultCategories", "holidayTables", "publication", "draw", "optimizer", "approvals"] as const;
export type ConfigKey = (typeof CONFIG_KEYS)[number];

/** Validate a configuration value before it is stored; throws RepoError 422 naming the field. */
export function validateConfig(key: string, value: unknown): void {
  try {
    if (key === "resultCategories") {
      if (!value || typeof value !== "object" || Array.isArray(value)) throw new Error("应为对象 { labels: { 代码: 名称 } }");
      for (const k of Object.keys(value)) if (k !== "labels") throw new RepoError(422, "INVALID_CONFIG", `resultCategories.${k}：未知成员（只允许 labels）`, `resultCategories.${k}`);
      resultCategories(value as { labels?: Record<string, string> });
    } else if (key === "holidayTables") {
      if (!Array.isArray(value)) throw new Error("应为节假日表的数组");
      value.forEach((t) => parseHolidayTable(t));
    } else if (key === "publication") {
      const v = value as { workingDays?: unknown; dueSoonDays?: unknown };
      if (!v || typeof v !== "object" || Array.isArray(v)) throw new Error("应为对象 { workingDays?, dueSoonDays? }");
      for (const k of Object.keys(v)) if (k !== "workingDays" && k !== "dueSoonDays") throw new RepoError(422, "INVALID_CONFIG", `publication.${k}：未知成员（允许 workingDays、dueSoonDays）`, `publication.${k}`);
      for (const k of ["workingDays", "dueSoonDays"] as const)
        if (v[k] !== undefined && !(Number.isInteger(v[k]) && (v[k] as number) >= 0 && (v[k] as number) <= 60))
          throw new RepoError(422, "INVALID_CONFIG", `publication.${k}：须为 0–60 的整数`, `publication.${k}`);
    } else if (key === "draw") {
      // What a draw would freeze (defaults filled in) must obey docs/draw-spec.md §3: checked now,
      // with the field and the rule named, not when a draw is attempted.
      if (!value || typeof value !== "object" || Array.isArray(value)) throw new RepoError(422, "INVALID_CONFIG", "draw 配置应为对象 { generalRatioCap?, substitutes?, team? }", "draw");
      for (const k of Object.keys(value)) if (!["generalRatioCap", "substitutes", "team"].includes(k)) throw new RepoError(422, "INVALID_CONFIG", `draw.${k}：未知成员（允许 generalRatioCap、substitutes、team）`, `draw.${k}`);
      const v = value as Record<string, unknown>;
      for (const k of ["generalRatioCap", "team"]) if (v[k] !== undefined && (typeof v[k] !== "object" || v[k] === null || Array.isArray(v[k]))) throw new RepoError(422, "INVALID_CONFIG", `draw.${k} 应为对象`, `draw.${k}`);
      try {
        validateDrawConfig(drawConfigFrom(value), "draw");
      } catch (e) {
        if (e instanceof DrawInputError) throw new RepoError(422, "INVALID_CONFIG", e.message.replace(/ \[[A-Za-z]+\]$/, ""), e.field);
        throw e;
      }
    } else if (key === "optimizer") {
      if (!value || typeof value !== "object" || Array.isArray(value)) throw new RepoError(422, "INVALID_CONFIG", "optimizer 配置应为对象 { dailyCapacity?, totalCapacity? }", "optimizer");
      const v = value as Record<string, unknown>;
      for (const k of Object.keys(v)) if (!["dailyCapacity", "totalCapacity"].includes(k)) throw new RepoError(422, "INVALID_CONFIG", `optimizer.${k}：未知成员（允许 dailyCapacity、totalCapacity）`, `optimizer.${k}`);
      if (v.dailyCapacity !== undefined && !(Number.isSafeInteger(v.dailyCapacity) && (v.dailyCapacity as number) >= 1 && (v.dailyCapacity as number) <= 1000))
        throw new RepoError(422, "INVALID_CONFIG", "optimizer.dailyCapacity 须为 1–1000 的整数（每人每日最多检查次数）", "optimizer.dailyCapacity");
      if (v.totalCapacity !== undefined && !(Number.isSafeInteger(v.totalCapacity) && (v.totalCapacity as number) >= 0))
        throw new RepoError(422, "INVALID_CONFIG", "optimizer.totalCapacity 须为不小于 0 的整数（每人每批次最多检查次数）", "optimizer.totalCapacity");
    } else if (key === "approvals") {
      try {
        loopSettings(value);
      } catch (e) {
        if (e instanceof LoopError) throw new RepoError(422, e.code, e.message, e.field);
        throw e;
      }
    } else {
      throw new Error(`未知的配置项（允许：${CONFIG_KEYS.join("、")}）`);
    }
  } catch (e) {
    if (e instanceof RepoError) throw e;
    throw new RepoError(422, "INVALID_CONFIG", `${key}：${(e as Error).message}`, key);
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

/** The 审管联动 deadlines in force (config key `approvals`, defaults in src/approvals/types.ts). */
export async function loopSettingsFor(store: RepoStore): Promise<LoopSettings> {
  return loopSettings((await getConfig(store, "approvals")) ?? undefined);
}
