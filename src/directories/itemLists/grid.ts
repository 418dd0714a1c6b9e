/**
 * A workbook as plain grids of cell values, merged ranges resolved by carrying the master cell's
 * value into every cell of the range. Reads .xlsx (our limited streaming reader) and legacy .xls (our BIFF8 reader).
 */
import { columnIndex, readXlsxGrids, type XlsxGrid, type XlsxLimits } from "../import/xlsxReader.ts";
import { ImportError } from "../import/source.ts";
import type { CellValue } from "../import/cells.ts";
import { isCfb } from "./cfb.ts";
import { fillMerged, readXls, XlsError, type XlsMerge } from "./biff8.ts";

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
  let grids: XlsxGrid[];
  try {
    grids = await readXlsxGrids(bytes, ITEM_LIST_LIMITS);
  } catch (e) {
    if (e instanceof ImportError) throw new ItemListError(e.message);
    throw e;
  }
  return { format: "xlsx", sheets: grids.map(toGrid) };
}

/** Item lists are a few thousand rows: far tighter limits than directories. */
const ITEM_LIST_LIMITS: Partial<XlsxLimits> = { maxRows: 100_000, maxCells: 2_000_000, maxPartBytes: 256 * 1024 * 1024, maxTotalBytes: 512 * 1024 * 1024, maxSharedStrings: 500_000 };
const MAX_GRID_ROW = 200_000;
const MAX_MERGED_CELLS = 4_000_000;

/** Dense rows (row i = worksheet row i + 1), merged ranges filled with their master's value. */
function toGrid(g: XlsxGrid): SheetGrid {
  const last = g.rows.length > 0 ? g.rows[g.rows.length - 1]!.row : 0;
  if (last > MAX_GRID_ROW) throw new ItemListError(`worksheet "${g.name}" reaches row ${last}: an item list has at most ${MAX_GRID_ROW} rows`);
  const rows: CellValue[][] = Array.from({ length: last }, () => []);
  let width = 0;
  for (const r of g.rows) {
    rows[r.row - 1] = r.cells;
    width = Math.max(width, r.cells.length);
  }
  const merges: XlsMerge[] = [];
  let area = 0;
  for (const ref of g.merges) {
    const m = /^([A-Z]+)(\d+):([A-Z]+)(\d+)$/.exec(ref);
    if (!m) continue;
    const firstRow = Number(m[2]) - 1, lastRow = Math.min(Number(m[4]) - 1, last - 1);
    const firstCol = columnIndex(m[1]!), lastCol = Math.min(columnIndex(m[3]!), width - 1);
    if (firstRow > lastRow || firstCol > lastCol) continue;
    area += (lastRow - firstRow + 1) * (lastCol - firstCol + 1);
    if (area > MAX_MERGED_CELLS) throw new ItemListError(`worksheet "${g.name}": merged ranges cover more than ${MAX_MERGED_CELLS} cells`);
    merges.push({ firstRow, lastRow, firstCol, lastCol });
  }
  for (const row of rows) while (row.length < width) row.push(null);
  return { name: g.name, rows: fillMerged(rows, merges) };
}
