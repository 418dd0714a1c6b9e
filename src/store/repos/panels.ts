/**
 * Panel draws persisted (专家和人员抽取, docs/approvals.md; rules: src/panels, pure; the seed
 * ceremony: src/draws/v2/ceremony.ts). Who may do what is decided here, once, for the API and the CLI.
 *
 *   createPanel      an approval bureau (departments.kind = 'approval') records the 事由 and its seats
 *   commitPanelDraw  freeze the inputs → commitment, published at once; one live draw per panel
 *   submitPanelSecret / revealPanelSecret / enterPanelExternal   the seed (§5), no re-roll
 *   runPanelDraw     the seats are filled, exactly once → record 0
 *   substitutePanel  递补: the next free person of the seat's order → a chain record
 *   voidPanelDraw    with a public reason; the panel can be drawn again with a new seed
 *
 * Every change is audited in its transaction. The public record names no person (expert names are
 * not public): the fact, the purpose, the method, the commitment, the seed, the head and the public
 * manifest. Case departments = the bureau and the departments whose staff sit on the panel; any
 * other department's officer is refused (403).
 */
import { randomBytes } from "node:crypto";
import { canonicalJson } from "../../draws/index.ts";
import { DrawInputError } from "../../draws/rational.ts";
import { enterExternalValue, revealSecret, submitSecretCommitment, type Ceremony, type PreviousAttempt, type Provenance2 } from "../../draws/v2/index.ts";
import { digestOf } from "../../draws/v2/digest.ts";
import { parseStrictJson, StrictJsonError } from "../../draws/jsonReader.ts";
import {
  freezePanel,
  fullPanelManifest,
  PanelReplay,
  panelDigests,
  publicPanelManifest,
  verifyPanelManifest,
  type FullPanelManifest,
  type PanelInputs,
  type PanelManifest,
  type PanelRecord,
  type Seat,
} from "../../panels/index.ts";
import { PANEL_PURPOSE_LABELS, type PanelPurpose } from "../../approvals/values.ts";
import { seedRecordDigest } from "../../draws/v2/chain.ts";
import { auditHead } from "../audit.ts";
import { inTransaction, type AuditEntry } from "./audit.ts";
import { assertPublishedBeforeNow, ceremonyRepoError } from "./ceremonyErrors.ts";
import { RepoError, type RepoStore, type Tx } from "./db.ts";
import { asArray } from "./directories.ts";
import { publishAnchor } from "./anchors.ts";
import type { DrawActor } from "./draws.ts";

type Db = RepoStore["prisma"] | Tx;
/** `actor`: the audit actor's name when no user acts (the demo loader: "ssj demo"); else `user:<id>`. */
export type PanelActor = DrawActor & { actor?: string };

const actorString = (a: PanelActor) => a.actor ?? `user:${a.userId}`;
/** A JSON array column (objects kept as they are; asArray is for string lists). */
const jsonArray = <T>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : typeof v === "string" && v.startsWith("[") ? (JSON.parse(v) as T[]) : []);
const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null);
const forbidden = (msg: string) => new RepoError(403, "FORBIDDEN", msg);
export const PANEL_STATUS_LABEL: Record<string, string> = { committed: "已承诺（待生成种子）", seeded: "已生成种子（待抽取）", drawn: "已抽取", void: "已作废" };

/** A seat as the API takes it: staff seats name the department by id. */
export type SeatInput = { id: string; kind: "expert"; speciality: string; count: number } | { id: string; kind: "officer"; departmentId: number; qualifications?: string[]; count: number };

export interface PanelInput {
  bureauId?: number;
  purpose: PanelPurpose;
  name: string;
  applicationNo: string;
  decisionId?: number;
  subjectCode: string;
  subjectDistrict: string;
  day: string;
  seats: SeatInput[];
  recusals?: { person: string; reason: string }[];
}

// ─── errors ──────────────────────────────────────────────────────────────────────────────────

function engineError(e: unknown): never {
  return ceremonyRepoError(e, "PANEL_INPUT_INVALID");
}

// ─── scope and authorization ─────────────────────────────────────────────────────────────────

export interface PanelScope {
  panelId: number;
  bureauId: number;
  /** The bureau and the departments whose staff sit on the panel. */
  departmentIds: number[];
}

async function departmentIdsByCode(db: Db, codes: string[]): Promise<number[]> {
  if (codes.length === 0) return [];
  return (await db.department.findMany({ where: { code: { in: codes } }, select: { id: true } })).map((d) => d.id);
}

export async function panelScope(db: Db, panelId: number): Promise<PanelScope> {
  const p = await db.panel.findUnique({ where: { id: panelId }, select: { bureauId: true, seats: true } });
  if (!p) throw new RepoError(404, "NOT_FOUND", `抽取事由 ${panelId} 不存在`);
  const staff = jsonArray<Seat>(p.seats).flatMap((s) => (s.kind === "officer" ? [s.department] : []));
  return { panelId, bureauId: p.bureauId, departmentIds: [p.bureauId, ...(await departmentIdsByCode(db, staff))] };
}

async function drawScope(db: Db, drawId: number): Promise<PanelScope & { drawId: number }> {
  const d = await db.panelDraw.findUnique({ where: { id: drawId }, select: { panelId: true } });
  if (!d) throw new RepoError(404, "NOT_FOUND", `专家抽取 ${drawId} 不存在`);
  return { ...(await panelScope(db, d.panelId)), drawId };
}

/** Reading a panel and its full manifest (names): admins, auditors, officers of the case's departments. */
export function assertCanReadPanel(a: PanelActor, s: PanelScope): void {
  if (a.role === "officer" && !s.departmentIds.includes(a.departmentId!)) throw forbidden("只有审批部门和参与本次抽取的监管部门的科员才能查看本次专家和人员抽取");
}

/** Running the ceremony: admins and the bureau's officers. */
export function assertCanRunPanel(a: PanelActor, s: PanelScope): void {
  if (a.role === "auditor") throw forbidden("审计人员只能查看和核验，不能操作抽取");
  if (a.role === "officer" && a.departmentId !== s.bureauId) throw forbidden("只有本审批部门的科员（或管理员）才能操作本次专家和人员抽取");
}

// ─── panels ──────────────────────────────────────────────────────────────────────────────────

const CODE = /^[0-9A-Z]{1,23}$/;
const DISTRICT = /^[0-9]{6}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const bad = (field: string, message: string) => new RepoError(422, "VALIDATION_FAILED", message, field);

async function checkPanelInput(tx: Tx, bureauId: number, p: PanelInput): Promise<Seat[]> {
  if (!p.name.trim()) throw bad("body.name", "事由名称不能为空");
  if (!p.applicationNo.trim()) throw bad("body.applicationNo", "办件编号不能为空");
  if (!CODE.test(p.subjectCode)) throw bad("body.subjectCode", "申请人代码须为统一社会信用代码或注册号（数字和大写字母）");
  if (!DISTRICT.test(p.subjectDistrict)) throw bad("body.subjectDistrict", "申请人所在区划码须为 6 位数字");
  if (!DATE.test(p.day) || new Date(`${p.day}T00:00:00Z`).toISOString().slice(0, 10) !== p.day) throw bad("body.day", `“${p.day}”不是日期（年-月-日）`);
  const ids = new Set<string>();
  const seats: Seat[] = [];
  for (const [i, s] of p.seats.entries()) {
    if (ids.has(s.id)) throw bad(`body.seats[${i}].id`, `席位编号 ${s.id} 重复`);
    ids.add(s.id);
    if (s.kind === "expert") {
      if (!s.speciality.trim()) throw bad(`body.seats[${i}].speciality`, "专家席位须写明专业");
      seats.push({ id: s.id, kind: "expert", speciality: s.speciality.trim(), count: s.count });
      continue;
    }
    const d = await tx.department.findUnique({ where: { id: s.departmentId } });
    if (!d) throw bad(`body.seats[${i}].departmentId`, `部门 ${s.departmentId} 不存在`);
    if (d.kind !== "supervision") throw bad(`body.seats[${i}].departmentId`, `${d.name} 不是监管部门：人员席位只能从监管部门的执法人员中抽取`);
    if (d.id === bureauId) throw bad(`body.seats[${i}].departmentId`, "审批部门不能为自己的事由提供监管人员席位");
    seats.push({ id: s.id, kind: "officer", department: d.code, qualifications: [...new Set(s.qualifications ?? [])].sort(), count: s.count });
  }
  if (p.decisionId !== undefined && !(await tx.approvalDecision.findUnique({ where: { id: p.decisionId }, select: { id: true } }))) throw bad("body.decisionId", `审批决定 ${p.decisionId} 不存在`);
  return seats;
}

export async function createPanel(store: RepoStore, p: PanelInput, a: PanelActor): Promise<PanelView> {
  if (a.role === "auditor") throw forbidden("审计人员不能登记抽取事由");
  const bureauId = a.role === "officer" ? a.departmentId! : p.bureauId;
  if (bureauId === undefined || bureauId === null) throw bad("body.bureauId", "管理员须指明审批部门 bureauId");
  if (a.role === "officer" && p.bureauId !== undefined && p.bureauId !== a.departmentId) throw forbidden("只能为本审批部门登记抽取事由");
  const id = await inTransaction(store, async (tx) => {
    const bureau = await tx.department.findUnique({ where: { id: bureauId } });
    if (!bureau) throw bad("body.bureauId", `部门 ${bureauId} 不存在`);
    if (bureau.kind !== "approval") throw a.role === "officer" ? forbidden("只有行政审批部门才能抽取专家和人员") : bad("body.bureauId", `${bureau.name} 不是行政审批部门`);
    const seats = await checkPanelInput(tx, bureauId, p);
    const recusals = (p.recusals ?? []).map((r) => ({ person: r.person.trim(), reason: r.reason.trim() }));
    recusals.forEach((r, i) => {
      if (!r.person || !r.reason) throw bad(`body.recusals[${i}]`, "回避须写明人员证件号和理由");
    });
    const row = await tx.panel.create({
      data: { bureauId, purpose: p.purpose, name: p.name.trim(), applicationNo: p.applicationNo.trim(), decisionId: p.decisionId ?? null, subjectCode: p.subjectCode, subjectDistrict: p.subjectDistrict, day: p.day, seats, recusals, actor: actorString(a) },
    });
    return { value: row.id, audit: { actor: actorString(a), action: "panel.create", subject: `panel:${row.id}`, payload: { bureau: bureau.code, purpose: p.purpose, seats, recusals: recusals.length } } };
  });
  return getPanel(store, id);
}

export interface PanelView {
  id: number;
  bureauId: number;
  purpose: string;
  purposeLabel: string;
  name: string;
  applicationNo: string;
  decisionId: number | null;
  subjectCode: string;
  subjectDistrict: string;
  day: string;
  seats: Seat[];
  recusals: number;
  createdAt: string;
  draws: PanelDrawView[];
}

export interface PanelDrawView {
  id: number;
  panelId: number;
  status: string;
  statusLabel: string;
  attempt: number;
  commitment: string;
  publicDigest: string;
  privateDigest: string;
  frozenAt: string;
  seedPlan: unknown;
  secretCommitments: { department: string; hash: string; revealed: boolean; committedAt: string }[];
  seed: string | null;
  head: string;
  records: { seq: number; kind: string; at: string; digest: string }[];
  /** Full view only (case departments, auditors): the seats as they stand, by person id. */
  seats: { seat: string; required: number; persons: string[]; shortfall: number }[] | null;
  voidReason: string | null;
  voidedAt: string | null;
  drawnAt: string | null;
}

const drawInclude = { commitments: { include: { department: true }, orderBy: { departmentId: "asc" as const } }, records: { orderBy: { seq: "asc" as const } } };

async function loadDraw(db: Db, id: number) {
  const d = await db.panelDraw.findUnique({ where: { id }, include: drawInclude });
  if (!d) throw new RepoError(404, "NOT_FOUND", `专家抽取 ${id} 不存在`);
  return d;
}
type DrawRow = Awaited<ReturnType<typeof loadDraw>>;

const inputsOf = (d: DrawRow): PanelInputs => ({ public: JSON.parse(d.publicInputs), private: JSON.parse(d.privateInputs) });
const recordOf = (r: DrawRow["records"][number]): PanelRecord => ({ kind: r.kind, seq: r.seq, prev: r.prev, at: r.at.toISOString(), public: JSON.parse(r.publicPart), private: JSON.parse(r.privatePart) }) as PanelRecord;

function headOfRow(d: DrawRow): string {
  if (d.records.length > 0) return d.records[d.records.length - 1]!.digest;
  if (d.seed) return seedRecordDigest(d.commitment, d.seed, d.seedProvenance as unknown as Provenance2);
  return d.commitment;
}

/** Rebuild the chain from the rows; every stored record is recomputed on the way. */
function replayOf(d: DrawRow): PanelReplay {
  if (!d.seed) throw new RepoError(409, "NOT_SEEDED", `专家抽取 ${d.id} 尚未生成种子`);
  const r = new PanelReplay(inputsOf(d), d.seed, d.seedProvenance as unknown as Provenance2, d.commitment);
  d.records.forEach((rec, i) => r.apply(recordOf(rec), `records[${i}]`));
  return r;
}

function drawView(d: DrawRow, full: boolean): PanelDrawView {
  const pub = JSON.parse(d.publicInputs) as PanelInputs["public"];
  return {
    id: d.id,
    panelId: d.panelId,
    status: d.status,
    statusLabel: PANEL_STATUS_LABEL[d.status] ?? d.status,
    attempt: d.attempt,
    commitment: d.commitment,
    publicDigest: d.inputDigest,
    privateDigest: d.privateDigest,
    frozenAt: d.frozenAt.toISOString(),
    seedPlan: pub.seedPlan,
    secretCommitments: d.commitments.map((c) => ({ department: c.department.code, hash: c.hash, revealed: c.reveal !== null, committedAt: c.committedAt.toISOString() })),
    seed: d.seed,
    head: headOfRow(d),
    records: d.records.map((r) => ({ seq: r.seq, kind: r.kind, at: r.at.toISOString(), digest: r.digest })),
    seats: full && d.records.length > 0 ? replayOf(d).currentSeats() : null,
    voidReason: d.voidReason,
    voidedAt: iso(d.voidedAt),
    drawnAt: iso(d.drawnAt),
  };
}

export async function getPanel(store: RepoStore, id: number, a?: PanelActor): Promise<PanelView> {
  if (a) assertCanReadPanel(a, await panelScope(store.prisma, id));
  const p = await store.prisma.panel.findUnique({ where: { id } });
  if (!p) throw new RepoError(404, "NOT_FOUND", `抽取事由 ${id} 不存在`);
  const draws = await store.prisma.panelDraw.findMany({ where: { panelId: id }, orderBy: { id: "asc" }, include: drawInclude });
  return {
    id: p.id,
    bureauId: p.bureauId,
    purpose: p.purpose,
    purposeLabel: PANEL_PURPOSE_LABELS[p.purpose as PanelPurpose] ?? p.purpose,
    name: p.name,
    applicationNo: p.applicationNo,
    decisionId: p.decisionId,
    subjectCode: p.subjectCode,
    subjectDistrict: p.subjectDistrict,
    day: p.day,
    seats: jsonArray<Seat>(p.seats),
    recusals: jsonArray(p.recusals).length,
    createdAt: p.createdAt.toISOString(),
    draws: draws.map((d) => drawView(d, true)),
  };
}

/** Panels an actor may read: all (admin, auditor), or those of the officer's department's cases. */
export async function listPanels(store: RepoStore, a: PanelActor): Promise<PanelView[]> {
  const rows = await store.prisma.panel.findMany({ orderBy: { id: "asc" }, select: { id: true } });
  const out: PanelView[] = [];
  for (const r of rows) {
    if (a.role === "officer" && !(await panelScope(store.prisma, r.id)).departmentIds.includes(a.departmentId!)) continue;
    out.push(await getPanel(store, r.id));
  }
  return out;
}

export async function getPanelDraw(store: RepoStore, drawId: number, a: PanelActor): Promise<PanelDrawView> {
  assertCanReadPanel(a, await drawScope(store.prisma, drawId));
  return drawView(await loadDraw(store.prisma, drawId), true);
}

// ─── commit ──────────────────────────────────────────────────────────────────────────────────

export type PanelSeedInput = { mode: "commitReveal" } | { mode: "external"; source: string; reference: string };

async function previousAttempts(tx: Tx, panelId: number): Promise<PreviousAttempt[]> {
  const voided = await tx.panelDraw.findMany({ where: { panelId, status: "void" }, orderBy: { id: "asc" }, include: drawInclude });
  return voided.map((v, i) => {
    const plan = (JSON.parse(v.publicInputs) as PanelInputs["public"]).seedPlan;
    return {
      attempt: i + 1,
      commitment: v.commitment,
      seed: v.seed,
      secretCommitments: v.commitments.map((c) => c.hash).sort(),
      reference: plan.mode === "external" ? plan.reference : null,
      head: v.records.length > 0 ? v.records[v.records.length - 1]!.digest : null,
      voidedAt: v.voidedAt!.toISOString(),
      reason: v.voidReason!,
    };
  });
}

/** The directory frozen for a panel: experts of the open libraries with a seat's speciality, the staff seats' officers. */
async function directoryFor(tx: Tx, panel: { subjectCode: string; recusals: unknown }, seats: Seat[]) {
  const specialities = new Set(seats.flatMap((s) => (s.kind === "expert" ? [s.speciality] : [])));
  const staffCodes = [...new Set(seats.flatMap((s) => (s.kind === "officer" ? [s.department] : [])))];
  const libraries = await tx.expert.findMany({ where: { OR: [{ departmentId: null }, { department: { kind: "supervision" } }] }, include: { department: true, recusals: { where: { code: panel.subjectCode } } }, orderBy: { id: "asc" } });
  const experts = libraries.filter((x) => asArray(x.specialities).some((s) => specialities.has(s)));
  const depts = await tx.department.findMany({ where: { code: { in: staffCodes } } });
  // Inspectors recused from the applicant (回避登记, by entity) are left out as experts are.
  const officers = await tx.inspector.findMany({ where: { departmentId: { in: depts.map((d) => d.id) } }, include: { department: true, recusals: { where: { entity: { code: panel.subjectCode } } } }, orderBy: { id: "asc" } });
  const expertId = (x: (typeof experts)[number]) => x.certificateNo ?? `expert-${x.id}`;
  const recusals = [
    ...jsonArray<{ person: string; reason: string }>(panel.recusals),
    ...experts.flatMap((x) => x.recusals.map((r) => ({ person: expertId(x), reason: r.reason }))),
    ...officers.flatMap((o) => o.recusals.map((r) => ({ person: o.certificateNo, reason: r.reason }))),
  ];
  const known = new Set([...experts.map(expertId), ...officers.map((o) => o.certificateNo)]);
  const departments = new Map<string, string>();
  for (const d of depts) departments.set(d.code, d.name);
  for (const x of experts) if (x.department) departments.set(x.department.code, x.department.name);
  return {
    departments: [...departments].map(([id, name]) => ({ id, name })),
    experts: experts.map((x) => ({ id: expertId(x), library: x.department?.code ?? null, specialities: asArray(x.specialities), districts: asArray(x.districts), active: x.active, unavailable: asArray(x.unavailable) })),
    officers: officers.map((o) => ({ id: o.certificateNo, department: o.department.code, qualifications: asArray(o.qualifications), districts: asArray(o.districts), active: o.active, unavailable: asArray(o.unavailable) })),
    recusals: recusals.filter((r) => known.has(r.person)),
  };
}

export async function commitPanelDraw(store: RepoStore, panelId: number, seed: PanelSeedInput, a: PanelActor, reserves = 2): Promise<PanelDrawView> {
  assertCanRunPanel(a, await panelScope(store.prisma, panelId));
  const id = await inTransaction(store, async (tx) => {
    const panel = await tx.panel.findUniqueOrThrow({ where: { id: panelId }, include: { bureau: true } });
    const live = await tx.panelDraw.findUnique({ where: { livePanelId: panelId } });
    if (live) throw new RepoError(409, "LIVE_DRAW_EXISTS", `抽取事由 ${panelId} 已有进行中的抽取（${live.id}，${PANEL_STATUS_LABEL[live.status]}）；须先说明理由作废`);
    const seats = jsonArray<Seat>(panel.seats);
    const dir = await directoryFor(tx, panel, seats);
    const previous = await previousAttempts(tx, panelId);
    const frozenAt = new Date();
    let inputs: PanelInputs;
    try {
      inputs = freezePanel({
        panel: { id: String(panel.id), name: panel.name, purpose: panel.purpose as PanelPurpose, day: panel.day },
        bureau: { id: panel.bureau.code, name: panel.bureau.name },
        departments: dir.departments,
        seats,
        attempt: { number: previous.length + 1, previous },
        frozenAt: frozenAt.toISOString(),
        audit: await auditHead(tx),
        reserves,
        // Commit-reveal: the bureau, the staff seats' departments and the libraries drawn from, so that
        // the bureau never chooses the seed alone (refused by §15.2 when no other department takes part).
        seedPlan: seed.mode === "commitReveal" ? { mode: "commitReveal", departments: [panel.bureau.code, ...dir.departments.map((d) => d.id)] } : seed,
        salt: randomBytes(32).toString("hex"),
        application: { no: panel.applicationNo, code: panel.subjectCode, district: panel.subjectDistrict },
        experts: dir.experts,
        officers: dir.officers,
        recusals: dir.recusals,
      });
    } catch (e) {
      engineError(e);
    }
    const { publicDigest, privateDigest, commitment } = panelDigests(inputs);
    const d = await tx.panelDraw.create({
      data: { panelId, livePanelId: panelId, status: "committed", specVersion: "ssj-draw/2", inputDigest: publicDigest, commitment, attempt: previous.length + 1, frozenAt, publicInputs: canonicalJson(inputs.public), privateInputs: canonicalJson(inputs.private), privateDigest },
    });
    return {
      value: d.id,
      audit: { actor: actorString(a), action: "panel.draw.commit", subject: `panelDraw:${d.id}`, payload: { panelId, attempt: previous.length + 1, commitment, publicDigest, privateDigest, frozenAt: frozenAt.toISOString(), seedPlan: inputs.public.seedPlan, directory: inputs.public.directory } },
    };
  }).catch((e: unknown) => {
    if ((e as { code?: string })?.code === "P2002") throw new RepoError(409, "LIVE_DRAW_EXISTS", `抽取事由 ${panelId} 已有进行中的抽取；须先说明理由作废`);
    throw e;
  });
  await publishAnchor(store, "draw").catch(() => null);
  return drawView(await loadDraw(store.prisma, id), true);
}

// ─── seed ────────────────────────────────────────────────────────────────────────────────────

function ceremonyOf(d: DrawRow): Ceremony {
  return {
    phase: d.status as Ceremony["phase"],
    inputs: JSON.parse(d.publicInputs),
    commitment: d.commitment,
    secrets: Object.fromEntries(
      d.commitments.map((c) => [c.department.code, { hash: c.hash, committedAt: c.committedAt.toISOString(), ...(c.reveal ? { secret: c.reveal, revealedAt: c.revealedAt!.toISOString() } : {}) }]),
    ),
  };
}

/** A department's own secret: only its officers, and only a department of the seed plan. */
async function ownDepartmentCode(db: Db, a: PanelActor, d: DrawRow): Promise<string> {
  if (a.role !== "officer") throw forbidden("秘密值只能由参与部门的科员本人提交和公开：管理员若能代各部门提交，就能独自决定种子");
  const dept = await db.department.findUniqueOrThrow({ where: { id: a.departmentId! } });
  const plan = (JSON.parse(d.publicInputs) as PanelInputs["public"]).seedPlan;
  if (plan.mode !== "commitReveal" || !plan.departments.includes(dept.code)) throw forbidden("本部门不在本次抽取的种子方案之列");
  return dept.code;
}

export async function submitPanelSecret(store: RepoStore, drawId: number, hash: string, a: PanelActor): Promise<PanelDrawView> {
  await drawScope(store.prisma, drawId);
  await inTransaction(store, async (tx) => {
    const d = await loadDraw(tx, drawId);
    const code = await ownDepartmentCode(tx, a, d);
    const at = new Date();
    const used = (await tx.panelDrawCommitment.count({ where: { hash } })) + (await tx.drawCommitment.count({ where: { hash } })) > 0;
    try {
      submitSecretCommitment(ceremonyOf(d), code, hash, at.toISOString(), () => used);
    } catch (e) {
      engineError(e);
    }
    await tx.panelDrawCommitment.create({ data: { drawId, departmentId: a.departmentId!, hash, committedAt: at } });
    return { value: null, audit: { actor: actorString(a), action: "panel.draw.secretCommitment", subject: `panelDraw:${drawId}`, payload: { department: code, hash } } };
  }).catch((e: unknown) => {
    if ((e as { code?: string })?.code === "P2002") throw new RepoError(409, "DRAW_SECRET_REUSED", "这个秘密值承诺以前用过：每次抽取都须新生成秘密值");
    throw e;
  });
  return drawView(await loadDraw(store.prisma, drawId), true);
}

export async function revealPanelSecret(store: RepoStore, drawId: number, secret: string, a: PanelActor): Promise<PanelDrawView> {
  await drawScope(store.prisma, drawId);
  await inTransaction(store, async (tx) => {
    const d = await loadDraw(tx, drawId);
    const code = await ownDepartmentCode(tx, a, d);
    const at = new Date();
    let out: ReturnType<typeof revealSecret>;
    try {
      out = revealSecret(ceremonyOf(d), code, secret, at.toISOString());
    } catch (e) {
      engineError(e);
    }
    await tx.panelDrawCommitment.update({ where: { drawId_departmentId: { drawId, departmentId: a.departmentId! } }, data: { reveal: secret, revealedAt: at } });
    const audit: AuditEntry[] = [{ actor: actorString(a), action: "panel.draw.reveal", subject: `panelDraw:${drawId}`, payload: { department: code } }];
    if (out.seed) {
      await tx.panelDraw.update({ where: { id: drawId }, data: { status: "seeded", seed: out.seed, seedProvenance: out.provenance as object, seededAt: at } });
      audit.push({ actor: actorString(a), action: "panel.draw.seeded", subject: `panelDraw:${drawId}`, payload: { seed: out.seed } });
    }
    return { value: null, audit };
  });
  return drawView(await loadDraw(store.prisma, drawId), true);
}

export async function enterPanelExternal(store: RepoStore, drawId: number, value: string, publishedAt: string, a: PanelActor): Promise<PanelDrawView> {
  assertCanRunPanel(a, await drawScope(store.prisma, drawId));
  assertPublishedBeforeNow(publishedAt);
  await inTransaction(store, async (tx) => {
    const d = await loadDraw(tx, drawId);
    let out: ReturnType<typeof enterExternalValue>;
    try {
      out = enterExternalValue(ceremonyOf(d), value, publishedAt);
    } catch (e) {
      engineError(e);
    }
    await tx.panelDraw.update({ where: { id: drawId }, data: { status: "seeded", seed: out.seed, seedProvenance: out.provenance as object, seededAt: new Date() } });
    return { value: null, audit: { actor: actorString(a), action: "panel.draw.seeded", subject: `panelDraw:${drawId}`, payload: { seed: out.seed, provenance: out.provenance } } };
  });
  return drawView(await loadDraw(store.prisma, drawId), true);
}

// ─── draw, substitution, void ────────────────────────────────────────────────────────────────

async function insertRecord(tx: Tx, drawId: number, rec: PanelRecord, replay: PanelReplay, actor: string): Promise<void> {
  await tx.panelDrawRecord.create({
    data: { drawId, seq: rec.seq, kind: rec.kind, prev: rec.prev, digest: replay.head, at: new Date(rec.at), publicPart: canonicalJson(rec.public), privatePart: canonicalJson(rec.private), privateDigest: replay.lastPrivateDigest, actor },
  });
}

export async function runPanelDraw(store: RepoStore, drawId: number, a: PanelActor): Promise<PanelDrawView> {
  assertCanRunPanel(a, await drawScope(store.prisma, drawId));
  await inTransaction(store, async (tx) => {
    const d = await loadDraw(tx, drawId);
    if (d.status === "drawn") throw new RepoError(409, "DRAW_ALREADY_DRAWN", `专家抽取 ${drawId} 已经抽取过：抽取只能进行一次，结果不可更改`);
    if (d.status !== "seeded") throw new RepoError(409, "DRAW_WRONG_PHASE", `专家抽取 ${drawId} 当前状态为“${PANEL_STATUS_LABEL[d.status]}”：须先有种子才能抽取`);
    const replay = replayOf(d);
    const at = new Date();
    const rec = replay.makeDraw(at.toISOString(), await auditHead(tx));
    const moved = await tx.panelDraw.updateMany({ where: { id: drawId, status: "seeded" }, data: { status: "drawn", drawnAt: at } });
    if (moved.count !== 1) throw new RepoError(409, "DRAW_ALREADY_DRAWN", `专家抽取 ${drawId} 已经抽取过`);
    await insertRecord(tx, drawId, rec, replay, actorString(a));
    const pub = rec.public as { results: { seats: { seat: string; drawn: number; shortfall: number }[] } };
    return { value: null, audit: { actor: actorString(a), action: "panel.draw.run", subject: `panelDraw:${drawId}`, payload: { head: replay.head, seats: pub.results.seats } } };
  });
  await publishAnchor(store, "draw").catch(() => null);
  return drawView(await loadDraw(store.prisma, drawId), true);
}

export async function substitutePanel(store: RepoStore, drawId: number, req: { seat: string; out: string; reason: string }, a: PanelActor): Promise<{ in: string | null; seq: number; head: string }> {
  assertCanRunPanel(a, await drawScope(store.prisma, drawId));
  const reason = req.reason.trim();
  if (reason.length < 2) throw new RepoError(400, "VALIDATION_FAILED", "递补必须说明理由", "body.reason");
  return inTransaction(store, async (tx) => {
    const d = await loadDraw(tx, drawId);
    if (d.status !== "drawn") throw new RepoError(409, "NOT_DRAWN", `专家抽取 ${drawId} 当前状态为“${PANEL_STATUS_LABEL[d.status]}”：递补只能在抽取之后`);
    const replay = replayOf(d);
    let rec: PanelRecord;
    try {
      rec = replay.makeSubstitution({ seat: req.seat, out: req.out, reason }, new Date().toISOString(), await auditHead(tx));
    } catch (e) {
      if (e instanceof DrawInputError) throw new RepoError(422, "SUBSTITUTION_REFUSED", e.message.replace(/^.*?: /, "").replace(/ \[[A-Za-z]+\]$/, ""), `body.${e.field.split(".").pop()}`);
      throw e;
    }
    await insertRecord(tx, drawId, rec, replay, actorString(a));
    const inId = (rec.private as { in: string | null }).in;
    // The audit payload is hashed into the public chain head: it names no person (seat and digests only).
    return { value: { in: inId, seq: rec.seq, head: replay.head }, audit: { actor: actorString(a), action: "panel.draw.substitute", subject: `panelDraw:${drawId}`, payload: { seq: rec.seq, seat: req.seat, privateDigest: replay.lastPrivateDigest, head: replay.head } } };
  });
}

export async function voidPanelDraw(store: RepoStore, drawId: number, reason: string, a: PanelActor): Promise<PanelDrawView> {
  assertCanRunPanel(a, await drawScope(store.prisma, drawId));
  const why = reason.trim();
  if (why.length < 4) throw new RepoError(400, "VALIDATION_FAILED", "作废必须说明理由（至少 4 个字），理由将公开", "body.reason");
  await inTransaction(store, async (tx) => {
    const d = await loadDraw(tx, drawId);
    if (d.status === "void") throw new RepoError(409, "DRAW_ALREADY_VOID", `专家抽取 ${drawId} 已作废`);
    await tx.panelDraw.update({ where: { id: drawId }, data: { status: "void", livePanelId: null, voidReason: why, voidedAt: new Date(), voidActor: actorString(a) } });
    return { value: null, audit: { actor: actorString(a), action: "panel.draw.void", subject: `panelDraw:${drawId}`, payload: { reason: why, status: d.status } } };
  });
  await publishAnchor(store, "draw").catch(() => null);
  return drawView(await loadDraw(store.prisma, drawId), true);
}

// ─── manifests, verification, the public record ──────────────────────────────────────────────

function manifestOfRow(d: DrawRow): FullPanelManifest {
  return fullPanelManifest({
    inputs: inputsOf(d),
    commitment: d.commitment,
    seed: d.seed ? { value: d.seed, provenance: d.seedProvenance as unknown as Provenance2 } : null,
    records: d.records.map(recordOf),
    head: headOfRow(d),
  });
}

/** The manifest text: full (names: case departments and auditors) or public (anyone). */
export async function panelManifestText(store: RepoStore, drawId: number, kind: "full" | "public", a?: PanelActor): Promise<string> {
  const s = await drawScope(store.prisma, drawId);
  if (kind === "full") {
    if (!a) throw forbidden("完整清单含专家和人员名录，须登录");
    assertCanReadPanel(a, s);
  }
  const d = await loadDraw(store.prisma, drawId);
  const full = manifestOfRow(d);
  return canonicalJson(kind === "full" ? full : publicPanelManifest(full, d.privateDigest));
}

/** The commitment as published: the append-only audit entry of the commit, not the row. */
async function publishedCommitment(store: RepoStore, drawId: number): Promise<string | null> {
  const entry = await store.prisma.auditLog.findFirst({ where: { action: "panel.draw.commit", subject: `panelDraw:${drawId}` }, orderBy: { seq: "asc" } });
  return entry ? ((JSON.parse(entry.payload) as { commitment?: string }).commitment ?? null) : null;
}

export interface PanelVerifyResult {
  ok: boolean;
  kind: "full" | "public";
  path?: string;
  rule?: string;
  message?: string;
  proven?: string[];
  notProven?: string[];
  warnings?: string[];
  summary?: unknown;
  knownDraw: { id: number; status: string; publishedCommitment: string | null; matchesPublished: boolean } | null;
}

/** Verify a panel manifest document (either kind) and say whether it is one of ours. */
export async function verifyPanelText(store: RepoStore, text: string | Uint8Array, knownId?: number): Promise<PanelVerifyResult> {
  let doc: PanelManifest;
  try {
    doc = parseStrictJson(text).value as PanelManifest;
  } catch (e) {
    if (e instanceof StrictJsonError) throw new RepoError(422, "NOT_A_MANIFEST", `不是有效的抽取清单：${e.message}`, "manifest");
    throw e;
  }
  const claimed = typeof doc?.commitment === "string" ? doc.commitment : null;
  const known = knownId !== undefined ? await store.prisma.panelDraw.findUnique({ where: { id: knownId } }) : claimed ? await store.prisma.panelDraw.findFirst({ where: { commitment: claimed } }) : null;
  const published = known ? await publishedCommitment(store, known.id) : null;
  const o = verifyPanelManifest(doc, published ? { expectedCommitment: published } : {});
  const kind = doc?.kind === "full" ? "full" : "public";
  const knownDraw = known ? { id: known.id, status: known.status, publishedCommitment: published, matchesPublished: published !== null && published === claimed } : null;
  return o.ok ? { ok: true, kind, proven: o.proven, notProven: o.notProven, warnings: o.warnings, summary: o.summary, knownDraw } : { ok: false, kind, path: o.path, rule: o.rule, message: o.message, knownDraw };
}

/** A stored draw against the commitment as it was published (audit log), not against the row. */
export async function verifyStoredPanelDraw(store: RepoStore, drawId: number, a: PanelActor): Promise<PanelVerifyResult> {
  const out = await verifyPanelText(store, await panelManifestText(store, drawId, "full", a), drawId);
  if (out.ok && out.knownDraw && !out.knownDraw.matchesPublished)
    return { ...out, ok: false, path: "commitment", rule: "publishedCommitment", message: `存储的承诺值与提交时公布（审计日志记录）的承诺值 ${out.knownDraw.publishedCommitment ?? "（无记录）"} 不一致：数据库中的抽取被改动过` };
  return out;
}

export interface PublicPanelDraw {
  id: number;
  panel: { id: number; name: string; purpose: string; purposeLabel: string; day: string; bureau: string };
  attempt: number;
  status: string;
  statusLabel: string;
  method: string;
  commitment: string;
  frozenAt: string;
  seedPlan: unknown;
  seed: string | null;
  seedProvenance: unknown;
  head: string;
  /** H(public manifest): what a copy of the public manifest must hash to. */
  manifestDigest: string;
  seats: { seat: string; kind: string; speciality?: string; department?: string; required: number; drawn: number | null; shortfall: number | null }[];
  records: { seq: number; kind: string; at: string; digest: string }[];
  voidReason: string | null;
  voidedAt: string | null;
}

/** The 公示 record of a panel draw: the fact, the method and the digests; never a person. */
export async function publicPanelDraw(store: RepoStore, drawId: number): Promise<PublicPanelDraw> {
  const d = await loadDraw(store.prisma, drawId);
  const panel = await store.prisma.panel.findUniqueOrThrow({ where: { id: d.panelId }, include: { bureau: true } });
  const full = manifestOfRow(d);
  const pm = publicPanelManifest(full, d.privateDigest);
  const pub = full.inputs.public;
  const r0 = d.records[0] ? (JSON.parse(d.records[0].publicPart) as { results: { seats: { seat: string; drawn: number; shortfall: number }[] } }) : null;
  const names = new Map(pub.departments.map((x) => [x.id, x.name]));
  return {
    id: d.id,
    panel: { id: panel.id, name: panel.name, purpose: panel.purpose, purposeLabel: PANEL_PURPOSE_LABELS[panel.purpose as PanelPurpose] ?? panel.purpose, day: panel.day, bureau: panel.bureau.name },
    attempt: d.attempt,
    status: d.status,
    statusLabel: PANEL_STATUS_LABEL[d.status] ?? d.status,
    method: "ssj-draw/2 §15（专家和人员抽取：承诺—种子—按票号顺序抽取，ssj verify 可离线复核）",
    commitment: d.commitment,
    frozenAt: d.frozenAt.toISOString(),
    seedPlan: pub.seedPlan,
    seed: d.seed,
    seedProvenance: d.seedProvenance ?? null,
    head: full.head,
    manifestDigest: digestOf(pm),
    seats: pub.seats.map((s, i) => ({
      seat: s.id,
      kind: s.kind,
      ...(s.kind === "expert" ? { speciality: s.speciality } : { department: names.get(s.department) ?? s.department }),
      required: s.count,
      drawn: r0 ? r0.results.seats[i]!.drawn : null,
      shortfall: r0 ? r0.results.seats[i]!.shortfall : null,
    })),
    records: d.records.map((r) => ({ seq: r.seq, kind: r.kind, at: r.at.toISOString(), digest: r.digest })),
    voidReason: d.voidReason,
    voidedAt: iso(d.voidedAt),
  };
}

export async function publicPanelManifestText(store: RepoStore, drawId: number): Promise<{ text: string; head: string }> {
  const d = await loadDraw(store.prisma, drawId);
  const full = manifestOfRow(d);
  return { text: canonicalJson(publicPanelManifest(full, d.privateDigest)), head: full.head };
}

/** Every panel draw, public form (公示 list). */
export async function listPublicPanelDraws(store: RepoStore, page: { limit?: number; offset?: number } = {}): Promise<PublicPanelDraw[]> {
  const rows = await store.prisma.panelDraw.findMany({ orderBy: { id: "desc" }, select: { id: true }, take: page.limit ?? 100, skip: page.offset ?? 0 });
  const out: PublicPanelDraw[] = [];
  for (const r of rows) out.push(await publicPanelDraw(store, r.id));
  return out;
}

// ─── expert libraries (专家库) ────────────────────────────────────────────────────────────────

export interface ExpertInput {
  departmentId?: number | null;
  name: string;
  certificateNo: string;
  organization?: string;
  specialities: string[];
  districts: string[];
  unavailable?: string[];
  recusals?: { code: string; reason: string }[];
}

export interface ExpertView {
  id: number;
  name: string;
  certificateNo: string | null;
  organization: string | null;
  department: string | null;
  specialities: string[];
  districts: string[];
  unavailable: string[];
  active: boolean;
}

/** An expert row (with its department's code) as the API shows it; shared with expertDirectory.ts. */
export const expertView = (x: { id: number; name: string; certificateNo: string | null; organization: string | null; department: { code: string } | null; specialities: unknown; districts: unknown; unavailable: unknown; active: boolean }): ExpertView => ({
  id: x.id,
  name: x.name,
  certificateNo: x.certificateNo,
  organization: x.organization,
  department: x.department?.code ?? null,
  specialities: asArray(x.specialities),
  districts: asArray(x.districts),
  unavailable: asArray(x.unavailable),
  active: x.active,
});

/** Libraries an actor may read: all (admin, auditor, approval bureaus: the libraries are open to them), else the officer's own. */
export async function listExperts(store: RepoStore, a: PanelActor, q: { department?: number; speciality?: string } = {}): Promise<ExpertView[]> {
  let own: number | undefined;
  if (a.role === "officer") {
    const d = await store.prisma.department.findUniqueOrThrow({ where: { id: a.departmentId! } });
    if (d.kind !== "approval") {
      if (q.department !== undefined && q.department !== d.id) throw forbidden("只能查看本部门的专家库");
      own = d.id;
    }
  }
  const departmentId = own ?? q.department;
  const rows = await store.prisma.expert.findMany({ where: departmentId !== undefined ? { departmentId } : {}, include: { department: true }, orderBy: { id: "asc" } });
  return rows.map(expertView).filter((x) => !q.speciality || x.specialities.includes(q.speciality));
}

/** An expert joins a supervising department's library (its officers, or an admin; null = shared, admin only). */
export async function createExpert(store: RepoStore, x: ExpertInput, a: PanelActor): Promise<ExpertView> {
  if (a.role === "auditor") throw forbidden("审计人员不能维护专家库");
  const departmentId = a.role === "officer" ? a.departmentId! : (x.departmentId ?? null);
  if (a.role === "officer" && x.departmentId !== undefined && x.departmentId !== a.departmentId) throw forbidden("只能维护本部门的专家库");
  if (!x.name.trim()) throw bad("body.name", "专家姓名不能为空");
  if (!x.certificateNo.trim()) throw bad("body.certificateNo", "证件号不能为空");
  if (x.specialities.length === 0) throw bad("body.specialities", "至少要有一项专业");
  x.districts.forEach((d, i) => {
    if (!/^[0-9]{2,6}$/.test(d)) throw bad(`body.districts[${i}]`, `“${d}”不是 2–6 位区划码前缀`);
  });
  (x.unavailable ?? []).forEach((d, i) => {
    if (!DATE.test(d)) throw bad(`body.unavailable[${i}]`, `“${d}”不是日期（年-月-日）`);
  });
  (x.recusals ?? []).forEach((r, i) => {
    if (!CODE.test(r.code) || !r.reason.trim()) throw bad(`body.recusals[${i}]`, "回避须写明企业代码（数字和大写字母）和理由");
  });
  const id = await inTransaction(store, async (tx) => {
    if (departmentId !== null) {
      const d = await tx.department.findUnique({ where: { id: departmentId } });
      if (!d) throw bad("body.departmentId", `部门 ${departmentId} 不存在`);
      if (d.kind !== "supervision") throw a.role === "officer" ? forbidden("只有监管部门才有专家库") : bad("body.departmentId", `${d.name} 不是监管部门`);
    }
    if (await tx.expert.findUnique({ where: { certificateNo: x.certificateNo.trim() } })) throw new RepoError(409, "DUPLICATE", `证件号 ${x.certificateNo} 的专家已在专家库中`, "body.certificateNo");
    const row = await tx.expert.create({
      data: {
        name: x.name.trim(),
        certificateNo: x.certificateNo.trim(),
        organization: x.organization?.trim() || null,
        departmentId,
        specialities: [...new Set(x.specialities.map((s) => s.trim()).filter(Boolean))].sort(),
        districts: [...new Set(x.districts)].sort(),
        unavailable: [...new Set(x.unavailable ?? [])].sort(),
      },
    });
    const recusals = [...new Map((x.recusals ?? []).map((r) => [r.code, r])).values()];
    if (recusals.length) await tx.expertRecusal.createMany({ data: recusals.map((r) => ({ expertId: row.id, code: r.code, reason: r.reason.trim() })) });
    // Personal data stays out of the audit payload (the chain's heads are public): the id and the library only.
    return { value: row.id, audit: { actor: actorString(a), action: "expert.create", subject: `expert:${row.id}`, payload: { departmentId, specialities: x.specialities.length, recusals: x.recusals?.length ?? 0 } } };
  }).catch((e: unknown) => {
    if ((e as { code?: string })?.code === "P2002") throw new RepoError(409, "DUPLICATE", `证件号 ${x.certificateNo} 的专家已在专家库中（或回避的企业代码重复）`, "body.certificateNo");
    throw e;
  });
  return expertView(await store.prisma.expert.findUniqueOrThrow({ where: { id }, include: { department: true } }));
}

// ─── demo ────────────────────────────────────────────────────────────────────────────────────

/**
 * For the demo city (`ssj demo`): a few drawn panels per approval bureau, so that a newcomer sees
 * step 5 working — expert seats of specialities the open libraries hold for the bureau's area, a
 * staff seat of a supervising department of the same level, an external seed named in advance (a
 * demo value), drawn once. `actor`: an administrator. Returns the panel draws made.
 */
export async function demoPanels(store: RepoStore, actor: PanelActor, opts: { perBureau?: number; day?: string } = {}): Promise<number[]> {
  const bureaus = await store.prisma.department.findMany({ where: { kind: "approval", active: true }, orderBy: { id: "asc" } });
  const experts = await store.prisma.expert.findMany({ where: { active: true, OR: [{ departmentId: null }, { department: { kind: "supervision" } }] }, select: { specialities: true, districts: true } });
  const purposes = ["siteVisit", "technicalReview", "hearing", "acceptance"] as const;
  const day = opts.day ?? new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10);
  const made: number[] = [];
  for (const b of bureaus) {
    const area = b.districtCode.slice(0, b.level === "city" ? 4 : 6);
    const counts = new Map<string, number>();
    for (const x of experts) if (asArray(x.districts).some((d) => area.startsWith(d) || d.startsWith(area))) for (const s of asArray(x.specialities)) counts.set(s, (counts.get(s) ?? 0) + 1);
    const specialities = [...counts].filter(([, n]) => n >= 4).sort((a, z) => z[1] - a[1] || (a[0] < z[0] ? -1 : 1)).map(([s]) => s);
    const staff = await store.prisma.department.findFirst({ where: { kind: "supervision", level: b.level, active: true, inspectors: { some: { active: true } } }, orderBy: { id: "asc" } });
    const entity = await store.prisma.entity.findFirst({ where: { districtCode: { startsWith: area }, status: "active" }, orderBy: { id: "asc" } });
    if (specialities.length === 0 || !entity) continue;
    for (let k = 0; k < (opts.perBureau ?? 2); k++) {
      const purpose = purposes[(b.id + k) % purposes.length]!;
      const seats: SeatInput[] = [{ id: "E1", kind: "expert", speciality: specialities[k % specialities.length]!, count: 3 }];
      if (staff) seats.push({ id: "O1", kind: "officer", departmentId: staff.id, count: 1 });
      const p = await createPanel(store, { bureauId: b.id, purpose, name: `${PANEL_PURPOSE_LABELS[purpose]}（演示办件 ${k + 1}）`, applicationNo: `DEMO-${b.code}-${k + 1}`, subjectCode: entity.code, subjectDistrict: entity.districtCode, day, seats }, actor);
      const d = await commitPanelDraw(store, p.id, { mode: "external", source: "演示随机数（非真实来源）", reference: `演示-${b.code}-${p.id}` }, actor);
      await enterPanelExternal(store, d.id, `demo-${p.id}`, new Date(Date.parse(d.frozenAt) + 1).toISOString(), actor);
      await runPanelDraw(store, d.id, actor);
      made.push(d.id);
    }
  }
  return made;
}

export interface ExpertUpdate {
  active?: boolean;
  specialities?: string[];
  districts?: string[];
  unavailable?: string[];
  organization?: string | null;
  /** Added to the expert's recusals (回避 for an entity, by code); existing ones are kept. */
  recusals?: { code: string; reason: string }[];
}

/** Maintain an expert of a library: its department's officers, or an admin. Draws already committed keep their frozen copy. */
export async function updateExpert(store: RepoStore, id: number, x: ExpertUpdate, a: PanelActor): Promise<ExpertView> {
  if (a.role === "auditor") throw forbidden("审计人员不能维护专家库");
  const row = await store.prisma.expert.findUnique({ where: { id } });
  if (!row) throw new RepoError(404, "NOT_FOUND", `专家 ${id} 不存在`);
  if (a.role === "officer" && row.departmentId !== a.departmentId) throw forbidden("只能维护本部门的专家库");
  if (x.specialities && x.specialities.filter((s) => s.trim()).length === 0) throw bad("body.specialities", "至少要有一项专业");
  (x.districts ?? []).forEach((d, i) => {
    if (!/^[0-9]{2,6}$/.test(d)) throw bad(`body.districts[${i}]`, `“${d}”不是 2–6 位区划码前缀`);
  });
  (x.unavailable ?? []).forEach((d, i) => {
    if (!DATE.test(d)) throw bad(`body.unavailable[${i}]`, `“${d}”不是日期（年-月-日）`);
  });
  (x.recusals ?? []).forEach((r, i) => {
    if (!CODE.test(r.code) || !r.reason.trim()) throw bad(`body.recusals[${i}]`, "回避须写明企业代码（数字和大写字母）和理由");
  });
  await inTransaction(store, async (tx) => {
    await tx.expert.update({
      where: { id },
      data: {
        ...(x.active !== undefined ? { active: x.active } : {}),
        ...(x.specialities ? { specialities: [...new Set(x.specialities.map((s) => s.trim()).filter(Boolean))].sort() } : {}),
        ...(x.districts ? { districts: [...new Set(x.districts)].sort() } : {}),
        ...(x.unavailable ? { unavailable: [...new Set(x.unavailable)].sort() } : {}),
        ...(x.organization !== undefined ? { organization: x.organization?.trim() || null } : {}),
      },
    });
    for (const r of x.recusals ?? []) await tx.expertRecusal.upsert({ where: { expertId_code: { expertId: id, code: r.code } }, create: { expertId: id, code: r.code, reason: r.reason.trim() }, update: {} });
    return { value: null, audit: { actor: actorString(a), action: "expert.update", subject: `expert:${id}`, payload: { changed: Object.keys(x).filter((k) => k !== "recusals"), recusalsAdded: x.recusals?.length ?? 0 } } };
  });
  return expertView(await store.prisma.expert.findUniqueOrThrow({ where: { id }, include: { department: true } }));
}
