/** Liveness and readiness. Public, no token. */
import type { FastifyPluginAsync } from "fastify";
import { Type } from "@sinclair/typebox";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { ApiError } from "../errors.ts";

const Health = Type.Object({
  status: Type.Literal("ok"),
  database: Type.Union([Type.Literal("sqlite"), Type.Literal("postgresql")]),
  schemaVersion: Type.Union([Type.String(), Type.Number(), Type.Null()]),
});

const Ready = Type.Object({
  status: Type.Literal("ready"),
  database: Type.Union([Type.Literal("sqlite"), Type.Literal("postgresql")]),
  schemaVersion: Type.Union([Type.String(), Type.Number(), Type.Null()]),
});

const healthRoutes: FastifyPluginAsync = async (fastify) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const store = app.ssj.store;

  app.get(
    "/health",
    {
      config: { access: "public" },
      schema: { tags: ["health"], summary: "Service health and database schema version", response: { 200: Health, 503: Type.Ref("Error") } },
    },
    async () => {
      let schemaVersion: string | number | null;
      try {
        schemaVersion = await store.schemaVersion();
      } catch {
        throw new ApiError(503, "DATABASE_UNAVAILABLE", "database unreachable");
      }
      return { status: "ok" as const, database: store.kind, schemaVersion };
    },
  );

  app.get(
    "/ready",
    {
      config: { access: "public" },
      schema: {
        tags: ["health"],
        summary: "Readiness: database reachable and migrated (503 otherwise)",
        response: { 200: Ready, 503: Type.Ref("Error") },
      },
    },
    async () => {
      let schemaVersion: string | number | null;
      try {
        schemaVersion = await store.schemaVersion();
      } catch {
        throw new ApiError(503, "DATABASE_UNAVAILABLE", "database unreachable");
      }
      if (schemaVersion === null || schemaVersion === undefined) {
        throw new ApiError(503, "NOT_MIGRATED", "database schema not migrated yet");
      }
      return { status: "ready" as const, database: store.kind, schemaVersion };
    },
  );
};

export default healthRoutes;
