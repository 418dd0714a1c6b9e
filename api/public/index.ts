/**
 * The public read path (no login): JSON search endpoints under /api/public and the 公示 page at
 * /public. Registered by api/app.ts (`export default`).
 *
 * Everything is served from the read model (src/store/readModel): stored public JSON documents,
 * prepared statements, no ORM. Only published data exists there, so nothing unpublished or
 * internal (tasks in progress, inspectors, recusals, risk classes) can leak through these routes.
 * Responses carry a strong ETag (304 on If-None-Match) and Cache-Control; every route is rate
 * limited per client (`app.ssj.publicRateLimit`).
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { Type, type Static } from "@sinclair/typebox";
import { ApiError, badRequest, notFound, printable } from "../errors.ts";
import {
  MAX_PAGE_SIZE,
  openReadModel,
  readModelGeneration,
  type DocPage,
  type PublicPlanRecord,
  type PublicResultRecord,
  type ReadModel,
  type ReadModelStore,
} from "../../src/store/readModel/index.ts";
import { CACHE_ASSET, CACHE_MANIFEST, CACHE_SHORT, HTML_TYPE, JSON_TYPE, etagOf, sendCached } from "./http.ts";
import type { PublicAnchorRecord } from "../../src/store/readModel/index.ts";
import type { RepoStore } from "../../src/store/repos/db.ts";
import { listPublicPanelDraws, type PublicPanelDraw } from "../../src/store/repos/panels.ts";
import { listPublishedVerifications, type PublicVerification } from "../../src/store/repos/loopSteps.ts";
import { listPublicFrequencyCaps, type PublicFrequencyCap } from "../../src/store/repos/frequencyCaps.ts";
import {
  API_PATH,
  PAGE_PATH,
  STYLE,
  STYLE_PATH,
  manifestFileName,
  manifestUrl,
  renderDrawPage,
  renderNotFound,
  renderPage,
  verifyCommand,
  type DrawDoc,
  type SearchForm,
} from "./html.ts";
import {
  Departments,
  DrawListQuery,
  DrawPage,
  DrawIdParam,
  PlanIdParam,
  ListQuery,
  PageQuery,
  PlanDetail,
  PlanPage,
  PublishedDraw,
  ResultPage,
  ResultQuery,
  AnchorList,
} from "./schemas.ts";

export interface PublicOptions {
  /** Defaults to `app.ssj.store`. */
  store?: ReadModelStore;
  /** An already opened read model (benchmarks, tests). */
  readModel?: ReadModel;
  /** Per-client limit; defaults to `app.ssj.publicRateLimit`; `false` disables it. */
  rateLimit?: { max: number; timeWindow: string | number } | false;
  /** How long the page keeps its department/plan/draw lists (ms, default 5000; 0 = never). */
  sideListTtlMs?: number;
}

const CODE = /^(?:[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}|\d{15})$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const errorRef = Type.Ref("Error");
const errors = { 400: errorRef, 404: errorRef, 429: errorRef, 503: errorRef };

/** True when `s` is a real calendar date written YYYY-MM-DD. */
function isDay(s: string): boolean {
  if (!DAY.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

function pageJson(p: DocPage, pageSize: number, map?: (doc: string) => string): string {
  const items = map ? p.docs.map(map) : p.docs;
  return `{"items":[${items.join(",")}],"pageSize":${pageSize},"nextCursor":${p.nextCursor === null ? "null" : p.nextCursor}}`;
}

/** A stored draw document plus its download link and verification command. */
function drawJson(doc: string): string {
  const id = (JSON.parse(doc) as { id: string }).id;
  return `${doc.slice(0, -1)},"manifestUrl":${JSON.stringify(manifestUrl(id))},"verify":${JSON.stringify(verifyCommand(id))}}`;
}

const publicRoutes: FastifyPluginAsync<PublicOptions> = async (fastify, opts) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const ctx = app.hasDecorator("ssj") ? app.ssj : undefined;
  const store = opts.store ?? (ctx?.store as ReadModelStore | undefined);
  const rateLimit = opts.rateLimit ?? ctx?.publicRateLimit ?? false;

  // Open (and create) the read model at startup when the store has a driver handle; otherwise on
  // first use, answering 503 until it can.
  let opened: Promise<ReadModel> | null = opts.readModel ? Promise.resolve(opts.readModel) : null;
  const rm = async (): Promise<ReadModel> => {
    if (!opened) {
      if (!store?.raw) throw new ApiError(503, "UNAVAILABLE", "公示数据暂不可用，请稍后再试");
      opened = openReadModel(store);
    }
    try {
      return await opened;
    } catch (e) {
      opened = null;
      fastify.log.error({ err: e }, "read model unavailable");
      throw new ApiError(503, "UNAVAILABLE", "公示数据暂不可用，请稍后再试");
    }
  };
  if (!opened && store?.raw) {
    // A read model that cannot be opened (e.g. pg_trgm not installable) must not stop the
    // service: the public routes answer 503 and retry on the next request.
    await rm().catch(() => {});
  }

  const config = { access: "public" as const, ...(rateLimit ? { rateLimit } : {}) };

  // The page's side lists (departments, latest plans and draws) are the same for every search:
  // keep them a few seconds per process. Clients already accept a minute of staleness
  // (Cache-Control), so this never shows anything older than HTTP caching would; a publication
  // in this process drops them at once.
  const sideTtlMs = opts.sideListTtlMs ?? 5_000;
  const side = new Map<string, { at: number; gen: number; value: Promise<unknown> }>();
  const cached = <T>(key: string, load: () => Promise<T>): Promise<T> => {
    const hit = side.get(key);
    const now = Date.now();
    const gen = readModelGeneration();
    if (hit && hit.gen === gen && now - hit.at < sideTtlMs) return hit.value as Promise<T>;
    const value = load();
    side.set(key, { at: now, gen, value });
    value.catch(() => side.delete(key));
    return value;
  };
  const tags = ["public"];

  // 专家和人员抽取 and 告知承诺核查结果 live in the main database (low volume, not in the read
  // model; their JSON routes are api/routes/panels.ts and approvals.ts). Without it (a bare read
  // model in benchmarks) the page shows none.
  const main = ctx?.store && "prisma" in ctx.store ? (ctx.store as unknown as RepoStore) : null;
  const panelDraws = (): Promise<PublicPanelDraw[]> => (main ? cached("panelDraws", () => listPublicPanelDraws(main, { limit: 5 })) : Promise.resolve([]));
  const frequencyCaps = (): Promise<PublicFrequencyCap[]> => (main ? cached("frequencyCaps", () => listPublicFrequencyCaps(main)) : Promise.resolve([]));
  const verifications = (code: string | null): Promise<PublicVerification[]> => {
    if (!main) return Promise.resolve([]);
    if (code) return listPublishedVerifications(main, { code, limit: 50, offset: 0 });
    return cached("verifications", () => listPublishedVerifications(main, { limit: 10, offset: 0 }));
  };

  // ─── JSON API ──────────────────────────────────────────────────────────────────────────────
  app.get(
    `${API_PATH}/results`,
    {
      config,
      schema: {
        tags,
        summary: "Search published inspection results (公示的抽查结果)",
        description:
          "Filters combine with AND: `code` (统一社会信用代码/注册号, exact), `name` (substring of the entity name, " +
          "Chinese included, any length), `department` (exact), `from`/`to` (check date, inclusive). Newest publication " +
          "first; page with `cursor` = the previous page's `nextCursor`.",
        querystring: ResultQuery,
        response: { 200: ResultPage, 304: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      const q = request.query;
      if (q.from && !isDay(q.from)) throw badRequest("querystring.from：不是真实的日期（YYYY-MM-DD）（规则 date）", "querystring.from", "VALIDATION_FAILED");
      if (q.to && !isDay(q.to)) throw badRequest("querystring.to：不是真实的日期（YYYY-MM-DD）（规则 date）", "querystring.to", "VALIDATION_FAILED");
      if (q.from && q.to && q.from > q.to) throw badRequest("querystring.to：截止日期早于起始日期（规则 dateRange）", "querystring.to", "VALIDATION_FAILED");
      const name = q.name?.trim();
      const pageSize = q.pageSize ?? 20;
      const page = await (await rm()).searchResults({
        code: q.code?.toUpperCase(),
        name: name || undefined,
        department: q.department,
        from: q.from,
        to: q.to,
        pageSize,
        cursor: q.cursor,
      });
      return sendCached(request, reply, pageJson(page, pageSize), JSON_TYPE, CACHE_SHORT);
    },
  );

  app.get(
    `${API_PATH}/departments`,
    {
      config,
      schema: { tags, summary: "有已公示结果的部门", response: { 200: Departments, 304: Type.Null(), ...errors } },
    },
    async (request, reply) => {
      const items = await (await rm()).departments();
      return sendCached(request, reply, JSON.stringify({ items }), JSON_TYPE, CACHE_SHORT);
    },
  );

  app.get(
    `${API_PATH}/plans`,
    {
      config,
      schema: { tags, summary: "Published inspection plans (抽查计划)", querystring: ListQuery, response: { 200: PlanPage, 304: Type.Null(), ...errors } },
    },
    async (request, reply) => {
      const pageSize = request.query.pageSize ?? 20;
      const page = await (await rm()).listPlans(pageSize, request.query.cursor);
      return sendCached(request, reply, pageJson(page, pageSize), JSON_TYPE, CACHE_SHORT);
    },
  );

  app.get(
    `${API_PATH}/plans/:planId`,
    {
      config,
      schema: {
        tags,
        summary: "一个已公示的计划及其已公示的抽取",
        params: PlanIdParam,
        response: { 200: PlanDetail, 304: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      const m = await rm();
      const plan = await m.getPlan(request.params.planId);
      if (!plan) throw notFound(`已公示的计划“${printable(request.params.planId)}”`);
      const draws = await m.listDraws({ planId: request.params.planId, pageSize: MAX_PAGE_SIZE });
      return sendCached(request, reply, `{"plan":${plan},"draws":[${draws.docs.map(drawJson).join(",")}]}`, JSON_TYPE, CACHE_SHORT);
    },
  );

  app.get(
    `${API_PATH}/draws`,
    {
      config,
      schema: {
        tags,
        summary: "Published draws (抽取): commitment, seed, provenance, manifest link",
        querystring: DrawListQuery,
        response: { 200: DrawPage, 304: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      const pageSize = request.query.pageSize ?? 20;
      const page = await (await rm()).listDraws({ planId: request.query.planId, pageSize, cursor: request.query.cursor });
      return sendCached(request, reply, pageJson(page, pageSize, drawJson), JSON_TYPE, CACHE_SHORT);
    },
  );

  app.get(
    `${API_PATH}/draws/:drawId`,
    {
      config,
      schema: { tags, summary: "一次已公示的抽取", params: DrawIdParam, response: { 200: PublishedDraw, 304: Type.Null(), ...errors } },
    },
    async (request, reply) => {
      const doc = await (await rm()).getDraw(request.params.drawId);
      if (!doc) throw notFound(`已公示的抽取“${printable(request.params.drawId)}”`);
      return sendCached(request, reply, drawJson(doc), JSON_TYPE, CACHE_SHORT);
    },
  );

  app.get(
    `${API_PATH}/draws/:drawId/manifest.json`,
    {
      config,
      schema: {
        tags,
        summary: "下载已公示抽取的清单（用 `ssj verify <文件>` 离线核验）",
        params: DrawIdParam,
        response: { 200: Type.Any({ description: "the manifest, byte for byte as published" }), 304: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      const id = request.params.drawId;
      const m = await (await rm()).getManifest(id);
      if (!m) throw notFound(`已公示的抽取“${printable(String(id))}”`);
      reply.header("content-disposition", `attachment; filename="${manifestFileName(id)}"`);
      return sendCached(request, reply, m.text, JSON_TYPE, CACHE_MANIFEST, m.etag);
    },
  );

  app.get(
    `${API_PATH}/audit/anchors`,
    {
      config,
      schema: {
        tags,
        summary: "公布的审计日志链头（每次抽取事件及每日至少一次）：保存一份，用 ssj audit verify --anchors 核对日志未被截断或重算",
        querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, default: 1000 })) }, { additionalProperties: false }),
        response: { 200: AnchorList, 304: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      const items = await (await rm()).listAnchors(request.query.limit ?? 1000);
      return sendCached(request, reply, `{"items":[${items.join(",")}]}`, JSON_TYPE, CACHE_SHORT);
    },
  );

  // ─── 公示 page ─────────────────────────────────────────────────────────────────────────────
  const hidden = { hide: true };

  app.get(STYLE_PATH, { config, schema: hidden }, async (request, reply) =>
    sendCached(request, reply, STYLE, "text/css; charset=utf-8", CACHE_ASSET, etagOf(STYLE)),
  );

  app.get(
    PAGE_PATH,
    { config, schema: { ...hidden, querystring: PageQuery } },
    async (request: FastifyRequest<{ Querystring: Static<typeof PageQuery> }>, reply: FastifyReply) => {
      const raw = request.query;
      const form: SearchForm = {
        q: (raw.q ?? "").trim(),
        department: (raw.department ?? "").trim(),
        from: (raw.from ?? "").trim(),
        to: (raw.to ?? "").trim(),
      };
      const m = await rm();
      let error: string | null = null;
      if (form.from && !isDay(form.from)) error = "“检查日期自”不是有效日期，请按 年-月-日 填写。";
      else if (form.to && !isDay(form.to)) error = "“检查日期至”不是有效日期，请按 年-月-日 填写。";
      else if (form.from && form.to && form.from > form.to) error = "“检查日期自”晚于“检查日期至”。";
      const cursor = raw.cursor && /^\d{1,15}$/.test(raw.cursor) ? Number(raw.cursor) : undefined;
      const upper = form.q.toUpperCase();
      const searchedBy = !form.q ? null : CODE.test(upper) ? "code" : "name";
      const [departments, page, plans, draws, anchors, panels, outcomes, caps] = await Promise.all([
        cached("departments", () => m.departments()),
        error
          ? Promise.resolve<DocPage>({ docs: [], nextCursor: null })
          : m.searchResults({
              code: searchedBy === "code" ? upper : undefined,
              name: searchedBy === "name" ? form.q : undefined,
              department: form.department || undefined,
              from: form.from || undefined,
              to: form.to || undefined,
              pageSize: 20,
              cursor,
            }),
        cached("plans", () => m.listPlans(5)),
        cached("draws", () => m.listDraws({ pageSize: 5 })),
        cached("anchors", () => m.listAnchors(5)),
        panelDraws(),
        verifications(searchedBy === "code" && !error ? upper : null),
        frequencyCaps(),
      ]);
      const html = renderPage({
        form,
        searchedBy,
        departments,
        results: page.docs.map((d) => JSON.parse(d) as PublicResultRecord),
        nextCursor: page.nextCursor,
        firstPage: cursor === undefined,
        error,
        plans: plans.docs.map((d) => JSON.parse(d) as PublicPlanRecord),
        draws: draws.docs.map((d) => JSON.parse(d) as DrawDoc),
        anchors: anchors.map((d) => JSON.parse(d) as PublicAnchorRecord),
        panelDraws: panels,
        verifications: outcomes,
        frequencyCaps: caps,
      });
      if (error) return reply.code(400).type(HTML_TYPE).header("cache-control", "no-store").send(html);
      return sendCached(request, reply, html, HTML_TYPE, CACHE_SHORT);
    },
  );

  app.get(`${PAGE_PATH}/draws/:drawId`, { config, schema: { ...hidden, params: DrawIdParam } }, async (request, reply) => {
    const doc = await (await rm()).getDraw(request.params.drawId);
    if (!doc) return reply.code(404).type(HTML_TYPE).send(renderNotFound(`没有编号为 ${request.params.drawId} 的已公示抽取。`));
    return sendCached(request, reply, renderDrawPage(JSON.parse(doc) as DrawDoc), HTML_TYPE, CACHE_SHORT);
  });
};

export default publicRoutes;
