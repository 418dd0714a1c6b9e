/**
 * 全记录 of a directory import: every row it created, and every row it changed with the old values
 * of the columns that changed, written as it goes into `import_changes` in parts, never held whole:
 *
 *   part 0: {"created": ["91460100…", …], "updated": [{"key": "91460100…", "old": {"name": "旧名", "status": "active"}}]}
 *   digest(part n) = SHA-256(hex digest of part n−1, or 64 zeros for part 0 ‖ the part's JSON)
 *
 * The import's audit entry carries `{ importId, parts, digest, created, updated }` (the digest of
 * the last part), so the audit hash chain commits to the whole list: a part changed, dropped or
 * reordered no longer chains to the digest in the audit log (`verifyChangeParts`). A 2,000,000-row
 * import keeps one part (≤ PART_SIZE changes) in memory at a time, and its audit payload stays a
 * few hundred bytes.
 */
import { createHash, randomUUID } from "node:crypto";

export const PART_SIZE = 5000;
const ZERO = "0".repeat(64);

export interface ChangePart {
  created: string[];
  updated: { key: string; old: Record<string, unknown> }[];
}

export interface ChangeSummary {
  importId: string;
  parts: number;
  /** Digest of the last part (64 zeros when nothing changed). */
  digest: string;
  created: number;
  updated: number;
}

/** Writes one part inside the import's transaction. */
export type PartWriter = (importId: string, part: number, changes: string, digest: string) => Promise<void> | void;

export function partDigest(previous: string, changes: string): string {
  return createHash("sha256").update(previous, "utf8").update(changes, "utf8").digest("hex");
}

export class ChangeLog {
  readonly importId = randomUUID();
  #part: ChangePart = { created: [], updated: [] };
  #size = 0;
  #parts = 0;
  #digest = ZERO;
  #created = 0;
  #updated = 0;
  #written: Promise<void> = Promise.resolve();

  constructor(
    private readonly write: PartWriter,
    private readonly partSize = PART_SIZE,
  ) {}

  created(key: string): void {
    this.#part.created.push(key);
    this.#created++;
    this.#size++;
  }

  updated(key: string, old: Record<string, unknown>): void {
    this.#part.updated.push({ key, old });
    this.#updated++;
    this.#size++;
  }

  /** At a batch boundary: writes the pending part once it holds `partSize` changes or more. */
  async maybeFlush(): Promise<void> {
    if (this.#size >= this.partSize) await this.flush();
  }

  /**
   * Hands the pending part (if any) to the writer without waiting for an asynchronous write: a
   * PostgreSQL client queues it behind the batch in flight, and waiting here would stall the
   * parse of the next batch until that batch is stored. `settle()` waits for them all.
   */
  async flush(): Promise<void> {
    if (this.#size === 0) return;
    const json = JSON.stringify(this.#part);
    this.#digest = partDigest(this.#digest, json);
    const n = this.#parts++;
    this.#part = { created: [], updated: [] };
    this.#size = 0;
    const w = this.write(this.importId, n, json, this.#digest);
    if (w) {
      const written = this.#written.then(() => w);
      written.catch(() => {}); // observed by settle(); keep Node from reporting it unhandled meanwhile
      this.#written = written;
    }
  }

  /** Waits for the parts handed to the writer; rejects with the first failed write. */
  async settle(): Promise<void> {
    await this.#written;
  }

  summary(): ChangeSummary {
    return { importId: this.importId, parts: this.#parts, digest: this.#digest, created: this.#created, updated: this.#updated };
  }
}

/**
 * Checks stored parts against an audit entry's change summary: parts 0…n−1 present, each digest
 * recomputed from its predecessor, the last equal to the audited digest. Returns the problem, or null.
 */
export function verifyChangeParts(summary: Pick<ChangeSummary, "parts" | "digest">, parts: { part: number; changes: string; digest: string }[]): string | null {
  if (parts.length !== summary.parts) return `审计记录有 ${summary.parts} 段变更清单，实存 ${parts.length} 段`;
  let d = ZERO;
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    if (p.part !== i) return `变更清单第 ${i} 段缺失`;
    d = partDigest(d, p.changes);
    if (d !== p.digest) return `变更清单第 ${i} 段的摘要不符（内容被改动？）`;
  }
  return d === summary.digest ? null : "变更清单的摘要与审计记录不符";
}
