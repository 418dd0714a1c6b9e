import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importItemList, importJointList, matchDepartment } from "../../src/store/repos/imports.ts";
import { importTemplate } from "../../src/directories/import/index.ts";
import { DEPARTMENTS } from "../../src/demo/catalog.ts";
import { parseInspectionItems } from "../../src/directories/itemLists/index.ts";
import { fixture, type Fixture } from "./helpers.ts";

const REAL = resolve(import.meta.dirname, "../../../shared/data/real");
const ITEMS_XLSX = resolve(REAL, "hainan-2020-random-inspection-items.xlsx");
const JOINT_XLS = resolve(REAL, "hainan-joint-inspection-items-v2.xls");
const haveReal = existsSync(ITEMS_XLSX) && existsSync(JOINT_XLS);
if (!haveReal) console.warn(`skipping Hainan item-list import tests: ${REAL} not found`);

describe.skipIf(!haveReal)("Hainan item lists → 抽查事项清单 and joint templates", () => {
  let fx: Fixture;
  beforeAll(async () => {
    fx = await fixture();
  });
  afterAll(async () => fx.close());

  it("items: departments matched by name; unmatched departments' rows reported, not imported; safe twice", async () => {
    const bytes = new Uint8Array(readFileSync(ITEMS_XLSX));
    const r = await importItemList(fx.store, bytes, "test", { fileName: "items.xlsx" });
    // Rows repeating an item once per legal basis become one item.
    const parsed = await parseInspectionItems(bytes);
    const distinct = (dept?: string) =>
      new Set(parsed.rows.filter((i) => !dept || i.department === dept).map((i) => [i.department, i.category, i.name, i.target].join("|"))).size;
    // 省市场监管局 → the city 市场监督管理局, 省住房城乡建设厅 → 住房和城乡建设局; no other department matches
    const market = distinct("省市场监管局");
    expect(await fx.store.prisma.inspectionItem.count({ where: { departmentId: fx.dept.a } })).toBe(market);
    expect(r.created).toBe(r.accepted);
    expect(r.accepted).toBeGreaterThanOrEqual(market);
    const merged = await fx.store.prisma.inspectionItem.findFirst({ where: { departmentId: fx.dept.a, legalBasis: { contains: "；" } } });
    expect(merged).not.toBeNull();
    expect(r.issues.some((i) => i.rule === "unknownDepartment" && i.row === 4)).toBe(true);
    const again = await importItemList(fx.store, bytes, "test", { fileName: "items.xlsx" });
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: r.accepted });
  });

  it("items with --department: refused for a list that names 16 departments; a one-department list goes under it, with a warning when it names another", async () => {
    const bytes = new Uint8Array(readFileSync(ITEMS_XLSX));
    const before = await fx.store.prisma.inspectionItem.count();
    await expect(importItemList(fx.store, bytes, "test", { department: String(fx.dept.b) })).rejects.toMatchObject({ statusCode: 422, code: "LIST_NAMES_DEPARTMENTS" });
    expect(await fx.store.prisma.inspectionItem.count()).toBe(before);
    // the items template names one department (市场监督管理局): filed under B on request, with a warning
    const one = await importTemplate("items");
    const r = await importItemList(fx.store, one, "test", { department: String(fx.dept.b) });
    expect(r).toMatchObject({ accepted: 1, rejected: 0 });
    expect(r.warnings).toEqual([expect.stringMatching(/清单写明的部门“市场监督管理局”对应“测试市市场监督管理局”，但按参数归入了“测试市住房和城乡建设局”/)]);
    expect(await fx.store.prisma.inspectionItem.count({ where: { departmentId: fx.dept.b, name: "示例事项的检查" } })).toBe(1);
    const same = await importItemList(fx.store, one, "test", { department: String(fx.dept.a) });
    expect(same.warnings).toEqual([]);
  });

  it("departments named by another level or by their line match the city's: 278 of the 293 Hainan items find one in the demo city (31 did not before)", async () => {
    const parsed = await parseInspectionItems(new Uint8Array(readFileSync(ITEMS_XLSX)));
    const depts = DEPARTMENTS.map((d, i) => ({ id: i + 1, code: d.id, name: d.name, level: "city" }));
    const items = new Map<string, string>();
    for (const r of parsed.rows) items.set([r.department, r.category, r.name, r.target].join("|"), r.department);
    expect(items.size).toBe(293);
    const unmatched = [...items.values()].filter((d) => matchDepartment(d, depts) === null);
    // the demo city has no 公安, 海关 or 税务 department: those 15 items rightly find none
    expect(unmatched.length).toBe(15);
    expect(new Set(unmatched)).toEqual(new Set(["省公安厅", "海口海关", "国家税务总局海南省税务局"]));
    const name = (w: string) => matchDepartment(w, depts)?.name ?? null;
    expect(["省旅文厅", "旅游文化部门"].map(name)).toEqual(["文化和旅游局", "文化和旅游局"]);
    expect(["省消防救援总队", "消防救援机构"].map(name)).toEqual(["消防救援支队", "消防救援支队"]);
    expect(["省统计局", "统计部门"].map(name)).toEqual(["统计局", "统计局"]);
    expect(["省卫健委", "人力资源社会保障部门", "人社部门", "交通部门"].map(name)).toEqual(["卫生健康委员会", "人力资源和社会保障局", "人力资源和社会保障局", "交通运输局"]);
    // a line the city lacks matches nothing rather than a wrong department
    expect(["发展改革部门", "工业和信息化部门", "公安部门"].map(name)).toEqual([null, null, null]);
  });

  it("joint list → templates with lead and partner departments; safe twice", async () => {
    const bytes = new Uint8Array(readFileSync(JOINT_XLS));
    const r = await importJointList(fx.store, bytes, "test");
    expect(r.rowsRead).toBe(83);
    expect(r.created).toBe(r.accepted);
    const led = await fx.store.prisma.jointTemplate.findMany({ where: { leadDepartmentId: fx.dept.a }, include: { partners: true } });
    expect(led.length).toBeGreaterThan(0);
    const again = await importJointList(fx.store, bytes, "test");
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: r.accepted });
  });
});
