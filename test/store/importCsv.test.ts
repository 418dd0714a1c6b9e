/**
 * The import's CSV reader (src/directories/import/csvText.ts) against csv-parse, which it
 * replaced for speed: same records for the options the importer used, whatever the chunking.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { parse } from "csv-parse/sync";
import { CsvTextError, CsvTextReader } from "../../src/directories/import/csvText.ts";

const OPTIONS = { relax_column_count: true, relax_quotes: true, skip_empty_lines: false } as const;

function ours(text: string, sizes: number[], delimiter = ","): string[][] | "error" {
  const r = new CsvTextReader(delimiter, 1_000_000);
  const out: string[][] = [];
  try {
    let i = 0;
    let k = 0;
    while (i < text.length) {
      const n = Math.max(1, sizes[k++ % sizes.length]!);
      out.push(...r.push(text.slice(i, i + n)));
      i += n;
    }
    out.push(...r.end());
  } catch (e) {
    if (e instanceof CsvTextError) return "error";
    throw e;
  }
  return out;
}

function theirs(text: string, delimiter = ","): string[][] | "error" {
  try {
    return parse(text, { ...OPTIONS, delimiter }) as string[][];
  } catch {
    return "error";
  }
}

describe("CSV text reader", () => {
  it("reads the usual shapes", () => {
    expect(ours('a,b\r\n"x, y","say ""hi"""\r\n,\r\n\r\nlast', [1000])).toEqual([["a", "b"], ["x, y", 'say "hi"'], ["", ""], [""], ["last"]]);
    expect(ours('"multi\nline",2\n3,4\n', [3])).toEqual([["multi\nline", "2"], ["3", "4"]]);
    expect(ours('"a"b,c\n', [1000])).toEqual([['"a"b', "c"]]);
    expect(ours('a"b,c\n', [1000])).toEqual([['a"b', "c"]]);
    expect(ours('a,"open\n', [1000])).toBe("error");
    expect(ours("x;y\r\n1;2", [2], ";")).toEqual([["x", "y"], ["1", "2"]]);
  });

  it("property: same records as csv-parse, whatever the chunk boundaries", () => {
    const text = fc.array(fc.constantFrom("a", "b", ",", '"', "\r", "\n", "\r\n", " ", "中", ";", '""'), { maxLength: 40 }).map((a) => a.join(""));
    fc.assert(
      fc.property(text, fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 4 }), (t, sizes) => {
        expect(ours(t, sizes)).toEqual(theirs(t));
      }),
      { numRuns: 3000 },
    );
  });

  it("refuses a record over the size limit", () => {
    const r = new CsvTextReader(",", 10);
    expect(() => r.push("0123456789abcdef,x\n")).toThrow(CsvTextError);
  });
});
