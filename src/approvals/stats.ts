/**
 * 全记录 and statistics of the loop (督查考核): per department, how its steps stand — pushes
 * acknowledged on time, verifications done on time and their outcomes, disputes and their
 * outcomes, alerts answered — and, over the year's visits, checks per entity against the
 * frequency cap, the joint-check share and the visits saved by merging.
 */
import { classifyStep, type StepStatus } from "./steps.ts";
import type { AlertHandling, DisputeKind, ReviewOutcome, VerificationOutcome } from "./values.ts";

export type StepCounts = Record<StepStatus, number> & { total: number };

const zero = (): StepCounts => ({ total: 0, pending: 0, onTime: 0, late: 0, overdue: 0, noDeadline: 0 });

export interface StepRow {
  departmentId: number;
  dueOn: string | null;
  doneOn: string | null;
}

export interface LoopStatsInput {
  today: string;
  pushes: StepRow[];
  verifications: (StepRow & { outcome: VerificationOutcome | null })[];
  disputes: (StepRow & { kind: DisputeKind; outcome: ReviewOutcome | null; bureauId: number })[];
  alerts: (StepRow & { handling: AlertHandling | null })[];
  /** The year's visits (planned or done): entity, departments on it, tasks it carries. */
  visits: { entityId: number; departmentIds: number[]; tasks: number }[];
  /** Most checks of one entity in the year (抽查频次上限). */
  maxChecksPerYear: number;
}

export interface DepartmentLoopStats {
  departmentId: number;
  pushes: StepCounts;
  verifications: StepCounts & { outcomes: Record<VerificationOutcome, number> };
  /** 函告 the department sent (review steps counted against the bureau, see `reviews`). */
  disputesSent: { total: number; byKind: Record<DisputeKind, number>; outcomes: Record<ReviewOutcome, number> };
  /** 复核 the department (an approval bureau) owes. */
  reviews: StepCounts;
  alerts: StepCounts & { handlings: Record<AlertHandling, number> };
}

export interface LoopStats {
  departments: DepartmentLoopStats[];
  visits: {
    total: number;
    /** Visits with tasks of two or more departments. */
    joint: number;
    /** joint / total as a string "p/q" (exact), "0/0" without visits. */
    jointShare: string;
    /** Tasks carried by the visits minus the visits: visits a department would otherwise have made. */
    duplicatesAvoided: number;
    /** Entities visited more often than the cap. */
    entitiesOverCap: number;
    /** Visits per entity: count of entities visited n times, n ascending. */
    perEntity: { visits: number; entities: number }[];
  };
}

function bump(c: StepCounts, row: StepRow, today: string): void {
  c.total++;
  c[classifyStep(row, today)]++;
}

/** The statistics; departments in ascending id order, only those with something to count. */
export function loopStats(input: LoopStatsInput): LoopStats {
  const by = new Map<number, DepartmentLoopStats>();
  const of = (id: number) => {
    let s = by.get(id);
    if (!s)
      by.set(
        id,
        (s = {
          departmentId: id,
          pushes: zero(),
          verifications: { ...zero(), outcomes: { true: 0, false: 0, unfulfilled: 0 } },
          disputesSent: { total: 0, byKind: { dispute: 0, falseCommitment: 0, forgedMaterials: 0, brokenCommitment: 0 }, outcomes: { maintain: 0, revoke: 0, rectify: 0, dispose: 0 } },
          reviews: zero(),
          alerts: { ...zero(), handlings: { confirmed: 0, rectified: 0, dismissed: 0, referred: 0 } },
        }),
      );
    return s;
  };
  for (const p of input.pushes) bump(of(p.departmentId).pushes, p, input.today);
  for (const v of input.verifications) {
    const s = of(v.departmentId).verifications;
    bump(s, v, input.today);
    if (v.outcome) s.outcomes[v.outcome]++;
  }
  for (const d of input.disputes) {
    const s = of(d.departmentId).disputesSent;
    s.total++;
    s.byKind[d.kind]++;
    if (d.outcome) s.outcomes[d.outcome]++;
    bump(of(d.bureauId).reviews, d, input.today);
  }
  for (const a of input.alerts) {
    const s = of(a.departmentId).alerts;
    bump(s, a, input.today);
    if (a.handling) s.handlings[a.handling]++;
  }
  const perEntity = new Map<number, number>();
  let joint = 0, tasks = 0;
  for (const v of input.visits) {
    perEntity.set(v.entityId, (perEntity.get(v.entityId) ?? 0) + 1);
    if (new Set(v.departmentIds).size >= 2) joint++;
    tasks += v.tasks;
  }
  const hist = new Map<number, number>();
  for (const n of perEntity.values()) hist.set(n, (hist.get(n) ?? 0) + 1);
  return {
    departments: [...by.values()].sort((a, b) => a.departmentId - b.departmentId),
    visits: {
      total: input.visits.length,
      joint,
      jointShare: `${joint}/${input.visits.length}`,
      duplicatesAvoided: tasks - input.visits.length,
      entitiesOverCap: [...perEntity.values()].filter((n) => n > input.maxChecksPerYear).length,
      perEntity: [...hist].sort(([a], [b]) => a - b).map(([visits, entities]) => ({ visits, entities })),
    },
  };
}
