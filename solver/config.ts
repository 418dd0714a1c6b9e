/**
 * Solver configuration, kept apart from the model and the constraints.
 *
 * Every limit here is deterministic (a count, never a clock): the same instance and the same
 * configuration always give the same schedule, on any machine and under any load.
 */
import type { MipSolver } from "./mip.ts";
import type { Rules } from "./model.ts";

/** The rules an instance gets when it leaves a field out (行政处罚法 art. 42: at least two officers). */
export const DEFAULT_RULES: Readonly<Rules> = Object.freeze({
  minTeam: 2,
  minPerDepartment: 1,
  minSoloDepartment: 2,
  assignmentCap: 0.5,
  rotationRounds: 1,
});

export interface SolverConfig {
  /** Rounds of the capacity repair (move a visit to another day, split it, finally unschedule). */
  maxRepairRounds: number;
  /**
   * A team component whose closed-form marginals break a capacity is re-solved as an LP with
   * javascript-lp-solver when it has at most this many assignment variables; larger ones blend
   * the closed form with an integral max-flow solution (see docs/optimizer.md).
   */
  lpMaxVariables: number;
  /** Values this close to an integer are that integer in the rounding. */
  epsilon: number;
  /**
   * The exact step's MIP solver (solver/highs.ts: `await loadHighs()`). Without one, components
   * the bounds do not prove are reported with their gap (`OptimizeResult.proofs`).
   */
  mip?: MipSolver;
  /** Bisection steps of the LP bound on the largest relative load (solver/balance.ts); 0 turns balancing off. */
  loadBoundSteps: number;
  /** Balanced marginals keep every expected load ≤ (1 + loadSlack) · bound · totalCapacity. */
  loadSlack: number;
  /** Balancing applies only where some expected load exceeds this share of totalCapacity (below it: equal chances win). */
  balanceFrom: number;
  /** Largest component (estimated binaries) solved by the MIP; larger ones keep the decomposition and report the gap. */
  mipMaxVariables: number;
  /** Branch-and-bound nodes per component MIP (a count: the same on every machine). */
  mipMaxNodes: number;
}

export const DEFAULT_CONFIG: Readonly<SolverConfig> = Object.freeze({
  maxRepairRounds: 25,
  lpMaxVariables: 1500,
  epsilon: 1e-7,
  loadBoundSteps: 12,
  loadSlack: 0.05,
  balanceFrom: 0.5,
  mipMaxVariables: 60_000,
  mipMaxNodes: 2_000,
});
