/**
 * Console accounts and sessions (工作台登录), shared by the API's session routes and the console.
 *
 *   createAccount(store, { name, role, department?, login, password }, actor) → UserView
 *   login(store, login, password)            → { token, csrfToken, user } | RepoError 401/423
 *   sessionFor(store, token)                 → { principal, csrfToken, mustChangePassword } | null
 *   logout(store, token) · changePassword(…) · resetPassword(…)
 *
 * The cookie carries a random 32-byte token; the `sessions` row keeps only its SHA-256, so any
 * API instance on the same database resolves it (PostgreSQL with several instances). Policy:
 * `SESSION_POLICY` (idle timeout, absolute lifetime, lockout after repeated failures).
 * Every login, lockout and password change is in the audit log; passwords and tokens never are.
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { burnPasswordTime, hashPassword, loginProblem, passwordProblem, verifyPassword } from "../../accounts/password.ts";
import { inTransaction } from "./audit.ts";
import { RepoError, type RepoStore } from "./db.ts";
import type { UserView } from "./users.ts";

type Role = "admin" | "officer" | "auditor";

export interface SessionPolicy {
  /** A session unused this long ends (minutes). */
  idleMinutes: number;
  /** A session ends this long after login whatever happens (hours). */
  absoluteHours: number;
  /** Consecutive failed logins that lock the account … */
  maxFailures: number;
  /** … for this long (minutes). */
  lockMinutes: number;
}

const envInt = (name: string, fallback: number): number => {
  const v = Number(process.env[name]);
  return Number.isInteger(v) && v > 0 ? v : fallback;
};

export const SESSION_POLICY: SessionPolicy = {
  idleMinutes: envInt("SSJ_SESSION_IDLE_MINUTES", 30),
  absoluteHours: envInt("SSJ_SESSION_HOURS", 12),
  maxFailures: envInt("SSJ_LOGIN_MAX_FAILURES", 5),
  lockMinutes: envInt("SSJ_LOGIN_LOCK_MINUTES", 15),
};

/** Last-seen time is written at most this often (ms): a page view is not a database write. */
const TOUCH_EVERY_MS = 60_000;

export const sha256Hex = (s: string): string => createHash("sha256").update(s, "utf8").digest("hex");
export const newSessionToken = (): string => randomBytes(32).toString("base64url");
/** Session tokens are 43 base64url characters. */
export const SESSION_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function sameSecret(a: string, b: string): boolean {
  const ba = Buffer.from(a, "utf8");
  const bb = Buffer.from(b, "utf8");
  return ba.length === bb.length && timingSafeEqual(ba, bb);
}

export interface SessionPrincipal {
  userId: number;
  name: string;
  role: Role;
  departmentId: number | null;
}

export interface SessionInfo {
  sessionId: number;
  principal: SessionPrincipal;
  login: string;
  csrfToken: string;
  mustChangePassword: boolean;
  expiresAt: string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function userView(u: any): UserView & { login: string | null; mustChangePassword: boolean; lockedUntil: string | null } {
  return {
    id: u.id,
    name: u.name,
    role: u.role,
    departmentId: u.departmentId ?? null,
    departmentCode: u.department?.code ?? null,
    createdAt: new Date(u.createdAt).toISOString(),
    revokedAt: u.revokedAt ? new Date(u.revokedAt).toISOString() : null,
    login: u.login ?? null,
    mustChangePassword: Boolean(u.mustChangePassword),
    lockedUntil: u.lockedUntil ? new Date(u.lockedUntil).toISOString() : null,
  };
}
export type AccountView = ReturnType<typeof userView>;

const invalid = (message: string, field: string) => new RepoError(400, "VALIDATION_FAILED", message, field);

function checkNewPassword(password: string, login: string | null, field: string): void {
  const problem = passwordProblem(password, login);
  if (problem) throw invalid(problem, field);
}

export interface CreateAccountInput {
  name: string;
  role: Role;
  department?: string | number | null;
  login: string;
  /** The initial password, given by the administrator; the user must change it at first login. */
  password: string;
}

/** A console account (no API token). The initial password must be changed at the first login. */
export async function createAccount(store: RepoStore, input: CreateAccountInput, actor: string, options: { mustChange?: boolean } = {}): Promise<AccountView> {
  const name = input.name.trim();
  if (name === "") throw invalid("姓名不能为空", "body.name");
  const lp = loginProblem(input.login);
  if (lp) throw invalid(lp, "body.login");
  checkNewPassword(input.password, input.login, "body.password");
  const hasDept = input.department !== undefined && input.department !== null && input.department !== "";
  if (input.role === "officer" && !hasDept) throw invalid("科员账号须指定所属部门", "body.department");
  const passwordHash = await hashPassword(input.password);
  return inTransaction(store, async (tx) => {
    let departmentId: number | null = null;
    if (hasDept) {
      const d = String(input.department);
      const dept = await tx.department.findUnique({ where: /^\d+$/.test(d) ? { id: Number(d) } : { code: d } });
      if (!dept) throw new RepoError(422, "UNKNOWN_DEPARTMENT", `部门“${d}”不存在`, "body.department");
      departmentId = dept.id;
    }
    if (await tx.user.findUnique({ where: { login: input.login } })) throw new RepoError(409, "LOGIN_TAKEN", `登录账号“${input.login}”已被使用`, "body.login");
    const u = await tx.user.create({
      data: { name, role: input.role, departmentId, login: input.login, passwordHash, passwordChangedAt: new Date(), mustChangePassword: options.mustChange ?? true },
      include: { department: true },
    });
    return { value: userView(u), audit: { actor, action: "user.create", subject: `user:${u.id}`, payload: { name, role: input.role, departmentId, login: input.login, console: true } } };
  });
}

export interface LoginResult {
  token: string;
  csrfToken: string;
  session: SessionInfo;
}

const locked = (until: Date) =>
  new RepoError(423, "ACCOUNT_LOCKED", `连续登录失败次数过多，账号已锁定至 ${until.toISOString().slice(0, 16).replace("T", " ")}（UTC），请稍后再试或联系管理员解锁`, "body.login");
const badCredentials = () => new RepoError(401, "INVALID_CREDENTIALS", "账号或密码不正确", "body.password");

/**
 * Check the password; on success a new session (the token for the cookie is returned once).
 * Unknown or disabled accounts and wrong passwords get the same answer, in the same time.
 * `maxFailures` consecutive failures lock the account for `lockMinutes` (audited).
 */
export async function login(store: RepoStore, loginName: string, password: string, now = new Date(), policy = SESSION_POLICY): Promise<LoginResult> {
  const u = loginName && loginName.length <= 40 ? await store.prisma.user.findUnique({ where: { login: loginName } }) : null;
  if (!u || !u.passwordHash || u.revokedAt) {
    await burnPasswordTime(password);
    throw badCredentials();
  }
  if (u.lockedUntil && u.lockedUntil > now) throw locked(u.lockedUntil);
  const ok = await verifyPassword(password, u.passwordHash);
  if (!ok) {
    const failures = (u.lockedUntil && u.lockedUntil <= now ? 0 : u.failedLogins) + 1;
    const lock = failures >= policy.maxFailures ? new Date(now.getTime() + policy.lockMinutes * 60_000) : null;
    await inTransaction(store, async (tx) => {
      await tx.user.update({ where: { id: u.id }, data: { failedLogins: lock ? 0 : failures, lockedUntil: lock } });
      return {
        value: null,
        audit: lock ? { actor: `login:${u.login}`, action: "session.lockout", subject: `user:${u.id}`, payload: { failures, until: lock.toISOString() } } : [],
      };
    });
    if (lock) throw locked(lock);
    throw badCredentials();
  }
  const token = newSessionToken();
  const csrfToken = randomBytes(24).toString("base64url");
  const expiresAt = new Date(now.getTime() + policy.absoluteHours * 3600_000);
  const session = await inTransaction(store, async (tx) => {
    await tx.user.update({ where: { id: u.id }, data: { failedLogins: 0, lockedUntil: null } });
    const s = await tx.session.create({ data: { tokenHash: sha256Hex(token), userId: u.id, csrfToken, lastSeenAt: now, expiresAt } });
    return { value: s, audit: { actor: `user:${u.id}`, action: "session.login", subject: `user:${u.id}`, payload: { session: s.id } } };
  });
  return {
    token,
    csrfToken,
    session: {
      sessionId: session.id,
      principal: { userId: u.id, name: u.name, role: u.role as Role, departmentId: u.departmentId ?? null },
      login: u.login!,
      csrfToken,
      mustChangePassword: u.mustChangePassword,
      expiresAt: expiresAt.toISOString(),
    },
  };
}

/** The live session of a cookie token, or null (unknown, ended, idle too long, expired, user disabled). */
export async function sessionFor(store: RepoStore, token: string, now = new Date(), policy = SESSION_POLICY): Promise<SessionInfo | null> {
  if (!SESSION_TOKEN_PATTERN.test(token)) return null;
  const s = await store.prisma.session.findUnique({ where: { tokenHash: sha256Hex(token) }, include: { user: true } });
  if (!s || s.endedAt || s.expiresAt <= now || s.user.revokedAt || !s.user.passwordHash) return null;
  if (now.getTime() - s.lastSeenAt.getTime() > policy.idleMinutes * 60_000) {
    await store.prisma.session.update({ where: { id: s.id }, data: { endedAt: now } });
    return null;
  }
  if (now.getTime() - s.lastSeenAt.getTime() > TOUCH_EVERY_MS) await store.prisma.session.update({ where: { id: s.id }, data: { lastSeenAt: now } });
  return {
    sessionId: s.id,
    principal: { userId: s.user.id, name: s.user.name, role: s.user.role as Role, departmentId: s.user.departmentId ?? null },
    login: s.user.login ?? "",
    csrfToken: s.csrfToken,
    mustChangePassword: s.user.mustChangePassword,
    expiresAt: s.expiresAt.toISOString(),
  };
}

export async function logout(store: RepoStore, token: string): Promise<void> {
  if (!SESSION_TOKEN_PATTERN.test(token)) return;
  await store.prisma.session.updateMany({ where: { tokenHash: sha256Hex(token), endedAt: null }, data: { endedAt: new Date() } });
}

/** The user changes their own password; every other session of theirs ends. */
export async function changePassword(store: RepoStore, session: SessionInfo, current: string, next: string): Promise<void> {
  const u = await store.prisma.user.findUnique({ where: { id: session.principal.userId } });
  if (!u || !u.passwordHash) throw new RepoError(404, "NOT_FOUND", "账号不存在");
  if (!(await verifyPassword(current, u.passwordHash))) throw new RepoError(400, "INVALID_CREDENTIALS", "当前密码不正确", "body.currentPassword");
  checkNewPassword(next, u.login, "body.newPassword");
  if (current === next) throw invalid("新密码不能与当前密码相同", "body.newPassword");
  const passwordHash = await hashPassword(next);
  await inTransaction(store, async (tx) => {
    await tx.user.update({ where: { id: u.id }, data: { passwordHash, passwordChangedAt: new Date(), mustChangePassword: false } });
    await tx.session.updateMany({ where: { userId: u.id, endedAt: null, id: { not: session.sessionId } }, data: { endedAt: new Date() } });
    return { value: null, audit: { actor: `user:${u.id}`, action: "user.password.change", subject: `user:${u.id}`, payload: {} } };
  });
}

/**
 * An administrator sets a new initial password (reset, or a console login for an existing
 * user): the account is unlocked, its sessions end, and the user must change it at next login.
 */
export async function resetPassword(store: RepoStore, userId: number, input: { password: string; login?: string }, actor: string): Promise<AccountView> {
  const u = await store.prisma.user.findUnique({ where: { id: userId } });
  if (!u) throw new RepoError(404, "NOT_FOUND", `用户 ${userId} 不存在`);
  const loginName = input.login ?? u.login;
  if (!loginName) throw invalid("该用户还没有登录账号：请同时指定 login", "body.login");
  const lp = loginProblem(loginName);
  if (lp) throw invalid(lp, "body.login");
  checkNewPassword(input.password, loginName, "body.password");
  const passwordHash = await hashPassword(input.password);
  return inTransaction(store, async (tx) => {
    if (loginName !== u.login && (await tx.user.findUnique({ where: { login: loginName } })))
      throw new RepoError(409, "LOGIN_TAKEN", `登录账号“${loginName}”已被使用`, "body.login");
    const updated = await tx.user.update({
      where: { id: userId },
      data: { login: loginName, passwordHash, passwordChangedAt: new Date(), mustChangePassword: true, failedLogins: 0, lockedUntil: null },
      include: { department: true },
    });
    await tx.session.updateMany({ where: { userId, endedAt: null }, data: { endedAt: new Date() } });
    return { value: userView(updated), audit: { actor, action: "user.password.reset", subject: `user:${userId}`, payload: { login: loginName } } };
  });
}

/** End every session of a user (disabled by an administrator). */
export async function endUserSessions(store: RepoStore, userId: number): Promise<void> {
  await store.prisma.session.updateMany({ where: { userId, endedAt: null }, data: { endedAt: new Date() } });
}

export async function listAccounts(store: RepoStore): Promise<AccountView[]> {
  const rows = await store.prisma.user.findMany({ orderBy: { id: "asc" }, include: { department: true } });
  return rows.map(userView);
}
