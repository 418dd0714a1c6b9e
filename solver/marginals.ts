/**
 * Marginal assignment probabilities for the seats of one department component (step 5).
 *
 * A seat is one department's share of one visit: `k` officers drawn from `pool` (eligible and
 * available that day), at least one of them from `qualified`. x[j][r] is the probability that
 * pool member r sits on seat j. Feasible marginals satisfy, for every seat, Σ x = k and
 * Σ_qualified x ≥ 1, 0 ≤ x ≤ 1, and for every inspector Σ x over a day ≤ dailyCapacity and
 * Σ x over the horizon ≤ totalCapacity: exactly the fractional flows of the component's
 * network, so dependent rounding turns them into a feasible integral assignment.
 *
 * Closed form (capacities slack): per seat, every pool member gets k/|P|, except that when the
 * qualified members would then hold less than one seat in expectation they get 1/|Q| each and
 * the others share the rest equally. This is the unique most-uniform point and minimises the
 * largest assignment probability (Jecmen et al.'s objective), so P(i on seat) ≤ cap whenever any
 * feasible point allows it; equally eligible members get equal probability.
 *
 * When capacities bind: an LP (javascript-lp-solver) that keeps as much probability mass as
 * possible at or below the closed form, then at or below max(cap, closed form), and exceeds the
 * cap only where capacities leave no other way; if the component
 * is too large for it, or the LP fails, the closed form is blended with the integral max-flow
 * assignment: x = λ·closed + (1 − λ)·integral with the largest λ ∈ [0, 1] that keeps capacities.
 */
import lpModule from "javascript-lp-solver";
import type { Inspector } from "./model.ts";

/** The solver object (the package's ESM default export; its typings describe the CJS shape). */
type LpSolver = { Solve(model: unknown): unknown };
const lp: LpSolver = (lpModule as unknown as { default?: LpSolver }).default ?? (lpModule as unknown as LpSolver);

export interface Seat {
  group: number;
  dept: string;
  day: number;
  k: number;
  /** Inspector indices eligible and available for this seat, ascending. */
  pool: number[];
  /** The members of `pool` holding the department's union of required qualifications. */
  qualified: number[];
  /** Upper bound on a member's probability, wherever the pool allows. */
  cap: number;
}

export type MarginalMethod = "closed" | "lp" | "waterfill" | "blend";

export function closedFormSeat(poolSize: number, qualifiedSize: number, k: number): { qualified: number; other: number } {
  if (qualifiedSize >= poolSize) return { qualified: k / poolSize, other: k / poolSize };
  const a = Math.min(1, Math.max(k / poolSize, 1 / qualifiedSize));
  const b = (k - qualifiedSize * a) / (poolSize - qualifiedSize);
  return { qualified: a, other: b };
}

export function closedForm(seats: readonly Seat[]): number[][] {
  return seats.map((s) => {
    const { qualified, other } = closedFormSeat(s.pool.length, s.qualified.length, s.k);
    const q = new Set(s.qualified);
    return s.pool.map((i) => (q.has(i) ? qualified : other));
  });
}

interface Loads {
  day: Map<number, number>;
  total: Map<number, number>;
}
function loads(seats: readonly Seat[], x: number[][]): Loads {
  const day = new Map<number, number>();
  const total = new Map<number, number>();
  seats.forEach((s, j) =>
    s.pool.forEach((i, r) => {
      const v = x[j]![r]!;
      const dk = i * 100000 + s.day;
      day.set(dk, (day.get(dk) ?? 0) + v);
      total.set(i, (total.get(i) ?? 0) + v);
    }),
  );
  return { day, total };
}

export function withinCapacity(seats: readonly Seat[], x: number[][], inspector: (i: number) => Inspector, eps: number): boolean {
  const l = loads(seats, x);
  for (const [dk, v] of l.day) if (v > inspector(Math.floor(dk / 100000)).dailyCapacity + eps) return false;
  for (const [i, v] of l.total) if (v > inspector(i).totalCapacity + eps) return false;
  return true;
}

function seatsValid(seats: readonly Seat[], x: number[][], eps: number): boolean {
  return seats.every((s, j) => {
    const row = x[j]!;
    if (row.some((v) => !(v >= -eps && v <= 1 + eps))) return false;
    const sum = row.reduce((a, b) => a + b, 0);
    if (Math.abs(sum - s.k) > 1e-6) return false;
    if (s.qualified.length < s.pool.length) {
      const q = new Set(s.qualified);
      const qs = s.pool.reduce((a, i, r) => a + (q.has(i) ? row[r]! : 0), 0);
      if (qs < 1 - 1e-6) return false;
    }
    return true;
  });
}

/** The LP described above, with javascript-lp-solver; null when it fails or returns nonsense. */
export interface Capacities {
  day(i: number, day: number): number;
  total(i: number): number;
}

export function lpMarginals(seats: readonly Seat[], inspector: (i: number) => Inspector, eps: number, caps?: Capacities, tolerance = 1e-9): number[][] | null {
  const dayCap = caps ? caps.day : (i: number) => inspector(i).dailyCapacity;
  const totalCap = caps ? caps.total : (i: number) => inspector(i).totalCapacity;
  const uni = closedForm(seats);
  const variables: Record<string, Record<string, number>> = {};
  const constraints: Record<string, { min?: number; max?: number; equal?: number }> = {};
  seats.forEach((s, j) => {
    constraints[`s${j}`] = { equal: s.k };
    const q = new Set(s.qualified);
    if (s.qualified.length < s.pool.length) constraints[`q${j}`] = { min: 1 };
    s.pool.forEach((i, r) => {
      const u = uni[j]![r]!;
      const ub = Math.min(1, Math.max(s.cap, u));
      const base: Record<string, number> = { [`s${j}`]: 1, [`d${i}_${s.day}`]: 1, [`t${i}`]: 1 };
      if (q.has(i) && constraints[`q${j}`]) base[`q${j}`] = 1;
      // x = a + b + c: a up to the closed form (free), b up to the cap (cost 1), c beyond the
      // cap (cost 1000: only where capacities leave no other way).
      const tiers: [string, number, number][] = [
        ["a", u, 0],
        ["b", ub - u, 1],
        ["c", 1 - ub, 1000],
      ];
      for (const [name, room, cost] of tiers) {
        if (room <= 1e-12) continue;
        constraints[`u${name}${j}_${r}`] = { max: room };
        variables[`${name}${j}_${r}`] = { ...base, [`u${name}${j}_${r}`]: 1, ...(cost ? { cost } : {}) };
      }
      constraints[`d${i}_${s.day}`] = { max: Math.max(0, dayCap(i, s.day)) };
      constraints[`t${i}`] = { max: Math.max(0, totalCap(i)) };
    });
  });
  const result = lp.Solve({ optimize: "cost", opType: "min", constraints, variables }) as Record<string, unknown>;
  if (!result || result.feasible !== true) return null;
  const val = (name: string) => {
    const v = result[name];
    return typeof v === "number" ? v : 0;
  };
  const x = seats.map((s, j) => s.pool.map((_, r) => Math.min(1, Math.max(0, val(`a${j}_${r}`) + val(`b${j}_${r}`) + val(`c${j}_${r}`)))));
  if (!seatsValid(seats, x, eps)) return null;
  const l = loads(seats, x);
  for (const [dk, v] of l.day) if (v > dayCap(Math.floor(dk / 100000), dk % 100000) + tolerance) return null;
  for (const [i, v] of l.total) if (v > totalCap(i) + tolerance) return null;
  return x;
}

/** λ·u + (1 − λ)·f with the largest λ ∈ [0, 1] keeping capacities (f is feasible, integral). */
export function blend(seats: readonly Seat[], u: number[][], f: number[][], inspector: (i: number) => Inspector): { x: number[][]; lambda: number } {
  const lu = loads(seats, u);
  const lf = loads(seats, f);
  let lambda = 1;
  for (const [dk, v] of lu.day) {
    const c = inspector(Math.floor(dk / 100000)).dailyCapacity;
    const w = lf.day.get(dk) ?? 0;
    if (v > c) lambda = Math.min(lambda, (c - w) / (v - w));
  }
  for (const [i, v] of lu.total) {
    const c = inspector(i).totalCapacity;
    const w = lf.total.get(i) ?? 0;
    if (v > c) lambda = Math.min(lambda, (c - w) / (v - w));
  }
  lambda = Math.max(0, lambda);
  return { x: u.map((row, j) => row.map((v, r) => lambda * v + (1 - lambda) * f[j]![r]!)), lambda };
}

/**
 * Water-filling from the closed form: an overloaded inspector's probability on a seat is scaled
 * down to fit, and the mass removed goes to the other members of the seat in the same
 * qualification class (so seat sums and qualified sums stay), in proportion to their room.
 * Deterministic, at most `rounds` passes; null when capacities still break.
 */
export function waterFill(seats: readonly Seat[], u: number[][], inspector: (i: number) => Inspector, rounds = 60): number[][] | null {
  const x = u.map((row) => [...row]);
  const l = loads(seats, x);
  const bySeat = new Map<number, number[]>(); // inspector → seats
  seats.forEach((s, j) =>
    s.pool.forEach((i) => {
      let a = bySeat.get(i);
      if (!a) bySeat.set(i, (a = []));
      a.push(j);
    }),
  );
  const qsets = seats.map((s) => new Set(s.qualified));
  const room = (i: number, day: number) =>
    Math.min(inspector(i).dailyCapacity - (l.day.get(i * 100000 + day) ?? 0), inspector(i).totalCapacity - (l.total.get(i) ?? 0));
  const move = (j: number, r: number, amount: number) => {
    const s = seats[j]!;
    const i = s.pool[r]!;
    x[j]![r] = x[j]![r]! + amount;
    l.day.set(i * 100000 + s.day, (l.day.get(i * 100000 + s.day) ?? 0) + amount);
    l.total.set(i, (l.total.get(i) ?? 0) + amount);
  };
  for (let round = 0; round < rounds; round++) {
    const over = [...bySeat.keys()].filter((i) => room(i, -1) < -1e-9 || bySeat.get(i)!.some((j) => room(i, seats[j]!.day) < -1e-9)).sort((a, b) => a - b);
    if (over.length === 0) return x;
    for (const i of over) {
      // The excess (aiming a hair under the capacity, so that floating-point residue cannot
      // leave it above) is taken from the seats where i is not forced (x < 1), in proportion.
      const seatsOf = bySeat.get(i)!;
      const xi = (j: number) => x[j]![seats[j]!.pool.indexOf(i)]!;
      const excessTotal = (l.total.get(i) ?? 0) - (inspector(i).totalCapacity - 1e-7);
      let movable = 0;
      const movableDay = new Map<number, number>();
      for (const j of seatsOf) {
        const v = xi(j);
        if (v >= 1 - 1e-9) continue;
        movable += v;
        movableDay.set(seats[j]!.day, (movableDay.get(seats[j]!.day) ?? 0) + v);
      }
      for (const j of seatsOf) {
        const s = seats[j]!;
        const r = s.pool.indexOf(i);
        const v = x[j]![r]!;
        if (v >= 1 - 1e-9) continue;
        const excessDay = (l.day.get(i * 100000 + s.day) ?? 0) - (inspector(i).dailyCapacity - 1e-7);
        const shareTotal = excessTotal > 0 && movable > 0 ? Math.min(1, excessTotal / movable) : 0;
        const md = movableDay.get(s.day) ?? 0;
        const shareDay = excessDay > 0 && md > 0 ? Math.min(1, excessDay / md) : 0;
        let want = v * Math.max(shareTotal, shareDay);
        if (want <= 1e-12) continue;
        const q = qsets[j]!;
        const cls = q.has(i);
        // Same class first (keeps the qualified sum); then the other class, where a qualified
        // member may give away only what the seat's qualified sum has above one.
        for (const same of [true, false]) {
          if (want <= 1e-12) break;
          let limit = want;
          if (!same && cls && q.size < s.pool.length) {
            const qsum = s.pool.reduce((a, m, k) => a + (q.has(m) ? x[j]![k]! : 0), 0);
            limit = Math.min(limit, Math.max(0, qsum - 1));
          }
          const takers = s.pool
            .map((m, k) => ({ m, k }))
            .filter(({ m, k }) => m !== i && q.has(m) === (same ? cls : !cls) && x[j]![k]! < 1 - 1e-12)
            .map(({ m, k }) => ({ k, head: Math.max(0, Math.min(1 - x[j]![k]!, room(m, s.day))) }))
            .filter((t) => t.head > 1e-12);
          const head = takers.reduce((a, t) => a + t.head, 0);
          const amount = Math.min(limit, head);
          if (amount <= 1e-12) continue;
          for (const t of takers) move(j, t.k, (amount * t.head) / head);
          move(j, r, -amount);
          want -= amount;
        }
      }
    }
  }
  return withinCapacity(seats, x, inspector, 1e-9) ? x : null;
}

/**
 * λ·u + (1 − λ)·f on the seats `local`, u elsewhere, with the largest feasible λ; null when no λ
 * in [0, 1] keeps every capacity.
 */
export function localBlend(seats: readonly Seat[], u: number[][], f: number[][], local: number[], inspector: (i: number) => Inspector): { x: number[][]; lambda: number } | null {
  const inLocal = new Set(local);
  const rest = seats.map((_, j) => j).filter((j) => !inLocal.has(j));
  const fixed = loads(
    rest.map((j) => seats[j]!),
    rest.map((j) => u[j]!),
  );
  const ls = local.map((j) => seats[j]!);
  const lu = loads(ls, local.map((j) => u[j]!));
  const lf = loads(ls, local.map((j) => f[j]!));
  let lo = 0;
  let hi = 1;
  const bound = (cap: number, fx: number, a: number, b: number) => {
    // fx + λ·a + (1 − λ)·b ≤ cap  ⇔  λ·(a − b) ≤ cap − fx − b
    const d = a - b;
    const r = cap - fx - b;
    if (Math.abs(d) < 1e-15) {
      if (r < -1e-9) lo = 2; // infeasible
    } else if (d > 0) hi = Math.min(hi, r / d);
    else lo = Math.max(lo, r / d);
  };
  for (const [dk, a] of lu.day) bound(inspector(Math.floor(dk / 100000)).dailyCapacity, fixed.day.get(dk) ?? 0, a, lf.day.get(dk) ?? 0);
  for (const [i, a] of lu.total) bound(inspector(i).totalCapacity, fixed.total.get(i) ?? 0, a, lf.total.get(i) ?? 0);
  if (lo > hi + 1e-12 || hi < 0) return null;
  const lambda = Math.max(0, Math.min(1, hi));
  const x = u.map((row) => [...row]);
  for (const j of local) x[j] = u[j]!.map((v, r) => lambda * v + (1 - lambda) * f[j]![r]!);
  if (!withinCapacity(seats, x, inspector, 1e-9)) return null;
  return { x, lambda };
}

export function capacityFeasibleMarginals(
  seats: readonly Seat[],
  integral: number[][],
  inspector: (i: number) => Inspector,
  opts: { lpMaxVariables: number; epsilon: number; tolerance?: number },
): { x: number[][]; method: MarginalMethod; lambda?: number } {
  const u = closedForm(seats);
  if (withinCapacity(seats, u, inspector, 1e-9)) return { x: u, method: "closed" };
  const vars = seats.reduce((a, s) => a + s.pool.length, 0);
  if (vars <= opts.lpMaxVariables) {
    const x = lpMarginals(seats, inspector, opts.epsilon, undefined, opts.tolerance);
    if (x) return { x, method: "lp" };
  } else {
    // Local LP: only the seats touching an inspector whose capacity the closed form breaks;
    // the other seats keep the closed form and their load is subtracted from the capacities.
    const l = loads(seats, u);
    const over = new Set<number>();
    for (const [dk, v] of l.day) if (v > inspector(Math.floor(dk / 100000)).dailyCapacity + 1e-9) over.add(Math.floor(dk / 100000));
    for (const [i, v] of l.total) if (v > inspector(i).totalCapacity + 1e-9) over.add(i);
    const local = seats.map((s, j) => j).filter((j) => seats[j]!.pool.some((i) => over.has(i)));
    const localVars = local.reduce((a, j) => a + seats[j]!.pool.length, 0);
    if (localVars <= opts.lpMaxVariables) {
      const inLocal = new Set(local);
      const rest = seats.map((s, j) => j).filter((j) => !inLocal.has(j));
      const fixed = loads(
        rest.map((j) => seats[j]!),
        rest.map((j) => u[j]!),
      );
      const caps: Capacities = {
        day: (i, day) => inspector(i).dailyCapacity - (fixed.day.get(i * 100000 + day) ?? 0),
        total: (i) => inspector(i).totalCapacity - (fixed.total.get(i) ?? 0),
      };
      const xl = lpMarginals(
        local.map((j) => seats[j]!),
        inspector,
        opts.epsilon,
        caps,
      );
      if (xl) {
        const x = u.map((row) => [...row]);
        local.forEach((j, r) => (x[j] = xl[r]!));
        if (withinCapacity(seats, x, inspector, 1e-9)) return { x, method: "lp" };
      }
    }
    const wf = waterFill(seats, u, inspector);
    if (wf) return { x: wf, method: "waterfill" };
    // Local blend: λ·closed + (1 − λ)·integral on those seats only, the rest closed form.
    const lb = localBlend(seats, u, integral, local, inspector);
    if (lb) return { x: lb.x, method: "blend", lambda: lb.lambda };
  }
  const b = blend(seats, u, integral, inspector);
  return { x: b.x, method: "blend", lambda: b.lambda };
}
