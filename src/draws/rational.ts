/** Ratios are rational strings "p/q" (integers, 0 ≤ p ≤ q, q ≥ 1); arithmetic is exact (BigInt). */
export class DrawInputError extends Error {
  constructor(
    readonly field: string,
    readonly rule: string,
    message: string,
  ) {
    super(`${field}: ${message} [${rule}]`);
  }
}

const RATIO = /^(0|[1-9][0-9]*)\/([1-9][0-9]*)$/;

export function parseRatio(s: string, field: string): { p: bigint; q: bigint } {
  const m = RATIO.exec(s);
  if (!m) throw new DrawInputError(field, "ratio", `“${s}”不是比例“p/q”（不带前导零的十进制整数）`);
  const p = BigInt(m[1]!);
  const q = BigInt(m[2]!);
  if (p > q) throw new DrawInputError(field, "ratio", `比例“${s}”大于 1`);
  return { p, q };
}

/** ceil(n·p/q), exact. */
export function ceilRatio(n: number, r: { p: bigint; q: bigint }): number {
  const num = BigInt(n) * r.p;
  return Number((num + r.q - 1n) / r.q);
}
