/**
 * Fairness statistics over many seeds of one instance (benchmarks and tests):
 * the largest empirical P(inspector on entity), and a χ² test that equally eligible inspectors
 * are equally likely to be drawn.
 *
 * Equally eligible: for a visit (same entity, day and tasks in every run) and a department on
 * it, the inspectors of that department who cover the district, are not recused, are available
 * that day and have capacity, split into two classes by whether they hold the department's
 * union of required qualifications. Within a class, selection counts over the runs should be
 * equal; χ² = Σ (O − E)² / E with E the class mean, df = Σ (class size − 1).
 */
import type { Instance, Schedule } from "../../solver/model.ts";

export interface FairnessReport {
  runs: number;
  /** Largest empirical P(i assigned to e) over all inspector × entity pairs seen. */
  maxProbability: number;
  /** Pairs whose empirical probability exceeds the cap (some are legitimate: tiny pools). */
  pairsAboveCap: number;
  /** Pairs where the pool was large enough (≥ k/cap) yet the probability exceeded cap + 3σ. */
  pairsAboveCapWherePoolAllows: number;
  chi2: number;
  df: number;
  /** Upper-tail p-value of χ² (Wilson–Hilferty approximation). */
  pValue: number;
  classes: number;
}

function normalUpperTail(z: number): number {
  // Abramowitz–Stegun 7.1.26 on erfc.
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erfc = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-x * x);
  return z >= 0 ? erfc / 2 : 1 - erfc / 2;
}

export function chiSquareUpperTail(chi2: number, df: number): number {
  if (df <= 0) return 1;
  const h = 2 / (9 * df);
  const z = (Math.cbrt(chi2 / df) - (1 - h)) / Math.sqrt(h);
  return normalUpperTail(z);
}

export function fairnessReport(instance: Instance, schedules: readonly Schedule[], cap = instance.rules.assignmentCap ?? 0.5): FairnessReport {
  const runs = schedules.length;
  const insp = new Map(instance.inspectors.map((i) => [i.id, i]));
  const ent = new Map(instance.entities.map((e) => [e.id, e]));
  const task = new Map(instance.tasks.map((t) => [t.id, t]));
  const recused = new Set(instance.recusals.map((r) => `${r.inspector}|${r.entity}`));
  const pair = new Map<string, number>();
  const visitCount = new Map<string, number>();
  const chosen = new Map<string, Map<string, number>>(); // visit key → inspector → count
  for (const s of schedules)
    for (const v of s.visits) {
      const key = `${v.entity}|${v.day}|${v.tasks.join(",")}`;
      visitCount.set(key, (visitCount.get(key) ?? 0) + 1);
      let c = chosen.get(key);
      if (!c) chosen.set(key, (c = new Map()));
      for (const i of v.team) {
        c.set(i, (c.get(i) ?? 0) + 1);
        const p = `${i}|${v.entity}`;
        pair.set(p, (pair.get(p) ?? 0) + 1);
      }
    }
  let maxProbability = 0;
  let pairsAboveCap = 0;
  for (const n of pair.values()) {
    maxProbability = Math.max(maxProbability, n / runs);
    if (n / runs > cap) pairsAboveCap++;
  }
  let chi2 = 0;
  let df = 0;
  let classes = 0;
  let pairsAboveCapWherePoolAllows = 0;
  const sigma = Math.sqrt((cap * (1 - cap)) / runs);
  for (const [key, n] of visitCount) {
    if (n !== runs) continue; // the visit must be the same in every run
    const [entityId, day, tasksJoined] = key.split("|") as [string, string, string];
    const entity = ent.get(entityId)!;
    const tasks = tasksJoined.split(",").map((t) => task.get(t)!);
    const depts = [...new Set(tasks.map((t) => t.department))];
    const c = chosen.get(key)!;
    for (const d of depts) {
      const req = [...new Set(tasks.filter((t) => t.department === d).flatMap((t) => t.requires))];
      const pool = instance.inspectors.filter(
        (i) =>
          i.department === d &&
          i.districts.includes(entity.district) &&
          !recused.has(`${i.id}|${entity.id}`) &&
          !i.unavailable.includes(day) &&
          i.dailyCapacity > 0 &&
          i.totalCapacity > 0,
      );
      const k = depts.length === 1 ? 2 : 1;
      for (const cls of [pool.filter((i) => req.every((q) => i.qualifications.includes(q))), pool.filter((i) => !req.every((q) => i.qualifications.includes(q)))]) {
        if (cls.length < 2) continue;
        const counts = cls.map((i) => c.get(i.id) ?? 0);
        const mean = counts.reduce((a, b) => a + b, 0) / cls.length;
        if (mean <= 0) continue;
        classes++;
        df += cls.length - 1;
        for (const o of counts) chi2 += (o - mean) ** 2 / mean;
      }
      if (pool.length >= k / cap)
        for (const i of pool) if ((pair.get(`${i.id}|${entityId}`) ?? 0) / runs > cap + 3 * sigma) pairsAboveCapWherePoolAllows++;
    }
  }
  void insp;
  return { runs, maxProbability, pairsAboveCap, pairsAboveCapWherePoolAllows, chi2, df, pValue: chiSquareUpperTail(chi2, df), classes };
}
