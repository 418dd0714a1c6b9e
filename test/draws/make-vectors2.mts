/**
 * Generates the `json test-vector-2` blocks of docs/draw-spec.md §13 with the reference engine
 * (src/draws/v2) and writes them into the document (between the §13 introduction and §14).
 *
 *   node --import tsx test/draws/make-vectors2.mts          rewrite §13 of docs/draw-spec.md
 *   node --import tsx test/draws/make-vectors2.mts --print  print the blocks only
 *
 * Every input is synthetic (测试 names, codes from fixtures.ts codeFor). Where a vector must show a
 * situation (an officer skipped at capacity, a substitute joining another department's check), the
 * external value is the first of "测试公开值-1", "测试公开值-2", … for which the draw shows it.
 * test/draws/spec-vectors2.test.ts checks the engine and test/draws/reference_draw2.py against them.
 */
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { derivedKey, secretCommitment, ticketOf, type Entity } from "../../src/draws/index.ts";
import {
  ChainReplay,
  classProof,
  classRoot,
  freezeDraw,
  inputsDigests,
  personOrder,
  recordDigest,
  digestOf,
  seedFromProvenance2,
  teamContext,
  type AuditHead,
  type CheckResult,
  type DrawRecord2,
  type DrawRequest2,
  type FrozenInputs2,
  type Provenance2,
  type ScheduleVisit,
} from "../../src/draws/v2/index.ts";
import { codeFor } from "./fixtures.ts";

const sha = (s: string) => createHash("sha256").update(s, "utf8").digest("hex");
const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

const HORIZON = ["2026-12-01", "2026-12-02", "2026-12-03", "2026-12-04", "2026-12-07", "2026-12-08"];
const DRAW_AT = "2026-11-26T03:00:00.000Z";

type Step =
  | { kind: "target"; department: string; out: string; reason: string; at: string }
  | { kind: "inspector"; code: string; department: string; out: string; reason: string; at: string }
  | { kind: "schedule"; reason: string | null; visits: ScheduleVisit[]; unscheduled: { code: string; reason: string }[]; at: string };

function entity(i: number, code: string, district: string, industry: string, riskClass: Entity["riskClass"], status = "active"): Entity {
  return { code, name: `测试主体${i}`, district, industry, kind: i % 3 === 2 ? "individual" : "enterprise", size: "small", status, riskClass };
}

/** Population of vectors 1 and 3: ten pool entities, one deregistered, one over SCJG's yearly cap. */
function population(): Entity[] {
  const rows: [string, string, Entity["riskClass"], string?][] = [
    ["350102", "C13", "A"],
    ["350102", "F52", "B"],
    ["350103", "C26", "B"],
    ["350103", "H62", "A"],
    ["350104", "C13", "C"],
    ["350104", "F52", "B"],
    ["350102", "C26", "D"],
    ["350103", "C13", "B"],
    ["350104", "H62", "A"],
    ["350102", "C13", "C"],
    ["350103", "F52", "B", "deregistered"],
  ];
  return rows.map(([district, industry, k, status], i) => entity(i, i === 3 ? "350103600012345" : codeFor(1000 + 97 * i), district, industry, k, status));
}

const SCJG = {
  id: "SCJG",
  name: "测试市市场监督管理局",
  role: "lead" as const,
  items: [{ id: "SC-01", name: "测试登记事项检查", kind: "key" as const }],
  quotas: { A: { ratio: "1/3" }, B: { ratio: "1/2" }, C: { ratio: "1/2" }, D: { count: 1 } },
  requires: ["测试执法证"],
};
const STHJ = {
  id: "STHJ",
  name: "测试市生态环境局",
  role: "participating" as const,
  items: [{ id: "HJ-01", name: "测试排污许可检查", kind: "key" as const }],
  conditions: { industries: ["C"] },
  quotas: { A: { ratio: "1/1" }, B: { count: 1 }, C: { count: 3 }, D: { count: 0 } },
  requires: ["测试环境执法证"],
};

function request(o: { id: string; name: string; inspectors: boolean; seedPlan: DrawRequest2["seedPlan"]; attempt?: DrawRequest2["attempt"]; frozenAt?: string }): DrawRequest2 {
  const entities = population();
  const code = (i: number) => entities[i]!.code;
  return {
    batch: { id: o.id, name: o.name, year: 2026, level: "city", plan: { id: "P-2026", name: "2026年度测试抽查计划" }, window: { from: "2026-12-01", to: "2026-12-08" }, horizon: HORIZON },
    attempt: o.attempt ?? { number: 1, previous: [] },
    frozenAt: o.frozenAt ?? "2026-11-26T01:00:00.000Z",
    audit: { seq: 12, hash: sha("测试审计日志 12") },
    classKey: sha(`测试类别密钥 ${o.id}`),
    entities,
    departments: [SCJG, STHJ],
    config: {
      generalRatioCap: { A: "1/10", B: "1/5", C: "1/2", D: "1/1" },
      substitutes: 1,
      frequencyCaps: [{ department: "SCJG", level: "city", maxPerYear: 1, exemptKinds: ["complaint"] }],
      rules: [],
      team: { minPerDepartment: 1, minTotal: 2, experts: o.inspectors ? 1 : 0, reserves: 1 },
    },
    history: [{ code: code(1), department: "SCJG", level: "city", year: 2026, kind: "random" }],
    inspectors: o.inspectors
      ? {
          officers: [
            { id: "市监测试01", department: "SCJG", qualifications: ["测试执法证"], districts: ["3501"], active: true, capacity: 1, dailyCapacity: 2, unavailable: [] },
            { id: "市监测试02", department: "SCJG", qualifications: ["测试执法证"], districts: ["3501"], active: true, capacity: 2, dailyCapacity: 2, unavailable: ["2026-12-01"] },
            { id: "市监测试03", department: "SCJG", qualifications: ["测试执法证"], districts: ["350102", "350103"], active: true, capacity: null, dailyCapacity: 1, unavailable: [] },
            { id: "市监测试04", department: "SCJG", qualifications: [], districts: ["3501"], active: true, capacity: 3, dailyCapacity: 2, unavailable: [] },
            { id: "环境测试01", department: "STHJ", qualifications: ["测试环境执法证"], districts: ["3501"], active: true, capacity: 2, dailyCapacity: 2, unavailable: [] },
            { id: "环境测试02", department: "STHJ", qualifications: ["测试环境执法证"], districts: ["3501"], active: true, capacity: null, dailyCapacity: 2, unavailable: [] },
            { id: "环境测试03", department: "STHJ", qualifications: ["测试环境执法证"], districts: ["3501"], active: false, capacity: null, dailyCapacity: 2, unavailable: [] },
          ],
          experts: [
            { id: "专家测试01", specialities: ["测试环境工程"], districts: ["3501"], active: true, capacity: 1 },
            { id: "专家测试02", specialities: ["测试食品安全"], districts: ["350102", "350103"], active: true, capacity: null },
          ],
          recusals: [{ inspectorId: "市监测试02", code: code(0), reason: "测试：近亲属任职" }],
        }
      : null,
    seedPlan: o.seedPlan,
  };
}

interface Case {
  name: string;
  inputs: FrozenInputs2;
  provenance: Provenance2;
  drawAt: string;
  audit: AuditHead;
  proofs: string[];
  steps: Step[];
}

async function expected(c: Case) {
  const { publicDigest, privateDigest, commitment } = inputsDigests(c.inputs);
  const { pool } = c.inputs.public;
  const { classKey, strata } = c.inputs.private;
  const seed = seedFromProvenance2(c.inputs.public, commitment, c.provenance);
  const replay = new ChainReplay(c.inputs, seed, c.provenance, commitment);
  const records: { record: DrawRecord2; digest: string }[] = [];
  const seal = (r: DrawRecord2) => records.push({ record: r, digest: recordDigest(r, digestOf(r.public), digestOf(r.private)) });
  seal(replay.makeDraw(c.drawAt, c.audit));
  for (const s of c.steps) {
    if (s.kind === "target") seal(replay.makeTargetSubstitution(s, s.at, c.audit));
    else if (s.kind === "inspector") seal(replay.makeInspectorSubstitution(s, s.at, c.audit));
    else seal(replay.makeSchedule({ visits: s.visits, unscheduled: s.unscheduled }, s.reason, s.at, c.audit));
  }
  const teamKey = derivedKey(seed, "team");
  const teamTickets = (replay.results.checks ?? [])
    .map((k) => [k.code, createHash("sha256").update(teamKey).update(k.code, "utf8").digest("hex")] as [string, string])
    .sort((a, b) => (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : a[0] < b[0] ? -1 : 1));
  return {
    publicDigest,
    privateDigest,
    commitment,
    classRoot: await classRoot(classKey, pool.codes, strata),
    classProofs: await Promise.all(c.proofs.map((code) => classProof(classKey, pool.codes, strata, code))),
    seed,
    ticketKey: hex(derivedKey(seed, "ticket")),
    tickets: pool.codes.map((code) => [code, ticketOf(seed, code)]),
    officerKey: hex(derivedKey(seed, "officer")),
    expertKey: hex(derivedKey(seed, "expert")),
    teamKey: hex(teamKey),
    teamTickets,
    results: replay.results,
    publicResults: replay.publicResults,
    records,
    head: replay.head,
  };
}

const external = (value: string): Provenance2 => ({ mode: "external", source: "测试随机数信标", reference: "第 1000 轮", value, publishedAt: "2026-11-26T02:00:00.000Z" });
const externalPlan = { mode: "external" as const, source: "测试随机数信标", reference: "第 1000 轮" };

function draw(inputs: FrozenInputs2, prov: Provenance2) {
  const { commitment } = inputsDigests(inputs);
  const seed = seedFromProvenance2(inputs.public, commitment, prov);
  return { seed, replay: new ChainReplay(inputs, seed, prov, commitment) };
}

/** Officer `id` is passed over by some check's team although eligible and earlier in its order: at capacity. */
function skippedAtCapacity(inputs: FrozenInputs2, seed: string, checks: CheckResult[], id: string): boolean {
  const ctx = teamContext(inputs.public, inputs.private.inspectors!, seed);
  return checks.some((c) =>
    c.departments.some((t) => {
      const order = personOrder(ctx, c.code, t.department);
      const last = Math.max(...t.officers.map((id) => order.indexOf(id)));
      return order.slice(0, last).includes(id) && !t.officers.includes(id);
    }),
  );
}

/** Vector 1: first value whose draw has 市监测试01 skipped at capacity, the recusal in effect, a joint check, experts and an expert shortfall. */
async function vector1(): Promise<Case> {
  const inputs = await freezeDraw(request({ id: "2026-TEST-01", name: "2026年测试市第一批部门联合抽查", inspectors: true, seedPlan: externalPlan }));
  const recusal = inputs.private.inspectors!.recusals[0]!;
  for (let k = 1; ; k++) {
    const prov = external(`测试公开值-${k}`);
    const { seed, replay } = draw(inputs, prov);
    const checks = replay.results.checks!;
    const ok =
      skippedAtCapacity(inputs, seed, checks, "市监测试01") &&
      checks.some((c) => c.code === recusal.code && c.departments.some((t) => t.department === "SCJG")) &&
      checks.some((c) => c.departments.length === 2) &&
      checks.some((c) => c.experts.drawn.length > 0) &&
      checks.some((c) => c.experts.shortfall > 0);
    if (ok) return { name: "vector 1: external seed, class tree, capacity-aware teams", inputs, provenance: prov, drawAt: DRAW_AT, audit: { seq: 13, hash: sha("测试审计日志 13") }, proofs: [inputs.public.pool.codes[4]!], steps: [] };
  }
}

/** Vector 2: commit-reveal among both departments, second attempt after one voided attempt, no directory. */
async function vector2(): Promise<Case> {
  const plan = { mode: "commitReveal" as const, departments: ["SCJG", "STHJ"] };
  const base = { id: "2026-TEST-02", name: "2026年测试市第二批部门联合抽查", inspectors: false, seedPlan: plan };
  const reveal = (department: string, secret: string, committedAt: string, revealedAt: string) => ({ department, commitment: secretCommitment(secret), committedAt, secret, revealedAt });
  // attempt 1: frozen, seeded and drawn, then voided
  const first = await freezeDraw(request({ ...base, frozenAt: "2026-11-20T01:00:00.000Z" }));
  const prov1: Provenance2 = {
    mode: "commitReveal",
    reveals: [reveal("SCJG", "11".repeat(32), "2026-11-20T02:00:00.000Z", "2026-11-20T04:00:00.000Z"), reveal("STHJ", "22".repeat(32), "2026-11-20T03:00:00.000Z", "2026-11-20T04:30:00.000Z")],
  };
  const d1 = draw(first, prov1);
  d1.replay.makeDraw("2026-11-20T05:00:00.000Z", { seq: 9, hash: sha("测试审计日志 9") });
  const previous = [
    {
      attempt: 1,
      commitment: inputsDigests(first).commitment,
      seed: d1.seed,
      secretCommitments: prov1.reveals.map((r) => r.commitment).sort(),
      reference: null,
      head: d1.replay.head,
      voidedAt: "2026-11-25T09:00:00.000Z",
      reason: "测试：抽取后发现冻结的名录有误，经批准作废重抽",
    },
  ];
  const inputs = await freezeDraw(request({ ...base, attempt: { number: 2, previous }, frozenAt: "2026-11-26T01:00:00.000Z" }));
  const provenance: Provenance2 = {
    mode: "commitReveal",
    reveals: [reveal("SCJG", "0f".repeat(32), "2026-11-26T01:10:00.000Z", "2026-11-26T01:40:00.000Z"), reveal("STHJ", "a5".repeat(32), "2026-11-26T01:20:00.000Z", "2026-11-26T01:30:00.000Z")],
  };
  return { name: "vector 2: commit-reveal seed, second attempt", inputs, provenance, drawAt: "2026-11-26T02:00:00.000Z", audit: { seq: 14, hash: sha("测试审计日志 14") }, proofs: [inputs.public.pool.codes[0]!], steps: [] };
}

/** A schedule of the current checks (not random): each check on the first day that suits its team. */
function schedule(inputs: FrozenInputs2, checks: CheckResult[]): { visits: ScheduleVisit[]; unscheduled: { code: string; reason: string }[] } {
  const officers = new Map(inputs.private.inspectors!.officers.map((o) => [o.id, o]));
  const perDay = new Map<string, number>();
  const visits: ScheduleVisit[] = [];
  const unscheduled: { code: string; reason: string }[] = [];
  for (const c of checks) {
    if (c.departments.some((t) => t.shortfall > 0) || c.experts.shortfall > 0) {
      unscheduled.push({ code: c.code, reason: "测试：检查组人数不足" });
      continue;
    }
    const team = c.departments.flatMap((t) => t.officers).sort();
    const day = HORIZON.find((d) => team.every((id) => !officers.get(id)!.unavailable.includes(d) && (perDay.get(`${id} ${d}`) ?? 0) < officers.get(id)!.dailyCapacity));
    if (!day) {
      unscheduled.push({ code: c.code, reason: "测试：时间窗口内无可用日期" });
      continue;
    }
    for (const id of team) perDay.set(`${id} ${day}`, (perDay.get(`${id} ${day}`) ?? 0) + 1);
    visits.push({ code: c.code, day, officers: team, experts: [...c.experts.drawn].sort() });
  }
  return { visits, unscheduled };
}

/** Vector 3: first value where STHJ's substitute is a check SCJG already has; then an inspector substitution there, then a schedule. */
async function vector3(): Promise<Case> {
  const inputs = await freezeDraw(request({ id: "2026-TEST-03", name: "2026年测试市第三批部门联合抽查", inspectors: true, seedPlan: externalPlan }));
  const audit = { seq: 15, hash: sha("测试审计日志 15") };
  for (let k = 1; ; k++) {
    const prov = external(`测试公开值-${k}`);
    const { replay } = draw(inputs, prov);
    replay.makeDraw(DRAW_AT, audit);
    const scjg = new Set(replay.currentSelections("SCJG"));
    for (const out of replay.currentSelections("STHJ")) {
      const { replay: r } = draw(inputs, prov);
      r.makeDraw(DRAW_AT, audit);
      const t = { kind: "target" as const, department: "STHJ", out, reason: "测试：现场核实已停止生产", at: "2026-11-27T01:00:00.000Z" };
      const rec = r.makeTargetSubstitution(t, t.at, audit);
      const inCode = (rec.public as { target: { in: string | null } }).target.in;
      if (!inCode || !scjg.has(inCode)) continue;
      const joined = r.currentChecks().find((c) => c.code === inCode)!;
      const team = joined.departments.find((x) => x.department === "SCJG")!;
      if (team.officers.length === 0) continue;
      const i = { kind: "inspector" as const, code: inCode, department: "SCJG", out: team.officers[0]!, reason: "测试：因病不能参加", at: "2026-11-27T02:00:00.000Z" };
      const irec = r.makeInspectorSubstitution(i, i.at, audit);
      if ((irec.private as { in: string | null }).in === null) continue;
      const plan = schedule(inputs, r.currentChecks());
      if (plan.visits.length === 0 || plan.unscheduled.length === 0) continue;
      const s = { kind: "schedule" as const, reason: null, ...plan, at: "2026-11-28T01:00:00.000Z" };
      return { name: "vector 3: substitution chain and schedule", inputs, provenance: prov, drawAt: DRAW_AT, audit, proofs: [inputs.public.pool.codes[9]!], steps: [t, i, s] };
    }
  }
}

/** A paragraph wrapped at 100 columns, like the rest of the document. */
function wrap(text: string, width = 100): string {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, line].join("\n");
}

/** JSON with short arrays and objects on one line. */
function pretty(v: unknown, indent = ""): string {
  const flat = JSON.stringify(v, null, 1).replace(/\n\s*/g, " ").replace(/\[ /g, "[").replace(/ \]/g, "]").replace(/\{ /g, "{").replace(/ \}/g, "}");
  if (flat.length + indent.length <= 120 || v === null || typeof v !== "object") return flat;
  const inner = indent + "  ";
  if (Array.isArray(v)) return `[\n${v.map((x) => inner + pretty(x, inner)).join(",\n")}\n${indent}]`;
  return `{\n${Object.entries(v as Record<string, unknown>)
    .filter(([, x]) => x !== undefined)
    .map(([k, x]) => `${inner}${JSON.stringify(k)}: ${pretty(x, inner)}`)
    .join(",\n")}\n${indent}}`;
}

const DESCRIPTIONS = [
  [
    "Vector 1 — external seed, class tree, teams with capacities",
    "Ten pool entities (one deregistered entity excluded, one over SCJG's yearly cap), a 定向 department whose count quota is short by one, officers with capacities (市监测试01 reaches his capacity of 1 and a later check skips him), a recusal, an officer without the required qualification, an inactive officer, and one expert per check (专家测试01 has a capacity of 1, so a check in a district only he covers has an expert shortfall); expected: both input digests, the commitment, the class root and one class proof, the seed, the derived keys, every ticket, the checks in team-ticket order, the results, their public projection and the draw record.",
  ],
  [
    "Vector 2 — commit-reveal seed, second attempt",
    "The same population without an inspector directory (so `checks` is null), a seed revealed by both departments, and attempt 2, which lists the voided attempt 1 (its commitment, seed, secret commitments and head).",
  ],
  [
    "Vector 3 — substitution chain and schedule",
    "After the draw, STHJ's substitute for a stopped entity is an entity SCJG already checks (STHJ joins that check: SCJG keeps both officers although it now needs one, and the check STHJ left needs a second SCJG officer and has none free), an SCJG officer of the joined check is then substituted, and the first schedule places the checks that can go out; expected: every record, its digest and the head.",
  ],
];

const cases = [await vector1(), await vector2(), await vector3()];
const blocks: string[] = [];
for (const [i, c] of cases.entries()) {
  const { name, ...rest } = c;
  const v = { name, ...rest, expected: await expected(c) };
  blocks.push(`### ${DESCRIPTIONS[i]![0]}\n\n${wrap(DESCRIPTIONS[i]![1]!)}\n\n\`\`\`json test-vector-2\n${pretty(v)}\n\`\`\`\n`);
}
const text = blocks.join("\n");
if (process.argv.includes("--print")) process.stdout.write(text);
else {
  const file = join(fileURLToPath(new URL("../../", import.meta.url)), "docs/draw-spec.md");
  const doc = readFileSync(file, "utf8");
  const start = doc.indexOf("## 13. Test vectors");
  const intro = doc.indexOf("\n\n", doc.indexOf("\n\n", start) + 2) + 2; // after the heading and the introduction
  const end = doc.indexOf("## 14. ");
  if (start < 0 || end < intro) throw new Error("§13 not found");
  writeFileSync(file, doc.slice(0, intro) + text + "\n" + doc.slice(end));
  console.log(`wrote ${cases.length} vectors to docs/draw-spec.md`);
}
