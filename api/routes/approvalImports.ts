/**
 * 审管联动 file imports over the API (docs/approvals.md, "Files"): XLSX or CSV uploads (multipart
 * field `file`) through the same store path as `ssj approvals list / import / alerts`
 * (src/store/repos/approvalImports.ts): the whole file is checked first; a problem names the row
 * (第 N 行) and column, problem rows are listed in `details`, and nothing is written.
 *
 *   POST /duty-lists/import?reason=…[&noticeId=…][&bureauId=…]   → 201 the new version (summary)
 *   POST /approval-decisions/import[?bureauId=…]                   → 201 decisions recorded and pushed
 *   POST /risk-alerts/import                                        → 201 alerts received
 */
import type { FastifyPluginAsync } from "fastify";
import multipart from "@fastify/multipart";
import { Type } from "@sinclair/typebox";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { requirePrincipal } from "../auth.ts";
import { ApiError, badRequest } from "../errors.ts";
import { errors } from "../schemas.ts";
import { importAlertsFile, importDecisionsFile, importDutyListFile } from "../../src/store/repos/approvalImports.ts";
import type { FastifyRequest } from "fastify";

const Dept = Type.Object({ id: Type.Integer(), code: Type.String(), name: Type.String() });

/** Multipart failures (unterminated body, too many parts, file over the limit) as 400/413. */
function uploadError(e: unknown, limit: number): never {
  const err = e as { code?: string; message?: string };
  if (e instanceof ApiError) throw e;
  if (err.code === "FST_REQ_FILE_TOO_LARGE") throw new ApiError(413, "PAYLOAD_TOO_LARGE", `文件超过上传上限 ${limit} 字节`, "file");
  if (err.code === "FST_PARTS_LIMIT" || err.code === "FST_FILES_LIMIT" || err.code === "FST_FIELDS_LIMIT") throw new ApiError(413, "PAYLOAD_TOO_LARGE", "multipart 请求的部分过多：只发送一个 file 字段", "file");
  throw new ApiError(400, "MULTIPART_INVALID", `multipart 请求体无法读取（不完整或格式错误）：${String(err.message ?? "").slice(0, 100)}`, "file");
}

/** The uploaded file (one `file` part) of a multipart request. */
export async function upload(request: FastifyRequest, limit: number): Promise<{ bytes: Buffer; fileName: string }> {
  if (!request.isMultipart()) throw new ApiError(415, "UNSUPPORTED_MEDIA_TYPE", "请以 multipart/form-data 上传，文件放在 file 字段", "file");
  let bytes: Buffer;
  let fileName: string;
  try {
    const file = await request.file();
    if (!file) throw badRequest("没有上传文件：请放在 multipart 的 file 字段", "file", "VALIDATION_FAILED");
    fileName = file.filename;
    bytes = await file.toBuffer();
  } catch (e) {
    uploadError(e, limit);
  }
  if (bytes.length === 0) throw new ApiError(422, "IMPORT_EMPTY", "文件是空的", "file");
  return { bytes, fileName: fileName || "upload" };
}

const fileErrors = { 413: Type.Ref("Error"), 415: Type.Ref("Error"), ...errors };
const actorOf = (p: ReturnType<typeof requirePrincipal>) => ({ userId: p.userId, role: p.role, departmentId: p.departmentId });

const approvalImportRoutes: FastifyPluginAsync = async (fastify) => {
  await fastify.register(multipart, { limits: { fileSize: fastify.ssj.uploadLimit, files: 1, fields: 5, parts: 6, headerPairs: 100 } });
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const store = app.ssj.store;

  app.post(
    "/duty-lists/import",
    {
      config: { access: ["admin", "officer"] },
      schema: {
        tags: ["approvals"],
        summary: "从 XLSX 或 CSV 文件发布职责边界清单的新版本（multipart 字段 file；行政审批部门）；整个文件先逐行检查，有问题时逐行报告（details），不写入任何一行",
        description:
          "列（第 1 行为表头）：审批事项编码*、审批事项名称*、审批依据、监管事项编码、监管事项名称*、职责边界、监管部门*（编码或全称）、核查事项编码、转送上级（是/否）。因法律法规变化而修订时填 noticeId。",
        consumes: ["multipart/form-data"],
        querystring: Type.Object(
          {
            reason: Type.String({ minLength: 2, maxLength: 500, description: "发布或修订的理由（公开）" }),
            noticeId: Type.Optional(Type.Integer({ minimum: 1, description: "引起本次修订的法律法规变化告知" })),
            bureauId: Type.Optional(Type.Integer({ minimum: 1, description: "行政审批部门（执法人员默认本部门；管理员必填）" })),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({
            id: Type.Integer(),
            bureau: Dept,
            version: Type.Integer(),
            digest: Type.String({ description: "条目规范 JSON 的 SHA-256" }),
            noticeId: Type.Union([Type.Integer(), Type.Null()]),
            source: Type.String({ description: "文件名" }),
            entries: Type.Integer({ description: "清单条目数" }),
            rows: Type.Integer({ description: "读取的数据行数" }),
            ignoredColumns: Type.Array(Type.String(), { description: "文件中未使用的列" }),
          }),
          ...fileErrors,
        },
      },
    },
    async (request, reply) => {
      const p = requirePrincipal(request);
      const { bytes, fileName } = await upload(request, app.ssj.uploadLimit);
      const q = request.query;
      const l = await importDutyListFile(
        store,
        bytes,
        { ...(q.bureauId !== undefined ? { bureauId: q.bureauId } : {}), reason: q.reason, noticeId: q.noticeId ?? null, fileName },
        actorOf(p),
      );
      return reply.status(201).send({ id: l.id, bureau: l.bureau, version: l.version, digest: l.digest, noticeId: l.noticeId, source: l.source, entries: l.entries?.length ?? 0, rows: l.rows, ignoredColumns: l.ignoredColumns });
    },
  );

  app.post(
    "/approval-decisions/import",
    {
      config: { access: ["admin", "officer"] },
      schema: {
        tags: ["approvals"],
        summary: "从 XLSX 或 CSV 文件记录审批决定并推送（multipart 字段 file；行政审批部门）；全部成功或全部不写入，问题行写明行号",
        description: "列（第 1 行为表头）：办件编号*、统一社会信用代码*、审批事项编码*、审批方式*、审批结果*、决定日期*、实施机关、许可证号、承诺内容。告知承诺的决定同时生成核查任务。",
        consumes: ["multipart/form-data"],
        querystring: Type.Object({ bureauId: Type.Optional(Type.Integer({ minimum: 1, description: "行政审批部门（执法人员默认本部门；管理员必填）" })) }, { additionalProperties: false }),
        response: {
          201: Type.Object({
            rows: Type.Integer({ description: "读取的数据行数" }),
            recorded: Type.Integer(),
            unchanged: Type.Integer({ description: "已记录过、内容相同的决定" }),
            pushes: Type.Integer(),
            verifications: Type.Integer(),
            ignoredColumns: Type.Array(Type.String(), { description: "文件中未使用的列" }),
          }),
          ...fileErrors,
        },
      },
    },
    async (request, reply) => {
      const p = requirePrincipal(request);
      const { bytes } = await upload(request, app.ssj.uploadLimit);
      const r = await importDecisionsFile(store, bytes, { ...(request.query.bureauId !== undefined ? { bureauId: request.query.bureauId } : {}) }, actorOf(p));
      return reply.status(201).send({ rows: r.rows, recorded: r.recorded, unchanged: r.unchanged, pushes: r.pushes, verifications: r.verifications, ignoredColumns: r.ignoredColumns });
    },
  );

  app.post(
    "/risk-alerts/import",
    {
      config: { access: ["admin", "officer"] },
      schema: {
        tags: ["approvals"],
        summary: "从 XLSX 或 CSV 文件接收互联网+监管系统的风险预警（multipart 字段 file）；全部成功或全部不写入，问题行写明行号",
        description: "列（第 1 行为表头）：预警编号*、来源系统*、统一社会信用代码*、负责部门*（编码或全称）、预警类型*、预警等级*、预警内容*、预警日期*。执法人员只能接收本部门的预警。",
        consumes: ["multipart/form-data"],
        response: { 201: Type.Object({ received: Type.Integer(), unchanged: Type.Integer() }), ...fileErrors },
      },
    },
    async (request, reply) => {
      const p = requirePrincipal(request);
      const { bytes } = await upload(request, app.ssj.uploadLimit);
      const r = await importAlertsFile(store, bytes, actorOf(p));
      return reply.status(201).send({ received: r.received, unchanged: r.unchanged });
    },
  );
};

export default approvalImportRoutes;
