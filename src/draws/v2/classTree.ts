/**
 * The class tree (docs/draw-spec.md §3.3): each pool entity's risk class committed on its own with
 * a salt, so that one entity can be shown its own class without revealing any other.
 *
 *   salts    = SHAKE256(UTF8("ssj-draw/2 class salts") ‖ classKey) read for 16·n bytes; salt(i) = bytes 16i … 16i+15
 *   leaf(i)  = SHA-256(0x00 ‖ salt(i) ‖ UTF8(class_i) ‖ UTF8(code_i))
 *   node     = SHA-256(0x01 ‖ up to 4096 values of the level below); repeated up to one value;
 *              the root of an empty pool is SHA-256(0x01)
 *
 *   classRoot(classKey, codes, strata)        → hex root, published in the public inputs
 *   treeRoot(leaves, n)                       → the root from computed leaves (the verifier's path)
 *   classProof(classKey, codes, strata, code) → { code, class, salt, path: [[position, [siblings]], …] }
 *   verifyClassProof(proof, codes, root)      → { ok, index } | { ok: false, message }
 *
 * Salts come from one native SHAKE256 call and the levels above the leaves are hashed by
 * node:crypto over byte ranges; only the leaves (one SHA-256 block each) are hashed in JS, on every
 * core (src/draws/sha256.ts leavesAndTickets).
 */
import { createHash } from "node:crypto";
import { availableParallelism } from "node:os";
import { leavesAndTickets } from "../sha256.ts";
import type { RiskClass } from "./types.ts";

export const ARITY = 4096;
const SALT_BYTES = 16;

function keyBytes(classKey: string): Buffer {
  if (!/^[0-9a-f]{64}$/.test(classKey)) throw new RangeError("classKey 必须是 64 位小写十六进制");
  return Buffer.from(classKey, "hex");
}

/** The salt stream: 16 bytes per pool entity. */
export function classSalts(classKey: string, n: number): Uint8Array {
  if (n === 0) return new Uint8Array(0);
  return createHash("shake256", { outputLength: SALT_BYTES * n })
    .update("ssj-draw/2 class salts", "utf8")
    .update(keyBytes(classKey))
    .digest();
}

const EMPTY_ROOT = createHash("sha256").update(Buffer.of(1)).digest("hex");

/** All levels above the leaves (bytes, 32 per value), bottom first; the last has one value. */
function levelsAbove(leaves: Uint8Array, n: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  let level = leaves;
  let count = n;
  while (count > 1) {
    const runs = Math.ceil(count / ARITY);
    const next = new Uint8Array(32 * runs);
    for (let r = 0; r < runs; r++) {
      const h = createHash("sha256").update(Buffer.of(1)).update(level.subarray(32 * ARITY * r, 32 * Math.min(count, ARITY * (r + 1)))).digest();
      next.set(h, 32 * r);
    }
    out.push(next);
    level = next;
    count = runs;
  }
  return out;
}

/** The root from the leaves (32 bytes each, n of them). */
export function treeRoot(leaves: Uint8Array, n: number): string {
  if (n === 0) return EMPTY_ROOT;
  if (n === 1) return Buffer.from(leaves.subarray(0, 32)).toString("hex");
  const levels = levelsAbove(leaves, n);
  return Buffer.from(levels[levels.length - 1]!).toString("hex");
}

/** The class root of a pool. */
export async function classRoot(classKey: string, codes: readonly string[], strata: string, threads = availableParallelism()): Promise<string> {
  if (codes.length === 0) return EMPTY_ROOT;
  const { leaves } = await leavesAndTickets(classSalts(classKey, codes.length), codes, strata, threads);
  return treeRoot(leaves, codes.length);
}

export interface ClassProof {
  code: string;
  class: RiskClass;
  salt: string;
  path: [number, string[]][];
}

/** The proof of one pool entity's class. Throws when the code is not in the pool. */
export async function classProof(classKey: string, codes: readonly string[], strata: string, code: string): Promise<ClassProof> {
  const i = codes.indexOf(code);
  if (i < 0) throw new RangeError(`${code} 不在名录中`);
  const n = codes.length;
  const salts = classSalts(classKey, n);
  const { leaves } = await leavesAndTickets(salts, codes, strata, availableParallelism());
  const levels = [leaves, ...levelsAbove(leaves, n)];
  const path: [number, string[]][] = [];
  let idx = i;
  let count = n;
  for (let l = 0; l < levels.length - 1; l++) {
    const values = levels[l]!;
    const start = idx - (idx % ARITY);
    const end = Math.min(count, start + ARITY);
    const siblings: string[] = [];
    for (let k = start; k < end; k++) if (k !== idx) siblings.push(Buffer.from(values.subarray(32 * k, 32 * k + 32)).toString("hex"));
    path.push([idx - start, siblings]);
    idx = Math.floor(idx / ARITY);
    count = Math.ceil(count / ARITY);
  }
  return { code, class: strata[i] as RiskClass, salt: Buffer.from(salts.subarray(SALT_BYTES * i, SALT_BYTES * i + SALT_BYTES)).toString("hex"), path };
}

/** Recompute a class proof against the public pool and root. */
export function verifyClassProof(p: ClassProof, codes: readonly string[], root: string): { ok: true; index: number } | { ok: false; message: string } {
  if (!["A", "B", "C", "D"].includes(p.class)) return { ok: false, message: "类别必须是 A、B、C、D 之一" };
  if (!/^[0-9a-f]{32}$/.test(p.salt)) return { ok: false, message: "salt 必须是 32 位小写十六进制（16 字节）" };
  const i = codes.indexOf(p.code);
  if (i < 0) return { ok: false, message: `${p.code} 不在公开名录中` };
  let h = createHash("sha256").update(Buffer.of(0)).update(Buffer.from(p.salt, "hex")).update(p.class, "ascii").update(p.code, "ascii").digest();
  let idx = i;
  for (const [level, [position, siblings]] of p.path.entries()) {
    if (position !== idx % ARITY) return { ok: false, message: `第 ${level + 1} 层的位置应为 ${idx % ARITY}，证明给出 ${position}` };
    const parts = siblings.map((s) => Buffer.from(s, "hex"));
    parts.splice(position, 0, h);
    h = createHash("sha256").update(Buffer.of(1)).update(Buffer.concat(parts)).digest();
    idx = Math.floor(idx / ARITY);
  }
  const got = h.toString("hex");
  if (got !== root) return { ok: false, message: `重算的类别树根为 ${got}，公开的为 ${root}` };
  return { ok: true, index: i };
}
