/**
 * Directories (admin writes; officers and auditors read): departments, entities (检查对象名录库),
 * inspectors (执法检查人员名录库, officers: own department only), inspection items (抽查事项清单),
 * and configuration.
 */
import type { FastifyPluginAsync } from "fastify";
import { Type } from "@sinclair/typebox";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { assertDepartment, requirePrincipal } from "../auth.ts";
import { actorOf } from "../../src/store/repos/audit.ts";
import {
  createDepartment,
  createItem,
  getEntityByCode,
  listConfig,
  listDepartments,
  listEntities,
  listInspectors,
  listItems,
  setConfig,
} from "../../src/store/repos/directories.ts";
import { validateConfig } from "../../src/store/repos/settings.ts";
import { MAX_CAP, getFrequencyCaps, listFrequencyCaps, listPublicFrequencyCaps, setFrequencyCaps } from "../../src/store/repos/frequencyCaps.ts";
import { IdParams, errors } from "../schemas.ts";

const ALL = ["admin", "officer", "auditor"] as const;
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

const Department = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  name: Type.String(),
  level: Type.String(),
  districtCode: Type.String(),
  parentId: Type.Union([Type.Integer(), Type.Null()]),
  kind: Type.String({ description: "supervision 行业监管部门 | approval 行政审批部门（审管联动）" }),
  active: Type.Boolean(),
});
const CreateDepartment = Type.Object(
  {
    code: Type.String({ minLength: 1, maxLength: 40 }),
    name: Type.String({ minLength: 1, maxLength: 100 }),
    level: Type.Union([Type.Literal("city"), Type.Literal("district")]),
    districtCode: Type.String({ pattern: "^\\d{6}$" }),
    parentId: Type.Optional(Type.Union([Type.Integer({ minimum: 1 }), Type.Null()])),
  },
  { additionalProperties: false },
);
const Exemption = Type.Object(
  {
    kind: Type.String({ minLength: 1, maxLength: 40, description: "不计入频次的定向检查类型：complaint 投诉举报、referral 转办交办、dataAlert 数据监测、commitment 告知承诺核查、riskAlert 风险预警、followUp 复核后续监管" }),
    reason: Type.String({ maxLength: 200, description: "豁免理由（2–200 个字符）" }),
  },
  { additionalProperties: false },
);
const FrequencyCaps = Type.Object({
  departmentId: Type.Integer(),
  level: Type.String({ description: "部门层级（city 市级、district 区县级）：maxPerYear 按此层级计" }),
  configured: Type.Boolean({ description: "false：未设上限" }),
  maxPerYear: Type.Integer({ description: "本层级每年对同一企业最多检查次数（未设时为 0）" }),
  maxPerYearAllLevels: Type.Union([Type.Integer(), Type.Null()], { description: "与上下级部门合计每年最多检查次数；null = 不限" }),
  exemptions: Type.Array(Exemption),
  updatedAt: Type.Union([Type.String(), Type.Null()]),
});
const SetFrequencyCaps = Type.Object(
  {
    maxPerYear: Type.Integer({ description: `本层级上限，1–${MAX_CAP}` }),
    maxPerYearAllLevels: Type.Optional(Type.Union([Type.Integer(), Type.Null()], { description: "跨层级上限，不小于本层级上限；不给或 null = 不限" })),
    exemptions: Type.Array(Exemption, { maxItems: 10 }),
  },
  {
    additionalProperties: false,
    examples: [
      {
        maxPerYear: 2,
        maxPerYearAllLevels: 4,
        exemptions: [
          { kind: "complaint", reason: "投诉举报引发的定向检查依法必须处理，不计入频次" },
          { kind: "referral", reason: "上级转办交办的案件线索，不计入频次" },
        ],
      },
    ],
  },
);
const Entity = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  codeKind: Type.String(),
  checksumFailed: Type.Boolean(),
  name: Type.String(),
  districtCode: Type.String(),
  address: Nullable(Type.String()),
  industryCode: Nullable(Type.String()),
  kind: Type.String(),
  status: Type.String(),
  riskClass: Nullable(Type.String({ description: "internal, never published" })),
  size: Nullable(Type.String()),
});
const Inspector = Type.Object({
  id: Type.Integer(),
  departmentId: Type.Integer(),
  name: Type.String(),
  certificateNo: Type.String(),
  qualifications: Type.Array(Type.String()),
  specialities: Type.Array(Type.String()),
  districts: Type.Array(Type.String()),
  active: Type.Boolean(),
});
const ItemFields = {
  code: Type.String({ minLength: 1, maxLength: 60 }),
  category: Type.String({ minLength: 1 }),
  name: Type.String({ minLength: 1 }),
  target: Type.String({ minLength: 1 }),
  legalBasis: Type.String({ minLength: 1 }),
  content: Type.String({ minLength: 1 }),
  methods: Type.Array(Type.Union([Type.Literal("on-site"), Type.Literal("written"), Type.Literal("online")]), { minItems: 1, uniqueItems: true }),
  importance: Type.Union([Type.Literal("key"), Type.Literal("general")]),
  source: Type.String({ minLength: 1 }),
};
const Item = Type.Object({ id: Type.Integer(), departmentId: Type.Integer(), ...ItemFields, methods: Type.Array(Type.String()), importance: Type.String(), active: Type.Boolean() });
const CreateItem = Type.Object(ItemFields, { additionalProperties: false });
const Paging = {
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
  offset: Type.Integer({ minimum: 0, default: 0 }),
};

const directoryRoutes: FastifyPluginAsync = async (fastify) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const store = app.ssj.store;

  app.get(
    "/departments",
    { config: { access: ALL }, schema: { tags: ["directories"], summary: "部门列表", response: { 200: Type.Array(Department), ...errors } } },
    async () => listDepartments(store),
  );

  app.post(
    "/departments",
    {
      config: { access: ["admin"] },
      schema: { tags: ["directories"], summary: "新建部门", body: CreateDepartment, response: { 201: Department, ...errors } },
    },
    async (request, reply) => reply.status(201).send(await createDepartment(store, request.body, actorOf(request.principal))),
  );

  app.get(
    "/entities",
    {
      config: { access: ALL },
      schema: {
        tags: ["directories"],
        summary: "检索检查对象名录库（服务器端分页）",
        querystring: Type.Object({
          name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
          district: Type.Optional(Type.String({ pattern: "^\\d{2,6}$" })),
          status: Type.Optional(Type.String()),
          ...Paging,
        }),
        response: { 200: Type.Object({ total: Type.Integer(), items: Type.Array(Entity) }), ...errors },
      },
    },
    async (request) => listEntities(store, request.query),
  );

  app.get(
    "/entities/:code",
    {
      config: { access: ALL },
      schema: {
        tags: ["directories"],
        summary: "按统一社会信用代码或注册号查询一个检查对象",
        params: Type.Object({ code: Type.String({ pattern: "^[0-9A-Za-z]{15,18}$" }) }),
        response: { 200: Entity, ...errors },
      },
    },
    async (request) => getEntityByCode(store, request.params.code),
  );

  app.get(
    "/inspectors",
    {
      config: { access: ALL },
      schema: {
        tags: ["directories"],
        summary: "执法检查人员名录（科员只能查看本部门，默认本部门）",
        querystring: Type.Object({ department: Type.Optional(Type.Integer({ minimum: 1 })), ...Paging }),
        response: { 200: Type.Object({ total: Type.Integer(), items: Type.Array(Inspector) }), ...errors },
      },
    },
    async (request) => {
      const p = requirePrincipal(request);
      let departmentId = request.query.department;
      if (p.role === "officer") {
        departmentId ??= p.departmentId!;
        assertDepartment(p, departmentId, "该执法人员名录");
      }
      return listInspectors(store, { departmentId, limit: request.query.limit, offset: request.query.offset });
    },
  );

  app.get(
    "/departments/:id/items",
    {
      config: { access: ALL },
      schema: {
        tags: ["directories"],
        summary: "某部门的抽查事项清单",
        description: "抽查事项清单是向社会公开的文件，各角色都可以读取任一部门的清单（牵头部门编制联合批次时需要配合部门的事项）。",
        params: IdParams,
        response: { 200: Type.Array(Item), ...errors },
      },
    },
    async (request) => listItems(store, request.params.id),
  );

  app.post(
    "/departments/:id/items",
    {
      config: { access: ["admin"] },
      schema: { tags: ["directories"], summary: "新增抽查事项", params: IdParams, body: CreateItem, response: { 201: Item, ...errors } },
    },
    async (request, reply) => reply.status(201).send(await createItem(store, request.params.id, request.body, actorOf(request.principal))),
  );

  app.get(
    "/config",
    {
      config: { access: ["admin", "auditor"] },
      schema: {
        tags: ["configuration"],
        summary: "配置项列表",
        response: { 200: Type.Array(Type.Object({ key: Type.String(), value: Type.Unknown(), updatedAt: Type.String() })), ...errors },
      },
    },
    async () => listConfig(store),
  );

  app.put(
    "/config/:key",
    {
      config: { access: ["admin"] },
      schema: {
        tags: ["configuration"],
        summary: "设置一项配置（resultCategories、holidayTables、publication、draw、optimizer），保存前按规则核对",
        params: Type.Object({ key: Type.String({ pattern: "^[A-Za-z][A-Za-z0-9]{0,40}$" }) }),
        body: Type.Unknown(),
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      validateConfig(request.params.key, request.body);
      await setConfig(store, request.params.key, request.body, actorOf(request.principal));
      return reply.status(204).send(null);
    },
  );

  // 同一企业年度检查频次上限 and its exemptions (国办发〔2024〕54号): read by all, set by administrators.
  app.get(
    "/frequency-caps",
    { config: { access: ALL }, schema: { tags: ["configuration"], summary: "各部门的同一企业年度检查频次上限及豁免", response: { 200: Type.Array(FrequencyCaps), ...errors } } },
    async () => listFrequencyCaps(store),
  );

  const PublicCap = Type.Object({
    department: Type.String(),
    level: Type.String({ description: "city | district | zone" }),
    levelLabel: Type.String({ description: "市级、区县级、开发区" }),
    maxPerYear: Type.Integer({ description: "本层级每年对同一企业最多检查次数" }),
    maxPerYearAllLevels: Type.Union([Type.Integer(), Type.Null()], { description: "与上下级部门合计每年最多检查次数；null = 不限" }),
    exemptions: Type.Array(Type.Object({ kind: Type.String(), label: Type.String(), reason: Type.String() })),
    updatedAt: Type.Union([Type.String(), Type.Null()]),
  });
  app.get(
    "/api/public/frequency-caps",
    {
      config: { access: "public" as const, rateLimit: app.ssj.publicRateLimit },
      schema: {
        tags: ["public"],
        summary: "公示：各部门的同一企业年度检查频次上限及豁免（国办发〔2024〕54号）",
        description: "只列出已设上限的部门：本层级上限、跨层级上限和不计入频次的定向检查类型及理由。",
        response: { 200: Type.Array(PublicCap), ...errors },
      },
    },
    async () => listPublicFrequencyCaps(store),
  );

  app.get(
    "/departments/:id/frequency-cap",
    { config: { access: ALL }, schema: { tags: ["configuration"], summary: "一个部门的同一企业年度检查频次上限及豁免", params: IdParams, response: { 200: FrequencyCaps, ...errors } } },
    async (request) => getFrequencyCaps(store, request.params.id),
  );

  app.put(
    "/departments/:id/frequency-cap",
    {
      config: { access: ["admin"] },
      schema: {
        tags: ["configuration"],
        summary: "设置一个部门的同一企业年度检查频次上限及豁免（整体替换）",
        description:
          "抽取时，本部门（及其上下级）本年度已计入的检查次数达到上限的检查对象列为本部门的排除对象（规则 frequencyCap，理由写入冻结的输入并公示），不会被悄悄略过；" +
          "不在豁免之列的定向检查达到上限时建立被拒绝（409 FREQUENCY_CAP_REACHED）。双随机抽查不能豁免；每项豁免须写明理由。",
        params: IdParams,
        body: SetFrequencyCaps,
        response: { 200: FrequencyCaps, ...errors },
      },
    },
    async (request) => setFrequencyCaps(store, request.params.id, request.body, actorOf(request.principal)),
  );

  app.delete(
    "/departments/:id/frequency-cap",
    { config: { access: ["admin"] }, schema: { tags: ["configuration"], summary: "取消一个部门的年度检查频次上限", params: IdParams, response: { 204: Type.Null(), ...errors } } },
    async (request, reply) => {
      await setFrequencyCaps(store, request.params.id, null, actorOf(request.principal));
      return reply.status(204).send(null);
    },
  );
};

export default directoryRoutes;
