/**
 * The panel-draw vector of docs/draw-spec.md §15.7 is parsed from the document, so the spec and the
 * code cannot drift; the engine (src/panels) and the independent Python implementation written
 * from §15 (test/draws/reference_panel.py) must both reproduce it, and agree with each other on
 * random panels (fast-check). The Python part skips when python3 is missing.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { digestOf } from "../../src/draws/v2/digest.ts";
import { seedFromProvenance2 } from "../../src/draws/v2/seed.ts";
import {
  freezePanel,
  fullPanelManifest,
  panelDigests,
  panelKey,
  PanelReplay,
  personTicket,
  publicPanelManifest,
  seatOrder,
  verifyPanelFull,
  verifyPanelPublic,
  type PanelInputs,
  type PanelRecord,
  type Provenance2,
} from "../../src/panels/index.ts";
import { panelRequest, externalProvenance } from "./fixtures.ts";

interface Vector {
  name: string;
  inputs: PanelInputs;
  provenance: Provenance2;
  drawAt: string;
  audit: { seq: number; hash: string };
  steps: { seat: string; out: string; reason: string; at: string }[];
  expected: Record<string, unknown> & { records: { record: PanelRecord; digest: string }[]; head: string; commitment: string; seed: string };
}

const root = fileURLToPath(new URL("../../", import.meta.url));
const spec = readFileSync(join(root, "docs/draw-spec.md"), "utf8");
const vectors: Vector[] = [...spec.matchAll(/```json test-vector-panel\n([\s\S]*?)\n```/g)].map((m) => JSON.parse(m[1]!));
const python = spawnSync("python3", ["--version"]).status === 0;

function runPython(cases: unknown[]): Record<string, unknown>[] {
  const dir = mkdtempSync(join(tmpdir(), "ssj-refp-"));
  const file = join(dir, "cases.json");
  writeFileSync(file, JSON.stringify(cases));
  const r = spawnSync("python3", [join(root, "test/draws/reference_panel.py"), file], { encoding: "utf8", maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`reference_panel.py failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

function engine(v: Pick<Vector, "inputs" | "provenance" | "drawAt" | "audit" | "steps">) {
  const d = panelDigests(v.inputs);
  const seed = seedFromProvenance2(v.inputs.public, d.commitment, v.provenance);
  const key = panelKey(seed);
  const r = new PanelReplay(v.inputs, seed, v.provenance, d.commitment);
  const recs = [r.makeDraw(v.drawAt, v.audit)];
  const digestsOf = [r.head];
  for (const s of v.steps) {
    recs.push(r.makeSubstitution(s, s.at, v.audit));
    digestsOf.push(r.head);
  }
  const people = [...v.inputs.private.experts.map((x) => x.id), ...v.inputs.private.officers.map((o) => o.id)];
  const full = fullPanelManifest({ inputs: v.inputs, commitment: d.commitment, seed: { value: seed, provenance: v.provenance }, records: recs, head: r.head });
  return {
    ...d,
    seed,
    panelKey: key.toString("hex"),
    tickets: people.map((id) => [id, personTicket(key, id)]),
    orders: v.inputs.public.seats.map((s) => [s.id, seatOrder(v.inputs, s, key)]),
    results: r.results,
    publicResults: (recs[0]!.public as { results: unknown }).results,
    records: recs.map((record, i) => ({ record, digest: digestsOf[i]! })),
    head: r.head,
    publicManifestDigest: digestOf(publicPanelManifest(full)),
    full,
  };
}

describe("docs/draw-spec.md §15.7 panel vectors", () => {
  it("the spec holds at least one panel vector", () => expect(vectors.length).toBeGreaterThan(0));
  for (const v of vectors) {
    it(`${v.name}: the engine reproduces it, and both manifests verify`, () => {
      const { full, ...got } = engine(v);
      expect(JSON.parse(JSON.stringify(got))).toEqual(v.expected);
      expect(verifyPanelFull(full, { expectedCommitment: v.expected.commitment, expectedHead: v.expected.head })).toMatchObject({ ok: true });
      expect(verifyPanelPublic(publicPanelManifest(full), { expectedCommitment: v.expected.commitment })).toMatchObject({ ok: true });
    });
    it.skipIf(!python)(`${v.name}: the Python implementation reproduces it`, () => {
      const [py] = runPython([{ inputs: v.inputs, provenance: v.provenance, drawAt: v.drawAt, audit: v.audit, steps: v.steps }]);
      const { publicManifestDigest: _omit, ...expected } = v.expected;
      expect(py).toEqual(expected);
    });
  }

  it.skipIf(!python)("property: engine and Python agree on random panels and substitutions", () => {
    const base = panelRequest();
    const arb = fc.record({
      counts: fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
      reserves: fc.integer({ min: 0, max: 3 }),
      value: fc.string({ minLength: 1, maxLength: 12 }),
      recused: fc.subarray(base.experts.map((x) => x.id)),
      subs: fc.array(fc.tuple(fc.constantFrom("E1", "E2", "O1"), fc.nat()), { maxLength: 4 }),
    });
    const cases = fc.sample(arb, { numRuns: 25, seed: 12 }).map((c) => {
      const seats = base.seats.map((s, i) => ({ ...s, count: c.counts[i]! }));
      const inputs = freezePanel({ ...base, seats, reserves: c.reserves, recusals: c.recused.map((person) => ({ person, reason: "回避" })) });
      const provenance = externalProvenance(inputs, c.value);
      const d = panelDigests(inputs);
      const r = new PanelReplay(inputs, seedFromProvenance2(inputs.public, d.commitment, provenance), provenance, d.commitment);
      const records = [r.makeDraw("2026-12-01T04:00:00.000Z", { seq: 1, hash: "a".repeat(64) })];
      c.subs.forEach(([seat, k], i) => {
        const persons = r.currentSeats().find((s) => s.seat === seat)!.persons;
        if (persons.length === 0) return;
        records.push(r.makeSubstitution({ seat, out: persons[k % persons.length]!, reason: `理由${i}` }, `2026-12-01T05:0${i}:00.000Z`, { seq: 2 + i, hash: "b".repeat(64) }));
      });
      return fullPanelManifest({ inputs, commitment: d.commitment, seed: { value: r.seed, provenance }, records, head: r.head });
    });
    const out = runPython(cases.map((manifest) => ({ manifest })));
    out.forEach((o, i) => expect(o.matches, `case ${i}`).toBe(true));
    cases.forEach((m) => expect(verifyPanelFull(m).ok).toBe(true));
  });
});
