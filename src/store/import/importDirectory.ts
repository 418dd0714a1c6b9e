/**
 * `importDirectory(store, { kind, source, fileName, actor, onProgress })`: a directory file
 * (entities 检查对象名录库 or inspectors 执法检查人员名录库, CSV/XLSX/XLS) into the database.
 *
 *  - Parsing and validation are the parser's (src/directories/import): rows come in batches with
 *    every rejected or flagged row (row number, field, rule). Valid rows are kept, rejected ones
 *    reported; two more rules are applied here because they need the model or the database:
 *    `status:unknownStatus` (a 状态 the model has no value for) and `department:unknownDepartment`
 *    (an inspector's 部门 that is neither the code nor the name of a stored department).
 *  - Upsert by natural key: entities by `code` (统一社会信用代码, or the 注册号 of an older entity
 *    without one), inspectors by `certificate_no`. A row equal to the stored one is left alone, so
 *    a second import of the same file changes nothing and reports every row `unchanged`.
 *    Optional columns absent from the file (e.g. no 风险等级 column) are not overwritten.
 *    A status change sets `status_changed_on` to today.
 *  - ONE transaction for the whole file, on the raw driver handle (no Prisma per-row cost):
 *    SQLite `BEGIN IMMEDIATE` + one prepared `INSERT … ON CONFLICT DO UPDATE … WHERE <differs>`
 *    per row; PostgreSQL `BEGIN` + one `INSERT … SELECT FROM unnest($1::text[], …) ON CONFLICT DO
 *    UPDATE` per batch (one array per column, like the bulk loader), with the next batch parsed
 *    while the previous one is in flight. A rejected file (ImportError: format, header, encoding…),
 *    a failing write, a throwing `onProgress` or a crash rolls everything back: the database is
 *    exactly as before.
 *  - One audit-log entry (`import.entities` / `import.inspectors`: actor, file name, SHA-256 of the
 *    bytes, counts) appended in the same transaction with the audit chain's rule (rawAudit.ts).
 *  - created / updated / unchanged: rows in the table after − before (the table is locked for
 *    writers during the import) / rows written − created / accepted − written.
 */
import { createHash, type Hash } from "node:crypto";
import type pg from "pg";
import {
  chunksOf,
  importEntities,
  importInspectors,
  type ByteSource,
  type DirectoryImport,
  type EntityRow,
  type ImportOptions,
  type ImportSummary,
  type InspectorRow,
  type RowIssue,
} from "../../directories/import/index.ts";
import type { JsonValue } from "../../audit/chain.ts";
import type { PostgresStore, SqliteStore, Store } from "../index.ts";
import { ENTITY_TARGET, INSPECTOR_TARGET, entityStatus, entityValues, inspectorValues, updatableColumns, type TargetColumn } from "./mapping.ts";
import { checkTriggers } from "../bulk/bulkInsert.ts";
import { appendAuditPgRaw, appendAuditSqliteRaw, sqliteDateTime } from "./rawAudit.ts";
import { ChangeLog, type ChangeSummary } from "./changeLog.ts";

export type DirectoryKind = "entities" | "inspectors";

export interface DirectoryImportProgress {
  phase: "importing" | "done";
  /** Data rows read so far (the parser's count). */
  rowsRead: number;
  /** Accepted rows handed to the database so far. */
  rowsWritten: number;
  bytesRead: number;
  totalBytes: number | null;
}

export interface ImportDirectoryOptions {
  kind: DirectoryKind;
  /** The file's bytes: a Uint8Array or a stream of chunks (e.g. fs.createReadStream). */
  source: ByteSource;
  /** Recorded in the report and the audit entry. */
  fileName: string;
  /** Who imports: `user:<id>`, `cli:<login>` … (audit). */
  actor: string;
  /** After each batch has been written. Throwing aborts the import (rolled back). */
  onProgress?: (p: DirectoryImportProgress) => void;
  /** File size, for progress. */
  totalBytes?: number;
  /** Rows per batch (default 5000). */
  batchSize?: number;
  /** Passed to the parser. */
  format?: ImportOptions["format"];
  sheet?: string;
  allowGb18030?: boolean;
  /** Explicit column mapping (header → field, or null to ignore): see ImportOptions.columnMap. */
  columnMap?: ImportOptions["columnMap"];
  dateOrder?: ImportOptions["dateOrder"];
  fallbackDistrict?: ImportOptions["fallbackDistrict"];
  /** XLSX reader limits (API uploads pass tighter ones). */
  limits?: ImportOptions["limits"];
  /** How many issues the report lists (all are counted in issueCounts). Default 10,000. */
  maxIssues?: number;
  /**
   * SQLite: from this file size on (bytes; default 16 MiB, about 130,000 entity rows), the
   * table's CHECK-emulating triggers are dropped inside the transaction, their conditions checked
   * once, set-based, over the rows written, and the triggers re-created (as the bulk loader does):
   * per-row triggers cost more than half of a big import's write time. 0 = always.
   */
  deferChecksFrom?: number;
}

export interface DirectoryImportReport {
  kind: DirectoryKind;
  fileName: string;
  /** SHA-256 (hex) of the bytes read. */
  sha256: string;
  format: ImportSummary["format"];
  encoding: ImportSummary["encoding"];
  headerRow: number;
  /** Data rows read (empty rows not counted). */
  rowsRead: number;
  /** Rows kept (created + updated + unchanged). */
  accepted: number;
  rejected: number;
  /** Accepted rows carrying at least one flag (e.g. `code:checksum`). */
  flagged: number;
  created: number;
  updated: number;
  unchanged: number;
  /** Issue counts by `field:rule`. */
  issueCounts: Record<string, number>;
  /** The rejected or flagged rows' issues in row order, the first `maxIssues` of them. */
  issues: RowIssue[];
  /** More issues than listed (issueCounts has them all). */
  issuesTruncated: boolean;
  /** The header's columns and the field each one fills (null: not imported). */
  columns: { index: number; header: string; field: string | null }[];
  /** Columns whose data was not imported (no field takes them): never silently dropped. */
  ignoredColumns: { index: number; header: string }[];
  /** Entities: where the 区划码 came from (`code` when the file has no district column). */
  districtFrom: "column" | "code" | null;
  /** The change list (全记录) written to import_changes and committed to by the audit entry. */
  changes: ChangeSummary;
  /** seq of the audit-log entry recording this import. */
  auditSeq: number;
  ms: number;
}

/** The kind-specific part: how a parsed row becomes the values of a table row. */
interface KindPlan<T> {
  table: string;
  key: string;
  target: readonly TargetColumn[];
  /** Has `updated_at` (set on update). */
  updatedAt: boolean;
  /** Values in `target` order, or the issue rejecting the row. */
  values(row: T, flags: RowIssue[]): unknown[] | Omit<RowIssue, "row">;
}

interface Writer {
  /** Writes one batch of rows (values in target order), recording what it created or changed. */
  write(rows: unknown[][], log: ChangeLog): Promise<void> | void;
  /** Waits for writes in flight; the number of rows inserted or changed. */
  flush(): Promise<number>;
}

const DEFAULT_BATCH = 5000;
const MAX_ISSUES = 10_000;

export async function importDirectory(store: Store, options: ImportDirectoryOptions): Promise<DirectoryImportReport> {
  if (options.kind !== "entities" && options.kind !== "inspectors") throw new TypeError(`unknown directory kind: ${String(options.kind)}`);
  return store.kind === "sqlite" ? importSqlite(store, options) : importPostgres(store, options);
}

// ── the shared loop ───────────────────────────────────────────────────────────────────────────

async function* hashed(source: ByteSource, hash: Hash): AsyncGenerator<Uint8Array> {
  for await (const c of chunksOf(source)) {
    hash.update(c);
    yield c;
  }
}

function entityPlan(): KindPlan<EntityRow> {
  return {
    table: "entities",
    key: "code",
    target: ENTITY_TARGET,
    updatedAt: true,
    values(r, flags) {
      const status = entityStatus(r.status);
      if (status === null)
        return { field: "status", column: null, rule: "unknownStatus", severity: "error", message: `状态“${r.status}”不是 存续/在业、注销、吊销、撤销、停业/歇业/清算、迁出 之一` };
      let checksumFailed = false;
      for (const f of flags) if (f.rule === "checksum" && f.field === "code") checksumFailed = true;
      return entityValues(r, checksumFailed, status);
    },
  };
}

function inspectorPlan(departments: Map<string, number>): KindPlan<InspectorRow> {
  return {
    table: "inspectors",
    key: "certificate_no",
    target: INSPECTOR_TARGET,
    updatedAt: false,
    values(r) {
      const id = departments.get(r.department);
      if (id === undefined)
        return { field: "department", column: null, rule: "unknownDepartment", severity: "error", message: `部门“${r.department}”既不是已有部门的代码，也不是其名称` };
      return inspectorValues(r, id);
    },
  };
}

interface RunContext {
  /** Rows in the target table now (before the import, then after it). */
  count(): Promise<number>;
  departments(): Promise<{ id: number; code: string; name: string }[]>;
  writer(plan: KindPlan<unknown>, updatable: TargetColumn[], now: Date): Writer;
  /** Stores one part of the change list (inside the transaction). */
  writePart(importId: string, part: number, changes: string, digest: string): Promise<void> | void;
  audit(entry: { actor: string; action: string; subject: string; payload: JsonValue }, at: Date): Promise<number>;
}

/** The import inside an open transaction (the caller commits or rolls back). */
async function run(ctx: RunContext, o: ImportDirectoryOptions): Promise<DirectoryImportReport> {
  const t0 = performance.now();
  const now = new Date();
  let plan: KindPlan<unknown>;
  if (o.kind === "entities") plan = entityPlan() as KindPlan<unknown>;
  else {
    const byKey = new Map<string, number>();
    for (const d of await ctx.departments()) {
      byKey.set(d.name, d.id);
      byKey.set(d.code, d.id); // a code wins over another department's identical name
    }
    plan = inspectorPlan(byKey) as KindPlan<unknown>;
  }
  const before = await ctx.count();

  const hash = createHash("sha256");
  let parsed = { rowsRead: 0, bytesRead: 0 };
  const parserOptions: ImportOptions = {
    batchSize: o.batchSize ?? DEFAULT_BATCH,
    maxIssuesInSummary: 0, // all issues come with the batches
    onProgress: (p) => (parsed = p),
    ...(o.totalBytes !== undefined ? { totalBytes: o.totalBytes } : {}),
    ...(o.format ? { format: o.format } : {}),
    ...(o.sheet !== undefined ? { sheet: o.sheet } : {}),
    ...(o.allowGb18030 !== undefined ? { allowGb18030: o.allowGb18030 } : {}),
    ...(o.columnMap ? { columnMap: o.columnMap } : {}),
    ...(o.dateOrder ? { dateOrder: o.dateOrder } : {}),
    ...(o.fallbackDistrict ? { fallbackDistrict: o.fallbackDistrict } : {}),
    ...(o.limits ? { limits: o.limits } : {}),
  };
  const maxIssues = o.maxIssues ?? MAX_ISSUES;
  let issuesSeen = 0;
  const keep = (i: RowIssue) => {
    if (issuesSeen++ < maxIssues) issues.push(i);
  };
  const log = new ChangeLog((id, n, changes, digest) => ctx.writePart(id, n, changes, digest));
  const source = hashed(o.source, hash);
  const imp = (o.kind === "entities" ? importEntities(source, parserOptions) : importInspectors(source, parserOptions)) as unknown as DirectoryImport<unknown>;

  const issues: RowIssue[] = [];
  const extraCounts: Record<string, number> = {};
  let extraRejected = 0;
  let unflagged = 0; // flagged rows that an extra rule rejected
  let written = 0;
  let writer: Writer | null = null;
  let changed = 0;
  try {
    for await (const batch of imp) {
      if (!writer) {
        const fields = new Set<string>();
        for (const c of imp.columns() ?? []) if (c.field) fields.add(c.field);
        writer = ctx.writer(plan, updatableColumns(plan.target, fields), now);
      }
      for (const i of batch.issues) keep(i);
      const rows: unknown[][] = [];
      for (const r of batch.rows) {
        const v = plan.values(r.value, r.flags);
        if (Array.isArray(v)) rows.push(v);
        else {
          keep({ row: r.row, ...v });
          const k = `${v.field}:${v.rule}`;
          extraCounts[k] = (extraCounts[k] ?? 0) + 1;
          extraRejected++;
          if (r.flags.length > 0) unflagged++;
        }
      }
      if (rows.length > 0) await writer.write(rows, log);
      await log.maybeFlush();
      written += rows.length;
      o.onProgress?.({ phase: "importing", rowsRead: parsed.rowsRead, rowsWritten: written, bytesRead: parsed.bytesRead, totalBytes: o.totalBytes ?? null });
    }
    changed = writer ? await writer.flush() : 0;
    await log.flush();
    await log.settle();
  } catch (err) {
    await log.settle(); // a change-list part that failed to be written is the cause of what failed after it
    throw err;
  }
  const changes = log.summary();
  const summary = imp.summary();
  const after = await ctx.count();

  const created = after - before;
  if (changes.created !== created || changes.created + changes.updated !== changed)
    throw new Error(`import change list disagrees with the table: ${changes.created} created / ${changes.updated} updated recorded, ${created} created / ${changed - created} updated counted`);
  const ignoredColumns = summary.ignoredColumns;
  const districtFrom = o.kind === "entities" ? (summary.columns.some((c) => c.field === "districtCode") ? "column" : "code") : null;
  const accepted = summary.accepted - extraRejected;
  const issueCounts = { ...summary.issueCounts };
  for (const [k, n] of Object.entries(extraCounts)) issueCounts[k] = (issueCounts[k] ?? 0) + n;
  issues.sort((a, b) => a.row - b.row); // stable: a row's own issues keep their order
  const counts = {
    rowsRead: summary.rowsRead,
    accepted,
    rejected: summary.rejected + extraRejected,
    flagged: summary.flagged - unflagged,
    created,
    updated: changed - created,
    unchanged: accepted - changed,
  };
  const sha256 = hash.digest("hex");
  const auditSeq = await ctx.audit(
    {
      actor: o.actor,
      action: `import.${o.kind}`,
      subject: `directory:${o.kind}`,
      payload: {
        file: o.fileName,
        sha256,
        format: summary.format,
        ...counts,
        issueCounts,
        ignoredColumns: ignoredColumns.map((c) => c.header),
        ...(districtFrom ? { districtFrom } : {}),
        changes: { ...changes },
      } as unknown as JsonValue,
    },
    new Date(),
  );
  o.onProgress?.({ phase: "done", rowsRead: summary.rowsRead, rowsWritten: written, bytesRead: summary.bytesRead, totalBytes: o.totalBytes ?? null });
  return {
    kind: o.kind,
    fileName: o.fileName,
    sha256,
    format: summary.format,
    encoding: summary.encoding,
    headerRow: summary.headerRow,
    ...counts,
    issueCounts,
    issues,
    issuesTruncated: issuesSeen > issues.length,
    columns: summary.columns.map((c) => ({ index: c.index, header: c.header, field: c.field })),
    ignoredColumns,
    districtFrom,
    changes,
    auditSeq,
    ms: performance.now() - t0,
  };
}

/** SQLite's stored form → the change list's: booleans as true/false, JSON parsed. */
function sqliteValue(type: TargetColumn["type"], v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (type === "bool") return v === 1 || v === true;
  if (type === "json") return typeof v === "string" ? JSON.parse(v) : v;
  return v;
}

/** pg's parsed values are already in the change list's form (jsonb parsed, bool as boolean). */
function pgValue(type: TargetColumn["type"], v: unknown): unknown {
  if (v === undefined) return null;
  if (type === "json" && typeof v === "string") return JSON.parse(v);
  return v;
}

/**
 * The old values of the columns that changed: `old[i]` is the stored value of `updatable[i]`,
 * `row[watched[i]]` the new one (written form); both normalised by `norm` before comparing.
 */
function oldValues(updatable: TargetColumn[], watched: number[], old: unknown[], row: unknown[], norm: (type: TargetColumn["type"], v: unknown) => unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = 0; i < updatable.length; i++) {
    const c = updatable[i]!;
    const was = norm(c.type, old[i]);
    const now = c.type === "json" && typeof row[watched[i]!] !== "string" ? row[watched[i]!] : norm(c.type, row[watched[i]!]);
    if (JSON.stringify(was) !== JSON.stringify(now ?? null)) out[c.name] = was;
  }
  return out;
}

const q = (name: string) => {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain identifier: ${name}`);
  return `"${name}"`;
};

// ── SQLite ────────────────────────────────────────────────────────────────────────────────────

async function importSqlite(store: SqliteStore, o: ImportDirectoryOptions): Promise<DirectoryImportReport> {
  const db = store.raw;
  const table = o.kind;
  const cacheSize = db.pragma("cache_size", { simple: true }) as number;
  db.pragma("cache_size = -131072"); // 128 MiB while importing
  let deferred: (() => void) | null = null;
  let indexes: { name: string; sql: string }[] = [];
  let countAtStart: number | null = null;
  db.exec("BEGIN IMMEDIATE");
  try {
    const report = await run(
      {
        async count() {
          const n = (db.prepare(`SELECT count(*) AS n FROM ${q(table)}`).get() as { n: number }).n;
          countAtStart ??= n;
          return n;
        },
        async departments() {
          return db.prepare(`SELECT id, code, name FROM "departments"`).all() as { id: number; code: string; name: string }[];
        },
        writer(plan, updatable, now) {
          const cols = plan.target;
          const nowText = sqliteDateTime(now);
          const size = o.totalBytes ?? (o.source instanceof Uint8Array ? o.source.length : 0);
          const big = size >= (o.deferChecksFrom ?? DEFER_CHECKS_FROM);
          if (big) deferred = deferChecks(db, plan.table, plan.updatedAt ? `"updated_at" = '${nowText}'` : null);
          // A big file into an empty table (a first import): plain INSERTs with the table's indexes
          // dropped and built once at the end, as the bulk loader does. The parser rejects duplicate
          // keys, and re-creating the UNIQUE index would fail the import if one got through.
          const emptyLoad = big && countAtStart === 0;
          if (emptyLoad) {
            indexes = db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL`).all(plan.table) as { name: string; sql: string }[];
            for (const ix of indexes) db.exec(`DROP INDEX ${q(ix.name)}`);
          }
          const today = now.toISOString().slice(0, 10);
          const names = cols.map((c) => q(c.name));
          const set = updatable.map((c) => `${q(c.name)} = excluded.${q(c.name)}`);
          const differs = updatable.map((c) => `${q(plan.table)}.${q(c.name)} IS NOT excluded.${q(c.name)}`);
          if (updatable.some((c) => c.name === "status"))
            set.push(`"status_changed_on" = CASE WHEN ${q(plan.table)}."status" IS NOT excluded."status" THEN '${today}' ELSE ${q(plan.table)}."status_changed_on" END`);
          const stamps = plan.updatedAt ? ["created_at", "updated_at"] : ["created_at"];
          if (plan.updatedAt) set.push(`"updated_at" = excluded."updated_at"`);
          const sql =
            `INSERT INTO ${q(plan.table)} (${[...names, ...stamps.map(q)].join(", ")}) VALUES (${[...cols.map(() => "?"), ...stamps.map(() => `'${nowText}'`)].join(", ")})` +
            (emptyLoad ? "" : ` ON CONFLICT (${q(plan.key)}) DO UPDATE SET ${set.join(", ")} WHERE ${differs.join(" OR ")}`);
          const insert = db.prepare(sql);
          const types = cols.map((c) => c.type);
          const convert = types.map((t) => t === "bool" || t === "json");
          const needs = convert.some(Boolean);
          // the stored values of the columns an update may change, read before the upsert (全记录)
          const watched = updatable.map((c) => cols.indexOf(c));
          const select = emptyLoad ? null : db.prepare(`SELECT ${updatable.map((c) => q(c.name)).join(", ")} FROM ${q(plan.table)} WHERE ${q(plan.key)} = ?`).raw();
          let changes = 0;
          return {
            write(rows, log) {
              for (const row of rows) {
                if (needs)
                  for (let k = 0; k < row.length; k++) {
                    if (!convert[k]) continue;
                    const v = row[k];
                    row[k] = v === null || v === undefined ? null : types[k] === "bool" ? (v ? 1 : 0) : JSON.stringify(v);
                  }
                const old = select ? (select.get(row[0]) as unknown[] | undefined) : undefined;
                const n = insert.run(row).changes;
                changes += n;
                if (n === 0) continue;
                if (old === undefined) log.created(row[0] as string);
                else log.updated(row[0] as string, oldValues(updatable, watched, old, row, sqliteValue));
              }
            },
            async flush() {
              deferred?.();
              for (const ix of indexes) db.exec(ix.sql);
              return changes;
            },
          };
        },
        writePart(importId, part, changes, digest) {
          db.prepare(`INSERT INTO "import_changes" (import_id, part, changes, digest) VALUES (?, ?, ?, ?)`).run(importId, part, changes, digest);
        },
        async audit(entry, at) {
          return appendAuditSqliteRaw(db, entry, at).seq;
        },
      },
      o,
    );
    db.exec("COMMIT");
    return report;
  } catch (err) {
    if (db.inTransaction) db.exec("ROLLBACK");
    throw err;
  } finally {
    db.pragma(`cache_size = ${Number(cacheSize)}`);
  }
}

const DEFER_CHECKS_FROM = 16 * 1024 * 1024;

/**
 * Drops the CHECK-emulating triggers of `table` (BEFORE INSERT ones as the bulk loader finds them,
 * and their BEFORE UPDATE twins `ck_<name>_upd`) inside the open transaction; returns the function
 * that checks all their conditions in one scan over the rows written (`written`: a condition
 * selecting them, or null for the whole table), fails with the trigger's message, and re-creates
 * the triggers. A rollback restores them anyway (SQLite DDL is transactional).
 */
function deferChecks(db: SqliteStore["raw"], table: string, written: string | null): () => void {
  const inserts = checkTriggers(db, table);
  if (inserts.length === 0) return () => {};
  const all = db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?`).all(table) as { name: string; sql: string }[];
  const twins = new Set(inserts.map((t) => t.name.replace(/_ins$/, "_upd")));
  const dropped = [...inserts.map((t) => ({ name: t.name, sql: t.sql })), ...all.filter((t) => twins.has(t.name) && !inserts.some((i) => i.name === t.name))];
  for (const t of dropped) db.exec(`DROP TRIGGER ${q(t.name)}`);
  return () => {
    const which = inserts.map((t, k) => `WHEN NOT (${t.condition}) THEN ${k}`).join(" ");
    const any = inserts.map((t) => `NOT (${t.condition})`).join(" OR ");
    const bad = db.prepare(`SELECT rowid AS id, CASE ${which} END AS k FROM ${q(table)} WHERE ${written ? `${written} AND ` : ""}(${any}) LIMIT 1`).get() as { id: number; k: number } | undefined;
    if (bad) throw new Error(`${inserts[bad.k]!.message} (table ${table}, row ${bad.id})`);
    for (const t of dropped) db.exec(t.sql);
  };
}

// ── PostgreSQL ────────────────────────────────────────────────────────────────────────────────

const PG_ARRAY: Record<TargetColumn["type"], string> = { text: "text[]", int: "int4[]", bool: "bool[]", json: "text[]" };

async function importPostgres(store: PostgresStore, o: ImportDirectoryOptions): Promise<DirectoryImportReport> {
  const client = await store.raw.connect();
  const query = serialQueries(client);
  let broken = false;
  let countAtStart: number | null = null;
  try {
    await client.query("BEGIN");
    try {
      // Other writers of the table wait until the import commits (the counts stay exact).
      await client.query(`LOCK TABLE ${q(o.kind)} IN SHARE ROW EXCLUSIVE MODE`);
      const report = await run(
        {
          async count() {
            const n = Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${q(o.kind)}`)).rows[0]!.n);
            countAtStart ??= n;
            return n;
          },
          async departments() {
            return (await client.query<{ id: number; code: string; name: string }>(`SELECT id, code, name FROM "departments"`)).rows;
          },
          writer(plan, updatable, now) {
            const size = o.totalBytes ?? (o.source instanceof Uint8Array ? o.source.length : 0);
            return pgWriter(query, plan, updatable, now, size >= (o.deferChecksFrom ?? DEFER_CHECKS_FROM) && countAtStart === 0);
          },
          async writePart(importId, part, changes, digest) {
            await query(`INSERT INTO "import_changes" (import_id, part, changes, digest) VALUES ($1, $2, $3, $4)`, [importId, part, changes, digest]);
          },
          async audit(entry, at) {
            return (await appendAuditPgRaw(client, entry, at)).seq;
          },
        },
        o,
      );
      await client.query("COMMIT");
      return report;
    } catch (err) {
      await query.drain();
      await client.query("ROLLBACK").catch(() => {
        broken = true;
      });
      throw err;
    }
  } finally {
    client.release(broken ? true : undefined);
  }
}

type SerialQuery = (<R extends pg.QueryResultRow = Record<string, unknown>>(sql: string, values?: unknown[]) => Promise<pg.QueryResult<R>>) & {
  /** Settles once every statement handed over so far has finished or been skipped. */
  drain(): Promise<void>;
};

/**
 * The import's statements on `client`, one after another: the next is sent once the previous has
 * finished (pg deprecates handing a client a query while one runs), so a batch and the change-list
 * part behind it can be queued while the next batch is parsed. After a failure every later
 * statement fails with the same error without being sent (the transaction is lost anyway).
 */
function serialQueries(client: pg.PoolClient): SerialQuery {
  let tail: Promise<unknown> = Promise.resolve();
  const query = <R extends pg.QueryResultRow>(sql: string, values?: unknown[]) => {
    const p = tail.then(() => client.query<R>(sql, values));
    p.catch(() => {}); // observed by the caller; keep Node from reporting it unhandled meanwhile
    tail = p;
    return p;
  };
  return Object.assign(query, { drain: () => tail.then(() => {}, () => {}) }) as SerialQuery;
}

/**
 * With `emptyLoad` (a big file into an empty table), the table's indexes that back no constraint
 * (Prisma's UNIQUE indexes included) are dropped before the first batch and re-created at the
 * end in the same transaction, and rows go in with a plain INSERT (the parser rejects duplicate
 * keys; the UNIQUE index build would fail the import if one got through), as the bulk loader does.
 */
function pgWriter(query: SerialQuery, plan: KindPlan<unknown>, updatable: TargetColumn[], now: Date, emptyLoad: boolean): Writer {
  const cols = plan.target;
  const t = q(plan.table);
  const today = now.toISOString().slice(0, 10);
  const params = cols.map((c, k) => `$${k + 1}::${PG_ARRAY[c.type]}`).join(", ");
  const select = cols.map((c, k) => (c.type === "json" ? `c${k}::jsonb` : `c${k}`)).join(", ");
  const set = updatable.map((c) => `${q(c.name)} = EXCLUDED.${q(c.name)}`);
  const differs = updatable.map((c) => `${t}.${q(c.name)} IS DISTINCT FROM EXCLUDED.${q(c.name)}`);
  if (updatable.some((c) => c.name === "status"))
    set.push(`"status_changed_on" = CASE WHEN ${t}."status" IS DISTINCT FROM EXCLUDED."status" THEN '${today}' ELSE ${t}."status_changed_on" END`);
  if (plan.updatedAt) set.push(`"updated_at" = CURRENT_TIMESTAMP`);
  const unnested = `unnest(${params}) AS u(${cols.map((_, k) => `c${k}`).join(", ")})`;
  const insert = `INSERT INTO ${t} (${cols.map((c) => q(c.name)).join(", ")}) SELECT ${select} FROM `;
  // The upsert returns the rows it inserted or changed; the `old` CTE reads the same snapshot
  // before the upsert (all sub-statements of a WITH see one snapshot), giving the old values (全记录).
  const sql = emptyLoad
    ? insert + unnested
    : `WITH u AS (SELECT * FROM ${unnested}), ` +
      `old AS (SELECT t.${q(plan.key)} AS k, ${updatable.map((c, i) => `t.${q(c.name)} AS o${i}`).join(", ")} FROM ${t} t JOIN u ON t.${q(plan.key)} = u.c0), ` +
      `up AS (${insert}u ON CONFLICT (${q(plan.key)}) DO UPDATE SET ${set.join(", ")} WHERE ${differs.join(" OR ")} RETURNING ${t}.${q(plan.key)} AS k) ` +
      `SELECT up.k, old.k AS ok, ${updatable.map((_, i) => `old.o${i}`).join(", ")} FROM up LEFT JOIN old ON old.k = up.k`;
  const watched = updatable.map((c) => cols.indexOf(c));
  let indexes: { indexname: string; indexdef: string }[] | null = null;
  const json = cols.map((c) => c.type === "json");
  let changes = 0;
  // One batch in flight while the next is parsed (the change-list part goes behind it).
  let inFlight: Promise<void> | null = null;
  return {
    async write(rows, log) {
      if (emptyLoad && indexes === null) {
        indexes = (
          await query<{ indexname: string; indexdef: string }>(
            `SELECT i.indexname, i.indexdef FROM pg_indexes i
              WHERE i.schemaname = current_schema() AND i.tablename = $1
                AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = (quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass)`,
            [plan.table],
          )
        ).rows;
        for (const ix of indexes) await query(`DROP INDEX ${q(ix.indexname)}`);
      }
      const arrays: unknown[][] = cols.map(() => new Array(rows.length));
      for (let r = 0; r < rows.length; r++) {
        const row = rows[r]!;
        for (let k = 0; k < cols.length; k++) {
          const v = row[k];
          arrays[k]![r] = v === undefined ? null : json[k] && v !== null ? JSON.stringify(v) : v;
        }
      }
      // The previous batch (its changes are in the log by then) and the change-list part queued
      // behind it must be done before this batch is handed over: queued behind a part, it would go
      // out only when the main thread next got a turn, i.e. after the next batch had been parsed.
      if (inFlight) await inFlight;
      await query.drain();
      const p = query(sql, arrays).then((res) => {
        changes += res.rowCount ?? 0;
        if (emptyLoad) {
          for (const row of rows) log.created(row[0] as string);
          return;
        }
        const byKey = new Map<unknown, unknown[]>();
        for (const row of rows) byKey.set(row[0], row);
        for (const r of res.rows) {
          if (r.ok === null) log.created(r.k as string);
          else log.updated(r.k as string, oldValues(updatable, watched, updatable.map((_, i) => r[`o${i}`]), byKey.get(r.k)!, pgValue));
        }
      });
      p.catch(() => {}); // observed by the next write or flush; keep Node from reporting it unhandled meanwhile
      inFlight = p;
    },
    async flush() {
      if (inFlight) await inFlight;
      inFlight = null;
      for (const ix of indexes ?? []) await query(ix.indexdef);
      return changes;
    },
  };
}
