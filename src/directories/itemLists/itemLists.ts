/**
 * Government item lists (抽查事项清单) as departments circulate them: a random-inspection item
 * list (编制单位名称, 序号, 抽查类别, 抽查事项, 检查对象, 事项类别, 检查方式, 检查主体, 检查依据) and a
 * joint-inspection item list (序号, 抽查领域, 抽查事项, 检查对象, 发起部门, 配合部门). Title and note
 * rows before the header, two-row headers, merged cells and stray line breaks are handled.
 */
import { cellText, cleanCjkText, type CellValue } from "../import/cells.ts";
import { normalizeHeader } from "../import/schema.ts";
import { ItemListError, readGrids, type SheetGrid } from "./grid.ts";

export type ItemKind = "key" | "general";

export interface InspectionItem {
  department: string;
  /** 序号 within the department, as written (null when absent). */
  seq: number | null;
  category: string;
  name: string;
  target: string;
  kind: ItemKind;
  /** 检查方式 split: 现场检查, 书面检查, 网络检查, 专业机构核查 … */
  methods: string[];
  /** 检查主体 */
  subject: string;
  /** 检查依据; several citations in one cell are joined with "；". */
  legalBasis: string;
  /** Worksheet row (1-based) the item comes from. */
  sourceRow: number;
}

export interface JointTemplate {
  seq: number | null;
  field: string;
  item: string;
  target: string;
  /** 发起部门 as written. */
  leadDepartment: string;
  /** 发起部门 split (some items are led jointly, e.g. 公安部门、卫生健康部门). */
  leadDepartments: string[];
  partnerDepartments: string[];
  sourceRow: number;
}

export interface ListIssue {
  row: number;
  field: string | null;
  message: string;
}

export interface ParsedList<T> {
  format: "xlsx" | "xls";
  sheet: string;
  title: string | null;
  headerRow: number;
  rows: T[];
  issues: ListIssue[];
}

/** Cleans a cell: whitespace collapsed, line breaks inside Chinese text removed. */
export function clean(v: CellValue): string {
  const t = cellText(typeof v === "string" ? cleanCjkText(v) : v);
  return t ?? "";
}

/** Legal basis: a line break before another citation (《…》) separates two citations. */
export function cleanLegalBasis(v: CellValue): string {
  if (typeof v !== "string") return clean(v);
  return cleanCjkText(v.replace(/[\s\u3000]*[\r\n]+[\s\u3000]*(?=《)/g, "；")).replace(/^；|；$/g, "");
}

export function splitDepartments(s: string): string[] {
  return s
    .split(/[、，,;；/\s]+/)
    .map((p) => p.trim())
    .filter((p) => p !== "");
}

interface ColumnDef {
  key: string;
  headers: string[];
  required: boolean;
}

function findTable(sheets: SheetGrid[], defs: ColumnDef[]): { sheet: SheetGrid; headerRow: number; cols: Map<string, number>; title: string | null } {
  const reqKeys = defs.filter((d) => d.required).map((d) => d.key);
  for (const sheet of sheets) {
    for (let r = 0; r < Math.min(sheet.rows.length, 30); r++) {
      const row = sheet.rows[r]!;
      const cols = new Map<string, number>();
      row.forEach((cell, c) => {
        const h = normalizeHeader(clean(cell));
        const def = defs.find((d) => d.headers.some((x) => normalizeHeader(x) === h));
        if (def && !cols.has(def.key)) cols.set(def.key, c);
      });
      if (reqKeys.every((k) => cols.has(k))) {
        let title: string | null = null;
        for (let t = 0; t < r; t++) {
          const texts = [...new Set(sheet.rows[t]!.map(clean).filter((x) => x !== ""))];
          if (texts.length === 1 && texts[0]!.length > 6) title = texts[0]!;
        }
        return { sheet, headerRow: r + 1, cols, title };
      }
    }
  }
  throw new ItemListError(`no sheet has a header row with ${defs.filter((d) => d.required).map((d) => d.headers[0]).join(", ")}`);
}

const seqOf = (v: CellValue | undefined): number | null => {
  if (typeof v === "number" && Number.isFinite(v)) return v;
  const t = clean(v ?? null);
  return /^\d+$/.test(t) ? Number(t) : null;
};

const ITEM_COLUMNS: ColumnDef[] = [
  { key: "department", headers: ["编制单位名称", "编制单位", "部门"], required: true },
  { key: "seq", headers: ["序号"], required: false },
  { key: "category", headers: ["抽查类别"], required: true },
  { key: "name", headers: ["抽查事项"], required: true },
  { key: "target", headers: ["检查对象"], required: true },
  { key: "kind", headers: ["事项类别"], required: true },
  { key: "methods", headers: ["检查方式"], required: true },
  { key: "subject", headers: ["检查主体"], required: true },
  { key: "legalBasis", headers: ["检查依据", "抽查依据"], required: true },
];

/** Parses a random-inspection item list (.xlsx or .xls). */
export async function parseInspectionItems(bytes: Uint8Array): Promise<ParsedList<InspectionItem>> {
  const { format, sheets } = await readGrids(bytes);
  const { sheet, headerRow, cols, title } = findTable(sheets, ITEM_COLUMNS);
  const items: InspectionItem[] = [];
  const issues: ListIssue[] = [];
  const get = (row: CellValue[], key: string) => {
    const c = cols.get(key);
    return c === undefined ? null : row[c] ?? null;
  };
  for (let r = headerRow; r < sheet.rows.length; r++) {
    const row = sheet.rows[r]!;
    const sourceRow = r + 1;
    if (row.every((c) => clean(c) === "")) continue;
    const v = (key: string) => clean(get(row, key));
    // the second header row of a two-row header repeats the header names
    if (v("name") === "抽查事项" || v("kind") === "事项类别") continue;
    const name = v("name");
    if (name === "") {
      issues.push({ row: sourceRow, field: "name", message: "row without 抽查事项 skipped" });
      continue;
    }
    const kindText = v("kind");
    let kind: ItemKind;
    if (kindText.startsWith("重点")) kind = "key";
    else if (kindText.startsWith("一般")) kind = "general";
    else {
      issues.push({ row: sourceRow, field: "kind", message: `事项类别 "${kindText}" is neither 重点检查事项 nor 一般检查事项; row skipped` });
      continue;
    }
    const department = v("department");
    if (department === "") {
      issues.push({ row: sourceRow, field: "department", message: "row without 编制单位名称 skipped" });
      continue;
    }
    items.push({
      department,
      seq: seqOf(get(row, "seq") ?? undefined),
      category: v("category"),
      name,
      target: v("target"),
      kind,
      methods: v("methods").split(/[、，,;；/]+/).map((m) => m.trim()).filter((m) => m !== ""),
      subject: v("subject"),
      legalBasis: cleanLegalBasis(get(row, "legalBasis")),
      sourceRow,
    });
  }
  return { format, sheet: sheet.name, title, headerRow, rows: items, issues };
}

const JOINT_COLUMNS: ColumnDef[] = [
  { key: "seq", headers: ["序号"], required: false },
  { key: "field", headers: ["抽查领域"], required: true },
  { key: "item", headers: ["抽查事项"], required: true },
  { key: "target", headers: ["检查对象"], required: true },
  { key: "lead", headers: ["发起部门"], required: true },
  { key: "partners", headers: ["配合部门"], required: true },
];

/** Parses a joint-inspection item list (.xls or .xlsx) into templates. */
export async function parseJointTemplates(bytes: Uint8Array): Promise<ParsedList<JointTemplate>> {
  const { format, sheets } = await readGrids(bytes);
  const { sheet, headerRow, cols, title } = findTable(sheets, JOINT_COLUMNS);
  const rows: JointTemplate[] = [];
  const issues: ListIssue[] = [];
  for (let r = headerRow; r < sheet.rows.length; r++) {
    const row = sheet.rows[r]!;
    const sourceRow = r + 1;
    if (row.every((c) => clean(c) === "")) continue;
    const v = (key: string) => clean(row[cols.get(key)!] ?? null);
    const item = v("item");
    if (item === "" || item === "抽查事项") {
      if (item === "") issues.push({ row: sourceRow, field: "item", message: "row without 抽查事项 skipped" });
      continue;
    }
    const lead = v("lead");
    if (lead === "") {
      issues.push({ row: sourceRow, field: "leadDepartment", message: "row without 发起部门 skipped" });
      continue;
    }
    rows.push({
      seq: seqOf(cols.has("seq") ? row[cols.get("seq")!] : undefined),
      field: v("field"),
      item,
      target: v("target"),
      leadDepartment: lead,
      leadDepartments: splitDepartments(lead),
      partnerDepartments: splitDepartments(v("partners")),
      sourceRow,
    });
  }
  return { format, sheet: sheet.name, title, headerRow, rows, issues };
}

/** Thin file helpers. */
export async function parseInspectionItemsFile(path: string): Promise<ParsedList<InspectionItem>> {
  const { readFile } = await import("node:fs/promises");
  return parseInspectionItems(await readFile(path));
}

export async function parseJointTemplatesFile(path: string): Promise<ParsedList<JointTemplate>> {
  const { readFile } = await import("node:fs/promises");
  return parseJointTemplates(await readFile(path));
}
