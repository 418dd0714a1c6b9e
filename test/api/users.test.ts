import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixture, type Fixture } from "./helpers.ts";
import { hashToken } from "../../api/auth.ts";

describe("users and tokens", () => {
  let fx: Fixture;
  beforeAll(async () => {
    fx = await fixture();
  });
  afterAll(async () => fx.close());

  it("GET /me identifies the token's user", async () => {
    const res = await fx.as("officerA", { method: "GET", url: "/me" });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ name: "执法员甲", role: "officer", departmentId: fx.dept.a });
  });

  it("no token → 401, revoked token → 401, unknown token → 401", async () => {
    expect((await fx.as("public", { method: "GET", url: "/me" })).statusCode).toBe(401);
    expect((await fx.as("revoked", { method: "GET", url: "/me" })).statusCode).toBe(401);
    const res = await fx.app.inject({ method: "GET", url: "/me", headers: { authorization: `Bearer ssj_${"A".repeat(43)}` } });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe("UNAUTHENTICATED");
  });

  it("stores only the SHA-256 of a token, and the token is returned once", async () => {
    const res = await fx.as("admin", { method: "POST", url: "/users", payload: { name: "新审计员", role: "auditor" } });
    expect(res.statusCode).toBe(201);
    const { user, token } = res.json();
    expect(token).toMatch(/^ssj_/);
    const row = await fx.store.prisma.user.findUnique({ where: { id: user.id } });
    expect(row!.tokenHash).toBe(hashToken(token));
    expect(row!.tokenHash).not.toContain(token.slice(4, 20));
    const list = await fx.as("admin", { method: "GET", url: "/users" });
    expect(list.body).not.toContain(token);
    expect(list.body).not.toContain(row!.tokenHash);
    const me = await fx.app.inject({ method: "GET", url: "/me", headers: { authorization: `Bearer ${token}` } });
    expect(me.json().name).toBe("新审计员");
  });

  it("an officer needs a department; validation names the field", async () => {
    const res = await fx.as("admin", { method: "POST", url: "/users", payload: { name: "无部门", role: "officer" } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: "VALIDATION_FAILED", field: "department" });
    const bad = await fx.as("admin", { method: "POST", url: "/users", payload: { name: "x", role: "root" } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: "VALIDATION_FAILED" });
    expect(bad.json().field).toMatch(/^body\.role/);
  });

  it("revoking a user makes its token fail and is audited", async () => {
    const created = (await fx.as("admin", { method: "POST", url: "/users", payload: { name: "临时", role: "auditor" } })).json();
    const r = await fx.as("admin", { method: "POST", url: `/users/${created.user.id}/revoke` });
    expect(r.statusCode).toBe(200);
    const me = await fx.app.inject({ method: "GET", url: "/me", headers: { authorization: `Bearer ${created.token}` } });
    expect(me.statusCode).toBe(401);
    const again = await fx.as("admin", { method: "POST", url: `/users/${created.user.id}/revoke` });
    expect(again.statusCode).toBe(409);
    const audit = await fx.store.prisma.auditLog.findMany({ where: { subject: `user:${created.user.id}` }, orderBy: { seq: "asc" } });
    expect(audit.map((a) => a.action)).toEqual(["user.create", "user.revoke"]);
  });
});
