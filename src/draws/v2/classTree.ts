/**
 * The class tree (docs/draw-spec.md §3.3): each pool entity's risk class committed on its own with
 * a salt, so that one entity can be shown its own class without revealing any other.
 *
 *   classRoot(classKey, codes, strata)        → hex root, published in the public inputs
 *   classProof(classKey, codes, strata, code) → { code, class, salt, path: [[position, [siblings]], …] }
 *   verifyClassProof(proof, codes, root)      → true when the proof recomputes the root
 *
 *   salt(i) = SHA-256(classKey ‖ code_i); leaf(i) = SHA-256(0x00 ‖ salt(i) ‖ class_i);
 *   node = SHA-256(0x01 ‖ up to 16 children); empty pool: SHA-256(0x01).
 */
import { createHash } from "node:crypto";
import { availableParallelism } from "node:os";
import { classLeaves } from "../sha256.ts";
import { nextLevel } from "../treeCore.js";
import { wordsHex } from "../tickets.ts";
import type { RiskClass } from "./types.ts";

export const ARITY = 16;

function keyBytes(classKey: string): Uint8Array {
  if (!/^[0-9a-f]{64}$/.test(classKey)) throw new RangeError("classKey 必须是 64 位小写十六进制");
  return Buffer.from(classKey, "hex");
}

/** All levels, bottom (leaves) first; each 8 words per value. */
async function levels(classKey: string, codes: readonly string[], strata: string, threads: number): Promise<{ values: Uint32Array; count: number }[]> {
  const leaves = await classLeaves(keyBytes(classKey), codes, strata, threads);
  const out = [{ values: leaves, count: codes.length }];
  while (out[out.length - 1]!.count > 1) {
    const top = out[out.length - 1]!;
    out.push({ values: nextLevel(top.values, top.count), count: Math.ceil(top.count / ARITY) });
  }
  return out;
}

const EMPTY_ROOT = createHash("sha256").update(Buffer.of(1)).digest("hex");

/** The class root of a pool. */
export async function classRoot(classKey: string, codes: readonly string[], strata: string, threads = availableParallelism()): Promise<string> {
  if (codes.length === 0) return EMPTY_ROOT;
  const ls = await levels(classKey, codes, strata, threads);
  return wordsHex(ls[ls.length - 1]!.values, 0, 8);
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
  const ls = await levels(classKey, codes, strata, availableParallelism());
  const path: [number, string[]][] = [];
  let idx = i;
  for (let l = 0; l < ls.length - 1; l++) {
    const { values, count } = ls[l]!;
    const start = idx - (idx % ARITY);
    const end = Math.min(count, start + ARITY);
    const siblings: string[] = [];
    for (let k = start; k < end; k++) if (k !== idx) siblings.push(wordsHex(values, 8 * k, 8));
    path.push([idx - start, siblings]);
    idx = Math.floor(idx / ARITY);
  }
  const salt = createHash("sha256").update(keyBytes(classKey)).update(code, "utf8").digest("hex");
  return { code, class: strata[i] as RiskClass, salt, path };
}

/** Recompute a class proof against the public pool and root. */
export function verifyClassProof(p: ClassProof, codes: readonly string[], root: string): { ok: true; index: number } | { ok: false; message: string } {
  if (!["A", "B", "C", "D"].includes(p.class)) return { ok: false, message: "类别必须是 A、B、C、D 之一" };
  if (!/^[0-9a-f]{64}$/.test(p.salt)) return { ok: false, message: "salt 必须是 64 位小写十六进制" };
  const i = codes.indexOf(p.code);
  if (i < 0) return { ok: false, message: `${p.code} 不在公开名录中` };
  let h = createHash("sha256").update(Buffer.of(0)).update(Buffer.from(p.salt, "hex")).update(p.class, "ascii").digest();
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
