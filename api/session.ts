/**
 * Session-cookie authentication for people (the console), next to bearer tokens for systems.
 *
 *   Cookie  ssj_session=<43 base64url chars>; Path=/; HttpOnly; SameSite=Strict[; Secure]
 *
 * `registerSessionAuth(app)` adds one onRequest hook after the bearer-token hook: a request with no
 * Authorization header but a live session cookie gets the session's user as `request.principal`,
 * so every API route applies exactly the same role and department checks to a console user as to
 * a token. CSRF: an unsafe request (POST, PUT, PATCH, DELETE) authenticated by the cookie must
 * carry the session's token in `X-CSRF-Token` (console forms send it as `_csrf`, checked by the
 * console before it calls the API), and a cross-site `Origin` is refused. SameSite=Strict already
 * keeps the cookie off cross-site requests; the token is the second wall.
 * A user whose password was set by an administrator may call only the session routes until they
 * choose their own (403 PASSWORD_CHANGE_REQUIRED).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { ApiError } from "./errors.ts";
import { sameSecret, sessionFor, SESSION_POLICY, type SessionInfo } from "../src/store/repos/accounts.ts";
import type { Store } from "./storeTypes.ts";

export const SESSION_COOKIE = "ssj_session";
const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

declare module "fastify" {
  interface FastifyRequest {
    /** The console session, when the request was authenticated by the session cookie. */
    session: SessionInfo | null;
  }
}

/** Cookie header → name/value pairs (first occurrence wins; values URI-decoded when possible). */
export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!header) return out;
  for (const part of header.split(";")) {
    const i = part.indexOf("=");
    if (i <= 0) continue;
    const name = part.slice(0, i).trim();
    if (name in out) continue;
    let value = part.slice(i + 1).trim();
    if (value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    try {
      out[name] = decodeURIComponent(value);
    } catch {
      out[name] = value;
    }
  }
  return out;
}

/** True when the request reached us over TLS (directly, or via a trusted proxy's X-Forwarded-Proto). */
export function overTls(request: FastifyRequest): boolean {
  return request.protocol === "https" || process.env.SSJ_COOKIE_SECURE === "1";
}

export interface CookieOptions {
  maxAgeSeconds?: number;
  path?: string;
  httpOnly?: boolean;
}

export function cookieHeader(request: FastifyRequest, name: string, value: string, o: CookieOptions = {}): string {
  const parts = [`${name}=${encodeURIComponent(value)}`, `Path=${o.path ?? "/"}`, "SameSite=Strict"];
  if (o.httpOnly !== false) parts.push("HttpOnly");
  if (overTls(request)) parts.push("Secure");
  if (o.maxAgeSeconds !== undefined) parts.push(`Max-Age=${o.maxAgeSeconds}`);
  return parts.join("; ");
}

/** Append a Set-Cookie header (keeping any already set). */
export function addCookie(reply: FastifyReply, header: string): void {
  const prev = reply.getHeader("set-cookie");
  const list = prev === undefined ? [] : Array.isArray(prev) ? prev.map(String) : [String(prev)];
  reply.header("set-cookie", [...list, header]);
}

export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, token: string): void {
  addCookie(reply, cookieHeader(request, SESSION_COOKIE, token, { maxAgeSeconds: SESSION_POLICY.absoluteHours * 3600 }));
}

export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply): void {
  addCookie(reply, cookieHeader(request, SESSION_COOKIE, "", { maxAgeSeconds: 0 }));
}

export function sessionToken(request: FastifyRequest): string | undefined {
  return parseCookies(request.headers.cookie)[SESSION_COOKIE];
}

/**
 * A cross-site request (by the browser's Sec-Fetch-Site, else by Origin or Referer): refused on
 * unsafe requests. No such header at all is allowed (non-browser clients); an opaque `Origin: null`
 * (sent e.g. under `Referrer-Policy: no-referrer`) decides nothing by itself — the CSRF token and
 * SameSite=Strict still apply.
 */
export function crossSite(request: FastifyRequest): boolean {
  const site = request.headers["sec-fetch-site"];
  if (typeof site === "string") return site === "cross-site";
  const origin = request.headers.origin ?? (typeof request.headers.referer === "string" ? request.headers.referer : undefined);
  if (!origin || origin === "null") return false;
  try {
    return new URL(origin).host !== request.headers.host;
  } catch {
    return true;
  }
}

export function csrfFailed(): ApiError {
  return new ApiError(403, "CSRF_FAILED", "请求缺少有效的 CSRF 令牌或来自其他站点：请刷新页面后重试");
}

/** Paths a user who must change the password may still use. */
const PASSWORD_CHANGE_PATHS = ["/session", "/console"];

export function registerSessionAuth(app: FastifyInstance, store: Store): void {
  app.decorateRequest("session", null);
  app.addHook("onRequest", async (request) => {
    if (request.principal || request.headers.authorization !== undefined) return;
    const token = sessionToken(request);
    if (!token) return;
    const s = await sessionFor(store, token);
    if (!s) return;
    request.session = s;
    request.principal = { ...s.principal };
    const path = request.url.split("?")[0]!;
    const isConsole = path === "/console" || path.startsWith("/console/");
    // Console pages check their form's `_csrf` themselves (the body is not parsed yet here).
    if (!isConsole && UNSAFE.has(request.method)) {
      const sent = request.headers["x-csrf-token"];
      if (typeof sent !== "string" || !sameSecret(sent, s.csrfToken) || crossSite(request)) throw csrfFailed();
    }
    if (s.mustChangePassword && !PASSWORD_CHANGE_PATHS.some((p) => path === p || path.startsWith(`${p}/`)))
      throw new ApiError(403, "PASSWORD_CHANGE_REQUIRED", "管理员设置的初始密码须先修改：请在工作台“修改密码”页设置新密码");
  });
}
