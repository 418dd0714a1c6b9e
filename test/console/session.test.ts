/**
 * Console sessions as an opponent would try them: cookie attributes, CSRF on every unsafe API call
 * made with the cookie, lockout after repeated failures (and no hint whether an account exists),
 * idle timeout, password change ending other sessions, an administrator's reset forcing a change,
 * a disabled user's session dying at once.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { consoleFixture, cookieOf, LOGINS, PASSWORDS, type ConsoleFixture } from "./helpers.ts";
import { sessionFor, SESSION_POLICY } from "../../src/store/repos/accounts.ts";

describe("console sessions over the API", () => {
  let fx: ConsoleFixture;
  beforeAll(async () => {
    fx = await consoleFixture();
  });
  afterAll(async () => fx.close());

  it("login sets an HttpOnly, SameSite=Strict cookie (Secure behind TLS) and the cookie authenticates API calls", async () => {
    const res = await fx.app.inject({ method: "POST", url: "/session", payload: { login: LOGINS.officerA, password: PASSWORDS.officerA } });
    expect(res.statusCode, res.body).toBe(200);
    const set = String(res.headers["set-cookie"]);
    expect(set).toMatch(/ssj_session=[A-Za-z0-9_-]{43}/);
    expect(set).toContain("HttpOnly");
    expect(set).toContain("SameSite=Strict");
    expect(set).not.toContain("Secure");
    const me = await fx.app.inject({ method: "GET", url: "/me", headers: { cookie: cookieOf(res) } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ role: "officer", departmentId: fx.dept.a });
    process.env.SSJ_COOKIE_SECURE = "1";
    try {
      const tls = await fx.app.inject({ method: "POST", url: "/session", payload: { login: LOGINS.officerA, password: PASSWORDS.officerA } });
      expect(String(tls.headers["set-cookie"])).toContain("Secure");
    } finally {
      delete process.env.SSJ_COOKIE_SECURE;
    }
  });

  it("an unsafe call with the cookie needs the session's CSRF token, and a cross-site Origin is refused", async () => {
    const { cookie, csrf } = await fx.session("officerA");
    const body = { year: 2026, name: "CSRF 测试计划" };
    const none = await fx.app.inject({ method: "POST", url: "/plans", headers: { cookie }, payload: body });
    expect(none.statusCode).toBe(403);
    expect(none.json().code).toBe("CSRF_FAILED");
    const wrong = await fx.app.inject({ method: "POST", url: "/plans", headers: { cookie, "x-csrf-token": `${csrf}x` }, payload: body });
    expect(wrong.json().code).toBe("CSRF_FAILED");
    const foreign = await fx.app.inject({ method: "POST", url: "/plans", headers: { cookie, "x-csrf-token": csrf, origin: "https://evil.example", host: "ssj.local" }, payload: body });
    expect(foreign.json().code).toBe("CSRF_FAILED");
    const ok = await fx.app.inject({ method: "POST", url: "/plans", headers: { cookie, "x-csrf-token": csrf }, payload: body });
    expect(ok.statusCode, ok.body).toBe(201);
    // another user's CSRF token does not fit this session
    const other = await fx.session("officerB");
    const mixed = await fx.app.inject({ method: "POST", url: "/plans", headers: { cookie, "x-csrf-token": other.csrf }, payload: { ...body, name: "另一个" } });
    expect(mixed.json().code).toBe("CSRF_FAILED");
  });

  it("the role matrix applies to cookie users exactly as to tokens", async () => {
    const { cookie, csrf } = await fx.session("auditor");
    const res = await fx.app.inject({ method: "POST", url: "/plans", headers: { cookie, "x-csrf-token": csrf }, payload: { departmentId: fx.dept.a, year: 2026, name: "审计不能建计划" } });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe("FORBIDDEN");
    const b = await fx.session("officerB");
    const items = await fx.app.inject({ method: "GET", url: `/plans?department=${fx.dept.a}`, headers: { cookie: b.cookie } });
    expect(items.statusCode).toBe(403);
  });

  it("wrong passwords lock the account after the configured number of failures; unknown accounts answer the same", async () => {
    const unknown = await fx.app.inject({ method: "POST", url: "/session", payload: { login: "nobody-here", password: "whatever-123" } });
    const wrong = await fx.app.inject({ method: "POST", url: "/session", payload: { login: LOGINS.auditor, password: "wrong-password-1" } });
    expect(unknown.statusCode).toBe(401);
    expect(wrong.statusCode).toBe(401);
    expect(unknown.json()).toEqual(wrong.json());
    for (let i = 2; i < SESSION_POLICY.maxFailures; i++)
      expect((await fx.app.inject({ method: "POST", url: "/session", payload: { login: LOGINS.auditor, password: `wrong-password-${i}` } })).statusCode).toBe(401);
    const last = await fx.app.inject({ method: "POST", url: "/session", payload: { login: LOGINS.auditor, password: "wrong-password-x" } });
    expect(last.statusCode).toBe(423);
    expect(last.json().code).toBe("ACCOUNT_LOCKED");
    expect(last.json().message).toContain("锁定");
    // even the right password is refused while locked
    const right = await fx.app.inject({ method: "POST", url: "/session", payload: { login: LOGINS.auditor, password: PASSWORDS.auditor } });
    expect(right.statusCode).toBe(423);
    const audit = await fx.store.prisma.auditLog.findMany({ where: { action: "session.lockout" } });
    expect(audit.length).toBe(1);
    // an administrator's reset unlocks it (and forces a new password)
    const admin = await fx.session("admin");
    const u = await fx.store.prisma.user.findUniqueOrThrow({ where: { login: LOGINS.auditor } });
    const reset = await fx.app.inject({ method: "POST", url: `/users/${u.id}/password`, headers: { cookie: admin.cookie, "x-csrf-token": admin.csrf }, payload: { password: "Reset-pass-2026" } });
    expect(reset.statusCode, reset.body).toBe(200);
    expect(reset.json()).toMatchObject({ mustChangePassword: true, lockedUntil: null });
    const again = await fx.app.inject({ method: "POST", url: "/session", payload: { login: LOGINS.auditor, password: "Reset-pass-2026" } });
    expect(again.statusCode).toBe(200);
    expect(again.json().mustChangePassword).toBe(true);
    const cookie = cookieOf(again);
    const blocked = await fx.app.inject({ method: "GET", url: "/draws/1", headers: { cookie } });
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().code).toBe("PASSWORD_CHANGE_REQUIRED");
    const weak = await fx.app.inject({ method: "POST", url: "/session/password", headers: { cookie, "x-csrf-token": again.json().csrfToken }, payload: { currentPassword: "Reset-pass-2026", newPassword: "short" } });
    expect(weak.statusCode).toBe(400);
    expect(weak.json()).toMatchObject({ field: "body.newPassword" });
    expect(weak.json().message).toContain("至少 10 个字符");
    const changed = await fx.app.inject({ method: "POST", url: "/session/password", headers: { cookie, "x-csrf-token": again.json().csrfToken }, payload: { currentPassword: "Reset-pass-2026", newPassword: PASSWORDS.auditor } });
    expect(changed.statusCode, changed.body).toBe(204);
    expect((await fx.app.inject({ method: "GET", url: "/audit/verify", headers: { cookie } })).statusCode).toBe(200);
    const log = await fx.store.prisma.auditLog.findMany({ where: { subject: `user:${u.id}` }, orderBy: { seq: "asc" } });
    expect(log.map((l) => l.action)).toEqual(expect.arrayContaining(["session.lockout", "user.password.reset", "session.login", "user.password.change"]));
    for (const l of log) expect(l.payload).not.toMatch(/pass-2026/);
  });

  it("a password change ends the user's other sessions; logout ends this one", async () => {
    const first = await fx.session("officerB");
    const second = await fx.session("officerB");
    const change = await fx.app.inject({ method: "POST", url: "/session/password", headers: { cookie: second.cookie, "x-csrf-token": second.csrf }, payload: { currentPassword: PASSWORDS.officerB, newPassword: "OfficerB-new-2026" } });
    expect(change.statusCode, change.body).toBe(204);
    expect((await fx.app.inject({ method: "GET", url: "/me", headers: { cookie: first.cookie } })).statusCode).toBe(401);
    expect((await fx.app.inject({ method: "GET", url: "/me", headers: { cookie: second.cookie } })).statusCode).toBe(200);
    const out = await fx.app.inject({ method: "DELETE", url: "/session", headers: { cookie: second.cookie, "x-csrf-token": second.csrf } });
    expect(out.statusCode).toBe(204);
    expect((await fx.app.inject({ method: "GET", url: "/me", headers: { cookie: second.cookie } })).statusCode).toBe(401);
    // restore for the other tests
    const again = await fx.app.inject({ method: "POST", url: "/session", payload: { login: LOGINS.officerB, password: "OfficerB-new-2026" } });
    const s = { cookie: cookieOf(again), csrf: again.json().csrfToken };
    await fx.app.inject({ method: "POST", url: "/session/password", headers: { cookie: s.cookie, "x-csrf-token": s.csrf }, payload: { currentPassword: "OfficerB-new-2026", newPassword: PASSWORDS.officerB } });
  });

  it("an idle session ends after the idle timeout; a disabled user's session ends at once", async () => {
    const { cookie } = await fx.session("officerA");
    const token = cookie.split("=")[1]!;
    expect(await sessionFor(fx.store, token)).not.toBeNull();
    const later = new Date(Date.now() + (SESSION_POLICY.idleMinutes + 1) * 60_000);
    expect(await sessionFor(fx.store, token, later)).toBeNull();
    expect((await fx.app.inject({ method: "GET", url: "/me", headers: { cookie } })).statusCode).toBe(401);

    const admin = await fx.session("admin");
    const mk = await fx.app.inject({ method: "POST", url: "/users", headers: { cookie: admin.cookie, "x-csrf-token": admin.csrf }, payload: { name: "临时科员", role: "officer", department: String(fx.dept.a), login: "t-temp", password: "Temp-pass-2026" } });
    expect(mk.statusCode, mk.body).toBe(201);
    expect(mk.json().token).toBeUndefined();
    const s = await fx.app.inject({ method: "POST", url: "/session", payload: { login: "t-temp", password: "Temp-pass-2026" } });
    const temp = cookieOf(s);
    const off = await fx.app.inject({ method: "POST", url: `/users/${mk.json().user.id}/revoke`, headers: { cookie: admin.cookie, "x-csrf-token": admin.csrf } });
    expect(off.statusCode).toBe(200);
    expect((await fx.app.inject({ method: "GET", url: "/me", headers: { cookie: temp } })).statusCode).toBe(401);
    expect((await fx.app.inject({ method: "POST", url: "/session", payload: { login: "t-temp", password: "Temp-pass-2026" } })).statusCode).toBe(401);
  });

  it("bearer tokens keep working, and a token user has no password to change", async () => {
    const me = await fx.as("officerA", { method: "GET", url: "/session" });
    expect(me.statusCode).toBe(200);
    expect(me.json().via).toBe("token");
    const pw = await fx.as("officerA", { method: "POST", url: "/session/password", payload: { currentPassword: "x", newPassword: "Whatever-2026" } });
    expect(pw.statusCode).toBe(400);
  });
});
