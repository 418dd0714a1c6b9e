/**
 * Per-inspector load of a schedule, for the benchmark rows: visits per inspector over every
 * inspector of the instance (those with no visit count as 0), and the largest load relative to
 * the inspector's total capacity (the quantity the balancing step minimizes).
 */
import type { Instance, Schedule } from "../../solver/model.ts";

export interface LoadStats {
  min: number;
  max: number;
  mean: number;
  /** Population standard deviation of visits per inspector. */
  stdev: number;
  /** max over inspectors of visits / totalCapacity (0 when no inspector has capacity). */
  maxRelative: number;
}

export function loadStats(instance: Instance, schedule: Schedule): LoadStats {
  const visits = new Map(instance.inspectors.map((i) => [i.id, 0]));
  for (const v of schedule.visits) for (const id of v.team) visits.set(id, (visits.get(id) ?? 0) + 1);
  const loads = [...visits.values()];
  if (loads.length === 0) return { min: 0, max: 0, mean: 0, stdev: 0, maxRelative: 0 };
  const mean = loads.reduce((s, x) => s + x, 0) / loads.length;
  const variance = loads.reduce((s, x) => s + (x - mean) ** 2, 0) / loads.length;
  let maxRelative = 0;
  for (const i of instance.inspectors) if (i.totalCapacity > 0) maxRelative = Math.max(maxRelative, visits.get(i.id)! / i.totalCapacity);
  return { min: Math.min(...loads), max: Math.max(...loads), mean, stdev: Math.sqrt(variance), maxRelative };
}

/** "min–max, mean ± sd, max/cap r" for a table cell. */
export function formatLoad(s: LoadStats): string {
  return `${s.min}–${s.max}, ${s.mean.toFixed(2)} ± ${s.stdev.toFixed(2)}, max/cap ${s.maxRelative.toFixed(2)}`;
}
