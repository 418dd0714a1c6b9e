/**
 * The administrator's views of the expert libraries (专家库) and of recusals (回避):
 *
 *   searchExperts(store, actor, { q, department, active, limit, offset }) → { total, items }
 *   getExpert(store, actor, id)                                           → ExpertView
 *   listRecusals(store, { person, entity, kind, limit, offset })           → { total, items }
 *   createRecusal(store, { kind, certificateNo, entityCode, reason }, actor)
 *   deleteRecusal(store, kind, id, actor)
 *   importRecusalsFile(store, bytes, actor)                              → { rows, created, unchanged }
 *
 * A recusal is a person (执法人员 or 专家) who must not inspect an entity (行政处罚法 art. 43), with
 * its reason. Inspectors' recusals name an entity of the directory (recusals table); experts'
 * name an entity by its code (expert_recusals: an applicant of an approval need not be in the
 * directory). Both are private: no public page or record names them; the audit entries carry
 * ids only (the chain's heads are public).
 */
import { sheetRecords, type SheetColumn, type SheetProblem } from "../../approvals/index.ts";
import { sheetRows } from "./approvalImports.ts";
import { inTransaction } from "./audit.ts";
import { RepoError, type RepoStore } from "./db.ts";
import { expertView, listExperts, type ExpertView, type PanelActor } from "./panels.ts";

const CODE = /^[0-9A-Z]{1,23}$/;
const bad = (field: string, message: string) => new RepoError(422, "VALIDATION_FAILED", message, field);
const actorString = (a: PanelActor) => a.actor ?? `user:${a.userId}`;

export interface ExpertQuery {
  /** Name, certificate number or organization contains. */
  q?: string;
  /** A department's library (id), or "shared" for the shared library. */
  department?: number | "shared";
  active?: boolean;
  limit: number;
  offset: number;
}


/** The libraries `a` may read (listExperts' rule): null = all, else one department's id. */
async function readableLibrary(store: RepoStore, a: PanelActor, wanted: number | "shared" | undefined): Promise<number | "shared" | undefined> {
  if (a.role !== "officer") return wanted;
  const d = await store.prisma.department.findUniqueOrThrow({ where: { id: a.departmentId! } });
  if (d.kind === "approval") return wanted;
  if (wanted !== undefined && wanted !== d.id) throw new RepoError(403, "FORBIDDEN", "只能查看本部门的专家库");
  return d.id;
}

/** One page of the expert libraries, searched on the server. */
export async function searchExperts(store: RepoStore, a: PanelActor, q: ExpertQuery): Promise<{ total: number; items: ExpertView[] }> {
  const library = await readableLibrary(store, a, q.department);
  const text = q.q?.trim();
  const where = {
    ...(library === "shared" ? { departmentId: null } : library !== undefined ? { departmentId: library } : {}),
    ...(q.active !== undefined ? { active: q.active } : {}),
    ...(text ? { OR: [{ name: { contains: text } }, { certificateNo: { contains: text } }, { organization: { contains: text } }] } : {}),
  };
  const [total, rows] = await Promise.all([
    store.prisma.expert.count({ where }),
    store.prisma.expert.findMany({ where, include: { department: true }, orderBy: { id: "asc" }, take: q.limit, skip: q.offset }),
  ]);
  return { total, items: rows.map(expertView) };
}

/** One expert, for whoever may read its library. */
export async function getExpert(store: RepoStore, a: PanelActor, id: number): Promise<ExpertView> {
  const row = await store.prisma.expert.findUnique({ where: { id }, include: { department: true } });
  if (!row) throw new RepoError(404, "NOT_FOUND", `专家 ${id} 不存在`);
  if (a.role === "officer") {
    const readable = await listExperts(store, a, row.departmentId === null ? {} : { department: row.departmentId }).catch(() => []);
    if (!readable.some((x) => x.id === id)) throw new RepoError(403, "FORBIDDEN", "只能查看本部门的专家库");
  }
  return expertView(row);
}

// ─── recusals (回避) ──────────────────────────────────────────────────────────────────────────

export type RecusalKind = "inspector" | "expert";

export interface RecusalView {
  /** Unique within its kind. */
  id: number;
  kind: RecusalKind;
  person: { id: number; name: string; certificateNo: string | null; department: string | null };
  entity: { code: string; name: string | null };
  reason: string;
  createdAt: string;
}

export interface RecusalQuery {
  /** The person's name or certificate number contains. */
  person?: string;
  /** The entity's code starts with. */
  entity?: string;
  kind?: RecusalKind;
  limit: number;
  offset: number;
}

const personWhere = (text: string | undefined) => (text ? { OR: [{ name: { contains: text } }, { certificateNo: { contains: text } }] } : {});

async function inspectorRecusals(store: RepoStore, q: RecusalQuery, take: number, skip: number) {
  const where = { inspector: personWhere(q.person?.trim()), ...(q.entity ? { entity: { code: { startsWith: q.entity } } } : {}) };
  const total = await store.prisma.recusal.count({ where });
  if (take <= 0) return { total, items: [] as RecusalView[] };
  const rows = await store.prisma.recusal.findMany({ where, include: { inspector: { include: { department: true } }, entity: true }, orderBy: { id: "asc" }, take, skip });
  const items = rows.map((r): RecusalView => ({
    id: r.id,
    kind: "inspector",
    person: { id: r.inspector.id, name: r.inspector.name, certificateNo: r.inspector.certificateNo, department: r.inspector.department.code },
    entity: { code: r.entity.code, name: r.entity.name },
    reason: r.reason,
    createdAt: r.createdAt.toISOString(),
  }));
  return { total, items };
}

async function expertRecusals(store: RepoStore, q: RecusalQuery, take: number, skip: number) {
  const where = { expert: personWhere(q.person?.trim()), ...(q.entity ? { code: { startsWith: q.entity } } : {}) };
  const total = await store.prisma.expertRecusal.count({ where });
  if (take <= 0) return { total, items: [] as RecusalView[] };
  const rows = await store.prisma.expertRecusal.findMany({ where, include: { expert: { include: { department: true } } }, orderBy: { id: "asc" }, take, skip });
  const names = new Map((await store.prisma.entity.findMany({ where: { code: { in: rows.map((r) => r.code) } }, select: { code: true, name: true } })).map((e) => [e.code, e.name]));
  const items = rows.map((r): RecusalView => ({
    id: r.id,
    kind: "expert",
    person: { id: r.expert.id, name: r.expert.name, certificateNo: r.expert.certificateNo, department: r.expert.department?.code ?? null },
    entity: { code: r.code, name: names.get(r.code) ?? null },
    reason: r.reason,
    createdAt: r.createdAt.toISOString(),
  }));
  return { total, items };
}

/** One page of recusals: the inspectors' first, then the experts' (each in the order recorded). */
export async function listRecusals(store: RepoStore, q: RecusalQuery): Promise<{ total: number; items: RecusalView[] }> {
  if (q.kind === "inspector") return inspectorRecusals(store, q, q.limit, q.offset);
  if (q.kind === "expert") return expertRecusals(store, q, q.limit, q.offset);
  const first = await inspectorRecusals(store, q, q.limit, q.offset);
  const skip = Math.max(0, q.offset - first.total);
  const second = await expertRecusals(store, q, q.limit - first.items.length, skip);
  return { total: first.total + second.total, items: [...first.items, ...second.items] };
}

export interface RecusalInput {
  kind: RecusalKind;
  /** The inspector's 执法证号 or the expert's 证件号. */
  certificateNo: string;
  entityCode: string;
  reason: string;
}

/** Records a recusal (admin). A second one for the same person and entity is a 409. */
export async function createRecusal(store: RepoStore, x: RecusalInput, a: PanelActor): Promise<RecusalView> {
  const cert = x.certificateNo.trim();
  const code = x.entityCode.trim().toUpperCase();
  const reason = x.reason.trim();
  if (!cert) throw bad("body.certificateNo", "证件号不能为空");
  if (!CODE.test(code)) throw bad("body.entityCode", `“${x.entityCode}”不是企业代码（1–23 位数字和大写字母）`);
  if (!reason) throw bad("body.reason", "回避须写明理由");
  const id = await inTransaction(store, async (tx) => {
    const audit = (id: number) => ({ actor: actorString(a), action: "recusal.create", subject: `recusal:${x.kind}:${id}`, payload: { kind: x.kind } });
    if (x.kind === "inspector") {
      const person = await tx.inspector.findFirst({ where: { certificateNo: cert } });
      if (!person) throw bad("body.certificateNo", `执法证号 ${cert} 不在执法人员名录中`);
      const entity = await tx.entity.findUnique({ where: { code } });
      if (!entity) throw bad("body.entityCode", `企业代码 ${code} 不在检查对象名录中`);
      if (await tx.recusal.findUnique({ where: { inspectorId_entityId: { inspectorId: person.id, entityId: entity.id } } })) throw new RepoError(409, "DUPLICATE", `${person.name} 对 ${code} 的回避已经登记`, "body.entityCode");
      const row = await tx.recusal.create({ data: { inspectorId: person.id, entityId: entity.id, reason } });
      return { value: row.id, audit: audit(row.id) };
    }
    const person = await tx.expert.findUnique({ where: { certificateNo: cert } });
    if (!person) throw bad("body.certificateNo", `证件号 ${cert} 不在专家库中`);
    if (await tx.expertRecusal.findUnique({ where: { expertId_code: { expertId: person.id, code } } })) throw new RepoError(409, "DUPLICATE", `${person.name} 对 ${code} 的回避已经登记`, "body.entityCode");
    const row = await tx.expertRecusal.create({ data: { expertId: person.id, code, reason } });
    return { value: row.id, audit: audit(row.id) };
  });
  const page = await listRecusals(store, { kind: x.kind, limit: 1, offset: 0, person: cert, entity: code });
  const made = page.items.find((r) => r.id === id);
  if (!made) throw new RepoError(500, "INTERNAL", "回避已登记但无法读回");
  return made;
}

/** Removes a recusal (admin): draws already committed keep their frozen copy. */
export async function deleteRecusal(store: RepoStore, kind: RecusalKind, id: number, a: PanelActor): Promise<void> {
  await inTransaction(store, async (tx) => {
    const gone = kind === "inspector" ? await tx.recusal.deleteMany({ where: { id } }) : await tx.expertRecusal.deleteMany({ where: { id } });
    if (gone.count === 0) throw new RepoError(404, "NOT_FOUND", `回避 ${id} 不存在`);
    return { value: null, audit: { actor: actorString(a), action: "recusal.delete", subject: `recusal:${kind}:${id}`, payload: { kind } } };
  });
}

// ─── recusals from a file ─────────────────────────────────────────────────────────────────────

const col = (field: string, ...headers: string[]): SheetColumn => ({ field, required: true, headers: [...headers, field] });
export const RECUSAL_COLUMNS: readonly SheetColumn[] = [
  col("kind", "人员类别", "类别"),
  col("certificateNo", "证件号", "执法证号", "专家证件号"),
  col("entityCode", "企业代码", "统一社会信用代码", "注册号"),
  col("reason", "回避理由", "理由"),
];
const KIND_TEXT: Record<string, RecusalKind> = { 执法人员: "inspector", 检查人员: "inspector", inspector: "inspector", 专家: "expert", expert: "expert" };

/**
 * A file of recusals (XLSX or CSV, header 人员类别 证件号 企业代码 回避理由), checked whole first:
 * any row naming an unknown kind, person or entity refuses the file (422, every problem by row);
 * else one transaction records the new ones and counts those already recorded as unchanged.
 */
export async function importRecusalsFile(store: RepoStore, bytes: Uint8Array, a: PanelActor): Promise<{ rows: number; created: number; unchanged: number; ignoredColumns: string[] }> {
  const sheet = sheetRecords(await sheetRows(bytes), RECUSAL_COLUMNS);
  const problems: SheetProblem[] = [...sheet.problems];
  if (problems.length === 0 && sheet.records.length === 0) throw new RepoError(422, "EMPTY_FILE", "文件中没有数据行", "file");
  const rows = sheet.records.map(({ row, values: v }) => ({ row, kind: KIND_TEXT[v.kind!.trim()], cert: v.certificateNo!.trim(), code: v.entityCode!.trim().toUpperCase(), reason: v.reason!.trim() }));
  const certs = (k: RecusalKind) => [...new Set(rows.filter((r) => r.kind === k).map((r) => r.cert))];
  const inspectors = new Map((await inChunks(certs("inspector"), (c) => store.prisma.inspector.findMany({ where: { certificateNo: { in: c } }, select: { id: true, certificateNo: true } }))).map((x) => [x.certificateNo, x.id]));
  const experts = new Map((await inChunks(certs("expert"), (c) => store.prisma.expert.findMany({ where: { certificateNo: { in: c } }, select: { id: true, certificateNo: true } }))).map((x) => [x.certificateNo!, x.id]));
  const entities = new Map((await inChunks([...new Set(rows.filter((r) => r.kind === "inspector").map((r) => r.code))], (c) => store.prisma.entity.findMany({ where: { code: { in: c } }, select: { id: true, code: true } }))).map((e) => [e.code, e.id]));
  for (const r of rows) {
    const at = `第 ${r.row} 行：`;
    if (!r.kind) problems.push({ row: r.row, field: "kind", message: `${at}人员类别应为“执法人员”或“专家”` });
    else if (!CODE.test(r.code)) problems.push({ row: r.row, field: "entityCode", message: `${at}“${r.code}”不是企业代码（1–23 位数字和字母）` });
    else if (r.kind === "inspector" && !inspectors.has(r.cert)) problems.push({ row: r.row, field: "certificateNo", message: `${at}执法证号 ${r.cert} 不在执法人员名录中` });
    else if (r.kind === "inspector" && !entities.has(r.code)) problems.push({ row: r.row, field: "entityCode", message: `${at}企业代码 ${r.code} 不在检查对象名录中` });
    else if (r.kind === "expert" && !experts.has(r.cert)) problems.push({ row: r.row, field: "certificateNo", message: `${at}证件号 ${r.cert} 不在专家库中` });
  }
  if (problems.length) {
    const shown = problems.slice(0, 20).map((p) => p.message).join("；");
    throw new RepoError(422, "IMPORT_INVALID", `文件有 ${problems.length} 处问题，未导入：${shown}${problems.length > 20 ? `；另有 ${problems.length - 20} 处` : ""}`, problems[0]!.field ?? "file", problems.slice(0, 100));
  }
  const created = await inTransaction(store, async (tx) => {
    const inspectorPairs = new Map(rows.filter((r) => r.kind === "inspector").map((r) => [`${inspectors.get(r.cert)}:${entities.get(r.code)}`, { inspectorId: inspectors.get(r.cert)!, entityId: entities.get(r.code)!, reason: r.reason }]));
    const expertPairs = new Map(rows.filter((r) => r.kind === "expert").map((r) => [`${experts.get(r.cert)}:${r.code}`, { expertId: experts.get(r.cert)!, code: r.code, reason: r.reason }]));
    const oldI = new Set((await tx.recusal.findMany({ where: { inspectorId: { in: [...new Set([...inspectorPairs.values()].map((p) => p.inspectorId))] } }, select: { inspectorId: true, entityId: true } })).map((p) => `${p.inspectorId}:${p.entityId}`));
    const oldE = new Set((await tx.expertRecusal.findMany({ where: { expertId: { in: [...new Set([...expertPairs.values()].map((p) => p.expertId))] } }, select: { expertId: true, code: true } })).map((p) => `${p.expertId}:${p.code}`));
    const newI = [...inspectorPairs].filter(([k]) => !oldI.has(k)).map(([, v]) => v);
    const newE = [...expertPairs].filter(([k]) => !oldE.has(k)).map(([, v]) => v);
    if (newI.length) await tx.recusal.createMany({ data: newI });
    if (newE.length) await tx.expertRecusal.createMany({ data: newE });
    return { value: newI.length + newE.length, audit: { actor: actorString(a), action: "recusal.import", subject: "directory:recusals", payload: { rows: rows.length, inspectors: newI.length, experts: newE.length } } };
  });
  return { rows: rows.length, created, unchanged: rows.length - created, ignoredColumns: sheet.ignored };
}

/** Prisma's `in` lists in slices (SQLite's variable limit). */
async function inChunks<T, R>(values: T[], find: (slice: T[]) => Promise<R[]>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < values.length; i += 500) out.push(...(await find(values.slice(i, i + 500))));
  return out;
}
