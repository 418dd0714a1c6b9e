/**
 * Console sessions over the API (工作台登录): log in with account and password (a session cookie
 * and a CSRF token come back), who am I, change my password, log out. Bearer tokens are unchanged.
 * The console's own login page uses the same repository functions (src/store/repos/accounts.ts).
 */
import type { FastifyPluginAsync } from "fastify";
import { Type } from "@sinclair/typebox";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { badRequest } from "../errors.ts";
import { requirePrincipal } from "../auth.ts";
import { changePassword, login, logout } from "../../src/store/repos/accounts.ts";
import { clearSessionCookie, setSessionCookie, sessionToken } from "../session.ts";
import { errors } from "../schemas.ts";

const Role = Type.Union([Type.Literal("admin"), Type.Literal("officer"), Type.Literal("auditor")]);
const SessionUser = Type.Object({ userId: Type.Integer(), name: Type.String(), role: Role, departmentId: Type.Union([Type.Integer(), Type.Null()]) });
const SessionView = Type.Object({
  user: SessionUser,
  via: Type.Union([Type.Literal("session"), Type.Literal("token")], { description: "session（会话 Cookie）或 token（Bearer 令牌）" }),
  csrfToken: Type.Optional(Type.String({ description: "会话的 CSRF 令牌：用 Cookie 调用写接口时放在 X-CSRF-Token 请求头" })),
  mustChangePassword: Type.Optional(Type.Boolean()),
  expiresAt: Type.Optional(Type.String()),
});

/** Login attempts per client address and minute (on top of the per-account lockout). */
export const LOGIN_RATE_LIMIT = { max: 30, timeWindow: "1 minute" };

const sessionRoutes: FastifyPluginAsync = async (fastify) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const store = app.ssj.store;

  app.post(
    "/session",
    {
      config: { access: "public", rateLimit: LOGIN_RATE_LIMIT },
      schema: {
        tags: ["session"],
        summary: "登录（账号和密码）：返回会话 Cookie（HttpOnly、SameSite=Strict）和 CSRF 令牌",
        description: `连续 5 次密码错误锁定账号 15 分钟（423 ACCOUNT_LOCKED）；会话闲置 30 分钟或登录 12 小时后失效。管理员设置的初始密码须先修改（mustChangePassword）。`,
        body: Type.Object(
          { login: Type.String({ minLength: 1, maxLength: 40, description: "登录账号" }), password: Type.String({ minLength: 1, maxLength: 128 }) },
          { additionalProperties: false, examples: [{ login: "demo-admin", password: "Xa-Admin-2026!" }] },
        ),
        response: { 200: SessionView, 423: Type.Ref("Error"), ...errors },
      },
    },
    async (request, reply) => {
      const r = await login(store, request.body.login, request.body.password);
      setSessionCookie(request, reply, r.token);
      return { user: r.session.principal, via: "session" as const, csrfToken: r.csrfToken, mustChangePassword: r.session.mustChangePassword, expiresAt: r.session.expiresAt };
    },
  );

  app.get(
    "/session",
    {
      config: { access: ["admin", "officer", "auditor"] },
      schema: { tags: ["session"], summary: "当前会话（或令牌）对应的用户", response: { 200: SessionView, ...errors } },
    },
    async (request) => {
      const p = requirePrincipal(request);
      const s = request.session;
      const user = { userId: p.userId, name: p.name, role: p.role, departmentId: p.departmentId };
      return s ? { user, via: "session" as const, csrfToken: s.csrfToken, mustChangePassword: s.mustChangePassword, expiresAt: s.expiresAt } : { user, via: "token" as const };
    },
  );

  app.delete(
    "/session",
    { config: { access: "public" }, schema: { tags: ["session"], summary: "退出登录：结束会话并清除 Cookie", response: { 204: Type.Null(), ...errors } } },
    async (request, reply) => {
      const token = sessionToken(request);
      if (token) await logout(store, token);
      clearSessionCookie(request, reply);
      return reply.status(204).send(null);
    },
  );

  app.post(
    "/session/password",
    {
      config: { access: ["admin", "officer", "auditor"] },
      schema: {
        tags: ["session"],
        summary: "修改本人密码（须登录会话）：其他会话随即失效",
        body: Type.Object(
          { currentPassword: Type.String({ minLength: 1, maxLength: 128 }), newPassword: Type.String({ minLength: 1, maxLength: 128, description: "至少 10 个字符，含字母、数字、符号中的两类，不含登录账号" }) },
          { additionalProperties: false },
        ),
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      const s = request.session;
      if (!s) throw badRequest("令牌用户没有密码：请通过工作台登录会话修改密码", "session", "NO_SESSION");
      await changePassword(store, s, request.body.currentPassword, request.body.newPassword);
      return reply.status(204).send(null);
    },
  );
};

export default sessionRoutes;
