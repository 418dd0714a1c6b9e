/**
 * Tables written as XLSX (exceljs) or CSV (UTF-8 with BOM, so that Excel reads Chinese): the
 * console's exports (api/console/pages/exports.ts) and the API's statistics export. A cell
 * starting with = + - @ is written as text (no formula injection).
 */
import ExcelJS from "exceljs";

export type Cell = string | number | null;
export interface Sheet {
  name: string;
  columns: string[];
  rows: Cell[][];
}

export const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
export const CSV_TYPE = "text/csv; charset=utf-8";

const safe = (v: Cell): Cell => (typeof v === "string" && /^[=+\-@\t\r]/.test(v) ? `'${v}` : v);

export function toCsv(sheets: Sheet[]): string {
  const quote = (v: Cell) => {
    const s = v === null ? "" : String(safe(v));
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const parts = sheets.map((s) => [s.columns, ...s.rows].map((r) => r.map(quote).join(",")).join("\r\n"));
  return `\uFEFF${parts.join("\r\n\r\n")}\r\n`;
}

export async function toXlsx(sheets: Sheet[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = "ssj 工作台";
  for (const s of sheets) {
    const ws = wb.addWorksheet(s.name.slice(0, 31));
    ws.addRow(s.columns).font = { bold: true };
    for (const r of s.rows) ws.addRow(r.map((v) => (typeof v === "string" ? safe(v) : v)));
    ws.columns.forEach((c, i) => {
      const longest = Math.max(s.columns[i]!.length * 2, ...s.rows.slice(0, 200).map((r) => String(r[i] ?? "").length * 1.6));
      c.width = Math.min(60, Math.max(8, Math.ceil(longest)));
    });
    ws.views = [{ state: "frozen", ySplit: 1 }];
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
