/**
 * 导出: plan, batch, tasks with results, and schedule as XLSX (exceljs) and CSV (UTF-8 with BOM,
 * so that Excel reads Chinese), built from the same API answers the pages show — a role exports
 * exactly what it may read. A cell starting with = + - @ is written as text (no formula injection).
 *
 *   /console/exports/plans/12.xlsx · /console/exports/batches/7.csv
 *   /console/exports/batches/7/schedule.xlsx · /console/exports/tasks.xlsx?batch=7&status=done
 */
import { ApiCallError, type ConsolePage, type PageContext, type PageResult } from "../framework.ts";
import { CONSOLE } from "../layout.ts";
import { ALL, BATCH_STATUS, PLAN_STATUS, TASK_STATUS, type Batch, type Category, type Department, type Item, type PlanDetail, type Schedule, type Task } from "./shared.ts";
import { isJoint } from "./schedule.ts";
import { CSV_TYPE, XLSX_TYPE, toCsv, toXlsx, type Cell, type Sheet } from "../../sheets.ts";

export { toCsv, toXlsx, type Sheet } from "../../sheets.ts";

export async function send(ctx: PageContext, base: string, format: string, sheets: Sheet[]): Promise<PageResult> {
  if (format === "csv") return ctx.file(`${base}.csv`, CSV_TYPE, toCsv(sheets));
  return ctx.file(`${base}.xlsx`, XLSX_TYPE, await toXlsx(sheets));
}

const fileParam = (s: string | undefined, stem: string | null) => {
  const m = new RegExp(`^${stem ?? "(\\d+)"}\\.(xlsx|csv)$`).exec(s ?? "");
  if (!m) throw new ApiCallError(404, "NOT_FOUND", "导出格式只有 .xlsx 和 .csv");
  return stem ? { format: m[1]! } : { id: m[1]!, format: m[2]! };
};

function quotas(d: Batch["departments"][number]): string {
  return d.samplingRules.map((r) => `${r.riskClass} 类 ${r.count !== null ? `${r.count} 户` : `${r.ratioPerMille}‰`}`).join("；");
}

async function batchSheets(ctx: PageContext, b: Batch): Promise<Sheet[]> {
  const items = new Map<number, Item[]>();
  await Promise.all(b.departments.map(async (d) => items.set(d.departmentId, await ctx.api.get<Item[]>(`/departments/${d.departmentId}/items`))));
  const rows: Cell[][] = b.departments.flatMap((d) =>
    d.itemIds.map((id) => {
      const it = (items.get(d.departmentId) ?? []).find((x) => x.id === id);
      return [b.code, b.name, `${b.windowStart} 至 ${b.windowEnd}`, d.departmentName, d.role === "lead" ? "牵头" : "配合", it?.code ?? String(id), it?.name ?? "", it?.importance === "key" ? "重点" : "一般", it?.legalBasis ?? "", quotas(d)];
    }),
  );
  return [{ name: `批次 ${b.code}`, columns: ["批次编号", "批次名称", "检查时间", "部门", "角色", "事项编码", "检查事项", "重要程度", "检查依据", "抽取数量"], rows }];
}

async function taskSheet(ctx: PageContext, query: Record<string, string>): Promise<Sheet> {
  const [tasks, cats, depts] = await Promise.all([ctx.api.all<Task>("/tasks", query), ctx.api.get<Category[]>("/result-categories"), ctx.api.get<Department[]>("/departments")]);
  const label = new Map(cats.map((c) => [c.code, c.label]));
  const names = new Map(depts.map((d) => [d.id, d.name]));
  return {
    name: "任务和结果",
    columns: ["任务编号", "检查对象", "统一社会信用代码", "部门", "类型", "时间窗口", "状态", "检查日期", "检查结果", "公示时间", "公示期限"],
    rows: tasks.map((t) => [
      t.taskNo,
      t.entity.name,
      t.entity.code,
      names.get(t.departmentId) ?? String(t.departmentId),
      t.kind === "directed" ? "定向检查" : "双随机",
      `${t.windowStart} 至 ${t.windowEnd}`,
      TASK_STATUS[t.status] ?? t.status,
      t.result?.checkDate ?? "",
      (t.result?.categories ?? []).map((c) => label.get(c) ?? c).join("；"),
      t.result?.publication?.publishedAt.slice(0, 10) ?? "",
      t.result?.publication?.deadline ?? "",
    ]),
  };
}

async function scheduleSheet(ctx: PageContext, batchId: string): Promise<Sheet> {
  const [s, depts] = await Promise.all([ctx.api.get<Schedule>(`/batches/${batchId}/schedule`), ctx.api.get<Department[]>("/departments")]);
  const names = new Map(depts.map((d) => [d.id, d.name]));
  return {
    name: "排期",
    columns: ["日期", "检查对象", "统一社会信用代码", "联合检查", "部门", "任务编号", "检查组", "执法证号"],
    rows: [...s.visits]
      .sort((a, b) => a.day.localeCompare(b.day) || a.entity.name.localeCompare(b.entity.name, "zh"))
      .map((v) => [
        v.day,
        v.entity.name,
        v.entity.code,
        isJoint(v) ? "是" : "否",
        [...new Set(v.tasks.map((t) => names.get(t.departmentId) ?? String(t.departmentId)))].join("、"),
        v.tasks.map((t) => t.taskNo).join("、"),
        v.team.map((m) => (m.role === "expert" ? `${m.name}（专家）` : m.name)).join("、"),
        v.team.map((m) => m.certificateNo ?? "").join("、"),
      ]),
  };
}

const TASK_FILTERS = ["status", "batch", "draw", "department"];

export const exportPages: ConsolePage[] = [
  {
    path: `${CONSOLE}/exports/plans/:file`,
    title: "导出计划",
    roles: ALL,
    uses: ["GET /plans/:id", "GET /batches/:id", "GET /departments/:id/items", "GET /departments"],
    handler: async (ctx) => {
      const { id, format } = fileParam(ctx.params.file, null) as { id: string; format: string };
      const plan = await ctx.api.get<PlanDetail>(`/plans/${id}`);
      const depts = await ctx.api.get<Department[]>("/departments");
      const batches = await Promise.all(plan.batches.map((b) => ctx.api.get<Batch>(`/batches/${b.id}`)));
      const head: Sheet = {
        name: "计划",
        columns: ["计划", "年度", "牵头部门", "状态", "批次编号", "批次名称", "检查时间", "批次状态", "参与部门"],
        rows: batches.map((b) => [plan.name, plan.year, depts.find((d) => d.id === plan.departmentId)?.name ?? "", PLAN_STATUS[plan.status] ?? plan.status, b.code, b.name, `${b.windowStart} 至 ${b.windowEnd}`, BATCH_STATUS[b.status] ?? b.status, b.departments.map((d) => d.departmentName).join("、")]),
      };
      const sheets = [head, ...(await Promise.all(batches.map((b) => batchSheets(ctx, b)))).flat()];
      return send(ctx, `计划-${plan.year}-${plan.id}`, format, sheets);
    },
  },
  {
    path: `${CONSOLE}/exports/batches/:file`,
    title: "导出批次",
    roles: ALL,
    uses: ["GET /batches/:id", "GET /departments/:id/items"],
    handler: async (ctx) => {
      const { id, format } = fileParam(ctx.params.file, null) as { id: string; format: string };
      const b = await ctx.api.get<Batch>(`/batches/${id}`);
      return send(ctx, `批次-${b.code}`, format, await batchSheets(ctx, b));
    },
  },
  {
    path: `${CONSOLE}/exports/batches/:id/:file`,
    title: "导出排期",
    roles: ALL,
    uses: ["GET /batches/:id/schedule", "GET /departments"],
    handler: async (ctx) => {
      const { format } = fileParam(ctx.params.file, "schedule");
      if (!/^\d+$/.test(ctx.params.id ?? "")) throw new ApiCallError(404, "NOT_FOUND", "没有这个批次");
      return send(ctx, `排期-批次${ctx.params.id}`, format, [await scheduleSheet(ctx, ctx.params.id!)]);
    },
  },
  {
    path: `${CONSOLE}/exports/:file`,
    title: "导出任务和结果",
    roles: ALL,
    uses: ["GET /tasks", "GET /result-categories", "GET /departments"],
    handler: async (ctx) => {
      const { format } = fileParam(ctx.params.file, "tasks");
      const query = Object.fromEntries(TASK_FILTERS.filter((k) => /^[a-z0-9]+$/.test(ctx.query[k] ?? "")).map((k) => [k, ctx.query[k]!]));
      return send(ctx, "检查任务和结果", format, [await taskSheet(ctx, query)]);
    },
  },
];
