/**
 * Authentication (bearer tokens) and authorization (roles) for the HTTP API.
 *
 * Roles:
 *   admin    directories, users, configuration (and everything an officer may do, any department)
 *   officer  only their own department's items, plans, batches, draws, results
 *   auditor  reads everything, verifies draws, reads the audit log; changes nothing
 *   public   no token: published data only
 *
 * Each route declares who may call it in `config.access` (see `access()` below); an `onRoute`
 * hook turns that into a preHandler, so a route cannot forget its check. The declaration is also
 * what the role-matrix test and the OpenAPI description read.
 *
 * Missing/invalid token on a protected route → 401; valid token, wrong role → 403. Department
 * scoping (an officer touching another department's data) is checked in the handlers with
 * `assertDepartment` and answers 403 as well — never a silently empty list.
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { FastifyInstance, FastifyRequest, RouteOptions } from "fastify";
import { ApiError, forbidden, unauthorized } from "./errors.ts";

export type Role = "admin" | "officer" | "auditor";
export const ROLES: readonly Role[] = ["admin", "officer", "auditor"];
/** How roles are named to people (API messages). */
export const ROLE_NAMES: Record<Role, string> = { admin: "管理员（admin）", officer: "执法人员（officer）", auditor: "审计人员（auditor）" };

export interface Principal {
  userId: number;
  name: string;
  role: Role;
  /** Department the user belongs to (officers always have one). */
  departmentId: number | null;
}

/** Who may call a route: `"public"` (anyone, no token needed) or a list of roles. */
export type Access = "public" | readonly Role[];

declare module "fastify" {
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    /** Who may call this route. Routes without it are public (framework routes, docs, health). */
    access?: Access;
  }
}

/** Tokens look like `ssj_<43 base64url characters>` (32 random bytes); only their SHA-256 is stored. */
export const TOKEN_PATTERN = /^ssj_[A-Za-z0-9_-]{43}$/;

export function newToken(): string {
  return `ssj_${randomBytes(32).toString("base64url")}`;
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** Constant-time comparison of two hex SHA-256 digests. */
export function sameHash(a: string, b: string): boolean {
  const ba = Buffer.from(a, "hex");
  const bb = Buffer.from(b, "hex");
  if (ba.length !== 32 || bb.length !== 32) return false;
  return timingSafeEqual(ba, bb);
}

/** What the auth layer needs from the store: the user holding a token hash, if any. */
export interface TokenLookup {
  (tokenHash: string): Promise<{ tokenHash: string; principal: Principal; revoked: boolean } | null>;
}

export async function authenticate(header: string | undefined, lookup: TokenLookup): Promise<Principal | null> {
  if (header === undefined) return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!m) throw unauthorized("Authorization 请求头格式错误：应为 Bearer <令牌>");
  const token = m[1]!;
  if (!TOKEN_PATTERN.test(token)) throw unauthorized("令牌无效：应为 ssj_ 加 43 个字符");
  const presented = hashToken(token);
  const row = await lookup(presented);
  // The row was found by its hash; compare again in constant time before trusting it.
  if (!row || !sameHash(presented, row.tokenHash) || row.revoked) throw unauthorized("令牌无效或已被撤销");
  return row.principal;
}

export function access(a: Access): { access: Access } {
  return { access: a };
}

export function requirePrincipal(request: FastifyRequest): Principal {
  if (!request.principal) throw unauthorized();
  return request.principal;
}

/**
 * An officer may only touch their own department; admins any department; auditors read any
 * department (write routes never list auditors in their access, so this is about reads).
 */
export function assertDepartment(principal: Principal, departmentId: number, what = "该资源"): void {
  if (principal.role === "officer" && principal.departmentId !== departmentId) {
    throw forbidden(`执法人员只能访问本部门的数据：${what}属于其他部门`);
  }
}

export interface RouteAccess {
  method: string;
  url: string;
  access: Access;
}

/**
 * Register the authentication hook and the per-route access check. Call before route plugins.
 * Returns the table of routes and who may call them (filled as routes are added).
 */
export function registerAuth(app: FastifyInstance, lookup: TokenLookup): RouteAccess[] {
  const routeTable: RouteAccess[] = [];
  app.decorateRequest("principal", null);
  app.addHook("onRequest", async (request) => {
    request.principal = await authenticate(request.headers.authorization, lookup);
  });
  app.addHook("onRoute", (route: RouteOptions) => {
    const acc = (route.config as { access?: Access } | undefined)?.access;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const m of methods) if (m !== "HEAD") routeTable.push({ method: m, url: route.url, access: acc ?? "public" });
    if (acc === undefined || acc === "public") return;
    const allowed = new Set<Role>(acc);
    // An onRequest hook: runs right after authentication, before the body is parsed or validated,
    // so an anonymous or unauthorised caller learns nothing from validation errors.
    const check = async (request: FastifyRequest) => {
      const p = request.principal;
      if (!p) throw unauthorized();
      if (!allowed.has(p.role)) {
        throw new ApiError(403, "FORBIDDEN", `${ROLE_NAMES[p.role]}无权调用 ${request.method} ${route.url}（允许：${[...allowed].map((r) => ROLE_NAMES[r]).join("、")}）`);
      }
    };
    const existing = route.onRequest;
    route.onRequest = existing === undefined ? [check] : [check, ...(Array.isArray(existing) ? existing : [existing])];
    // Document it in OpenAPI.
    const schema = (route.schema ??= {}) as Record<string, unknown>;
    schema.security = [{ bearer: [] }];
    const desc = typeof schema.description === "string" ? `${schema.description}\n\n` : "";
    schema.description = `${desc}Roles: ${[...allowed].join(", ")}.`;
  });
  return routeTable;
}
