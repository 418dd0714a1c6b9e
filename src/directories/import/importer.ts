/**
 * Directory import: CSV or XLSX bytes in, batches of validated rows out, with a report of every
 * rejected or flagged row (spreadsheet row number, field, rule). Streaming: the file is never
 * held in memory whole; rows come out in batches for the caller to insert in its transaction.
 *
 *   const imp = importEntities(fs.createReadStream(path), { totalBytes, onProgress });
 *   for await (const batch of imp) await insert(batch.rows);
 *   const report = imp.summary();
 */
import { cellText, type CellValue } from "./cells.ts";
import { csvRowBatches, xlsRows, xlsxRowBatches, type RawRow } from "./rowReaders.ts";
import type { XlsxLimits } from "./xlsxReader.ts";
import {
  ENTITY_COLUMNS,
  INSPECTOR_COLUMNS,
  normalizeHeader,
  validateEntityRow,
  validateInspectorRow,
  type ColumnSpec,
  type EntityRow,
  type FieldGetter,
  type InspectorRow,
  type RowIssue,
  type RowResult,
  type EntityRowContext,
} from "./schema.ts";
import type { DateOrder } from "./cells.ts";
import { chunksOf, decodeText, ImportError, peek, sniffEncoding, sniffFormat, type ByteSource, type TextEncodingName } from "./source.ts";

export type DirectoryKind = "entities" | "inspectors";

export interface ImportedRow<T> {
  row: number;
  value: T;
  /** Warnings kept with the row (e.g. a credit code failing only its check character). */
  flags: RowIssue[];
}

export interface ImportBatch<T> {
  rows: ImportedRow<T>[];
  /** Every issue of the rows read in this batch (rejections and flags). */
  issues: RowIssue[];
  bytesRead: number;
}

export interface ImportProgress {
  bytesRead: number;
  totalBytes: number | null;
  rowsRead: number;
}

export interface ImportOptions {
  /** "auto" (default) sniffs the bytes: ZIP → xlsx, OLE2 → legacy xls (BIFF8), else CSV. */
  format?: "auto" | "csv" | "xlsx" | "xls";
  /** Rows per batch (default 1000). */
  batchSize?: number;
  /** Accept GB18030/GBK CSV files when the bytes are not UTF-8 (default true). */
  allowGb18030?: boolean;
  /** XLSX: the worksheet to read (default the first). */
  sheet?: string;
  /** For progress reports. */
  totalBytes?: number;
  onProgress?: (p: ImportProgress) => void;
  /**
   * Explicit column mapping, header as written → field (`code`, `name`, `districtCode`… or the
   * field's Chinese name such as 区划码), or null to ignore the column; wins over the synonyms.
   */
  columnMap?: Record<string, string | null>;
  /** N/N/YYYY dates: month first (US-locale software) or day first; default: decided per cell, ambiguous ones flagged. */
  dateOrder?: DateOrder;
  /** Entities: the 6-digit 区划码 for rows whose code carries none and whose district cell is empty (flagged). */
  fallbackDistrict?: string;
  /** XLSX: the reader's hard limits (defaults: DEFAULT_XLSX_LIMITS). */
  limits?: Partial<XlsxLimits>;
  /** How many issues the summary keeps (all of them are in the batches). Default 10,000. */
  maxIssuesInSummary?: number;
}

export interface ImportColumn {
  index: number;
  header: string;
  field: string | null;
}

export interface ImportSummary {
  kind: DirectoryKind;
  format: "csv" | "xlsx" | "xls";
  /** CSV only. */
  encoding: TextEncodingName | null;
  headerRow: number;
  columns: ImportColumn[];
  /** Columns of the header that no field takes (their data is not imported): listed in every report. */
  ignoredColumns: { index: number; header: string }[];
  /** Data rows read (empty rows not counted). */
  rowsRead: number;
  emptyRows: number;
  accepted: number;
  rejected: number;
  /** Accepted rows carrying at least one flag. */
  flagged: number;
  /** Issue counts by `field:rule`. */
  issueCounts: Record<string, number>;
  issues: RowIssue[];
  issuesTruncated: boolean;
  bytesRead: number;
}

interface KindSpec<T> {
  columns: ColumnSpec[];
  /** The header must name at least one of these; the first present one labels duplicates. */
  keyFields: string[];
  keyLabel: string;
  validate: (get: FieldGetter, ctx: EntityRowContext) => RowResult<T>;
  key: (v: T) => string;
}

const ENTITY_SPEC: KindSpec<EntityRow> = {
  columns: ENTITY_COLUMNS,
  keyFields: ["code", "registrationNumber"],
  keyLabel: "统一社会信用代码/注册号",
  validate: validateEntityRow,
  key: (v) => v.code,
};
const INSPECTOR_SPEC: KindSpec<InspectorRow> = {
  columns: INSPECTOR_COLUMNS,
  keyFields: ["certificateNo"],
  keyLabel: "证件号",
  validate: validateInspectorRow,
  key: (v) => v.certificateNo,
};

/** Rows scanned for the header before giving up (title rows may come first). */
const HEADER_SCAN_ROWS = 20;
/** Bytes looked at to decide format and text encoding. */
const SNIFF_BYTES = 64 * 1024;

/** Field names a --map may use: the field itself or its first (Chinese) header name. */
export function resolveField(name: string, columns: ColumnSpec[]): string | null {
  const n = normalizeHeader(name);
  for (const c of columns) if (normalizeHeader(c.field) === n || normalizeHeader(c.aliases[0]!) === n) return c.field;
  return null;
}

/** Checks an explicit mapping against the fields; throws ImportError("header") naming the bad entry. */
function normalizeColumnMap(map: Record<string, string | null> | undefined, columns: ColumnSpec[]): Map<string, string | null> {
  const out = new Map<string, string | null>();
  for (const [header, target] of Object.entries(map ?? {})) {
    const h = normalizeHeader(header);
    if (h === "") throw new ImportError("header", "列映射中有空的列名");
    if (target === null || target === "" || target === "-") {
      out.set(h, null);
      continue;
    }
    const field = resolveField(target, columns);
    if (!field) throw new ImportError("header", `列映射“${header}=${target}”：没有字段“${target}”（可用：${columns.map((c) => `${c.field}/${c.aliases[0]}`).join("、")}）`);
    out.set(h, field);
  }
  return out;
}

function matchHeader(cells: CellValue[], columns: ColumnSpec[], keyFields: string[], explicit: Map<string, string | null>): { columns: ImportColumn[]; byField: Map<string, number> } | null {
  const aliasToField = new Map<string, string>();
  for (const c of columns) for (const a of c.aliases) aliasToField.set(normalizeHeader(a), c.field);
  const out: ImportColumn[] = [];
  const byField = new Map<string, number>();
  const dupes: string[] = [];
  let mapped = 0;
  cells.forEach((cell, index) => {
    const header = cellText(cell) ?? "";
    const norm = normalizeHeader(header);
    let field: string | undefined;
    if (header !== "" && explicit.has(norm)) {
      field = explicit.get(norm) ?? undefined;
      mapped++;
    } else if (header !== "") field = aliasToField.get(norm);
    if (field !== undefined && byField.has(field)) dupes.push(`第 ${index + 1} 列“${header}”与第 ${byField.get(field)! + 1} 列都表示 ${field}`);
    else if (field !== undefined) byField.set(field, index);
    out.push({ index, header, field: field ?? null });
  });
  if (!keyFields.some((f) => byField.has(f)) || (byField.size < 2 && mapped === 0)) return null;
  if (dupes.length > 0) throw new ImportError("header", `表头有重复含义的列：${dupes.join("；")}；请用列映射（--map 列名=字段，或 列名=- 忽略）指明用哪一列`);
  for (const h of explicit.keys()) if (!out.some((c) => normalizeHeader(c.header) === h)) throw new ImportError("header", `列映射中的列“${h}”不在表头中（表头：${out.map((c) => c.header).filter((x) => x !== "").join("、")}）`);
  return { columns: out, byField };
}

function isEmptyRow(cells: CellValue[]): boolean {
  for (let k = 0; k < cells.length; k++) if (cellText(cells[k]!) !== null) return false;
  return true;
}

/**
 * A copy of `s` that does not keep the text it was cut from alive. V8 makes a substring of 13 or
 * more characters a view into its parent string: a key kept in the duplicate map for every row
 * would pin every decoded text chunk, i.e. the whole file (~1 GB RSS at 2 million rows). Pieces
 * under 13 characters are copied, so the concatenation refers to fresh strings only.
 */
function detach(s: string): string {
  if (s.length < 13) return s;
  let out = "";
  for (let i = 0; i < s.length; i += 12) out += s.slice(i, i + 12);
  return out;
}

/** One-row arrays from a row stream (spreadsheets), so that every reader yields arrays of rows. */
async function* singles(rows: AsyncIterable<RawRow>): AsyncGenerator<RawRow[]> {
  for await (const r of rows) yield [r];
}

const NO_ISSUES: readonly RowIssue[] = Object.freeze([]);

/** The running import; iterate it once for batches, then read `summary()`. */
export class DirectoryImport<T> implements AsyncIterable<ImportBatch<T>> {
  #started = false;
  #summary: ImportSummary | null = null;
  #columns: ImportColumn[] | null = null;

  constructor(
    private readonly kind: DirectoryKind,
    private readonly spec: KindSpec<T>,
    private readonly source: ByteSource,
    private readonly options: ImportOptions,
  ) {}

  /**
   * The header's columns (each mapped to a field or null), known once the header row has been
   * read, i.e. from the first batch on; null before. Lets a caller tell which fields the file has.
   */
  columns(): readonly ImportColumn[] | null {
    return this.#columns;
  }

  /** The report; available once iteration has finished. */
  summary(): ImportSummary {
    if (!this.#summary) throw new Error("the import has not finished: iterate all batches first");
    return this.#summary;
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<ImportBatch<T>> {
    if (this.#started) throw new Error("an import can be iterated only once");
    this.#started = true;
    const o = this.options;
    const batchSize = o.batchSize ?? 1000;
    if (!Number.isSafeInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be a whole number ≥ 1, got ${batchSize}`);
    const maxIssues = o.maxIssuesInSummary ?? 10_000;
    let bytesRead = 0;
    const counted = async function* (s: AsyncIterable<Uint8Array>) {
      for await (const c of s) {
        bytesRead += c.length;
        yield c;
      }
    };

    const { head, stream } = await peek(chunksOf(this.source), SNIFF_BYTES);
    if (head.length === 0) throw new ImportError("empty", "文件是空的");
    const sniffed = sniffFormat(head);
    const format = o.format && o.format !== "auto" ? o.format : sniffed;
    if (format === "csv" && sniffed !== "csv") throw new ImportError("format", `文件是 .${sniffed} 工作簿，不是 CSV 文本`);
    if (format === "xlsx" && sniffed !== "xlsx") throw new ImportError("format", "文件不是 .xlsx 工作簿（没有 ZIP 文件头）");
    if (format === "xls" && sniffed !== "xls") throw new ImportError("format", "文件不是旧版 .xls 工作簿（没有 OLE2 文件头）");

    let encoding: TextEncodingName | null = null;
    let rows: AsyncIterable<RawRow[]>;
    if (format === "csv") {
      const enc = sniffEncoding(head.subarray(0, SNIFF_BYTES), o.allowGb18030 ?? true);
      encoding = enc.encoding;
      rows = csvRowBatches(decodeText(stream, enc.encoding, enc.bomLength, (n) => (bytesRead += n)));
    } else if (format === "xlsx") {
      rows = xlsxRowBatches(counted(stream), o.sheet, o.limits);
    } else {
      rows = singles(xlsRows(counted(stream), o.sheet));
    }

    const issues: RowIssue[] = [];
    const issueCounts: Record<string, number> = {};
    let issuesTruncated = false;
    const s = { rowsRead: 0, emptyRows: 0, accepted: 0, rejected: 0, flagged: 0 };
    let header: { columns: ImportColumn[]; byField: Map<string, number>; row: number } | null = null;
    const firstRowOfKey = new Map<string, number>();
    let batch: ImportBatch<T> = { rows: [], issues: [], bytesRead: 0 };
    let scanned = 0;
    let inBatch = 0;

    const record = (i: RowIssue) => {
      batch.issues.push(i);
      const k = `${i.field ?? "row"}:${i.rule}`;
      issueCounts[k] = (issueCounts[k] ?? 0) + 1;
      if (issues.length < maxIssues) issues.push(i);
      else issuesTruncated = true;
    };

    const keyColumn = (hd: { columns: ImportColumn[]; byField: Map<string, number> }): string | null => {
      for (const f of this.spec.keyFields) {
        const idx = hd.byField.get(f);
        if (idx !== undefined) return hd.columns[idx]!.header;
      }
      return null;
    };

    // The current row's cells, read by one field getter made per header (not one closure per row).
    let cells: CellValue[] = [];
    let ctx: EntityRowContext = { hasDistrictColumn: true };
    const explicit = normalizeColumnMap(o.columnMap, this.spec.columns);
    if (o.fallbackDistrict !== undefined && (this.kind !== "entities" || !/^\d{6}$/.test(o.fallbackDistrict) || o.fallbackDistrict === "000000"))
      throw new ImportError("header", this.kind !== "entities" ? "指定区划码只用于检查对象名录" : `指定的区划码须为 6 位数字，实为“${o.fallbackDistrict.slice(0, 20)}”`);
    let get: FieldGetter | null = null;
    rows: for await (const chunk of rows) for (const raw of chunk) {
      if (!header) {
        scanned++;
        const m = matchHeader(raw.cells, this.spec.columns, this.spec.keyFields, explicit);
        if (m) {
          const missing = this.spec.columns.filter((c) => c.required && !m.byField.has(c.field));
          if (missing.length > 0) {
            throw new ImportError("header", `第 ${raw.row} 行是表头，但缺少必需的列：${missing.map((c) => `${c.aliases[0]}（${c.field}）`).join("、")}；该列的列名不同时，用列映射指明（--map 列名=${missing[0]!.field}）`);
          }
          header = { ...m, row: raw.row };
          ctx = { hasDistrictColumn: m.byField.has("districtCode"), ...(o.dateOrder ? { dateOrder: o.dateOrder } : {}), ...(o.fallbackDistrict ? { fallbackDistrict: o.fallbackDistrict } : {}) };
          this.#columns = m.columns;
        } else if (scanned >= HEADER_SCAN_ROWS) {
          break rows;
        }
        continue;
      }
      if (isEmptyRow(raw.cells)) {
        s.emptyRows++;
        continue;
      }
      s.rowsRead++;
      const h = header;
      let extra = false;
      for (let k = h.columns.length; k < raw.cells.length; k++) if (cellText(raw.cells[k]!) !== null) extra = true;
      let result: RowResult<T>;
      if (extra) {
        result = {
          value: null,
          issues: [{ field: null, column: null, rule: "columnCount", severity: "error", message: `该行有 ${raw.cells.length} 个单元格，表头只有 ${h.columns.length} 列：单元格里有未加引号的分隔符？` }],
        };
      } else {
        if (!get) {
          const slots = new Map<string, { index: number; column: string }>();
          for (const [field, index] of h.byField) slots.set(field, { index, column: h.columns[index]!.header });
          get = (field) => {
            const slot = slots.get(field);
            return slot === undefined ? { value: null, column: null } : { value: cells[slot.index] ?? null, column: slot.column };
          };
        }
        cells = raw.cells;
        result = this.spec.validate(get, ctx);
        if (result.value !== null) {
          const key = this.spec.key(result.value);
          const first = firstRowOfKey.get(key);
          if (first !== undefined) {
            result = {
              value: null,
              issues: [
                ...result.issues,
                { field: this.spec.keyFields[0]!, column: keyColumn(h), rule: "duplicate", severity: "error", message: `${this.spec.keyLabel} ${key} 已在第 ${first} 行出现` },
              ],
            };
          } else {
            firstRowOfKey.set(detach(key), raw.row);
          }
        }
      }
      const rowIssues = result.issues.length === 0 ? (NO_ISSUES as RowIssue[]) : result.issues.map((i) => ({ row: raw.row, ...i }));
      for (const i of rowIssues) record(i);
      if (result.value !== null) {
        s.accepted++;
        if (rowIssues.length > 0) s.flagged++;
        batch.rows.push({ row: raw.row, value: result.value, flags: rowIssues });
      } else {
        s.rejected++;
      }
      if (++inBatch >= batchSize) {
        inBatch = 0;
        batch.bytesRead = bytesRead;
        o.onProgress?.({ bytesRead, totalBytes: o.totalBytes ?? null, rowsRead: s.rowsRead });
        yield batch;
        batch = { rows: [], issues: [], bytesRead: 0 };
      }
    }
    if (!header) {
      const names = [this.spec.keyLabel, ...this.spec.columns.filter((c) => c.required && !this.spec.keyFields.includes(c.field)).map((c) => c.aliases[0])].join(", ");
      throw new ImportError("header", `前 ${HEADER_SCAN_ROWS} 行中没有找到表头：应有 ${names} 等列（列名不同时可用列映射 --map 列名=字段）`);
    }
    batch.bytesRead = bytesRead;
    o.onProgress?.({ bytesRead, totalBytes: o.totalBytes ?? null, rowsRead: s.rowsRead });
    if (batch.rows.length > 0 || batch.issues.length > 0) yield batch;
    this.#summary = {
      kind: this.kind,
      format,
      encoding,
      headerRow: header.row,
      columns: header.columns,
      ignoredColumns: header.columns.filter((c) => c.field === null && c.header !== "").map((c) => ({ index: c.index, header: c.header })),
      ...s,
      issueCounts,
      issues,
      issuesTruncated,
      bytesRead,
    };
  }
}

export function importEntities(source: ByteSource, options: ImportOptions = {}): DirectoryImport<EntityRow> {
  return new DirectoryImport("entities", ENTITY_SPEC, source, options);
}

export function importInspectors(source: ByteSource, options: ImportOptions = {}): DirectoryImport<InspectorRow> {
  return new DirectoryImport("inspectors", INSPECTOR_SPEC, source, options);
}

/** Convenience for small files: all accepted rows and the summary. */
export async function collectImport<T>(imp: DirectoryImport<T>): Promise<{ rows: ImportedRow<T>[]; summary: ImportSummary }> {
  const rows: ImportedRow<T>[] = [];
  for await (const b of imp) rows.push(...b.rows);
  return { rows, summary: imp.summary() };
}
