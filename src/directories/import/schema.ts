/**
 * Column definitions and row validation for the two directories: entities (检查对象名录库) and
 * inspectors (执法检查人员名录库).
 */
import { CREDIT_CODE_ALPHABET, CREDIT_CODE_WEIGHTS, checkEntityCode, districtFromCode, isPlaceholder, type EntityCodeCheck, type EntityCodeKind } from "../creditCode.ts";
import { districtName, DISTRICT_TABLE_DATE } from "../districts.ts";
import { cellText, parseDateCell, splitList, type CellValue, type DateOrder } from "./cells.ts";

export type Severity = "error" | "flag";

/** One problem of one row: rejected (`error`) or kept with a warning (`flag`). */
export interface RowIssue {
  /** Row number as shown in the spreadsheet (1-based, header rows counted). */
  row: number;
  /** Field name (our name; `column` gives the header as written in the file). */
  field: string | null;
  column: string | null;
  rule: string;
  severity: Severity;
  message: string;
}

export interface ColumnSpec {
  field: string;
  /** Header names accepted (Chinese and English), compared after normalizeHeader. */
  aliases: string[];
  required: boolean;
}

/** Lower-case, no whitespace, no `*` markers, no brackets, slashes or colons. */
export function normalizeHeader(h: string): string {
  return h
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[\s*＊:：/／()（）[\]【】_\-]+/g, "");
}

export type RiskClass = "A" | "B" | "C" | "D";

export interface EntityRow {
  /** The key stored: the credit code, the 注册号, or a legacy number's normalized key. */
  code: string;
  codeKind: EntityCodeKind;
  /** A legacy number as written in the file (null for credit codes and 注册号). */
  codeAsWritten: string | null;
  name: string;
  districtCode: string;
  address: string | null;
  industryCode: string | null;
  entityType: string | null;
  status: string | null;
  riskClass: RiskClass | null;
  establishedOn: string | null;
}

export interface InspectorRow {
  certificateNo: string;
  name: string;
  department: string;
  qualifications: string[];
  specialities: string[];
  districts: string[];
  active: boolean;
}

export const ENTITY_COLUMNS: ColumnSpec[] = [
  // the identifying code: one column holding either kind, or a credit-code column and/or a 注册号
  // column (a row uses its credit code, else its 注册号); the header needs at least one of them
  // the identifying code: one column holding either kind, or a credit-code column and/or a 注册号
  // column (a row uses its credit code, else its 注册号); the header needs at least one of them.
  // Pinyin initials are what registration systems export (TYXYDM 统一信用代码, ZCH 注册号 …).
  { field: "code", required: false, aliases: ["统一社会信用代码/注册号", "统一社会信用代码", "社会统一信用代码", "统一信用代码", "统一代码", "信用代码", "社会信用代码", "统一社会信用代码（注册号）", "TYXYDM", "TYSHXYDM", "SHXYDM", "XYDM", "code", "creditCode", "uscc"] },
  { field: "registrationNumber", required: false, aliases: ["注册号", "工商注册号", "营业执照注册号", "注册号码", "ZCH", "GSZCH", "registrationNumber", "regNo"] },
  { field: "name", required: true, aliases: ["名称", "企业名称", "主体名称", "市场主体名称", "单位名称", "企业（机构）名称", "QYMC", "ZTMC", "MC", "name", "entityName"] },
  // not required: when the file has no district column the district comes from the code
  { field: "districtCode", required: false, aliases: ["区划码", "区划代码", "行政区划代码", "行政区划", "区划", "所属区划", "区域代码", "XZQH", "XZQHDM", "QHDM", "district", "districtCode"] },
  { field: "address", required: false, aliases: ["地址", "住所", "经营场所", "住所（经营场所）", "经营地址", "注册地址", "企业地址", "住所地址", "DZ", "ZS", "JYCS", "JYDZ", "address"] },
  { field: "industryCode", required: false, aliases: ["行业代码", "国民经济行业代码", "行业门类代码", "HYDM", "industry", "industryCode"] },
  { field: "entityType", required: false, aliases: ["主体类型", "企业类型", "企业类型名称", "类型", "市场主体类型", "主体类型名称", "QYLX", "QYLXMC", "ZTLX", "type", "entityType", "kind"] },
  { field: "status", required: false, aliases: ["状态", "登记状态", "经营状态", "企业状态", "主体状态", "ZT", "DJZT", "JYZT", "status"] },
  { field: "riskClass", required: false, aliases: ["风险等级", "风险分类", "信用风险分类", "信用风险等级", "风险类别", "FXDJ", "risk", "riskClass"] },
  { field: "establishedOn", required: false, aliases: ["成立日期", "成立时间", "创建日期", "注册日期", "设立日期", "CLRQ", "establishedOn", "established", "founded", "foundedOn"] },
];

export const INSPECTOR_COLUMNS: ColumnSpec[] = [
  { field: "certificateNo", required: true, aliases: ["证件号", "证件编号", "执法证号", "执法证编号", "执法证件号", "执法证件编号", "执法证号码", "执法证件号码", "ZJBH", "ZFZH", "certificateNo", "certificate", "certificateNumber"] },
  { field: "name", required: true, aliases: ["姓名", "执法姓名", "执法人员姓名", "人员姓名", "XM", "name"] },
  { field: "department", required: true, aliases: ["部门", "所属部门", "单位", "所属单位", "执法单位", "执法部门", "执法机关", "工作单位", "department", "dept"] },
  { field: "qualifications", required: false, aliases: ["资质", "执法资质", "执法类别", "执法类型", "执法门类", "ZFLB", "qualifications", "qualification"] },
  { field: "specialities", required: false, aliases: ["专长", "业务专长", "specialities", "specialties", "speciality", "expertise"] },
  { field: "districts", required: false, aliases: ["区划", "区划码", "区划代码", "负责区划", "districts", "district"] },
  { field: "active", required: false, aliases: ["在岗", "是否在岗", "在岗状态", "active", "onDuty"] },
];

/** Reads a field's cell; `column` names the header written in the file for messages. */
export type FieldGetter = (field: string) => { value: CellValue; column: string | null };

export type RowResult<T> = { value: T | null; issues: Omit<RowIssue, "row">[] };

const MAX_TEXT = 500;

function issueMaker(get: FieldGetter, issues: Omit<RowIssue, "row">[]) {
  return (field: string, rule: string, severity: Severity, message: string) =>
    issues.push({ field, column: get(field).column, rule, severity, message });
}

function text(get: FieldGetter, field: string, add: ReturnType<typeof issueMaker>, required: boolean, label: string): string | null {
  const t = cellText(get(field).value);
  if (t === null) {
    if (required) add(field, "required", "error", `缺少${label}`);
    return null;
  }
  if (t.length > MAX_TEXT) {
    add(field, "tooLong", "error", `${label}有 ${t.length} 个字符（至多 ${MAX_TEXT} 个）`);
    return null;
  }
  return t;
}

const RISK_WORDS: Record<string, RiskClass> = { 低风险: "A", 一般风险: "B", 较高风险: "C", 高风险: "D", 低: "A", 一般: "B", 较高: "C", 高: "D" };

const CODE_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < CREDIT_CODE_ALPHABET.length; i++) CODE_VALUE[CREDIT_CODE_ALPHABET.charCodeAt(i)] = i;

/**
 * The common case, decided without allocating: an 18-character upper-case credit code with a
 * correct check character, nothing to clean. Anything else goes through checkEntityCode (same
 * result for these; it also explains every other case).
 */
function isCleanValidCreditCode(v: unknown): v is string {
  if (typeof v !== "string" || v.length !== 18) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const c = v.charCodeAt(i);
    const x = c < 128 ? CODE_VALUE[c]! : -1;
    if (x < 0) return false;
    sum += x * CREDIT_CODE_WEIGHTS[i]!;
  }
  const check = 31 - (sum % 31);
  return v.charCodeAt(17) === CREDIT_CODE_ALPHABET.charCodeAt(check === 31 ? 0 : check);
}

/** The file-level context of entity rows: does the file have a district column, which date order. */
export interface EntityRowContext {
  /** False when the header maps no column to districtCode: districts come from the codes. */
  hasDistrictColumn: boolean;
  dateOrder?: DateOrder;
  /**
   * The 区划码 for rows whose code carries none (企独琼总字第…号, a legacy number without a
   * division prefix) and whose district cell is empty: a county's export is the county's. Flagged.
   */
  fallbackDistrict?: string;
}

const RANK: Record<EntityCodeKind, number> = { creditCode: 3, registrationNumber: 2, legacy: 1 };

/**
 * The row's identifying code from its credit-code and/or 注册号 cells: the better of the two
 * (统一社会信用代码 > 注册号 > legacy number); a placeholder or empty cell gives way to the other.
 */
function chooseCode(cc: { value: CellValue; column: string | null }, rn: { value: CellValue; column: string | null }): { check: EntityCodeCheck; column: string | null; other?: { check: EntityCodeCheck; column: string | null } } {
  if (isCleanValidCreditCode(cc.value)) return { check: { ok: true, kind: "creditCode", code: cc.value }, column: cc.column };
  const hasC = cellText(cc.value) !== null;
  const hasR = cellText(rn.value) !== null;
  const c = hasC ? checkEntityCode(cc.value) : null;
  if (c?.ok && c.kind === "creditCode") return { check: c, column: cc.column };
  const r = hasR ? checkEntityCode(rn.value) : null;
  if (!c) return { check: r ?? checkEntityCode(null), column: rn.column ?? cc.column };
  if (!r) return { check: c, column: cc.column };
  if (r.ok && (!c.ok || RANK[r.kind] > RANK[c.kind])) return { check: r, column: rn.column, ...(c.ok || c.rule === "placeholder" ? {} : { other: { check: c, column: cc.column } }) };
  return { check: c, column: cc.column };
}

/** The row's 区划码: the column's when the file has one (and the cell is filled), else derived from the code. */
function districtOf(
  get: FieldGetter,
  ctx: EntityRowContext,
  code: { code: string; kind: EntityCodeKind; asWritten?: string } | null,
  add: ReturnType<typeof issueMaker>,
): string | null {
  const dv = get("districtCode").value;
  const dt = cellText(dv);
  if (dt !== null) {
    if ((typeof dv === "number" && !Number.isInteger(dv)) || !/^\d{6}$/.test(dt)) {
      add("districtCode", "format", "error", `区划码须为 6 位数字，实为“${dt}”`);
      return null;
    }
    return dt;
  }
  if (code === null) return null; // the code's own issue rejects the row
  const derived = districtFromCode(code.code, code.kind, code.asWritten);
  const why = ctx.hasDistrictColumn ? "区划码为空" : "文件没有区划码列";
  if (derived === null) {
    if (ctx.fallbackDistrict !== undefined) {
      add("districtCode", "fallbackDistrict", "flag", `${why}，代码 ${code.asWritten ?? code.code} 中也没有区划码：按导入时指定的区划码 ${ctx.fallbackDistrict}（${districtName(ctx.fallbackDistrict) ?? "不在区划代码表中"}）记录，请核实`);
      return ctx.fallbackDistrict;
    }
    add("districtCode", "required", "error", `${why}，且代码 ${code.asWritten ?? code.code} 中没有区划码：请补充该行的区划码（或导入时用 --district 指定本名录所属区划）`);
    return null;
  }
  const name = districtName(derived);
  if (name === null)
    add("districtCode", "unknownDistrict", "flag", `${why}，由代码推得区划码 ${derived}，但它不在行政区划代码表（${DISTRICT_TABLE_DATE}）中（已撤销的旧区划？）：已保留，请核实`);
  else if (ctx.hasDistrictColumn || code.kind === "legacy") add("districtCode", "derived", "flag", `${why}，由代码推得区划码 ${derived}（${name}）`);
  return derived;
}

export function validateEntityRow(get: FieldGetter, ctx: EntityRowContext = { hasDistrictColumn: true }): RowResult<EntityRow> {
  const issues: Omit<RowIssue, "row">[] = [];
  const add = issueMaker(get, issues);

  const chosen = chooseCode(get("code"), get("registrationNumber"));
  const codeIssue = (column: string | null, rule: string, severity: Severity, message: string) => issues.push({ field: "code", column, rule, severity, message });
  const codeCheck = chosen.check;
  let code: { code: string; kind: EntityCodeKind; asWritten?: string } | null = null;
  if (!codeCheck.ok) codeIssue(chosen.column, codeCheck.rule, "error", codeCheck.message);
  else {
    code = { code: codeCheck.code, kind: codeCheck.kind, ...(codeCheck.asWritten !== undefined ? { asWritten: codeCheck.asWritten } : {}) };
    if (codeCheck.flag)
      codeIssue(chosen.column, codeCheck.flag.rule, "flag", codeCheck.flag.rule === "checksum" ? `${codeCheck.flag.message}（已保留：有些旧代码校验不通过，请核实）` : codeCheck.flag.message);
    if (chosen.other && !chosen.other.check.ok) codeIssue(chosen.other.column, chosen.other.check.rule, "flag", `${chosen.other.check.message}；已改用注册号 ${codeCheck.code}`);
  }

  const name = text(get, "name", add, true, "名称");
  const districtCode = districtOf(get, ctx, code, add);
  const address = text(get, "address", add, false, "地址");

  let industryCode = cellText(get("industryCode").value);
  if (industryCode !== null) {
    industryCode = industryCode.toUpperCase().replace(/\s/g, "");
    if (!/^([A-T](\d{2,4})?|\d{2,4})$/.test(industryCode)) {
      add("industryCode", "format", "error", `行业代码“${industryCode}”不是 GB/T 4754 代码（门类字母 A–T 和/或 2–4 位数字）`);
      industryCode = null;
    }
  }

  const entityType = text(get, "entityType", add, false, "主体类型");
  const status = text(get, "status", add, false, "状态");

  let riskClass: RiskClass | null = null;
  const rt = cellText(get("riskClass").value);
  if (rt !== null) {
    const norm = rt.normalize("NFKC").toUpperCase().replace(/\s/g, "").replace(/类$|级$/, "");
    if (/^[ABCD]$/.test(norm)) riskClass = norm as RiskClass;
    else if (RISK_WORDS[norm.replace(/类$/, "")]) riskClass = RISK_WORDS[norm.replace(/类$/, "")]!;
    else add("riskClass", "format", "error", `风险等级须为 A、B、C、D（或 低/一般/较高/高风险），实为“${rt}”`);
  }

  let establishedOn: string | null = null;
  const ev = get("establishedOn").value;
  if (cellText(ev) !== null && !(typeof ev === "string" && isPlaceholder(cellText(ev)!))) {
    const p = parseDateCell(ev, ctx.dateOrder);
    if (p.ok) establishedOn = p.date;
    else if (p.rule === "dateAmbiguous") add("establishedOn", "dateAmbiguous", "flag", `成立日期${p.message}：该行已保留，成立日期留空`);
    else add("establishedOn", "date", "error", `成立日期${p.message}`);
  }

  const ok = !issues.some((i) => i.severity === "error");
  return {
    value: ok
      ? { code: code!.code, codeKind: code!.kind, codeAsWritten: code!.asWritten ?? null, name: name!, districtCode: districtCode!, address, industryCode, entityType, status, riskClass, establishedOn }
      : null,
    issues,
  };
}

const YES = new Set(["是", "在岗", "y", "yes", "true", "1", "√", "✓", "t"]);
const NO = new Set(["否", "不在岗", "离岗", "n", "no", "false", "0", "×", "f"]);

export function validateInspectorRow(get: FieldGetter, _ctx?: unknown): RowResult<InspectorRow> {
  const issues: Omit<RowIssue, "row">[] = [];
  const add = issueMaker(get, issues);

  let certificateNo: string | null = null;
  const cv = get("certificateNo").value;
  if (typeof cv === "number") {
    if (Number.isSafeInteger(cv) && cv >= 0 && cv < 1e15) {
      certificateNo = cv.toFixed(0);
      add("certificateNo", "number", "flag", `证件号被存成了数值（${certificateNo}）：开头的 0 会丢失；请核对，并把该列设为文本格式`);
    } else {
      add("certificateNo", "excelNumber", "error", "证件号被 Excel 存成数值后丢了数字；请把该列设为文本格式后重新导出");
    }
  } else {
    const t = cellText(cv);
    if (t === null) add("certificateNo", "required", "error", "缺少证件号/执法证号");
    else if (/^\d(\.\d+)?E\+?\d+$/i.test(t)) add("certificateNo", "excelNumber", "error", `证件号“${t}”是科学计数法：Excel 把它存成数值并丢了数字；请把该列设为文本格式后重新导出`);
    else if (t.length > 64) add("certificateNo", "tooLong", "error", "证件号超过 64 个字符");
    else certificateNo = t.replace(/\s/g, "").toUpperCase();
  }

  const name = text(get, "name", add, true, "姓名");
  const department = text(get, "department", add, true, "部门");
  const qualifications = splitList(get("qualifications").value);
  const specialities = splitList(get("specialities").value);

  const districts = splitList(get("districts").value);
  const badDistricts = districts.filter((d) => !/^\d{6}$/.test(d));
  if (badDistricts.length > 0) add("districts", "format", "error", `区划须为 6 位数字代码，实为 ${badDistricts.map((d) => `“${d}”`).join("、")}`);

  let active = true;
  const at = cellText(get("active").value);
  if (at !== null) {
    const k = at.toLowerCase();
    if (YES.has(k)) active = true;
    else if (NO.has(k)) active = false;
    else add("active", "format", "error", `在岗须为“是”或“否”，实为“${at}”`);
  }

  const ok = !issues.some((i) => i.severity === "error");
  return {
    value: ok ? { certificateNo: certificateNo!, name: name!, department: department!, qualifications, specialities, districts, active } : null,
    issues,
  };
}
