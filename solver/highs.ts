/**
 * HiGHS (npm `highs`, WebAssembly, single-threaded) as the exact step's MIP solver.
 *
 *   const mip = await loadHighs();          // once per process (the WebAssembly module loads asynchronously)
 *   optimizeDetailed(instance, { mip });     // then the optimizer itself stays synchronous and pure
 *
 * Replayable: the model is passed as arrays in a fixed order (its columns in the LP reader's order,
 * `inReaderOrder`), HiGHS runs on one thread with its default random seed, and the only limit is
 * `mip_max_nodes` (never `time_limit`).
 */
import highsModule from "highs";
import type { SolverConfig } from "./config.ts";
import { inReaderOrder } from "./mip.ts";
import type { MipLimits, MipModel, MipResult, MipSolver } from "./mip.ts";
import type { Instance } from "./model.ts";
import { optimizeDetailed } from "./optimize.ts";
import type { OptimizeResult } from "./optimize.ts";

type Loader = typeof import("highs").default;
/** The loader (the package's ESM default export; its typings describe the CJS shape). */
const highsLoader: Loader = (highsModule as unknown as { default?: Loader }).default ?? (highsModule as unknown as Loader);
type Highs = Awaited<ReturnType<Loader>>;

let loaded: Promise<MipSolver> | undefined;

export function loadHighs(): Promise<MipSolver> {
  return (loaded ??= highsLoader().then(adapter));
}

function adapter(h: Highs): MipSolver {
  return {
    solve(built: MipModel, limits: MipLimits): MipResult {
      const { model: m, back } = inReaderOrder(built);
      const model = h.createModel({
        numCols: m.numCols,
        numRows: m.numRows,
        sense: h.constants.objectiveSense.minimize as never,
        offset: 0,
        colCost: m.colCost,
        colLower: new Float64Array(m.numCols),
        colUpper: m.colUpper,
        rowLower: m.rowLower.map((x) => (x === -Infinity ? -h.infinity : x)),
        rowUpper: m.rowUpper.map((x) => (x === Infinity ? h.infinity : x)),
        matrix: { format: "csr", numRows: m.numRows, numCols: m.numCols, starts: m.starts, indices: m.indices, values: m.values },
        integrality: new Int32Array(m.numCols).fill(1),
      } as never);
      try {
        model.options.set({ output_flag: false, mip_max_nodes: limits.maxNodes, mip_rel_gap: 0, mip_abs_gap: 0.999 } as never);
        if (m.start) model.setSolution({ colValue: m.start } as never);
        model.run();
        const status = String(model.getModelStatus());
        const code = Number(model.getModelStatus());
        const c = h.constants.modelStatus;
        const sol = model.getSolution();
        const info = (name: string) => {
          try {
            return Number(model.info.get(name));
          } catch {
            return NaN;
          }
        };
        const primal = info("primal_solution_status");
        const values = primal === 2 ? back(Float64Array.from(sol.colValue)) : null;
        const objective = values ? info("objective_function_value") : Infinity;
        const bound = info("mip_dual_bound");
        const nodes = info("mip_node_count");
        const kind: MipResult["status"] =
          code === c.optimal || status === "Optimal" ? "optimal" : code === c.infeasible ? "infeasible" : values ? "limit" : code === c.solutionLimit || code === c.iterationLimit ? "limit" : "error";
        return { status: kind, values, objective, bound: Number.isFinite(bound) ? bound : kind === "optimal" ? objective : -Infinity, nodes: Number.isFinite(nodes) ? nodes : 0 };
      } finally {
        model.dispose();
      }
    },
  };
}

/** `optimizeDetailed` with HiGHS as the exact step's MIP solver (loaded once per process). */
export async function optimizeExact(instance: Instance, config: Partial<SolverConfig> = {}): Promise<OptimizeResult> {
  return optimizeDetailed(instance, { ...config, mip: await loadHighs() });
}
