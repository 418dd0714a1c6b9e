/** Thin file-system helpers (the rest of the calendar is pure). */
import { readFile } from "node:fs/promises";
import { HolidayTableError, parseHolidayTable, type HolidayTable } from "./holidayCalendar.ts";

/** Reads and validates a holiday table JSON file (format: docs/calendar.md). */
export async function readHolidayTableFile(path: string): Promise<HolidayTable> {
  const text = await readFile(path, "utf8");
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (e) {
    throw new HolidayTableError([{ path: "$", message: `${path} is not valid JSON: ${(e as Error).message}` }]);
  }
  return parseHolidayTable(json);
}
