/**
 * Draw engine benchmark (not a test): a 2,000,000-entity directory, 20 departments drawing ~3 %
 * stratified by risk class from one shared batch seed.
 *
 * Prints: freeze + commitment time (before the seed; sorts the pool by code), the draw time
 * (tickets for all entities + all selections), the verify time (verifyManifest recomputes the
 * commitment, the seed and every result), the floor (a bare single-threaded loop hashing each
 * code once with node:crypto SHA-256), and peak RSS (process.resourceUsage().maxRSS).
 *
 * Entities: src/demo/ has no exported entity generator yet, so this bench generates synthetic
 * valid codes with creditCodeCheckChar (deterministic, shuffled so the pool is not pre-sorted).
 *
 * Options: --n <entities> (default 2000000), --departments <k> (default 20).
 */
import { createHash } from "node:crypto";
import { writeFileSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CREDIT_CODE_ALPHABET, creditCodeCheckChar } from "../src/directories/creditCode.ts";
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
  type RiskClass,
} from "../src/draws/index.ts";

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const N = arg("n", 2_000_000);
const K = arg("departments", 20);
const mb = () => Math.round(process.resourceUsage().maxRSS / 1024);
const now = () => performance.now();
const secs = (ms: number) => (ms / 1000).toFixed(2) + " s";

// Synthetic directory (deterministic).
let t = now();
let rs = 12345;
const rnd = () => ((rs = (Math.imul(rs, 1103515245) + 12345) >>> 0) / 4294967296);
const classes: RiskClass[] = ["A", "A", "B", "B", "B", "B", "B", "B", "C", "D"];
const districts = ["350102", "350103", "350104", "350105", "350111", "350121", "350122"];
let entities: Entity[] = new Array(N);
for (let i = 0; i < N; i++) {
  let x = Math.floor(rnd() * 31 ** 6) * 31 ** 3 + (i % 29791); // unique-ish organisation codes
  let org = "";
  for (let k = 0; k < 9; k++) {
    org = CREDIT_CODE_ALPHABET[x % 31]! + org;
    x = Math.floor(x / 31);
  }
  const first17 = `91350100${org}`;
  entities[i] = {
    code: first17 + creditCodeCheckChar(first17),
    district: districts[i % districts.length]!,
    industry: "C13",
    kind: "enterprise",
    status: "active",
    riskClass: classes[Math.floor(rnd() * classes.length)]!,
  };
}
// Drop the rare duplicate codes.
const seen = new Set<string>();
let unique: Entity[] = entities.filter((e) => (seen.has(e.code) ? false : (seen.add(e.code), true)));
seen.clear();
console.log(`generated ${unique.length} synthetic entities in ${secs(now() - t)} (src/demo has no entity generator yet)`);

const departments: DepartmentInput[] = Array.from({ length: K }, (_, i) => ({
  id: `D${String(i + 1).padStart(2, "0")}`,
  name: `部门${i + 1}`,
  role: i === 0 ? "lead" : "participating",
  items: [{ id: `I${i}`, name: `事项${i}`, kind: "key" }],
  quotas: { A: { ratio: "1/100" }, B: { ratio: "2/100" }, C: { ratio: "6/100" }, D: { ratio: "12/100" } },
}));

// Floor: bare single-threaded node:crypto SHA-256 of every code.
t = now();
let sink = 0;
for (const e of unique) sink ^= createHash("sha256").update(e.code).digest()[0]!;
const floor = now() - t;
console.log(`floor: node:crypto SHA-256 of ${unique.length} codes, one thread: ${secs(floor)} (${sink & 0})`);

t = now();
const inputs = freezeInputs({
  batch: { id: "BENCH-2026-01", name: "基准批次", year: 2026, level: "city" },
  entities: unique,
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
unique = [];

const provenance = { mode: "external" as const, source: "drand", reference: "quicknet round 20000000", value: "bench-public-value", publishedAt: "2026-11-25T00:00:00Z" };
const seed = seedFromExternal(c, "drand", "quicknet round 20000000", provenance.value);

t = now();
const order = await ticketOrderParallel(inputs, seed);
const tTickets = now() - t;
const results = runDraw(inputs, seed, order);
const tDraw = now() - t;
const selected = results.targets.reduce((n, d) => n + d.strata.reduce((k, s) => k + s.selected.length, 0), 0);
const rssDraw = mb();
console.log(`draw: tickets + per-stratum order ${secs(tTickets)}, all selections ${secs(tDraw - tTickets)}, total ${secs(tDraw)} = ${(tDraw / floor).toFixed(2)}× floor; ${selected} selections`);

t = now();
const manifest = buildManifest({ inputs, provenance, results });
console.log(`buildManifest (commitment + result digest): ${secs(now() - t)}`);

t = now();
const outcome = await verifyManifest(manifest);
const tVerify = now() - t;
if (!outcome.ok) throw new Error(`verify failed: ${outcome.path}: ${outcome.message}`);
console.log(`verify (in memory): ${secs(tVerify)} = ${(tVerify / floor).toFixed(2)}× floor`);

const file = join(tmpdir(), `ssj-draw-bench-${process.pid}.json`);
t = now();
writeFileSync(file, JSON.stringify(manifest));
const tWrite = now() - t;
t = now();
const parsed = parseManifest(readFileSync(file, "utf8"));
const tParse = now() - t;
const size = readFileSync(file).length;
rmSync(file);
t = now();
const outcome2 = await verifyManifest(parsed);
const tVerify2 = now() - t;
if (!outcome2.ok) throw new Error(`verify of the parsed manifest failed: ${outcome2.path}`);
console.log(
  `manifest file ${(size / 1e6).toFixed(0)} MB: write ${secs(tWrite)}, read+parse ${secs(tParse)}, verify ${secs(tVerify2)} (${((tParse + tVerify2) / floor).toFixed(2)}× floor incl. parse)`,
);
console.log(`peak RSS (maxRSS): ${rssDraw} MB after generating, freezing and drawing; ${mb()} MB at the end (manifest text and a parsed copy in memory)`);
console.log(`threads: ${(await import("node:os")).availableParallelism()}`);
