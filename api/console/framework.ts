/**
 * How a console page is declared and run. A page is data:
 *
 *   { path: "/console/plans", method: "GET", title: "抽查计划", roles: ["admin","officer","auditor"],
 *     nav: { group: "plans", label: "抽查计划", order: 10 },
 *     uses: ["GET /plans"],                       // the API routes it calls
 *     handler: async (ctx) => ctx.render(html`…`) }
 *
 * - `roles` decides who may open it: anyone else gets the 403 page; no session → the login page.
 *   The console test checks that `roles` never exceeds what the API's role matrix allows for
 *   every route in `uses` (test/console/pages.test.ts), and each handler calls the API through
 *   `ctx.api` with the user's own session, so the API's role and department checks apply as well.
 * - POST pages must carry the session's CSRF token in the form field `_csrf` (checked here).
 * - Handlers return a page (`ctx.render`), a redirect with a flash message, or a file.
 * Adding a page: write it in api/console/pages/<area>.ts and list it in api/console/pages/index.ts.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Role } from "../auth.ts";
import type { SessionInfo } from "../../src/store/repos/accounts.ts";
import { Html } from "./html.ts";

export type FormBody = Record<string, string | string[] | undefined>;

export interface NavEntry {
  /** Menu group (see GROUPS in layout.ts). */
  group: string;
  label: string;
  order: number;
}

export interface PageContext {
  request: FastifyRequest;
  reply: FastifyReply;
  session: SessionInfo;
  role: Role;
  departmentId: number | null;
  params: Record<string, string>;
  query: Record<string, string>;
  /** Parsed form (urlencoded or multipart fields); {} for GET. */
  form: FormBody;
  /** Uploaded file of a multipart form (field name → bytes and name). */
  files: Record<string, { filename: string; mimetype: string; data: Buffer }>;
  api: ConsoleApi;
  /** A full page with the console layout. */
  render(body: Html, options?: { title?: string; status?: number; wide?: boolean }): PageResult;
  redirect(to: string, flash?: string): PageResult;
  file(name: string, contentType: string, body: Buffer | string): PageResult;
  /** Raw HTML without the layout (printouts). */
  bare(body: string): PageResult;
}

export type PageResult =
  | { kind: "html"; html: string; status: number }
  | { kind: "redirect"; to: string; flash?: string }
  | { kind: "file"; name: string; contentType: string; body: Buffer | string };

export interface ConsolePage {
  path: string;
  method?: "GET" | "POST";
  title: string;
  roles: readonly Role[];
  nav?: NavEntry;
  /** API routes ("METHOD /url" as registered) the page calls. */
  uses: readonly string[];
  /** Multipart form (file upload). */
  multipart?: boolean;
  handler(ctx: PageContext): Promise<PageResult>;
}

/** An API answer that is not a success, as the page shows it. */
export class ApiCallError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly details?: { field?: string; message?: string }[],
  ) {
    super(message);
    this.name = "ApiCallError";
  }
}

export interface RawAnswer {
  statusCode: number;
  headers: Record<string, unknown>;
  body: string;
  rawPayload: Buffer;
}

/**
 * Calls the API in-process (fastify `inject`) as the page's user: the session cookie and its
 * CSRF token are forwarded, so the API authenticates and authorizes exactly as for a direct call.
 */
export class ConsoleApi {
  constructor(
    private readonly app: FastifyInstance,
    private readonly request: FastifyRequest,
    private readonly session: SessionInfo,
  ) {}

  async raw(method: "GET" | "POST" | "PUT" | "DELETE", url: string, payload?: string | Buffer, contentType?: string): Promise<RawAnswer> {
    const headers: Record<string, string> = {
      cookie: this.request.headers.cookie ?? "",
      "x-csrf-token": this.session.csrfToken,
      "x-request-id": this.request.id,
    };
    if (this.request.headers.host) headers.host = this.request.headers.host;
    if (contentType) headers["content-type"] = contentType;
    const res = await this.app.inject({ method, url, headers, payload, remoteAddress: this.request.ip });
    return { statusCode: res.statusCode, headers: res.headers as Record<string, unknown>, body: res.body, rawPayload: res.rawPayload };
  }

  async call<T>(method: "GET" | "POST" | "PUT" | "DELETE", url: string, body?: unknown): Promise<T> {
    const res = await this.raw(method, url, body === undefined ? undefined : JSON.stringify(body), body === undefined ? undefined : "application/json");
    return answer<T>(res);
  }
  get<T>(url: string, query?: Record<string, string | number | undefined | null>): Promise<T> {
    return this.call<T>("GET", withQuery(url, query));
  }
  post<T>(url: string, body?: unknown): Promise<T> {
    return this.call<T>("POST", url, body ?? {});
  }
  put<T>(url: string, body: unknown): Promise<T> {
    return this.call<T>("PUT", url, body);
  }
  del<T>(url: string): Promise<T> {
    return this.call<T>("DELETE", url);
  }
  /** Every page of a `{ total, items }` list (limit ≤ 500). */
  async all<T>(url: string, query: Record<string, string | number | undefined> = {}, max = 100_000): Promise<T[]> {
    const out: T[] = [];
    for (let offset = 0; out.length < max; offset += 500) {
      const page = await this.get<{ total: number; items: T[] }>(url, { ...query, limit: 500, offset });
      out.push(...page.items);
      if (page.items.length < 500 || out.length >= page.total) break;
    }
    return out;
  }
}

export function answer<T>(res: RawAnswer): T {
  if (res.statusCode >= 400) {
    let b: { code?: string; message?: string; field?: string; details?: { field?: string; message?: string }[] } = {};
    try {
      b = JSON.parse(res.body);
    } catch {
      /* not JSON */
    }
    throw new ApiCallError(res.statusCode, b.code ?? "ERROR", b.message ?? `请求失败（${res.statusCode}）`, b.field, b.details);
  }
  if (res.statusCode === 204 || res.body === "") return undefined as T;
  const type = String(res.headers["content-type"] ?? "");
  return (type.includes("json") ? JSON.parse(res.body) : res.body) as T;
}

export function withQuery(url: string, query?: Record<string, string | number | undefined | null>): string {
  if (!query) return url;
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== "") p.set(k, String(v));
  const s = p.toString();
  return s ? `${url}${url.includes("?") ? "&" : "?"}${s}` : url;
}

// ── form helpers ───────────────────────────────────────────────────────────────────────────────

export const field = (f: FormBody, name: string): string => {
  const v = f[name];
  return ((Array.isArray(v) ? v[0] : v) ?? "").trim();
};
export const fields = (f: FormBody, name: string): string[] => {
  const v = f[name];
  return (v === undefined ? [] : Array.isArray(v) ? v : [v]).map((s) => s.trim()).filter((s) => s !== "");
};
/** A whole number, or undefined when empty; NaN when not a number (the API then names the field). */
export const intField = (f: FormBody, name: string): number | undefined => {
  const s = field(f, name);
  if (s === "") return undefined;
  return /^-?\d+$/.test(s) ? Number(s) : Number.NaN;
};

/** urlencoded body → FormBody (repeated names become arrays). */
export function parseForm(text: string): FormBody {
  const out: FormBody = {};
  for (const [k, v] of new URLSearchParams(text)) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}
