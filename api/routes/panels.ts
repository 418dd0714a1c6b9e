/**
 * 专家和人员抽取 for approvals (docs/approvals.md, docs/draw-spec.md §15): the approval bureau
 * records the 事由 (现场踏勘 / 技术审查 / 听证论证 / 验收) and its seats, commits the inputs (published
 * at once), gets a seed (commit-reveal among the case's departments, or an external value named in
 * advance), draws once, substitutes from the published order, voids with a public reason; anyone
 * verifies the manifest offline (`ssj verify`). Expert libraries (专家库) of the supervising
 * departments. The public record (/api/public/panel-draws) names no person.
 *
 * Who may do what is decided by the store (src/store/repos/panels.ts), for the API and the CLI alike.
 */
import type { FastifyPluginAsync } from "fastify";
import { Type } from "@sinclair/typebox";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { requirePrincipal, type Principal } from "../auth.ts";
import { badRequest } from "../errors.ts";
import {
  commitPanelDraw,
  createExpert,
  createPanel,
  updateExpert,
  enterPanelExternal,
  getPanel,
  getPanelDraw,
  listExperts,
  listPanels,
  listPublicPanelDraws,
  panelManifestText,
  publicPanelDraw,
  publicPanelManifestText,
  revealPanelSecret,
  runPanelDraw,
  submitPanelSecret,
  substitutePanel,
  verifyPanelText,
  verifyStoredPanelDraw,
  voidPanelDraw,
  type PanelActor,
} from "../../src/store/repos/panels.ts";
import { errors, ExpertView, Hex64, IdParams, IsoDate, Page, verifyResult } from "../schemas.ts";

const ALL = ["admin", "officer", "auditor"] as const;
const WRITERS = ["admin", "officer"] as const;
const actorOf = (p: Principal): PanelActor => ({ userId: p.userId, role: p.role, departmentId: p.departmentId });
const N = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

const Purpose = Type.Union([Type.Literal("siteVisit"), Type.Literal("technicalReview"), Type.Literal("hearing"), Type.Literal("acceptance")], {
  description: "siteVisit 现场踏勘 | technicalReview 技术审查 | hearing 听证论证 | acceptance 验收",
});
const SeatIn = Type.Union([
  Type.Object(
    { id: Type.String({ minLength: 1, maxLength: 64, description: "席位编号，如 E1" }), kind: Type.Literal("expert"), speciality: Type.String({ minLength: 1, maxLength: 200, description: "专家专业" }), count: Type.Integer({ minimum: 1, maximum: 20, description: "人数" }) },
    { additionalProperties: false, description: "专家席位：从各监管部门开放的专家库中按专业和区域抽取" },
  ),
  Type.Object(
    {
      id: Type.String({ minLength: 1, maxLength: 64 }),
      kind: Type.Literal("officer"),
      departmentId: Type.Integer({ minimum: 1, maximum: 2147483647, description: "同级监管部门" }),
      qualifications: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { description: "须具备的执法资质" })),
      count: Type.Integer({ minimum: 1, maximum: 20 }),
    },
    { additionalProperties: false, description: "监管人员席位：从该监管部门的执法人员中抽取" },
  ),
]);
const Seat = Type.Unknown({ description: "席位：{ id, kind: 'expert', speciality, count } 或 { id, kind: 'officer', department（部门代码）, qualifications, count }" });
const PanelDraw = Type.Object({
  id: Type.Integer(),
  panelId: Type.Integer(),
  status: Type.String({ description: "committed（已承诺）| seeded（已生成种子）| drawn（已抽取）| void（已作废）" }),
  statusLabel: Type.String(),
  attempt: Type.Integer(),
  commitment: Type.String({ description: "承诺值：冻结输入的摘要，在任何种子产生之前公布" }),
  publicDigest: Type.String(),
  privateDigest: Type.String(),
  frozenAt: Type.String(),
  seedPlan: Type.Unknown(),
  secretCommitments: Type.Array(Type.Object({ department: Type.String(), hash: Type.String(), revealed: Type.Boolean(), committedAt: Type.String() })),
  seed: N(Type.String()),
  head: Type.String({ description: "记录链的链头" }),
  records: Type.Array(Type.Object({ seq: Type.Integer(), kind: Type.String(), at: Type.String(), digest: Type.String() })),
  seats: Type.Union([Type.Array(Type.Object({ seat: Type.String(), required: Type.Integer(), persons: Type.Array(Type.String(), { description: "专家或人员的证件号（不公开）" }), shortfall: Type.Integer() })), Type.Null()]),
  voidReason: N(Type.String()),
  voidedAt: N(Type.String()),
  drawnAt: N(Type.String()),
});
const Panel = Type.Object({
  id: Type.Integer(),
  bureauId: Type.Integer(),
  purpose: Type.String(),
  purposeLabel: Type.String(),
  name: Type.String(),
  applicationNo: Type.String(),
  decisionId: Type.Union([Type.Integer(), Type.Null()]),
  subjectCode: Type.String(),
  subjectDistrict: Type.String(),
  day: Type.String(),
  seats: Type.Array(Seat),
  recusals: Type.Integer({ description: "申报的回避人数（内容不公开）" }),
  createdAt: Type.String(),
  draws: Type.Array(PanelDraw),
});
const PublicPanel = Type.Object({
  id: Type.Integer(),
  panel: Type.Object({ id: Type.Integer(), name: Type.String(), purpose: Type.String(), purposeLabel: Type.String(), day: Type.String(), bureau: Type.String() }),
  attempt: Type.Integer(),
  status: Type.String(),
  statusLabel: Type.String(),
  method: Type.String({ description: "抽取方法" }),
  commitment: Type.String(),
  frozenAt: Type.String(),
  seedPlan: Type.Unknown(),
  seed: N(Type.String()),
  seedProvenance: Type.Unknown(),
  head: Type.String(),
  manifestDigest: Type.String({ description: "公开清单的 SHA-256（规范 JSON）" }),
  seats: Type.Array(
    Type.Object({
      seat: Type.String(),
      kind: Type.String(),
      speciality: Type.Optional(Type.String()),
      department: Type.Optional(Type.String()),
      required: Type.Integer(),
      drawn: Type.Union([Type.Integer(), Type.Null()]),
      shortfall: Type.Union([Type.Integer(), Type.Null()]),
    }),
  ),
  records: Type.Array(Type.Object({ seq: Type.Integer(), kind: Type.String(), at: Type.String(), digest: Type.String() })),
  voidReason: N(Type.String()),
  voidedAt: N(Type.String()),
});
const Expert = ExpertView;
const Verify = verifyResult("full（完整清单）| public（公开清单）");
const Reason = Type.String({ minLength: 1, maxLength: 500 });
const tags = ["panels"];

const panelRoutes: FastifyPluginAsync = async (fastify) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const store = app.ssj.store;
  const actor = (r: Parameters<typeof requirePrincipal>[0]) => actorOf(requirePrincipal(r));
  const pub = { access: "public" as const, rateLimit: app.ssj.publicRateLimit };

  app.get(
    "/experts",
    {
      config: { access: ALL },
      schema: {
        tags,
        summary: "专家库：管理员、审计人员和行政审批部门可查看各监管部门开放的专家库，监管部门科员只能查看本部门的",
        querystring: Type.Object({ department: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647 })), speciality: Type.Optional(Type.String({ minLength: 1 })) }, { additionalProperties: false }),
        response: { 200: Type.Array(Expert), ...errors },
      },
    },
    async (request) => listExperts(store, actor(request), request.query),
  );

  app.post(
    "/experts",
    {
      config: { access: WRITERS },
      schema: {
        tags,
        summary: "向本部门专家库添加专家（管理员可指定部门，或 null 表示共享专家库）；可附该专家须回避的企业",
        body: Type.Object(
          {
            departmentId: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 2147483647 }), Type.Null()])),
            name: Type.String({ minLength: 1, maxLength: 100 }),
            certificateNo: Type.String({ minLength: 1, maxLength: 64, description: "证件号：专家在抽取清单中的编号（不公开）" }),
            organization: Type.Optional(Type.String({ maxLength: 200 })),
            specialities: Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { minItems: 1, maxItems: 50 }),
            districts: Type.Array(Type.String({ pattern: "^[0-9]{2,6}$" }), { maxItems: 100, description: "可服务的区划码前缀" }),
            unavailable: Type.Optional(Type.Array(IsoDate, { maxItems: 366, description: "不能参加的日期" })),
            recusals: Type.Optional(Type.Array(Type.Object({ code: Type.String({ pattern: "^[0-9A-Z]{1,23}$" }), reason: Type.String({ minLength: 1 }) }, { additionalProperties: false }), { maxItems: 100 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: Expert, ...errors },
      },
    },
    async (request, reply) => reply.status(201).send(await createExpert(store, request.body, actor(request))),
  );

  app.put(
    "/experts/:id",
    {
      config: { access: WRITERS },
      schema: {
        tags,
        summary: "维护本部门专家库中的专家（停用、专业、服务区域、不能参加的日期、新增回避）；已承诺的抽取保留其冻结的名录",
        params: IdParams,
        body: Type.Object(
          {
            active: Type.Optional(Type.Boolean({ description: "false：停用（不再被抽取）" })),
            specialities: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { minItems: 1, maxItems: 50 })),
            districts: Type.Optional(Type.Array(Type.String({ pattern: "^[0-9]{2,6}$" }), { maxItems: 100 })),
            unavailable: Type.Optional(Type.Array(IsoDate, { maxItems: 366 })),
            organization: Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Null()])),
            recusals: Type.Optional(Type.Array(Type.Object({ code: Type.String({ pattern: "^[0-9A-Z]{1,23}$" }), reason: Type.String({ minLength: 1 }) }, { additionalProperties: false }), { maxItems: 100 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Expert, ...errors },
      },
    },
    async (request) => updateExpert(store, request.params.id, request.body, actor(request)),
  );

  app.get(
    "/panels",
    { config: { access: ALL }, schema: { tags, summary: "抽取事由列表：科员只看到本部门参与的（审批部门或提供监管人员的部门）", response: { 200: Type.Array(Panel), ...errors } } },
    async (request) => listPanels(store, actor(request)),
  );

  app.post(
    "/panels",
    {
      config: { access: WRITERS },
      schema: {
        tags,
        summary: "行政审批部门登记抽取事由（现场踏勘、技术审查、听证论证、验收）及其席位",
        body: Type.Object(
          {
            bureauId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647, description: "管理员须指明审批部门；科员默认本部门" })),
            purpose: Purpose,
            name: Type.String({ minLength: 1, maxLength: 200 }),
            applicationNo: Type.String({ minLength: 1, maxLength: 200, description: "办件编号" }),
            decisionId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647, description: "关联的审批决定（验收等）" })),
            subjectCode: Type.String({ pattern: "^[0-9A-Z]{1,23}$", description: "申请人统一社会信用代码（不公开）" }),
            subjectDistrict: Type.String({ pattern: "^[0-9]{6}$", description: "申请人所在区划码（不公开）" }),
            day: IsoDate,
            seats: Type.Array(SeatIn, { minItems: 1, maxItems: 50 }),
            recusals: Type.Optional(Type.Array(Type.Object({ person: Type.String({ minLength: 1, maxLength: 64, description: "专家或执法人员的证件号" }), reason: Type.String({ minLength: 1 }) }, { additionalProperties: false }), { maxItems: 200, description: "本件申报的回避（不公开）" })),
          },
          { additionalProperties: false },
        ),
        response: { 201: Panel, ...errors },
      },
    },
    async (request, reply) => reply.status(201).send(await createPanel(store, request.body, actor(request))),
  );

  app.get("/panels/:id", { config: { access: ALL }, schema: { tags, summary: "抽取事由及其各次抽取（含抽中人员，只限审批部门和参与部门）", params: IdParams, response: { 200: Panel, ...errors } } }, async (request) =>
    getPanel(store, request.params.id, actor(request)),
  );

  app.post(
    "/panels/:id/draws",
    {
      config: { access: WRITERS },
      schema: {
        tags,
        summary: "冻结专家和人员名录并公布承诺值（已有进行中的抽取时返回 409）",
        params: IdParams,
        body: Type.Object(
          {
            seed: Type.Union([
              Type.Object({ mode: Type.Literal("commitReveal") }, { additionalProperties: false, description: "审批部门和提供人员的监管部门各自提交秘密值承诺、再公开，合成种子" }),
              Type.Object({ mode: Type.Literal("external"), source: Type.String({ minLength: 1, maxLength: 200 }), reference: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false, description: "事先指定、冻结之后才公布的外部公开随机数" }),
            ]),
            reserves: Type.Optional(Type.Integer({ minimum: 0, maximum: 20, default: 2, description: "每个席位公布顺序中的候补人数" })),
          },
          { additionalProperties: false },
        ),
        response: { 201: PanelDraw, ...errors },
      },
    },
    async (request, reply) => reply.status(201).send(await commitPanelDraw(store, request.params.id, request.body.seed, actor(request), request.body.reserves ?? 2)),
  );

  app.get("/panel-draws/:id", { config: { access: ALL }, schema: { tags, summary: "一次专家和人员抽取（含抽中人员，只限审批部门和参与部门）", params: IdParams, response: { 200: PanelDraw, ...errors } } }, async (request) =>
    getPanelDraw(store, request.params.id, actor(request)),
  );

  app.post(
    "/panel-draws/:id/commitments",
    { config: { access: ["officer"] }, schema: { tags, summary: "本部门提交秘密值承诺（32 字节秘密值的 SHA-256；只限种子方案中的部门的科员）", params: IdParams, body: Type.Object({ hash: Hex64 }, { additionalProperties: false }), response: { 201: PanelDraw, ...errors } } },
    async (request, reply) => reply.status(201).send(await submitPanelSecret(store, request.params.id, request.body.hash, actor(request))),
  );

  app.post(
    "/panel-draws/:id/reveals",
    { config: { access: ["officer"] }, schema: { tags, summary: "本部门公开秘密值（全部部门提交承诺之后）；最后一个公开时种子确定", params: IdParams, body: Type.Object({ secret: Hex64 }, { additionalProperties: false }), response: { 201: PanelDraw, ...errors } } },
    async (request, reply) => reply.status(201).send(await revealPanelSecret(store, request.params.id, request.body.secret, actor(request))),
  );

  app.post(
    "/panel-draws/:id/external-value",
    {
      config: { access: WRITERS },
      schema: {
        tags,
        summary: "录入事先指定的外部公开随机数（公布时间须晚于冻结时间）",
        params: IdParams,
        body: Type.Object({ value: Type.String({ minLength: 1, maxLength: 500 }), publishedAt: Type.String({ format: "date-time", description: "该数值的公布时刻（UTC）" }) }, { additionalProperties: false }),
        response: { 201: PanelDraw, ...errors },
      },
    },
    async (request, reply) => reply.status(201).send(await enterPanelExternal(store, request.params.id, request.body.value, new Date(request.body.publishedAt).toISOString(), actor(request))),
  );

  app.post("/panel-draws/:id/run", { config: { access: WRITERS }, schema: { tags, summary: "抽取（只能一次，结果不可更改）", params: IdParams, response: { 201: PanelDraw, ...errors } } }, async (request, reply) =>
    reply.status(201).send(await runPanelDraw(store, request.params.id, actor(request))),
  );

  app.post(
    "/panel-draws/:id/substitutions",
    {
      config: { access: WRITERS },
      schema: {
        tags,
        summary: "递补：抽中的专家或人员须回避或不能参加时，由该席位公布顺序中的下一位递补（理由必填，不公开）",
        params: IdParams,
        body: Type.Object({ seat: Type.String({ minLength: 1, maxLength: 64 }), out: Type.String({ minLength: 1, maxLength: 64, description: "退出人员的证件号" }), reason: Reason }, { additionalProperties: false }),
        response: { 201: Type.Object({ in: N(Type.String()), seq: Type.Integer(), head: Type.String() }), ...errors },
      },
    },
    async (request, reply) => reply.status(201).send(await substitutePanel(store, request.params.id, request.body, actor(request))),
  );

  app.post(
    "/panel-draws/:id/void",
    { config: { access: WRITERS }, schema: { tags, summary: "作废（理由公开；作废的抽取留在公开记录上，重抽须用新种子）", params: IdParams, body: Type.Object({ reason: Reason }, { additionalProperties: false }), response: { 201: PanelDraw, ...errors } } },
    async (request, reply) => reply.status(201).send(await voidPanelDraw(store, request.params.id, request.body.reason, actor(request))),
  );

  app.get(
    "/panel-draws/:id/manifest",
    {
      config: { access: ALL },
      schema: {
        tags,
        summary: "下载抽取清单（规范 JSON；用 ssj verify 离线核验）：完整清单（含名录，只限审批部门、参与部门和审计）或公开清单",
        params: IdParams,
        querystring: Type.Object({ kind: Type.Optional(Type.Union([Type.Literal("full"), Type.Literal("public")], { default: "full" })) }, { additionalProperties: false }),
        response: { 200: Type.String({ description: "canonical JSON" }), ...errors },
      },
    },
    async (request, reply) => {
      const kind = request.query.kind ?? "full";
      const text = await panelManifestText(store, request.params.id, kind, actor(request));
      return reply.header("content-type", "application/json; charset=utf-8").header("content-disposition", `attachment; filename="panel-draw-${request.params.id}-${kind}-manifest.json"`).serializer((s: unknown) => s as string).send(text);
    },
  );

  app.get("/panel-draws/:id/verify", { config: { access: ALL }, schema: { tags, summary: "核验存储的抽取：以提交时公布（审计日志记录）的承诺值为准", params: IdParams, response: { 200: Verify, ...errors } } }, async (request) =>
    verifyStoredPanelDraw(store, request.params.id, actor(request)),
  );

  await app.register(async (raw) => {
    raw.addContentTypeParser("application/json", { parseAs: "buffer", bodyLimit: app.ssj.uploadLimit }, (_req, body, done) => done(null, body));
    raw.withTypeProvider<TypeBoxTypeProvider>().post(
      "/panel-draws/verify",
      { config: { access: ALL }, bodyLimit: app.ssj.uploadLimit, schema: { tags, summary: "核验上传的专家抽取清单（完整或公开）：重算承诺值、种子、席位和记录链", response: { 200: Verify, ...errors } } },
      async (request) => {
        const body = request.body as Buffer | undefined;
        if (!body || body.length === 0) throw badRequest("请求体应为抽取清单（JSON）", "body", "VALIDATION_FAILED");
        return verifyPanelText(store, body);
      },
    );
  });

  // ─── 公示: no person is named ───
  app.get(
    "/api/public/panel-draws",
    { config: pub, schema: { tags, summary: "公示：专家和人员抽取的事实、方法、承诺值、种子和清单摘要（不含专家姓名），最新的在前", querystring: Page, response: { 200: Type.Array(PublicPanel) } } },
    async (request) => listPublicPanelDraws(store, request.query),
  );

  app.get("/api/public/panel-draws/:id", { config: pub, schema: { tags, summary: "公示：一次专家和人员抽取（不含专家姓名）", params: IdParams, response: { 200: PublicPanel, 404: errors[404] } } }, async (request) =>
    publicPanelDraw(store, request.params.id),
  );

  app.get(
    "/api/public/panel-draws/:id/manifest.json",
    { config: pub, schema: { tags, summary: "公示：公开清单（规范 JSON，ETag 为链头；ssj verify 可离线核验）", params: IdParams, response: { 200: Type.String(), 404: errors[404] } } },
    async (request, reply) => {
      const { text, head } = await publicPanelManifestText(store, request.params.id);
      return reply.header("content-type", "application/json; charset=utf-8").header("etag", `"${head}"`).serializer((s: unknown) => s as string).send(text);
    },
  );
};

export default panelRoutes;
