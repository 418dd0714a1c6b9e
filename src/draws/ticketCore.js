// Plain JavaScript on purpose: this file is loaded by ticketWorker.js inside worker threads
// without any TypeScript loader (a tsx-loaded worker costs about a second to start; this one
// starts in tens of milliseconds). Types: ticketCore.d.ts. Spec: docs/draw-spec.md §6.1.
//
// SHA-256 (FIPS 180-4) of one 64-byte block: the 32-byte ticket key followed by a code of at
// most 23 ASCII bytes, padded (0x80, zeros, 64-bit big-endian bit length).

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
const H0 = 0x6a09e667, H1 = 0xbb67ae85 | 0, H2 = 0x3c6ef372, H3 = 0xa54ff53a | 0;
const H4 = 0x510e527f, H5 = 0x9b05688c | 0, H6 = 0x1f83d9ab, H7 = 0x5be0cd19;

/** Bytes per code slot in a packed code buffer: 1 length byte + up to 23 code bytes. */
export const SLOT = 24;
export const MAX_CODE_BYTES = 23;

/**
 * Tickets for codes packed in `codeBytes` (slot i: byte 0 = length ≤ 23, then the ASCII code),
 * for slots [from, to): SHA-256(key ‖ code) as 8 big-endian words into out[8*i .. 8*i+7].
 * @param {Uint8Array} key 32 bytes
 * @param {Uint8Array} codeBytes
 * @param {Uint32Array} out
 * @param {number} from
 * @param {number} to
 */
export function ticketsFromPacked(key, codeBytes, out, from, to) {
  const keyW = new Int32Array(8);
  for (let i = 0; i < 8; i++) keyW[i] = (key[4 * i] << 24) | (key[4 * i + 1] << 16) | (key[4 * i + 2] << 8) | key[4 * i + 3];
  const W = new Int32Array(64);
  for (let i = from; i < to; i++) {
    const base = i * SLOT;
    const n = codeBytes[base];
    for (let j = 0; j < 8; j++) W[j] = keyW[j];
    for (let j = 8; j < 16; j++) W[j] = 0;
    for (let j = 0; j < n; j++) {
      const p = 32 + j;
      W[p >> 2] |= codeBytes[base + 1 + j] << (24 - 8 * (p & 3));
    }
    const p = 32 + n;
    W[p >> 2] |= 0x80 << (24 - 8 * (p & 3));
    W[15] = p * 8;
    compress(W, out, 8 * i);
  }
}

/**
 * @param {Int32Array} W message schedule, W[0..15] filled
 * @param {Uint32Array} out
 * @param {number} off
 */
export function compress(W, out, off) {
  for (let i = 16; i < 64; i++) {
    const w15 = W[i - 15];
    const w2 = W[i - 2];
    const s0 = ((w15 >>> 7) | (w15 << 25)) ^ ((w15 >>> 18) | (w15 << 14)) ^ (w15 >>> 3);
    const s1 = ((w2 >>> 17) | (w2 << 15)) ^ ((w2 >>> 19) | (w2 << 13)) ^ (w2 >>> 10);
    W[i] = (W[i - 16] + s0 + W[i - 7] + s1) | 0;
  }
  let a = H0, b = H1, c = H2, d = H3, e = H4, f = H5, g = H6, h = H7;
  for (let i = 0; i < 64; i++) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const ch = (e & f) ^ (~e & g);
    const t1 = (h + S1 + ch + K[i] + W[i]) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const mj = (a & b) ^ (a & c) ^ (b & c);
    const t2 = (S0 + mj) | 0;
    h = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
  }
  out[off] = (a + H0) | 0;
  out[off + 1] = (b + H1) | 0;
  out[off + 2] = (c + H2) | 0;
  out[off + 3] = (d + H3) | 0;
  out[off + 4] = (e + H4) | 0;
  out[off + 5] = (f + H5) | 0;
  out[off + 6] = (g + H6) | 0;
  out[off + 7] = (h + H7) | 0;
}
