/** Liveness and readiness. Public, no token. */
import type { FastifyPluginAsync } from "fastify";
import { Type } from "@sinclair/typebox";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { ApiError } from "../errors.ts";
import { renderLanding } from "../console/pages/login.ts";

const Health = Type.Object({
  status: Type.Literal("ok"),
  database: Type.Union([Type.Literal("sqlite"), Type.Literal("postgresql")]),
  schemaVersion: Type.Union([Type.String(), Type.Null()], { description: "latest applied migration" }),
  migrations: Type.Optional(Type.Integer({ description: "number of applied migrations" })),
});

/** The store reports `{ name, count }`; stand-ins may report a plain string. */
function versionOf(v: unknown): { schemaVersion: string | null; migrations?: number } {
  if (v === null || v === undefined) return { schemaVersion: null };
  if (typeof v === "object" && typeof (v as { name?: unknown }).name === "string") {
    const o = v as { name: string; count?: unknown };
    return typeof o.count === "number" ? { schemaVersion: o.name, migrations: o.count } : { schemaVersion: o.name };
  }
  return { schemaVersion: String(v) };
}

const Ready = Type.Object({
  status: Type.Literal("ready"),
  database: Type.Union([Type.Literal("sqlite"), Type.Literal("postgresql")]),
  schemaVersion: Type.String(),
  migrations: Type.Optional(Type.Integer()),
});

const healthRoutes: FastifyPluginAsync = async (fastify) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const store = app.ssj.store;

  app.get(
    "/",
    { config: { access: "public" }, schema: { hide: true } },
    async (_req, reply) => reply.header("cache-control", "no-cache").type("text/html; charset=utf-8").send(renderLanding()),
  );

  app.get(
    "/health",
    {
      config: { access: "public" },
      schema: { tags: ["health"], summary: "服务状态和数据库结构版本", response: { 200: Health, 503: Type.Ref("Error") } },
    },
    async () => {
      let version: unknown;
      try {
        version = await store.schemaVersion();
      } catch {
        throw new ApiError(503, "DATABASE_UNAVAILABLE", "数据库无法连接");
      }
      return { status: "ok" as const, database: store.kind, ...versionOf(version) };
    },
  );

  app.get(
    "/ready",
    {
      config: { access: "public" },
      schema: {
        tags: ["health"],
        summary: "就绪检查：数据库可连接且已迁移（否则 503）",
        response: { 200: Ready, 503: Type.Ref("Error") },
      },
    },
    async () => {
      let version: unknown;
      try {
        version = await store.schemaVersion();
      } catch {
        throw new ApiError(503, "DATABASE_UNAVAILABLE", "数据库无法连接");
      }
      const v = versionOf(version);
      if (v.schemaVersion === null) throw new ApiError(503, "NOT_MIGRATED", "数据库尚未迁移到当前结构（运行 ssj migrate）");
      return { status: "ready" as const, database: store.kind, ...v, schemaVersion: v.schemaVersion };
    },
  );
};

export default healthRoutes;
