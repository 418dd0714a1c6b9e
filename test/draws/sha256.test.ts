import { createHash, randomBytes } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ticketsParallel, ticketsSync, PARALLEL_MIN } from "../../src/draws/sha256.ts";
import { ticketOf } from "../../src/draws/index.ts";
import { codeFor, seedFor } from "./fixtures.ts";

const ref = (key: Uint8Array, code: string) => createHash("sha256").update(key).update(code, "utf8").digest("hex");
const hexAt = (out: Uint32Array, i: number) => Array.from(out.subarray(8 * i, 8 * i + 8), (w) => w.toString(16).padStart(8, "0")).join("");

describe("ticket hashing is standard SHA-256", () => {
  it("single-block fast path equals node:crypto for random keys and codes (incl. non-ASCII and long fallbacks)", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.array(fc.string({ maxLength: 40 }), { minLength: 1, maxLength: 20 }), (key, codes) => {
        const out = ticketsSync(key, codes);
        codes.forEach((c, i) => expect(hexAt(out, i)).toBe(ref(key, c)));
      }),
      { numRuns: 200 },
    );
  });

  it("handles every code length 0..23 at the block boundary and 24+ via node:crypto", () => {
    const key = randomBytes(32);
    const codes = Array.from({ length: 30 }, (_, n) => "9".repeat(n));
    const out = ticketsSync(key, codes);
    codes.forEach((c, i) => expect(hexAt(out, i)).toBe(ref(key, c)));
  });

  it("gives identical tickets with 1, 2 and 3 threads (worker_threads)", async () => {
    const key = randomBytes(32);
    const codes = Array.from({ length: PARALLEL_MIN + 1234 }, (_, i) => codeFor(i));
    const one = await ticketsParallel(key, codes, 1);
    const two = await ticketsParallel(key, codes, 2);
    const three = await ticketsParallel(key, codes, 3);
    expect(Buffer.from(two.buffer).equals(Buffer.from(one.buffer))).toBe(true);
    expect(Buffer.from(three.buffer).equals(Buffer.from(one.buffer))).toBe(true);
    for (const i of [0, 777, PARALLEL_MIN, codes.length - 1]) expect(hexAt(two, i)).toBe(ref(key, codes[i]!));
  });

  it("ticketOf = SHA-256(SHA-256('ssj-draw/1 ticket' ‖ seed) ‖ code)", () => {
    const seed = seedFor(7);
    const key = createHash("sha256").update("ssj-draw/1 ticket").update(Buffer.from(seed, "hex")).digest();
    expect(ticketOf(seed, "91350100M000100Y43")).toBe(ref(key, "91350100M000100Y43"));
  });
});
