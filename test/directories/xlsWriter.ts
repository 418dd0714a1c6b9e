/** Test helper: writes a minimal BIFF8 .xls (one sheet, LABEL and NUMBER cells) in a CFB v3 container. */

function rec(type: number, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + data.length);
  const v = new DataView(out.buffer);
  v.setUint16(0, type, true);
  v.setUint16(2, data.length, true);
  out.set(data, 4);
  return out;
}

function bytes(build: (v: DataView) => void, n: number): Uint8Array {
  const b = new Uint8Array(n);
  build(new DataView(b.buffer));
  return b;
}

const bof = (type: number) => rec(0x0809, bytes((v) => { v.setUint16(0, 0x0600, true); v.setUint16(2, type, true); }, 16));
const eof = () => rec(0x000a, new Uint8Array(0));

function label(r: number, c: number, s: string): Uint8Array {
  return rec(0x0204, bytes((v) => {
    v.setUint16(0, r, true); v.setUint16(2, c, true); v.setUint16(4, 0, true);
    v.setUint16(6, s.length, true); v.setUint8(8, 1);
    for (let i = 0; i < s.length; i++) v.setUint16(9 + i * 2, s.charCodeAt(i), true);
  }, 9 + s.length * 2));
}

function number(r: number, c: number, x: number): Uint8Array {
  return rec(0x0203, bytes((v) => { v.setUint16(0, r, true); v.setUint16(2, c, true); v.setFloat64(6, x, true); }, 14));
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

export function buildXls(rows: (string | number | null)[][], sheetName = "Sheet1"): Uint8Array {
  const boundsheetLen = 8 + sheetName.length;
  const globals = [bof(0x0005), null as unknown as Uint8Array, eof()];
  const globalsLen = globals[0]!.length + 4 + boundsheetLen + globals[2]!.length;
  globals[1] = rec(0x0085, bytes((v) => {
    v.setUint32(0, globalsLen, true); v.setUint8(4, 0); v.setUint8(5, 0);
    v.setUint8(6, sheetName.length); v.setUint8(7, 0);
    for (let i = 0; i < sheetName.length; i++) v.setUint8(8 + i, sheetName.charCodeAt(i));
  }, boundsheetLen));
  const cells: Uint8Array[] = [];
  rows.forEach((row, r) => row.forEach((x, c) => {
    if (typeof x === "string") cells.push(label(r, c, x));
    else if (typeof x === "number") cells.push(number(r, c, x));
  }));
  let stream = concat([...globals, bof(0x0010), ...cells, eof()]);
  if (stream.length < 4096) stream = concat([stream, new Uint8Array(4096 - stream.length)]);
  const nStream = Math.ceil(stream.length / 512);
  const file = new Uint8Array(512 * (3 + nStream));
  const v = new DataView(file.buffer);
  file.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
  v.setUint16(0x18, 0x3e, true); v.setUint16(0x1a, 3, true); v.setUint16(0x1c, 0xfffe, true);
  v.setUint16(0x1e, 9, true); v.setUint16(0x20, 6, true);
  v.setUint32(0x2c, 1, true); v.setUint32(0x30, 1, true); v.setUint32(0x38, 4096, true);
  v.setUint32(0x3c, 0xfffffffe, true); v.setUint32(0x44, 0xfffffffe, true);
  for (let i = 0; i < 109; i++) v.setUint32(0x4c + i * 4, i === 0 ? 0 : 0xffffffff, true);
  // FAT (sector 0)
  const fat = 512;
  for (let i = 0; i < 128; i++) v.setUint32(fat + i * 4, 0xffffffff, true);
  v.setUint32(fat, 0xfffffffd, true);
  v.setUint32(fat + 4, 0xfffffffe, true);
  for (let i = 0; i < nStream; i++) v.setUint32(fat + (2 + i) * 4, i === nStream - 1 ? 0xfffffffe : 3 + i, true);
  // directory (sector 1)
  const dir = 1024;
  const entry = (k: number, name: string, type: number, start: number, size: number, child: number) => {
    const o = dir + k * 128;
    for (let i = 0; i < name.length; i++) v.setUint16(o + i * 2, name.charCodeAt(i), true);
    v.setUint16(o + 0x40, (name.length + 1) * 2, true);
    v.setUint8(o + 0x42, type);
    v.setUint32(o + 0x44, 0xffffffff, true); v.setUint32(o + 0x48, 0xffffffff, true); v.setUint32(o + 0x4c, child, true);
    v.setUint32(o + 0x74, start, true); v.setUint32(o + 0x78, size, true);
  };
  entry(0, "Root Entry", 5, 0xfffffffe, 0, 1);
  entry(1, "Workbook", 2, 2, stream.length, 0xffffffff);
  file.set(stream, 512 * 3);
  return file;
}
