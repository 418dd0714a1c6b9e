/**
 * `npm run bench -- approvals [--decisions 200000] [--entities 200000] [--db sqlite|postgresql] [--share 0.3]`
 *
 * A city year of 审批决定 (30 % 告知承诺 by default) through the approval–supervision loop:
 *   floor      the same number of bare approval_decisions rows per second written by one
 *              createMany per 1,000 in one transaction (no routing, pushes, tasks or audit):
 *              the database's own price, measured in the same run
 *   api        half the decisions through POST /approval-decisions (buildApp, app.inject, 1,000
 *              decisions per request: validation, routing by the list, pushes with 签收 deadlines,
 *              verification tasks, audit)
 *   import     the other half as one CSV file through the import path (ssj approvals import)
 *   tasks      10,000 告知承诺 decisions against 10,000 一般审批 ones through the store: the cost of
 *              building the verification tasks (directed tasks + verifications) per decision
 *   merge      synthetic visits planned on 5 % of the entities in March (two 市场监管 officers each,
 *              standing in for drawn random checks), then the open
 *              loop tasks whose window meets March placed by POST /approvals/schedule's path
 *              (optimizer): tasks, joined into planned visits, new visits, time
 * Prints dated figures; the database is a fresh file (SQLite) or schema (PostgreSQL, SSJ_TEST_PG_URL).
 */
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { openStore, type Store } from "../src/store/index.ts";
import { loadDemoCity } from "../src/demo/index.ts";
import { buildApp } from "../api/app.ts";
import { createUser } from "../src/store/repos/users.ts";
import { publishDutyList, recordDecisions, type DecisionInput, type LoopActor } from "../src/store/repos/approvals.ts";
import { importDecisionsFile } from "../src/store/repos/approvalImports.ts";
import { scheduleLoopTasks } from "../src/store/repos/loopSteps.ts";
import { builtInCalendar, workingDaysInRange } from "../src/calendar/index.ts";

const { values } = parseArgs({ options: { decisions: { type: "string", default: "200000" }, entities: { type: "string", default: "200000" }, db: { type: "string", default: "sqlite" }, share: { type: "string", default: "0.3" } } });
const N = Number(values.decisions), E = Number(values.entities), SHARE = Number(values.share);
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const rate = (n: number, ms: number) => Math.round(n / (ms / 1000));
/** The 1-minute load average at the end of a phase (the machine is shared: read each figure with it). */
const load = () => `[load ${loadavg()[0]!.toFixed(1)}]`;
console.log(`approvals bench ${new Date().toISOString()}: ${N} decisions (${SHARE * 100} % 告知承诺), ${E} entities, ${values.db}, node ${process.version}, ${cpus().length} CPUs, load average ${loadavg()[0]!.toFixed(1)}`);

let dir = "";
let store: Store;
let dropPg: (() => Promise<void>) | null = null;
if (values.db === "postgresql") {
  const base = process.env.SSJ_TEST_PG_URL ?? "postgresql://postgres@127.0.0.1:5432/test";
  const schema = `bench_loop_${randomBytes(4).toString("hex")}`;
  const u = new URL(base);
  u.searchParams.set("schema", schema);
  store = await openStore({ databaseUrl: u.href });
  dropPg = async () => {
    const c = new pg.Client({ connectionString: base });
    await c.connect();
    await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await c.end();
  };
} else {
  dir = mkdtempSync(join(tmpdir(), "ssj-bench-loop-"));
  store = await openStore({ databaseUrl: `file:${join(dir, "bench.db")}` });
}

try {
  let t = performance.now();
  await loadDemoCity(store, { seed: "bench-loop", entities: E });
  console.log(`demo city (${E} entities) loaded in ${secs(performance.now() - t)}`);
  const p = store.prisma;
  const bureau = await p.department.create({ data: { code: "SP01", name: "西安市行政审批服务局", level: "city", kind: "approval", districtCode: "610100" } });
  const floorBureau = await p.department.create({ data: { code: "SP-FLOOR", name: "基准审批局", level: "city", kind: "approval", districtCode: "610100" } });
  const admin: LoopActor = { userId: 0, role: "admin", departmentId: null, actor: "bench" };
  // The list: 40 approval items over the city's supervising departments, each with its first item.
  const depts = await p.department.findMany({ where: { kind: "supervision", level: "city" }, orderBy: { id: "asc" }, include: { items: { take: 1, orderBy: { id: "asc" } } } });
  const entries = Array.from({ length: 40 }, (_, k) => {
    const d = depts[k % depts.length]!;
    return { approvalCode: `XK-${String(k + 1).padStart(3, "0")}`, approvalName: `审批事项${k + 1}`, supervisionName: `监管事项${k + 1}`, departmentId: d.id, itemId: d.items[0]?.id ?? null };
  });
  const list = await publishDutyList(store, { bureauId: bureau.id, reason: "基准测试清单", entries }, admin);
  const floorList = await publishDutyList(store, { bureauId: floorBureau.id, reason: "基准测试清单", entries }, admin);
  const entities = (await p.entity.findMany({ where: { status: "active" }, select: { code: true }, orderBy: { id: "asc" } })).map((e) => e.code);
  const days = workingDaysInRange(builtInCalendar(), "2026-01-04", "2026-11-30");
  let seed = 7;
  const rnd = () => {
    seed = (seed + 0x6d2b79f5) >>> 0;
    let x = Math.imul(seed ^ (seed >>> 15), seed | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
  const decision = (i: number, prefix: string, kind?: string): DecisionInput => ({
    decisionNo: `${prefix}-${i}`,
    entityCode: entities[Math.floor(rnd() * entities.length)]!,
    approvalCode: entries[Math.floor(rnd() * entries.length)]!.approvalCode,
    kind: kind ?? (rnd() < SHARE ? "commitment" : "general"),
    decision: "grant",
    decidedOn: days[Math.floor(rnd() * days.length)]!,
    licenceNo: `L${i}`,
  });

  // floor: bare rows
  const floorN = Math.min(N / 2, 50_000);
  t = performance.now();
  await p.$transaction(async (tx) => {
    for (let k = 0; k < floorN; k += 1000)
      await tx.approvalDecision.createMany({
        data: Array.from({ length: Math.min(1000, floorN - k) }, (_, j) => {
          const d = decision(k + j, "F");
          return { bureauId: floorBureau.id, decisionNo: d.decisionNo, entityId: 1 + ((k + j) % E), listId: floorList.id, approvalCode: d.approvalCode, approvalName: "审批事项", kind: d.kind, decision: "grant", decidedOn: d.decidedOn, level: "city", source: "api", actor: "bench" };
        }),
      });
  }, { timeout: 600_000 });
  const floorMs = performance.now() - t;
  const floorRate = rate(floorN, floorMs);
  console.log(`floor: ${floorN} bare decision rows in ${secs(floorMs)} = ${floorRate} rows/s ${load()}`);

  // api
  const app = await buildApp({ store, bodyLimit: 64 * 1024 * 1024 });
  const bureauToken = (await createUser(store, { name: "审批窗口", role: "officer", department: bureau.id }, "bench")).token;
  const half = Math.floor(N / 2);
  t = performance.now();
  let pushes = 0, verifs = 0;
  for (let k = 0; k < half; k += 1000) {
    const res = await app.inject({ method: "POST", url: "/approval-decisions", headers: { authorization: `Bearer ${bureauToken}` }, payload: { decisions: Array.from({ length: Math.min(1000, half - k) }, (_, j) => decision(k + j, "API")) } });
    if (res.statusCode !== 201) throw new Error(`API ${res.statusCode}: ${res.body.slice(0, 500)}`);
    const b = res.json();
    pushes += b.pushes;
    verifs += b.verifications;
  }
  const apiMs = performance.now() - t;
  console.log(`api: ${half} decisions in ${secs(apiMs)} = ${rate(half, apiMs)} decisions/s (${(rate(half, apiMs) / floorRate).toFixed(3)} × floor); ${pushes} pushes, ${verifs} verification tasks ${load()}`);

  // import
  const rest = N - half;
  const csv = ["办件编号,统一社会信用代码,审批事项编码,审批方式,审批结果,决定日期,许可证号"];
  for (let i = 0; i < rest; i++) {
    const d = decision(i, "IMP");
    csv.push(`${d.decisionNo},${d.entityCode},${d.approvalCode},${d.kind === "commitment" ? "告知承诺" : "一般审批"},准予许可,${d.decidedOn},${d.licenceNo}`);
  }
  const file = join(dir || tmpdir(), `bench-decisions-${process.pid}.csv`);
  writeFileSync(file, csv.join("\n"));
  t = performance.now();
  const imp = await importDecisionsFile(store, readFileSync(file), { bureauId: bureau.id }, admin);
  const impMs = performance.now() - t;
  rmSync(file, { force: true });
  console.log(`import: ${rest} rows in ${secs(impMs)} = ${rate(rest, impMs)} decisions/s (${(rate(rest, impMs) / floorRate).toFixed(3)} × floor); ${imp.pushes} pushes, ${imp.verifications} verification tasks ${load()}`);

  // tasks: the cost of the verification tasks
  const M = Math.min(10_000, N / 10);
  t = performance.now();
  await recordDecisions(store, { bureauId: bureau.id, decisions: Array.from({ length: M }, (_, i) => decision(i, "GEN", "general")), source: "api" }, admin);
  const genMs = performance.now() - t;
  t = performance.now();
  const c = await recordDecisions(store, { bureauId: bureau.id, decisions: Array.from({ length: M }, (_, i) => decision(i, "COM", "commitment")), source: "api" }, admin);
  const comMs = performance.now() - t;
  console.log(`tasks: ${M} 一般审批 in ${secs(genMs)}, ${M} 告知承诺 in ${secs(comMs)} (${c.verifications} verification tasks): ${(((comMs - genMs) / c.verifications) * 1000).toFixed(0)} µs per verification task ${load()}`);

  // merge: random-check visits planned in March on 5 % of the entities, then the loop tasks of March
  const march = workingDaysInRange(builtInCalendar(), "2026-03-01", "2026-03-31");
  const inspectors = await p.inspector.findMany({ where: { active: true }, select: { id: true, departmentId: true, districts: true } });
  const sample = await p.entity.findMany({ where: { status: "active" }, select: { id: true, districtCode: true }, orderBy: { id: "asc" } });
  const d01 = depts[0]!;
  const covering = new Map<string, number[]>();
  const officersFor = (district: string) => {
    let l = covering.get(district);
    if (!l) covering.set(district, (l = inspectors.filter((i) => i.departmentId === d01.id && (i.districts as string[]).some((q) => district.startsWith(q))).map((i) => i.id)));
    return l;
  };
  const visitEntities = sample.filter((e) => rnd() < 0.05 && officersFor(e.districtCode).length >= 2);
  const used = new Map<string, number>();
  let planned = 0;
  t = performance.now();
  await p.$transaction(async (tx) => {
    for (const e of visitEntities) {
      // two officers covering the district with a free slot that day (capacity 2 visits a day, as the optimizer's default)
      const day = march[Math.floor(rnd() * march.length)]!;
      const officers = officersFor(e.districtCode).filter((id) => (used.get(`${id}|${day}`) ?? 0) < 2);
      if (officers.length < 2) continue;
      const k = Math.floor(rnd() * officers.length);
      const a = officers[k]!, b = officers[(k + 1) % officers.length]!;
      for (const id of [a, b]) used.set(`${id}|${day}`, (used.get(`${id}|${day}`) ?? 0) + 1);
      planned++;
      // Stands in for a drawn random check (a drawn batch of this size is the draw benchmark's subject): any planned visit is merged the same way.
      const task = await tx.task.create({ data: { taskNo: `V-${e.id}`, entityId: e.id, departmentId: d01.id, kind: "directed", directedKind: "complaint", directedReason: "基准测试：已排期的入企检查", windowStart: "2026-03-01", windowEnd: "2026-03-31", status: "scheduled" } });
      const jc = await tx.jointCheck.create({ data: { entityId: e.id, day } });
      await tx.jointCheckTask.create({ data: { jointCheckId: jc.id, taskId: task.id, entityId: e.id } });
      await tx.teamMember.createMany({ data: [a, b].map((inspectorId) => ({ jointCheckId: jc.id, role: "officer", departmentId: d01.id, inspectorId })) });
    }
  }, { timeout: 600_000 });
  console.log(`merge setup: ${planned} planned visits in March (${secs(performance.now() - t)}) ${load()}`);
  t = performance.now();
  const s = await scheduleLoopTasks(store, { from: "2026-03-01", to: "2026-03-31" }, admin);
  const mergeMs = performance.now() - t;
  console.log(`merge: ${s.tasks} open loop tasks meeting March → ${s.joined} joined planned visits, ${s.created} new visits, ${s.unscheduled.length} unscheduled, in ${secs(mergeMs)} (${rate(s.tasks, mergeMs)} tasks/s) ${load()}`);
  if (s.unscheduled.length) console.log(`  first unscheduled reason: ${s.unscheduled[0]!.reason}`);
  const onVisits = await p.jointCheckTask.count({ where: { task: { directedKind: { in: ["commitment", "riskAlert", "followUp"] } } } });
  const withVisit = await p.task.count({ where: { directedKind: "commitment", status: "scheduled", entity: { jointChecks: { some: { day: { gte: "2026-03-01", lte: "2026-03-31" }, tasks: { some: { task: { directedKind: "complaint" } } } } } } } });
  console.log(`  check: ${onVisits} loop tasks on visits; ${withVisit} scheduled verification tasks on an entity with a planned March visit`);
  await app.close();
} finally {
  await store.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  await dropPg?.();
}
