/**
 * 审管联动 on the database, part 1: who may act (scope), 职责边界清单 versions, 法律法规变化告知,
 * 审批决定 and their pushes (审批结果推送, 签收, 转送上级). Every change runs in one transaction with
 * its audit entry (`inTransaction`); the core (src/approvals) decides, this module reads and
 * writes. Part 2 (verifications, disputes, alerts, the overdue list, statistics, the merge into
 * the schedule): ./loopSteps.ts.
 *
 * Scope: an administrator acts for any department; an auditor reads everything and changes
 * nothing; an officer acts for their own department and reads only the cases the loop gives it a
 * part in — an approval bureau its own decisions and what follows from them, a supervising
 * department the decisions pushed to it. Anything else is 403, never an empty answer.
 */
import { createHash } from "node:crypto";
import {
  childrenIndex,
  DECISION_KIND_LABELS,
  DECISION_OUTCOME_LABELS,
  dutyListDigest,
  forwardTarget,
  LoopError,
  monthDeadline,
  routeDecision,
  validateDutyList,
  valueOf,
  verificationTask,
  verifiers,
  workingDayDeadline,
  type DecisionKind,
  type DecisionOutcome,
  type DepartmentRef,
  type DutyEntry,
  type DutyEntryInput,
  type LoopSettings,
  type PushedSupervision,
} from "../../approvals/index.ts";
import { isIsoDate, type HolidayCalendar } from "../../calendar/index.ts";
import { canonicalJson } from "../../draws/canonicalJson.ts";
import { departmentRef, decisionView, dutyEntryOf, dutyListView, noticeView, pushView } from "../translate/approvals.ts";
import { inTransaction, type AuditEntry } from "./audit.ts";
import { RepoError, type RepoStore, type Tx } from "./db.ts";
import { todayInChina } from "./results.ts";
import { calendarFor, loopSettingsFor } from "./settings.ts";

type Db = RepoStore["prisma"] | Tx;

export interface LoopActor {
  userId: number;
  role: "admin" | "officer" | "auditor";
  departmentId: number | null;
  /** The audit actor when it is not a user (the demo loader: "ssj demo"). */
  actor?: string;
}

export const loopActorString = (a: LoopActor) => a.actor ?? `user:${a.userId}`;

/** A LoopError of the core as the repository's error (the API maps it 1:1). */
export function repoErrorOf(e: unknown): never {
  if (e instanceof LoopError) throw new RepoError(e.status, e.code, e.message, e.field);
  throw e;
}

export async function departmentsMap(db: Db): Promise<Map<number, DepartmentRef>> {
  return new Map((await db.department.findMany()).map((d) => [d.id, departmentRef(d)]));
}

/** The actor acts for `departmentId` (admin: any). */
export function assertActsFor(a: LoopActor, departmentId: number, what: string): void {
  if (a.role === "admin") return;
  if (a.role !== "officer" || a.departmentId !== departmentId) throw new RepoError(403, "FORBIDDEN", `只有本部门人员可以${what}`);
}

/** The actor may read a case whose parties are `parties` (admin and auditor: every case). */
export function assertParty(a: LoopActor, parties: Iterable<number>, what = "该事项"): void {
  if (a.role !== "officer") return;
  for (const p of parties) if (p === a.departmentId) return;
  throw new RepoError(403, "FORBIDDEN", `${what}不涉及本部门（审批部门只看本部门的审批决定，监管部门只看推送给本部门的决定）`);
}

async function approvalBureau(db: Db, id: number, field: string): Promise<DepartmentRef> {
  const d = await db.department.findUnique({ where: { id } });
  if (!d) throw new RepoError(422, "UNKNOWN_DEPARTMENT", `${field}：部门 ${id} 不存在`, field);
  if (d.kind !== "approval") throw new RepoError(422, "NOT_AN_APPROVAL_BUREAU", `${field}：${d.name} 不是行政审批部门`, field);
  return departmentRef(d);
}

/** The bureau the actor acts for: an officer's own department, or (admin) the one named. */
async function actingBureau(db: Db, a: LoopActor, bureauId: number | undefined): Promise<DepartmentRef> {
  if (a.role === "officer") {
    if (bureauId !== undefined && bureauId !== a.departmentId) throw new RepoError(403, "FORBIDDEN", "只能以本部门（行政审批部门）的名义办理");
    const b = await approvalBureau(db, a.departmentId!, "bureauId");
    return b;
  }
  if (bureauId === undefined) throw new RepoError(400, "VALIDATION_FAILED", "bureauId：管理员须指明行政审批部门", "bureauId");
  return approvalBureau(db, bureauId, "bureauId");
}

// ─── 职责边界清单 ──────────────────────────────────────────────────────────────────────────────

const listInclude = { bureau: true } as const;
const entryInclude = { department: true } as const;

/**
 * A new version of a bureau's list: validated by the core, digest recorded, the previous version
 * superseded. With `noticeId`, the open law-change notice it answers is resolved as 'revised'.
 */
export async function publishDutyList(store: RepoStore, input: { bureauId?: number; reason: string; noticeId?: number | null; source?: string; entries: DutyEntryInput[] }, a: LoopActor) {
  const reason = input.reason?.trim() ?? "";
  if (reason.length < 2) throw new RepoError(400, "VALIDATION_FAILED", "reason：须说明发布或修订清单的理由（公开）", "reason");
  const id = await inTransaction(store, async (tx) => {
    const bureau = await actingBureau(tx, a, input.bureauId);
    const departments = await departmentsMap(tx);
    let entries;
    try {
      entries = validateDutyList(bureau, input.entries, departments);
    } catch (e) {
      repoErrorOf(e);
    }
    const itemIds = entries.map((e) => e.itemId).filter((x): x is number => x !== null);
    if (itemIds.length) {
      const items = new Map((await tx.inspectionItem.findMany({ where: { id: { in: itemIds } } })).map((i) => [i.id, i]));
      entries.forEach((e, i) => {
        if (e.itemId !== null && items.get(e.itemId)?.departmentId !== e.departmentId)
          throw new RepoError(422, "FOREIGN_ITEM", `entries[${i}].itemId：检查事项 ${e.itemId} 不在该监管部门的抽查事项清单中`, `entries[${i}].itemId`);
      });
    }
    if (input.noticeId != null) {
      const n = await tx.lawChangeNotice.findUnique({ where: { id: input.noticeId } });
      if (!n || n.bureauId !== bureau.id) throw new RepoError(422, "UNKNOWN_NOTICE", `noticeId：告知 ${input.noticeId} 不是发给本审批部门的`, "noticeId");
      if (n.status !== "open") throw new RepoError(409, "NOTICE_RESOLVED", `noticeId：告知 ${input.noticeId} 已处理`, "noticeId");
    }
    const prev = await tx.dutyList.findFirst({ where: { bureauId: bureau.id }, orderBy: { version: "desc" } });
    const now = new Date();
    if (prev && prev.status === "current") await tx.dutyList.update({ where: { id: prev.id }, data: { status: "superseded", supersededAt: now } });
    const digest = dutyListDigest(entries);
    const list = await tx.dutyList.create({ data: { bureauId: bureau.id, version: (prev?.version ?? 0) + 1, reason, noticeId: input.noticeId ?? null, source: input.source ?? "api", digest, actor: loopActorString(a) } });
    await tx.dutyEntry.createMany({ data: entries.map((e) => ({ ...e, listId: list.id })) });
    if (input.noticeId != null)
      await tx.lawChangeNotice.update({ where: { id: input.noticeId }, data: { status: "revised", resolutionNote: `清单第 ${list.version} 版：${reason}`, resolvedAt: now, resolvedBy: a.userId } });
    return {
      value: list.id,
      audit: { actor: loopActorString(a), action: "dutyList.publish", subject: `dutyList:${list.id}`, payload: { bureau: bureau.code, version: list.version, entries: entries.length, digest, noticeId: input.noticeId ?? null, reason } },
    };
  });
  return getDutyList(store, id);
}

export async function getDutyList(store: RepoStore, id: number) {
  const l = await store.prisma.dutyList.findUnique({ where: { id }, include: listInclude });
  if (!l) throw new RepoError(404, "NOT_FOUND", `职责边界清单 ${id} 不存在`);
  const entries = await store.prisma.dutyEntry.findMany({ where: { listId: id }, include: entryInclude, orderBy: { id: "asc" } });
  return dutyListView(l, entries);
}

export async function listDutyLists(store: RepoStore, filter: { bureauId?: number; current?: boolean }) {
  const rows = await store.prisma.dutyList.findMany({
    where: { ...(filter.bureauId ? { bureauId: filter.bureauId } : {}), ...(filter.current ? { status: "current" } : {}) },
    include: listInclude,
    orderBy: [{ bureauId: "asc" }, { version: "desc" }],
  });
  return rows.map((r) => dutyListView(r));
}

// ─── 法律法规变化告知 ───────────────────────────────────────────────────────────────────────────

const noticeInclude = { department: true, bureau: true, revision: { select: { id: true, version: true } } } as const;

export async function sendNotice(store: RepoStore, input: { departmentId?: number; bureauId: number; law: string; summary: string; effectiveOn?: string | null }, a: LoopActor) {
  const departmentId = a.role === "officer" ? a.departmentId! : input.departmentId;
  if (departmentId === undefined) throw new RepoError(400, "VALIDATION_FAILED", "departmentId：管理员须指明发出告知的监管部门", "departmentId");
  assertActsFor(a, departmentId, "发出法律法规变化告知");
  if (input.effectiveOn != null && !isIsoDate(input.effectiveOn)) throw new RepoError(400, "INVALID_DATE", "effectiveOn：日期格式应为 YYYY-MM-DD", "effectiveOn");
  const id = await inTransaction(store, async (tx) => {
    const d = await tx.department.findUnique({ where: { id: departmentId } });
    if (!d || d.kind !== "supervision") throw new RepoError(422, "NOT_A_SUPERVISING_DEPARTMENT", "departmentId：只有行业监管部门发出法律法规变化告知", "departmentId");
    await approvalBureau(tx, input.bureauId, "bureauId");
    const n = await tx.lawChangeNotice.create({ data: { departmentId, bureauId: input.bureauId, law: input.law.trim(), summary: input.summary.trim(), effectiveOn: input.effectiveOn ?? null, sentAt: new Date(), sentBy: a.userId } });
    return { value: n.id, audit: { actor: loopActorString(a), action: "notice.send", subject: `notice:${n.id}`, payload: { department: d.code, bureauId: input.bureauId, law: n.law, effectiveOn: n.effectiveOn } } };
  });
  return getNotice(store, id, a);
}

/** The bureau decides that a notice needs no revision (a revision resolves it through publishDutyList). */
export async function resolveNoticeNoChange(store: RepoStore, id: number, note: string, a: LoopActor) {
  await inTransaction(store, async (tx) => {
    const n = await tx.lawChangeNotice.findUnique({ where: { id } });
    if (!n) throw new RepoError(404, "NOT_FOUND", `告知 ${id} 不存在`);
    assertActsFor(a, n.bureauId, "处理发给本审批部门的告知");
    if (n.status !== "open") throw new RepoError(409, "NOTICE_RESOLVED", `告知 ${id} 已处理`);
    if (!note.trim()) throw new RepoError(400, "VALIDATION_FAILED", "note：须说明无需修订清单的理由", "note");
    await tx.lawChangeNotice.update({ where: { id }, data: { status: "noChange", resolutionNote: note.trim(), resolvedAt: new Date(), resolvedBy: a.userId } });
    return { value: null, audit: { actor: loopActorString(a), action: "notice.resolve", subject: `notice:${id}`, payload: { status: "noChange", note: note.trim() } } };
  });
  return getNotice(store, id, a);
}

export async function getNotice(store: RepoStore, id: number, a: LoopActor) {
  const n = await store.prisma.lawChangeNotice.findUnique({ where: { id }, include: noticeInclude });
  if (!n) throw new RepoError(404, "NOT_FOUND", `告知 ${id} 不存在`);
  assertParty(a, [n.departmentId, n.bureauId], "该告知");
  return noticeView(n);
}

export async function listNotices(store: RepoStore, filter: { status?: string }, a: LoopActor) {
  const mine = a.role === "officer" ? { OR: [{ departmentId: a.departmentId! }, { bureauId: a.departmentId! }] } : {};
  const rows = await store.prisma.lawChangeNotice.findMany({ where: { ...mine, ...(filter.status ? { status: filter.status } : {}) }, include: noticeInclude, orderBy: { id: "asc" } });
  return rows.map(noticeView);
}

// ─── 审批决定 and 推送 ─────────────────────────────────────────────────────────────────────────

/** A decision as another system or an import sends it (kinds and outcomes as codes or Chinese labels). */
export interface DecisionInput {
  decisionNo: string;
  entityCode: string;
  approvalCode: string;
  kind: string;
  decision: string;
  decidedOn: string;
  approvingBody?: string | null;
  licenceNo?: string | null;
  commitment?: string | null;
}

export interface DecisionsOutcome {
  recorded: number;
  /** Resends of decisions already recorded with the same content (recognised, nothing written). */
  unchanged: number;
  pushes: number;
  verifications: number;
  decisions: { decisionNo: string; id: number; status: "recorded" | "unchanged"; pushes: number[]; verifications: number[] }[];
}

const KIND_ALIASES: Record<string, DecisionKind> = { 普通审批: "general", 一般: "general", 承诺制: "commitment", 告知承诺制: "commitment" };
const OUTCOME_ALIASES: Record<string, DecisionOutcome> = { 准予: "grant", 同意: "grant", 不予: "deny", 不予许可: "deny", 变更: "change", 延续: "renew", 注销: "cancel", 撤回: "cancel" };

/** The decision's recorded content, for recognising a resend. */
const contentKey = (d: { entityId: number; approvalCode: string; kind: string; decision: string; decidedOn: string }) => `${d.entityId}|${d.approvalCode}|${d.kind}|${d.decision}|${d.decidedOn}`;

function parseDecision(raw: DecisionInput, at: string, today: string) {
  const f = (n: string) => `${at}.${n}`;
  const str = (v: unknown, n: string, max: number) => {
    if (typeof v !== "string" || v.trim() === "") throw new RepoError(400, "VALIDATION_FAILED", `${f(n)}：须填写`, f(n));
    if (v.trim().length > max) throw new RepoError(400, "VALIDATION_FAILED", `${f(n)}：不超过 ${max} 个字符`, f(n));
    return v.trim();
  };
  const opt = (v: unknown, n: string, max: number) => (v === undefined || v === null || (typeof v === "string" && v.trim() === "") ? null : str(v, n, max));
  const kind = valueOf(DECISION_KIND_LABELS, String(raw.kind ?? ""), KIND_ALIASES);
  if (!kind) throw new RepoError(400, "VALIDATION_FAILED", `${f("kind")}：审批方式须为 一般审批、告知承诺、备案、下放 或 委托，收到 ${JSON.stringify(raw.kind)}`, f("kind"));
  const decision = valueOf(DECISION_OUTCOME_LABELS, String(raw.decision ?? ""), OUTCOME_ALIASES);
  if (!decision) throw new RepoError(400, "VALIDATION_FAILED", `${f("decision")}：审批结果须为 准予许可、不予许可、准予变更、准予延续 或 注销（撤回），收到 ${JSON.stringify(raw.decision)}`, f("decision"));
  if (!isIsoDate(raw.decidedOn)) throw new RepoError(400, "INVALID_DATE", `${f("decidedOn")}：决定日期格式应为 YYYY-MM-DD`, f("decidedOn"));
  if (raw.decidedOn > today) throw new RepoError(422, "FUTURE_DATE", `${f("decidedOn")}：决定日期 ${raw.decidedOn} 晚于今天（${today}）`, f("decidedOn"));
  const commitment = opt(raw.commitment, "commitment", 4000);
  return {
    decisionNo: str(raw.decisionNo, "decisionNo", 100),
    entityCode: str(raw.entityCode, "entityCode", 30).toUpperCase(),
    approvalCode: str(raw.approvalCode, "approvalCode", 100),
    kind,
    decision,
    decidedOn: raw.decidedOn,
    approvingBody: opt(raw.approvingBody, "approvingBody", 200),
    licenceNo: opt(raw.licenceNo, "licenceNo", 100),
    commitment,
  };
}

/** Decisions written per round trip (and per audit entry) inside the one transaction. */
export const DECISION_CHUNK = 1000;

interface ChunkContext {
  bureau: DepartmentRef;
  list: { id: number; version: number };
  entries: DutyEntry[];
  approvalName: Map<string, string>;
  departments: Map<number, DepartmentRef>;
  children: Map<number, DepartmentRef[]>;
  settings: LoopSettings;
  cal: HolidayCalendar;
  ackDue: string | null;
  today: string;
  source: "api" | "import";
  actor: string;
  name: (i: number) => string;
}

type Parsed = ReturnType<typeof parseDecision>;

/**
 * Records decisions of one bureau and pushes each to the departments the list in force names
 * (same level, and area departments for city decisions); a 告知承诺 decision also creates the
 * verification task(s). All or nothing, however many: one bad decision (named by its index or
 * row) and nothing is written. Written in chunks of DECISION_CHUNK, one audit entry per chunk,
 * in one transaction. A resend with the same content is recognised ("unchanged"); the same
 * 办件编号 with another content is refused (409).
 */
export async function recordDecisions(
  store: RepoStore,
  input: { bureauId?: number; decisions: DecisionInput[]; source: "api" | "import"; prefix?: string; rowNames?: string[] },
  a: LoopActor,
  today: string = todayInChina(),
): Promise<DecisionsOutcome> {
  const prefix = input.prefix ?? "decisions";
  const name = (i: number) => input.rowNames?.[i] ?? `${prefix}[${i}]`;
  const parsed = input.decisions.map((d, i) => parseDecision(d, name(i), today));
  const seen = new Map<string, number>();
  parsed.forEach((d, i) => {
    if (seen.has(d.decisionNo)) throw new RepoError(422, "DUPLICATE_DECISION", `${name(i)}.decisionNo：办件编号 ${d.decisionNo} 与 ${name(seen.get(d.decisionNo)!)} 重复`, `${name(i)}.decisionNo`);
    seen.set(d.decisionNo, i);
  });
  const cal = await calendarFor(store);
  const settings = await loopSettingsFor(store);
  return inTransaction(
    store,
    async (tx) => {
      const bureau = await actingBureau(tx, a, input.bureauId);
      const list = await tx.dutyList.findFirst({ where: { bureauId: bureau.id, status: "current" } });
      if (!list) throw new RepoError(422, "NO_DUTY_LIST", `${bureau.name} 尚未发布职责边界清单，无法确定监管部门`, "bureauId");
      const entries = (await tx.dutyEntry.findMany({ where: { listId: list.id }, orderBy: { id: "asc" } })).map(dutyEntryOf);
      const departments = await departmentsMap(tx);
      const ctx: ChunkContext = {
        bureau,
        list,
        entries,
        approvalName: new Map(entries.map((e) => [e.approvalCode, e.approvalName])),
        departments,
        children: childrenIndex(departments.values()),
        settings,
        cal,
        ackDue: workingDayDeadline(cal, today, settings.ackWorkingDays),
        today,
        source: input.source,
        actor: loopActorString(a),
        name,
      };
      const out: DecisionsOutcome = { recorded: 0, unchanged: 0, pushes: 0, verifications: 0, decisions: [] };
      const audit: AuditEntry[] = [];
      for (let k = 0; k < parsed.length; k += DECISION_CHUNK) {
        const r = await writeDecisionChunk(tx, ctx, parsed.slice(k, k + DECISION_CHUNK), k);
        out.recorded += r.recorded;
        out.unchanged += r.unchanged;
        out.pushes += r.pushes;
        out.verifications += r.verifications;
        for (const d of r.decisions) out.decisions.push(d);
        audit.push(r.audit);
      }
      return { value: out, audit };
    },
    { timeout: 30 * 60_000 },
  );
}

async function writeDecisionChunk(tx: Tx, ctx: ChunkContext, parsed: Parsed[], offset: number): Promise<Omit<DecisionsOutcome, "decisions"> & { decisions: DecisionsOutcome["decisions"]; audit: AuditEntry }> {
  const { bureau, entries, departments, name } = ctx;
  const entities = new Map<string, { id: number; districtCode: string }>();
  const codes = [...new Set(parsed.map((d) => d.entityCode))];
  for (let k = 0; k < codes.length; k += 500)
    for (const e of await tx.entity.findMany({ where: { code: { in: codes.slice(k, k + 500) } }, select: { id: true, code: true, districtCode: true } })) entities.set(e.code, e);
  const existing = new Map<string, { id: number; key: string }>();
  const nos = parsed.map((d) => d.decisionNo);
  for (let k = 0; k < nos.length; k += 500)
    for (const r of await tx.approvalDecision.findMany({ where: { bureauId: bureau.id, decisionNo: { in: nos.slice(k, k + 500) } } })) existing.set(r.decisionNo, { id: r.id, key: contentKey(r) });
  const pushedAt = new Date();
  const fresh: { i: number; d: Parsed; entityId: number; plans: ReturnType<typeof routeDecision> }[] = [];
  let unchanged = 0;
  const slots: DecisionsOutcome["decisions"] = [];
  parsed.forEach((d, j) => {
    const i = offset + j;
    const e = entities.get(d.entityCode);
    if (!e) throw new RepoError(422, "UNKNOWN_ENTITY", `${name(i)}.entityCode：市场主体 ${d.entityCode} 不在名录中`, `${name(i)}.entityCode`);
    const ex = existing.get(d.decisionNo);
    if (ex) {
      if (ex.key !== contentKey({ ...d, entityId: e.id })) throw new RepoError(409, "DECISION_EXISTS", `${name(i)}.decisionNo：办件编号 ${d.decisionNo} 已记录为另一内容的决定；更正须以新的决定记录`, `${name(i)}.decisionNo`);
      unchanged++;
      slots[j] = { decisionNo: d.decisionNo, id: ex.id, status: "unchanged", pushes: [], verifications: [] };
      return;
    }
    let plans;
    try {
      plans = routeDecision({ bureau, approvalCode: d.approvalCode, kind: d.kind, decision: d.decision, entityDistrict: e.districtCode }, entries, departments, ctx.children);
    } catch (err) {
      if (err instanceof LoopError) throw new RepoError(422, err.code, `${name(i)}.${err.message}`, `${name(i)}.approvalCode`);
      throw err;
    }
    fresh.push({ i: j, d, entityId: e.id, plans });
  });
  const created = fresh.length
    ? await tx.approvalDecision.createManyAndReturn({
        data: fresh.map(({ d, entityId }) => ({
          bureauId: bureau.id,
          decisionNo: d.decisionNo,
          entityId,
          listId: ctx.list.id,
          approvalCode: d.approvalCode,
          approvalName: ctx.approvalName.get(d.approvalCode)!,
          kind: d.kind,
          decision: d.decision,
          decidedOn: d.decidedOn,
          level: bureau.level,
          approvingBody: d.approvingBody,
          licenceNo: d.licenceNo,
          commitment: d.commitment,
          source: ctx.source,
          actor: ctx.actor,
        })),
        select: { id: true, decisionNo: true },
      })
    : [];
  const idOf = new Map(created.map((c) => [c.decisionNo, c.id]));
  const pushRows = fresh.flatMap(({ d, plans }) =>
    plans.map((p) => ({ decisionId: idOf.get(d.decisionNo)!, departmentId: p.departmentId, route: p.route, supervision: p.supervision as unknown as object, pushedAt, pushedOn: ctx.today, workingDays: ctx.settings.ackWorkingDays, dueOn: ctx.ackDue })),
  );
  const pushes = pushRows.length ? await tx.decisionPush.createManyAndReturn({ data: pushRows, select: { id: true, decisionId: true } }) : [];
  const entryById = new Map(entries.map((e) => [e.id, e]));
  // 告知承诺: verification tasks for the departments closest to the entity.
  const taskSpecs = fresh.flatMap(({ d, entityId, plans }) => {
    if (d.kind !== "commitment" || d.decision === "deny" || d.decision === "cancel") return [];
    const due = monthDeadline(ctx.cal, d.decidedOn, ctx.settings.verificationMonths);
    const decisionId = idOf.get(d.decisionNo)!;
    return verifiers(plans, departments).map((p) => {
      const itemIds = p.route === "area" ? [] : p.supervision.map((s) => entryById.get(s.entryId)!.itemId).filter((x): x is number => x !== null);
      const spec = verificationTask({ entityId, departmentId: p.departmentId, itemIds, decisionNo: d.decisionNo, approvalName: ctx.approvalName.get(d.approvalCode)!, kind: d.kind, decidedOn: d.decidedOn, nominalDueOn: due.nominal, dueOn: due.due });
      return { spec, decisionId, due, taskNo: `HC-${departments.get(p.departmentId)!.code}-${decisionId}` };
    });
  });
  const tasks = taskSpecs.length
    ? await tx.task.createManyAndReturn({
        data: taskSpecs.map(({ spec, taskNo }) => ({ taskNo, entityId: spec.entityId, departmentId: spec.departmentId, kind: "directed", directedKind: spec.directedKind, directedReason: spec.reason, windowStart: spec.windowStart, windowEnd: spec.windowEnd })),
        select: { id: true, taskNo: true },
      })
    : [];
  const taskId = new Map(tasks.map((t) => [t.taskNo, t.id]));
  const items = taskSpecs.flatMap(({ spec, taskNo }) => spec.itemIds.map((itemId) => ({ taskId: taskId.get(taskNo)!, itemId })));
  if (items.length) await tx.taskItem.createMany({ data: items });
  const verifs = taskSpecs.length
    ? await tx.verification.createManyAndReturn({
        data: taskSpecs.map(({ spec, decisionId, due, taskNo }) => ({ decisionId, departmentId: spec.departmentId, taskId: taskId.get(taskNo)!, nominalDueOn: due.nominal, dueOn: due.due })),
        select: { id: true, decisionId: true },
      })
    : [];
  const pushesOf = new Map<number, number[]>();
  for (const p of pushes) pushesOf.set(p.decisionId, [...(pushesOf.get(p.decisionId) ?? []), p.id]);
  const verifsOf = new Map<number, number[]>();
  for (const v of verifs) verifsOf.set(v.decisionId, [...(verifsOf.get(v.decisionId) ?? []), v.id]);
  for (const { i, d } of fresh) {
    const id = idOf.get(d.decisionNo)!;
    slots[i] = { decisionNo: d.decisionNo, id, status: "recorded", pushes: pushesOf.get(id) ?? [], verifications: verifsOf.get(id) ?? [] };
  }
  const digest = createHash("sha256").update(canonicalJson(fresh.map(({ d }) => d))).digest("hex");
  const recorded = slots.filter((s) => s.status === "recorded");
  return {
    recorded: fresh.length,
    unchanged,
    pushes: pushes.length,
    verifications: verifs.length,
    decisions: slots,
    audit: {
      actor: ctx.actor,
      action: "approval.decisions",
      subject: `bureau:${bureau.code}`,
      payload: { source: ctx.source, list: { id: ctx.list.id, version: ctx.list.version }, from: offset, recorded: fresh.length, unchanged, pushes: pushes.length, verifications: verifs.length, digest, decisions: recorded.map((s) => [s.id, s.decisionNo, s.pushes, s.verifications]) },
    },
  };
}

const decisionInclude = { bureau: true, entity: true } as const;
const pushInclude = { department: true, decision: { include: decisionInclude } } as const;

export async function getDecision(store: RepoStore, id: number, a: LoopActor, today: string = todayInChina()) {
  const d = await store.prisma.approvalDecision.findUnique({ where: { id }, include: { ...decisionInclude, pushes: { include: pushInclude, orderBy: { id: "asc" } }, verifications: { select: { id: true, departmentId: true, outcome: true } } } });
  if (!d) throw new RepoError(404, "NOT_FOUND", `审批决定 ${id} 不存在`);
  assertParty(a, [d.bureauId, ...d.pushes.map((p) => p.departmentId)], "该审批决定");
  // A supervising department sees its own pushes; the bureau, admins and auditors all of them.
  const own = a.role === "officer" && a.departmentId !== d.bureauId;
  return { ...decisionView(d), pushes: d.pushes.filter((p) => !own || p.departmentId === a.departmentId).map((p) => pushView(p, today)), verifications: d.verifications.filter((v) => !own || v.departmentId === a.departmentId) };
}

export async function listDecisions(store: RepoStore, filter: { year?: number; kind?: string; limit: number; offset: number }, a: LoopActor) {
  const mine = a.role === "officer" ? { OR: [{ bureauId: a.departmentId! }, { pushes: { some: { departmentId: a.departmentId! } } }] } : {};
  const where = { ...mine, ...(filter.year ? { decidedOn: { gte: `${filter.year}-01-01`, lte: `${filter.year}-12-31` } } : {}), ...(filter.kind ? { kind: filter.kind } : {}) };
  const [total, rows] = await Promise.all([store.prisma.approvalDecision.count({ where }), store.prisma.approvalDecision.findMany({ where, include: decisionInclude, orderBy: { id: "asc" }, take: filter.limit, skip: filter.offset })]);
  return { total, items: rows.map(decisionView) };
}

export async function listPushes(store: RepoStore, filter: { departmentId?: number; pending?: boolean; limit: number; offset: number }, a: LoopActor, today: string = todayInChina()) {
  if (a.role === "officer" && filter.departmentId !== undefined && filter.departmentId !== a.departmentId) throw new RepoError(403, "FORBIDDEN", "只能查看推送给本部门的审批结果");
  const mine = a.role === "officer" ? { OR: [{ departmentId: a.departmentId! }, { decision: { bureauId: a.departmentId! } }] } : {};
  const where = { ...mine, ...(filter.departmentId ? { departmentId: filter.departmentId } : {}), ...(filter.pending ? { acknowledgedAt: null } : {}) };
  const [total, rows] = await Promise.all([store.prisma.decisionPush.count({ where }), store.prisma.decisionPush.findMany({ where, include: pushInclude, orderBy: { id: "asc" }, take: filter.limit, skip: filter.offset })]);
  return { total, items: rows.map((r) => pushView(r, today)) };
}

/**
 * 签收 of a push by its department. A same-level push whose entries ask for it is forwarded to
 * the higher-level department of the same line (转送上级), a new push with its own deadline. A
 * deadline that could not be computed at push time (no holiday data) is set now if it can be.
 */
export async function acknowledgePush(store: RepoStore, id: number, a: LoopActor, today: string = todayInChina()) {
  const cal = await calendarFor(store);
  const settings = await loopSettingsFor(store);
  await inTransaction(store, async (tx) => {
    const p = await tx.decisionPush.findUnique({ where: { id } });
    if (!p) throw new RepoError(404, "NOT_FOUND", `推送 ${id} 不存在`);
    assertActsFor(a, p.departmentId, "签收推送给本部门的审批结果");
    if (p.acknowledgedAt) throw new RepoError(409, "ALREADY_ACKNOWLEDGED", `推送 ${id} 已于 ${p.acknowledgedOn} 签收`);
    const dueOn = p.dueOn ?? workingDayDeadline(cal, p.pushedOn, p.workingDays);
    await tx.decisionPush.update({ where: { id }, data: { acknowledgedAt: new Date(), acknowledgedOn: today, acknowledgedBy: a.userId, ...(p.dueOn === null && dueOn !== null ? { dueOn } : {}) } });
    const supervision = p.supervision as unknown as PushedSupervision[];
    const entries = await tx.dutyEntry.findMany({ where: { id: { in: supervision.map((s) => s.entryId) } }, select: { forwardUp: true } });
    const forwardUp = p.route === "sameLevel" && entries.some((e) => e.forwardUp);
    const up = forwardUp ? forwardTarget({ route: p.route, forwardUp, departmentId: p.departmentId }, await departmentsMap(tx)) : null;
    let forwarded: number | null = null;
    if (up && !(await tx.decisionPush.findUnique({ where: { decisionId_departmentId: { decisionId: p.decisionId, departmentId: up.id } } }))) {
      const f = await tx.decisionPush.create({ data: { decisionId: p.decisionId, departmentId: up.id, route: "forward", viaPushId: p.id, supervision: p.supervision as object, pushedAt: new Date(), pushedOn: today, workingDays: settings.ackWorkingDays, dueOn: workingDayDeadline(cal, today, settings.ackWorkingDays) } });
      forwarded = f.id;
    }
    return { value: null, audit: { actor: loopActorString(a), action: "push.acknowledge", subject: `push:${id}`, payload: { decisionId: p.decisionId, departmentId: p.departmentId, on: today, dueOn, late: dueOn !== null && today > dueOn, forwardedPush: forwarded } } };
  });
  const row = await store.prisma.decisionPush.findUnique({ where: { id }, include: pushInclude });
  return pushView(row!, today);
}
