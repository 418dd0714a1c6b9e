import { describe, expect, it } from "vitest";
import { DrawStateError, initialDrawState, nextDrawState, secretCommitment, seedFromReveals, type DrawEvent, type DrawState } from "../../src/draws/index.ts";

const C = "a".repeat(64);
const R = "b".repeat(64);
const s1 = "11".repeat(32);
const s2 = "22".repeat(32);
const apply = (s: DrawState, ...es: DrawEvent[]) => es.reduce(nextDrawState, s);
const code = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return (e as DrawStateError).code;
  }
  return "no error";
};

describe("nextDrawState", () => {
  const frozen = apply(initialDrawState(), { type: "freeze", commitment: C, seedPlan: { mode: "commitReveal", departments: ["D1", "D2"] }, at: "2026-11-24T10:00:00Z" });

  it("commit-reveal: all commitments, then reveals; the last reveal fixes the seed", () => {
    const committed = apply(
      frozen,
      { type: "secretCommitment", department: "D1", commitment: secretCommitment(s1), at: "t" },
      { type: "secretCommitment", department: "D2", commitment: secretCommitment(s2), at: "t" },
    );
    const half = apply(committed, { type: "reveal", department: "D2", secret: s2, at: "t" });
    expect(half.phase).toBe("committed");
    const seeded = apply(half, { type: "reveal", department: "D1", secret: s1, at: "t" });
    expect(seeded.phase).toBe("seeded");
    expect(seeded.seed).toBe(
      seedFromReveals(C, ["D1", "D2"], [
        { department: "D1", commitment: secretCommitment(s1), secret: s1 },
        { department: "D2", commitment: secretCommitment(s2), secret: s2 },
      ]),
    );
    const drawn = apply(seeded, { type: "draw", resultDigest: R, at: "t" });
    expect(drawn.phase).toBe("drawn");
    expect(code(() => nextDrawState(drawn, { type: "draw", resultDigest: R, at: "t" }))).toBe("alreadyDrawn");
    expect(code(() => nextDrawState(drawn, { type: "freeze", commitment: C, seedPlan: { mode: "external", source: "x", reference: "y" }, at: "t" }))).toBe("wrongPhase");
  });

  it("refuses reveals before every commitment, mismatching reveals, strangers and duplicates", () => {
    const one = apply(frozen, { type: "secretCommitment", department: "D1", commitment: secretCommitment(s1), at: "t" });
    expect(code(() => nextDrawState(one, { type: "reveal", department: "D1", secret: s1, at: "t" }))).toBe("commitmentsIncomplete");
    expect(code(() => nextDrawState(one, { type: "secretCommitment", department: "D1", commitment: C, at: "t" }))).toBe("duplicate");
    expect(code(() => nextDrawState(one, { type: "secretCommitment", department: "D9", commitment: C, at: "t" }))).toBe("notPlanned");
    const both = apply(one, { type: "secretCommitment", department: "D2", commitment: secretCommitment(s2), at: "t" });
    expect(code(() => nextDrawState(both, { type: "reveal", department: "D1", secret: s2, at: "t" }))).toBe("revealMismatch");
    expect(code(() => nextDrawState(both, { type: "externalValue", value: "1", publishedAt: "2027", at: "t" }))).toBe("wrongSeedMode");
    expect(code(() => nextDrawState(frozen, { type: "draw", resultDigest: R, at: "t" }))).toBe("wrongPhase");
  });

  it("external value: only after the commitment; void needs a reason, stays visible, and the next attempt needs a new seed", () => {
    const plan = { mode: "external" as const, source: "福彩3D", reference: "2026320期" };
    const f = apply(initialDrawState(), { type: "freeze", commitment: C, seedPlan: plan, at: "2026-11-24T10:00:00Z" });
    expect(code(() => nextDrawState(f, { type: "externalValue", value: "517", publishedAt: "2026-11-24T09:00:00Z", at: "t" }))).toBe("timeOrder");
    const seeded = apply(f, { type: "externalValue", value: "517", publishedAt: "2026-11-24T21:15:00Z", at: "t" });
    const drawn = apply(seeded, { type: "draw", resultDigest: R, at: "t" });
    expect(code(() => nextDrawState(drawn, { type: "void", reason: "  ", at: "t" }))).toBe("reasonRequired");
    const voided = apply(drawn, { type: "void", reason: "名录库导入错误，纪检组同意作废", at: "t2" });
    expect(voided.phase).toBe("open");
    expect(voided.attempt).toBe(2);
    expect(voided.voided).toEqual([{ attempt: 1, commitment: C, seed: seeded.seed, resultDigest: R, reason: "名录库导入错误，纪检组同意作废", at: "t2" }]);
    // Same commitment and the same external value would reproduce the voided seed: refused.
    const again = apply(voided, { type: "freeze", commitment: C, seedPlan: plan, at: "2026-11-25T10:00:00Z" });
    expect(code(() => nextDrawState(again, { type: "externalValue", value: "517", publishedAt: "2026-11-25T21:15:00Z", at: "t" }))).toBe("seedReused");
    expect(apply(again, { type: "externalValue", value: "804", publishedAt: "2026-11-25T21:15:00Z", at: "t" }).phase).toBe("seeded");
    expect(code(() => nextDrawState(initialDrawState(), { type: "void", reason: "x", at: "t" }))).toBe("wrongPhase");
  });
});
