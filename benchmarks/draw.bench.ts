/**
 * Draw engine benchmark (not a test): a 2,000,000-entity directory, 20 departments drawing ~3 %
 * stratified by risk class from one shared batch seed.
 *
 * Prints: freeze + commitment time (before the seed; sorts the pool by code), the draw time
 * (tickets for all entities + all selections), the verify time (verifyManifest recomputes the
 * commitment, the seed and every result), the floor (a bare single-threaded loop hashing each
 * code once with node:crypto SHA-256), and peak RSS (process.resourceUsage().maxRSS).
 *
 * Entities: the demo city's entity generator (src/demo entityGenerator, deterministic; its
 * codes are not in sorted order), mapped to the draw's Entity shape.
 *
 * Options: --n <entities> (default 2000000), --departments <k> (default 20), --reps <r> (default 3:
 * floor, draw and verify each run r times, interleaved, and the minimum is reported, because the
 * machine is shared and its load varies from second to second).
 */
import { createHash } from "node:crypto";
import { writeFileSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { loadavg } from "node:os";
import { entityGenerator } from "../src/demo/index.ts";
import {
  DEFAULT_TEAM_RULE,
  buildManifest,
  commitment,
  freezeInputs,
  parseManifest,
  runDraw,
  seedFromExternal,
  ticketOrderParallel,
  verifyManifest,
  type DepartmentInput,
  type Entity,
} from "../src/draws/index.ts";

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const N = arg("n", 2_000_000);
const K = arg("departments", 20);
/** Each timed step runs this many times, interleaved; the minimum is reported (the machine is shared). */
const REPS = arg("reps", 3);
const mb = () => Math.round(process.resourceUsage().maxRSS / 1024);
const mem = (label: string) => {
  const m = process.memoryUsage();
  console.log(`  [memory after ${label}: rss ${Math.round(m.rss / 2 ** 20)} MB, heap used ${Math.round(m.heapUsed / 2 ** 20)} MB, array buffers ${Math.round(m.arrayBuffers / 2 ** 20)} MB, maxRSS ${mb()} MB]`);
};
const now = () => performance.now();
const secs = (ms: number) => (ms / 1000).toFixed(2) + " s";

// Child mode: `--verify-file <manifest.json>` reads, parses and verifies one manifest (what
// `ssj verify` does) and prints its time and peak RSS; the main run spawns it on the manifest it
// wrote, so that figure is the verifier's own memory, not the generator's.
const vf = process.argv.indexOf("--verify-file");
if (vf >= 0) {
  const t0 = now();
  const m = parseManifest(readFileSync(process.argv[vf + 1]!, "utf8"));
  const tp = now() - t0;
  const o = await verifyManifest(m);
  const tv = now() - t0 - tp;
  console.log(JSON.stringify({ ok: o.ok, parseMs: tp, verifyMs: tv, maxRssMb: mb() }));
  process.exit(0);
}

// The directory: the demo city's deterministic entity generator (src/demo), slimmed to what the
// draw needs. Its codes come out in a keyed-permutation order, not sorted.
let t = now();
let entities: Entity[] = [];
const gen = entityGenerator({ seed: "draw-bench", entities: N });
for (const batch of gen.batches(20_000))
  for (const e of batch) entities.push({ code: e.code, district: e.districtCode, industry: e.industryCode, kind: e.kind, status: e.status, riskClass: e.riskClass });
console.log(`generated ${entities.length} entities with src/demo entityGenerator in ${secs(now() - t)}; load average ${loadavg().map((x) => x.toFixed(1)).join(" ")}`);

mem("generating");
const departments: DepartmentInput[] = Array.from({ length: K }, (_, i) => ({
  id: `D${String(i + 1).padStart(2, "0")}`,
  name: `部门${i + 1}`,
  role: i === 0 ? "lead" : "participating",
  items: [{ id: `I${i}`, name: `事项${i}`, kind: "key" }],
  quotas: { A: { ratio: "1/100" }, B: { ratio: "2/100" }, C: { ratio: "6/100" }, D: { ratio: "12/100" } },
}));

// Floor: bare single-threaded node:crypto SHA-256 of every code.
const floorCodes = entities.map((e) => e.code);
function floorOnce(): number {
  const t0 = now();
  let sink = 0;
  for (const c of floorCodes) sink ^= createHash("sha256").update(c).digest()[0]!;
  return now() - t0 + (sink & 0);
}

t = now();
const inputs = freezeInputs({
  batch: { id: "BENCH-2026-01", name: "基准批次", year: 2026, level: "city" },
  entities,
  departments,
  config: {
    generalRatioCap: { A: "5/100", B: "20/100", C: "60/100", D: "1/1" },
    substitutes: 5,
    frequencyCaps: [],
    rules: [],
    team: DEFAULT_TEAM_RULE,
  },
  history: [],
  seedPlan: { mode: "external", source: "drand", reference: "quicknet round 20000000" },
});
const tFreeze = now() - t;
t = now();
const c = commitment(inputs);
const tCommit = now() - t;
console.log(`freeze (validate, sort pool by code): ${secs(tFreeze)}; commitment (CJSON + SHA-256): ${secs(tCommit)}`);
entities = [];
mem("freeze + commitment");

const provenance = { mode: "external" as const, source: "drand", reference: "quicknet round 20000000", value: "bench-public-value", publishedAt: "2026-11-25T00:00:00Z" };
const seed = seedFromExternal(c, "drand", "quicknet round 20000000", provenance.value);

const floors: number[] = [];
const draws: number[] = [];
const ticketTimes: number[] = [];
let results!: ReturnType<typeof runDraw>;
for (let r = 0; r < REPS; r++) {
  floors.push(floorOnce());
  t = now();
  const order = await ticketOrderParallel(inputs, seed);
  ticketTimes.push(now() - t);
  results = runDraw(inputs, seed, order);
  draws.push(now() - t);
}
const floor = Math.min(...floors);
const tDraw = Math.min(...draws);
const rssDraw = mb();
mem("draw");
const selected = results.targets.reduce((n, d) => n + d.strata.reduce((k, s) => k + s.selected.length, 0), 0);
console.log(`floor: node:crypto SHA-256 of ${floorCodes.length} codes, one thread: min ${secs(floor)} (runs: ${floors.map(secs).join(", ")})`);
console.log(
  `draw: tickets + ticket order min ${secs(Math.min(...ticketTimes))}; tickets + all selections min ${secs(tDraw)} = ${(tDraw / floor).toFixed(2)}× floor (runs: ${draws.map(secs).join(", ")}); ${selected} selections`,
);

t = now();
const manifest = buildManifest({ inputs, provenance, results });
console.log(`buildManifest (commitment + result digest): ${secs(now() - t)}`);

const verifies: number[] = [];
for (let r = 0; r < REPS; r++) {
  const fl = floorOnce();
  floors.push(fl);
  t = now();
  const outcome = await verifyManifest(manifest);
  verifies.push(now() - t);
  if (!outcome.ok) throw new Error(`verify failed: ${outcome.path}: ${outcome.message}`);
}
const floorAll = Math.min(...floors);
const tVerify = Math.min(...verifies);
console.log(`verify (in memory): min ${secs(tVerify)} = ${(tVerify / floorAll).toFixed(2)}× floor (runs: ${verifies.map(secs).join(", ")}; floor min over all ${floors.length} runs ${secs(floorAll)})`);

const file = join(tmpdir(), `ssj-draw-bench-${process.pid}.json`);
t = now();
writeFileSync(file, JSON.stringify(manifest));
const tWrite = now() - t;
t = now();
const parsed = parseManifest(readFileSync(file, "utf8"));
const tParse = now() - t;
const size = readFileSync(file).length;
const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), "--verify-file", file], { encoding: "utf8" });
rmSync(file);
const childOut = JSON.parse(child.stdout.trim().split("\n").pop() ?? "{}") as { ok: boolean; parseMs: number; verifyMs: number; maxRssMb: number };
t = now();
const outcome2 = await verifyManifest(parsed);
const tVerify2 = now() - t;
if (!outcome2.ok) throw new Error(`verify of the parsed manifest failed: ${outcome2.path}`);
console.log(
  `manifest file ${(size / 1e6).toFixed(0)} MB: write ${secs(tWrite)}, read+parse ${secs(tParse)}, verify ${secs(tVerify2)} (${((tParse + tVerify2) / floorAll).toFixed(2)}× floor incl. parse)`,
);
console.log(
  `separate verifier process (as ssj verify): ok=${childOut.ok}, read+parse ${secs(childOut.parseMs)}, verify ${secs(childOut.verifyMs)} (${((childOut.parseMs + childOut.verifyMs) / floorAll).toFixed(2)}× floor incl. parse), peak RSS ${childOut.maxRssMb} MB`,
);
console.log(`load average at the end: ${loadavg().map((x) => x.toFixed(1)).join(" ")}`);
console.log(`peak RSS (maxRSS): ${rssDraw} MB after generating, freezing and drawing; ${mb()} MB at the end (manifest text and a parsed copy in memory)`);
console.log(`threads: ${(await import("node:os")).availableParallelism()}`);
