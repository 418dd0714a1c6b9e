import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { parseStrictJson, readStrictJsonFile, StrictJsonError, type StrictJsonOptions } from "../../src/draws/jsonReader.ts";

// ---- an independent canonicalizer (not src/draws/canonicalJson.ts) ------------------------------

function codePoints(s: string): number[] {
  return Array.from(s, (ch) => ch.codePointAt(0)!);
}

function cpCompare(a: string, b: string): number {
  const x = codePoints(a);
  const y = codePoints(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
}

function canon(v: unknown): string {
  if (Array.isArray(v)) return "[" + v.map(canon).join(",") + "]";
  if (v !== null && typeof v === "object") {
    const o = v as Record<string, unknown>;
    return "{" + Object.keys(o).sort(cpCompare).map((k) => JSON.stringify(k) + ":" + canon(o[k])).join(",") + "}";
  }
  return JSON.stringify(v);
}

const sha = (s: string | Uint8Array): string => createHash("sha256").update(s).digest("hex");

// ---- helpers ---------------------------------------------------------------------------------

const dir = mkdtempSync(join(tmpdir(), "jsonReader-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fileNo = 0;
function file(content: string | Uint8Array): string {
  const p = join(dir, `f${fileNo++}.json`);
  writeFileSync(p, content);
  return p;
}

function errorOf(f: () => unknown): StrictJsonError {
  try {
    f();
  } catch (e) {
    if (e instanceof StrictJsonError) return e;
    throw e;
  }
  throw new Error("expected a StrictJsonError");
}

async function fileErrorOf(path: string, options?: StrictJsonOptions): Promise<StrictJsonError> {
  try {
    await readStrictJsonFile(path, options);
  } catch (e) {
    if (e instanceof StrictJsonError) return e;
    throw e;
  }
  throw new Error("expected a StrictJsonError");
}

function where(e: StrictJsonError) {
  return { rule: e.rule, path: e.path, line: e.line, column: e.column, offset: e.offset };
}

const bytes = (...b: number[]) => Uint8Array.from(b);
const utf8 = (s: string) => new Uint8Array(Buffer.from(s, "utf8"));
const cat = (...parts: (string | number[])[]) => Uint8Array.from(parts.flatMap((p) => (typeof p === "string" ? [...Buffer.from(p, "utf8")] : p)));

// ---- arbitrary JSON values -----------------------------------------------------------------------

const noLoneSurrogate = (s: string) => !/\p{Surrogate}/u.test(s);
const anyString = fc.string({ unit: "binary", maxLength: 12 }).filter(noLoneSurrogate);
const jsonValue = fc.letrec((tie) => ({
  v: fc.oneof(
    { depthSize: "small", maxDepth: 5 },
    fc.constant(null),
    fc.boolean(),
    fc.maxSafeInteger().map((n) => (n === 0 ? 0 : n)), // no -0: JSON has none
    anyString,
    fc.array(tie("v"), { maxLength: 5 }),
    fc.dictionary(anyString, tie("v"), { maxKeys: 5, noNullPrototype: true }),
  ),
})).v;

/** Renderings of a value: canonical, JSON.stringify order, pretty, and one with every string char \u-escaped. */
function renderings(v: unknown): string[] {
  const escapeAll = (s: string) =>
    '"' + Array.from(s, (ch) => Array.from({ length: ch.length }, (_, i) => "\\u" + ch.charCodeAt(i).toString(16).padStart(4, "0")).join("")).join("") + '"';
  const esc = (x: unknown): string => {
    if (typeof x === "string") return escapeAll(x);
    if (Array.isArray(x)) return "[" + x.map(esc).join(",") + "]";
    if (x !== null && typeof x === "object") {
      const o = x as Record<string, unknown>;
      return "{" + Object.keys(o).sort(cpCompare).map((k) => escapeAll(k) + ":" + esc(o[k])).join(",") + "}";
    }
    return JSON.stringify(x);
  };
  return [canon(v), JSON.stringify(v), JSON.stringify(v, null, 2), esc(v), " " + canon(v) + "\n"];
}

// ---- properties ------------------------------------------------------------------------------

describe("parseStrictJson: values and canonical spans", () => {
  it("reads back any JSON value; the root span's digest is sha256 of the text exactly when the text is canonical", () => {
    fc.assert(
      fc.property(jsonValue, (v) => {
        const c = canon(v);
        for (const text of renderings(v)) {
          const r = parseStrictJson(text, { hashPaths: ["$"] });
          expect(r.value).toEqual(v);
          expect(r.bytes).toBe(Buffer.byteLength(text));
          // Leading/trailing whitespace is outside the root value's span.
          const trimmed = text.replace(/^[ \n]+|[ \n]+$/g, "");
          expect(r.spans["$"]).toEqual([trimmed === c ? sha(c) : null]);
        }
        expect(parseStrictJson(c, { hashPaths: ["$"] }).spans["$"]).toEqual([sha(c)]);
        const pretty = JSON.stringify(v, null, 2);
        if (/[\n ]/.test(pretty.replace(/"(?:[^"\\]|\\.)*"/g, ""))) {
          expect(parseStrictJson(pretty, { hashPaths: ["$"] }).spans["$"]).toEqual([null]);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("gives one digest per occurrence of a [*] path, in document order, equal to the independent canonicalizer's", () => {
    fc.assert(
      fc.property(fc.array(jsonValue, { maxLength: 6 }), fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }), (items, pretty) => {
        const records = items.map((pub, i) => ({ id: i, public: pub }));
        const text = "{\"records\":[" + records.map((r, i) => (pretty[i] ? JSON.stringify(r, null, 1) : canon(r))).join(",") + "],\"z\":1}";
        const r = parseStrictJson(text, { hashPaths: ["records[*].public", "records[*]", "records", "$.z", "absent"] });
        expect(r.value).toEqual({ records, z: 1 });
        const nonEmptyContainer = (x: unknown) => x !== null && typeof x === "object" && Object.keys(x).length > 0;
        // A pretty record writes its public value with whitespace unless that value is a scalar or empty.
        const perRecord = (l: (string | null)[]) => (l.length === 0 ? undefined : l); // a path that never occurs is absent
        expect(r.spans["records[*].public"]).toEqual(perRecord(records.map((rec, i) => (pretty[i] && nonEmptyContainer(rec.public) ? null : sha(canon(rec.public))))));
        expect(r.spans["records[*]"]).toEqual(perRecord(records.map((rec, i) => (pretty[i] ? null : sha(canon(rec))))));
        expect(r.spans["records"]).toEqual([pretty.slice(0, records.length).some((p) => p) ? null : sha("[" + records.map(canon).join(",") + "]")]);
        expect(r.spans["$.z"]).toEqual([sha("1")]);
        expect("absent" in r.spans).toBe(false);
      }),
      { numRuns: 150 },
    );
  });

  it("reading a file in chunks of any size gives the same value and digests as parsing the whole text", async () => {
    await fc.assert(
      fc.asyncProperty(jsonValue, fc.integer({ min: 1, max: 40 }), fc.nat(4), async (v, chunkSize, which) => {
        const text = renderings(v)[which]!;
        const hashPaths = ["$", "[*]", "[*][*]"];
        const whole = parseStrictJson(text, { hashPaths });
        const chunked = await readStrictJsonFile(file(text), { hashPaths, chunkSize });
        expect(chunked).toEqual(whole);
      }),
      { numRuns: 150 },
    );
  });
});

describe("damaged texts", () => {
  const edit = fc.record({ at: fc.nat(), del: fc.nat(3), ins: fc.string({ unit: fc.constantFrom(..."{}[]:,\"\\ 0123456789.-+eEtrufalsn\n\t\u0001é😀".split(/(?:)/u)), maxLength: 3 }) });
  const damage = (text: string, edits: { at: number; del: number; ins: string }[]) =>
    edits.reduce((t, e) => {
      const chars = Array.from(t);
      const at = chars.length === 0 ? 0 : e.at % (chars.length + 1);
      chars.splice(at, e.del, e.ins);
      return chars.join("");
    }, text);

  it("accepts only what JSON.parse accepts, with the same value, and fails only with StrictJsonError", () => {
    fc.assert(
      fc.property(jsonValue, fc.array(edit, { minLength: 1, maxLength: 3 }), fc.boolean(), (v, edits, pretty) => {
        const text = damage(pretty ? JSON.stringify(v, null, 1) : JSON.stringify(v), edits);
        let strict: { value: unknown } | StrictJsonError;
        try {
          strict = parseStrictJson(text);
        } catch (e) {
          expect(e).toBeInstanceOf(StrictJsonError);
          strict = e as StrictJsonError;
          expect(strict.offset).toBeGreaterThanOrEqual(0);
          expect(strict.offset).toBeLessThanOrEqual(Buffer.byteLength(text));
        }
        let loose: unknown;
        try {
          loose = JSON.parse(text);
        } catch {
          expect(strict).toBeInstanceOf(StrictJsonError);
          return;
        }
        if (!(strict instanceof StrictJsonError)) expect(strict.value).toEqual(loose);
      }),
      { numRuns: 500 },
    );
  });

  it("reading the damaged text from a file in chunks gives the same value or the same error", async () => {
    await fc.assert(
      fc.asyncProperty(jsonValue, fc.array(edit, { minLength: 1, maxLength: 2 }), fc.integer({ min: 1, max: 16 }), async (v, edits, chunkSize) => {
        const text = damage(JSON.stringify(v, null, 1), edits);
        const p = file(text);
        let whole: unknown;
        try {
          whole = parseStrictJson(text, { hashPaths: ["$"] });
        } catch (e) {
          expect(where(await fileErrorOf(p, { chunkSize }))).toEqual(where(e as StrictJsonError));
          return;
        }
        expect(await readStrictJsonFile(p, { chunkSize, hashPaths: ["$"] })).toEqual(whole);
      }),
      { numRuns: 150 },
    );
  });
});

describe("canonical spans: what is and is not canonical", () => {
  const digest = (text: string) => parseStrictJson(text, { hashPaths: ["$"] }).spans["$"]![0];
  it("accepts exactly JSON.stringify's escapes", () => {
    for (const t of ['"\\"\\\\\\b\\f\\n\\r\\t"', '"\\u0000\\u001f\\u000b"', '"中文😀\u007f\u2028"', "[]", "{}", '{"":0}', "-12", "true"]) {
      expect(digest(t), t).toBe(sha(t));
      expect(canon(parseStrictJson(t).value)).toBe(t);
    }
  });
  it("rejects other escape forms, whitespace and key order", () => {
    for (const t of ['"\\/"', '"\\u001F"', '"\\u000a"', '"\\u0041"', '"\\u00e9"', '"\\ud83d\\ude00"', "[1, 2]", "[1,\n2]", '{"b":1,"a":2}', '{"a" :1}', '{"a":{"y":1,"x":2}}']) {
      expect(digest(t), t).toBe(null);
    }
  });
  it("orders keys by code point, not by UTF-16 unit", () => {
    // U+FF5E is one unit 0xFF5E; U+1F600 is 0xD83D 0xDE00: UTF-16 order puts the emoji first, code points do not.
    expect(digest('{"～":1,"😀":2}')).toBe(sha('{"～":1,"😀":2}'));
    expect(digest('{"😀":2,"～":1}')).toBe(null);
    expect(digest('{"a":1,"ab":2,"b":3}')).not.toBe(null);
    expect(digest('{"ab":1,"a":2}')).toBe(null);
  });
  it("hashes only the value's own bytes (surrounding whitespace is outside)", () => {
    const r = parseStrictJson('{ "inputs" : { "public" : {"a":[1,"x"]} , "n": 2 } }', { hashPaths: ["inputs.public", "inputs"] });
    expect(r.spans["inputs.public"]).toEqual([sha('{"a":[1,"x"]}')]);
    expect(r.spans["inputs"]).toEqual([null]);
  });
  it("accepts \"\" as well as \"$\" for the root, and a leading \"$.\"", () => {
    const r = parseStrictJson('{"a":[1]}', { hashPaths: ["", "$", "$.a", "a[*]"] });
    expect(r.spans).toEqual({ "": [sha('{"a":[1]}')], $: [sha('{"a":[1]}')], "$.a": [sha("[1]")], "a[*]": [sha("1")] });
  });
  it("rejects hash paths it cannot read", () => {
    expect(() => parseStrictJson("1", { hashPaths: ["a[3]"] })).toThrow(TypeError);
    expect(() => parseStrictJson("1", { hashPaths: ["a..b"] })).toThrow(TypeError);
  });
});

// ---- the rules -------------------------------------------------------------------------------

describe("the rules, each with its rule, path, line and column", () => {
  const cases: [string, string | Uint8Array, Partial<ReturnType<typeof where>>][] = [
    ["duplicate key", '{\n  "inputs": {\n    "batch": {"name": 1, "name": 2}}}', { rule: "duplicateKey", path: "inputs.batch", line: 3, column: 26, offset: 41 }],
    ["duplicate key written with an escape", '{"a":1,"\\u0061":2}', { rule: "duplicateKey", path: "$", line: 1, column: 8 }],
    ["fraction", '{"n":1.0}', { rule: "number", path: "n", line: 1, column: 6 }],
    ["exponent", "[1e2]", { rule: "number", path: "$[0]", column: 2 }],
    ["upper-case exponent", "[1E2]", { rule: "number", path: "$[0]" }],
    ["leading zero", '{"a":[0,01]}', { rule: "number", path: "a[1]", column: 9 }],
    ["minus zero", "[-0]", { rule: "number", path: "$[0]" }],
    ["beyond the safe range", "[9007199254740992]", { rule: "number", path: "$[0]" }],
    ["far beyond the safe range", "[-123456789012345678901]", { rule: "number", path: "$[0]" }],
    ["plus sign", "[+1]", { rule: "syntax", path: "$[0]" }],
    ["bare minus", "[-x]", { rule: "syntax", path: "$[0]" }],
    ["overlong UTF-8", cat('{"k":"', [0xc0, 0x80], '"}'), { rule: "utf8", path: "k", column: 7, offset: 6 }],
    ["overlong 3-byte", cat('["', [0xe0, 0x80, 0xaf], '"]'), { rule: "utf8", path: "$[0]" }],
    ["UTF-8-encoded surrogate", cat('["', [0xed, 0xa0, 0x80], '"]'), { rule: "utf8", path: "$[0]", column: 3 }],
    ["beyond U+10FFFF", cat('["', [0xf4, 0x90, 0x80, 0x80], '"]'), { rule: "utf8" }],
    ["lead byte F5", cat('["', [0xf5, 0x80, 0x80, 0x80], '"]'), { rule: "utf8" }],
    ["lone continuation byte", cat('["a', [0x80], '"]'), { rule: "utf8", column: 4 }],
    ["cut sequence", cat('["', [0xe4, 0xb8], '"]'), { rule: "utf8", offset: 2 }],
    ["cut sequence at the end of the input", cat('["', [0xe4, 0xb8]), { rule: "utf8", offset: 2 }],
    ["invalid byte outside strings", cat("[", [0xff], "]"), { rule: "utf8", path: "$[0]" }],
    ["BOM", cat([0xef, 0xbb, 0xbf], "{}"), { rule: "syntax", path: "$", line: 1, column: 1, offset: 0 }],
    ["lone high surrogate escape", '{"s":"a\\ud800"}', { rule: "surrogate", path: "s", column: 8 }],
    ["high surrogate then a non-surrogate escape", '["\\ud800\\u0041"]', { rule: "surrogate", path: "$[0]" }],
    ["lone low surrogate escape", '["\\udc00"]', { rule: "surrogate", path: "$[0]", column: 3 }],
    ["low before high", '["\\ude00\\ud83d"]', { rule: "surrogate" }],
    ["raw control character", '{"a":"x\ty"}', { rule: "control", path: "a", column: 8, offset: 7 }],
    ["raw line feed in a string", '[\n"x\ny"]', { rule: "control", path: "$[0]", line: 2, column: 3 }],
    ["raw control character in a key", '{"a\u0001":1}', { rule: "control", path: "$" }],
    ["NUL", '["\u0000"]', { rule: "control" }],
    ["trailing", '{"a":1} {"b":2}', { rule: "trailing", path: "$", column: 9, offset: 8 }],
    ["trailing comma", "[1,2,]", { rule: "syntax", path: "$[2]", column: 6 }],
    ["trailing comma in an object", '{"a":1,}', { rule: "syntax", path: "$", column: 8 }],
    ["truncated object", '{"a":[1,2', { rule: "truncated", path: "a", line: 1, column: 10, offset: 9 }],
    ["truncated string", '{"a":"xy', { rule: "truncated", path: "a", column: 9 }],
    ["truncated after a key", '{"a"', { rule: "truncated", path: "$" }],
    ["truncated after a colon", '{"a":', { rule: "truncated", path: "a" }],
    ["truncated literal", "[tru", { rule: "truncated", path: "$[0]" }],
    ["truncated escape", '["\\u00', { rule: "truncated", path: "$[0]" }],
    ["truncated surrogate pair", '["\\ud83d\\u', { rule: "truncated", path: "$[0]" }],
    ["empty input", "", { rule: "truncated", path: "$", line: 1, column: 1, offset: 0 }],
    ["only whitespace", " \n ", { rule: "truncated", path: "$", line: 2, column: 2, offset: 3 }],
    ["form feed as whitespace", "[1,\f2]", { rule: "syntax", path: "$[1]" }],
    ["no-break space as whitespace", "[1,\u00a02]", { rule: "syntax", path: "$[1]", column: 4 }],
    ["U+2028 as whitespace", "{\u2028}", { rule: "syntax", path: "$" }],
    ["single quotes", "['a']", { rule: "syntax", path: "$[0]" }],
    ["NaN", "[NaN]", { rule: "syntax", path: "$[0]" }],
    ["unquoted key", "{a:1}", { rule: "syntax", path: "$" }],
    ["missing colon", '{"a" 1}', { rule: "syntax", path: "$", column: 6 }],
    ["invalid escape", '["\\x"]', { rule: "syntax", path: "$[0]" }],
    ["bad hex in \\u", '["\\u12g4"]', { rule: "syntax", path: "$[0]" }],
    ["misspelt literal", '{"ok":ture}', { rule: "syntax", path: "ok" }],
    ["key needing brackets in the path", '{"a b":{"c.d":[1.5]}}', { rule: "number", path: '$["a b"]["c.d"][0]' }],
    ["Chinese keys in the path", '{"批次":{"名称":01}}', { rule: "number", path: "批次.名称", column: 13 }],
  ];
  for (const [name, input, expected] of cases) {
    it(name, () => {
      const e = errorOf(() => parseStrictJson(input));
      expect(where(e)).toMatchObject(expected);
    });
  }

  it("reports a column in characters, not bytes or UTF-16 units", () => {
    const e = errorOf(() => parseStrictJson('{"名称😀":"中",\n "值":1.5}'));
    expect(where(e)).toEqual({ rule: "number", path: "值", line: 2, column: 6, offset: Buffer.byteLength('{"名称😀":"中",\n "值":') });
  });

  it("a lone surrogate in a JS string input → surrogate, at its place", () => {
    const e = errorOf(() => parseStrictJson('{"k":["a",\n  "b\ud800c"]}'));
    expect(where(e)).toEqual({ rule: "surrogate", path: "k[1]", line: 2, column: 5, offset: 15 });
    // An earlier error wins over the surrogate.
    expect(errorOf(() => parseStrictJson('[01,"\udc00"]')).rule).toBe("number");
    // A surrogate pair in a JS string is of course fine.
    expect(parseStrictJson('["😀"]').value).toEqual(["😀"]);
  });

  it("nesting beyond maxDepth → depth (default 64)", () => {
    expect(where(errorOf(() => parseStrictJson('{"a":[[[1]]]}', { maxDepth: 3 })))).toMatchObject({ rule: "depth", path: "a[0][0]", column: 8 });
    expect(parseStrictJson('{"a":[[1]]}', { maxDepth: 3 }).value).toEqual({ a: [[1]] });
    const deep = (n: number) => "[".repeat(n) + "]".repeat(n);
    expect(() => parseStrictJson(deep(64))).not.toThrow();
    expect(errorOf(() => parseStrictJson(deep(65))).rule).toBe("depth");
    expect(parseStrictJson("7", { maxDepth: 0 }).value).toBe(7);
    // An explicit stack: no recursion limit to hit with a large maxDepth.
    expect(() => parseStrictJson(deep(100_000), { maxDepth: 100_000 })).not.toThrow();
  });

  it("accepts what RFC 8259 allows within the rules", () => {
    expect(parseStrictJson(' \t\r\n{"a" : [ -9007199254740991 , 9007199254740991, 0, -1 ] ,"b":"\\/"}\r\n').value).toEqual({
      a: [-9007199254740991, 9007199254740991, 0, -1],
      b: "/",
    });
    expect(parseStrictJson(utf8('["\\ud83d\\ude00", "😀", "\\u00e9é"]')).value).toEqual(["😀", "😀", "éé"]);
    expect(parseStrictJson('"1.5e3"').value).toBe("1.5e3");
    expect(parseStrictJson("null").value).toBe(null);
  });

  it("keeps __proto__ as an own key, like JSON.parse", () => {
    const v = parseStrictJson<Record<string, unknown>>('{"__proto__":{"x":1},"y":2}').value;
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect(Object.keys(v)).toEqual(["__proto__", "y"]);
    expect(v).toEqual(JSON.parse('{"__proto__":{"x":1},"y":2}'));
    expect(errorOf(() => parseStrictJson('{"__proto__":1,"__proto__":2}')).rule).toBe("duplicateKey");
  });

  it("writes the message in Chinese, naming line, column, path and rule", () => {
    const e = errorOf(() => parseStrictJson('{\n  "inputs": {\n    "batch": {"name": 1, "name": 2}}}'));
    expect(e.message).toBe('第 3 行第 26 列（inputs.batch）：对象的键 "name" 重复出现（键重复，duplicateKey）');
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe("StrictJsonError");
    for (const bad of ["[1.5]", '["\\ud800"]', "[1] 2", '{"a":1,"a":2}', cat('["', [0xc0, 0x80], '"]'), '["\u0001"]']) {
      const m = errorOf(() => parseStrictJson(bad)).message;
      expect(m).toMatch(/^第 \d+ 行第 \d+ 列（[^）]+）：/);
      expect(m).toMatch(/（[^（）]+，(syntax|duplicateKey|number|utf8|surrogate|depth|trailing|truncated|control)）$/);
    }
    expect(errorOf(() => parseStrictJson('{"a":[1,2')).message).toBe("输入在第 1 行第 10 列（a）处意外结束（不完整）：数组缺少结尾的 ]（不完整，truncated）");
  });
});

// ---- files and chunk boundaries ----------------------------------------------------------------

describe("readStrictJsonFile across chunk boundaries", () => {
  const tricky =
    '{"ascii":"91350100MA2XYW000B","esc":"caf\\u00e9 \\"q\\" \\\\ \\n","pair":"\\ud83d\\ude00\\ud83d\\ude01","mb":"中文😀é","n":[12345,-9007199254740991,0,7],' +
    '"lits":[true,false,null],"nested":{"a":[{"b":"x"}],"c":{}},"z":"' +
    "x".repeat(300) +
    '"}';
  const hashPaths = ["$", "esc", "pair", "mb", "n", "n[*]", "lits[*]", "nested", "nested.a[*].b", "z"];

  it("gives the same value and digests for every chunk size", async () => {
    const whole = parseStrictJson(tricky, { hashPaths });
    expect(whole.spans["$"]).toEqual([null]); // \u00e9 is not canonical
    expect(whole.spans["mb"]).toEqual([sha('"中文😀é"')]);
    expect(whole.spans["n[*]"]).toEqual(["12345", "-9007199254740991", "0", "7"].map(sha));
    expect(whole.spans["nested"]).toEqual([sha('{"a":[{"b":"x"}],"c":{}}')]);
    const p = file(tricky);
    for (let chunkSize = 1; chunkSize <= 80; chunkSize++) {
      expect(await readStrictJsonFile(p, { hashPaths, chunkSize }), `chunkSize ${chunkSize}`).toEqual(whole);
    }
    expect(await readStrictJsonFile(p, { hashPaths })).toEqual(whole);
  });

  it("splits a canonical document anywhere and still hashes it whole", async () => {
    const v = { codes: ["91350100MA2XYW000B", "中😀"], rows: [[1, "a\n", "2a39daaf084457a3"]], t: true };
    const text = canon(v);
    const p = file(text);
    for (let chunkSize = 1; chunkSize <= text.length + 1; chunkSize++) {
      const r = await readStrictJsonFile(p, { hashPaths: ["$", "rows[*]", "codes"], chunkSize });
      expect(r.value).toEqual(v);
      expect(r.spans).toEqual({ $: [sha(text)], "rows[*]": [sha(canon(v.rows[0]))], codes: [sha(canon(v.codes))] });
      expect(r.bytes).toBe(Buffer.byteLength(text));
    }
  });

  it("reads a string far longer than a chunk", async () => {
    const long = "é".repeat(50_000) + "\\u0041" + "z".repeat(50_000);
    const p = file(`["${long}"]`);
    const r = await readStrictJsonFile(p, { chunkSize: 1000, hashPaths: ["[*]"] });
    expect(r.value).toEqual(["é".repeat(50_000) + "A" + "z".repeat(50_000)]);
    expect(r.spans["[*]"]).toEqual([null]);
  });

  it("reports the same error, line and column as parseStrictJson, for every chunk size", async () => {
    const bad: (string | Uint8Array)[] = [
      '{\n "a": [1,\n  2.5]}',
      '{"名称😀":"中",\n "值":"a\\ud800"}',
      '{"x":"中文',
      cat('{"k":\n"ab', [0xe4, 0xb8], '"}'),
      cat('["a', [0xe4, 0xb8]),
      cat([0xef, 0xbb, 0xbf], "[]"),
      '{"a":1,\n"a":2}',
      "[1] [2]",
      "[-0]",
      "[12345",
    ];
    for (const b of bad) {
      const expected = where(errorOf(() => parseStrictJson(b)));
      const p = file(b);
      for (const chunkSize of [1, 2, 3, 5, 7, 64]) {
        const e = await fileErrorOf(p, { chunkSize });
        expect(where(e), `${String(b)} / ${chunkSize}`).toEqual(expected);
      }
    }
    const m = (await fileErrorOf(file('{"a":[1,2'))).message;
    expect(m).toBe("文件在第 1 行第 10 列（a）处意外结束（不完整）：数组缺少结尾的 ]（不完整，truncated）");
  });

  it("reads a top-level number at the very end of the file", async () => {
    for (const chunkSize of [1, 2, 3]) expect((await readStrictJsonFile(file("-42"), { chunkSize })).value).toBe(-42);
    expect(await readStrictJsonFile(file(" 0 "), { hashPaths: ["$"] })).toEqual({ value: 0, spans: { $: [sha("0")] }, bytes: 3 });
  });

  it("accepts Uint8Array and Buffer input alike", () => {
    const b = utf8('{"a":"中"}');
    expect(parseStrictJson(b).value).toEqual({ a: "中" });
    expect(parseStrictJson(Buffer.from(b)).value).toEqual({ a: "中" });
    expect(parseStrictJson(b.subarray(5, 10)).value).toBe("中");
    expect(parseStrictJson(bytes(0x31)).bytes).toBe(1);
  });
});

describe("skipPaths", () => {
  it("a skipped value is checked and hashed but not built", async () => {
    const { parseStrictJson, SKIPPED, StrictJsonError } = await import("../../src/draws/jsonReader.ts");
    const { createHash } = await import("node:crypto");
    const text = '{"a":{"results":{"rows":[["x",1],["y",2]]},"z":1},"b":[{"results":[1,2,3]},{"results":{"k":"v"}}]}';
    const r = parseStrictJson<{ a: { results: unknown; z: number }; b: { results: unknown }[] }>(text, { skipPaths: ["a.results", "b[*].results"], hashPaths: ["a.results", "a"] });
    expect(r.value.a.results).toBe(SKIPPED);
    expect(r.value.a.z).toBe(1);
    expect(r.value.b.map((x) => x.results)).toEqual([SKIPPED, SKIPPED]);
    const sha = (s: string) => createHash("sha256").update(s).digest("hex");
    expect(r.spans["a.results"]).toEqual([sha('{"rows":[["x",1],["y",2]]}')]);
    expect(r.spans.a).toEqual([sha('{"results":{"rows":[["x",1],["y",2]]},"z":1}')]);
    // every rule still applies inside a skipped value
    expect(() => parseStrictJson('{"a":{"results":{"k":1,"k":2}}}', { skipPaths: ["a.results"] })).toThrow(StrictJsonError);
    expect(() => parseStrictJson('{"a":{"results":[1.5]}}', { skipPaths: ["a.results"] })).toThrow(/number|数/);
    expect(() => parseStrictJson('{"a":{"results":["\\ud800"]}}', { skipPaths: ["a.results"] })).toThrow(StrictJsonError);
  });
});
