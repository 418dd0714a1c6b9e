/** Which recorded results are overdue, due soon or on time for publication. */
import { UnknownHolidayYearError, type HolidayCalendar } from "../calendar/holidayCalendar.ts";
import { isIsoDate } from "../calendar/isoDate.ts";
import { publicationDeadline, PUBLICATION_WORKING_DAYS, workingDaysBetween } from "../calendar/workingDays.ts";

export interface DeadlineRecord {
  checkDate: string;
  /** The date the result was published, if it was. */
  publishedOn?: string | null;
}

export interface DeadlineItem<T> {
  record: T;
  deadline: string;
  /**
   * Working days in (today, deadline] (0: the deadline is today); negative when overdue: minus the
   * working days in [deadline, today). For a published record, counted from the publication date.
   */
  workingDaysLeft: number;
}

export interface DeadlineStatus<T> {
  /** Unpublished, deadline passed. */
  overdue: DeadlineItem<T>[];
  /** Unpublished, deadline within `dueSoonDays` working days after today (or today). */
  dueSoon: DeadlineItem<T>[];
  /** Unpublished, more time left. */
  onTime: DeadlineItem<T>[];
  /** Published after the deadline. */
  publishedLate: DeadlineItem<T>[];
  /** Published on or before the deadline. */
  publishedOnTime: DeadlineItem<T>[];
  /** Deadline not computable: the calendar lacks a year (load its holiday table). */
  undetermined: { record: T; reason: string; year: number }[];
}

export interface DeadlineOptions {
  /** Default 5 working days. */
  dueSoonDays?: number;
  /** Default 20 working days (企业信息公示暂行条例 art. 6). */
  publicationDays?: number;
}

export function deadlineStatus<T extends DeadlineRecord>(
  records: Iterable<T>,
  cal: HolidayCalendar,
  today: string,
  options: DeadlineOptions = {},
): DeadlineStatus<T> {
  const dueSoonDays = options.dueSoonDays ?? 5;
  const publicationDays = options.publicationDays ?? PUBLICATION_WORKING_DAYS;
  if (!isIsoDate(today)) throw new RangeError(`today must be YYYY-MM-DD, got ${JSON.stringify(today)}`);
  if (!Number.isSafeInteger(dueSoonDays) || dueSoonDays < 0) throw new RangeError(`dueSoonDays must be a whole number ≥ 0`);
  const out: DeadlineStatus<T> = { overdue: [], dueSoon: [], onTime: [], publishedLate: [], publishedOnTime: [], undetermined: [] };
  for (const record of records) {
    try {
      const deadline = publicationDeadline(cal, record.checkDate, publicationDays);
      if (record.publishedOn) {
        if (!isIsoDate(record.publishedOn)) throw new RangeError(`publishedOn must be YYYY-MM-DD, got ${JSON.stringify(record.publishedOn)}`);
        const item = { record, deadline, workingDaysLeft: workingDaysBetween(cal, record.publishedOn, deadline) };
        (record.publishedOn > deadline ? out.publishedLate : out.publishedOnTime).push(item);
        continue;
      }
      const left = workingDaysBetween(cal, today, deadline);
      if (today > deadline) {
        out.overdue.push({ record, deadline, workingDaysLeft: left });
        continue;
      }
      const item = { record, deadline, workingDaysLeft: left };
      (left <= dueSoonDays ? out.dueSoon : out.onTime).push(item);
    } catch (e) {
      if (e instanceof UnknownHolidayYearError) out.undetermined.push({ record, reason: e.message, year: e.year });
      else throw e;
    }
  }
  const byDeadline = (a: { deadline: string }, b: { deadline: string }) => (a.deadline < b.deadline ? -1 : a.deadline > b.deadline ? 1 : 0);
  for (const list of [out.overdue, out.dueSoon, out.onTime, out.publishedLate, out.publishedOnTime]) list.sort(byDeadline);
  return out;
}
