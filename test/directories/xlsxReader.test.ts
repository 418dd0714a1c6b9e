import { describe, expect, it } from "vitest";
import fc from "fast-check";
import ExcelJS from "exceljs";
import { ImportError, readXlsxGrids, readXlsxRowBatches, SpreadsheetLimitError, type XlsxLimits, type XlsxRow } from "../../src/directories/import/index.ts";
import { buildXlsx, sheetXml, zip, type TestCell } from "./xlsxWriter.ts";
import { inChunks } from "./helpers.ts";

async function rowsOf(bytes: Uint8Array | AsyncIterable<Uint8Array>, limits: Partial<XlsxLimits> = {}, sheet?: string): Promise<XlsxRow[]> {
  const out: XlsxRow[] = [];
  for await (const b of readXlsxRowBatches(bytes, { limits, ...(sheet ? { sheet } : {}) })) out.push(...b);
  return out;
}

async function refusal(p: Promise<unknown>): Promise<ImportError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ImportError);
    return e as ImportError;
  }
  throw new Error("expected the workbook to be refused");
}

describe("xlsx reader: content", () => {
  it("reads shared strings written after the sheet (Excel's part order), inline strings, numbers, booleans, date styles", async () => {
    const rows: TestCell[][] = [
      [{ shared: 0 }, { shared: 1 }, "日期"],
      [{ shared: 2 }, 460100000000123, { n: 41789, s: 1 }],
      [null, true, { n: 41789, s: 2 }],
      ["x", 12.5, { n: 41789, s: 3 }],
    ];
    const bytes = buildXlsx({ sheets: [{ name: "名录", xml: sheetXml(rows) }], sharedStrings: ["统一社会信用代码", "名称", "示例甲公司"] });
    const got = await rowsOf(bytes);
    expect(got.map((r) => r.row)).toEqual([1, 2, 3, 4]);
    expect(got[0]!.cells).toEqual(["统一社会信用代码", "名称", "日期"]);
    expect(got[1]!.cells.slice(0, 2)).toEqual(["示例甲公司", 460100000000123]);
    expect(got[1]!.cells[2]).toEqual(new Date(Date.UTC(2014, 4, 30)));
    expect(got[2]!.cells).toEqual([null, true, new Date(Date.UTC(2014, 4, 30))]);
    expect(got[3]!.cells).toEqual(["x", 12.5, 41789]); // numFmt 49 (text) is not a date
  });

  it("agrees with exceljs on a workbook exceljs wrote (rich text, formulas' cached results, sparse cells)", async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("第一页");
    ws.addRow(["代码", "名称", "数量"]);
    ws.addRow(["91460100MA5T000000", { richText: [{ text: "示例" }, { text: "乙店" }] }, { formula: "1+1", result: 2 }]);
    ws.getCell("F5").value = "远处";
    wb.addWorksheet("第二页").addRow(["另一页"]);
    const bytes = Buffer.from(await wb.xlsx.writeBuffer());
    const got = await rowsOf(bytes);
    expect(got).toEqual([
      { row: 1, cells: ["代码", "名称", "数量"] },
      { row: 2, cells: ["91460100MA5T000000", "示例乙店", 2] },
      { row: 5, cells: [null, null, null, null, null, "远处"] },
    ]);
    expect(await rowsOf(bytes, {}, "第二页")).toEqual([{ row: 1, cells: ["另一页"] }]);
    await expect(rowsOf(bytes, {}, "没有")).rejects.toThrow(/没有名为“没有”的工作表/);
  });

  it("reads a stream in any chunking the same as the buffer", async () => {
    const rows: TestCell[][] = Array.from({ length: 300 }, (_, i) => [`名称${i}`, i, { shared: i % 3 }]);
    const bytes = buildXlsx({ sheets: [{ name: "a", xml: sheetXml(rows) }], sharedStrings: ["甲", "乙", "丙"] });
    const whole = await rowsOf(bytes);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 1, max: 5000 }), { minLength: 1, maxLength: 5 }), async (sizes) => {
        expect(await rowsOf(inChunks(bytes, sizes))).toEqual(whole);
      }),
      { numRuns: 15 },
    );
  });

  it("grids carry merged ranges", async () => {
    const bytes = buildXlsx({ sheets: [{ name: "清单", xml: sheetXml([["标题", null, null], ["a", "b", "c"]], { merges: ["A1:C1"] }) }] });
    const [g] = await readXlsxGrids(bytes);
    expect(g!.merges).toEqual(["A1:C1"]);
    expect(g!.rows).toHaveLength(2);
  });
});

describe("xlsx reader: hostile workbooks are refused, naming the limit", () => {
  it("a sheet whose declared inflated size is beyond the part limit is refused before inflating", async () => {
    // 64 MiB of one repeated row compresses to ~64 KiB: a small bomb (the benchmark uses 1 GiB)
    const row = Buffer.from('<row><c t="inlineStr"><is><t>AAAAAAAAAAAAAAAAAAAAAAAA</t></is></c></row>');
    const body = Buffer.concat([Buffer.from("<worksheet><sheetData>"), Buffer.alloc(64 * 1024 * 1024 - 64, row), Buffer.from("</sheetData></worksheet>")]);
    const bytes = buildXlsx({ sheets: [{ name: "bomb", xml: body }] });
    expect(bytes.length).toBeLessThan(1024 * 1024);
    const e = await refusal(rowsOf(bytes, { maxPartBytes: 16 * 1024 * 1024 }));
    expect(e).toBeInstanceOf(SpreadsheetLimitError);
    expect((e as SpreadsheetLimitError).limit).toBe("maxPartBytes");
    expect(e.message).toContain("maxPartBytes");
  });

  it("an archive that lies about the inflated size is refused while inflating (never trusted)", async () => {
    const xml = sheetXml(Array.from({ length: 2000 }, (_, i) => [`行${i}`, i]));
    const bytes = buildXlsx({ sheets: [{ name: "lie", xml, declaredSize: 1000 }] });
    const e = await refusal(rowsOf(bytes));
    expect(e.code).toBe("xlsx");
    expect(e.message).toMatch(/解压后的字节数与 ZIP 目录所记的 1000 字节不符/);
    expect(e.message).not.toMatch(/bytes|stream/);
  });

  it("rows and cells without `r` follow one another; past the row limit they are refused by the limit", async () => {
    const plain = (n: number) => `<worksheet><sheetData>${"<row><c><v>7</v></c><c><v>8</v></c></row>".repeat(n)}</sheetData></worksheet>`;
    const got = await rowsOf(buildXlsx({ sheets: [{ name: "s", xml: plain(3) }] }));
    expect(got).toEqual([1, 2, 3].map((row) => ({ row, cells: [7, 8] })));
    const e = await refusal(rowsOf(buildXlsx({ sheets: [{ name: "s", xml: plain(30) }] }), { maxRows: 20 }));
    expect((e as SpreadsheetLimitError).limit).toBe("maxRows");
    expect(e.message).not.toMatch(/undefined/);
    const after = `<worksheet><sheetData><row r="5"><c><v>1</v></c></row><row><c><v>2</v></c></row><row r="6"><c><v>3</v></c></row></sheetData></worksheet>`;
    const bad = await refusal(rowsOf(buildXlsx({ sheets: [{ name: "s", xml: after }] })));
    expect(bad.message).toMatch(/行号 6 无效/);
  });

  it("rows, cells, shared strings and cell length limits", async () => {
    const many = buildXlsx({ sheets: [{ name: "s", xml: sheetXml(Array.from({ length: 50 }, (_, i) => [i])) }] });
    expect(((await refusal(rowsOf(many, { maxRows: 49 }))) as SpreadsheetLimitError).limit).toBe("maxRows");
    expect(await rowsOf(many, { maxRows: 50 })).toHaveLength(50);

    const wide = buildXlsx({ sheets: [{ name: "s", xml: `<worksheet><sheetData><row r="1"><c r="XFD1"><v>1</v></c></row><row r="2"><c r="XFD2"><v>1</v></c></row></sheetData></worksheet>` }] });
    expect(((await refusal(rowsOf(wide, { maxCells: 20_000 }))) as SpreadsheetLimitError).limit).toBe("maxCells");

    const strings = buildXlsx({ sheets: [{ name: "s", xml: sheetXml([[{ shared: 0 }]]) }], sharedStrings: Array.from({ length: 100 }, (_, i) => `s${i}`) });
    expect(((await refusal(rowsOf(strings, { maxSharedStrings: 99 }))) as SpreadsheetLimitError).limit).toBe("maxSharedStrings");
    expect(((await refusal(rowsOf(strings, { maxSharedStringChars: 50 }))) as SpreadsheetLimitError).limit).toBe("maxSharedStringChars");

    const long = buildXlsx({ sheets: [{ name: "s", xml: sheetXml([["长".repeat(5000)]]) }] });
    expect(((await refusal(rowsOf(long, { maxCellChars: 1000 }))) as SpreadsheetLimitError).limit).toBe("maxCellChars");
    // a text run far beyond any cell is refused before the XML parser buffers it
    const run = buildXlsx({ sheets: [{ name: "s", xml: `<worksheet><sheetData><row><c t="inlineStr"><is><t>${"x".repeat(2_000_000)}</t></is></c></row></sheetData></worksheet>` }] });
    expect(((await refusal(rowsOf(run, { maxCellChars: 100_000 }))) as SpreadsheetLimitError).limit).toBe("maxCellChars");
  });

  it("a truncated worksheet is an error, not a short sheet; so is a truncated shared-strings part", async () => {
    const full = sheetXml(Array.from({ length: 100 }, (_, i) => [`行${i}`, i]));
    for (const cut of [full.length - 1, full.length - 30, Math.floor(full.length / 2), 60]) {
      const e = await refusal(rowsOf(buildXlsx({ sheets: [{ name: "s", xml: full.slice(0, cut) }] })));
      expect(e.code).toBe("xlsx");
      expect(e.message).toMatch(/截断|不是完整的 XML/);
    }
    const ss = '<sst><si><t>a</t></si><si><t>b';
    expect((await refusal(rowsOf(buildXlsx({ sheets: [{ name: "s", xml: sheetXml([[{ shared: 0 }]]) }], sharedStrings: ss })))).code).toBe("xlsx");
  });

  it("a shared-string index out of range, deep nesting, descending rows and a missing workbook are errors", async () => {
    expect((await refusal(rowsOf(buildXlsx({ sheets: [{ name: "s", xml: sheetXml([[{ shared: 5 }]]) }], sharedStrings: ["a"] })))).message).toMatch(/共享字符串/);
    const deep = `<worksheet>${"<a>".repeat(100)}${"</a>".repeat(100)}</worksheet>`;
    expect((await refusal(rowsOf(buildXlsx({ sheets: [{ name: "s", xml: deep }] })))).message).toMatch(/嵌套过深/);
    const desc = `<worksheet><sheetData><row r="5"/><row r="3"/></sheetData></worksheet>`;
    expect((await refusal(rowsOf(buildXlsx({ sheets: [{ name: "s", xml: desc }] })))).message).toMatch(/行号/);
    expect((await refusal(rowsOf(zip([{ name: "a.txt", data: Buffer.from("x") }])))).message).toMatch(/workbook\.xml/);
  });

  it("fuzz: truncated or byte-flipped workbooks end in ImportError or rows, never another error or a hang", async () => {
    const bytes = buildXlsx({ sheets: [{ name: "s", xml: sheetXml(Array.from({ length: 40 }, (_, i) => [`名称${i}`, { shared: i % 2 }, i])) }], sharedStrings: ["甲", "乙"] });
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: bytes.length }), fc.array(fc.tuple(fc.nat(bytes.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }), async (cut, flips) => {
        const b = Buffer.from(bytes.subarray(0, cut));
        for (const [i, v] of flips) if (i < b.length) b[i] = v;
        try {
          await rowsOf(b, { maxRows: 1000 });
        } catch (e) {
          expect(e).toBeInstanceOf(ImportError);
        }
      }),
      { numRuns: 150 },
    );
  });
});
