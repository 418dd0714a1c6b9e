/**
 * Seeded generator of optimizer instances (benchmarks and tests), built on the demo city
 * (src/demo/catalog.ts): Xi'an's 13 real district codes (区划码) with their population weights,
 * the demo's departments D01…D20 and their 业务专长 (a department's first speciality is the
 * qualification its specialist tasks require). Entity ids are synthetic but valid
 * 统一社会信用代码 (check character from src/directories/creditCode.ts). Everything else is
 * synthetic: no real names, people or companies. Working days are Monday–Friday from the start
 * date (synthetic: holiday data is the calendar module's job, not the optimizer's).
 *
 * Same options (including seed) = identical instance.
 */
import seedrandom from "seedrandom";
import { CREDIT_CODE_ALPHABET, creditCodeCheckChar } from "../../src/directories/creditCode.ts";
import { DEPARTMENTS, DISTRICTS } from "../../src/demo/catalog.ts";
import type { Instance, Inspector, Task, Recusal, Entity, Rules } from "../../solver/model.ts";

export const XIAN_DISTRICTS: readonly { code: string; name: string; weight: number }[] = DISTRICTS;

export interface GeneratorOptions {
  tasks: number;
  departments: number;
  inspectors: number;
  days: number;
  seed: string;
  /** How many of the 13 districts to use (first n). Default 13. */
  districts?: number;
  /** Entities; default 0.6 × tasks. */
  entities?: number;
  /** First working day (a Monday is best). Default 2027-03-01. */
  start?: string;
  dailyCapacity?: number;
  /** Default: enough for a comfortable load (see below). */
  totalCapacity?: number;
  /** Probability that an inspector is unavailable on a given day. */
  unavailableRate?: number;
  /** Share of tasks landing on the "shared" entities that several departments draw. */
  sharedRate?: number;
  /** Share of inspectors covering a second district. */
  multiDistrictRate?: number;
  /** Share of tasks requiring the department's specialist qualification. */
  requiresRate?: number;
  /** Share of directed tasks (short windows). */
  directedRate?: number;
  /** Recusals per task. */
  recusalRate?: number;
  rules?: Partial<Rules>;
}

function workingDays(start: string, n: number): string[] {
  const out: string[] = [];
  const d = new Date(`${start}T00:00:00Z`);
  while (out.length < n) {
    const wd = d.getUTCDay();
    if (wd !== 0 && wd !== 6) out.push(d.toISOString().slice(0, 10));
    d.setUTCDate(d.getUTCDate() + 1);
  }
  return out;
}

export function generateInstance(o: GeneratorOptions): Instance {
  const rng = seedrandom(`gen:${o.seed}`);
  const int = (n: number) => Math.floor(rng() * n);
  const districts = XIAN_DISTRICTS.slice(0, o.districts ?? 13);
  const wsum = districts.reduce((a, d) => a + d.weight, 0);
  const pickDistrict = () => {
    let r = rng() * wsum;
    for (const d of districts) if ((r -= d.weight) < 0) return d.code;
    return districts[districts.length - 1]!.code;
  };
  const days = workingDays(o.start ?? "2027-03-01", o.days);
  const depts = Array.from({ length: o.departments }, (_, i) => DEPARTMENTS[i]?.id ?? `D${String(i + 1).padStart(2, "0")}`);
  const speciality = new Map(DEPARTMENTS.map((d) => [d.id, d.specialities[0] ?? `Q-${d.id}`]));
  const qual = (d: string) => speciality.get(d) ?? `Q-${d}`;

  const nEntities = o.entities ?? Math.max(1, Math.round(o.tasks * 0.6));
  const entities: Entity[] = [];
  const seen = new Set<string>();
  while (entities.length < nEntities) {
    const district = pickDistrict();
    let org = "";
    for (let k = 0; k < 9; k++) org += CREDIT_CODE_ALPHABET[int(31)];
    const first17 = `9${rng() < 0.8 ? "1" : "2"}${district}${org}`;
    const id = first17 + creditCodeCheckChar(first17);
    if (seen.has(id)) continue;
    seen.add(id);
    entities.push({ id, district });
  }

  const avgDistrictLoad = o.tasks / Math.max(1, o.inspectors);
  const totalCapacity = o.totalCapacity ?? Math.max(8, Math.ceil(avgDistrictLoad * 4 + 6));
  const inspectors: Inspector[] = [];
  for (let n = 0; n < o.inspectors; n++) {
    const department = depts[n % depts.length]!;
    // Spread each department's inspectors over districts proportionally to district weight.
    const home = pickDistrict();
    const ds = [home];
    if (rng() < (o.multiDistrictRate ?? 0.2)) {
      const other = districts[int(districts.length)]!.code;
      if (other !== home) ds.push(other);
    }
    const unavailable = days.filter(() => rng() < (o.unavailableRate ?? 0.03));
    inspectors.push({
      id: `I-${String(n + 1).padStart(5, "0")}`,
      department,
      districts: ds,
      qualifications: rng() < 0.6 ? [qual(department), "执法证"] : ["执法证"],
      dailyCapacity: o.dailyCapacity ?? 3,
      totalCapacity,
      unavailable,
    });
  }

  const sharedCount = Math.max(1, Math.round(nEntities * 0.15));
  const month = 21;
  const tasks: Task[] = [];
  for (let n = 0; n < o.tasks; n++) {
    const department = depts[int(depts.length)]!;
    const entity = rng() < (o.sharedRate ?? 0.35) ? entities[int(sharedCount)]! : entities[int(nEntities)]!;
    let from: number;
    let to: number;
    const directed = rng() < (o.directedRate ?? 0.1);
    if (directed) {
      from = int(days.length);
      to = Math.min(days.length - 1, from + 4 + int(6));
    } else if (rng() < 0.3 || days.length <= month) {
      from = 0;
      to = days.length - 1;
    } else {
      const batches = Math.ceil(days.length / month);
      const b = int(batches);
      from = b * month;
      to = Math.min(days.length - 1, from + month - 1);
    }
    const items = ["I01"];
    if (rng() < 0.4) items.push(`I0${2 + int(4)}`);
    tasks.push({
      id: `T-${n + 1}`,
      entity: entity.id,
      department,
      items,
      requires: rng() < (o.requiresRate ?? 0.4) ? [qual(department)] : [],
      window: { from: days[from]!, to: days[to]! },
      kind: directed ? "directed" : "random",
    });
  }

  const recusals: Recusal[] = [];
  const nRec = Math.round(o.tasks * (o.recusalRate ?? 0.003));
  for (let n = 0; n < nRec && inspectors.length > 0; n++) {
    const t = tasks[int(tasks.length)]!;
    const i = inspectors[int(inspectors.length)]!;
    recusals.push({ inspector: i.id, entity: t.entity });
  }

  let seed = "";
  for (let k = 0; k < 16; k++) seed += "0123456789abcdef"[int(16)];
  return { horizon: { days }, entities, inspectors, tasks, recusals, rules: { minTeam: 2, minPerDepartment: 1, minSoloDepartment: 2, assignmentCap: 0.5, ...o.rules }, seed };
}

/** The benchmark instances named in the issue. */
export const PRESETS = {
  /** A city quarter: 25,000 tasks, 20 departments, 3,000 inspectors, 13 districts, 60 working days. */
  quarter: { tasks: 25_000, departments: 20, inspectors: 3_000, days: 60, seed: "q1" },
  /** A city year: 100,000 tasks, 20 departments, 3,000 inspectors, 13 districts, 250 working days. */
  year: { tasks: 100_000, departments: 20, inspectors: 3_000, days: 250, seed: "y1" },
} satisfies Record<string, GeneratorOptions>;
