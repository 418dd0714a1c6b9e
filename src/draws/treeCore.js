// Plain JavaScript on purpose (loaded by ticketWorker.js in worker threads, like ticketCore.js).
// Types: treeCore.d.ts. Spec: docs/draw-spec.md §3.3 (the class tree).
//
//   leaf(i) = SHA-256(0x00 ‖ salt(i) ‖ class_i ‖ code_i)     salt(i): 16 bytes of the salt stream;
//                                                           at most 1 + 16 + 1 + 23 = 41 bytes: one block
// Leaves are written as bytes (32 per leaf, in order) so that the tree above them can be hashed by
// node:crypto over byte ranges. Codes come packed as in ticketCore (slot i: length byte, ASCII bytes).

import { SLOT, compress } from "./ticketCore.js";

/**
 * Leaves for pool slots [from, to).
 * @param {Uint8Array} salts 16 bytes per entity
 * @param {Uint8Array} codeBytes packed codes (SLOT bytes each)
 * @param {Uint8Array} classBytes one ASCII byte ("A".."D") per entity
 * @param {Uint8Array} out 32 bytes per entity
 * @param {number} from
 * @param {number} to
 */
export function leavesFromSalts(salts, codeBytes, classBytes, out, from, to) {
  const W = new Int32Array(64);
  const H = new Uint32Array(8);
  const msg = new Uint8Array(64);
  for (let i = from; i < to; i++) {
    msg.fill(0);
    msg[0] = 0;
    for (let j = 0; j < 16; j++) msg[1 + j] = salts[16 * i + j];
    msg[17] = classBytes[i];
    const base = i * SLOT;
    const n = codeBytes[base];
    for (let j = 0; j < n; j++) msg[18 + j] = codeBytes[base + 1 + j];
    const len = 18 + n;
    msg[len] = 0x80;
    for (let w = 0; w < 15; w++) W[w] = (msg[4 * w] << 24) | (msg[4 * w + 1] << 16) | (msg[4 * w + 2] << 8) | msg[4 * w + 3];
    W[15] = len * 8;
    compress(W, H, 0);
    const o = 32 * i;
    for (let w = 0; w < 8; w++) {
      const x = H[w];
      out[o + 4 * w] = x >>> 24;
      out[o + 4 * w + 1] = (x >>> 16) & 0xff;
      out[o + 4 * w + 2] = (x >>> 8) & 0xff;
      out[o + 4 * w + 3] = x & 0xff;
    }
  }
}
