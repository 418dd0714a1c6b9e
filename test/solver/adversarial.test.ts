/**
 * The exact step against one monolithic HiGHS MIP on capacity-tight instances of the adversarial
 * family (benchmarks/instances/adversarial.ts); the benchmark runs 200 of them, this test a few
 * small ones. Also: pinned teams stay, drawn checks go out whole, and a limit reports its gap.
 */
import { describe, expect, it } from "vitest";
import { adversarialInstance } from "../../benchmarks/instances/adversarial.ts";
import { referenceOptimum } from "../../benchmarks/instances/highsReference.ts";
import { checkSchedule } from "../../solver/constraints.ts";
import { optimizeExact } from "../../solver/highs.ts";
import { optimizeDetailed } from "../../solver/optimize.ts";

const LONG = 600_000;

describe("exact step on adversarial instances", () => {
  for (const seed of ["test-0", "test-1", "test-2"])
    it(
      `${seed}: no more unscheduled tasks than the monolithic optimum, visits within 2 %, proof consistent`,
      async () => {
        const inst = adversarialInstance(seed, { tasks: 100 });
        const r = await optimizeExact(inst);
        expect(checkSchedule(inst, r.schedule).feasible).toBe(true);
        const ref = await referenceOptimum(inst, 50_000);
        expect(ref.status).toBe("Optimal");
        expect(r.schedule.unscheduled.length).toBeLessThanOrEqual(ref.unscheduled);
        if (r.schedule.unscheduled.length === ref.unscheduled) expect(r.schedule.visits.length).toBeLessThanOrEqual(Math.floor(ref.visits * 1.02));
        if (r.optimality.status === "optimal") {
          expect(r.schedule.unscheduled.length).toBe(ref.unscheduled);
          expect(r.schedule.visits.length).toBe(ref.visits);
        }
        // Bounds never exceed what was reached.
        for (const p of r.proofs) {
          expect(p.bound.unscheduled).toBeLessThanOrEqual(p.unscheduled);
          if (p.bound.unscheduled === p.unscheduled) expect(p.bound.visits).toBeLessThanOrEqual(p.visits);
        }
      },
      LONG,
    );

  it(
    "keeps the drawn teams and sends each drawn check out whole",
    async () => {
      const inst = adversarialInstance("test-pinned", { tasks: 100, pinned: true });
      const r = await optimizeExact(inst);
      const check = checkSchedule(inst, r.schedule);
      expect(check.violations).toEqual([]);
      const visitOf = new Map<string, number>();
      r.schedule.visits.forEach((v, n) => v.tasks.forEach((t) => visitOf.set(t, n)));
      const days = inst.horizon.days;
      const byEntity = new Map<string, typeof inst.tasks>();
      for (const t of inst.tasks) if (t.team) byEntity.set(t.entity, [...(byEntity.get(t.entity) ?? []), t]);
      let checked = 0;
      for (const ts of byEntity.values()) {
        const from = ts.reduce((a, t) => (t.window.from > a ? t.window.from : a), "");
        const to = ts.reduce((a, t) => (t.window.to < a ? t.window.to : a), "9999");
        if (ts.length < 2 || !days.some((d) => d >= from && d <= to)) continue;
        const where = new Set(ts.map((t) => visitOf.get(t.id) ?? -1));
        expect(where.size).toBe(1);
        checked++;
      }
      expect(checked).toBeGreaterThan(0);
    },
    LONG,
  );

  it("reports the gap where a limit stops the search (no clock: a count)", () => {
    const inst = adversarialInstance("test-0", { tasks: 100 });
    const r = optimizeDetailed(inst, { mipMaxVariables: 0 });
    const open = r.proofs.filter((p) => p.status === "gap");
    expect(open.length).toBeGreaterThan(0);
    expect(r.optimality.status).toBe("gap");
    expect(r.optimality.unscheduledGap).toBe(open.reduce((a, p) => a + p.unscheduled - p.bound.unscheduled, 0));
    for (const p of r.proofs) expect(p.status === "optimal" ? p.method === "bound" : p.limit !== undefined).toBe(true);
  });
});
