/**
 * The seed of version 2 (docs/draw-spec.md §5): commit-reveal among the planned departments, or an
 * external public value named before the commitment. Both bind the commitment; an external seed
 * also binds the value's stated publication time; every seed source must postdate the freeze.
 *
 *   seedFromProvenance2(publicInputs, commitment, provenance) → seed hex   (throws DrawInputError)
 *   secretReceipt(secretHex) → { hash, wrongHash }                         (the department's helper)
 */
import { createHash } from "node:crypto";
import { secretCommitment } from "../seed.ts";
import { digestOf } from "./digest.ts";
import { fail } from "./shape.ts";
import { provenanceShape } from "./validate.ts";
import type { Provenance2, PublicInputs } from "./types.ts";

/** The seed a provenance implies; applies every rule of §5. */
/** What the seed rules read of the public inputs (a batch draw's, or a panel draw's: §15). */
export type SeedContext = Pick<PublicInputs, "seedPlan" | "attempt" | "frozenAt">;

export function seedFromProvenance2(p: SeedContext, commitment: string, prov: Provenance2, path = "seed.provenance"): string {
  provenanceShape(prov, path);
  const plan = p.seedPlan;
  let seed: string;
  if (plan.mode === "commitReveal") {
    if (prov.mode !== "commitReveal") fail(`${path}.mode`, "seedPlan", "承诺的种子方案是各部门承诺—公开，来源记录却不是");
    const reveals = (prov as Extract<Provenance2, { mode: "commitReveal" }>).reveals;
    const got = reveals.map((r) => r.department);
    if (got.join("\u0000") !== plan.departments.join("\u0000"))
      fail(`${path}.reveals`, "seedPlan", `公开秘密值的部门应恰为 ${plan.departments.join("、")}，实为 ${got.join("、")}`);
    const used = new Set(p.attempt.previous.flatMap((a) => a.secretCommitments));
    const seen = new Set<string>();
    const lastCommit = reveals.reduce((m, r) => (r.committedAt > m ? r.committedAt : m), "");
    reveals.forEach((r, i) => {
      const rp = `${path}.reveals[${i}]`;
      if (!(r.committedAt > p.frozenAt)) fail(`${rp}.committedAt`, "timeOrder", `${r.department} 的承诺时间 ${r.committedAt} 不晚于输入冻结时间 ${p.frozenAt}`);
      if (r.revealedAt < lastCommit) fail(`${rp}.revealedAt`, "timeOrder", `${r.department} 在全部部门提交承诺（${lastCommit}）之前就公开了秘密值`);
      if (secretCommitment(r.secret) !== r.commitment) fail(`${rp}.secret`, "revealMismatch", `${r.department} 公开的秘密值与其承诺不符`);
      if (seen.has(r.commitment)) fail(`${rp}.commitment`, "secretReused", "两个部门提交了相同的秘密值承诺");
      if (used.has(r.commitment)) fail(`${rp}.commitment`, "secretReused", `${r.department} 的秘密值已在本批次此前作废的抽取中公开过，不能再用`);
      seen.add(r.commitment);
    });
    seed = digestOf({ commitment, mode: "commitReveal", purpose: "ssj-draw/2 seed", reveals: reveals.map((r) => [r.department, r.secret]) });
  } else {
    if (prov.mode !== "external") fail(`${path}.mode`, "seedPlan", "承诺的种子方案是外部公开随机数，来源记录却不是");
    const e = prov as Extract<Provenance2, { mode: "external" }>;
    if (e.source !== plan.source || e.reference !== plan.reference)
      fail(`${path}.reference`, "seedPlan", `来源记录为“${e.source} ${e.reference}”，承诺的方案为“${plan.source} ${plan.reference}”`);
    if (!(e.publishedAt > p.frozenAt)) fail(`${path}.publishedAt`, "timeOrder", `外部数值的公布时间 ${e.publishedAt} 不晚于输入冻结时间 ${p.frozenAt}：它可能在输入固定前已为人所知`);
    seed = digestOf({ commitment, mode: "external", publishedAt: e.publishedAt, purpose: "ssj-draw/2 seed", reference: e.reference, source: e.source, value: e.value });
  }
  p.attempt.previous.forEach((a) => {
    if (a.seed === seed) fail(path, "seedReused", `该种子已被第 ${a.attempt} 次（已作废）抽取使用`);
  });
  return seed;
}

/**
 * What a department needs to check its own secret: the commitment to submit (SHA-256 of the 32
 * bytes) and, to explain the commonest mistake, the hash of the 64 hex characters as text.
 */
export function secretReceipt(secretHex: string): { hash: string; hashOfHexText: string } {
  return { hash: secretCommitment(secretHex), hashOfHexText: createHash("sha256").update(secretHex, "utf8").digest("hex") };
}
