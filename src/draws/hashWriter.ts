/**
 * Streaming SHA-256 of canonical JSON written piece by piece into a reusable byte buffer, so that
 * hashing a 2,000,000-entity pool or a million result rows builds no giant string. Strings that
 * are plain printable ASCII without `"` or `\` are copied byte by byte; any other string is
 * written as its canonicalJson encoding (UTF-8), so the bytes are exactly CJSON's.
 */
import { createHash, type Hash } from "node:crypto";
import { canonicalJson, CanonicalJsonError } from "./canonicalJson.ts";

const SIZE = 1 << 20;
/** Printable ASCII without `"` and `\\`: copied as is by CJSON. */
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

export class HashWriter {
  private readonly hash: Hash = createHash("sha256");
  private readonly buf = Buffer.allocUnsafe(SIZE);
  private len = 0;

  private flush(): void {
    if (this.len > 0) this.hash.update(this.buf.subarray(0, this.len));
    this.len = 0;
  }

  /** Literal ASCII text (structure: brackets, keys, commas). */
  raw(s: string): void {
    if (this.len + s.length > SIZE) this.flush();
    if (s.length > SIZE) {
      this.hash.update(s, "latin1");
      return;
    }
    for (let i = 0; i < s.length; i++) this.buf[this.len++] = s.charCodeAt(i);
  }

  /** A JSON string value, CJSON-encoded. */
  str(s: string): void {
    if (typeof s !== "string") throw new CanonicalJsonError(`expected a string, got ${typeof s}`);
    const n = s.length;
    if (this.len + n + 2 > SIZE) this.flush();
    if (n + 2 <= SIZE) {
      const start = this.len;
      let p = start;
      const b = this.buf;
      b[p++] = 34;
      let ok = true;
      for (let i = 0; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c < 0x20 || c > 0x7e || c === 34 || c === 92) {
          ok = false;
          break;
        }
        b[p++] = c;
      }
      if (ok) {
        b[p++] = 34;
        this.len = p;
        return;
      }
      this.len = start;
    }
    this.bytes(Buffer.from(canonicalJson(s), "utf8"));
  }

  /** A safe integer. */
  int(n: number): void {
    if (!Number.isSafeInteger(n)) throw new CanonicalJsonError(`${n} is not a safe integer`);
    this.raw(String(n));
  }

  /** Any value, via canonicalJson (for small parts). */
  value(v: unknown): void {
    this.bytes(Buffer.from(canonicalJson(v), "utf8"));
  }

  bytes(b: Uint8Array): void {
    if (this.len + b.length > SIZE) this.flush();
    if (b.length > SIZE) {
      this.hash.update(b);
      return;
    }
    this.buf.set(b, this.len);
    this.len += b.length;
  }

  /**
   * A result row `[rank,"code","ticket"]`. Plain-ASCII strings are copied directly; anything else
   * goes through the general path.
   */
  row(rank: number, code: string, ticket: string): void {
    if (!Number.isSafeInteger(rank) || rank < 0 || typeof code !== "string" || typeof ticket !== "string" || code.length + ticket.length > 200) {
      this.raw("[");
      this.int(rank);
      this.raw(",");
      this.str(code);
      this.raw(",");
      this.str(ticket);
      this.raw("]");
      return;
    }
    if (this.len + 230 > SIZE) this.flush();
    const b = this.buf;
    const start = this.len;
    let p = start;
    b[p++] = 91;
    const r = String(rank);
    for (let i = 0; i < r.length; i++) b[p++] = r.charCodeAt(i);
    b[p++] = 44;
    b[p++] = 34;
    let ok = true;
    for (let i = 0; i < code.length; i++) {
      const c = code.charCodeAt(i);
      if (c < 0x20 || c > 0x7e || c === 34 || c === 92) ok = false;
      b[p++] = c;
    }
    b[p++] = 34;
    b[p++] = 44;
    b[p++] = 34;
    for (let i = 0; i < ticket.length; i++) {
      const c = ticket.charCodeAt(i);
      if (c < 0x20 || c > 0x7e || c === 34 || c === 92) ok = false;
      b[p++] = c;
    }
    b[p++] = 34;
    b[p++] = 93;
    if (ok) {
      this.len = p;
      return;
    }
    this.len = start;
    this.raw("[");
    this.int(rank);
    this.raw(",");
    this.str(code);
    this.raw(",");
    this.str(ticket);
    this.raw("]");
  }

  /**
   * Strings as a JSON array. Plain printable-ASCII strings (no `"` or `\\`) are copied byte by
   * byte into the buffer in one pass; any other string goes through `str` (exact CJSON either way).
   */
  strArray(xs: readonly string[]): void {
    const b = this.buf;
    if (this.len + 1 > SIZE) this.flush();
    b[this.len++] = 91; // [
    for (let i = 0; i < xs.length; i++) {
      const x = xs[i]!;
      if (typeof x !== "string") throw new CanonicalJsonError(`expected a string, got ${typeof x}`);
      const n = x.length;
      if (this.len + n + 4 > SIZE) this.flush();
      if (n + 4 > SIZE) {
        if (i > 0) this.raw(",");
        this.str(x);
        continue;
      }
      const start = this.len;
      let p = start;
      if (i > 0) b[p++] = 44; // ,
      b[p++] = 34; // "
      let plain = true;
      for (let j = 0; j < n; j++) {
        const c = x.charCodeAt(j);
        if (c < 0x20 || c > 0x7e || c === 34 || c === 92) {
          plain = false;
          break;
        }
        b[p++] = c;
      }
      if (plain) {
        b[p++] = 34;
        this.len = p;
      } else {
        this.len = start;
        if (i > 0) this.raw(",");
        this.str(x);
      }
    }
    if (this.len + 1 > SIZE) this.flush();
    b[this.len++] = 93; // ]
  }

  /**
   * A JSON array of codes given as pool indices into `packed` (slot i at i·SLOT: a length byte,
   * then the code's ASCII bytes; codes of 0-9A-Z need no escaping).
   */
  packedCodes(idx: Int32Array, packed: Uint8Array, slot = 24): void {
    const b = this.buf;
    if (this.len + 1 > SIZE) this.flush();
    b[this.len++] = 91;
    for (let k = 0; k < idx.length; k++) {
      if (this.len + slot + 4 > SIZE) this.flush();
      let p = this.len;
      if (k > 0) b[p++] = 44;
      b[p++] = 34;
      const base = idx[k]! * slot;
      const n = packed[base]!;
      if (n === 0) throw new CanonicalJsonError("packed code slot is empty");
      for (let j = 1; j <= n; j++) b[p++] = packed[base + j]!;
      b[p++] = 34;
      this.len = p;
    }
    if (this.len + 1 > SIZE) this.flush();
    b[this.len++] = 93;
  }

  digestHex(): string {
    this.flush();
    return this.hash.digest("hex");
  }
}
