/**
 * The loop's statistics (督查考核, `loopStats`) as spreadsheet tables: one row per department with
 * its level, the same figures summed per level, the year's visits (joint-check share, visits
 * saved by merging, the frequency cap) and the visits-per-entity histogram. Pure: the API writes
 * the tables as XLSX or CSV (api/sheets.ts), the console offers them from the statistics page.
 */
import { LEVEL_LABELS, REVIEW_OUTCOME_LABELS, DISPUTE_KIND_LABELS, VERIFICATION_OUTCOME_LABELS, ALERT_HANDLING_LABELS, type Level } from "./values.ts";
import type { DepartmentLoopStats, LoopStats, StepCounts } from "./stats.ts";

export type StatsCell = string | number | null;
export interface StatsSheet {
  name: string;
  columns: string[];
  rows: StatsCell[][];
}

/** The statistics as the store gives them: each department named, the cap known or not. */
export interface NamedLoopStats {
  year: number;
  today: string;
  departments: (DepartmentLoopStats & { department: { code: string; name: string; level: string; kind: string } })[];
  visits: Omit<LoopStats["visits"], "entitiesOverCap"> & { maxChecksPerYear: number | null; entitiesOverCap: number | null };
}

const STEP_COLUMNS = ["合计", "按时办结", "逾期办结", "逾期未办", "未到期", "期限未定"] as const;
const stepCells = (c: StepCounts): number[] => [c.total, c.onTime, c.late, c.overdue, c.pending, c.noDeadline];

/** 按时办结 / (按时办结 + 逾期办结) in per cent, one decimal; "—" when nothing is done. */
export function onTimeRate(c: StepCounts): string {
  const done = c.onTime + c.late;
  return done === 0 ? "—" : `${((1000 * c.onTime) / done / 10).toFixed(1)}%`;
}

const FIGURE_COLUMNS = [
  ...STEP_COLUMNS.map((s) => `签收推送：${s}`),
  "按时签收率",
  ...STEP_COLUMNS.map((s) => `告知承诺核查：${s}`),
  "按时核查率",
  ...Object.values(VERIFICATION_OUTCOME_LABELS).map((l) => `核查结果：${l}`),
  "发出函告：合计",
  ...Object.values(DISPUTE_KIND_LABELS).map((l) => `函告事由：${l}`),
  ...Object.values(REVIEW_OUTCOME_LABELS).map((l) => `复核结果：${l}`),
  ...STEP_COLUMNS.map((s) => `应办复核：${s}`),
  ...STEP_COLUMNS.map((s) => `风险预警处置：${s}`),
  "按时处置率",
  ...Object.values(ALERT_HANDLING_LABELS).map((l) => `预警反馈：${l}`),
];

function figures(d: DepartmentLoopStats): StatsCell[] {
  return [
    ...stepCells(d.pushes),
    onTimeRate(d.pushes),
    ...stepCells(d.verifications),
    onTimeRate(d.verifications),
    ...Object.keys(VERIFICATION_OUTCOME_LABELS).map((k) => d.verifications.outcomes[k as keyof typeof d.verifications.outcomes]),
    d.disputesSent.total,
    ...Object.keys(DISPUTE_KIND_LABELS).map((k) => d.disputesSent.byKind[k as keyof typeof d.disputesSent.byKind]),
    ...Object.keys(REVIEW_OUTCOME_LABELS).map((k) => d.disputesSent.outcomes[k as keyof typeof d.disputesSent.outcomes]),
    ...stepCells(d.reviews),
    ...stepCells(d.alerts),
    onTimeRate(d.alerts),
    ...Object.keys(ALERT_HANDLING_LABELS).map((k) => d.alerts.handlings[k as keyof typeof d.alerts.handlings]),
  ];
}

const levelLabel = (l: string) => LEVEL_LABELS[l as Level] ?? l;
const LEVEL_ORDER: readonly string[] = ["city", "district", "zone"];
const levelRank = (l: string) => (LEVEL_ORDER.includes(l) ? LEVEL_ORDER.indexOf(l) : LEVEL_ORDER.length);

function addCounts(a: StepCounts, b: StepCounts): void {
  for (const k of Object.keys(a) as (keyof StepCounts)[]) a[k] += b[k];
}

function addRecord<K extends string>(a: Record<K, number>, b: Record<K, number>): void {
  for (const k of Object.keys(a) as K[]) a[k] += b[k];
}

/** The departments' figures summed per level (市级 / 区县级 / 开发区). */
export function levelTotals(departments: NamedLoopStats["departments"]): { level: string; departments: number; stats: DepartmentLoopStats }[] {
  const by = new Map<string, { level: string; departments: number; stats: DepartmentLoopStats }>();
  for (const d of departments) {
    const level = d.department.level;
    let t = by.get(level);
    if (!t) {
      const copy = structuredClone({ departmentId: 0, pushes: d.pushes, verifications: d.verifications, disputesSent: d.disputesSent, reviews: d.reviews, alerts: d.alerts });
      by.set(level, { level, departments: 1, stats: copy });
      continue;
    }
    t.departments++;
    const s = t.stats;
    addCounts(s.pushes, d.pushes);
    addCounts(s.verifications, d.verifications);
    addRecord(s.verifications.outcomes, d.verifications.outcomes);
    s.disputesSent.total += d.disputesSent.total;
    addRecord(s.disputesSent.byKind, d.disputesSent.byKind);
    addRecord(s.disputesSent.outcomes, d.disputesSent.outcomes);
    addCounts(s.reviews, d.reviews);
    addCounts(s.alerts, d.alerts);
    addRecord(s.alerts.handlings, d.alerts.handlings);
  }
  return [...by.values()].sort((a, b) => levelRank(a.level) - levelRank(b.level) || a.level.localeCompare(b.level));
}

/** joint/total as a per-cent string with one decimal, "—" without visits. */
function share(joint: number, total: number): string {
  return total === 0 ? "—" : `${((1000 * joint) / total / 10).toFixed(1)}%`;
}

/** The four tables of the export, in this order: 各部门, 按层级, 入企检查, 检查频次. */
export function statsSheets(s: NamedLoopStats): StatsSheet[] {
  const byLevel = [...s.departments].sort((a, b) => levelRank(a.department.level) - levelRank(b.department.level) || a.department.code.localeCompare(b.department.code));
  const departments: StatsSheet = {
    name: "各部门",
    columns: ["年度", "层级", "部门代码", "部门", "部门类型", ...FIGURE_COLUMNS],
    rows: byLevel.map((d) => [s.year, levelLabel(d.department.level), d.department.code, d.department.name, d.department.kind === "approval" ? "行政审批部门" : "监管部门", ...figures(d)]),
  };
  const levels: StatsSheet = {
    name: "按层级",
    columns: ["年度", "层级", "部门数", ...FIGURE_COLUMNS],
    rows: levelTotals(s.departments).map((t) => [s.year, levelLabel(t.level), t.departments, ...figures(t.stats)]),
  };
  const v = s.visits;
  const visits: StatsSheet = {
    name: "入企检查",
    columns: ["年度", "统计日", "入企检查次数", "联合检查次数", "联合检查占比", "合并减少的入企次数", "年度检查次数上限", "超过上限的市场主体数"],
    rows: [[s.year, s.today, v.total, v.joint, share(v.joint, v.total), v.duplicatesAvoided, v.maxChecksPerYear ?? "未设常设上限", v.entitiesOverCap ?? "—"]],
  };
  const perEntity: StatsSheet = {
    name: "检查频次",
    columns: ["年度", "每户年度检查次数", "市场主体数", "是否超过上限"],
    rows: v.perEntity.map((p) => [s.year, p.visits, p.entities, v.maxChecksPerYear === null ? "—" : p.visits > v.maxChecksPerYear ? "是" : "否"]),
  };
  return [departments, levels, visits, perEntity];
}
