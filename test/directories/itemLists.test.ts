import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import ExcelJS from "exceljs";
import {
  cleanLegalBasis,
  fillMerged,
  ItemListError,
  parseInspectionItems,
  parseJointTemplates,
  readXls,
  XlsError,
} from "../../src/directories/itemLists/index.ts";
import { CfbError, readCfb } from "../../src/directories/itemLists/cfb.ts";
import { buildXls } from "./xlsWriter.ts";

const REAL = resolve(import.meta.dirname, "../../../shared/data/real");
const ITEMS_XLSX = resolve(REAL, "hainan-2020-random-inspection-items.xlsx");
const JOINT_XLS = resolve(REAL, "hainan-joint-inspection-items-v2.xls");
const haveReal = existsSync(ITEMS_XLSX) && existsSync(JOINT_XLS);
if (!haveReal) console.warn(`skipping real item-list tests: ${REAL} not found (public Hainan lists, see docs/imports.md)`);

const noCrLf = (o: object) => !/[\r\n]/.test(JSON.stringify(Object.values(o)).replace(/\\[rn]/g, "\n"));

describe.skipIf(!haveReal)("Hainan 2020 random-inspection item list (real .xlsx)", () => {
  it("yields 388 items from 16 departments, with both 重点 and 一般 items", async () => {
    const list = await parseInspectionItems(readFileSync(ITEMS_XLSX));
    expect(list.format).toBe("xlsx");
    expect(list.title).toBe("海南省市场监管领域随机抽查事项清单（2020年版）");
    expect(list.headerRow).toBe(3);
    expect(list.issues).toEqual([]);
    expect(list.rows).toHaveLength(388);
    const depts = new Set(list.rows.map((i) => i.department));
    expect(depts.size).toBe(16);
    expect(depts).toContain("省市场监管局");
    expect(list.rows.filter((i) => i.kind === "key")).toHaveLength(44);
    expect(list.rows.filter((i) => i.kind === "general")).toHaveLength(344);
    expect(list.rows.filter((i) => i.department === "省市场监管局")).toHaveLength(164);
  });

  it("carries merged department/category values down, keeps source rows, leaves no stray CR/LF", async () => {
    const list = await parseInspectionItems(readFileSync(ITEMS_XLSX));
    expect(list.rows[0]).toMatchObject({ department: "省教育厅", seq: 1, category: "中小学教育装备产品检查", target: "中小学校", kind: "general", sourceRow: 4 });
    expect(list.rows[0]!.methods).toEqual(["现场检查", "书面检查", "网络检查", "专业机构核查"]);
    const last = list.rows.at(-1)!;
    expect(last).toMatchObject({ department: "省市场监管局", seq: 122, sourceRow: 391 });
    expect(last.legalBasis).toBe("《商标法》第六十八条；《商标法实施条例》第八十八条、第八十九条");
    for (const item of list.rows) {
      expect(noCrLf(item)).toBe(true);
      expect(item.name).not.toBe("");
      expect(item.department).not.toBe("");
      expect(item.legalBasis).not.toBe("");
    }
    expect(new Set(list.rows.map((i) => i.sourceRow)).size).toBe(388);
  });
});

describe.skipIf(!haveReal)("Hainan joint-inspection item list (real legacy .xls, BIFF8)", () => {
  it("yields 83 joint templates in 36 fields, skipping the note and title rows", async () => {
    const list = await parseJointTemplates(readFileSync(JOINT_XLS));
    expect(list.format).toBe("xls");
    expect(list.title).toBe("海南省市场监管领域部门联合抽查事项清单（第二版）");
    expect(list.headerRow).toBe(3);
    expect(list.rows).toHaveLength(83);
    expect(new Set(list.rows.map((r) => r.field)).size).toBe(36);
    expect(list.rows[0]).toEqual({
      seq: 1,
      field: "工程咨询单位抽查",
      item: "工程咨询单位备案信息一致性及其他情况的检查",
      target: "工程咨询单位",
      leadDepartment: "发展改革部门",
      leadDepartments: ["发展改革部门"],
      partnerDepartments: ["市场监管领域相关部门"],
      sourceRow: 4,
    });
    const hotels = list.rows.find((r) => r.item === "宾馆、旅店取得许可证情况的检查")!;
    expect(hotels.leadDepartments).toEqual(["公安部门", "卫生健康部门"]);
    const fireworks = list.rows.find((r) => r.item === "烟花爆竹生产经营企业运输、燃放情况的检查")!;
    expect(fireworks.partnerDepartments).toEqual(["应急管理部门", "市场监管部门"]);
    // merged 序号/抽查领域 cells are carried into continuation rows
    expect(list.rows[1]).toMatchObject({ seq: 1, field: "工程咨询单位抽查", sourceRow: 5 });
    for (const r of list.rows) {
      expect(noCrLf(r)).toBe(true);
      expect(r.item).not.toBe("");
    }
  });

  it("the BIFF8 reader sees three sheets' worth of data: one full sheet and merged ranges", () => {
    const wb = readXls(readFileSync(JOINT_XLS));
    expect(wb.sheets.map((s) => s.name)).toEqual(["Sheet1", "Sheet2", "Sheet3"]);
    expect(wb.sheets[0]!.rows).toHaveLength(86);
    expect(wb.sheets[0]!.merges.length).toBeGreaterThan(0);
    expect(wb.sheets[1]!.rows).toHaveLength(0);
  });

  it("fuzz: truncated or corrupted files throw a clean error (never a crash, never a hang)", () => {
    const real = new Uint8Array(readFileSync(JOINT_XLS));
    const clean = (e: unknown) => e instanceof XlsError || e instanceof CfbError;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: real.length - 1 }), (n) => {
        try {
          readXls(real.subarray(0, n));
        } catch (e) {
          expect(clean(e)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: real.length - 1 }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 20 }), (flips) => {
        const bytes = real.slice();
        for (const [at, v] of flips) bytes[at] = v;
        try {
          const wb = readXls(bytes);
          expect(Array.isArray(wb.sheets)).toBe(true);
        } catch (e) {
          if (!clean(e)) throw e;
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe("BIFF8 / CFB reader on synthetic input", () => {
  const header = () => {
    const b = new Uint8Array(1024);
    b.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    return b;
  };

  it("refuses non-OLE2 bytes and random bytes behind a valid signature", () => {
    expect(() => readXls(new Uint8Array([1, 2, 3]))).toThrow(XlsError);
    expect(() => readCfb(header())).toThrow(CfbError);
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 5000 }), (tail) => {
        const b = new Uint8Array(512 + tail.length);
        b.set(header().subarray(0, 8));
        b.set(tail, 8);
        expect(() => readXls(b)).toThrow(XlsError);
      }),
      { numRuns: 300 },
    );
  });

  it("property: what the test writer puts in a BIFF8 file is read back exactly", () => {
    const cell = fc.oneof(fc.constant(null), fc.string({ maxLength: 40, unit: "binary" }).filter((x) => x.length > 0), fc.double({ noNaN: true, noDefaultInfinity: true }));
    fc.assert(
      fc.property(fc.array(fc.array(cell, { maxLength: 8 }), { maxLength: 30 }), (rows) => {
        const wb = readXls(buildXls(rows));
        const got = wb.sheets[0]!.rows;
        rows.forEach((row, r) =>
          row.forEach((x, c) => {
            if (x === null) expect(got[r]?.[c] ?? null).toBeNull();
            else expect(got[r]![c]).toEqual(x);
          }),
        );
      }),
      { numRuns: 100 },
    );
  });

  it("fillMerged copies the master value over its range", () => {
    expect(fillMerged([["a", null], [null, "x"], [null]], [{ firstRow: 0, lastRow: 2, firstCol: 0, lastCol: 0 }])).toEqual([["a", null], ["a", "x"], ["a"]]);
  });
});

describe("item lists from synthetic workbooks", () => {
  it("reads a small .xlsx list with merges and line breaks, reporting odd rows", async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("清单");
    ws.addRow(["示例省随机抽查事项清单（测试）"]);
    ws.mergeCells("A1:I1");
    ws.addRow(["编制单位名称", "序号", "抽查项目", "抽查项目", "检查对象", "事项类别", "检查方式", "检查主体", "检查依据"]);
    ws.addRow(["编制单位名称", "序号", "抽查类别", "抽查事项", "检查对象", "事项类别", "检查方式", "检查主体", "检查依据"]);
    ws.addRow(["示例\r\n厅", 1, "类别甲", "事项\n一", "对象甲", "重点检查事项", "现场检查、书面检查", "示例部门", "《示例法》第一条\r\n《示例条例》第二条"]);
    ws.addRow([null, 2, "类别乙", "事项二", "对象乙", "一般检查事项", "网络检查", "示例部门", "《示例法》第三条"]);
    ws.addRow([null, 3, "类别丙", "事项三", "对象丙", "其他", "网络检查", "示例部门", "《示例法》第四条"]);
    ws.mergeCells("A4:A6");
    const list = await parseInspectionItems(Buffer.from(await wb.xlsx.writeBuffer()));
    expect(list.title).toBe("示例省随机抽查事项清单（测试）");
    expect(list.rows.map((i) => [i.department, i.name, i.kind, i.legalBasis, i.sourceRow])).toEqual([
      ["示例厅", "事项一", "key", "《示例法》第一条；《示例条例》第二条", 4],
      ["示例厅", "事项二", "general", "《示例法》第三条", 5],
    ]);
    expect(list.issues).toEqual([{ row: 6, field: "kind", message: expect.stringContaining("其他") }]);
  });

  it("refuses files that are not workbooks or lack the header", async () => {
    await expect(parseInspectionItems(Buffer.from("序号,抽查事项"))).rejects.toThrow(ItemListError);
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet("x").addRow(["a", "b"]);
    await expect(parseJointTemplates(Buffer.from(await wb.xlsx.writeBuffer()))).rejects.toThrow(/发起部门|抽查领域/);
  });

  it("cleanLegalBasis separates citations broken over lines", () => {
    expect(cleanLegalBasis("《甲法》第一条\n《乙法》第二条、\r\n第三条")).toBe("《甲法》第一条；《乙法》第二条、第三条");
  });
});
