/**
 * `npm run bench -- console [--entities N] [--runs R] [--db FILE]`
 *
 * Issue 10's scale promise: "tables paginate and filter on the server (the directory may hold
 * 2,000,000 entities); any page is interactive within 1 s". This loads the demo city with N
 * entities (default 2,000,000) and the 审管联动 demo into a SQLite file (or reuses `--db FILE` if it
 * already holds one), signs in as each demo account, and times every console page a role can open
 * without an id in its path, plus the heavy directory views: a name search, a district filter and
 * a deep page of the entity directory. Each figure is the server time of the whole HTML page
 * (fastify inject: routing, session, the page's API calls, rendering), median and worst of R runs
 * after one warm-up, and its ratio to the floor measured in the same run (GET /health).
 *
 *   | page | role | median ms | worst ms | × floor | bytes |
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { buildApp } from "../api/app.ts";
import { PAGES } from "../api/console/pages/index.ts";
import { loadDemoCity } from "../src/demo/index.ts";
import { loadDemoLoop } from "../src/demo/loop.ts";
import { openStore } from "../src/store/index.ts";
import { DEMO_ACCOUNTS, ensureDemoAccounts } from "../src/store/repos/demoAccounts.ts";
import { parseEntityCount } from "../src/cli/commands/demo.ts";

const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const entities = flag("--entities") ? parseEntityCount(flag("--entities")!) : 2_000_000;
const runs = Number(flag("--runs") ?? 7);
const load = () => `load ${loadavg()[0]!.toFixed(1)}`;

const given = flag("--db");
const dir = given ? null : mkdtempSync(join(tmpdir(), "ssj-console-bench-"));
const file = given ?? join(dir!, "console.db");
const fresh = !existsSync(file);
console.log(`console bench ${new Date().toISOString()}: ${entities.toLocaleString()} entities, ${runs} runs per page, node ${process.version}, ${cpus().length} CPUs, ${load()}`);

const store = await openStore({ databaseUrl: `file:${file}` });
try {
  await store.migrate();
  if (fresh || (await store.prisma.entity.count()) === 0) {
    const t0 = performance.now();
    const city = await loadDemoCity(store, { entities });
    const loop = await loadDemoLoop(store, { seed: city.seed });
    console.log(`demo city loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s (${loop.decisions} decisions) ${load()}`);
  } else console.log(`reusing ${file} (${(await store.prisma.entity.count()).toLocaleString()} entities)`);
  await ensureDemoAccounts(store);
  const app = await buildApp({ store });
  try {
    const cookies = new Map<string, string>();
    for (const a of DEMO_ACCOUNTS) {
      const res = await app.inject({ method: "POST", url: "/session", payload: { login: a.login, password: a.password } });
      if (res.statusCode !== 200) throw new Error(`login ${a.login}: ${res.statusCode} ${res.body}`);
      const set = ([] as string[]).concat(res.headers["set-cookie"] ?? []);
      const c = set.map((s) => s.split(";")[0]!).find((s) => s.startsWith("ssj_session="));
      if (!c) throw new Error(`no session cookie for ${a.login}`);
      cookies.set(a.login, c);
    }

    const time = async (url: string, cookie?: string) => {
      const ms: number[] = [];
      let bytes = 0;
      let status = 0;
      for (let i = 0; i <= runs; i++) {
        const t = performance.now();
        const res = await app.inject({ method: "GET", url, headers: cookie ? { cookie } : {} });
        const dt = performance.now() - t;
        status = res.statusCode;
        bytes = res.rawPayload.length;
        if (i > 0) ms.push(dt); // the first run warms caches and compiles the page
      }
      ms.sort((a, b) => a - b);
      return { median: ms[Math.floor(ms.length / 2)]!, worst: ms[ms.length - 1]!, bytes, status };
    };

    const floor = await time("/health");
    console.log(`floor GET /health: median ${floor.median.toFixed(2)} ms ${load()}\n`);
    console.log("| page | role | median ms | worst ms | × floor | bytes | status |\n|---|---|---|---|---|---|---|");
    const rows: { page: string; role: string; median: number; worst: number }[] = [];
    const measure = async (url: string, login: string) => {
      const f = await time(url, cookies.get(login));
      rows.push({ page: url, role: login, median: f.median, worst: f.worst });
      console.log(`| ${url} | ${login} | ${f.median.toFixed(1)} | ${f.worst.toFixed(1)} | ${(f.median / floor.median).toFixed(0)} | ${f.bytes.toLocaleString()} | ${f.status} |`);
    };
    const accountFor = (roles: readonly string[]) => DEMO_ACCOUNTS.find((a) => roles.includes(a.role))?.login;
    for (const p of PAGES) {
      if ((p.method ?? "GET") !== "GET" || p.path.includes(":") || p.path.endsWith("/new")) continue;
      const login = accountFor(p.roles);
      if (login) await measure(p.path, login);
    }
    const admin = DEMO_ACCOUNTS.find((a) => a.role === "admin")!.login;
    await measure("/console/entities?name=%E5%95%86%E8%B4%B8", admin); // 商贸: a name search over the whole directory
    await measure("/console/entities?district=610113", admin);
    await measure(`/console/entities?offset=${Math.max(0, entities - 100)}`, admin); // the last page
    const worst = rows.reduce((w, r) => (r.worst > w.worst ? r : w), rows[0]!);
    const over = rows.filter((r) => r.worst > 1000);
    console.log(`\n${rows.length} pages; slowest worst case ${worst.worst.toFixed(0)} ms (${worst.page}); over 1 s: ${over.length ? over.map((r) => r.page).join(", ") : "none"} ${load()}`);
  } finally {
    await app.close();
  }
} finally {
  await store.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
}
