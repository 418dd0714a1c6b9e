/** Types of the API answers the pages read, and small pieces of markup several pages share. */
import { html, raw, type Html } from "../html.ts";

export const ALL = ["admin", "officer", "auditor"] as const;
export const WRITERS = ["admin", "officer"] as const;
export const OFFICER = ["officer"] as const;
export const ADMIN = ["admin"] as const;
export const RISK_CLASSES = ["A", "B", "C", "D"] as const;
export const RISK_LABEL: Record<string, string> = { A: "A 类（低风险）", B: "B 类（一般风险）", C: "C 类（较高风险）", D: "D 类（高风险）" };

export interface Department {
  id: number;
  code: string;
  name: string;
  level: string;
  districtCode: string;
  active: boolean;
}
export interface Item {
  id: number;
  departmentId: number;
  code: string;
  category: string;
  name: string;
  target: string;
  legalBasis: string;
  content: string;
  methods: string[];
  importance: string;
}
export interface Plan {
  id: number;
  departmentId: number;
  year: number;
  name: string;
  status: string;
  createdAt: string;
}
export interface PlanDetail extends Plan {
  batches: { id: number; code: string; name: string; status: string }[];
}
export interface BatchDept {
  departmentId: number;
  departmentName: string;
  role: string;
  itemIds: number[];
  samplingRules: { riskClass: string; ratioPerMille: number | null; count: number | null }[];
  /** The department's own 定向 conditions; null = the batch's. */
  conditions?: Conditions | null;
}
export interface Conditions {
  districts?: string[];
  industries?: string[];
  kinds?: string[];
  sizes?: string[];
}
export interface Batch {
  id: number;
  planId: number;
  planDepartmentId: number;
  year: number;
  code: string;
  name: string;
  directed: boolean;
  conditions: Conditions;
  windowStart: string;
  windowEnd: string;
  status: string;
  departments: BatchDept[];
  liveDrawId: number | null;
}
export interface Draw {
  id: number;
  batchId: number;
  status: string;
  statusLabel: string;
  attempt: number;
  specVersion: string;
  commitment: string;
  frozenAt: string | null;
  seedPlan: { mode: string; source?: string; reference?: string; departments?: string[] } | null;
  secretCommitments: { department: string; hash: string; revealed: boolean; committedAt: string }[];
  seed: string | null;
  seedProvenance: unknown;
  head: string;
  records: { seq: number; kind: string; at: string; digest: string }[];
  voidReason: string | null;
  voidedAt: string | null;
  createdAt: string;
  seededAt: string | null;
  drawnAt: string | null;
  summary: { pool: number; excluded: number; selected: number | null; tasks: number | null; departments?: { department: string; name: string; excluded: number; frequencyCap: number }[] };
}
export interface Task {
  id: number;
  taskNo: string;
  entity: { id: number; code: string; name: string };
  departmentId: number;
  batchId: number | null;
  drawId: number | null;
  kind: string;
  directedKind: string | null;
  directedReason: string | null;
  windowStart: string;
  windowEnd: string;
  status: string;
  itemIds: number[];
  result: null | {
    categories: string[];
    checkDate: string;
    recorderId: number;
    note: string | null;
    updatedAt: string;
    publication: null | { publishedAt: string; deadline: string; publisherId: number };
  };
}
export interface Visit {
  jointCheckId: number;
  day: string;
  status: string;
  entity: { code: string; name: string };
  tasks: { taskId: number; taskNo: string; departmentId: number }[];
  team: { inspectorId: number | null; expertId: number | null; name: string; departmentId: number | null; role: string; certificateNo?: string | null }[];
}
export interface Schedule {
  batchId: number;
  run: { id: number; instanceDigest: string; seed: string; solverVersion: string; createdAt: string } | null;
  visits: Visit[];
  unscheduled: { code: string; reason: string }[];
  draw: { id: number; checks: number } | null;
}
export interface Category {
  code: string;
  label: string;
  group: string;
  parent?: string;
}

export const PLAN_STATUS: Record<string, string> = { draft: "草稿", approved: "已批准（已公示）", closed: "已关闭" };
export const BATCH_STATUS: Record<string, string> = { draft: "编制中", ready: "待抽取", drawn: "已抽取", closed: "已结束" };
export const TASK_STATUS: Record<string, string> = { open: "待排期", scheduled: "已排期", done: "已完成", cancelled: "已取消" };
export const DRAW_BADGE: Record<string, string> = { committed: "b-warn", seeded: "b-info", drawn: "b-ok", void: "b-bad" };
export const KIND_LABEL: Record<string, string> = { enterprise: "企业", individual: "个体工商户", cooperative: "农民专业合作社", other: "其他" };
export const SIZE_LABEL: Record<string, string> = { large: "大型", medium: "中型", small: "小型", micro: "微型" };

export function badge(text: string, cls: string): Html {
  return html`<span class="badge ${cls}">${text}</span>`;
}

export function planBadge(status: string): Html {
  return badge(PLAN_STATUS[status] ?? status, status === "approved" ? "b-ok" : status === "closed" ? "b-info" : "b-warn");
}

/** `{ total }` paging links with the current query kept. */
export function pager(base: string, query: Record<string, string>, total: number, offset: number, limit: number): Html {
  const link = (o: number) => {
    const p = new URLSearchParams({ ...query, offset: String(o) });
    return `${base}?${p.toString()}`;
  };
  const from = total === 0 ? 0 : offset + 1;
  const to = Math.min(total, offset + limit);
  return html`<nav class="pager" aria-label="分页"><span>第 ${from}–${to} 条，共 ${total} 条</span>
${offset > 0 ? html`<a href="${link(Math.max(0, offset - limit))}" rel="prev">上一页</a>` : ""}
${to < total ? html`<a href="${link(offset + limit)}" rel="next">下一页</a>` : ""}</nav>`;
}

export const pageOffset = (q: Record<string, string>): number => {
  const n = Number(q.offset ?? 0);
  return Number.isInteger(n) && n >= 0 ? n : 0;
};

/** A `<td>` with its column name for the narrow-screen card layout. */
export function td(label: string, content: unknown, cls?: string): Html {
  return html`<td data-label="${label}"${cls ? raw(` class="${cls}"`) : ""}>${content}</td>`;
}

export function hidden(name: string, value: string | number): Html {
  return html`<input type="hidden" name="${name}" value="${value}">`;
}

export function csrf(token: string): Html {
  return hidden("_csrf", token);
}

/** A one-button form posting to `action` (with the CSRF token). */
export function actionButton(action: string, label: string, token: string, o: { confirm?: string; secondary?: boolean; fields?: Record<string, string> } = {}): Html {
  return html`<form method="post" action="${action}" class="inline"${o.confirm ? raw(` data-confirm="${o.confirm.replace(/"/g, "&quot;")}"`) : ""} data-busy>${csrf(token)}${Object.entries(o.fields ?? {}).map(([k, v]) => hidden(k, v))}<button type="submit"${o.secondary ? raw(' class="secondary"') : ""}>${label}</button></form>`;
}
