/**
 * The last steps every manifest verifier shares (batch draws §11, panel draws): the recomputed
 * commitment and chain head against what the manifest states and what was published, and an
 * input error turned into the failed outcome `{ ok: false, path, rule, message }`.
 *
 *   compareCommitment(c, m, o, warnings, { inputs: "名录、配额、规则……", noPublished: NO_PUBLISHED_COMMITMENT })
 *   compareHead(head, m, o)
 */
import { DrawInputError } from "../rational.ts";
import { fail } from "./shape.ts";

export interface PublishedValues {
  /** The commitment published before the seed (from the 公示 record or the audit log). */
  expectedCommitment?: string;
  /** A chain head given by the caller (e.g. the last published one). */
  expectedHead?: string;
}

/** Fails at `commitment` when `c` (recomputed) differs from the manifest's or from the published one; warns when none was given. */
export function compareCommitment(c: string, m: { commitment: string }, o: PublishedValues, warnings: string[], text: { inputs: string; noPublished: string }): void {
  if (c !== m.commitment) fail("commitment", "commitment", `由清单重新计算的承诺值为 ${c}，清单中写的是 ${m.commitment}：输入（${text.inputs}）或承诺值被改动过`);
  if (o.expectedCommitment !== undefined) {
    if (o.expectedCommitment !== c) fail("commitment", "publishedCommitment", `清单的承诺值 ${c} 不是抽取前公布的承诺值 ${o.expectedCommitment}`);
  } else warnings.push(text.noPublished);
}

/** Fails at `head` when the recomputed chain head differs from the manifest's or from the given one. */
export function compareHead(head: string, m: { head: string }, o: PublishedValues): void {
  if (head !== m.head) fail("head", "chain", `重新计算的链头为 ${head}，清单中写的是 ${m.head}`);
  if (o.expectedHead !== undefined && o.expectedHead !== head) fail("head", "publishedHead", `链头 ${head} 不是给定的链头 ${o.expectedHead}`);
}

/** An input error as the verifier's failed outcome (path, rule, Chinese message); anything else rethrown. */
export function failedOutcome(e: unknown): { ok: false; path: string; rule: string; message: string } {
  if (e instanceof DrawInputError) return { ok: false, path: e.field, rule: e.rule, message: e.message.replace(/^.*?: /, "").replace(/ \[[A-Za-z]+\]$/, "") };
  throw e;
}
