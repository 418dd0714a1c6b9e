import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../api/app.ts";
import { fixture, type Fixture } from "./helpers.ts";

describe("cross-cutting behaviour", () => {
  let fx: Fixture;
  beforeAll(async () => {
    fx = await fixture();
    // extra routes for this test only (added before the app is ready)
    fx.app.get("/__boom", { config: { access: "public" } }, async () => {
      throw new Error("secret internals at /srv/ssj/db.ts:42");
    });
    fx.app.get("/__limited", { config: { access: "public", rateLimit: { max: 2, timeWindow: "1 minute" } } }, async () => ({ ok: true }));
  });
  afterAll(async () => fx.close());

  it("a validation error names the field and the rule", async () => {
    const res = await fx.as("admin", { method: "POST", url: "/departments", payload: { code: "X", name: "某局", level: "city", districtCode: "46" } });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body).toMatchObject({ statusCode: 400, code: "VALIDATION_FAILED", field: "body.districtCode" });
    expect(body.message).toMatch(/pattern/);
    const extra = await fx.as("admin", { method: "POST", url: "/departments", payload: { code: "X", name: "某局", level: "city", districtCode: "460100", boss: "x" } });
    expect(extra.json()).toMatchObject({ code: "VALIDATION_FAILED", field: "body.boss" });
    const query = await fx.as("admin", { method: "GET", url: "/entities?limit=100000" });
    expect(query.json()).toMatchObject({ code: "VALIDATION_FAILED", field: "querystring.limit" });
    const param = await fx.as("admin", { method: "GET", url: "/plans/abc" });
    expect(param.json()).toMatchObject({ code: "VALIDATION_FAILED", field: "params.id" });
  });

  it("malformed JSON → 400 INVALID_JSON; wrong media type → 415; too large → 413", async () => {
    const bad = await fx.as("admin", { method: "POST", url: "/users", payload: '{"name": "x",', headers: { "content-type": "application/json" } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ statusCode: 400, code: "INVALID_JSON" });
    const media = await fx.as("admin", { method: "POST", url: "/users", payload: "name=x", headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(media.statusCode).toBe(415);
    expect(media.json().code).toBe("UNSUPPORTED_MEDIA_TYPE");
    const big = await fx.as("admin", { method: "POST", url: "/users", payload: JSON.stringify({ name: "x".repeat(1_100_000), role: "auditor" }), headers: { "content-type": "application/json" } });
    expect(big.statusCode).toBe(413);
    expect(big.json().code).toBe("PAYLOAD_TOO_LARGE");
  });

  it("an unexpected fault is a 500 without internals, with the request id to quote", async () => {
    const res = await fx.as("public", { method: "GET", url: "/__boom" });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ statusCode: 500, code: "INTERNAL_ERROR", message: expect.any(String) });
    expect(res.body).not.toMatch(/secret|\/srv|at /);
    expect(res.headers["x-request-id"]).toBeTruthy();
  });

  it("security headers on every response", async () => {
    const res = await fx.as("admin", { method: "GET", url: "/departments" });
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
    expect(res.headers["strict-transport-security"]).toBeDefined();
    expect(String(res.headers["content-security-policy"])).toMatch(/frame-ancestors 'none'/);
    expect(res.headers["x-powered-by"]).toBeUndefined();
  });

  it("rate limiting (opt-in per route) answers 429 in the error shape", async () => {
    const codes: number[] = [];
    for (let i = 0; i < 3; i++) codes.push((await fx.as("public", { method: "GET", url: "/__limited" })).statusCode);
    expect(codes).toEqual([200, 200, 429]);
    const res = await fx.as("public", { method: "GET", url: "/__limited" });
    expect(res.json()).toMatchObject({ statusCode: 429, code: "RATE_LIMITED" });
    expect(res.headers["retry-after"]).toBeDefined();
  });

  it("OpenAPI documents every route with its roles and the bearer scheme", async () => {
    const res = await fx.as("public", { method: "GET", url: "/docs/json" });
    const doc = res.json();
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: "http", scheme: "bearer" });
    expect(doc.paths["/draws/{id}/run"].post.description).toMatch(/Roles: admin, officer/);
    expect(doc.paths["/draws/{id}/run"].post.security).toEqual([{ bearer: [] }]);
    expect(doc.paths["/tasks/{id}/result"].put.requestBody).toBeDefined();
    const ui = await fx.as("public", { method: "GET", url: "/docs" });
    expect([200, 302]).toContain(ui.statusCode);
  });
});

describe("structured logs", () => {
  it("one JSON line per request with the request id; tokens are not logged", async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _enc, cb) {
        lines.push(...String(chunk).split("\n").filter(Boolean));
        cb();
      },
    });
    const fx = await fixture();
    const app = await buildApp({ store: fx.store, logger: { level: "info", stream, redact: ["req.headers.authorization"] } });
    const res = await app.inject({ method: "GET", url: "/me", headers: { authorization: `Bearer ${fx.tokens.admin}`, "x-request-id": "trace-me-1" } });
    expect(res.statusCode).toBe(200);
    await app.close();
    await fx.close();
    const parsed = lines.map((l) => JSON.parse(l) as { reqId?: string; msg: string });
    expect(parsed.some((l) => l.reqId === "trace-me-1" && l.msg === "request completed")).toBe(true);
    expect(lines.join("\n")).not.toContain(fx.tokens.admin);
  });
});
