/**
 * The draw engine, version 2 (docs/draw-spec.md): pure functions over plain data.
 *
 * Flow: freezeDraw → inputsDigests (publish the public inputs and the commitment at once) →
 * ceremony (submitSecretCommitment… revealSecret… | enterExternalValue) → seed →
 * ChainReplay.makeDraw → makeTargetSubstitution / makeInspectorSubstitution / makeSchedule →
 * fullManifest / publicManifest → verifyFull2 / verifyPublic2 (anyone, offline).
 */
export * from "./types.ts";
export { freezeDraw, type DrawRequest2 } from "./freeze.ts";
export { inputsDigests, fullManifest, publicManifest, verifyFull2, verifyPublic2, checkPublicResults, headOf, type Verify2Outcome, type Verify2Options } from "./manifest.ts";
export { ChainReplay, PublicReplay, seedRecordDigest, recordDigest, publicRecord } from "./chain.ts";
export { classRoot, classProof, verifyClassProof, type ClassProof } from "./classTree.ts";
export { seedFromProvenance2, secretReceipt, type SeedContext } from "./seed.ts";
export { submitSecretCommitment, revealSecret, enterExternalValue, CeremonyError, type Ceremony, type CeremonyPhase } from "./ceremony.ts";
export { validatePublicInputs, validatePrivateInputs, validateDrawConfig, drawConfigShape, teamRuleShape } from "./validate.ts";
export { digestOf, commitmentOf } from "./digest.ts";
export { drawRecordDigests, runDraw2, samplingFrame } from "./results.ts";
export { eligibleOfficer, eligibleExpert, personOrder, teamContext, drawTeams } from "./teams.ts";
export { PUBLIC_PROVES, NEEDS_FULL_MANIFEST, FULL_PROVES, NO_PUBLISHED_COMMITMENT } from "./claims.ts";
