/**
 * Tasks, results and publication (谁检查、谁录入、谁公开): officers record and publish the results
 * of their own department's tasks; auditors and admins read. Deadlines: 20 working days after the
 * check (src/calendar); a year without holiday data → 422 HOLIDAY_DATA_MISSING.
 */
import type { FastifyPluginAsync } from "fastify";
import { Type } from "@sinclair/typebox";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { assertDepartment, requirePrincipal } from "../auth.ts";
import { actorOf } from "../../src/store/repos/audit.ts";
import { createDirectedTask, getTask, listTasks, publicationDeadlines, publishResult, recordResult } from "../../src/store/repos/results.ts";
import { badRequest } from "../errors.ts";
import { getBatch } from "../../src/store/repos/plans.ts";
import { assertCanRead, drawScope } from "../../src/store/repos/draws.ts";
import { assertBatchAccess } from "./plans.ts";
import { categoriesFor } from "../../src/store/repos/settings.ts";
import { IdParams, IsoDate, errors } from "../schemas.ts";
import { DIRECTED_KINDS, STORED_DIRECTED_KINDS, type DirectedKind, type StoredDirectedKind } from "../../src/store/values.ts";

const ALL = ["admin", "officer", "auditor"] as const;
const OFFICER = ["officer"] as const;
const Null = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
/** One enum (one clear validation error naming the field), not a union of literals. */
const DirectedKindSchema = (description: string) => Type.Unsafe<DirectedKind>({ type: "string", enum: [...DIRECTED_KINDS], description });

const Task = Type.Object({
  id: Type.Integer(),
  taskNo: Type.String(),
  entity: Type.Object({ id: Type.Integer(), code: Type.String(), name: Type.String() }),
  departmentId: Type.Integer(),
  batchId: Null(Type.Integer()),
  drawId: Null(Type.Integer()),
  kind: Type.String({ description: "random（双随机抽取）或 directed（定向检查）" }),
  directedKind: Type.Union([
    Type.Unsafe<StoredDirectedKind>({
      type: "string",
      enum: [...STORED_DIRECTED_KINDS],
      description: "定向检查的类型：complaint 投诉举报、referral 转办交办、dataAlert 数据监测；审管联动的 commitment 告知承诺核查、riskAlert 风险预警、followUp 复核后续监管；unspecified 未注明（早期记录）。公示时只显示类型和检查事项",
    }),
    Type.Null(),
  ]),
  directedReason: Null(Type.String({ description: "定向检查的事由（内部记录，仅本部门执法人员、管理员和审计人员可见，永不公示）" })),
  windowStart: Type.String(),
  windowEnd: Type.String(),
  status: Type.String(),
  itemIds: Type.Array(Type.Integer()),
  result: Null(
    Type.Object({
      categories: Type.Array(Type.String()),
      checkDate: Type.String(),
      recorderId: Type.Integer(),
      note: Null(Type.String()),
      updatedAt: Type.String(),
      publication: Null(Type.Object({ publishedAt: Type.String(), deadline: Type.String(), publisherId: Type.Integer() })),
    }),
  ),
});
const DeadlineEntry = Type.Object({
  taskId: Type.Integer(),
  taskNo: Type.String(),
  entityCode: Type.String(),
  entityName: Type.String(),
  checkDate: Type.String(),
  deadline: Type.String(),
  workingDaysLeft: Type.Integer(),
});

const resultRoutes: FastifyPluginAsync = async (fastify) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const store = app.ssj.store;

  app.get(
    "/result-categories",
    {
      config: { access: ALL },
      schema: {
        tags: ["results"],
        summary: "检查结果类别（代码和配置的名称）",
        response: { 200: Type.Array(Type.Object({ code: Type.String(), label: Type.String(), group: Type.String(), parent: Type.Optional(Type.String()) })), ...errors },
      },
    },
    async () => categoriesFor(store),
  );

  app.get(
    "/tasks",
    {
      config: { access: ALL },
      schema: {
        tags: ["results"],
        summary: "检查任务（科员默认本部门）",
        querystring: Type.Object({
          department: Type.Optional(Type.Integer({ minimum: 1 })),
          batch: Type.Optional(Type.Integer({ minimum: 1 })),
          draw: Type.Optional(Type.Integer({ minimum: 1 })),
          status: Type.Optional(Type.Union([Type.Literal("open"), Type.Literal("scheduled"), Type.Literal("done"), Type.Literal("cancelled")])),
          limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
          offset: Type.Integer({ minimum: 0, default: 0 }),
        }),
        response: { 200: Type.Object({ total: Type.Integer(), items: Type.Array(Task) }), ...errors },
      },
    },
    async (request) => {
      const p = requirePrincipal(request);
      const q = request.query;
      let departmentId = q.department;
      if (p.role === "officer") {
        departmentId ??= p.departmentId!;
        assertDepartment(p, departmentId, "这些任务");
        // Another department's batch or draw is refused, not answered with an empty list.
        if (q.batch !== undefined) assertBatchAccess(p, await getBatch(store, q.batch));
        if (q.draw !== undefined) assertCanRead({ userId: p.userId, role: p.role, departmentId: p.departmentId }, await drawScope(store.prisma, q.draw));
      }
      return listTasks(store, { departmentId, batchId: q.batch, drawId: q.draw, status: q.status, limit: q.limit, offset: q.offset });
    },
  );

  app.post(
    "/tasks",
    {
      config: { access: ["admin", "officer"] },
      schema: {
        tags: ["results"],
        summary: "登记定向检查（投诉举报、转办交办、数据监测）",
        description:
          "定向（非随机）检查：`directedKind` 是公开的类型，结果公示时任务名称为“定向检查：投诉举报 · 检查事项名称”；" +
          "`reason` 是内部事由（工单号、投诉内容、投诉人信息），只有本部门执法人员、管理员和审计人员能看到，永不公示。",
        body: Type.Object(
          {
            entityCode: Type.String({ pattern: "^[0-9A-Za-z]{15,18}$", description: "统一社会信用代码或注册号" }),
            departmentId: Type.Optional(Type.Integer({ minimum: 1, description: "检查部门；执法人员默认本部门" })),
            itemIds: Type.Array(Type.Integer({ minimum: 1 }), { minItems: 1, uniqueItems: true, description: "本部门抽查事项清单中的检查事项（名称会公示）" }),
            directedKind: DirectedKindSchema("定向检查的类型（公示）：complaint 投诉举报、referral 转办交办、dataAlert 数据监测"),
            reason: Type.String({ minLength: 2, maxLength: 500, description: "内部事由，永不公示，例如“12345 热线工单 #2026-0815，投诉人及联系方式”" }),
            windowStart: IsoDate,
            windowEnd: IsoDate,
          },
          { additionalProperties: false },
        ),
        response: { 201: Task, ...errors },
      },
    },
    async (request, reply) => {
      const p = requirePrincipal(request);
      const departmentId = request.body.departmentId ?? p.departmentId;
      if (departmentId == null) throw badRequest("body.departmentId：请指定检查部门", "body.departmentId", "VALIDATION_FAILED");
      assertDepartment(p, departmentId, "该任务");
      return reply.status(201).send(await createDirectedTask(store, { ...request.body, departmentId }, actorOf(p)));
    },
  );

  app.get(
    "/tasks/:id",
    { config: { access: ALL }, schema: { tags: ["results"], summary: "一项任务及其检查结果", params: IdParams, response: { 200: Task, ...errors } } },
    async (request) => {
      const t = await getTask(store, request.params.id);
      assertDepartment(requirePrincipal(request), t.departmentId, "该任务");
      return t;
    },
  );

  app.put(
    "/tasks/:id/result",
    {
      config: { access: OFFICER },
      schema: {
        tags: ["results"],
        summary: "录入（公示前可修改）本部门任务的检查结果",
        params: IdParams,
        body: Type.Object(
          {
            categories: Type.Array(Type.String({ minLength: 1, maxLength: 80 }), { maxItems: 20, description: "result-category codes (multi-select)" }),
            checkDate: IsoDate,
            note: Type.Optional(Type.String({ maxLength: 2000, description: "internal, never published" })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Task, ...errors },
      },
    },
    async (request) => {
      const p = requirePrincipal(request);
      const t = await getTask(store, request.params.id);
      assertDepartment(p, t.departmentId, "该任务");
      return recordResult(store, t.id, request.body, p.userId, actorOf(p));
    },
  );

  app.post(
    "/tasks/:id/publish",
    {
      config: { access: OFFICER },
      schema: {
        tags: ["results"],
        summary: "公示检查结果（一公开）：确定 20 个工作日期限并更新公示页",
        params: IdParams,
        response: { 200: Task, ...errors },
      },
    },
    async (request) => {
      const p = requirePrincipal(request);
      const t = await getTask(store, request.params.id);
      assertDepartment(p, t.departmentId, "该任务");
      return publishResult(store, t.id, p.userId, actorOf(p), request.log);
    },
  );

  app.get(
    "/results/deadlines",
    {
      config: { access: ALL },
      schema: {
        tags: ["results"],
        summary: "未公示的结果：已逾期、即将到期（dueSoonDays 个工作日内）、无法计算期限（缺节假日数据）",
        querystring: Type.Object({
          department: Type.Optional(Type.Integer({ minimum: 1 })),
          dueSoonDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 60 })),
        }),
        response: {
          200: Type.Object({
            today: Type.String(),
            overdue: Type.Array(DeadlineEntry),
            dueSoon: Type.Array(DeadlineEntry),
            undetermined: Type.Array(Type.Object({ taskId: Type.Integer(), taskNo: Type.String(), checkDate: Type.String(), year: Type.Integer(), reason: Type.String() })),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      const p = requirePrincipal(request);
      let departmentId = request.query.department;
      if (p.role === "officer") {
        departmentId ??= p.departmentId!;
        assertDepartment(p, departmentId, "这些结果");
      }
      return publicationDeadlines(store, departmentId, { dueSoonDays: request.query.dueSoonDays });
    },
  );
};

export default resultRoutes;
