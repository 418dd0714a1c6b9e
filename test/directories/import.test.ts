import { describe, expect, it } from "vitest";
import fc from "fast-check";
import ExcelJS from "exceljs";
import { collectImport, ImportError, importEntities, importInspectors, isoToExcelSerial, type RowIssue } from "../../src/directories/import/index.ts";
import { badChecksum, creditCode, csv, inChunks, registrationNumber } from "./helpers.ts";
import { buildXls } from "./xlsWriter.ts";

const ENTITY_HEADER = "统一社会信用代码,名称,区划码,地址,行业代码,主体类型,状态,风险等级,成立日期";
const issuesOf = (issues: RowIssue[]) => issues.map((i) => `${i.row}:${i.field}:${i.rule}:${i.severity}`);

async function expectImportError(p: Promise<unknown>, code: string, msg?: RegExp) {
  try {
    await p;
    expect.fail("expected an ImportError");
  } catch (e) {
    expect(e).toBeInstanceOf(ImportError);
    expect((e as ImportError).code).toBe(code);
    if (msg) expect((e as Error).message).toMatch(msg);
  }
}

describe("entity CSV", () => {
  it("parses a UTF-8 file with BOM; row numbers are spreadsheet rows even with a multi-line cell", async () => {
    const buf = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      csv([
        ENTITY_HEADER,
        `${creditCode(1)},示例甲商贸有限公司,460100,"示例路1号\r\n二楼",F5211,有限责任公司,存续,A,2020-01-05`,
        `${creditCode(2)}, 示例乙 餐饮店 ,460105,,,个体工商户,存续,b类,43831`,
        `${registrationNumber(3)},示例丙 店,460106,,,,,,`,
      ]),
    ]);
    const { rows, summary } = await collectImport(importEntities(buf));
    expect(summary).toMatchObject({ format: "csv", encoding: "utf-8", headerRow: 1, rowsRead: 3, accepted: 3, rejected: 0, flagged: 0 });
    expect(rows.map((r) => r.row)).toEqual([2, 3, 4]);
    expect(rows[0]!.value).toEqual({
      code: creditCode(1), codeKind: "creditCode", codeAsWritten: null, name: "示例甲商贸有限公司", districtCode: "460100", address: "示例路1号 二楼",
      industryCode: "F5211", entityType: "有限责任公司", status: "存续", riskClass: "A", establishedOn: "2020-01-05",
    });
    expect(rows[1]!.value).toMatchObject({ name: "示例乙 餐饮店", riskClass: "B", establishedOn: "2020-01-01", address: null });
    expect(rows[2]!.value).toMatchObject({ codeKind: "registrationNumber", riskClass: null, establishedOn: null });
  });

  it("rejects Excel-mangled codes, never repairs them; flags checksum-only failures and keeps them", async () => {
    const buf = csv([
      ENTITY_HEADER,
      `9.14601E+17,示例甲公司,460100,,,,,,`,
      `914601000000012000,示例乙公司,460100,,,,,,`,
      `${badChecksum(creditCode(7))},示例丙公司,460100,,,,,,`,
      `${creditCode(8)},示例丁公司,46010,,,,,,`,
      `${creditCode(9)},示例戊公司,460100,,X99,,,E,2020-02-30`,
      `,示例己公司,460100,,,,,,`,
    ]);
    const { rows, summary } = await collectImport(importEntities(buf));
    expect(summary.accepted).toBe(1);
    expect(summary.flagged).toBe(1);
    expect(summary.rejected).toBe(5);
    expect(rows[0]!.row).toBe(4);
    expect(rows[0]!.flags[0]).toMatchObject({ row: 4, field: "code", rule: "checksum", severity: "flag" });
    expect(issuesOf(summary.issues)).toEqual([
      "2:code:excelNumber:error",
      "3:code:excelNumber:error",
      "4:code:checksum:flag",
      "5:districtCode:format:error",
      "6:industryCode:format:error",
      "6:riskClass:format:error",
      "6:establishedOn:date:error",
      "7:code:required:error",
    ]);
    expect(summary.issues[0]!.message).toMatch(/Excel/);
    expect(summary.issues[0]!.column).toBe("统一社会信用代码");
    expect(summary.issueCounts["code:excelNumber"]).toBe(2);
  });

  it("rejects a duplicate code in a later row, naming the first row", async () => {
    const buf = csv([ENTITY_HEADER, `${creditCode(1)},甲,460100`, `${creditCode(2)},乙,460100`, `${creditCode(1).toLowerCase()},甲2,460100`]);
    const { rows, summary } = await collectImport(importEntities(buf));
    expect(rows.map((r) => r.row)).toEqual([2, 3]);
    expect(summary.issues).toHaveLength(1);
    expect(summary.issues[0]).toMatchObject({ row: 4, field: "code", rule: "duplicate" });
    expect(summary.issues[0]!.message).toContain("第 2 行");
  });

  it("accepts separate 统一社会信用代码 and 注册号 columns: a row uses its credit code, else its 注册号", async () => {
    const buf = csv([
      "名称,统一社会信用代码,注册号,区划码",
      `甲,${creditCode(1)},,460100`,
      `乙,,${registrationNumber(2)},460100`,
      `丙,,,460100`,
      `丁,,${registrationNumber(2)},460100`,
    ]);
    const { rows, summary } = await collectImport(importEntities(buf));
    expect(rows.map((r) => [r.value.name, r.value.codeKind])).toEqual([["甲", "creditCode"], ["乙", "registrationNumber"]]);
    expect(issuesOf(summary.issues)).toEqual(["4:code:required:error", "5:code:duplicate:error"]);
    expect(summary.issues[1]!.message).toContain("第 3 行");
    const onlyReg = await collectImport(importEntities(csv(["注册号,名称,区划码", `${registrationNumber(9)},戊,460100`])));
    expect(onlyReg.rows).toHaveLength(1);
  });

  it("rejects a row with more cells than the header (unquoted comma)", async () => {
    const buf = csv([`统一社会信用代码,名称,区划码`, `${creditCode(1)},示例,有限公司,460100`]);
    const { summary } = await collectImport(importEntities(buf));
    expect(issuesOf(summary.issues)).toEqual(["2:null:columnCount:error"]);
  });

  it("accepts English headers, title rows before the header, semicolons, and skips empty rows", async () => {
    const buf = csv([`Entity directory export;;`, `code;name;districtCode;riskClass`, `${creditCode(1)};Alpha;460100;D`, `;;;`, `${creditCode(2)};Beta;460100;`]);
    const { rows, summary } = await collectImport(importEntities(buf));
    expect(summary.headerRow).toBe(2);
    expect(summary.emptyRows).toBe(1);
    expect(rows.map((r) => [r.row, r.value.name, r.value.riskClass])).toEqual([[3, "Alpha", "D"], [5, "Beta", null]]);
  });

  it("decodes GB18030/GBK files, or refuses them when asked to", async () => {
    // "统一社会信用代码,名称,区划码" and "示例公司" in GBK bytes, built without an encoder:
    const gbk = (s: string) => {
      const table: Record<string, number[]> = {
        统: [0xcd, 0xb3], 一: [0xd2, 0xbb], 社: [0xc9, 0xe7], 会: [0xbb, 0xe1], 信: [0xd0, 0xc5], 用: [0xd3, 0xc3], 代: [0xb4, 0xfa],
        码: [0xc2, 0xeb], 名: [0xc3, 0xfb], 称: [0xb3, 0xc6], 区: [0xc7, 0xf8], 划: [0xbb, 0xae], 示: [0xca, 0xbe], 例: [0xc0, 0xfd],
        公: [0xb9, 0xab], 司: [0xcb, 0xbe],
      };
      return Buffer.from([...s].flatMap((ch) => table[ch] ?? [ch.charCodeAt(0)]));
    };
    expect(new TextDecoder("gb18030").decode(gbk("示例公司"))).toBe("示例公司");
    const buf = Buffer.concat([gbk("统一社会信用代码,名称,区划码\r\n"), gbk(`${creditCode(1)},示例公司,460100\r\n`)]);
    const { rows, summary } = await collectImport(importEntities(buf));
    expect(summary.encoding).toBe("gb18030");
    expect(rows[0]!.value.name).toBe("示例公司");
    await expectImportError(collectImport(importEntities(buf, { allowGb18030: false })), "encoding", /UTF-8/);
  });

  it("reads UTF-16LE tab-separated text (Excel 'Unicode text')", async () => {
    const text = `统一社会信用代码\t名称\t区划码\r\n${creditCode(5)}\t示例公司\t460100\r\n`;
    const buf = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]);
    const { rows, summary } = await collectImport(importEntities(inChunks(buf, [3, 5, 7])));
    expect(summary.encoding).toBe("utf-16le");
    expect(rows.map((r) => r.value.name)).toEqual(["示例公司"]);
  });

  it("refuses a file whose bytes stop being UTF-8 past the sniffed head, naming the offset", async () => {
    const lines = [ENTITY_HEADER];
    for (let i = 1; i <= 2000; i++) lines.push(`${creditCode(i)},示例公司${i},460100`);
    const good = csv(lines);
    const buf = Buffer.concat([good, Buffer.from([0xff, 0xfe, 0x41, 0x0d, 0x0a])]);
    expect(good.length).toBeGreaterThan(64 * 1024);
    await expectImportError(collectImport(importEntities(buf)), "encoding", /第 \d+ 字节附近/);
  });

  it("reports an unclosed quote as a CSV error naming where reading stopped", async () => {
    const buf = csv([ENTITY_HEADER, `${creditCode(1)},示例,460100`, `${creditCode(2)},"示例,460100`]);
    await expectImportError(collectImport(importEntities(buf)), "csv", /第 2 行之后/);
  });

  it("refuses unreadable .xls, empty files and files without a header", async () => {
    await expectImportError(collectImport(importEntities(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]))), "xls", /无法读取/);
    await expectImportError(collectImport(importEntities(Buffer.alloc(0))), "empty");
    await expectImportError(collectImport(importEntities(csv(["a,b,c", "1,2,3"]))), "header", /没有找到表头/);
    await expectImportError(collectImport(importEntities(csv(["代码,简称", `${creditCode(1)},x`]))), "header", /没有找到表头/);
    await expectImportError(collectImport(importEntities(csv(["统一社会信用代码,区划码", `${creditCode(1)},460100`]))), "header", /缺少必需的列：名称/);
  });

  it("streams: batches, progress by bytes, and the same result whatever the chunk boundaries", async () => {
    const lines = [ENTITY_HEADER];
    for (let i = 1; i <= 5000; i++) lines.push(`${creditCode(i)},"示例企业${i}号",460100,示例路${i}号,,,,${"ABCD"[i % 4]},2021-03-0${1 + (i % 9)}`);
    const buf = csv(lines);
    const progress: number[] = [];
    const imp = importEntities(inChunks(buf, [7, 4093, 1, 65537]), { batchSize: 700, totalBytes: buf.length, onProgress: (p) => progress.push(p.bytesRead) });
    let batches = 0;
    let count = 0;
    for await (const b of imp) {
      batches++;
      count += b.rows.length;
      expect(b.rows.length).toBeLessThanOrEqual(700);
    }
    expect(count).toBe(5000);
    expect(batches).toBe(Math.ceil(5000 / 700));
    expect(progress.at(-1)).toBe(buf.length);
    for (let i = 1; i < progress.length; i++) expect(progress[i]!).toBeGreaterThanOrEqual(progress[i - 1]!);
    expect(imp.summary()).toMatchObject({ rowsRead: 5000, accepted: 5000, bytesRead: buf.length });
  });

  it("property: chunking never changes the outcome, and every row is accepted or rejected with an issue", async () => {
    const rowsArb = fc.array(
      fc.record({
        code: fc.oneof(fc.integer({ min: 1, max: 30 }).map((n) => creditCode(n)), fc.constant("9.1E+17"), fc.constant(""), fc.integer({ min: 1, max: 30 }).map((n) => badChecksum(creditCode(n)))),
        name: fc.constantFrom("示例甲", "示例 乙", '"示例,丙"', '"示例\n丁"', ""),
        district: fc.constantFrom("460100", "4601", "x"),
      }),
      { maxLength: 25 },
    );
    await fc.assert(
      fc.asyncProperty(rowsArb, fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 5 }), async (rs, sizes) => {
        const buf = csv(["统一社会信用代码,名称,区划码", ...rs.map((r) => `${r.code},${r.name},${r.district}`)]);
        const a = await collectImport(importEntities(buf));
        const b = await collectImport(importEntities(inChunks(buf, sizes)));
        expect(b.rows).toEqual(a.rows);
        expect(b.summary.issues).toEqual(a.summary.issues);
        expect(a.summary.accepted + a.summary.rejected).toBe(a.summary.rowsRead);
        const rejectedRows = new Set(a.summary.issues.filter((i) => i.severity === "error").map((i) => i.row));
        expect(rejectedRows.size).toBe(a.summary.rejected);
        for (const r of a.rows) expect(rejectedRows.has(r.row)).toBe(false);
      }),
      { numRuns: 60 },
    );
  });
});

async function xlsxBuffer(build: (ws: ExcelJS.Worksheet) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  build(wb.addWorksheet("名录"));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe("entity XLSX", () => {
  it("rejects a numeric code cell, reads date cells and serial numbers, cleans stray line breaks", async () => {
    const buf = await xlsxBuffer((ws) => {
      ws.addRow(["示例市市场主体名录（合成数据）"]);
      ws.addRow(["统一社会信用代码", "名称", "区划码", "成立日期", "风险等级"]);
      ws.addRow([creditCode(1), "示例\r\n甲公司 ", 460100, new Date(Date.UTC(2019, 4, 17)), "C"]);
      ws.addRow([914601000000012000, "示例乙公司", "460100", isoToExcelSerial("2021-08-09"), "A"]);
      ws.addRow([creditCode(3), "示例丙公司", "460100", isoToExcelSerial("2022-02-01"), "低风险"]);
      ws.addRow([{ richText: [{ text: creditCode(4).slice(0, 9) }, { text: creditCode(4).slice(9) }] }, "示例丁公司", "460100", null, null]);
    });
    const { rows, summary } = await collectImport(importEntities(buf));
    expect(summary).toMatchObject({ format: "xlsx", encoding: null, headerRow: 2, rowsRead: 4, accepted: 3, rejected: 1 });
    expect(issuesOf(summary.issues)).toEqual(["4:code:excelNumber:error"]);
    expect(rows.map((r) => [r.row, r.value.name, r.value.establishedOn, r.value.riskClass])).toEqual([
      [3, "示例 甲公司", "2019-05-17", "C"],
      [5, "示例丙公司", "2022-02-01", "A"],
      [6, "示例丁公司", null, null],
    ]);
    expect(rows[0]!.value.districtCode).toBe("460100");
  });

  it("refuses a CSV forced as xlsx and an xlsx forced as csv", async () => {
    const x = await xlsxBuffer((ws) => ws.addRow(["统一社会信用代码", "名称", "区划码"]));
    await expectImportError(collectImport(importEntities(x, { format: "csv" })), "format");
    await expectImportError(collectImport(importEntities(csv(["a"]), { format: "xlsx" })), "format");
  });

  it("reports a corrupt workbook as an ImportError", async () => {
    const x = await xlsxBuffer((ws) => ws.addRow(["统一社会信用代码", "名称", "区划码"]));
    await expectImportError(collectImport(importEntities(x.subarray(0, Math.floor(x.length / 2)))), "xlsx");
  });
});

describe("entity legacy .xls (BIFF8)", () => {
  it("reads text cells, rejects numeric code cells and converts serial dates", async () => {
    const xls = buildXls([
      ["示例名录（合成）"],
      ["统一社会信用代码", "名称", "区划码", "成立日期"],
      [creditCode(1), "示例甲公司", 460100, isoToExcelSerial("2018-06-30")],
      [914601000000012000, "示例乙公司", "460100", null],
    ]);
    const { rows, summary } = await collectImport(importEntities(xls));
    expect(summary).toMatchObject({ format: "xls", headerRow: 2, accepted: 1, rejected: 1 });
    expect(rows[0]).toMatchObject({ row: 3, value: { code: creditCode(1), districtCode: "460100", establishedOn: "2018-06-30" } });
    expect(issuesOf(summary.issues)).toEqual(["4:code:excelNumber:error"]);
  });
});

describe("inspector files", () => {
  const HEADER = "执法证号,姓名,部门,资质,专长,区划,在岗";
  it("parses lists, on-duty flags and validates districts", async () => {
    const buf = csv([
      HEADER,
      `T46000001,测试员甲,示例市市场监督管理局,"食品;特种设备",药品、化妆品,460100;460105,是`,
      `T46000002,测试员乙,示例市市场监督管理局,,,"460100，460106",否`,
      `T46000003,测试员丙,示例市生态环境局,,,海口,在岗`,
      `T46000001,测试员丁,示例市生态环境局,,,,`,
      `T46000004,测试员戊,,,,,也许`,
    ]);
    const { rows, summary } = await collectImport(importInspectors(buf));
    expect(rows.map((r) => r.value)).toEqual([
      { certificateNo: "T46000001", name: "测试员甲", department: "示例市市场监督管理局", qualifications: ["食品", "特种设备"], specialities: ["药品", "化妆品"], districts: ["460100", "460105"], active: true },
      { certificateNo: "T46000002", name: "测试员乙", department: "示例市市场监督管理局", qualifications: [], specialities: [], districts: ["460100", "460106"], active: false },
    ]);
    expect(issuesOf(summary.issues)).toEqual([
      "4:districts:format:error",
      "5:certificateNo:duplicate:error",
      "6:department:required:error",
      "6:active:format:error",
    ]);
  });

  it("XLSX: a short numeric certificate is flagged, a long one rejected", async () => {
    const buf = await xlsxBuffer((ws) => {
      ws.addRow(["证件号", "姓名", "部门"]);
      ws.addRow([46000123, "测试员甲", "示例局"]);
      ws.addRow([4.6000123456789e19, "测试员乙", "示例局"]);
    });
    const { rows, summary } = await collectImport(importInspectors(buf));
    expect(rows.map((r) => r.value.certificateNo)).toEqual(["46000123"]);
    expect(issuesOf(summary.issues)).toEqual(["2:certificateNo:number:flag", "3:certificateNo:excelNumber:error"]);
  });
});
