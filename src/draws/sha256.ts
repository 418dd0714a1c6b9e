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
import { leavesFromSalts } from "./treeCore.js";

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
/** Receives the codes packed in SLOT-byte slots (length byte, ASCII bytes), for callers that hash them again. */
export interface PackedOut {
  bytes?: Uint8Array;
}

export function ticketsSync(key: Uint8Array, codes: readonly string[], packedOut?: PackedOut): Uint32Array {
  if (key.length !== 32) throw new RangeError("ticket key must be 32 bytes");
  const out = new Uint32Array(codes.length * 8);
  const { bytes, slow } = packCodes(codes, false);
  if (packedOut && slow.length === 0) packedOut.bytes = bytes;
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
export async function ticketsParallel(key: Uint8Array, codes: readonly string[], threads: number, callerWorks = true, packedOut?: PackedOut): Promise<Uint32Array> {
  const n = codes.length;
  const t = Math.max(1, Math.min(Math.floor(threads), 16));
  if ((t === 1 && callerWorks) || n < PARALLEL_MIN) return ticketsSync(key, codes, packedOut);
  if (key.length !== 32) throw new RangeError("ticket key must be 32 bytes");
  const outBuf = new SharedArrayBuffer(n * 8 * 4);
  const out = new Uint32Array(outBuf);
  const { bytes, slow } = packCodes(codes, true);
  if (packedOut && slow.length === 0) packedOut.bytes = bytes;
  const bounds = Array.from({ length: t + 1 }, (_, i) => Math.floor((n * i) / t));
  const first = callerWorks ? 1 : 0;
  const { done, workers } = spawnJobs(bounds.slice(first, -1).map((from, w) => ({ key, codeBytes: bytes.buffer, out: outBuf, from, to: bounds[first + w + 1] })));
  try {
    if (callerWorks) ticketsFromPacked(key, bytes, out, bounds[0]!, bounds[1]!);
    await Promise.all(done);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  slowPath(key, codes, slow, out);
  return out;
}

/** Shared or plain memory for the hashing jobs. */
const alloc = (size: number, shared: boolean) => (shared ? new SharedArrayBuffer(size) : new ArrayBuffer(size));

function spawnJobs(jobs: Record<string, unknown>[]): { done: Promise<void>[]; workers: Worker[] } {
  const workers: Worker[] = [];
  const done: Promise<void>[] = [];
  for (const job of jobs) {
    const worker = new Worker(new URL("./ticketWorker.js", import.meta.url), { execArgv: [] });
    workers.push(worker);
    done.push(
      new Promise<void>((resolve, reject) => {
        worker.once("message", () => resolve());
        worker.once("error", reject);
        worker.once("exit", (code) => code !== 0 && reject(new Error(`hash worker exited with code ${code}`)));
      }),
    );
    worker.postMessage(job);
  }
  return { done, workers };
}

/**
 * Class-tree leaves (docs/draw-spec.md §3.3) for every pool entity — SHA-256(0x00 ‖ salt ‖ class ‖
 * code), 32 bytes each — and, when `ticketKey` is given, the tickets as well (the verifier needs
 * both): the codes are packed once and every thread hashes both for its range. Same output for any
 * number of threads (`threads` counts the calling thread, which works too, unless `callerWorks` is
 * false: then every range goes to a worker and the caller is free until the promise settles).
 */
export async function leavesAndTickets(
  salts: Uint8Array,
  codes: readonly string[],
  strata: string,
  threads: number,
  ticketKey?: Uint8Array,
  callerWorks = true,
): Promise<{ leaves: Uint8Array; tickets: Uint32Array | null; packed: Uint8Array }> {
  const n = codes.length;
  if (strata.length !== n) throw new RangeError("strata and codes differ in length");
  if (salts.length !== 16 * n) throw new RangeError("16 salt bytes per code are needed");
  const t = Math.max(1, Math.min(Math.floor(threads), 16));
  const parallel = t > 1 && n >= PARALLEL_MIN;
  const { bytes, slow } = packCodes(codes, parallel);
  if (slow.length > 0) throw new RangeError(`code at pool index ${slow[0]} is not 1–23 ASCII characters`);
  const saltBuf = alloc(16 * n, parallel);
  const saltBytes = new Uint8Array(saltBuf);
  saltBytes.set(salts);
  const classBuf = alloc(n, parallel);
  const classBytes = new Uint8Array(classBuf);
  for (let i = 0; i < n; i++) classBytes[i] = strata.charCodeAt(i);
  const lBuf = alloc(32 * n, parallel);
  const leaves = new Uint8Array(lBuf);
  const tBuf = ticketKey ? alloc(32 * n, parallel) : null;
  const tickets = tBuf ? new Uint32Array(tBuf) : null;
  const parts = parallel ? t : 1;
  const bounds = Array.from({ length: parts + 1 }, (_, i) => Math.floor((n * i) / parts));
  const job = ticketKey ? "both" : "leaves";
  const first = callerWorks || !parallel ? 1 : 0;
  const { done, workers } = spawnJobs(
    bounds.slice(first, -1).map((from, w) => ({ job, key: ticketKey, codeBytes: bytes.buffer, out: tBuf, salts: saltBuf, classBytes: classBuf, leaves: lBuf, from, to: bounds[first + w + 1] })),
  );
  try {
    if (first === 1) {
      if (ticketKey) ticketsFromPacked(ticketKey, bytes, tickets!, bounds[0]!, bounds[1]!);
      leavesFromSalts(saltBytes, bytes, classBytes, leaves, bounds[0]!, bounds[1]!);
    }
    await Promise.all(done);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return { leaves, tickets, packed: bytes };
}
