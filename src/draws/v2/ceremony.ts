/**
 * The seed ceremony of one draw attempt, version 2 (docs/draw-spec.md §5, §8), as pure
 * transitions. The store rebuilds a Ceremony from its rows and applies one step inside its
 * transaction; the rules live here.
 *
 *   committed ──secret…──reveal…──▶ seeded        (commit-reveal: every planned department, hashes first)
 *   committed ──external value────▶ seeded        (external: the value named in the committed plan)
 *   seeded ──draw──▶ drawn;  any phase but drawn-with-results ──void (reason)──▶ void
 */
import { secretCommitment } from "../seed.ts";
import { seedFromProvenance2, type SeedContext } from "./seed.ts";
import type { Provenance2 } from "./types.ts";

export type CeremonyPhase = "committed" | "seeded" | "drawn" | "void";

export interface Ceremony {
  phase: CeremonyPhase;
  /** The committed public inputs (only the seed plan, attempts and freeze time are read). */
  inputs: SeedContext;
  commitment: string;
  /** department → { hash, committedAt, secret?, revealedAt? } */
  secrets: Record<string, { hash: string; committedAt: string; secret?: string; revealedAt?: string }>;
}

export type CeremonyErrorCode =
  | "wrongPhase"
  | "wrongSeedMode"
  | "notPlanned"
  | "duplicate"
  | "commitmentsIncomplete"
  | "revealMismatch"
  | "secretReused"
  | "badHash"
  | "timeOrder"
  | "reasonRequired";

export class CeremonyError extends Error {
  constructor(
    readonly code: CeremonyErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const HEX64 = /^[0-9a-f]{64}$/;
const phaseName: Record<CeremonyPhase, string> = { committed: "已承诺", seeded: "已生成种子", drawn: "已抽取", void: "已作废" };

/** A department's SHA-256(secret). `used`: every secret commitment seen anywhere before. */
export function submitSecretCommitment(c: Ceremony, department: string, hash: string, at: string, used: (hash: string) => boolean): Ceremony {
  if (c.phase !== "committed") throw new CeremonyError("wrongPhase", `只能在生成种子之前提交秘密值承诺（当前状态：${phaseName[c.phase]}）`);
  const plan = c.inputs.seedPlan;
  if (plan.mode !== "commitReveal") throw new CeremonyError("wrongSeedMode", "本次抽取的种子来自外部公开随机数，不收秘密值");
  if (!plan.departments.includes(department)) throw new CeremonyError("notPlanned", `${department} 不在种子方案的部门之列`);
  if (c.secrets[department]) throw new CeremonyError("duplicate", `${department} 已提交过秘密值承诺`);
  if (Object.values(c.secrets).some((s) => s.secret)) throw new CeremonyError("wrongPhase", "已开始公开秘密值，不再接受承诺");
  if (!HEX64.test(hash)) throw new CeremonyError("badHash", "秘密值承诺须为 64 位小写十六进制（32 字节秘密值的 SHA-256）");
  if (used(hash) || Object.values(c.secrets).some((s) => s.hash === hash))
    throw new CeremonyError("secretReused", "这个秘密值承诺以前用过：每次抽取都须在本部门电脑上新生成秘密值（已公开过的秘密值会让其他部门能选择种子）");
  if (!(at > c.inputs.frozenAt)) throw new CeremonyError("timeOrder", "承诺时间须晚于输入冻结时间");
  return { ...c, secrets: { ...c.secrets, [department]: { hash, committedAt: at } } };
}

/** A department reveals its secret; the last reveal fixes the seed. */
export function revealSecret(c: Ceremony, department: string, secret: string, at: string): { ceremony: Ceremony; seed: string | null; provenance: Provenance2 | null } {
  if (c.phase !== "committed") throw new CeremonyError("wrongPhase", `只能在生成种子之前公开秘密值（当前状态：${phaseName[c.phase]}）`);
  const plan = c.inputs.seedPlan;
  if (plan.mode !== "commitReveal") throw new CeremonyError("wrongSeedMode", "本次抽取的种子来自外部公开随机数，不收秘密值");
  if (!plan.departments.includes(department)) throw new CeremonyError("notPlanned", `${department} 不在种子方案的部门之列`);
  const missing = plan.departments.filter((d) => !c.secrets[d]);
  if (missing.length > 0) throw new CeremonyError("commitmentsIncomplete", `所有部门提交承诺之前不能公开秘密值；尚未提交：${missing.join("、")}`);
  const mine = c.secrets[department]!;
  if (mine.secret) throw new CeremonyError("duplicate", `${department} 已公开过秘密值`);
  let ok = false;
  try {
    ok = secretCommitment(secret) === mine.hash;
  } catch {
    ok = false;
  }
  if (!ok) throw new CeremonyError("revealMismatch", `${department} 公开的秘密值与其承诺不符（常见原因：对 64 位十六进制文本而不是 32 个字节求了哈希；可用 ssj secret check 核对）`);
  const secrets = { ...c.secrets, [department]: { ...mine, secret, revealedAt: at } };
  const next = { ...c, secrets };
  if (!plan.departments.every((d) => secrets[d]!.secret)) return { ceremony: next, seed: null, provenance: null };
  const provenance: Provenance2 = {
    mode: "commitReveal",
    reveals: plan.departments.map((d) => ({ department: d, commitment: secrets[d]!.hash, committedAt: secrets[d]!.committedAt, secret: secrets[d]!.secret!, revealedAt: secrets[d]!.revealedAt! })),
  };
  const seed = seedFromProvenance2(c.inputs, c.commitment, provenance);
  return { ceremony: { ...next, phase: "seeded" }, seed, provenance };
}

/** The external value named in the committed plan, once published. */
export function enterExternalValue(c: Ceremony, value: string, publishedAt: string): { ceremony: Ceremony; seed: string; provenance: Provenance2 } {
  if (c.phase !== "committed") throw new CeremonyError("wrongPhase", `只能在生成种子之前录入外部数值（当前状态：${phaseName[c.phase]}）`);
  const plan = c.inputs.seedPlan;
  if (plan.mode !== "external") throw new CeremonyError("wrongSeedMode", "本次抽取的种子由各部门承诺—公开生成，不收外部数值");
  if (!(publishedAt > c.inputs.frozenAt))
    throw new CeremonyError("timeOrder", `外部数值的公布时间 ${publishedAt} 不晚于输入冻结时间 ${c.inputs.frozenAt}：须使用冻结之后才公布的数值`);
  const provenance: Provenance2 = { mode: "external", source: plan.source, reference: plan.reference, value, publishedAt };
  return { ceremony: { ...c, phase: "seeded" }, seed: seedFromProvenance2(c.inputs, c.commitment, provenance), provenance };
}
