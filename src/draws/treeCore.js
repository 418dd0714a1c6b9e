// Plain JavaScript on purpose (loaded by ticketWorker.js in worker threads, like ticketCore.js).
// Types: treeCore.d.ts. Spec: docs/draw-spec.md §3.3 (the class tree).
//
//   salt(i) = SHA-256(classKey ‖ code_i)                 one block (ticketCore's ticket function)
//   leaf(i) = SHA-256(0x00 ‖ salt(i) ‖ class_i)           34 bytes: one block
//   node    = SHA-256(0x01 ‖ c1 ‖ … ‖ cm), m ≤ 16         up to 513 bytes: up to 9 blocks
// Hash values are 8 big-endian 32-bit words each (Uint32Array, 8 words per value).

import { SLOT, ticketsFromPacked } from "./ticketCore.js";

const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
]);
const IV = new Int32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);

/**
 * One compression: state (8 words) updated in place with the block W[0..15] (W has 64 slots).
 * @param {Int32Array} S
 * @param {Int32Array} W
 */
function compressInto(S, W) {
  for (let i = 16; i < 64; i++) {
    const w15 = W[i - 15];
    const w2 = W[i - 2];
    const s0 = ((w15 >>> 7) | (w15 << 25)) ^ ((w15 >>> 18) | (w15 << 14)) ^ (w15 >>> 3);
    const s1 = ((w2 >>> 17) | (w2 << 15)) ^ ((w2 >>> 19) | (w2 << 13)) ^ (w2 >>> 10);
    W[i] = (W[i - 16] + s0 + W[i - 7] + s1) | 0;
  }
  let a = S[0], b = S[1], c = S[2], d = S[3], e = S[4], f = S[5], g = S[6], h = S[7];
  for (let i = 0; i < 64; i++) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const ch = (e & f) ^ (~e & g);
    const t1 = (h + S1 + ch + K[i] + W[i]) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const mj = (a & b) ^ (a & c) ^ (b & c);
    const t2 = (S0 + mj) | 0;
    h = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
  }
  S[0] = (S[0] + a) | 0; S[1] = (S[1] + b) | 0; S[2] = (S[2] + c) | 0; S[3] = (S[3] + d) | 0;
  S[4] = (S[4] + e) | 0; S[5] = (S[5] + f) | 0; S[6] = (S[6] + g) | 0; S[7] = (S[7] + h) | 0;
}

/**
 * Leaves for pool slots [from, to): salt = SHA-256(classKey ‖ code) (codes packed as in
 * ticketCore), leaf = SHA-256(0x00 ‖ salt ‖ class byte). `salts` (optional) receives the salts.
 * @param {Uint8Array} classKey 32 bytes
 * @param {Uint8Array} codeBytes packed codes (SLOT bytes each)
 * @param {Uint8Array} classBytes one ASCII byte ("A".."D") per pool entity
 * @param {Uint32Array} out 8 words per entity
 * @param {number} from
 * @param {number} to
 * @param {Uint32Array | null} saltsOut 8 words per entity, or null
 */
export function leavesFromPacked(classKey, codeBytes, classBytes, out, from, to, saltsOut) {
  const CH = 4096;
  const salt = new Uint32Array(CH * 8);
  const S = new Int32Array(8);
  const W = new Int32Array(64);
  for (let lo = from; lo < to; lo += CH) {
    const hi = Math.min(to, lo + CH);
    // ticketsFromPacked writes out[8*i …]: hash into a window by offsetting the slots.
    ticketsFromPacked(classKey, codeBytes.subarray(lo * SLOT, hi * SLOT), salt, 0, hi - lo);
    for (let i = lo; i < hi; i++) {
      const o = 8 * (i - lo);
      if (saltsOut) for (let j = 0; j < 8; j++) saltsOut[8 * i + j] = salt[o + j];
      leafInto(salt, o, classBytes[i], S, W);
      for (let j = 0; j < 8; j++) out[8 * i + j] = S[j];
    }
  }
}

/**
 * leaf = SHA-256(0x00 ‖ 32 salt bytes ‖ class byte) into S.
 * @param {Uint32Array} salt
 * @param {number} o word offset of the salt
 * @param {number} cls class byte
 * @param {Int32Array} S
 * @param {Int32Array} W
 */
export function leafInto(salt, o, cls, S, W) {
  let prev = 0;
  for (let j = 0; j < 8; j++) {
    const s = salt[o + j];
    W[j] = (prev << 24) | (s >>> 8);
    prev = s;
  }
  W[8] = (prev << 24) | (cls << 16) | (0x80 << 8);
  for (let j = 9; j < 15; j++) W[j] = 0;
  W[15] = 34 * 8;
  S.set(IV);
  compressInto(S, W);
}

/**
 * The next level: runs of up to 16 consecutive values of `level` (count values, 8 words each)
 * each replaced by SHA-256(0x01 ‖ values of the run). Returns the new level.
 * @param {Uint32Array} level
 * @param {number} count
 * @returns {Uint32Array}
 */
export function nextLevel(level, count) {
  const runs = Math.ceil(count / 16);
  const out = new Uint32Array(runs * 8);
  const S = new Int32Array(8);
  const W = new Int32Array(64);
  const msg = new Int32Array(9 * 16);
  for (let r = 0; r < runs; r++) {
    const first = r * 16;
    const m = Math.min(16, count - first);
    nodeInto(level, first, m, S, W, msg);
    for (let j = 0; j < 8; j++) out[8 * r + j] = S[j];
  }
  return out;
}

/**
 * node = SHA-256(0x01 ‖ values[first … first+m−1]) into S.
 * @param {Uint32Array} values
 * @param {number} first
 * @param {number} m
 * @param {Int32Array} S
 * @param {Int32Array} W
 * @param {Int32Array} msg scratch of at least 9 × 16 words
 */
export function nodeInto(values, first, m, S, W, msg) {
  const len = 1 + 32 * m; // bytes
  const blocks = Math.ceil((len + 9) / 64);
  const words = blocks * 16;
  msg.fill(0, 0, words);
  let prev = 0x01;
  const M = 8 * m;
  for (let k = 0; k < M; k++) {
    const c = values[8 * first + k];
    msg[k] = (prev << 24) | (c >>> 8);
    prev = c & 0xff;
  }
  msg[M] = (prev << 24) | (0x80 << 16);
  msg[words - 1] = len * 8;
  S.set(IV);
  for (let b = 0; b < blocks; b++) {
    for (let j = 0; j < 16; j++) W[j] = msg[16 * b + j];
    compressInto(S, W);
  }
}
