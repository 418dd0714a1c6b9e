/**
 * Issue 8, observation 10 (plan part): the public plan record. Ids are the API's numeric ids
 * (`"1"`, batches `"3"`), the same as the draws' and results' `planId`; a batch added to an
 * approved plan is public at once; a draft plan never is; `rebuildReadModel` restores approved
 * plans with all their batches. SQLite, and PostgreSQL when reachable.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../../src/store/index.ts";
import { openReadModel, publishToReadModel, rebuildReadModel } from "../../src/store/readModel/index.ts";
import { fixture, pgProblem, pgSchemaUrl, PG_URL, REQUIRE_PG, type Fixture } from "./helpers.ts";

const problem = await pgProblem();
if (problem && REQUIRE_PG) throw new Error(`SSJ_REQUIRE_PG=1 but PostgreSQL at ${PG_URL} is unreachable: ${problem}`);
if (problem) console.warn(`[skip] public plans on PostgreSQL: ${PG_URL} unreachable (${problem})`);

interface PublicPlan {
  id: string;
  name: string;
  departments: string[];
  batches: { id: string; name: string; from: string; to: string }[];
  publishedAt: string;
}

for (const backend of ["sqlite", "postgresql"] as const) {
  describe.skipIf(backend === "postgresql" && problem !== null)(`the public plan record (${backend})`, () => {
    let fx: Fixture;
    let drop: (() => Promise<void>) | undefined;
    const items: Record<number, number> = {};
    let planId: number;
    let draftId: number;
    const batchIds: number[] = [];
    let firstPublishedAt = "";

    beforeAll(async () => {
      if (backend === "postgresql") {
        const db = await pgSchemaUrl();
        drop = db.drop;
        const store = await openStore({ databaseUrl: db.url });
        await store.migrate();
        fx = await fixture({ store });
      } else fx = await fixture();
      for (const d of [fx.dept.a, fx.dept.b]) {
        const it = await fx.store.prisma.inspectionItem.create({
          data: {
            departmentId: d, code: `PLAN-IT-${d}`, category: "食品安全", name: `公示计划事项${d}`, target: "餐饮服务提供者",
            legalBasis: "《中华人民共和国食品安全法》", content: `内容${d}`, methods: ["on-site"], importance: "key", source: "测试清单",
          },
        });
        items[d] = it.id;
      }
    });
    afterAll(async () => {
      await fx?.close();
      await drop?.();
    });

    const addBatch = async (plan: number, code: string, name: string, window: [string, string], partner = true) => {
      const res = await fx.as("officerA", {
        method: "POST",
        url: `/plans/${plan}/batches`,
        payload: {
          code: `${code}-${backend}`,
          name,
          directed: false,
          conditions: {},
          windowStart: window[0],
          windowEnd: window[1],
          departments: [
            { departmentId: fx.dept.a, role: "lead", itemIds: [items[fx.dept.a]], samplingRules: [{ riskClass: "A", count: 1 }] },
            ...(partner ? [{ departmentId: fx.dept.b, role: "partner", itemIds: [items[fx.dept.b]], samplingRules: [{ riskClass: "A", count: 1 }] }] : []),
          ],
        },
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json().id as number;
    };
    const publicPlan = async (id: number | string) => fx.as("public", { method: "GET", url: `/api/public/plans/${id}` });
    const publicList = async () => (await fx.as("public", { method: "GET", url: "/api/public/plans?pageSize=100" })).json().items as PublicPlan[];

    it("a draft plan with a batch is not public", async () => {
      const c = await fx.as("officerA", { method: "POST", url: "/plans", payload: { year: 2026, name: "2026年度餐饮公示计划" } });
      expect(c.statusCode, c.body).toBe(201);
      planId = c.json().id;
      batchIds.push(await addBatch(planId, "PUB-1", "第一批次", ["2026-03-01", "2026-04-30"]));
      expect((await publicPlan(planId)).statusCode).toBe(404);
      expect(await publicList()).toEqual([]);
    });

    it("approved: the public plan lists the batch, with the ids of GET /plans/:id", async () => {
      const a = await fx.as("officerA", { method: "POST", url: `/plans/${planId}/status`, payload: { status: "approved" } });
      expect(a.statusCode, a.body).toBe(200);
      const internal = (await fx.as("officerA", { method: "GET", url: `/plans/${planId}` })).json();
      const res = await publicPlan(String(internal.id));
      expect(res.statusCode, res.body).toBe(200);
      const plan = res.json().plan as PublicPlan;
      expect(plan.id).toBe(String(internal.id));
      expect(plan.batches).toEqual(internal.batches.map((b: { id: number; name: string }) => ({ id: String(b.id), name: b.name, from: "2026-03-01", to: "2026-04-30" })));
      expect(plan.departments).toEqual(["测试市市场监督管理局", "测试市住房和城乡建设局"]);
      expect((await publicList()).map((p) => p.id)).toEqual([String(planId)]);
      firstPublishedAt = plan.publishedAt;
      const approval = await fx.store.prisma.auditLog.findFirstOrThrow({ where: { action: "plan.status", subject: `plan:${planId}` } });
      expect(firstPublishedAt).toBe(approval.at.toISOString());
    });

    it("the plan's draws are those whose planId is the plan's id", async () => {
      // A draw record as the draw engine publishes it: planId is the plan's numeric id.
      await publishToReadModel(fx.store, [
        {
          kind: "draw", id: `9${planId}`, planId: String(planId), planName: "2026年度餐饮公示计划", batchName: "第一批次", department: "测试市市场监督管理局",
          drawnAt: "2026-03-02T02:00:00.000Z", publishedAt: "2026-03-02T02:00:00.000Z", commitment: "c".repeat(64), seed: "s".repeat(64),
          seedProvenance: "测试", algorithm: "ssj-draw/1", manifest: "{\"test\":true}\n",
        },
      ]);
      const res = await publicPlan(planId);
      expect(res.json().draws.map((d: { id: string; planId: string }) => [d.id, d.planId])).toEqual([[`9${planId}`, String(planId)]]);
    });

    it("a batch added after approval appears publicly at once", async () => {
      batchIds.push(await addBatch(planId, "PUB-2", "第二批次", ["2026-09-01", "2026-10-31"], false));
      const plan = (await publicPlan(planId)).json().plan as PublicPlan;
      expect(plan.batches.map((b) => [b.id, b.name, b.from, b.to])).toEqual([
        [String(batchIds[0]), "第一批次", "2026-03-01", "2026-04-30"],
        [String(batchIds[1]), "第二批次", "2026-09-01", "2026-10-31"],
      ]);
      expect(plan.publishedAt).toBe(firstPublishedAt);
    });

    it("an approved plan is not taken back to a draft; another draft plan stays private", async () => {
      const back = await fx.as("officerA", { method: "POST", url: `/plans/${planId}/status`, payload: { status: "draft" } });
      expect(back.statusCode, back.body).toBe(409);
      expect(back.json()).toMatchObject({ code: "PLAN_PUBLISHED", field: "body.status" });
      const d = await fx.as("officerA", { method: "POST", url: "/plans", payload: { year: 2026, name: "2026年度未批准计划" } });
      draftId = d.json().id;
      await addBatch(draftId, "DRAFT-1", "草稿批次", ["2026-05-01", "2026-05-31"]);
      await fx.as("officerA", { method: "POST", url: `/plans/${draftId}/status`, payload: { status: "draft" } });
      expect((await publicPlan(draftId)).statusCode).toBe(404);
      const page = await fx.as("public", { method: "GET", url: "/public" });
      expect(page.body).toContain("2026年度餐饮公示计划");
      expect(page.body).not.toContain("2026年度未批准计划");
    });

    it("after rebuildReadModel the approved plan and its batches are still published, the draft is not", async () => {
      await rebuildReadModel(fx.store);
      const plan = (await publicPlan(planId)).json().plan as PublicPlan;
      expect(plan.batches.map((b) => b.id)).toEqual(batchIds.map(String));
      expect(plan.publishedAt).toBe(firstPublishedAt);
      expect((await publicPlan(draftId)).statusCode).toBe(404);
      expect((await publicList()).map((p) => p.id)).toEqual([String(planId)]);
      const rm = await openReadModel(fx.store);
      expect(await rm.getPlan(`P${planId}`)).toBeNull();
    });

    it("a closed plan stays public (closed after approval); a draft closed without approval never is", async () => {
      expect((await fx.as("officerA", { method: "POST", url: `/plans/${planId}/status`, payload: { status: "closed" } })).statusCode).toBe(200);
      expect((await fx.as("officerA", { method: "POST", url: `/plans/${draftId}/status`, payload: { status: "closed" } })).statusCode).toBe(200);
      await rebuildReadModel(fx.store);
      expect((await publicPlan(planId)).statusCode).toBe(200);
      expect((await publicPlan(draftId)).statusCode).toBe(404);
    });
  });
}
