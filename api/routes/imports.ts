/**
 * Directory imports (admin): multipart upload of a CSV/XLSX (entities, inspectors) or an item list
 * (.xlsx/.xls: items, joint-items). One transaction per file; the report lists every rejected or
 * flagged row with row number, field and rule.
 */
import type { FastifyPluginAsync } from "fastify";
import multipart from "@fastify/multipart";
import { Type } from "@sinclair/typebox";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { requirePrincipal } from "../auth.ts";
import { ApiError, badRequest } from "../errors.ts";
import { actorOf } from "../../src/store/repos/audit.ts";
import { importDirectory, importItemList, importJointList } from "../../src/store/repos/imports.ts";
import { errors } from "../schemas.ts";

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
  issues: Type.Array(
    Type.Object({
      row: Type.Integer(),
      field: Type.Union([Type.String(), Type.Null()]),
      column: Type.Union([Type.String(), Type.Null()]),
      rule: Type.String(),
      severity: Type.String(),
      message: Type.String(),
    }),
  ),
  issuesTruncated: Type.Boolean(),
});

const importRoutes: FastifyPluginAsync = async (fastify) => {
  await fastify.register(multipart, { limits: { fileSize: fastify.ssj.uploadLimit, files: 1, fields: 5, parts: 6 } });
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const store = app.ssj.store;

  app.post(
    "/imports/:kind",
    {
      config: { access: ["admin"] },
      schema: {
        tags: ["directories"],
        summary: "Import a directory file (multipart field `file`): entities / inspectors (CSV, XLSX), items / joint-items (XLSX, XLS)",
        consumes: ["multipart/form-data"],
        params: Type.Object({ kind: Type.Union([Type.Literal("entities"), Type.Literal("inspectors"), Type.Literal("items"), Type.Literal("joint-items")]) }),
        querystring: Type.Object({ department: Type.Optional(Type.String({ minLength: 1, description: "items: the department the list belongs to (code or id)" })) }),
        response: { 200: ImportReport, 413: Type.Ref("Error"), 415: Type.Ref("Error"), ...errors },
      },
    },
    async (request) => {
      const p = requirePrincipal(request);
      if (!request.isMultipart()) throw new ApiError(415, "UNSUPPORTED_MEDIA_TYPE", "send the file as multipart/form-data in field 'file'");
      const file = await request.file();
      if (!file) throw badRequest("no file uploaded: send it in multipart field 'file'", "file", "VALIDATION_FAILED");
      let bytes: Buffer;
      try {
        bytes = await file.toBuffer();
      } catch (e) {
        if ((e as { code?: string }).code === "FST_REQ_FILE_TOO_LARGE") throw new ApiError(413, "PAYLOAD_TOO_LARGE", `the file exceeds ${app.ssj.uploadLimit} bytes`, "file");
        throw e;
      }
      if (bytes.length === 0) throw new ApiError(422, "IMPORT_EMPTY", "the file is empty", "file");
      const actor = actorOf(p);
      const kind = request.params.kind;
      if (kind === "entities" || kind === "inspectors") return importDirectory(store, kind, bytes, actor, { totalBytes: bytes.length, fileName: file.filename });
      if (kind === "items") return importItemList(store, bytes, actor, { fileName: file.filename, department: request.query.department });
      return importJointList(store, bytes, actor, { fileName: file.filename });
    },
  );
};

export default importRoutes;
