/**
 * The loop's deadlines on the holiday calendar (src/calendar). Every function fails closed: when
 * a day it needs lies in a year without official holiday data, the deadline is `null` ("期限未定"),
 * never a guess; a step with a null deadline is listed for attention (`classifyStep`) until the
 * year's holiday table is loaded and the deadline is set.
 */
import { addWorkingDays, daysInMonth, isWorkingDay, UnknownHolidayYearError, type HolidayCalendar } from "../calendar/index.ts";

/** `f()` or null when it needs a year without holiday data; other errors propagate. */
export function orUnknown<T>(f: () => T): T | null {
  try {
    return f();
  } catch (e) {
    if (e instanceof UnknownHolidayYearError) return null;
    throw e;
  }
}

/** The n-th working day after `day` (the start day not counted), or null (no holiday data). */
export function workingDayDeadline(cal: HolidayCalendar, day: string, n: number): string | null {
  return orUnknown(() => addWorkingDays(cal, day, n));
}

/**
 * The same day `months` calendar months after `day` (民法典 art. 202: the corresponding day, or the
 * month's last day when it has none): 2026-12-31 + 2 months = 2027-02-28.
 */
export function addMonths(day: string, months: number): string {
  const y = Number(day.slice(0, 4)), m = Number(day.slice(5, 7)), d = Number(day.slice(8, 10));
  const total = y * 12 + (m - 1) + months;
  const ny = Math.floor(total / 12), nm = (total % 12) + 1;
  const nd = Math.min(d, daysInMonth(ny, nm));
  return `${String(ny).padStart(4, "0")}-${String(nm).padStart(2, "0")}-${String(nd).padStart(2, "0")}`;
}

/**
 * A period in months: the nominal last day, and the deadline after the holiday rule (民法典 art.
 * 203: a last day that is a holiday moves to the day after the holiday), or null (no holiday data).
 */
export function monthDeadline(cal: HolidayCalendar, day: string, months: number): { nominal: string; due: string | null } {
  const nominal = addMonths(day, months);
  const due = orUnknown(() => (isWorkingDay(cal, nominal) ? nominal : addWorkingDays(cal, nominal, 1)));
  return { nominal, due };
}
