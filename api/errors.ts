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
import { STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";
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
export const unauthorized = (message = "需要登录：请发送 Authorization: Bearer <令牌>（令牌由 ssj user create 生成）") =>
  new ApiError(401, "UNAUTHENTICATED", message);
export const forbidden = (message: string) => new ApiError(403, "FORBIDDEN", message);
/** 404 naming what was looked for, in Chinese: `notFound("计划 7")` → "计划 7 不存在". */
export const notFound = (what: string) => new ApiError(404, "NOT_FOUND", `${what} 不存在`);
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
  if (e.keyword === "additionalProperties" && typeof e.params.additionalProperty === "string") parts.push(printable(e.params.additionalProperty));
  return parts.join(".");
}

/** A name as it can be shown: control characters and lone surrogates written as \uXXXX, at most 80 characters. */
export function printable(s: string): string {
  const shown = s.replace(/[\u0000-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  return shown.length > 80 ? `${shown.slice(0, 80)}…` : shown;
}

const TYPE_NAMES: Record<string, string> = { integer: "整数", number: "数字", string: "文本", boolean: "true 或 false", object: "对象", array: "数组", null: "null" };
const FORMAT_NAMES: Record<string, string> = { "date-time": "带时区的时刻（ISO 8601，如 2026-03-02T09:00:00+08:00）", date: "日期（YYYY-MM-DD）", email: "电子邮件地址", uri: "网址" };
const shortJson = (v: unknown) => {
  const t = JSON.stringify(v) ?? String(v);
  return t.length > 60 ? `${t.slice(0, 60)}…` : t;
};

/** The rule an ajv error names, in Chinese, with the rule's own name in brackets (stable for clients). */
export function ruleText(e: AjvLikeError): string {
  const p = e.params;
  const said = ((): string => {
    switch (e.keyword) {
      case "required":
        return "为必填项";
      case "additionalProperties":
        return "不是允许的字段";
      case "type": {
        const types = String(p.type ?? "").split(",").map((t) => TYPE_NAMES[t] ?? t);
        return `应为${types.join("或")}`;
      }
      case "minimum":
        return p.comparison === ">" ? `应大于 ${String(p.limit)}` : `不得小于 ${String(p.limit)}`;
      case "maximum":
        return p.comparison === "<" ? `应小于 ${String(p.limit)}` : `不得大于 ${String(p.limit)}`;
      case "exclusiveMinimum":
        return `应大于 ${String(p.limit)}`;
      case "exclusiveMaximum":
        return `应小于 ${String(p.limit)}`;
      case "minLength":
        return Number(p.limit) === 1 ? "不得为空" : `不得少于 ${String(p.limit)} 个字符`;
      case "maxLength":
        return `不得超过 ${String(p.limit)} 个字符`;
      case "pattern":
        return `格式不符（应符合 ${String(p.pattern)}）`;
      case "format":
        return `应为${FORMAT_NAMES[String(p.format)] ?? String(p.format)}`;
      case "enum":
        return `应为以下之一：${(Array.isArray(p.allowedValues) ? p.allowedValues : []).map(shortJson).join("、")}`;
      case "const":
        return `应为 ${shortJson(p.allowedValue)}`;
      case "minItems":
        return `至少应有 ${String(p.limit)} 项`;
      case "maxItems":
        return `至多 ${String(p.limit)} 项`;
      case "uniqueItems":
        return `不得有重复项（第 ${Number(p.j) + 1} 项与第 ${Number(p.i) + 1} 项相同）`;
      case "minProperties":
        return `至少应有 ${String(p.limit)} 个字段`;
      case "maxProperties":
        return `至多 ${String(p.limit)} 个字段`;
      case "multipleOf":
        return `应为 ${String(p.multipleOf)} 的倍数`;
      case "anyOf":
      case "oneOf":
        return "不符合任何一种允许的形式";
      default:
        return "不符合规则";
    }
  })();
  return `${said}（规则 ${e.keyword}）`;
}

/** Chinese messages for the client errors fastify and its plugins raise themselves, by their code. */
function frameworkMessage(fe: Partial<FastifyError>, status: number): { code: string; message: string; field?: string } {
  switch (fe.code) {
    case "FST_ERR_CTP_INVALID_JSON_BODY":
      return { code: "INVALID_JSON", message: "请求体不是有效的 JSON", field: "body" };
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return { code: "INVALID_JSON", message: "请求体为空，但 Content-Type 声明为 JSON", field: "body" };
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return { code: "PAYLOAD_TOO_LARGE", message: "请求体超过了大小上限", field: "body" };
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return { code: "UNSUPPORTED_MEDIA_TYPE", message: "不支持该 Content-Type：请发送 application/json（上传文件用 multipart/form-data）", field: "headers.content-type" };
    case "FST_ERR_CTP_INVALID_CONTENT_LENGTH":
      return { code: "BAD_CONTENT_LENGTH", message: "Content-Length 与实际请求体长度不符", field: "headers.content-length" };
    case "FST_ERR_CTP_INVALID_TYPE":
      return { code: "UNSUPPORTED_MEDIA_TYPE", message: "Content-Type 不是有效的媒体类型", field: "headers.content-type" };
    case "FST_PROTO_VIOLATION":
    case "FST_CONSTRUCTOR_VIOLATION":
    case "FST_ERR_PROTO_VIOLATION":
      return { code: "INVALID_JSON", message: "请求体含有禁止的键（__proto__ 或 constructor.prototype）", field: "body" };
    case "FST_ERR_BAD_URL":
      return { code: "BAD_URL", message: "请求地址含有无效的百分号编码（%XX）", field: "url" };
    case "FST_ERR_MAX_PARAM_LENGTH":
      return { code: "URL_TOO_LONG", message: "请求地址中的路径参数过长", field: "url" };
    case "FST_INVALID_MULTIPART_CONTENT_TYPE":
      return { code: "UNSUPPORTED_MEDIA_TYPE", message: "上传须为 multipart/form-data", field: "headers.content-type" };
    case "FST_REQ_FILE_TOO_LARGE":
      return { code: "PAYLOAD_TOO_LARGE", message: "上传的文件超过了大小上限", field: "file" };
    case "FST_PARTS_LIMIT":
    case "FST_FILES_LIMIT":
    case "FST_FIELDS_LIMIT":
      return { code: "PAYLOAD_TOO_LARGE", message: "上传的表单部分过多：只发送一个文件", field: "file" };
    default:
      break;
  }
  if (status === 429) return { code: "RATE_LIMITED", message: "请求过于频繁：请稍后再试（见 Retry-After）" };
  if (status === 413) return { code: "PAYLOAD_TOO_LARGE", message: "请求体超过了大小上限", field: "body" };
  if (status === 415) return { code: "UNSUPPORTED_MEDIA_TYPE", message: "不支持该 Content-Type", field: "headers.content-type" };
  if (status === 406) return { code: "NOT_ACCEPTABLE", message: "无法以请求的格式作答" };
  const code = (fe.code ?? "BAD_REQUEST").replace(/^FST_(ERR_)?/, "").toUpperCase().replace(/[^A-Z0-9_]/g, "_");
  return { code: /^[A-Z]/.test(code) ? code : "BAD_REQUEST", message: `请求无效（${code}）` };
}

/** Map any thrown error to the response body. Exposed for tests. */
export function toErrorBody(err: unknown): ErrorBody {
  if (err instanceof RepoError) return toErrorBody(new ApiError(err.statusCode, err.code, err.message, err.field, err.details));
  const name = (err as { name?: unknown })?.name;
  if (name === "UnknownHolidayYearError") {
    const year = (err as { year?: unknown }).year;
    return { statusCode: 422, code: "HOLIDAY_DATA_MISSING", message: `没有 ${String(year)} 年的法定节假日数据（holiday 表），无法计算该年的工作日（调休会移动工作日）：请管理员导入国务院公布的 ${String(year)} 年节假日安排` };
  }
  if (name === "InvalidDateError") return { statusCode: 400, code: "INVALID_DATE", message: "不是 YYYY-MM-DD 形式的真实日期" };
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
      message: `${field}：${ruleText(first)}`,
      field,
      details: fe.validation.map((e) => ({ field: fieldOf(fe.validationContext, e), rule: e.keyword, message: ruleText(e) })),
    };
  }
  // Database constraint violations that reach here are client conflicts, not faults.
  const prismaCode = (err as { code?: unknown })?.code;
  if (prismaCode === "P2025") return { statusCode: 404, code: "NOT_FOUND", message: "记录不存在" };
  if (prismaCode === "P2034") return { statusCode: 409, code: "CONCURRENT_CHANGE", message: "与同时进行的另一项修改冲突，请重试" };
  if (prismaCode === "P1008" || prismaCode === "P2024" || /SQLITE_BUSY|database is locked/.test(String((err as { message?: unknown })?.message ?? ""))) {
    return { statusCode: 503, code: "BUSY", message: "数据库正忙于另一项修改，请稍后重试" };
  }
  switch (dbErrorKind(err)) {
    case "unique":
      return { statusCode: 409, code: "CONFLICT", message: "与已有记录重复（唯一性约束）" };
    case "foreign-key":
      return { statusCode: 409, code: "CONFLICT", message: "引用了不存在的记录，或该记录仍被引用（外键约束）" };
    case "check":
    case "not-null":
      return { statusCode: 422, code: "CONSTRAINT_VIOLATION", message: "数据库拒绝了某个取值（检查约束）" };
    case "recusal":
      return { statusCode: 422, code: "RECUSAL_VIOLATION", message: "须回避的检查人员不得检查该市场主体（回避）" };
    case "append-only":
      return { statusCode: 409, code: "APPEND_ONLY", message: "该记录不可修改或删除（只增不改）" };
    default:
      break;
  }
  const status = typeof fe?.statusCode === "number" ? fe.statusCode : 500;
  if (status >= 400 && status < 500) {
    // Framework-raised client errors (bad JSON, body too large, unsupported media type, 429 …).
    const m = frameworkMessage(fe, status);
    const body: ErrorBody = { statusCode: status, code: m.code, message: m.message };
    if (m.field !== undefined) body.field = m.field;
    return body;
  }
  if (status === 503) return { statusCode: 503, code: "UNAVAILABLE", message: "服务暂不可用，请稍后再试" };
  return { statusCode: 500, code: "INTERNAL_ERROR", message: "服务器内部错误；报告时请附上响应头中的 X-Request-Id" };
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
    const body: ErrorBody = { statusCode: 404, code: "NOT_FOUND", message: `没有这个接口：${request.method} ${printable(request.url.split("?")[0] ?? "")}` };
    return reply.status(404).send(body);
  });
}

/** fastify's `frameworkErrors`: errors of the router (bad percent-encoding, over-long parameter) in the one shape. */
export function frameworkErrors(err: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const body = toErrorBody(err);
  void reply.status(body.statusCode).send(body);
}

/**
 * fastify's `clientErrorHandler`: requests Node's HTTP parser refuses before fastify sees them
 * (headers over the size limit, malformed header lines, bad request lines), answered in the one
 * shape on the raw socket, then the connection is closed.
 */
export function clientErrorHandler(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (err.code === "ECONNRESET" || socket.destroyed) return;
  const [status, code, message] =
    err.code === "HPE_HEADER_OVERFLOW"
      ? [431, "HEADERS_TOO_LARGE", "请求头超过了大小上限"]
      : err.code === "ERR_HTTP_REQUEST_TIMEOUT"
        ? [408, "REQUEST_TIMEOUT", "请求未在时限内发送完毕"]
        : err.code === "HPE_INVALID_HEADER_TOKEN" || err.code === "HPE_INVALID_HEADER_VALUE" || err.code === "HPE_LF_EXPECTED" || err.code === "HPE_CR_EXPECTED"
          ? [400, "MALFORMED_HEADER", "请求头格式错误（名称或取值含有不允许的字符）"]
          : [400, "MALFORMED_REQUEST", "请求不是有效的 HTTP 请求"];
  const body = JSON.stringify({ statusCode: status, code, message, field: "headers" } satisfies ErrorBody);
  const head = [`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ""}`, "Content-Type: application/json; charset=utf-8", `Content-Length: ${Buffer.byteLength(body)}`, "Connection: close"];
  if (socket.writable) socket.end(`${head.join("\r\n")}\r\n\r\n${body}`);
  else socket.destroy();
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
