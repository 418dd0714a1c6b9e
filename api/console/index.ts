/**
 * The console (工作台) at /console: server-rendered Chinese pages over the same API, for
 * administrators, department officers (科员) and auditors. Registered by api/app.ts.
 *
 * Why server-rendered pages and not a Vue/Element Plus bundle: the 公示 page already sets the
 * standard (plain HTML, accessible, fast, no framework); forms and tables work without a script,
 * nothing is built at install time (no bundler in `npm ci`, no build step to forget), and nothing
 * is fetched at run time. One small script (assets/console.js) adds what must happen in the
 * browser: the department's seed secret (Web Crypto), instant checks and upload progress.
 *
 * Every page runs through `runPage`: session → (must change password) → role → CSRF → handler;
 * handlers call the API in-process as the user (framework.ts), so the console can never do what
 * the API refuses that user.
 */
import { readFileSync } from "node:fs";
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import multipart from "@fastify/multipart";
import { etagOf, etagMatches } from "../public/http.ts";
import { sameSecret, type SessionInfo } from "../../src/store/repos/accounts.ts";
import { crossSite } from "../session.ts";
import { problemPage, readFlash, sendHtml, setFlash } from "./respond.ts";
import { ApiCallError, ConsoleApi, parseForm, type ConsolePage, type FormBody, type PageContext, type PageResult } from "./framework.ts";
import { CONSOLE, ROLE_LABEL, SCRIPT_URL, STYLE_URL, layout, navFor, type LayoutUser } from "./layout.ts";
import { PAGES } from "./pages/index.ts";
import { loginRoutes } from "./pages/login.ts";

export const CONSOLE_CSP = "default-src 'self';base-uri 'self';form-action 'self';frame-ancestors 'none';img-src 'self' data: blob:;object-src 'none';script-src 'self';script-src-attr 'none';style-src 'self'";

const ASSETS: Record<string, { type: string; body: string }> = {
  [STYLE_URL]: { type: "text/css; charset=utf-8", body: readFileSync(new URL("./assets/console.css", import.meta.url), "utf8") },
  [SCRIPT_URL]: { type: "text/javascript; charset=utf-8", body: readFileSync(new URL("./assets/console.js", import.meta.url), "utf8") },
};


/** Department names for the header (any role may list departments), kept 30 s per process. */
function departmentNames(app: FastifyInstance) {
  let cache: { at: number; names: Map<number, string> } | null = null;
  return async (api: ConsoleApi): Promise<Map<number, string>> => {
    if (cache && Date.now() - cache.at < 30_000) return cache.names;
    const list = await api.get<{ id: number; name: string }[]>("/departments");
    cache = { at: Date.now(), names: new Map(list.map((d) => [d.id, d.name])) };
    void app;
    return cache.names;
  };
}

const ERROR_TITLE: Record<number, string> = { 400: "请求有误", 403: "无权访问", 404: "未找到", 409: "操作冲突", 413: "文件过大", 422: "无法处理", 423: "账号已锁定", 503: "服务暂不可用" };

async function collectMultipart(request: FastifyRequest): Promise<{ form: FormBody; files: PageContext["files"] }> {
  const form: FormBody = {};
  const files: PageContext["files"] = {};
  for await (const part of request.parts()) {
    if (part.type === "file") {
      const data = await part.toBuffer();
      if (data.length > 0) files[part.fieldname] = { filename: part.filename, mimetype: part.mimetype, data };
    } else {
      const prev = form[part.fieldname];
      const v = String(part.value);
      form[part.fieldname] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
    }
  }
  return { form, files };
}

function send(request: FastifyRequest, reply: FastifyReply, r: PageResult): FastifyReply {
  if (r.kind === "redirect") {
    if (r.flash) setFlash(request, reply, r.flash);
    return reply.status(303).header("cache-control", "no-store").redirect(r.to, 303);
  }
  if (r.kind === "file") {
    return reply
      .status(200)
      .header("cache-control", "no-store")
      .header("content-type", r.contentType)
      .header("content-disposition", `attachment; filename*=UTF-8''${encodeURIComponent(r.name)}`)
      .send(r.body);
  }
  return sendHtml(reply, r.status, r.html);
}

const consolePlugin: FastifyPluginAsync = async (app) => {
  await app.register(multipart, { limits: { fileSize: app.ssj.uploadLimit, files: 1, fields: 50, parts: 60 } });
  app.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "string" }, (_req, body, done) => done(null, parseForm(body as string)));
  const names = departmentNames(app);
  // The console's own policy: everything from this server only; no `upgrade-insecure-requests`
  // (an intranet served over plain HTTP must still load its stylesheet); forms send their Origin.
  app.addHook("onRequest", (request, reply, done) => {
    reply.header("content-security-policy", `${CONSOLE_CSP}${request.protocol === "https" ? ";upgrade-insecure-requests" : ""}`);
    reply.header("referrer-policy", "same-origin");
    done();
  });

  for (const [url, asset] of Object.entries(ASSETS)) {
    const etag = etagOf(asset.body);
    app.get(url, { schema: { hide: true } }, async (request, reply) => {
      reply.header("etag", etag).header("cache-control", "no-cache");
      if (etagMatches(request.headers["if-none-match"], etag)) return reply.code(304).send();
      return reply.type(asset.type).send(asset.body);
    });
  }

  await loginRoutes(app);

  const userOf = async (api: ConsoleApi, s: SessionInfo): Promise<LayoutUser> => ({
    name: s.principal.name,
    role: s.principal.role,
    departmentName: s.principal.departmentId === null ? null : (await names(api).catch(() => new Map<number, string>())).get(s.principal.departmentId) ?? null,
    csrfToken: s.csrfToken,
  });

  const runPage = (page: ConsolePage) => async (request: FastifyRequest, reply: FastifyReply) => {
    const s = request.session;
    const method = page.method ?? "GET";
    if (!s) {
      const next = method === "GET" ? `?next=${encodeURIComponent(request.url)}` : "";
      return reply.status(303).header("cache-control", "no-store").redirect(`${CONSOLE}/login${next}`, 303);
    }
    const api = new ConsoleApi(app, request, s);
    const user = await userOf(api, s);
    const path = request.url.split("?")[0]!;
    const nav = navFor(PAGES, s.principal.role, path);
    if (s.mustChangePassword && page.path !== `${CONSOLE}/password`) return reply.status(303).redirect(`${CONSOLE}/password`, 303);
    if (!page.roles.includes(s.principal.role)) {
      return sendHtml(reply, 403, problemPage("无权访问", `“${page.title}”页面不对${ROLE_LABEL[s.principal.role]}开放：您的角色不能执行此页面的操作。`, user, nav));
    }
    let form: FormBody = {};
    let files: PageContext["files"] = {};
    if (method === "POST") {
      if (page.multipart && request.isMultipart()) ({ form, files } = await collectMultipart(request));
      else form = (request.body as FormBody | undefined) ?? {};
      const token = form._csrf;
      if (typeof token !== "string" || !sameSecret(token, s.csrfToken) || crossSite(request))
        return sendHtml(reply, 403, problemPage("请求已过期", "表单缺少有效的安全令牌（CSRF）或来自其他站点：请返回、刷新页面后重试。", user, nav));
    }
    const flash = method === "GET" ? readFlash(request, reply) : null;
    const ctx: PageContext = {
      request,
      reply,
      session: s,
      role: s.principal.role,
      departmentId: s.principal.departmentId,
      params: (request.params ?? {}) as Record<string, string>,
      query: Object.fromEntries(Object.entries((request.query ?? {}) as Record<string, unknown>).map(([k, v]) => [k, String(Array.isArray(v) ? v[0] : v ?? "")])),
      form,
      files,
      api,
      render: (body, o = {}) => ({ kind: "html", status: o.status ?? 200, html: layout({ title: o.title ?? page.title, user, nav, flash, body, wide: o.wide }) }),
      redirect: (to, message) => ({ kind: "redirect", to, flash: message }),
      file: (name, contentType, body) => ({ kind: "file", name, contentType, body }),
      bare: (body) => ({ kind: "html", status: 200, html: body }),
    };
    try {
      return send(request, reply, await page.handler(ctx));
    } catch (e) {
      if (e instanceof ApiCallError) {
        if (e.statusCode === 401) return reply.status(303).redirect(`${CONSOLE}/login`, 303);
        return sendHtml(reply, e.statusCode, problemPage(ERROR_TITLE[e.statusCode] ?? "操作未完成", e.message, user, nav));
      }
      throw e;
    }
  };

  for (const page of PAGES) app.route({ method: page.method ?? "GET", url: page.path, schema: { hide: true }, handler: runPage(page) });
};

export default consolePlugin;

