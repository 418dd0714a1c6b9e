/**
 * The one typed object the optimizer's pipeline passes along (solver/optimize.ts):
 *
 *   Plan = { problem: Problem (read-only: the instance indexed, pools from the eligibility rules),
 *            unscheduled, tasks, groups, flows, proofs, teams, stats (filled step by step) }
 *
 *   tasks.ts → groups.ts → days.ts → feasibility.ts → exact.ts → teams.ts → assembly.ts
 *
 * Indices: inspectors, entities and tasks are referred to by their position in the instance;
 * days by their position in the horizon. Pure: no I/O, no clock.
 */
import type { SolverConfig } from "./config.ts";
import type { CheckContext } from "./constraints.ts";
import type { FlowNetwork } from "./flow.ts";
import type { Seat } from "./marginals.ts";
import type { Entity, Inspector, Instance, Rules } from "./model.ts";
import type { Pools } from "./pools.ts";

export interface OptimizeStats {
  groups: number;
  repairRounds: number;
  movedVisits: number;
  splitVisits: number;
  components: number;
  /** Components whose closed-form marginals broke a capacity and were re-solved by LP. */
  lpComponents: number;
  /** Components too large for the LP whose marginals were repaired by water-filling. */
  waterfilledComponents: number;
  /** Components that fell back to blending the closed form with the max-flow assignment. */
  blendedComponents: number;
  /** The smallest blend weight λ of the closed form (1 = no blend needed anywhere). */
  minBlendLambda: number;
  /** Components whose marginals were re-solved to bring the largest relative load near the LP bound. */
  balancedComponents: number;
  /** Coupled components (tasks sharing an entity or an eligible inspector) and how each was proven. */
  exact: ExactStats;
  /** Inspector load (visits), expected under the marginals and realised by the rounding. */
  load: LoadStats;
  /** Rotation: seats whose pool left out the previous rounds' inspectors of the entity. */
  rotatedSeats: number;
  /** Seats whose team is fixed by the exact search (two officers needed for two requirement sets). */
  fixedSeats: number;
}

export interface ExactStats {
  components: number;
  /** Proven optimal by the bounds alone (the decomposition reached them). */
  provenByBound: number;
  /** Solved by the component MIP (HiGHS) to a proven optimum. */
  provenByMip: number;
  /** Components the MIP improved over the decomposition. */
  improvedByMip: number;
  /** Components left with a gap (node limit, or too large for the MIP). */
  unproven: number;
  mipNodes: number;
}

export interface LoadStats {
  /** Largest expected load / totalCapacity over inspectors with a seat, after balancing. */
  maxRelative: number;
  /** The same before balancing (closed form). */
  maxRelativeUnbalanced: number;
  /** LP bound: the least possible largest expected load / totalCapacity for these visits (components within lpMaxVariables; null: none). */
  bound: number | null;
}

/** Optimality report of one coupled component, and of the whole schedule (schedule.optimality). */
export interface ComponentProof {
  /** Smallest instance position of the component's tasks. */
  first: number;
  tasks: number;
  unscheduled: number;
  visits: number;
  /** Lower bounds proven for this component: unscheduled tasks, and visits given that many unscheduled. */
  bound: { unscheduled: number; visits: number };
  status: "optimal" | "gap";
  method: "bound" | "mip" | "none";
  /** Why the search stopped short, when status is "gap". */
  limit?: string;
}

export interface Problem {
  instance: Instance;
  config: SolverConfig;
  ctx: CheckContext;
  rules: Rules;
  days: readonly string[];
  D: number;
  inspectors: readonly Inspector[];
  inspIndex: ReadonlyMap<string, number>;
  entities: readonly Entity[];
  entityIndex: ReadonlyMap<string, number>;
  pools: Pools;
}

export interface TaskInfo {
  index: number;
  entity: number;
  dept: string;
  /** First and last day of its window on which it could be staffed. */
  lo: number;
  hi: number;
  /** Per horizon day: could its department staff it that day (ignoring load)? */
  staffable: Uint8Array;
}

export interface Need {
  dept: string;
  /** Officers of the department on the visit. */
  k: number;
  /** Union of the department's requirements on the visit (one officer holds all of them). */
  requires: string[];
  /** Officers fixed by the exact search (the seat is then exactly these). */
  fixed?: number[];
}

export interface Group {
  id: number;
  entity: number;
  tasks: number[];
  lo: number;
  hi: number;
  day: number;
  tried: Set<number>;
  /** Departments in order of first appearance, with seats needed and the union of requirements. */
  needs: Need[];
  /** Placed by the exact search: days and needs are final. */
  locked: boolean;
}

export interface Net {
  from: number[];
  to: number[];
  cap: number[];
  nodes: number;
  /** Per seat: its x edges (inspector, edge) and its sink edges. */
  seatEdges: { inspector: number; edge: number; qualified: boolean }[][];
  sinkEdges: number[][];
  inspectorEdge: Map<number, number>;
  dayEdge: Map<number, number>;
  /** Per seat: NQ→seat edge or -1. */
  nq: number[];
}

export interface ComponentFlow {
  seats: Seat[];
  net: Net;
  flow: number[];
}

export interface Plan {
  problem: Problem;
  stats: OptimizeStats;
  /** Task position → reason, for tasks left unscheduled. */
  unscheduled: Map<number, string>;
  /** Tasks that could be staffed on some day of their window. */
  tasks: TaskInfo[];
  taskInfo: Map<number, TaskInfo>;
  groups: Group[];
  /** Group ids no longer scheduled (split, replaced or unscheduled). */
  dropped: Set<number>;
  /** dept|district → expected officer demand per day (day choice). */
  demand: Map<string, Float64Array>;
  /** dept|district → team component key (districts linked by inspectors covering several). */
  clusterOf: Map<string, string>;
  /** Team component key → seats, network and an integral flow staffing them. */
  flows: Map<string, ComponentFlow>;
  proofs: ComponentProof[];
  /** Group id → its team (inspector positions). */
  teams: Map<number, Set<number>>;
}

export function emptyStats(): OptimizeStats {
  return {
    groups: 0,
    repairRounds: 0,
    movedVisits: 0,
    splitVisits: 0,
    components: 0,
    lpComponents: 0,
    waterfilledComponents: 0,
    blendedComponents: 0,
    minBlendLambda: 1,
    balancedComponents: 0,
    exact: { components: 0, provenByBound: 0, provenByMip: 0, improvedByMip: 0, unproven: 0, mipNodes: 0 },
    load: { maxRelative: 0, maxRelativeUnbalanced: 0, bound: null },
    rotatedSeats: 0,
    fixedSeats: 0,
  };
}

/** Live groups: placed on a day and not dropped. */
export function liveGroups(plan: Plan): Group[] {
  return plan.groups.filter((g) => !plan.dropped.has(g.id) && g.day >= 0);
}

/** Total officers a group needs. */
export function teamSize(g: Group): number {
  return g.needs.reduce((a, n) => a + n.k, 0);
}

export type { FlowNetwork };
