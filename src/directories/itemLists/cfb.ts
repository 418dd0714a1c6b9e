/**
 * A small, defensive reader for the OLE2 / Compound File Binary container (MS-CFB) that holds a
 * legacy Excel .xls workbook. Reads one named stream. Strict bounds checks on every offset,
 * cycle detection on every sector chain, size limits, no recursion: malformed input throws
 * CfbError, never hangs.
 */

export class CfbError extends Error {
  override readonly name = "CfbError";
}

const SIGNATURE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const ENDOFCHAIN = 0xfffffffe;
const FREESECT = 0xffffffff;

/** Largest container accepted (the item lists are tens of kilobytes). */
export const MAX_CFB_BYTES = 64 * 1024 * 1024;

export function isCfb(buf: Uint8Array): boolean {
  return buf.length >= 8 && SIGNATURE.every((b, i) => buf[i] === b);
}

export interface CfbEntry {
  name: string;
  type: number;
  start: number;
  size: number;
}

export interface CfbFile {
  entries: CfbEntry[];
  /** The bytes of the stream with this name (case-insensitive), or null if absent. */
  stream(name: string): Uint8Array | null;
}

export function readCfb(input: Uint8Array): CfbFile {
  const buf = input;
  if (buf.length > MAX_CFB_BYTES) throw new CfbError(`file larger than ${MAX_CFB_BYTES} bytes`);
  if (buf.length < 512 || !isCfb(buf)) throw new CfbError("not an OLE2 compound file (bad signature or shorter than its header)");
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const u16 = (o: number) => dv.getUint16(o, true);
  const u32 = (o: number) => dv.getUint32(o, true);

  if (u16(0x1c) !== 0xfffe) throw new CfbError("bad byte-order mark in the compound file header");
  const major = u16(0x1a);
  const sectorShift = u16(0x1e);
  const miniShift = u16(0x20);
  if (!((major === 3 && sectorShift === 9) || (major === 4 && sectorShift === 12))) {
    throw new CfbError(`unsupported compound file version ${major} with sector shift ${sectorShift}`);
  }
  if (miniShift !== 6) throw new CfbError(`unsupported mini sector shift ${miniShift}`);
  const sectorSize = 1 << sectorShift;
  const miniSize = 1 << miniShift;
  const numFatSectors = u32(0x2c);
  const firstDirSector = u32(0x30);
  const miniCutoff = u32(0x38);
  const firstMiniFat = u32(0x3c);
  const numMiniFat = u32(0x40);
  const firstDifat = u32(0x44);
  const numDifat = u32(0x48);
  const sectorCount = Math.floor((buf.length - sectorSize) / sectorSize) + (((buf.length - sectorSize) % sectorSize) > 0 ? 1 : 0);
  if (miniCutoff !== 4096) throw new CfbError(`unsupported mini stream cutoff ${miniCutoff}`);
  if (numFatSectors > sectorCount || numDifat > sectorCount || numMiniFat > sectorCount) throw new CfbError("header counts exceed the file size");

  const sectorOffset = (s: number): number => {
    if (s >= sectorCount) throw new CfbError(`sector ${s} lies beyond the end of the file`);
    return (s + 1) * sectorSize;
  };
  const readSector = (s: number): Uint8Array => {
    const off = sectorOffset(s);
    const end = Math.min(off + sectorSize, buf.length);
    // a short last sector is padded with zeros
    if (end - off === sectorSize) return buf.subarray(off, end);
    const out = new Uint8Array(sectorSize);
    out.set(buf.subarray(off, end));
    return out;
  };

  // DIFAT: the FAT sector numbers
  const fatSectors: number[] = [];
  for (let i = 0; i < 109 && fatSectors.length < numFatSectors; i++) fatSectors.push(u32(0x4c + i * 4));
  {
    let s = firstDifat;
    const seen = new Set<number>();
    for (let k = 0; k < numDifat && fatSectors.length < numFatSectors; k++) {
      if (s === ENDOFCHAIN || s === FREESECT) break;
      if (seen.has(s)) throw new CfbError("cycle in the DIFAT chain");
      seen.add(s);
      const sec = readSector(s);
      const sv = new DataView(sec.buffer, sec.byteOffset, sec.byteLength);
      const per = sectorSize / 4 - 1;
      for (let i = 0; i < per && fatSectors.length < numFatSectors; i++) fatSectors.push(sv.getUint32(i * 4, true));
      s = sv.getUint32(per * 4, true);
    }
  }
  if (fatSectors.length < numFatSectors) throw new CfbError("DIFAT lists fewer FAT sectors than the header announces");

  const fat = new Uint32Array(numFatSectors * (sectorSize / 4));
  fatSectors.forEach((s, i) => {
    const sec = readSector(s);
    const sv = new DataView(sec.buffer, sec.byteOffset, sec.byteLength);
    for (let j = 0; j < sectorSize / 4; j++) fat[i * (sectorSize / 4) + j] = sv.getUint32(j * 4, true);
  });

  /** Follows a chain in `table`, refusing cycles and out-of-range links. */
  const chain = (start: number, table: Uint32Array, limit: number, what: string): number[] => {
    const out: number[] = [];
    const seen = new Set<number>();
    let s = start;
    while (s !== ENDOFCHAIN) {
      if (s >= table.length || s >= limit) throw new CfbError(`${what}: sector ${s} out of range`);
      if (seen.has(s)) throw new CfbError(`${what}: cycle in the sector chain`);
      seen.add(s);
      out.push(s);
      s = table[s]!;
    }
    return out;
  };

  const readChain = (start: number, size: number | null, what: string): Uint8Array => {
    if (start === ENDOFCHAIN || (size === 0 && start === FREESECT)) return new Uint8Array(0);
    const sectors = chain(start, fat, sectorCount, what);
    const total = sectors.length * sectorSize;
    const want = size ?? total;
    if (want > total) throw new CfbError(`${what}: stream of ${want} bytes but its chain holds ${total}`);
    const out = new Uint8Array(want);
    let pos = 0;
    for (const s of sectors) {
      if (pos >= want) break;
      const sec = readSector(s);
      const n = Math.min(sectorSize, want - pos);
      out.set(sec.subarray(0, n), pos);
      pos += n;
    }
    return out;
  };

  // Directory
  const dir = readChain(firstDirSector, null, "directory");
  const dirView = new DataView(dir.buffer, dir.byteOffset, dir.byteLength);
  const entries: CfbEntry[] = [];
  for (let off = 0; off + 128 <= dir.length; off += 128) {
    const nameLen = dirView.getUint16(off + 0x40, true);
    const type = dir[off + 0x42]!;
    if (type === 0) {
      entries.push({ name: "", type, start: 0, size: 0 });
      continue;
    }
    if (nameLen > 64 || nameLen % 2 !== 0) throw new CfbError("bad directory entry name length");
    let name = "";
    for (let i = 0; i + 2 < nameLen; i += 2) name += String.fromCharCode(dirView.getUint16(off + i, true));
    const start = dirView.getUint32(off + 0x74, true);
    const sizeLo = dirView.getUint32(off + 0x78, true);
    const sizeHi = major === 4 ? dirView.getUint32(off + 0x7c, true) : 0;
    if (sizeHi !== 0 || sizeLo > MAX_CFB_BYTES) throw new CfbError(`directory entry "${name}" announces an impossible size`);
    entries.push({ name, type, start, size: sizeLo });
  }
  const root = entries[0];
  if (!root || root.type !== 5) throw new CfbError("the compound file has no root entry");

  let miniStream: Uint8Array | null = null;
  let miniFat: Uint32Array | null = null;
  const loadMini = () => {
    if (miniStream && miniFat) return;
    miniStream = readChain(root.start, root.size, "mini stream");
    const mf = readChain(firstMiniFat, null, "mini FAT");
    const v = new DataView(mf.buffer, mf.byteOffset, mf.byteLength);
    miniFat = new Uint32Array(mf.length / 4);
    for (let i = 0; i < miniFat.length; i++) miniFat[i] = v.getUint32(i * 4, true);
  };

  return {
    entries,
    stream(name: string): Uint8Array | null {
      const e = entries.find((x) => x.type === 2 && x.name.toLowerCase() === name.toLowerCase());
      if (!e) return null;
      if (e.size >= miniCutoff) return readChain(e.start, e.size, `stream "${e.name}"`);
      if (e.size === 0) return new Uint8Array(0);
      loadMini();
      const ms = miniStream!;
      const sectors = chain(e.start, miniFat!, Math.floor(ms.length / miniSize), `stream "${e.name}" (mini)`);
      if (sectors.length * miniSize < e.size) throw new CfbError(`stream "${e.name}": mini chain too short`);
      const out = new Uint8Array(e.size);
      let pos = 0;
      for (const s of sectors) {
        if (pos >= e.size) break;
        const n = Math.min(miniSize, e.size - pos);
        out.set(ms.subarray(s * miniSize, s * miniSize + n), pos);
        pos += n;
      }
      return out;
    },
  };
}
