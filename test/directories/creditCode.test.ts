import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  CREDIT_CODE_ALPHABET,
  CREDIT_CODE_WEIGHTS,
  checkEntityCode,
  creditCodeCheckChar,
  isValidCreditCode,
  isValidRegistrationNumber,
  registrationNumberCheckDigit,
} from "../../src/directories/creditCode.ts";

const alphabetChar = fc.constantFrom(...CREDIT_CODE_ALPHABET);
const first17 = fc.array(alphabetChar, { minLength: 17, maxLength: 17 }).map((cs) => cs.join(""));
const validCode = first17.map((p) => p + creditCodeCheckChar(p));
const digits14 = fc.array(fc.constantFrom(..."0123456789"), { minLength: 14, maxLength: 14 }).map((cs) => cs.join(""));

/** Independent restatement of GB 32100-2015 for cross-checking. */
function referenceCheckValue(prefix: string): number {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CREDIT_CODE_ALPHABET.indexOf(prefix[i]!) * (3 ** i % 31);
  return 31 - (sum % 31);
}

describe("统一社会信用代码 (GB 32100-2015)", () => {
  it("accepts the standard's worked example 91350100M000100Y43", () => {
    expect(isValidCreditCode("91350100M000100Y43")).toBe(true);
    expect(creditCodeCheckChar("91350100M000100Y4")).toBe("3");
    expect(checkEntityCode("91350100M000100Y43")).toEqual({ ok: true, kind: "creditCode", code: "91350100M000100Y43" });
  });

  it("uses the weights 3^(i-1) mod 31 and the 31-character alphabet without I O S V Z", () => {
    expect(CREDIT_CODE_WEIGHTS).toEqual([1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]);
    expect(CREDIT_CODE_ALPHABET).toHaveLength(31);
    for (const c of "IOSVZ") expect(CREDIT_CODE_ALPHABET).not.toContain(c);
  });

  it("validates every code built with creditCodeCheckChar, and agrees with an independent computation", () => {
    fc.assert(
      fc.property(first17, (p) => {
        const check = creditCodeCheckChar(p);
        const v = referenceCheckValue(p);
        expect(check).toBe(CREDIT_CODE_ALPHABET[v === 31 ? 0 : v]);
        expect(isValidCreditCode(p + check)).toBe(true);
        const r = checkEntityCode(p + check);
        expect(r).toEqual({ ok: true, kind: "creditCode", code: p + check });
      }),
      { numRuns: 2000 },
    );
  });

  it("writes a check value of 31 as '0'", () => {
    // Σ value·weight ≡ 0 (mod 31) → check value 31 → '0'.
    const prefix = "91610113MA6U20177";
    expect(referenceCheckValue(prefix)).toBe(31);
    expect(creditCodeCheckChar(prefix)).toBe("0");
    expect(isValidCreditCode(`${prefix}0`)).toBe(true);
    expect(creditCodeCheckChar("00000000000000000")).toBe("0");
    expect(isValidCreditCode("000000000000000000")).toBe(true);
  });

  it("catches every single-character substitution (exhaustively for the worked example)", () => {
    // Proof sketch: changing position i (1..17) changes the sum by (v'−v)·Wᵢ; 31 is prime, Wᵢ = 3^(i−1)
    // is non-zero mod 31 and 0 < |v'−v| < 31, so the sum mod 31 changes, and the check character is
    // an injective function of the sum mod 31. Changing position 18 changes the check character.
    const code = "91350100M000100Y43";
    let tried = 0;
    for (let pos = 0; pos < 18; pos++) {
      for (const c of CREDIT_CODE_ALPHABET) {
        if (c === code[pos]) continue;
        const changed = code.slice(0, pos) + c + code.slice(pos + 1);
        expect(isValidCreditCode(changed), changed).toBe(false);
        tried++;
      }
    }
    expect(tried).toBe(18 * 30);
  });

  it("catches any single-character substitution in random valid codes", () => {
    fc.assert(
      fc.property(validCode, fc.integer({ min: 0, max: 17 }), fc.integer({ min: 1, max: 30 }), (code, pos, shift) => {
        const replacement = CREDIT_CODE_ALPHABET[(CREDIT_CODE_ALPHABET.indexOf(code[pos]!) + shift) % 31]!;
        const changed = code.slice(0, pos) + replacement + code.slice(pos + 1);
        expect(changed).not.toBe(code);
        expect(isValidCreditCode(changed)).toBe(false);
      }),
      { numRuns: 3000 },
    );
  });

  it("rejects characters outside the alphabet and wrong lengths", () => {
    expect(creditCodeCheckChar.bind(null, "91350100M000100I4")).toThrow(RangeError);
    expect(isValidCreditCode("91350100M000100I43")).toBe(false);
    expect(isValidCreditCode("91350100M000100Y4")).toBe(false);
    const a = checkEntityCode("91350100M000100I43");
    expect(a.ok).toBe(false);
    if (!a.ok) expect(a.rule).toBe("alphabet");
    const l = checkEntityCode("91350100M000100Y4");
    expect(l.ok).toBe(false);
    if (!l.ok) expect(l.rule).toBe("length");
  });
});

describe("checkEntityCode on raw directory values", () => {
  it("cleans spaces, CRLF, non-breaking and ideographic spaces, and upper-cases", () => {
    for (const raw of [" 91350100M000100Y43\r\n", "9135 0100 M000 100Y43", "\u00a091350100m000100y43\u3000", "\t91350100M000100Y43\n"]) {
      expect(checkEntityCode(raw)).toEqual({ ok: true, kind: "creditCode", code: "91350100M000100Y43" });
    }
  });

  it("flags, not rejects, a code whose only fault is its check character", () => {
    const r = checkEntityCode("91350100M000100Y44");
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.kind).toBe("creditCode");
      expect(r.flag?.rule).toBe("checksum");
      expect(r.flag?.message).toContain("'3'");
    }
    fc.assert(
      fc.property(validCode, fc.integer({ min: 1, max: 30 }), (code, shift) => {
        const wrong = CREDIT_CODE_ALPHABET[(CREDIT_CODE_ALPHABET.indexOf(code[17]!) + shift) % 31]!;
        const bad = code.slice(0, 17) + wrong;
        fc.pre(!/^\d{15}0{3}$/.test(bad)); // that shape is the Excel rule's, tested below
        const res = checkEntityCode(bad);
        expect(res.ok).toBe(true);
        if (res.ok) expect(res.flag?.rule).toBe("checksum");
      }),
    );
  });

  it("rejects numbers that went through Excel, with the excelNumber rule", () => {
    const cases: unknown[] = [
      913501001234567890, // a spreadsheet cell typed as number
      9.1350100123457e17,
      BigInt("913501001234567890"),
      "9.13501001234568E+17",
      "9.13501E17",
      "913501001234568000", // 15 significant digits, then zeros (check character wrong)
      "9135010012345678", // 16 digits
      "91350100123456789", // 17 digits
      "9135010012345678901", // 19 digits
    ];
    for (const raw of cases) {
      const r = checkEntityCode(raw);
      expect(r.ok, String(raw)).toBe(false);
      if (!r.ok) {
        expect(r.rule, String(raw)).toBe("excelNumber");
        expect(r.message).toMatch(/Excel/);
      }
    }
  });

  it("requires a value", () => {
    for (const raw of [null, undefined, "", "  \r\n "]) {
      const r = checkEntityCode(raw);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.rule).toBe("required");
    }
  });
});

describe("注册号 (15 digits, ISO 7064 MOD 11,10)", () => {
  it("computes check digits matching a hand-checked example", () => {
    // Computed independently (p=10; s=(p+d) mod 10 or 10; p=2s mod 11; check=(11−p) mod 10).
    expect(registrationNumberCheckDigit("11010800000001")).toBe("6");
    expect(registrationNumberCheckDigit("61011360000123")).toBe("9");
    expect(isValidRegistrationNumber("110108000000016")).toBe(true);
    expect(isValidRegistrationNumber("610113600001239")).toBe(true);
    expect(checkEntityCode("610113600001239")).toEqual({ ok: true, kind: "registrationNumber", code: "610113600001239" });
  });

  it("detects every single-digit substitution", () => {
    fc.assert(
      fc.property(digits14, fc.integer({ min: 0, max: 14 }), fc.integer({ min: 1, max: 9 }), (d, pos, shift) => {
        const no = d + registrationNumberCheckDigit(d);
        expect(isValidRegistrationNumber(no)).toBe(true);
        const changed = no.slice(0, pos) + String((Number(no[pos]) + shift) % 10) + no.slice(pos + 1);
        expect(isValidRegistrationNumber(changed)).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it("flags a 注册号 with a wrong check digit instead of rejecting it", () => {
    const r = checkEntityCode("110108000000017");
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.kind).toBe("registrationNumber");
      expect(r.flag?.rule).toBe("checksum");
      expect(r.flag?.message).toContain("应为 6");
    }
  });

  it("rejects malformed 注册号 input", () => {
    expect(isValidRegistrationNumber("11010800000001")).toBe(false);
    expect(isValidRegistrationNumber("11010800000001A")).toBe(false);
    expect(() => registrationNumberCheckDigit("1101080000000")).toThrow(RangeError);
  });
});
