/**
 * Working-day arithmetic over a HolidayCalendar. Every function refuses (throws
 * UnknownHolidayYearError naming the year) as soon as it needs a day of a year without data.
 */
import { isWorkingDay, type HolidayCalendar } from "./holidayCalendar.ts";
import { addDays, compareDates, fromDayNumber, toDayNumber } from "./isoDate.ts";

/** Results are published within this many working days of the end of the check (企业信息公示暂行条例 art. 6). */
export const PUBLICATION_WORKING_DAYS = 20;

/** Largest span walked day by day (a guard against absurd inputs; 100 years). */
const MAX_SPAN_DAYS = 36_525;

/**
 * The n-th working day after `date` (n > 0) or before it (n < 0); `date` itself is not counted
 * (民法典 art. 201: the day a period starts is not counted). n = 0 returns `date` unchanged.
 */
export function addWorkingDays(cal: HolidayCalendar, date: string, n: number): string {
  if (!Number.isSafeInteger(n)) throw new RangeError(`working-day count must be a whole number, got ${n}`);
  toDayNumber(date); // validates
  if (n === 0) return date;
  const step = n > 0 ? 1 : -1;
  let remaining = Math.abs(n);
  let d = date;
  for (let walked = 0; remaining > 0; walked++) {
    if (walked > MAX_SPAN_DAYS) throw new RangeError(`${n} working days from ${date} spans more than ${MAX_SPAN_DAYS} days`);
    d = addDays(d, step);
    if (isWorkingDay(cal, d)) remaining--;
  }
  return d;
}

/**
 * The number of working days in (from, to] when from ≤ to, and minus the number in [to, from)
 * otherwise; so workingDaysBetween(cal, d, addWorkingDays(cal, d, n)) = n for every n.
 */
export function workingDaysBetween(cal: HolidayCalendar, from: string, to: string): number {
  const c = compareDates(from, to);
  if (c === 0) return 0;
  const [lo, hi] = c < 0 ? [toDayNumber(from) + 1, toDayNumber(to)] : [toDayNumber(to), toDayNumber(from) - 1];
  if (hi - lo > MAX_SPAN_DAYS) throw new RangeError(`span ${from}..${to} exceeds ${MAX_SPAN_DAYS} days`);
  let count = 0;
  for (let d = lo; d <= hi; d++) if (isWorkingDay(cal, fromDayNumber(d))) count++;
  return c < 0 ? count : -count;
}

/**
 * The last day to publish a check's result: the 20th working day after the check date (the
 * check date itself not counted). Options allow another period for local rules.
 */
export function publicationDeadline(cal: HolidayCalendar, checkDate: string, workingDays: number = PUBLICATION_WORKING_DAYS): string {
  if (!Number.isSafeInteger(workingDays) || workingDays < 1) throw new RangeError(`publication period must be ≥ 1 working day, got ${workingDays}`);
  return addWorkingDays(cal, checkDate, workingDays);
}

/** Every working day in [from, to] (both inclusive), ascending: the optimizer's horizon. */
export function workingDaysInRange(cal: HolidayCalendar, from: string, to: string): string[] {
  const a = toDayNumber(from), b = toDayNumber(to);
  if (b < a) return [];
  if (b - a > MAX_SPAN_DAYS) throw new RangeError(`span ${from}..${to} exceeds ${MAX_SPAN_DAYS} days`);
  const out: string[] = [];
  for (let d = a; d <= b; d++) {
    const iso = fromDayNumber(d);
    if (isWorkingDay(cal, iso)) out.push(iso);
  }
  return out;
}
