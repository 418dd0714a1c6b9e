/**
 * A minimal, defensive BIFF8 (Excel 97–2003 .xls) reader: cell values and merged ranges only.
 *
 * Reads the `Workbook` stream of the OLE2 container and the records BOF, BOUNDSHEET, SST (+
 * CONTINUE), LABELSST, LABEL, NUMBER, RK, MULRK, BOOLERR, FORMULA (+ STRING), MERGEDCELLS, EOF.
 * Formats, styles, formulas' expressions, charts and macros are ignored. Encrypted (FILEPASS)
 * and pre-BIFF8 files are refused. Every read is bounds-checked and every loop advances through
 * finite input, so malformed bytes throw XlsError instead of hanging or crashing.
 */
import { CfbError, readCfb } from "./cfb.ts";

export class XlsError extends Error {
  override readonly name = "XlsError";
}

export type XlsCell = string | number | boolean | null;

/** Any cell value type (BIFF8 cells, XLSX cells with dates). */
type CellValueLike = string | number | boolean | Date | null;

export interface XlsMerge {
  /** 0-based, inclusive. */
  firstRow: number;
  lastRow: number;
  firstCol: number;
  lastCol: number;
}

export interface XlsSheet {
  name: string;
  /** rows[r][c], 0-based; missing cells are null. */
  rows: XlsCell[][];
  merges: XlsMerge[];
}

export interface XlsWorkbook {
  sheets: XlsSheet[];
}

/** Limits: BIFF8 has at most 65,536 rows × 256 columns; we also cap cells and strings. */
export const XLS_LIMITS = { maxCells: 2_000_000, maxSstStrings: 1_000_000, maxStringChars: 32_767 };

const R = {
  BOF: 0x0809,
  EOF: 0x000a,
  BOUNDSHEET: 0x0085,
  SST: 0x00fc,
  CONTINUE: 0x003c,
  LABELSST: 0x00fd,
  LABEL: 0x0204,
  NUMBER: 0x0203,
  RK: 0x027e,
  MULRK: 0x00bd,
  BOOLERR: 0x0205,
  FORMULA: 0x0006,
  STRING: 0x0207,
  MERGEDCELLS: 0x00e5,
  FILEPASS: 0x002f,
} as const;

interface Rec {
  type: number;
  /** offset of the record header in the stream */
  pos: number;
  data: Uint8Array;
}

/** Most records accepted in one Workbook stream (a record index costs 8 bytes each). */
export const MAX_XLS_RECORDS = 8_000_000;

/**
 * The stream's records (header: type u16, length u16), indexed in typed arrays so that a stream
 * of millions of tiny records costs 8 bytes per record; record objects are made on demand.
 */
class Records {
  private types = new Uint16Array(1024);
  private positions = new Uint32Array(1024);
  private lengths = new Uint16Array(1024);
  length = 0;

  constructor(private readonly stream: Uint8Array) {
    let pos = 0;
    while (pos + 4 <= stream.length) {
      const type = stream[pos]! | (stream[pos + 1]! << 8);
      const len = stream[pos + 2]! | (stream[pos + 3]! << 8);
      if (pos + 4 + len > stream.length) throw new XlsError(`record 0x${type.toString(16)} at ${pos} runs past the end of the stream (truncated file?)`);
      // a workbook stream is often padded with zeros after its last EOF
      if (type === 0 && len === 0) break;
      if (this.length >= MAX_XLS_RECORDS) throw new XlsError(`more than ${MAX_XLS_RECORDS} records`);
      if (this.length === this.types.length) this.grow();
      this.types[this.length] = type;
      this.positions[this.length] = pos;
      this.lengths[this.length] = len;
      this.length++;
      pos += 4 + len;
    }
  }

  private grow(): void {
    const n = this.types.length * 2;
    const t = new Uint16Array(n), p = new Uint32Array(n), l = new Uint16Array(n);
    t.set(this.types);
    p.set(this.positions);
    l.set(this.lengths);
    this.types = t;
    this.positions = p;
    this.lengths = l;
  }

  type(i: number): number {
    return i < this.length ? this.types[i]! : -1;
  }

  get(i: number): Rec {
    if (i < 0 || i >= this.length) throw new XlsError("record index out of range");
    const pos = this.positions[i]!;
    return { type: this.types[i]!, pos, data: this.stream.subarray(pos + 4, pos + 4 + this.lengths[i]!) };
  }

  /** Index of the record starting at stream offset `pos`, or undefined. */
  indexAt(pos: number): number | undefined {
    let lo = 0, hi = this.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const p = this.positions[mid]!;
      if (p === pos) return mid;
      if (p < pos) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  }
}

/** Sequential reader over one record's bytes, or over a record and its CONTINUE records. */
class Cursor {
  private seg = 0;
  private off = 0;
  constructor(private readonly segments: Uint8Array[]) {}

  private cur(): Uint8Array {
    return this.segments[this.seg]!;
  }
  /** Moves to the next segment when the current one is exhausted; false at the very end. */
  private ensure(): boolean {
    while (this.seg < this.segments.length && this.off >= this.cur().length) {
      this.seg++;
      this.off = 0;
    }
    return this.seg < this.segments.length;
  }
  atSegmentEnd(): boolean {
    return this.seg >= this.segments.length || this.off >= this.cur().length;
  }
  byte(): number {
    if (!this.ensure()) throw new XlsError("record data ends early");
    return this.cur()[this.off++]!;
  }
  u16(): number {
    return this.byte() | (this.byte() << 8);
  }
  u32(): number {
    return (this.byte() | (this.byte() << 8) | (this.byte() << 16) | (this.byte() << 24)) >>> 0;
  }
  skip(n: number): void {
    if (n < 0) throw new XlsError("negative skip");
    let left = n;
    while (left > 0) {
      if (!this.ensure()) throw new XlsError("record data ends early");
      const k = Math.min(left, this.cur().length - this.off);
      this.off += k;
      left -= k;
    }
  }
  /**
   * Reads `cch` characters of a BIFF8 unicode string whose option flags were just read. When the
   * characters cross into a CONTINUE record, that record starts with a fresh flags byte.
   */
  chars(cch: number, highByte: boolean): string {
    if (cch > XLS_LIMITS.maxStringChars) throw new XlsError(`string of ${cch} characters exceeds the limit`);
    const parts: number[] = [];
    let wide = highByte;
    while (parts.length < cch) {
      if (this.atSegmentEnd()) {
        // continue into the next segment: a new flags byte comes first
        this.seg++;
        this.off = 0;
        if (this.seg >= this.segments.length) throw new XlsError("string data ends early");
        wide = (this.byte() & 0x01) === 1;
        continue;
      }
      const seg = this.cur();
      if (wide) {
        if (this.off + 2 > seg.length) throw new XlsError("a 2-byte character is split across records");
        parts.push(seg[this.off]! | (seg[this.off + 1]! << 8));
        this.off += 2;
      } else {
        parts.push(seg[this.off]!);
        this.off += 1;
      }
    }
    let s = "";
    for (let i = 0; i < parts.length; i += 8192) s += String.fromCharCode(...parts.slice(i, i + 8192));
    return s;
  }
  /** XLUnicodeRichExtendedString (SST entries, and LABEL/STRING when rich or extended). */
  unicodeString(lengthBytes: 1 | 2): string {
    const cch = lengthBytes === 2 ? this.u16() : this.byte();
    const flags = this.byte();
    const rich = (flags & 0x08) !== 0;
    const ext = (flags & 0x04) !== 0;
    const runs = rich ? this.u16() : 0;
    const extLen = ext ? this.u32() : 0;
    const s = this.chars(cch, (flags & 0x01) === 1);
    this.skip(runs * 4);
    if (extLen > 0x7fffffff) throw new XlsError("bad extended string length");
    this.skip(extLen);
    return s;
  }
}

function rkValue(rk: number): number {
  let v: number;
  if (rk & 0x02) {
    v = rk >> 2; // signed 30-bit integer
  } else {
    const b = new DataView(new ArrayBuffer(8));
    b.setUint32(0, 0, true);
    b.setUint32(4, rk & 0xfffffffc, true);
    v = b.getFloat64(0, true);
  }
  return rk & 0x01 ? v / 100 : v;
}

function f64(data: Uint8Array, off: number): number {
  if (off + 8 > data.length) throw new XlsError("record too short for a number");
  return new DataView(data.buffer, data.byteOffset + off, 8).getFloat64(0, true);
}

function need(rec: Rec, n: number): DataView {
  if (rec.data.length < n) throw new XlsError(`record 0x${rec.type.toString(16)} at ${rec.pos} is too short (${rec.data.length} < ${n} bytes)`);
  return new DataView(rec.data.buffer, rec.data.byteOffset, rec.data.byteLength);
}

/** Parses a legacy .xls file (bytes of the OLE2 container). */
export function readXls(bytes: Uint8Array): XlsWorkbook {
  let stream: Uint8Array | null;
  try {
    const cfb = readCfb(bytes);
    stream = cfb.stream("Workbook");
    if (!stream && cfb.stream("Book")) throw new XlsError("this is an Excel 5.0/95 (BIFF5) workbook; only Excel 97–2003 (BIFF8) .xls is read: save it as .xlsx");
  } catch (e) {
    if (e instanceof CfbError) throw new XlsError(`not a readable .xls file: ${e.message}`);
    throw e;
  }
  if (!stream) throw new XlsError("the compound file has no Workbook stream: not an Excel workbook");

  const recs = new Records(stream);
  const first = recs.length > 0 ? recs.get(0) : undefined;
  if (!first || first.type !== R.BOF) throw new XlsError("the Workbook stream does not start with a BOF record");
  const bofVersion = need(first, 4).getUint16(0, true);
  if (bofVersion !== 0x0600) throw new XlsError(`BIFF version 0x${bofVersion.toString(16)} is not BIFF8 (Excel 97–2003); save the file as .xlsx`);

  // Globals substream
  const sst: string[] = [];
  const sheetsMeta: { name: string; offset: number; type: number }[] = [];
  let i = 1;
  for (; i < recs.length; i++) {
    const rec = recs.get(i);
    if (rec.type === R.EOF) break;
    if (rec.type === R.FILEPASS) throw new XlsError("the workbook is password-protected (encrypted); remove the protection and save it as .xlsx");
    if (rec.type === R.BOUNDSHEET) {
      const v = need(rec, 8);
      const offset = v.getUint32(0, true);
      const type = rec.data[5]!;
      const c = new Cursor([rec.data.subarray(6)]);
      sheetsMeta.push({ name: c.unicodeString(1), offset, type });
    } else if (rec.type === R.SST) {
      const segs = [rec.data];
      while (recs.type(i + 1) === R.CONTINUE) segs.push(recs.get(++i).data);
      const c = new Cursor(segs);
      c.u32(); // total references
      const unique = c.u32();
      if (unique > XLS_LIMITS.maxSstStrings) throw new XlsError(`shared string table announces ${unique} strings (limit ${XLS_LIMITS.maxSstStrings})`);
      for (let k = 0; k < unique; k++) sst.push(c.unicodeString(2));
    }
  }
  if (i >= recs.length) throw new XlsError("the workbook globals have no EOF record (truncated file?)");

  let cellCount = 0;
  const sheets: XlsSheet[] = [];
  // every sheet substream is walked once; overlapping or repeated sheet offsets (only in crafted
  // files) must not make the walk quadratic
  let budget = 2 * recs.length + 1024;
  const seenOffsets = new Set<number>();
  for (const meta of sheetsMeta) {
    if (meta.type !== 0) continue; // chart, macro or VB module sheets
    if (seenOffsets.has(meta.offset)) throw new XlsError(`two sheets point to the same offset ${meta.offset}`);
    seenOffsets.add(meta.offset);
    const start = recs.indexAt(meta.offset);
    if (start === undefined || recs.type(start) !== R.BOF) throw new XlsError(`sheet "${meta.name}" points to offset ${meta.offset}, where no BOF record starts`);
    const cells = new Map<number, Map<number, XlsCell>>();
    const merges: XlsMerge[] = [];
    let maxRow = -1;
    const put = (r: number, c: number, v: XlsCell) => {
      if (c > 255) throw new XlsError(`column ${c} is beyond BIFF8's 256 columns`);
      if (++cellCount > XLS_LIMITS.maxCells) throw new XlsError(`more than ${XLS_LIMITS.maxCells} cells`);
      let row = cells.get(r);
      if (!row) cells.set(r, (row = new Map()));
      row.set(c, v);
      if (r > maxRow) maxRow = r;
    };
    let pendingFormula: { r: number; c: number } | null = null;
    let k = start + 1;
    let ended = false;
    for (; k < recs.length; k++) {
      if (--budget < 0) throw new XlsError("sheet substreams overlap: not a well-formed workbook");
      const rec = recs.get(k);
      if (rec.type === R.EOF) {
        ended = true;
        break;
      }
      if (rec.type === R.BOF) {
        // an embedded substream (chart): skip to its EOF, counting nested BOF/EOF pairs
        let depth = 1;
        while (depth > 0 && ++k < recs.length) {
          if (--budget < 0) throw new XlsError("sheet substreams overlap: not a well-formed workbook");
          if (recs.type(k) === R.BOF) depth++;
          else if (recs.type(k) === R.EOF) depth--;
        }
        continue;
      }
      switch (rec.type) {
        case R.LABELSST: {
          const v = need(rec, 10);
          const idx = v.getUint32(6, true);
          if (idx >= sst.length) throw new XlsError(`sheet "${meta.name}": shared string ${idx} does not exist`);
          put(v.getUint16(0, true), v.getUint16(2, true), sst[idx]!);
          break;
        }
        case R.LABEL: {
          const v = need(rec, 9);
          const segs = [rec.data.subarray(6)];
          while (recs.type(k + 1) === R.CONTINUE) segs.push(recs.get(++k).data);
          put(v.getUint16(0, true), v.getUint16(2, true), new Cursor(segs).unicodeString(2));
          break;
        }
        case R.NUMBER: {
          const v = need(rec, 14);
          put(v.getUint16(0, true), v.getUint16(2, true), f64(rec.data, 6));
          break;
        }
        case R.RK: {
          const v = need(rec, 10);
          put(v.getUint16(0, true), v.getUint16(2, true), rkValue(v.getUint32(6, true)));
          break;
        }
        case R.MULRK: {
          const v = need(rec, 6);
          const r = v.getUint16(0, true);
          const c0 = v.getUint16(2, true);
          const n = Math.floor((rec.data.length - 6) / 6);
          if ((rec.data.length - 6) % 6 !== 0) throw new XlsError(`MULRK record at ${rec.pos} has a bad length`);
          const last = v.getUint16(rec.data.length - 2, true);
          if (last !== c0 + n - 1) throw new XlsError(`MULRK record at ${rec.pos} is inconsistent`);
          for (let j = 0; j < n; j++) put(r, c0 + j, rkValue(v.getUint32(4 + j * 6 + 2, true)));
          break;
        }
        case R.BOOLERR: {
          const v = need(rec, 8);
          const val = rec.data[6]!;
          put(v.getUint16(0, true), v.getUint16(2, true), rec.data[7] === 0 ? val !== 0 : null);
          break;
        }
        case R.FORMULA: {
          const v = need(rec, 14);
          const r = v.getUint16(0, true), c = v.getUint16(2, true);
          if (rec.data[12] === 0xff && rec.data[13] === 0xff) {
            const kind = rec.data[6];
            if (kind === 0) pendingFormula = { r, c }; // a STRING record follows
            else if (kind === 1) put(r, c, rec.data[8] !== 0);
            else if (kind === 3) put(r, c, "");
            else put(r, c, null);
          } else {
            put(r, c, f64(rec.data, 6));
          }
          break;
        }
        case R.STRING: {
          if (pendingFormula) {
            const segs = [rec.data];
            while (recs.type(k + 1) === R.CONTINUE) segs.push(recs.get(++k).data);
            put(pendingFormula.r, pendingFormula.c, new Cursor(segs).unicodeString(2));
            pendingFormula = null;
          }
          break;
        }
        case R.MERGEDCELLS: {
          const v = need(rec, 2);
          const n = v.getUint16(0, true);
          need(rec, 2 + n * 8);
          for (let j = 0; j < n; j++) {
            const o = 2 + j * 8;
            const m = { firstRow: v.getUint16(o, true), lastRow: v.getUint16(o + 2, true), firstCol: v.getUint16(o + 4, true), lastCol: v.getUint16(o + 6, true) };
            if (m.lastRow < m.firstRow || m.lastCol < m.firstCol || m.lastCol > 255) throw new XlsError(`bad merged range at ${rec.pos}`);
            merges.push(m);
          }
          break;
        }
        default:
          break;
      }
    }
    if (!ended) throw new XlsError(`sheet "${meta.name}" has no EOF record (truncated file?)`);
    const rows: XlsCell[][] = [];
    for (let r = 0; r <= maxRow; r++) {
      const src = cells.get(r);
      const row: XlsCell[] = [];
      if (src) for (const [c, val] of src) row[c] = val;
      for (let c = 0; c < row.length; c++) if (row[c] === undefined) row[c] = null;
      rows.push(row);
    }
    sheets.push({ name: meta.name, rows, merges });
  }
  return { sheets };
}

/**
 * Copies each merged range's master (top-left) value into the other cells of the range, in place
 * of the empty cells Excel stores there. Returns new rows.
 */
export function fillMerged<T extends XlsCell | CellValueLike>(rows: T[][], merges: XlsMerge[]): (T | null)[][] {
  const out: (T | null)[][] = rows.map((r) => [...r]);
  for (const m of merges) {
    const master = out[m.firstRow]?.[m.firstCol] ?? null;
    // bounded: BIFF8 has at most 65,536 × 256 cells
    for (let r = m.firstRow; r <= m.lastRow && r < out.length; r++) {
      const row = out[r]!;
      for (let c = m.firstCol; c <= m.lastCol; c++) {
        if (r === m.firstRow && c === m.firstCol) continue;
        row[c] = master;
      }
      for (let c = 0; c < row.length; c++) if (row[c] === undefined) row[c] = null;
    }
  }
  return out;
}
