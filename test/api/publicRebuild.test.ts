/**
 * The read model rebuilt from the domain tables of a real migrated store (SQLite): only published
 * results appear, with exactly the public fields — never an unpublished task, never the entity's
 * risk class, never the recorder or the internal note, never a directed check's reason.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { openStore, type Store } from "../../src/store/index.ts";
import { rebuildReadModel, publishToReadModel } from "../../src/store/readModel/index.ts";
import { buildApp } from "../../api/app.ts";
import { creditCode } from "../e2e/fixtures.ts";

let dir: string;
let store: Store;
let app: FastifyInstance;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "ssj-rebuild-"));
  store = await openStore({ databaseUrl: `file:${join(dir, "ssj.db")}` });
  await store.migrate();
  const p = store.prisma;
  const dept = await p.department.create({ data: { code: "T-SCJG", name: "测试市市场监督管理局", level: "city", districtCode: "610100" } });
  const officer = await p.user.create({ data: { name: "执法员王五", role: "officer", departmentId: dept.id, tokenHash: "x".repeat(64) } });
  const item = await p.inspectionItem.create({
    data: {
      departmentId: dept.id, code: "IT-1", category: "食品安全", name: "餐饮服务食品安全检查", target: "餐饮服务提供者",
      legalBasis: "《中华人民共和国食品安全法》", content: "检查内容", methods: ["on-site"], importance: "key", source: "测试清单",
    },
  });
  const mkTask = async (n: number, name: string, published: boolean) => {
    const entity = await p.entity.create({
      data: { code: creditCode(n), codeKind: "uscc", name, districtCode: "610113", kind: "enterprise", riskClass: "D" },
    });
    const task = await p.task.create({
      data: {
        taskNo: `2026-T-${n}`, entityId: entity.id, departmentId: dept.id, kind: "directed", directedKind: "complaint",
        directedReason: "投诉举报核查：投诉人赵六 13900000000", windowStart: "2026-03-01", windowEnd: "2026-03-31", status: "done",
      },
    });
    await p.taskItem.create({ data: { taskId: task.id, itemId: item.id } });
    const result = await p.result.create({
      data: { taskId: task.id, categories: ["no_problem"], checkDate: "2026-03-10", recorderId: officer.id, note: "内部备注：风险较高" },
    });
    if (published) await p.publication.create({ data: { resultId: result.id, publishedAt: new Date("2026-03-20T02:00:00Z"), deadline: "2026-04-08", publisherId: officer.id } });
  };
  await mkTask(1, "西安市雁塔区公开餐饮有限公司", true);
  await mkTask(2, "西安市碑林区未公开餐饮有限公司", false);
  // A stale row that is not a publication any more: a rebuild must drop it.
  await publishToReadModel(store, [
    { kind: "result", id: "R-STALE", entityCode: creditCode(3), entityName: "陈旧餐饮店", taskNumber: "X", taskName: "X", department: "X", checkDate: "2026-01-01", results: ["未发现问题"], publishedAt: "2026-01-02T00:00:00Z" },
  ]);
  app = await buildApp({ store });
});

afterAll(async () => {
  await app?.close();
  await store?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("rebuildReadModel(store)", () => {
  it("rebuilds from publications only, with exactly the public fields", async () => {
    const { DEFAULT_RESULT_CATEGORIES } = await import("../../src/publication/index.ts");
    expect(DEFAULT_RESULT_CATEGORIES.some((c) => c.code === "no_problem")).toBe(true);
    expect(await rebuildReadModel(store)).toBe(1);
    const r = await app.inject({ url: encodeURI("/api/public/results?name=餐饮") });
    expect(r.statusCode).toBe(200);
    const items = (r.json() as { items: Record<string, unknown>[] }).items;
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      entityName: "西安市雁塔区公开餐饮有限公司",
      entityCode: creditCode(1),
      taskNumber: "2026-T-1",
      taskName: "定向检查：投诉举报 · 餐饮服务食品安全检查",
      department: "测试市市场监督管理局",
      checkDate: "2026-03-10",
      publishedAt: "2026-03-20T02:00:00.000Z",
      results: ["未发现问题"],
    });
    for (const hidden of ["未公开", "陈旧", "riskClass", "王五", "内部备注", "\"D\"", "核查", "赵六", "13900000000"]) expect(r.body, hidden).not.toContain(hidden);
    const page = await app.inject({ url: encodeURI(`/public?q=${creditCode(2)}`) });
    expect(page.body).not.toContain("未公开餐饮");
  });
});
