/**
 * The promise of ssj-draw/2 (docs/draw-spec.md §4, §5, §9, §11): any change to a manifest is
 * caught — and caught at a known place. For random draws (arbRequest2, external and commit-reveal
 * seeds, with target and inspector substitutions and a schedule) every mutation of a catalogue is
 * applied to a deep copy of an honest manifest; the verifier must refuse it and name the path where
 * the change shows (e.g. "commitment", "seed.value", "records[1].public.target.in").
 *
 * Where a forger could make the mutation self-consistent, that forger is tested too:
 *   - inputs changed, commitment (and class root, seed, every record, head) recomputed: only the
 *     commitment published before the seed (`expectedCommitment`) catches it — and without it the
 *     forgery verifies (with the warning that the comparison is still to be made);
 *   - a record changed and the chain relinked (prev, seq, head recomputed): the replay still
 *     catches content changes at the record; structural changes (a record removed or two swapped)
 *     only the published head (`expectedHead`) can catch;
 *   - the external value or a reveal replaced and everything after it redrawn: only the published
 *     head catches it (the value itself must be compared with the beacon / the secret commitments).
 * Then `ssj verify` on a few fixed public manifests (exit 0 / 1 / 2).
 */
import { createHash } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { main } from "../../../src/cli/main.ts";
import { canonicalJson } from "../../../src/draws/canonicalJson.ts";
import { secretCommitment } from "../../../src/draws/seed.ts";
import {
  ChainReplay,
  classRoot,
  commitmentOf,
  digestOf,
  eligibleOfficer,
  freezeDraw,
  fullManifest,
  inputsDigests,
  NO_PUBLISHED_COMMITMENT,
  publicManifest,
  recordDigest,
  seedRecordDigest,
  verifyFull2,
  verifyPublic2,
  type AuditHead,
  type DrawRecord2,
  type DrawRequest2,
  type FrozenInputs2,
  type FullManifest2,
  type PrivateInputs,
  type Provenance2,
  type PublicInputs,
  type PublicManifest2,
  type PublicResults,
  type Results2,
  type Verify2Options,
  type Verify2Outcome,
} from "../../../src/draws/v2/index.ts";
import { arbRequest2, AUDIT, smallRequest2 } from "./fixtures2.ts";

// ---------------------------------------------------------------------------------------------
// Building honest manifests (external or commit-reveal seed; draw, substitutions, schedule)
// ---------------------------------------------------------------------------------------------

type Mode = "external" | "commitReveal";
const CLASSES = ["A", "B", "C", "D"] as const;
const DRAW_AT = "2026-11-26T03:00:00.000Z";
const UNSCHEDULED = "待排期：检查组人员尚未确认";

type Step =
  | { kind: "draw"; at: string; audit: AuditHead }
  | { kind: "target"; department: string; out: string; reason: string; at: string; audit: AuditHead }
  | { kind: "inspector"; code: string; department: string; out: string; reason: string; at: string; audit: AuditHead }
  | { kind: "schedule"; reason: string | null; at: string; audit: AuditHead };

const secretFor = (batch: string, department: string) => createHash("sha256").update(`secret/${batch}/${department}`).digest("hex");

/** §5 seed formulas, written out here (a forger does not ask the engine for permission). */
function rawSeed(commitment: string, p: Provenance2): string {
  if (p.mode === "commitReveal")
    return digestOf({ commitment, mode: "commitReveal", purpose: "ssj-draw/2 seed", reveals: p.reveals.map((r) => [r.department, r.secret]) });
  return digestOf({ commitment, mode: "external", publishedAt: p.publishedAt, purpose: "ssj-draw/2 seed", reference: p.reference, source: p.source, value: p.value });
}

function applyStep(replay: ChainReplay, s: Step): DrawRecord2 {
  switch (s.kind) {
    case "draw":
      return replay.makeDraw(s.at, s.audit);
    case "target":
      return replay.makeTargetSubstitution({ department: s.department, out: s.out, reason: s.reason }, s.at, s.audit);
    case "inspector":
      return replay.makeInspectorSubstitution({ code: s.code, department: s.department, out: s.out, reason: s.reason }, s.at, s.audit);
    case "schedule":
      return replay.makeSchedule({ visits: [], unscheduled: replay.currentChecks().map((c) => ({ code: c.code, reason: UNSCHEDULED })) }, s.reason, s.at, s.audit);
  }
}

/** The steps that made a chain, read back from its records. */
function stepsOf(records: readonly DrawRecord2[]): Step[] {
  return records.map((r): Step => {
    const audit = (r.public as { audit: AuditHead }).audit;
    if (r.kind === "draw") return { kind: "draw", at: r.at, audit };
    if (r.kind === "schedule") return { kind: "schedule", reason: (r.public as { reason: string | null }).reason, at: r.at, audit };
    const pub = r.public as { target?: { department: string; out: string; reason: string }; inspector?: { code: string; department: string } };
    if (pub.target) return { kind: "target", department: pub.target.department, out: pub.target.out, reason: pub.target.reason, at: r.at, audit };
    const priv = r.private as { out: string; reason: string };
    return { kind: "inspector", code: pub.inspector!.code, department: pub.inspector!.department, out: priv.out, reason: priv.reason, at: r.at, audit };
  });
}

/** Freeze, seed and draw; then a target substitution, an inspector substitution, another target substitution and a schedule (each when possible). */
async function build(req0: DrawRequest2, mode: Mode): Promise<FullManifest2> {
  const ids = req0.departments.map((d) => d.id).sort();
  const cr = mode === "commitReveal" && ids.length >= 2;
  const req: DrawRequest2 = cr ? { ...req0, seedPlan: { mode: "commitReveal", departments: ids.slice(0, 2) } } : req0;
  const inputs = await freezeDraw(req);
  const { commitment } = inputsDigests(inputs);
  const plan = inputs.public.seedPlan;
  const provenance: Provenance2 =
    plan.mode === "commitReveal"
      ? {
          mode: "commitReveal",
          reveals: plan.departments.map((department, i) => {
            const secret = secretFor(req.batch.id, department);
            return { department, commitment: secretCommitment(secret), committedAt: `2026-11-26T01:1${i}:00.000Z`, secret, revealedAt: `2026-11-26T01:3${i}:00.000Z` };
          }),
        }
      : { mode: "external", source: plan.source, reference: plan.reference, value: `beacon-value/${req.batch.id}`, publishedAt: "2026-11-26T02:00:00.000Z" };
  const seed = rawSeed(commitment, provenance);
  const replay = new ChainReplay(inputs, seed, provenance, commitment);
  const records = [applyStep(replay, { kind: "draw", at: DRAW_AT, audit: AUDIT })];
  const deps = inputs.public.departments.map((d) => d.id);
  const first = replay.currentSelections(deps[0]!);
  if (first.length > 0) records.push(applyStep(replay, { kind: "target", department: deps[0]!, out: first[0]!, reason: "现场核实已停业", at: "2026-11-27T01:00:00.000Z", audit: AUDIT }));
  const check = replay.currentChecks().find((c) => c.departments.some((t) => t.officers.length > 0));
  if (check) {
    const team = check.departments.find((t) => t.officers.length > 0)!;
    records.push(applyStep(replay, { kind: "inspector", code: check.code, department: team.department, out: team.officers[0]!, reason: "病假", at: "2026-11-27T02:00:00.000Z", audit: AUDIT }));
  }
  const last = deps[deps.length - 1]!;
  const sel = replay.currentSelections(last);
  if (sel.length > 0) records.push(applyStep(replay, { kind: "target", department: last, out: sel[sel.length - 1]!, reason: "已迁出本辖区", at: "2026-11-27T03:00:00.000Z", audit: AUDIT }));
  records.push(applyStep(replay, { kind: "schedule", reason: null, at: "2026-11-28T01:00:00.000Z", audit: AUDIT }));
  return fullManifest({ inputs, commitment, seed: { value: seed, provenance }, records, head: replay.head });
}

/**
 * The consistent forger: class root, commitment, seed, every record and the head recomputed over
 * the (changed) inputs and provenance, replaying the same steps. null when the engine cannot.
 */
async function redraw(m: FullManifest2, steps: Step[]): Promise<FullManifest2 | null> {
  try {
    const inputs = m.inputs;
    inputs.public.pool.classRoot = await classRoot(inputs.private.classKey, inputs.public.pool.codes, inputs.private.strata, 1);
    const { commitment } = inputsDigests(inputs);
    const provenance = m.seed!.provenance;
    const seed = rawSeed(commitment, provenance);
    const replay = new ChainReplay(inputs, seed, provenance, commitment);
    const records = steps.map((s) => applyStep(replay, s));
    return fullManifest({ inputs, commitment, seed: { value: seed, provenance }, records, head: replay.head });
  } catch {
    return null;
  }
}

/** The chain relinked after a change: seq (optionally), every prev and the head recomputed. */
function relink<M extends FullManifest2 | PublicManifest2>(m: M, renumber = false): M {
  let prev = seedRecordDigest(m.commitment, m.seed!.value, m.seed!.provenance);
  (m.records as (DrawRecord2 | PublicManifest2["records"][number])[]).forEach((r, i) => {
    if (renumber) r.seq = i;
    r.prev = prev;
    prev = recordDigest(r, digestOf(r.public), "private" in r ? digestOf(r.private) : r.privateDigest);
  });
  m.head = prev;
  return m;
}

const clone = <T>(v: T): T => structuredClone(v);
/** A different lowercase hex character at position `at`. */
const flipHex = (h: string, at = 0) => h.slice(0, at) + ((parseInt(h[at]!, 16) + 1) % 16).toString(16) + h.slice(at + 1);
const earlier = (instant: string, ms = 1) => new Date(new Date(instant).getTime() - ms).toISOString();

function verify(m: FullManifest2 | PublicManifest2, o: Verify2Options = {}): Promise<Verify2Outcome> {
  return m.kind === "full" ? verifyFull2(m, { threads: 1, ...o }) : verifyPublic2(m, { threads: 1, ...o });
}

// ---------------------------------------------------------------------------------------------
// Expectations
// ---------------------------------------------------------------------------------------------

interface Expect {
  /** The failing path starts with this (at a member or index boundary). */
  path: string;
  rule?: string | string[];
}

const AT_COMMITMENT: Expect = { path: "commitment", rule: "commitment" };
const AT_PUBLISHED_COMMITMENT: Expect = { path: "commitment", rule: "publishedCommitment" };
const AT_PUBLISHED_HEAD: Expect = { path: "head", rule: "publishedHead" };

const underPath = (path: string, prefix: string) => path === prefix || path.startsWith(`${prefix}.`) || path.startsWith(`${prefix}[`);

function expectCaught(o: Verify2Outcome, alternatives: Expect[], label: string): void {
  if (o.ok) {
    expect.fail(`${label}: ACCEPTED (ok: true) — expected a refusal at ${alternatives.map((e) => e.path).join(" | ")}`);
    return;
  }
  const hit = alternatives.some((e) => underPath(o.path, e.path) && (e.rule === undefined || (Array.isArray(e.rule) ? e.rule.includes(o.rule) : e.rule === o.rule)));
  expect(hit, `${label}: refused at ${o.path} (rule ${o.rule}: ${o.message}); expected ${JSON.stringify(alternatives)}`).toBe(true);
}

/** A self-consistent variant of a mutation (a forger who recomputed what can be recomputed). */
interface Variant<M> {
  name: string;
  make: () => M | null | Promise<M | null>;
  opts: Verify2Options;
  /** "ok": the variant verifies (proves that `opts` leaves out the one thing that catches it). */
  expect: Expect[] | "ok";
}

interface Mutated<M> {
  /** Where the plain mutation (nothing recomputed) is caught, verified with the published commitment. */
  naive: Expect[];
  variants?: Variant<M>[];
}

interface Ctx {
  original: FullManifest2;
  pub: PublicManifest2;
}

interface Case<M> {
  name: string;
  /** Mutates `m` (a deep copy) in place; null when this manifest offers nothing to mutate. */
  mutate: (m: M, pick: number, ctx: Ctx) => Mutated<M> | null;
}

// ---------------------------------------------------------------------------------------------
// Mutations of the frozen inputs, shared by both catalogues (priv null: the public manifest)
// ---------------------------------------------------------------------------------------------

/** Mutates the inputs; returns null when not applicable, else where validation refuses them (undefined: still valid). */
type InputsMutation = (pub: PublicInputs, priv: PrivateInputs | null, pick: number) => null | { invalid?: Expect[] };

function removeCodeEverywhere(pub: PublicInputs, priv: PrivateInputs | null, code: string, replacement: string | null): void {
  for (const d of pub.departments) {
    if (d.scope.kind === "directed") {
      const i = d.scope.codes.indexOf(code);
      if (i >= 0) d.scope.codes.splice(i, 1, ...(replacement ? [replacement] : []));
    }
    const j = d.excluded.findIndex((x) => x.code === code);
    if (j >= 0) {
      if (replacement) d.excluded[j]!.code = replacement;
      else d.excluded.splice(j, 1);
    }
  }
  if (priv?.inspectors) {
    priv.inspectors.recusals = priv.inspectors.recusals.flatMap((r) => (r.code !== code ? [r] : replacement ? [{ ...r, code: replacement }] : []));
  }
}

const dropCode: InputsMutation = (pub, priv, pick) => {
  const n = pub.pool.codes.length;
  if (n === 0) return null;
  const i = pick % n;
  const code = pub.pool.codes[i]!;
  pub.pool.codes.splice(i, 1);
  pub.pool.districts.splice(i, 1);
  const k = priv ? (priv.strata[i] as (typeof CLASSES)[number]) : CLASSES.find((c) => pub.pool.classCounts[c] > 0)!;
  pub.pool.classCounts[k]--;
  if (priv) priv.strata = priv.strata.slice(0, i) + priv.strata.slice(i + 1);
  removeCodeEverywhere(pub, priv, code, null);
  return {};
};

/** A valid code that sorts right after codes[i] and before codes[i+1] (the fixtures' codes all have 18 characters). */
const codeAfter = (codes: readonly string[], i: number) => `${codes[i]!}0`;

const replaceCode: InputsMutation = (pub, priv, pick) => {
  const n = pub.pool.codes.length;
  if (n === 0) return null;
  const i = pick % n;
  const old = pub.pool.codes[i]!;
  const fresh = codeAfter(pub.pool.codes, i);
  pub.pool.codes[i] = fresh;
  removeCodeEverywhere(pub, priv, old, fresh);
  return {};
};

const addCode: InputsMutation = (pub, priv, pick) => {
  const n = pub.pool.codes.length;
  if (n === 0) return null;
  const i = pick % n;
  pub.pool.codes.splice(i + 1, 0, codeAfter(pub.pool.codes, i));
  pub.pool.districts.splice(i + 1, 0, pub.pool.districts[i]!);
  const k = priv ? (priv.strata[i] as (typeof CLASSES)[number]) : "A";
  pub.pool.classCounts[k]++;
  if (priv) priv.strata = priv.strata.slice(0, i + 1) + k + priv.strata.slice(i + 1);
  return {};
};

const changeStratum: InputsMutation = (pub, priv, pick) => {
  const n = pub.pool.codes.length;
  if (!priv || n === 0) return null;
  const i = pick % n;
  const from = priv.strata[i] as (typeof CLASSES)[number];
  const to = CLASSES[(CLASSES.indexOf(from) + 1 + (pick % 3)) % 4]!;
  priv.strata = priv.strata.slice(0, i) + to + priv.strata.slice(i + 1);
  pub.pool.classCounts[from]--;
  pub.pool.classCounts[to]++;
  return capInvalid(pub, priv);
};

const changeQuota: InputsMutation = (pub, _priv, pick) => {
  const d = pub.departments[pick % pub.departments.length]!;
  const k = CLASSES[Math.floor(pick / 7) % 4]!;
  const q = d.quotas[k];
  if ("ratio" in q) {
    const [p, qq] = q.ratio.split("/").map(Number) as [number, number];
    d.quotas[k] = { ratio: p < qq ? `${p + 1}/${qq}` : `${p - 1}/${qq}` };
  } else d.quotas[k] = { count: q.count + 1 };
  return {};
};

const renameDepartment: InputsMutation = (pub, _priv, pick) => {
  pub.departments[pick % pub.departments.length]!.name += "（改）";
  return {};
};

const renameItem: InputsMutation = (pub, _priv, pick) => {
  const d = pub.departments[pick % pub.departments.length]!;
  d.items[Math.floor(pick / 5) % d.items.length]!.name += "（改）";
  return {};
};

const RATIO = (r: string) => r.split("/").map(BigInt) as [bigint, bigint];

/** §3.1 rule 8 written out: does a department whose items are all 一般 exceed the cap? */
function capBroken(pub: PublicInputs, priv: PrivateInputs, di: number): boolean {
  const d = pub.departments[di]!;
  if (!d.items.every((it) => it.kind === "general")) return false;
  const excluded = new Set(d.excluded.map((x) => x.code));
  const scope = d.scope.kind === "directed" ? new Set(d.scope.codes) : null;
  const n = { A: 0n, B: 0n, C: 0n, D: 0n };
  pub.pool.codes.forEach((c, i) => {
    if ((!scope || scope.has(c)) && !excluded.has(c)) n[priv.strata[i] as (typeof CLASSES)[number]]++;
  });
  return CLASSES.some((k) => {
    const [P, Q] = RATIO(pub.config.generalRatioCap[k]);
    const q = d.quotas[k];
    if ("ratio" in q) {
      const [p, qq] = RATIO(q.ratio);
      return p * Q > P * qq;
    }
    return BigInt(q.count) > (n[k] * P + Q - 1n) / Q;
  });
}

function capInvalid(pub: PublicInputs, priv: PrivateInputs | null): { invalid?: Expect[] } {
  if (!priv) return {};
  const broken = pub.departments.findIndex((_, di) => capBroken(pub, priv, di));
  return broken < 0 ? {} : { invalid: [{ path: `inputs.public.departments[${broken}].quotas`, rule: "generalRatioCap" }] };
}

const flipItemKind: InputsMutation = (pub, priv, pick) => {
  const d = pub.departments[pick % pub.departments.length]!;
  const it = d.items[Math.floor(pick / 5) % d.items.length]!;
  it.kind = it.kind === "key" ? "general" : "key";
  return capInvalid(pub, priv);
};

const renameBatch: InputsMutation = (pub) => {
  pub.batch.name += "（改）";
  return {};
};

const changeSubstitutes: InputsMutation = (pub) => {
  const s = pub.config.substitutes;
  pub.config.substitutes = s < 1000 ? s + 1 : s - 1;
  return {};
};

const changeTeamRule: InputsMutation = (pub, _priv, pick) => {
  const t = pub.config.team;
  const field = (["minPerDepartment", "minTotal", "experts", "reserves"] as const)[pick % 4]!;
  const max = field === "reserves" ? 100 : 20;
  t[field] = t[field] < max ? t[field] + 1 : t[field] - 1;
  return {};
};

function exclusionLists(pub: PublicInputs): { code: string; rule: string; reason: string }[][] {
  return [pub.excluded, ...pub.departments.map((d) => d.excluded)].filter((l) => l.length > 0);
}

const removeExclusion: InputsMutation = (pub, _priv, pick) => {
  const lists = exclusionLists(pub);
  if (lists.length === 0) return null;
  const l = lists[pick % lists.length]!;
  l.splice(Math.floor(pick / 3) % l.length, 1);
  return {};
};

const changeExclusionReason: InputsMutation = (pub, _priv, pick) => {
  const lists = exclusionLists(pub);
  if (lists.length === 0) return null;
  const l = lists[pick % lists.length]!;
  l[Math.floor(pick / 3) % l.length]!.reason += "（改）";
  return {};
};

const changeClassKey: InputsMutation = (_pub, priv, pick) => {
  if (!priv) return null;
  priv.classKey = flipHex(priv.classKey, pick % 64);
  return {};
};

const changeCapacity: InputsMutation = (_pub, priv, pick) => {
  const officers = priv?.inspectors?.officers ?? [];
  if (officers.length === 0) return null;
  const o = officers[pick % officers.length]!;
  o.capacity = o.capacity === null ? 1 : o.capacity + 1;
  return {};
};

/** A full-manifest case from an inputs mutation, with its forgers. */
function fullInputsCase(name: string, im: InputsMutation, opts: { classRoot?: boolean } = {}): Case<FullManifest2> {
  return {
    name,
    mutate(m, pick, ctx) {
      const r = im(m.inputs.public, m.inputs.private, pick);
      if (!r) return null;
      const orig = ctx.original.commitment;
      const recommitted = () => {
        const f = clone(m);
        f.commitment = inputsDigests(f.inputs).commitment;
        return f;
      };
      const redrawn = () => {
        const f = clone(ctx.original);
        im(f.inputs.public, f.inputs.private, pick);
        return redraw(f, stepsOf(ctx.original.records));
      };
      const variants: Variant<FullManifest2>[] = [
        { name: "commitment recomputed", make: recommitted, opts: { expectedCommitment: orig }, expect: r.invalid ?? [AT_PUBLISHED_COMMITMENT] },
        { name: "class root, commitment, seed, records and head recomputed", make: redrawn, opts: { expectedCommitment: orig }, expect: r.invalid ?? [AT_PUBLISHED_COMMITMENT] },
      ];
      if (!r.invalid) variants.push({ name: "all recomputed, verified WITHOUT the published commitment", make: redrawn, opts: {}, expect: "ok" });
      if (opts.classRoot && !r.invalid)
        variants.push({ name: "commitment recomputed but not the class root (no published commitment)", make: recommitted, opts: {}, expect: [{ path: "inputs.public.pool.classRoot", rule: "classRoot" }] });
      return { naive: r.invalid ?? [AT_COMMITMENT], variants };
    },
  };
}

/** A public-manifest case from an inputs mutation: the public part only, or the service re-drawing over changed inputs. */
function publicInputsCase(name: string, im: InputsMutation): Case<PublicManifest2> {
  return {
    name,
    mutate(m, pick, ctx) {
      const r = im(m.inputs.public, null, pick);
      if (!r) return null;
      const orig = ctx.original.commitment;
      const redrawn = async () => {
        const f = clone(ctx.original);
        if (!im(f.inputs.public, f.inputs.private, pick)) return null;
        const g = await redraw(f, stepsOf(ctx.original.records));
        return g && publicManifest(g);
      };
      return {
        naive: r.invalid ?? [AT_COMMITMENT],
        variants: [
          {
            name: "publicDigest and commitment recomputed",
            make: () => {
              const f = clone(m);
              f.commitment = commitmentOf(digestOf(f.inputs.public), f.inputs.privateDigest);
              return f;
            },
            opts: { expectedCommitment: orig },
            expect: [AT_PUBLISHED_COMMITMENT],
          },
          { name: "re-drawn by the service over the changed inputs", make: redrawn, opts: { expectedCommitment: orig }, expect: [AT_PUBLISHED_COMMITMENT] },
          { name: "re-drawn, verified WITHOUT the published commitment", make: redrawn, opts: {}, expect: "ok" },
        ],
      };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Helpers over records
// ---------------------------------------------------------------------------------------------

type DrawRec = Extract<DrawRecord2, { kind: "draw" }>;
const drawRecord = (m: FullManifest2) => m.records[0] as DrawRec;
const publicResultsOf = (m: FullManifest2 | PublicManifest2) => (m.records[0]!.public as { results: PublicResults }).results;
const privateResultsOf = (m: FullManifest2) => (drawRecord(m).private as { results: Results2 }).results;

/** Indices of records matching a predicate. */
const indicesOf = <R>(rs: readonly R[], p: (r: R, i: number) => boolean) => rs.flatMap((r, i) => (p(r, i) ? [i] : []));
const isTarget = (r: { kind: string; public: unknown }) => r.kind === "substitution" && "target" in (r.public as object);
const isInspector = (r: { kind: string; public: unknown }) => r.kind === "substitution" && "inspector" in (r.public as object);

/** Every list of codes of the public results (a department's selected / next), with its path. */
function publicLists(res: PublicResults, base = "records[0].public.results") {
  return res.targets.flatMap((t, d) => (["selected", "next"] as const).map((f) => ({ list: t[f], d, f, path: `${base}.targets[${d}].${f}` })));
}

/** Every list of codes of the private results (a class's selected / next), with its path. */
function privateLists(res: Results2, base = "records[0].private.results") {
  return res.targets.flatMap((t, d) =>
    t.strata.flatMap((s, k) => (["selected", "next"] as const).map((f) => ({ list: s[f], d, k, f, path: `${base}.targets[${d}].strata[${k}].${f}` }))),
  );
}

/** §5/§6 written out: key_ticket = SHA256("ssj-draw/1 ticket" ‖ seed bytes); ticket(code) = SHA256(key_ticket ‖ UTF8(code)). */
const ticketKey = (seed: string) => createHash("sha256").update("ssj-draw/1 ticket", "utf8").update(Buffer.from(seed, "hex")).digest();
const ticketHex = (key: Buffer, code: string) => createHash("sha256").update(key).update(code, "utf8").digest("hex");
/** Ticket order (full ticket, ties by code): negative when a comes first. */
function ticketCompare(key: Buffer, a: string, b: string): number {
  const ta = ticketHex(key, a);
  const tb = ticketHex(key, b);
  if (ta !== tb) return ta < tb ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
/** The first k ≥ 1 where codes[k] comes before codes[k − 1] in ticket order; -1 when the list is in ticket order. */
function firstOutOfOrder(key: Buffer, codes: readonly string[]): number {
  for (let k = 1; k < codes.length; k++) if (ticketCompare(key, codes[k - 1]!, codes[k]!) > 0) return k;
  return -1;
}

function isCandidate(pub: PublicInputs, di: number, code: string): boolean {
  const d = pub.departments[di]!;
  if (!pub.pool.codes.includes(code)) return false;
  if (d.scope.kind === "directed" && !d.scope.codes.includes(code)) return false;
  return !d.excluded.some((x) => x.code === code);
}

/** Currently selected codes of a department before record `upto` (public replay of §9.2). */
function currentlySelected(m: FullManifest2 | PublicManifest2, department: string, upto: number): Set<string> {
  const t = publicResultsOf(m).targets.find((x) => x.department === department)!;
  const cur = new Set(t.selected);
  for (const r of m.records.slice(1, upto)) {
    const tc = (r.public as { target?: { department: string; out: string; in: string | null } }).target;
    if (r.kind !== "substitution" || !tc || tc.department !== department) continue;
    cur.delete(tc.out);
    if (tc.in) cur.add(tc.in);
  }
  return cur;
}

const relinkedSame = <M extends FullManifest2 | PublicManifest2>(m: M, naive: Expect[]): Variant<M> => ({
  name: "chain relinked (prev and head recomputed)",
  make: () => relink(clone(m)),
  opts: {},
  expect: naive,
});

/** Paths records[from…] and the published head: where a structural change may show once relinked. */
const fromRecord = (from: number, count: number): Expect[] => [AT_PUBLISHED_HEAD, ...Array.from({ length: Math.max(0, count - from) }, (_, j) => ({ path: `records[${from + j}]` }))];

// ---------------------------------------------------------------------------------------------
// The catalogue: full manifests
// ---------------------------------------------------------------------------------------------

const FULL: Case<FullManifest2>[] = [
  fullInputsCase("a pool code dropped (with its district and class; classCounts adjusted)", dropCode),
  fullInputsCase("a pool code replaced by another valid code (kept sorted)", replaceCode),
  fullInputsCase("a pool code added", addCode),
  fullInputsCase("a stratum letter changed (classCounts adjusted)", changeStratum, { classRoot: true }),
  fullInputsCase("a quota changed", changeQuota),
  fullInputsCase("a department renamed", renameDepartment),
  fullInputsCase("an item renamed", renameItem),
  fullInputsCase("an item's kind flipped", flipItemKind),
  fullInputsCase("the batch renamed", renameBatch),
  fullInputsCase("config.substitutes changed", changeSubstitutes),
  fullInputsCase("the team rule changed", changeTeamRule),
  fullInputsCase("an exclusion removed", removeExclusion),
  fullInputsCase("an exclusion's reason changed", changeExclusionReason),
  fullInputsCase("the class key changed", changeClassKey, { classRoot: true }),
  fullInputsCase("an officer's capacity changed", changeCapacity),
  {
    name: "the commitment changed",
    mutate(m, pick) {
      m.commitment = flipHex(m.commitment, pick % 64);
      return { naive: [AT_COMMITMENT] };
    },
  },
  {
    name: "the seed value changed",
    mutate(m, pick) {
      m.seed!.value = flipHex(m.seed!.value, pick % 64);
      return { naive: [{ path: "seed.value", rule: "seed" }] };
    },
  },
  {
    name: "the external value changed",
    mutate(m, _pick, ctx) {
      const p = m.seed!.provenance;
      if (p.mode !== "external") return null;
      p.value += "x";
      const redrawn = () => {
        const f = clone(ctx.original);
        (f.seed!.provenance as { value: string }).value += "x";
        return redraw(f, stepsOf(ctx.original.records));
      };
      return {
        naive: [{ path: "seed.value", rule: "seed" }],
        variants: [
          { name: "seed, records and head recomputed (published head given)", make: redrawn, opts: { expectedCommitment: ctx.original.commitment, expectedHead: ctx.original.head }, expect: [AT_PUBLISHED_HEAD] },
          { name: "seed, records and head recomputed, no published head: only the beacon can tell", make: redrawn, opts: { expectedCommitment: ctx.original.commitment }, expect: "ok" },
        ],
      };
    },
  },
  {
    name: "a reveal's secret changed (commit-reveal)",
    mutate(m, pick, ctx) {
      const p = m.seed!.provenance;
      if (p.mode !== "commitReveal") return null;
      const i = pick % p.reveals.length;
      p.reveals[i]!.secret = flipHex(p.reveals[i]!.secret, Math.floor(pick / 2) % 64);
      const redrawn = () => {
        const f = clone(ctx.original);
        const r = (f.seed!.provenance as Extract<Provenance2, { mode: "commitReveal" }>).reveals[i]!;
        r.secret = flipHex(r.secret, Math.floor(pick / 2) % 64);
        r.commitment = secretCommitment(r.secret);
        return redraw(f, stepsOf(ctx.original.records));
      };
      return {
        naive: [{ path: `seed.provenance.reveals[${i}].secret`, rule: "revealMismatch" }],
        variants: [
          { name: "secret and its commitment replaced, all after recomputed (published head given)", make: redrawn, opts: { expectedCommitment: ctx.original.commitment, expectedHead: ctx.original.head }, expect: [AT_PUBLISHED_HEAD] },
          { name: "secret and its commitment replaced, no published head: only the published secret commitments can tell", make: redrawn, opts: { expectedCommitment: ctx.original.commitment }, expect: "ok" },
        ],
      };
    },
  },
  {
    name: "the external value's publishedAt moved before frozenAt",
    mutate(m, pick, ctx) {
      const p = m.seed!.provenance;
      if (p.mode !== "external") return null;
      const at = pick % 2 === 0 ? m.inputs.public.frozenAt : earlier(m.inputs.public.frozenAt, 3_600_000);
      p.publishedAt = at;
      const naive = [{ path: "seed.provenance.publishedAt", rule: "timeOrder" }];
      return {
        naive,
        variants: [
          {
            name: "seed, records and head recomputed with that time",
            make: () => {
              const f = clone(ctx.original);
              (f.seed!.provenance as { publishedAt: string }).publishedAt = at;
              return redraw(f, stepsOf(ctx.original.records));
            },
            opts: {},
            expect: naive,
          },
        ],
      };
    },
  },
  {
    name: "a reveal's committedAt moved before frozenAt (commit-reveal)",
    mutate(m, pick) {
      const p = m.seed!.provenance;
      if (p.mode !== "commitReveal") return null;
      const i = pick % p.reveals.length;
      p.reveals[i]!.committedAt = pick % 3 === 0 ? m.inputs.public.frozenAt : earlier(m.inputs.public.frozenAt, 60_000);
      const naive = [{ path: `seed.provenance.reveals[${i}].committedAt`, rule: "timeOrder" }];
      return { naive, variants: [relinkedSame(m, naive)] };
    },
  },
  {
    name: "a selected code swapped with a next code (same department and class)",
    mutate(m, pick) {
      const res = privateResultsOf(m);
      const spots = res.targets.flatMap((t, d) => t.strata.flatMap((s, k) => (s.selected.length > 0 && s.next.length > 0 ? [{ d, k, s }] : [])));
      if (spots.length === 0) return null;
      const { d, k, s } = spots[pick % spots.length]!;
      const i = Math.floor(pick / 3) % s.selected.length;
      const j = Math.floor(pick / 5) % s.next.length;
      const [codeA, codeB] = [s.selected[i]!, s.next[j]!];
      s.selected[i] = codeB;
      s.next[j] = codeA;
      // the first difference in canonical (sorted-key) order: "next" before "selected"
      let where = `records[0].private.results.targets[${d}].strata[${k}].next[${j}]`;
      if (pick % 2 === 1) {
        // also in the public projection (a careful forger): the public part differs first, where codeB was listed
        const t = publicResultsOf(m).targets[d]!;
        where = `records[0].public.results.targets[${d}].next[${t.next.indexOf(codeB)}]`;
        for (const l of [t.selected, t.next]) l.forEach((c, x) => void (c === codeA ? (l[x] = codeB) : c === codeB ? (l[x] = codeA) : undefined));
      }
      const naive = [{ path: where, rule: "recompute" }];
      return { naive, variants: [relinkedSame(m, naive)] };
    },
  },
  {
    name: "two adjacent codes swapped within a class's selected or next (private) or a department's public selected or next",
    mutate(m, pick) {
      const lists = (pick % 2 === 0 ? publicLists(publicResultsOf(m)) : privateLists(privateResultsOf(m))).filter((l) => l.list.length >= 2);
      if (lists.length === 0) return null;
      const { list, path } = lists[Math.floor(pick / 2) % lists.length]!;
      const r = Math.floor(pick / 7) % (list.length - 1);
      [list[r], list[r + 1]] = [list[r + 1]!, list[r]!];
      const naive = [{ path: `${path}[${r}]`, rule: "recompute" }];
      return { naive, variants: [relinkedSame(m, naive)] };
    },
  },
  {
    name: "a selected code replaced by the next candidate's code (same department and class: listed twice)",
    mutate(m, pick) {
      const res = privateResultsOf(m);
      const spots = res.targets.flatMap((t, d) => t.strata.flatMap((s, k) => (s.selected.length > 0 && s.next.length > 0 ? [{ d, k, s }] : [])));
      if (spots.length === 0) return null;
      const { d, k, s } = spots[pick % spots.length]!;
      const i = Math.floor(pick / 3) % s.selected.length;
      const [codeA, codeB] = [s.selected[i]!, s.next[0]!];
      s.selected[i] = codeB;
      let where = `records[0].private.results.targets[${d}].strata[${k}].selected[${i}]`;
      if (pick % 2 === 1) {
        // the public projection changed the same way (a careful forger)
        const t = publicResultsOf(m).targets[d]!;
        const x = t.selected.indexOf(codeA);
        t.selected[x] = codeB;
        where = `records[0].public.results.targets[${d}].selected[${x}]`;
      }
      const naive = [{ path: where, rule: "recompute" }];
      return { naive, variants: [relinkedSame(m, naive)] };
    },
  },
  {
    name: "a code dropped from a class's selected or next (private) or from a department's public selected or next",
    mutate(m, pick) {
      const lists = (pick % 2 === 0 ? publicLists(publicResultsOf(m)) : privateLists(privateResultsOf(m))).filter((l) => l.list.length >= 1);
      if (lists.length === 0) return null;
      const { list, path } = lists[Math.floor(pick / 2) % lists.length]!;
      const r = Math.floor(pick / 7) % list.length;
      list.splice(r, 1);
      // the recomputed list has one more entry: the first difference is at r (or, r last, the missing entry r)
      const naive = [{ path: `${path}[${r}]`, rule: "recompute" }];
      return { naive, variants: [relinkedSame(m, naive)] };
    },
  },
  {
    name: "a team officer replaced by another eligible officer",
    mutate(m, pick) {
      const dir = m.inputs.private.inspectors;
      const checks = privateResultsOf(m).checks;
      if (!dir || !checks) return null;
      const recused = (id: string, code: string) => dir.recusals.some((r) => r.inspectorId === id && r.code === code);
      const spots = checks.flatMap((c, ci) =>
        c.departments.flatMap((t, ti) => {
          const d = m.inputs.public.departments.find((x) => x.id === t.department)!;
          const others = dir.officers.filter((o) => !t.officers.includes(o.id) && eligibleOfficer(o, t.department, d.requires, c, recused));
          return t.officers.length > 0 && others.length > 0 ? [{ ci, ti, t, others }] : [];
        }),
      );
      if (spots.length === 0) return null;
      const { ci, ti, t, others } = spots[pick % spots.length]!;
      t.officers[Math.floor(pick / 3) % t.officers.length] = others[Math.floor(pick / 5) % others.length]!.id;
      const naive = [{ path: `records[0].private.results.checks[${ci}].departments[${ti}]`, rule: "recompute" }];
      return { naive, variants: [relinkedSame(m, naive)] };
    },
  },
  {
    name: "a target substitution's in changed",
    mutate(m, pick) {
      const idx = indicesOf(m.records, isTarget);
      if (idx.length === 0 || m.inputs.public.pool.codes.length < 3) return null;
      const i = idx[pick % idx.length]!;
      const t = (m.records[i]!.public as { target: { out: string; in: string | null } }).target;
      const codes = m.inputs.public.pool.codes.filter((c) => c !== t.in && c !== t.out);
      t.in = t.in !== null && pick % 4 === 0 ? null : codes[Math.floor(pick / 4) % codes.length]!;
      const naive = [{ path: `records[${i}].public.target.in`, rule: "substitution" }];
      return { naive, variants: [relinkedSame(m, naive)] };
    },
  },
  {
    name: "an inspector substitution's in changed",
    mutate(m, pick) {
      const idx = indicesOf(m.records, isInspector);
      if (idx.length === 0) return null;
      const i = idx[pick % idx.length]!;
      const r = m.records[i]!;
      const priv = r.private as { out: string; in: string | null };
      const dep = (r.public as { inspector: { department: string } }).inspector.department;
      const others = (m.inputs.private.inspectors?.officers ?? []).filter((o) => o.department === dep && o.id !== priv.in).map((o) => o.id);
      priv.in = priv.in !== null && (pick % 3 === 0 || others.length === 0) ? null : others.length > 0 ? others[Math.floor(pick / 3) % others.length]! : "D99-NOBODY";
      const naive = [{ path: `records[${i}].private.in`, rule: "substitution" }];
      return { naive, variants: [relinkedSame(m, naive)] };
    },
  },
  {
    name: "a substitution removed from the middle of the chain",
    mutate(m, pick) {
      const idx = indicesOf(m.records, (r, i) => r.kind === "substitution" && i < m.records.length - 1);
      if (idx.length === 0) return null;
      const i = idx[pick % idx.length]!;
      m.records.splice(i, 1);
      return {
        naive: [{ path: `records[${i}].seq`, rule: "chain" }],
        variants: [
          { name: "chain renumbered and relinked (published head given)", make: () => relink(clone(m), true), opts: { expectedHead: m.head }, expect: fromRecord(i, m.records.length) },
        ],
      };
    },
  },
  {
    name: "two records swapped",
    mutate(m, pick) {
      if (m.records.length < 3) return null;
      const i = 1 + (pick % (m.records.length - 2));
      [m.records[i], m.records[i + 1]] = [m.records[i + 1]!, m.records[i]!];
      return {
        naive: [{ path: `records[${i}].seq`, rule: "chain" }],
        variants: [{ name: "chain renumbered and relinked (published head given)", make: () => relink(clone(m), true), opts: { expectedHead: m.head }, expect: fromRecord(i, m.records.length) }],
      };
    },
  },
  {
    name: "the draw record swapped with the next record",
    mutate(m) {
      if (m.records.length < 2) return null;
      [m.records[0], m.records[1]] = [m.records[1]!, m.records[0]!];
      return {
        naive: [{ path: "records[0].seq", rule: "chain" }],
        variants: [{ name: "chain renumbered and relinked", make: () => relink(clone(m), true), opts: {}, expect: [{ path: "records[0].kind", rule: "chain" }] }],
      };
    },
  },
  {
    name: "a record's at moved earlier than the previous one (record 0: not after frozenAt)",
    mutate(m, pick) {
      const i = pick % m.records.length;
      m.records[i]!.at = i === 0 ? m.inputs.public.frozenAt : earlier(m.records[i - 1]!.at, 1 + (pick % 1000));
      const naive = [{ path: `records[${i}].at`, rule: "timeOrder" }];
      return { naive, variants: [relinkedSame(m, naive)] };
    },
  },
  {
    name: "the head changed",
    mutate(m, pick) {
      m.head = flipHex(m.head, pick % 64);
      return { naive: [{ path: "head", rule: "chain" }] };
    },
  },
];

// ---------------------------------------------------------------------------------------------
// The catalogue: public manifests
// ---------------------------------------------------------------------------------------------

const PUBLIC: Case<PublicManifest2>[] = [
  publicInputsCase("a pool code dropped (with its district; classCounts adjusted)", dropCode),
  publicInputsCase("a pool code added", addCode),
  publicInputsCase("a pool code replaced by another valid code", replaceCode),
  publicInputsCase("the batch renamed", renameBatch),
  publicInputsCase("a quota changed", changeQuota),
  publicInputsCase("an exclusion removed", removeExclusion),
  {
    name: "the seed changed",
    mutate(m, pick) {
      m.seed!.value = flipHex(m.seed!.value, pick % 64);
      return { naive: [{ path: "seed.value", rule: "seed" }] };
    },
  },
  {
    name: "a selected code replaced by a non-candidate",
    mutate(m, pick) {
      const res = publicResultsOf(m);
      const pub = m.inputs.public;
      const spots = res.targets.flatMap((t, d) => t.selected.map((_, r) => ({ list: t.selected, d, r })));
      if (spots.length === 0) return null;
      const { list, d, r } = spots[pick % spots.length]!;
      const dep = pub.departments[d]!;
      const nonCandidates: { code: string; rule: string }[] = [
        { code: "1", rule: "pool" },
        ...pub.excluded.map((x) => ({ code: x.code, rule: "pool" })),
        ...dep.excluded.map((x) => ({ code: x.code, rule: "excluded" })),
        ...(dep.scope.kind === "directed" ? pub.pool.codes.filter((c) => !(dep.scope as { codes: string[] }).codes.includes(c)).map((code) => ({ code, rule: "scope" })) : []),
      ].filter((x) => !isCandidate(pub, d, x.code));
      const pickd = nonCandidates[Math.floor(pick / 3) % nonCandidates.length]!;
      list[r] = pickd.code;
      const naive = [{ path: `records[0].public.results.targets[${d}].selected[${r}]`, rule: pickd.rule }];
      return { naive, variants: [relinkedSame(m, naive)] };
    },
  },
  {
    name: "two adjacent codes swapped within a department's selected or next",
    mutate(m, pick) {
      const lists = publicLists(publicResultsOf(m)).filter((l) => l.list.length >= 2);
      if (lists.length === 0) return null;
      const { list, path } = lists[pick % lists.length]!;
      const r = Math.floor(pick / 3) % (list.length - 1);
      [list[r], list[r + 1]] = [list[r + 1]!, list[r]!];
      // the (recomputed) ticket of the code now at r + 1 is smaller than that of the code before it
      const naive = [{ path: `${path}[${r + 1}]`, rule: "ticketOrder" }];
      return { naive, variants: [relinkedSame(m, naive)] };
    },
  },
  {
    name: "a next code replaced by a selected code of the department (listed twice)",
    mutate(m, pick) {
      const spots = publicResultsOf(m).targets.flatMap((t, d) => (t.selected.length > 0 && t.next.length > 0 ? [{ t, d }] : []));
      if (spots.length === 0) return null;
      const { t, d } = spots[pick % spots.length]!;
      const j = Math.floor(pick / 3) % t.next.length;
      t.next[j] = t.selected[Math.floor(pick / 5) % t.selected.length]!;
      const naive = [{ path: `records[0].public.results.targets[${d}].next[${j}]`, rule: "duplicate" }];
      return { naive, variants: [relinkedSame(m, naive)] };
    },
  },
  {
    name: "a selected code replaced by a next candidate's code (listed twice)",
    mutate(m, pick) {
      const spots = publicResultsOf(m).targets.flatMap((t, d) => (t.selected.length > 0 && t.next.length > 0 ? [{ t, d }] : []));
      if (spots.length === 0) return null;
      const { t, d } = spots[pick % spots.length]!;
      const r = Math.floor(pick / 3) % t.selected.length;
      const j = Math.floor(pick / 5) % t.next.length;
      t.selected[r] = t.next[j]!;
      // where it shows: the selected list out of ticket order, else the code listed again in next
      const k = firstOutOfOrder(ticketKey(m.seed!.value), t.selected);
      const base = `records[0].public.results.targets[${d}]`;
      const naive = [k >= 0 ? { path: `${base}.selected[${k}]`, rule: "ticketOrder" } : { path: `${base}.next[${j}]`, rule: "duplicate" }];
      return { naive, variants: [relinkedSame(m, naive)] };
    },
  },
  {
    name: "a code dropped from a department's selected or next",
    mutate(m, pick) {
      const lists = publicLists(publicResultsOf(m)).filter((l) => l.list.length >= 1);
      if (lists.length === 0) return null;
      const { list, path } = lists[pick % lists.length]!;
      list.splice(Math.floor(pick / 3) % list.length, 1);
      const naive = [{ path, rule: "quota" }];
      return { naive, variants: [relinkedSame(m, naive)] };
    },
  },
  {
    name: "a class count changed",
    mutate(m, pick) {
      const res = publicResultsOf(m);
      const d = pick % res.targets.length;
      const k = Math.floor(pick / 5) % 4;
      const field = (["candidates", "quota", "shortfall", "selected", "next"] as const)[Math.floor(pick / 23) % 5]!;
      res.targets[d]!.classes[k]![field] += 1;
      const naive = [{ path: `records[0].public.results.targets[${d}].classes`, rule: ["quota", "candidates"] }];
      return { naive, variants: [relinkedSame(m, naive)] };
    },
  },
  {
    name: "a target substitution's in replaced by a currently-selected code",
    mutate(m, pick) {
      const spots = indicesOf(m.records, isTarget).flatMap((i) => {
        const t = (m.records[i]!.public as { target: { department: string; out: string; in: string | null } }).target;
        const cur = [...currentlySelected(m, t.department, i)].filter((c) => c !== t.out);
        return cur.length > 0 ? [{ i, t, cur }] : [];
      });
      if (spots.length === 0) return null;
      const { i, t, cur } = spots[pick % spots.length]!;
      t.in = cur[Math.floor(pick / 3) % cur.length]!;
      const naive = [{ path: `records[${i}].public.target.in`, rule: "substitution" }];
      return { naive, variants: [relinkedSame(m, naive)] };
    },
  },
  {
    name: "a record removed",
    mutate(m, pick) {
      if (m.records.length < 2) return null;
      const i = 1 + (pick % (m.records.length - 1));
      const last = i === m.records.length - 1;
      m.records.splice(i, 1);
      return {
        naive: [last ? { path: "head", rule: "chain" } : { path: `records[${i}].seq`, rule: "chain" }],
        variants: [{ name: "chain renumbered and relinked (published head given)", make: () => relink(clone(m), true), opts: { expectedHead: m.head }, expect: fromRecord(i, m.records.length) }],
      };
    },
  },
  {
    name: "inputs.privateDigest changed",
    mutate(m, pick, ctx) {
      m.inputs.privateDigest = flipHex(m.inputs.privateDigest, pick % 64);
      return {
        naive: [AT_COMMITMENT],
        variants: [
          {
            name: "commitment recomputed",
            make: () => {
              const f = clone(m);
              f.commitment = commitmentOf(digestOf(f.inputs.public), f.inputs.privateDigest);
              return f;
            },
            opts: { expectedCommitment: ctx.original.commitment },
            expect: [AT_PUBLISHED_COMMITMENT],
          },
        ],
      };
    },
  },
  {
    name: "a record's privateDigest changed",
    mutate(m, pick) {
      const i = pick % m.records.length;
      m.records[i]!.privateDigest = flipHex(m.records[i]!.privateDigest, Math.floor(pick / 7) % 64);
      const last = i === m.records.length - 1;
      return {
        naive: [last ? { path: "head", rule: "chain" } : { path: `records[${i + 1}].prev`, rule: "chain" }],
        variants: [{ name: "chain relinked (published head given)", make: () => relink(clone(m)), opts: { expectedHead: m.head }, expect: [AT_PUBLISHED_HEAD] }],
      };
    },
  },
  {
    name: "the head changed",
    mutate(m, pick) {
      m.head = flipHex(m.head, pick % 64);
      return { naive: [{ path: "head", rule: "chain" }] };
    },
  },
];

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

const arbDraw = fc.tuple(arbRequest2, fc.constantFrom<Mode>("external", "commitReveal"));
const CORPUS_SIZE = 40;
const RUNS_PER_MUTATION = 8;

let corpus: Ctx[] = [];

beforeAll(async () => {
  const samples = fc.sample(arbDraw, { numRuns: CORPUS_SIZE, seed: 424242 });
  corpus = [];
  for (const [req, mode] of samples) {
    const original = await build(req, mode);
    corpus.push({ original, pub: publicManifest(original) });
  }
});

describe("honest manifests verify", () => {
  it("for random draws (external and commit-reveal seeds, substitutions, a schedule), full and public manifests verify against the published commitment (property, 60 runs)", async () => {
    await fc.assert(
      fc.asyncProperty(arbDraw, async ([req, mode]) => {
        const full = await build(req, mode);
        expect(await verify(full, { expectedCommitment: full.commitment, expectedHead: full.head })).toMatchObject({ ok: true, kind: "full" });
        expect(await verify(publicManifest(full), { expectedCommitment: full.commitment, expectedHead: full.head })).toMatchObject({ ok: true, kind: "public" });
      }),
      { numRuns: 60, seed: 20261201 },
    );
  });

  it("the corpus used below covers both seed modes, every record kind, and inspector teams", () => {
    const ms = corpus.map((c) => c.original);
    expect(ms.filter((m) => m.seed!.provenance.mode === "commitReveal").length).toBeGreaterThan(5);
    expect(ms.filter((m) => m.seed!.provenance.mode === "external").length).toBeGreaterThan(5);
    expect(ms.filter((m) => m.records.some(isTarget)).length).toBeGreaterThan(5);
    expect(ms.filter((m) => m.records.some(isInspector)).length).toBeGreaterThan(5);
    expect(ms.filter((m) => m.records.length >= 4).length).toBeGreaterThan(5);
  });

  it("version 2 lists codes only, in ticket order (tickets written out): per class selected then next; publicly the classes' lists merged", () => {
    let lists = 0;
    for (const { original, pub } of corpus) {
      const key = ticketKey(original.seed!.value);
      const byTicket = (codes: readonly string[]) => [...codes].sort((a, b) => ticketCompare(key, a, b));
      const pubRes = publicResultsOf(pub);
      expect(pubRes).toEqual(publicResultsOf(original));
      privateResultsOf(original).targets.forEach((t, d) => {
        for (const s of t.strata) {
          for (const c of [...s.selected, ...s.next]) expect(c).toMatch(/^[0-9A-Z]{1,23}$/);
          // rank = position + 1, next continuing after selected: the concatenation is in ticket order
          expect(firstOutOfOrder(key, [...s.selected, ...s.next])).toBe(-1);
          lists += s.selected.length > 1 ? 1 : 0;
        }
        const p = pubRes.targets[d]!;
        expect(p.department).toBe(t.department);
        expect(p.selected).toEqual(byTicket(t.strata.flatMap((s) => s.selected)));
        expect(p.next).toEqual(byTicket(t.strata.flatMap((s) => s.next)));
      });
    }
    expect(lists, "some class lists have two or more entries").toBeGreaterThan(5);
  });

  it("every corpus manifest verifies (so a refusal below is the mutation's doing)", async () => {
    for (const { original, pub } of corpus) {
      expect(await verify(original, { expectedCommitment: original.commitment, expectedHead: original.head })).toMatchObject({ ok: true });
      expect(await verify(pub, { expectedCommitment: original.commitment, expectedHead: original.head })).toMatchObject({ ok: true });
    }
  });
});

/** One mutation, on random corpus manifests: the first manifest from `ix` on where it applies. */
async function runCase<M extends FullManifest2 | PublicManifest2>(c: Case<M>, source: (ctx: Ctx) => M, seed: number): Promise<void> {
  let applied = 0;
  const variantsOffered = new Set<string>();
  const variantsRun = new Map<string, number>();
  await fc.assert(
    fc.asyncProperty(fc.nat({ max: CORPUS_SIZE - 1 }), fc.nat({ max: 1_000_000 }), async (ix, pick) => {
      for (let j = 0; j < corpus.length; j++) {
        const ctx = corpus[(ix + j) % corpus.length]!;
        const m = clone(source(ctx));
        const mutated = c.mutate(m, pick, ctx);
        if (!mutated) continue;
        applied++;
        const label = `${c.name} [corpus ${(ix + j) % corpus.length}, pick ${pick}]`;
        expectCaught(await verify(m, { expectedCommitment: ctx.original.commitment }), mutated.naive, label);
        for (const v of mutated.variants ?? []) {
          variantsOffered.add(v.name);
          const f = await v.make();
          if (!f) continue;
          variantsRun.set(v.name, (variantsRun.get(v.name) ?? 0) + 1);
          const o = await verify(f, v.opts);
          if (v.expect === "ok") {
            expect(o, `${label} / ${v.name}: the forgery should be complete`).toMatchObject({ ok: true });
            if (o.ok && v.opts.expectedCommitment === undefined) expect(o.warnings).toContain(NO_PUBLISHED_COMMITMENT);
          } else expectCaught(o, v.expect, `${label} / ${v.name}`);
        }
        return;
      }
    }),
    { numRuns: RUNS_PER_MUTATION, seed },
  );
  expect(applied, `${c.name}: no corpus manifest offers this mutation`).toBe(RUNS_PER_MUTATION);
  // every forger variant was really built at least once (not always skipped as impossible)
  for (const name of variantsOffered) expect(variantsRun.get(name) ?? 0, `${c.name} / ${name}: never built`).toBeGreaterThan(0);
}

describe("a mutated full manifest is refused, at the place of the change (verifyFull2)", () => {
  it.each(FULL.map((c, i) => [c.name, c, i] as const))("%s", async (_n, c, i) => {
    await runCase(c, (ctx) => ctx.original, 1000 + i);
  });
});

describe("a mutated public manifest is refused, at the place of the change (verifyPublic2)", () => {
  it.each(PUBLIC.map((c, i) => [c.name, c, i] as const))("%s", async (_n, c, i) => {
    await runCase(c, (ctx) => ctx.pub, 2000 + i);
  });
});

// ---------------------------------------------------------------------------------------------
// ssj verify on files
// ---------------------------------------------------------------------------------------------

describe("ssj verify on a public manifest file", () => {
  let dir: string;
  let full: FullManifest2;
  let out: string[] = [];
  const file = (name: string, text: string) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  const ssj = async (...args: string[]) => {
    out = [];
    return main(["verify", ...args]);
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "ssj-tamper-"));
    full = await build(smallRequest2({ n: 120 }), "external");
    vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => void out.push(a.join(" ")));
    vi.spyOn(console, "error").mockImplementation((...a: unknown[]) => void out.push(a.join(" ")));
  });
  afterAll(() => {
    vi.restoreAllMocks();
  });

  it("honest: exit 0, and the output says what was proven", async () => {
    const p = file("public.json", canonicalJson(publicManifest(full)));
    expect(await ssj(p, "--commitment", full.commitment)).toBe(0);
    expect(out.join("\n")).toMatch(/^一致：.*公开清单/);
    expect(out.join("\n")).toContain(full.commitment);
  });

  it("one entity deleted from the pool: exit 1 at the commitment", async () => {
    const pub = clone(publicManifest(full));
    const i = 3;
    pub.inputs.public.pool.codes.splice(i, 1);
    pub.inputs.public.pool.districts.splice(i, 1);
    const k = CLASSES.find((c) => pub.inputs.public.pool.classCounts[c] > 0)!;
    pub.inputs.public.pool.classCounts[k]--;
    expect(await ssj(file("deleted.json", canonicalJson(pub)), "--commitment", full.commitment)).toBe(1);
    expect(out.join("\n")).toMatch(/^不一致：commitment：.*（规则 commitment）/);
  });

  it("the batch renamed: exit 1 at the commitment", async () => {
    const pub = clone(publicManifest(full));
    pub.inputs.public.batch.name = "另一个批次";
    expect(await ssj(file("renamed.json", canonicalJson(pub)), "--commitment", full.commitment)).toBe(1);
    expect(out.join("\n")).toMatch(/^不一致：commitment：/);
  });

  it("--commitment of 64 zeros: exit 1 (not the commitment published before the seed)", async () => {
    const p = file("public.json", canonicalJson(publicManifest(full)));
    expect(await ssj(p, "--commitment", "0".repeat(64))).toBe(1);
    expect(out.join("\n")).toMatch(/^不一致：commitment：.*（规则 publishedCommitment）/);
  });

  it('a duplicate JSON key in the text ("name":"x","name":…): exit 2, not a manifest', async () => {
    const text = canonicalJson(publicManifest(full));
    const name = `"name":${JSON.stringify(full.inputs.public.batch.name)}`;
    expect(text).toContain(name);
    const p = file("duplicate.json", text.replace(name, `"name":"x",${name}`));
    expect(await ssj(p, "--commitment", full.commitment)).toBe(2);
    expect(out.join("\n")).toMatch(/不是有效的抽取清单/);
  });
});

// ---------------------------------------------------------------------------------------------
// Where a record refused during the replay is reported
// ---------------------------------------------------------------------------------------------

// DEFECT (src/draws/v2/chain.ts): ChainReplay.apply re-makes a record with makeTargetSubstitution /
// makeInspectorSubstitution / makeSchedule, which fail at fixed paths "substitution.out",
// "substitution.reason", "schedule.private", "schedule.public.reason" — not at the record's path.
// The record IS refused; these tests pin that the refusal names the record (docs/draw-spec.md §3.1,
// §11: the first divergence is reported with its path).
describe("a record refused during the full replay is reported at that record (records[i]…)", () => {
  let full: FullManifest2;
  beforeAll(async () => {
    full = await build(smallRequest2({ n: 120 }), "external");
  });

  const at = (kind: (r: DrawRecord2) => boolean) => {
    const i = full.records.findIndex(kind);
    expect(i).toBeGreaterThan(0);
    return i;
  };

  it("fixture: the manifest has a target substitution, an inspector substitution and a schedule, and verifies", async () => {
    expect(full.records.map((r) => r.kind)).toEqual(["draw", "substitution", "substitution", "substitution", "schedule"]);
    expect(await verify(full, { expectedCommitment: full.commitment })).toMatchObject({ ok: true });
  });

  const cases: [string, (m: FullManifest2) => Expect][] = [
    [
      "a target substitution whose out is not currently selected → records[i].public.target.out (notSelected)",
      (m) => {
        const i = at(isTarget);
        const t = (m.records[i]!.public as { target: { department: string; out: string } }).target;
        const cur = currentlySelected(m, t.department, i);
        t.out = m.inputs.public.pool.codes.find((c) => !cur.has(c))!;
        return { path: `records[${i}].public.target.out`, rule: "notSelected" };
      },
    ],
    [
      "a target substitution with a blank reason → records[i].public.target.reason (reasonRequired)",
      (m) => {
        const i = at(isTarget);
        (m.records[i]!.public as { target: { reason: string } }).target.reason = "   ";
        return { path: `records[${i}].public.target.reason`, rule: "reasonRequired" };
      },
    ],
    [
      "an inspector substitution whose out is not on that team → records[i].private.out (notOnTeam)",
      (m) => {
        const i = at(isInspector);
        (m.records[i]!.private as { out: string }).out = "D99-NOBODY";
        return { path: `records[${i}].private.out`, rule: "notOnTeam" };
      },
    ],
    [
      "a schedule that leaves a current check out → records[i].private (missingCheck)",
      (m) => {
        const i = at((r) => r.kind === "schedule");
        const r = m.records[i] as Extract<DrawRecord2, { kind: "schedule" }>;
        expect(r.private.unscheduled.length).toBeGreaterThan(0);
        r.private.unscheduled.pop();
        r.public.unscheduled--;
        return { path: `records[${i}].private`, rule: "missingCheck" };
      },
    ],
    [
      "a first schedule that gives a reason → records[i].public.reason",
      (m) => {
        const i = at((r) => r.kind === "schedule");
        (m.records[i]!.public as { reason: string | null }).reason = "重新排期";
        return { path: `records[${i}].public.reason`, rule: "reason" };
      },
    ],
  ];

  it.each(cases)("%s", async (_n, mutate) => {
    const m = clone(full);
    const e = mutate(m);
    const o = await verify(relink(m), { expectedCommitment: full.commitment });
    expectCaught(o, [e], "full replay");
  });
});
