/**
 * A workbook as plain grids of cell values, merged ranges resolved by carrying the master cell's
 * value into every cell of the range. Reads .xlsx (exceljs) and legacy .xls (our BIFF8 reader).
 */
import ExcelJS from "exceljs";
import { excelCellValue } from "../import/rowReaders.ts";
import type { CellValue } from "../import/cells.ts";
import { isCfb } from "./cfb.ts";
import { fillMerged, readXls, XlsError } from "./biff8.ts";

export interface SheetGrid {
  name: string;
  /** rows[i] is worksheet row i + 1; cells[j] is column j + 1. */
  rows: CellValue[][];
}

export class ItemListError extends Error {
  override readonly name = "ItemListError";
}

export const MAX_ITEM_LIST_BYTES = 32 * 1024 * 1024;

export async function readGrids(bytes: Uint8Array): Promise<{ format: "xlsx" | "xls"; sheets: SheetGrid[] }> {
  if (bytes.length > MAX_ITEM_LIST_BYTES) throw new ItemListError(`file larger than ${MAX_ITEM_LIST_BYTES} bytes`);
  if (isCfb(bytes)) {
    try {
      const wb = readXls(bytes);
      return { format: "xls", sheets: wb.sheets.map((s) => ({ name: s.name, rows: fillMerged(s.rows, s.merges) })) };
    } catch (e) {
      if (e instanceof XlsError) throw new ItemListError(e.message);
      throw e;
    }
  }
  if (!(bytes[0] === 0x50 && bytes[1] === 0x4b)) throw new ItemListError("not an Excel workbook (.xlsx or .xls)");
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ArrayBuffer);
  } catch (e) {
    throw new ItemListError(`the .xlsx file cannot be read: ${(e as Error).message}`);
  }
  const sheets: SheetGrid[] = [];
  wb.eachSheet((ws) => {
    const rows: CellValue[][] = [];
    const cols = ws.columnCount;
    for (let r = 1; r <= ws.rowCount; r++) {
      const row = ws.getRow(r);
      const cells: CellValue[] = [];
      for (let c = 1; c <= cols; c++) {
        const cell = row.getCell(c);
        // a merged cell takes its master's (top-left) value
        const src = cell.isMerged ? cell.master : cell;
        cells.push(excelCellValue(src.value));
      }
      rows.push(cells);
    }
    sheets.push({ name: ws.name, rows });
  });
  return { format: "xlsx", sheets };
}
