/**
 * Progress of long work started with `?background=true` (POST /imports/:kind, POST /draws/:id/run,
 * POST /batches/:id/optimize): GET /jobs/:id gives the phase, the rows or tasks processed, and at
 * the end the result (an import's report) or the error. A job is visible to the user who started
 * it, and to administrators and auditors.
 */
import type { FastifyPluginAsync } from "fastify";
import { Type } from "@sinclair/typebox";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { requirePrincipal } from "../auth.ts";
import { ApiError } from "../errors.ts";
import { jobsFor, type Job } from "../jobs.ts";
import { errors } from "../schemas.ts";

const N = <T extends ReturnType<typeof Type.Integer>>(t: T) => Type.Union([t, Type.Null()]);

export const PHASE_LABEL: Record<string, string> = {
  queued: "排队中",
  reading: "读取输入",
  importing: "逐行检查并写入",
  writing: "写入",
  committing: "提交事务",
  drawing: "抽取",
  tasks: "生成检查任务",
  instance: "整理排期问题",
  solving: "求解排期",
  publishing: "公示",
  done: "完成",
};

export const JobView = Type.Object({
  id: Type.String(),
  kind: Type.String({ description: "import 导入 | draw 抽取 | schedule 排期" }),
  label: Type.String(),
  status: Type.String({ description: "running 进行中 | done 完成 | failed 失败" }),
  phase: Type.String({ description: "当前阶段：queued, reading, importing, committing, drawing, tasks, instance, solving, writing, publishing, done" }),
  phaseLabel: Type.String(),
  done: N(Type.Integer({ description: "本阶段已处理的行数或任务数" })),
  total: N(Type.Integer({ description: "本阶段的总数（已知时）" })),
  bytesRead: N(Type.Integer()),
  totalBytes: N(Type.Integer()),
  phases: Type.Array(Type.Object({ phase: Type.String(), at: Type.String() })),
  startedAt: Type.String(),
  updatedAt: Type.String(),
  finishedAt: Type.Union([Type.String(), Type.Null()]),
  target: Type.Union([Type.String(), Type.Null()], { description: "任务涉及的 API 资源（如 /draws/5）" }),
  result: Type.Unknown({ description: "完成时的结果（导入报告等）" }),
  error: Type.Union([Type.Object({ statusCode: Type.Integer(), code: Type.String(), message: Type.String(), field: Type.Optional(Type.String()) }), Type.Null()]),
});
export const JobAccepted = Type.Object({ job: JobView, url: Type.String({ description: "GET 此地址查看进度" }) });

export const jobView = (j: Job) => ({ ...j, phaseLabel: PHASE_LABEL[j.phase] ?? j.phase, ownerId: undefined });
export const jobAccepted = (j: Job) => ({ job: jobView(j), url: `/jobs/${j.id}` });

const jobRoutes: FastifyPluginAsync = async (fastify) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    "/jobs/:id",
    {
      config: { access: ["admin", "officer", "auditor"] },
      schema: {
        tags: ["jobs"],
        summary: "后台任务（导入、抽取、排期）的进度：阶段、已处理的行数，完成后的结果或错误",
        params: Type.Object({ id: Type.String({ pattern: "^[A-Za-z0-9_-]{8,40}$" }) }),
        response: { 200: JobView, ...errors },
      },
    },
    async (request, reply) => {
      const p = requirePrincipal(request);
      const job = jobsFor(app.ssj, request.log).get(request.params.id);
      if (!job || (p.role === "officer" && job.ownerId !== p.userId)) throw new ApiError(404, "NOT_FOUND", "没有这个后台任务（已结束一小时以上的任务不再保留）");
      reply.header("cache-control", "no-store");
      return jobView(job);
    },
  );
};

export default jobRoutes;
