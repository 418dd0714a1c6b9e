import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { buildApp } from "../../api/app.ts";
import type { ApiStore } from "../../api/storeTypes.ts";

function fakeStore(overrides: Partial<ApiStore> = {}): ApiStore {
  return { kind: "sqlite", schemaVersion: async () => "20261124_init", close: async () => {}, ...overrides } as ApiStore;
}

describe("foundation", () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildApp({ store: fakeStore() });
  });
  afterAll(async () => app.close());

  it("GET /health reports database kind and schema version", async () => {
    const res = await app.inject({ method: "GET", url: "/health" });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: "ok", database: "sqlite", schemaVersion: "20261124_init" });
    expect(res.headers["x-request-id"]).toBeTruthy();
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
  });

  it("echoes an incoming request id", async () => {
    const res = await app.inject({ method: "GET", url: "/health", headers: { "x-request-id": "abc-123" } });
    expect(res.headers["x-request-id"]).toBe("abc-123");
  });

  it("GET /ready is 200 when migrated", async () => {
    const res = await app.inject({ method: "GET", url: "/ready" });
    expect(res.statusCode).toBe(200);
    expect(res.json().status).toBe("ready");
  });

  it("unknown routes answer the error shape", async () => {
    const res = await app.inject({ method: "GET", url: "/nope" });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ statusCode: 404, code: "NOT_FOUND" });
  });

  it("serves OpenAPI at /docs", async () => {
    const res = await app.inject({ method: "GET", url: "/docs/json" });
    expect(res.statusCode).toBe(200);
    expect(res.json().paths["/health"]).toBeDefined();
  });

  it("rejects a malformed bearer token with 401", async () => {
    const res = await app.inject({ method: "GET", url: "/health", headers: { authorization: "Bearer nope" } });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ statusCode: 401, code: "UNAUTHENTICATED" });
  });
});

describe("readiness failures", () => {
  it("503 without stack when the database is down", async () => {
    const app = await buildApp({
      store: fakeStore({
        schemaVersion: async () => {
          throw new Error("connection refused at /secret/path");
        },
      }),
    });
    const res = await app.inject({ method: "GET", url: "/ready" });
    expect(res.statusCode).toBe(503);
    expect(res.body).not.toContain("secret");
    expect(res.json().code).toBe("DATABASE_UNAVAILABLE");
    await app.close();
  });

  it("503 NOT_MIGRATED when the schema has no version", async () => {
    const app = await buildApp({ store: fakeStore({ schemaVersion: async () => null }) });
    const res = await app.inject({ method: "GET", url: "/ready" });
    expect(res.statusCode).toBe(503);
    expect(res.json().code).toBe("NOT_MIGRATED");
    await app.close();
  });
});
