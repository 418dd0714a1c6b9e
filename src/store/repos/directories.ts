/** Directories: departments, entities, inspectors, inspection items (抽查事项清单), configuration. */
import { inTransaction } from "./audit.ts";
import { RepoError, type RepoStore } from "./db.ts";

/* eslint-disable @typescript-eslint/no-explicit-any */

export interface DepartmentView {
  id: number;
  code: string;
  name: string;
  level: string;
  districtCode: string;
  parentId: number | null;
  /** supervision 行业监管部门 | approval 行政审批部门 (审管联动) */
  kind: string;
  active: boolean;
}

const dept = (d: any): DepartmentView => ({
  id: d.id,
  code: d.code,
  name: d.name,
  level: d.level,
  districtCode: d.districtCode,
  parentId: d.parentId ?? null,
  kind: d.kind ?? "supervision",
  active: d.active,
});

export async function listDepartments(store: RepoStore): Promise<DepartmentView[]> {
  return (await store.prisma.department.findMany({ orderBy: { id: "asc" } })).map(dept);
}

export async function getDepartment(store: RepoStore, id: number): Promise<DepartmentView> {
  const d = await store.prisma.department.findUnique({ where: { id } });
  if (!d) throw new RepoError(404, "NOT_FOUND", `部门 ${id} 不存在`);
  return dept(d);
}

export async function createDepartment(
  store: RepoStore,
  input: { code: string; name: string; level: "city" | "district"; districtCode: string; parentId?: number | null },
  actor: string,
): Promise<DepartmentView> {
  return inTransaction(store, async (tx) => {
    if (input.parentId != null && !(await tx.department.findUnique({ where: { id: input.parentId } })))
      throw new RepoError(422, "UNKNOWN_DEPARTMENT", `parentId：上级部门 ${input.parentId} 不存在`, "parentId");
    const d = await tx.department.create({ data: { ...input, parentId: input.parentId ?? null } });
    return { value: dept(d), audit: { actor, action: "department.create", subject: `department:${d.id}`, payload: input } };
  });
}

export interface EntityView {
  id: number;
  code: string;
  codeKind: string;
  checksumFailed: boolean;
  name: string;
  districtCode: string;
  address: string | null;
  industryCode: string | null;
  kind: string;
  status: string;
  riskClass: string | null;
  size: string | null;
}

const entity = (e: any): EntityView => ({
  id: e.id,
  code: e.code,
  codeKind: e.codeKind,
  checksumFailed: e.checksumFailed,
  name: e.name,
  districtCode: e.districtCode,
  address: e.address ?? null,
  industryCode: e.industryCode ?? null,
  kind: e.kind,
  status: e.status,
  riskClass: e.riskClass ?? null,
  size: e.size ?? null,
});

export async function listEntities(
  store: RepoStore,
  q: { name?: string; district?: string; status?: string; limit: number; offset: number },
): Promise<{ total: number; items: EntityView[] }> {
  const where: any = {};
  if (q.name) where.name = { contains: q.name };
  if (q.district) where.districtCode = { startsWith: q.district };
  if (q.status) where.status = q.status;
  const [total, rows] = await Promise.all([
    store.prisma.entity.count({ where }),
    store.prisma.entity.findMany({ where, orderBy: { id: "asc" }, take: q.limit, skip: q.offset }),
  ]);
  return { total, items: rows.map(entity) };
}

export async function getEntityByCode(store: RepoStore, code: string): Promise<EntityView> {
  const e = await store.prisma.entity.findUnique({ where: { code: code.toUpperCase() } });
  if (!e) throw new RepoError(404, "NOT_FOUND", `市场主体 ${code} 不存在`);
  return entity(e);
}

export interface InspectorView {
  id: number;
  departmentId: number;
  name: string;
  certificateNo: string;
  qualifications: string[];
  specialities: string[];
  districts: string[];
  active: boolean;
}

const inspector = (i: any): InspectorView => ({
  id: i.id,
  departmentId: i.departmentId,
  name: i.name,
  certificateNo: i.certificateNo,
  qualifications: asArray(i.qualifications),
  specialities: asArray(i.specialities),
  districts: asArray(i.districts),
  active: i.active,
});

export function asArray(v: unknown): string[] {
  if (Array.isArray(v)) return v.map(String);
  if (typeof v === "string") {
    try {
      const p = JSON.parse(v);
      return Array.isArray(p) ? p.map(String) : [];
    } catch {
      return [];
    }
  }
  return [];
}

export async function listInspectors(
  store: RepoStore,
  q: { departmentId?: number; limit: number; offset: number },
): Promise<{ total: number; items: InspectorView[] }> {
  const where: any = q.departmentId !== undefined ? { departmentId: q.departmentId } : {};
  const [total, rows] = await Promise.all([
    store.prisma.inspector.count({ where }),
    store.prisma.inspector.findMany({ where, orderBy: { id: "asc" }, take: q.limit, skip: q.offset }),
  ]);
  return { total, items: rows.map(inspector) };
}

export interface ItemView {
  id: number;
  departmentId: number;
  code: string;
  category: string;
  name: string;
  target: string;
  legalBasis: string;
  content: string;
  methods: string[];
  importance: string;
  source: string;
  active: boolean;
}

export const item = (i: any): ItemView => ({
  id: i.id,
  departmentId: i.departmentId,
  code: i.code,
  category: i.category,
  name: i.name,
  target: i.target,
  legalBasis: i.legalBasis,
  content: i.content,
  methods: asArray(i.methods),
  importance: i.importance,
  source: i.source,
  active: i.active,
});

export async function listItems(store: RepoStore, departmentId: number): Promise<ItemView[]> {
  await getDepartment(store, departmentId);
  return (await store.prisma.inspectionItem.findMany({ where: { departmentId }, orderBy: { id: "asc" } })).map(item);
}

export async function createItem(
  store: RepoStore,
  departmentId: number,
  input: Omit<ItemView, "id" | "departmentId" | "active">,
  actor: string,
): Promise<ItemView> {
  await getDepartment(store, departmentId);
  return inTransaction(store, async (tx) => {
    const i = await tx.inspectionItem.create({ data: { ...input, departmentId } });
    return { value: item(i), audit: { actor, action: "item.create", subject: `item:${i.id}`, payload: { departmentId, ...input } } };
  });
}

// ── configuration ──────────────────────────────────────────────────────────────────────────

export async function listConfig(store: RepoStore): Promise<{ key: string; value: unknown; updatedAt: string }[]> {
  const rows = await store.prisma.configEntry.findMany({ orderBy: { key: "asc" } });
  return rows.map((r: any) => ({ key: r.key, value: r.value, updatedAt: new Date(r.updatedAt).toISOString() }));
}

export async function getConfig(store: RepoStore, key: string): Promise<unknown | undefined> {
  const r = await store.prisma.configEntry.findUnique({ where: { key } });
  return r ? r.value : undefined;
}

export async function setConfig(store: RepoStore, key: string, value: unknown, actor: string): Promise<void> {
  await inTransaction(store, async (tx) => {
    await tx.configEntry.upsert({ where: { key }, create: { key, value: value as any }, update: { value: value as any } });
    return { value: undefined, audit: { actor, action: "config.set", subject: `config:${key}`, payload: { value } } };
  });
}
