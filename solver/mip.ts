/**
 * A small mixed-integer program builder and the solver interface the exact step uses
 * (solver/exact.ts). The solver is passed in (`SolverConfig.mip`), so this module stays pure; the
 * HiGHS adapter lives in solver/highs.ts.
 *
 *   const m = new MipBuilder(); const x = m.binary(cost); m.row([[x, 1], [y, -1]], -Infinity, 0);
 *   solver.solve(m.model(), { maxNodes }) → { status, values, objective, bound, nodes }
 *
 * Limits are counts (branch-and-bound nodes), never a clock: the same model and limits give the
 * same answer on any machine.
 */

export interface MipModel {
  numCols: number;
  numRows: number;
  colCost: Float64Array;
  colUpper: Float64Array;
  rowLower: Float64Array;
  rowUpper: Float64Array;
  /** Row-wise sparse matrix: starts (numRows + 1), column indices, values. */
  starts: Int32Array;
  indices: Int32Array;
  values: Float64Array;
  /** A feasible starting solution (column values), optional. */
  start?: Float64Array;
}

export interface MipLimits {
  /** Branch-and-bound nodes before the search stops with the best solution found. */
  maxNodes: number;
}

export interface MipResult {
  /** "optimal": proven; "limit": the node limit stopped the search (values = best found, if any); "infeasible"; "error". */
  status: "optimal" | "limit" | "infeasible" | "error";
  values: Float64Array | null;
  objective: number;
  /** Proven lower bound on the objective (minimisation). */
  bound: number;
  nodes: number;
}

export interface MipSolver {
  solve(model: MipModel, limits: MipLimits): MipResult;
}

export class MipBuilder {
  private cost: number[] = [];
  private upper: number[] = [];
  private lo: number[] = [];
  private hi: number[] = [];
  private starts: number[] = [0];
  private idx: number[] = [];
  private val: number[] = [];

  /** A new binary column; its index. */
  binary(cost = 0): number {
    this.cost.push(cost);
    this.upper.push(1);
    return this.cost.length - 1;
  }

  /** A column fixed at 0 (kept so that a caller's indices stay valid). */
  fixZero(col: number): void {
    this.upper[col] = 0;
  }

  /** lower ≤ Σ coef·x ≤ upper; empty rows are dropped when trivially satisfied. */
  row(terms: readonly (readonly [number, number])[], lower: number, upper: number): void {
    if (terms.length === 0) {
      if (lower > 0 || upper < 0) throw new Error("internal: infeasible empty row");
      return;
    }
    for (const [c, v] of terms) {
      this.idx.push(c);
      this.val.push(v);
    }
    this.lo.push(lower);
    this.hi.push(upper);
    this.starts.push(this.idx.length);
  }

  get columns(): number {
    return this.cost.length;
  }

  model(): MipModel {
    return {
      numCols: this.cost.length,
      numRows: this.lo.length,
      colCost: Float64Array.from(this.cost),
      colUpper: Float64Array.from(this.upper),
      rowLower: Float64Array.from(this.lo),
      rowUpper: Float64Array.from(this.hi),
      starts: Int32Array.from(this.starts),
      indices: Int32Array.from(this.idx),
      values: Float64Array.from(this.val),
    };
  }
}

/**
 * The same model with its columns in the order HiGHS's LP-file reader would give them: the costed
 * columns first, then every other column where it first appears, row by row. HiGHS's presolve and
 * root search depend on the column order; the exact step's component MIPs that HiGHS closes at the
 * root solved 1.5–2.5× faster in this order than in build order, one that branched 12 % slower
 * (benchmarks/RESULTS.md, optimizer). Deterministic:
 * the order is a function of the model. `back` maps the permuted model's values to build order.
 */
export function inReaderOrder(m: MipModel): { model: MipModel; back(values: Float64Array): Float64Array } {
  const order: number[] = [];
  const seen = new Uint8Array(m.numCols);
  const take = (j: number) => {
    if (seen[j]) return;
    seen[j] = 1;
    order.push(j);
  };
  for (let j = 0; j < m.numCols; j++) if (m.colCost[j] !== 0) take(j);
  for (const j of m.indices) take(j);
  for (let j = 0; j < m.numCols; j++) take(j);
  const pos = new Int32Array(m.numCols);
  order.forEach((j, p) => (pos[j] = p));
  const byOrder = (a: Float64Array) => Float64Array.from(order, (j) => a[j]!);
  const model: MipModel = { ...m, colCost: byOrder(m.colCost), colUpper: byOrder(m.colUpper), indices: Int32Array.from(m.indices, (j) => pos[j]!) };
  if (m.start) model.start = byOrder(m.start);
  return { model, back: (values) => Float64Array.from(pos, (p) => values[p]!) };
}
