/**
 * Long work (imports, draws, scheduling) run in the background with real progress: the route
 * starts a job and answers 202 with its id; the work reports each phase and the rows it has
 * processed through the callback the store already takes (onProgress); GET /jobs/:id reads it.
 *
 *   const job = jobs.start({ kind: "import", ownerId, label }, async (report) => {
 *     report({ phase: "importing", done: 5000, total: null });
 *     return importReport;                      // kept as the job's result
 *   });
 *
 * Jobs live in this process's memory (the API process that runs the work is the one that knows
 * its progress): finished jobs are kept for an hour, at most MAX_JOBS in all. Not a database row:
 * on SQLite the import's own transaction holds the only write lock until it commits, so no
 * progress row could be written while it runs. Several API instances behind one address need
 * sticky sessions for GET /jobs/:id (a job is known only where it runs). An error the store
 * raises (RepoError/ApiError: 4xx with a Chinese message and a stable code) becomes the job's
 * error; anything else is logged and shown as a server failure without details.
 */
import { randomBytes } from "node:crypto";

export type JobKind = "import" | "draw" | "schedule";
export type JobStatus = "running" | "done" | "failed";

export interface JobProgress {
  /** A stable name of the phase (reading, importing, drawing, solving, writing, publishing …). */
  phase: string;
  /** Units processed so far in this phase (rows, tasks), when counted. */
  done?: number | null;
  /** How many units the phase has in all, when known. */
  total?: number | null;
  /** Bytes of the input read so far and in all (imports). */
  bytesRead?: number | null;
  totalBytes?: number | null;
}

export interface Job {
  id: string;
  kind: JobKind;
  label: string;
  ownerId: number;
  status: JobStatus;
  phase: string;
  done: number | null;
  total: number | null;
  bytesRead: number | null;
  totalBytes: number | null;
  /** Phases passed through, in order, with when each began. */
  phases: { phase: string; at: string }[];
  startedAt: string;
  updatedAt: string;
  finishedAt: string | null;
  /** The API resource the work is about (e.g. /draws/5), where its outcome can be read. */
  target: string | null;
  result: unknown;
  error: { statusCode: number; code: string; message: string; field?: string } | null;
}

const MAX_JOBS = 500;
const KEEP_MS = 3600_000;

export class JobRegistry {
  private readonly jobs = new Map<string, Job>();
  private readonly listeners = new Set<(job: Readonly<Job>) => void>();
  constructor(private readonly log?: { error(obj: unknown, msg: string): void }) {}

  start<T>(o: { kind: JobKind; ownerId: number; label: string; target?: string }, work: (report: (p: JobProgress) => void) => Promise<T>): Job {
    this.prune();
    const now = new Date().toISOString();
    const job: Job = { id: randomBytes(12).toString("base64url"), kind: o.kind, label: o.label, ownerId: o.ownerId, status: "running", phase: "queued", done: null, total: null, bytesRead: null, totalBytes: null, phases: [{ phase: "queued", at: now }], startedAt: now, updatedAt: now, finishedAt: null, target: o.target ?? null, result: null, error: null };
    this.jobs.set(job.id, job);
    const report = (p: JobProgress) => this.update(job, p);
    // Started on the next turn, so the caller answers 202 before the work takes the event loop.
    setImmediate(() => {
      work(report).then(
        (result) => {
          this.update(job, { phase: "done" });
          Object.assign(job, { status: "done", result, finishedAt: new Date().toISOString() });
          this.changed(job);
        },
        (e: unknown) => this.fail(job, e),
      );
    });
    return job;
  }

  get(id: string): Job | undefined {
    return this.jobs.get(id);
  }

  /** Called after every change of every job (progress reported, done, failed); returns the unsubscribe. */
  subscribe(listener: (job: Readonly<Job>) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(job: Job): void {
    for (const l of this.listeners) l(job);
  }

  private update(job: Job, p: JobProgress): void {
    const now = new Date().toISOString();
    if (p.phase !== job.phase) job.phases.push({ phase: p.phase, at: now });
    job.phase = p.phase;
    if (p.done !== undefined) job.done = p.done;
    if (p.total !== undefined) job.total = p.total;
    if (p.bytesRead !== undefined) job.bytesRead = p.bytesRead;
    if (p.totalBytes !== undefined) job.totalBytes = p.totalBytes;
    job.updatedAt = now;
    this.changed(job);
  }

  private fail(job: Job, e: unknown): void {
    const err = e as { statusCode?: number; code?: string; message?: string; field?: string };
    const known = typeof err?.statusCode === "number" && err.statusCode < 500 && typeof err.code === "string";
    if (!known) this.log?.error({ err: e, job: job.id }, "background job failed");
    job.error = known ? { statusCode: err.statusCode!, code: err.code!, message: String(err.message ?? ""), ...(err.field ? { field: err.field } : {}) } : { statusCode: 500, code: "INTERNAL", message: "服务器处理失败，没有写入任何数据；请稍后重试或联系管理员（详见服务器日志）" };
    job.status = "failed";
    job.finishedAt = new Date().toISOString();
    job.updatedAt = job.finishedAt;
    this.changed(job);
  }

  private prune(): void {
    const cutoff = Date.now() - KEEP_MS;
    for (const [id, j] of this.jobs) if (j.finishedAt && Date.parse(j.finishedAt) < cutoff) this.jobs.delete(id);
    while (this.jobs.size >= MAX_JOBS) {
      const oldest = [...this.jobs.values()].find((j) => j.status !== "running") ?? this.jobs.values().next().value!;
      this.jobs.delete(oldest.id);
    }
  }
}

const registries = new WeakMap<object, JobRegistry>();

/** The one registry of an app (keyed by its shared `app.ssj` context, seen by every plugin). */
export function jobsFor(ssj: object, log?: { error(obj: unknown, msg: string): void }): JobRegistry {
  let r = registries.get(ssj);
  if (!r) registries.set(ssj, (r = new JobRegistry(log)));
  return r;
}
