/** Users and tokens (admin), and `GET /me` (any signed-in user). */
import type { FastifyPluginAsync } from "fastify";
import { Type } from "@sinclair/typebox";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { requirePrincipal } from "../auth.ts";
import { badRequest } from "../errors.ts";
import { createUser, revokeUser } from "../../src/store/repos/users.ts";
import { createAccount, endUserSessions, listAccounts, resetPassword } from "../../src/store/repos/accounts.ts";
import { actorOf } from "../../src/store/repos/audit.ts";
import { IdParams, errors } from "../schemas.ts";

const Role = Type.Union([Type.Literal("admin"), Type.Literal("officer"), Type.Literal("auditor")]);
const User = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  role: Role,
  departmentId: Type.Union([Type.Integer(), Type.Null()]),
  departmentCode: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  revokedAt: Type.Union([Type.String(), Type.Null()]),
  login: Type.Optional(Type.Union([Type.String(), Type.Null()], { description: "工作台登录账号；仅有令牌的用户为 null" })),
  mustChangePassword: Type.Optional(Type.Boolean()),
  lockedUntil: Type.Optional(Type.Union([Type.String(), Type.Null()])),
});
const CreateUser = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    role: Role,
    department: Type.Optional(Type.String({ minLength: 1, description: "department code or id; required for officers" })),
    login: Type.Optional(Type.String({ minLength: 3, maxLength: 40, description: "工作台登录账号：给出 login 和 password 时建立工作台账号（不发令牌），首次登录须修改密码" })),
    password: Type.Optional(Type.String({ minLength: 1, maxLength: 128, description: "初始密码（至少 10 个字符）" })),
  },
  { additionalProperties: false },
);

const userRoutes: FastifyPluginAsync = async (fastify) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const store = app.ssj.store;

  app.get(
    "/me",
    {
      config: { access: ["admin", "officer", "auditor"] },
      schema: {
        tags: ["users"],
        summary: "当前用户",
        response: {
          200: Type.Object({ userId: Type.Integer(), name: Type.String(), role: Role, departmentId: Type.Union([Type.Integer(), Type.Null()]) }),
          ...errors,
        },
      },
    },
    async (request) => requirePrincipal(request),
  );

  app.get(
    "/users",
    { config: { access: ["admin"] }, schema: { tags: ["users"], summary: "用户列表", response: { 200: Type.Array(User), ...errors } } },
    async () => listAccounts(store),
  );

  app.post(
    "/users",
    {
      config: { access: ["admin"] },
      schema: {
        tags: ["users"],
        summary: "新建用户：给出 login 和 password 时建立工作台账号；否则发放 API 令牌（只显示这一次）",
        body: CreateUser,
        response: { 201: Type.Object({ user: User, token: Type.Optional(Type.String()) }), ...errors },
      },
    },
    async (request, reply) => {
      const { login, password, ...rest } = request.body;
      if (login !== undefined || password !== undefined) {
        if (login === undefined || password === undefined) throw badRequest("工作台账号须同时给出 login 和 password", login === undefined ? "body.login" : "body.password", "VALIDATION_FAILED");
        return reply.status(201).send({ user: await createAccount(store, { ...rest, login, password }, actorOf(request.principal)) });
      }
      const created = await createUser(store, rest, actorOf(request.principal));
      return reply.status(201).send(created);
    },
  );

  app.post(
    "/users/:id/password",
    {
      config: { access: ["admin"] },
      schema: {
        tags: ["users"],
        summary: "设置或重置工作台密码（管理员）：解除锁定，结束该用户的全部会话，下次登录须修改密码",
        params: IdParams,
        body: Type.Object(
          { password: Type.String({ minLength: 1, maxLength: 128 }), login: Type.Optional(Type.String({ minLength: 3, maxLength: 40, description: "为仅有令牌的用户开通工作台账号时给出" })) },
          { additionalProperties: false },
        ),
        response: { 200: User, ...errors },
      },
    },
    async (request) => resetPassword(store, request.params.id, request.body, actorOf(request.principal)),
  );

  app.post(
    "/users/:id/revoke",
    {
      config: { access: ["admin"] },
      schema: { tags: ["users"], summary: "停用用户：令牌和工作台登录立即失效", params: IdParams, response: { 200: User, ...errors } },
    },
    async (request) => {
      const u = await revokeUser(store, request.params.id, actorOf(request.principal));
      await endUserSessions(store, u.id);
      return u;
    },
  );
};

export default userRoutes;
