/**
 * Spreadsheet rows (XLSX or CSV, header on the first row) into the loop's records: decisions
 * (审批决定), duty-list lines (职责边界清单) and risk alerts (风险预警). Pure: cells in, records and
 * per-row problems out; the store reads the file and writes. Headers are the Chinese column
 * names of the templates below (the English field names are accepted too).
 */

export type Cell = string | number | boolean | Date | null;

export interface SheetColumn {
  field: string;
  headers: readonly string[];
  required: boolean;
}

const col = (field: string, required: boolean, ...headers: string[]): SheetColumn => ({ field, required, headers: [...headers, field] });

export const DECISION_COLUMNS: readonly SheetColumn[] = [
  col("decisionNo", true, "办件编号", "决定文书号", "许可决定书文号"),
  col("entityCode", true, "统一社会信用代码", "信用代码", "注册号"),
  col("approvalCode", true, "审批事项编码", "事项编码"),
  col("kind", true, "审批方式", "审批类型"),
  col("decision", true, "审批结果", "决定"),
  col("decidedOn", true, "决定日期", "审批日期", "许可日期"),
  col("approvingBody", false, "实施机关"),
  col("licenceNo", false, "许可证号", "证书编号"),
  col("commitment", false, "承诺内容"),
];

export const DUTY_COLUMNS: readonly SheetColumn[] = [
  col("approvalCode", true, "审批事项编码", "事项编码"),
  col("approvalName", true, "审批事项名称", "审批事项"),
  col("approvalBasis", false, "审批依据", "设定依据"),
  col("supervisionCode", false, "监管事项编码"),
  col("supervisionName", true, "监管事项名称", "监管事项"),
  col("boundary", false, "职责边界"),
  col("department", true, "监管部门", "监管部门编码"),
  col("itemCode", false, "核查事项编码", "抽查事项编码"),
  col("forwardUp", false, "转送上级"),
];

export const ALERT_COLUMNS: readonly SheetColumn[] = [
  col("externalId", true, "预警编号"),
  col("source", true, "来源系统", "来源"),
  col("entityCode", true, "统一社会信用代码", "信用代码"),
  col("department", true, "负责部门", "监管部门", "监管部门编码"),
  col("category", true, "预警类型"),
  col("level", true, "预警等级"),
  col("detail", true, "预警内容", "预警详情"),
  col("raisedOn", true, "预警日期"),
];

export interface SheetProblem {
  row: number;
  field: string | null;
  message: string;
}

/** A cell as text: dates as YYYY-MM-DD (the reader's dates are UTC midnights), numbers without exponent. */
export function cellText(c: Cell): string {
  if (c === null || c === undefined) return "";
  if (c instanceof Date) return c.toISOString().slice(0, 10);
  if (typeof c === "number") return Number.isInteger(c) ? c.toFixed(0) : String(c);
  if (typeof c === "boolean") return c ? "是" : "否";
  return c.replace(/\s+/g, " ").trim();
}

const norm = (h: string) => h.replace(/[\s*＊（）()]/g, "").toLowerCase();

/**
 * Records of a sheet: the first row is the header. A missing required column is one problem for
 * the whole sheet (row 1); a row missing a required value is a problem naming row and column;
 * blank rows are skipped. Records keep their sheet row number.
 */
export function sheetRecords(rows: readonly { row: number; cells: readonly Cell[] }[], columns: readonly SheetColumn[]): { records: { row: number; values: Record<string, string> }[]; problems: SheetProblem[]; ignored: string[] } {
  const problems: SheetProblem[] = [];
  const [head, ...body] = rows;
  if (!head) return { records: [], problems: [{ row: 1, field: null, message: "文件为空：第 1 行应为表头" }], ignored: [] };
  const headers = head.cells.map((c) => norm(cellText(c)));
  const index = new Map<string, number>();
  for (const c of columns) {
    const i = headers.findIndex((h) => c.headers.some((x) => norm(x) === h));
    if (i >= 0) index.set(c.field, i);
    else if (c.required) problems.push({ row: head.row, field: c.field, message: `缺少“${c.headers[0]}”列` });
  }
  const used = new Set(index.values());
  const ignored = head.cells.map((c, i) => (used.has(i) ? "" : cellText(c))).filter((h) => h !== "");
  if (problems.length) return { records: [], problems, ignored };
  const records: { row: number; values: Record<string, string> }[] = [];
  for (const r of body) {
    const values: Record<string, string> = {};
    for (const [field, i] of index) values[field] = cellText(r.cells[i] ?? null);
    if (Object.values(values).every((v) => v === "")) continue;
    let ok = true;
    for (const c of columns)
      if (c.required && !values[c.field]) {
        problems.push({ row: r.row, field: c.field, message: `第 ${r.row} 行：“${c.headers[0]}”为空` });
        ok = false;
      }
    if (ok) records.push({ row: r.row, values });
  }
  return { records, problems, ignored };
}

/** 是/否, true/false, 1/0, Y/N → boolean; anything else null. */
export function yesNo(text: string): boolean | null {
  const t = text.trim().toLowerCase();
  if (["是", "true", "1", "y", "yes", "需要"].includes(t)) return true;
  if (["否", "false", "0", "n", "no", "", "不需要"].includes(t)) return false;
  return null;
}
