import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importItemList, importJointList } from "../../src/store/repos/imports.ts";
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

  it("items with --department put the whole list on one department", async () => {
    const bytes = new Uint8Array(readFileSync(ITEMS_XLSX));
    const before = await fx.store.prisma.inspectionItem.count({ where: { departmentId: fx.dept.b } });
    const r = await importItemList(fx.store, bytes, "test", { department: String(fx.dept.b) });
    const parsed = await parseInspectionItems(bytes);
    const all = new Set(parsed.rows.map((i) => [i.department, i.category, i.name, i.target].join("|"))).size;
    expect(r.accepted).toBe(all);
    expect(r.rejected).toBe(0);
    expect(await fx.store.prisma.inspectionItem.count({ where: { departmentId: fx.dept.b } })).toBe(all);
    expect(r.created).toBe(all - before);
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
