/**
 * Reference optimum with HiGHS (devDependency; tests and benchmarks only): the whole instance as
 * one mixed-integer program, solved monolithically. Objective: unscheduled tasks first (weight
 * M), then visits. Team variables carry every hard constraint of docs/optimizer.md (and the
 * optimizer's one rule beyond the checker: a drawn check — the pinned tasks of one entity whose
 * windows share a day — goes out whole), so the optimum is a true lower bound for the optimizer
 * on the same instance. Limited by nodes, never by a clock.
 */
import highsModule from "highs";
import { DEFAULT_RULES } from "../../solver/config.ts";
import { effectiveRules, windowDays } from "../../solver/model.ts";
import type { Instance } from "../../solver/model.ts";

export interface ReferenceResult {
  status: string;
  /** Visits in the optimum (NaN when HiGHS found no optimum). */
  visits: number;
  unscheduled: number;
  ms: number;
  variables: number;
}

type Loader = typeof import("highs").default;
/** The loader (the package's ESM default export; its typings describe the CJS shape). */
const highsLoader: Loader = (highsModule as unknown as { default?: Loader }).default ?? (highsModule as unknown as Loader);
type Highs = Awaited<ReturnType<Loader>>;
let highsPromise: Promise<Highs> | undefined;
function highs(): Promise<Highs> {
  return (highsPromise ??= highsLoader());
}

export function referenceModel(instance: Instance): { lp: string; variables: number; weight: number } {
  const rules = effectiveRules(instance, DEFAULT_RULES);
  const days = instance.horizon.days;
  const ent = new Map(instance.entities.map((e, i) => [e.id, i]));
  const recused = new Set(instance.recusals.map((r) => `${r.inspector}|${r.entity}`));
  const objective: string[] = [];
  const rows: string[] = [];
  const binaries: string[] = [];
  const bin = (name: string) => {
    binaries.push(name);
    return name;
  };
  const row = (terms: string[], rel: string) => {
    const lines: string[] = [];
    for (let i = 0; i < terms.length; i += 8) lines.push(terms.slice(i, i + 8).join(" "));
    rows.push(` c${rows.length}: ${lines.join("\n   ")} ${rel}`);
  };
  const tasksByEntity = new Map<number, number[]>();
  instance.tasks.forEach((t, j) => {
    const e = ent.get(t.entity)!;
    let l = tasksByEntity.get(e);
    if (!l) tasksByEntity.set(e, (l = []));
    l.push(j);
  });
  const unsched: string[] = [];
  const load = new Map<string, string[]>(); // i_t → w names
  const total = new Map<number, string[]>();
  instance.tasks.forEach((_, j) => unsched.push(bin(`u${j}`)));
  const weight = instance.tasks.length * 2 + 1;
  for (const [e, tasks] of tasksByEntity) {
    const entity = instance.entities[e]!;
    const daySet = new Set<number>();
    const win = new Map<number, [number, number]>();
    for (const j of tasks) {
      const w = windowDays(days, instance.tasks[j]!);
      win.set(j, w);
      for (let t = w[0]; t <= w[1]; t++) daySet.add(t);
    }
    const depts = [...new Set(tasks.map((j) => instance.tasks[j]!.department))];
    // Pinned teams: exactly these officers of the department go; the drawn check (the pinned
    // tasks of the entity, when their windows share a day) goes out whole or not at all.
    const pinnedTeam = new Map<string, Set<string>>();
    for (const j of tasks) {
      const task = instance.tasks[j]!;
      if (task.team) pinnedTeam.set(task.department, new Set(task.team));
    }
    const pinnedTasks = tasks.filter((j) => instance.tasks[j]!.team !== undefined);
    const common = pinnedTasks.reduce<[number, number]>((a, j) => [Math.max(a[0], win.get(j)![0]), Math.min(a[1], win.get(j)![1])], [-Infinity, Infinity]);
    const block = pinnedTasks.length > 1 && common[0] <= common[1] ? new Set(pinnedTasks) : new Set<number>();
    for (const t of [...daySet].sort((a, b) => a - b)) {
      const y = bin(`y${e}_${t}`);
      objective.push(`+ ${y}`);
      const h = new Map(depts.map((d, k) => [d, bin(`h${e}_${k}_${t}`)]));
      const wByDept = new Map<string, { name: string; i: number }[]>();
      for (const d of depts) {
        row([`${h.get(d)!}`, `- ${y}`], "<= 0");
        // a department is on the visit only with one of its tasks
        const own = tasks.filter((j) => instance.tasks[j]!.department === d && t >= win.get(j)![0] && t <= win.get(j)![1] && (!block.has(j) || (t >= common[0] && t <= common[1])));
        row([`${h.get(d)!}`, ...own.map((j) => `- z${j}_${t}`)], "<= 0");
        const ws: { name: string; i: number }[] = [];
        const pin = pinnedTeam.get(d);
        let pinnedMissing = false;
        instance.inspectors.forEach((x, i) => {
          if (x.department !== d) return;
          if (pin && !pin.has(x.id)) return;
          const ok = x.districts.includes(entity.district) && !recused.has(`${x.id}|${entity.id}`) && !x.unavailable.includes(days[t]!) && x.dailyCapacity >= 1 && x.totalCapacity >= 1;
          if (!ok) {
            if (pin) pinnedMissing = true;
            return;
          }
          const name = bin(`w${i}_${e}_${t}`);
          ws.push({ name, i });
          row([name, `- ${h.get(d)!}`], pin ? "= 0" : "<= 0");
          const k = `${i}_${t}`;
          if (!load.has(k)) load.set(k, []);
          load.get(k)!.push(name);
          if (!total.has(i)) total.set(i, []);
          total.get(i)!.push(name);
        });
        if (pin && (pinnedMissing || ws.length < pin.size)) row([`${h.get(d)!}`], "<= 0");
        wByDept.set(d, ws);
        row([...ws.map((w) => `+ ${w.name}`), `- ${rules.minPerDepartment} ${h.get(d)!}`], ">= 0");
        const others = depts.filter((o) => o !== d).map((o) => `+ ${rules.minSoloDepartment} ${h.get(o)!}`);
        row([...ws.map((w) => `+ ${w.name}`), `- ${rules.minSoloDepartment} ${h.get(d)!}`, ...others], ">= 0");
      }
      const all = [...wByDept.values()].flat();
      row([...all.map((w) => `+ ${w.name}`), `- ${rules.minTeam} ${y}`], ">= 0");
      for (const j of tasks) {
        const [lo, hi] = win.get(j)!;
        if (t < lo || t > hi) continue;
        if (block.has(j) && (t < common[0] || t > common[1])) continue;
        const task = instance.tasks[j]!;
        const z = bin(`z${j}_${t}`);
        row([z, `- ${h.get(task.department)!}`], "<= 0");
        const q = wByDept.get(task.department)!.filter((w) => task.requires.every((r) => instance.inspectors[w.i]!.qualifications.includes(r)));
        row([...q.map((w) => `+ ${w.name}`), `- ${z}`], ">= 0");
      }
      const inBlock = [...block].filter((j) => t >= common[0] && t <= common[1]);
      for (let k = 1; k < inBlock.length; k++) row([`z${inBlock[0]!}_${t}`, `- z${inBlock[k]!}_${t}`], "= 0");
    }
  }
  // Σ_t z + u = 1
  const zByTask = new Map<number, string[]>();
  for (const b of binaries)
    if (b.startsWith("z")) {
      const j = Number(b.slice(1, b.indexOf("_")));
      if (!zByTask.has(j)) zByTask.set(j, []);
      zByTask.get(j)!.push(b);
    }
  instance.tasks.forEach((_, j) => row([...(zByTask.get(j) ?? []).map((z) => `+ ${z}`), `+ u${j}`], "= 1"));
  for (const [k, ws] of load) {
    const i = Number(k.split("_")[0]);
    if (ws.length > instance.inspectors[i]!.dailyCapacity) row(ws.map((w) => `+ ${w}`), `<= ${instance.inspectors[i]!.dailyCapacity}`);
  }
  for (const [i, ws] of total) if (ws.length > instance.inspectors[i]!.totalCapacity) row(ws.map((w) => `+ ${w}`), `<= ${instance.inspectors[i]!.totalCapacity}`);
  const obj = [...objective, ...unsched.map((u) => `+ ${weight} ${u}`)];
  const objLines: string[] = [];
  for (let i = 0; i < obj.length; i += 8) objLines.push(obj.slice(i, i + 8).join(" "));
  const lp = `Minimize\n obj: ${objLines.join("\n   ")}\nSubject To\n${rows.join("\n")}\nBinary\n ${binaries.join("\n ")}\nEnd\n`;
  return { lp, variables: binaries.length, weight };
}

/** The optimum, or HiGHS's status when `maxNodes` branch-and-bound nodes did not prove one (no clock). */
export async function referenceOptimum(instance: Instance, maxNodes = 1_000_000): Promise<ReferenceResult> {
  const { lp, variables } = referenceModel(instance);
  const h = await highs();
  const t0 = performance.now();
  const r = h.solve(lp, { mip_max_nodes: maxNodes, mip_rel_gap: 0, output_flag: false } as Parameters<Highs["solve"]>[1]);
  const ms = performance.now() - t0;
  if (r.Status !== "Optimal") return { status: r.Status, visits: NaN, unscheduled: NaN, ms, variables };
  let visits = 0;
  let unscheduled = 0;
  for (const [name, c] of Object.entries(r.Columns)) {
    const v = Math.round((c as { Primal: number }).Primal);
    if (name.startsWith("y")) visits += v;
    if (name.startsWith("u")) unscheduled += v;
  }
  return { status: r.Status, visits, unscheduled, ms, variables };
}
