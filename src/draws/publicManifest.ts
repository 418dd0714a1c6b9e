/**
 * The public (公示) form of a draw manifest (docs/draw-spec.md §9, "Public manifest"), and what the
 * public can verify from it. Pure; reuses the engine's seed and ticket derivations.
 *
 * Withheld (credit-risk classes are internal; inspectors are personal data):
 *   inputs.pool.strata, inputs.inspectors, results.targets[*].strata (grouping by class),
 *   results.checks, resultDigest (it hashes the withheld results), substitutions.targets[*].stratum,
 *   substitutions.inspectors.
 * Per-stratum counts (candidates, quota, shortfall) are withheld too: a stratum with one candidate
 * would reveal that entity's class. Selections are published per department, merged across strata
 * in ticket order, with a public rank 1…n (selected), continuing for `next`.
 */
import { seedFromProvenance, type DrawManifest } from "./manifest.ts";
import { isHex32 } from "./seed.ts";
import type { SeedProvenance } from "./state.ts";
import { ticketOf } from "./tickets.ts";
import type { FrozenInputs, RankedEntity, SeedPlan } from "./index.ts";

export const PUBLIC_MANIFEST_VERSION = "ssj-draw-public-manifest/1";

export const REDACTED_PATHS = [
  "inputs.pool.strata",
  "inputs.inspectors",
  "results.targets[*].strata",
  "results.checks",
  "resultDigest",
  "substitutions.targets[*].stratum",
  "substitutions.inspectors",
] as const;

export interface PublicManifest {
  manifest: typeof PUBLIC_MANIFEST_VERSION;
  kind: "public";
  spec: string;
  redacted: string[];
  inputs: {
    spec: string;
    batch: FrozenInputs["batch"];
    pool: { codes: string[]; districts: string[] };
    excluded: FrozenInputs["excluded"];
    departments: FrozenInputs["departments"];
    config: FrozenInputs["config"];
    seedPlan: SeedPlan;
  };
  commitment: string;
  seed: { value: string; provenance: SeedProvenance };
  results: { targets: { department: string; selected: RankedEntity[]; next: RankedEntity[] }[] };
  substitutions: { targets: { department: string; out: string; in: string | null; reason: string }[] };
}

const byTicket = (a: RankedEntity, b: RankedEntity) => (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0);

/** The publishable form of a full manifest. Deterministic. */
export function publicManifest(m: DrawManifest): PublicManifest {
  const i = m.inputs;
  return {
    manifest: PUBLIC_MANIFEST_VERSION,
    kind: "public",
    spec: m.spec,
    redacted: [...REDACTED_PATHS],
    inputs: {
      spec: i.spec,
      batch: i.batch,
      pool: { codes: [...i.pool.codes], districts: [...i.pool.districts] },
      excluded: i.excluded,
      departments: i.departments,
      config: i.config,
      seedPlan: i.seedPlan,
    },
    commitment: m.commitment,
    seed: { value: m.seed.value, provenance: m.seed.provenance },
    results: {
      targets: m.results.targets.map((t) => {
        const sel = t.strata.flatMap((s) => s.selected).sort(byTicket);
        const next = t.strata.flatMap((s) => s.next).sort(byTicket);
        return {
          department: t.department,
          selected: sel.map((r, k) => [k + 1, r[1], r[2]] as RankedEntity),
          next: next.map((r, k) => [sel.length + k + 1, r[1], r[2]] as RankedEntity),
        };
      }),
    },
    substitutions: { targets: m.substitutions.targets.map((s) => ({ department: s.department, out: s.out, in: s.in, reason: s.reason })) },
  };
}

export function isPublicManifest(v: unknown): v is PublicManifest {
  return typeof v === "object" && v !== null && (v as Record<string, unknown>).kind === "public" && (v as Record<string, unknown>).manifest === PUBLIC_MANIFEST_VERSION;
}

export const NEEDS_FULL_MANIFEST = [
  "commitment digest: SHA-256 of the complete inputs (needs inputs.pool.strata)",
  "completeness within strata: no entity with a smaller ticket skipped in its stratum (needs the classes)",
  "per-stratum quotas and shortfalls",
  "inspector teams and inspector substitutions",
  "resultDigest",
];

export type PublicVerifyOutcome =
  | { ok: true; partial: true; checked: string[]; needsFullManifest: string[]; summary: { batch: string; commitment: string; seed: string; departments: number; selected: number } }
  | { ok: false; path: string; message: string };

/** What the public can check without the withheld data. Reports the first divergence. */
export function verifyPublicManifest(p: PublicManifest): PublicVerifyOutcome {
  const fail = (path: string, message: string): PublicVerifyOutcome => ({ ok: false, path, message });
  const checked: string[] = [];
  if (p.spec !== p.inputs?.spec) return fail("spec", `manifest spec '${p.spec}' differs from inputs spec '${p.inputs?.spec}'`);
  if (!isHex32(p.commitment)) return fail("commitment", "the commitment is not 64 hex characters");
  let seed: string;
  try {
    seed = seedFromProvenance({ seedPlan: p.inputs.seedPlan } as FrozenInputs, p.commitment, p.seed.provenance);
  } catch (err) {
    return fail("seed.provenance", (err as Error).message);
  }
  if (seed !== p.seed.value) return fail("seed.value", `the provenance gives seed ${seed}, the manifest has ${JSON.stringify(p.seed.value)}`);
  checked.push("seed derived from the provenance (reveals / external value) and the commitment");
  const pool = new Set(p.inputs.pool.codes);
  if (p.inputs.pool.codes.length !== p.inputs.pool.districts.length) return fail("inputs.pool", "codes and districts differ in length");
  for (let k = 1; k < p.inputs.pool.codes.length; k++)
    if (!(p.inputs.pool.codes[k - 1]! < p.inputs.pool.codes[k]!)) return fail(`inputs.pool.codes[${k}]`, "pool codes are not strictly ascending");
  const depIds = p.inputs.departments.map((d) => d.id);
  if (p.results.targets.length !== depIds.length) return fail("results.targets", `${p.results.targets.length} department results for ${depIds.length} departments`);
  let selected = 0;
  for (const [di, t] of p.results.targets.entries()) {
    const base = `results.targets[${di}]`;
    if (t.department !== depIds[di]) return fail(`${base}.department`, `expected ${depIds[di]}, manifest has ${t.department}`);
    const rows = [...t.selected.map((r, k) => [r, `${base}.selected[${k}]`] as const), ...t.next.map((r, k) => [r, `${base}.next[${k}]`] as const)];
    const seen = new Set<string>();
    let prevFull = "";
    for (const [k, [r, path]] of rows.entries()) {
      const [rank, code, t16] = r;
      if (rank !== k + 1) return fail(`${path}[0]`, `rank ${rank}, expected ${k + 1} in ticket order`);
      if (!pool.has(code)) return fail(`${path}[1]`, `${code} is not in the pool`);
      if (seen.has(code)) return fail(`${path}[1]`, `${code} listed twice`);
      seen.add(code);
      const full = ticketOf(seed, code);
      if (full.slice(0, 16) !== t16) return fail(`${path}[2]`, `recomputed ticket ${full.slice(0, 16)} for ${code}, manifest has ${JSON.stringify(t16)}`);
      if (k > 0 && k !== t.selected.length && full < prevFull) return fail(`${path}`, `ticket order broken: ${code} has a smaller ticket than the entry before`);
      prevFull = full;
    }
    selected += t.selected.length;
  }
  checked.push("every listed entity's ticket recomputed from the seed and its code");
  checked.push("ranks contiguous and in ticket order for selections and candidates of each department");
  checked.push("internal consistency (pool sorted, listed entities in the pool, departments match)");
  return {
    ok: true,
    partial: true,
    checked,
    needsFullManifest: NEEDS_FULL_MANIFEST,
    summary: { batch: p.inputs.batch.id, commitment: p.commitment, seed, departments: depIds.length, selected },
  };
}
