/**
 * A streaming .xlsx reader with hard limits, for files nobody vouches for.
 *
 *   for await (const row of xlsxRows(bytes, { sheet, limits })) …   // { row: 5, cells: ["…", 12, null] }
 *   const wb = await readXlsxGrids(bytes, limits);                  // small workbooks whole (item lists)
 *
 * Why not exceljs' WorkbookReader: Excel writes the worksheets BEFORE sharedStrings.xml and
 * styles.xml in the ZIP, so a reader that follows the archive front to back (exceljs, unzipper)
 * must buffer whole worksheets until the strings arrive; a 4.5 MB file whose sheet inflates to
 * 1.15 GB then takes the process down. Here the ZIP is read by its central directory (yauzl:
 * random access, declared sizes enforced while inflating), the small parts (workbook, relations,
 * styles, shared strings) first, then the chosen worksheet is inflated and parsed as a stream
 * (saxes), row by row. Memory is the shared strings plus one chunk's rows.
 *
 * Limits (XlsxLimits; every one names itself when it refuses, as ImportError `limit` with
 * `limit` = the limit's name): compressed file bytes, decompressed bytes per part and in total
 * (checked against the sizes the archive declares before anything is inflated, and again while
 * inflating), rows, cells (a row counts as wide as its last column), shared strings (count and
 * characters), one text run (no `<` for longer than a cell may be), element depth. A worksheet or
 * shared-string part whose XML is truncated or malformed is ImportError `xlsx`, never "0 rows".
 *
 * Sources: a Uint8Array (read in place) or a byte stream, which is spooled to a temporary file
 * (ZIP needs random access) and deleted afterwards.
 */
import { mkdtemp, open, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SaxesParser, type SaxesTagPlain } from "saxes";
import yauzl from "yauzl";
import type { CellValue } from "./cells.ts";
import { ImportError } from "./source.ts";

export interface XlsxLimits {
  /** Bytes of the .xlsx file itself. */
  maxFileBytes: number;
  /** Decompressed bytes of one part (a worksheet, the shared strings…). */
  maxPartBytes: number;
  /** Decompressed bytes of all the parts read. */
  maxTotalBytes: number;
  /** Rows of the worksheet read (XLSX itself allows 1,048,576). */
  maxRows: number;
  /** Cells of the worksheet read; a row counts as many cells as its last column. */
  maxCells: number;
  maxSharedStrings: number;
  /** Characters of all shared strings together. */
  maxSharedStringChars: number;
  /** Characters of one cell. */
  maxCellChars: number;
}

/** Defaults: what a real directory export can need (XLSX's own row maximum), no more. */
export const DEFAULT_XLSX_LIMITS: Readonly<XlsxLimits> = Object.freeze({
  maxFileBytes: 512 * 1024 * 1024,
  maxPartBytes: 2 * 1024 * 1024 * 1024,
  maxTotalBytes: 3 * 1024 * 1024 * 1024,
  maxRows: 1_048_576,
  maxCells: 40_000_000,
  maxSharedStrings: 4_000_000,
  maxSharedStringChars: 200_000_000,
  maxCellChars: 100_000,
});

const LIMIT_LABEL: Record<keyof XlsxLimits, string> = {
  maxFileBytes: "文件大小",
  maxPartBytes: "单个部件解压后大小",
  maxTotalBytes: "解压后总大小",
  maxRows: "行数",
  maxCells: "单元格数",
  maxSharedStrings: "共享字符串个数",
  maxSharedStringChars: "共享字符串总字符数",
  maxCellChars: "单元格字符数",
};

/** A refused workbook: which limit, its value, and what was seen. */
export class SpreadsheetLimitError extends ImportError {
  constructor(
    readonly limit: keyof XlsxLimits,
    readonly max: number,
    detail: string,
  ) {
    super("limit", `工作簿超出限制 ${limit}（${LIMIT_LABEL[limit]}上限 ${max.toLocaleString("en-US")}）：${detail}`);
  }
}

const XLSX_MAX_ROW = 1_048_576;
const XLSX_MAX_COL = 16_384;
const MAX_DEPTH = 40;
const MAX_MERGES = 100_000;
/** Spool a stream to a file beyond this many bytes (below, it stays in memory). */
const IN_MEMORY_BYTES = 32 * 1024 * 1024;

function broken(detail: string): ImportError {
  return new ImportError("xlsx", `无法读取 .xlsx 文件：${detail}`);
}

// ── the ZIP container ───────────────────────────────────────────────────────────────────────

interface Zip {
  entries: Map<string, yauzl.Entry>;
  stream(entry: yauzl.Entry): Promise<NodeJS.ReadableStream>;
  close(): Promise<void>;
}

async function openZip(source: Uint8Array | AsyncIterable<Uint8Array>, limits: XlsxLimits): Promise<Zip> {
  let file: { zip: yauzl.ZipFile; cleanup: () => Promise<void> };
  if (source instanceof Uint8Array) {
    if (source.length > limits.maxFileBytes) throw new SpreadsheetLimitError("maxFileBytes", limits.maxFileBytes, `文件有 ${source.length} 字节`);
    const buf = Buffer.from(source.buffer, source.byteOffset, source.byteLength);
    file = { zip: await zipCall<yauzl.ZipFile>((cb) => yauzl.fromBuffer(buf, { lazyEntries: true, validateEntrySizes: true }, cb)), cleanup: async () => {} };
  } else {
    file = await spool(source, limits);
  }
  const { zip } = file;
  const entries = new Map<string, yauzl.Entry>();
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on("entry", (e: yauzl.Entry) => {
        if (entries.size > 10_000) return reject(broken("压缩包中的条目过多"));
        entries.set(e.fileName.replace(/^\/+/, ""), e);
        zip.readEntry();
      });
      zip.on("end", () => resolve());
      zip.on("error", (e: Error) => reject(broken(e.message)));
      zip.readEntry();
    });
  } catch (e) {
    zip.close();
    await file.cleanup();
    throw e;
  }
  return {
    entries,
    stream: (entry) => zipCall<NodeJS.ReadableStream>((cb) => zip.openReadStream(entry, cb as (e: Error | null, s: NodeJS.ReadableStream) => void)),
    async close() {
      zip.close();
      await file.cleanup();
    },
  };
}

function zipCall<T>(f: (cb: (err: Error | null, v?: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    try {
      f((err, v) => (err ? reject(broken(err.message)) : resolve(v as T)));
    } catch (e) {
      reject(broken((e as Error).message));
    }
  });
}

/** A stream source: in memory while small, else into a temporary file (ZIP needs random access). */
async function spool(source: AsyncIterable<Uint8Array>, limits: XlsxLimits): Promise<{ zip: yauzl.ZipFile; cleanup: () => Promise<void> }> {
  const parts: Uint8Array[] = [];
  let total = 0;
  let dir: string | null = null;
  let fh: Awaited<ReturnType<typeof open>> | null = null;
  const cleanup = async () => {
    await fh?.close().catch(() => {});
    fh = null;
    if (dir) await rm(dir, { recursive: true, force: true });
  };
  try {
    for await (const c of source) {
      total += c.length;
      if (total > limits.maxFileBytes) throw new SpreadsheetLimitError("maxFileBytes", limits.maxFileBytes, `文件超过 ${limits.maxFileBytes} 字节`);
      if (fh) await fh.write(c);
      else {
        parts.push(c);
        if (total > IN_MEMORY_BYTES) {
          dir = await mkdtemp(join(tmpdir(), "ssj-xlsx-"));
          fh = await open(join(dir, "upload.xlsx"), "w+");
          for (const p of parts) await fh.write(p);
          parts.length = 0;
        }
      }
    }
    if (!fh) {
      const buf = Buffer.concat(parts);
      return { zip: await zipCall<yauzl.ZipFile>((cb) => yauzl.fromBuffer(buf, { lazyEntries: true, validateEntrySizes: true }, cb)), cleanup };
    }
    const fd = fh.fd;
    const zip = await zipCall<yauzl.ZipFile>((cb) => yauzl.fromFd(fd, { lazyEntries: true, validateEntrySizes: true, autoClose: false }, cb));
    return { zip, cleanup };
  } catch (e) {
    await cleanup();
    throw e;
  }
}

// ── XML parts ───────────────────────────────────────────────────────────────────────────────

const localName = (n: string) => {
  const i = n.indexOf(":");
  return i < 0 ? n : n.slice(i + 1);
};

/** Counts decompressed bytes against the limits, guards text runs, and feeds a saxes parser. */
class PartFeeder {
  readonly parser = new SaxesParser({ xmlns: false, position: false });
  #decoder = new TextDecoder("utf-8", { fatal: false });
  #sinceLt = 0;
  #sinceGt = 0;
  #error: Error | null = null;
  constructor(
    private readonly name: string,
    private readonly budget: { total: number; limits: XlsxLimits },
  ) {
    this.parser.on("error", (e) => {
      this.#error ??= e;
    });
  }

  fail(e: Error): void {
    this.#error ??= e;
  }

  /** Checks the entry's declared size before inflating anything. */
  static checkDeclared(entry: yauzl.Entry, budget: { total: number; limits: XlsxLimits }): void {
    const { limits } = budget;
    if (entry.uncompressedSize > limits.maxPartBytes)
      throw new SpreadsheetLimitError("maxPartBytes", limits.maxPartBytes, `${entry.fileName} 解压后有 ${entry.uncompressedSize} 字节（压缩后 ${entry.compressedSize} 字节）`);
    if (budget.total + entry.uncompressedSize > limits.maxTotalBytes)
      throw new SpreadsheetLimitError("maxTotalBytes", limits.maxTotalBytes, `${entry.fileName} 解压后有 ${entry.uncompressedSize} 字节`);
  }

  write(chunk: Buffer, partBytes: number): void {
    const { limits } = this.budget;
    this.budget.total += chunk.length;
    if (partBytes > limits.maxPartBytes) throw new SpreadsheetLimitError("maxPartBytes", limits.maxPartBytes, `${this.name} 解压后超过 ${limits.maxPartBytes} 字节`);
    if (this.budget.total > limits.maxTotalBytes) throw new SpreadsheetLimitError("maxTotalBytes", limits.maxTotalBytes, "解压后的总字节数超限");
    // A run without '<' (one text node) or without '>' (one tag) longer than any cell may be is
    // refused before the parser buffers it.
    const maxRun = limits.maxCellChars * 6 + 4096;
    const lt = chunk.lastIndexOf(0x3c);
    this.#sinceLt = lt < 0 ? this.#sinceLt + chunk.length : chunk.length - 1 - lt;
    const gt = chunk.lastIndexOf(0x3e);
    this.#sinceGt = gt < 0 ? this.#sinceGt + chunk.length : chunk.length - 1 - gt;
    if (this.#sinceLt > maxRun || this.#sinceGt > maxRun)
      throw new SpreadsheetLimitError("maxCellChars", limits.maxCellChars, `${this.name} 中有一段超过 ${maxRun} 字节的文本或标签`);
    this.parser.write(this.#decoder.decode(chunk, { stream: true }));
    this.check();
  }

  end(): void {
    this.parser.write(this.#decoder.decode());
    this.check();
    this.parser.close();
    this.check();
  }

  check(): void {
    if (this.#error) {
      const e = this.#error;
      if (e instanceof ImportError) throw e;
      throw broken(`${this.name} 不是完整的 XML（${e.message.split("\n")[0]}）：文件可能被截断或损坏`);
    }
  }
}

/**
 * Reads one part through `handle(feeder)`, which installs its handlers; `onChunk` is called
 * after every decompressed chunk (to hand rows out). Throws for a truncated or malformed part.
 */
async function* readPart(zip: Zip, entry: yauzl.Entry, budget: { total: number; limits: XlsxLimits }, handle: (f: PartFeeder) => void): AsyncGenerator<void> {
  PartFeeder.checkDeclared(entry, budget);
  const feeder = new PartFeeder(entry.fileName, budget);
  handle(feeder);
  const stream = await zip.stream(entry);
  let bytes = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      feeder.write(chunk, bytes);
      yield;
    }
  } catch (e) {
    (stream as unknown as { destroy?: () => void }).destroy?.();
    if (e instanceof ImportError) throw e;
    throw broken(`${entry.fileName}：${zipStreamMessage(e as Error, entry)}`);
  }
  feeder.end();
  yield;
}

/** yauzl's stream errors in Chinese: a part that inflates to more or fewer bytes than the ZIP directory declares is forged or damaged. */
function zipStreamMessage(e: Error, entry: yauzl.Entry): string {
  if (/too many bytes|too few bytes/.test(e.message)) return `解压后的字节数与 ZIP 目录所记的 ${entry.uncompressedSize} 字节不符（文件损坏或被篡改）`;
  if (/invalid|unexpected end|incorrect header|unknown compression/i.test(e.message)) return "压缩数据损坏，无法解压";
  return "读取失败：文件可能被截断或损坏";
}

async function drain(g: AsyncGenerator<void>): Promise<void> {
  for await (const _ of g) void _;
}

async function readSmallXml(zip: Zip, name: string, budget: { total: number; limits: XlsxLimits }, onOpen: (tag: SaxesTagPlain, depth: number) => void): Promise<boolean> {
  const entry = zip.entries.get(name);
  if (!entry) return false;
  let depth = 0;
  await drain(
    readPart(zip, entry, budget, (f) => {
      f.parser.on("opentag", (t) => {
        if (++depth > MAX_DEPTH) f.fail(broken(`${name} 嵌套过深`));
        onOpen(t, depth);
      });
      f.parser.on("closetag", () => void depth--);
    }),
  );
  return true;
}

const attr = (t: SaxesTagPlain, name: string): string | undefined => {
  const v = t.attributes[name];
  if (v !== undefined) return v;
  for (const [k, x] of Object.entries(t.attributes)) if (localName(k) === name) return x;
  return undefined;
};

function resolveTarget(base: string, target: string): string {
  if (target.startsWith("/")) return target.slice(1);
  const parts = base.split("/").slice(0, -1);
  for (const p of target.split("/")) {
    if (p === "..") parts.pop();
    else if (p !== "." && p !== "") parts.push(p);
  }
  return parts.join("/");
}

interface WorkbookInfo {
  sheets: { name: string; path: string }[];
  sharedStrings: string | null;
  styles: string | null;
  date1904: boolean;
}

async function readWorkbook(zip: Zip, budget: { total: number; limits: XlsxLimits }): Promise<WorkbookInfo> {
  const wbPath = "xl/workbook.xml";
  const rels = new Map<string, { type: string; target: string }>();
  await readSmallXml(zip, "xl/_rels/workbook.xml.rels", budget, (t) => {
    if (localName(t.name) !== "Relationship") return;
    const id = attr(t, "Id");
    const target = attr(t, "Target");
    if (id && target) rels.set(id, { type: attr(t, "Type") ?? "", target: resolveTarget(wbPath, target) });
  });
  const sheets: { name: string; path: string }[] = [];
  let date1904 = false;
  const found = await readSmallXml(zip, wbPath, budget, (t) => {
    const n = localName(t.name);
    if (n === "workbookPr") date1904 = attr(t, "date1904") === "1" || attr(t, "date1904") === "true";
    if (n !== "sheet") return;
    const rid = attr(t, "id");
    const rel = rid ? rels.get(rid) : undefined;
    const name = attr(t, "name") ?? `Sheet${sheets.length + 1}`;
    sheets.push({ name, path: rel?.target ?? `xl/worksheets/sheet${sheets.length + 1}.xml` });
  });
  if (!found) throw broken("缺少 xl/workbook.xml（不是 Excel 工作簿？）");
  const byType = (suffix: string, fallback: string) => {
    for (const r of rels.values()) if (r.type.endsWith(suffix)) return r.target;
    return zip.entries.has(fallback) ? fallback : null;
  };
  return { sheets, sharedStrings: byType("/sharedStrings", "xl/sharedStrings.xml"), styles: byType("/styles", "xl/styles.xml"), date1904 };
}

/** Built-in number formats that show a date or time (ECMA-376 §18.8.30, CJK ids included). */
const DATE_FORMAT_IDS = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58]);

export function isDateFormat(code: string): boolean {
  const bare = code
    .replace(/"[^"]*"/g, "")
    .replace(/\\./g, "")
    .replace(/\[[^\]]*\]/g, "")
    .replace(/_.|\*./g, "");
  if (/^general$/i.test(bare.trim())) return false;
  return /[ymdhs年月日]/i.test(bare);
}

/** Which cell style indexes (`s`) format a number as a date. */
async function readDateStyles(zip: Zip, path: string | null, budget: { total: number; limits: XlsxLimits }): Promise<boolean[]> {
  if (!path) return [];
  const custom = new Map<number, string>();
  const xfFormats: number[] = [];
  let inCellXfs = false;
  await readSmallXml(zip, path, budget, (t) => {
    const n = localName(t.name);
    if (n === "numFmt") custom.set(Number(attr(t, "numFmtId")), attr(t, "formatCode") ?? "");
    else if (n === "cellXfs") inCellXfs = true;
    else if (n === "cellStyleXfs" || n === "dxfs") inCellXfs = false;
    else if (n === "xf" && inCellXfs) {
      if (xfFormats.length > 1_000_000) throw broken("styles.xml 中的样式过多");
      xfFormats.push(Number(attr(t, "numFmtId") ?? 0));
    }
  });
  return xfFormats.map((id) => (custom.has(id) ? isDateFormat(custom.get(id)!) : DATE_FORMAT_IDS.has(id)));
}

async function readSharedStrings(zip: Zip, path: string | null, budget: { total: number; limits: XlsxLimits }): Promise<string[]> {
  const entry = path ? zip.entries.get(path) : undefined;
  if (!entry) return [];
  const { limits } = budget;
  const strings: string[] = [];
  let chars = 0;
  let depth = 0;
  let inSi = false;
  let inT = false;
  let inRph = 0;
  let parts: string[] = [];
  let closed = false;
  await drain(
    readPart(zip, entry, budget, (f) => {
      f.parser.on("opentag", (t) => {
        if (++depth > MAX_DEPTH) f.fail(broken(`${entry.fileName} 嵌套过深`));
        const n = localName(t.name);
        if (n === "si") {
          inSi = true;
          parts = [];
        } else if (n === "rPh") inRph++;
        else if (n === "t" && inSi && inRph === 0) inT = true;
      });
      f.parser.on("text", (s) => {
        if (!inT) return;
        parts.push(s);
        chars += s.length;
        if (chars > limits.maxSharedStringChars) f.fail(new SpreadsheetLimitError("maxSharedStringChars", limits.maxSharedStringChars, "共享字符串过长"));
      });
      f.parser.on("closetag", (t) => {
        depth--;
        const n = localName(t.name);
        if (n === "t") inT = false;
        else if (n === "rPh") inRph--;
        else if (n === "si") {
          inSi = false;
          const s = parts.length === 1 ? parts[0]! : parts.join("");
          if (s.length > limits.maxCellChars) f.fail(new SpreadsheetLimitError("maxCellChars", limits.maxCellChars, `共享字符串 ${strings.length} 有 ${s.length} 个字符`));
          if (strings.length >= limits.maxSharedStrings) f.fail(new SpreadsheetLimitError("maxSharedStrings", limits.maxSharedStrings, "共享字符串过多"));
          strings.push(s);
        } else if (n === "sst") closed = true;
      });
    }),
  );
  if (!closed) throw broken(`${entry.fileName} 不完整（缺少 </sst>）：文件可能被截断`);
  return strings;
}

// ── worksheets ──────────────────────────────────────────────────────────────────────────────

export interface XlsxRow {
  /** Worksheet row number (1-based). */
  row: number;
  cells: CellValue[];
}

/** Column index (0-based) of a cell reference such as "AB12", or -1. */
export function columnIndex(ref: string): number {
  let n = 0;
  let i = 0;
  for (; i < ref.length; i++) {
    const c = ref.charCodeAt(i);
    if (c >= 65 && c <= 90) n = n * 26 + (c - 64);
    else if (c >= 97 && c <= 122) n = n * 26 + (c - 96);
    else break;
    if (n > XLSX_MAX_COL) return XLSX_MAX_COL;
  }
  return i === 0 ? -1 : n - 1;
}

const EPOCH_1900 = Date.UTC(1899, 11, 30);
const EPOCH_1904 = Date.UTC(1904, 0, 1);

function serialToDate(serial: number, date1904: boolean): Date | number {
  if (!Number.isFinite(serial) || serial < 0 || serial > 2_958_465) return serial;
  if (!date1904 && serial < 61) return serial; // Excel's phantom 1900-02-29 region: left to the date rules
  return new Date((date1904 ? EPOCH_1904 : EPOCH_1900) + Math.round(serial * 86_400_000));
}

interface SheetContext {
  strings: string[];
  dateStyles: boolean[];
  date1904: boolean;
  limits: XlsxLimits;
}

/** Parses one worksheet part, handing out rows after every decompressed chunk. */
async function* sheetRows(zip: Zip, path: string, ctx: SheetContext, budget: { total: number; limits: XlsxLimits }, merges?: string[]): AsyncGenerator<XlsxRow[]> {
  const entry = zip.entries.get(path);
  if (!entry) throw broken(`缺少工作表 ${path}`);
  const { limits } = ctx;
  let out: XlsxRow[] = [];
  let depth = 0;
  let rowNo = 0;
  let rows = 0;
  let cellCount = 0;
  let cells: CellValue[] | null = null;
  let col = -1;
  let type = "n";
  let style = 0;
  let text: string[] = [];
  let inValue = false;
  let inInline = false;
  let inRph = 0;
  let closed = false;

  const cellValue = (f: PartFeeder): CellValue => {
    const v = text.length === 1 ? text[0]! : text.join("");
    switch (type) {
      case "s": {
        const k = Number(v);
        if (!Number.isInteger(k) || k < 0 || k >= ctx.strings.length) {
          f.fail(broken(`${path} 第 ${rowNo} 行引用了不存在的共享字符串 ${v.slice(0, 20)}`));
          return null;
        }
        return ctx.strings[k]!;
      }
      case "inlineStr":
      case "str":
        return v;
      case "b":
        return v === "1" || v.toLowerCase() === "true";
      case "e":
        return v;
      case "d": {
        const d = new Date(v);
        return Number.isNaN(d.getTime()) ? v : d;
      }
      default: {
        if (v === "") return null;
        const x = Number(v);
        if (Number.isNaN(x)) return v;
        return ctx.dateStyles[style] ? serialToDate(x, ctx.date1904) : x;
      }
    }
  };

  const parts = readPart(zip, entry, budget, (f) => {
    const p = f.parser;
    p.on("opentag", (t) => {
      if (++depth > MAX_DEPTH) f.fail(broken(`${path} 嵌套过深`));
      const n = localName(t.name);
      if (n === "c" && cells) {
        const r = t.attributes.r;
        col = r !== undefined ? columnIndex(r) : col + 1;
        if (col < 0) col = cells.length;
        if (col >= XLSX_MAX_COL) f.fail(broken(`${path} 第 ${rowNo} 行的单元格超出 XLSX 的最大列 XFD`));
        type = t.attributes.t ?? "n";
        style = t.attributes.s !== undefined ? Number(t.attributes.s) : 0;
        text = [];
      } else if (n === "v" && cells) {
        inValue = true;
      } else if (n === "is") {
        inInline = true;
      } else if (n === "rPh") {
        inRph++;
      } else if (n === "t" && inInline && inRph === 0) {
        inValue = true;
      } else if (n === "row") {
        // The row limit first: a sheet of rows without `r` (valid: each row is then the next one)
        // that runs past it is refused by the limit, not by the row number it would reach.
        if (++rows > limits.maxRows) f.fail(new SpreadsheetLimitError("maxRows", limits.maxRows, `工作表超过 ${limits.maxRows} 行`));
        const r = t.attributes.r;
        const next = r !== undefined ? Number(r) : rowNo + 1;
        if (!Number.isInteger(next) || next < 1 || next > XLSX_MAX_ROW || next <= rowNo) {
          const which = r !== undefined ? `行号 ${String(r).slice(0, 20)}` : `第 ${rows} 个未标行号的行（接第 ${rowNo} 行）`;
          f.fail(broken(`${path} 的${which} 无效（行号须递增，且在 1–${XLSX_MAX_ROW} 之间）`));
        }
        rowNo = next;
        cells = [];
        col = -1;
      } else if (n === "mergeCell" && merges) {
        const ref = t.attributes.ref;
        if (ref && merges.length < MAX_MERGES) merges.push(ref);
      }
    });
    p.on("text", (s) => {
      if (!inValue) return;
      text.push(s);
    });
    p.on("closetag", (t) => {
      depth--;
      const n = localName(t.name);
      if (n === "v" || n === "t") inValue = false;
      else if (n === "rPh") inRph--;
      else if (n === "is") inInline = false;
      else if (n === "c" && cells) {
        const v = cellValue(f);
        if (typeof v === "string" && v.length > limits.maxCellChars) f.fail(new SpreadsheetLimitError("maxCellChars", limits.maxCellChars, `第 ${rowNo} 行有一个 ${v.length} 个字符的单元格`));
        if (v !== null) {
          while (cells.length < col) cells.push(null);
          cells[col] = v;
        }
        text = [];
      } else if (n === "row" && cells) {
        cellCount += Math.max(cells.length, 1);
        if (cellCount > limits.maxCells) f.fail(new SpreadsheetLimitError("maxCells", limits.maxCells, `工作表超过 ${limits.maxCells} 个单元格`));
        out.push({ row: rowNo, cells });
        cells = null;
      } else if (n === "worksheet") closed = true;
    });
  });
  for await (const _ of parts) {
    if (out.length > 0) {
      const batch = out;
      out = [];
      yield batch;
    }
  }
  if (!closed) throw broken(`${path} 不完整（缺少 </worksheet>）：文件可能被截断`);
  if (out.length > 0) yield out;
}

async function openWorkbook(source: Uint8Array | AsyncIterable<Uint8Array>, limits: XlsxLimits) {
  const zip = await openZip(source, limits);
  try {
    const budget = { total: 0, limits };
    const info = await readWorkbook(zip, budget);
    if (info.sheets.length === 0) throw new ImportError("xlsx", "工作簿中没有工作表");
    const dateStyles = await readDateStyles(zip, info.styles, budget);
    const strings = await readSharedStrings(zip, info.sharedStrings, budget);
    return { zip, info, budget, ctx: { strings, dateStyles, date1904: info.date1904, limits } satisfies SheetContext };
  } catch (e) {
    await zip.close();
    throw e;
  }
}

export interface XlsxReadOptions {
  /** The worksheet by name (default the first). */
  sheet?: string;
  limits?: Partial<XlsxLimits>;
}

/** Rows of one worksheet, in batches (one per decompressed chunk), streamed. */
export async function* readXlsxRowBatches(source: Uint8Array | AsyncIterable<Uint8Array>, options: XlsxReadOptions = {}): AsyncGenerator<XlsxRow[]> {
  const limits = { ...DEFAULT_XLSX_LIMITS, ...options.limits };
  const wb = await openWorkbook(source, limits);
  try {
    const sheet = options.sheet === undefined ? wb.info.sheets[0]! : wb.info.sheets.find((s) => s.name === options.sheet);
    if (!sheet) throw new ImportError("xlsx", `工作簿中没有名为“${options.sheet}”的工作表`);
    yield* sheetRows(wb.zip, sheet.path, wb.ctx, wb.budget);
  } finally {
    await wb.zip.close();
  }
}

export interface XlsxGrid {
  name: string;
  rows: XlsxRow[];
  /** Merged ranges as written ("A1:C1"). */
  merges: string[];
}

/** Every worksheet whole, with merged ranges (for small files such as item lists). */
export async function readXlsxGrids(source: Uint8Array, limits: Partial<XlsxLimits> = {}): Promise<XlsxGrid[]> {
  const l = { ...DEFAULT_XLSX_LIMITS, ...limits };
  const wb = await openWorkbook(source, l);
  try {
    const grids: XlsxGrid[] = [];
    for (const s of wb.info.sheets) {
      const rows: XlsxRow[] = [];
      const merges: string[] = [];
      for await (const batch of sheetRows(wb.zip, s.path, wb.ctx, wb.budget, merges)) for (const r of batch) rows.push(r);
      grids.push({ name: s.name, rows, merges });
    }
    return grids;
  } finally {
    await wb.zip.close();
  }
}
