/**
 * Draw engine benchmark, ssj-draw/2 (not a test): a 2,000,000-entity directory, 20 departments
 * drawing ~3 % stratified by risk class from one shared batch seed.
 *
 * The main process generates the directory (src/demo entityGenerator: deterministic, codes not in
 * sorted order), freezes the batch (class tree included) and computes the commitment — all before
 * any seed exists — and writes the frozen inputs to a file. Then fresh processes, each holding only
 * what it needs:
 *
 *   draw:    the frozen inputs (already parsed, as the service holds them) → tickets (worker
 *            threads, both cores), every department's selections, the public projection and the
 *            draw record with its digests (ChainReplay + makeDraw); writes both manifests.
 *   full:    `ssj verify` of the full manifest, reading the file included (strict streaming reader,
 *            span hashes): commitment, class tree, seed, tickets, selections, record digests.
 *   public:  `ssj verify` of the public manifest, reading the file included.
 *
 * In each, the floor — a bare single-threaded loop hashing each of the 2,000,000 codes once with
 * node:crypto SHA-256 — and the measured step run `--reps` times (default 3), interleaved, and the
 * minimum of each is reported (the machine is shared). Peak memory is the process's RSS high-water
 * mark after the first run (process.resourceUsage().maxRSS), which includes reading its input.
 *
 * Options: --n <entities> (default 2000000), --departments <k> (default 20), --reps <r> (default 3).
 */
import { createHash } from "node:crypto";
import { readFileSync, rmSync, writeFileSync, mkdtempSync, statSync } from "node:fs";
import { loadavg, tmpdir, availableParallelism } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { entityGenerator } from "../src/demo/index.ts";
import { canonicalJson, DEFAULT_TEAM_RULE, type Entity } from "../src/draws/index.ts";
import { readStrictJsonFile } from "../src/draws/jsonReader.ts";
import {
  ChainReplay,
  freezeDraw,
  fullManifest,
  inputsDigests,
  publicManifest,
  seedFromProvenance2,
  verifyFull2,
  verifyPublic2,
  type DrawRequest2,
  type FrozenInputs2,
  type FullManifest2,
  type Provenance2,
  type PublicManifest2,
} from "../src/draws/v2/index.ts";

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const N = arg("n", 2_000_000);
const K = arg("departments", 20);
const REPS = arg("reps", 3);
const maxRss = () => Math.round(process.resourceUsage().maxRSS / 1024);
const now = () => performance.now();
const secs = (ms: number) => (ms / 1000).toFixed(2) + " s";
const load = () => loadavg().map((x) => x.toFixed(1)).join(" ");
const FROZEN_AT = "2026-11-25T00:00:00.000Z";
const provenance = (): Provenance2 => ({ mode: "external", source: "drand", reference: "quicknet round 20000000", value: "bench-public-value", publishedAt: "2026-11-25T01:00:00.000Z" });
const HASH_PATHS = ["inputs.public", "inputs.private", "records[*].public", "records[*].private"];

function floorOnce(codes: readonly string[]): number {
  const t0 = now();
  let sink = 0;
  for (const c of codes) sink ^= createHash("sha256").update(c).digest()[0]!;
  return now() - t0 + (sink & 0);
}

/** Run `step` and the floor REPS times, interleaved; minimum of each. */
async function measure(codes: () => readonly string[], step: () => Promise<void> | void) {
  const floors: number[] = [];
  const steps: number[] = [];
  let firstRssMb = 0;
  for (let r = 0; r < REPS; r++) {
    const t0 = now();
    await step();
    steps.push(now() - t0);
    if (r === 0) firstRssMb = maxRss(); // after one run of the step (the floor has not run yet)
    floors.push(floorOnce(codes()));
  }
  return { floor: Math.min(...floors), step: Math.min(...steps), floors, steps, firstRssMb };
}

const mode = process.argv.indexOf("--child");
if (mode >= 0) {
  const [kind, input, out1, out2] = process.argv.slice(mode + 1);
  if (kind === "draw") {
    const inputs = JSON.parse(readFileSync(input!, "utf8")) as FrozenInputs2;
    const { commitment } = inputsDigests(inputs);
    const prov = provenance();
    const seed = seedFromProvenance2(inputs.public, commitment, prov);
    let replay!: ChainReplay;
    const m = await measure(
      () => inputs.public.pool.codes,
      async () => {
        replay = await ChainReplay.create(inputs, seed, prov, commitment);
        replay.makeDraw("2026-11-25T02:00:00.000Z", { seq: 1, hash: "ab".repeat(32) });
      },
    );
    const rss = maxRss();
    // the manifests of the last run
    const r2 = new ChainReplay(inputs, seed, prov, commitment, replay.order);
    const rec = r2.makeDraw("2026-11-25T02:00:00.000Z", { seq: 1, hash: "ab".repeat(32) });
    const full = fullManifest({ inputs, commitment, seed: { value: seed, provenance: prov }, records: [rec], head: r2.head });
    writeFileSync(out1!, canonicalJson(full));
    writeFileSync(out2!, canonicalJson(publicManifest(full)));
    const selected = r2.publicResults.targets.reduce((n, t) => n + t.selected.length, 0);
    console.log(JSON.stringify({ ...m, maxRssMb: rss, selected, load: load() }));
  } else {
    let codes: readonly string[] = [];
    let ok = true;
    let why = "";
    const m = await measure(
      () => codes,
      async () => {
        const { value, spans } = await readStrictJsonFile(input!, { hashPaths: HASH_PATHS, skipPaths: ["records[*].private.results"] });
        const doc = value as FullManifest2 | PublicManifest2;
        codes = doc.inputs.public.pool.codes;
        const out = kind === "full" ? await verifyFull2(doc as FullManifest2, { spans }) : await verifyPublic2(doc as PublicManifest2, { spans });
        ok &&= out.ok;
        if (!out.ok) why = `${out.path}: ${out.message}`;
      },
    );
    console.log(JSON.stringify({ ...m, ok, why, maxRssMb: maxRss(), load: load() }));
  }
  process.exit(0);
}

// ── main: directory, freeze, commitment ─────────────────────────────────────────────────────
let t = now();
let entities: Entity[] = [];
for (const batch of entityGenerator({ seed: "draw-bench", entities: N }).batches(20_000))
  for (const e of batch) entities.push({ code: e.code, district: e.districtCode, industry: e.industryCode, kind: e.kind, status: e.status, riskClass: e.riskClass });
console.log(`directory: ${entities.length} entities from src/demo entityGenerator (${secs(now() - t)}); load average ${load()}; ${availableParallelism()} cores`);

const request: DrawRequest2 = {
  batch: { id: "BENCH-2026-01", name: "基准批次", year: 2026, level: "city", plan: { id: "1", name: "基准计划" }, window: { from: "2026-12-01", to: "2026-12-31" }, horizon: ["2026-12-01"] },
  attempt: { number: 1, previous: [] },
  frozenAt: FROZEN_AT,
  audit: { seq: 1, hash: "ab".repeat(32) },
  classKey: "c1".repeat(32),
  entities,
  departments: Array.from({ length: K }, (_, i) => ({
    id: `D${String(i + 1).padStart(2, "0")}`,
    name: `部门${i + 1}`,
    role: i === 0 ? ("lead" as const) : ("participating" as const),
    items: [{ id: `I${i}`, name: `事项${i}`, kind: "key" as const }],
    quotas: { A: { ratio: "1/100" }, B: { ratio: "2/100" }, C: { ratio: "6/100" }, D: { ratio: "12/100" } },
    requires: [],
  })),
  config: { generalRatioCap: { A: "5/100", B: "20/100", C: "60/100", D: "1/1" }, substitutes: 5, frequencyCaps: [], rules: [], team: DEFAULT_TEAM_RULE },
  history: [],
  inspectors: null,
  seedPlan: { mode: "external", source: "drand", reference: "quicknet round 20000000" },
};
t = now();
const inputs = await freezeDraw(request);
const tFreeze = now() - t;
entities = [];
t = now();
const { commitment } = inputsDigests(inputs);
const tCommit = now() - t;
const mainFloor = floorOnce(inputs.public.pool.codes);
console.log(
  `freeze (validate, exclusions, radix sort by code, class tree of ${inputs.public.pool.codes.length} salted leaves): ${secs(tFreeze)}; ` +
    `commitment (both digests): ${secs(tCommit)} = ${commitment.slice(0, 16)}…; (floor in this process ${secs(mainFloor)}; excluded ${inputs.public.excluded.length})`,
);

const dir = mkdtempSync(join(tmpdir(), "ssj-draw-bench-"));
const inputsFile = join(dir, "inputs.json");
const fullFile = join(dir, "full.json");
const publicFile = join(dir, "public.json");
writeFileSync(inputsFile, canonicalJson(inputs));
const self = fileURLToPath(import.meta.url);
const child = (...a: string[]) => {
  const r = spawnSync(process.execPath, [...process.execArgv, self, "--reps", String(REPS), "--child", ...a], { encoding: "utf8", maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`child ${a[0]} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").pop()!) as {
    floor: number; step: number; floors: number[]; steps: number[]; maxRssMb: number; firstRssMb: number; selected?: number; ok?: boolean; why?: string; load: string;
  };
};
const row = (name: string, x: ReturnType<typeof child>, extra = "") =>
  console.log(
    `${name}: min ${secs(x.step)} = ${(x.step / x.floor).toFixed(2)}× floor (floor min ${secs(x.floor)}; runs ${x.steps.map(secs).join(", ")}; floors ${x.floors.map(secs).join(", ")}); ` +
      `peak RSS ${x.firstRssMb} MB after one run, ${x.maxRssMb} MB after all; load ${x.load}${extra}`,
  );
const d = child("draw", inputsFile, fullFile, publicFile);
row("draw (fresh process: tickets + selections + public projection + draw record)", d, `; ${d.selected} selections`);
const mb = (f: string) => `${(statSync(f).size / 1e6).toFixed(0)} MB`;
const f = child("full", fullFile);
row(`full verify (fresh process, as ssj verify, reading the ${mb(fullFile)} manifest included)`, f, `; ok=${f.ok}${f.why ? ` (${f.why})` : ""}`);
const p = child("public", publicFile);
row(`public verify (fresh process, as ssj verify, reading the ${mb(publicFile)} public manifest included)`, p, `; ok=${p.ok}${p.why ? ` (${p.why})` : ""}`);
if (process.env.SSJ_BENCH_KEEP) console.log(`kept ${dir}`);
else rmSync(dir, { recursive: true, force: true });
