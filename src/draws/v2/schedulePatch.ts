/**
 * Keep a schedule valid after a substitution (docs/draw-spec.md §9.3), moving as little as
 * possible: every visit keeps its day when its (possibly new) team can still attend that day;
 * a visit whose team cannot is moved to the earliest day its team can attend; a check that has
 * no such day, or now has a shortfall, is unscheduled with the reason. Pure and deterministic.
 *
 *   patchSchedule(prior, checks, officers, horizon) → { visits, unscheduled }
 */
import { codePointCompare } from "../canonicalJson.ts";
import type { CheckResult, Officer2, ScheduleVisit } from "./types.ts";

export interface SchedulePlan {
  visits: ScheduleVisit[];
  unscheduled: { code: string; reason: string }[];
}

const hasShortfall = (c: CheckResult) => c.departments.some((d) => d.shortfall > 0) || c.experts.shortfall > 0;

export function patchSchedule(prior: SchedulePlan, checks: readonly CheckResult[], officers: readonly Officer2[], horizon: readonly string[]): SchedulePlan {
  const byId = new Map(officers.map((o) => [o.id, o]));
  const load = new Map<string, number>();
  const key = (id: string, day: string) => `${id}\u0000${day}`;
  const fits = (team: string[], day: string) =>
    team.every((id) => {
      const o = byId.get(id);
      return !o || (!o.unavailable.includes(day) && (load.get(key(id, day)) ?? 0) < o.dailyCapacity);
    });
  const take = (team: string[], day: string) => team.forEach((id) => load.set(key(id, day), (load.get(key(id, day)) ?? 0) + 1));
  const priorDay = new Map(prior.visits.map((v) => [v.code, v.day]));
  const visits: ScheduleVisit[] = [];
  const unscheduled: { code: string; reason: string }[] = [];
  const pending: CheckResult[] = [];
  const teamOf = (c: CheckResult) => c.departments.flatMap((d) => d.officers).sort(codePointCompare);
  // First the visits that keep their day (in code order), then the ones that must move.
  for (const c of [...checks].sort((a, b) => (a.code < b.code ? -1 : 1))) {
    if (hasShortfall(c)) {
      unscheduled.push({ code: c.code, reason: "检查组人数不足，须先递补人员" });
      continue;
    }
    const day = priorDay.get(c.code);
    const team = teamOf(c);
    if (day !== undefined && fits(team, day)) {
      take(team, day);
      visits.push({ code: c.code, day, officers: team, experts: [...c.experts.drawn].sort(codePointCompare) });
    } else pending.push(c);
  }
  for (const c of pending) {
    const team = teamOf(c);
    const day = horizon.find((d) => fits(team, d));
    if (day === undefined) {
      unscheduled.push({ code: c.code, reason: "检查组成员在时间窗口内没有共同可出勤且未满每日上限的工作日" });
      continue;
    }
    take(team, day);
    visits.push({ code: c.code, day, officers: team, experts: [...c.experts.drawn].sort(codePointCompare) });
  }
  return { visits, unscheduled };
}
