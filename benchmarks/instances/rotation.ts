/**
 * Rotation (轮换) across rounds: the same instance scheduled round after round (seed = round
 * number), each round given the earlier rounds' schedules as `previous`.
 *
 *   rotationReport(instance, rounds, rotationRounds) → { repeatRate, repeats, pairs, schedules }
 *
 * repeatRate: of the (inspector, entity) pairs of rounds 2…n, the share that already occurred in
 * one of the `window` rounds before (window = rotationRounds, or 1 for the baseline
 * rotationRounds = 0, which is the optimizer's random teams without rotation).
 */
import { optimize } from "../../solver/optimize.ts";
import type { Instance, PreviousRound, Schedule } from "../../solver/model.ts";

export interface RotationReport {
  repeatRate: number;
  repeats: number;
  pairs: number;
  schedules: Schedule[];
}

export function rotationReport(instance: Instance, rounds: number, rotationRounds: number, window = Math.max(1, rotationRounds)): RotationReport {
  const schedules: Schedule[] = [];
  const previous: PreviousRound[] = [];
  let repeats = 0;
  let pairs = 0;
  for (let r = 0; r < rounds; r++) {
    const s = optimize({ ...instance, seed: r.toString(16).padStart(4, "0"), rules: { ...instance.rules, rotationRounds }, previous: [...previous] });
    if (r > 0) {
      const recent = new Set(previous.slice(-window).flatMap((p) => p.visits.flatMap((v) => v.team.map((i) => `${i}|${v.entity}`))));
      for (const v of s.visits)
        for (const i of v.team) {
          pairs++;
          if (recent.has(`${i}|${v.entity}`)) repeats++;
        }
    }
    schedules.push(s);
    previous.push({ visits: s.visits.map((v) => ({ entity: v.entity, team: v.team })) });
  }
  return { repeatRate: pairs ? repeats / pairs : 0, repeats, pairs, schedules };
}
