/** The hash-chained audit log: read and verify (auditors and admins). */
import type { FastifyPluginAsync } from "fastify";
import { Type } from "@sinclair/typebox";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { readAuditLog, verifyStoredAuditChain } from "../../src/store/index.ts";
import { errors } from "../schemas.ts";

const AuditRow = Type.Object({
  seq: Type.Integer(),
  at: Type.String(),
  actor: Type.String(),
  action: Type.String(),
  subject: Type.String(),
  payload: Type.Unknown(),
  prevHash: Type.String(),
  hash: Type.String(),
});

const auditRoutes: FastifyPluginAsync = async (fastify) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const store = app.ssj.store;

  app.get(
    "/audit",
    {
      config: { access: ["admin", "auditor"] },
      schema: {
        tags: ["audit"],
        summary: "审计日志：按序号排列的条目（谁、何时、做了什么）；可按操作、对象、操作者检索",
        querystring: Type.Object({
          fromSeq: Type.Integer({ minimum: 1, default: 1 }),
          limit: Type.Integer({ minimum: 1, maximum: 1000, default: 200 }),
          subject: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: "对象，完全一致，如 draw:12" })),
          action: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: "操作，前缀一致，如 draw. 或 draw.commit" })),
          actor: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: "操作者，包含即可，如 user:3" })),
        }),
        response: { 200: Type.Object({ entries: Type.Array(AuditRow), nextSeq: Type.Union([Type.Integer(), Type.Null()]) }), ...errors },
      },
    },
    async (request) => {
      const { fromSeq, limit, subject, action, actor } = request.query;
      const rows =
        subject || action || actor
          ? await store.prisma.auditLog.findMany({
              where: { seq: { gte: fromSeq }, ...(subject ? { subject } : {}), ...(action ? { action: { startsWith: action } } : {}), ...(actor ? { actor: { contains: actor } } : {}) },
              orderBy: { seq: "asc" },
              take: limit + 1,
            })
          : await readAuditLog(store.prisma, { fromSeq, limit: limit + 1 });
      const more = rows.length > limit;
      const page = rows.slice(0, limit);
      return {
        entries: page.map((r) => ({ ...r, at: r.at.toISOString(), payload: JSON.parse(r.payload) as unknown })),
        nextSeq: more ? rows[limit]!.seq : null,
      };
    },
  );

  app.get(
    "/audit/verify",
    {
      config: { access: ["admin", "auditor"] },
      schema: {
        tags: ["audit"],
        summary: "核验整条哈希链；不一致时指出第一条有问题的序号",
        response: {
          200: Type.Object({
            ok: Type.Boolean(),
            count: Type.Optional(Type.Integer()),
            head: Type.Optional(Type.String()),
            seq: Type.Optional(Type.Integer()),
            reason: Type.Optional(Type.String()),
          }),
          ...errors,
        },
      },
    },
    async () => verifyStoredAuditChain(store.prisma),
  );
};

export default auditRoutes;
