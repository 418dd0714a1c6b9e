/**
 * `npm run bench -- optimizer [--cases small,quarter,year,fairness,rotation,adversarial] [--count 200] [--offset 0]`
 *
 * Instances come from the seeded generator (benchmarks/instances/generator.ts). Each large case
 * runs in its own child process so that its peak memory (max RSS, generator included) is its own.
 * Times are wall-clock for `optimize` alone (which includes its own feasibility check).
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { generateInstance, PRESETS } from "./instances/generator.ts";
import type { GeneratorOptions } from "./instances/generator.ts";
import { referenceOptimum } from "./instances/highsReference.ts";
import { fairnessReport } from "./instances/fairness.ts";
import { adversarialFamily, adversarialInstance } from "./instances/adversarial.ts";
import { rotationReport } from "./instances/rotation.ts";
import { formatLoad, loadStats } from "./instances/load.ts";
import { optimizeExact } from "../solver/highs.ts";
import { optimizeDetailed, optimize } from "../solver/optimize.ts";
import { checkSchedule } from "../solver/constraints.ts";

const SMALL: (GeneratorOptions & { name: string })[] = [
  { name: "small-a (slack)", tasks: 60, departments: 3, inspectors: 24, days: 10, districts: 2, seed: "b1" },
  { name: "small-b (unavail. 20%)", tasks: 120, departments: 3, inspectors: 30, days: 10, districts: 2, seed: "b2", unavailableRate: 0.2 },
  { name: "small-c (tight capacity)", tasks: 40, departments: 2, inspectors: 8, days: 5, districts: 1, seed: "r3", dailyCapacity: 1, totalCapacity: 4 },
  { name: "small-d (tight, 3 depts)", tasks: 60, departments: 3, inspectors: 15, days: 6, districts: 1, seed: "b4", dailyCapacity: 1, totalCapacity: 3 },
  { name: "medium (300 tasks)", tasks: 300, departments: 4, inspectors: 60, days: 20, districts: 3, seed: "b5" },
];

interface Row {
  name: string;
  tasks: number;
  visits: number;
  lowerBound: number;
  lowerBoundScheduled: number;
  unscheduled: number;
  /** Visits per inspector: min–max, mean ± sd, max/capacity. */
  load: string;
  seconds: number;
  cpuSeconds: number;
  peakMB?: number;
  highs?: string;
  feasible: boolean;
  stats: string;
}

async function run(name: string, opts: GeneratorOptions): Promise<Row> {
  const inst = generateInstance(opts);
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const { schedule, stats, optimality } = await optimizeExact(inst);
  const seconds = (performance.now() - t0) / 1000;
  const cu = process.cpuUsage(c0);
  const cpuSeconds = (cu.user + cu.system) / 1e6;
  const c = checkSchedule(inst, schedule);
  const m = c.metrics;
  return {
    name,
    tasks: m.tasks,
    visits: m.visits,
    lowerBound: m.lowerBound,
    lowerBoundScheduled: m.lowerBoundScheduled,
    unscheduled: m.unscheduled,
    load: formatLoad(loadStats(inst, schedule)),
    seconds,
    cpuSeconds,
    feasible: c.feasible,
    stats: `${optimality.status === "optimal" ? "proven optimal" : `gap ${optimality.unscheduledGap} unscheduled / ${optimality.visitsGap} visits`} (components ${stats.exact.components}: bound ${stats.exact.provenByBound}, MIP ${stats.exact.provenByMip}, improved ${stats.exact.improvedByMip}, unproven ${stats.exact.unproven}, fixed seats ${stats.fixedSeats}), repair rounds ${stats.repairRounds}, moved ${stats.movedVisits}, split ${stats.splitVisits}, components ${stats.components} (LP ${stats.lpComponents}, water-filled ${stats.waterfilledComponents}, blend ${stats.blendedComponents}, min λ ${stats.minBlendLambda.toFixed(3)})`,
  };
}

function print(r: Row): void {
  const ratio = r.lowerBound ? (r.visits / r.lowerBound).toFixed(4) : "-";
  const ratioS = r.lowerBoundScheduled ? (r.visits / r.lowerBoundScheduled).toFixed(4) : "-";
  console.log(
    `| ${r.name} | ${r.tasks} | ${r.visits} | ${r.lowerBound} | ${ratio} | ${ratioS} | ${r.unscheduled} | ${r.load} | ${r.seconds.toFixed(2)} s (cpu ${r.cpuSeconds.toFixed(2)} s) | ${r.peakMB ? `${r.peakMB.toFixed(0)} MB` : "-"} | ${r.highs ?? "-"} | ${r.feasible ? "yes" : "NO"} |`,
  );
  console.log(`|  ↳ ${r.stats} |||||||||||`);
}

const args = process.argv.slice(2);
const childIdx = args.indexOf("--child");
if (childIdx >= 0) {
  const name = args[childIdx + 1] as keyof typeof PRESETS;
  const row = await run(name, PRESETS[name]);
  row.peakMB = process.resourceUsage().maxRSS / 1024;
  console.log(JSON.stringify(row));
} else {
  const casesArg = args.indexOf("--cases");
  const cases = new Set((casesArg >= 0 ? args[casesArg + 1]! : "small,quarter,year,fairness").split(","));
  const { loadavg, cpus } = await import("node:os");
  console.log(`optimizer benchmark, ${new Date().toISOString()}, node ${process.version}, ${cpus().length} cores, load average ${loadavg().map((x) => x.toFixed(1)).join(" ")}`);
  console.log("| instance | tasks | visits | lower bound | visits/LB | visits/LB(scheduled) | unscheduled | visits per inspector: min–max, mean ± sd, max/cap | time | peak RSS | HiGHS optimum (visits, unscheduled, time) | feasible |");
  console.log("|---|---|---|---|---|---|---|---|---|---|---|---|");
  if (cases.has("small"))
    for (const c of SMALL) {
      const row = await run(c.name, c);
      const ref = await referenceOptimum(generateInstance(c), 20_000);
      row.highs = ref.status === "Optimal" ? `${ref.visits}, ${ref.unscheduled}, ${(ref.ms / 1000).toFixed(2)} s (${ref.variables} binaries)` : `${ref.status} after ${(ref.ms / 1000).toFixed(1)} s`;
      print(row);
    }
  for (const name of ["quarter", "year"] as const) {
    if (!cases.has(name)) continue;
    const child = spawnSync(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url), "--child", name], { encoding: "utf8", maxBuffer: 1 << 26 });
    const line = child.stdout.trim().split("\n").pop() ?? "";
    if (child.status !== 0 || !line.startsWith("{")) {
      console.log(`| ${name} | failed: ${child.stderr.slice(0, 500)} |`);
      continue;
    }
    print(JSON.parse(line) as Row);
  }
  if (cases.has("rotation")) {
    const inst = generateInstance({ tasks: 300, departments: 3, inspectors: 60, days: 20, districts: 2, seed: "rot", totalCapacity: 200 });
    const base = rotationReport(inst, 6, 0);
    const r1 = rotationReport(inst, 6, 1);
    const r2 = rotationReport(inst, 6, 2, 2);
    const base2 = rotationReport(inst, 6, 0, 2);
    console.log(
      `\nrotation (300 tasks, 60 inspectors, 6 rounds): inspector×entity pairs repeated from the last round: random ${(100 * base.repeatRate).toFixed(1)} % → rotation ${(100 * r1.repeatRate).toFixed(1)} % (${r1.pairs} pairs); ` +
        `from the last two rounds: random ${(100 * base2.repeatRate).toFixed(1)} % → rotationRounds 2 ${(100 * r2.repeatRate).toFixed(1)} %`,
    );
  }
  if (cases.has("adversarial")) await adversarial(args);
  if (cases.has("fairness")) {
    const opts: GeneratorOptions = { tasks: 300, departments: 3, inspectors: 60, days: 20, districts: 2, seed: "fair", totalCapacity: 200 };
    const inst = generateInstance(opts);
    const t0 = performance.now();
    const schedules = Array.from({ length: 200 }, (_, n) => optimize({ ...inst, seed: n.toString(16).padStart(4, "0") }));
    const f = fairnessReport(inst, schedules, 0.5);
    console.log(
      `\nfairness (${opts.tasks} tasks, ${opts.inspectors} inspectors, ${f.runs} seeds, ${((performance.now() - t0) / 1000).toFixed(1)} s): ` +
        `largest empirical P(inspector on entity) ${f.maxProbability.toFixed(3)}; pairs above cap 0.5: ${f.pairsAboveCap} ` +
        `(where the pool allows the cap, above cap + 3σ: ${f.pairsAboveCapWherePoolAllows}); ` +
        `χ² equal selection among equally eligible: ${f.chi2.toFixed(1)} on ${f.df} df over ${f.classes} classes, p = ${f.pValue.toFixed(3)}`,
    );
  }
}

/**
 * The adversarial family against one monolithic HiGHS MIP per instance (both limited by nodes):
 * instances with more unscheduled tasks than the optimum, worst visits ratio where equal.
 */
async function adversarial(argv: string[]): Promise<void> {
  const opt = (name: string, d: number) => (argv.includes(name) ? Number(argv[argv.indexOf(name) + 1]) : d);
  const count = opt("--count", 200);
  const offset = opt("--offset", 0);
  const seeds = adversarialFamily(offset + count, "adv").slice(offset);
  let worse = 0;
  let better = 0;
  let equal = 0;
  let unproven = 0;
  let refUnproven = 0;
  let worst = 1;
  let cpuOurs = 0;
  let cpuRef = 0;
  let tasks = 0;
  let unsched = 0;
  let decomposition = 0;
  let worstRelative = 0;
  console.log("\n| seed | tasks | ours: unscheduled, visits, proof | ours: visits per inspector (min–max, mean ± sd, max/cap) | decomposition alone: unscheduled | HiGHS monolithic: status, unscheduled, visits | cpu ours / HiGHS |");
  console.log("|---|---|---|---|---|---|---|");
  for (const seed of seeds) {
    const inst = adversarialInstance(seed);
    const c0 = process.cpuUsage();
    const r = await optimizeExact(inst);
    const c1 = process.cpuUsage(c0);
    const alone = optimizeDetailed(inst).schedule.unscheduled.length;
    const c2 = process.cpuUsage();
    const ref = await referenceOptimum(inst, 20_000);
    const c3 = process.cpuUsage(c2);
    const ours = { u: r.schedule.unscheduled.length, v: r.schedule.visits.length };
    const load = loadStats(inst, r.schedule);
    worstRelative = Math.max(worstRelative, load.maxRelative);
    cpuOurs += (c1.user + c1.system) / 1e6;
    cpuRef += (c3.user + c3.system) / 1e6;
    tasks += inst.tasks.length;
    unsched += ours.u;
    decomposition += alone;
    if (r.optimality.status !== "optimal") unproven++;
    if (ref.status !== "Optimal") refUnproven++;
    else if (ours.u > ref.unscheduled) worse++;
    else if (ours.u < ref.unscheduled) better++;
    else {
      equal++;
      worst = Math.max(worst, ours.v / ref.visits);
    }
    if (!checkSchedule(inst, r.schedule).feasible) throw new Error(`${seed}: infeasible schedule`);
    console.log(
      `| ${seed} | ${inst.tasks.length} | ${ours.u}, ${ours.v}, ${r.optimality.status === "optimal" ? "optimal" : `gap ${r.optimality.unscheduledGap}/${r.optimality.visitsGap}`} | ${formatLoad(load)} | ${alone} | ${ref.status}, ${ref.unscheduled}, ${ref.visits} | ${((c1.user + c1.system) / 1e6).toFixed(1)} s / ${((c3.user + c3.system) / 1e6).toFixed(1)} s |`,
    );
  }
  console.log(
    `\nadversarial ${seeds[0]}…${seeds[seeds.length - 1]} (${seeds.length} instances, ${tasks} tasks): more unscheduled than the optimum: ${worse}; fewer (reference not optimal within its node limit): ${better}; ` +
      `equal: ${equal}, worst visits ratio there ${worst.toFixed(4)}; reference unproven: ${refUnproven}; ours unproven: ${unproven}; ` +
      `unscheduled ours ${unsched} (decomposition alone ${decomposition}); largest load / capacity ${worstRelative.toFixed(2)}; cpu ours ${cpuOurs.toFixed(0)} s, HiGHS monolithic ${cpuRef.toFixed(0)} s`,
  );
}
