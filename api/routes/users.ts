/** Users and tokens (admin), and `GET /me` (any signed-in user). */
import type { FastifyPluginAsync } from "fastify";
import { Type } from "@sinclair/typebox";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { requirePrincipal } from "../auth.ts";
import { createUser, listUsers, revokeUser } from "../../src/store/repos/users.ts";
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
});
const CreateUser = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    role: Role,
    department: Type.Optional(Type.String({ minLength: 1, description: "department code or id; required for officers" })),
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
        summary: "Who am I",
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
    { config: { access: ["admin"] }, schema: { tags: ["users"], summary: "List users", response: { 200: Type.Array(User), ...errors } } },
    async () => listUsers(store),
  );

  app.post(
    "/users",
    {
      config: { access: ["admin"] },
      schema: {
        tags: ["users"],
        summary: "Create a user; the token is returned once and never again",
        body: CreateUser,
        response: { 201: Type.Object({ user: User, token: Type.String() }), ...errors },
      },
    },
    async (request, reply) => {
      const created = await createUser(store, request.body, actorOf(request.principal));
      return reply.status(201).send(created);
    },
  );

  app.post(
    "/users/:id/revoke",
    {
      config: { access: ["admin"] },
      schema: { tags: ["users"], summary: "Revoke a user's token", params: IdParams, response: { 200: User, ...errors } },
    },
    async (request) => revokeUser(store, request.params.id, actorOf(request.principal)),
  );
};

export default userRoutes;
