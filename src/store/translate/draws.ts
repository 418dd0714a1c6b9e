/**
 * Translation between stored rows and the core's shapes for draws, in one pure module (no Prisma,
 * no I/O): the rules of what a draw freezes live here and nowhere else.
 *
 *   drawRequestFromRows(rows)           → DrawRequest2   (src/draws/v2 freezeDraw)
 *   drawConfigFrom(entry)               → the draw configuration with its defaults
 *   instanceFromDraw(inputs, checks, seed) → solver Instance whose tasks carry the drawn teams (pinned)
 *   scheduleFromSolver(schedule, …)     → the schedule record's private part (docs/draw-spec.md §9.3)
 *
 * Row shapes are declared here (what the repository loads), so the mapping is testable without a
 * database.
 */
import { codePointCompare } from "../../draws/canonicalJson.ts";
import { capHistory, checkKind, type DepartmentNode } from "./frequencyCaps.ts";
import { DEFAULT_TEAM_RULE, type DrawConfig, type FrequencyCap, type Quota, type RiskClass, type SeedPlan } from "../../draws/index.ts";
import type { CheckResult, DrawRequest2, FrozenInputs2, PreviousAttempt, ScheduleVisit } from "../../draws/v2/index.ts";
import type { Instance, Schedule } from "../../../solver/index.ts";

export const DEFAULT_GENERAL_RATIO_CAP: Record<RiskClass, string> = { A: "5/100", B: "20/100", C: "60/100", D: "1/1" };
export const DEFAULT_SUBSTITUTES = 3;
export const DEFAULT_DAILY_CAPACITY = 2;

/** The `draw` configuration entry merged with its defaults (validated when set: settings.ts). */
export function drawConfigFrom(entry: unknown): Pick<DrawConfig, "generalRatioCap" | "substitutes" | "team"> {
  const c = (entry && typeof entry === "object" ? entry : {}) as Partial<DrawConfig>;
  return {
    generalRatioCap: { ...DEFAULT_GENERAL_RATIO_CAP, ...(c.generalRatioCap ?? {}) },
    substitutes: c.substitutes ?? DEFAULT_SUBSTITUTES,
    team: { ...DEFAULT_TEAM_RULE, ...(c.team ?? {}) },
  };
}

export interface BatchRows {
  code: string;
  name: string;
  directed: boolean;
  conditions: unknown;
  windowStart: string;
  windowEnd: string;
  plan: { id: number; name: string; year: number };
  departments: {
    role: string;
    /** The department's own 定向 conditions (null: the batch's apply). */
    conditions?: unknown;
    department: { code: string; name: string; level: string };
    items: { code: string; name: string; importance: string; qualifications: string[] }[];
    samplingRules: { riskClass: string; ratioPerMille: number | null; count: number | null }[];
  }[];
}

export interface DrawRows {
  batch: BatchRows;
  /** Working days of the batch window (holiday calendar). */
  horizon: string[];
  entities: { code: string; districtCode: string; industryCode: string | null; kind: string; size: string | null; status: string; riskClass: string | null }[];
  /** This year's non-cancelled tasks of any department, for yearly frequency caps. */
  history: { code: string; department: string; level: string; kind: string; directedKind: string | null }[];
  /** The batch departments' caps (translate/frequencyCaps.ts), each at the department's own level. */
  frequencyCaps: FrequencyCap[];
  /** Every department with its superior, for the line whose checks a cap counts. */
  departmentTree: DepartmentNode[];
  officers: { certificateNo: string; department: string; qualifications: string[]; districts: string[]; unavailable: string[]; active: boolean }[];
  experts: { id: number; certificateNo: string | null; specialities: string[]; districts: string[]; active: boolean }[];
  recusals: { inspector: string; code: string; reason: string }[];
  drawConfig: unknown;
  optimizerConfig: { dailyCapacity?: number; totalCapacity?: number } | null;
  seedPlan: { mode: "commitReveal" } | { mode: "external"; source: string; reference: string };
  attempt: { number: number; previous: PreviousAttempt[] };
  frozenAt: string;
  audit: { seq: number; hash: string };
  classKey: string;
}

type Conditions = NonNullable<DrawRequest2["departments"][number]["conditions"]>;
/** A department's own 定向 conditions, when it has any. */
const ownConditions = (c: unknown): Conditions | undefined => (c && typeof c === "object" && Object.keys(c).length > 0 ? (c as Conditions) : undefined);

function quotaOf(rule: { ratioPerMille: number | null; count: number | null } | undefined): Quota {
  if (!rule) return { count: 0 };
  if (rule.ratioPerMille !== null) return { ratio: `${rule.ratioPerMille}/1000` };
  return { count: rule.count ?? 0 };
}

/** Expert ids: the certificate number, or a stable id for experts without one. */
export const expertId = (x: { id: number; certificateNo: string | null }) => x.certificateNo ?? `EXPERT-${x.id}`;

/**
 * The frozen request of one draw attempt. Capacity of an officer = min(configured total capacity,
 * daily capacity × horizon days the officer is available); an entity without a class is 一般 (B).
 */
export function drawRequestFromRows(r: DrawRows): DrawRequest2 {
  const b = r.batch;
  const conditions = b.directed ? (b.conditions as DrawRequest2["departments"][number]["conditions"]) : undefined;
  const cfg = drawConfigFrom(r.drawConfig);
  const daily = r.optimizerConfig?.dailyCapacity ?? DEFAULT_DAILY_CAPACITY;
  const lead = b.departments.find((d) => d.role === "lead");
  const horizon = new Set(r.horizon);
  const seedPlan: SeedPlan =
    r.seedPlan.mode === "commitReveal" ? { mode: "commitReveal", departments: b.departments.map((d) => d.department.code) } : { mode: "external", source: r.seedPlan.source, reference: r.seedPlan.reference };
  return {
    batch: { id: b.code, name: b.name, year: b.plan.year, level: lead?.department.level ?? "city", plan: { id: String(b.plan.id), name: b.plan.name }, window: { from: b.windowStart, to: b.windowEnd }, horizon: r.horizon },
    attempt: r.attempt,
    frozenAt: r.frozenAt,
    audit: r.audit,
    classKey: r.classKey,
    entities: r.entities.map((e) => ({
      code: e.code,
      district: e.districtCode,
      industry: e.industryCode ?? "",
      kind: e.kind,
      ...(e.size ? { size: e.size } : {}),
      status: e.status,
      riskClass: (e.riskClass ?? "B") as RiskClass,
    })),
    departments: b.departments.map((d) => ({
      id: d.department.code,
      name: d.department.name,
      role: d.role === "lead" ? ("lead" as const) : ("participating" as const),
      items: d.items.map((it) => ({ id: it.code, name: it.name, kind: it.importance === "key" ? ("key" as const) : ("general" as const) })),
      ...(conditions ? { conditions: ownConditions(d.conditions) ?? conditions } : {}),
      quotas: Object.fromEntries((["A", "B", "C", "D"] as const).map((k) => [k, quotaOf(d.samplingRules.find((x) => x.riskClass === k))])) as Record<RiskClass, Quota>,
      requires: [...new Set(d.items.flatMap((it) => it.qualifications))],
    })),
    config: { ...cfg, frequencyCaps: r.frequencyCaps, rules: [] },
    history: capHistory(
      r.history.map((h) => ({ code: h.code, department: h.department, level: h.level, year: b.plan.year, kind: checkKind(h) })),
      r.departmentTree,
      r.frequencyCaps.map((c) => c.department),
    ),
    inspectors: {
      officers: r.officers.map((o) => {
        const available = r.horizon.filter((d) => !o.unavailable.includes(d)).length;
        const total = r.optimizerConfig?.totalCapacity;
        const capacity = Math.min(daily * available, total ?? Number.MAX_SAFE_INTEGER);
        return {
          id: o.certificateNo,
          department: o.department,
          qualifications: o.qualifications,
          districts: o.districts,
          active: o.active,
          capacity,
          dailyCapacity: Math.max(1, daily),
          unavailable: o.unavailable.filter((d) => horizon.has(d)),
        };
      }),
      experts: r.experts.map((x) => ({ id: expertId(x), specialities: x.specialities, districts: x.districts, active: x.active, capacity: null })),
      recusals: r.recusals.map((x) => ({ inspectorId: x.inspector, code: x.code, reason: x.reason })),
    },
    seedPlan,
  };
}

/** Task number of a drawn (department, entity) in a draw. */
export const taskNoOf = (batchCode: string, drawId: number, department: string, code: string) => `${batchCode}-${drawId}-${department}-${code}`;

/**
 * The optimizer instance of a drawn batch: one task per (check, department) whose team is the
 * drawn team (pinned: the optimizer only chooses days), the officers' daily capacity and absences
 * from the frozen inputs, the horizon of the batch. Checks with a shortfall are left out (they
 * cannot go out with fewer than the required officers) and reported by `scheduleFromSolver`.
 */
export function instanceFromDraw(inputs: FrozenInputs2, checks: readonly CheckResult[], seed: string, taskNo: (department: string, code: string) => string): Instance {
  const pub = inputs.public;
  const officers = inputs.private.inspectors?.officers ?? [];
  const ready = checks.filter((c) => !hasShortfall(c));
  const entities = ready.map((c) => ({ id: c.code, district: c.district }));
  const requires = new Map(pub.departments.map((d) => [d.id, d.requires]));
  const days = pub.batch.horizon;
  return {
    horizon: { days },
    entities,
    inspectors: officers.map((o) => ({
      id: o.id,
      department: o.department,
      districts: [...new Set(ready.map((c) => c.district))].filter((d) => o.districts.some((p) => d.startsWith(p))).sort(),
      qualifications: o.qualifications,
      dailyCapacity: o.dailyCapacity,
      totalCapacity: o.capacity ?? o.dailyCapacity * days.length,
      unavailable: o.unavailable,
    })),
    tasks: ready.flatMap((c) =>
      c.departments.map((d) => ({
        id: taskNo(d.department, c.code),
        entity: c.code,
        department: d.department,
        items: pub.departments.find((x) => x.id === d.department)!.items.map((i) => i.id),
        requires: requires.get(d.department) ?? [],
        window: { from: pub.batch.window.from, to: pub.batch.window.to },
        kind: "random" as const,
        team: [...d.officers],
      })),
    ),
    recusals: (inputs.private.inspectors?.recusals ?? []).filter((r) => officers.some((o) => o.id === r.inspectorId)).map((r) => ({ inspector: r.inspectorId, entity: r.code })),
    rules: { minTeam: pub.config.team.minTotal, minPerDepartment: pub.config.team.minPerDepartment, minSoloDepartment: pub.config.team.minTotal },
    seed,
  };
}

export function hasShortfall(c: CheckResult): boolean {
  return c.departments.some((d) => d.shortfall > 0) || c.experts.shortfall > 0;
}

/**
 * The schedule record's private part from the optimizer's schedule: a check is a visit only when
 * all its departments' tasks are on one visit (进一次门); otherwise it is unscheduled with the reason.
 */
export function scheduleFromSolver(
  checks: readonly CheckResult[],
  schedule: Schedule,
  taskNo: (department: string, code: string) => string,
): { visits: ScheduleVisit[]; unscheduled: { code: string; reason: string }[] } {
  const visitOf = new Map<string, { day: string; team: string[]; tasks: string[] }>();
  for (const v of schedule.visits) for (const t of v.tasks) visitOf.set(t, { day: v.day, team: v.team, tasks: v.tasks });
  const reasonOf = new Map(schedule.unscheduled.map((u) => [u.task, u.reason]));
  const visits: ScheduleVisit[] = [];
  const unscheduled: { code: string; reason: string }[] = [];
  for (const c of checks) {
    if (hasShortfall(c)) {
      const short = c.departments.filter((d) => d.shortfall > 0).map((d) => `${d.department} 缺 ${d.shortfall} 人`);
      if (c.experts.shortfall > 0) short.push(`专家缺 ${c.experts.shortfall} 人`);
      unscheduled.push({ code: c.code, reason: `检查组人数不足（${short.join("，")}），须先递补人员` });
      continue;
    }
    const nos = c.departments.map((d) => taskNo(d.department, c.code));
    const vs = nos.map((n) => visitOf.get(n));
    if (vs.every((v) => v !== undefined) && new Set(vs.map((v) => v!.tasks.join("\u0000"))).size === 1) {
      visits.push({ code: c.code, day: vs[0]!.day, officers: c.departments.flatMap((d) => d.officers).sort(codePointCompare), experts: [...c.experts.drawn].sort(codePointCompare) });
    } else {
      const why = nos.map((n) => reasonOf.get(n)).find((x) => x) ?? "各部门的检查无法安排在同一天";
      unscheduled.push({ code: c.code, reason: `无法安排：${why}` });
    }
  }
  return { visits, unscheduled };
}
