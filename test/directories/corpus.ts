/**
 * The import test corpus: synthetic files shaped like real registration-system exports, each trait
 * of issue 9 reproduced, with the exact outcome every row must have. No real entity, person, phone
 * or ID: names are 示例…, codes are built with valid (or deliberately wrong) check characters.
 *
 *   countyXls()        legacy BIFF8 .xls of a county bureau (万宁市, 469006): title and note rows
 *                      above the header, no 区划码 column, 15-digit 注册号 as number cells, Excel
 *                      serial and text dates in four forms, 合作社 NA numbers, 12/13-digit and
 *                      企独琼总字第…号 numbers, placeholders, codes destroyed by Excel, an unknown
 *                      division, a duplicate, a 合计 row, personal columns that are not imported
 *   pinyinXlsx()       .xlsx from a system that writes pinyin-initial headers (TYXYDM, ZCH, QYMC …),
 *                      dates as date cells, numbers as number cells, statuses as the system writes them
 *   unifiedCodeCsv()   GB18030 CSV with 统一代码 / 主体名称 headers and a name column only --map finds
 *   inspectorsXlsx()   inspector file with 执法姓名 / 执法类别 / 证件编号
 *
 * `expected` of each is worked out by hand from the rows below, not by running the importer.
 */
import ExcelJS from "exceljs";
import { creditCodeCheckChar, registrationNumberCheckDigit } from "../../src/directories/creditCode.ts";
import { buildBiff8, type Biff8Cell } from "./biffWriter.ts";

export const COUNTY = "469006"; // 万宁市
const UNKNOWN_DIVISION = "469099"; // not in the GB/T 2260 table

/** A valid credit code: 9 + kind digit, division, 9-character organisation part. */
export function cc(kind: "1" | "2" | "3", division: string, n: number): string {
  const first17 = `9${kind}${division}${String(n).padStart(9, "0")}`;
  return first17 + creditCodeCheckChar(first17);
}
export function wrongCheck(code: string): string {
  return code.slice(0, 17) + (code[17] === "0" ? "1" : "0");
}
export function regNo(division: string, n: number): string {
  const first14 = `${division}${String(n).padStart(8, "0")}`;
  return first14 + registrationNumberCheckDigit(first14);
}
export function wrongRegCheck(no: string): string {
  return no.slice(0, 14) + String((Number(no[14]) + 1) % 10);
}

/** Excel's serial day number of a date (1900 system). */
export function excelSerial(iso: string): number {
  return Math.round((Date.parse(`${iso}T00:00:00Z`) - Date.UTC(1899, 11, 30)) / 86_400_000);
}

export interface Expected {
  rowsRead: number;
  accepted: number;
  rejected: number;
  flagged: number;
  /** `field:rule` → how many issues of that kind. */
  issueCounts: Record<string, number>;
  ignoredColumns: string[];
}

// ── the county's legacy .xls ─────────────────────────────────────────────────────────────────

const COUNTY_HEADER = ["序号", "统一社会信用代码", "注册号", "企业名称", "企业类型名称", "法定代表人", "经营地址", "登记状态", "创建日期", "登记机关", "联系电话"];
const STATUSES = ["存续（在营、开业、在册）", "在业", "注销", "吊销，未注销"];
const STATUS_VALUE = ["active", "active", "deregistered", "revoked"];

export interface CountyRowTruth {
  code: string;
  status: string;
  establishedOn: string | null;
}

/** The 600 ordinary enterprises: code, and what must be stored. */
export function countyEnterprises(): CountyRowTruth[] {
  const out: CountyRowTruth[] = [];
  for (let i = 1; i <= 600; i++) {
    const y = 2000 + (i % 20);
    const m = 1 + (i % 12);
    const d = 13 + (i % 15); // 13–27: month and day cannot be confused
    out.push({ code: cc("1", COUNTY, i), status: STATUS_VALUE[i % 4]!, establishedOn: `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}` });
  }
  return out;
}

/** Rows (1-based, as in the sheet) of the ordinary enterprises whose check character is wrong, and whose date is ambiguous. */
const COUNTY_BAD_CHECK = new Set([10, 111, 222, 333, 444]);
const COUNTY_AMBIGUOUS = new Set([50, 150, 250]);

function dateCell(iso: string, form: number): Biff8Cell {
  const [y, m, d] = iso.split("-").map(Number) as [number, number, number];
  if (form === 0) return `${m}/${d}/${y} 0:00`; // US-locale spreadsheet software
  if (form === 1) return excelSerial(iso); // a date cell: its serial number
  if (form === 2) return `${y}/${m}/${d} 0:00`;
  return `${y}年${m}月${d}日`;
}

export function countyXls(): { bytes: Uint8Array; expected: Expected; expectedWithDistrict: Expected; enterprises: CountyRowTruth[] } {
  const rows: Biff8Cell[][] = [["万宁市市场主体登记信息（导出）"], ["导出时间：2020/6/1 10:00:00", null, null, "数据来源：登记注册系统"], COUNTY_HEADER];
  let seq = 0;
  const line = (code: Biff8Cell, reg: Biff8Cell, name: string, type: string, status: string, date: Biff8Cell) =>
    rows.push([++seq, code, reg, name, type, "示例代表人", `万宁市示例路${seq}号`, status, date, "万宁市市场监督管理局", "0000-0000000"]);
  const ents = countyEnterprises();
  ents.forEach((e, k) => {
    const i = k + 1;
    const code = COUNTY_BAD_CHECK.has(i) ? wrongCheck(e.code) : e.code;
    const date = COUNTY_AMBIGUOUS.has(i) ? "3/4/2014 0:00" : dateCell(e.establishedOn!, i % 4);
    line(code, null, `示例万宁商贸有限公司${String(i).padStart(4, "0")}`, "有限责任公司", STATUSES[i % 4]!, date);
    if (i === 300) rows.push([]); // an empty row in the middle
  });
  // 个体工商户 known only by a 15-digit 注册号, stored as a number cell (intact: 15 digits fit a double)
  for (let i = 1; i <= 20; i++) {
    const no = regNo(COUNTY, 90_000 + i);
    line(null, Number(i <= 2 ? wrongRegCheck(no) : no), `示例个体商店${i}`, "个体工商户", "存续", dateCell("2012-06-15", i % 4));
  }
  // 农民专业合作社 numbers of 2007–2015
  for (let i = 1; i <= 5; i++) line(null, `${COUNTY}NA${String(129 + i).padStart(6, "0")}X`, `示例种养专业合作社${i}`, "农民专业合作社", "存续", "2010/3/15 0:00");
  // 13- and 12-digit numbers of old registrations
  for (const no of ["4690061000123", "4690061000124", "469006000125", "469006000126"]) line(null, no, `示例老字号${no.slice(-3)}`, "集体所有制", "存续", "1995年6月20日");
  // old Chinese-form numbers: no division in them
  for (let i = 1; i <= 3; i++) line(null, `企独琼总字第00824${i}号`, `示例外资企业${i}`, "外商独资企业", "存续", "1993年5月20日");
  // placeholders where the code should be
  for (let i = 1; i <= 3; i++) line("无资料内容", "无资料内容", `示例无代码企业${i}`, "有限责任公司", "存续", "2001/1/15 0:00");
  // an 18-digit credit code that went through a number cell: digits lost
  for (let i = 1; i <= 2; i++) line(Number(`91${COUNTY}${String(500_000_000 + i)}`.padEnd(18, "0")), null, `示例数值企业${i}`, "有限责任公司", "存续", "2015/7/15 0:00");
  // credit codes of a division that is not in the table
  for (let i = 1; i <= 2; i++) line(cc("1", UNKNOWN_DIVISION, 700 + i), null, `示例旧区划企业${i}`, "有限责任公司", "存续", "2016/8/16 0:00");
  // the same entity twice
  line(ents[4]!.code, null, "示例重复企业", "有限责任公司", "存续", "2016/8/16 0:00");
  // the system's closing line
  rows.push([`合计：${seq} 条`]);

  const ignored = ["序号", "法定代表人", "登记机关", "联系电话"];
  const common = {
    "code:checksum": 7,
    "establishedOn:dateAmbiguous": 3,
    "code:legacyCode": 12,
    "districtCode:derived": 9, // legacy numbers with a division prefix (5 合作社 + 4 old numbers)
    "code:placeholder": 3,
    "code:excelNumber": 2,
    "districtCode:unknownDistrict": 2,
    "code:duplicate": 1,
    "code:required": 1, // the 合计 row
    "name:required": 1,
  };
  const expected: Expected = {
    rowsRead: 641,
    accepted: 631,
    rejected: 10,
    flagged: 21,
    issueCounts: { ...common, "districtCode:required": 3 },
    ignoredColumns: ignored,
  };
  const expectedWithDistrict: Expected = {
    rowsRead: 641,
    accepted: 634,
    rejected: 7,
    flagged: 24,
    issueCounts: { ...common, "districtCode:fallbackDistrict": 3 },
    ignoredColumns: ignored,
  };
  return { bytes: buildBiff8([{ name: "市场主体", rows, merges: [[0, 0, 0, COUNTY_HEADER.length - 1]] }, { name: "Sheet2", rows: [] }, { name: "Sheet3", rows: [] }]), expected, expectedWithDistrict, enterprises: ents };
}

// ── pinyin-header .xlsx ──────────────────────────────────────────────────────────────────────

export const PINYIN_DIVISION = "469005"; // 文昌市

export async function pinyinXlsx(): Promise<{ bytes: Uint8Array; expected: Expected }> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet("数据导出");
  ws.addRow(["TYXYDM", "ZCH", "QYMC", "QYLXMC", "FDDBR", "JYDZ", "ZT", "CLRQ", "DJJG"]);
  const add = (code: string | number | null, reg: string | number | null, name: string, type: string, status: string, date: Date | string | null) => {
    ws.addRow([code, reg, name, type, "示例代表人", "文昌市示例街", status, date, "文昌市市场监督管理局"]);
  };
  for (let i = 1; i <= 40; i++) add(cc("1", PINYIN_DIVISION, i), null, `示例文昌实业有限公司${i}`, "有限责任公司(自然人独资)", i % 5 === 0 ? "吊销，未注销" : "存续（在营、开业、在册）", new Date(Date.UTC(2010 + (i % 10), i % 12, 1 + (i % 28))));
  for (let i = 1; i <= 10; i++) add(null, Number(regNo(PINYIN_DIVISION, 500 + i)), `示例文昌个体户${i}`, "个体工商户", "存续", "5/30/2014 0:00");
  for (let i = 1; i <= 2; i++) add(Number(`92${PINYIN_DIVISION}${"1".repeat(9)}${i}`), null, `示例数值丢位个体户${i}`, "个体工商户", "存续", null); // a number cell: 18 digits cannot survive
  for (let i = 1; i <= 2; i++) add(`9.246900${i}E+17`, null, `示例科学计数法企业${i}`, "有限责任公司", "存续", null); // text a user pasted
  add("无", "", "示例占位企业", "有限责任公司", "存续", null);
  const bytes = new Uint8Array(await wb.xlsx.writeBuffer());
  return {
    bytes,
    expected: {
      rowsRead: 55,
      accepted: 50,
      rejected: 5,
      flagged: 0,
      issueCounts: { "code:excelNumber": 4, "code:placeholder": 1 },
      ignoredColumns: ["FDDBR", "DJJG"],
    },
  };
}

// ── GB18030 CSV that needs --map ─────────────────────────────────────────────────────────────

let gbkTable: Map<string, number[]> | null = null;
/** GBK bytes of a string (the encoder is the inverse of TextDecoder("gbk") over all double-byte codes). */
export function gbk(s: string): Buffer {
  if (!gbkTable) {
    gbkTable = new Map();
    const dec = new TextDecoder("gbk");
    for (let a = 0x81; a <= 0xfe; a++)
      for (let b = 0x40; b <= 0xfe; b++) {
        if (b === 0x7f) continue;
        const ch = dec.decode(Uint8Array.of(a, b));
        if (ch.length === 1 && ch !== "\ufffd" && !gbkTable.has(ch)) gbkTable.set(ch, [a, b]);
      }
  }
  const out: number[] = [];
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    if (c < 0x80) out.push(c);
    else {
      const bytes = gbkTable.get(ch);
      if (!bytes) throw new Error(`no GBK code for ${ch}`);
      out.push(...bytes);
    }
  }
  return Buffer.from(out);
}

export const CSV_DIVISION = "460105"; // 秀英区

/** Header 统一代码 / 商户名称 (no synonym: needs --map 商户名称=name) / 经营地址 / 经营状态 / 创建日期 / 备注. */
export function unifiedCodeCsv(): { bytes: Buffer; expected: Expected; map: Record<string, string | null> } {
  const lines = ["统一代码,商户名称,经营地址,经营状态,创建日期,备注"];
  for (let i = 1; i <= 12; i++) lines.push(`${cc("2", CSV_DIVISION, 3000 + i)},示例秀英小吃店${i},"秀英区示例路${i}号，临街",存续,${2010 + i}/${1 + (i % 12)}/${13 + i} 0:00,示例备注${i}`);
  lines.push(`${cc("2", CSV_DIVISION, 3100)},示例日期两读店,秀英区示例路,存续,4/5/2016 0:00,`);
  return {
    bytes: gbk(lines.join("\r\n") + "\r\n"),
    map: { 商户名称: "name", 备注: "-" },
    expected: { rowsRead: 13, accepted: 13, rejected: 0, flagged: 1, issueCounts: { "establishedOn:dateAmbiguous": 1 }, ignoredColumns: ["备注"] },
  };
}

// ── inspectors ───────────────────────────────────────────────────────────────────────────────

/** 执法姓名 / 执法类别 / 证件编号 / 执法单位 (department names as the city writes them). */
export async function inspectorsXlsx(departmentName: string): Promise<{ bytes: Uint8Array; expected: Expected }> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet("执法人员");
  ws.addRow(["执法人员信息表"]);
  ws.addRow(["序号", "执法姓名", "性别", "执法单位", "执法类别", "证件编号", "联系电话"]);
  for (let i = 1; i <= 8; i++) ws.addRow([i, `示例执法员${i}`, i % 2 ? "男" : "女", departmentName, "市场监管综合执法", `46000000${String(i).padStart(4, "0")}`, "000-0000"]);
  ws.addRow([9, "示例执法员9", "女", "示例不存在的局", "市场监管综合执法", "460000000009", "000-0000"]);
  return {
    bytes: new Uint8Array(await wb.xlsx.writeBuffer()),
    expected: { rowsRead: 9, accepted: 8, rejected: 1, flagged: 0, issueCounts: { "department:unknownDepartment": 1 }, ignoredColumns: ["序号", "性别", "联系电话"] },
  };
}
