/**
 * Eligible inspector pools, built from the named eligibility rules of solver/constraints.ts
 * (the checker's own predicates), so the optimizer and the checker cannot disagree on who may go:
 *
 *   base(dept, district)  = inspectors with eligibility.department ∧ .district ∧ .capacity
 *   forEntity(e, dept)    = base ∧ eligibility.recusal(e) ∧ eligibility.pinned (a drawn team)
 *   available(i, t)       = eligibility.availability(i, day t)
 *   qualifies(i, req)     = eligibility.qualified(i, req)
 *   recent(e)             = inspector → rounds ago, from instance.previous (rotation)
 *
 * Pools are inspector positions in ascending order. Pure.
 */
import { eligibility } from "./constraints.ts";
import type { CheckContext } from "./constraints.ts";
import type { Entity, Inspector, Instance, Task } from "./model.ts";

export interface Pools {
  /** `dept|district` key of a department's pool for an entity. */
  key(dept: string, e: number): string;
  /** Inspectors of `dept` with capacity covering `district` (ascending), or []. */
  base(dept: string, district: string): readonly number[];
  /** All base pool keys, in insertion order. */
  keys(): IterableIterator<string>;
  /** The eligible pool of `dept` for entity e: base minus recused, or exactly the pinned team. */
  forEntity(e: number, dept: string): readonly number[];
  /** Is (e, dept) pinned to a drawn team? Its size when it is. */
  pinnedSize(e: number, dept: string): number | undefined;
  available(i: number, t: number): boolean;
  qualifies(i: number, req: readonly string[]): boolean;
  /** Could a seat of `k` officers of `pool`, one holding `req`, be staffed on day t (ignoring load)? */
  staffable(pool: readonly number[], t: number, k: number, req: readonly string[]): boolean;
  /** Has entity e a recusal (pools of e then differ from the base pool)? */
  hasRecusal(e: number): boolean;
  /** Supply of a pool key per day: Σ dailyCapacity of its available members. */
  supply(key: string): Float64Array | undefined;
  /** Rotation: inspector → how many rounds ago it visited e (1 = the last round), within rotationRounds. */
  recent(e: number): ReadonlyMap<number, number> | undefined;
}

export function buildPools(ctx: CheckContext, inspectorIndex: ReadonlyMap<string, number>, entityIndex: ReadonlyMap<string, number>): Pools {
  const instance: Instance = ctx.instance;
  const inspectors: readonly Inspector[] = instance.inspectors;
  const entities: readonly Entity[] = instance.entities;
  const days = instance.horizon.days;
  const D = days.length;
  const unavailable = inspectors.map((x) => {
    const a = new Uint8Array(D);
    if (x.unavailable.length > 0) for (let t = 0; t < D; t++) if (!eligibility.availability(ctx, x, days[t]!)) a[t] = 1;
    return a;
  });
  // Base pools per department and district; the district rule is asked for one representative
  // entity per district (it only reads the district).
  const base = new Map<string, number[]>();
  const districts = [...new Set(entities.map((e) => e.district))];
  const rep = new Map(districts.map((d) => [d, { id: "", district: d } as Entity]));
  inspectors.forEach((x, i) => {
    if (!eligibility.capacity(x)) return;
    for (const dist of new Set(x.districts)) {
      const r = rep.get(dist);
      if (!r || !eligibility.district(x, r) || !eligibility.department(x, new Set([x.department]))) continue;
      const k = `${x.department}|${dist}`;
      let l = base.get(k);
      if (!l) base.set(k, (l = []));
      l.push(i);
    }
  });
  const recused = new Set<number>();
  for (const r of instance.recusals) recused.add(entityIndex.get(r.entity)!);
  const pinnedTask = new Map<string, Task>();
  for (const t of instance.tasks) if (t.team) pinnedTask.set(`${entityIndex.get(t.entity)!}|${t.department}`, t);
  const cache = new Map<string, number[]>();
  const supplies = new Map<string, Float64Array>();
  for (const [k, pool] of base) {
    const s = new Float64Array(D);
    for (const i of pool) for (let t = 0; t < D; t++) if (!unavailable[i]![t]) s[t]! += inspectors[i]!.dailyCapacity;
    supplies.set(k, s);
  }
  const recentBy = rotationIndex(instance, ctx.rules.rotationRounds, inspectorIndex, entityIndex);
  const key = (dept: string, e: number) => `${dept}|${entities[e]!.district}`;
  const qualifies = (i: number, req: readonly string[]) => req.length === 0 || eligibility.qualified(inspectors[i]!, req);
  return {
    key,
    base: (dept, district) => base.get(`${dept}|${district}`) ?? [],
    keys: () => base.keys(),
    forEntity(e, dept) {
      const entity = entities[e]!;
      const b = base.get(key(dept, e)) ?? [];
      const pin = pinnedTask.get(`${e}|${dept}`);
      if (!pin && !recused.has(e)) return b;
      const ck = `${e}|${dept}`;
      let p = cache.get(ck);
      if (!p) cache.set(ck, (p = b.filter((i) => eligibility.recusal(ctx, inspectors[i]!, entity) && (!pin || eligibility.pinned(pin, inspectors[i]!)))));
      return p;
    },
    pinnedSize: (e, dept) => {
      const t = pinnedTask.get(`${e}|${dept}`);
      return t ? new Set(t.team).size : undefined;
    },
    available: (i, t) => !unavailable[i]![t],
    qualifies,
    staffable(pool, t, k, req) {
      let n = 0;
      let q = req.length === 0;
      for (const i of pool) {
        if (unavailable[i]![t]) continue;
        n++;
        if (!q && qualifies(i, req)) q = true;
        if (n >= k && q) return true;
      }
      return false;
    },
    hasRecusal: (e) => recused.has(e),
    supply: (k) => supplies.get(k),
    recent: (e) => recentBy.get(e),
  };
}

/** entity → inspector → rounds ago (1 = the last previous round), for the last `rotationRounds` rounds. */
function rotationIndex(instance: Instance, r: number, inspectorIndex: ReadonlyMap<string, number>, entityIndex: ReadonlyMap<string, number>): Map<number, Map<number, number>> {
  const out = new Map<number, Map<number, number>>();
  const rounds = instance.previous ?? [];
  for (let ago = 1; ago <= Math.min(r, rounds.length); ago++)
    for (const v of rounds[rounds.length - ago]!.visits) {
      const e = entityIndex.get(v.entity);
      if (e === undefined) continue;
      let m = out.get(e);
      if (!m) out.set(e, (m = new Map()));
      for (const id of v.team) {
        const i = inspectorIndex.get(id);
        if (i !== undefined && !m.has(i)) m.set(i, ago);
      }
    }
  return out;
}
