/**
 * The draw ceremony of a batch, persisted (rules and arithmetic: src/draws, pure).
 *
 *   commitDraw      freeze the batch's inputs (entities, departments, quotas, inspectors, seed plan)
 *                   → commitment; one live draw per batch (DB unique `live_batch_id` → 409)
 *   submitSecret    commit-reveal: a department's SHA-256(secret)
 *   revealSecret    commit-reveal: the secret; the last one fixes the seed
 *   enterExternal   external seed: the public value named in the committed plan
 *   runDrawOnce     targets + inspector teams → manifest + tasks, exactly once (409 afterwards)
 *   voidDraw        with a reason; tasks cancelled; the batch can be drawn again with a new seed
 *
 * Every transition is checked by the engine's state machine (`nextDrawState`) rebuilt from the
 * rows, and every change is audited in its transaction.
 *
 * Until the draw runs, the `manifest` column holds the canonical JSON of the frozen inputs (whose
 * SHA-256 is the commitment); afterwards it holds the canonical JSON of the full manifest.
 */
import {
  buildManifest,
  canonicalJson,
  commitment as commitmentOf,
  DEFAULT_TEAM_RULE,
  DrawInputError,
  DrawStateError,
  freezeInputs,
  initialDrawState,
  nextDrawState,
  parseManifest,
  runDraw,
  substitute,
  substituteTarget,
  ticketOrder,
  ManifestFormatError,
  verifyManifest,
  type DepartmentInput,
  type DrawConfig,
  type DrawManifest,
  type DrawRequest,
  type DrawState,
  type FrozenInputs,
  type Quota,
  type RiskClass,
  type SeedPlan,
  type SeedProvenance,
} from "../../draws/index.ts";
import { publicManifest } from "../../draws/publicManifest.ts";
import { publishToReadModel, type PublicRecord } from "../readModel/index.ts";
import { inTransaction } from "./audit.ts";
import { RepoError, type RepoStore, type Tx } from "./db.ts";
import { asArray, getConfig } from "./directories.ts";

type Db = RepoStore["prisma"] | Tx;

export interface DrawView {
  id: number;
  batchId: number;
  status: string;
  attempt: number;
  specVersion: string;
  commitment: string;
  seedPlan: SeedPlan;
  secretCommitments: { department: string; hash: string; revealed: boolean; committedAt: string }[];
  seed: string | null;
  seedProvenance: unknown;
  voidReason: string | null;
  createdAt: string;
  seededAt: string | null;
  drawnAt: string | null;
  voidedAt: string | null;
  summary: { pool: number; excluded: number; selected: number | null; tasks: number | null };
}

const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null);

const DEFAULT_GENERAL_RATIO_CAP: Record<RiskClass, string> = { A: "5/100", B: "20/100", C: "60/100", D: "1/1" };

/** `draw` configuration entry: { generalRatioCap?, substitutes?, team? }. */
async function drawConfig(db: Db, departmentCodes: Map<number, string>): Promise<DrawConfig> {
  const row = await db.configEntry.findUnique({ where: { key: "draw" } });
  const c = (row?.value ?? {}) as Partial<DrawConfig>;
  const caps = await db.frequencyCap.findMany({ where: { departmentId: { in: [...departmentCodes.keys()] } } });
  return {
    generalRatioCap: { ...DEFAULT_GENERAL_RATIO_CAP, ...(c.generalRatioCap ?? {}) },
    substitutes: c.substitutes ?? 3,
    team: { ...DEFAULT_TEAM_RULE, ...(c.team ?? {}) },
    rules: [],
    frequencyCaps: caps.map((cap) => ({
      department: departmentCodes.get(cap.departmentId!)!,
      level: cap.level,
      maxPerYear: cap.maxPerYear,
      exemptKinds: asArray(cap.exemptions),
    })),
  };
}

function quotaOf(rule: { ratioPerMille: number | null; count: number | null } | undefined): Quota {
  if (!rule) return { count: 0 };
  if (rule.ratioPerMille !== null) return { ratio: `${rule.ratioPerMille}/1000` };
  return { count: rule.count ?? 0 };
}

export type SeedPlanInput = { mode: "commitReveal" } | { mode: "external"; source: string; reference: string };

/** Everything the engine needs about a batch, read in one transaction. */
export async function drawRequestFor(db: Db, batchId: number, seed: SeedPlanInput): Promise<DrawRequest> {
  const b = await db.batch.findUnique({
    where: { id: batchId },
    include: {
      plan: true,
      departments: { include: { department: true, items: { include: { item: true } }, samplingRules: true } },
    },
  });
  if (!b) throw new RepoError(404, "NOT_FOUND", `batch ${batchId} not found`);
  const codes = new Map<number, string>(b.departments.map((d) => [d.departmentId, d.department.code]));
  const lead = b.departments.find((d) => d.role === "lead");
  const year = b.plan.year;
  const conditions = b.directed ? (b.conditions as DepartmentInput["conditions"]) : undefined;
  const departments: DepartmentInput[] = b.departments.map((d) => ({
    id: d.department.code,
    name: d.department.name,
    role: d.role === "lead" ? "lead" : "participating",
    items: d.items.map((bi) => ({ id: bi.item.code, name: bi.item.name, kind: bi.item.importance === "key" ? "key" : "general" })),
    ...(conditions ? { conditions } : {}),
    quotas: Object.fromEntries(
      (["A", "B", "C", "D"] as const).map((k) => [k, quotaOf(d.samplingRules.find((r) => r.riskClass === k))]),
    ) as Record<RiskClass, Quota>,
  }));
  const entities = await db.entity.findMany({
    select: { id: true, code: true, districtCode: true, industryCode: true, kind: true, size: true, status: true, riskClass: true },
  });
  const codeById = new Map(entities.map((e) => [e.id, e.code]));
  const deptIds = [...codes.keys()];
  const pastTasks = await db.task.findMany({
    where: { status: { not: "cancelled" }, windowStart: { startsWith: String(year) } },
    select: { entityId: true, departmentId: true, kind: true, directedReason: true, department: { select: { code: true, level: true } } },
  });
  const officers = await db.inspector.findMany({ where: { departmentId: { in: deptIds } } });
  const experts = await db.expert.findMany({});
  const recusals = await db.recusal.findMany({ where: { inspectorId: { in: officers.map((o) => o.id) } } });
  const certById = new Map(officers.map((o) => [o.id, o.certificateNo]));
  const seedPlan: SeedPlan =
    seed.mode === "commitReveal" ? { mode: "commitReveal", departments: [...codes.values()] } : { mode: "external", source: seed.source, reference: seed.reference };
  return {
    batch: { id: b.code, name: b.name, year, level: lead?.department.level ?? "city" },
    entities: entities.map((e) => ({
      code: e.code,
      district: e.districtCode,
      industry: e.industryCode ?? "",
      kind: e.kind,
      ...(e.size ? { size: e.size } : {}),
      status: e.status,
      // Not yet classified: treated as 一般 (B).
      riskClass: (e.riskClass ?? "B") as RiskClass,
    })),
    departments,
    config: await drawConfig(db, codes),
    history: pastTasks.map((t) => ({
      code: codeById.get(t.entityId)!,
      department: t.department.code,
      level: t.department.level,
      year,
      kind: t.kind === "random" ? "random" : (t.directedReason ?? "directed").split(":")[0]!.trim(),
    })),
    inspectors: {
      officers: officers.map((o) => ({
        id: o.certificateNo,
        department: codes.get(o.departmentId)!,
        qualifications: asArray(o.qualifications),
        districts: asArray(o.districts),
        active: o.active,
      })),
      experts: experts.map((x) => ({ id: x.certificateNo ?? `EXPERT-${x.id}`, specialities: asArray(x.specialities), districts: asArray(x.districts), active: x.active })),
      recusals: recusals.map((r) => ({ inspectorId: certById.get(r.inspectorId)!, code: codeById.get(r.entityId)!, reason: r.reason })),
    },
    seedPlan,
  };
}

function engineError(e: unknown): never {
  if (e instanceof DrawStateError) {
    const status = e.code === "alreadyDrawn" || e.code === "duplicate" || e.code === "wrongPhase" || e.code === "seedReused" ? 409 : 422;
    throw new RepoError(status, `DRAW_${e.code.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`, e.message);
  }
  if (e instanceof DrawInputError) throw new RepoError(422, "DRAW_INPUT_INVALID", e.message, e.field);
  throw e;
}

type DrawRow = NonNullable<Awaited<ReturnType<Tx["draw"]["findUnique"]>>>;

async function loadDraw(db: Db, id: number) {
  const d = await db.draw.findUnique({ where: { id }, include: { commitments: { include: { department: true }, orderBy: { departmentId: "asc" } } } });
  if (!d) throw new RepoError(404, "NOT_FOUND", `draw ${id} not found`);
  return d;
}

function frozenOf(d: DrawRow): FrozenInputs {
  const doc = JSON.parse(d.manifest ?? "null") as FrozenInputs | DrawManifest;
  return "inputs" in doc && (doc as DrawManifest).manifest ? (doc as DrawManifest).inputs : (doc as FrozenInputs);
}

/** The engine's state of a draw, rebuilt from its rows (and the batch's voided attempts). */
async function stateOf(db: Db, d: Awaited<ReturnType<typeof loadDraw>>): Promise<DrawState> {
  const voided = await db.draw.findMany({ where: { batchId: d.batchId, status: "void", id: { lt: d.id } }, orderBy: { id: "asc" } });
  const f = frozenOf(d);
  const s: DrawState = {
    ...initialDrawState(),
    attempt: voided.length + 1,
    voided: voided.map((v, i) => ({ attempt: i + 1, commitment: v.commitment, seed: v.seed, resultDigest: null, reason: v.voidReason ?? "", at: iso(v.voidedAt)! })),
  };
  return {
    ...s,
    phase: d.status === "void" ? "open" : (d.status as DrawState["phase"]),
    commitment: d.commitment,
    seedPlan: f.seedPlan,
    frozenAt: d.createdAt.toISOString(),
    secretCommitments: Object.fromEntries(d.commitments.map((c) => [c.department.code, c.hash])),
    reveals: Object.fromEntries(d.commitments.filter((c) => c.reveal).map((c) => [c.department.code, c.reveal!])),
    seed: d.seed,
    provenance: (d.seedProvenance as SeedProvenance | null) ?? null,
  };
}

function view(d: Awaited<ReturnType<typeof loadDraw>>, attempt: number, taskCount: number | null): DrawView {
  const f = frozenOf(d);
  let selected: number | null = null;
  if (d.status === "drawn" || (d.status === "void" && d.drawnAt)) {
    const m = JSON.parse(d.manifest!) as DrawManifest;
    selected = m.results.targets.reduce((n, t) => n + t.strata.reduce((k, s) => k + s.selected.length, 0), 0);
  }
  return {
    id: d.id,
    batchId: d.batchId,
    status: d.status,
    attempt,
    specVersion: d.specVersion,
    commitment: d.commitment,
    seedPlan: f.seedPlan,
    secretCommitments: d.commitments.map((c) => ({ department: c.department.code, hash: c.hash, revealed: c.reveal !== null, committedAt: c.committedAt.toISOString() })),
    seed: d.seed,
    seedProvenance: d.seedProvenance ?? null,
    voidReason: d.voidReason,
    createdAt: d.createdAt.toISOString(),
    seededAt: iso(d.seededAt),
    drawnAt: iso(d.drawnAt),
    voidedAt: iso(d.voidedAt),
    summary: { pool: f.pool.codes.length, excluded: f.excluded.length, selected, tasks: taskCount },
  };
}

export async function getDraw(store: RepoStore, id: number): Promise<DrawView> {
  const d = await loadDraw(store.prisma, id);
  const attempt = (await store.prisma.draw.count({ where: { batchId: d.batchId, status: "void", id: { lt: d.id } } })) + 1;
  const tasks = d.status === "drawn" ? await store.prisma.task.count({ where: { drawId: id } }) : null;
  return view(d, attempt, tasks);
}

export async function listBatchDraws(store: RepoStore, batchId: number): Promise<DrawView[]> {
  const rows = await store.prisma.draw.findMany({ where: { batchId }, orderBy: { id: "asc" }, select: { id: true } });
  const out: DrawView[] = [];
  for (const r of rows) out.push(await getDraw(store, r.id));
  return out;
}

/** Batch id and department ids of a draw (for authorization). */
export async function drawScope(store: RepoStore, id: number): Promise<{ batchId: number; leadDepartmentId: number; departmentIds: number[] }> {
  const d = await store.prisma.draw.findUnique({ where: { id }, select: { batch: { select: { id: true, departments: true } } } });
  if (!d) throw new RepoError(404, "NOT_FOUND", `draw ${id} not found`);
  const deps = d.batch.departments;
  return { batchId: d.batch.id, leadDepartmentId: deps.find((x) => x.role === "lead")!.departmentId, departmentIds: deps.map((x) => x.departmentId) };
}

export async function commitDraw(store: RepoStore, batchId: number, seed: SeedPlanInput, actor: string): Promise<DrawView> {
  const id = await inTransaction(store, async (tx) => {
    const batch = await tx.batch.findUnique({ where: { id: batchId } });
    if (!batch) throw new RepoError(404, "NOT_FOUND", `batch ${batchId} not found`);
    const live = await tx.draw.findUnique({ where: { liveBatchId: batchId } });
    if (live) throw new RepoError(409, "LIVE_DRAW_EXISTS", `batch ${batchId} already has a live draw (${live.id}, ${live.status}); void it with a reason first`);
    let frozen: FrozenInputs;
    try {
      frozen = freezeInputs(await drawRequestFor(tx, batchId, seed));
    } catch (e) {
      engineError(e);
    }
    const c = commitmentOf(frozen);
    // State rules: the batch's previous attempts, then this freeze.
    const voided = await tx.draw.findMany({ where: { batchId, status: "void" } });
    if (voided.some((v) => v.commitment === c && seed.mode === "external"))
      throw new RepoError(409, "DRAW_SEED_REUSED", "the same inputs and external seed source were used by a voided attempt; name a new external value");
    try {
      nextDrawState(initialDrawState(), { type: "freeze", commitment: c, seedPlan: frozen.seedPlan, at: new Date().toISOString() });
    } catch (e) {
      engineError(e);
    }
    const d = await tx.draw.create({
      data: {
        batchId,
        liveBatchId: batchId, // UNIQUE: a second live draw of the batch fails here, even from another instance
        status: "committed",
        specVersion: frozen.spec,
        inputDigest: c,
        commitment: c,
        manifest: canonicalJson(frozen),
      },
    });
    return {
      value: d.id,
      audit: { actor, action: "draw.commit", subject: `draw:${d.id}`, payload: { batchId, commitment: c, seedPlan: frozen.seedPlan, pool: frozen.pool.codes.length } },
    };
  }).catch((e: unknown) => {
    if ((e as { code?: string })?.code === "P2002" || /live_batch_id|Unique constraint/i.test(String((e as Error)?.message))) {
      throw new RepoError(409, "LIVE_DRAW_EXISTS", `batch ${batchId} already has a live draw; void it with a reason first`);
    }
    throw e;
  });
  return getDraw(store, id);
}

async function departmentCode(db: Db, departmentId: number): Promise<string> {
  const d = await db.department.findUnique({ where: { id: departmentId } });
  if (!d) throw new RepoError(422, "UNKNOWN_DEPARTMENT", `department ${departmentId} does not exist`, "department");
  return d.code;
}

export async function submitSecret(store: RepoStore, drawId: number, departmentId: number, hash: string, actor: string): Promise<DrawView> {
  await inTransaction(store, async (tx) => {
    const d = await loadDraw(tx, drawId);
    const code = await departmentCode(tx, departmentId);
    try {
      nextDrawState(await stateOf(tx, d), { type: "secretCommitment", department: code, commitment: hash, at: new Date().toISOString() });
    } catch (e) {
      engineError(e);
    }
    await tx.drawCommitment.create({ data: { drawId, departmentId, hash } });
    return { value: null, audit: { actor, action: "draw.secretCommitment", subject: `draw:${drawId}`, payload: { department: code, hash } } };
  });
  return getDraw(store, drawId);
}

export async function revealSecret(store: RepoStore, drawId: number, departmentId: number, secret: string, actor: string): Promise<DrawView> {
  await inTransaction(store, async (tx) => {
    const d = await loadDraw(tx, drawId);
    const code = await departmentCode(tx, departmentId);
    let next: DrawState;
    try {
      next = nextDrawState(await stateOf(tx, d), { type: "reveal", department: code, secret, at: new Date().toISOString() });
    } catch (e) {
      engineError(e);
    }
    await tx.drawCommitment.update({ where: { drawId_departmentId: { drawId, departmentId } }, data: { reveal: secret, revealedAt: new Date() } });
    const audit = [{ actor, action: "draw.reveal", subject: `draw:${drawId}`, payload: { department: code } }];
    if (next.phase === "seeded") {
      await tx.draw.update({ where: { id: drawId }, data: { status: "seeded", seed: next.seed, seedProvenance: next.provenance as object, seededAt: new Date() } });
      audit.push({ actor, action: "draw.seeded", subject: `draw:${drawId}`, payload: { seed: next.seed } as never });
    }
    return { value: null, audit };
  });
  return getDraw(store, drawId);
}

export async function enterExternalValue(store: RepoStore, drawId: number, value: string, publishedAt: string, actor: string): Promise<DrawView> {
  await inTransaction(store, async (tx) => {
    const d = await loadDraw(tx, drawId);
    let next: DrawState;
    try {
      next = nextDrawState(await stateOf(tx, d), { type: "externalValue", value, publishedAt, at: new Date().toISOString() });
    } catch (e) {
      engineError(e);
    }
    await tx.draw.update({ where: { id: drawId }, data: { status: "seeded", seed: next.seed, seedProvenance: next.provenance as object, seededAt: new Date() } });
    return { value: null, audit: { actor, action: "draw.seeded", subject: `draw:${drawId}`, payload: { seed: next.seed, provenance: next.provenance } } };
  });
  return getDraw(store, drawId);
}

/** Run the draw once: manifest, tasks. A second run (or a racing one) gets 409. */
export async function runDrawOnce(store: RepoStore, drawId: number, actor: string, log?: { error(obj: unknown, msg: string): void }): Promise<DrawView> {
  await inTransaction(store, async (tx) => {
    const d = await loadDraw(tx, drawId);
    const state = await stateOf(tx, d);
    const f = frozenOf(d);
    let manifest: DrawManifest;
    try {
      if (state.phase !== "seeded") nextDrawState(state, { type: "draw", resultDigest: "0".repeat(64), at: new Date().toISOString() });
      manifest = buildManifest({ inputs: f, provenance: state.provenance!, results: runDraw(f, state.seed!) });
      nextDrawState(state, { type: "draw", resultDigest: manifest.resultDigest, at: new Date().toISOString() });
    } catch (e) {
      engineError(e);
    }
    // Conditional update: of two racing runs only one moves the row from 'seeded' to 'drawn'.
    const moved = await tx.draw.updateMany({ where: { id: drawId, status: "seeded" }, data: { status: "drawn", manifest: canonicalJson(manifest), drawnAt: new Date() } });
    if (moved.count !== 1) throw new RepoError(409, "DRAW_ALREADY_DRAWN", `draw ${drawId} has already been drawn`);

    const batch = await tx.batch.findUniqueOrThrow({ where: { id: d.batchId }, include: { departments: { include: { department: true, items: true } } } });
    const deptByCode = new Map(batch.departments.map((bd) => [bd.department.code, bd]));
    const codes = manifest.results.targets.flatMap((t) => t.strata.flatMap((s) => s.selected.map(([, code]) => code)));
    const ents = await tx.entity.findMany({ where: { code: { in: [...new Set(codes)] } }, select: { id: true, code: true } });
    const entityId = new Map(ents.map((e) => [e.code, e.id]));
    let n = 0;
    const rows: { taskNo: string; entityId: number; departmentId: number; batchId: number; drawId: number; kind: string; windowStart: string; windowEnd: string }[] = [];
    for (const t of manifest.results.targets) {
      const bd = deptByCode.get(t.department)!;
      for (const s of t.strata)
        for (const [, code] of s.selected)
          rows.push({
            taskNo: `${batch.code}-${drawId}-${String(++n).padStart(5, "0")}`,
            entityId: entityId.get(code)!,
            departmentId: bd.departmentId,
            batchId: batch.id,
            drawId,
            kind: "random",
            windowStart: batch.windowStart,
            windowEnd: batch.windowEnd,
          });
    }
    if (rows.length > 0) await tx.task.createMany({ data: rows });
    const created = await tx.task.findMany({ where: { drawId }, select: { id: true, departmentId: true } });
    const itemsByDept = new Map(batch.departments.map((bd) => [bd.departmentId, bd.items.map((i) => i.itemId)]));
    const taskItems = created.flatMap((t) => (itemsByDept.get(t.departmentId) ?? []).map((itemId) => ({ taskId: t.id, itemId })));
    if (taskItems.length > 0) await tx.taskItem.createMany({ data: taskItems });
    await tx.batch.update({ where: { id: batch.id }, data: { status: "drawn" } });
    return {
      value: null,
      audit: { actor, action: "draw.run", subject: `draw:${drawId}`, payload: { resultDigest: manifest.resultDigest, tasks: rows.length } },
    };
  });
  // 一公开: the public manifest (risk classes and inspectors withheld, docs/draw-spec.md "Public
  // manifest") goes to the read model. The read model lives on the driver connection, so like
  // results and plans it is written right after the commit; rebuildReadModel sources drawn draws too.
  try {
    await publishToReadModel(store, [await publicDrawRecord(store, drawId)]);
  } catch (err) {
    log?.error({ err, drawId }, "drawn draw could not be written to the public read model");
  }
  return getDraw(store, drawId);
}

/** The public (公示) record of a drawn draw: commitment, seed, provenance, the public manifest. */
export async function publicDrawRecord(store: RepoStore, drawId: number): Promise<PublicRecord> {
  const d = await store.prisma.draw.findUniqueOrThrow({ where: { id: drawId } });
  if (!d.manifest || !d.drawnAt) throw new RepoError(409, "NOT_DRAWN", `draw ${drawId} has not been drawn yet`);
  const m = JSON.parse(d.manifest) as DrawManifest;
  const b = await store.prisma.batch.findUniqueOrThrow({ where: { id: d.batchId }, include: { plan: true, departments: { include: { department: true } } } });
  const pub = publicManifest(m);
  return {
    kind: "draw",
    id: String(drawId),
    planId: String(b.planId),
    planName: b.plan.name,
    batchName: b.name,
    department: b.departments.map((bd) => bd.department.name).join("、"),
    subject: "检查对象",
    drawnAt: d.drawnAt.toISOString(),
    publishedAt: d.drawnAt.toISOString(),
    commitment: m.commitment,
    seed: m.seed.value,
    seedProvenance: m.seed.provenance as unknown as Record<string, unknown>,
    algorithm: m.spec,
    populationCount: m.inputs.pool.codes.length,
    selectedCount: pub.results.targets.reduce((n, t) => n + t.selected.length, 0),
    manifest: `${JSON.stringify(pub, null, 2)}\n`,
  };
}

export async function voidDraw(store: RepoStore, drawId: number, reason: string, actor: string): Promise<DrawView> {
  await inTransaction(store, async (tx) => {
    const d = await loadDraw(tx, drawId);
    if (d.status === "void") throw new RepoError(409, "DRAW_ALREADY_VOID", `draw ${drawId} is already void`);
    try {
      nextDrawState(await stateOf(tx, d), { type: "void", reason, at: new Date().toISOString() });
    } catch (e) {
      engineError(e);
    }
    const done = await tx.result.count({ where: { task: { drawId } } });
    if (done > 0) throw new RepoError(409, "DRAW_HAS_RESULTS", `draw ${drawId} already has ${done} recorded results and cannot be voided`);
    await tx.draw.update({ where: { id: drawId }, data: { status: "void", liveBatchId: null, voidReason: reason, voidedAt: new Date() } });
    const cancelled = await tx.task.updateMany({ where: { drawId }, data: { status: "cancelled" } });
    await tx.batch.update({ where: { id: d.batchId }, data: { status: "ready" } });
    return { value: null, audit: { actor, action: "draw.void", subject: `draw:${drawId}`, payload: { reason, status: d.status, tasksCancelled: cancelled.count } } };
  });
  return getDraw(store, drawId);
}

export type SubstitutionRequest =
  | { kind: "target"; departmentId: number; out: string; reason: string }
  | { kind: "inspector"; departmentId: number | "expert"; entityCode: string; out: string; reason: string };

/**
 * 递补 after the draw: a drawn entity that cannot be checked (found deregistered, …) or a drawn
 * officer who must step aside (回避, unavailable) is replaced by the next one of the published
 * random order — never a free choice. The substitution is appended to the manifest (which
 * `verifyManifest` replays) and applied to the tasks / planned teams, in one audited transaction.
 */
export async function substituteInDraw(store: RepoStore, drawId: number, req: SubstitutionRequest, actor: string): Promise<{ in: string | null; manifestSubstitutions: number }> {
  return inTransaction(store, async (tx) => {
    const d = await tx.draw.findUnique({ where: { id: drawId } });
    if (!d) throw new RepoError(404, "NOT_FOUND", `draw ${drawId} not found`);
    if (d.status !== "drawn" || !d.manifest || !d.seed) throw new RepoError(409, "NOT_DRAWN", `draw ${drawId} is ${d.status}: substitutions follow a completed draw`);
    const m = JSON.parse(d.manifest) as DrawManifest;
    const f = m.inputs;
    const deptCode = req.departmentId === "expert" ? "expert" : await departmentCode(tx, req.departmentId);
    if (!req.reason.trim()) throw new RepoError(400, "VALIDATION_FAILED", "a substitution needs a reason", "body.reason");
    let result: { in: string | null };
    let payload: Record<string, unknown>;
    try {
      if (req.kind === "target") {
        const t = m.results.targets.find((x) => x.department === deptCode);
        if (!t) throw new RepoError(422, "NOT_IN_DRAW", `department ${deptCode} takes no part in draw ${drawId}`, "body.departmentId");
        // the stratum the entity was drawn in (after earlier substitutions it may be a substitute)
        const stratum =
          t.strata.find((s) => s.selected.some(([, c]) => c === req.out))?.stratum ??
          m.substitutions.targets.find((x) => x.department === deptCode && x.in === req.out)?.stratum;
        if (!stratum) throw new RepoError(422, "NOT_DRAWN_ENTITY", `${req.out} was not drawn for ${deptCode}`, "body.out");
        const r = substituteTarget(f, ticketOrder(f, d.seed!), m.results.targets, m.substitutions.targets, { department: deptCode, stratum, out: req.out, reason: req.reason.trim() });
        m.substitutions.targets.push(r);
        result = r;
        payload = { ...r };
        // tasks: the replaced entity's task is cancelled, the substitute gets one with the same items
        const out = await tx.task.findFirst({ where: { drawId, departmentId: req.departmentId as number, entity: { code: req.out } }, include: { items: true } });
        if (out) {
          await tx.task.update({ where: { id: out.id }, data: { status: "cancelled" } });
          if (r.in) {
            const ent = await tx.entity.findUniqueOrThrow({ where: { code: r.in } });
            const n = await tx.task.count({ where: { drawId } });
            const batch = await tx.batch.findUniqueOrThrow({ where: { id: d.batchId } });
            const t2 = await tx.task.create({
              data: {
                taskNo: `${batch.code}-${drawId}-S${String(n + 1).padStart(4, "0")}`,
                entityId: ent.id,
                departmentId: out.departmentId,
                batchId: out.batchId,
                drawId,
                kind: "random",
                windowStart: out.windowStart,
                windowEnd: out.windowEnd,
              },
            });
            if (out.items.length > 0) await tx.taskItem.createMany({ data: out.items.map((i) => ({ taskId: t2.id, itemId: i.itemId })) });
            payload.task = t2.taskNo;
          }
        }
      } else {
        const check = m.results.checks?.find((c) => c.code === req.entityCode);
        if (!check) throw new RepoError(422, "NOT_IN_DRAW", `${req.entityCode} has no check in draw ${drawId}`, "body.entityCode");
        const r = substitute(f, d.seed!, check, m.substitutions.inspectors, { department: deptCode, out: req.out, reason: req.reason.trim() });
        m.substitutions.inspectors.push(r);
        result = r;
        payload = { ...r };
        // a planned visit to this entity with the replaced officer gets the substitute, on record
        if (r.in && deptCode !== "expert") {
          const [outI, inI] = await Promise.all([
            tx.inspector.findUnique({ where: { certificateNo: r.out } }),
            tx.inspector.findUnique({ where: { certificateNo: r.in } }),
          ]);
          if (outI && inI) {
            await tx.teamMember.updateMany({
              where: { inspectorId: outI.id, jointCheck: { status: "planned", entity: { code: req.entityCode } } },
              data: { inspectorId: inI.id, replacedInspectorId: outI.id, substitutionReason: req.reason.trim() },
            });
          }
        }
      }
    } catch (e) {
      if (e instanceof RepoError) throw e;
      engineError(e);
    }
    await tx.draw.update({ where: { id: drawId }, data: { manifest: canonicalJson(m) } });
    return {
      value: { in: result.in, manifestSubstitutions: m.substitutions.targets.length + m.substitutions.inspectors.length },
      audit: { actor, action: `draw.substitute.${req.kind}`, subject: `draw:${drawId}`, payload },
    };
  });
}

/** The stored manifest text (byte-exact), once drawn. */
export async function manifestText(store: RepoStore, drawId: number): Promise<string> {
  const d = await store.prisma.draw.findUnique({ where: { id: drawId } });
  if (!d) throw new RepoError(404, "NOT_FOUND", `draw ${drawId} not found`);
  if (!d.drawnAt || !d.manifest) throw new RepoError(409, "NOT_DRAWN", `draw ${drawId} has not been drawn yet (status ${d.status})`);
  return d.manifest;
}

/** Verify an uploaded manifest offline, and say whether it is one of ours (by commitment). */
export async function verifyUploadedManifest(
  store: RepoStore,
  text: string,
): Promise<{ ok: boolean; path?: string; message?: string; summary?: unknown; knownDraw: { id: number; status: string; matchesStored: boolean } | null }> {
  let m: DrawManifest;
  try {
    m = parseManifest(text);
  } catch (e) {
    if (e instanceof ManifestFormatError) throw new RepoError(422, "NOT_A_MANIFEST", e.message, "manifest");
    throw e;
  }
  const known = await store.prisma.draw.findFirst({ where: { commitment: m.commitment }, orderBy: { id: "desc" } });
  const outcome = await verifyManifest(m, known ? { expectedCommitment: known.commitment } : {});
  let knownDraw: { id: number; status: string; matchesStored: boolean } | null = null;
  if (known) {
    const stored = known.drawnAt && known.manifest ? (JSON.parse(known.manifest) as DrawManifest) : null;
    knownDraw = { id: known.id, status: known.status, matchesStored: stored !== null && stored.resultDigest === m.resultDigest && stored.seed.value === m.seed.value };
  }
  return outcome.ok ? { ok: true, summary: outcome.summary, knownDraw } : { ok: false, path: outcome.path, message: outcome.message, knownDraw };
}

export { getConfig };
