/**
 * `npm run bench -- import [--rows N] [--file path] [--pg] [--no-sqlite] [--parse-only | --no-parse] [--twice]`
 *
 * 1. generation (not timed as import): a synthetic N-row entity CSV (default 2,000,000) from the
 *    demo city's entity generator (valid 统一社会信用代码 and 注册号; ~0.1 % with a wrong check
 *    character, which the import flags and keeps) into a temp file; `--file` reuses a file instead;
 * 2. parse only: the parser (src/directories/import) over the file, nothing written;
 * 3. SQLite: `importDirectory` into a fresh temp database (migrated first, not timed);
 * 4. with --pg: the same into a fresh schema of the PostgreSQL at SSJ_TEST_PG_URL
 *    (default postgresql://postgres@127.0.0.1:5432/test), dropped afterwards.
 * `--twice` imports the same file a second time (every row unchanged).
 * Prints time, rows/s, CPU seconds and the process's peak RSS (a high-water mark: it only grows).
 * On Linux also the main thread's own CPU seconds, its seconds waiting for a CPU (run queue: the
 * machine is busy) and asleep (waiting for the database or the disk), and on PostgreSQL the server
 * backend's CPU seconds: on a shared machine, main-thread CPU + asleep estimates the quiet wall time.
 */
import { createReadStream, createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { once } from "node:events";
import { tmpdir, cpus, loadavg } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { entityGenerator } from "../src/demo/index.ts";
import { importEntities } from "../src/directories/import/index.ts";
import { openStore, type Store } from "../src/store/index.ts";
import { importDirectory, type DirectoryImportReport } from "../src/store/import/index.ts";

const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const rows = Number(flag("--rows") ?? 2_000_000);
const withPg = args.includes("--pg");
const withSqlite = !args.includes("--no-sqlite");
const parseOnly = args.includes("--parse-only");
const twice = args.includes("--twice");
const noParse = args.includes("--no-parse");
const PG_URL = process.env.SSJ_TEST_PG_URL ?? "postgresql://postgres@127.0.0.1:5432/test";

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const peakRss = () => mb(process.resourceUsage().maxRSS * 1024);
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const cpuSince = (from: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(from);
  return `${((u.user + u.system) / 1e6).toFixed(1)} s CPU`;
};

/** The main thread's CPU and run-queue seconds (Linux schedstat), or null elsewhere. */
function mainThread(): { cpu: number; queued: number } | null {
  const path = `/proc/self/task/${process.pid}/schedstat`;
  if (!existsSync(path)) return null;
  const [cpu, queued] = readFileSync(path, "utf8").trim().split(" ").map(Number);
  return { cpu: cpu! / 1e9, queued: queued! / 1e9 };
}

/** PostgreSQL on this machine: the pooled backend's pid and CPU seconds (the import reuses the one idle client), or null. */
async function backendCpu(store: Store): Promise<{ pid: number; cpu: number } | null> {
  if (store.kind !== "postgresql") return null;
  const pid = (await store.raw.query<{ p: number }>("SELECT pg_backend_pid() AS p")).rows[0]!.p;
  const path = `/proc/${pid}/stat`;
  if (!existsSync(path)) return null;
  const f = readFileSync(path, "utf8").split(") ")[1]!.split(" ");
  return { pid, cpu: (Number(f[11]) + Number(f[12])) / 100 };
}

console.log(`import bench: ${rows} entity rows, node ${process.version}, ${cpus().length} CPUs, load average ${loadavg()[0]!.toFixed(1)}`);

const dir = mkdtempSync(join(tmpdir(), "ssj-import-bench-"));
let file = flag("--file");
try {
  // 1. generation
  if (!file) {
    file = join(dir, "entities.csv");
    const t0 = performance.now();
    const out = createWriteStream(file);
    out.write("\ufeff统一社会信用代码,名称,区划码,地址,行业代码,主体类型,状态,风险等级,成立日期\r\n");
    const KIND: Record<string, string> = { enterprise: "有限责任公司", individual: "个体工商户", cooperative: "农民专业合作社" };
    const STATUS: Record<string, string> = { active: "存续", deregistered: "注销", revoked: "吊销", "moved-out": "迁出" };
    for (const batch of entityGenerator({ seed: "import-bench", entities: rows }).batches(10_000)) {
      let text = "";
      for (const e of batch)
        text += `${e.code},${e.name},${e.districtCode},"${e.address}",${e.industryCode},${KIND[e.kind]},${STATUS[e.status]},${e.riskClass},${e.establishedOn}\r\n`;
      if (!out.write(text)) await once(out, "drain");
    }
    out.end();
    await once(out, "finish");
    console.log(`generation: ${rows} rows, ${mb(statSync(file).size)} in ${secs(performance.now() - t0)} (not part of the import figures)`);
  }
  const size = statSync(file).size;
  const source = () => createReadStream(file!, { highWaterMark: 1024 * 1024 });

  // 2. parse only
  if (!noParse) {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const imp = importEntities(source(), { batchSize: 5000, maxIssuesInSummary: 0 });
    let n = 0;
    for await (const b of imp) n += b.rows.length;
    const ms = performance.now() - t0;
    const s = imp.summary();
    console.log(`parse only: ${s.rowsRead} rows (${n} accepted, ${s.flagged} flagged, ${s.rejected} rejected) in ${secs(ms)} (${cpuSince(cpu0)}) = ${Math.round(s.rowsRead / (ms / 1000))} rows/s; peak RSS ${peakRss()}`);
  }

  const timeImport = async (label: string, store: Store) => {
    for (let k = 0; k < (twice ? 2 : 1); k++) {
      const server0 = await backendCpu(store);
      const main0 = mainThread();
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      const r: DirectoryImportReport = await importDirectory(store, { kind: "entities", source: source(), fileName: file!, actor: "bench", totalBytes: size });
      const ms = performance.now() - t0;
      const main1 = mainThread();
      const server1 = await backendCpu(store);
      const main = main0 && main1 ? `; main thread ${(main1.cpu - main0.cpu).toFixed(1)} s CPU, ${(main1.queued - main0.queued).toFixed(1)} s queued, ${(ms / 1000 - (main1.cpu - main0.cpu) - (main1.queued - main0.queued)).toFixed(1)} s asleep` : "";
      const server = server0 && server1 && server0.pid === server1.pid ? `; server backend ${(server1.cpu - server0.cpu).toFixed(1)} s CPU` : "";
      console.log(
        `${label}${k ? " (again)" : ""}: ${r.rowsRead} rows in ${secs(ms)} (${cpuSince(cpu0)}${main}${server}) = ${Math.round(r.rowsRead / (ms / 1000))} rows/s; ` +
          `created ${r.created}, updated ${r.updated}, unchanged ${r.unchanged}, rejected ${r.rejected}, flagged ${r.flagged}; peak RSS ${peakRss()}`,
      );
    }
  };

  // 3. SQLite
  if (!parseOnly && withSqlite) {
    const store = await openStore({ databaseUrl: `file:${join(dir, "import.db")}` });
    try {
      await store.migrate();
      await timeImport("SQLite", store);
    } finally {
      await store.close();
    }
  }

  // 4. PostgreSQL
  if (!parseOnly && withPg) {
    const schema = `bench_${randomBytes(5).toString("hex")}`;
    const u = new URL(PG_URL);
    u.searchParams.set("schema", schema);
    const store = await openStore({ databaseUrl: u.href });
    try {
      await store.migrate();
      await timeImport("PostgreSQL", store);
    } finally {
      await store.close();
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await c.end();
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
