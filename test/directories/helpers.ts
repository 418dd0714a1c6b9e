import { creditCodeCheckChar, registrationNumberCheckDigit } from "../../src/directories/creditCode.ts";

/** A synthetic, checksum-valid 统一社会信用代码 (district 460100). */
export function creditCode(n: number, district = "460100"): string {
  const first17 = `91${district}${String(n).padStart(9, "0")}`;
  return first17 + creditCodeCheckChar(first17);
}

/** Same code with a wrong check character. */
export function badChecksum(code: string): string {
  const last = code[17] === "0" ? "1" : "0";
  return code.slice(0, 17) + last;
}

export function registrationNumber(n: number): string {
  const first14 = `460100${String(n).padStart(8, "0")}`;
  return first14 + registrationNumberCheckDigit(first14);
}

export function csv(lines: string[]): Buffer {
  return Buffer.from(lines.join("\r\n") + "\r\n", "utf8");
}

export async function* inChunks(buf: Uint8Array, sizes: number[]): AsyncGenerator<Uint8Array> {
  let i = 0;
  let k = 0;
  while (i < buf.length) {
    const n = Math.max(1, sizes[k++ % sizes.length] ?? 1);
    yield buf.subarray(i, Math.min(buf.length, i + n));
    i += n;
  }
}
