/**
 * Strict, streaming JSON reader for draw manifests: RFC 8259 JSON with the spec's extra rules,
 * read byte by byte from a reused buffer (the file's text is never held whole), optionally hashing
 * the raw bytes of chosen values when those bytes are already canonical JSON (canonicalJson.ts).
 *
 *   parseStrictJson(text | bytes, { maxDepth?, hashPaths? })     → { value, spans, bytes }
 *   readStrictJsonFile(path, { maxDepth?, hashPaths? })           → Promise<{ value, spans, bytes }>
 *     value: the parsed value (plain objects and arrays, strings, safe integers, booleans, null)
 *     spans: { "inputs.public": ["9f2c…"], "records[*].public": ["ab01…", null, …] }
 *            one entry per occurrence of a requested path, in document order: the lowercase hex
 *            SHA-256 of the value's exact bytes when they are canonical JSON, null when they are not;
 *            a path that never occurs has no entry
 *     bytes: total input bytes
 *   errors: StrictJsonError { offset (bytes), line, column (code points, 1-based), path, rule, message }
 *     message (Chinese): 第 3 行第 17 列（inputs.batch）：对象的键 "name" 重复出现（键重复，duplicateKey）
 *
 * Rules (rule code in brackets): RFC 8259 syntax [syntax]; no duplicate keys in an object
 * [duplicateKey]; numbers only as integer literals -?(0|[1-9][0-9]*) within ±(2^53 − 1), so no
 * fraction, exponent, leading zero or -0 [number]; valid UTF-8 — no overlongs, no encoded
 * surrogates, nothing above U+10FFFF, no cut sequence, even at the end of the input [utf8]; no
 * leading BOM [syntax]; a JS string input is read as its UTF-8 encoding, and a lone surrogate in it
 * is [surrogate]; \u escapes of surrogates must come in high-low pairs [surrogate]; no raw
 * U+0000–U+001F in strings [control]; whitespace only as space, tab, LF, CR between tokens; nothing
 * but whitespace after the top-level value [trailing]; input ending inside a value, or empty
 * [truncated]; more than maxDepth (default 64) nested arrays/objects [depth] (a scalar at the root
 * has depth 0, `[[1]]` has depth 2).
 *
 * Paths. Error paths: "$" for the root, then keys joined by "." and array indices in brackets:
 * "inputs.pool.codes[12]", "$[3]" for the 4th element of a root array; a key that is not made of
 * letters, digits, "_" and "$" is written ["like this"]. A duplicate key is reported at the path of
 * its object (the key is named in the message); other errors at the value being read, or at the
 * enclosing array/object for errors between its members. Lines are separated by LF.
 *
 * Hash paths ("hashPaths" option): keys separated by ".", every array element as "[*]", no indices:
 * "inputs.public", "records[*].public", "rows[*]"; "$" (or "") is the root value itself; a leading
 * "$." is accepted. A key containing ".", "[" or "]" cannot be named. spans is keyed by the strings
 * as given.
 *
 * Canonical here (docs/draw-spec.md §2): no whitespace, keys in strictly ascending code-point order,
 * strings escaped exactly as JSON.stringify does (\" \\ \b \f \n \r \t, other code points below
 * U+0020 as \u00xx with lowercase hex, everything else literal). A canonical span's digest equals
 * cjsonDigest(value).
 *
 * Measured on 2026-12-01, 2-core VM shared with other work (load 3–7), Node 20.20, a 109 MB
 * manifest-shaped file (2,000,000 codes "91350100MA2…", 2,000,000 district codes "3501xx",
 * 1,000,000 rows [rank, "code", "16hex"]), 16 fresh processes per side, interleaved:
 * readStrictJsonFile 62.7 MB/s best (1.74 s; median 2.59 s; CPU median 2.49 s) vs
 * JSON.parse(readFileSync(f, "utf8")) 72.6 MB/s best (1.50 s; median 2.93 s; CPU median 1.99 s);
 * peak RSS (process.resourceUsage().maxRSS) 393–415 MB vs 483–493 MB. With hashPaths
 * ["$", "codes", "districts", "rows"]: 56.6 MB/s best, 401–411 MB. With "rows[*]" (a million spans,
 * a million digests kept): 36.9 MB/s, 512–526 MB. Where the time goes: string creation and the
 * garbage collector; short ASCII strings are built in JS (String.fromCharCode) and recently seen
 * ones (< 12 bytes: district codes, kinds, dates) are shared, which is most of the RSS saving.
 */
import { createHash, hash as sha256Once, type Hash } from "node:crypto";
import { open, type FileHandle } from "node:fs/promises";

type Rule = "syntax" | "duplicateKey" | "number" | "utf8" | "surrogate" | "depth" | "trailing" | "truncated" | "control";

const RULE_ZH: Record<Rule, string> = {
  syntax: "语法错误",
  duplicateKey: "键重复",
  number: "数字不合规",
  utf8: "UTF-8 编码无效",
  surrogate: "代理项不成对",
  depth: "嵌套过深",
  trailing: "值后有多余内容",
  truncated: "不完整",
  control: "字符串含控制字符",
};

export class StrictJsonError extends Error {
  /** Byte offset in the input. */
  readonly offset: number;
  /** 1-based line (lines end with LF). */
  readonly line: number;
  /** 1-based column, in code points of that line. */
  readonly column: number;
  /** JSON path of the value being read ("$" for the root). */
  readonly path: string;
  /** Stable English code of the rule broken. */
  readonly rule: Rule;

  constructor(message: string, offset: number, line: number, column: number, path: string, rule: Rule) {
    super(message);
    this.name = "StrictJsonError";
    this.offset = offset;
    this.line = line;
    this.column = column;
    this.path = path;
    this.rule = rule;
  }
}

export interface StrictJsonOptions {
  /** Deepest nesting of arrays/objects allowed; default 64; deeper → rule "depth". */
  maxDepth?: number;
  /** JSON paths (dot/bracket form without indices, e.g. "inputs.public", "records[*].public", "$" for the root) whose value's raw bytes should be hashed with SHA-256 when they are already canonical JSON. */
  hashPaths?: readonly string[];
  /** readStrictJsonFile only: bytes read at a time (default 1 MiB). For tests of chunk boundaries. */
  chunkSize?: number;
  /**
   * Paths (same syntax as hashPaths) of arrays or objects that are read and checked by every rule,
   * and hashed when requested, but not built: the result holds SKIPPED in their place. For values
   * only their digest is needed of (a verifier comparing recomputed results by digest).
   */
  skipPaths?: readonly string[];
}

/** What stands in the result for a value at a skip path. */
export const SKIPPED: Readonly<{ $skipped: true }> = Object.freeze({ $skipped: true as const });

export interface StrictJsonResult<T = unknown> {
  value: T;
  /** For each requested hash path that occurred, in document order: hex SHA-256 of the value's exact bytes if those bytes are canonical JSON, else null. Paths that did not occur are absent. */
  spans: Record<string, (string | null)[]>;
  /** Total input bytes. */
  bytes: number;
}

// ---------------------------------------------------------------------------------------------
// Internals

/** A rule broken, before line/column are known (they need the input again). */
class Failure {
  constructor(
    readonly rule: Rule,
    readonly offset: number,
    readonly path: string,
    readonly detail: string,
  ) {}
}

type FastBuffer = Buffer & { latin1Slice?(start: number, end: number): string; utf8Slice?(start: number, end: number): string };
const probe = Buffer.alloc(1) as FastBuffer;
const HAS_FAST_SLICE = typeof probe.latin1Slice === "function" && typeof probe.utf8Slice === "function";
const latin1 = HAS_FAST_SLICE
  ? (b: Buffer, s: number, e: number): string => (b as FastBuffer).latin1Slice!(s, e)
  : (b: Buffer, s: number, e: number): string => b.toString("latin1", s, e);
const utf8 = HAS_FAST_SLICE
  ? (b: Buffer, s: number, e: number): string => (b as FastBuffer).utf8Slice!(s, e)
  : (b: Buffer, s: number, e: number): string => b.toString("utf8", s, e);

const fc = String.fromCharCode;

/** Short ASCII strings: String.fromCharCode with one argument per byte builds a flat one-byte string in JS, without a call into C++. */
function asciiShort(b: Buffer, s: number, n: number): string {
  switch (n) {
    case 0:
      return "";
    case 1:
      return fc(b[s]!);
    case 2:
      return fc(b[s]!, b[s + 1]!);
    case 3:
      return fc(b[s]!, b[s + 1]!, b[s + 2]!);
    case 4:
      return fc(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!);
    case 5:
      return fc(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!);
    case 6:
      return fc(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!);
    case 7:
      return fc(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!);
    case 8:
      return fc(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!);
    case 9:
      return fc(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!, b[s + 8]!);
    case 10:
      return fc(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!, b[s + 8]!, b[s + 9]!);
    case 11:
      return fc(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!, b[s + 8]!, b[s + 9]!, b[s + 10]!);
    case 12:
      return fc(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!, b[s + 8]!, b[s + 9]!, b[s + 10]!, b[s + 11]!);
    case 13:
      return fc(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!, b[s + 8]!, b[s + 9]!, b[s + 10]!, b[s + 11]!, b[s + 12]!);
    case 14:
      return fc(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!, b[s + 8]!, b[s + 9]!, b[s + 10]!, b[s + 11]!, b[s + 12]!, b[s + 13]!);
    case 15:
      return fc(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!, b[s + 8]!, b[s + 9]!, b[s + 10]!, b[s + 11]!, b[s + 12]!, b[s + 13]!, b[s + 14]!);
    case 16:
      return fc(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!, b[s + 8]!, b[s + 9]!, b[s + 10]!, b[s + 11]!, b[s + 12]!, b[s + 13]!, b[s + 14]!, b[s + 15]!);
    case 17:
      return fc(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!, b[s + 8]!, b[s + 9]!, b[s + 10]!, b[s + 11]!, b[s + 12]!, b[s + 13]!, b[s + 14]!, b[s + 15]!, b[s + 16]!);
    case 18:
      return fc(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!, b[s + 8]!, b[s + 9]!, b[s + 10]!, b[s + 11]!, b[s + 12]!, b[s + 13]!, b[s + 14]!, b[s + 15]!, b[s + 16]!, b[s + 17]!);
    case 19:
      return fc(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!, b[s + 8]!, b[s + 9]!, b[s + 10]!, b[s + 11]!, b[s + 12]!, b[s + 13]!, b[s + 14]!, b[s + 15]!, b[s + 16]!, b[s + 17]!, b[s + 18]!);
    case 20:
      return fc(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!, b[s + 8]!, b[s + 9]!, b[s + 10]!, b[s + 11]!, b[s + 12]!, b[s + 13]!, b[s + 14]!, b[s + 15]!, b[s + 16]!, b[s + 17]!, b[s + 18]!, b[s + 19]!);
    case 21:
      return fc(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!, b[s + 8]!, b[s + 9]!, b[s + 10]!, b[s + 11]!, b[s + 12]!, b[s + 13]!, b[s + 14]!, b[s + 15]!, b[s + 16]!, b[s + 17]!, b[s + 18]!, b[s + 19]!, b[s + 20]!);
    case 22:
      return fc(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!, b[s + 8]!, b[s + 9]!, b[s + 10]!, b[s + 11]!, b[s + 12]!, b[s + 13]!, b[s + 14]!, b[s + 15]!, b[s + 16]!, b[s + 17]!, b[s + 18]!, b[s + 19]!, b[s + 20]!, b[s + 21]!);
    case 23:
      return fc(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!, b[s + 8]!, b[s + 9]!, b[s + 10]!, b[s + 11]!, b[s + 12]!, b[s + 13]!, b[s + 14]!, b[s + 15]!, b[s + 16]!, b[s + 17]!, b[s + 18]!, b[s + 19]!, b[s + 20]!, b[s + 21]!, b[s + 22]!);
    case 24:
      return fc(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!, b[s + 8]!, b[s + 9]!, b[s + 10]!, b[s + 11]!, b[s + 12]!, b[s + 13]!, b[s + 14]!, b[s + 15]!, b[s + 16]!, b[s + 17]!, b[s + 18]!, b[s + 19]!, b[s + 20]!, b[s + 21]!, b[s + 22]!, b[s + 23]!);
    default:
      return latin1(b, s, s + n);
  }
}

/** 0 for bytes copied as they are inside a string (printable ASCII except `"` and `\`). */
const CLS = new Uint8Array(256).fill(1);
for (let c = 0x20; c < 0x80; c++) if (c !== 0x22 && c !== 0x5c) CLS[c] = 0;

/** Value of a hex digit, or -1. */
const HEX = new Int8Array(256).fill(-1);
for (let c = 0; c < 10; c++) HEX[0x30 + c] = c;
for (let c = 0; c < 6; c++) HEX[0x41 + c] = HEX[0x61 + c] = 10 + c;

/** Length (2–4) of the valid UTF-8 sequence at b[i] (a byte ≥ 0x80), 0 if cut off by `end` so far, −1 if invalid. */
function utf8Seq(b: Buffer, i: number, end: number): number {
  const c = b[i]!;
  if (c < 0xc2) return -1; // continuation byte or overlong 2-byte lead
  if (c < 0xe0) {
    if (i + 1 >= end) return 0;
    return (b[i + 1]! & 0xc0) === 0x80 ? 2 : -1;
  }
  if (c < 0xf0) {
    if (i + 1 >= end) return 0;
    const c1 = b[i + 1]!;
    if (c1 < (c === 0xe0 ? 0xa0 : 0x80) || c1 > (c === 0xed ? 0x9f : 0xbf)) return -1; // overlong / surrogate
    if (i + 2 >= end) return 0;
    return (b[i + 2]! & 0xc0) === 0x80 ? 3 : -1;
  }
  if (c < 0xf5) {
    if (i + 1 >= end) return 0;
    const c1 = b[i + 1]!;
    if (c1 < (c === 0xf0 ? 0x90 : 0x80) || c1 > (c === 0xf4 ? 0x8f : 0xbf)) return -1; // overlong / > U+10FFFF
    if (i + 2 >= end) return 0;
    if ((b[i + 2]! & 0xc0) !== 0x80) return -1;
    if (i + 3 >= end) return 0;
    return (b[i + 3]! & 0xc0) === 0x80 ? 4 : -1;
  }
  return -1;
}

function decodeCodePoint(b: Buffer, i: number, n: number): number {
  const c = b[i]!;
  if (n === 2) return ((c & 0x1f) << 6) | (b[i + 1]! & 0x3f);
  if (n === 3) return ((c & 0x0f) << 12) | ((b[i + 1]! & 0x3f) << 6) | (b[i + 2]! & 0x3f);
  return ((c & 0x07) << 18) | ((b[i + 1]! & 0x3f) << 12) | ((b[i + 2]! & 0x3f) << 6) | (b[i + 3]! & 0x3f);
}

/** Code points in b[s, e) of valid UTF-8 (bytes that are not continuation bytes). */
function countCodePoints(b: Uint8Array, s: number, e: number): number {
  let n = 0;
  for (let i = s; i < e; i++) if ((b[i]! & 0xc0) !== 0x80) n++;
  return n;
}

/** Code-point order (differs from UTF-16 order only where astral characters meet U+E000–U+FFFF). */
function codePointLess(a: string, b: string): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) {
      x += x < 0xe000 ? 0x2000 : -0x800;
      y += y < 0xe000 ? 0x2000 : -0x800;
    }
    return x < y;
  }
  return a.length < b.length;
}

const SIMPLE_KEY = /^[\p{L}\p{N}_$]+$/u;

function pathKey(k: string, first: boolean): string {
  if (SIMPLE_KEY.test(k)) return first ? k : "." + k;
  return `[${JSON.stringify(k)}]`;
}

function show(s: string): string {
  return JSON.stringify(s.length > 60 ? s.slice(0, 57) + "…" : s);
}

function showChar(cp: number): string {
  const hex = "U+" + cp.toString(16).toUpperCase().padStart(4, "0");
  return cp >= 0x21 && cp < 0x7f ? `“${String.fromCharCode(cp)}”` : hex;
}

/** Hash-path trie: one node per requested position; `names` = the hash paths ending here. */
interface HashNode {
  names: string[];
  keys: Map<string, HashNode> | null;
  star: HashNode | null;
  /** A skip path ends here: the value is read and checked but not built (SKIPPED instead). */
  skip?: boolean;
}

const STAR = Symbol("[*]");

function parseHashPath(p: string): (string | typeof STAR)[] {
  let s = p;
  if (s.startsWith("$")) s = s.slice(1);
  if (s.startsWith(".")) s = s.slice(1);
  const out: (string | typeof STAR)[] = [];
  let i = 0;
  while (i < s.length) {
    if (s.startsWith("[*]", i)) {
      out.push(STAR);
      i += 3;
      continue;
    }
    if (out.length > 0) {
      if (s[i] !== ".") throw new TypeError(`hashPaths: cannot read ${JSON.stringify(p)} (expected "." or "[*]" at ${i})`);
      i++;
    }
    let j = i;
    while (j < s.length && s[j] !== "." && s[j] !== "[" && s[j] !== "]") j++;
    if (j === i) throw new TypeError(`hashPaths: cannot read ${JSON.stringify(p)} (empty key at ${i})`);
    out.push(s.slice(i, j));
    i = j;
  }
  return out;
}

function buildTrie(paths: readonly string[] | undefined, skipPaths: readonly string[] = []): HashNode | null {
  if ((!paths || paths.length === 0) && skipPaths.length === 0) return null;
  const root: HashNode = { names: [], keys: null, star: null };
  const walk = (p: string): HashNode => {
    let node = root;
    for (const seg of parseHashPath(p)) {
      if (seg === STAR) node = node.star ??= { names: [], keys: null, star: null };
      else {
        const keys = (node.keys ??= new Map());
        let next = keys.get(seg);
        if (!next) keys.set(seg, (next = { names: [], keys: null, star: null }));
        node = next;
      }
    }
    return node;
  };
  for (const p of skipPaths) walk(p).skip = true;
  for (const p of paths ?? []) {
    const node = walk(p);
    if (!node.names.includes(p)) node.names.push(p);
  }
  return root;
}

/** ASCII strings shorter than SHORT bytes go through the cache. */
const SHORT = 12;
const CACHE_SIZE = 4096;

// Parser states: what the next token may be.
const S_VALUE = 0; // a value (after ':' or ',' in an array, or at the root)
const S_ARRAY_FIRST = 1; // a value or ']'
const S_ARRAY_NEXT = 2; // ',' or ']'
const S_OBJ_FIRST = 3; // a key or '}'
const S_OBJ_KEY = 4; // a key (after ',')
const S_OBJ_COLON = 5; // ':'
const S_OBJ_NEXT = 6; // ',' or '}'
const S_DONE = 7; // only whitespace

const LIT_TRUE = [0x74, 0x72, 0x75, 0x65];
const LIT_FALSE = [0x66, 0x61, 0x6c, 0x73, 0x65];
const LIT_NULL = [0x6e, 0x75, 0x6c, 0x6c];

/**
 * The push parser. run(buf, start, end, final) consumes whole tokens and returns the offset of the
 * first byte it could not consume yet (an unfinished token at the end of a non-final buffer); the
 * caller keeps those bytes and hands them back at the front of the next buffer. Strings resume
 * where they stopped, so a long string spread over many chunks is scanned once.
 */
class Parser {
  /** Absolute offset of buf[0] of the buffer being run. */
  base = 0;
  line = 1;
  lineStart = 0;
  root: unknown = undefined;
  readonly spans: Record<string, (string | null)[]> = {};

  private state = S_VALUE;
  private depth = 0;
  private readonly maxDepth: number;
  /** The object of each open object frame. */
  private readonly cont: unknown[] = [];
  private readonly isObj: number[] = [];
  /** Elements of all open arrays, innermost last; each array frame's elements start at frameStart. */
  private vals: unknown[] = [];
  /** vals[0, top) are in use (the rest is stale, overwritten as the stack grows again). */
  private top = 0;
  private readonly frameStart: number[] = [];
  private readonly keys: string[] = [];
  private readonly prevKey: (string | null)[] = [];
  private readonly nodes: (HashNode | null)[] = [];
  private readonly trie: HashNode | null;

  // Open container spans being hashed (innermost last).
  private nSpans = 0;
  private readonly spanNames: string[][] = [];
  /** Made when a span first crosses the end of a buffer; a span within one buffer is hashed in one go. */
  private readonly spanHash: (Hash | null)[] = [];
  private readonly spanStart: number[] = [];
  private readonly spanDepth: number[] = [];
  private readonly spanCanon: boolean[] = [];

  // String scanner state (result, and resumption across buffers).
  private sVal = "";
  private sNonCanon = false;
  private sPending = false;
  private sRel = 0;
  private sNonAscii = false;
  private sEsc = false;
  private scratch = Buffer.allocUnsafe(256);
  private sLen = 0;
  /** A token (not a string) is unfinished at the end of the buffer. */
  private tokPending = false;
  private numVal = 0;

  constructor(options: StrictJsonOptions) {
    this.maxDepth = options.maxDepth ?? 64;
    this.trie = buildTrie(options.hashPaths, options.skipPaths);
  }

  // ---- paths ------------------------------------------------------------------------------

  /** Path of the value being read in the innermost container (child = true), or of that container. */
  private path(child: boolean): string {
    const n = child ? this.depth : this.depth - 1;
    let s = "";
    for (let k = 0; k < n; k++) {
      if (this.isObj[k]) s += pathKey(this.keys[k]!, s === "");
      else {
        let next = this.top;
        for (let j = k + 1; j < this.depth; j++) {
          if (!this.isObj[j]) {
            next = this.frameStart[j]!;
            break;
          }
        }
        s += `[${next - this.frameStart[k]!}]`;
      }
    }
    return s === "" ? "$" : s.startsWith("[") ? "$" + s : s;
  }

  /** Path for an error at the current state (a token pending = inside a value). */
  currentPath(): string {
    const st = this.state;
    if (st === S_DONE) return "$";
    if (st === S_VALUE) return this.path(true);
    if (st === S_ARRAY_FIRST) return this.path(this.sPending || this.tokPending);
    return this.path(false);
  }

  private fail(rule: Rule, pos: number, child: boolean, detail: string): Failure {
    return new Failure(rule, this.base + pos, this.path(child), detail);
  }

  /** The input ends at `end`: inside a token (a value's, or a key's when child is false), or between tokens. */
  private truncated(end: number, detail: string, child?: boolean): Failure {
    return new Failure("truncated", this.base + end, child === undefined ? this.currentPath() : this.path(child), detail);
  }

  // ---- spans ------------------------------------------------------------------------------

  private record(names: string[], digest: string | null): void {
    for (const n of names) {
      let list = Object.prototype.hasOwnProperty.call(this.spans, n) ? this.spans[n] : undefined;
      if (list === undefined) Object.defineProperty(this.spans, n, { value: (list = []), enumerable: true, writable: true, configurable: true });
      list.push(digest);
    }
  }

  private markNonCanonical(): void {
    for (let k = 0; k < this.nSpans; k++) this.spanCanon[k] = false;
  }

  /** Feeds the open spans' bytes up to `upTo` (exclusive) into their hashes; they continue at 0 of the next buffer. */
  flushSpans(buf: Buffer, upTo: number): void {
    for (let k = 0; k < this.nSpans; k++) {
      const s = this.spanStart[k]!;
      if (this.spanCanon[k] && upTo > s) (this.spanHash[k] ??= createHash("sha256")).update(buf.subarray(s, upTo));
      this.spanStart[k] = 0;
    }
  }

  private closeSpan(buf: Buffer, end: number): void {
    const k = --this.nSpans;
    let digest: string | null = null;
    if (this.spanCanon[k]) {
      const bytes = buf.subarray(this.spanStart[k]!, end);
      const h = this.spanHash[k];
      digest = h ? h.update(bytes).digest("hex") : sha256Once("sha256", bytes, "hex");
    }
    this.record(this.spanNames[k]!, digest);
    this.spanNames[k] = [];
    this.spanHash[k] = null;
  }

  /** Trie node of the value about to start (null when no hash path goes through it). */
  private childNode(): HashNode | null {
    const d = this.depth;
    if (d === 0) return this.trie;
    const pn = this.nodes[d - 1]!;
    if (pn === null) return null;
    return this.isObj[d - 1] ? (pn.keys?.get(this.keys[d - 1]!) ?? null) : pn.star;
  }

  // ---- values -----------------------------------------------------------------------------

  /** Stores a finished value in its container; returns the next state. */
  /** Depth of the container being skipped (skipPaths), or -1. */
  private skipAt = -1;

  private attach(v: unknown): number {
    const d = this.depth;
    if (this.skipAt >= 0 && d - 1 >= this.skipAt) {
      // Inside a skipped value: arrays keep nothing; objects keep their keys (for duplicate keys).
      if (this.isObj[d - 1] === 0) return S_ARRAY_NEXT;
      (this.cont[d - 1] as Record<string, unknown>)[this.keys[d - 1]!] = null;
      return S_OBJ_NEXT;
    }
    if (d !== 0 && this.isObj[d - 1] === 0) {
      this.vals[this.top++] = v;
      return S_ARRAY_NEXT;
    }
    return this.attachSlow(v);
  }

  private attachSlow(v: unknown): number {
    const d = this.depth;
    if (d === 0) {
      this.root = v;
      return S_DONE;
    }
    if (this.isObj[d - 1] === 0) {
      this.vals[this.top++] = v;
      return S_ARRAY_NEXT;
    }
    const o = this.cont[d - 1];
    const k = this.keys[d - 1]!;
    if (k === "__proto__") Object.defineProperty(o, k, { value: v, writable: true, enumerable: true, configurable: true });
    else (o as Record<string, unknown>)[k] = v;
    return S_OBJ_NEXT;
  }

  private open(pos: number, obj: boolean): void {
    if (this.depth >= this.maxDepth) {
      throw this.fail("depth", pos, true, `${obj ? "对象" : "数组"}嵌套超过 ${this.maxDepth} 层`);
    }
    const node = this.trie === null ? null : this.childNode();
    const d = this.depth++;
    if (obj) this.cont[d] = {};
    else this.frameStart[d] = this.top;
    this.isObj[d] = obj ? 1 : 0;
    this.keys[d] = "";
    this.prevKey[d] = null;
    this.nodes[d] = node;
    if (node !== null && node.skip && this.skipAt < 0) this.skipAt = d;
    if (node !== null && node.names.length > 0) {
      const k = this.nSpans++;
      this.spanNames[k] = node.names;
      this.spanHash[k] = null;
      this.spanStart[k] = pos;
      this.spanDepth[k] = d;
      this.spanCanon[k] = true;
    }
  }

  /** Closes the innermost container at buf[pos] (its ']' or '}'); returns the next state. */
  private close(buf: Buffer, pos: number): number {
    const d = --this.depth;
    let v: unknown;
    if (this.isObj[d]) {
      v = this.cont[d];
      this.cont[d] = undefined;
    } else {
      // An exact-size array (growing one by push would leave up to half its capacity unused).
      const start = this.frameStart[d]!;
      const vals = this.vals;
      const n = this.top - start;
      if (start === 0 && n > 1024) {
        // A big array at the bottom of the stack: the stack itself becomes the array.
        vals.length = n;
        v = vals;
        this.vals = [];
      } else {
        v = n === 0 ? [] : n === 1 ? [vals[start]] : n === 2 ? [vals[start], vals[start + 1]] : n === 3 ? [vals[start], vals[start + 1], vals[start + 2]] : vals.slice(start, this.top);
      }
      this.top = start;
    }
    this.nodes[d] = null;
    if (this.nSpans > 0 && this.spanDepth[this.nSpans - 1] === d) this.closeSpan(buf, pos + 1);
    if (d === this.skipAt) {
      this.skipAt = -1;
      v = SKIPPED;
    }
    return this.attach(v);
  }

  /** A scalar at buf[s, e) finished: hashes it when its path is requested. */
  private scalarSpan(buf: Buffer, s: number, e: number, canonical: boolean): void {
    const node = this.childNode();
    if (node !== null && node.names.length > 0) {
      this.record(node.names, canonical ? sha256Once("sha256", buf.subarray(s, e), "hex") : null);
    }
  }

  // ---- tokens -----------------------------------------------------------------------------

  /** Recently made short ASCII strings by a hash of their bytes: repeated codes (区划码, kinds, dates) are made once. */
  private readonly cache: string[] = new Array<string>(CACHE_SIZE).fill("");

  /** The plain ASCII string buf[s, s+n), n < SHORT, from the cache when it was made recently. */
  private shortString(b: Buffer, s: number, n: number): string {
    let h = n;
    for (let k = 0; k < n; k++) h = (Math.imul(h, 31) + b[s + k]!) | 0;
    h = (h ^ (h >>> 11)) & (CACHE_SIZE - 1);
    const c = this.cache[h]!;
    if (c.length === n) {
      let k = 0;
      while (k < n && c.charCodeAt(k) === b[s + k]) k++;
      if (k === n) return c;
    }
    const str = asciiShort(b, s, n);
    this.cache[h] = str;
    return str;
  }

  private ensureScratch(extra: number): void {
    if (this.sLen + extra <= this.scratch.length) return;
    let n = this.scratch.length * 2;
    while (n < this.sLen + extra) n *= 2;
    const next = Buffer.allocUnsafe(n);
    this.scratch.copy(next, 0, 0, this.sLen);
    this.scratch = next;
  }

  private copyRaw(buf: Buffer, s: number, e: number): void {
    if (e <= s) return;
    this.ensureScratch(e - s);
    buf.copy(this.scratch, this.sLen, s, e);
    this.sLen += e - s;
  }

  private putCodePoint(cp: number): void {
    this.ensureScratch(4);
    const b = this.scratch;
    let n = this.sLen;
    if (cp < 0x80) b[n++] = cp;
    else if (cp < 0x800) {
      b[n++] = 0xc0 | (cp >> 6);
      b[n++] = 0x80 | (cp & 0x3f);
    } else if (cp < 0x10000) {
      b[n++] = 0xe0 | (cp >> 12);
      b[n++] = 0x80 | ((cp >> 6) & 0x3f);
      b[n++] = 0x80 | (cp & 0x3f);
    } else {
      b[n++] = 0xf0 | (cp >> 18);
      b[n++] = 0x80 | ((cp >> 12) & 0x3f);
      b[n++] = 0x80 | ((cp >> 6) & 0x3f);
      b[n++] = 0x80 | (cp & 0x3f);
    }
    this.sLen = n;
  }

  private suspendString(q: number, i: number, end: number, final: boolean, nonAscii: boolean, esc: boolean, isKey: boolean): number {
    if (final) throw this.truncated(end, isKey ? "对象的键（字符串）缺少结束引号" : "字符串缺少结束引号", !isKey);
    this.sPending = true;
    this.sRel = i - q;
    this.sNonAscii = nonAscii;
    this.sEsc = esc;
    return -1;
  }

  private utf8Failure(buf: Buffer, i: number, end: number, child: boolean): Failure {
    const bytes: string[] = [];
    for (let k = i; k < end && k < i + 4; k++) bytes.push("0x" + buf[k]!.toString(16).toUpperCase().padStart(2, "0"));
    const cut = utf8Seq(buf, i, end) === 0;
    return this.fail("utf8", i, child, cut ? `输入在 UTF-8 序列 ${bytes.join(" ")} 中间结束` : `字节 ${bytes.join(" ")} 不是合法的 UTF-8 序列`);
  }

  /**
   * The string whose opening quote is buf[q]: returns the offset after its closing quote and
   * leaves the text in sVal (sNonCanon when an escape is not the canonical one), or −1 when the
   * buffer ends first (not final).
   */
  private scanString(buf: Buffer, q: number, end: number, final: boolean, isKey: boolean): number {
    if (!this.sPending) {
      // Fast path: printable ASCII without escapes, entirely in this buffer.
      let i = q + 1;
      while (i < end && CLS[buf[i]!] === 0) i++;
      if (i < end && buf[i] === 0x22) {
        this.sNonCanon = false;
        const n = i - q - 1;
        this.sVal = this.skipAt >= 0 && !isKey ? "" : n < SHORT ? this.shortString(buf, q + 1, n) : asciiShort(buf, q + 1, n);
        return i + 1;
      }
    }
    return this.scanStringSlow(buf, q, end, final, isKey);
  }

  private scanStringSlow(buf: Buffer, q: number, end: number, final: boolean, isKey: boolean): number {
    const child = !isKey;
    let i: number;
    let nonAscii: boolean;
    let esc: boolean;
    if (this.sPending) {
      this.sPending = false;
      i = q + this.sRel;
      nonAscii = this.sNonAscii;
      esc = this.sEsc;
    } else {
      i = q + 1;
      nonAscii = false;
      esc = false;
      this.sNonCanon = false;
    }
    if (!esc) {
      for (;;) {
        while (i < end && CLS[buf[i]!] === 0) i++;
        if (i >= end) return this.suspendString(q, i, end, final, nonAscii, false, isKey);
        const c = buf[i]!;
        if (c === 0x22) {
          this.sVal = nonAscii ? utf8(buf, q + 1, i) : i - q - 1 < SHORT ? this.shortString(buf, q + 1, i - q - 1) : asciiShort(buf, q + 1, i - q - 1);
          return i + 1;
        }
        if (c === 0x5c) {
          this.sLen = 0;
          this.copyRaw(buf, q + 1, i);
          break;
        }
        if (c < 0x20) throw this.fail("control", i, child, `字符串中出现未转义的控制字符 ${showChar(c)}（应写作转义序列）`);
        const n = utf8Seq(buf, i, end);
        if (n > 0) {
          nonAscii = true;
          i += n;
        } else if (n === 0 && !final) return this.suspendString(q, i, end, final, nonAscii, false, isKey);
        else throw this.utf8Failure(buf, i, end, child);
      }
    }
    let seg = i; // first raw byte not yet copied to scratch
    for (;;) {
      while (i < end && CLS[buf[i]!] === 0) i++;
      if (i >= end) {
        this.copyRaw(buf, seg, i);
        return this.suspendString(q, i, end, final, nonAscii, true, isKey);
      }
      const c = buf[i]!;
      if (c === 0x22) {
        this.copyRaw(buf, seg, i);
        this.sVal = nonAscii ? utf8(this.scratch, 0, this.sLen) : latin1(this.scratch, 0, this.sLen);
        return i + 1;
      }
      if (c === 0x5c) {
        this.copyRaw(buf, seg, i);
        seg = i;
        if (i + 1 >= end) return this.suspendString(q, i, end, final, nonAscii, true, isKey);
        const e = buf[i + 1]!;
        let cp: number;
        let n = 2;
        switch (e) {
          case 0x22:
            cp = 0x22;
            break;
          case 0x5c:
            cp = 0x5c;
            break;
          case 0x2f:
            cp = 0x2f;
            this.sNonCanon = true;
            break;
          case 0x62:
            cp = 8;
            break;
          case 0x66:
            cp = 12;
            break;
          case 0x6e:
            cp = 10;
            break;
          case 0x72:
            cp = 13;
            break;
          case 0x74:
            cp = 9;
            break;
          case 0x75: {
            if (i + 6 > end) return this.suspendString(q, i, end, final, nonAscii, true, isKey);
            cp = this.hex4(buf, i, i + 2, child);
            if (cp >= 0xd800 && cp <= 0xdbff) {
              if (i + 12 > end) {
                if (final && ((i + 6 < end && buf[i + 6] !== 0x5c) || (i + 7 < end && buf[i + 7] !== 0x75))) {
                  throw this.fail("surrogate", i, child, `转义 \\u${cp.toString(16)} 是高位代理项，其后缺少低位代理项 \\uDC00–\\uDFFF`);
                }
                return this.suspendString(q, i, end, final, nonAscii, true, isKey);
              }
              const lo = buf[i + 6] === 0x5c && buf[i + 7] === 0x75 ? this.hex4(buf, i + 6, i + 8, child) : -1;
              if (lo < 0xdc00 || lo > 0xdfff) {
                throw this.fail("surrogate", i, child, `转义 \\u${cp.toString(16)} 是高位代理项，其后缺少低位代理项 \\uDC00–\\uDFFF`);
              }
              cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
              n = 12;
              this.sNonCanon = true;
            } else if (cp >= 0xdc00 && cp <= 0xdfff) {
              throw this.fail("surrogate", i, child, `转义 \\u${cp.toString(16)} 是低位代理项，前面没有高位代理项`);
            } else {
              n = 6;
              const f = buf[i + 5]!;
              if (cp >= 0x20 || cp === 8 || cp === 9 || cp === 10 || cp === 12 || cp === 13 || (f >= 0x41 && f <= 0x46)) this.sNonCanon = true;
            }
            break;
          }
          default:
            throw this.fail("syntax", i, child, `无效的转义序列 \\${e >= 0x20 && e < 0x7f ? String.fromCharCode(e) : showChar(e)}`);
        }
        this.putCodePoint(cp);
        if (cp >= 0x80) nonAscii = true;
        i += n;
        seg = i;
        continue;
      }
      if (c < 0x20) throw this.fail("control", i, child, `字符串中出现未转义的控制字符 ${showChar(c)}（应写作转义序列）`);
      const n = utf8Seq(buf, i, end);
      if (n > 0) {
        nonAscii = true;
        i += n;
      } else if (n === 0 && !final) {
        this.copyRaw(buf, seg, i);
        return this.suspendString(q, i, end, final, nonAscii, true, isKey);
      } else throw this.utf8Failure(buf, i, end, child);
    }
  }

  /** The 4 hex digits at buf[h, h+4) of the escape at buf[at]. */
  private hex4(buf: Buffer, at: number, h: number, child: boolean): number {
    const a = HEX[buf[h]!]!;
    const b = HEX[buf[h + 1]!]!;
    const c = HEX[buf[h + 2]!]!;
    const d = HEX[buf[h + 3]!]!;
    if ((a | b | c | d) < 0) throw this.fail("syntax", at, child, "\\u 之后应为 4 位十六进制数字");
    return (a << 12) | (b << 8) | (c << 4) | d;
  }

  /** The number at buf[p]: offset after it (value in numVal), or −1 when it may continue past `end`. */
  private scanNumber(buf: Buffer, p: number, end: number, final: boolean): number {
    let i = p;
    const neg = buf[i] === 0x2d;
    if (neg) {
      i++;
      if (i >= end) {
        if (!final) return -1;
        throw this.truncated(end, "负号之后缺少数字", true);
      }
    }
    let c = buf[i]!;
    if (c < 0x30 || c > 0x39) throw this.fail("syntax", p, true, "负号之后应为数字");
    let v = 0;
    if (c === 0x30) {
      i++;
      if (i < end && buf[i]! >= 0x30 && buf[i]! <= 0x39) throw this.numberFail(buf, p, end, "有多余的前导零");
    } else {
      const first = i;
      while (i < end && (c = buf[i]!) >= 0x30 && c <= 0x39) {
        v = v * 10 + (c - 0x30);
        i++;
        if (i - first > 16) throw this.numberFail(buf, p, end, "超出安全整数范围 ±(2^53 − 1)");
      }
    }
    if (i >= end) {
      if (!final) return -1;
    } else {
      c = buf[i]!;
      if (c === 0x2e) throw this.numberFail(buf, p, end, "带小数部分（只允许整数；小数请写成字符串）");
      if (c === 0x65 || c === 0x45) throw this.numberFail(buf, p, end, "带指数部分（只允许整数的普通写法）");
    }
    if (neg && v === 0) throw this.numberFail(buf, p, end, "是 -0（应写作 0）");
    if (v > Number.MAX_SAFE_INTEGER) throw this.numberFail(buf, p, end, "超出安全整数范围 ±(2^53 − 1)");
    this.numVal = neg ? -v : v;
    return i;
  }

  private numberFail(buf: Buffer, p: number, end: number, why: string): Failure {
    let e = p;
    while (e < end && e < p + 40 && /[-+.0-9eE]/.test(String.fromCharCode(buf[e]!))) e++;
    return this.fail("number", p, true, `数字 ${latin1(buf, p, e)} ${why}`);
  }

  private scanLiteral(buf: Buffer, p: number, end: number, final: boolean, lit: number[]): number {
    for (let k = 0; k < lit.length; k++) {
      if (p + k >= end) {
        if (!final) return -1;
        throw this.truncated(end, `字面量 ${latin1(buf, p, end)} 不完整`, true);
      }
      if (buf[p + k] !== lit[k]) {
        let e = p + k + 1;
        while (e < end && e < p + 20 && /[A-Za-z0-9]/.test(String.fromCharCode(buf[e]!))) e++;
        throw this.fail("syntax", p, true, `无法识别的值 ${show(buf.toString("utf8", p, e))}（只允许 true、false、null）`);
      }
    }
    return p + lit.length;
  }

  /**
   * An unexpected byte at buf[pos]: a Failure to throw, or null when it starts a UTF-8 sequence
   * cut off by the end of a non-final buffer (to be looked at again with more bytes).
   */
  private unexpected(buf: Buffer, pos: number, end: number, final: boolean, child: boolean, expected: string): Failure | null {
    const c = buf[pos]!;
    let cp = c;
    if (c >= 0x80) {
      const n = utf8Seq(buf, pos, end);
      if (n === 0 && !final) return null;
      if (n <= 0) return this.utf8Failure(buf, pos, end, child);
      cp = decodeCodePoint(buf, pos, n);
      if (cp === 0xfeff && this.base + pos === 0) return this.fail("syntax", pos, child, "文件以 UTF-8 BOM（EF BB BF）开头，不允许");
    }
    if (this.state === S_DONE) return this.fail("trailing", pos, false, `顶层值之后出现多余内容 ${showChar(cp)}`);
    const what = cp < 0x20 || cp === 0x7f ? `控制字符 ${showChar(cp)}` : cp >= 0x80 ? `字符 ${String.fromCodePoint(cp)}（${showChar(cp)}）` : `字符 ${showChar(cp)}`;
    return this.fail("syntax", pos, child, `此处应为${expected}，却是${what}`);
  }

  // ---- the loop ---------------------------------------------------------------------------

  run(buf: Buffer, start: number, end: number, final: boolean): number {
    let pos = start;
    let state = this.state;
    this.tokPending = false;
    for (;;) {
      // whitespace
      let c = 0;
      const ws = pos;
      while (pos < end) {
        c = buf[pos]!;
        if (c > 0x20) break;
        if (c === 0x20 || c === 0x09 || c === 0x0d) pos++;
        else if (c === 0x0a) {
          pos++;
          this.line++;
          this.lineStart = this.base + pos;
        } else break;
      }
      if (pos !== ws && this.nSpans > 0) this.markNonCanonical();
      if (pos >= end) {
        this.state = state;
        if (!final || state === S_DONE) return end;
        throw this.truncated(
          end,
          state === S_VALUE
            ? this.depth === 0 && this.base + end === 0
              ? "输入为空"
              : "此处缺少值"
            : state === S_ARRAY_FIRST || state === S_ARRAY_NEXT
              ? "数组缺少结尾的 ]"
              : "对象缺少结尾的 }",
        );
      }
      let kind = state;
      if (state === S_ARRAY_FIRST) {
        if (c === 0x5d) {
          state = this.close(buf, pos);
          pos++;
          continue;
        }
        kind = S_VALUE;
      } else if (state === S_OBJ_FIRST) {
        if (c === 0x7d) {
          state = this.close(buf, pos);
          pos++;
          continue;
        }
        kind = S_OBJ_KEY;
      }
      switch (kind) {
        case S_VALUE:
          if (c === 0x22) {
            this.state = state;
            const r = this.scanString(buf, pos, end, final, false);
            if (r < 0) {
              this.state = state;
              return pos;
            }
            if (this.sNonCanon && this.nSpans > 0) this.markNonCanonical();
            if (this.trie !== null) this.scalarSpan(buf, pos, r, !this.sNonCanon);
            state = this.attach(this.sVal);
            pos = r;
            continue;
          }
          if ((c >= 0x30 && c <= 0x39) || c === 0x2d) {
            this.state = state;
            const r = this.scanNumber(buf, pos, end, final);
            if (r < 0) {
              this.tokPending = true;
              return pos;
            }
            if (this.trie !== null) this.scalarSpan(buf, pos, r, true);
            state = this.attach(this.numVal);
            pos = r;
            continue;
          }
          if (c === 0x7b || c === 0x5b) {
            this.state = state;
            this.open(pos, c === 0x7b);
            state = c === 0x7b ? S_OBJ_FIRST : S_ARRAY_FIRST;
            pos++;
            continue;
          }
          if (c === 0x74 || c === 0x66 || c === 0x6e) {
            this.state = state;
            const lit = c === 0x74 ? LIT_TRUE : c === 0x66 ? LIT_FALSE : LIT_NULL;
            const r = this.scanLiteral(buf, pos, end, final, lit);
            if (r < 0) {
              this.tokPending = true;
              return pos;
            }
            if (this.trie !== null) this.scalarSpan(buf, pos, r, true);
            state = this.attach(c === 0x74 ? true : c === 0x66 ? false : null);
            pos = r;
            continue;
          }
          break;
        case S_ARRAY_NEXT:
          if (c === 0x2c) {
            state = S_VALUE;
            pos++;
            continue;
          }
          if (c === 0x5d) {
            state = this.close(buf, pos);
            pos++;
            continue;
          }
          break;
        case S_OBJ_NEXT:
          if (c === 0x2c) {
            state = S_OBJ_KEY;
            pos++;
            continue;
          }
          if (c === 0x7d) {
            state = this.close(buf, pos);
            pos++;
            continue;
          }
          break;
        case S_OBJ_KEY:
          if (c === 0x22) {
            this.state = state;
            const r = this.scanString(buf, pos, end, final, true);
            if (r < 0) return pos;
            const key = this.sVal;
            const d = this.depth - 1;
            const o = this.cont[d] as object;
            if (Object.prototype.hasOwnProperty.call(o, key)) throw this.fail("duplicateKey", pos, false, `对象的键 ${show(key)} 重复出现`);
            if (this.nSpans > 0) {
              const prev = this.prevKey[d]!;
              if (this.sNonCanon || (prev !== null && !codePointLess(prev, key))) this.markNonCanonical();
              this.prevKey[d] = key;
            }
            this.keys[d] = key;
            state = S_OBJ_COLON;
            pos = r;
            continue;
          }
          break;
        case S_OBJ_COLON:
          if (c === 0x3a) {
            state = S_VALUE;
            pos++;
            continue;
          }
          break;
        case S_DONE:
          break;
      }
      // Nothing matched: an error (or a cut UTF-8 sequence to look at again).
      this.state = state;
      const expected =
        state === S_VALUE
          ? "一个值"
          : state === S_ARRAY_FIRST
            ? "一个值或 ]"
            : state === S_ARRAY_NEXT
              ? " , 或 ]"
              : state === S_OBJ_FIRST
                ? "键（带双引号的字符串）或 }"
                : state === S_OBJ_KEY
                  ? "键（带双引号的字符串）"
                  : state === S_OBJ_COLON
                    ? " :"
                    : " , 或 }";
      const f = this.unexpected(buf, pos, end, final, state === S_VALUE || state === S_ARRAY_FIRST, expected);
      if (f === null) {
        this.tokPending = true;
        return pos;
      }
      throw f;
    }
  }
}

function toError(f: Failure, line: number, column: number, noun: string): StrictJsonError {
  const where = `第 ${line} 行第 ${column} 列（${f.path}）`;
  const message =
    f.rule === "truncated"
      ? `${noun}在${where}处意外结束（不完整）：${f.detail}（${RULE_ZH.truncated}，truncated）`
      : `${where}：${f.detail}（${RULE_ZH[f.rule]}，${f.rule}）`;
  return new StrictJsonError(message, f.offset, line, column, f.path, f.rule);
}

/** A lone UTF-16 surrogate (a pair is one code point in a u-mode regex). */
const LONE_SURROGATE = /\p{Surrogate}/u;

/** Parses JSON text (a string, read as its UTF-8 encoding) or UTF-8 bytes under the strict rules. */
export function parseStrictJson<T = unknown>(input: string | Uint8Array, options: StrictJsonOptions = {}): StrictJsonResult<T> {
  const parser = new Parser(options);
  let buf: Buffer;
  if (typeof input === "string") {
    const m = LONE_SURROGATE.exec(input);
    if (m !== null) {
      // Everything before the lone surrogate is parsed first: an earlier error wins, and the
      // parser then knows the path at the surrogate.
      const prefix = Buffer.from(input.slice(0, m.index), "utf8");
      try {
        parser.run(prefix, 0, prefix.length, false);
      } catch (err) {
        if (err instanceof Failure) throw toError(err, parser.line, 1 + countCodePoints(prefix, parser.lineStart, err.offset), "输入");
        throw err;
      }
      const unit = input.charCodeAt(m.index).toString(16).toUpperCase();
      const f = new Failure("surrogate", prefix.length, parser.currentPath(), `文本含孤立的代理项 U+${unit}（无法编码为 UTF-8）`);
      throw toError(f, parser.line, 1 + countCodePoints(prefix, parser.lineStart, prefix.length), "输入");
    }
    buf = Buffer.from(input, "utf8");
  } else {
    buf = Buffer.isBuffer(input) ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  }
  try {
    parser.run(buf, 0, buf.length, true);
  } catch (err) {
    if (err instanceof Failure) throw toError(err, parser.line, 1 + countCodePoints(buf, parser.lineStart, err.offset), "输入");
    throw err;
  }
  return { value: parser.root as T, spans: parser.spans, bytes: buf.length };
}

/** Code points in the file's bytes [from, to): for the column of an error. */
async function countFileCodePoints(fh: FileHandle, from: number, to: number): Promise<number> {
  const buf = Buffer.allocUnsafe(Math.min(1 << 20, Math.max(1, to - from)));
  let n = 0;
  for (let p = from; p < to; ) {
    const { bytesRead } = await fh.read(buf, 0, Math.min(buf.length, to - p), p);
    if (bytesRead === 0) break;
    n += countCodePoints(buf, 0, bytesRead);
    p += bytesRead;
  }
  return n;
}

/**
 * Reads and parses a JSON file under the strict rules, chunk by chunk into one reused buffer
 * (grown only while a single token is longer than a chunk); the file's text is never held whole.
 */
export async function readStrictJsonFile<T = unknown>(path: string, options: StrictJsonOptions = {}): Promise<StrictJsonResult<T>> {
  const chunkSize = Math.max(1, Math.floor(options.chunkSize ?? 1 << 20));
  const parser = new Parser(options);
  const fh = await open(path, "r");
  // The next chunk is read into `incoming` while the current one is parsed in `work`.
  const incoming = Buffer.allocUnsafe(chunkSize);
  let pending: Promise<{ bytesRead: number }> | null = fh.read(incoming, 0, chunkSize, null);
  try {
    let work = Buffer.allocUnsafe(Math.max(2 * chunkSize, 64));
    let len = 0; // carried bytes at the front of work
    let total = 0;
    for (;;) {
      const { bytesRead } = await pending!;
      pending = null;
      if (work.length - len < bytesRead) {
        const next = Buffer.allocUnsafe(Math.max(2 * work.length, len + chunkSize));
        work.copy(next, 0, 0, len);
        work = next;
      }
      incoming.copy(work, len, 0, bytesRead);
      const final = bytesRead === 0;
      if (!final) pending = fh.read(incoming, 0, chunkSize, null);
      const end = len + bytesRead;
      total += bytesRead;
      let carry: number;
      try {
        carry = parser.run(work, 0, end, final);
      } catch (err) {
        if (err instanceof Failure) {
          await pending?.catch(() => undefined);
          pending = null;
          throw toError(err, parser.line, 1 + (await countFileCodePoints(fh, parser.lineStart, err.offset)), "文件");
        }
        throw err;
      }
      if (final) break;
      parser.flushSpans(work, carry);
      if (carry > 0 && carry < end) work.copyWithin(0, carry, end);
      len = end - carry;
      parser.base += carry;
    }
    return { value: parser.root as T, spans: parser.spans, bytes: total };
  } finally {
    await pending?.catch(() => undefined);
    await fh.close();
  }
}
