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

export type EntityCodeKind = "creditCode" | "registrationNumber";

/** The outcome of checking one raw directory value as an entity's identifying code. */
export type EntityCodeCheck =
  | { ok: true; kind: EntityCodeKind; code: string; flag?: { rule: "checksum"; message: string } }
  | { ok: false; rule: EntityCodeRule; message: string };

export type EntityCodeRule = "required" | "excelNumber" | "length" | "alphabet";

const EXCEL_LOST_DIGITS =
  "an all-digit code stored by Excel as a number has lost its last digits (a double holds about 15 " +
  "significant digits): this value is not a code; re-export the column as text";

/**
 * Checks a raw directory value (a CSV string or a spreadsheet cell) as a 统一社会信用代码 or
 * 注册号. Stray spaces and line breaks are removed and letters upper-cased first.
 *
 * - a number (a spreadsheet cell typed as number) or a string in scientific notation is
 *   rejected: Excel stored the code as a double and its last digits are gone;
 * - a code whose only fault is its check character is accepted with a `flag` (some very old real
 *   codes fail the check; import flags them, never drops them);
 * - anything else malformed is rejected, naming the rule.
 */
export function checkEntityCode(raw: unknown): EntityCodeCheck {
  if (typeof raw === "number" || typeof raw === "bigint") {
    return { ok: false, rule: "excelNumber", message: EXCEL_LOST_DIGITS };
  }
  if (raw === null || raw === undefined) return { ok: false, rule: "required", message: "统一社会信用代码/注册号 is required" };
  const code = String(raw).replace(/[\s\u00a0\u3000]+/g, "").toUpperCase();
  if (code === "") return { ok: false, rule: "required", message: "统一社会信用代码/注册号 is required" };
  if (/^\d(\.\d+)?E\+?\d+$/.test(code)) return { ok: false, rule: "excelNumber", message: EXCEL_LOST_DIGITS };
  if (code.length === 15 && /^\d{15}$/.test(code)) {
    return isValidRegistrationNumber(code)
      ? { ok: true, kind: "registrationNumber", code }
      : { ok: true, kind: "registrationNumber", code, flag: { rule: "checksum", message: `注册号 ${code} fails its MOD 11,10 check digit (expected ${registrationNumberCheckDigit(code.slice(0, 14))})` } };
  }
  if (code.length !== 18) {
    if (/^\d{16,17}$/.test(code) || /^\d{19,}$/.test(code)) {
      return { ok: false, rule: "excelNumber", message: EXCEL_LOST_DIGITS };
    }
    return { ok: false, rule: "length", message: `a 统一社会信用代码 has 18 characters and a 注册号 15 digits; got ${code.length}` };
  }
  for (let i = 0; i < 18; i++) {
    if (!VALUE.has(code[i]!)) {
      return { ok: false, rule: "alphabet", message: `character '${code[i]}' at position ${i + 1} is not allowed (alphabet ${CREDIT_CODE_ALPHABET}; no I, O, S, V, Z)` };
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
    flag: { rule: "checksum", message: `check character is '${code[17]}', GB 32100-2015 gives '${expected}'` },
  };
}
