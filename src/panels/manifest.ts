/**
 * Panel manifests (docs/draw-spec.md §15.5) and their two verifications (§15.6): the full manifest
 * (auditors, 纪检) recomputes every seat from the directory; the public manifest (anyone) proves the
 * published inputs, the commitment, the seed and the chain, and names no person.
 *
 *   panelDigests(inputs)                 → { publicDigest, privateDigest, commitment }
 *   fullPanelManifest({...}) / publicPanelManifest(full)
 *   verifyPanelManifest(m, { expectedCommitment?, expectedHead? })
 *     → { ok: true, kind, proven, notProven, warnings, summary } | { ok: false, path, rule, message }
 */
import { DrawInputError } from "../draws/rational.ts";
import { isHex32 } from "../draws/seed.ts";
import { recordDigest, seedRecordDigest } from "../draws/v2/chain.ts";
import { commitmentOf, digestOf } from "../draws/v2/digest.ts";
import { seedFromProvenance2 } from "../draws/v2/seed.ts";
import { compareCommitment, compareHead, failedOutcome } from "../draws/v2/compare.ts";
import { fail, hex64, instant, int, list, literal, nullable, obj, str, strMax, type Check } from "../draws/v2/shape.ts";
import { auditShape } from "../draws/v2/validate.ts";
import { PanelReplay } from "./draw.ts";
import { validatePanelPrivate, validatePanelPublic } from "./validate.ts";
import {
  PANEL_MANIFEST,
  type FullPanelManifest,
  type PanelInputs,
  type PanelManifest,
  type PanelPublicInputs,
  type PanelRecord,
  type PublicPanelManifest,
  type PublicPanelRecord,
  type PublicPanelResults,
  type Provenance2,
} from "./types.ts";

export function panelDigests(f: PanelInputs): { publicDigest: string; privateDigest: string; commitment: string } {
  const publicDigest = digestOf(f.public);
  const privateDigest = digestOf(f.private);
  return { publicDigest, privateDigest, commitment: commitmentOf(publicDigest, privateDigest) };
}

export function fullPanelManifest(a: { inputs: PanelInputs; commitment: string; seed: FullPanelManifest["seed"]; records: PanelRecord[]; head: string }): FullPanelManifest {
  return { manifest: PANEL_MANIFEST, kind: "full", spec: "ssj-draw/2", inputs: a.inputs, commitment: a.commitment, seed: a.seed, records: a.records, head: a.head };
}

export function publicPanelRecord(r: PanelRecord): PublicPanelRecord {
  const { private: priv, ...rest } = r;
  return { ...rest, privateDigest: digestOf(priv) } as PublicPanelRecord;
}

export function publicPanelManifest(m: FullPanelManifest, privateDigest = digestOf(m.inputs.private)): PublicPanelManifest {
  return { manifest: PANEL_MANIFEST, kind: "public", spec: "ssj-draw/2", inputs: { public: m.inputs.public, privateDigest }, commitment: m.commitment, seed: m.seed, records: m.records.map(publicPanelRecord), head: m.head };
}

/** What each verification proves (the CLI, the API and the 公示 page use these words). */
export const PANEL_PUBLIC_PROVES = {
  inputs: "抽取事由、席位（专业、部门、人数）、参与部门、配置和种子方案与抽取前公布的承诺值一致",
  seed: "随机种子由公布的来源按公开算法导出，来源的时间晚于输入冻结的时间",
  counts: "各席位的应抽人数、抽中人数、缺额和候补人数相互一致",
  chain: "记录链完整：每条递补记录都引用前一条记录的摘要，没有记录被删改或调换顺序",
} as const;
export const PANEL_NEEDS_FULL = [
  "专家和人员名录（姓名不公开）是否与承诺值一致",
  "每个席位是否严格按票号顺序从符合条件（专业、部门、资质、区域、回避、当日可到）的人员中抽取",
  "递补进来的人员是否是该席位顺序中的下一位",
] as const;
export const PANEL_FULL_PROVES = {
  directory: "专家和人员名录、回避和申请人信息与承诺值一致",
  seats: "每个席位的抽中人员和候补人员按种子和名录重新计算，结果一致（含专业、资质、区域、回避和当日可到）",
  replay: "每条递补按公开顺序重放，递补人员一致",
} as const;
export const PANEL_NO_PUBLISHED_COMMITMENT = "未与抽取前公布的承诺值比对：请用 --commitment 给出公示页在生成种子前公布的承诺值，否则无法排除清单连同承诺值一起被替换";
const COMMITMENT_TEXT = { inputs: "席位、名录、回避……", noPublished: PANEL_NO_PUBLISHED_COMMITMENT };

export type PanelVerifyOutcome =
  | {
      ok: true;
      kind: "full" | "public";
      proven: string[];
      notProven: string[];
      warnings: string[];
      summary: { panel: string; purpose: string; attempt: number; commitment: string; seed: string | null; head: string; seats: number; drawn: number; records: number };
    }
  | { ok: false; path: string; rule: string; message: string };

export interface PanelVerifyOptions {
  expectedCommitment?: string;
  expectedHead?: string;
}

const looseObject: Check = (v, p) => (typeof v === "object" && v !== null && !Array.isArray(v)) || fail(p, "type", "应为对象");
const seatCounts = obj({ seat: strMax(64), candidates: int(0), required: int(1, 20), drawn: int(0), reserve: int(0), shortfall: int(0) });

function checkTop(m: unknown, kind: "full" | "public"): void {
  obj({
    manifest: literal(PANEL_MANIFEST),
    kind: literal(kind),
    spec: literal("ssj-draw/2"),
    inputs: kind === "full" ? obj({ public: looseObject, private: looseObject }) : obj({ public: looseObject, privateDigest: hex64 }),
    commitment: hex64,
    seed: nullable(obj({ value: hex64, provenance: looseObject })),
    records: (v, p) => Array.isArray(v) || fail(p, "type", "应为数组"),
    head: hex64,
  })(m, "$");
}

function checkRecord(r: unknown, kind: "full" | "public", path: string): void {
  const common = { kind: literal("draw", "substitution"), seq: int(0), prev: hex64, at: instant };
  const last: Record<string, Check> = kind === "full" ? { private: looseObject } : { privateDigest: hex64 };
  obj({ ...common, public: looseObject, ...last })(r, path);
  const rec = r as { kind: string; public: unknown; private?: unknown };
  if (rec.kind === "draw") {
    obj({ audit: auditShape, results: obj({ seats: list(seatCounts) }) })(rec.public, `${path}.public`);
    if (kind === "full") obj({ results: looseObject })(rec.private, `${path}.private`);
  } else {
    obj({ audit: auditShape, seat: strMax(64) })(rec.public, `${path}.public`);
    if (kind === "full") obj({ out: strMax(64), in: nullable(strMax(64)), reason: str })(rec.private, `${path}.private`);
  }
}

/** §15.6 public step 4: the published seat counts agree with the seats and the configuration. */
function checkPublicCounts(pub: PanelPublicInputs, results: PublicPanelResults, path: string): void {
  if (results.seats.length !== pub.seats.length) fail(`${path}.seats`, "seats", `应有 ${pub.seats.length} 个席位的结果，实有 ${results.seats.length} 个`);
  results.seats.forEach((s, i) => {
    const sp = `${path}.seats[${i}]`;
    const seat = pub.seats[i]!;
    if (s.seat !== seat.id) fail(`${sp}.seat`, "seats", `应为 ${seat.id}，实为 ${s.seat}`);
    if (s.required !== seat.count) fail(`${sp}.required`, "count", `应抽 ${seat.count} 人，记录为 ${s.required}`);
    const drawn = Math.min(seat.count, s.candidates);
    if (s.drawn !== drawn) fail(`${sp}.drawn`, "count", `${s.candidates} 名候选人中应抽中 ${drawn} 人，记录为 ${s.drawn}`);
    if (s.shortfall !== seat.count - drawn) fail(`${sp}.shortfall`, "count", `缺额应为 ${seat.count - drawn}，记录为 ${s.shortfall}`);
    const reserve = Math.min(pub.config.reserves, s.candidates - drawn);
    if (s.reserve !== reserve) fail(`${sp}.reserve`, "count", `候补应为 ${reserve} 人，记录为 ${s.reserve}`);
  });
}




function summaryOf(m: PanelManifest, seed: string | null, head: string): Extract<PanelVerifyOutcome, { ok: true }>["summary"] {
  const pub = m.inputs.public;
  const r0 = m.records[0] as { kind: string; public: { results?: PublicPanelResults } } | undefined;
  const drawn = r0?.kind === "draw" ? r0.public.results!.seats.reduce((n, s) => n + s.drawn, 0) : 0;
  return { panel: pub.panel.id, purpose: pub.panel.purpose, attempt: pub.attempt.number, commitment: m.commitment, seed, head, seats: pub.seats.length, drawn, records: m.records.length };
}

/** The seed of a seeded manifest (rules of §5), or null before the seed. */
function seedOf(m: PanelManifest): string | null {
  if (!m.seed) {
    if (m.records.length > 0) fail("records", "chain", "尚无种子的清单不能有记录");
    return null;
  }
  const seed = seedFromProvenance2(m.inputs.public, m.commitment, m.seed.provenance);
  if (seed !== m.seed.value) fail("seed.value", "seed", `由来源记录导出的种子为 ${seed}，清单中为 ${m.seed.value}`);
  return seed;
}

/** Full verification (auditors): §15.6, everything recomputed from the directory. */
export function verifyPanelFull(m: FullPanelManifest, o: PanelVerifyOptions = {}): PanelVerifyOutcome {
  try {
    checkTop(m, "full");
    validatePanelPublic(m.inputs.public);
    validatePanelPrivate(m.inputs.public, m.inputs.private);
    const warnings: string[] = [];
    const d = panelDigests(m.inputs);
    compareCommitment(d.commitment, m, o, warnings, COMMITMENT_TEXT);
    const proven: string[] = [PANEL_PUBLIC_PROVES.inputs, PANEL_FULL_PROVES.directory];
    const seed = seedOf(m);
    if (seed === null) {
      compareHead(m.commitment, m, o);
      return { ok: true, kind: "full", proven, notProven: [], warnings: [...warnings, "尚未生成种子：只核验了输入与承诺值"], summary: summaryOf(m, null, m.commitment) };
    }
    const replay = new PanelReplay(m.inputs, seed, m.seed!.provenance, m.commitment);
    m.records.forEach((r, i) => {
      checkRecord(r, "full", `records[${i}]`);
      replay.apply(r, `records[${i}]`);
    });
    compareHead(replay.head, m, o);
    proven.push(PANEL_PUBLIC_PROVES.seed, PANEL_FULL_PROVES.seats, PANEL_PUBLIC_PROVES.counts, PANEL_PUBLIC_PROVES.chain, PANEL_FULL_PROVES.replay);
    if (m.records.length === 0) warnings.push("已生成种子，尚未抽取");
    return { ok: true, kind: "full", proven, notProven: [], warnings, summary: summaryOf(m, seed, replay.head) };
  } catch (e) {
    return failedOutcome(e);
  }
}

/** Public verification (anyone): §15.6 public steps. */
export function verifyPanelPublic(m: PublicPanelManifest, o: PanelVerifyOptions = {}): PanelVerifyOutcome {
  try {
    checkTop(m, "public");
    const pub = m.inputs.public;
    validatePanelPublic(pub);
    const warnings: string[] = [];
    compareCommitment(commitmentOf(digestOf(pub), m.inputs.privateDigest), m, o, warnings, COMMITMENT_TEXT);
    const proven: string[] = [PANEL_PUBLIC_PROVES.inputs];
    const seed = seedOf(m);
    if (seed === null) {
      compareHead(m.commitment, m, o);
      return { ok: true, kind: "public", proven, notProven: [...PANEL_NEEDS_FULL], warnings: [...warnings, "尚未生成种子：只核验了输入与承诺值"], summary: summaryOf(m, null, m.commitment) };
    }
    let head = seedRecordDigest(m.commitment, seed, m.seed!.provenance as Provenance2);
    let lastAt = pub.frozenAt;
    const seats = new Set(pub.seats.map((s) => s.id));
    m.records.forEach((r, i) => {
      const path = `records[${i}]`;
      checkRecord(r, "public", path);
      if (r.seq !== i) fail(`${path}.seq`, "chain", `应为 ${i}，实为 ${r.seq}`);
      if (r.prev !== head) fail(`${path}.prev`, "chain", `应为前一条记录的摘要 ${head}`);
      if ((i === 0) !== (r.kind === "draw")) fail(`${path}.kind`, "chain", i === 0 ? "第 0 条记录须为抽取记录" : "抽取记录只能是第 0 条记录");
      if (i === 0 ? !(r.at > lastAt) : r.at < lastAt) fail(`${path}.at`, "timeOrder", `记录时间 ${r.at} 早于${i === 0 ? "输入冻结时间" : "前一条记录"}（${lastAt}）`);
      if (r.kind === "draw") checkPublicCounts(pub, (r.public as { results: PublicPanelResults }).results, `${path}.public.results`);
      else if (!seats.has((r.public as { seat: string }).seat)) fail(`${path}.public.seat`, "seat", `${(r.public as { seat: string }).seat} 不是本次抽取的席位`);
      head = recordDigest(r, digestOf(r.public), r.privateDigest);
      lastAt = r.at;
    });
    compareHead(head, m, o);
    proven.push(PANEL_PUBLIC_PROVES.seed);
    if (m.records.length > 0) proven.push(PANEL_PUBLIC_PROVES.counts);
    proven.push(PANEL_PUBLIC_PROVES.chain);
    if (m.records.length === 0) warnings.push("已生成种子，尚未抽取");
    return { ok: true, kind: "public", proven, notProven: [...PANEL_NEEDS_FULL], warnings, summary: summaryOf(m, seed, head) };
  } catch (e) {
    return failedOutcome(e);
  }
}

/** Either kind, by the manifest's own `kind`. */
export function verifyPanelManifest(m: PanelManifest, o: PanelVerifyOptions = {}): PanelVerifyOutcome {
  const kind = (m as { kind?: unknown })?.kind;
  if (kind === "full") return verifyPanelFull(m as FullPanelManifest, o);
  if (kind === "public") return verifyPanelPublic(m as PublicPanelManifest, o);
  return { ok: false, path: "kind", rule: "enum", message: "清单类型应为 full（完整）或 public（公开）" };
}

export const isPanelManifest = (doc: unknown): boolean => (doc as { manifest?: unknown } | null)?.manifest === PANEL_MANIFEST;

export { isHex32 };
