/**
 * The state rules of a batch's draw (docs/draw-spec.md §8), as a pure state machine. The store
 * persists the state and applies events only through nextDrawState, so the rules live here:
 *
 *   open ──freeze──▶ committed ──(secretCommitment… reveal… | externalValue)──▶ seeded ──draw──▶ drawn
 *     ▲                  │                                                         │            │
 *     └──────────── void (reason) ◀──────────────────────────────────────────────┴────────────┘
 *
 * - inputs are frozen and their commitment recorded before any seed exists;
 * - commit-reveal: every planned department submits SHA-256(secret) first; reveals are accepted
 *   only once all commitments are in and must match them; the last reveal fixes the seed;
 * - external: the value named in the committed SeedPlan is entered after the commitment;
 * - a draw runs once: a second draw of the same attempt is refused, a drawn attempt is immutable;
 * - void needs a reason; the voided attempt stays in `voided`; the next attempt starts from
 *   `open`, must be frozen again and needs a seed never used before.
 */
import { isHex32, secretCommitment, seedFromExternal, seedFromReveals } from "./seed.ts";
import type { SeedPlan } from "./types.ts";

export type DrawPhase = "open" | "committed" | "seeded" | "drawn";

export interface SeedProvenance {
  mode: "commitReveal" | "external";
  /** commitReveal: per department, its secret commitment and revealed secret. */
  reveals?: { department: string; commitment: string; secret: string }[];
  /** external: where the value comes from, which round/issue, the value, when it was published. */
  source?: string;
  reference?: string;
  value?: string;
  publishedAt?: string;
}

export interface VoidedAttempt {
  attempt: number;
  commitment: string | null;
  seed: string | null;
  resultDigest: string | null;
  reason: string;
  at: string;
}

export interface DrawState {
  phase: DrawPhase;
  /** 1 for the first attempt; +1 after each void. */
  attempt: number;
  commitment: string | null;
  seedPlan: SeedPlan | null;
  frozenAt: string | null;
  /** commitReveal: department → SHA-256(secret). */
  secretCommitments: Record<string, string>;
  /** commitReveal: department → secret. */
  reveals: Record<string, string>;
  seed: string | null;
  provenance: SeedProvenance | null;
  resultDigest: string | null;
  drawnAt: string | null;
  voided: VoidedAttempt[];
}

export type DrawEvent =
  | { type: "freeze"; commitment: string; seedPlan: SeedPlan; at: string }
  | { type: "secretCommitment"; department: string; commitment: string; at: string }
  | { type: "reveal"; department: string; secret: string; at: string }
  | { type: "externalValue"; value: string; publishedAt: string; at: string }
  | { type: "draw"; resultDigest: string; at: string }
  | { type: "void"; reason: string; at: string };

export type DrawStateErrorCode =
  | "wrongPhase"
  | "alreadyDrawn"
  | "badCommitment"
  | "notPlanned"
  | "duplicate"
  | "commitmentsIncomplete"
  | "revealMismatch"
  | "wrongSeedMode"
  | "seedReused"
  | "reasonRequired"
  | "timeOrder";

export class DrawStateError extends Error {
  constructor(
    readonly code: DrawStateErrorCode,
    message: string,
  ) {
    super(`${message} [${code}]`);
  }
}

export function initialDrawState(): DrawState {
  return {
    phase: "open",
    attempt: 1,
    commitment: null,
    seedPlan: null,
    frozenAt: null,
    secretCommitments: {},
    reveals: {},
    seed: null,
    provenance: null,
    resultDigest: null,
    drawnAt: null,
    voided: [],
  };
}

function usedSeeds(s: DrawState): Set<string> {
  return new Set(s.voided.map((v) => v.seed).filter((x): x is string => x !== null));
}

function withSeed(s: DrawState, seed: string, provenance: SeedProvenance): DrawState {
  if (usedSeeds(s).has(seed)) throw new DrawStateError("seedReused", "this seed was already used by a voided attempt; a new draw needs a new seed");
  return { ...s, phase: "seeded", seed, provenance };
}

/** Apply one event; returns the new state or throws DrawStateError saying which rule forbids it. */
export function nextDrawState(s: DrawState, e: DrawEvent): DrawState {
  if (e.type === "void") {
    if (!e.reason || !e.reason.trim()) throw new DrawStateError("reasonRequired", "voiding needs a reason");
    if (s.phase === "open") throw new DrawStateError("wrongPhase", "nothing to void: the attempt has not been frozen");
    const voided: VoidedAttempt = { attempt: s.attempt, commitment: s.commitment, seed: s.seed, resultDigest: s.resultDigest, reason: e.reason, at: e.at };
    return { ...initialDrawState(), attempt: s.attempt + 1, voided: [...s.voided, voided] };
  }
  if (e.type === "draw" && s.phase === "drawn")
    throw new DrawStateError("alreadyDrawn", "this batch attempt has already been drawn; a finished draw is immutable (void it with a reason to draw again with a new seed)");
  switch (e.type) {
    case "freeze": {
      if (s.phase !== "open") throw new DrawStateError("wrongPhase", `inputs are already frozen (phase ${s.phase})`);
      if (!isHex32(e.commitment)) throw new DrawStateError("badCommitment", "a commitment is 64 lowercase hex characters");
      return { ...s, phase: "committed", commitment: e.commitment, seedPlan: e.seedPlan, frozenAt: e.at };
    }
    case "secretCommitment": {
      if (s.phase !== "committed") throw new DrawStateError("wrongPhase", `secret commitments are taken after the inputs are frozen and before the seed (phase ${s.phase})`);
      const plan = s.seedPlan!;
      if (plan.mode !== "commitReveal") throw new DrawStateError("wrongSeedMode", "the committed seed plan is an external value, not commit-reveal");
      if (!plan.departments.includes(e.department)) throw new DrawStateError("notPlanned", `${e.department} is not a department of the seed plan`);
      if (s.secretCommitments[e.department]) throw new DrawStateError("duplicate", `${e.department} has already submitted its secret commitment`);
      if (Object.keys(s.reveals).length > 0) throw new DrawStateError("wrongPhase", "reveals have started; no more commitments");
      if (!isHex32(e.commitment)) throw new DrawStateError("badCommitment", "a secret commitment is 64 lowercase hex characters");
      return { ...s, secretCommitments: { ...s.secretCommitments, [e.department]: e.commitment } };
    }
    case "reveal": {
      if (s.phase !== "committed") throw new DrawStateError("wrongPhase", `reveals are taken before the seed exists (phase ${s.phase})`);
      const plan = s.seedPlan!;
      if (plan.mode !== "commitReveal") throw new DrawStateError("wrongSeedMode", "the committed seed plan is an external value, not commit-reveal");
      if (!plan.departments.includes(e.department)) throw new DrawStateError("notPlanned", `${e.department} is not a department of the seed plan`);
      const missing = plan.departments.filter((d) => !s.secretCommitments[d]);
      if (missing.length > 0) throw new DrawStateError("commitmentsIncomplete", `no reveal before every commitment is in; missing: ${missing.join(", ")}`);
      if (s.reveals[e.department]) throw new DrawStateError("duplicate", `${e.department} has already revealed`);
      let ok = false;
      try {
        ok = secretCommitment(e.secret) === s.secretCommitments[e.department];
      } catch {
        ok = false;
      }
      if (!ok) throw new DrawStateError("revealMismatch", `the secret revealed by ${e.department} does not match its commitment`);
      const reveals = { ...s.reveals, [e.department]: e.secret };
      const next = { ...s, reveals };
      if (plan.departments.every((d) => reveals[d])) {
        const list = plan.departments.map((d) => ({ department: d, commitment: s.secretCommitments[d]!, secret: reveals[d]! }));
        return withSeed(next, seedFromReveals(s.commitment!, plan.departments, list), { mode: "commitReveal", reveals: list });
      }
      return next;
    }
    case "externalValue": {
      if (s.phase !== "committed") throw new DrawStateError("wrongPhase", `the external value is entered after the commitment and before the draw (phase ${s.phase})`);
      const plan = s.seedPlan!;
      if (plan.mode !== "external") throw new DrawStateError("wrongSeedMode", "the committed seed plan is commit-reveal, not an external value");
      if (s.frozenAt && e.publishedAt <= s.frozenAt)
        throw new DrawStateError("timeOrder", `the external value was published at ${e.publishedAt}, not after the commitment (${s.frozenAt})`);
      const seed = seedFromExternal(s.commitment!, plan.source, plan.reference, e.value);
      return withSeed(s, seed, { mode: "external", source: plan.source, reference: plan.reference, value: e.value, publishedAt: e.publishedAt });
    }
    case "draw": {
      if (s.phase !== "seeded") throw new DrawStateError("wrongPhase", `a draw needs frozen inputs and a seed (phase ${s.phase})`);
      if (!isHex32(e.resultDigest)) throw new DrawStateError("badCommitment", "a result digest is 64 lowercase hex characters");
      return { ...s, phase: "drawn", resultDigest: e.resultDigest, drawnAt: e.at };
    }
  }
}
