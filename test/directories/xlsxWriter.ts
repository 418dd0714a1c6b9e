/**
 * A minimal .xlsx writer for tests: any part order, any XML (valid, truncated, hostile), and ZIP
 * entries whose inflated size can be huge (a "bomb") or whose declared size can lie.
 *
 *   buildXlsx({ sheets: [{ name: "名录", xml: sheetXml(rows) }], sharedStrings: [...] })
 */
import { deflateRawSync, crc32 as zlibCrc32 } from "node:zlib";

export interface ZipEntry {
  name: string;
  data: Buffer;
  /** Written as the uncompressed size instead of the real one (a lying archive). */
  declaredSize?: number;
}

const crc32 = (b: Buffer): number => (zlibCrc32 as (b: Buffer) => number)(b) >>> 0;

/** A ZIP of deflated entries in the order given. */
export function zip(entries: ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, "utf8");
    const comp = deflateRawSync(e.data, { level: 6 });
    const crc = crc32(e.data);
    const size = e.declaredSize ?? e.data.length;
    const lh = Buffer.alloc(30);
    lh.writeUInt32LE(0x04034b50, 0);
    lh.writeUInt16LE(20, 4);
    lh.writeUInt16LE(0x0800, 6); // UTF-8 names
    lh.writeUInt16LE(8, 8);
    lh.writeUInt32LE(crc, 14);
    lh.writeUInt32LE(comp.length, 18);
    lh.writeUInt32LE(size, 22);
    lh.writeUInt16LE(name.length, 26);
    locals.push(lh, name, comp);
    const ch = Buffer.alloc(46);
    ch.writeUInt32LE(0x02014b50, 0);
    ch.writeUInt16LE(20, 4);
    ch.writeUInt16LE(20, 6);
    ch.writeUInt16LE(0x0800, 8);
    ch.writeUInt16LE(8, 10);
    ch.writeUInt32LE(crc, 16);
    ch.writeUInt32LE(comp.length, 20);
    ch.writeUInt32LE(size, 24);
    ch.writeUInt16LE(name.length, 28);
    ch.writeUInt32LE(offset, 42);
    centrals.push(ch, name);
    offset += 30 + name.length + comp.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

export const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

export type TestCell = string | number | boolean | null | { n: number; s: number } | { shared: number } | { inline: string };

const colName = (i: number) => {
  let s = "";
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
};

/** Worksheet XML: strings inline, numbers as numbers, `{n, s}` a number with style `s`. */
export function sheetXml(rows: TestCell[][], opts: { merges?: string[]; tail?: string } = {}): string {
  const body = rows
    .map((cells, r) => {
      const cs = cells
        .map((v, c) => {
          const ref = `${colName(c)}${r + 1}`;
          if (v === null) return "";
          if (typeof v === "number") return `<c r="${ref}"><v>${v}</v></c>`;
          if (typeof v === "boolean") return `<c r="${ref}" t="b"><v>${v ? 1 : 0}</v></c>`;
          if (typeof v === "string") return `<c r="${ref}" t="inlineStr"><is><t>${esc(v)}</t></is></c>`;
          if ("shared" in v) return `<c r="${ref}" t="s"><v>${v.shared}</v></c>`;
          if ("inline" in v) return `<c r="${ref}" t="inlineStr"><is><t>${esc(v.inline)}</t></is></c>`;
          return `<c r="${ref}" s="${v.s}"><v>${v.n}</v></c>`;
        })
        .join("");
      return `<row r="${r + 1}">${cs}</row>`;
    })
    .join("");
  const merges = opts.merges?.length ? `<mergeCells count="${opts.merges.length}">${opts.merges.map((m) => `<mergeCell ref="${m}"/>`).join("")}</mergeCells>` : "";
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${body}</sheetData>${merges}${opts.tail ?? ""}</worksheet>`;
}

export function sharedStringsXml(strings: string[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="${strings.length}" uniqueCount="${strings.length}">${strings.map((s) => `<si><t>${esc(s)}</t></si>`).join("")}</sst>`;
}

/** Styles: index 0 General, 1 built-in date (14), 2 custom `yyyy"年"m"月"d"日"`, 3 text (49). */
export const STYLES_XML =
  `<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` +
  `<numFmts count="1"><numFmt numFmtId="176" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/></numFmts>` +
  `<cellStyleXfs count="1"><xf numFmtId="0"/></cellStyleXfs>` +
  `<cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/><xf numFmtId="176" applyNumberFormat="1"/><xf numFmtId="49"/></cellXfs></styleSheet>`;

export interface XlsxSpec {
  sheets: { name: string; xml: string | Buffer; declaredSize?: number }[];
  sharedStrings?: string[] | string;
  styles?: string;
  /** Parts in Excel's own order (sheets before sharedStrings and styles): default true. */
  excelOrder?: boolean;
}

export function buildXlsx(spec: XlsxSpec): Buffer {
  const wb =
    `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>` +
    spec.sheets.map((s, i) => `<sheet name="${esc(s.name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join("") +
    `</sheets></workbook>`;
  const n = spec.sheets.length;
  const rels =
    `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
    spec.sheets.map((_, i) => `<Relationship Id="rId${i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`).join("") +
    `<Relationship Id="rId${n + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>` +
    `<Relationship Id="rId${n + 2}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`;
  const head: ZipEntry[] = [
    { name: "[Content_Types].xml", data: Buffer.from(`<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`) },
    { name: "xl/workbook.xml", data: Buffer.from(wb) },
    { name: "xl/_rels/workbook.xml.rels", data: Buffer.from(rels) },
  ];
  const sheets: ZipEntry[] = spec.sheets.map((s, i) => ({ name: `xl/worksheets/sheet${i + 1}.xml`, data: Buffer.isBuffer(s.xml) ? s.xml : Buffer.from(s.xml), ...(s.declaredSize !== undefined ? { declaredSize: s.declaredSize } : {}) }));
  const ss = spec.sharedStrings === undefined ? sharedStringsXml([]) : typeof spec.sharedStrings === "string" ? spec.sharedStrings : sharedStringsXml(spec.sharedStrings);
  const tail: ZipEntry[] = [
    { name: "xl/sharedStrings.xml", data: Buffer.from(ss) },
    { name: "xl/styles.xml", data: Buffer.from(spec.styles ?? STYLES_XML) },
  ];
  return zip(spec.excelOrder === false ? [...head, ...tail, ...sheets] : [...head, ...sheets, ...tail]);
}
