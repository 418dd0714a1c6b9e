/**
 * 统一社会信用代码 (GB 32100-2015) and 15-digit 注册号 (GS 15001-2006) validation.
 *
 * One validator used everywhere: directory import, the demo generator, the draw engine.
 *
 * A unified social credit code is 18 characters over the alphabet
 * `0123456789ABCDEFGHJKLMNPQRTUWXY` (values 0–30; no I O S V Z):
 *
 *   position 1      registering authority (9 = market regulation)
 *   position 2      kind (under 9: 1 enterprise, 2 individual business, 3 farmers' cooperative)
 *   positions 3–8   administrative division code (区划码)
 *   positions 9–17  organisation code
 *   position 18     check character
 *
 * Check value = 31 − (Σ value(Cᵢ)·Wᵢ mod 31) with Wᵢ = 3^(i−1) mod 31, i = 1..17;
 * a check value of 31 is written `0`.
 * Worked example from the standard: `91350100M000100Y43` is valid.
 *
 * A 注册号 (older registrations, often 个体工商户) is 15 digits: 6-digit authority code, 8-digit
 * sequence, and an ISO 7064 MOD 11,10 check digit.
 */

import { createHash } from "node:crypto";

export const CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/** Wᵢ = 3^(i−1) mod 31 for i = 1..17. */
export const CREDIT_CODE_WEIGHTS: readonly number[] = Array.from({ length: 17 }, (_, i) => {
  let w = 1;
  for (let k = 0; k < i; k++) w = (w * 3) % 31;
  return w;
});

const VALUE = new Map<string, number>([...CREDIT_CODE_ALPHABET].map((c, i) => [c, i]));

/** The check character for the first 17 characters of a credit code. Throws on a bad alphabet. */
export function creditCodeCheckChar(first17: string): string {
  if (first17.length !== 17) throw new RangeError(`expected 17 characters, got ${first17.length}`);
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = VALUE.get(first17[i]!);
    if (v === undefined) throw new RangeError(`character '${first17[i]}' at position ${i + 1} is not in the credit-code alphabet`);
    sum += v * CREDIT_CODE_WEIGHTS[i]!;
  }
  const check = 31 - (sum % 31);
  return CREDIT_CODE_ALPHABET[check === 31 ? 0 : check]!;
}

/** True when `code` is a well-formed 18-character credit code with a correct check character. */
export function isValidCreditCode(code: string): boolean {
  if (code.length !== 18) return false;
  for (const c of code) if (!VALUE.has(c)) return false;
  return creditCodeCheckChar(code.slice(0, 17)) === code[17];
}

/** The ISO 7064 MOD 11,10 check digit for the first 14 digits of a 注册号. */
export function registrationNumberCheckDigit(first14: string): string {
  if (!/^\d{14}$/.test(first14)) throw new RangeError("expected 14 digits");
  let p = 10;
  for (const ch of first14) {
    let s = (p + Number(ch)) % 10;
    if (s === 0) s = 10;
    p = (s * 2) % 11;
  }
  return String((11 - p) % 10);
}

export function isValidRegistrationNumber(no: string): boolean {
  return /^\d{15}$/.test(no) && registrationNumberCheckDigit(no.slice(0, 14)) === no[14];
}

/**
 * `creditCode` 统一社会信用代码; `registrationNumber` 15-digit 注册号; `legacy` a registration
 * number of another era or kind (农民专业合作社 `469006NA000129X`, 12/13-digit old numbers,
 * `企独琼总字第008245号`): kept under a normalized key (`legacyKey`) and flagged for review.
 */
export type EntityCodeKind = "creditCode" | "registrationNumber" | "legacy";

/** The outcome of checking one raw directory value as an entity's identifying code. */
export type EntityCodeCheck =
  | { ok: true; kind: EntityCodeKind; code: string; asWritten?: string; flag?: { rule: "checksum" | "legacyCode"; message: string } }
  | { ok: false; rule: EntityCodeRule; message: string };

export type EntityCodeRule = "required" | "excelNumber" | "length" | "alphabet" | "placeholder" | "format";

const EXCEL_LOST_DIGITS =
  "这是被 Excel 存成数值后丢了末几位的代码（双精度数只保留约 15 位有效数字）：它已不是原来的代码，不能修复；请把该列设为文本格式后重新导出";

/** Cells that stand for "no value" in real exports. */
const PLACEHOLDER = /^(无|暂无|没有|无资料|无资料内容|无数据|无内容|不详|未知|空|空白|null|none|nil|n\/?a|[-—－_/\\*.·0]+)$/i;

export function isPlaceholder(text: string): boolean {
  return PLACEHOLDER.test(text);
}

/** 农民专业合作社 注册号 (2007–2015): 6-digit authority code, `NA`, 6-digit sequence, check character. */
const COOPERATIVE_NUMBER = /^\d{6}NA\d{6}[0-9A-Z]$/;
/** Old registrations' numbers written as 企独琼总字第008245号, 工商企字第123号 …: CJK, 字, digits. */
const CHINESE_FORM = /^[\u4e00-\u9fff（）()]{1,12}字?第?[0-9A-Z\-－]{1,20}号?$/;

/**
 * The key a legacy number is stored under: the number itself when it is 1–23 characters of
 * [0-9A-Z] (the draw engine's code format); for a Chinese form, `Z` + its digits (at most 12) +
 * 6 characters of a hash of the whole form (base 32 over 0-9A-V), e.g. `企独琼总字第008245号` →
 * `Z008245` + 6. `Z` never begins a credit code of today (not in its alphabet) and a legacy key
 * differs in length or alphabet from a credit code and a 15-digit 注册号, so the three never collide.
 */
export function legacyKey(normalized: string): string {
  if (/^[0-9A-Z]{1,23}$/.test(normalized)) return normalized;
  const digits = normalized.replace(/\D/g, "").slice(0, 12);
  const h = createHash("sha256").update(normalized, "utf8").digest();
  let tail = "";
  for (let i = 0; i < 6; i++) tail += "0123456789ABCDEFGHIJKLMNOPQRSTUV"[h[i]! & 31];
  return `Z${digits}${tail}`;
}

function legacy(normalized: string, what: string): EntityCodeCheck {
  const key = legacyKey(normalized);
  return {
    ok: true,
    kind: "legacy",
    code: key,
    asWritten: normalized,
    flag: { rule: "legacyCode", message: `${what}“${normalized}”不是统一社会信用代码或 15 位注册号：已以代码 ${key} 保存并标记待核实（请补充该主体的统一社会信用代码）` },
  };
}

/**
 * Checks a raw directory value (a CSV string or a spreadsheet cell) as a 统一社会信用代码 or
 * 注册号. Stray spaces and line breaks are removed and letters upper-cased first (NFKC, so
 * full-width digits count).
 *
 * - a spreadsheet number: up to 15 digits a double holds exactly, so a 15-digit 注册号 (or a 12/13
 *   digit old number) stored as a number is intact and checked like text; 16 digits or more, a
 *   fraction, or any value in exponent form cannot have survived and is rejected (`excelNumber`);
 * - a code whose only fault is its check character is accepted with a `checksum` flag (some very
 *   old real codes fail the check: flagged, never dropped);
 * - a registration number of another era or kind is accepted as `legacy` with a `legacyCode` flag;
 * - a placeholder (无资料内容, 无, -, /) is rejected (`placeholder`); anything else malformed is
 *   rejected naming what it has and what a code has.
 */
export function checkEntityCode(raw: unknown): EntityCodeCheck {
  if (typeof raw === "bigint") return { ok: false, rule: "excelNumber", message: EXCEL_LOST_DIGITS };
  if (typeof raw === "number") {
    if (!Number.isInteger(raw) || raw < 1 || raw >= 1e15) return { ok: false, rule: "excelNumber", message: EXCEL_LOST_DIGITS };
    return checkEntityCode(raw.toFixed(0));
  }
  if (raw === null || raw === undefined) return { ok: false, rule: "required", message: "缺少统一社会信用代码/注册号" };
  const code = String(raw).normalize("NFKC").replace(/[\s\u00a0\u3000\u200b-\u200d\ufeff]+/g, "").toUpperCase();
  if (code === "") return { ok: false, rule: "required", message: "缺少统一社会信用代码/注册号" };
  if (isPlaceholder(code)) return { ok: false, rule: "placeholder", message: `“${code}”是占位内容，不是代码：该主体没有可用的统一社会信用代码或注册号` };
  if (/^\d+(\.\d+)?E\+?\d+$/.test(code)) return { ok: false, rule: "excelNumber", message: EXCEL_LOST_DIGITS };
  if (/^\d{15}$/.test(code)) {
    return isValidRegistrationNumber(code)
      ? { ok: true, kind: "registrationNumber", code }
      : { ok: true, kind: "registrationNumber", code, flag: { rule: "checksum", message: `注册号 ${code} 的校验位是 ${code[14]}，按 GS 15—2006（ISO 7064 MOD 11,10）应为 ${registrationNumberCheckDigit(code.slice(0, 14))}` } };
  }
  if (COOPERATIVE_NUMBER.test(code)) return legacy(code, "农民专业合作社注册号");
  if (/^\d{12,13}$/.test(code)) return legacy(code, `${code.length} 位旧注册号`);
  if (/^\d{16,17}$/.test(code) || /^\d{19,}$/.test(code)) return { ok: false, rule: "excelNumber", message: EXCEL_LOST_DIGITS };
  if (CHINESE_FORM.test(code) && /\d/.test(code)) return legacy(code, "旧式登记号");
  if (code.length !== 18) {
    const shape = /^\d+$/.test(code) ? `${code.length} 位数字` : `${code.length} 个字符`;
    return {
      ok: false,
      rule: code.length > 40 || /[^0-9A-Z]/.test(code) ? "format" : "length",
      message: `“${code.slice(0, 40)}”（${shape}）不是代码：统一社会信用代码是 18 个字符，注册号是 15 位数字（旧注册号 12、13 位，合作社注册号如 469006NA000129X）`,
    };
  }
  for (let i = 0; i < 18; i++) {
    if (!VALUE.has(code[i]!)) {
      return { ok: false, rule: "alphabet", message: `第 ${i + 1} 位的字符“${code[i]}”不允许出现在统一社会信用代码中（字符集 ${CREDIT_CODE_ALPHABET}，不含 I、O、S、V、Z）` };
    }
  }
  const expected = creditCodeCheckChar(code.slice(0, 17));
  if (expected === code[17]) return { ok: true, kind: "creditCode", code };
  if (/^\d{15}0{3}$/.test(code)) {
    // 15 significant digits followed by zeros: the mark of a code that went through a double.
    return { ok: false, rule: "excelNumber", message: EXCEL_LOST_DIGITS };
  }
  return {
    ok: true,
    kind: "creditCode",
    code,
    flag: { rule: "checksum", message: `校验码是 '${code[17]}'，按 GB 32100-2015 应为 '${expected}'` },
  };
}

/**
 * The administrative division (区划码) a code carries: positions 3–8 of a 统一社会信用代码, the
 * first 6 digits of a 注册号 (and of a legacy number that begins with 6 digits), i.e. the
 * registering authority's division; null when the code carries none.
 */
export function districtFromCode(code: string, kind: EntityCodeKind, asWritten?: string): string | null {
  const d = kind === "creditCode" ? code.slice(2, 8) : kind === "registrationNumber" ? code.slice(0, 6) : /^\d{6}/.test(asWritten ?? code) ? (asWritten ?? code).slice(0, 6) : null;
  return d !== null && /^\d{6}$/.test(d) && d !== "000000" ? d : null;
}
