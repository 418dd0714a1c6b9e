/**
 * Public read path over HTTP (fastify inject, SQLite read model): search, pagination, caching,
 * rate limiting, the 公示 page, and that nothing non-public ever comes out.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { buildApp } from "../../api/app.ts";
import { publishToReadModel, type PublicResultRecord } from "../../src/store/readModel/index.ts";
import { KNOWN, creditCode, fixtureRecords, sqliteStore } from "../e2e/fixtures.ts";

type Page = { items: PublicResultRecord[]; pageSize: number; nextCursor: number | null };

let app: FastifyInstance;
let store: ReturnType<typeof sqliteStore>;

const get = (url: string, headers: Record<string, string> = {}) => app.inject({ method: "GET", url: encodeURI(url), headers });
const json = async (url: string): Promise<Page> => {
  const r = await get(url);
  expect(r.statusCode, r.body).toBe(200);
  return r.json() as Page;
};

beforeAll(async () => {
  store = sqliteStore();
  await publishToReadModel(store, fixtureRecords());
  // Internal fields on the way in must be dropped, not stored.
  await publishToReadModel(store, [
    {
      kind: "result",
      id: "R-LEAKY",
      entityCode: creditCode(777),
      entityName: "泄露测试<script>alert(1)</script>商行",
      taskNumber: "2026-SJ-9999",
      taskName: "测试任务",
      department: "福州市市场监督管理局",
      checkDate: "2026-05-05",
      results: ["未发现问题"],
      publishedAt: "2026-07-02T00:00:00.000Z",
      riskClass: "D",
      inspectors: [{ name: "张三", phone: "13800000000" }],
      recusals: [{ inspector: "李四", reason: "亲属" }],
    } as never,
  ]);
  app = await buildApp({ store, tokenLookup: async () => null, publicRateLimit: { max: 10_000, timeWindow: "1 minute" } });
});

afterAll(async () => {
  await app?.close();
  await store?.close();
});

describe("GET /api/public/results", () => {
  it("finds a published result by credit code, exactly (lower case accepted)", async () => {
    const p = await json(`/api/public/results?code=${KNOWN.code.toLowerCase()}`);
    expect(p.items).toHaveLength(1);
    expect(p.items[0]).toMatchObject({ entityCode: KNOWN.code, entityName: KNOWN.name, results: ["发现问题已责令改正"] });
    expect(p.nextCursor).toBeNull();
    expect((await json(`/api/public/results?code=${creditCode(31337)}`)).items).toEqual([]);
  });

  it("searches names by substring of 1, 2 and ≥3 Chinese characters", async () => {
    const all = fixtureRecords().filter((r) => r.kind === "result") as PublicResultRecord[];
    for (const q of ["餐", "餐饮", "闽味餐饮", "鼓楼区餐饮", "号有限", "司"]) {
      const expected = all.filter((r) => r.entityName.includes(q)).map((r) => r.id).sort();
      const got: string[] = [];
      let cursor: number | null = null;
      do {
        const p: Page = await json(`/api/public/results?name=${q}&pageSize=7${cursor ? `&cursor=${cursor}` : ""}`);
        got.push(...p.items.map((i) => i.id));
        cursor = p.nextCursor;
      } while (cursor !== null);
      expect(got.sort(), q).toEqual(expected);
    }
  });

  it("combines department and check-date filters", async () => {
    const dept = "福州市卫生健康委员会";
    const p = await json(`/api/public/results?department=${dept}&from=2026-02-01&to=2026-03-31&pageSize=100`);
    const all = fixtureRecords().filter((r) => r.kind === "result") as PublicResultRecord[];
    const expected = all.filter((r) => r.department === dept && r.checkDate >= "2026-02-01" && r.checkDate <= "2026-03-31");
    expect(expected.length).toBeGreaterThan(0);
    expect(p.items.map((i) => i.id).sort()).toEqual(expected.map((r) => r.id).sort());
  });

  it("pages in a stable order, newest publication first, with no gaps or repeats", async () => {
    const seen: string[] = [];
    let cursor: number | null = null;
    let pages = 0;
    do {
      const p: Page = await json(`/api/public/results?pageSize=9${cursor ? `&cursor=${cursor}` : ""}`);
      expect(p.items.length).toBeLessThanOrEqual(9);
      seen.push(...p.items.map((i) => i.id));
      cursor = p.nextCursor;
      pages++;
    } while (cursor !== null);
    expect(pages).toBe(Math.ceil(62 / 9));
    expect(new Set(seen).size).toBe(62);
    expect(seen[0]).toBe("R-LEAKY"); // published last
    const again = await json(`/api/public/results?pageSize=9`);
    expect(again.items.map((i) => i.id)).toEqual(seen.slice(0, 9));
  });

  it("bounds the page size and validates input with the common error shape", async () => {
    for (const [url, field] of [
      ["/api/public/results?pageSize=101", "querystring.pageSize"],
      ["/api/public/results?pageSize=0", "querystring.pageSize"],
      ["/api/public/results?code=123", "querystring.code"],
      ["/api/public/results?from=2026-02-30", "querystring.from"],
      ["/api/public/results?from=2026-03-01&to=2026-02-01", "querystring.to"],
      ["/api/public/results?riskClass=D", "querystring.riskClass"],
    ] as const) {
      const r = await get(url);
      expect(r.statusCode, url).toBe(400);
      expect(r.json(), url).toMatchObject({ statusCode: 400, code: "VALIDATION_FAILED", field });
    }
  });

  it("sends ETag and Cache-Control, and 304 on If-None-Match", async () => {
    const r = await get(`/api/public/results?name=餐饮`);
    expect(r.headers["cache-control"]).toBe("public, max-age=60");
    const etag = r.headers.etag as string;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    const again = await get(`/api/public/results?name=餐饮`, { "if-none-match": etag });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe("");
    const other = await get(`/api/public/results?name=五金`, { "if-none-match": etag });
    expect(other.statusCode).toBe(200);
  });
});

describe("never exposes non-public data", () => {
  it("drops risk class, inspectors and recusals given at publication", async () => {
    const urls = [
      `/api/public/results?code=${creditCode(777)}`,
      `/api/public/results?name=泄露`,
      `/api/public/results?pageSize=100`,
      `/public?q=泄露`,
      `/public?q=${creditCode(777)}`,
    ];
    for (const url of urls) {
      const r = await get(url);
      expect(r.statusCode, url).toBe(200);
      expect(r.body, url).toContain("泄露测试");
      for (const secret of ["riskClass", "inspectors", "recusals", "张三", "13800000000", "李四", "亲属"]) expect(r.body, `${url} ${secret}`).not.toContain(secret);
    }
    const item = (await json(`/api/public/results?code=${creditCode(777)}`)).items[0]!;
    expect(Object.keys(item).sort()).toEqual(
      ["checkDate", "department", "entityCode", "entityName", "id", "publishedAt", "results", "taskName", "taskNumber"].sort(),
    );
  });

  it("refuses a draw manifest that carries risk classes or inspectors", async () => {
    const base = fixtureRecords().find((r) => r.kind === "draw")!;
    for (const manifest of [
      { entities: [{ code: "x", riskClass: "A" }] },
      { team: { inspectors: ["张三"] } },
      { inputs: { pool: { codes: ["x", "y"], strata: "AD" } } },
      { inputs: { recusals: [{ inspector: "I1", code: "x" }] } },
    ]) {
      await expect(publishToReadModel(store, [{ ...base, id: "D-BAD", manifest }])).rejects.toThrow(/non-public data/);
    }
    expect((await get(`/api/public/draws/D-BAD`)).statusCode).toBe(404);
  });

  it("publishes a draw whose provenance is the draw engine's object, in words on the page", async () => {
    const base = fixtureRecords().find((r) => r.kind === "draw")!;
    await publishToReadModel(store, [
      {
        ...base,
        id: "D-OBJ",
        seedProvenance: { mode: "external", source: "中国福利彩票快乐8", reference: "2026031期", value: "01 05 09", publishedAt: "2026-02-04T13:30:00Z" },
        manifest: { manifest: "ssj-draw-manifest/1", inputs: { pool: { codes: [] } }, inspectors: null },
      },
    ]);
    const d = (await get(`/api/public/draws/D-OBJ`)).json() as { seedProvenance: { reference: string } };
    expect(d.seedProvenance.reference).toBe("2026031期");
    const html = (await get(`/public/draws/D-OBJ`)).body;
    expect(html).toContain("外部公开随机数：中国福利彩票快乐8 2026031期，取值 01 05 09，公布于 2026-02-04 21:30（北京时间）");
  });

  it("knows nothing that was not published", async () => {
    expect((await get(`/api/public/draws/D-NOPE`)).json()).toMatchObject({ statusCode: 404, code: "NOT_FOUND" });
    expect((await get(`/api/public/plans/P-NOPE`)).statusCode).toBe(404);
    expect((await get(`/api/public/draws/D-NOPE/manifest.json`)).statusCode).toBe(404);
  });
});

describe("plans, draws and manifests", () => {
  it("lists published draws with commitment, seed, provenance and a manifest link", async () => {
    const r = await get(`/api/public/draws`);
    const d = (r.json() as { items: Record<string, unknown>[] }).items.find((x) => x.id === KNOWN.drawId)!;
    expect(d).toMatchObject({ id: KNOWN.drawId, seed: "8d3f1a2b9c7e6d5f", verify: `ssj verify manifest-${KNOWN.drawId}.json` });
    expect(d.commitment).toMatch(/^sha256:/);
    expect(d.seedProvenance).toContain("快乐8");
    expect(d.manifestUrl).toBe(`/api/public/draws/${KNOWN.drawId}/manifest.json`);
    const plan = (await get(`/api/public/plans/${KNOWN.planId}`)).json() as { plan: { name: string }; draws: { id: string }[] };
    expect(plan.plan.name).toBe("2026年度食品经营联合抽查计划");
    expect(plan.draws.map((x) => x.id)).toContain(KNOWN.drawId);
    expect(((await get(`/api/public/plans`)).json() as Page).items).toHaveLength(1);
  });

  it("serves the manifest byte for byte as an attachment, with a stable ETag", async () => {
    const r = await get(`/api/public/draws/${KNOWN.drawId}/manifest.json`);
    expect(r.statusCode).toBe(200);
    const published = fixtureRecords().find((x) => x.kind === "draw")!;
    expect(r.body).toBe((published as { manifest: string }).manifest);
    expect(r.headers["content-type"]).toContain("application/json");
    expect(r.headers["content-disposition"]).toBe(`attachment; filename="manifest-${KNOWN.drawId}.json"`);
    const again = await get(`/api/public/draws/${KNOWN.drawId}/manifest.json`, { "if-none-match": r.headers.etag as string });
    expect(again.statusCode).toBe(304);
  });

  it("re-publishing a result replaces it instead of duplicating it", async () => {
    const rec = fixtureRecords().find((x) => x.kind === "result" && x.id === "R-5")! as PublicResultRecord & { kind: "result" };
    await publishToReadModel(store, [{ ...rec, results: ["已注销"], publishedAt: "2026-07-03T00:00:00.000Z" }]);
    const p = await json(`/api/public/results?code=${rec.entityCode}`);
    expect(p.items.map((i) => [i.id, i.results])).toEqual([["R-5", ["已注销"]]]);
    const depts = (await get(`/api/public/departments`)).json() as { items: { name: string; results: number }[] };
    expect(depts.items.reduce((a, d) => a + d.results, 0)).toBe(62);
  });

  it("documents every public endpoint in OpenAPI", async () => {
    const doc = (await get("/docs/json")).json() as { paths: Record<string, unknown> };
    for (const p of ["/api/public/results", "/api/public/departments", "/api/public/plans", "/api/public/plans/{planId}", "/api/public/draws", "/api/public/draws/{drawId}", "/api/public/draws/{drawId}/manifest.json"]) {
      expect(doc.paths, p).toHaveProperty([p]);
    }
  });
});

describe("the 公示 page", () => {
  it("is Chinese, accessible and escapes everything", async () => {
    const r = await get(`/public?q=泄露`);
    expect(r.headers["content-type"]).toBe("text/html; charset=utf-8");
    const html = r.body;
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toMatch(/<label for="q">[^<]+<\/label>\s*<input id="q" name="q"/);
    for (const id of ["department", "from", "to"]) expect(html).toContain(`<label for="${id}">`);
    expect(html).toContain('role="search"');
    expect(html).toContain("<caption>");
    expect(html).toContain('<th scope="col">统一社会信用代码</th>');
    expect(html).not.toContain("<script");
    expect(html).toContain("泄露测试&lt;script&gt;alert(1)&lt;/script&gt;商行");
    const hostile = await get(`/public?q="><img src=x onerror=alert(1)>`);
    expect(hostile.body).not.toContain("<img");
    expect(hostile.body).toContain("&quot;&gt;&lt;img");
  });

  it("searches by credit code or by name from one box, with filters and pagination links", async () => {
    const byCode = (await get(`/public?q=${KNOWN.code}`)).body;
    expect(byCode).toContain(KNOWN.name);
    expect(byCode).toContain(`统一社会信用代码为 ${KNOWN.code} 的抽查结果`);
    const byDept = (await get(`/public?q=有限公司&department=福州市生态环境局`)).body;
    expect(byDept).toContain('<option value="福州市生态环境局" selected>');
    expect(byDept).not.toContain("<td>福州市卫生健康委员会</td>");
    const byName = (await get(`/public?q=有限公司`)).body;
    expect(byName).toContain('rel="next"');
    const next = /href="([^"]+)" rel="next"/.exec(byName)![1]!.replace(/&amp;/g, "&");
    const page2 = (await app.inject({ url: next })).body;
    expect(page2).toContain("返回第一页");
    const bad = await get(`/public?from=2026-13-01`);
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('role="alert"');
  });

  it("shows each published draw with commitment, seed, provenance, manifest and how to verify", async () => {
    const html = (await get(`/public`)).body;
    expect(html).toContain("sha256:5f0c6f3e");
    expect(html).toContain("8d3f1a2b9c7e6d5f");
    expect(html).toContain("快乐8");
    expect(html).toContain(`href="/api/public/draws/${KNOWN.drawId}/manifest.json"`);
    expect(html).toContain(`ssj verify manifest-${KNOWN.drawId}.json`);
    const detail = await get(`/public/draws/${KNOWN.drawId}`);
    expect(detail.statusCode).toBe(200);
    expect(detail.body).toContain("随机种子");
    expect((await get(`/public/draws/D-NOPE`)).statusCode).toBe(404);
    const css = await get(`/public/style.css`);
    expect(css.headers["content-type"]).toContain("text/css");
  });

  it("answers 304 for an unchanged page", async () => {
    const r = await get(`/public?q=餐饮`);
    expect((await get(`/public?q=餐饮`, { "if-none-match": r.headers.etag as string })).statusCode).toBe(304);
  });
});

describe("rate limiting", () => {
  it("limits public endpoints per client with 429 in the common error shape", async () => {
    const limited = await buildApp({ store, tokenLookup: async () => null, publicRateLimit: { max: 3, timeWindow: "1 minute" } });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 5; i++) codes.push((await limited.inject({ url: "/api/public/results?pageSize=1" })).statusCode);
      expect(codes).toEqual([200, 200, 200, 429, 429]);
      const r = await limited.inject({ url: "/api/public/results?pageSize=1" });
      expect(r.json()).toMatchObject({ statusCode: 429, code: "RATE_LIMITED" });
      expect((await limited.inject({ url: "/public" })).statusCode).toBe(200);
    } finally {
      await limited.close();
    }
  });
});
