/**
 * The draw engine of 双随机、一公开: reproducible, publicly verifiable double-random draws.
 * Specification: docs/draw-spec.md. Pure functions over plain data; no database, no I/O.
 *
 * Flow: freezeInputs → commitment (publish) → seed (seedFromReveals | seedFromExternal) →
 * runDraw (drawTargets, drawInspectors) → buildManifest → verifyManifest (anyone, offline).
 * State rules for the store: nextDrawState.
 */
export * from "./types.ts";
export { canonicalJson, cjsonDigest, CanonicalJsonError } from "./canonicalJson.ts";
export {
  freezeInputs,
  commitment,
  validateFrozen,
  matchesConditions,
  statusExclusion,
  frequencyCapExclusion,
  candidateMask,
  eligibleCounts,
  CODE_PATTERN,
  DrawInputError,
} from "./freeze.ts";
export { secretCommitment, seedFromReveals, seedFromExternal, derivedKey, type Reveal } from "./seed.ts";
export { ticketOf, computeTickets, computeTicketsParallel, sortByTicket } from "./tickets.ts";
export {
  drawTargets,
  quotaFor,
  ticketOrder,
  ticketOrderParallel,
  candidateOrder,
  substituteTarget,
  type RankedEntity,
  type StratumResult,
  type TargetResult,
  type TargetSubstitution,
  type TicketOrder,
} from "./targets.ts";
export {
  drawInspectors,
  drawCheck,
  eligibleInspectors,
  eligibleExperts,
  recusals,
  coversDistrict,
  teamRequirements,
  checksFromTargets,
  inspectorContext,
  checkOrders,
  substitute,
  type RecusalIndex,
  type CheckResult,
  type DepartmentTeam,
  type InspectorSubstitution,
} from "./inspectors.ts";
export {
  nextDrawState,
  initialDrawState,
  DrawStateError,
  type DrawState,
  type DrawEvent,
  type DrawPhase,
  type SeedProvenance,
  type VoidedAttempt,
} from "./state.ts";
export {
  runDraw,
  buildManifest,
  verifyManifest,
  parseManifest,
  seedFromProvenance,
  firstDifference,
  resultsDigest,
  ManifestFormatError,
  MANIFEST_VERSION,
  type DrawManifest,
  type DrawResults,
  type VerifyOutcome,
} from "./manifest.ts";
