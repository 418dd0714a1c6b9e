/**
 * Column definitions and row validation for the two directories: entities (检查对象名录库) and
 * inspectors (执法检查人员名录库).
 */
import { CREDIT_CODE_ALPHABET, CREDIT_CODE_WEIGHTS, checkEntityCode, type EntityCodeCheck, type EntityCodeKind } from "../creditCode.ts";
import { cellText, parseDateCell, splitList, type CellValue } from "./cells.ts";

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
  code: string;
  codeKind: EntityCodeKind;
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
  { field: "code", required: false, aliases: ["统一社会信用代码/注册号", "统一社会信用代码", "信用代码", "社会信用代码", "统一社会信用代码（注册号）", "code", "creditCode", "uscc"] },
  { field: "registrationNumber", required: false, aliases: ["注册号", "工商注册号", "registrationNumber", "regNo"] },
  { field: "name", required: true, aliases: ["名称", "企业名称", "主体名称", "市场主体名称", "单位名称", "name", "entityName"] },
  { field: "districtCode", required: true, aliases: ["区划码", "区划代码", "行政区划代码", "行政区划", "区划", "district", "districtCode"] },
  { field: "address", required: false, aliases: ["地址", "住所", "经营场所", "住所（经营场所）", "address"] },
  { field: "industryCode", required: false, aliases: ["行业代码", "国民经济行业代码", "行业", "industry", "industryCode"] },
  { field: "entityType", required: false, aliases: ["主体类型", "企业类型", "类型", "市场主体类型", "type", "entityType", "kind"] },
  { field: "status", required: false, aliases: ["状态", "登记状态", "经营状态", "status"] },
  { field: "riskClass", required: false, aliases: ["风险等级", "风险分类", "信用风险分类", "信用风险等级", "risk", "riskClass"] },
  { field: "establishedOn", required: false, aliases: ["成立日期", "成立时间", "establishedOn", "established", "founded", "foundedOn"] },
];

export const INSPECTOR_COLUMNS: ColumnSpec[] = [
  { field: "certificateNo", required: true, aliases: ["证件号", "执法证号", "执法证件号", "执法证号码", "执法证件号码", "certificateNo", "certificate", "certificateNumber"] },
  { field: "name", required: true, aliases: ["姓名", "name"] },
  { field: "department", required: true, aliases: ["部门", "所属部门", "单位", "所属单位", "department", "dept"] },
  { field: "qualifications", required: false, aliases: ["资质", "执法资质", "qualifications", "qualification"] },
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
    if (required) add(field, "required", "error", `${label} is required`);
    return null;
  }
  if (t.length > MAX_TEXT) {
    add(field, "tooLong", "error", `${label} has ${t.length} characters (at most ${MAX_TEXT})`);
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

export function validateEntityRow(get: FieldGetter): RowResult<EntityRow> {
  const issues: Omit<RowIssue, "row">[] = [];
  const add = issueMaker(get, issues);

  const cc = get("code");
  const rn = get("registrationNumber");
  const src = cellText(cc.value) === null && cellText(rn.value) !== null ? rn : cc;
  const codeIssue = (rule: string, severity: Severity, message: string) =>
    issues.push({ field: "code", column: src.column ?? cc.column ?? rn.column, rule, severity, message });
  const codeCheck: EntityCodeCheck = isCleanValidCreditCode(src.value) ? { ok: true, kind: "creditCode", code: src.value } : checkEntityCode(src.value);
  let code: string | null = null;
  let codeKind: EntityCodeKind = "creditCode";
  if (!codeCheck.ok) codeIssue(codeCheck.rule, "error", codeCheck.message);
  else {
    code = codeCheck.code;
    codeKind = codeCheck.kind;
    if (codeCheck.flag) codeIssue(codeCheck.flag.rule, "flag", `${codeCheck.flag.message} (kept: some old codes fail the check; verify it)`);
  }

  const name = text(get, "name", add, true, "名称 (name)");

  let districtCode: string | null = null;
  const dv = get("districtCode").value;
  const dt = cellText(dv);
  if (dt === null) add("districtCode", "required", "error", "区划码 (district code) is required");
  else if (typeof dv === "number" && !Number.isInteger(dv)) add("districtCode", "format", "error", `区划码 must be 6 digits, got ${dt}`);
  else if (!/^\d{6}$/.test(dt)) add("districtCode", "format", "error", `区划码 must be 6 digits, got "${dt}"`);
  else districtCode = dt;

  const address = text(get, "address", add, false, "地址 (address)");

  let industryCode = cellText(get("industryCode").value);
  if (industryCode !== null) {
    industryCode = industryCode.toUpperCase().replace(/\s/g, "");
    if (!/^([A-T](\d{2,4})?|\d{2,4})$/.test(industryCode)) {
      add("industryCode", "format", "error", `行业代码 "${industryCode}" is not a GB/T 4754 code (a section letter A–T and/or 2–4 digits)`);
      industryCode = null;
    }
  }

  const entityType = text(get, "entityType", add, false, "主体类型 (entity type)");
  const status = text(get, "status", add, false, "状态 (status)");

  let riskClass: RiskClass | null = null;
  const rt = cellText(get("riskClass").value);
  if (rt !== null) {
    const norm = rt.normalize("NFKC").toUpperCase().replace(/\s/g, "").replace(/类$|级$/, "");
    if (/^[ABCD]$/.test(norm)) riskClass = norm as RiskClass;
    else if (RISK_WORDS[norm.replace(/类$/, "")]) riskClass = RISK_WORDS[norm.replace(/类$/, "")]!;
    else add("riskClass", "format", "error", `风险等级 must be A, B, C or D (低/一般/较高/高风险), got "${rt}"`);
  }

  let establishedOn: string | null = null;
  const ev = get("establishedOn").value;
  if (cellText(ev) !== null) {
    const p = parseDateCell(ev);
    if (!p.ok) add("establishedOn", "date", "error", `成立日期: ${p.message}`);
    else establishedOn = p.date;
  }

  const ok = !issues.some((i) => i.severity === "error");
  return {
    value: ok
      ? { code: code!, codeKind, name: name!, districtCode: districtCode!, address, industryCode, entityType, status, riskClass, establishedOn }
      : null,
    issues,
  };
}

const YES = new Set(["是", "在岗", "y", "yes", "true", "1", "√", "✓", "t"]);
const NO = new Set(["否", "不在岗", "离岗", "n", "no", "false", "0", "×", "f"]);

export function validateInspectorRow(get: FieldGetter): RowResult<InspectorRow> {
  const issues: Omit<RowIssue, "row">[] = [];
  const add = issueMaker(get, issues);

  let certificateNo: string | null = null;
  const cv = get("certificateNo").value;
  if (typeof cv === "number") {
    if (Number.isSafeInteger(cv) && cv >= 0 && cv < 1e15) {
      certificateNo = cv.toFixed(0);
      add("certificateNo", "number", "flag", `证件号 was stored as a number (${certificateNo}): leading zeros would be lost; check it and store the column as text`);
    } else {
      add("certificateNo", "excelNumber", "error", "证件号 was stored by Excel as a number and has lost digits; re-export the column as text");
    }
  } else {
    const t = cellText(cv);
    if (t === null) add("certificateNo", "required", "error", "证件号/执法证号 (certificate number) is required");
    else if (/^\d(\.\d+)?E\+?\d+$/i.test(t)) add("certificateNo", "excelNumber", "error", `证件号 "${t}" is in scientific notation: Excel stored it as a number and lost digits; re-export the column as text`);
    else if (t.length > 64) add("certificateNo", "tooLong", "error", "证件号 is longer than 64 characters");
    else certificateNo = t.replace(/\s/g, "").toUpperCase();
  }

  const name = text(get, "name", add, true, "姓名 (name)");
  const department = text(get, "department", add, true, "部门 (department)");
  const qualifications = splitList(get("qualifications").value);
  const specialities = splitList(get("specialities").value);

  const districts = splitList(get("districts").value);
  const badDistricts = districts.filter((d) => !/^\d{6}$/.test(d));
  if (badDistricts.length > 0) add("districts", "format", "error", `区划 must be 6-digit codes, got ${badDistricts.map((d) => `"${d}"`).join(", ")}`);

  let active = true;
  const at = cellText(get("active").value);
  if (at !== null) {
    const k = at.toLowerCase();
    if (YES.has(k)) active = true;
    else if (NO.has(k)) active = false;
    else add("active", "format", "error", `在岗 must be 是 or 否, got "${at}"`);
  }

  const ok = !issues.some((i) => i.severity === "error");
  return {
    value: ok ? { certificateNo: certificateNo!, name: name!, department: department!, qualifications, specialities, districts, active } : null,
    issues,
  };
}
