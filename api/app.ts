/**
 * `buildApp({ store })`: the fastify application, without listening. `api/main.ts` serves it;
 * tests call `app.inject()`.
 *
 * Cross-cutting concerns live here, once: request ids, structured logs, the one error shape
 * (`api/errors.ts`), security headers, body-size limits, rate limiting (opt-in per route),
 * bearer-token authentication and per-route roles (`api/auth.ts`), OpenAPI at `/docs`.
 * Every route group is a plugin under `api/routes/` that declares its TypeBox schemas next to
 * its handlers; this file is the one place where they are registered.
 */
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import Fastify, { LogController, type FastifyInstance, type FastifyPluginAsync, type FastifyServerOptions } from "fastify";
import type { IncomingMessage, ServerResponse } from "node:http";
import helmet, { type HelmetOptions } from "helmet";
import rateLimit from "@fastify/rate-limit";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { clientErrorHandler, ErrorBody, frameworkErrors, registerErrorHandling } from "./errors.ts";
import { registerInputRules } from "./inputRules.ts";
import AjvCompiler from "@fastify/ajv-compiler";
import { sharedRateLimitStore } from "./rateLimitStore.ts";
import type { PostgresStore } from "../src/store/index.ts";
import { registerAuth, type RouteAccess, type TokenLookup } from "./auth.ts";
import type { ApiStore, Store } from "./storeTypes.ts";
import healthRoutes from "./routes/health.ts";
import { findTokenForAuth } from "../src/store/repos/users.ts";
import apiRoutes from "./routes/index.ts";
import panelRoutes from "./routes/panels.ts";
import expertDirectoryRoutes from "./routes/experts.ts";
import jobRoutes from "./routes/jobs.ts";
import { registerSessionAuth } from "./session.ts";
import consolePlugin from "./console/index.ts";

export interface RateLimitSettings {
  /** Requests per window per client address. */
  max: number;
  /** Window, e.g. "1 minute" or milliseconds. */
  timeWindow: string | number;
}

export interface BuildAppOptions {
  store: ApiStore;
  /** `false` (default, quiet tests), `true`, or pino options. */
  logger?: FastifyServerOptions["logger"];
  /** Limit for routes that opt in with `config: { rateLimit: app.ssj.publicRateLimit }`. */
  publicRateLimit?: RateLimitSettings;
  /** Maximum JSON body size in bytes (default 1 MiB). Uploads have their own limit. */
  bodyLimit?: number;
  /** Maximum uploaded file size in bytes (default 20 MiB). */
  uploadLimit?: number;
  /** Override the token lookup (tests). Defaults to the users repository over `store`. */
  tokenLookup?: TokenLookup;
}

/** Settings shared with route plugins, including the public engineer's (`app.ssj`). */
export interface SsjAppContext {
  store: Store;
  publicRateLimit: RateLimitSettings;
  uploadLimit: number;
  /** Every route and who may call it (the role-matrix test reads this). */
  routes: RouteAccess[];
}

declare module "fastify" {
  interface FastifyInstance {
    ssj: SsjAppContext;
  }
}

export type App = FastifyInstance;

const HELMET_OPTIONS: HelmetOptions = {
  // The API answers JSON; pages (swagger-ui, the public 公示 page) set their own CSP.
  contentSecurityPolicy: { directives: { defaultSrc: ["'self'"], objectSrc: ["'none'"], frameAncestors: ["'none'"] } },
  crossOriginResourcePolicy: { policy: "same-site" },
};

/** The headers helmet would set with `options` (they do not depend on the request). */
function securityHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const res = {
    setHeader(name: string, value: unknown) {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  helmet(options)({} as IncomingMessage, res as unknown as ServerResponse, (err?: unknown) => {
    if (err) throw err;
  });
  return headers;
}

const SECURITY_HEADERS = securityHeaders(HELMET_OPTIONS);

type AjvServerOptions = NonNullable<Parameters<ReturnType<typeof AjvCompiler>>[1]>;

/** Two ajv compilers over the same shared schemas: coercing for params/querystring/headers, strict for bodies. */
function jsonBodiesUncoerced(externalSchemas: Parameters<ReturnType<typeof AjvCompiler>>[0], options?: AjvServerOptions) {
  const loose = AjvCompiler()(externalSchemas, options);
  const custom = (options as { customOptions?: Record<string, unknown> } | undefined)?.customOptions ?? {};
  const strict = AjvCompiler()(externalSchemas, { ...(options ?? {}), customOptions: { ...custom, coerceTypes: false } } as AjvServerOptions);
  return (route: Parameters<ReturnType<ReturnType<typeof AjvCompiler>>>[0]) => (route.httpPart === "body" ? strict(route) : loose(route));
}

const PUBLIC_PLUGIN = fileURLToPath(new URL("./public/index.ts", import.meta.url));

export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    requestIdHeader: "x-request-id",
    // One "request completed" line per request, from the onResponse hook below (not two).
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: () => randomUUID(),
    trustProxy: process.env.TRUST_PROXY === "1",
    routerOptions: { ignoreTrailingSlash: true },
    ajv: { customOptions: { allErrors: false, coerceTypes: "array", removeAdditional: false } },
    // Path and query text is coerced to the schema's types; a JSON body already has its types, so
    // it is validated without coercion ("1e999" is not an integer, "true" not a boolean).
    schemaController: { compilersFactory: { buildValidator: jsonBodiesUncoerced } },
    // Router errors and requests Node's parser refuses (oversized or malformed headers) in the one shape too.
    frameworkErrors,
    clientErrorHandler,
  }).withTypeProvider<TypeBoxTypeProvider>();

  const ctx: SsjAppContext = {
    store: options.store as unknown as Store,
    publicRateLimit: options.publicRateLimit ?? { max: 300, timeWindow: "1 minute" },
    uploadLimit: options.uploadLimit ?? 20 * 1024 * 1024,
    routes: [],
  };
  app.decorate("ssj", ctx);

  // Request id: accept a sane incoming X-Request-Id, always echo it back. Security headers: the
  // helmet set is static, so it is computed once here rather than by helmet on every request.
  app.addHook("onRequest", (request, reply, done) => {
    reply.header("x-request-id", request.id);
    reply.headers(SECURITY_HEADERS);
    done();
  });
  // Structured log line (with reqId) for every request, except successful public reads: those are
  // the hot path and would dominate the log at thousands per second.
  app.addHook("onResponse", (request, reply, done) => {
    if (reply.statusCode >= 400 || (request.routeOptions.config as { access?: unknown }).access !== "public") {
      reply.log.info({ req: request, res: reply, responseTime: reply.elapsedTime }, "request completed");
    }
    done();
  });

  registerErrorHandling(app);
  registerInputRules(app); // integers in the database's range, strict ids, no NUL / lone surrogates, JSON depth
  app.addSchema(ErrorBody);

  await app.register(rateLimit, {
    global: false, // opt in per route: `config: { rateLimit: app.ssj.publicRateLimit }`
    max: ctx.publicRateLimit.max,
    timeWindow: ctx.publicRateLimit.timeWindow,
    // PostgreSQL serves several instances: they count together (api/rateLimitStore.ts).
    ...(ctx.store.kind === "postgresql" && ctx.store.raw ? { store: sharedRateLimitStore(ctx.store as PostgresStore) } : {}),
  });
  await app.register(swagger, {
    openapi: {
      openapi: "3.0.3",
      info: {
        title: "ssj — 双随机、一公开 API",
        version: "0.1.0",
        description:
          "Random inspection draws, joint checks and publication. Errors always have the shape " +
          "`{ statusCode, code, message, field? }`. Send `Authorization: Bearer <token>` (tokens come from `ssj user create`).",
      },
      components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`) },
  });
  await app.register(swaggerUi, { routePrefix: "/docs", staticCSP: true });

  ctx.routes = registerAuth(app, options.tokenLookup ?? ((tokenHash) => findTokenForAuth(ctx.store, tokenHash)));
  registerSessionAuth(app, ctx.store); // console users: session cookie + CSRF (api/session.ts)

  await app.register(healthRoutes);
  await app.register(apiRoutes);
  await app.register(panelRoutes); // 专家和人员抽取 (api/routes/panels.ts)
  await app.register(expertDirectoryRoutes); // 专家库检索和回避登记 (api/routes/experts.ts)
  await app.register(jobRoutes); // 后台任务的进度 (api/routes/jobs.ts)

  // ─── Public read path (another engineer): api/public/index.ts, `export default` plugin ───
  if (existsSync(PUBLIC_PLUGIN)) {
    const mod = (await import(pathToFileURL(PUBLIC_PLUGIN).href)) as { default?: FastifyPluginAsync };
    if (typeof mod.default === "function") await app.register(mod.default);
  }
  // ─────────────────────────────────────────────────────────────────────────────────────────
  await app.register(consolePlugin); // 工作台 at /console (api/console/index.ts)

  return app;
}
