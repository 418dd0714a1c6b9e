/**
 * Overviews for people (the console) and other systems: every draw with its status (officers: the
 * batches their department takes part in), dashboard figures per year and department (officers:
 * their own), and the draw rules in force (the caps a batch form enforces while quotas are typed;
 * they are public inputs of every draw anyway).
 */
import type { FastifyPluginAsync } from "fastify";
import { Type } from "@sinclair/typebox";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { assertDepartment, requirePrincipal } from "../auth.ts";
import { dashboard, drawRules, listDraws } from "../../src/store/repos/overview.ts";
import { errors } from "../schemas.ts";

const ALL = ["admin", "officer", "auditor"] as const;
const DrawSummary = Type.Object({
  id: Type.Integer(),
  batchId: Type.Integer(),
  batchCode: Type.String(),
  batchName: Type.String(),
  planId: Type.Integer(),
  planName: Type.String(),
  year: Type.Integer(),
  departments: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String(), role: Type.String() })),
  status: Type.String({ description: "committed | seeded | drawn | void" }),
  statusLabel: Type.String(),
  attempt: Type.Integer(),
  commitment: Type.String(),
  createdAt: Type.String(),
  seededAt: Type.Union([Type.String(), Type.Null()]),
  drawnAt: Type.Union([Type.String(), Type.Null()]),
  voidedAt: Type.Union([Type.String(), Type.Null()]),
  voidReason: Type.Union([Type.String(), Type.Null()]),
});
const Count = Type.Integer({ minimum: 0 });

const overviewRoutes: FastifyPluginAsync = async (fastify) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const store = app.ssj.store;

  app.get(
    "/draws",
    {
      config: { access: ALL },
      schema: {
        tags: ["draws"],
        summary: "全部抽取（新的在前）及其状态：承诺、种子、抽取、作废（含理由）；科员只看到本部门参与的批次",
        querystring: Type.Object({
          status: Type.Optional(Type.Union([Type.Literal("committed"), Type.Literal("seeded"), Type.Literal("drawn"), Type.Literal("void")])),
          year: Type.Optional(Type.Integer({ minimum: 2000, maximum: 2100 })),
          department: Type.Optional(Type.Integer({ minimum: 1 })),
          limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
          offset: Type.Integer({ minimum: 0, default: 0 }),
        }),
        response: { 200: Type.Object({ total: Type.Integer(), items: Type.Array(DrawSummary) }), ...errors },
      },
    },
    async (request) => {
      const p = requirePrincipal(request);
      let departmentId = request.query.department;
      if (p.role === "officer") {
        departmentId ??= p.departmentId!;
        assertDepartment(p, departmentId, "该抽取列表");
      }
      return listDraws(store, { departmentId, status: request.query.status, year: request.query.year, limit: request.query.limit, offset: request.query.offset });
    },
  );

  app.get(
    "/stats",
    {
      config: { access: ALL },
      schema: {
        tags: ["results"],
        summary: "统计：某年（某部门）的计划、抽取、联合检查占比、结果分类、按时公示情况；科员只能看本部门",
        querystring: Type.Object({ year: Type.Integer({ minimum: 2000, maximum: 2100, examples: [2026] }), department: Type.Optional(Type.Integer({ minimum: 1 })) }),
        response: {
          200: Type.Object({
            year: Type.Integer(),
            departmentId: Type.Union([Type.Integer(), Type.Null()]),
            plans: Type.Object({ total: Count, approved: Count, draft: Count, closed: Count }),
            batches: Type.Object({ total: Count, drawn: Count }),
            tasks: Type.Object({ total: Count, random: Count, directed: Count, open: Count, scheduled: Count, done: Count, cancelled: Count }),
            joint: Type.Object({ visits: Count, jointVisits: Count, tasksInVisits: Count, tasksInJointVisits: Count, share: Type.Union([Type.Number(), Type.Null()], { description: "联合检查中完成的任务占已排期任务的比例" }) }),
            results: Type.Object({ recorded: Count, byCategory: Type.Record(Type.String(), Count) }),
            publication: Type.Object({ published: Count, onTime: Count, late: Count, unpublished: Count }),
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
        assertDepartment(p, departmentId, "这些统计数字");
      }
      return dashboard(store, { year: request.query.year, departmentId });
    },
  );

  app.get(
    "/draw-rules",
    {
      config: { access: ALL },
      schema: {
        tags: ["configuration"],
        summary: "现行抽取规则：一般检查事项各风险类别的比例上限、检查组规则、候补数（每次抽取时冻结并公开）",
        response: {
          200: Type.Object({
            generalRatioCap: Type.Record(Type.String(), Type.String()),
            capPerMille: Type.Record(Type.String(), Type.Integer(), { description: "以千分比表示的上限（向下取整）" }),
            substitutes: Type.Integer(),
            team: Type.Record(Type.String(), Type.Unknown()),
          }),
          ...errors,
        },
      },
    },
    async () => drawRules(store),
  );
};

export default overviewRoutes;
