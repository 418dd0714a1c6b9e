/** Synthetic version-2 draw inputs for tests (no real entities or people). */
import fc from "fast-check";
import { arbRequest, makeRequest, seedFor } from "../fixtures.ts";
import type { DrawRequest } from "../../../src/draws/index.ts";
import {
  ChainReplay,
  freezeDraw,
  fullManifest,
  inputsDigests,
  publicManifest,
  seedFromProvenance2,
  type DrawRequest2,
  type FrozenInputs2,
  type FullManifest2,
  type Provenance2,
} from "../../../src/draws/v2/index.ts";

export const FROZEN_AT = "2026-11-26T01:00:00.000Z";
export const AUDIT = { seq: 7, hash: "ab".repeat(32) };
export const HORIZON = ["2026-12-01", "2026-12-02", "2026-12-03", "2026-12-04", "2026-12-07", "2026-12-08"];

/** A version-2 request from a version-1 one: same population, officers with capacities. */
export function request2(req: DrawRequest, opts: { capacity?: number | null; classKey?: string } = {}): DrawRequest2 {
  return {
    batch: { id: req.batch.id, name: req.batch.name, year: req.batch.year, level: req.batch.level, plan: { id: "1", name: "2026年度抽查计划" }, window: { from: "2026-12-01", to: "2026-12-08" }, horizon: HORIZON },
    attempt: { number: 1, previous: [] },
    frozenAt: FROZEN_AT,
    audit: AUDIT,
    classKey: opts.classKey ?? "c1".repeat(32),
    entities: req.entities,
    departments: req.departments.map(({ qualification, ...d }) => ({ ...d, requires: qualification ? [qualification] : [] })),
    config: req.config,
    history: req.history,
    inspectors: req.inspectors
      ? {
          officers: req.inspectors.officers.map((o, i) => ({ ...o, capacity: opts.capacity === undefined ? 3 + (i % 4) : opts.capacity, dailyCapacity: 2, unavailable: i % 5 === 0 ? [HORIZON[1]!] : [] })),
          experts: req.inspectors.experts.map((x) => ({ ...x, capacity: null })),
          recusals: req.inspectors.recusals,
        }
      : null,
    seedPlan: req.seedPlan,
  };
}

export const PROVENANCE = (ref: string, value = "public-value-1"): Provenance2 => ({ mode: "external", source: "drand", reference: ref, value, publishedAt: "2026-11-26T02:00:00.000Z" });

export interface Drawn {
  inputs: FrozenInputs2;
  commitment: string;
  seed: string;
  provenance: Provenance2;
  replay: ChainReplay;
}

/** Freeze, seed (external value) and draw. */
export async function drawn(req: DrawRequest2, value = "public-value-1"): Promise<Drawn> {
  const inputs = await freezeDraw(req);
  const { commitment } = inputsDigests(inputs);
  const plan = inputs.public.seedPlan as { source: string; reference: string };
  const provenance: Provenance2 = { mode: "external", source: plan.source, reference: plan.reference, value, publishedAt: "2026-11-26T02:00:00.000Z" };
  const seed = seedFromProvenance2(inputs.public, commitment, provenance);
  const replay = new ChainReplay(inputs, seed, provenance, commitment);
  return { inputs, commitment, seed, provenance, replay };
}

/** A full manifest with a draw record and, optionally, a few substitutions and a schedule. */
export async function manifestOf(req: DrawRequest2, opts: { substitutions?: boolean } = {}): Promise<FullManifest2> {
  const d = await drawn(req);
  const records = [d.replay.makeDraw("2026-11-26T03:00:00.000Z", AUDIT)];
  if (opts.substitutions) {
    const dep = d.inputs.public.departments[0]!.id;
    const sel = d.replay.currentSelections(dep);
    if (sel.length > 0) records.push(d.replay.makeTargetSubstitution({ department: dep, out: sel[0]!, reason: "现场核实已停业" }, "2026-11-27T03:00:00.000Z", AUDIT));
    const check = d.replay.currentChecks().find((c) => c.departments.some((x) => x.officers.length > 0));
    if (check) {
      const t = check.departments.find((x) => x.officers.length > 0)!;
      records.push(d.replay.makeInspectorSubstitution({ code: check.code, department: t.department, out: t.officers[0]!, reason: "病假" }, "2026-11-27T04:00:00.000Z", AUDIT));
    }
  }
  return fullManifest({ inputs: d.inputs, commitment: d.commitment, seed: { value: d.seed, provenance: d.provenance }, records, head: d.replay.head });
}

export const smallRequest2 = (o: Parameters<typeof makeRequest>[0] = {}) => request2(makeRequest({ n: 200, departments: 3, ...o }));
export const arbRequest2: fc.Arbitrary<DrawRequest2> = fc.tuple(arbRequest, fc.constantFrom<number | null>(null, 1, 2, 5)).map(([r, cap]) => request2(r, { capacity: cap }));
export { publicManifest, seedFor };
