/**
 * Test helper: writes a BIFF8 .xls the way Excel and registration systems do, for the import
 * corpus: strings in a shared string table (SST) split over CONTINUE records (a string that crosses
 * a record boundary carries a fresh flags byte, compressed and UTF-16 strings mixed), LABELSST
 * cells, small integers as RK, other numbers as NUMBER, merged title cells, records the reader
 * must skip (CODEPAGE, FORMAT, DIMENSIONS, ROW), several sheets, and a compound file with as many
 * FAT sectors as the stream needs. Independent of src/directories/itemLists (its reader).
 *
 *   buildBiff8([{ name: "名录", rows: [["标题"], ["统一社会信用代码", …], …], merges: [[0, 0, 0, 8]] }])
 */

export type Biff8Cell = string | number | null;

export interface Biff8Sheet {
  name: string;
  rows: Biff8Cell[][];
  /** [firstRow, lastRow, firstCol, lastCol], 0-based inclusive. */
  merges?: [number, number, number, number][];
}

const MAX_RECORD = 8224;

class Bytes {
  parts: number[] = [];
  u8(v: number) {
    this.parts.push(v & 0xff);
    return this;
  }
  u16(v: number) {
    return this.u8(v).u8(v >>> 8);
  }
  u32(v: number) {
    return this.u16(v & 0xffff).u16(v >>> 16);
  }
  f64(v: number) {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setFloat64(0, v, true);
    for (const x of b) this.u8(x);
    return this;
  }
  get length() {
    return this.parts.length;
  }
  bytes() {
    return Uint8Array.from(this.parts);
  }
}

function record(type: number, data: Uint8Array): Uint8Array {
  if (data.length > MAX_RECORD) throw new Error(`record 0x${type.toString(16)} of ${data.length} bytes`);
  const out = new Uint8Array(4 + data.length);
  const v = new DataView(out.buffer);
  v.setUint16(0, type, true);
  v.setUint16(2, data.length, true);
  out.set(data, 4);
  return out;
}

const compressible = (s: string) => [...s].every((c) => c.charCodeAt(0) < 256);

/** XLUnicodeString with a 1-byte length (sheet names). */
function shortString(s: string): Bytes {
  const b = new Bytes().u8(s.length);
  if (compressible(s)) {
    b.u8(0);
    for (const c of s) b.u8(c.charCodeAt(0));
  } else {
    b.u8(1);
    for (let i = 0; i < s.length; i++) b.u16(s.charCodeAt(i));
  }
  return b;
}

/** The SST record and its CONTINUE records, strings split across them as Excel does. */
function sstRecords(strings: string[], totalRefs: number): Uint8Array[] {
  const segments: Bytes[] = [new Bytes().u32(totalRefs).u32(strings.length)];
  let cur = segments[0]!;
  const fresh = () => {
    cur = new Bytes();
    segments.push(cur);
  };
  for (const s of strings) {
    const wide = !compressible(s);
    const size = wide ? 2 : 1;
    if (MAX_RECORD - cur.length < 3 + size) fresh(); // the string header is never split
    cur.u16(s.length).u8(wide ? 1 : 0);
    let i = 0;
    while (i < s.length) {
      if (MAX_RECORD - cur.length < size) {
        fresh();
        cur.u8(wide ? 1 : 0); // a continued string's characters start with a flags byte
      }
      const room = Math.floor((MAX_RECORD - cur.length) / size);
      const end = Math.min(s.length, i + room);
      for (; i < end; i++) {
        if (wide) cur.u16(s.charCodeAt(i));
        else cur.u8(s.charCodeAt(i));
      }
    }
  }
  return segments.map((seg, k) => record(k === 0 ? 0x00fc : 0x003c, seg.bytes()));
}

function bof(type: number): Uint8Array {
  return record(0x0809, new Bytes().u16(0x0600).u16(type).u16(0x0dbb).u16(0x07cc).u32(0x000100c1).u32(0x00000406).bytes());
}
const eof = () => record(0x000a, new Uint8Array(0));

/** RK: a whole number that fits 30 signed bits. */
const fitsRk = (x: number) => Number.isInteger(x) && x >= -(2 ** 29) && x < 2 ** 29;

function sheetRecords(sheet: Biff8Sheet, sst: Map<string, number>): Uint8Array[] {
  const out: Uint8Array[] = [bof(0x0010)];
  const cols = Math.max(1, ...sheet.rows.map((r) => r.length));
  out.push(record(0x0200, new Bytes().u32(0).u32(sheet.rows.length).u16(0).u16(cols).u16(0).bytes())); // DIMENSIONS
  sheet.rows.forEach((row, r) => {
    out.push(record(0x0208, new Bytes().u16(r).u16(0).u16(row.length).u16(0x00ff).u16(0).u16(0).u32(0x00000100).bytes())); // ROW
    row.forEach((x, c) => {
      if (x === null || x === "") return;
      if (typeof x === "string") out.push(record(0x00fd, new Bytes().u16(r).u16(c).u16(0x0f).u32(sst.get(x)!).bytes()));
      else if (fitsRk(x)) out.push(record(0x027e, new Bytes().u16(r).u16(c).u16(0x0f).u32(((x << 2) | 0x02) >>> 0).bytes()));
      else out.push(record(0x0203, new Bytes().u16(r).u16(c).u16(0x0f).f64(x).bytes()));
    });
  });
  if (sheet.merges?.length) {
    const m = new Bytes().u16(sheet.merges.length);
    for (const [r1, r2, c1, c2] of sheet.merges) m.u16(r1).u16(r2).u16(c1).u16(c2);
    out.push(record(0x00e5, m.bytes()));
  }
  out.push(eof());
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** The Workbook stream: globals (CODEPAGE, FORMAT, BOUNDSHEETs, SST) and one substream per sheet. */
function workbookStream(sheets: Biff8Sheet[]): Uint8Array {
  const strings: string[] = [];
  const sst = new Map<string, number>();
  let refs = 0;
  for (const s of sheets)
    for (const row of s.rows)
      for (const x of row)
        if (typeof x === "string" && x !== "") {
          refs++;
          if (!sst.has(x)) {
            sst.set(x, strings.length);
            strings.push(x);
          }
        }
  const substreams = sheets.map((s) => concat(sheetRecords(s, sst)));
  const head = [bof(0x0005), record(0x0042, new Bytes().u16(1200).bytes()), record(0x041e, concat([new Bytes().u16(0xa4).bytes(), new Bytes().u16(10).u8(0).bytes(), Uint8Array.from("yyyy-mm-dd", (c) => c.charCodeAt(0))]))];
  const boundsheet = (offset: number, name: string) => record(0x0085, concat([new Bytes().u32(offset).u8(0).u8(0).bytes(), shortString(name).bytes()]));
  const tail = [...sstRecords(strings, refs), eof()];
  let globalsLen = concat(head).length + concat(tail).length;
  for (const s of sheets) globalsLen += boundsheet(0, s.name).length;
  const boundsheets: Uint8Array[] = [];
  let offset = globalsLen;
  sheets.forEach((s, i) => {
    boundsheets.push(boundsheet(offset, s.name));
    offset += substreams[i]!.length;
  });
  return concat([...head, ...boundsheets, ...tail, ...substreams]);
}

/** A compound file (v3, 512-byte sectors) holding the stream as `Workbook`: FAT sectors first, then the directory, then the stream. */
function compoundFile(stream: Uint8Array): Uint8Array {
  if (stream.length < 4096) stream = concat([stream, new Uint8Array(4096 - stream.length)]); // no mini stream
  const streamSectors = Math.ceil(stream.length / 512);
  let fatSectors = 1;
  while (fatSectors * 128 < fatSectors + 1 + streamSectors) fatSectors++;
  if (fatSectors > 109) throw new Error("stream too large for a header-only DIFAT");
  const dirSector = fatSectors;
  const first = fatSectors + 1;
  const total = fatSectors + 1 + streamSectors;
  const file = new Uint8Array(512 * (1 + total));
  const v = new DataView(file.buffer);
  file.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
  v.setUint16(0x18, 0x3e, true);
  v.setUint16(0x1a, 3, true);
  v.setUint16(0x1c, 0xfffe, true);
  v.setUint16(0x1e, 9, true);
  v.setUint16(0x20, 6, true);
  v.setUint32(0x2c, fatSectors, true);
  v.setUint32(0x30, dirSector, true);
  v.setUint32(0x38, 4096, true);
  v.setUint32(0x3c, 0xfffffffe, true);
  v.setUint32(0x44, 0xfffffffe, true);
  for (let i = 0; i < 109; i++) v.setUint32(0x4c + i * 4, i < fatSectors ? i : 0xffffffff, true);
  const fat = (s: number, next: number) => v.setUint32(512 + s * 4, next, true);
  for (let s = 0; s < fatSectors * 128; s++) fat(s, 0xffffffff);
  for (let s = 0; s < fatSectors; s++) fat(s, 0xfffffffd);
  fat(dirSector, 0xfffffffe);
  for (let i = 0; i < streamSectors; i++) fat(first + i, i === streamSectors - 1 ? 0xfffffffe : first + i + 1);
  const dir = 512 * (1 + dirSector);
  const entry = (k: number, name: string, type: number, start: number, size: number, child: number) => {
    const o = dir + k * 128;
    for (let i = 0; i < name.length; i++) v.setUint16(o + i * 2, name.charCodeAt(i), true);
    v.setUint16(o + 0x40, (name.length + 1) * 2, true);
    v.setUint8(o + 0x42, type);
    v.setUint8(o + 0x43, 1);
    v.setUint32(o + 0x44, 0xffffffff, true);
    v.setUint32(o + 0x48, 0xffffffff, true);
    v.setUint32(o + 0x4c, child, true);
    v.setUint32(o + 0x74, start, true);
    v.setUint32(o + 0x78, size, true);
  };
  entry(0, "Root Entry", 5, 0xfffffffe, 0, 1);
  entry(1, "Workbook", 2, first, stream.length, 0xffffffff);
  file.set(stream, 512 * (1 + first));
  return file;
}

export function buildBiff8(sheets: Biff8Sheet[]): Uint8Array {
  return compoundFile(workbookStream(sheets));
}
