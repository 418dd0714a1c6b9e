/**
 * The planning problem as a plain domain model: the instance (what must be checked, by whom,
 * when) and the schedule (joint visits with teams). This is the exchange format documented in
 * docs/optimizer.md; `parseInstance` / `parseSchedule` validate untrusted JSON into it.
 *
 * Pure: no I/O, no database, no clock.
 */

export type ISODate = string;

export interface Horizon {
  /** The working days, ascending ISO dates (YYYY-MM-DD). */
  days: ISODate[];
}

export interface Entity {
  /** 统一社会信用代码 (or any stable entity id). */
  id: string;
  /** 区划码 of the entity's district. */
  district: string;
}

export interface Inspector {
  id: string;
  department: string;
  /** Districts this inspector may inspect in. */
  districts: string[];
  qualifications: string[];
  /** Most visits on one day. */
  dailyCapacity: number;
  /** Most visits in the whole horizon. */
  totalCapacity: number;
  /** Days the inspector cannot work. */
  unavailable: ISODate[];
}

export type TaskKind = "random" | "directed";

export interface Task {
  id: string;
  /** The entity's id. */
  entity: string;
  department: string;
  items: string[];
  /** Qualifications one officer of the task's department on the visit must hold, all of them. */
  requires: string[];
  /** Inclusive ISO dates. */
  window: { from: ISODate; to: ISODate };
  kind: TaskKind;
  /**
   * Pinned team: when given, exactly these officers of the task's department go on the visit
   * (the team a verifiable draw chose, docs/draw-spec.md §7); the optimizer only places them on a
   * day. Absent: the optimizer draws the department's officers itself.
   */
  team?: string[];
}

export interface Recusal {
  inspector: string;
  entity: string;
}

export interface Rules {
  /** Officers per visit in all. */
  minTeam: number;
  /** Officers of each department whose tasks the visit carries. */
  minPerDepartment: number;
  /** Officers on a visit whose tasks are all of one department. */
  minSoloDepartment: number;
  /** Upper bound on P(inspector i is assigned to entity e), wherever the eligible pool allows. */
  assignmentCap: number;
  /**
   * Rotation (轮换): an inspector who visited an entity in one of the last `rotationRounds` rounds
   * of `previous` is not drawn for it again where the eligible pool allows (0: no rotation).
   */
  rotationRounds: number;
}

/** One earlier round's schedule, as far as rotation needs it (other fields of a schedule are ignored). */
export interface PreviousRound {
  visits: { entity: string; team: string[] }[];
}

export interface Instance {
  horizon: Horizon;
  entities: Entity[];
  inspectors: Inspector[];
  tasks: Task[];
  recusals: Recusal[];
  rules: Partial<Rules>;
  /** Hex string; every random choice of the optimizer derives from it. */
  seed: string;
  /** Earlier rounds' schedules, oldest first (rotation); optional. Unknown ids in them are ignored. */
  previous?: PreviousRound[];
}

export interface Visit {
  entity: string;
  day: ISODate;
  /** Task ids, in instance order. */
  tasks: string[];
  /** Inspector ids, in instance order. */
  team: string[];
}

export interface Unscheduled {
  task: string;
  reason: string;
}

export interface Schedule {
  visits: Visit[];
  unscheduled: Unscheduled[];
}

/** Input that does not follow the exchange format; `path` points at the offending field. */
export class FormatError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`${path}: ${message}`);
  }
}

const ISO = /^\d{4}-\d{2}-\d{2}$/;

function isIsoDate(s: unknown): s is string {
  if (typeof s !== "string" || !ISO.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

function obj(v: unknown, path: string): Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new FormatError(path, "expected an object");
  return v as Record<string, unknown>;
}
function arr(v: unknown, path: string): unknown[] {
  if (!Array.isArray(v)) throw new FormatError(path, "expected an array");
  return v;
}
function str(v: unknown, path: string): string {
  if (typeof v !== "string" || v.length === 0) throw new FormatError(path, "expected a non-empty string");
  return v;
}
function strs(v: unknown, path: string): string[] {
  return arr(v, path).map((x, i) => str(x, `${path}[${i}]`));
}
function date(v: unknown, path: string): string {
  if (!isIsoDate(v)) throw new FormatError(path, "expected an ISO date YYYY-MM-DD");
  return v;
}
function nonNegInt(v: unknown, path: string): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0) throw new FormatError(path, "expected a non-negative integer");
  return v;
}
function unique(ids: string[], path: string): void {
  const seen = new Set<string>();
  ids.forEach((id, i) => {
    if (seen.has(id)) throw new FormatError(`${path}[${i}].id`, `duplicate id '${id}'`);
    seen.add(id);
  });
}

/** Validates untrusted JSON as an instance. Throws `FormatError` naming the first bad field. */
export function parseInstance(raw: unknown): Instance {
  const o = obj(raw, "instance");
  const h = obj(o.horizon, "horizon");
  const days = arr(h.days, "horizon.days").map((d, i) => date(d, `horizon.days[${i}]`));
  for (let i = 1; i < days.length; i++)
    if (days[i]! <= days[i - 1]!) throw new FormatError(`horizon.days[${i}]`, "days must be strictly ascending");
  const entities = arr(o.entities, "entities").map((e, i) => {
    const p = `entities[${i}]`;
    const x = obj(e, p);
    return { id: str(x.id, `${p}.id`), district: str(x.district, `${p}.district`) };
  });
  unique(
    entities.map((e) => e.id),
    "entities",
  );
  const inspectors = arr(o.inspectors, "inspectors").map((e, i): Inspector => {
    const p = `inspectors[${i}]`;
    const x = obj(e, p);
    return {
      id: str(x.id, `${p}.id`),
      department: str(x.department, `${p}.department`),
      districts: strs(x.districts, `${p}.districts`),
      qualifications: strs(x.qualifications ?? [], `${p}.qualifications`),
      dailyCapacity: nonNegInt(x.dailyCapacity, `${p}.dailyCapacity`),
      totalCapacity: nonNegInt(x.totalCapacity, `${p}.totalCapacity`),
      unavailable: arr(x.unavailable ?? [], `${p}.unavailable`).map((d, j) => date(d, `${p}.unavailable[${j}]`)),
    };
  });
  unique(
    inspectors.map((e) => e.id),
    "inspectors",
  );
  const entityIds = new Set(entities.map((e) => e.id));
  const inspectorIds = new Set(inspectors.map((e) => e.id));
  const tasks = arr(o.tasks, "tasks").map((e, i): Task => {
    const p = `tasks[${i}]`;
    const x = obj(e, p);
    const w = obj(x.window, `${p}.window`);
    const kind = x.kind ?? "random";
    if (kind !== "random" && kind !== "directed") throw new FormatError(`${p}.kind`, "expected 'random' or 'directed'");
    const t: Task = {
      id: str(x.id, `${p}.id`),
      entity: str(x.entity, `${p}.entity`),
      department: str(x.department, `${p}.department`),
      items: strs(x.items ?? [], `${p}.items`),
      requires: strs(x.requires ?? [], `${p}.requires`),
      ...(x.team !== undefined ? { team: strs(x.team, `${p}.team`) } : {}),
      window: { from: date(w.from, `${p}.window.from`), to: date(w.to, `${p}.window.to`) },
      kind,
    };
    if (!entityIds.has(t.entity)) throw new FormatError(`${p}.entity`, `unknown entity '${t.entity}'`);
    if (t.window.from > t.window.to) throw new FormatError(`${p}.window`, "from is after to");
    t.team?.forEach((id, j) => {
      if (!inspectorIds.has(id)) throw new FormatError(`${p}.team[${j}]`, `unknown inspector '${id}'`);
    });
    return t;
  });
  unique(
    tasks.map((t) => t.id),
    "tasks",
  );
  const recusals = arr(o.recusals ?? [], "recusals").map((e, i): Recusal => {
    const p = `recusals[${i}]`;
    const x = obj(e, p);
    const r = { inspector: str(x.inspector, `${p}.inspector`), entity: str(x.entity, `${p}.entity`) };
    if (!inspectorIds.has(r.inspector)) throw new FormatError(`${p}.inspector`, `unknown inspector '${r.inspector}'`);
    if (!entityIds.has(r.entity)) throw new FormatError(`${p}.entity`, `unknown entity '${r.entity}'`);
    return r;
  });
  const ro = obj(o.rules ?? {}, "rules");
  const rules: Partial<Rules> = {};
  for (const k of ["minTeam", "minPerDepartment", "minSoloDepartment", "rotationRounds"] as const)
    if (ro[k] !== undefined) rules[k] = nonNegInt(ro[k], `rules.${k}`);
  if (ro.assignmentCap !== undefined) {
    const c = ro.assignmentCap;
    if (typeof c !== "number" || !(c > 0 && c <= 1)) throw new FormatError("rules.assignmentCap", "expected a number in (0, 1]");
    rules.assignmentCap = c;
  }
  const seed = o.seed === undefined ? "0" : str(o.seed, "seed");
  if (!/^[0-9a-fA-F]+$/.test(seed)) throw new FormatError("seed", "expected a hex string");
  const previous = o.previous === undefined ? undefined : arr(o.previous, "previous").map((r, i): PreviousRound => {
    const p = `previous[${i}]`;
    const x = obj(r, p);
    return {
      visits: arr(x.visits, `${p}.visits`).map((v, j) => {
        const y = obj(v, `${p}.visits[${j}]`);
        return { entity: str(y.entity, `${p}.visits[${j}].entity`), team: strs(y.team, `${p}.visits[${j}].team`) };
      }),
    };
  });
  return { horizon: { days }, entities, inspectors, tasks, recusals, rules, seed, ...(previous ? { previous } : {}) };
}

/** Validates untrusted JSON as a schedule's shape (its content is judged by `checkSchedule`). */
export function parseSchedule(raw: unknown): Schedule {
  const o = obj(raw, "schedule");
  const visits = arr(o.visits, "visits").map((v, i): Visit => {
    const p = `visits[${i}]`;
    const x = obj(v, p);
    return { entity: str(x.entity, `${p}.entity`), day: str(x.day, `${p}.day`), tasks: strs(x.tasks, `${p}.tasks`), team: strs(x.team, `${p}.team`) };
  });
  const unscheduled = arr(o.unscheduled ?? [], "unscheduled").map((u, i): Unscheduled => {
    const p = `unscheduled[${i}]`;
    const x = obj(u, p);
    return { task: str(x.task, `${p}.task`), reason: typeof x.reason === "string" ? x.reason : "" };
  });
  return { visits, unscheduled };
}

/** The instance's rules with defaults filled in. */
export function effectiveRules(instance: Instance, defaults: Rules): Rules {
  return { ...defaults, ...instance.rules };
}

/** Index of the first horizon day ≥ `date` (days.length when none). */
export function firstDayAtOrAfter(days: readonly string[], date: string): number {
  let lo = 0;
  let hi = days.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (days[mid]! < date) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the last horizon day ≤ `date` (-1 when none). */
export function lastDayAtOrBefore(days: readonly string[], date: string): number {
  return firstDayAtOrAfter(days, nextIsoDate(date)) - 1;
}

const nextCache = new Map<string, string>();
function nextIsoDate(date: string): string {
  let n = nextCache.get(date);
  if (n === undefined) {
    const d = new Date(`${date}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() + 1);
    n = d.toISOString().slice(0, 10);
    if (nextCache.size < 100_000) nextCache.set(date, n);
  }
  return n;
}

/** A task's window as horizon-day indices [lo, hi]; lo > hi when the window holds no working day. */
export function windowDays(days: readonly string[], task: Task): [number, number] {
  return [firstDayAtOrAfter(days, task.window.from), lastDayAtOrBefore(days, task.window.to)];
}

/**
 * Minimum number of points piercing all intervals (greedy by right endpoint; exact).
 * Returns the chosen points and, for each interval, the point it is assigned to.
 */
export function pierce(intervals: readonly (readonly [number, number])[]): { points: number[]; assignment: number[] } {
  const order = intervals.map((_, i) => i).sort((a, b) => intervals[a]![1] - intervals[b]![1] || intervals[a]![0] - intervals[b]![0] || a - b);
  const points: number[] = [];
  const assignment = new Array<number>(intervals.length).fill(-1);
  let current = -Infinity;
  for (const i of order) {
    const [lo, hi] = intervals[i]!;
    if (lo > current) {
      current = hi;
      points.push(hi);
    }
    assignment[i] = points.length - 1;
  }
  return { points, assignment };
}

/**
 * The lower bound on visits: per entity, the minimum number of days piercing the windows of its
 * tasks (tasks whose window holds no horizon day are left out), summed.
 */
export function visitLowerBound(instance: Instance): number {
  const byEntity = new Map<string, [number, number][]>();
  for (const t of instance.tasks) {
    const w = windowDays(instance.horizon.days, t);
    if (w[0] > w[1]) continue;
    let l = byEntity.get(t.entity);
    if (!l) byEntity.set(t.entity, (l = []));
    l.push(w);
  }
  let total = 0;
  for (const l of byEntity.values()) total += pierce(l).points.length;
  return total;
}
