/**
 * `npm run bench -- api [--rows 1000000] [--db sqlite|postgresql|both] [--duration 10] [--connections 10] [--fresh]`
 *
 * The public read path under load: 1,000,000 synthetic published results generated straight into
 * the read model (src/store/readModel bulk path), the service (buildApp: helmet, request ids,
 * auth hook, rate limiter with a huge limit, the public plugin) in a child process, autocannon in
 * this one, over loopback. Scenarios, one after the other:
 *   trivial   GET /bench/trivial (a route that returns {ok:true}, same app and hooks)
 *   code      GET /api/public/results?code=<random existing credit code>
 *   name≥3    GET /api/public/results?name=<3–6 consecutive characters of a random entity name>
 *   name2     GET /api/public/results?name=<2 characters: an industry word such as 餐饮 (≈5 % of
 *             all rows) or a brand pair (rare)>
 *   page      GET /public?q=<3–6 characters of a random name> (the full 公示 HTML page)
 *   bare …    trivial, code and name≥3 again on a bare fastify serving the same public plugin
 *             (no helmet, request ids, auth hook, rate limiter): the application's hook cost
 * Prints req/s, p50/p99 latency, the ratio to trivial, and the server process's CPU time per
 * request (user + system; a figure that holds even when other work shares the machine) and, on
 * PostgreSQL, its backends' CPU per request (Linux /proc). Non-2xx answers are reported.
 * Generated databases are kept (data/bench/, database ssj_bench) and reused unless --fresh.
 * PostgreSQL: SSJ_BENCH_PG_URL (default postgresql://postgres@127.0.0.1:5432/ssj_bench, created
 * when missing).
 */
import { fork } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const here = fileURLToPath(import.meta.url);
const root = join(dirname(here), "..");

// ─── synthetic data ──────────────────────────────────────────────────────────────────────────
const ALPHA = "0123456789ABCDEFGHJKLMNPQRTUWXY";
function creditCode(n: number): string {
  const org = n.toString(31).padStart(9, "0");
  const body = `91610113${[...org].map((c) => ALPHA[parseInt(c, 31)]).join("")}`;
  let sum = 0;
  let w = 1;
  for (let i = 0; i < 17; i++) {
    sum += ALPHA.indexOf(body[i]!) * w;
    w = (w * 3) % 31;
  }
  const check = 31 - (sum % 31);
  return body + ALPHA[check === 31 ? 0 : check];
}

function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DISTRICTS = ["新城区", "碑林区", "莲湖区", "雁塔区", "未央区", "灞桥区", "长安区", "临潼区", "阎良区", "高陵区", "鄠邑区"];
const BRAND_CHARS = [..."华盛鑫源泰丰瑞祥恒达兴隆宏昌福顺安康永和金鼎嘉禾明辉晨光德润博远凯旋天成信诚佳美锦绣新宇宝通汇聚正阳立邦鸿运众合龙腾凤翔春秋海川山河云峰雅韵聚贤启航万家千禧百味一品"];
const INDUSTRIES = ["餐饮", "五金", "建材", "科技", "药房", "物流", "酒店", "超市", "汽修", "服装", "食品", "烟酒", "家电", "文具", "美容", "健身", "电子", "印刷", "装饰", "茶叶"];
const SUFFIXES = ["有限公司", "店", "经营部", "商行", "工作室", "有限责任公司"];
const DEPARTMENTS = ["西安市市场监督管理局", "西安市卫生健康委员会", "西安市生态环境局", "西安市住房和城乡建设局", "西安市交通运输局", "西安市应急管理局"];
const TASKS = ["食品经营许可事项抽查", "公共场所卫生抽查", "排污许可执行情况抽查", "建筑市场行为抽查", "道路运输经营抽查", "安全生产抽查"];
const RESULTS = [["未发现问题"], ["未发现问题"], ["未发现问题"], ["发现问题已责令改正"], ["发现问题待后续处理", "违反其他规定"], ["未发现开展本次抽查涉及的经营活动"]];

function entityName(e: number): string {
  const r = rng(e * 7919 + 17);
  const pick = <T>(a: readonly T[]) => a[Math.floor(r() * a.length)]!;
  return `西安市${pick(DISTRICTS)}${pick(BRAND_CHARS)}${pick(BRAND_CHARS)}${pick(INDUSTRIES)}${pick(SUFFIXES)}`;
}

function* results(rows: number, entities: number) {
  const r = rng(1);
  for (let i = 0; i < rows; i++) {
    const e = i % entities;
    const d = Math.floor(r() * DEPARTMENTS.length);
    const day = 1 + Math.floor(r() * 365);
    const check = new Date(Date.UTC(2025, 0, day)).toISOString().slice(0, 10);
    yield {
      id: `R${i}`,
      entityCode: creditCode(e),
      entityName: entityName(e),
      taskNumber: `2025-${d}-${String(i).padStart(7, "0")}`,
      taskName: TASKS[d]!,
      department: DEPARTMENTS[d]!,
      checkDate: check,
      results: RESULTS[i % RESULTS.length]!,
      publishedAt: new Date(Date.UTC(2025, 0, day + 10)).toISOString(),
    };
  }
}

// ─── server child ────────────────────────────────────────────────────────────────────────────
async function serve(): Promise<void> {
  const { buildApp } = await import("../api/app.ts");
  const { openBenchStore } = await import("../src/store/readModel/benchStore.ts");
  const store = await openBenchStore(process.env.BENCH_DB_KIND as "sqlite" | "postgresql", process.env.BENCH_DB!);
  const app = await buildApp({ store, tokenLookup: async () => null, publicRateLimit: { max: 1_000_000_000, timeWindow: "1 minute" } });
  app.get("/bench/trivial", { config: { access: "public" } }, async () => ({ ok: true }));
  const address = await app.listen({ host: "127.0.0.1", port: 0 });
  // The same routes on a bare fastify (no helmet, request ids, auth hook or rate limiter): shows
  // what the application's cross-cutting hooks cost per request.
  const Fastify = (await import("fastify")).default;
  const { openReadModel } = await import("../src/store/readModel/index.ts");
  const publicRoutes = (await import("../api/public/index.ts")).default;
  const bare = Fastify({ logger: false });
  bare.addSchema((await import("../api/errors.ts")).ErrorBody);
  await bare.register(publicRoutes, { readModel: await openReadModel(store), rateLimit: false });
  bare.get("/bench/trivial", async () => ({ ok: true }));
  const bareAddress = await bare.listen({ host: "127.0.0.1", port: 0 });
  process.send!({ address, bareAddress });
  process.on("message", (m) => {
    if ((m as { cmd?: string }).cmd === "cpu") process.send!({ cpu: process.cpuUsage() });
  });
  process.on("disconnect", () => {
    void Promise.all([app.close(), bare.close()])
      .then(() => store.close())
      .then(() => process.exit(0));
  });
}

/**
 * CPU time (µs) of the PostgreSQL backends serving database `db` (Linux /proc; 10 ms ticks), or
 * null where /proc is not available. Other databases' backends are not counted.
 */
function postgresCpuUs(db: string): number | null {
  if (!existsSync("/proc/self/stat")) return null;
  let ticks = 0;
  for (const pid of readdirSync("/proc")) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8");
      if (!cmd.startsWith("postgres: ") || !cmd.includes(` ${db} `)) continue;
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks += Number(f[11]) + Number(f[12]);
    } catch {
      // the process ended meanwhile
    }
  }
  return ticks * 10_000;
}

// ─── load generator ──────────────────────────────────────────────────────────────────────────
interface Figure {
  name: string;
  /** Server process CPU time per request (user + system), µs. */
  cpuUs: number;
  /** PostgreSQL backends' CPU time per request, µs (null on SQLite). */
  dbCpuUs: number | null;
  rps: number;
  p99: number;
  p50: number;
  non2xx: number;
  errors: number;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      rows: { type: "string", default: "1000000" },
      db: { type: "string", default: "sqlite" },
      duration: { type: "string", default: "10" },
      connections: { type: "string", default: "10" },
      fresh: { type: "boolean", default: false },
    },
  });
  const rows = Number(values.rows);
  const entities = Math.max(1, Math.round(rows / 2.5));
  const duration = Number(values.duration);
  const connections = Number(values.connections);
  const kinds = values.db === "both" ? ["sqlite", "postgresql"] : [values.db!];
  const autocannon = (await import("autocannon")).default;
  const { openBenchStore } = await import("../src/store/readModel/benchStore.ts");
  const { bulkLoadResults, openReadModel } = await import("../src/store/readModel/index.ts");

  console.log(`api bench: ${rows.toLocaleString()} published results, ${connections} connections, ${duration} s per scenario, node ${process.version}, ${cpus().length} cores`);
  const all: Record<string, Figure[]> = {};
  for (const kind of kinds) {
    const target =
      kind === "sqlite"
        ? join(root, "data", "bench", `api-${rows}.db`)
        : process.env.SSJ_BENCH_PG_URL || "postgresql://postgres@127.0.0.1:5432/ssj_bench";
    if (kind === "sqlite") mkdirSync(dirname(target), { recursive: true });
    const store = await openBenchStore(kind as "sqlite" | "postgresql", target, { create: true });
    const rm = await openReadModel(store);
    const have = await rm.countResults();
    if (values.fresh || have !== rows) {
      const t0 = performance.now();
      await bulkLoadResults(store, results(rows, entities));
      console.log(`[${kind}] generated ${rows.toLocaleString()} results into the read model in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    } else {
      console.log(`[${kind}] reusing ${have.toLocaleString()} results (${kind === "sqlite" ? target : "database"}); --fresh regenerates`);
    }
    await store.close();

    const child = fork(here, [], {
      execArgv: ["--import", "tsx"],
      env: { ...process.env, BENCH_API_SERVE: "1", BENCH_DB_KIND: kind, BENCH_DB: target },
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    const { address, bareAddress } = await new Promise<{ address: string; bareAddress: string }>((resolve, reject) => {
      child.once("message", (m) => resolve(m as { address: string; bareAddress: string }));
      child.once("exit", (c) => reject(new Error(`server exited with ${c}`)));
    });

    const r = rng(99);
    const randomName = () => entityName(Math.floor(r() * entities));
    const sub = () => {
      const n = randomName().slice(3); // without 西安市
      const len = 3 + Math.floor(r() * 4);
      const at = Math.floor(r() * Math.max(1, n.length - len));
      return n.slice(at, at + len);
    };
    const two = () =>
      r() < 0.5 ? INDUSTRIES[Math.floor(r() * INDUSTRIES.length)]! : BRAND_CHARS[Math.floor(r() * BRAND_CHARS.length)]! + BRAND_CHARS[Math.floor(r() * BRAND_CHARS.length)]!;
    const scenarios: [string, () => string, boolean?][] = [
      ["trivial", () => "/bench/trivial"],
      ["code", () => `/api/public/results?code=${creditCode(Math.floor(r() * entities))}`],
      ["name≥3", () => `/api/public/results?name=${encodeURIComponent(sub())}`],
      ["name2", () => `/api/public/results?name=${encodeURIComponent(two())}`],
      ["page", () => `/public?q=${encodeURIComponent(sub())}`],
      ["bare trivial", () => "/bench/trivial", true],
      ["bare code", () => `/api/public/results?code=${creditCode(Math.floor(r() * entities))}`, true],
      ["bare name≥3", () => `/api/public/results?name=${encodeURIComponent(sub())}`, true],
    ];
    const cpu = () =>
      new Promise<NodeJS.CpuUsage>((resolve) => {
        child.once("message", (m) => resolve((m as { cpu: NodeJS.CpuUsage }).cpu));
        child.send({ cmd: "cpu" });
      });
    const figures: Figure[] = [];
    for (const [name, path, onBare] of scenarios) {
      const url = onBare ? bareAddress : address;
      // warm-up (JIT, page cache, prepared statements)
      await autocannon({ url, connections, duration: 2, requests: [{ setupRequest: (req: object) => ({ ...req, path: path() }) }] });
      const dbName = kind === "postgresql" ? decodeURIComponent(new URL(target).pathname.slice(1)) : "";
      const d0 = kind === "postgresql" ? postgresCpuUs(dbName) : null;
      const c0 = await cpu();
      const res = await autocannon({ url, connections, duration, requests: [{ setupRequest: (req: object) => ({ ...req, path: path() }) }] });
      const c1 = await cpu();
      const cpuUs = (c1.user - c0.user + c1.system - c0.system) / Math.max(1, res.requests.total);
      const d1 = kind === "postgresql" ? postgresCpuUs(dbName) : null;
      // null too when a backend ended during the run (its ticks left the sum)
      const dbCpuUs = d0 !== null && d1 !== null && d1 >= d0 ? (d1 - d0) / Math.max(1, res.requests.total) : null;
      const f: Figure = { name, cpuUs, dbCpuUs, rps: res.requests.average, p99: res.latency.p99, p50: res.latency.p50, non2xx: res.non2xx, errors: res.errors };
      figures.push(f);
      console.log(
        `[${kind}] ${name.padEnd(12)} ${Math.round(f.rps).toLocaleString().padStart(8)} req/s  p50 ${f.p50} ms  p99 ${f.p99} ms  ×${(f.rps / figures[0]!.rps).toFixed(3)} of trivial  server CPU ${f.cpuUs.toFixed(0)} µs/req${f.dbCpuUs !== null ? `, PostgreSQL ${f.dbCpuUs.toFixed(0)} µs/req` : ""}` +
          (f.non2xx || f.errors ? `  (!) non-2xx ${f.non2xx}, errors ${f.errors}` : ""),
      );
    }
    all[kind] = figures;
    child.disconnect();
    await new Promise((res) => child.once("exit", res));
  }

  console.log(`\nload average during the run: ${loadavg().map((x) => x.toFixed(1)).join(" ")}`);
  console.log("\n| database | scenario | req/s | p50 ms | p99 ms | × trivial | server CPU µs/req | PostgreSQL CPU µs/req |\n|---|---|---|---|---|---|---|---|");
  for (const [kind, figs] of Object.entries(all)) {
    for (const f of figs) {
      console.log(`| ${kind} | ${f.name} | ${Math.round(f.rps).toLocaleString()} | ${f.p50} | ${f.p99} | ${(f.rps / figs[0]!.rps).toFixed(3)} | ${f.cpuUs.toFixed(0)} | ${f.dbCpuUs === null ? "–" : f.dbCpuUs.toFixed(0)} |`);
    }
  }
}

if (process.env.BENCH_API_SERVE === "1") await serve();
else await main();

export {};
