/**
 * Annual plans and batches. Officers work on their own department's plans; a batch is visible
 * to the officers of every department taking part in it.
 */
import type { FastifyPluginAsync } from "fastify";
import { Type } from "@sinclair/typebox";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { assertDepartment, requirePrincipal, type Principal } from "../auth.ts";
import { badRequest, forbidden } from "../errors.ts";
import { actorOf } from "../../src/store/repos/audit.ts";
import { batchDepartmentIds, createBatch, createPlan, deleteBatch, getBatch, getPlan, listPlans, setPlanStatus, updateBatch, type BatchView } from "../../src/store/repos/plans.ts";
import { ENTITY_KINDS, ENTITY_SIZES } from "../../src/store/values.ts";
import { IdParams, IsoDate, errors } from "../schemas.ts";

const ALL = ["admin", "officer", "auditor"] as const;
const WRITERS = ["admin", "officer"] as const;

const Plan = Type.Object({
  id: Type.Integer(),
  departmentId: Type.Integer(),
  year: Type.Integer(),
  name: Type.String(),
  status: Type.String(),
  createdAt: Type.String(),
});
const PlanDetail = Type.Intersect([
  Plan,
  Type.Object({ batches: Type.Array(Type.Object({ id: Type.Integer(), code: Type.String(), name: Type.String(), status: Type.String() })) }),
]);
const CreatePlan = Type.Object(
  {
    departmentId: Type.Optional(Type.Integer({ minimum: 1, description: "officers: defaults to (and must be) their own" })),
    year: Type.Integer({ minimum: 2000, maximum: 2100 }),
    name: Type.String({ minLength: 1, maxLength: 200 }),
  },
  { additionalProperties: false, examples: [{ year: 2026, name: "2026 年度餐饮服务联合抽查计划" }] },
);
const RiskClass = Type.Union([Type.Literal("A"), Type.Literal("B"), Type.Literal("C"), Type.Literal("D")]);
const Enum = (values: string[], description: string) => Type.Union(values.map((v) => Type.Literal(v)), { description });
const conditionFields = {
  districts: Type.Optional(Type.Array(Type.String({ pattern: "^\\d{2,6}$", description: "2–6 位区划代码（前缀匹配）" }), { minItems: 1, maxItems: 200, uniqueItems: true })),
  industries: Type.Optional(
    Type.Array(Type.String({ pattern: "^([A-T][0-9]{0,4}|[0-9]{1,4})$", description: "GB/T 4754 行业代码或其前缀（门类字母 A–T 和/或数字）" }), { minItems: 1, maxItems: 200, uniqueItems: true }),
  ),
  kinds: Type.Optional(Type.Array(Enum([...ENTITY_KINDS], "主体类型"), { minItems: 1, uniqueItems: true })),
  sizes: Type.Optional(Type.Array(Enum([...ENTITY_SIZES], "企业规模"), { minItems: 1, uniqueItems: true })),
};
const Conditions = Type.Object(conditionFields, { additionalProperties: false, description: "定向条件：各条件之间为“且”，条件内为“或”；区划和行业按前缀匹配" });
const DepartmentConditions = Type.Object(conditionFields, {
  additionalProperties: false,
  description: "本部门自己的定向条件（仅定向批次；不给或为 {} 时用批次的 conditions）。抽取时冻结进本部门的抽取范围并公示。",
});
const CreateBatch = Type.Object(
  {
    code: Type.String({ minLength: 1, maxLength: 60 }),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    directed: Type.Boolean(),
    conditions: Conditions,
    windowStart: IsoDate,
    windowEnd: IsoDate,
    jointTemplateId: Type.Optional(Type.Union([Type.Integer({ minimum: 1 }), Type.Null()])),
    departments: Type.Array(
      Type.Object(
        {
          departmentId: Type.Integer({ minimum: 1 }),
          role: Type.Union([Type.Literal("lead"), Type.Literal("partner")]),
          itemIds: Type.Array(Type.Integer({ minimum: 1 }), { minItems: 1, uniqueItems: true }),
          conditions: Type.Optional(DepartmentConditions),
          samplingRules: Type.Array(
            Type.Object(
              {
                riskClass: RiskClass,
                ratioPerMille: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })),
                count: Type.Optional(Type.Integer({ minimum: 0 })),
              },
              { additionalProperties: false },
            ),
            { maxItems: 4 },
          ),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 20 },
    ),
  },
  {
    additionalProperties: false,
    // A valid request on the demo city (市场监管 D01 leads, 城管执法 D10 partners; general items,
    // ratios within the 一般 caps): each quota gives either ratioPerMille or count, never both.
    examples: [
      {
        code: "2026-CY-01",
        name: "餐饮服务联合抽查",
        directed: false,
        conditions: {},
        windowStart: "2026-11-02",
        windowEnd: "2026-12-31",
        departments: [
          { departmentId: 1, role: "lead", itemIds: [1], samplingRules: [{ riskClass: "A", ratioPerMille: 30 }, { riskClass: "B", ratioPerMille: 100 }, { riskClass: "C", count: 5 }] },
          { departmentId: 10, role: "partner", itemIds: [64], samplingRules: [{ riskClass: "A", ratioPerMille: 20 }, { riskClass: "B", count: 5 }] },
        ],
      },
    ],
  },
);
export const Batch = Type.Object({
  id: Type.Integer(),
  planId: Type.Integer(),
  planDepartmentId: Type.Integer(),
  year: Type.Integer(),
  code: Type.String(),
  name: Type.String(),
  directed: Type.Boolean(),
  conditions: Type.Unknown(),
  windowStart: Type.String(),
  windowEnd: Type.String(),
  jointTemplateId: Type.Union([Type.Integer(), Type.Null()]),
  status: Type.String(),
  departments: Type.Array(
    Type.Object({
      departmentId: Type.Integer(),
      departmentName: Type.String(),
      role: Type.String(),
      itemIds: Type.Array(Type.Integer()),
      samplingRules: Type.Array(
        Type.Object({ riskClass: Type.String(), ratioPerMille: Type.Union([Type.Integer(), Type.Null()]), count: Type.Union([Type.Integer(), Type.Null()]) }),
      ),
      conditions: Type.Union([Type.Object({ districts: Type.Optional(Type.Array(Type.String())), industries: Type.Optional(Type.Array(Type.String())), kinds: Type.Optional(Type.Array(Type.String())), sizes: Type.Optional(Type.Array(Type.String())) }), Type.Null()], {
        description: "本部门自己的定向条件；null = 批次的条件适用",
      }),
    }),
  ),
  liveDrawId: Type.Union([Type.Integer(), Type.Null()]),
});

/** Officers see a batch only when their department takes part in it. */
export function assertBatchAccess(p: Principal, b: BatchView): void {
  if (p.role === "officer" && !batchDepartmentIds(b).includes(p.departmentId!)) {
    throw forbidden("执法人员只能访问本部门参与的批次");
  }
}

const planRoutes: FastifyPluginAsync = async (fastify) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const store = app.ssj.store;

  app.get(
    "/plans",
    {
      config: { access: ALL },
      schema: {
        tags: ["plans"],
        summary: "年度抽查计划列表（科员：本部门的计划）",
        querystring: Type.Object({ department: Type.Optional(Type.Integer({ minimum: 1 })), year: Type.Optional(Type.Integer()) }),
        response: { 200: Type.Array(Plan), ...errors },
      },
    },
    async (request) => {
      const p = requirePrincipal(request);
      let departmentId = request.query.department;
      if (p.role === "officer") {
        departmentId ??= p.departmentId!;
        assertDepartment(p, departmentId, "该计划列表");
      }
      return listPlans(store, { departmentId, year: request.query.year });
    },
  );

  app.post(
    "/plans",
    {
      config: { access: WRITERS },
      schema: { tags: ["plans"], summary: "新建年度抽查计划（草稿）", body: CreatePlan, response: { 201: Plan, ...errors } },
    },
    async (request, reply) => {
      const p = requirePrincipal(request);
      const departmentId = request.body.departmentId ?? p.departmentId;
      if (departmentId == null) throw badRequest("请指定 departmentId（计划所属部门）", "body.departmentId", "VALIDATION_FAILED");
      assertDepartment(p, departmentId, "该计划");
      const plan = await createPlan(store, { departmentId, year: request.body.year, name: request.body.name }, actorOf(p));
      return reply.status(201).send(plan);
    },
  );

  app.get(
    "/plans/:id",
    { config: { access: ALL }, schema: { tags: ["plans"], summary: "一个计划及其批次", params: IdParams, response: { 200: PlanDetail, ...errors } } },
    async (request) => {
      const plan = await getPlan(store, request.params.id);
      assertDepartment(requirePrincipal(request), plan.departmentId, "该计划");
      return plan;
    },
  );

  app.post(
    "/plans/:id/status",
    {
      config: { access: WRITERS },
      schema: {
        tags: ["plans"],
        summary: "批准计划（即公示）或关闭计划",
        description: "批准后计划及其全部批次公示（公开编号即计划和批次的编号）；已批准的计划不能退回草稿（409 PLAN_PUBLISHED），关闭后仍保留公示。",
        params: IdParams,
        body: Type.Object({ status: Type.Union([Type.Literal("draft"), Type.Literal("approved"), Type.Literal("closed")]) }, { additionalProperties: false }),
        response: { 200: Plan, ...errors },
      },
    },
    async (request) => {
      const p = requirePrincipal(request);
      const plan = await getPlan(store, request.params.id);
      assertDepartment(p, plan.departmentId, "该计划");
      return setPlanStatus(store, plan.id, request.body.status, actorOf(p), request.log);
    },
  );

  app.post(
    "/plans/:id/batches",
    {
      config: { access: WRITERS },
      schema: {
        tags: ["plans"],
        summary: "新增批次：牵头和配合部门、各部门的检查事项和抽取数量、定向条件、检查时间",
        description: "已批准计划新增的批次立即出现在公示的计划中。",
        params: IdParams,
        body: CreateBatch,
        response: { 201: Batch, ...errors },
      },
    },
    async (request, reply) => {
      const p = requirePrincipal(request);
      const plan = await getPlan(store, request.params.id);
      assertDepartment(p, plan.departmentId, "该计划");
      const batch = await createBatch(store, plan.id, request.body, actorOf(p), request.log);
      return reply.status(201).send(batch);
    },
  );

  app.get(
    "/batches/:id",
    { config: { access: ALL }, schema: { tags: ["plans"], summary: "一个批次", params: IdParams, response: { 200: Batch, ...errors } } },
    async (request) => {
      const b = await getBatch(store, request.params.id);
      assertBatchAccess(requirePrincipal(request), b);
      return b;
    },
  );

  app.put(
    "/batches/:id",
    {
      config: { access: WRITERS },
      schema: {
        tags: ["plans"],
        summary: "修改批次（尚无任何抽取时）：部门、事项、定向条件、时间窗口、抽取比例整体替换",
        description: "批次一旦有抽取（输入已冻结并公布，作废的也算）即不能修改（409 BATCH_COMMITTED）。已公示计划的批次修改后立即重新公示。",
        params: IdParams,
        body: CreateBatch,
        response: { 200: Batch, ...errors },
      },
    },
    async (request) => {
      const p = requirePrincipal(request);
      const b = await getBatch(store, request.params.id);
      assertDepartment(p, b.planDepartmentId, "该批次的计划");
      return updateBatch(store, b.id, request.body, actorOf(p), request.log);
    },
  );

  app.delete(
    "/batches/:id",
    {
      config: { access: WRITERS },
      schema: {
        tags: ["plans"],
        summary: "删除草稿计划中尚无抽取的批次",
        description: "已批准（已公示）计划的批次留在公示记录上，不能删除（409 PLAN_PUBLISHED）；有抽取的批次不能删除（409 BATCH_COMMITTED）。",
        params: IdParams,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      const p = requirePrincipal(request);
      const b = await getBatch(store, request.params.id);
      assertDepartment(p, b.planDepartmentId, "该批次的计划");
      await deleteBatch(store, b.id, actorOf(p));
      return reply.status(204).send(null);
    },
  );
};

export default planRoutes;
