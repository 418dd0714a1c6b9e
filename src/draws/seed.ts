/**
 * Seed step of the ceremony (docs/draw-spec.md §5). Two ways, fixed in the committed SeedPlan:
 *
 *   commit-reveal (Blum coin flipping among the departments): each department picks a 32-byte
 *   secret, publishes secretCommitment(secret) = SHA-256(secret bytes); once all commitments are
 *   in, each reveals; seed = SHA-256(CJSON({purpose, commitment, mode, reveals sorted by department})).
 *   Any one honest department makes the seed unpredictable to the others. Known limit: the last
 *   revealer can withhold (abort) after seeing the others; a withheld reveal voids the attempt.
 *
 *   external: a public value fixed in advance (lottery issue, randomness-beacon round) named in the
 *   SeedPlan before the commitment; once published it is entered and
 *   seed = SHA-256(CJSON({purpose, commitment, mode, source, reference, value})).
 *
 * Both bind the seed to the inputs commitment, so one seed cannot serve two sets of inputs.
 */
import { createHash } from "node:crypto";
import { canonicalJson, codePointCompare } from "./canonicalJson.ts";
import { DrawInputError } from "./rational.ts";
import { SPEC_VERSION } from "./types.ts";

const HEX32 = /^[0-9a-f]{64}$/;

export function isHex32(s: unknown): s is string {
  return typeof s === "string" && HEX32.test(s);
}

/** SHA-256 (hex) of the 32 secret bytes given as 64 lowercase hex characters. */
export function secretCommitment(secretHex: string): string {
  if (!isHex32(secretHex)) throw new DrawInputError("secret", "secret", "a secret is 32 bytes written as 64 lowercase hex characters");
  return createHash("sha256").update(Buffer.from(secretHex, "hex")).digest("hex");
}

export interface Reveal {
  department: string;
  /** SHA-256 of the secret, submitted before any reveal. */
  commitment: string;
  secret: string;
}

/**
 * seed = SHA-256(CJSON({"commitment":…,"mode":"commitReveal","purpose":"ssj-draw/1 seed",
 * "reveals":[[department, secret], …] sorted by department})). Checks every reveal against its
 * commitment and that exactly the planned departments revealed.
 */
export function seedFromReveals(inputsCommitment: string, departments: readonly string[], reveals: readonly Reveal[]): string {
  const planned = [...departments].sort(codePointCompare);
  const got = [...reveals].sort((a, b) => codePointCompare(a.department, b.department));
  if (got.length !== planned.length || got.some((r, i) => r.department !== planned[i]))
    throw new DrawInputError("reveals", "seedPlan", `reveals must come from exactly: ${planned.join(", ")}`);
  for (const r of got)
    if (secretCommitment(r.secret) !== r.commitment)
      throw new DrawInputError(`reveals.${r.department}`, "reveal", "the revealed secret does not match its commitment");
  return createHash("sha256")
    .update(
      canonicalJson({
        purpose: `${SPEC_VERSION} seed`,
        commitment: inputsCommitment,
        mode: "commitReveal",
        reveals: got.map((r) => [r.department, r.secret]),
      }),
      "utf8",
    )
    .digest("hex");
}

/** seed = SHA-256(CJSON({"commitment","mode":"external","purpose","reference","source","value"})). */
export function seedFromExternal(inputsCommitment: string, source: string, reference: string, value: string): string {
  if (value.length === 0) throw new DrawInputError("value", "external", "the external value is empty");
  return createHash("sha256")
    .update(canonicalJson({ purpose: `${SPEC_VERSION} seed`, commitment: inputsCommitment, mode: "external", source, reference, value }), "utf8")
    .digest("hex");
}

/** Domain-separated 32-byte key: SHA-256(UTF-8("ssj-draw/1 " + purpose) ‖ seed bytes). */
export function derivedKey(seedHex: string, purpose: "ticket" | "officer" | "expert" | "team"): Uint8Array {
  if (!isHex32(seedHex)) throw new DrawInputError("seed", "seed", "a seed is 64 lowercase hex characters");
  return createHash("sha256")
    .update(`${SPEC_VERSION} ${purpose}`, "utf8")
    .update(Buffer.from(seedHex, "hex"))
    .digest();
}
