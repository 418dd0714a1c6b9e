/**
 * The draw manifest: one JSON document that reproduces a draw without the database
 * (docs/draw-spec.md §9), and its offline verifier.
 *
 *   runDraw(inputs, seed)                         → DrawResults   (targets, then inspector teams)
 *   buildManifest({ inputs, seed, provenance, … }) → DrawManifest
 *   verifyManifest(manifest, { expectedCommitment }) → { ok: true, summary } | { ok: false, path, message }
 */
import { streamResultsDigest } from "./resultsJson.ts";
import { commitment as commitmentOf, validateFrozen } from "./freeze.ts";
import { drawInspectors, substitute, type CheckResult, type InspectorSubstitution } from "./inspectors.ts";
import { isHex32, seedFromExternal, seedFromReveals } from "./seed.ts";
import type { SeedProvenance } from "./state.ts";
import { drawTargets, substituteTarget, ticketOrder, ticketOrderParallel, type TargetResult, type TargetSubstitution, type TicketOrder } from "./targets.ts";
import { SPEC_VERSION, type FrozenInputs } from "./types.ts";
import { availableParallelism } from "node:os";
import { PARALLEL_MIN } from "./sha256.ts";
import { computeTicketsParallel } from "./tickets.ts";

export const MANIFEST_VERSION = "ssj-draw-manifest/1";

export interface DrawResults {
  targets: TargetResult[];
  /** Inspector teams per check; null when the inputs carry no inspector directory. */
  checks: CheckResult[] | null;
}

export interface DrawManifest {
  manifest: typeof MANIFEST_VERSION;
  spec: string;
  inputs: FrozenInputs;
  commitment: string;
  seed: { value: string; provenance: SeedProvenance };
  results: DrawResults;
  /** SHA-256 of CJSON(results). */
  resultDigest: string;
  /** 递补 recorded after the draw, in the order they happened. */
  substitutions: { targets: TargetSubstitution[]; inspectors: InspectorSubstitution[] };
}

/** Targets, then inspector teams (when the inputs have inspectors). Deterministic in (inputs, seed). */
export function runDraw(f: FrozenInputs, seedHex: string, order?: TicketOrder): DrawResults {
  const targets = drawTargets(f, seedHex, order ?? ticketOrder(f, seedHex));
  return { targets, checks: f.inspectors ? drawInspectors(f, seedHex, targets) : null };
}

/** The seed a provenance record implies for the given inputs commitment. Throws on inconsistency. */
export function seedFromProvenance(f: FrozenInputs, inputsCommitment: string, p: SeedProvenance): string {
  if (f.seedPlan.mode === "commitReveal") {
    if (p.mode !== "commitReveal" || !p.reveals) throw new Error("the committed seed plan is commit-reveal but the provenance is not");
    return seedFromReveals(inputsCommitment, f.seedPlan.departments, p.reveals);
  }
  if (p.mode !== "external" || typeof p.value !== "string") throw new Error("the committed seed plan is an external value but the provenance is not");
  if (p.source !== f.seedPlan.source || p.reference !== f.seedPlan.reference)
    throw new Error(`the provenance names ${p.source} ${p.reference}, the committed plan ${f.seedPlan.source} ${f.seedPlan.reference}`);
  return seedFromExternal(inputsCommitment, f.seedPlan.source, f.seedPlan.reference, p.value);
}

export function buildManifest(args: {
  inputs: FrozenInputs;
  provenance: SeedProvenance;
  results?: DrawResults;
  substitutions?: DrawManifest["substitutions"];
}): DrawManifest {
  const c = commitmentOf(args.inputs);
  const seed = seedFromProvenance(args.inputs, c, args.provenance);
  const results = args.results ?? runDraw(args.inputs, seed);
  return {
    manifest: MANIFEST_VERSION,
    spec: SPEC_VERSION,
    inputs: args.inputs,
    commitment: c,
    seed: { value: seed, provenance: args.provenance },
    results,
    resultDigest: resultsDigest(results),
    substitutions: args.substitutions ?? { targets: [], inspectors: [] },
  };
}

/** SHA-256 (hex) of CJSON(results), via the shape-specific encoder. */
export function resultsDigest(results: DrawResults): string {
  return streamResultsDigest(results);
}

/** The manifest is not a manifest at all (verify exits 2). */
export class ManifestFormatError extends Error {}

/** Parse manifest text, checking the shape enough to verify it. Throws ManifestFormatError. */
export function parseManifest(text: string): DrawManifest {
  let m: unknown;
  try {
    m = JSON.parse(text);
  } catch (err) {
    throw new ManifestFormatError(`不是有效的 JSON：${(err as Error).message}`);
  }
  const need = (cond: boolean, what: string) => {
    if (!cond) throw new ManifestFormatError(`不是抽取清单：${what}`);
  };
  need(typeof m === "object" && m !== null && !Array.isArray(m), "文档不是 JSON 对象");
  const o = m as Record<string, unknown>;
  need(o.manifest === MANIFEST_VERSION, `成员 manifest 应为 "${MANIFEST_VERSION}"（或 ssj-draw-manifest/2）`);
  need(typeof o.spec === "string", "缺少成员 spec");
  need(typeof o.inputs === "object" && o.inputs !== null, "缺少成员 inputs");
  const inp = o.inputs as Record<string, unknown>;
  const pool = inp.pool as Record<string, unknown> | undefined;
  need(!!pool && Array.isArray(pool.codes) && typeof pool.strata === "string" && Array.isArray(pool.districts), "inputs.pool 应有 codes、strata、districts");
  need(Array.isArray(inp.departments), "缺少成员 inputs.departments");
  need(typeof inp.seedPlan === "object" && inp.seedPlan !== null, "缺少成员 inputs.seedPlan");
  need(typeof o.commitment === "string", "缺少成员 commitment");
  const seed = o.seed as Record<string, unknown> | undefined;
  need(!!seed && typeof seed.value === "string" && typeof seed.provenance === "object", "seed 应有 value 和 provenance");
  const res = o.results as Record<string, unknown> | undefined;
  need(!!res && Array.isArray(res.targets), "缺少成员 results.targets");
  need(typeof o.resultDigest === "string", "缺少成员 resultDigest");
  const subs = o.substitutions as Record<string, unknown> | undefined;
  need(!!subs && Array.isArray(subs.targets) && Array.isArray(subs.inspectors), "substitutions 应有 targets 和 inspectors 两个列表");
  return m as DrawManifest;
}

export type VerifyOutcome =
  | { ok: true; summary: { batch: string; commitment: string; seed: string; departments: number; selected: number; checks: number; substitutions: number } }
  | { ok: false; path: string; message: string };

const show = (v: unknown) => {
  const s = JSON.stringify(v);
  return s === undefined ? "nothing" : s.length > 120 ? s.slice(0, 117) + "..." : s;
};

/** First place where `actual` differs from `expected`, as [path, message], or null. */
export function firstDifference(expected: unknown, actual: unknown, path: string): [string, string] | null {
  const trail: (string | number)[] = [];
  const found = diff(expected, actual, trail);
  if (!found) return null;
  const p = path + trail.map((x) => (typeof x === "number" ? `[${x}]` : `.${x}`)).join("");
  return [p, found];
}

/** Depth-first comparison; on a difference, `trail` holds the path (built only then). */
function diff(expected: unknown, actual: unknown, trail: (string | number)[]): string | null {
  if (expected === actual) return null;
  if (Array.isArray(expected) && Array.isArray(actual)) {
    const n = Math.min(expected.length, actual.length);
    for (let i = 0; i < n; i++) {
      const e = expected[i];
      const a = actual[i];
      if (e === a) continue;
      // Fast path for rows of primitives ([rank, code, ticket]): no recursion when equal.
      if (Array.isArray(e) && Array.isArray(a) && e.length === a.length) {
        let same = true;
        for (let q = 0; q < e.length && same; q++) same = e[q] === a[q] && (typeof e[q] !== "object" || e[q] === null);
        if (same) continue;
      }
      trail.push(i);
      const d = diff(e, a, trail);
      if (d) return d;
      trail.pop();
    }
    if (expected.length !== actual.length) {
      trail.push(n);
      return `recomputed list has ${expected.length} entries, manifest has ${actual.length}`;
    }
    return null;
  }
  if (expected && actual && typeof expected === "object" && typeof actual === "object" && !Array.isArray(expected) && !Array.isArray(actual)) {
    const ex = expected as Record<string, unknown>;
    const ac = actual as Record<string, unknown>;
    const keys = [...new Set([...Object.keys(ex), ...Object.keys(ac)])].sort();
    for (const k of keys) {
      trail.push(k);
      const d = diff(ex[k], ac[k], trail);
      if (d) return d;
      trail.pop();
    }
    return null;
  }
  return `recomputed ${show(expected)}, manifest has ${show(actual)}`;
}

/**
 * Recompute everything from the manifest alone: commitment of the inputs (and, if given, equality
 * with the published commitment), validity of the inputs, the seed from its provenance, every
 * result, the result digest, and every substitution. Reports the first divergence.
 */
export async function verifyManifest(m: DrawManifest, opts: { expectedCommitment?: string; threads?: number } = {}): Promise<VerifyOutcome> {
  const fail = (path: string, message: string): VerifyOutcome => ({ ok: false, path, message });
  // Start hashing the tickets for the claimed seed on worker threads at once, so that it overlaps
  // the commitment and validation below; used only if the claimed seed proves right.
  const threads = opts.threads ?? availableParallelism();
  const codes = m.inputs?.pool?.codes;
  let early: Promise<Uint32Array> | null = null;
  if (threads > 1 && isHex32(m.seed?.value) && Array.isArray(codes) && codes.length >= PARALLEL_MIN && codes.every((c) => typeof c === "string")) {
    early = computeTicketsParallel(m.seed.value, codes, threads, false);
    early.catch(() => undefined);
  }
  if (m.spec !== SPEC_VERSION || m.inputs.spec !== SPEC_VERSION)
    return fail("spec", `manifest is for '${m.spec}' / inputs '${m.inputs.spec}'; this verifier implements ${SPEC_VERSION}`);
  let c: string;
  try {
    c = commitmentOf(m.inputs);
  } catch (err) {
    return fail("inputs", `inputs cannot be canonically encoded: ${(err as Error).message}`);
  }
  if (c !== m.commitment)
    return fail("commitment", `SHA-256 of the inputs is ${c} but the manifest's commitment is ${m.commitment}: the inputs (pool, quotas, rules, …) or the commitment were changed`);
  if (opts.expectedCommitment !== undefined && opts.expectedCommitment !== c)
    return fail("commitment", `the manifest's commitment ${c} is not the published commitment ${opts.expectedCommitment}`);
  try {
    validateFrozen(m.inputs);
  } catch (err) {
    return fail("inputs", (err as Error).message);
  }
  let seed: string;
  try {
    seed = seedFromProvenance(m.inputs, c, m.seed.provenance);
  } catch (err) {
    return fail("seed.provenance", (err as Error).message);
  }
  if (!isHex32(m.seed.value) || seed !== m.seed.value) return fail("seed.value", `the provenance gives seed ${seed}, the manifest has ${show(m.seed.value)}`);
  const order = early ? ticketOrder(m.inputs, seed, await early) : await ticketOrderParallel(m.inputs, seed, threads);
  const results = runDraw(m.inputs, seed, order);
  const d =
    firstDifference(results.targets, m.results.targets, "results.targets") ??
    firstDifference(results.checks, m.results.checks, "results.checks") ??
    firstDifference(results, m.results, "results");
  if (d) return fail(d[0], d[1]);
  // The manifest's results equal the recomputed ones, so their CJSON digest is the recomputed one's.
  const rd = resultsDigest(results);
  if (rd !== m.resultDigest) return fail("resultDigest", `SHA-256 of the results is ${rd}, the manifest has ${show(m.resultDigest)}`);
  // Replay substitutions in order.
  const ts: TargetSubstitution[] = [];
  for (const [i, s] of m.substitutions.targets.entries()) {
    let r: TargetSubstitution;
    try {
      r = substituteTarget(m.inputs, order, results.targets, ts, { department: s.department, stratum: s.stratum, out: s.out, reason: s.reason });
    } catch (err) {
      return fail(`substitutions.targets[${i}]`, (err as Error).message);
    }
    if (r.in !== s.in) return fail(`substitutions.targets[${i}].in`, `the next candidate in ticket order is ${show(r.in)}, the manifest has ${show(s.in)}`);
    ts.push(r);
  }
  const is: InspectorSubstitution[] = [];
  if (m.substitutions.inspectors.length > 0) {
    if (!results.checks) return fail("substitutions.inspectors", "inspector substitutions without an inspector draw");
    for (const [i, s] of m.substitutions.inspectors.entries()) {
      const check = results.checks.find((x) => x.code === s.code);
      if (!check) return fail(`substitutions.inspectors[${i}].code`, `${s.code} has no check in this draw`);
      let r: InspectorSubstitution;
      try {
        r = substitute(m.inputs, seed, check, is, { department: s.department, out: s.out, reason: s.reason });
      } catch (err) {
        return fail(`substitutions.inspectors[${i}]`, (err as Error).message);
      }
      if (r.in !== s.in) return fail(`substitutions.inspectors[${i}].in`, `the next inspector in the check's random order is ${show(r.in)}, the manifest has ${show(s.in)}`);
      is.push(r);
    }
  }
  return {
    ok: true,
    summary: {
      batch: m.inputs.batch.id,
      commitment: c,
      seed,
      departments: results.targets.length,
      selected: results.targets.reduce((n, t) => n + t.strata.reduce((k, s) => k + s.selected.length, 0), 0),
      checks: results.checks?.length ?? 0,
      substitutions: ts.length + is.length,
    },
  };
}

