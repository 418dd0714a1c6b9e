import type { PublicRecord, PublicResultRecord } from "./records.ts";

/** What the read model needs of a store: its kind and the raw driver handle. */
export interface ReadModelStore {
  kind: string;
  /** better-sqlite3 `Database` or pg `Pool`. */
  raw: unknown;
}

export interface ResultSearch {
  /** 统一社会信用代码 / 注册号, exact (upper case). */
  code?: string;
  /** Substring of the entity name (normalised: NFKC, lower case). */
  name?: string;
  department?: string;
  /** Check date from (inclusive), YYYY-MM-DD. */
  from?: string;
  /** Check date to (inclusive), YYYY-MM-DD. */
  to?: string;
  /** 1..MAX_PAGE_SIZE. */
  pageSize: number;
  /** Return entries published before this position (the `nextCursor` of the previous page). */
  cursor?: number;
}

/** A page of stored public JSON documents, newest publication first. */
export interface DocPage {
  docs: string[];
  nextCursor: number | null;
}

export interface DepartmentCount {
  name: string;
  results: number;
}

export interface Manifest {
  text: string;
  etag: string;
}

export interface ReadModel {
  readonly backend: "sqlite" | "postgres";
  searchResults(q: ResultSearch): Promise<DocPage>;
  departments(): Promise<DepartmentCount[]>;
  listPlans(pageSize: number, cursor?: number): Promise<DocPage>;
  /** Plan document or null. */
  getPlan(id: string): Promise<string | null>;
  listDraws(q: { planId?: string; pageSize: number; cursor?: number }): Promise<DocPage>;
  getDraw(id: string): Promise<string | null>;
  getManifest(drawId: string): Promise<Manifest | null>;
  countResults(): Promise<number>;
  /** Published audit anchors, newest first (JSON documents). */
  listAnchors(limit: number): Promise<string[]>;
  /** Insert or replace records (one transaction; `client` = a pg client already in a transaction). */
  publish(records: Iterable<PublicRecord>, client?: unknown): Promise<number>;
  /** Remove every row (rebuild starts with this). */
  clear(): Promise<void>;
  /**
   * Fast path for filling an EMPTY read model with results (rebuilds, benchmarks): no
   * replace-on-republish check. `source` is consumed in chunks, each its own transaction.
   */
  bulkLoadResults(source: Iterable<PublicResultRecord> | AsyncIterable<PublicResultRecord>): Promise<number>;
}

export const MAX_PAGE_SIZE = 100;
/** Cursor meaning "from the newest". */
export const CURSOR_START = Number.MAX_SAFE_INTEGER;
/** Version of the read-model tables: a different stored version drops and recreates them. */
export const READ_MODEL_SCHEMA_VERSION = "2";
