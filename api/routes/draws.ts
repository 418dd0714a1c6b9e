/**
 * The draw ceremony (docs/draw-spec.md): commit the inputs (published at once) → commit-reveal
 * secrets of every department, or the external public value named in advance → seed → draw once
 * → the record chain (递补, schedules); void with a public reason; manifests; verification.
 *
 * Who may do what is decided by the store (src/store/repos/draws.ts: assertCanRun, assertOwnDepartment
 * …), the same rules for the API and the CLI; the role lists here only keep other roles out early.
 */
import type { FastifyPluginAsync } from "fastify";
import { Type } from "@sinclair/typebox";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { requirePrincipal, type Principal } from "../auth.ts";
import { badRequest } from "../errors.ts";
import { jobsFor } from "../jobs.ts";
import { JobAccepted, jobAccepted } from "./jobs.ts";
import {
  commitDraw,
  drawClassProof,
  enterExternalValue,
  getDraw,
  listBatchDraws,
  manifestText,
  revealSecret,
  runDraw,
  submitSecret,
  substituteInDraw,
  verifyManifestText,
  verifyStoredDraw,
  voidDraw,
  type DrawActor,
} from "../../src/store/repos/draws.ts";
import { getBatch } from "../../src/store/repos/plans.ts";
import { Hex64, IdParams, errors, verifyResult } from "../schemas.ts";

const ALL = ["admin", "officer", "auditor"] as const;
const WRITERS = ["admin", "officer"] as const;
const Code = Type.String({ pattern: "^[0-9A-Z]{15,18}$", description: "统一社会信用代码（18 位）或注册号（15 位）" });

const actorOf = (p: Principal): DrawActor => ({ userId: p.userId, role: p.role, departmentId: p.departmentId });

const Draw = Type.Object({
  id: Type.Integer(),
  batchId: Type.Integer(),
  status: Type.String({ description: "committed（已承诺）| seeded（已生成种子）| drawn（已抽取）| void（已作废）" }),
  statusLabel: Type.String(),
  attempt: Type.Integer({ description: "本批次的第几次抽取（作废后重抽加 1）" }),
  specVersion: Type.String(),
  commitment: Type.String({ description: "承诺值：冻结输入的摘要，在任何种子产生之前公布" }),
  publicDigest: Type.Union([Type.String(), Type.Null()]),
  privateDigest: Type.Union([Type.String(), Type.Null()]),
  frozenAt: Type.Union([Type.String(), Type.Null()]),
  seedPlan: Type.Unknown(),
  secretCommitments: Type.Array(Type.Object({ department: Type.String(), hash: Type.String(), revealed: Type.Boolean(), committedAt: Type.String() })),
  seed: Type.Union([Type.String(), Type.Null()]),
  seedProvenance: Type.Unknown(),
  head: Type.String({ description: "记录链的链头（抽取、递补、排期之后变化；公开清单的 ETag）" }),
  records: Type.Array(Type.Object({ seq: Type.Integer(), kind: Type.String(), at: Type.String(), digest: Type.String() })),
  voidReason: Type.Union([Type.String(), Type.Null()]),
  voidedAt: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  seededAt: Type.Union([Type.String(), Type.Null()]),
  drawnAt: Type.Union([Type.String(), Type.Null()]),
  summary: Type.Object({
    pool: Type.Integer(),
    excluded: Type.Integer(),
    selected: Type.Union([Type.Integer(), Type.Null()]),
    tasks: Type.Union([Type.Integer(), Type.Null()]),
    departments: Type.Array(
      Type.Object({ department: Type.String(), name: Type.String(), excluded: Type.Integer(), frequencyCap: Type.Integer({ description: "其中因同一企业年度检查频次上限排除的" }) }),
      { description: "各部门自己的排除对象数（理由见公示的输入）" },
    ),
  }),
});
const CommitBody = Type.Object(
  {
    seed: Type.Union([
      Type.Object({ mode: Type.Literal("commitReveal") }, { additionalProperties: false, description: "各部门先提交秘密值承诺、再公开秘密值，合成种子" }),
      Type.Object(
        {
          mode: Type.Literal("external"),
          source: Type.String({ minLength: 1, maxLength: 200, description: "外部公开随机数的来源，例如“中国福利彩票 双色球”" }),
          reference: Type.String({ minLength: 1, maxLength: 200, description: "事先确定的期号或轮次，例如“2026135 期”；须为冻结之后才公布的一期" }),
        },
        { additionalProperties: false },
      ),
    ]),
  },
  { additionalProperties: false, examples: [{ seed: { mode: "external", source: "中国福利彩票 双色球", reference: "2026140 期" } }] },
);
const DeptField = { departmentId: Type.Optional(Type.Integer({ minimum: 1, description: "科员：默认本部门" })) };
const Verify = verifyResult("full（完整清单）| public（公开清单）| v1-full | v1-public");

const drawRoutes: FastifyPluginAsync = async (fastify) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const store = app.ssj.store;
  const ownDepartment = (p: Principal, departmentId: number | undefined): number => {
    if (departmentId !== undefined) return departmentId;
    if (p.departmentId === null) throw badRequest("管理员须指明 departmentId", "body.departmentId", "VALIDATION_FAILED");
    return p.departmentId;
  };

  app.post(
    "/batches/:id/draws",
    {
      config: { access: WRITERS },
      schema: {
        tags: ["draws"],
        summary: "冻结批次输入并公布承诺值（只限已批准公布的计划；批次已有进行中的抽取时返回 409）",
        params: IdParams,
        body: CommitBody,
        response: { 201: Draw, ...errors },
      },
    },
    async (request, reply) => {
      const b = await getBatch(store, request.params.id);
      return reply.status(201).send(await commitDraw(store, b.id, request.body.seed, actorOf(requirePrincipal(request)), request.log));
    },
  );

  app.get(
    "/batches/:id/draws",
    { config: { access: ALL }, schema: { tags: ["draws"], summary: "批次的全部抽取（含已作废的）", params: IdParams, response: { 200: Type.Array(Draw), ...errors } } },
    async (request) => listBatchDraws(store, request.params.id, actorOf(requirePrincipal(request))),
  );

  app.get(
    "/draws/:id",
    { config: { access: ALL }, schema: { tags: ["draws"], summary: "一次抽取及其仪式状态", params: IdParams, response: { 200: Draw, ...errors } } },
    async (request) => getDraw(store, request.params.id, actorOf(requirePrincipal(request))),
  );

  app.post(
    "/draws/:id/commitments",
    {
      config: { access: ["officer"] },
      schema: {
        tags: ["draws"],
        summary: "承诺—公开：参与部门的科员提交本部门秘密值（32 字节，在本部门电脑或浏览器上生成）的 SHA-256；管理员不能代交",
        params: IdParams,
        body: Type.Object({ hash: Hex64, ...DeptField }, { additionalProperties: false }),
        response: { 201: Draw, ...errors },
      },
    },
    async (request, reply) => {
      const p = requirePrincipal(request);
      return reply.status(201).send(await submitSecret(store, request.params.id, ownDepartment(p, request.body.departmentId), request.body.hash, actorOf(p), request.log));
    },
  );

  app.post(
    "/draws/:id/reveals",
    {
      config: { access: ["officer"] },
      schema: {
        tags: ["draws"],
        summary: "承诺—公开：各部门都提交承诺后，公开本部门的秘密值；最后一个公开的部门确定种子",
        params: IdParams,
        body: Type.Object({ secret: Hex64, ...DeptField }, { additionalProperties: false }),
        response: { 200: Draw, ...errors },
      },
    },
    async (request) => {
      const p = requirePrincipal(request);
      return revealSecret(store, request.params.id, ownDepartment(p, request.body.departmentId), request.body.secret, actorOf(p), request.log);
    },
  );

  app.post(
    "/draws/:id/external-value",
    {
      config: { access: WRITERS },
      schema: {
        tags: ["draws"],
        summary: "外部种子：录入承诺时已指明的外部公开随机数（其公布时间须晚于输入冻结时间）",
        params: IdParams,
        body: Type.Object(
          { value: Type.String({ minLength: 1, maxLength: 500 }), publishedAt: Type.String({ format: "date-time", description: "该数值的公布时间" }) },
          { additionalProperties: false },
        ),
        response: { 200: Draw, ...errors },
      },
    },
    async (request) => {
      const at = new Date(request.body.publishedAt);
      if (Number.isNaN(at.getTime())) throw badRequest("publishedAt 不是有效的时刻", "body.publishedAt", "VALIDATION_FAILED");
      return enterExternalValue(store, request.params.id, request.body.value, at.toISOString(), actorOf(requirePrincipal(request)), request.log);
    },
  );

  app.post(
    "/draws/:id/run",
    {
      config: { access: WRITERS },
      schema: {
        tags: ["draws"],
        summary: "抽取（只能一次）：检查对象、检查组、任务；再次调用返回 409",
        params: IdParams,
        querystring: Type.Object({ background: Type.Optional(Type.Boolean({ description: "true：立即回答 202 和任务编号，在后台抽取；进度见 GET /jobs/:id" })) }),
        response: { 201: Draw, 202: JobAccepted, ...errors },
      },
    },
    async (request, reply) => {
      const p = requirePrincipal(request);
      const id = request.params.id;
      if (!request.query.background) return reply.status(201).send(await runDraw(store, id, actorOf(p), request.log));
      const job = jobsFor(app.ssj, request.log).start({ kind: "draw", ownerId: p.userId, label: `抽取 ${id}`, target: `/draws/${id}` }, (report) => runDraw(store, id, actorOf(p), request.log, report));
      return reply.status(202).send(jobAccepted(job));
    },
  );

  app.post(
    "/draws/:id/void",
    {
      config: { access: WRITERS },
      schema: {
        tags: ["draws"],
        summary: "作废（须说明理由，理由公开）：作废的抽取连同其结果留在公示记录上，重抽须使用作废之后才产生的新种子",
        params: IdParams,
        body: Type.Object({ reason: Type.String({ minLength: 4, maxLength: 1000 }) }, { additionalProperties: false }),
        response: { 200: Draw, ...errors },
      },
    },
    async (request) => voidDraw(store, request.params.id, request.body.reason, actorOf(requirePrincipal(request)), request.log),
  );

  app.post(
    "/draws/:id/substitutions",
    {
      config: { access: WRITERS },
      schema: {
        tags: ["draws"],
        summary: "递补：按公布的随机顺序由下一位替换抽中的对象或人员（须说明理由），追加到记录链，公示即时更新",
        params: IdParams,
        body: Type.Union([
          Type.Object({ kind: Type.Literal("target"), out: Code, reason: Type.String({ minLength: 2, maxLength: 500 }), ...DeptField }, { additionalProperties: false }),
          Type.Object(
            {
              kind: Type.Literal("inspector"),
              entityCode: Code,
              out: Type.String({ minLength: 1, maxLength: 64, description: "被替换执法人员的执法证号（或专家编号）" }),
              expert: Type.Optional(Type.Boolean()),
              reason: Type.String({ minLength: 2, maxLength: 500 }),
              ...DeptField,
            },
            { additionalProperties: false },
          ),
        ]),
        response: { 201: Type.Object({ in: Type.Union([Type.String(), Type.Null()]), records: Type.Integer(), head: Type.String() }), ...errors },
      },
    },
    async (request, reply) => {
      const p = requirePrincipal(request);
      const b = request.body;
      if (b.kind === "inspector" && b.expert)
        return reply.status(201).send(await substituteInDraw(store, request.params.id, { kind: "inspector", departmentId: "expert", entityCode: b.entityCode, out: b.out, reason: b.reason }, actorOf(p), request.log));
      const departmentId = ownDepartment(p, b.departmentId);
      const req = b.kind === "target" ? { kind: "target" as const, departmentId, out: b.out, reason: b.reason } : { kind: "inspector" as const, departmentId, entityCode: b.entityCode, out: b.out, reason: b.reason };
      return reply.status(201).send(await substituteInDraw(store, request.params.id, req, actorOf(p), request.log));
    },
  );

  app.get(
    "/draws/:id/manifest",
    {
      config: { access: ALL },
      schema: {
        tags: ["draws"],
        summary: "下载抽取清单（规范 JSON，逐字节；用 ssj verify 离线核验）：完整清单（含风险类别和执法人员，供审计）或公开清单",
        params: IdParams,
        querystring: Type.Object({ kind: Type.Optional(Type.Union([Type.Literal("full"), Type.Literal("public")], { default: "full" })) }, { additionalProperties: false }),
        response: { 200: Type.String({ description: "canonical JSON" }), ...errors },
      },
    },
    async (request, reply) => {
      const kind = request.query.kind ?? "full";
      const text = await manifestText(store, request.params.id, kind, actorOf(requirePrincipal(request)));
      return reply
        .header("content-type", "application/json; charset=utf-8")
        .header("content-disposition", `attachment; filename="draw-${request.params.id}-${kind}-manifest.json"`)
        .serializer((s: unknown) => s as string)
        .send(text);
    },
  );

  app.get(
    "/draws/:id/class-proof",
    {
      config: { access: ALL },
      schema: {
        tags: ["draws"],
        summary: "某一企业的风险类别证明：可向该企业出示其本身的类别及与公开类别树根的对应，不泄露任何其他企业的类别",
        params: IdParams,
        querystring: Type.Object({ code: Code }, { additionalProperties: false }),
        response: {
          200: Type.Object({ code: Type.String(), class: Type.String(), salt: Type.String(), path: Type.Array(Type.Unknown()), classRoot: Type.String(), commitment: Type.String() }),
          ...errors,
        },
      },
    },
    async (request) => drawClassProof(store, request.params.id, request.query.code, actorOf(requirePrincipal(request))),
  );

  app.get(
    "/draws/:id/verify",
    {
      config: { access: ALL },
      schema: { tags: ["draws"], summary: "核验存储的抽取：以提交时公布（审计日志记录）的承诺值为准，而不是数据库中的行", params: IdParams, response: { 200: Verify, ...errors } },
    },
    async (request) => verifyStoredDraw(store, request.params.id, actorOf(requirePrincipal(request))),
  );

  // Uploaded manifests are read by the strict reader (duplicate keys, non-integers … are refused),
  // so this route takes the raw body.
  await app.register(async (raw) => {
    raw.addContentTypeParser("application/json", { parseAs: "buffer", bodyLimit: app.ssj.uploadLimit }, (_req, body, done) => done(null, body));
    raw.withTypeProvider<TypeBoxTypeProvider>().post(
      "/draws/verify",
      {
        config: { access: ALL },
        bodyLimit: app.ssj.uploadLimit,
        schema: {
          tags: ["draws"],
          summary: "核验上传的清单（完整或公开，ssj-draw/1 或 /2）：重算承诺值、种子、结果和记录链，指出第一处不一致",
          response: { 200: Verify, ...errors },
        },
      },
      async (request) => {
        const body = request.body as Buffer | undefined;
        if (!body || body.length === 0) throw badRequest("请求体应为抽取清单（JSON）", "body", "VALIDATION_FAILED");
        return verifyManifestText(store, body);
      },
    );
  });
};

export default drawRoutes;
