/**
 * Joint-check schedule of a drawn batch (进一次门、查多项事): the optimizer places the teams the draw
 * chose on days — it never chooses other people — and the schedule is appended to the draw's record
 * chain (docs/draw-spec.md §9.3). A re-plan needs a public reason.
 */
import type { FastifyPluginAsync } from "fastify";
import { Type } from "@sinclair/typebox";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { requirePrincipal } from "../auth.ts";
import { jobsFor } from "../jobs.ts";
import { JobAccepted, jobAccepted } from "./jobs.ts";
import { getBatch } from "../../src/store/repos/plans.ts";
import { scheduleBatch, type WorkProgress } from "../../src/store/repos/draws.ts";
import { getSchedule } from "../../src/store/repos/schedules.ts";
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
      team: Type.Array(
        Type.Object({
          inspectorId: Type.Union([Type.Integer(), Type.Null()]),
          expertId: Type.Union([Type.Integer(), Type.Null()]),
          name: Type.String(),
          departmentId: Type.Union([Type.Integer(), Type.Null()]),
          role: Type.String({ description: "officer（执法人员，计入两人）| expert（专家，不计入）" }),
          certificateNo: Type.Union([Type.String(), Type.Null()], { description: "执法证号（检查时出示）；专家为其编号" }),
        }),
      ),
    }),
  ),
  unscheduled: Type.Array(Type.Object({ code: Type.String(), reason: Type.String() })),
  draw: Type.Union([Type.Object({ id: Type.Integer(), checks: Type.Integer() }), Type.Null()]),
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
        summary: "排期：把抽取确定的检查组安排到工作日（同一企业各部门的检查合并为一次联合检查）；重新排期须说明理由（公开），检查组人员不会改变",
        params: IdParams,
        body: Type.Optional(Type.Object({ reason: Type.Optional(Type.String({ minLength: 2, maxLength: 500, description: "重新排期的理由（第一次排期不填）" })) }, { additionalProperties: false })),
        querystring: Type.Object({ background: Type.Optional(Type.Boolean({ description: "true：立即回答 202 和任务编号，在后台排期；进度见 GET /jobs/:id" })) }),
        response: { 201: Schedule, 202: JobAccepted, ...errors },
      },
    },
    async (request, reply) => {
      const p = requirePrincipal(request);
      const b = await getBatch(store, request.params.id);
      const run = (onProgress?: WorkProgress) => scheduleBatch(store, b.id, request.body?.reason ?? null, { userId: p.userId, role: p.role, departmentId: p.departmentId }, request.log, onProgress);
      if (!request.query.background) {
        await run();
        return reply.status(201).send(await getSchedule(store, b.id));
      }
      // Phases of the store (instance, solving, writing, publishing); the solver itself reports no progress yet.
      const job = jobsFor(app.ssj, request.log).start({ kind: "schedule", ownerId: p.userId, label: `排期：批次 ${b.code}`, target: `/batches/${b.id}` }, (report) => run(report));
      return reply.status(202).send(jobAccepted(job));
    },
  );

  app.get(
    "/batches/:id/schedule",
    { config: { access: ["admin", "officer", "auditor"] }, schema: { tags: ["schedules"], summary: "批次的联合检查：日期、企业、任务、检查组", params: IdParams, response: { 200: Schedule, ...errors } } },
    async (request) => {
      const b = await getBatch(store, request.params.id);
      assertBatchAccess(requirePrincipal(request), b);
      return getSchedule(store, b.id);
    },
  );
};

export default scheduleRoutes;
