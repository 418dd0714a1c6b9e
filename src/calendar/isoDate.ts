/**
 * Calendar dates as ISO `YYYY-MM-DD` strings, with arithmetic on whole days since 1970-01-01.
 * No time zones anywhere: a date is a day on the Chinese civil calendar, never an instant.
 */

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

export class InvalidDateError extends Error {
  override readonly name = "InvalidDateError";
  constructor(readonly value: unknown) {
    super(`not a calendar date in YYYY-MM-DD form: ${JSON.stringify(value)}`);
  }
}

/** True for a real calendar date written `YYYY-MM-DD` (years 1000–9999). */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== "string") return false;
  const m = ISO.exec(value);
  if (!m) return false;
  const y = Number(m[1]), mo = Number(m[2]), d = Number(m[3]);
  if (y < 1000 || mo < 1 || mo > 12 || d < 1) return false;
  return d <= daysInMonth(y, mo);
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Whole days since 1970-01-01 (negative before). Throws InvalidDateError. */
export function toDayNumber(date: string): number {
  if (!isIsoDate(date)) throw new InvalidDateError(date);
  const y = Number(date.slice(0, 4)), mo = Number(date.slice(5, 7)), d = Number(date.slice(8, 10));
  const t = new Date(0);
  t.setUTCFullYear(y, mo - 1, d);
  return Math.round(t.getTime() / MS_PER_DAY);
}

export function fromDayNumber(day: number): string {
  if (!Number.isSafeInteger(day)) throw new RangeError(`not a whole day number: ${day}`);
  const t = new Date(day * MS_PER_DAY);
  const y = t.getUTCFullYear();
  if (y < 1000 || y > 9999) throw new RangeError(`day ${day} is outside years 1000–9999`);
  return `${String(y).padStart(4, "0")}-${String(t.getUTCMonth() + 1).padStart(2, "0")}-${String(t.getUTCDate()).padStart(2, "0")}`;
}

export function addDays(date: string, n: number): string {
  return fromDayNumber(toDayNumber(date) + n);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(date: string): number {
  return (((toDayNumber(date) + 4) % 7) + 7) % 7;
}

export function yearOf(date: string): number {
  if (!isIsoDate(date)) throw new InvalidDateError(date);
  return Number(date.slice(0, 4));
}

/** Negative, zero or positive like a comparator; ISO strings compare lexically. */
export function compareDates(a: string, b: string): number {
  if (!isIsoDate(a)) throw new InvalidDateError(a);
  if (!isIsoDate(b)) throw new InvalidDateError(b);
  return a < b ? -1 : a > b ? 1 : 0;
}
