/**
 * Results of a version-2 draw (docs/draw-spec.md §6–8): targets by class (version 1's selection),
 * then the teams (§7), and the public projection that names no entity's class.
 *
 *   samplingFrame(inputs)              → the view target selection reads
 *   runDraw2(inputs, seed, order?)     → { results, teams }      (teams: the state substitutions start from)
 *   publicResults(results, order)      → PublicResults
 */
import { checksFromTargets } from "../inspectors.ts";
import { drawTargets, ticketOrder, type SamplingFrame, type TicketOrder } from "../targets.ts";
import { poolIndex } from "../freeze.ts";
import { compareTickets } from "../tickets.ts";
import { drawTeams, currentChecks, teamContext, type TeamContext, type TeamState } from "./teams.ts";
import type { FrozenInputs2, PublicResults, PublicTarget, RankedEntity, Results2 } from "./types.ts";

export function samplingFrame(f: FrozenInputs2): SamplingFrame {
  return { pool: { codes: f.public.pool.codes, strata: f.private.strata }, departments: f.public.departments, config: f.public.config };
}

export interface DrawOutcome {
  results: Results2;
  /** Team state after the draw (null without an inspector directory). */
  teams: TeamState | null;
  ctx: TeamContext | null;
}

export function runDraw2(f: FrozenInputs2, seedHex: string, order?: TicketOrder): DrawOutcome {
  const frame = samplingFrame(f);
  const targets = drawTargets(frame, seedHex, order ?? ticketOrder(frame, seedHex));
  if (!f.private.inspectors) return { results: { targets, checks: null }, teams: null, ctx: null };
  const ctx = teamContext(f.public, f.private.inspectors, seedHex);
  // checksFromTargets orders a check's departments lead first, then by id (as §7).
  const teams = drawTeams(ctx, checksFromTargets(f.public, targets));
  return { results: { targets, checks: structuredClone(currentChecks(teams)) }, teams, ctx };
}

/** Merge rows of several classes by full ticket (ties by code), ranks from `first`. */
function merged(rows: RankedEntity[], codes: readonly string[], T: Uint32Array | null, first: number): RankedEntity[] {
  const sorted = [...rows].sort((a, b) => {
    if (a[2] !== b[2]) return a[2] < b[2] ? -1 : 1;
    if (T) return compareTickets(T, codes, poolIndex(codes, a[1]), poolIndex(codes, b[1]));
    return a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;
  });
  return sorted.map((r, k) => [first + k, r[1], r[2]]);
}

/**
 * §8: per department the counts per class, the selections of all classes merged in ticket order,
 * the next candidates likewise. `T` (tickets of the pool) breaks ties of the 16-hex display ticket
 * by the full ticket; the public verifier, which computes full tickets itself, checks the order.
 */
export function publicResults(results: Results2, codes: readonly string[], T: Uint32Array | null): PublicResults {
  return {
    targets: results.targets.map((t): PublicTarget => {
      const selected = merged(t.strata.flatMap((s) => s.selected), codes, T, 1);
      const next = merged(t.strata.flatMap((s) => s.next), codes, T, selected.length + 1);
      return {
        department: t.department,
        classes: t.strata.map((s) => ({ stratum: s.stratum, candidates: s.candidates, quota: s.quota, shortfall: s.shortfall, selected: s.selected.length, next: s.next.length })),
        selected,
        next,
      };
    }),
  };
}
