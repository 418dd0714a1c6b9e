/**
 * Read model on SQLite (better-sqlite3, the same database file as the domain tables).
 *
 * Tables (created idempotently by `ensure`, all prefixed `rm_`):
 *   rm_result        one row per published result; `doc` is the public JSON, sent as is
 *   rm_result_tri    FTS5 trigram index of the normalised name (queries of ≥ 3 characters)
 *   rm_result_gram   FTS5 index of hex bigram keys (queries of 1–2 characters, see text.ts)
 *   rm_department    departments with published results (for the filter list)
 *   rm_plan, rm_draw published plans and draws (draws keep their manifest verbatim)
 *   rm_meta          schema version
 * Both FTS tables are contentless, keyed by rm_result.id, and every search runs in
 * rm_result.id order (newest publication first), so a page is a bounded index walk:
 * `ORDER BY rowid DESC LIMIT n` streams from FTS5 and stops after n + 1 hits.
 */
import type Database from "better-sqlite3";
import { createHash } from "node:crypto";
import { fts5Phrase, gramDocument, gramQuery, charLength, normalizeName } from "./text.ts";
import { pickAnchor, pickDraw, pickPlan, pickResult, type PublicRecord, type PublicResultRecord } from "./records.ts";
import {
  CURSOR_START,
  READ_MODEL_SCHEMA_VERSION,
  type DepartmentCount,
  type DocPage,
  type Manifest,
  type ReadModel,
  type ResultSearch,
} from "./types.ts";

type Db = Database.Database;
type Stmt = Database.Statement;

const TABLES = `
CREATE TABLE IF NOT EXISTS rm_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS rm_result (
  id INTEGER PRIMARY KEY,
  result_key TEXT NOT NULL UNIQUE,
  credit_code TEXT NOT NULL,
  name_norm TEXT NOT NULL,
  department TEXT NOT NULL,
  check_date TEXT NOT NULL,
  doc TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS rm_result_code ON rm_result (credit_code, id);
CREATE INDEX IF NOT EXISTS rm_result_dept ON rm_result (department, id);
CREATE INDEX IF NOT EXISTS rm_result_date ON rm_result (check_date, id);
CREATE VIRTUAL TABLE IF NOT EXISTS rm_result_tri USING fts5 (name, content='', contentless_delete=1, tokenize='trigram', detail='full');
CREATE VIRTUAL TABLE IF NOT EXISTS rm_result_gram USING fts5 (grams, content='', contentless_delete=1, tokenize='ascii', detail='none', prefix='6');
CREATE TABLE IF NOT EXISTS rm_department (name TEXT PRIMARY KEY, results INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS rm_plan (id INTEGER PRIMARY KEY, plan_key TEXT NOT NULL UNIQUE, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS rm_draw (
  id INTEGER PRIMARY KEY,
  draw_key TEXT NOT NULL UNIQUE,
  plan_key TEXT NOT NULL,
  doc TEXT NOT NULL,
  manifest TEXT NOT NULL,
  manifest_etag TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS rm_draw_plan ON rm_draw (plan_key, id);
CREATE TABLE IF NOT EXISTS rm_anchor (seq INTEGER PRIMARY KEY, doc TEXT NOT NULL);
`;

const ALL_TABLES = ["rm_result_tri", "rm_result_gram", "rm_result", "rm_department", "rm_plan", "rm_draw", "rm_anchor", "rm_meta"];

export function ensureSqlite(db: Db): void {
  const hasMeta = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'rm_meta'").get();
  if (hasMeta) {
    const v = db.prepare("SELECT value FROM rm_meta WHERE key = 'schema'").pluck().get() as string | undefined;
    if (v !== READ_MODEL_SCHEMA_VERSION) {
      // Derived data: an older layout is dropped and rebuilt, never migrated in place.
      db.transaction(() => {
        for (const t of ALL_TABLES) db.exec(`DROP TABLE IF EXISTS ${t}`);
      })();
    }
  }
  db.exec(TABLES);
  db.prepare("INSERT OR REPLACE INTO rm_meta (key, value) VALUES ('schema', ?)").run(READ_MODEL_SCHEMA_VERSION);
}

export const manifestEtag = (text: string): string => `"${createHash("sha256").update(text).digest("base64url").slice(0, 32)}"`;

export class SqliteReadModel implements ReadModel {
  readonly backend = "sqlite" as const;
  private readonly searchStmts = new Map<string, Stmt>();
  private readonly s: Record<string, Stmt>;

  /**
   * `rareFraction`: a ≥ 3-character query is answered from its rarest trigram alone (then checked
   * with instr) when that trigram occurs in at most this fraction of a sample of names (default
   * 0.5 %); otherwise with the phrase of all its trigrams. Tests force either path (1 / 0).
   */
  constructor(
    private readonly db: Db,
    private readonly opts: { rareFraction?: number; sampleSize?: number } = {},
  ) {
    ensureSqlite(db);
    const p = (sql: string) => db.prepare(sql);
    this.s = {
      maxId: p("SELECT coalesce(max(id), 0) FROM rm_result").pluck(),
      sampleName: p("SELECT name_norm FROM rm_result WHERE id >= ? ORDER BY id LIMIT 1").pluck(),
      departments: p("SELECT name, results FROM rm_department WHERE results > 0 ORDER BY name"),
      listPlans: p("SELECT id, doc FROM rm_plan WHERE id < ? ORDER BY id DESC LIMIT ?"),
      getPlan: p("SELECT doc FROM rm_plan WHERE plan_key = ?").pluck(),
      listDraws: p("SELECT id, doc FROM rm_draw WHERE id < ? ORDER BY id DESC LIMIT ?"),
      listDrawsOfPlan: p("SELECT id, doc FROM rm_draw WHERE plan_key = ? AND id < ? ORDER BY id DESC LIMIT ?"),
      getDraw: p("SELECT doc FROM rm_draw WHERE draw_key = ?").pluck(),
      getManifest: p("SELECT manifest AS text, manifest_etag AS etag FROM rm_draw WHERE draw_key = ?"),
      count: p("SELECT count(*) FROM rm_result").pluck(),
      findResult: p("SELECT id, department FROM rm_result WHERE result_key = ?"),
      deleteResult: p("DELETE FROM rm_result WHERE id = ?"),
      deleteTri: p("DELETE FROM rm_result_tri WHERE rowid = ?"),
      deleteGram: p("DELETE FROM rm_result_gram WHERE rowid = ?"),
      insertResult: p(
        "INSERT INTO rm_result (result_key, credit_code, name_norm, department, check_date, doc) VALUES (?, ?, ?, ?, ?, ?)",
      ),
      insertTri: p("INSERT INTO rm_result_tri (rowid, name) VALUES (?, ?)"),
      insertGram: p("INSERT INTO rm_result_gram (rowid, grams) VALUES (?, ?)"),
      deptAdd: p(
        "INSERT INTO rm_department (name, results) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET results = results + excluded.results",
      ),
      deletePlan: p("DELETE FROM rm_plan WHERE plan_key = ?"),
      insertPlan: p("INSERT INTO rm_plan (plan_key, doc) VALUES (?, ?)"),
      deleteDraw: p("DELETE FROM rm_draw WHERE draw_key = ?"),
      insertDraw: p("INSERT INTO rm_draw (draw_key, plan_key, doc, manifest, manifest_etag) VALUES (?, ?, ?, ?, ?)"),
      upsertAnchor: p("INSERT OR REPLACE INTO rm_anchor (seq, doc) VALUES (?, ?)"),
      listAnchors: p("SELECT doc FROM rm_anchor ORDER BY seq DESC LIMIT ?").pluck(),
    };
  }

  /** One prepared statement per combination of filters, prepared on first use and kept. */
  private searchStatement(mode: "all" | "code" | "tri" | "gram", q: ResultSearch, nameFilter: boolean): Stmt {
    const key = `${mode}|${q.department ? "d" : ""}${q.from ? "f" : ""}${q.to ? "t" : ""}${nameFilter ? "n" : ""}`;
    let st = this.searchStmts.get(key);
    if (st) return st;
    const where: string[] = [];
    let from = "rm_result r";
    let order = "r.id";
    if (mode === "code") where.push("r.credit_code = @code");
    if (mode === "tri" || mode === "gram") {
      const fts = mode === "tri" ? "rm_result_tri" : "rm_result_gram";
      from = `${fts} t JOIN rm_result r ON r.id = t.rowid`;
      where.push(`${fts} MATCH @match`);
      order = "t.rowid";
    }
    where.push(`${order} < @cursor`);
    if (q.department) where.push("r.department = @department");
    if (q.from) where.push("r.check_date >= @from");
    if (q.to) where.push("r.check_date <= @to");
    if (nameFilter) where.push("instr(r.name_norm, @name) > 0");
    st = this.db.prepare(`SELECT r.id AS id, r.doc AS doc FROM ${from} WHERE ${where.join(" AND ")} ORDER BY ${order} DESC LIMIT @limit`);
    this.searchStmts.set(key, st);
    return st;
  }

  async searchResults(q: ResultSearch): Promise<DocPage> {
    return this.searchSync(q);
  }

  searchSync(q: ResultSearch): DocPage {
    const name = q.name ? normalizeName(q.name) : "";
    const params: Record<string, unknown> = { cursor: q.cursor ?? CURSOR_START, limit: q.pageSize + 1 };
    let mode: "all" | "code" | "tri" | "gram" = "all";
    let nameFilter = false;
    if (q.code) {
      mode = "code";
      params.code = q.code;
      if (name) {
        nameFilter = true;
        params.name = name;
      }
    } else if (name) {
      const len = charLength(name);
      mode = len >= 3 ? "tri" : "gram";
      params.match = len >= 3 ? fts5Phrase(name) : gramQuery(name);
      const rare = len > 3 ? this.rarestTrigram(name) : null;
      if (rare !== null) {
        // One rare trigram finds few candidates; instr keeps exactly the names that contain the
        // query (the phrase of all trigrams would read every trigram's list, common ones too).
        params.match = fts5Phrase(rare);
        params.name = name;
        nameFilter = true;
      }
    }
    if (q.department) params.department = q.department;
    if (q.from) params.from = q.from;
    if (q.to) params.to = q.to;
    const rows = this.searchStatement(mode, q, nameFilter).all(params) as { id: number; doc: string }[];
    return page(rows, q.pageSize);
  }

  private sample: { gen: number; at: number; size: number; counts: Map<string, number> } | null = null;

  /** Trigram counts over a random sample of names, refreshed after publications (≥ 60 s apart). */
  private trigramSample(): { size: number; counts: Map<string, number> } {
    const gen = this.generation;
    const now = Date.now();
    if (this.sample && (this.sample.gen === gen || now - this.sample.at < 60_000)) return this.sample;
    const max = this.s.maxId!.get() as number;
    const want = this.opts.sampleSize ?? 20_000;
    const counts = new Map<string, number>();
    let size = 0;
    const seen = new Set<string>();
    for (let i = 0; i < want && max > 0; i++) {
      const name = this.s.sampleName!.get(1 + Math.floor(Math.random() * max)) as string | undefined;
      if (name === undefined) continue;
      size++;
      seen.clear();
      const chars = [...name];
      for (let k = 0; k + 2 < chars.length; k++) seen.add(chars[k]! + chars[k + 1]! + chars[k + 2]!);
      for (const t of seen) counts.set(t, (counts.get(t) ?? 0) + 1);
    }
    this.sample = { gen, at: now, size, counts };
    return this.sample;
  }

  /** The query's rarest trigram when it is rare enough to search by alone, else null. */
  private rarestTrigram(name: string): string | null {
    const fraction = this.opts.rareFraction ?? 0.005;
    if (fraction <= 0) return null;
    const { size, counts } = this.trigramSample();
    const chars = [...name];
    let best: string | null = null;
    let bestCount = Infinity;
    for (let k = 0; k + 2 < chars.length; k++) {
      const t = chars[k]! + chars[k + 1]! + chars[k + 2]!;
      const c = counts.get(t) ?? 0;
      if (c < bestCount) {
        best = t;
        bestCount = c;
      }
    }
    return best !== null && bestCount <= fraction * size ? best : null;
  }

  /** Bumped by every write through this model (invalidates the trigram sample). */
  private generation = 0;

  async departments(): Promise<DepartmentCount[]> {
    return this.s.departments!.all() as DepartmentCount[];
  }

  async listPlans(pageSize: number, cursor?: number): Promise<DocPage> {
    return page(this.s.listPlans!.all(cursor ?? CURSOR_START, pageSize + 1) as Row[], pageSize);
  }

  async getPlan(id: string): Promise<string | null> {
    return (this.s.getPlan!.get(id) as string | undefined) ?? null;
  }

  async listDraws(q: { planId?: string; pageSize: number; cursor?: number }): Promise<DocPage> {
    const rows = q.planId
      ? this.s.listDrawsOfPlan!.all(q.planId, q.cursor ?? CURSOR_START, q.pageSize + 1)
      : this.s.listDraws!.all(q.cursor ?? CURSOR_START, q.pageSize + 1);
    return page(rows as Row[], q.pageSize);
  }

  async getDraw(id: string): Promise<string | null> {
    return (this.s.getDraw!.get(id) as string | undefined) ?? null;
  }

  async getManifest(drawId: string): Promise<Manifest | null> {
    return (this.s.getManifest!.get(drawId) as Manifest | undefined) ?? null;
  }

  async countResults(): Promise<number> {
    return this.s.count!.get() as number;
  }

  async listAnchors(limit: number): Promise<string[]> {
    return this.s.listAnchors!.all(limit) as string[];
  }

  async publish(records: Iterable<PublicRecord>): Promise<number> {
    return this.publishSync(records);
  }

  /** Synchronous publish: nests as a savepoint when the caller already holds a transaction. */
  publishSync(records: Iterable<PublicRecord>): number {
    this.generation++;
    const s = this.s;
    let n = 0;
    this.db.transaction(() => {
      for (const rec of records) {
        n++;
        if (rec.kind === "result") {
          const r = pickResult(rec);
          const old = s.findResult!.get(r.id) as { id: number; department: string } | undefined;
          if (old) {
            s.deleteResult!.run(old.id);
            s.deleteTri!.run(old.id);
            s.deleteGram!.run(old.id);
            s.deptAdd!.run(old.department, -1);
          }
          const norm = normalizeName(r.entityName);
          const id = s.insertResult!.run(r.id, r.entityCode, norm, r.department, r.checkDate, JSON.stringify(r)).lastInsertRowid;
          s.insertTri!.run(id, norm);
          s.insertGram!.run(id, gramDocument(norm));
          s.deptAdd!.run(r.department, 1);
        } else if (rec.kind === "plan") {
          const p = pickPlan(rec);
          s.deletePlan!.run(p.id);
          s.insertPlan!.run(p.id, JSON.stringify(p));
        } else if (rec.kind === "draw") {
          const { doc, manifestText, manifestEtag: etag } = pickDraw(rec);
          s.deleteDraw!.run(doc.id);
          s.insertDraw!.run(doc.id, doc.planId, JSON.stringify(doc), manifestText, etag ?? manifestEtag(manifestText));
        } else if (rec.kind === "anchor") {
          const a = pickAnchor(rec);
          s.upsertAnchor!.run(a.seq, JSON.stringify(a));
        } else {
          throw new Error(`unknown record kind ${(rec as { kind?: unknown }).kind}`);
        }
      }
    })();
    return n;
  }

  async bulkLoadResults(source: Iterable<PublicResultRecord> | AsyncIterable<PublicResultRecord>): Promise<number> {
    this.generation++;
    this.sample = null;
    const s = this.s;
    const depts = new Map<string, number>();
    let n = 0;
    let buf: PublicResultRecord[] = [];
    const flush = this.db.transaction((rows: PublicResultRecord[]) => {
      for (const rec of rows) {
        const r = pickResult(rec);
        const norm = normalizeName(r.entityName);
        const id = s.insertResult!.run(r.id, r.entityCode, norm, r.department, r.checkDate, JSON.stringify(r)).lastInsertRowid;
        s.insertTri!.run(id, norm);
        s.insertGram!.run(id, gramDocument(norm));
        depts.set(r.department, (depts.get(r.department) ?? 0) + 1);
      }
    });
    for await (const rec of source as AsyncIterable<PublicResultRecord>) {
      buf.push(rec);
      n++;
      if (buf.length >= 20_000) {
        flush(buf);
        buf = [];
      }
    }
    if (buf.length) flush(buf);
    this.db.transaction(() => {
      for (const [name, count] of depts) s.deptAdd!.run(name, count);
    })();
    this.db.exec("INSERT INTO rm_result_tri (rm_result_tri) VALUES ('optimize'); INSERT INTO rm_result_gram (rm_result_gram) VALUES ('optimize'); ANALYZE;");
    return n;
  }

  async clear(): Promise<void> {
    this.generation++;
    this.sample = null;
    this.db.transaction(() => {
      for (const t of ["rm_result_tri", "rm_result_gram", "rm_result", "rm_department", "rm_plan", "rm_draw", "rm_anchor"]) this.db.exec(`DELETE FROM ${t}`);
    })();
  }
}

type Row = { id: number; doc: string };

function page(rows: Row[], pageSize: number): DocPage {
  const more = rows.length > pageSize;
  const kept = more ? rows.slice(0, pageSize) : rows;
  return { docs: kept.map((r) => r.doc), nextCursor: more ? kept[kept.length - 1]!.id : null };
}
