import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { builtInCalendar, HolidayTableError, isWorkingDay, readHolidayTableFile, withHolidayTable } from "../../src/calendar/index.ts";

let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "ssj-cal-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("holiday table files", () => {
  it("loads a JSON table (with BOM) that extends the calendar", async () => {
    const path = join(dir, "2027.json");
    const table = { version: "t", years: { "2027": { holidays: ["2027-01-01"], workdays: [], source: "synthetic test table", version: "t" } } };
    await writeFile(path, "\uFEFF" + JSON.stringify(table));
    const cal = withHolidayTable(builtInCalendar(), await readHolidayTableFile(path));
    expect(isWorkingDay(cal, "2027-01-01")).toBe(false);
    expect(isWorkingDay(cal, "2027-01-04")).toBe(true);
  });

  it("reports invalid JSON as a HolidayTableError", async () => {
    const path = join(dir, "bad.json");
    await writeFile(path, "{ years: ");
    await expect(readHolidayTableFile(path)).rejects.toThrow(HolidayTableError);
  });

  it("the built-in calendar cannot be changed in place", () => {
    const cal = builtInCalendar();
    expect(() => (cal.years["2025"]!.holidays as string[]).push("2025-03-03")).toThrow(TypeError);
    expect(isWorkingDay(cal, "2025-03-03")).toBe(true);
  });
});
