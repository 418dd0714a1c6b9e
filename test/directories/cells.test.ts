import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { cleanText, excelSerialToIso, isoToExcelSerial, parseDateCell, splitList } from "../../src/directories/import/index.ts";

describe("Excel serial dates (1900 system)", () => {
  it("handles the 1900 leap-year bug", () => {
    expect(excelSerialToIso(1)).toBe("1900-01-01");
    expect(excelSerialToIso(59)).toBe("1900-02-28");
    expect(() => excelSerialToIso(60)).toThrow(/1900-02-29/);
    expect(excelSerialToIso(61)).toBe("1900-03-01");
    expect(excelSerialToIso(43831)).toBe("2020-01-01");
    expect(excelSerialToIso(45658)).toBe("2025-01-01");
    expect(excelSerialToIso(45658.75)).toBe("2025-01-01");
    expect(() => excelSerialToIso(0)).toThrow(/超出范围/);
    expect(() => excelSerialToIso(NaN)).toThrow();
  });

  it("round-trips every date from 1900-03-01 on", () => {
    fc.assert(
      fc.property(fc.integer({ min: 61, max: 2_958_465 }), (n) => {
        expect(isoToExcelSerial(excelSerialToIso(n))).toBe(n);
      }),
    );
  });
});

describe("date cells", () => {
  it.each([
    ["2020-01-05", "2020-01-05"],
    ["2020/1/5", "2020-01-05"],
    ["2020.01.05", "2020-01-05"],
    ["2020年1月5日", "2020-01-05"],
    ["20200105", "2020-01-05"],
    [" 2020-01-05 00:00:00 ", "2020-01-05"],
    ["43831", "2020-01-01"],
    [43831, "2020-01-01"],
  ])("%j → %s", (input, iso) => {
    expect(parseDateCell(input)).toMatchObject({ ok: true, date: iso });
  });
  it.each(["2020-02-30", "05/01/2020", "yesterday", "2020-13-01"])("rejects %j", (input) => {
    expect(parseDateCell(input).ok).toBe(false);
  });
  it("takes a spreadsheet Date at its UTC calendar day", () => {
    expect(parseDateCell(new Date(Date.UTC(2019, 11, 31)))).toMatchObject({ ok: true, date: "2019-12-31" });
  });
});

describe("text cells", () => {
  it("collapses stray line breaks and odd spaces", () => {
    expect(cleanText("  示例\r\n公司\u3000 有限\t")).toBe("示例 公司 有限");
    expect(cleanText("\u200bA\u00a0B")).toBe("A B");
  });
  it("splits lists on the usual separators", () => {
    expect(splitList("460100;460200、460300，460100\r\n460400")).toEqual(["460100", "460200", "460300", "460400"]);
    expect(splitList(null)).toEqual([]);
  });
});
