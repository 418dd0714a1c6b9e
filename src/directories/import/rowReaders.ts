/**
 * Sheet-shaped row streams from CSV text and XLSX workbooks. A row carries its number as the user
 * sees it in the spreadsheet (CSV: the record number, a quoted multi-line cell being one row;
 * XLSX: the worksheet row number).
 */
import type { CellValue } from "./cells.ts";
import { ImportError } from "./source.ts";
import { CsvTextError, CsvTextReader } from "./csvText.ts";
import { MAX_CFB_BYTES } from "../itemLists/cfb.ts";
import { readXls, XlsError } from "../itemLists/biff8.ts";
import { readXlsxRowBatches as readXlsxBatches, type XlsxLimits } from "./xlsxReader.ts";

export interface RawRow {
  row: number;
  cells: CellValue[];
}

export const MAX_CELL_CHARS = 100_000;

/** Picks `,`, tab or `;` from the first line of the text (the header), `,` when unsure. */
export function detectDelimiter(firstText: string): string {
  const line = firstText.split(/\r?\n/, 1)[0] ?? "";
  const count = (c: string) => line.split(c).length - 1;
  const candidates: [string, number][] = [[",", count(",")], ["\t", count("\t")], [";", count(";")]];
  candidates.sort((a, b) => b[1] - a[1]);
  return candidates[0]![1] > 0 ? candidates[0]![0] : ",";
}

/**
 * CSV records from decoded text chunks, a chunk's worth of rows at a time (one array per text
 * chunk: no per-row promise). Row numbers are record numbers (a quoted multi-line cell is one row).
 */
export async function* csvRowBatches(text: AsyncIterable<string>): AsyncGenerator<RawRow[]> {
  let reader: CsvTextReader | null = null;
  let row = 0;
  const toRows = (records: string[][]): RawRow[] => {
    const out: RawRow[] = new Array(records.length);
    for (let r = 0; r < records.length; r++) {
      const rec = records[r]!;
      const cells: CellValue[] = rec;
      for (let k = 0; k < rec.length; k++) if (rec[k] === "") cells[k] = null;
      out[r] = { row: ++row, cells };
    }
    return out;
  };
  try {
    for await (const chunk of text) {
      reader ??= new CsvTextReader(detectDelimiter(chunk), MAX_CELL_CHARS * 10);
      const records = reader.push(chunk);
      if (records.length > 0) yield toRows(records);
    }
    if (reader) {
      const records = reader.end();
      if (records.length > 0) yield toRows(records);
    }
  } catch (e) {
    if (!(e instanceof CsvTextError)) throw e;
    throw new ImportError("csv", `CSV 在第 ${e.records} 行之后无法读取：${e.message}`);
  }
}

/** CSV records from decoded text chunks, one row at a time. */
export async function* csvRows(text: AsyncIterable<string>): AsyncGenerator<RawRow> {
  for await (const rows of csvRowBatches(text)) yield* rows;
}

/** Normalises an exceljs cell value to a plain CellValue. */
export function excelCellValue(v: unknown): CellValue {
  if (v === null || v === undefined) return null;
  if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") return v;
  if (v instanceof Date) return v;
  if (typeof v === "object") {
    const o = v as Record<string, unknown>;
    if (Array.isArray(o.richText)) return (o.richText as { text?: unknown }[]).map((r) => String(r.text ?? "")).join("");
    if ("result" in o) return excelCellValue(o.result);
    if ("formula" in o || "sharedFormula" in o) return null;
    if (typeof o.text === "string") return o.text;
    if (typeof o.error === "string") return o.error;
  }
  return String(v);
}

/**
 * Rows of the first worksheet (or the one named `sheet`) of an XLSX workbook, streamed by our
 * limited reader (xlsxReader.ts), a decompressed chunk's rows at a time.
 */
export async function* xlsxRowBatches(bytes: Uint8Array | AsyncIterable<Uint8Array>, sheet?: string, limits?: Partial<XlsxLimits>): AsyncGenerator<RawRow[]> {
  yield* readXlsxBatches(bytes, { ...(sheet !== undefined ? { sheet } : {}), limits: { maxCellChars: MAX_CELL_CHARS, ...limits } });
}

/** Rows of an XLSX workbook one at a time (see xlsxRowBatches). */
export async function* xlsxRows(bytes: Uint8Array | AsyncIterable<Uint8Array>, sheet?: string, limits?: Partial<XlsxLimits>): AsyncGenerator<RawRow> {
  for await (const rows of xlsxRowBatches(bytes, sheet, limits)) yield* rows;
}

/**
 * Rows of a legacy .xls (BIFF8) workbook. The format has no streaming reader: the file (at most
 * 65,536 rows; 64 MB) is read whole, then parsed by our defensive BIFF8 reader.
 */
export async function* xlsRows(bytes: AsyncIterable<Uint8Array>, sheet?: string): AsyncGenerator<RawRow> {
  const parts: Uint8Array[] = [];
  let total = 0;
  for await (const c of bytes) {
    total += c.length;
    if (total > MAX_CFB_BYTES) throw new ImportError("limit", `大于 ${MAX_CFB_BYTES} 字节的 .xls 文件不予读取：请另存为 .xlsx 或 CSV`);
    parts.push(c);
  }
  let wb;
  try {
    wb = readXls(Buffer.concat(parts));
  } catch (e) {
    if (e instanceof XlsError) throw new ImportError("xls", `无法读取 .xls 文件：${e.message}`);
    throw e;
  }
  const ws = sheet === undefined ? wb.sheets[0] : wb.sheets.find((s) => s.name === sheet);
  if (!ws) throw new ImportError("xls", sheet === undefined ? "工作簿中没有工作表" : `工作簿中没有名为“${sheet}”的工作表`);
  for (let r = 0; r < ws.rows.length; r++) yield { row: r + 1, cells: ws.rows[r]! };
}
