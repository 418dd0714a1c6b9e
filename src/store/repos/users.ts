/**
 * Users and their API tokens. A token is shown once, at creation; only its SHA-256 is stored.
 */
import { hashToken, newToken, type Principal, type Role } from "../../../api/auth.ts";
import { inTransaction } from "./audit.ts";
import { RepoError, type RepoStore } from "./db.ts";

export interface UserView {
  id: number;
  name: string;
  role: Role;
  departmentId: number | null;
  departmentCode: string | null;
  createdAt: string;
  revokedAt: string | null;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function view(u: any): UserView {
  return {
    id: u.id,
    name: u.name,
    role: u.role,
    departmentId: u.departmentId ?? null,
    departmentCode: u.department?.code ?? null,
    createdAt: new Date(u.createdAt).toISOString(),
    revokedAt: u.revokedAt ? new Date(u.revokedAt).toISOString() : null,
  };
}

export async function findTokenForAuth(
  store: RepoStore,
  tokenHash: string,
): Promise<{ tokenHash: string; principal: Principal; revoked: boolean } | null> {
  const u = await store.prisma.user.findUnique({ where: { tokenHash } });
  if (!u || u.tokenHash === null) return null;
  return {
    tokenHash: u.tokenHash,
    revoked: u.revokedAt !== null && u.revokedAt !== undefined,
    principal: { userId: u.id, name: u.name, role: u.role as Role, departmentId: u.departmentId ?? null },
  };
}

export interface CreateUserInput {
  name: string;
  role: Role;
  /** Department code or numeric id; required for officers, refused for others. */
  department?: string | number | null;
}

async function resolveDepartmentId(store: RepoStore, tx: unknown, department: string | number): Promise<number> {
  const db = (tx ?? store.prisma) as RepoStore["prisma"];
  const where = typeof department === "number" || /^\d+$/.test(department) ? { id: Number(department) } : { code: department };
  const d = await db.department.findUnique({ where });
  if (!d) throw new RepoError(422, "UNKNOWN_DEPARTMENT", `部门“${department}”不存在`, "department");
  return d.id;
}

export async function createUser(store: RepoStore, input: CreateUserInput, actor: string): Promise<{ user: UserView; token: string }> {
  const name = input.name.trim();
  if (name === "") throw new RepoError(400, "VALIDATION_FAILED", "name：姓名不得为空", "name");
  if (!["admin", "officer", "auditor"].includes(input.role)) {
    throw new RepoError(400, "VALIDATION_FAILED", `role：应为 admin、officer 或 auditor，收到“${input.role}”`, "role");
  }
  const hasDept = input.department !== undefined && input.department !== null && input.department !== "";
  if (input.role === "officer" && !hasDept) throw new RepoError(400, "VALIDATION_FAILED", "department：执法人员须属于一个部门", "department");
  const token = newToken();
  const user = await inTransaction(store, async (tx) => {
    const departmentId = hasDept ? await resolveDepartmentId(store, tx, input.department as string | number) : null;
    const u = await tx.user.create({
      data: { name, role: input.role, departmentId, tokenHash: hashToken(token) },
      include: { department: true },
    });
    return {
      value: view(u),
      audit: { actor, action: "user.create", subject: `user:${u.id}`, payload: { name, role: input.role, departmentId } },
    };
  });
  return { user, token };
}

export async function listUsers(store: RepoStore): Promise<UserView[]> {
  const rows = await store.prisma.user.findMany({ orderBy: { id: "asc" }, include: { department: true } });
  return rows.map(view);
}

export async function revokeUser(store: RepoStore, id: number, actor: string): Promise<UserView> {
  return inTransaction(store, async (tx) => {
    const u = await tx.user.findUnique({ where: { id } });
    if (!u) throw new RepoError(404, "NOT_FOUND", `用户 ${id} 不存在`);
    if (u.revokedAt) throw new RepoError(409, "ALREADY_REVOKED", `用户 ${id} 已被撤销`);
    // The last active administrator stays: nobody could create users, reset passwords or change the configuration after it.
    if (u.role === "admin" && (await tx.user.count({ where: { role: "admin", revokedAt: null, id: { not: id } } })) === 0) {
      throw new RepoError(409, "LAST_ADMIN", `用户 ${id} 是最后一位有效的管理员，不能撤销：请先创建另一位管理员`);
    }
    const updated = await tx.user.update({ where: { id }, data: { revokedAt: new Date() }, include: { department: true } });
    return { value: view(updated), audit: { actor, action: "user.revoke", subject: `user:${id}`, payload: {} } };
  });
}
