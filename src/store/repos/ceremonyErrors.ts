/**
 * The seed ceremony's refusals as store errors, shared by batch draws (draws.ts) and the approval
 * bureau's panel draws (panels.ts), which run the same ceremony engine:
 *
 *   CeremonyError{code: "wrongPhase"}          → 409 DRAW_WRONG_PHASE
 *   CeremonyError{code: "badSecret"}           → 422 DRAW_BAD_SECRET
 *   DrawInputError{rule: "seedReused", field}  → 409 DRAW_SEED_REUSED, field
 *   DrawInputError{rule: other, field}         → 422 <invalidCode>, field
 */
import { DrawInputError } from "../../draws/rational.ts";
import { CeremonyError } from "../../draws/v2/index.ts";
import { RepoError } from "./db.ts";

const CONFLICTS = ["wrongPhase", "duplicate", "secretReused"];

/** Rethrow `e` as the RepoError the API and CLI report; anything else unchanged. */
export function ceremonyRepoError(e: unknown, invalidCode: "DRAW_INPUT_INVALID" | "PANEL_INPUT_INVALID"): never {
  if (e instanceof CeremonyError) {
    throw new RepoError(CONFLICTS.includes(e.code) ? 409 : 422, `DRAW_${e.code.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`, e.message);
  }
  if (e instanceof DrawInputError) {
    const msg = e.message.replace(/^.*?: /, "").replace(/ \[[A-Za-z]+\]$/, "");
    const reused = e.rule === "seedReused" || e.rule === "secretReused";
    throw new RepoError(reused ? 409 : 422, reused ? "DRAW_SEED_REUSED" : invalidCode, msg, e.field);
  }
  throw e;
}

/** An external value (a lottery period) can only be entered once it is published: its time is not later than now (5 minutes' clock skew allowed). */
export function assertPublishedBeforeNow(publishedAt: string, now = Date.now()): void {
  const t = Date.parse(publishedAt);
  if (Number.isNaN(t)) throw new RepoError(422, "DRAW_TIME_ORDER", `外部数值的公布时间 ${publishedAt} 不是有效的时间（ISO 8601，如 2026-12-01T20:30:00+08:00）`, "body.publishedAt");
  if (t > now + 5 * 60_000)
    throw new RepoError(422, "DRAW_TIME_ORDER", `外部数值的公布时间 ${publishedAt} 晚于当前时间：只能录入已经公布的数值`, "body.publishedAt");
}
