import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  addDays,
  addWorkingDays,
  builtInCalendar,
  coveredYears,
  HolidayTableError,
  InvalidDateError,
  isWorkingDay,
  parseHolidayTable,
  publicationDeadline,
  UnknownHolidayYearError,
  weekday,
  withHolidayTable,
  workingDaysBetween,
  workingDaysInRange,
  type HolidayCalendar,
} from "../../src/calendar/index.ts";

const cal = builtInCalendar();

/** A synthetic 2027 table (NOT the official schedule: made up for tests). */
const table2027 = {
  version: "test-2027-v1",
  years: {
    "2027": {
      holidays: ["2027-01-01", "2027-02-05", "2027-02-08", "2027-02-09", "2027-10-01", "2027-10-04", "2027-10-05"],
      workdays: ["2027-02-13", "2027-10-09"],
      source: "synthetic test data",
      version: "test-2027-v1",
    },
  },
};

describe("built-in data (chinese-days)", () => {
  it("covers exactly 2004–2026 and refuses other years", () => {
    const years = coveredYears(cal);
    expect(years[0]).toBe(2004);
    expect(years.at(-1)).toBe(2026);
    expect(years).toHaveLength(23);
    expect(() => isWorkingDay(cal, "2027-03-03")).toThrow(UnknownHolidayYearError);
    expect(() => isWorkingDay(cal, "2003-03-03")).toThrow(/2003/);
  });

  it("2025 National Day / Mid-Autumn: 10-01..10-08 off, 09-28 and 10-11 makeup workdays", () => {
    for (let d = 1; d <= 8; d++) expect(isWorkingDay(cal, `2025-10-0${d}`)).toBe(false);
    expect(isWorkingDay(cal, "2025-09-28")).toBe(true); // Sunday
    expect(isWorkingDay(cal, "2025-10-11")).toBe(true); // Saturday
    expect(isWorkingDay(cal, "2025-10-09")).toBe(true);
    expect(isWorkingDay(cal, "2025-10-12")).toBe(false); // ordinary Sunday
    expect(weekday("2025-09-28")).toBe(0);
  });

  it("2026 Spring Festival: 02-15..02-23 off, 02-14 and 02-28 makeup workdays", () => {
    expect(workingDaysInRange(cal, "2026-02-12", "2026-03-02")).toEqual([
      "2026-02-12", "2026-02-13", "2026-02-14", "2026-02-24", "2026-02-25", "2026-02-26", "2026-02-27", "2026-02-28", "2026-03-02",
    ]);
  });

  it("2025 has 248 working days: 261 weekdays − 18 weekday holidays + 5 makeup weekend days", () => {
    const days = workingDaysInRange(cal, "2025-01-01", "2025-12-31");
    expect(days.length).toBe(248);
    expect(new Set(days).size).toBe(days.length);
  });
});

describe("publicationDeadline", () => {
  it("counts 20 working days after the check, skipping the National Day holiday and using makeup days", () => {
    // 2025-09-26 (Fri): 09-28 Sun makeup is day 1, 10-11 Sat makeup is day 6, … day 20 is 10-30.
    expect(publicationDeadline(cal, "2025-09-26")).toBe("2025-10-30");
    expect(publicationDeadline(cal, "2025-03-03")).toBe("2025-03-31");
  });

  it("does not count the check date itself", () => {
    expect(addWorkingDays(cal, "2025-03-03", 1)).toBe("2025-03-04");
    expect(addWorkingDays(cal, "2025-03-08", 1)).toBe("2025-03-10"); // from a Saturday
  });

  it("refuses a deadline that reaches a year without data, naming the year", () => {
    try {
      publicationDeadline(cal, "2026-12-15");
      expect.fail("should throw");
    } catch (e) {
      expect(e).toBeInstanceOf(UnknownHolidayYearError);
      expect((e as UnknownHolidayYearError).year).toBe(2027);
      expect(String(e)).toMatch(/2027/);
    }
  });

  it("works once the administrator loads the next year's table", () => {
    const cal2 = withHolidayTable(cal, table2027);
    expect(cal2.version).toBe("chinese-days@1.5.7+test-2027-v1");
    const d = publicationDeadline(cal2, "2026-12-15");
    expect(d > "2026-12-31").toBe(true);
    expect(workingDaysBetween(cal2, "2026-12-15", d)).toBe(20);
    expect(isWorkingDay(cal2, "2027-01-01")).toBe(false);
    expect(isWorkingDay(cal2, "2027-02-13")).toBe(true); // Saturday makeup
  });

  it("rejects malformed dates", () => {
    expect(() => publicationDeadline(cal, "2025-02-29")).toThrow(InvalidDateError);
    expect(() => publicationDeadline(cal, "2025-1-5")).toThrow(InvalidDateError);
  });
});

const dateIn = (from: string, to: string) =>
  fc.date({ min: new Date(`${from}T00:00:00Z`), max: new Date(`${to}T00:00:00Z`), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));

describe("invariants (fast-check)", () => {
  it("deadline is a working day, strictly after the check, with exactly 20 working days in (check, deadline]", () => {
    fc.assert(
      fc.property(dateIn("2004-01-01", "2026-11-15"), (check) => {
        const deadline = publicationDeadline(cal, check);
        expect(deadline > check).toBe(true);
        expect(isWorkingDay(cal, deadline)).toBe(true);
        expect(workingDaysInRange(cal, addDays(check, 1), deadline)).toHaveLength(20);
        expect(workingDaysBetween(cal, check, deadline)).toBe(20);
      }),
      { numRuns: 300 },
    );
  });

  it("addWorkingDays and workingDaysBetween are inverse, in both directions", () => {
    fc.assert(
      fc.property(dateIn("2005-01-01", "2026-06-30"), fc.integer({ min: -60, max: 60 }), (d, n) => {
        const e = addWorkingDays(cal, d, n);
        expect(workingDaysBetween(cal, d, e) + 0).toBe(n + 0);
        if (n !== 0) expect(isWorkingDay(cal, e)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("any date in a year without data throws UnknownHolidayYearError naming that year", () => {
    fc.assert(
      fc.property(dateIn("2027-01-01", "2099-12-31"), (d) => {
        let err: unknown;
        try {
          isWorkingDay(cal, d);
        } catch (e) {
          err = e;
        }
        expect(err).toBeInstanceOf(UnknownHolidayYearError);
        expect((err as UnknownHolidayYearError).year).toBe(Number(d.slice(0, 4)));
      }),
    );
  });

  it("workingDaysInRange lists exactly the working days", () => {
    fc.assert(
      fc.property(dateIn("2020-01-01", "2026-10-01"), fc.integer({ min: 0, max: 80 }), (from, span) => {
        const to = addDays(from, span);
        const list = workingDaysInRange(cal, from, to);
        for (const d of list) expect(isWorkingDay(cal, d)).toBe(true);
        expect(list.length).toBe(workingDaysBetween(cal, addDays(from, -1), to));
      }),
      { numRuns: 100 },
    );
  });
});

describe("holiday tables", () => {
  it("the built-in data passes the table validator", () => {
    expect(() => parseHolidayTable(JSON.parse(JSON.stringify(cal)))).not.toThrow();
  });

  const bad = (mutate: (t: any) => void): unknown => {
    const t = structuredClone(table2027) as any;
    mutate(t);
    return t;
  };
  it.each([
    ["a date outside its year", (t: any) => t.years["2027"].holidays.push("2028-01-01"), /not in 2027/],
    ["a weekday makeup workday", (t: any) => t.years["2027"].workdays.push("2027-03-03"), /weekday/],
    ["a date both holiday and workday", (t: any) => t.years["2027"].workdays.push("2027-01-01"), /both/],
    ["an impossible date", (t: any) => t.years["2027"].holidays.push("2027-02-30"), /YYYY-MM-DD/],
    ["a missing source", (t: any) => delete t.years["2027"].source, /source/],
    ["a missing version", (t: any) => (t.years["2027"].version = " "), /version/],
    ["an empty holiday list", (t: any) => (t.years["2027"].holidays = []), /without any holiday/],
    ["a bad year key", (t: any) => (t.years["27"] = t.years["2027"]), /4 digits/],
    ["an unknown property", (t: any) => (t.years["2027"].extra = 1), /unknown property/],
  ])("rejects %s", (_name, mutate, msg) => {
    expect(() => parseHolidayTable(bad(mutate))).toThrow(HolidayTableError);
    expect(() => parseHolidayTable(bad(mutate))).toThrow(msg);
  });

  it("refuses to silently change a year already loaded, unless replace is asked", () => {
    const changed = { years: { "2026": { ...cal.years["2026"]!, holidays: ["2026-01-01"], version: "other" } } };
    expect(() => withHolidayTable(cal, changed)).toThrow(/already in calendar/);
    const replaced: HolidayCalendar = withHolidayTable(cal, changed, { replace: true });
    expect(isWorkingDay(replaced, "2026-01-02")).toBe(true);
    expect(isWorkingDay(cal, "2026-01-02")).toBe(false); // original untouched
    expect(withHolidayTable(cal, { years: { "2026": cal.years["2026"] } })).toBe(cal); // identical: no-op
  });
});
