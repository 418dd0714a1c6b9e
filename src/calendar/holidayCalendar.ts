/**
 * The working-day calendar: versioned official holiday data (国务院办公厅 yearly notices), plain
 * data, with a strict refusal for any year the data does not cover.
 *
 * Working days cannot be computed from weekdays: each year's 调休 notice moves working days onto
 * weekends. `chinese-days` knows the notices up to its release but silently treats Monday–Friday as
 * working days for later years; this module reads its data table directly and throws
 * `UnknownHolidayYearError` for a year absent from the calendar. Administrators load newer years as
 * a JSON holiday table (see docs/calendar.md), validated by `parseHolidayTable`.
 */
import { createRequire } from "node:module";
import { isIsoDate, weekday, yearOf } from "./isoDate.ts";

/** One year's official schedule. Dates outside `holidays` and `workdays` follow Mon–Fri. */
export interface HolidayYear {
  /** Days off, including weekend days inside a holiday period. */
  holidays: string[];
  /** 调休 makeup working days: weekend days that are working days. */
  workdays: string[];
  /** Where the data comes from, e.g. the State Council notice number or URL. */
  source: string;
  /** Version of this year's data (a changed notice gets a new version). */
  version: string;
}

/** The calendar value: plain, serialisable data. `years` is keyed by the 4-digit year. */
export interface HolidayCalendar {
  version: string;
  years: Record<string, HolidayYear>;
}

/** A holiday table as administrators load it: the same shape, `version` optional. */
export interface HolidayTable {
  version?: string;
  years: Record<string, HolidayYear>;
}

export class UnknownHolidayYearError extends Error {
  override readonly name = "UnknownHolidayYearError";
  constructor(readonly year: number, readonly calendarVersion: string) {
    super(
      `no official holiday data for ${year} in calendar ${calendarVersion}: working days of ${year} cannot be ` +
        `computed (调休 moves them); load the State Council's ${year} holiday schedule as a holiday table`,
    );
  }
}

export interface HolidayTableProblem {
  path: string;
  message: string;
}

export class HolidayTableError extends Error {
  override readonly name = "HolidayTableError";
  constructor(readonly problems: HolidayTableProblem[]) {
    super(`invalid holiday table: ${problems.map((p) => `${p.path}: ${p.message}`).join("; ")}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Built-in data from chinese-days

const CHINESE_DAYS_VERSION: string = (() => {
  const require = createRequire(import.meta.url);
  return (require("chinese-days/package.json") as { version: string }).version;
})();

let builtIn: HolidayCalendar | undefined;

/**
 * The calendar built from the data table shipped in `chinese-days` (years 2004–2026 in 1.5.7).
 * Only years present in its data appear; every other year is refused.
 */
export function builtInCalendar(): HolidayCalendar {
  if (builtIn) return builtIn;
  const require = createRequire(import.meta.url);
  const data = require("chinese-days/dist/chinese-days.json") as {
    holidays: Record<string, string>;
    workdays: Record<string, string>;
  };
  const years: Record<string, HolidayYear> = {};
  const version = `chinese-days@${CHINESE_DAYS_VERSION}`;
  const yearEntry = (date: string): HolidayYear => {
    const y = date.slice(0, 4);
    return (years[y] ??= { holidays: [], workdays: [], source: `${version} (国务院办公厅 部分节假日安排 notices)`, version });
  };
  for (const date of Object.keys(data.holidays)) yearEntry(date).holidays.push(date);
  for (const date of Object.keys(data.workdays)) yearEntry(date).workdays.push(date);
  for (const y of Object.values(years)) {
    y.holidays.sort();
    y.workdays.sort();
  }
  builtIn = parseHolidayTable({ version, years }) as HolidayCalendar;
  return builtIn;
}

/** The 4-digit years the calendar covers, ascending. */
export function coveredYears(cal: HolidayCalendar): number[] {
  return Object.keys(cal.years).map(Number).sort((a, b) => a - b);
}

// ---------------------------------------------------------------------------------------------
// Validation and loading

/**
 * Validates an untrusted holiday table (e.g. parsed JSON) and returns a clean copy.
 * Rules: years are 4-digit keys; each year has `holidays` (non-empty) and `workdays` arrays of
 * distinct real dates inside that year, no date in both, every 调休 workday on a Saturday or
 * Sunday, non-empty `source` and `version` strings. Throws HolidayTableError listing every problem.
 */
export function parseHolidayTable(input: unknown): HolidayTable {
  const problems: HolidayTableProblem[] = [];
  const fail = (path: string, message: string) => problems.push({ path, message });
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw new HolidayTableError([{ path: "$", message: "expected an object { version?, years: { YYYY: {...} } }" }]);
  }
  const obj = input as Record<string, unknown>;
  for (const k of Object.keys(obj)) if (k !== "version" && k !== "years") fail(`$.${k}`, "unknown property");
  let version: string | undefined;
  if (obj.version !== undefined) {
    if (typeof obj.version !== "string" || obj.version.trim() === "") fail("$.version", "must be a non-empty string");
    else version = obj.version.trim();
  }
  const yearsIn = obj.years;
  const years: Record<string, HolidayYear> = {};
  if (typeof yearsIn !== "object" || yearsIn === null || Array.isArray(yearsIn)) {
    fail("$.years", "expected an object keyed by 4-digit year");
  } else {
    const keys = Object.keys(yearsIn);
    if (keys.length === 0) fail("$.years", "no year given");
    for (const y of keys) {
      const path = `$.years.${y}`;
      if (!/^\d{4}$/.test(y) || Number(y) < 1000) {
        fail(path, "year key must be 4 digits");
        continue;
      }
      const e = (yearsIn as Record<string, unknown>)[y];
      if (typeof e !== "object" || e === null || Array.isArray(e)) {
        fail(path, "expected { holidays, workdays, source, version }");
        continue;
      }
      const entry = e as Record<string, unknown>;
      for (const k of Object.keys(entry)) {
        if (!["holidays", "workdays", "source", "version"].includes(k)) fail(`${path}.${k}`, "unknown property");
      }
      const dates = (field: "holidays" | "workdays"): string[] => {
        const v = entry[field];
        if (!Array.isArray(v)) {
          fail(`${path}.${field}`, "expected an array of YYYY-MM-DD dates");
          return [];
        }
        const seen = new Set<string>();
        const out: string[] = [];
        v.forEach((d, i) => {
          if (!isIsoDate(d)) fail(`${path}.${field}[${i}]`, `not a YYYY-MM-DD date: ${JSON.stringify(d)}`);
          else if (d.slice(0, 4) !== y) fail(`${path}.${field}[${i}]`, `${d} is not in ${y}`);
          else if (seen.has(d)) fail(`${path}.${field}[${i}]`, `${d} listed twice`);
          else {
            seen.add(d);
            out.push(d);
          }
        });
        return out.sort();
      };
      const holidays = dates("holidays");
      const workdays = dates("workdays");
      if (Array.isArray(entry.holidays) && entry.holidays.length === 0) {
        fail(`${path}.holidays`, "a year without any holiday is not an official schedule");
      }
      const hol = new Set(holidays);
      for (const d of workdays) {
        if (hol.has(d)) fail(`${path}.workdays`, `${d} is both a holiday and a workday`);
        const wd = weekday(d);
        if (wd !== 0 && wd !== 6) fail(`${path}.workdays`, `${d} is a weekday: a 调休 workday is a Saturday or Sunday`);
      }
      const str = (field: "source" | "version"): string => {
        const v = entry[field];
        if (typeof v !== "string" || v.trim() === "") {
          fail(`${path}.${field}`, "must be a non-empty string");
          return "";
        }
        return v.trim();
      };
      years[y] = { holidays, workdays, source: str("source"), version: str("version") };
    }
  }
  if (problems.length > 0) throw new HolidayTableError(problems);
  // frozen: lookups cache an index per year object, so a year must never change in place
  for (const y of Object.values(years)) {
    Object.freeze(y.holidays);
    Object.freeze(y.workdays);
    Object.freeze(y);
  }
  Object.freeze(years);
  return Object.freeze(version === undefined ? { years } : { version, years });
}

function sameYear(a: HolidayYear, b: HolidayYear): boolean {
  return (
    a.holidays.join() === b.holidays.join() &&
    a.workdays.join() === b.workdays.join() &&
    a.version === b.version
  );
}

/**
 * Returns a new calendar with the table's years added. A year already present with different
 * data is refused unless `replace` is set (a corrected notice); the calendar version records
 * what was loaded. `table` is validated first (untrusted JSON is fine).
 */
export function withHolidayTable(cal: HolidayCalendar, table: unknown, options: { replace?: boolean } = {}): HolidayCalendar {
  const t = parseHolidayTable(table);
  const years: Record<string, HolidayYear> = { ...cal.years };
  const problems: HolidayTableProblem[] = [];
  const added: string[] = [];
  for (const [y, entry] of Object.entries(t.years)) {
    const existing = years[y];
    if (existing && sameYear(existing, entry)) continue;
    if (existing && !options.replace) {
      problems.push({
        path: `$.years.${y}`,
        message: `${y} is already in calendar ${cal.version} (version ${existing.version}) with different data; load with replace to supersede it`,
      });
      continue;
    }
    years[y] = entry;
    added.push(`${y}@${entry.version}`);
  }
  if (problems.length > 0) throw new HolidayTableError(problems);
  if (added.length === 0) return cal;
  const label = t.version ?? added.join(",");
  return Object.freeze({ version: `${cal.version}+${label}`, years: Object.freeze(years) });
}

// ---------------------------------------------------------------------------------------------
// Lookups

interface YearIndex {
  holidays: Set<string>;
  workdays: Set<string>;
}
const indexCache = new WeakMap<HolidayYear, YearIndex>();

function yearIndex(cal: HolidayCalendar, date: string): YearIndex {
  const y = yearOf(date);
  const entry = Object.hasOwn(cal.years, String(y)) ? cal.years[String(y)] : undefined;
  if (!entry) throw new UnknownHolidayYearError(y, cal.version);
  let idx = indexCache.get(entry);
  if (!idx) {
    idx = { holidays: new Set(entry.holidays), workdays: new Set(entry.workdays) };
    indexCache.set(entry, idx);
  }
  return idx;
}

/** True when `date` is an official working day. Throws UnknownHolidayYearError, InvalidDateError. */
export function isWorkingDay(cal: HolidayCalendar, date: string): boolean {
  const idx = yearIndex(cal, date);
  if (idx.holidays.has(date)) return false;
  if (idx.workdays.has(date)) return true;
  const wd = weekday(date);
  return wd !== 0 && wd !== 6;
}
