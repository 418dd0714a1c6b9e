/**
 * Downloadable import templates: an .xlsx per import kind with the headers the importer expects
 * (required ones marked *) and one synthetic example row, the code columns formatted as text so
 * that Excel cannot turn a code into a number.
 *
 *   await importTemplate("entities") → Uint8Array (.xlsx)     TEMPLATE_KINDS = entities, inspectors, items, joint-items
 *
 * Every template imports as it is (tested): the example row is valid and fictitious (its credit
 * code carries a correct check character; no real entity or person).
 */
import ExcelJS from "exceljs";
import { creditCodeCheckChar } from "../creditCode.ts";

export const TEMPLATE_KINDS = ["entities", "inspectors", "items", "joint-items"] as const;
export type TemplateKind = (typeof TEMPLATE_KINDS)[number];

interface TemplateColumn {
  header: string;
  example: string;
  width: number;
  /** Shown as a cell note on the header. */
  note?: string;
}

const EXAMPLE_CODE = (() => {
  const first17 = "91610113MA6EXAMP";
  const p = first17.replace(/[IOSVZ]/g, "0").padEnd(17, "0").slice(0, 17);
  return p + creditCodeCheckChar(p);
})();

const TEMPLATES: Record<TemplateKind, { sheet: string; title: string; columns: TemplateColumn[] }> = {
  entities: {
    sheet: "检查对象名录",
    title: "检查对象名录库导入模板（* 为必填；统一社会信用代码与注册号至少填一项；没有区划码列时由代码推得）",
    columns: [
      { header: "统一社会信用代码*", example: EXAMPLE_CODE, width: 24, note: "18 位；没有时填注册号" },
      { header: "注册号", example: "", width: 18, note: "15 位注册号（旧主体）" },
      { header: "企业名称*", example: "示例模板贸易有限公司", width: 28 },
      { header: "区划码", example: "610113", width: 10, note: "6 位行政区划代码；整列缺省时由代码第 3–8 位推得" },
      { header: "住所", example: "示例路 1 号", width: 28 },
      { header: "行业代码", example: "F5211", width: 10, note: "GB/T 4754" },
      { header: "企业类型", example: "有限责任公司", width: 16 },
      { header: "登记状态", example: "存续", width: 10, note: "存续/在业、注销、吊销、撤销、停业、迁出" },
      { header: "风险等级", example: "B", width: 10, note: "A–D（低/一般/较高/高风险）；不公开" },
      { header: "成立日期", example: "2020-01-05", width: 12, note: "YYYY-MM-DD" },
    ],
  },
  inspectors: {
    sheet: "执法检查人员名录",
    title: "执法检查人员名录库导入模板（* 为必填）",
    columns: [
      { header: "执法证号*", example: "SL-EXAMPLE-0001", width: 20 },
      { header: "姓名*", example: "示例人员", width: 12 },
      { header: "部门*", example: "D01", width: 16, note: "部门代码或全称" },
      { header: "执法资质", example: "市场监管执法", width: 20, note: "多项用、分隔" },
      { header: "业务专长", example: "食品安全、特种设备", width: 24 },
      { header: "负责区划", example: "610113", width: 16, note: "6 位代码，多项用、分隔" },
      { header: "在岗", example: "是", width: 8, note: "是/否" },
    ],
  },
  items: {
    sheet: "随机抽查事项清单",
    title: "随机抽查事项清单导入模板",
    columns: [
      { header: "编制单位名称", example: "市场监督管理局", width: 18 },
      { header: "序号", example: "1", width: 6 },
      { header: "抽查类别", example: "示例类别", width: 16 },
      { header: "抽查事项", example: "示例事项的检查", width: 28 },
      { header: "检查对象", example: "示例经营者", width: 16 },
      { header: "事项类别", example: "一般检查事项", width: 14, note: "重点检查事项 / 一般检查事项" },
      { header: "检查方式", example: "现场检查", width: 14, note: "现场检查、书面检查、网络检查" },
      { header: "检查主体", example: "市场监督管理局", width: 16 },
      { header: "检查依据", example: "《示例条例》第一条", width: 30 },
    ],
  },
  "joint-items": {
    sheet: "部门联合抽查事项清单",
    title: "部门联合抽查事项清单导入模板",
    columns: [
      { header: "序号", example: "1", width: 6 },
      { header: "抽查领域", example: "示例领域", width: 16 },
      { header: "抽查事项", example: "示例联合抽查事项", width: 28 },
      { header: "检查对象", example: "示例经营者", width: 16 },
      { header: "发起部门", example: "市场监管部门", width: 16 },
      { header: "配合部门", example: "卫生健康部门、应急管理部门", width: 28 },
    ],
  },
};

/** The template's header names, as written in row 2 (row 1 is the title). */
export function templateHeaders(kind: TemplateKind): string[] {
  return TEMPLATES[kind].columns.map((c) => c.header);
}

export async function importTemplate(kind: TemplateKind): Promise<Uint8Array> {
  const t = TEMPLATES[kind];
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(t.sheet);
  ws.addRow([t.title]);
  ws.mergeCells(1, 1, 1, t.columns.length);
  const header = ws.addRow(t.columns.map((c) => c.header));
  header.font = { bold: true };
  t.columns.forEach((c, i) => {
    ws.getColumn(i + 1).width = c.width;
    ws.getColumn(i + 1).numFmt = "@"; // text: codes stay codes
    if (c.note) header.getCell(i + 1).note = c.note;
  });
  ws.addRow(t.columns.map((c) => (c.example === "" ? null : c.example)));
  return new Uint8Array(await wb.xlsx.writeBuffer());
}
