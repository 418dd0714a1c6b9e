/**
 * The one place the store runs the optimizer: the batch schedule (draws.ts) and the 审管联动 loop's
 * schedule (loopSteps.ts) both solve with the exact step and record the run the same way.
 */
import { createHash } from "node:crypto";
import { canonicalJson } from "../../draws/canonicalJson.ts";
import { optimizeExact } from "../../../solver/highs.ts";
import type { Instance, Schedule } from "../../../solver/index.ts";
import { RepoError, type Tx } from "./db.ts";

/**
 * ssj-solver/3: the decomposition with the exact step (HiGHS per coupled component, node-limited),
 * the component MIP's columns in the LP reader's order (solver/mip.ts `inReaderOrder`; /2 passed
 * them in build order, which can give another optimum among equals or another node-limited result).
 */
export const SOLVER_VERSION = "ssj-solver/3";

/**
 * Solve `instance` with `optimizeExact` and record the run (instance digest, seed, solver version,
 * schedule). A solver failure is a 422 OPTIMIZATION_FAILED, never a 5xx.
 */
export async function solveAndRecord(tx: Tx, instance: Instance): Promise<{ schedule: Schedule; runId: number; instanceDigest: string }> {
  let schedule: Schedule;
  try {
    schedule = (await optimizeExact(instance)).schedule;
  } catch (e) {
    throw new RepoError(422, "OPTIMIZATION_FAILED", `无法生成有效排期：${(e as Error).message}`);
  }
  const instanceDigest = createHash("sha256").update(canonicalJson(instance)).digest("hex");
  const run = await tx.optimizationRun.create({ data: { instanceDigest, seed: instance.seed, solverVersion: SOLVER_VERSION, schedule: canonicalJson(schedule) } });
  return { schedule, runId: run.id, instanceDigest };
}
