/**
 * Cell-level cleaning shared by directory imports and item-list parsing: whitespace, Excel
 * serial dates, lists.
 */
import { fromDayNumber, isIsoDate, toDayNumber } from "../../calendar/isoDate.ts";

/** A cell as read from CSV (string | null) or a spreadsheet (typed). */
export type CellValue = string | number | boolean | Date | null;

/**
 * Trims and collapses whitespace: stray line breaks (`\r\n`, `\n`, `\r`), tabs, no-break and
 * full-width spaces become one space between words; zero-width characters are dropped.
 */
export function cleanText(s: string): string {
  if (!NEEDS_CLEANING.test(s)) return s; // the common case: nothing to trim, collapse or drop
  return s
    .replace(/[\u200b-\u200d\ufeff]/g, "")
    .replace(/[\s\u00a0\u3000]+/g, " ")
    .trim();
}

const NEEDS_CLEANING = /[\s\u00a0\u3000\u200b-\u200d\ufeff]/;

/** Like cleanText, but removes the whitespace entirely between two CJK characters (a broken line). */
export function cleanCjkText(s: string): string {
  return cleanText(s).replace(/(?<=[\u3000-\u9fff\uff00-\uffef]) (?=[\u3000-\u9fff\uff00-\uffef])/g, "");
}

/** A cell as trimmed text, or null for an empty cell. Numbers are written without exponent when integral. */
export function cellText(v: CellValue): string | null {
  if (v === null) return null;
  if (typeof v === "string") {
    const t = cleanText(v);
    return t === "" ? null : t;
  }
  if (typeof v === "number") return Number.isInteger(v) && Math.abs(v) < 1e21 ? v.toFixed(0) : String(v);
  if (typeof v === "boolean") return v ? "TRUE" : "FALSE";
  return dateToIso(v);
}

function dateToIso(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** Excel (1900 date system) serial day 1 = 1900-01-01. */
const EXCEL_EPOCH_DAY = toDayNumber("1899-12-31");

export class ExcelSerialError extends Error {
  override readonly name = "ExcelSerialError";
}

/**
 * Converts an Excel serial date (1900 date system) to YYYY-MM-DD. Excel counts a 29 February 1900
 * that never existed (the Lotus 1-2-3 leap-year bug): serials 1–59 are 1900-01-01..02-28,
 * serial 60 is that phantom day (refused), and from 61 on every serial is one day too high.
 * A fractional part (time of day) is dropped.
 */
export function excelSerialToIso(serial: number): string {
  if (!Number.isFinite(serial)) throw new ExcelSerialError(`不是数字：${serial}`);
  const n = Math.floor(serial);
  if (n < 1 || n > 2_958_465) throw new ExcelSerialError(`Excel 日期序号 ${serial} 超出范围（1 = 1900-01-01 … 2958465 = 9999-12-31）`);
  if (n === 60) throw new ExcelSerialError("Excel 日期序号 60 是 1900-02-29，这一天并不存在（Excel 的 1900 年闰年错误）");
  return fromDayNumber(EXCEL_EPOCH_DAY + (n < 60 ? n : n - 1));
}

/** Inverse of excelSerialToIso (for tests and fixtures). */
export function isoToExcelSerial(date: string): number {
  const n = toDayNumber(date) - EXCEL_EPOCH_DAY;
  return n < 60 ? n : n + 1;
}

export type DateParse =
  | { ok: true; date: string; fromSerial: boolean }
  | { ok: false; message: string; rule: "date" | "dateAmbiguous"; readings?: string[] };

/** Day–month order for N/N/YYYY dates, when the file's software is known (default: decide per cell). */
export type DateOrder = "mdy" | "dmy";

const TIME = String.raw`(?:[ T]+\d{1,2}(?::\d{2}){1,2}(?:\.\d+)?(?:\s*[AP]M)?(?:Z|[+-]\d{2}:?\d{2})?|\s*\d{1,2}时(?:\d{1,2}分(?:\d{1,2}秒)?)?)?`;
const YMD = new RegExp(String.raw`^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?${TIME}$`, "i");
const COMPACT = /^(\d{4})(\d{2})(\d{2})$/;
const NNY = new RegExp(String.raw`^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})${TIME}$`, "i");

function realDate(y: string, m: string, d: string): string | null {
  const iso = `${y}-${m.padStart(2, "0")}-${d.padStart(2, "0")}`;
  return isIsoDate(iso) ? iso : null;
}

/**
 * A date cell: a spreadsheet date, an Excel serial number (also as a 5-digit text, as a CSV export
 * of an unformatted date column gives), or text `2020-01-05`, `2020/1/5 0:00`, `2020.1.5`,
 * `2020年1月5日`, `20200105`, and day–month–year in either order as US-locale software writes it
 * (`5/30/2014 0:00`): when both readings are real dates and differ (`5/6/2014`) the cell is
 * ambiguous (`dateAmbiguous`, both readings given) unless `order` says which; a time part is ignored.
 */
export function parseDateCell(v: CellValue, order?: DateOrder): DateParse {
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) return { ok: false, rule: "date", message: "不是有效日期" };
    return { ok: true, date: dateToIso(v), fromSerial: false };
  }
  if (typeof v === "number") {
    try {
      return { ok: true, date: excelSerialToIso(v), fromSerial: true };
    } catch (e) {
      return { ok: false, rule: "date", message: (e as Error).message };
    }
  }
  if (typeof v === "string" && v.length === 10) {
    const iso = plainIsoDate(v);
    if (iso) return { ok: true, date: iso, fromSerial: false };
  }
  const t = typeof v === "string" ? cleanText(v).normalize("NFKC") : "";
  if (t === "") return { ok: false, rule: "date", message: "为空" };
  if (/^\d{5}(\.\d+)?$/.test(t)) return parseDateCell(Number(t));
  const m = YMD.exec(t) ?? COMPACT.exec(t);
  if (m) {
    const iso = realDate(m[1]!, m[2]!, m[3]!);
    return iso ? { ok: true, date: iso, fromSerial: false } : { ok: false, rule: "date", message: `“${t}”不是真实存在的日期` };
  }
  const n = NNY.exec(t);
  if (n) {
    const mdy = realDate(n[3]!, n[1]!, n[2]!);
    const dmy = realDate(n[3]!, n[2]!, n[1]!);
    const chosen = order === "mdy" ? mdy : order === "dmy" ? dmy : mdy === dmy || dmy === null ? mdy : mdy === null ? dmy : undefined;
    if (chosen) return { ok: true, date: chosen, fromSerial: false };
    if (chosen === undefined)
      return {
        ok: false,
        rule: "dateAmbiguous",
        readings: [mdy!, dmy!],
        message: `“${t}”有两种读法：${mdy}（月/日/年，美式软件的写法）或 ${dmy}（日/月/年），未猜测；请改写为 YYYY-MM-DD，或在导入时指明日期顺序`,
      };
    return { ok: false, rule: "date", message: `“${t}”不是真实存在的日期` };
  }
  return { ok: false, rule: "date", message: `“${t}”不是日期（请写作 YYYY-MM-DD）` };
}

/** Splits a list cell on ; ； 、 , ， / | and line breaks; trims, drops empties and duplicates. */
export function splitList(v: CellValue): string[] {
  const t = v === null ? "" : typeof v === "string" ? v : cellText(v) ?? "";
  const out: string[] = [];
  for (const part of t.split(/[;；、,，/|\r\n]+/)) {
    const p = cleanText(part);
    if (p !== "" && !out.includes(p)) out.push(p);
  }
  return out;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** `YYYY-MM-DD` exactly, a real calendar date from year 1000 on: the string; else null (then the general path decides). */
function plainIsoDate(v: string): string | null {
  if (v.charCodeAt(4) !== 45 || v.charCodeAt(7) !== 45) return null;
  let y = 0, m = 0, d = 0;
  for (let i = 0; i < 10; i++) {
    if (i === 4 || i === 7) continue;
    const c = v.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return null;
    if (i < 4) y = y * 10 + c;
    else if (i < 7) m = m * 10 + c;
    else d = d * 10 + c;
  }
  if (y < 1000 || m < 1 || m > 12 || d < 1) return null;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const dim = m === 2 && leap ? 29 : DAYS_IN_MONTH[m - 1]!;
  return d <= dim ? v : null;
}
