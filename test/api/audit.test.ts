import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { fixture, type Fixture } from "./helpers.ts";
import { main } from "../../src/cli/main.ts";

describe("audit log", () => {
  let fx: Fixture;
  beforeAll(async () => {
    fx = await fixture();
    // a few audited changes through the API
    for (const name of ["甲", "乙", "丙"]) {
      const r = await fx.as("admin", { method: "POST", url: "/users", payload: { name: `审计员${name}`, role: "auditor" } });
      expect(r.statusCode).toBe(201);
    }
  });
  afterAll(async () => fx.close());

  it("GET /audit lists who did what, in seq order, paginated", async () => {
    const res = await fx.as("auditor", { method: "GET", url: "/audit?limit=3" });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.entries).toHaveLength(3);
    expect(body.entries.map((e: { seq: number }) => e.seq)).toEqual([1, 2, 3]);
    expect(body.nextSeq).toBe(4);
    const last = await fx.as("admin", { method: "GET", url: `/audit?fromSeq=${body.nextSeq}&limit=100` });
    const creates = last.json().entries.filter((e: { action: string; actor: string }) => e.action === "user.create" && e.actor.startsWith("user:"));
    expect(creates.length).toBe(3);
    expect(creates[0].payload).toMatchObject({ role: "auditor" });
    expect(JSON.stringify(last.json())).not.toContain("ssj_");
  });

  it("officers may not read the audit log", async () => {
    const res = await fx.as("officerA", { method: "GET", url: "/audit" });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe("FORBIDDEN");
  });

  it("GET /audit/verify reports an intact chain", async () => {
    const res = await fx.as("auditor", { method: "GET", url: "/audit/verify" });
    expect(res.json()).toMatchObject({ ok: true });
    expect(res.json().count).toBeGreaterThanOrEqual(8);
  });

  it("ssj audit verify exits 0 when intact, 1 naming the first edited row", async () => {
    if (fx.store.kind !== "sqlite") throw new Error("this test tampers with a SQLite file");
    const url = `file:${fx.store.path}`;
    const old = process.env.DATABASE_URL;
    process.env.DATABASE_URL = url;
    const err = vi.spyOn(console, "error").mockImplementation(() => {});
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    try {
      expect(await main(["audit", "verify"])).toBe(0);
      // Tamper with row 4 behind the application's back (the triggers forbid it; drop them first).
      const raw = fx.store.raw;
      raw.exec(`DROP TRIGGER IF EXISTS "audit_log_no_update"; DROP TRIGGER IF EXISTS "audit_log_no_delete";`);
      raw.prepare(`UPDATE audit_log SET actor = 'user:999' WHERE seq = 4`).run();
      expect(await main(["audit", "verify"])).toBe(1);
      expect(err.mock.calls.flat().join(" ")).toMatch(/第 4 条/);
      const api = await fx.as("auditor", { method: "GET", url: "/audit/verify" });
      expect(api.json()).toMatchObject({ ok: false, seq: 4 });
      // A deleted row is found too (the first row after the gap).
      raw.prepare(`UPDATE audit_log SET actor = (SELECT actor FROM audit_log WHERE seq = 3) WHERE seq = 4`).run();
      raw.prepare(`DELETE FROM audit_log WHERE seq = 2`).run();
      err.mockClear();
      expect(await main(["audit", "verify"])).toBe(1);
      expect(err.mock.calls.flat().join(" ")).toMatch(/第 3 条/);
    } finally {
      err.mockRestore();
      log.mockRestore();
      if (old === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = old;
    }
  });
});
