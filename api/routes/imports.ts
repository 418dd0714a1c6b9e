/**
 * Directory imports (admin): multipart upload of a CSV/XLSX/XLS (entities, inspectors) or an item
 * list (.xlsx/.xls: items, joint-items). One transaction per file; the report lists every
 * rejected or flagged row with row number, field and rule, and every column that was not imported.
 *
 *   POST /imports/entities?map=TYXYDM%3Dcode&map=QYMC%3Dname&dateOrder=mdy   (multipart field `file`)
 *   GET  /imports/templates/entities                                           → .xlsx template
 *   GET  /imports/<importId>/changes, /imports/<importId>/changes/<part>        → 全记录 of an import
 *
 * Uploads are read under hard limits (upload size; for .xlsx the decompressed bytes, rows, cells
 * and shared strings of UPLOAD_XLSX_LIMITS): beyond one the answer is 413 naming the limit, and
 * the server's memory stays bounded whatever the file claims. A malformed or unterminated
 * multipart body is a 400.
 */
import type { FastifyPluginAsync } from "fastify";
import multipart from "@fastify/multipart";
import { Type } from "@sinclair/typebox";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { requirePrincipal } from "../auth.ts";
import { ApiError, badRequest } from "../errors.ts";
import { actorOf } from "../../src/store/repos/audit.ts";
import { importChangeList, importChangePart, importDirectory, importItemList, importJointList } from "../../src/store/repos/imports.ts";
import { importTemplate, TEMPLATE_KINDS, type TemplateKind, type XlsxLimits } from "../../src/directories/import/index.ts";
import { errors } from "../schemas.ts";
import { jobsFor } from "../jobs.ts";
import { JobAccepted, jobAccepted } from "./jobs.ts";

type ImportProgress = (p: { phase: string; rowsRead: number; bytesRead?: number; totalBytes?: number | null }) => void;
const KIND_LABEL = { entities: "检查对象名录", inspectors: "执法人员名录", items: "抽查事项清单", "joint-items": "联合抽查事项清单" } as const;

const Issue = Type.Object({
  row: Type.Integer(),
  field: Type.Union([Type.String(), Type.Null()]),
  column: Type.Union([Type.String(), Type.Null()]),
  rule: Type.String(),
  severity: Type.String(),
  message: Type.String(),
});

export const ImportReport = Type.Object({
  kind: Type.String(),
  format: Type.String(),
  rowsRead: Type.Integer(),
  accepted: Type.Integer(),
  rejected: Type.Integer(),
  flagged: Type.Integer(),
  created: Type.Integer(),
  updated: Type.Integer(),
  unchanged: Type.Integer(),
  issues: Type.Array(Issue),
  issuesTruncated: Type.Boolean(),
  issueCounts: Type.Record(Type.String(), Type.Integer(), { description: "how many issues of each kind (`field:rule`), counted over all rows, also beyond the listed ones" }),
  ignoredColumns: Type.Array(Type.Object({ index: Type.Integer(), header: Type.String() }), { description: "columns of the file that were not imported (0-based index)" }),
  districtFrom: Type.Optional(Type.Union([Type.Literal("column"), Type.Literal("code"), Type.Null()])),
  changes: Type.Optional(
    Type.Object(
      { importId: Type.String(), parts: Type.Integer(), digest: Type.String(), created: Type.Integer(), updated: Type.Integer() },
      { description: "the change list (全记录) stored in import_changes, committed to by the audit entry" },
    ),
  ),
  warnings: Type.Array(Type.String()),
});

/**
 * .xlsx limits for uploads: memory stays bounded (shared strings are the only part kept whole),
 * and a bomb is refused from the sizes it declares before anything is inflated.
 */
export const UPLOAD_XLSX_LIMITS: Omit<XlsxLimits, "maxFileBytes"> = {
  maxPartBytes: 512 * 1024 * 1024,
  maxTotalBytes: 768 * 1024 * 1024,
  maxRows: 1_048_576,
  maxCells: 20_000_000,
  maxSharedStrings: 1_000_000,
  maxSharedStringChars: 40_000_000,
  maxCellChars: 100_000,
};

const MapParam = Type.Union([Type.String({ maxLength: 500 }), Type.Array(Type.String({ maxLength: 500 }), { maxItems: 100 })], {
  description: "explicit column mapping `列名=字段` (field name such as code, name, districtCode, or its Chinese header; `列名=-` ignores the column); repeat the parameter for several",
});

/** `["TYXYDM=code", "备注=-"]` → { TYXYDM: "code", 备注: null }; a malformed entry is a 400 naming it. */
function parseMap(raw: string | string[] | undefined): Record<string, string | null> | undefined {
  if (raw === undefined) return undefined;
  const out: Record<string, string | null> = {};
  for (const entry of Array.isArray(raw) ? raw : [raw]) {
    const eq = entry.lastIndexOf("=");
    if (eq <= 0) throw badRequest(`列映射“${entry.slice(0, 50)}”应写作 列名=字段（忽略一列：列名=-）`, "query.map", "VALIDATION_FAILED");
    const field = entry.slice(eq + 1).trim();
    out[entry.slice(0, eq).trim()] = field === "" || field === "-" ? null : field;
  }
  return out;
}

/** Multipart failures (unterminated body, too many parts, file over the limit) as 400/413. */
function uploadError(e: unknown, limit: number): never {
  const err = e as { code?: string; message?: string; statusCode?: number };
  if (err.code === "FST_REQ_FILE_TOO_LARGE") throw new ApiError(413, "PAYLOAD_TOO_LARGE", `文件超过上传上限 ${limit} 字节`, "file");
  if (err.code === "FST_PARTS_LIMIT" || err.code === "FST_FILES_LIMIT" || err.code === "FST_FIELDS_LIMIT")
    throw new ApiError(413, "PAYLOAD_TOO_LARGE", "multipart 请求的部分过多：只发送一个 file 字段", "file");
  if (e instanceof ApiError) throw e;
  throw new ApiError(400, "MULTIPART_INVALID", `multipart 请求体无法读取（不完整或格式错误）：${String(err.message ?? "").slice(0, 100)}`, "file");
}

const importRoutes: FastifyPluginAsync = async (fastify) => {
  await fastify.register(multipart, { limits: { fileSize: fastify.ssj.uploadLimit, files: 1, fields: 5, parts: 6, headerPairs: 100 } });
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const store = app.ssj.store;
  const limits: XlsxLimits = { ...UPLOAD_XLSX_LIMITS, maxFileBytes: app.ssj.uploadLimit };

  app.post(
    "/imports/:kind",
    {
      config: { access: ["admin"] },
      schema: {
        tags: ["directories"],
        summary: "导入名录文件（multipart 字段 file）：检查对象 / 执法人员（CSV、XLSX、XLS），随机抽查事项清单 / 部门联合抽查事项清单（XLSX、XLS）；一次事务，逐行报告",
        consumes: ["multipart/form-data"],
        params: Type.Object({ kind: Type.Union([Type.Literal("entities"), Type.Literal("inspectors"), Type.Literal("items"), Type.Literal("joint-items")]) }),
        querystring: Type.Object({
          department: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: "items: the department a one-department list belongs to (code or id); refused for a list that names several" })),
          map: Type.Optional(MapParam),
          dateOrder: Type.Optional(Type.Union([Type.Literal("mdy"), Type.Literal("dmy")], { description: "N/N/YYYY dates: month first (US-locale software) or day first; default: ambiguous ones flagged" })),
          district: Type.Optional(Type.String({ pattern: "^[0-9]{6}$", description: "entities: the 区划码 for rows whose code carries none (企独琼总字第…号) and whose district cell is empty, e.g. the county of a county's export; such rows are flagged" })),
          background: Type.Optional(Type.Boolean({ description: "true：文件读入后立即回答 202 和任务编号，在后台导入；进度（阶段、已处理行数）和最终报告见 GET /jobs/:id" })),
        }),
        response: { 200: ImportReport, 202: JobAccepted, 413: Type.Ref("Error"), 415: Type.Ref("Error"), ...errors },
      },
    },
    async (request, reply) => {
      const p = requirePrincipal(request);
      if (!request.isMultipart()) throw new ApiError(415, "UNSUPPORTED_MEDIA_TYPE", "请以 multipart/form-data 上传，文件放在 file 字段", "file");
      const kind = request.params.kind;
      const columnMap = parseMap(request.query.map);
      if (columnMap && kind !== "entities" && kind !== "inspectors") throw badRequest("列映射只用于检查对象和执法人员名录", "query.map", "VALIDATION_FAILED");
      if (request.query.district && kind !== "entities") throw badRequest("district 只用于检查对象名录", "query.district", "VALIDATION_FAILED");
      let bytes: Buffer;
      let fileName: string;
      try {
        const file = await request.file();
        if (!file) throw badRequest("没有上传文件：请放在 multipart 的 file 字段", "file", "VALIDATION_FAILED");
        fileName = file.filename;
        bytes = await file.toBuffer();
      } catch (e) {
        uploadError(e, app.ssj.uploadLimit);
      }
      if (bytes.length === 0) throw new ApiError(422, "IMPORT_EMPTY", "文件是空的", "file");
      const actor = actorOf(p);
      const q = request.query;
      const run = (onProgress?: ImportProgress) => {
        if (kind === "entities" || kind === "inspectors")
          return importDirectory(store, kind, bytes, actor, {
            totalBytes: bytes.length,
            fileName,
            limits,
            ...(columnMap ? { columnMap } : {}),
            ...(q.dateOrder ? { dateOrder: q.dateOrder } : {}),
            ...(q.district ? { fallbackDistrict: q.district } : {}),
            ...(onProgress ? { onProgress } : {}),
          });
        if (kind === "items") return importItemList(store, bytes, actor, { fileName, ...(q.department ? { department: q.department } : {}), ...(onProgress ? { onProgress } : {}) });
        return importJointList(store, bytes, actor, { fileName });
      };
      if (!q.background) return run();
      const job = jobsFor(app.ssj, request.log).start({ kind: "import", ownerId: p.userId, label: `导入${KIND_LABEL[kind]}：${fileName}` }, (report) =>
        run((x) => report({ phase: x.phase === "done" ? "committing" : x.phase, done: x.rowsRead, bytesRead: x.bytesRead ?? null, totalBytes: x.totalBytes ?? bytes.length })),
      );
      return reply.status(202).send(jobAccepted(job));
    },
  );

  app.get(
    "/imports/templates/:kind",
    {
      config: { access: ["admin", "officer", "auditor"] },
      schema: {
        tags: ["directories"],
        summary: "下载导入模板（.xlsx）：应有的列名（* 为必填）和一行虚构的示例",
        params: Type.Object({ kind: Type.Union(TEMPLATE_KINDS.map((k) => Type.Literal(k))) }),
        produces: ["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"],
        response: { 200: Type.Any({ description: ".xlsx file" }), ...errors },
      },
    },
    async (request, reply) => {
      requirePrincipal(request);
      const kind = request.params.kind as TemplateKind;
      const body = Buffer.from(await importTemplate(kind));
      return reply
        .header("content-type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        .header("content-disposition", `attachment; filename="${kind}-template.xlsx"; filename*=UTF-8''${encodeURIComponent(`${kind}导入模板.xlsx`)}`)
        .send(body);
    },
  );

  app.get(
    "/imports/:importId/changes",
    {
      config: { access: ["admin", "auditor"] },
      schema: {
        tags: ["directories"],
        summary: "名录导入的变更清单（全记录）概要：对应的审计记录、新增和变更的数目，以及所存各段是否与审计摘要相符",
        params: Type.Object({ importId: Type.String({ maxLength: 64, description: "the import's id (changes.importId of its report)" }) }),
        response: {
          200: Type.Object({
            importId: Type.String(),
            auditSeq: Type.Integer(),
            action: Type.String(),
            file: Type.Union([Type.String(), Type.Null()]),
            at: Type.String(),
            actor: Type.String(),
            parts: Type.Integer(),
            created: Type.Integer(),
            updated: Type.Integer(),
            digest: Type.String(),
            verified: Type.Boolean(),
            problem: Type.Union([Type.String(), Type.Null()]),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      requirePrincipal(request);
      return importChangeList(store, request.params.importId);
    },
  );

  app.get(
    "/imports/:importId/changes/:part",
    {
      config: { access: ["admin", "auditor"] },
      schema: {
        tags: ["directories"],
        summary: "变更清单的一段：新增的代码，以及每个变更对象被改动列的原值",
        params: Type.Object({ importId: Type.String({ maxLength: 64 }), part: Type.String({ pattern: "^(0|[1-9][0-9]{0,8})$", description: "0, 1, 2 …" }) }),
        response: {
          200: Type.Object({
            importId: Type.String(),
            part: Type.Integer(),
            created: Type.Array(Type.String()),
            updated: Type.Array(Type.Object({ key: Type.String(), old: Type.Record(Type.String(), Type.Unknown()) })),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      requirePrincipal(request);
      return importChangePart(store, request.params.importId, Number(request.params.part));
    },
  );
};

export default importRoutes;
