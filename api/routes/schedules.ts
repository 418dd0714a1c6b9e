/** Joint-check optimization of a drawn batch (solver/) and its schedule (进一次门、查多项事). */
import type { FastifyPluginAsync } from "fastify";
import { Type } from "@sinclair/typebox";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { requirePrincipal } from "../auth.ts";
import { forbidden } from "../errors.ts";
import { actorOf } from "../../src/store/repos/audit.ts";
import { getBatch } from "../../src/store/repos/plans.ts";
import { getSchedule, optimizeBatch } from "../../src/store/repos/schedules.ts";
import { assertBatchAccess } from "./plans.ts";
import { IdParams, errors } from "../schemas.ts";

const Schedule = Type.Object({
  batchId: Type.Integer(),
  run: Type.Union([
    Type.Object({ id: Type.Integer(), instanceDigest: Type.String(), seed: Type.String(), solverVersion: Type.String(), createdAt: Type.String() }),
    Type.Null(),
  ]),
  visits: Type.Array(
    Type.Object({
      jointCheckId: Type.Integer(),
      day: Type.String(),
      status: Type.String(),
      entity: Type.Object({ code: Type.String(), name: Type.String() }),
      tasks: Type.Array(Type.Object({ taskId: Type.Integer(), taskNo: Type.String(), departmentId: Type.Integer() })),
      team: Type.Array(Type.Object({ inspectorId: Type.Integer(), name: Type.String(), departmentId: Type.Union([Type.Integer(), Type.Null()]), role: Type.String() })),
    }),
  ),
  unscheduled: Type.Array(Type.Object({ taskNo: Type.String(), reason: Type.String() })),
});

const scheduleRoutes: FastifyPluginAsync = async (fastify) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const store = app.ssj.store;

  app.post(
    "/batches/:id/optimize",
    {
      config: { access: ["admin", "officer"] },
      schema: {
        tags: ["schedules"],
        summary: "Merge the drawn tasks into joint visits with random, fair teams (seeded by the draw's public seed)",
        params: IdParams,
        body: Type.Optional(Type.Object({ replace: Type.Optional(Type.Boolean({ description: "re-plan: cancel the planned joint checks first" })) }, { additionalProperties: false })),
        response: { 201: Schedule, ...errors },
      },
    },
    async (request, reply) => {
      const p = requirePrincipal(request);
      const b = await getBatch(store, request.params.id);
      const lead = b.departments.find((d) => d.role === "lead");
      if (p.role === "officer" && lead?.departmentId !== p.departmentId) throw forbidden("only the lead department (发起部门) plans the joint checks");
      return reply.status(201).send(await optimizeBatch(store, b.id, { replace: request.body?.replace ?? false }, actorOf(p)));
    },
  );

  app.get(
    "/batches/:id/schedule",
    { config: { access: ["admin", "officer", "auditor"] }, schema: { tags: ["schedules"], summary: "The batch's joint checks: day, entity, tasks, team", params: IdParams, response: { 200: Schedule, ...errors } } },
    async (request) => {
      const b = await getBatch(store, request.params.id);
      assertBatchAccess(requirePrincipal(request), b);
      return getSchedule(store, b.id);
    },
  );
};

export default scheduleRoutes;
