/**
 * The draw ceremony of a batch, persisted (rules and arithmetic: src/draws/v2, pure; row ↔ core
 * translation: src/store/translate/draws.ts). Who may do what is decided here, once, for the API
 * and the CLI alike (`DrawActor`).
 *
 *   commitDraw       freeze the attempt's inputs → commitment; published at once (public inputs,
 *                    commitment, freeze time, seed plan); only for batches of an approved plan
 *   submitSecret     commit-reveal: a department's SHA-256(secret) — that department's officers only
 *   revealSecret     commit-reveal: the secret; the last one fixes the seed
 *   enterExternal    external seed: the public value named in the committed plan
 *   runDraw          targets + teams → record 0 of the chain + tasks, exactly once
 *   substituteInDraw 递补: the next of the published order → a chain record (and the schedule kept valid)
 *   scheduleBatch    the optimizer places the drawn teams on days → a schedule record
 *   voidDraw         with a reason; public; the batch can be drawn again with a new seed
 *
 * Every change is audited in its transaction and published to the read model right after it.
 * The database refuses any change to a draw's inputs, commitment, seed or records (triggers).
 */
import { createHash, randomBytes } from "node:crypto";
import { canonicalJson, DrawInputError, MANIFEST_VERSION, parseManifest, verifyManifest, type DrawManifest } from "../../draws/index.ts";
import {
  ChainReplay,
  classProof,
  enterExternalValue as ceremonyExternal,
  freezeDraw,
  fullManifest,
  inputsDigests,
  publicManifest,
  revealSecret as ceremonyReveal,
  submitSecretCommitment,
  verifyFull2,
  verifyPublic2,
  type Ceremony,
  type ClassProof,
  type DrawRecord2,
  type FrozenInputs2,
  type FullManifest2,
  type PreviousAttempt,
  type Provenance2,
  type PublicManifest2,
  type Verify2Outcome,
} from "../../draws/v2/index.ts";
import { patchSchedule } from "../../draws/v2/schedulePatch.ts";
import { verifyPublicManifest, isPublicManifest } from "../../draws/publicManifest.ts";
import { parseStrictJson, StrictJsonError } from "../../draws/jsonReader.ts";
import { workingDaysInRange } from "../../calendar/index.ts";
import { auditHead } from "../audit.ts";
import { publishToReadModel, type PublicRecord } from "../readModel/index.ts";
import { drawRequestFromRows, expertId, instanceFromDraw, scheduleFromSolver } from "../translate/draws.ts";
import { coreCap, departmentCaps, departmentTree } from "../translate/frequencyCaps.ts";
import { inTransaction, type AuditEntry } from "./audit.ts";
import { assertPublishedBeforeNow, ceremonyRepoError } from "./ceremonyErrors.ts";
import { RepoError, type RepoStore, type Tx } from "./db.ts";
import { asArray, getConfig } from "./directories.ts";
import { calendarFor } from "./settings.ts";
import { publishAnchor } from "./anchors.ts";
import { solveAndRecord } from "./optimizationRuns.ts";

type Db = RepoStore["prisma"] | Tx;

/** Who acts, as the API's principal and the CLI's authenticated user both are. */
export interface DrawActor {
  userId: number;
  role: "admin" | "officer" | "auditor";
  departmentId: number | null;
}

const actorString = (a: DrawActor) => `user:${a.userId}`;

export const STATUS_LABEL: Record<string, string> = { committed: "已承诺（待生成种子）", seeded: "已生成种子（待抽取）", drawn: "已抽取", void: "已作废" };

export interface DrawView {
  id: number;
  batchId: number;
  status: string;
  statusLabel: string;
  attempt: number;
  specVersion: string;
  commitment: string;
  publicDigest: string | null;
  privateDigest: string | null;
  frozenAt: string | null;
  seedPlan: unknown;
  secretCommitments: { department: string; hash: string; revealed: boolean; committedAt: string }[];
  seed: string | null;
  seedProvenance: unknown;
  head: string;
  records: { seq: number; kind: string; at: string; digest: string }[];
  voidReason: string | null;
  voidedAt: string | null;
  createdAt: string;
  seededAt: string | null;
  drawnAt: string | null;
  summary: {
    pool: number;
    excluded: number;
    selected: number | null;
    tasks: number | null;
    /** Each department's own exclusions (public inputs), and how many of them its yearly frequency cap made. */
    departments: { department: string; name: string; excluded: number; frequencyCap: number }[];
  };
}

const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null);

// ─── errors ──────────────────────────────────────────────────────────────────────────────────

function engineError(e: unknown): never {
  return ceremonyRepoError(e, "DRAW_INPUT_INVALID");
}

// ─── authorization (one place for API and CLI) ───────────────────────────────────────────────

export interface DrawScope {
  batchId: number;
  leadDepartmentId: number;
  departmentIds: number[];
}

async function batchScope(db: Db, batchId: number): Promise<DrawScope> {
  const deps = await db.batchDepartment.findMany({ where: { batchId } });
  if (deps.length === 0) throw new RepoError(404, "NOT_FOUND", `批次 ${batchId} 不存在`);
  return { batchId, leadDepartmentId: deps.find((d) => d.role === "lead")!.departmentId, departmentIds: deps.map((d) => d.departmentId) };
}

export async function drawScope(db: Db, drawId: number): Promise<DrawScope> {
  const d = await db.draw.findUnique({ where: { id: drawId }, select: { batchId: true } });
  if (!d) throw new RepoError(404, "NOT_FOUND", `抽取 ${drawId} 不存在`);
  return batchScope(db, d.batchId);
}

const forbidden = (msg: string) => new RepoError(403, "FORBIDDEN", msg);

/** Reading a draw (and its full manifest): admins, auditors, officers of the batch's departments. */
export function assertCanRead(a: DrawActor, s: DrawScope): void {
  if (a.role === "officer" && !s.departmentIds.includes(a.departmentId!)) throw forbidden("科员只能查看本部门参与的批次的抽取");
}

/** Running the ceremony (commit, external value, draw, void, schedule): admins and the lead department's officers. */
export function assertCanRun(a: DrawActor, s: DrawScope): void {
  if (a.role === "auditor") throw forbidden("审计人员只能查看和核验，不能操作抽取");
  if (a.role === "officer" && a.departmentId !== s.leadDepartmentId) throw forbidden("只有发起部门的科员（或管理员）才能操作本批次的抽取");
}

/** A department's own secret: only that department's officers — never an administrator, never for another department. */
export function assertOwnDepartment(a: DrawActor, s: DrawScope, departmentId: number): void {
  if (a.role !== "officer") throw forbidden("秘密值只能由参与部门的科员本人提交和公开：管理员若能代各部门提交，就能独自决定种子");
  if (a.departmentId !== departmentId) throw forbidden("只能为本部门提交或公开秘密值");
  if (!s.departmentIds.includes(departmentId)) throw forbidden("本部门不参与该批次");
}

/** A substitution for a department: its officers, or an admin naming it; experts: lead or admin. */
export function assertCanSubstitute(a: DrawActor, s: DrawScope, departmentId: number | "expert"): void {
  if (a.role === "auditor") throw forbidden("审计人员不能递补");
  if (departmentId === "expert") return assertCanRun(a, s);
  if (a.role === "officer" && a.departmentId !== departmentId) throw forbidden("只能为本部门递补");
  if (!s.departmentIds.includes(departmentId)) throw new RepoError(422, "NOT_IN_DRAW", "该部门不参与本批次", "body.departmentId");
}

// ─── loading ─────────────────────────────────────────────────────────────────────────────────

const drawInclude = { commitments: { include: { department: true }, orderBy: { departmentId: "asc" as const } }, records: { orderBy: { seq: "asc" as const } } };

async function loadDraw(db: Db, id: number) {
  const d = await db.draw.findUnique({ where: { id }, include: drawInclude });
  if (!d) throw new RepoError(404, "NOT_FOUND", `抽取 ${id} 不存在`);
  return d;
}
type DrawRow = Awaited<ReturnType<typeof loadDraw>>;

const isV2 = (d: { specVersion: string }) => d.specVersion === "ssj-draw/2";

function inputsOf(d: DrawRow): FrozenInputs2 {
  if (!isV2(d)) throw new RepoError(409, "LEGACY_DRAW", `抽取 ${d.id} 是 ssj-draw/1 版本，只能下载和核验其清单`);
  return { public: JSON.parse(d.publicInputs!), private: JSON.parse(d.privateInputs!) };
}

function ceremonyOf(d: DrawRow): Ceremony {
  const inputs = JSON.parse(d.publicInputs!);
  return {
    phase: d.status as Ceremony["phase"],
    inputs,
    commitment: d.commitment,
    secrets: Object.fromEntries(
      d.commitments.map((c) => [c.department.code, { hash: c.hash, committedAt: c.committedAt.toISOString(), ...(c.reveal ? { secret: c.reveal, revealedAt: c.revealedAt!.toISOString() } : {}) }]),
    ),
  };
}

function recordOf(r: DrawRow["records"][number]): DrawRecord2 {
  return { kind: r.kind, seq: r.seq, prev: r.prev, at: r.at.toISOString(), public: JSON.parse(r.publicPart), private: JSON.parse(r.privatePart) } as DrawRecord2;
}

/** Rebuild the chain from the rows (every stored record is re-derived on the way). */
async function replayOf(d: DrawRow): Promise<ChainReplay> {
  const inputs = inputsOf(d);
  if (!d.seed) throw new RepoError(409, "NOT_SEEDED", `抽取 ${d.id} 尚未生成种子`);
  const r = await ChainReplay.create(inputs, d.seed, d.seedProvenance as unknown as Provenance2, d.commitment);
  d.records.forEach((rec, i) => r.apply(recordOf(rec), `records[${i}]`));
  return r;
}

function headOfRow(d: DrawRow): string {
  if (d.records.length > 0) return d.records[d.records.length - 1]!.digest;
  if (d.seed && isV2(d)) {
    return createHash("sha256")
      .update(canonicalJson({ commitment: d.commitment, provenance: d.seedProvenance, purpose: "ssj-draw/2 seed record", seed: d.seed }))
      .digest("hex");
  }
  return d.commitment;
}

function selectedCount(d: DrawRow): number | null {
  const r0 = d.records[0];
  if (!r0) return null;
  return (JSON.parse(r0.publicPart) as { results: { targets: { selected: unknown[] }[] } }).results.targets.reduce((n, t) => n + t.selected.length, 0);
}

function view(d: DrawRow, tasks: number | null): DrawView {
  const pub = d.publicInputs ? (JSON.parse(d.publicInputs) as FrozenInputs2["public"]) : null;
  const legacy = !pub && d.manifest ? (JSON.parse(d.manifest) as DrawManifest & { inputs?: { seedPlan: unknown; pool: { codes: string[] }; excluded: unknown[] } }) : null;
  const legacyInputs = legacy ? ((legacy as { manifest?: string }).manifest === MANIFEST_VERSION ? legacy.inputs : (legacy as unknown as DrawManifest["inputs"])) : null;
  return {
    id: d.id,
    batchId: d.batchId,
    status: d.status,
    statusLabel: STATUS_LABEL[d.status] ?? d.status,
    attempt: d.attempt,
    specVersion: d.specVersion,
    commitment: d.commitment,
    publicDigest: pub ? d.inputDigest : null,
    privateDigest: d.privateDigest,
    frozenAt: iso(d.frozenAt),
    seedPlan: pub?.seedPlan ?? legacyInputs?.seedPlan ?? null,
    secretCommitments: d.commitments.map((c) => ({ department: c.department.code, hash: c.hash, revealed: c.reveal !== null, committedAt: c.committedAt.toISOString() })),
    seed: d.seed,
    seedProvenance: d.seedProvenance ?? null,
    head: headOfRow(d),
    records: d.records.map((r) => ({ seq: r.seq, kind: r.kind, at: r.at.toISOString(), digest: r.digest })),
    voidReason: d.voidReason,
    voidedAt: iso(d.voidedAt),
    createdAt: d.createdAt.toISOString(),
    seededAt: iso(d.seededAt),
    drawnAt: iso(d.drawnAt),
    summary: {
      pool: pub?.pool.codes.length ?? legacyInputs?.pool.codes.length ?? 0,
      excluded: pub?.excluded.length ?? legacyInputs?.excluded.length ?? 0,
      selected: selectedCount(d),
      tasks,
      departments: (pub?.departments ?? []).map((x) => ({ department: x.id, name: x.name, excluded: x.excluded.length, frequencyCap: x.excluded.filter((e) => e.rule === "frequencyCap").length })),
    },
  };
}

export async function getDraw(store: RepoStore, id: number, a?: DrawActor): Promise<DrawView> {
  if (a) assertCanRead(a, await drawScope(store.prisma, id));
  const d = await loadDraw(store.prisma, id);
  const tasks = d.status === "drawn" ? await store.prisma.task.count({ where: { drawId: id, status: { not: "cancelled" } } }) : null;
  return view(d, tasks);
}

export async function listBatchDraws(store: RepoStore, batchId: number, a?: DrawActor): Promise<DrawView[]> {
  if (a) assertCanRead(a, await batchScope(store.prisma, batchId));
  const rows = await store.prisma.draw.findMany({ where: { batchId }, orderBy: { id: "asc" }, select: { id: true } });
  const out: DrawView[] = [];
  for (const r of rows) out.push(await getDraw(store, r.id));
  return out;
}

// ─── publication ─────────────────────────────────────────────────────────────────────────────

/** The public (公示) record of a draw in any state, with its public manifest. */
export async function publicDrawRecord(store: RepoStore, drawId: number): Promise<PublicRecord> {
  const d = await loadDraw(store.prisma, drawId);
  const b = await store.prisma.batch.findUniqueOrThrow({ where: { id: d.batchId }, include: { plan: true, departments: { include: { department: true }, orderBy: { id: "asc" } } } });
  const attempts = await store.prisma.draw.count({ where: { batchId: d.batchId } });
  const names = new Map(b.departments.map((bd) => [bd.department.code, bd.department.name]));
  const base = {
    kind: "draw" as const,
    id: String(drawId),
    planId: String(b.planId),
    planName: b.plan.name,
    batchId: String(b.id),
    batchName: b.name,
    department: b.departments.map((bd) => bd.department.name).join("、"),
    subject: "检查对象与检查人员",
    status: d.status,
    statusLabel: STATUS_LABEL[d.status] ?? d.status,
    attempt: d.attempt,
    attemptsOfBatch: attempts,
    commitment: d.commitment,
    algorithm: d.specVersion,
  };
  if (!isV2(d)) {
    // Version-1 draws keep their version-1 public record.
    const m = JSON.parse(d.manifest ?? "null") as DrawManifest | null;
    const { publicManifest: pm1 } = await import("../../draws/publicManifest.ts");
    return {
      ...base,
      drawnAt: iso(d.drawnAt) ?? undefined,
      publishedAt: (d.drawnAt ?? d.createdAt).toISOString(),
      seed: d.seed ?? undefined,
      seedProvenance: (d.seedProvenance as Record<string, unknown> | null) ?? undefined,
      voidReason: d.voidReason ?? undefined,
      voidedAt: iso(d.voidedAt) ?? undefined,
      manifest: m && (m as { manifest?: string }).manifest === MANIFEST_VERSION ? `${JSON.stringify(pm1(m), null, 2)}\n` : "{}",
    } as PublicRecord;
  }
  const pub = JSON.parse(d.publicInputs!) as FrozenInputs2["public"];
  const full = manifestOfRow(d);
  const pm = publicManifest(full, d.privateDigest!);
  const records = d.records.map((r) => {
    const p = JSON.parse(r.publicPart) as Record<string, unknown>;
    const summary =
      r.kind === "draw"
        ? "抽取"
        : r.kind === "schedule"
          ? p.reason
            ? `重新排期：${String(p.reason)}`
            : "排期"
          : (p.target as { out: string; in: string | null; reason: string } | undefined)
            ? `对象递补：${(p.target as { department: string }).department} ${(p.target as { out: string }).out} → ${(p.target as { in: string | null }).in ?? "（无可递补对象）"}（${(p.target as { reason: string }).reason}）`
            : `人员递补：${(p.inspector as { code: string }).code}（${(p.inspector as { department: string }).department === "expert" ? "专家" : names.get((p.inspector as { department: string }).department) ?? ""}）`;
    return { seq: r.seq, kind: r.kind, at: r.at.toISOString(), digest: r.digest, summary };
  });
  return {
    ...base,
    frozenAt: pub.frozenAt,
    publicDigest: d.inputDigest,
    privateDigest: d.privateDigest!,
    seedPlan: pub.seedPlan as unknown as Record<string, unknown>,
    secretCommitments: d.commitments.map((c) => ({ department: c.department.name, hash: c.hash, committedAt: c.committedAt.toISOString(), revealed: c.reveal !== null })),
    seededAt: iso(d.seededAt) ?? undefined,
    seed: d.seed ?? undefined,
    seedProvenance: (d.seedProvenance as Record<string, unknown> | null) ?? undefined,
    drawnAt: iso(d.drawnAt) ?? undefined,
    voidedAt: iso(d.voidedAt) ?? undefined,
    voidReason: d.voidReason ?? undefined,
    head: full.head,
    records,
    auditHead: pub.audit,
    populationCount: pub.pool.codes.length,
    classCounts: pub.pool.classCounts,
    selectedCount: selectedCount(d) ?? undefined,
    publishedAt: (d.voidedAt ?? d.records[d.records.length - 1]?.at ?? d.seededAt ?? d.createdAt).toISOString(),
    manifest: canonicalJson(pm),
    manifestEtag: `"${full.head}"`,
  } as PublicRecord;
}

async function publish(store: RepoStore, drawId: number, reason: string, log?: { error(obj: unknown, msg: string): void }): Promise<void> {
  try {
    await publishToReadModel(store, [await publicDrawRecord(store, drawId)]);
    await publishAnchor(store, reason);
  } catch (err) {
    log?.error({ err, drawId }, "draw could not be written to the public read model");
  }
}

// ─── commit ──────────────────────────────────────────────────────────────────────────────────

export type SeedPlanInput = { mode: "commitReveal" } | { mode: "external"; source: string; reference: string };

async function previousAttempts(tx: Tx, batchId: number): Promise<PreviousAttempt[]> {
  const voided = await tx.draw.findMany({ where: { batchId, status: "void" }, orderBy: { id: "asc" }, include: drawInclude });
  return voided.map((v, i) => {
    const plan = v.publicInputs ? (JSON.parse(v.publicInputs) as FrozenInputs2["public"]).seedPlan : null;
    return {
      attempt: i + 1,
      commitment: v.commitment,
      seed: v.seed,
      secretCommitments: v.commitments.map((c) => c.hash).sort(),
      reference: plan?.mode === "external" ? plan.reference : null,
      head: v.records.length > 0 ? v.records[v.records.length - 1]!.digest : null,
      voidedAt: v.voidedAt!.toISOString(),
      reason: v.voidReason!,
    };
  });
}

async function rowsForDraw(tx: Tx, store: RepoStore, batchId: number) {
  const b = await tx.batch.findUnique({
    where: { id: batchId },
    include: { plan: true, departments: { orderBy: { id: "asc" }, include: { department: true, items: { include: { item: true } }, samplingRules: true } } },
  });
  if (!b) throw new RepoError(404, "NOT_FOUND", `批次 ${batchId} 不存在`);
  const deptIds = b.departments.map((d) => d.departmentId);
  const codes = new Map(b.departments.map((d) => [d.departmentId, d.department.code]));
  const entities = await tx.entity.findMany({ select: { id: true, code: true, districtCode: true, industryCode: true, kind: true, size: true, status: true, riskClass: true } });
  const codeById = new Map(entities.map((e) => [e.id, e.code]));
  const year = b.plan.year;
  const past = await tx.task.findMany({
    where: { status: { not: "cancelled" }, windowStart: { startsWith: String(year) } },
    select: { entityId: true, kind: true, directedKind: true, department: { select: { code: true, level: true } } },
  });
  const officers = await tx.inspector.findMany({ where: { departmentId: { in: deptIds } }, orderBy: { id: "asc" } });
  const experts = await tx.expert.findMany({ orderBy: { id: "asc" } });
  const people = new Map<number, string>(officers.map((o) => [o.id, o.certificateNo]));
  const recusals = await tx.recusal.findMany({ where: { inspectorId: { in: officers.map((o) => o.id) } } });
  // Experts' recusals (专家库, by entity code) bind inspection teams as they bind panel draws.
  const expertRecusals = await tx.expertRecusal.findMany({ select: { expertId: true, code: true, reason: true } });
  const expertPerson = new Map(experts.map((x) => [x.id, expertId(x)]));
  const caps = await tx.frequencyCap.findMany({ where: { departmentId: { in: deptIds }, OR: [{ planId: null }, { planId: b.planId }] } });
  const tree = await tx.department.findMany({ select: { id: true, code: true, parentId: true } });
  let horizon: string[];
  try {
    horizon = workingDaysInRange(await calendarFor(store), b.windowStart, b.windowEnd);
  } catch (e) {
    throw new RepoError(422, "NO_HOLIDAY_DATA", `无法确定时间窗口 ${b.windowStart}–${b.windowEnd} 的工作日：${(e as Error).message}`, "window");
  }
  return {
    b,
    rows: {
      batch: {
        code: b.code,
        name: b.name,
        directed: b.directed,
        conditions: b.conditions,
        windowStart: b.windowStart,
        windowEnd: b.windowEnd,
        plan: { id: b.plan.id, name: b.plan.name, year },
        departments: b.departments.map((d) => ({
          role: d.role,
          conditions: d.conditions,
          department: { code: d.department.code, name: d.department.name, level: d.department.level },
          items: d.items.map((bi) => ({ code: bi.item.code, name: bi.item.name, importance: bi.item.importance, qualifications: asArray(bi.item.qualifications) })),
          samplingRules: d.samplingRules,
        })),
      },
      horizon,
      entities,
      history: past.map((t) => ({ code: codeById.get(t.entityId)!, department: t.department.code, level: t.department.level, kind: t.kind, directedKind: t.directedKind })),
      frequencyCaps: b.departments.flatMap((d) => {
        const c = departmentCaps(caps, d.departmentId, d.department.level, b.planId);
        return c ? [coreCap(d.department.code, d.department.level, c)] : [];
      }),
      departmentTree: departmentTree(tree),
      officers: officers.map((o) => ({
        certificateNo: o.certificateNo,
        department: codes.get(o.departmentId)!,
        qualifications: asArray(o.qualifications),
        districts: asArray(o.districts),
        unavailable: asArray(o.unavailable),
        active: o.active,
      })),
      experts: experts.map((x) => ({ id: x.id, certificateNo: x.certificateNo, specialities: asArray(x.specialities), districts: asArray(x.districts), active: x.active })),
      recusals: [
        ...recusals.map((r) => ({ inspector: people.get(r.inspectorId)!, code: codeById.get(r.entityId)!, reason: r.reason })),
        ...expertRecusals.map((r) => ({ inspector: expertPerson.get(r.expertId)!, code: r.code, reason: r.reason })),
      ],
      drawConfig: await getConfig(store, "draw"),
      optimizerConfig: ((await getConfig(store, "optimizer")) ?? null) as { dailyCapacity?: number; totalCapacity?: number } | null,
    },
  };
}

export async function commitDraw(store: RepoStore, batchId: number, seed: SeedPlanInput, a: DrawActor, log?: { error(obj: unknown, msg: string): void }): Promise<DrawView> {
  assertCanRun(a, await batchScope(store.prisma, batchId));
  const id = await inTransaction(store, async (tx) => {
    const batch = await tx.batch.findUnique({ where: { id: batchId }, include: { plan: true } });
    if (!batch) throw new RepoError(404, "NOT_FOUND", `批次 ${batchId} 不存在`);
    if (batch.plan.status !== "approved")
      throw new RepoError(409, "PLAN_NOT_APPROVED", `批次所属的抽查计划“${batch.plan.name}”尚未批准公布（状态：${batch.plan.status}），不能抽取：公众必须先能看到计划`);
    const live = await tx.draw.findUnique({ where: { liveBatchId: batchId } });
    if (live) throw new RepoError(409, "LIVE_DRAW_EXISTS", `批次 ${batchId} 已有进行中的抽取（${live.id}，${STATUS_LABEL[live.status]}）；须先说明理由作废`);
    const { rows } = await rowsForDraw(tx, store, batchId);
    const previous = await previousAttempts(tx, batchId);
    const audit = await auditHead(tx);
    const frozenAt = new Date();
    let inputs: FrozenInputs2;
    try {
      inputs = await freezeDraw(
        drawRequestFromRows({
          ...rows,
          seedPlan: seed,
          attempt: { number: previous.length + 1, previous },
          frozenAt: frozenAt.toISOString(),
          audit,
          classKey: randomBytes(32).toString("hex"),
        }),
      );
    } catch (e) {
      engineError(e);
    }
    const { publicDigest, privateDigest, commitment } = inputsDigests(inputs);
    const d = await tx.draw.create({
      data: {
        batchId,
        liveBatchId: batchId, // UNIQUE: a second live draw of the batch fails here, even from another instance
        status: "committed",
        specVersion: "ssj-draw/2",
        inputDigest: publicDigest,
        commitment,
        attempt: previous.length + 1,
        frozenAt,
        publicInputs: canonicalJson(inputs.public),
        privateInputs: canonicalJson(inputs.private),
        privateDigest,
      },
    });
    return {
      value: d.id,
      audit: {
        actor: actorString(a),
        action: "draw.commit",
        subject: `draw:${d.id}`,
        payload: { batchId, attempt: previous.length + 1, commitment, publicDigest, privateDigest, frozenAt: frozenAt.toISOString(), seedPlan: inputs.public.seedPlan, pool: inputs.public.pool.codes.length },
      },
    };
  }).catch((e: unknown) => {
    if ((e as { code?: string })?.code === "P2002" || /live_batch_id|Unique constraint/i.test(String((e as Error)?.message)))
      throw new RepoError(409, "LIVE_DRAW_EXISTS", `批次 ${batchId} 已有进行中的抽取；须先说明理由作废`);
    throw e;
  });
  await publish(store, id, "draw", log);
  return getDraw(store, id);
}

// ─── seed ────────────────────────────────────────────────────────────────────────────────────

async function departmentCode(db: Db, departmentId: number): Promise<string> {
  const d = await db.department.findUnique({ where: { id: departmentId } });
  if (!d) throw new RepoError(422, "UNKNOWN_DEPARTMENT", `部门 ${departmentId} 不存在`, "departmentId");
  return d.code;
}

export async function submitSecret(store: RepoStore, drawId: number, departmentId: number, hash: string, a: DrawActor, log?: { error(obj: unknown, msg: string): void }): Promise<DrawView> {
  assertOwnDepartment(a, await drawScope(store.prisma, drawId), departmentId);
  await inTransaction(store, async (tx) => {
    const d = await loadDraw(tx, drawId);
    if (!isV2(d)) throw new RepoError(409, "LEGACY_DRAW", "ssj-draw/1 版本的抽取不能继续");
    const code = await departmentCode(tx, departmentId);
    const at = new Date();
    const used = (await tx.drawCommitment.count({ where: { hash } })) + (await tx.panelDrawCommitment.count({ where: { hash } })) > 0; // no secret re-use across batch and panel draws
    try {
      submitSecretCommitment(ceremonyOf(d), code, hash, at.toISOString(), () => used);
    } catch (e) {
      engineError(e);
    }
    await tx.drawCommitment.create({ data: { drawId, departmentId, hash, committedAt: at } });
    return { value: null, audit: { actor: actorString(a), action: "draw.secretCommitment", subject: `draw:${drawId}`, payload: { department: code, hash } } };
  }).catch((e: unknown) => {
    if ((e as { code?: string })?.code === "P2002") throw new RepoError(409, "DRAW_SECRET_REUSED", "这个秘密值承诺以前用过：每次抽取都须新生成秘密值");
    throw e;
  });
  await publish(store, drawId, "draw", log);
  return getDraw(store, drawId);
}

export async function revealSecret(store: RepoStore, drawId: number, departmentId: number, secret: string, a: DrawActor, log?: { error(obj: unknown, msg: string): void }): Promise<DrawView> {
  assertOwnDepartment(a, await drawScope(store.prisma, drawId), departmentId);
  await inTransaction(store, async (tx) => {
    const d = await loadDraw(tx, drawId);
    if (!isV2(d)) throw new RepoError(409, "LEGACY_DRAW", "ssj-draw/1 版本的抽取不能继续");
    const code = await departmentCode(tx, departmentId);
    const at = new Date();
    let out: ReturnType<typeof ceremonyReveal>;
    try {
      out = ceremonyReveal(ceremonyOf(d), code, secret, at.toISOString());
    } catch (e) {
      engineError(e);
    }
    await tx.drawCommitment.update({ where: { drawId_departmentId: { drawId, departmentId } }, data: { reveal: secret, revealedAt: at } });
    const audit: AuditEntry[] = [{ actor: actorString(a), action: "draw.reveal", subject: `draw:${drawId}`, payload: { department: code } }];
    if (out.seed) {
      await tx.draw.update({ where: { id: drawId }, data: { status: "seeded", seed: out.seed, seedProvenance: out.provenance as object, seededAt: at } });
      audit.push({ actor: actorString(a), action: "draw.seeded", subject: `draw:${drawId}`, payload: { seed: out.seed } });
    }
    return { value: null, audit };
  });
  await publish(store, drawId, "draw", log);
  return getDraw(store, drawId);
}

export async function enterExternalValue(store: RepoStore, drawId: number, value: string, publishedAt: string, a: DrawActor, log?: { error(obj: unknown, msg: string): void }): Promise<DrawView> {
  assertCanRun(a, await drawScope(store.prisma, drawId));
  assertPublishedBeforeNow(publishedAt);
  await inTransaction(store, async (tx) => {
    const d = await loadDraw(tx, drawId);
    if (!isV2(d)) throw new RepoError(409, "LEGACY_DRAW", "ssj-draw/1 版本的抽取不能继续");
    let out: ReturnType<typeof ceremonyExternal>;
    try {
      out = ceremonyExternal(ceremonyOf(d), value, publishedAt);
    } catch (e) {
      engineError(e);
    }
    await tx.draw.update({ where: { id: drawId }, data: { status: "seeded", seed: out.seed, seedProvenance: out.provenance as object, seededAt: new Date() } });
    return { value: null, audit: { actor: actorString(a), action: "draw.seeded", subject: `draw:${drawId}`, payload: { seed: out.seed, provenance: out.provenance } } };
  });
  await publish(store, drawId, "draw", log);
  return getDraw(store, drawId);
}

// ─── draw ────────────────────────────────────────────────────────────────────────────────────

async function insertRecord(tx: Tx, drawId: number, rec: DrawRecord2, digest: string, privateDigest: string, actor: string): Promise<void> {
  await tx.drawRecord.create({
    data: { drawId, seq: rec.seq, kind: rec.kind, prev: rec.prev, digest, at: new Date(rec.at), publicPart: canonicalJson(rec.public), privatePart: canonicalJson(rec.private), privateDigest, actor },
  });
}

/** Run the draw once: record 0 of the chain and the tasks. A second run (or a racing one) gets 409. */
/** Phases of long work for whoever shows progress (api/jobs.ts): name, units done and in all. */
export type WorkProgress = (p: { phase: string; done?: number | null; total?: number | null }) => void;

export async function runDraw(store: RepoStore, drawId: number, a: DrawActor, log?: { error(obj: unknown, msg: string): void }, onProgress?: WorkProgress): Promise<DrawView> {
  assertCanRun(a, await drawScope(store.prisma, drawId));
  await inTransaction(store, async (tx) => {
    onProgress?.({ phase: "drawing" });
    const d = await loadDraw(tx, drawId);
    if (d.status === "drawn") throw new RepoError(409, "DRAW_ALREADY_DRAWN", `抽取 ${drawId} 已经抽取过：抽取只能进行一次，结果不可更改`);
    if (d.status !== "seeded") throw new RepoError(409, "DRAW_WRONG_PHASE", `抽取 ${drawId} 当前状态为“${STATUS_LABEL[d.status]}”：须先有种子才能抽取`);
    const replay = await replayOf(d);
    const at = new Date();
    const rec = replay.makeDraw(at.toISOString(), await auditHead(tx));
    const moved = await tx.draw.updateMany({ where: { id: drawId, status: "seeded" }, data: { status: "drawn", drawnAt: at } });
    if (moved.count !== 1) throw new RepoError(409, "DRAW_ALREADY_DRAWN", `抽取 ${drawId} 已经抽取过`);
    await insertRecord(tx, drawId, rec, replay.head, replay.lastDigests.private, actorString(a));
    const tasks = await createTasks(tx, d.batchId, drawId, replay, onProgress);
    await tx.batch.update({ where: { id: d.batchId }, data: { status: "drawn" } });
    return { value: null, audit: { actor: actorString(a), action: "draw.run", subject: `draw:${drawId}`, payload: { head: replay.head, tasks } } };
  });
  onProgress?.({ phase: "publishing" });
  await publish(store, drawId, "draw", log);
  return getDraw(store, drawId);
}

/** One task per (department, selected entity), with the department's items of the batch. */
async function createTasks(tx: Tx, batchId: number, drawId: number, replay: ChainReplay, onProgress?: WorkProgress): Promise<number> {
  const batch = await tx.batch.findUniqueOrThrow({ where: { id: batchId }, include: { departments: { include: { department: true, items: true } } } });
  let n = 0;
  const total = replay.inputs.public.departments.reduce((k, t) => k + replay.currentSelections(t.id).length, 0);
  onProgress?.({ phase: "tasks", done: 0, total });
  for (const t of replay.inputs.public.departments) {
    const bd = batch.departments.find((x) => x.department.code === t.id)!;
    const codes = replay.currentSelections(t.id);
    const ents = await tx.entity.findMany({ where: { code: { in: codes } }, select: { id: true, code: true } });
    const rows = ents.map((e) => ({
      taskNo: `${batch.code}-${drawId}-${String(++n).padStart(5, "0")}`,
      entityId: e.id,
      departmentId: bd.departmentId,
      batchId,
      drawId,
      kind: "random",
      windowStart: batch.windowStart,
      windowEnd: batch.windowEnd,
    }));
    if (rows.length > 0) await tx.task.createMany({ data: rows });
    const created = await tx.task.findMany({ where: { drawId, departmentId: bd.departmentId }, select: { id: true } });
    const items = bd.items.map((i) => i.itemId);
    if (items.length > 0 && created.length > 0) await tx.taskItem.createMany({ data: created.flatMap((c) => items.map((itemId) => ({ taskId: c.id, itemId }))) });
    onProgress?.({ phase: "tasks", done: n, total });
  }
  return n;
}

// ─── void ────────────────────────────────────────────────────────────────────────────────────

export async function voidDraw(store: RepoStore, drawId: number, reason: string, a: DrawActor, log?: { error(obj: unknown, msg: string): void }): Promise<DrawView> {
  assertCanRun(a, await drawScope(store.prisma, drawId));
  const why = reason.trim();
  if (why.length < 4) throw new RepoError(400, "VALIDATION_FAILED", "作废必须说明理由（至少 4 个字），理由将公开", "body.reason");
  await inTransaction(store, async (tx) => {
    const d = await loadDraw(tx, drawId);
    if (d.status === "void") throw new RepoError(409, "DRAW_ALREADY_VOID", `抽取 ${drawId} 已作废`);
    const done = await tx.result.count({ where: { task: { drawId } } });
    if (done > 0) throw new RepoError(409, "DRAW_HAS_RESULTS", `抽取 ${drawId} 已录入 ${done} 条检查结果，不能作废`);
    await tx.draw.update({ where: { id: drawId }, data: { status: "void", liveBatchId: null, voidReason: why, voidedAt: new Date(), voidActor: actorString(a) } });
    const cancelled = await tx.task.updateMany({ where: { drawId }, data: { status: "cancelled" } });
    await tx.jointCheck.updateMany({ where: { status: "planned", tasks: { some: { task: { drawId } } } }, data: { status: "cancelled" } });
    await tx.batch.update({ where: { id: d.batchId }, data: { status: "ready" } });
    return { value: null, audit: { actor: actorString(a), action: "draw.void", subject: `draw:${drawId}`, payload: { reason: why, status: d.status, tasksCancelled: cancelled.count } } };
  });
  await publish(store, drawId, "draw", log);
  return getDraw(store, drawId);
}

// ─── substitutions and schedules ─────────────────────────────────────────────────────────────

export type SubstitutionRequest =
  | { kind: "target"; departmentId: number; out: string; reason: string }
  | { kind: "inspector"; departmentId: number | "expert"; entityCode: string; out: string; reason: string };

/** Materialise the latest schedule record as planned joint checks (the previous ones are cancelled). */
async function materialiseSchedule(tx: Tx, drawId: number, plan: NonNullable<ChainReplay["schedule"]>, runId: number | null): Promise<void> {
  await tx.jointCheck.updateMany({ where: { status: "planned", tasks: { some: { task: { drawId } } } }, data: { status: "cancelled" } });
  await tx.task.updateMany({ where: { drawId, status: "scheduled" }, data: { status: "open" } });
  const tasks = await tx.task.findMany({ where: { drawId, status: "open" }, include: { entity: true, department: true } });
  const byCode = new Map<string, typeof tasks>();
  for (const t of tasks) byCode.set(t.entity.code, [...(byCode.get(t.entity.code) ?? []), t]);
  const certs = [...new Set(plan.visits.flatMap((v) => [...v.officers, ...v.experts]))];
  const inspectors = new Map((await tx.inspector.findMany({ where: { certificateNo: { in: certs } } })).map((i) => [i.certificateNo, i]));
  const experts = await tx.expert.findMany({});
  const expertByCert = new Map(experts.map((x) => [expertId(x), x]));
  for (const v of plan.visits) {
    const ts = byCode.get(v.code) ?? [];
    if (ts.length === 0) continue;
    const jc = await tx.jointCheck.create({ data: { entityId: ts[0]!.entityId, day: v.day, optimizationRunId: runId } });
    await tx.jointCheckTask.createMany({ data: ts.map((t) => ({ jointCheckId: jc.id, taskId: t.id, entityId: t.entityId })) });
    await tx.teamMember.createMany({
      data: [
        ...v.officers.map((c) => ({ jointCheckId: jc.id, role: "officer", departmentId: inspectors.get(c)!.departmentId, inspectorId: inspectors.get(c)!.id })),
        ...v.experts.filter((c) => expertByCert.has(c)).map((c) => ({ jointCheckId: jc.id, role: "expert", expertId: expertByCert.get(c)!.id })),
      ],
    });
    await tx.task.updateMany({ where: { id: { in: ts.map((t) => t.id) } }, data: { status: "scheduled" } });
  }
}

/**
 * 递补 after the draw: a drawn entity that cannot be checked or a drawn person who must step aside
 * is replaced by the next one of the published random order — never a free choice. The record is
 * appended to the chain; tasks follow; when the batch is scheduled, the schedule is kept valid by
 * a schedule record (reason public).
 */
export async function substituteInDraw(store: RepoStore, drawId: number, req: SubstitutionRequest, a: DrawActor, log?: { error(obj: unknown, msg: string): void }): Promise<{ in: string | null; records: number; head: string }> {
  assertCanSubstitute(a, await drawScope(store.prisma, drawId), req.departmentId);
  const reason = req.reason.trim();
  if (reason.length < 2) throw new RepoError(400, "VALIDATION_FAILED", "递补必须说明理由", "body.reason");
  const out = await inTransaction(store, async (tx) => {
    const d = await loadDraw(tx, drawId);
    if (d.status !== "drawn") throw new RepoError(409, "NOT_DRAWN", `抽取 ${drawId} 当前状态为“${STATUS_LABEL[d.status]}”：递补只能在抽取之后`);
    const replay = await replayOf(d);
    const dept = req.departmentId === "expert" ? "expert" : await departmentCode(tx, req.departmentId);
    const at = new Date().toISOString();
    const audit = await auditHead(tx);
    let rec: DrawRecord2;
    try {
      rec =
        req.kind === "target"
          ? replay.makeTargetSubstitution({ department: dept, out: req.out, reason }, at, audit)
          : replay.makeInspectorSubstitution({ code: req.entityCode, department: dept, out: req.out, reason }, at, audit);
    } catch (e) {
      if (e instanceof DrawInputError) throw new RepoError(422, "SUBSTITUTION_REFUSED", e.message.replace(/^.*?: /, "").replace(/ \[[A-Za-z]+\]$/, ""), `body.${e.field.split(".").pop()}`);
      throw e;
    }
    await insertRecord(tx, drawId, rec, replay.head, replay.lastDigests.private, actorString(a));
    const inValue = req.kind === "target" ? (rec.public as { target: { in: string | null } }).target.in : (rec.private as { in: string | null }).in;
    if (req.kind === "target") {
      const task = await tx.task.findFirst({ where: { drawId, departmentId: req.departmentId as number, entity: { code: req.out }, status: { not: "cancelled" } }, include: { items: true } });
      if (task) {
        await tx.task.update({ where: { id: task.id }, data: { status: "cancelled" } });
        if (inValue) {
          const ent = await tx.entity.findUniqueOrThrow({ where: { code: inValue } });
          const n = await tx.task.count({ where: { drawId } });
          const batch = await tx.batch.findUniqueOrThrow({ where: { id: d.batchId } });
          const t2 = await tx.task.create({
            data: { taskNo: `${batch.code}-${drawId}-S${String(n + 1).padStart(4, "0")}`, entityId: ent.id, departmentId: task.departmentId, batchId: task.batchId, drawId, kind: "random", windowStart: task.windowStart, windowEnd: task.windowEnd },
          });
          if (task.items.length > 0) await tx.taskItem.createMany({ data: task.items.map((i) => ({ taskId: t2.id, itemId: i.itemId })) });
        }
      }
    }
    const audits: AuditEntry[] = [{ actor: actorString(a), action: `draw.substitute.${req.kind}`, subject: `draw:${drawId}`, payload: { seq: rec.seq, department: dept, out: req.out, in: inValue, reason, head: replay.head } }];
    if (replay.schedule) {
      const officers = replay.inputs.private.inspectors?.officers ?? [];
      const plan = patchSchedule(replay.schedule, replay.currentChecks(), officers, replay.inputs.public.batch.horizon);
      const srec = replay.makeSchedule(plan, `递补后调整排期（第 ${rec.seq} 条记录：${reason}）`, new Date().toISOString(), await auditHead(tx));
      await insertRecord(tx, drawId, srec, replay.head, replay.lastDigests.private, actorString(a));
      await materialiseSchedule(tx, drawId, replay.schedule!, null);
      audits.push({ actor: actorString(a), action: "draw.schedule", subject: `draw:${drawId}`, payload: { seq: srec.seq, visits: plan.visits.length, unscheduled: plan.unscheduled.length, head: replay.head } });
    }
    return { value: { in: inValue, records: replay.seq, head: replay.head }, audit: audits };
  });
  await publish(store, drawId, "draw", log);
  return out;
}

/**
 * Place the drawn teams of a batch on days (the optimizer chooses days only; the teams are the
 * draw's) and append the schedule record. A re-plan needs a public reason.
 */
export async function scheduleBatch(store: RepoStore, batchId: number, reason: string | null, a: DrawActor, log?: { error(obj: unknown, msg: string): void }, onProgress?: WorkProgress): Promise<{ drawId: number; seq: number; head: string; visits: number; unscheduled: number }> {
  assertCanRun(a, await batchScope(store.prisma, batchId));
  const drawRow = await store.prisma.draw.findUnique({ where: { liveBatchId: batchId } });
  if (!drawRow || drawRow.status !== "drawn") throw new RepoError(409, "NOT_DRAWN", `批次 ${batchId} 没有已完成的抽取，无法排期`);
  const drawId = drawRow.id;
  const out = await inTransaction(
    store,
    async (tx) => {
      const d = await loadDraw(tx, drawId);
      const replay = await replayOf(d);
      if (replay.schedule && !(reason && reason.trim())) throw new RepoError(409, "ALREADY_SCHEDULED", "本批次已排期；重新排期须说明理由（理由将公开），检查组人员不会改变");
      if (!replay.schedule && reason) throw new RepoError(422, "VALIDATION_FAILED", "第一次排期不需要理由", "body.reason");
      const checks = replay.currentChecks();
      const taskNo = (dept: string, code: string) => `${dept}\u0000${code}`;
      onProgress?.({ phase: "instance", done: null, total: checks.length });
      const instance = instanceFromDraw(replay.inputs, checks, replay.seed, taskNo);
      let plan;
      let run: { id: number } | null = null;
      if (instance.tasks.length > 0) {
        onProgress?.({ phase: "solving", done: null, total: instance.tasks.length });
        const solved = await solveAndRecord(tx, instance);
        plan = scheduleFromSolver(checks, solved.schedule, taskNo);
        run = { id: solved.runId };
      } else plan = scheduleFromSolver(checks, { visits: [], unscheduled: [] }, taskNo);
      onProgress?.({ phase: "writing", done: null, total: plan.visits.length });
      const rec = replay.makeSchedule(plan, reason?.trim() || null, new Date().toISOString(), await auditHead(tx));
      await insertRecord(tx, drawId, rec, replay.head, replay.lastDigests.private, actorString(a));
      await materialiseSchedule(tx, drawId, replay.schedule!, run?.id ?? null);
      return {
        value: { drawId, seq: rec.seq, head: replay.head, visits: plan.visits.length, unscheduled: plan.unscheduled.length },
        audit: { actor: actorString(a), action: "batch.schedule", subject: `batch:${batchId}`, payload: { drawId, seq: rec.seq, reason: reason ?? null, visits: plan.visits.length, unscheduled: plan.unscheduled.length, head: replay.head } },
      };
    },
    { timeout: 10 * 60_000 },
  );
  onProgress?.({ phase: "publishing" });
  await publish(store, drawId, "draw", log);
  return out;
}

/** The current checks of a drawn batch (teams after every substitution) and its latest schedule. */
export async function currentTeams(store: RepoStore, batchId: number): Promise<{ drawId: number; checks: ReturnType<ChainReplay["currentChecks"]>; schedule: ChainReplay["schedule"] } | null> {
  const drawRow = await store.prisma.draw.findUnique({ where: { liveBatchId: batchId } });
  if (!drawRow || drawRow.status !== "drawn" || !isV2(drawRow)) return null;
  const replay = await replayOf(await loadDraw(store.prisma, drawRow.id));
  return { drawId: drawRow.id, checks: replay.currentChecks(), schedule: replay.schedule };
}

// ─── manifests and verification ──────────────────────────────────────────────────────────────

function manifestOfRow(d: DrawRow): FullManifest2 {
  const inputs = inputsOf(d);
  const records = d.records.map(recordOf);
  return fullManifest({
    inputs,
    commitment: d.commitment,
    seed: d.seed ? { value: d.seed, provenance: d.seedProvenance as unknown as Provenance2 } : null,
    records,
    head: headOfRow(d),
  });
}

/** The manifest text: full (auditors and the batch's departments) or public. */
export async function manifestText(store: RepoStore, drawId: number, kind: "full" | "public", a?: DrawActor): Promise<string> {
  if (a && kind === "full") assertCanRead(a, await drawScope(store.prisma, drawId));
  const d = await loadDraw(store.prisma, drawId);
  if (!isV2(d)) {
    if (!d.drawnAt || !d.manifest) throw new RepoError(409, "NOT_DRAWN", `抽取 ${drawId} 尚未抽取`);
    return d.manifest;
  }
  const full = manifestOfRow(d);
  return canonicalJson(kind === "full" ? full : publicManifest(full, d.privateDigest!));
}

/** A class proof for one entity of a draw's pool (shows that entity its own class, nothing else). */
export async function drawClassProof(store: RepoStore, drawId: number, code: string, a: DrawActor): Promise<ClassProof & { classRoot: string; commitment: string }> {
  assertCanRead(a, await drawScope(store.prisma, drawId));
  const d = await loadDraw(store.prisma, drawId);
  const inputs = inputsOf(d);
  try {
    const p = await classProof(inputs.private.classKey, inputs.public.pool.codes, inputs.private.strata, code.toUpperCase());
    return { ...p, classRoot: inputs.public.pool.classRoot, commitment: d.commitment };
  } catch {
    throw new RepoError(404, "NOT_IN_POOL", `${code} 不在抽取 ${drawId} 的名录中`, "code");
  }
}

export interface VerifyResult {
  ok: boolean;
  kind: "full" | "public" | "v1-full" | "v1-public";
  path?: string;
  rule?: string;
  message?: string;
  proven?: string[];
  notProven?: string[];
  warnings?: string[];
  summary?: unknown;
  knownDraw: { id: number; status: string; publishedCommitment: string | null; matchesPublished: boolean } | null;
}

/** The commitment as it was published: the append-only audit entry of the commit (and the public record). */
async function publishedCommitment(store: RepoStore, drawId: number): Promise<string | null> {
  const entry = await store.prisma.auditLog.findFirst({ where: { action: "draw.commit", subject: `draw:${drawId}` }, orderBy: { seq: "asc" } });
  if (!entry) return null;
  return (JSON.parse(entry.payload) as { commitment?: string }).commitment ?? null;
}

function fromOutcome(o: Verify2Outcome, kind: "full" | "public"): Omit<VerifyResult, "knownDraw"> {
  return o.ok ? { ok: true, kind, proven: o.proven, notProven: o.notProven, warnings: o.warnings, summary: o.summary } : { ok: false, kind, path: o.path, rule: o.rule, message: o.message };
}

/** Verify a manifest document (either kind, either version) and say whether it is one of ours. */
export async function verifyManifestText(store: RepoStore, text: string | Uint8Array, knownId?: number): Promise<VerifyResult> {
  let doc: unknown;
  let spans: Record<string, (string | null)[]> = {};
  try {
    const r = parseStrictJson(text, { hashPaths: ["inputs.public", "inputs.private", "records[*].public", "records[*].private"] });
    doc = r.value;
    spans = r.spans;
  } catch (e) {
    if (e instanceof StrictJsonError) throw new RepoError(422, "NOT_A_MANIFEST", `不是有效的抽取清单：${e.message}`, "manifest");
    throw e;
  }
  const o = doc as { manifest?: unknown; kind?: unknown; commitment?: unknown };
  const commitmentClaimed = typeof o?.commitment === "string" ? o.commitment : null;
  const known = knownId !== undefined ? await store.prisma.draw.findUnique({ where: { id: knownId } }) : commitmentClaimed ? await store.prisma.draw.findFirst({ where: { commitment: commitmentClaimed } }) : null;
  const published = known ? await publishedCommitment(store, known.id) : null;
  const expectedCommitment = published ?? undefined;
  let result: Omit<VerifyResult, "knownDraw">;
  if (o?.manifest === "ssj-draw-manifest/2" && o.kind === "full") result = fromOutcome(await verifyFull2(doc as FullManifest2, { spans, ...(expectedCommitment ? { expectedCommitment } : {}) }), "full");
  else if (o?.manifest === "ssj-draw-manifest/2" && o.kind === "public") result = fromOutcome(await verifyPublic2(doc as PublicManifest2, { spans, ...(expectedCommitment ? { expectedCommitment } : {}) }), "public");
  else if (isPublicManifest(doc)) {
    const v = verifyPublicManifest(doc);
    result = v.ok ? { ok: true, kind: "v1-public", proven: v.checked, notProven: v.needsFullManifest, warnings: ["ssj-draw/1 的公开清单无法重算承诺值，只能核对所列票号和名次"], summary: v.summary } : { ok: false, kind: "v1-public", path: v.path, message: v.message };
  } else {
    let m: DrawManifest;
    try {
      m = parseManifest(typeof text === "string" ? text : Buffer.from(text).toString("utf8"));
    } catch (e) {
      throw new RepoError(422, "NOT_A_MANIFEST", `不是抽取清单：${(e as Error).message}`, "manifest");
    }
    const v = await verifyManifest(m, expectedCommitment ? { expectedCommitment } : {});
    result = v.ok ? { ok: true, kind: "v1-full", proven: ["ssj-draw/1 完整核验"], summary: v.summary } : { ok: false, kind: "v1-full", path: v.path, message: v.message };
  }
  return {
    ...result,
    knownDraw: known ? { id: known.id, status: known.status, publishedCommitment: published, matchesPublished: published !== null && published === commitmentClaimed } : null,
  };
}

/**
 * Verify a stored draw against what was published: the stored rows are assembled into the full
 * manifest and verified with the commitment taken from the append-only audit log's commit entry
 * (not from the row), and the chain head compared with the published record.
 */
export async function verifyStoredDraw(store: RepoStore, drawId: number, a: DrawActor): Promise<VerifyResult> {
  assertCanRead(a, await drawScope(store.prisma, drawId));
  const text = await manifestText(store, drawId, "full");
  const out = await verifyManifestText(store, text, drawId);
  if (out.ok && out.knownDraw && !out.knownDraw.matchesPublished)
    return { ...out, ok: false, path: "commitment", rule: "publishedCommitment", message: `存储的承诺值与提交时公布（审计日志记录）的承诺值 ${out.knownDraw.publishedCommitment ?? "（无记录）"} 不一致：数据库中的抽取被改动过` };
  return out;
}
