/**
 * The test vectors of docs/draw-spec-v1.md §11 are parsed from the document itself, so the spec and
 * the code cannot drift; and an independent Python implementation written from the spec
 * (test/draws/reference_draw.py, standard library only) must agree with them and with manifests
 * of random batches. The Python part skips when python3 is missing.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  buildManifest,
  canonicalJson,
  cjsonDigest,
  commitment,
  derivedKey,
  freezeInputs,
  runDraw,
  secretCommitment,
  seedFromProvenance,
  seedFromReveals,
  ticketOf,
  verifyManifest,
  type FrozenInputs,
  type SeedProvenance,
} from "../../src/draws/index.ts";
import { arbRequest } from "./fixtures.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));
const spec = readFileSync(join(root, "docs/draw-spec-v1.md"), "utf8");
const vectors = [...spec.matchAll(/```json test-vector\n([\s\S]*?)\n```/g)].map((m) => JSON.parse(m[1]!));
const full = vectors.filter((v) => v.inputs);
const seedOnly = vectors.filter((v) => v.reveals);

const python = spawnSync("python3", ["--version"]).status === 0;
const reference = join(root, "test/draws/reference_draw.py");

function runPython(cases: { inputs: FrozenInputs; provenance: SeedProvenance }[]) {
  const dir = mkdtempSync(join(tmpdir(), "ssj-ref-"));
  const file = join(dir, "cases.json");
  writeFileSync(file, JSON.stringify(cases));
  const r = spawnSync("python3", [reference, file], { encoding: "utf8", maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`reference_draw.py failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as { commitment: string; seed: string; ticketKey: string; tickets: [string, string][]; results: unknown; resultDigest: string }[];
}

describe("spec test vectors (parsed from docs/draw-spec-v1.md)", () => {
  it("the document has the vectors", () => {
    expect(full.length).toBeGreaterThanOrEqual(1);
    expect(seedOnly.length).toBeGreaterThanOrEqual(1);
  });

  it.each(full.map((v) => [v.name, v]))("%s: the engine reproduces every expected value", async (_n, v) => {
    const c = commitment(v.inputs);
    expect(c).toBe(v.expected.commitment);
    const seed = seedFromProvenance(v.inputs, c, v.provenance);
    expect(seed).toBe(v.expected.seed);
    expect(Buffer.from(derivedKey(seed, "ticket")).toString("hex")).toBe(v.expected.ticketKey);
    for (const [code, t] of v.expected.tickets) expect(ticketOf(seed, code)).toBe(t);
    const results = runDraw(v.inputs, seed);
    expect(results).toEqual(v.expected.results);
    expect(canonicalJson(results)).toBe(canonicalJson(v.expected.results));
    expect(cjsonDigest(results)).toBe(v.expected.resultDigest);
    const m = buildManifest({ inputs: v.inputs, provenance: v.provenance });
    expect(await verifyManifest(m, { expectedCommitment: v.expected.commitment })).toMatchObject({ ok: true });
  });

  it.each(seedOnly.map((v) => [v.name, v]))("%s: commit-reveal seed", (_n, v) => {
    for (const r of v.reveals) expect(secretCommitment(r.secret)).toBe(r.commitment);
    expect(seedFromReveals(v.commitment, v.departments, v.reveals)).toBe(v.expected.seed);
  });
});

describe.skipIf(!python)("independent Python implementation (reference_draw.py)", () => {
  it("agrees with every vector of the spec", () => {
    const out = runPython(full.map((v) => ({ inputs: v.inputs, provenance: v.provenance })));
    full.forEach((v, i) => {
      const o = out[i]!;
      expect(o.commitment).toBe(v.expected.commitment);
      expect(o.seed).toBe(v.expected.seed);
      expect(o.ticketKey).toBe(v.expected.ticketKey);
      expect(o.tickets).toEqual(v.expected.tickets);
      expect(o.results).toEqual(v.expected.results);
      expect(o.resultDigest).toBe(v.expected.resultDigest);
    });
  });

  it("agrees with the engine on 40 random batches (external and commit-reveal seeds)", () => {
    const reqs = fc.sample(arbRequest, { seed: 20261124, numRuns: 40 });
    const manifests = reqs.map((req, i) => {
      if (i % 2 === 0) return buildManifest({ inputs: freezeInputs(req), provenance: { mode: "external", source: "drand", reference: "round 42", value: `v${i}`, publishedAt: "2026-11-25T00:00:00Z" } });
      const deps = req.departments.map((d) => d.id);
      const inputs = freezeInputs({ ...req, seedPlan: { mode: "commitReveal", departments: deps } });
      const reveals = deps.map((d, k) => {
        const secret = ((i * 31 + k * 7) % 256).toString(16).padStart(2, "0").repeat(32);
        return { department: d, commitment: secretCommitment(secret), secret };
      });
      return buildManifest({ inputs, provenance: { mode: "commitReveal", reveals } });
    });
    const out = runPython(manifests.map((m) => ({ inputs: m.inputs, provenance: m.seed.provenance })));
    manifests.forEach((m, i) => {
      expect(out[i]!.commitment).toBe(m.commitment);
      expect(out[i]!.seed).toBe(m.seed.value);
      expect(out[i]!.results).toEqual(m.results);
      expect(out[i]!.resultDigest).toBe(m.resultDigest);
    });
  });
});
