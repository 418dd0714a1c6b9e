/**
 * `npm run bench -- importXlsx [--rows N] [--file path.xlsx] [--pg] [--no-sqlite]`
 *
 * Import of an N-row .xlsx (default 200,000) shaped like a registration-system export: pinyin
 * headers (TYXYDM, ZCH, QYMC, QYLXMC, FDDBR, JYDZ, ZT, CLRQ, DJJG), no 区划码 column (the district
 * comes from the code), shared strings as Excel writes them, date cells, one row in 20 known only
 * by a 15-digit 注册号 in a number cell, two columns not imported. Entities from the demo city's
 * generator (synthetic). Generated once into a temp file by exceljs's streaming writer (not timed).
 *
 * Each phase runs in a fresh child process, so that its peak RSS is its own (the high-water mark
 * of a process only grows):
 *   floor     the streaming .xlsx reader alone (rows as cells, nothing validated)
 *   parse     the directory parser over the file (validation, district derivation), nothing written
 *   sqlite    importDirectory into a fresh migrated SQLite file (one transaction, change list)
 *   postgres  the same into a fresh schema of SSJ_TEST_PG_URL (with --pg)
 * Prints wall time, CPU seconds, rows/s, peak RSS, the RSS of an idle child for comparison, and
 * each phase's time as a multiple of the floor measured in the same run.
 */
import { spawnSync } from "node:child_process";
import { createReadStream, mkdtempSync, rmSync, statSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { randomBytes } from "node:crypto";

const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const PG_URL = process.env.SSJ_TEST_PG_URL ?? "postgresql://postgres@127.0.0.1:5432/test";
const mb = (kb: number) => `${Math.round(kb / 1024)} MB`;

interface PhaseResult {
  phase: string;
  rows: number;
  ms: number;
  cpuMs: number;
  maxRssKb: number;
  note?: string;
}

// ── child: one phase ─────────────────────────────────────────────────────────────────────────

async function runPhase(phase: string, file: string): Promise<PhaseResult> {
  // every phase loads the same modules before it starts its clock, so that "idle" is comparable
  const { readXlsxRowBatches } = await import("../src/directories/import/xlsxReader.ts");
  const { importEntities } = await import("../src/directories/import/index.ts");
  const { openStore } = await import("../src/store/index.ts");
  const { importDirectory } = await import("../src/store/import/index.ts");
  const pg = (await import("pg")).default;
  const source = () => createReadStream(file, { highWaterMark: 1024 * 1024 });
  let url = "";
  let cleanup = async () => {};
  if (phase === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "ssj-xlsx-bench-db-"));
    url = `file:${join(dir, "bench.db")}`;
    cleanup = async () => rmSync(dir, { recursive: true, force: true });
  } else if (phase === "postgres") {
    const schema = `bench_${randomBytes(5).toString("hex")}`;
    const u = new URL(PG_URL);
    u.searchParams.set("schema", schema);
    url = u.href;
    cleanup = async () => {
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await c.end();
    };
  }
  const store = url ? await openStore({ databaseUrl: url }) : null;
  await store?.migrate();

  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let rows = 0;
  let note: string | undefined;
  try {
    if (phase === "floor") {
      for await (const b of readXlsxRowBatches(source())) rows += b.length;
    } else if (phase === "parse") {
      const imp = importEntities(source(), { batchSize: 5000, maxIssuesInSummary: 0 });
      for await (const b of imp) rows += b.rows.length;
      const s = imp.summary();
      note = `${s.rowsRead} read, ${s.accepted} accepted, ${s.flagged} flagged, ${s.rejected} rejected; not imported: ${s.ignoredColumns.map((c) => c.header).join(", ")}`;
    } else if (store) {
      const r = await importDirectory(store, { kind: "entities", source: source(), fileName: file, actor: "bench", totalBytes: statSync(file).size });
      rows = r.rowsRead;
      note = `created ${r.created}, flagged ${r.flagged}, rejected ${r.rejected}; district from ${r.districtFrom}; change list ${r.changes.parts} parts; not imported: ${r.ignoredColumns.map((c) => c.header).join(", ")}`;
    }
    const u = process.cpuUsage(cpu0);
    return { phase, rows, ms: performance.now() - t0, cpuMs: (u.user + u.system) / 1000, maxRssKb: process.resourceUsage().maxRSS, ...(note ? { note } : {}) };
  } finally {
    await store?.close();
    await cleanup();
  }
}

// ── generation ───────────────────────────────────────────────────────────────────────────────

async function generate(file: string, n: number): Promise<void> {
  const ExcelJS = (await import("exceljs")).default;
  const { entityGenerator } = await import("../src/demo/index.ts");
  const { registrationNumberCheckDigit } = await import("../src/directories/creditCode.ts");
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: true, useStyles: true });
  const ws = wb.addWorksheet("数据导出");
  ws.columns = [
    { header: "TYXYDM", key: "a", width: 22 },
    { header: "ZCH", key: "b", width: 18 },
    { header: "QYMC", key: "c", width: 30 },
    { header: "QYLXMC", key: "d", width: 16 },
    { header: "FDDBR", key: "e", width: 10 },
    { header: "JYDZ", key: "f", width: 30 },
    { header: "ZT", key: "g", width: 20 },
    { header: "CLRQ", key: "h", width: 12, style: { numFmt: "yyyy-mm-dd" } },
    { header: "DJJG", key: "i", width: 20 },
  ];
  const KIND: Record<string, string> = { enterprise: "有限责任公司", individual: "个体工商户", cooperative: "农民专业合作社" };
  const STATUS: Record<string, string> = { active: "存续（在营、开业、在册）", deregistered: "注销", revoked: "吊销，未注销", "moved-out": "迁出" };
  let i = 0;
  for (const batch of entityGenerator({ seed: "import-xlsx-bench", entities: n }).batches(10_000)) {
    for (const e of batch) {
      i++;
      const byRegNo = i % 20 === 0;
      const first14 = `${e.districtCode}${String(i).padStart(8, "0")}`;
      ws.addRow([
        byRegNo ? null : e.code,
        byRegNo ? Number(first14 + registrationNumberCheckDigit(first14)) : null,
        e.name,
        KIND[e.kind],
        "示例代表人",
        e.address,
        STATUS[e.status],
        new Date(`${e.establishedOn}T00:00:00Z`),
        "示例市市场监督管理局",
      ]).commit();
    }
  }
  ws.commit();
  await wb.commit();
}

// ── parent ───────────────────────────────────────────────────────────────────────────────────

const childPhase = flag("--phase");
if (childPhase) {
  const r = await runPhase(childPhase, flag("--file")!);
  console.log(`RESULT ${JSON.stringify(r)}`);
  process.exit(0);
}

const rows = Number(flag("--rows") ?? 200_000);
const withPg = args.includes("--pg");
const withSqlite = !args.includes("--no-sqlite");
console.log(`importXlsx bench: ${rows} rows, node ${process.version}, ${cpus().length} CPUs, load average ${loadavg()[0]!.toFixed(1)}`);
const dir = mkdtempSync(join(tmpdir(), "ssj-xlsx-bench-"));
try {
  let file = flag("--file");
  if (!file) {
    file = join(dir, "export.xlsx");
    const t0 = performance.now();
    await generate(file, rows);
    console.log(`generation: ${mb(statSync(file).size / 1024)} .xlsx in ${((performance.now() - t0) / 1000).toFixed(1)} s (not part of the figures)`);
  }
  const self = fileURLToPath(import.meta.url);
  const phase = (name: string): PhaseResult => {
    const p = spawnSync(process.execPath, ["--import", "tsx", self, "--phase", name, "--file", file!], { encoding: "utf8", maxBuffer: 16 << 20, env: process.env });
    const line = p.stdout.split("\n").find((l) => l.startsWith("RESULT "));
    if (p.status !== 0 || !line) throw new Error(`phase ${name} failed (${p.status}): ${p.stderr.slice(-2000)}`);
    return JSON.parse(line.slice(7)) as PhaseResult;
  };
  const idle = phase("idle");
  console.log(`idle child (modules loaded, nothing read): peak RSS ${mb(idle.maxRssKb)}`);
  const floor = phase("floor");
  const show = (r: PhaseResult) =>
    console.log(
      `${r.phase.padEnd(8)} ${r.rows} rows in ${(r.ms / 1000).toFixed(1)} s (${(r.cpuMs / 1000).toFixed(1)} s CPU) = ${Math.round(r.rows / (r.ms / 1000))} rows/s; ` +
        `${(r.ms / floor.ms).toFixed(2)}× the floor; peak RSS ${mb(r.maxRssKb)} (${mb(r.maxRssKb - idle.maxRssKb)} above idle)${r.note ? `; ${r.note}` : ""}`,
    );
  show(floor);
  show(phase("parse"));
  if (withSqlite) show(phase("sqlite"));
  if (withPg) show(phase("postgres"));
  console.log(`load average after: ${loadavg()[0]!.toFixed(1)}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
