/**
 * `npm run bench -- demo [--entities N] [--seed S] [--pg]`
 *
 * 1. generation: entities per second of the pure generator (streamed in batches, nothing kept);
 * 2. SQLite: `loadDemoCity` into a fresh temp file (migrate + one-transaction bulk load);
 * 3. with --pg: the same into a fresh schema of the PostgreSQL at SSJ_TEST_PG_URL
 *    (default postgresql://postgres@127.0.0.1:5432/test), dropped afterwards.
 * Peak RSS (process high-water mark) is printed after each phase. Default N = 2,000,000.
 */
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir, cpus, loadavg } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { entityGenerator, loadDemoCity, DEFAULT_DEMO_SEED } from "../src/demo/index.ts";
import { openStore } from "../src/store/index.ts";
import { parseEntityCount } from "../src/cli/commands/demo.ts";

const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const entities = flag("--entities") ? parseEntityCount(flag("--entities")!) : 2_000_000;
const seed = flag("--seed") ?? DEFAULT_DEMO_SEED;
const withPg = args.includes("--pg");

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const peakRss = () => mb(process.resourceUsage().maxRSS * 1024);
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
/** CPU seconds (user + system) of this process since `from` — meaningful even on a busy machine. */
const cpuSince = (from: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(from);
  return `${((u.user + u.system) / 1e6).toFixed(1)} s CPU`;
};

console.log(`demo bench: ${entities} entities, seed '${seed}', node ${process.version}, ${cpus().length} CPUs, load average ${loadavg()[0]!.toFixed(1)}`);

// 1. generation
{
  const gen = entityGenerator({ seed, entities });
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let n = 0;
  let chars = 0;
  for (const batch of gen.batches(10_000)) {
    n += batch.length;
    chars += batch[batch.length - 1]!.name.length; // keep the work observable
  }
  const ms = performance.now() - t0;
  console.log(`generation: ${n} entities in ${secs(ms)} (${cpuSince(cpu0)}) = ${Math.round(n / (ms / 1000))} entities/s (${chars > 0 ? "ok" : "?"}); peak RSS ${peakRss()}`);
}

// 2. SQLite
{
  const dir = mkdtempSync(join(tmpdir(), "ssj-demo-bench-"));
  const file = join(dir, "demo.db");
  try {
    const store = await openStore({ databaseUrl: `file:${file}` });
    try {
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      const r = await loadDemoCity(store, { seed, entities });
      const ms = performance.now() - t0;
      console.log(`sqlite load: ${secs(ms)} total (${cpuSince(cpu0)} in node incl. SQLite) = ${Math.round(entities / (ms / 1000))} entities/s; rows ${JSON.stringify(r.rows)}`);
      const e = r.timings.entities;
      if (e) console.log(`sqlite entities: insert (incl. generation) ${secs(e.insertMs)}, deferred CHECKs ${secs(e.checkMs)}, index rebuild ${secs(e.indexMs)}`);
    } finally {
      await store.close();
    }
    console.log(`sqlite file: ${mb(statSync(file).size)}; peak RSS ${peakRss()}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// 3. PostgreSQL (optional)
if (withPg) {
  const base = process.env.SSJ_TEST_PG_URL ?? "postgresql://postgres@127.0.0.1:5432/test";
  const schema = `bench_demo_${randomBytes(4).toString("hex")}`;
  const u = new URL(base);
  u.searchParams.set("schema", schema);
  try {
    const store = await openStore({ databaseUrl: u.href });
    try {
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      await loadDemoCity(store, { seed, entities });
      const ms = performance.now() - t0;
      console.log(`postgresql load: ${secs(ms)} total (${cpuSince(cpu0)} in node) = ${Math.round(entities / (ms / 1000))} entities/s; peak RSS ${peakRss()}`);
    } finally {
      await store.close();
    }
  } finally {
    const c = new pg.Client({ connectionString: base });
    await c.connect();
    await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await c.end();
  }
}
