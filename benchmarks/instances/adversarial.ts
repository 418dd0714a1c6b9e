/**
 * Seeded generator of capacity-tight optimizer instances (benchmarks and tests): the shapes the
 * demo city does not have.
 *
 *   adversarialInstance(seed, options?) → Instance        same seed + options = identical instance
 *   adversarialFamily(count, base)      → seeds "<base>-0" … "<base>-<count−1>"
 *
 * Shapes, each drawn per instance from the seed:
 * - uneven district sizes (one district holds most entities, some very few);
 * - inspectors covering only some districts (a home district and sometimes a neighbour), so a
 *   department may have one or two officers in a district;
 * - small daily (1–2) and total (5–16) capacities;
 * - scarce qualifications: two specialities per department, held by few officers; tasks require
 *   none, one or both;
 * - absences: leave blocks of several consecutive days and scattered single days;
 * - short windows (a single week, or 2–4 days for directed checks) mixed with long ones
 *   (a month, the whole horizon), given as calendar dates;
 * - holidays cut out of the horizon (a block of 3–7 working days and a single day), so some
 *   windows shrink and some hold no working day at all;
 * - heavy recusal (回避): about a third of the tasks recuse one of the eligible officers;
 * - several departments on the same entities (a shared set of entities drawn by most of them).
 * With `pinned`, every task carries a team drawn from its eligible officers within their total
 * capacity (the draw's teams: the optimizer then chooses days only).
 *
 * Synthetic throughout: ids are codes like E-0001 / I-D1-01, no real names or entities.
 */
import seedrandom from "seedrandom";
import type { Entity, Inspector, Instance, Recusal, Rules, Task } from "../../solver/model.ts";

export interface AdversarialOptions {
  /** Number of tasks; default drawn from 100–300. */
  tasks?: number;
  /** Draw a pinned team for every task (drawn checks). */
  pinned?: boolean;
  rules?: Partial<Rules>;
}

const DAY_MS = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function adversarialInstance(seed: string, o: AdversarialOptions = {}): Instance {
  const rng = seedrandom(`adversarial:${seed}`);
  const int = (lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rng() * a.length)]!;
  const nTasks = o.tasks ?? int(100, 300);
  const nDepts = int(2, 5);
  const nDistricts = int(3, 6);
  // Calendar: 3–5 weeks of weekdays from a Monday, minus a holiday block and a single holiday.
  const weeks = int(3, 5);
  const start = Date.UTC(2027, 8, 6); // a Monday
  const weekdays: number[] = [];
  for (let d = 0; d < weeks * 7; d++) {
    const wd = new Date(start + d * DAY_MS).getUTCDay();
    if (wd !== 0 && wd !== 6) weekdays.push(start + d * DAY_MS);
  }
  const hb = int(0, weekdays.length - 8);
  const holidays = new Set(weekdays.slice(hb, hb + int(3, 7)));
  holidays.add(pick(weekdays));
  const days = weekdays.filter((d) => !holidays.has(d)).map(iso);

  const districts = Array.from({ length: nDistricts }, (_, k) => `61${String(100 + k * 3).padStart(4, "0")}`);
  // Uneven sizes: the first district dominates, weights fall off fast.
  const weights = districts.map((_, k) => (k === 0 ? 6 + rng() * 6 : 1 / (k + rng())));
  const wsum = weights.reduce((a, b) => a + b, 0);
  const pickDistrict = () => {
    let r = rng() * wsum;
    for (let k = 0; k < nDistricts; k++) if ((r -= weights[k]!) < 0) return districts[k]!;
    return districts[nDistricts - 1]!;
  };
  const nEntities = Math.max(4, Math.round(nTasks * (0.35 + rng() * 0.25)));
  const entities: Entity[] = Array.from({ length: nEntities }, (_, n) => ({ id: `E-${String(n + 1).padStart(4, "0")}`, district: pickDistrict() }));

  const depts = Array.from({ length: nDepts }, (_, k) => `D${k + 1}`);
  const quals = (d: string) => [`${d}-甲`, `${d}-乙`];
  const inspectors: Inspector[] = [];
  for (const d of depts) {
    const n = int(Math.max(4, nDistricts) + 1, 5 + Math.round(nTasks / (nDepts * 7)));
    for (let k = 0; k < n; k++) {
      // Every district gets at least one officer of the department; then homes follow the sizes.
      const home = k < nDistricts ? districts[k]! : pickDistrict();
      const ds = [home];
      if (rng() < 0.35) {
        const other = pick(districts);
        if (other !== home) ds.push(other);
      }
      const unavailable = new Set<string>();
      if (rng() < 0.5) {
        const b = int(0, days.length - 1);
        for (let t = b; t < Math.min(days.length, b + int(3, 8)); t++) unavailable.add(days[t]!);
      }
      for (const day of days) if (rng() < 0.05) unavailable.add(day);
      const q = quals(d).filter((_, j) => rng() < (j === 0 ? 0.35 : 0.2));
      inspectors.push({
        id: `I-${d}-${String(k + 1).padStart(2, "0")}`,
        department: d,
        districts: ds,
        qualifications: [...q, "执法证"],
        dailyCapacity: rng() < 0.6 ? 1 : 2,
        totalCapacity: int(5, 16),
        unavailable: days.filter((x) => unavailable.has(x)),
      });
    }
  }

  // Tasks: a shared set of entities carries most departments' tasks.
  const shared = entities.slice(0, Math.max(2, Math.round(nEntities * 0.15)));
  const sharedRate = 0.3 + rng() * 0.3;
  const first = start;
  const last = start + (weeks * 7 - 1) * DAY_MS;
  const tasks: Task[] = [];
  for (let n = 0; n < nTasks; n++) {
    const department = pick(depts);
    const entity = rng() < sharedRate ? pick(shared) : pick(entities);
    let from: number;
    let to: number;
    let kind: Task["kind"] = "random";
    const r = rng();
    if (r < 0.15) {
      kind = "directed";
      from = first + int(0, weeks * 7 - 4) * DAY_MS;
      to = from + int(1, 3) * DAY_MS;
    } else if (r < 0.5) {
      const w = int(0, weeks - 1); // a single week, Monday to Friday
      from = first + w * 7 * DAY_MS;
      to = from + 4 * DAY_MS;
    } else if (r < 0.8) {
      const m = int(0, Math.max(0, weeks - 4));
      from = first + m * 7 * DAY_MS;
      to = Math.min(last, from + 27 * DAY_MS);
    } else {
      from = first;
      to = last;
    }
    const q = rng();
    const [a, b] = quals(department);
    const requires = q < 0.5 ? [] : q < 0.8 ? [a!] : q < 0.95 ? [b!] : [a!, b!];
    tasks.push({ id: `T-${n + 1}`, entity: entity.id, department, items: ["I01"], requires, window: { from: iso(from), to: iso(to) }, kind });
  }

  // Heavy recusal: about a third of the tasks recuse one eligible officer of their department.
  const recusals: Recusal[] = [];
  const seen = new Set<string>();
  const district = new Map(entities.map((e) => [e.id, e.district]));
  for (const t of tasks) {
    if (rng() >= 0.33) continue;
    const eligible = inspectors.filter((i) => i.department === t.department && i.districts.includes(district.get(t.entity)!));
    if (eligible.length === 0) continue;
    const i = pick(eligible);
    const k = `${i.id}|${t.entity}`;
    if (seen.has(k)) continue;
    seen.add(k);
    recusals.push({ inspector: i.id, entity: t.entity });
  }

  const rules: Partial<Rules> = { minTeam: 2, minPerDepartment: 1, minSoloDepartment: 2, assignmentCap: 0.5, ...(rng() < 0.2 ? { minTeam: 3 } : {}), ...o.rules };
  let hex = "";
  for (let k = 0; k < 16; k++) hex += "0123456789abcdef"[Math.floor(rng() * 16)];
  const instance: Instance = { horizon: { days }, entities, inspectors, tasks, recusals, rules, seed: hex };
  return o.pinned ? withDrawnTeams(instance, rng) : instance;
}

/**
 * Pins a team on every task as a draw would (docs/draw-spec.md §7, simplified): per entity one
 * check with every department that has tasks there; per department `minPerDepartment` officers,
 * topped up to `minTeam` round robin; officers eligible (department, district, no recusal,
 * holding all the department's requirements on the entity) and below their total capacity, in a
 * seeded random order. A department that cannot be staffed gets no team (its tasks stay as they
 * are: the optimizer draws them).
 */
function withDrawnTeams(instance: Instance, rng: () => number): Instance {
  const load = new Map<string, number>();
  const district = new Map(instance.entities.map((e) => [e.id, e.district]));
  const recused = new Set(instance.recusals.map((r) => `${r.inspector}|${r.entity}`));
  const min = instance.rules.minPerDepartment ?? 1;
  const minTeam = instance.rules.minTeam ?? 2;
  const byEntity = new Map<string, Task[]>();
  for (const t of instance.tasks) {
    const l = byEntity.get(t.entity);
    if (l) l.push(t);
    else byEntity.set(t.entity, [t]);
  }
  const teams = new Map<string, string[]>(); // entity|dept → team
  for (const [e, ts] of byEntity) {
    const depts = [...new Set(ts.map((t) => t.department))].sort();
    const need = new Map(depts.map((d) => [d, depts.length === 1 ? Math.max(minTeam, instance.rules.minSoloDepartment ?? 2) : min]));
    let total = [...need.values()].reduce((a, b) => a + b, 0);
    for (let k = 0; total < minTeam; k = (k + 1) % depts.length, total++) need.set(depts[k]!, need.get(depts[k]!)! + 1);
    for (const d of depts) {
      const req = [...new Set(ts.filter((t) => t.department === d).flatMap((t) => t.requires))];
      const order = instance.inspectors
        .filter((i) => i.department === d && i.districts.includes(district.get(e)!) && !recused.has(`${i.id}|${e}`) && req.every((q) => i.qualifications.includes(q)))
        .map((i) => ({ i, r: rng() }))
        .sort((a, b) => a.r - b.r)
        .map((x) => x.i);
      const team: string[] = [];
      for (const i of order) {
        if (team.length >= need.get(d)!) break;
        if ((load.get(i.id) ?? 0) >= i.totalCapacity) continue;
        team.push(i.id);
      }
      if (team.length < need.get(d)!) continue;
      for (const id of team) load.set(id, (load.get(id) ?? 0) + 1);
      teams.set(`${e}|${d}`, team);
    }
  }
  return { ...instance, tasks: instance.tasks.map((t) => (teams.has(`${t.entity}|${t.department}`) ? { ...t, team: teams.get(`${t.entity}|${t.department}`)! } : t)) };
}

export function adversarialFamily(count: number, base = "adv"): string[] {
  return Array.from({ length: count }, (_, n) => `${base}-${n}`);
}
