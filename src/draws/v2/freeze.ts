/**
 * Commit step of version 2 (docs/draw-spec.md §3–4): freeze one attempt's inputs into their public
 * and private parts, before any seed exists. Population, scopes and exclusions are resolved by
 * version 1's rules (src/draws/freeze.ts, unchanged); this adds the class tree, the team inputs,
 * the attempt history, the freeze time and the audit head, and validates everything strictly.
 *
 *   await freezeDraw(DrawRequest2) → FrozenInputs2          (throws DrawInputError: path, rule, 中文)
 *   inputsDigests(frozen)          → { publicDigest, privateDigest, commitment }   (manifest.ts)
 */
import { codePointCompare } from "../canonicalJson.ts";
import { freezeInputs, poolIndex } from "../freeze.ts";
import { RISK_CLASSES, type CheckRecord, type DepartmentInput, type DrawConfig, type Entity, type SeedPlan } from "../types.ts";
import { classRoot } from "./classTree.ts";
import { validatePrivateInputs, validatePublicInputs } from "./validate.ts";
import type { AuditHead, Department2, Directory2, Expert2, FrozenInputs2, Officer2, PreviousAttempt, PublicInputs, Recusal2, RiskClass } from "./types.ts";

export interface DrawRequest2 {
  batch: PublicInputs["batch"];
  attempt: { number: number; previous: PreviousAttempt[] };
  frozenAt: string;
  audit: AuditHead;
  /** 32 random bytes (hex) that hide the classes; made by the service at freeze, kept private. */
  classKey: string;
  entities: Entity[];
  departments: (Omit<DepartmentInput, "qualification"> & { requires: string[] })[];
  config: DrawConfig;
  history: CheckRecord[];
  inspectors: { officers: Officer2[]; experts: Expert2[]; recusals: Recusal2[] } | null;
  seedPlan: SeedPlan;
}

const sortedUnique = (xs: readonly string[]) => [...new Set(xs)].sort(codePointCompare);
const byId = <T extends { id: string }>(a: T, b: T) => codePointCompare(a.id, b.id);

function directory(req: DrawRequest2, codes: readonly string[]): Directory2 | null {
  if (!req.inspectors) return null;
  const officers = req.inspectors.officers
    .map((o) => ({ ...o, qualifications: sortedUnique(o.qualifications), districts: sortedUnique(o.districts), unavailable: sortedUnique(o.unavailable) }))
    .sort(byId);
  const experts =
    req.config.team.experts > 0
      ? req.inspectors.experts.map((x) => ({ ...x, specialities: sortedUnique(x.specialities), districts: sortedUnique(x.districts) })).sort(byId)
      : [];
  const people = new Set([...officers.map((o) => o.id), ...experts.map((x) => x.id)]);
  const pairs = new Map<string, Recusal2>();
  for (const r of req.inspectors.recusals) {
    if (!people.has(r.inspectorId) || poolIndex(codes, r.code) < 0) continue; // irrelevant to this draw
    const k = `${r.inspectorId}\u0000${r.code}`;
    if (!pairs.has(k)) pairs.set(k, { inspectorId: r.inspectorId, code: r.code, reason: r.reason });
  }
  const recusals = [...pairs.values()].sort((a, b) => codePointCompare(a.inspectorId, b.inspectorId) || codePointCompare(a.code, b.code));
  return { officers, experts, recusals };
}

/** Freeze one draw attempt. Deterministic in the request (the class key is part of it). */
export async function freezeDraw(req: DrawRequest2): Promise<FrozenInputs2> {
  const v1 = freezeInputs({
    batch: { id: req.batch.id, name: req.batch.name, year: req.batch.year, level: req.batch.level },
    entities: req.entities,
    departments: req.departments.map(({ requires: _r, ...d }) => d),
    config: req.config,
    history: req.history,
    seedPlan: req.seedPlan,
  });
  const requires = new Map(req.departments.map((d) => [d.id, sortedUnique(d.requires)]));
  const departments: Department2[] = v1.departments.map((d) => ({
    id: d.id,
    name: d.name,
    role: d.role,
    items: d.items.map((it) => ({ id: it.id, name: it.name, kind: it.kind })),
    scope: d.scope,
    quotas: d.quotas,
    requires: requires.get(d.id) ?? [],
    excluded: d.excluded,
  }));
  const { codes, districts, strata } = v1.pool;
  const classCounts = { A: 0, B: 0, C: 0, D: 0 } as Record<RiskClass, number>;
  for (let i = 0; i < strata.length; i++) classCounts[strata[i] as RiskClass]++;
  const dir = directory(req, codes);
  const pub: PublicInputs = {
    spec: "ssj-draw/2",
    batch: { ...req.batch, horizon: [...req.batch.horizon] },
    attempt: req.attempt,
    frozenAt: req.frozenAt,
    audit: req.audit,
    pool: { codes, districts, classCounts, classRoot: await classRoot(req.classKey, codes, strata) },
    excluded: v1.excluded,
    departments,
    config: { generalRatioCap: Object.fromEntries(RISK_CLASSES.map((k) => [k, req.config.generalRatioCap[k]])) as Record<RiskClass, string>, substitutes: req.config.substitutes, team: { ...req.config.team } },
    inspectors: dir ? { officers: Object.fromEntries(departments.map((d) => [d.id, dir.officers.filter((o) => o.department === d.id).length])), experts: dir.experts.length } : null,
    seedPlan: v1.seedPlan,
  };
  const frozen: FrozenInputs2 = { public: pub, private: { classKey: req.classKey, strata, inspectors: dir } };
  validatePublicInputs(pub);
  validatePrivateInputs(pub, frozen.private);
  return frozen;
}
