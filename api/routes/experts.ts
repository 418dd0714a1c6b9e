/**
 * The administrator's directory of experts and recusals (回避), paged and searched on the server
 * (the libraries are maintained through POST /experts and PUT /experts/:id in panels.ts):
 *
 *   GET    /experts/search?q=&department=&active=&limit=&offset=   → { total, items }
 *   GET    /experts/:id
 *   GET    /recusals?person=&entity=&kind=&limit=&offset=          → { total, items } (admin, auditor)
 *   POST   /recusals        { kind, certificateNo, entityCode, reason }  (admin)
 *   DELETE /recusals/:kind/:id                                            (admin)
 *   POST   /recusals/import  (multipart `file`: XLSX or CSV, 人员类别 证件号 企业代码 回避理由)  (admin)
 *
 * Recusals are private: no public page or record names them.
 */
import type { FastifyPluginAsync } from "fastify";
import multipart from "@fastify/multipart";
import { Type } from "@sinclair/typebox";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { requirePrincipal, type Principal } from "../auth.ts";
import { createRecusal, deleteRecusal, getExpert, importRecusalsFile, listRecusals, searchExperts } from "../../src/store/repos/expertDirectory.ts";
import { upload } from "./approvalImports.ts";
import type { PanelActor } from "../../src/store/repos/panels.ts";
import { errors, ExpertView, IdParams } from "../schemas.ts";

const ALL = ["admin", "officer", "auditor"] as const;
const actorOf = (p: Principal): PanelActor => ({ userId: p.userId, role: p.role, departmentId: p.departmentId });
const N = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const Paging = { limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }), offset: Type.Integer({ minimum: 0, default: 0 }) };

const Expert = ExpertView;
const Kind = Type.Union([Type.Literal("inspector"), Type.Literal("expert")], { description: "inspector 执法人员 | expert 专家" });
const Recusal = Type.Object({
  id: Type.Integer({ description: "同一 kind 内唯一" }),
  kind: Type.String(),
  person: Type.Object({ id: Type.Integer(), name: Type.String(), certificateNo: N(Type.String()), department: N(Type.String()) }),
  entity: Type.Object({ code: Type.String(), name: N(Type.String({ description: "名录中的名称（专家回避的企业可不在名录中）" })) }),
  reason: Type.String(),
  createdAt: Type.String(),
});
const tags = ["directories"];

const expertDirectoryRoutes: FastifyPluginAsync = async (fastify) => {
  await fastify.register(multipart, { limits: { fileSize: fastify.ssj.uploadLimit, files: 1, fields: 5, parts: 6, headerPairs: 100 } });
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const store = app.ssj.store;

  app.get(
    "/experts/search",
    {
      config: { access: ALL },
      schema: {
        tags,
        summary: "检索专家库（服务器端分页）：按姓名、证件号或单位，按专家库（部门 id 或 shared 共享专家库），按状态；科员只能检索本部门的",
        querystring: Type.Object(
          {
            q: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: "姓名、证件号或单位包含" })),
            department: Type.Optional(Type.String({ pattern: "^(shared|[1-9][0-9]{0,8})$", description: "部门 id，或 shared（共享专家库）" })),
            active: Type.Optional(Type.Boolean({ description: "true：可抽取；false：已停用" })),
            ...Paging,
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ total: Type.Integer(), items: Type.Array(Expert) }), ...errors },
      },
    },
    async (request) => {
      const { department, ...q } = request.query;
      return searchExperts(store, actorOf(requirePrincipal(request)), { ...q, ...(department ? { department: department === "shared" ? "shared" : Number(department) } : {}) });
    },
  );

  app.get(
    "/experts/:id",
    { config: { access: ALL }, schema: { tags, summary: "一位专家（科员只能查看本部门专家库的）", params: IdParams, response: { 200: Expert, ...errors } } },
    async (request) => getExpert(store, actorOf(requirePrincipal(request)), request.params.id),
  );

  app.get(
    "/recusals",
    {
      config: { access: ["admin", "auditor"] },
      schema: {
        tags,
        summary: "回避登记（执法人员和专家对检查对象的回避，不公开）：按人员姓名或证件号、企业代码前缀检索，服务器端分页",
        querystring: Type.Object(
          {
            person: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
            entity: Type.Optional(Type.String({ pattern: "^[0-9A-Z]{1,23}$", description: "企业代码前缀" })),
            kind: Type.Optional(Kind),
            ...Paging,
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ total: Type.Integer(), items: Type.Array(Recusal) }), ...errors },
      },
    },
    async (request) => listRecusals(store, request.query),
  );

  app.post(
    "/recusals",
    {
      config: { access: ["admin"] },
      schema: {
        tags,
        summary: "登记回避：执法人员（执法证号）或专家（证件号）不得检查某一企业，须写明理由；此后的抽取不再把其派往该企业",
        body: Type.Object(
          {
            kind: Kind,
            certificateNo: Type.String({ minLength: 1, maxLength: 64, examples: ["ZF-0001"] }),
            entityCode: Type.String({ pattern: "^[0-9A-Za-z]{1,23}$", description: "统一社会信用代码或注册号", examples: ["91350100M000100Y43"] }),
            reason: Type.String({ minLength: 1, maxLength: 500, examples: ["近亲属在该企业任职"] }),
          },
          { additionalProperties: false },
        ),
        response: { 201: Recusal, ...errors },
      },
    },
    async (request, reply) => reply.status(201).send(await createRecusal(store, request.body, actorOf(requirePrincipal(request)))),
  );

  app.post(
    "/recusals/import",
    {
      config: { access: ["admin"] },
      schema: {
        tags,
        summary: "从文件登记回避（XLSX 或 CSV，表头：人员类别 证件号 企业代码 回避理由）：先核对整个文件，任何一行有误则不导入并逐行说明；已登记的计为未变",
        consumes: ["multipart/form-data"],
        response: { 200: Type.Object({ rows: Type.Integer(), created: Type.Integer(), unchanged: Type.Integer(), ignoredColumns: Type.Array(Type.String()) }), 413: Type.Ref("Error"), 415: Type.Ref("Error"), ...errors },
      },
    },
    async (request) => {
      const p = requirePrincipal(request);
      const { bytes } = await upload(request, app.ssj.uploadLimit);
      return importRecusalsFile(store, bytes, actorOf(p));
    },
  );

  app.delete(
    "/recusals/:kind/:id",
    {
      config: { access: ["admin"] },
      schema: {
        tags,
        summary: "撤销一项回避登记（已承诺的抽取保留其冻结的名录）",
        params: Type.Object({ kind: Kind, id: Type.Integer({ minimum: 1, maximum: 2147483647 }) }),
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      await deleteRecusal(store, request.params.kind, request.params.id, actorOf(requirePrincipal(request)));
      return reply.status(204).send(null);
    },
  );
};

export default expertDirectoryRoutes;
