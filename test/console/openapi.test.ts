/**
 * OpenAPI as a newcomer meets it at /docs: every summary is Chinese, and the request examples of
 * the plan and batch routes are valid requests — sent as they are (on the demo city, as its demo
 * officer) they are accepted, not refused.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { buildApp } from "../../api/app.ts";
import { openStore, type Store } from "../../src/store/index.ts";
import { loadDemoCity } from "../../src/demo/index.ts";
import { DEMO_ACCOUNTS, ensureDemoAccounts } from "../../src/store/repos/demoAccounts.ts";

type Json = Record<string, any>;

/** The request-body example of an operation (fastify-swagger puts it on the media type or its schema). */
function example(doc: Json, path: string, method: string): unknown {
  const content = doc.paths[path][method].requestBody.content["application/json"];
  return content.example ?? content.examples?.[Object.keys(content.examples)[0]!]?.value ?? content.schema.example ?? content.schema.examples?.[0];
}

describe("OpenAPI at /docs", () => {
  let dir: string;
  let store: Store;
  let app: FastifyInstance;
  let doc: Json;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "ssj-openapi-"));
    store = await openStore({ databaseUrl: `file:${join(dir, "ssj.db")}` });
    await store.migrate();
    await loadDemoCity(store, { entities: 600 });
    await ensureDemoAccounts(store);
    app = await buildApp({ store });
    doc = (await app.inject({ method: "GET", url: "/docs/json" })).json();
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("every operation's summary is in Chinese", () => {
    const english: string[] = [];
    for (const [path, ops] of Object.entries(doc.paths as Json))
      for (const [method, op] of Object.entries(ops as Json)) if (typeof op.summary === "string" && !/[\u4e00-\u9fff]/.test(op.summary)) english.push(`${method.toUpperCase()} ${path}: ${op.summary}`);
    expect(english).toEqual([]);
  });

  it("the plan and batch examples are accepted as they are", async () => {
    const officer = DEMO_ACCOUNTS.find((a) => a.login === "demo-scjg")!;
    const login = await app.inject({ method: "POST", url: "/session", payload: example(doc, "/session", "post") as object });
    expect(login.statusCode, login.body).toBe(200);
    const s = await app.inject({ method: "POST", url: "/session", payload: { login: officer.login, password: officer.password } });
    const headers = { cookie: String([s.headers["set-cookie"]].flat()[0]).split(";")[0]!, "x-csrf-token": s.json().csrfToken as string };
    const plan = await app.inject({ method: "POST", url: "/plans", headers, payload: example(doc, "/plans", "post") as object });
    expect(plan.statusCode, plan.body).toBe(201);
    const batch = await app.inject({ method: "POST", url: `/plans/${plan.json().id}/batches`, headers, payload: example(doc, "/plans/{id}/batches", "post") as object });
    expect(batch.statusCode, batch.body).toBe(201);
  });
});
