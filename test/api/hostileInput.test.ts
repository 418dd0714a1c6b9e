/**
 * Issue 9, "hostile input": each observed way of reaching a 5xx, an internal message or a wrong
 * answer, tried as an opponent would, on SQLite and (the driver-specific ones) on PostgreSQL.
 * The fuzz suite (fuzz.test.ts) looks for new ones; this file pins the known ones by name.
 */
import { connect, type AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../../src/store/index.ts";
import { createUser } from "../../src/store/repos/users.ts";
import { fixture, pgProblem, pgSchemaUrl, PG_URL, REQUIRE_PG, seedBatch, type Fixture } from "./helpers.ts";

const CJK = /[\u4e00-\u9fff]/;
const json = { "content-type": "application/json" };

/** A 400 in the documented shape naming `field` (and `rule`, when given), in Chinese. */
function expectRefused(res: { statusCode: number; json(): unknown }, field: string, rule?: string, status = 400) {
  expect(res.statusCode).toBe(status);
  const body = res.json() as { statusCode: number; code: string; message: string; field?: string; details?: { rule: string }[] };
  expect(Object.keys(body).every((k) => ["statusCode", "code", "message", "field", "details"].includes(k))).toBe(true);
  expect(body.statusCode).toBe(status);
  expect(body.field).toBe(field);
  expect(body.message).toMatch(CJK);
  expect(body.message.startsWith(field)).toBe(true);
  if (rule) expect(body.details?.[0]?.rule).toBe(rule);
}

function nulAndNumbers(get: () => Fixture) {
  it("NUL in any query or body string is a 400 naming the field, also on the public search without a token", async () => {
    const fx = get();
    expectRefused(await fx.as("public", { method: "GET", url: "/api/public/results?name=a%00b" }), "querystring.name", "noNul");
    expectRefused(await fx.as("admin", { method: "GET", url: "/entities?q=%00" }), "querystring.q", "noNul");
    expectRefused(await fx.as("admin", { method: "POST", url: "/plans", headers: json, payload: JSON.stringify({ departmentId: fx.dept.a, year: 2026, name: "计划\u0000" }) }), "body.name", "noNul");
    expectRefused(await fx.as("admin", { method: "POST", url: "/plans", headers: json, payload: JSON.stringify({ departmentId: fx.dept.a, year: 2026, name: "计划", "\u0000": 1 }) }), "body.\\u0000", "noNul");
  });

  it("ids and numbers beyond the database's integer range are a 400, not a driver overflow", async () => {
    const fx = get();
    for (const id of ["9999999999", "2147483648", "9223372036854775808"]) {
      expectRefused(await fx.as("admin", { method: "GET", url: `/plans/${id}` }), "params.id", "maximum");
    }
    const long = await fx.as("admin", { method: "GET", url: `/plans/1${"0".repeat(400)}` });
    expect(long.json()).toEqual({ statusCode: 414, code: "URL_TOO_LONG", message: expect.stringMatching(CJK), field: "url" });
    const top = await fx.as("admin", { method: "GET", url: "/plans/2147483647" });
    expect(top.json()).toEqual({ statusCode: 404, code: "NOT_FOUND", message: "计划 2147483647 不存在" });
    for (const n of ["9223372036854775808", "1e22", "2147483648"]) {
      const res = await fx.as("admin", { method: "POST", url: "/plans", headers: json, payload: `{"departmentId":${n},"year":2026,"name":"计划"}` });
      expectRefused(res, "body.departmentId", "maximum");
    }
    // 1e999 parses as Infinity; "1e999" (a string) is not an integer either.
    expectRefused(await fx.as("admin", { method: "POST", url: "/plans", headers: json, payload: '{"departmentId":1e999,"year":2026,"name":"计划"}' }), "body.departmentId", "type");
    expectRefused(await fx.as("admin", { method: "POST", url: "/plans", headers: json, payload: '{"departmentId":"1e999","year":2026,"name":"计划"}' }), "body.departmentId");
    expectRefused(await fx.as("admin", { method: "GET", url: "/tasks?batch=Infinity" }), "querystring.batch", "integer");
  });
}

describe("hostile input (SQLite)", () => {
  let fx: Fixture;
  let batchId: number;
  beforeAll(async () => {
    fx = await fixture();
    ({ batchId } = await seedBatch(fx, { entities: 8, count: 1 }));
  });
  afterAll(async () => fx?.close());

  nulAndNumbers(() => fx);

  it("ids are written strictly: 1.0, 01, 0x1, +1, 1e0, ' 1' do not mean 1", async () => {
    const ok = await fx.as("admin", { method: "GET", url: `/departments/${fx.dept.a}/items` });
    expect(ok.statusCode).toBe(200);
    for (const id of [`${fx.dept.a}.0`, `0${fx.dept.a}`, `0x${fx.dept.a.toString(16)}`, `+${fx.dept.a}`, `${fx.dept.a}e0`, `%20${fx.dept.a}`, `-${fx.dept.a}`, "-0"]) {
      expectRefused(await fx.as("admin", { method: "GET", url: `/departments/${id}/items` }), "params.id", "integer");
    }
    expectRefused(await fx.as("admin", { method: "GET", url: "/entities?limit=1.0" }), "querystring.limit", "integer");
  });

  it("lone surrogates in names and codes are a 400", async () => {
    expectRefused(await fx.as("admin", { method: "POST", url: "/plans", headers: json, payload: JSON.stringify({ departmentId: fx.dept.a, year: 2026, name: "计划\ud800" }) }), "body.name", "wellFormedUnicode");
    expectRefused(await fx.as("public", { method: "POST", url: "/session", headers: json, payload: JSON.stringify({ login: "名称\ud83d", password: "x" }) }), "body.login", "wellFormedUnicode");
    const pair = await fx.as("admin", { method: "POST", url: "/plans", headers: json, payload: JSON.stringify({ departmentId: fx.dept.a, year: 2026, name: "计划𠀀" }) });
    expect(pair.statusCode).toBe(201); // a proper pair is text
  });

  it("JSON nested 5,000 (or 200,000) deep is a 400, on typed and on free-form bodies", async () => {
    for (const payload of ["[".repeat(5000) + "]".repeat(5000), '{"a":'.repeat(5000) + "1" + "}".repeat(5000), "[".repeat(200_000) + "]".repeat(200_000)]) {
      expectRefused(await fx.as("admin", { method: "POST", url: "/plans", headers: json, payload }), "body", "maxDepth");
      expectRefused(await fx.as("admin", { method: "PUT", url: "/config/resultCategories", headers: json, payload }), "body", "maxDepth");
    }
  });

  it("framework errors speak the one shape in Chinese: bad percent-encoding, bad JSON, unknown route, wrong media type", async () => {
    const bad = await fx.as("public", { method: "GET", url: "/api/public/draws/%" });
    expect(bad.json()).toEqual({ statusCode: 400, code: "BAD_URL", message: expect.stringMatching(CJK), field: "url" });
    const proto = await fx.as("admin", { method: "POST", url: "/plans", headers: json, payload: '{"__proto__":{"x":1}}' });
    expect(proto.json()).toMatchObject({ statusCode: 400, code: "INVALID_JSON", message: expect.stringMatching(CJK) });
    const route = await fx.as("public", { method: "GET", url: "/nowhere" });
    expect(route.json()).toMatchObject({ statusCode: 404, code: "NOT_FOUND", message: expect.stringMatching(CJK) });
    const media = await fx.as("admin", { method: "POST", url: "/plans", headers: { "content-type": "text/xml" }, payload: "<x/>" });
    expect(media.json()).toMatchObject({ statusCode: 415, code: "UNSUPPORTED_MEDIA_TYPE", field: "headers.content-type", message: expect.stringMatching(CJK) });
    const v = await fx.as("admin", { method: "GET", url: "/entities?limit=100000" });
    expect(v.json().message).toBe("querystring.limit：不得大于 500（规则 maximum）");
    const auth = await fx.as("public", { method: "GET", url: "/users", headers: { authorization: "Basic eDp5" } });
    expect(auth.json()).toMatchObject({ statusCode: 401, code: "UNAUTHENTICATED", message: expect.stringMatching(CJK) });
  });

  it("an officer's GET /tasks?batch=<another department's batch> is a 403, not an empty list", async () => {
    const other = await fx.store.prisma.department.create({ data: { code: `T-QT-${Date.now()}`, name: "测试市其他局", level: "city", districtCode: "460100" } });
    const outsider = (await createUser(fx.store, { name: "其他局执法员", role: "officer", department: other.id }, "test")).token;
    const as = (url: string) => fx.app.inject({ method: "GET", url, headers: { authorization: `Bearer ${outsider}` } });
    const res = await as(`/tasks?batch=${batchId}`);
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: "FORBIDDEN", message: expect.stringMatching(CJK) });
    expect((await as("/tasks?batch=2147483647")).statusCode).toBe(404);
    expect((await fx.as("officerA", { method: "GET", url: `/tasks?batch=${batchId}` })).statusCode).toBe(200); // a partner of the batch
  });

  it("PUT /config/* refuses nonsense, naming the field", async () => {
    const put = (key: string, value: unknown) => fx.as("admin", { method: "PUT", url: `/config/${key}`, headers: json, payload: JSON.stringify(value) });
    for (const [key, value, field] of [
      ["draw", { team: "x" }, "draw.team"],
      ["draw", { generalRatioCap: { A: "2/1" } }, "draw.generalRatioCap.A"],
      ["draw", { unknown: 1 }, "draw.unknown"],
      ["publication", { workingDays: 20, extra: true }, "publication.extra"],
      ["publication", { workingDays: "20" }, "publication.workingDays"],
      ["resultCategories", { labels: {}, colours: {} }, "resultCategories.colours"],
      ["optimizer", { dailyCapacity: 0 }, "optimizer.dailyCapacity"],
      ["nonsense", {}, "nonsense"],
    ] as const) {
      const res = await put(key, value);
      expect(res.statusCode, `${key} ${JSON.stringify(value)}`).toBe(422);
      expect(res.json()).toMatchObject({ code: "INVALID_CONFIG", field, message: expect.stringMatching(CJK) });
    }
    const before = (await fx.as("admin", { method: "GET", url: "/config" })).json();
    expect(JSON.stringify(before)).not.toContain("colours");
  });

  it("the last active administrator cannot revoke itself (or be revoked)", async () => {
    const me = { id: ((await fx.as("admin", { method: "GET", url: "/me" })).json() as { userId: number }).userId };
    const res = await fx.as("admin", { method: "POST", url: `/users/${me.id}/revoke` });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: "LAST_ADMIN", message: expect.stringMatching(CJK) });
    expect((await fx.as("admin", { method: "GET", url: "/me" })).statusCode).toBe(200);
    // With a second administrator, either may go.
    const second = await createUser(fx.store, { name: "第二管理员", role: "admin", department: null }, "test");
    const bye = await fx.app.inject({ method: "POST", url: `/users/${second.user.id}/revoke`, headers: { authorization: `Bearer ${fx.tokens.admin}` } });
    expect(bye.statusCode).toBe(200);
    expect((await fx.as("admin", { method: "POST", url: `/users/${me.id}/revoke` })).statusCode).toBe(409);
  });

  describe("over HTTP: headers over the limit and malformed headers", () => {
    let port: number;
    beforeAll(async () => {
      await fx.app.listen({ host: "127.0.0.1", port: 0 });
      port = (fx.app.server.address() as AddressInfo).port;
    });
    const raw = (text: string) =>
      new Promise<string>((resolve, reject) => {
        const s = connect(port, "127.0.0.1", () => s.write(text));
        let out = "";
        s.on("data", (d) => (out += d.toString("utf8")));
        s.on("end", () => resolve(out));
        s.on("error", reject);
      });
    const parse = (answer: string) => {
      const [head, body] = answer.split("\r\n\r\n");
      return { status: Number(head!.split(" ")[1]), type: /content-type: ([^\r\n]+)/i.exec(head!)?.[1], body: JSON.parse(body!) as Record<string, unknown> };
    };

    it("a header block over Node's limit is a 431 in the error shape", async () => {
      const r = parse(await raw(`GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`));
      expect(r.status).toBe(431);
      expect(r.type).toMatch(/^application\/json/);
      expect(r.body).toEqual({ statusCode: 431, code: "HEADERS_TOO_LARGE", message: expect.stringMatching(CJK), field: "headers" });
    });

    it("a malformed header line is a 400 in the error shape", async () => {
      for (const line of ["Bad Header: x", "X-Ctl: a\u0001b", ": empty-name"]) {
        const r = parse(await raw(`GET /health HTTP/1.1\r\nHost: x\r\n${line}\r\n\r\n`));
        expect(r.status, line).toBe(400);
        expect(r.body, line).toMatchObject({ statusCode: 400, message: expect.stringMatching(CJK), field: "headers" });
      }
    });
  });
});

const problem = await pgProblem();
if (problem && REQUIRE_PG) throw new Error(`SSJ_REQUIRE_PG=1 but PostgreSQL at ${PG_URL} is unreachable: ${problem}`);
if (problem) console.warn(`[skip] hostile input on PostgreSQL: ${PG_URL} unreachable (${problem})`);

describe.skipIf(problem !== null)("hostile input (PostgreSQL)", () => {
  let fx: Fixture;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const db = await pgSchemaUrl();
    drop = db.drop;
    const store = await openStore({ databaseUrl: db.url });
    await store.migrate();
    fx = await fixture({ store });
  });
  afterAll(async () => {
    await fx?.close();
    await drop?.();
  });
  it("runs on PostgreSQL", () => expect(fx.store.kind).toBe("postgresql"));
  nulAndNumbers(() => fx);
});
