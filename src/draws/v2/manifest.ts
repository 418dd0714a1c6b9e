/**
 * Manifests of version 2 (docs/draw-spec.md §10) and their two verifiers (§11).
 *
 *   inputsDigests(inputs)                   → { publicDigest, privateDigest, commitment }
 *   fullManifest({ inputs, seed, records }) → FullManifest2 (head computed)
 *   publicManifest(full)                    → PublicManifest2
 *   verifyFull2(m, opts) / verifyPublic2(m, opts)
 *     → { ok: true, kind, proven: [中文], notProven: [中文], warnings: [中文], summary }
 *     | { ok: false, path, rule, message }
 * `opts.spans` may carry SHA-256 digests of the document's own bytes for "inputs.public",
 * "inputs.private", "records[*].public", "records[*].private" (src/draws/jsonReader.ts): when given,
 * those parts are not re-encoded to be hashed.
 */
import { availableParallelism } from "node:os";
import { DrawInputError } from "../rational.ts";
import { derivedKey, isHex32 } from "../seed.ts";
import { ticketOf, wordsHex } from "../tickets.ts";
import { leavesAndTickets, PARALLEL_MIN, ticketsParallel } from "../sha256.ts";
import { CODE_PATTERN, poolIndex } from "../freeze.ts";
import { quotaFor, ticketOrder } from "../targets.ts";
import { RISK_CLASSES } from "../types.ts";
import { ChainReplay, PublicReplay, publicRecord } from "./chain.ts";
import { classRoot, classSalts, treeRoot } from "./classTree.ts";
import { FULL_PROVES, NEEDS_FULL_MANIFEST, NO_PUBLISHED_COMMITMENT, PUBLIC_PROVES } from "./claims.ts";
import { commitmentOf, digestOf } from "./digest.ts";
import { seedFromProvenance2 } from "./seed.ts";
import { compareCommitment, compareHead, failedOutcome } from "./compare.ts";
import { fail, hex64, instant, int, list, literal, obj, str, strMax, nullable, type Check } from "./shape.ts";
import { auditShape, candidateTotal, checkGeneralCap, validatePrivateInputs, validatePublicInputs } from "./validate.ts";
import {
  MANIFEST_V2,
  SPEC_V2,
  type DrawRecord2,
  type FrozenInputs2,
  type FullManifest2,
  type Provenance2,
  type PublicInputs,
  type PublicManifest2,
  type PublicRecord2,
  type PublicResults,
} from "./types.ts";

const COMMITMENT_TEXT = { inputs: "名录、配额、规则……", noPublished: NO_PUBLISHED_COMMITMENT };

export function inputsDigests(f: FrozenInputs2): { publicDigest: string; privateDigest: string; commitment: string } {
  const publicDigest = digestOf(f.public);
  const privateDigest = digestOf(f.private);
  return { publicDigest, privateDigest, commitment: commitmentOf(publicDigest, privateDigest) };
}

/** Head of a chain (§9): last record digest; before any record prev(0) once seeded, else the commitment. */
export function headOf(commitment: string, seedHead: string | null, records: readonly { head: string }[]): string {
  return records.length > 0 ? records[records.length - 1]!.head : (seedHead ?? commitment);
}

export function fullManifest(a: { inputs: FrozenInputs2; commitment: string; seed: FullManifest2["seed"]; records: DrawRecord2[]; head: string }): FullManifest2 {
  return { manifest: MANIFEST_V2, kind: "full", spec: SPEC_V2, inputs: a.inputs, commitment: a.commitment, seed: a.seed, records: a.records, head: a.head };
}

export function publicManifest(m: FullManifest2, privateDigest = digestOf(m.inputs.private)): PublicManifest2 {
  return {
    manifest: MANIFEST_V2,
    kind: "public",
    spec: SPEC_V2,
    inputs: { public: m.inputs.public, privateDigest },
    commitment: m.commitment,
    seed: m.seed,
    records: m.records.map(publicRecord),
    head: m.head,
  };
}

export type Verify2Outcome =
  | {
      ok: true;
      kind: "full" | "public";
      proven: string[];
      notProven: string[];
      warnings: string[];
      summary: { batch: string; attempt: number; commitment: string; seed: string | null; head: string; departments: number; selected: number; checks: number | null; records: number };
    }
  | { ok: false; path: string; rule: string; message: string };

export interface Verify2Options {
  expectedCommitment?: string;
  expectedHead?: string;
  spans?: Record<string, (string | null)[]>;
  threads?: number;
}

const looseObject: Check = (v, p) => (typeof v === "object" && v !== null && !Array.isArray(v)) || fail(p, "type", "应为对象");
const recordCommon = { kind: literal("draw", "substitution", "schedule"), seq: int(0), prev: hex64, at: instant };
const targetChange = obj({ department: strMax(64), out: strMax(23), in: nullable(strMax(23)), reason: str });

/** Exact shape of a record's public part, by kind. */
function checkPublicPart(r: { kind: string; public: unknown }, path: string): void {
  const p = `${path}.public`;
  if (r.kind === "draw") obj({ audit: auditShape, results: looseObject })(r.public, p);
  else if (r.kind === "substitution") {
    const o = r.public as Record<string, unknown>;
    if (o && typeof o === "object" && "target" in o) obj({ audit: auditShape, target: targetChange })(r.public, p);
    else obj({ audit: auditShape, inspector: obj({ code: strMax(23), department: strMax(64) }) })(r.public, p);
  } else obj({ audit: auditShape, reason: nullable(str), visits: int(0), unscheduled: int(0) })(r.public, p);
}

function checkRecordShape(r: unknown, kind: "full" | "public", path: string): void {
  const last: Record<string, Check> = kind === "full" ? { private: looseObject } : { privateDigest: hex64 };
  obj({ ...recordCommon, public: looseObject, ...last })(r, path);
  checkPublicPart(r as { kind: string; public: unknown }, path);
}

function checkTopShape(m: unknown, kind: "full" | "public"): void {
  const inputs = kind === "full" ? obj({ public: looseObject, private: looseObject }) : obj({ public: looseObject, privateDigest: hex64 });
  obj({
    manifest: literal(MANIFEST_V2),
    kind: literal(kind),
    spec: literal(SPEC_V2),
    inputs,
    commitment: hex64,
    seed: nullable(obj({ value: hex64, provenance: looseObject })),
    records: (v, p) => Array.isArray(v) || fail(p, "type", "应为数组"),
    head: hex64,
  })(m, "$");
}


const span = (o: Verify2Options, path: string, i = 0): string | null => o.spans?.[path]?.[i] ?? null;



function countSelected(p: PublicResults | null): number {
  return p ? p.targets.reduce((n, t) => n + t.selected.length, 0) : 0;
}

/** Full verification (auditors): everything of §11. */
export async function verifyFull2(m: FullManifest2, o: Verify2Options = {}): Promise<Verify2Outcome> {
  try {
    checkTopShape(m, "full");
    const pub = m.inputs.public;
    const priv = m.inputs.private;
    const threads = o.threads ?? availableParallelism();
    // The class tree's leaves and, for the claimed seed, the tickets: one pass over the packed codes
    // in worker threads, started before the inputs are validated so that both run at once; the
    // hashes are used only once the inputs proved valid (and the tickets only if the seed proves right).
    const claimed = m.seed && isHex32(m.seed.value) ? m.seed.value : null;
    const early = hashesEarly(priv, pub, claimed, threads);
    validatePublicInputs(pub);
    validatePrivateInputs(pub, priv);
    const codes = pub.pool.codes;
    const publicDigest = span(o, "inputs.public") ?? digestOf(pub);
    const privateDigest = span(o, "inputs.private") ?? digestOf(priv);
    const warnings: string[] = [];
    compareCommitment(commitmentOf(publicDigest, privateDigest), m, o, warnings, COMMITMENT_TEXT);
    let tickets: Uint32Array | undefined;
    let packed: Uint8Array | undefined;
    let root: string;
    const both = (await early) ?? (claimed ? await leavesAndTickets(classSalts(priv.classKey, codes.length), codes, priv.strata, threads, derivedKey(claimed, "ticket")) : null);
    if (both) {
      tickets = both.tickets ?? undefined;
      packed = both.packed;
      root = treeRoot(both.leaves, codes.length);
    } else root = await classRoot(priv.classKey, codes, priv.strata, threads);
    if (root !== pub.pool.classRoot) fail("inputs.public.pool.classRoot", "classRoot", `由类别串和类别密钥重算的类别树根为 ${root}，清单中为 ${pub.pool.classRoot}`);
    const proven: string[] = [PUBLIC_PROVES.inputs, FULL_PROVES.classes];
    if (!m.seed) {
      if (m.records.length > 0) fail("records", "chain", "尚无种子的清单不能有记录");
      compareHead(m.commitment, m, o);
      return { ok: true, kind: "full", proven, notProven: [], warnings: [...warnings, "尚未生成种子：只核验了输入与承诺值"], summary: summary(m, null, m.commitment, null) };
    }
    const seed = seedFromProvenance2(pub, m.commitment, m.seed.provenance);
    if (seed !== m.seed.value) fail("seed.value", "seed", `由来源记录导出的种子为 ${seed}，清单中为 ${m.seed.value}`);
    const frame = { pool: { codes, strata: m.inputs.private.strata }, departments: pub.departments, config: pub.config };
    const order = ticketOrder(frame, seed, tickets, packed);
    const replay = new ChainReplay(m.inputs, seed, m.seed.provenance as Provenance2, m.commitment, order);
    m.records.forEach((r, i) => {
      checkRecordShape(r, "full", `records[${i}]`);
      replay.apply(r, `records[${i}]`, { public: span(o, "records[*].public", i), private: span(o, "records[*].private", i) });
    });
    compareHead(replay.head, m, o);
    proven.push(PUBLIC_PROVES.seed, FULL_PROVES.completeness, PUBLIC_PROVES.quotas);
    if (m.inputs.private.inspectors) proven.push(FULL_PROVES.teams);
    proven.push(PUBLIC_PROVES.chain, FULL_PROVES.replay);
    if (m.records.length === 0) warnings.push("已生成种子，尚未抽取");
    return { ok: true, kind: "full", proven, notProven: [], warnings, summary: summary(m, seed, replay.head, m.records.length > 0 ? replay.publicResults : null, replay.results.checks?.length ?? null) };
  } catch (e) {
    return failedOutcome(e);
  }
}

/**
 * Start the leaves and tickets in worker threads when the inputs look hashable (validation, which
 * runs meanwhile, has the last word); null when they do not, or on one thread.
 */
function hashesEarly(priv: FrozenInputs2["private"], pub: PublicInputs, claimed: string | null, threads: number): Promise<Awaited<ReturnType<typeof leavesAndTickets>> | null> | null {
  const codes = (pub as { pool?: { codes?: unknown } }).pool?.codes;
  if (threads < 2 || !Array.isArray(codes) || codes.length < PARALLEL_MIN) return null;
  if (!isHex32(priv.classKey) || typeof priv.strata !== "string" || priv.strata.length !== codes.length) return null;
  if (!codes.every((c) => typeof c === "string")) return null;
  try {
    return leavesAndTickets(classSalts(priv.classKey, codes.length), codes, priv.strata, threads, claimed ? derivedKey(claimed, "ticket") : undefined, false).catch(() => null);
  } catch {
    return null;
  }
}

function summary(m: FullManifest2 | PublicManifest2, seed: string | null, head: string, results: PublicResults | null, checks: number | null = null): Extract<Verify2Outcome, { ok: true }>["summary"] {
  const pub = m.inputs.public as PublicInputs;
  return {
    batch: pub.batch.id,
    attempt: pub.attempt.number,
    commitment: m.commitment,
    seed,
    head,
    departments: pub.departments.length,
    selected: countSelected(results),
    checks,
    records: m.records.length,
  };
}

const classShape = obj({ stratum: literal("A", "B", "C", "D"), candidates: int(0), quota: int(0), shortfall: int(0), selected: int(0), next: int(0) });
const codeList: Check = (v, p) => {
  if (!Array.isArray(v)) fail(p, "type", "应为代码数组");
  (v as unknown[]).forEach((c, i) => {
    if (typeof c !== "string" || !CODE_PATTERN.test(c)) fail(`${p}[${i}]`, "format", `“${String(c).slice(0, 30)}”不是统一社会信用代码或注册号`);
  });
};
const publicTargetShape = obj({ department: strMax(64), classes: list(classShape), selected: codeList, next: codeList });

/** Compare the full tickets of two listed entries (8 words each in T), then their codes. */
function compareListed(T: Uint32Array, a: number, b: number, codeA: string, codeB: string): number {
  for (let w = 0; w < 8; w++) {
    const x = T[8 * a + w]!;
    const y = T[8 * b + w]!;
    if (x !== y) return x < y ? -1 : 1;
  }
  return codeA < codeB ? -1 : codeA > codeB ? 1 : 0;
}

/** §11 public step 5: the draw record's public results, against the public inputs and the seed. */
/** The distinct codes listed in public results, each with its slot (first-listed order). */
interface Listed {
  slot: Map<string, number>;
  distinct: string[];
  /** Per target, its selected then its next codes as slots: [2·i] selected, [2·i + 1] next. */
  slotsOf: Int32Array[];
}

function listedCodes(results: PublicResults): Listed {
  const slot = new Map<string, number>();
  const slotsOf: Int32Array[] = [];
  for (const t of results.targets)
    for (const rows of [t.selected, t.next]) {
      const out = new Int32Array(rows.length);
      for (let k = 0; k < rows.length; k++) {
        const c = rows[k]!;
        let i = slot.get(c);
        if (i === undefined) slot.set(c, (i = slot.size));
        out[k] = i;
      }
      slotsOf.push(out);
    }
  return { slot, distinct: [...slot.keys()], slotsOf };
}

/**
 * The full tickets of the codes listed in a public manifest's draw record, for its claimed seed,
 * started in worker threads before the inputs are validated (both then run at once); null when
 * the record does not have the shape to start from (the checks that follow say why).
 */
function listedTicketsEarly(m: PublicManifest2, threads: number): { listed: Listed; tickets: Promise<Uint32Array | null> } | null {
  try {
    const results = (m.records[0] as { kind?: unknown; public?: { results?: unknown } } | undefined)?.public?.results;
    if (threads < 2 || !m.seed || !isHex32(m.seed.value) || m.records[0]?.kind !== "draw") return null;
    // (only what building the list needs is looked at here; checkPublicResults checks the shape)
    const targets = (results as { targets?: unknown } | undefined)?.targets;
    if (!Array.isArray(targets)) return null;
    for (const t of targets) for (const rows of [t?.selected, t?.next]) if (!Array.isArray(rows) || !rows.every((c) => typeof c === "string")) return null;
    const listed = listedCodes(results as PublicResults);
    if (listed.distinct.length < PARALLEL_MIN) return null;
    return { listed, tickets: ticketsParallel(derivedKey(m.seed.value, "ticket"), listed.distinct, threads, false).catch(() => null) };
  } catch {
    return null;
  }
}

export async function checkPublicResults(
  pub: PublicInputs,
  seed: string,
  results: PublicResults,
  path: string,
  threads = availableParallelism(),
  early: { listed: Listed; tickets: Promise<Uint32Array | null> } | null = null,
): Promise<void> {
  obj({ targets: list(publicTargetShape) })(results, path);
  if (results.targets.length !== pub.departments.length) fail(`${path}.targets`, "departments", `应有 ${pub.departments.length} 个部门的结果，实有 ${results.targets.length} 个`);
  // The distinct listed codes: their pool positions (one pass over the pool) and full tickets (one
  // batch; computed already when started early for this seed).
  const { slot, distinct, slotsOf } = early?.listed ?? listedCodes(results);
  const T = (early && (await early.tickets)) ?? (await ticketsParallel(derivedKey(seed, "ticket"), distinct, threads));
  const seenIn = new Int32Array(distinct.length).fill(-1); // department index that listed it
  const inPool = new Uint8Array(distinct.length);
  const codes = pub.pool.codes;
  // Membership: a binary search per listed code in the (validated, sorted) pool when that is
  // cheaper than one pass over the pool; the same answer either way.
  if (distinct.length * Math.log2(codes.length + 1) < codes.length) distinct.forEach((c, k) => (inPool[k] = poolIndex(codes, c) >= 0 ? 1 : 0));
  else
    for (let i = 0; i < codes.length; i++) {
      const k = slot.get(codes[i]!);
      if (k !== undefined) inPool[k] = 1;
    }
  results.targets.forEach((t, di) => {
    const dp = `${path}.targets[${di}]`;
    const d = pub.departments[di]!;
    if (t.department !== d.id) fail(`${dp}.department`, "departments", `应为 ${d.id}，实为 ${t.department}`);
    if (t.classes.map((c) => c.stratum).join("") !== "ABCD") fail(`${dp}.classes`, "classes", "应依次列出 A、B、C、D 四类");
    let sumCand = 0;
    let sumSel = 0;
    let sumNext = 0;
    const n = { A: 0, B: 0, C: 0, D: 0 };
    t.classes.forEach((c, k) => {
      const cp = `${dp}.classes[${k}]`;
      const cls = RISK_CLASSES[k]!;
      const quota = quotaFor(d.quotas[cls], c.candidates);
      if (c.quota !== quota) fail(`${cp}.quota`, "quota", `${c.candidates} 个候选对象按配额应抽 ${quota} 个，记录为 ${c.quota}`);
      const take = Math.min(quota, c.candidates);
      if (c.selected !== take) fail(`${cp}.selected`, "quota", `应抽中 ${take} 个，记录为 ${c.selected}`);
      if (c.shortfall !== quota - take) fail(`${cp}.shortfall`, "quota", `缺额应为 ${quota - take}，记录为 ${c.shortfall}`);
      const next = Math.min(pub.config.substitutes, c.candidates - take);
      if (c.next !== next) fail(`${cp}.next`, "quota", `候补应为 ${next} 个，记录为 ${c.next}`);
      sumCand += c.candidates;
      sumSel += c.selected;
      sumNext += c.next;
      n[cls] = c.candidates;
    });
    const total = candidateTotal(pub, d);
    if (sumCand !== total) fail(`${dp}.classes`, "candidates", `各类候选数之和 ${sumCand} 不等于该部门的候选对象数 ${total}`);
    checkGeneralCap(pub, di, n, "inputs.public");
    if (t.selected.length !== sumSel) fail(`${dp}.selected`, "quota", `列出 ${t.selected.length} 个抽中对象，各类合计应为 ${sumSel} 个`);
    if (t.next.length !== sumNext) fail(`${dp}.next`, "quota", `列出 ${t.next.length} 个候补对象，各类合计应为 ${sumNext} 个`);
    const excluded = new Map(d.excluded.map((x) => [x.code, x.reason]));
    const scope = d.scope.kind === "directed" ? new Set(d.scope.codes) : null;
    const check = (rows: string[], slots: Int32Array, field: "selected" | "next") => {
      let prev = -1;
      const rp = (k: number) => `${dp}.${field}[${k}]`; // (built only for a failure)
      for (let k = 0; k < rows.length; k++) {
        const code = rows[k]!;
        const idx = slots[k]!;
        if (!inPool[idx]) fail(rp(k), "pool", `${code} 不在名录中`);
        if (scope && !scope.has(code)) fail(rp(k), "scope", `${code} 不在该部门的定向抽查范围内`);
        if (excluded.size > 0 && excluded.has(code)) fail(rp(k), "excluded", `${code} 已被该部门排除（${excluded.get(code)}）`);
        if (seenIn[idx] === di) fail(rp(k), "duplicate", `${code} 重复出现`);
        seenIn[idx] = di;
        if (prev >= 0 && compareListed(T, prev, idx, rows[k - 1]!, code) > 0)
          fail(rp(k), "ticketOrder", `票号顺序错误：${code} 的票号（${wordsHex(T, 8 * idx, 2)}…）小于前一个对象的（${wordsHex(T, 8 * prev, 2)}…）`);
        prev = idx;
      }
    };
    check(t.selected, slotsOf[2 * di]!, "selected");
    check(t.next, slotsOf[2 * di + 1]!, "next");
  });
}

/** Public verification (anyone): §11 public steps 1–6. */
export async function verifyPublic2(m: PublicManifest2, o: Verify2Options = {}): Promise<Verify2Outcome> {
  try {
    checkTopShape(m, "public");
    const pub = m.inputs.public;
    const threads = o.threads ?? availableParallelism();
    const early = listedTicketsEarly(m, threads);
    validatePublicInputs(pub);
    const warnings: string[] = [];
    const publicDigest = span(o, "inputs.public") ?? digestOf(pub);
    compareCommitment(commitmentOf(publicDigest, m.inputs.privateDigest), m, o, warnings, COMMITMENT_TEXT);
    const proven: string[] = [PUBLIC_PROVES.inputs];
    if (!m.seed) {
      if (m.records.length > 0) fail("records", "chain", "尚无种子的清单不能有记录");
      compareHead(m.commitment, m, o);
      return { ok: true, kind: "public", proven, notProven: [...NEEDS_FULL_MANIFEST], warnings: [...warnings, "尚未生成种子：只核验了输入与承诺值"], summary: summary(m, null, m.commitment, null) };
    }
    const seed = seedFromProvenance2(pub, m.commitment, m.seed.provenance);
    if (seed !== m.seed.value) fail("seed.value", "seed", `由来源记录导出的种子为 ${seed}，清单中为 ${m.seed.value}`);
    proven.push(PUBLIC_PROVES.seed);
    const replay = new PublicReplay(pub, seed, m.seed.provenance, m.commitment);
    let results: PublicResults | null = null;
    for (const [i, r] of m.records.entries()) {
      const path = `records[${i}]`;
      checkRecordShape(r, "public", path);
      if (i === 0 && r.kind === "draw") {
        results = (r.public as { results: PublicResults }).results;
        await checkPublicResults(pub, seed, results, `${path}.public.results`, threads, early);
      }
      replay.apply(r as PublicRecord2, path, span(o, "records[*].public", i));
    }
    compareHead(replay.head, m, o);
    if (results) proven.push(PUBLIC_PROVES.tickets, PUBLIC_PROVES.membership, PUBLIC_PROVES.quotas);
    proven.push(PUBLIC_PROVES.chain);
    if (m.records.some((r) => r.kind === "substitution")) proven.push(PUBLIC_PROVES.substitutions);
    if (m.records.length === 0) warnings.push("已生成种子，尚未抽取");
    return { ok: true, kind: "public", proven, notProven: [...NEEDS_FULL_MANIFEST], warnings, summary: summary(m, seed, replay.head, results) };
  } catch (e) {
    return failedOutcome(e);
  }
}

export { ticketOf };
