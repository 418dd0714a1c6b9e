/**
 * The console's page matrix, from the page list itself (api/console/pages/index.ts):
 *   1. a page never opens to a role the API refuses on a route the page uses (every `uses` entry
 *      names a real API route, and the page's roles are within that route's access);
 *   2. every page refuses every other role with the 403 page, before doing anything (GET and POST);
 *   3. without a session every page sends the browser to the login page;
 *   4. the menu lists only pages the role may open.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PAGES } from "../../api/console/pages/index.ts";
import { ROLES, type Role } from "../../api/auth.ts";
import { consoleFixture, type ConsoleFixture, type Who } from "./helpers.ts";

const WHO: Record<Role, Who> = { admin: "admin", officer: "officerA", auditor: "auditor" };
const sample = (path: string) => path.replace(/:[a-z]+/gi, "1");

describe("console page matrix", () => {
  let fx: ConsoleFixture;
  const sessions: Partial<Record<Role, { cookie: string; csrf: string }>> = {};
  beforeAll(async () => {
    fx = await consoleFixture();
    for (const r of ROLES) sessions[r] = await fx.session(WHO[r]);
  });
  afterAll(async () => fx.close());

  it("every route a page uses exists in the API, and the page's roles are within that route's access", () => {
    const access = new Map(fx.app.ssj.routes.map((r) => [`${r.method} ${r.url}`, r.access]));
    const problems: string[] = [];
    for (const page of PAGES)
      for (const use of page.uses) {
        const a = access.get(use);
        if (a === undefined) problems.push(`${page.method ?? "GET"} ${page.path}: uses unknown route ${use}`);
        else if (a !== "public") for (const role of page.roles) if (!a.includes(role)) problems.push(`${page.method ?? "GET"} ${page.path} opens to ${role}, but ${use} allows only ${a.join(",")}`);
      }
    expect(problems).toEqual([]);
  });

  for (const page of PAGES) {
    const method = page.method ?? "GET";
    for (const role of ROLES.filter((r) => !page.roles.includes(r))) {
      it(`${method} ${page.path}: ${role} → 403 page`, async () => {
        const s = sessions[role]!;
        const res = await fx.app.inject({
          method,
          url: sample(page.path),
          headers: { cookie: s.cookie, ...(method === "POST" ? { "content-type": "application/x-www-form-urlencoded" } : {}) },
          payload: method === "POST" ? `_csrf=${encodeURIComponent(s.csrf)}` : undefined,
        });
        expect(res.statusCode).toBe(403);
        expect(res.body).toContain("无权访问");
      });
    }
  }

  it("without a session every page goes to the login page", async () => {
    for (const page of PAGES) {
      const res = await fx.app.inject({ method: page.method ?? "GET", url: sample(page.path) });
      expect(res.statusCode, `${page.method ?? "GET"} ${page.path}`).toBe(303);
      expect(String(res.headers.location)).toMatch(/^\/console\/login/);
    }
  });

  it("the menu lists exactly the GET pages with a menu entry that the role may open", async () => {
    for (const role of ROLES) {
      const res = await fx.app.inject({ method: "GET", url: "/console", headers: { cookie: sessions[role]!.cookie } });
      expect(res.statusCode).toBe(200);
      const menu = /<nav class="menu"[\s\S]*?<\/nav>/.exec(res.body)![0];
      const links = [...menu.matchAll(/href="([^"]+)"/g)].map((m) => m[1]).sort();
      const expected = PAGES.filter((p) => p.nav && (p.method ?? "GET") === "GET" && p.roles.includes(role)).map((p) => p.path).sort();
      expect(links, role).toEqual(expected);
    }
  });
});
