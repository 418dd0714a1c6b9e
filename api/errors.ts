/**
 * One JSON error shape for every response that is not a success:
 *
 *   { statusCode, code, message, field? }
 *
 * - `code` is a stable, upper-snake machine code (e.g. `VALIDATION_FAILED`, `FORBIDDEN`).
 * - `field` names the offending input (`body.name`, `query.page`, a CSV column …) when one exists.
 * - No stack traces or internal messages reach clients: an unexpected error becomes a generic
 *   500 `INTERNAL_ERROR` and is logged with its request id.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { Type, type Static } from "@sinclair/typebox";
import { RepoError } from "../src/store/repos/db.ts";
import { dbErrorKind } from "../src/store/errors.ts";

export const ErrorBody = Type.Object(
  {
    statusCode: Type.Integer(),
    code: Type.String(),
    message: Type.String(),
    field: Type.Optional(Type.String()),
    details: Type.Optional(Type.Array(Type.Any())),
  },
  { $id: "Error", description: "Every error response has this shape." },
);
export type ErrorBody = Static<typeof ErrorBody>;

/** An error a handler throws on purpose; mapped one-to-one to the response. */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly details?: unknown[],
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export const badRequest = (message: string, field?: string, code = "BAD_REQUEST") => new ApiError(400, code, message, field);
export const unauthorized = (message = "authentication required: send 'Authorization: Bearer <token>'") =>
  new ApiError(401, "UNAUTHENTICATED", message);
export const forbidden = (message: string) => new ApiError(403, "FORBIDDEN", message);
export const notFound = (what: string) => new ApiError(404, "NOT_FOUND", `${what} not found`);
export const conflict = (message: string, code = "CONFLICT") => new ApiError(409, code, message);
export const unprocessable = (message: string, field?: string, code = "UNPROCESSABLE") => new ApiError(422, code, message, field);

interface AjvLikeError {
  keyword: string;
  instancePath: string;
  message?: string;
  params: Record<string, unknown>;
}

/** `body.name` from an ajv error: the instance path, plus the missing property for `required`. */
function fieldOf(context: string | undefined, e: AjvLikeError): string {
  const parts = [context ?? "body"];
  const path = e.instancePath.split("/").filter(Boolean).map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
  parts.push(...path);
  if (e.keyword === "required" && typeof e.params.missingProperty === "string") parts.push(e.params.missingProperty);
  if (e.keyword === "additionalProperties" && typeof e.params.additionalProperty === "string") parts.push(e.params.additionalProperty);
  return parts.join(".");
}

function ruleText(e: AjvLikeError): string {
  switch (e.keyword) {
    case "required":
      return "is required";
    case "additionalProperties":
      return "is not an allowed property";
    default:
      return `${e.message ?? "is invalid"} (rule: ${e.keyword})`;
  }
}

/** Map any thrown error to the response body. Exposed for tests. */
export function toErrorBody(err: unknown): ErrorBody {
  if (err instanceof RepoError) return toErrorBody(new ApiError(err.statusCode, err.code, err.message, err.field, err.details));
  const name = (err as { name?: unknown })?.name;
  if (name === "UnknownHolidayYearError") {
    return { statusCode: 422, code: "HOLIDAY_DATA_MISSING", message: (err as Error).message };
  }
  if (name === "InvalidDateError") return { statusCode: 400, code: "INVALID_DATE", message: (err as Error).message };
  if (err instanceof ApiError) {
    const body: ErrorBody = { statusCode: err.statusCode, code: err.code, message: err.message };
    if (err.field !== undefined) body.field = err.field;
    if (err.details !== undefined) body.details = err.details;
    return body;
  }
  const fe = err as Partial<FastifyError> & { validation?: AjvLikeError[]; validationContext?: string };
  if (fe && Array.isArray(fe.validation) && fe.validation.length > 0) {
    const first = fe.validation[0]!;
    const field = fieldOf(fe.validationContext, first);
    return {
      statusCode: 400,
      code: "VALIDATION_FAILED",
      message: `${field} ${ruleText(first)}`,
      field,
      details: fe.validation.map((e) => ({ field: fieldOf(fe.validationContext, e), rule: e.keyword, message: ruleText(e) })),
    };
  }
  // Database constraint violations that reach here are client conflicts, not faults.
  const prismaCode = (err as { code?: unknown })?.code;
  if (prismaCode === "P2025") return { statusCode: 404, code: "NOT_FOUND", message: "record not found" };
  if (prismaCode === "P2034") return { statusCode: 409, code: "CONCURRENT_CHANGE", message: "a concurrent change conflicted with this one; retry" };
  if (prismaCode === "P1008" || prismaCode === "P2024" || /SQLITE_BUSY|database is locked/.test(String((err as { message?: unknown })?.message ?? ""))) {
    return { statusCode: 503, code: "BUSY", message: "the database is busy with another change; retry shortly" };
  }
  switch (dbErrorKind(err)) {
    case "unique":
      return { statusCode: 409, code: "CONFLICT", message: "conflicts with an existing record (unique constraint)" };
    case "foreign-key":
      return { statusCode: 409, code: "CONFLICT", message: "refers to a missing record or is still referenced (foreign key)" };
    case "check":
    case "not-null":
      return { statusCode: 422, code: "CONSTRAINT_VIOLATION", message: "the database refused a value (check constraint)" };
    case "recusal":
      return { statusCode: 422, code: "RECUSAL_VIOLATION", message: "a recused inspector may not inspect this entity (回避)" };
    case "append-only":
      return { statusCode: 409, code: "APPEND_ONLY", message: "this record cannot be changed or deleted" };
    default:
      break;
  }
  const status = typeof fe?.statusCode === "number" ? fe.statusCode : 500;
  if (status >= 400 && status < 500) {
    // Framework-raised client errors (bad JSON, body too large, unsupported media type, 429 …).
    const code =
      status === 429
        ? "RATE_LIMITED"
        : status === 413
          ? "PAYLOAD_TOO_LARGE"
          : status === 415
            ? "UNSUPPORTED_MEDIA_TYPE"
            : fe.code === "FST_ERR_CTP_INVALID_JSON_BODY" || fe.code === "FST_ERR_CTP_EMPTY_JSON_BODY"
              ? "INVALID_JSON"
              : (fe.code ?? "BAD_REQUEST").replace(/^FST_ERR_/, "");
    return { statusCode: status, code, message: fe.message ?? "bad request" };
  }
  if (status === 503) return { statusCode: 503, code: "UNAVAILABLE", message: "service unavailable" };
  return { statusCode: 500, code: "INTERNAL_ERROR", message: "internal error; quote the request id when reporting it" };
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const body = toErrorBody(err);
    if (body.statusCode >= 500) request.log.error({ err }, "request failed");
    else request.log.info({ code: body.code, field: body.field }, body.message);
    const headers = (err as { headers?: Record<string, string> })?.headers;
    if (headers && body.statusCode === 429) reply.headers(headers);
    return reply.status(body.statusCode).send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    const body: ErrorBody = { statusCode: 404, code: "NOT_FOUND", message: `no route ${request.method} ${request.url.split("?")[0]}` };
    return reply.status(404).send(body);
  });
}

/** Response schemas for the usual error statuses, to spread into a route's `response`. */
export const errorResponses = {
  400: Type.Ref("Error"),
  401: Type.Ref("Error"),
  403: Type.Ref("Error"),
  404: Type.Ref("Error"),
  409: Type.Ref("Error"),
  422: Type.Ref("Error"),
} as const;
