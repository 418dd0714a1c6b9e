/**
 * What the read model accepts and serves: exactly the published fields, nothing else.
 *
 * `publishToReadModel` copies only the fields named here from whatever it is given (an object with
 * extra fields — a risk class, inspectors, recusals — loses them on the way in), checks their
 * types, and stores the public JSON document ready to send. Draw manifests are stored verbatim
 * (their hash is what `ssj verify` checks) and are refused when they carry a key that names
 * internal or personal data.
 */

/**
 * One published inspection result (一公开): `publicRecord(...)` of src/publication/results.ts
 * (same field names) plus the result's public id and publication instant.
 */
export interface PublicResultRecord {
  /** Stable public id of the published result (one task result of one department). */
  id: string;
  /** 统一社会信用代码 (or 15-digit 注册号 for older registrations). */
  entityCode: string;
  entityName: string;
  taskNumber: string;
  taskName: string;
  /** Inspecting department (检查部门). */
  department: string;
  /** YYYY-MM-DD. */
  checkDate: string;
  /** 检查结果 labels (multi-select). */
  results: string[];
  /** ISO 8601 instant of publication. */
  publishedAt: string;
  planId?: string;
  drawId?: string;
}

/** One published plan (抽查计划). */
export interface PublicPlanRecord {
  id: string;
  name: string;
  year: number;
  leadDepartment: string;
  departments: string[];
  /** 定向 / 不定向 and similar descriptive fields, free text. */
  description?: string;
  items?: { name: string; basis?: string }[];
  batches?: { id: string; name: string; from?: string; to?: string; quantity?: number }[];
  publishedAt: string;
}

/**
 * One published draw attempt (抽取), in any state from the commitment on (docs/draw-spec.md §4):
 * what is needed to follow the ceremony and to verify it offline.
 */
export interface PublicDrawRecord {
  id: string;
  planId: string;
  planName: string;
  batchId?: string;
  batchName?: string;
  department: string;
  /** What was drawn, e.g. "检查对象与检查人员". */
  subject?: string;
  /** committed | seeded | drawn | void, and its Chinese label. */
  status?: string;
  statusLabel?: string;
  /** 1 for the batch's first attempt; and how many attempts the batch has had so far. */
  attempt?: number;
  attemptsOfBatch?: number;
  /** When the inputs were frozen and the commitment published. */
  frozenAt?: string;
  /** Hash commitment to the draw inputs, published before the seed was known. */
  commitment: string;
  publicDigest?: string;
  privateDigest?: string;
  seedPlan?: Record<string, unknown>;
  /** Commit-reveal: each department's secret commitment as it arrived (department name). */
  secretCommitments?: { department: string; hash: string; committedAt: string; revealed: boolean }[];
  seededAt?: string;
  seed?: string;
  /**
   * Where the seed came from and when: free text, or the draw engine's provenance object
   * (`{ mode: "external", source, reference, value, publishedAt }` or `{ mode: "commitReveal", reveals }`).
   */
  seedProvenance?: string | Record<string, unknown>;
  drawnAt?: string;
  voidedAt?: string;
  voidReason?: string;
  /** The record chain's head and its records in words. */
  head?: string;
  records?: { seq: number; kind: string; at: string; digest: string; summary: string }[];
  /** The audit log's head at freeze time. */
  auditHead?: { seq: number; hash: string };
  algorithm: string;
  populationCount?: number;
  classCounts?: Record<string, number>;
  selectedCount?: number;
  publishedAt: string;
  /** The manifest, JSON text as produced by the draw engine (kept byte for byte) or a value. */
  manifest: string | Record<string, unknown>;
  /** ETag of the manifest (the chain head for version 2); computed from the text when absent. */
  manifestEtag?: string;
}

/** A published head of the audit chain (docs/draw-spec.md §12). */
export interface PublicAnchorRecord {
  seq: number;
  hash: string;
  publishedAt: string;
  reason: string;
}

export type PublicRecord =
  | ({ kind: "result" } & PublicResultRecord)
  | ({ kind: "plan" } & PublicPlanRecord)
  | ({ kind: "draw" } & PublicDrawRecord)
  | ({ kind: "anchor" } & PublicAnchorRecord);

export class ReadModelInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ReadModelInputError";
  }
}

type Loose = Record<string, unknown>;

function str(o: Loose, k: string, what: string, optional = false): string | undefined {
  const v = o[k];
  if (v === undefined || v === null) {
    if (optional) return undefined;
    throw new ReadModelInputError(`${what}: '${k}' is required`);
  }
  if (v instanceof Date) return v.toISOString();
  if (typeof v !== "string" || (!optional && v.length === 0)) throw new ReadModelInputError(`${what}: '${k}' must be a non-empty string`);
  return v;
}

function num(o: Loose, k: string, what: string, optional = false): number | undefined {
  const v = o[k];
  if (v === undefined || v === null) {
    if (optional) return undefined;
    throw new ReadModelInputError(`${what}: '${k}' is required`);
  }
  if (typeof v !== "number" || !Number.isFinite(v)) throw new ReadModelInputError(`${what}: '${k}' must be a number`);
  return v;
}

function strArray(o: Loose, k: string, what: string): string[] {
  const v = o[k];
  if (!Array.isArray(v) || v.some((x) => typeof x !== "string")) throw new ReadModelInputError(`${what}: '${k}' must be an array of strings`);
  return [...(v as string[])];
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Drop undefined members so the stored JSON has no `null` noise. */
function compact<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}

export function pickResult(input: object): PublicResultRecord {
  const o = input as Loose;
  const what = `published result ${String(o.id ?? "?")}`;
  const checkDate = str(o, "checkDate", what)!;
  const day = checkDate.length > 10 && !Number.isNaN(Date.parse(checkDate)) ? checkDate.slice(0, 10) : checkDate;
  if (!DATE.test(day)) throw new ReadModelInputError(`${what}: 'checkDate' must be YYYY-MM-DD`);
  return compact({
    id: str(o, "id", what)!,
    entityCode: str(o, "entityCode", what)!.trim().toUpperCase(),
    entityName: str(o, "entityName", what)!,
    taskNumber: str(o, "taskNumber", what)!,
    taskName: str(o, "taskName", what)!,
    department: str(o, "department", what)!,
    checkDate: day,
    results: strArray(o, "results", what),
    publishedAt: str(o, "publishedAt", what)!,
    planId: str(o, "planId", what, true),
    drawId: str(o, "drawId", what, true),
  });
}

export function pickPlan(input: object): PublicPlanRecord {
  const o = input as Loose;
  const what = `published plan ${String(o.id ?? "?")}`;
  const items = Array.isArray(o.items)
    ? (o.items as Loose[]).map((it) => compact({ name: str(it, "name", what)!, basis: str(it, "basis", what, true) }))
    : undefined;
  const batches = Array.isArray(o.batches)
    ? (o.batches as Loose[]).map((b) =>
        compact({
          id: str(b, "id", what)!,
          name: str(b, "name", what)!,
          from: str(b, "from", what, true),
          to: str(b, "to", what, true),
          quantity: num(b, "quantity", what, true),
        }),
      )
    : undefined;
  return compact({
    id: str(o, "id", what)!,
    name: str(o, "name", what)!,
    year: num(o, "year", what)!,
    leadDepartment: str(o, "leadDepartment", what)!,
    departments: strArray(o, "departments", what),
    description: str(o, "description", what, true),
    items,
    batches,
    publishedAt: str(o, "publishedAt", what)!,
  });
}

/**
 * Keys that must never appear in a public manifest (with a non-numeric value): the internal
 * credit-risk class, recusals, inspectors' identities and contact data.
 */
const FORBIDDEN_KEY = /risk|creditclass|strat(a|um)|recus|回避|inspector|personal|phone|mobile|email|idcard|id_card|identity|身份证|风险/i;

export function forbiddenManifestKeys(value: unknown, path = "$"): string[] {
  const found: string[] = [];
  if (Array.isArray(value)) {
    value.forEach((v, i) => found.push(...forbiddenManifestKeys(v, `${path}[${i}]`)));
  } else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value as Loose)) {
      if (FORBIDDEN_KEY.test(k) && v !== null && typeof v !== "number" && typeof v !== "boolean") found.push(`${path}.${k}`);
      found.push(...forbiddenManifestKeys(v, `${path}.${k}`));
    }
  }
  return found;
}

function provenance(o: Loose, what: string): string | Record<string, unknown> {
  const v = o.seedProvenance;
  if (v && typeof v === "object" && !Array.isArray(v)) {
    const bad = forbiddenManifestKeys(v);
    if (bad.length > 0) throw new ReadModelInputError(`${what}: the seed provenance carries non-public data at ${bad.join(", ")}`);
    return JSON.parse(JSON.stringify(v)) as Record<string, unknown>;
  }
  return str(o, "seedProvenance", what)!;
}

export interface PickedDraw {
  doc: Omit<PublicDrawRecord, "manifest" | "manifestEtag">;
  manifestText: string;
  manifestEtag: string | null;
}

/**
 * A version-2 public manifest is checked by its exact shape instead of key names: public inputs
 * and records' public parts only, private parts replaced by their digests (docs/draw-spec.md §10).
 */
function isV2PublicManifest(v: unknown): boolean {
  const o = v as Loose;
  if (!o || typeof o !== "object" || o.manifest !== "ssj-draw-manifest/2") return false;
  if (o.kind !== "public") throw new ReadModelInputError("a version-2 draw manifest must be the public kind to be published");
  const inputs = o.inputs as Loose;
  if (!inputs || "private" in inputs || Object.keys(inputs).sort().join(",") !== "privateDigest,public")
    throw new ReadModelInputError("the published manifest carries private inputs");
  for (const r of (o.records as Loose[]) ?? []) if ("private" in r) throw new ReadModelInputError("the published manifest carries a record's private part");
  return true;
}

const optArray = <T>(o: Loose, k: string): T[] | undefined => (Array.isArray(o[k]) ? JSON.parse(JSON.stringify(o[k])) : undefined);
const optObject = (o: Loose, k: string): Record<string, unknown> | undefined =>
  o[k] && typeof o[k] === "object" && !Array.isArray(o[k]) ? (JSON.parse(JSON.stringify(o[k])) as Record<string, unknown>) : undefined;

export function pickDraw(input: object): PickedDraw {
  const o = input as Loose;
  const what = `published draw ${String(o.id ?? "?")}`;
  const m = o.manifest;
  let manifestText: string;
  let parsed: unknown;
  if (typeof m === "string") {
    manifestText = m;
    try {
      parsed = JSON.parse(m);
    } catch {
      throw new ReadModelInputError(`${what}: 'manifest' is not valid JSON`);
    }
  } else if (m && typeof m === "object") {
    parsed = m;
    manifestText = `${JSON.stringify(m, null, 2)}\n`;
  } else {
    throw new ReadModelInputError(`${what}: 'manifest' is required`);
  }
  if (!isV2PublicManifest(parsed)) {
    const bad = forbiddenManifestKeys(parsed);
    if (bad.length > 0) throw new ReadModelInputError(`${what}: the manifest carries non-public data at ${bad.slice(0, 5).join(", ")}`);
  }
  const doc = compact({
    id: str(o, "id", what)!,
    planId: str(o, "planId", what)!,
    planName: str(o, "planName", what)!,
    batchId: str(o, "batchId", what, true),
    batchName: str(o, "batchName", what, true),
    department: str(o, "department", what)!,
    subject: str(o, "subject", what, true),
    status: str(o, "status", what, true),
    statusLabel: str(o, "statusLabel", what, true),
    attempt: num(o, "attempt", what, true),
    attemptsOfBatch: num(o, "attemptsOfBatch", what, true),
    frozenAt: str(o, "frozenAt", what, true),
    commitment: str(o, "commitment", what)!,
    publicDigest: str(o, "publicDigest", what, true),
    privateDigest: str(o, "privateDigest", what, true),
    seedPlan: optObject(o, "seedPlan"),
    secretCommitments: optArray<{ department: string; hash: string; committedAt: string; revealed: boolean }>(o, "secretCommitments"),
    seededAt: str(o, "seededAt", what, true),
    seed: str(o, "seed", what, true),
    seedProvenance: o.seedProvenance === undefined || o.seedProvenance === null ? undefined : provenance(o, what),
    drawnAt: str(o, "drawnAt", what, true),
    voidedAt: str(o, "voidedAt", what, true),
    voidReason: str(o, "voidReason", what, true),
    head: str(o, "head", what, true),
    records: optArray<{ seq: number; kind: string; at: string; digest: string; summary: string }>(o, "records"),
    auditHead: optObject(o, "auditHead") as { seq: number; hash: string } | undefined,
    algorithm: str(o, "algorithm", what)!,
    populationCount: num(o, "populationCount", what, true),
    classCounts: optObject(o, "classCounts") as Record<string, number> | undefined,
    selectedCount: num(o, "selectedCount", what, true),
    publishedAt: str(o, "publishedAt", what)!,
  });
  return { doc, manifestText, manifestEtag: str(o, "manifestEtag", what, true) ?? null };
}

export function pickAnchor(input: object): PublicAnchorRecord {
  const o = input as Loose;
  const what = `published audit anchor ${String(o.seq ?? "?")}`;
  const hash = str(o, "hash", what)!;
  if (!/^[0-9a-f]{64}$/.test(hash)) throw new ReadModelInputError(`${what}: 'hash' must be 64 hex characters`);
  return { seq: num(o, "seq", what)!, hash, publishedAt: str(o, "publishedAt", what)!, reason: str(o, "reason", what)! };
}
