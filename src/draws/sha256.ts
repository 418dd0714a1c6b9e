/**
 * Tickets in bulk: SHA-256(key ‖ UTF-8(code)) for every code of a pool (docs/draw-spec.md §6.1).
 *
 * Codes are packed into 24-byte slots; each ticket is one SHA-256 compression (ticketCore.js),
 * about 4× faster than one node:crypto call per code, which is dominated by per-call overhead.
 * With `threads` > 1 the pool is split into contiguous ranges hashed by worker threads sharing
 * the input and output memory (SharedArrayBuffer); the main thread hashes the first range. The
 * result is the same for any number of threads (tested). Codes that do not fit one block go
 * through node:crypto. It is standard SHA-256 either way (tested against node:crypto).
 *
 * Output layout: 8 big-endian 32-bit words per code, `out[8*i .. 8*i+7]` (uint32).
 */
import { createHash } from "node:crypto";
import { Worker } from "node:worker_threads";
import { MAX_CODE_BYTES, SLOT, ticketsFromPacked } from "./ticketCore.js";
import { leavesFromPacked } from "./treeCore.js";

function packCodes(codes: readonly string[], shared: boolean): { bytes: Uint8Array; slow: number[] } {
  const n = codes.length;
  const buf = shared ? new SharedArrayBuffer(n * SLOT) : new ArrayBuffer(n * SLOT);
  const bytes = new Uint8Array(buf);
  const slow: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = codes[i]!;
    const len = c.length;
    if (len > MAX_CODE_BYTES) {
      slow.push(i);
      continue;
    }
    const base = i * SLOT;
    let ascii = true;
    for (let j = 0; j < len; j++) {
      const ch = c.charCodeAt(j);
      if (ch > 0x7f) {
        ascii = false;
        break;
      }
      bytes[base + 1 + j] = ch;
    }
    if (ascii) bytes[base] = len;
    else slow.push(i);
  }
  return { bytes, slow };
}

function slowPath(key: Uint8Array, codes: readonly string[], idx: readonly number[], out: Uint32Array): void {
  const k = Buffer.from(key);
  for (const i of idx) {
    const d = createHash("sha256").update(k).update(codes[i]!, "utf8").digest();
    for (let j = 0; j < 8; j++) out[8 * i + j] = d.readUInt32BE(4 * j);
  }
}

/** Single-threaded: SHA-256(key ‖ code) for every code. `key` must be 32 bytes. */
export function ticketsSync(key: Uint8Array, codes: readonly string[]): Uint32Array {
  if (key.length !== 32) throw new RangeError("ticket key must be 32 bytes");
  const out = new Uint32Array(codes.length * 8);
  const { bytes, slow } = packCodes(codes, false);
  ticketsFromPacked(key, bytes, out, 0, codes.length);
  slowPath(key, codes, slow, out);
  return out;
}

/** Below this many codes, threads cost more than they save. */
export const PARALLEL_MIN = 50_000;

/**
 * Multi-threaded; identical output to ticketsSync. By default `threads` includes the calling
 * thread, which hashes one range itself; with `callerWorks: false` all ranges go to worker
 * threads, leaving the caller free to do other work meanwhile (the verifier checks the
 * commitment while the tickets are computed).
 */
export async function ticketsParallel(key: Uint8Array, codes: readonly string[], threads: number, callerWorks = true): Promise<Uint32Array> {
  const n = codes.length;
  const t = Math.max(1, Math.min(Math.floor(threads), 16));
  if ((t === 1 && callerWorks) || n < PARALLEL_MIN) return ticketsSync(key, codes);
  if (key.length !== 32) throw new RangeError("ticket key must be 32 bytes");
  const outBuf = new SharedArrayBuffer(n * 8 * 4);
  const out = new Uint32Array(outBuf);
  const { bytes, slow } = packCodes(codes, true);
  const bounds = Array.from({ length: t + 1 }, (_, i) => Math.floor((n * i) / t));
  const workers: Worker[] = [];
  const done: Promise<void>[] = [];
  const first = callerWorks ? 1 : 0;
  for (let w = first; w < t; w++) {
    const worker = new Worker(new URL("./ticketWorker.js", import.meta.url), { execArgv: [] });
    workers.push(worker);
    done.push(
      new Promise<void>((resolve, reject) => {
        worker.once("message", () => resolve());
        worker.once("error", reject);
        worker.once("exit", (code) => code !== 0 && reject(new Error(`ticket worker exited with code ${code}`)));
      }),
    );
    worker.postMessage({ key, codeBytes: bytes.buffer, out: outBuf, from: bounds[w], to: bounds[w + 1] });
  }
  try {
    if (callerWorks) ticketsFromPacked(key, bytes, out, bounds[0]!, bounds[1]!);
    await Promise.all(done);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  slowPath(key, codes, slow, out);
  return out;
}

/**
 * Class-tree leaves (docs/draw-spec.md §3.3) for every pool entity: salt = SHA-256(classKey ‖ code),
 * leaf = SHA-256(0x00 ‖ salt ‖ class). Codes must be ASCII of at most 23 bytes (validated pool
 * codes are). Multi-threaded like ticketsParallel; identical output for any number of threads.
 */
export async function classLeaves(
  classKey: Uint8Array,
  codes: readonly string[],
  strata: string,
  threads: number,
  callerWorks = true,
): Promise<Uint32Array> {
  const n = codes.length;
  if (classKey.length !== 32) throw new RangeError("class key must be 32 bytes");
  if (strata.length !== n) throw new RangeError("strata and codes differ in length");
  const t = Math.max(1, Math.min(Math.floor(threads), 16));
  const parallel = !((t === 1 && callerWorks) || n < PARALLEL_MIN);
  const { bytes, slow } = packCodes(codes, parallel);
  if (slow.length > 0) throw new RangeError(`code at pool index ${slow[0]} is not 1–23 ASCII characters`);
  const classBuf = parallel ? new SharedArrayBuffer(n) : new ArrayBuffer(n);
  const classBytes = new Uint8Array(classBuf);
  for (let i = 0; i < n; i++) classBytes[i] = strata.charCodeAt(i);
  const outBuf = parallel ? new SharedArrayBuffer(n * 32) : new ArrayBuffer(n * 32);
  const out = new Uint32Array(outBuf);
  if (!parallel) {
    leavesFromPacked(classKey, bytes, classBytes, out, 0, n, null);
    return out;
  }
  const bounds = Array.from({ length: t + 1 }, (_, i) => Math.floor((n * i) / t));
  const workers: Worker[] = [];
  const done: Promise<void>[] = [];
  const first = callerWorks ? 1 : 0;
  for (let w = first; w < t; w++) {
    const worker = new Worker(new URL("./ticketWorker.js", import.meta.url), { execArgv: [] });
    workers.push(worker);
    done.push(
      new Promise<void>((resolve, reject) => {
        worker.once("message", () => resolve());
        worker.once("error", reject);
        worker.once("exit", (code) => code !== 0 && reject(new Error(`tree worker exited with code ${code}`)));
      }),
    );
    worker.postMessage({ job: "leaves", key: classKey, codeBytes: bytes.buffer, classBytes: classBuf, out: outBuf, from: bounds[w], to: bounds[w + 1] });
  }
  try {
    if (callerWorks) leavesFromPacked(classKey, bytes, classBytes, out, bounds[0]!, bounds[1]!, null);
    await Promise.all(done);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return out;
}
