/**
 * Issue 8, observation 9: the reason of a directed check (complaint details, ticket number, a
 * complainant's name and phone) never reaches the public. End to end through the API: the check
 * is recorded with its kind and a reason naming a (synthetic) complainant, its result published;
 * the public API, the read-model row and the 公示 page show the kind and the items, and no part
 * of the reason — also after `rebuildReadModel`. The department's officers, admins and auditors
 * still see the reason on the (non-public) task. SQLite, and PostgreSQL when reachable.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../../src/store/index.ts";
import { openReadModel, rebuildReadModel } from "../../src/store/readModel/index.ts";
import { creditCode, fixture, pgProblem, pgSchemaUrl, PG_URL, REQUIRE_PG, type Fixture } from "./helpers.ts";

const problem = await pgProblem();
if (problem && REQUIRE_PG) throw new Error(`SSJ_REQUIRE_PG=1 but PostgreSQL at ${PG_URL} is unreachable: ${problem}`);
if (problem) console.warn(`[skip] directed checks on PostgreSQL: ${PG_URL} unreachable (${problem})`);

const REASON = "12345热线工单#2026-0815：投诉人张三 13800000000 反映后厨卫生差";
/** Every part of the reason that must never be public (none of them is in a label or item name). */
const SECRETS = [REASON, "张三", "13800000000", "12345", "2026-0815", "工单", "后厨", "卫生差", "投诉人"];
const ITEMS = ["餐饮服务食品安全检查", "食品经营许可情况检查"];
const TASK_NAME = `定向检查：投诉举报 · ${ITEMS.join("、")}`;
const ENTITY = "测试市定向抽查餐饮有限公司";

for (const backend of ["sqlite", "postgresql"] as const) {
  describe.skipIf(backend === "postgresql" && problem !== null)(`directed checks are published by kind and items only (${backend})`, () => {
    let fx: Fixture;
    let drop: (() => Promise<void>) | undefined;
    let taskId: number;
    let referralId: number;
    const code = creditCode(backend === "sqlite" ? 9101 : 9102);

    beforeAll(async () => {
      if (backend === "postgresql") {
        const db = await pgSchemaUrl();
        drop = db.drop;
        const store = await openStore({ databaseUrl: db.url });
        await store.migrate();
        fx = await fixture({ store });
      } else fx = await fixture();
      const p = fx.store.prisma;
      await p.entity.create({ data: { code, codeKind: "uscc", name: ENTITY, districtCode: "460105", industryCode: "H6210", kind: "enterprise", riskClass: "D" } });
      const itemIds: number[] = [];
      for (const [k, name] of ITEMS.entries()) {
        const it = await p.inspectionItem.create({
          data: {
            departmentId: fx.dept.a, code: `DIR-${k}`, category: "食品安全", name, target: "餐饮服务提供者",
            legalBasis: "《中华人民共和国食品安全法》", content: `检查内容${k}`, methods: ["on-site"], importance: "key", source: "测试清单",
          },
        });
        itemIds.push(it.id);
      }
      const res = await fx.as("officerA", {
        method: "POST",
        url: "/tasks",
        payload: { entityCode: code, itemIds, directedKind: "complaint", reason: REASON, windowStart: "2026-03-01", windowEnd: "2026-03-31" },
      });
      expect(res.statusCode, res.body).toBe(201);
      taskId = res.json().id;
      const ref = await fx.as("officerA", {
        method: "POST",
        url: "/tasks",
        payload: { entityCode: code, itemIds: itemIds.slice(1), directedKind: "referral", reason: "上级转办：张三 13800000000", windowStart: "2026-03-01", windowEnd: "2026-03-31" },
      });
      expect(ref.statusCode, ref.body).toBe(201);
      referralId = ref.json().id;
      for (const id of [taskId, referralId]) {
        const rec = await fx.as("officerA", { method: "PUT", url: `/tasks/${id}/result`, payload: { categories: ["no_problem"], checkDate: "2026-03-10", note: "内部备注" } });
        expect(rec.statusCode, rec.body).toBe(200);
        const pub = await fx.as("officerA", { method: "POST", url: `/tasks/${id}/publish` });
        expect(pub.statusCode, pub.body).toBe(200);
      }
    });
    afterAll(async () => {
      await fx?.close();
      await drop?.();
    });

    const noSecret = (text: string, where: string) => {
      for (const s of SECRETS) expect(text, `${where} leaks ${JSON.stringify(s)}`).not.toContain(s);
      expect(text, where).not.toMatch(/directedReason|"reason"/);
    };

    const checkPublic = async (when: string) => {
      const api = await fx.as("public", { method: "GET", url: `/api/public/results?code=${code}` });
      expect(api.statusCode, api.body).toBe(200);
      const items = api.json().items as { taskName: string; entityName: string }[];
      expect(items.map((i) => i.taskName).sort(), when).toEqual([TASK_NAME, `定向检查：转办交办 · ${ITEMS[1]}`].sort());
      noSecret(api.body, `${when}: /api/public/results`);
      const byName = await fx.as("public", { method: "GET", url: `/api/public/results?name=${encodeURIComponent("定向抽查餐饮")}` });
      expect(byName.json().items).toHaveLength(2);
      noSecret(byName.body, `${when}: /api/public/results?name=`);

      const rm = await openReadModel(fx.store);
      const rows = await rm.searchResults({ code, pageSize: 10 });
      expect(rows.docs).toHaveLength(2);
      for (const doc of rows.docs) noSecret(doc, `${when}: read-model row`);
      expect(rows.docs.map((d) => JSON.parse(d).taskName)).toContain(TASK_NAME);

      const page = await fx.as("public", { method: "GET", url: `/public?q=${code}` });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain(ENTITY);
      expect(page.body).toContain(TASK_NAME);
      expect(page.body).toContain("定向检查：转办交办");
      noSecret(page.body, `${when}: /public`);
      const front = await fx.as("public", { method: "GET", url: "/public" });
      noSecret(front.body, `${when}: /public (front page)`);
    };

    it("the public API, the read-model row and the 公示 page show the kind and the items, never the reason", async () => {
      await checkPublic("after publication");
    });

    it("the same after rebuildReadModel", async () => {
      expect(await rebuildReadModel(fx.store)).toBeGreaterThanOrEqual(2);
      await checkPublic("after rebuild");
    });

    it("the department's officers, admins and auditors still see the reason on the task; other departments do not", async () => {
      for (const who of ["officerA", "admin", "auditor"] as const) {
        const t = await fx.as(who, { method: "GET", url: `/tasks/${taskId}` });
        expect(t.statusCode, `${who}: ${t.body}`).toBe(200);
        expect(t.json(), who).toMatchObject({ kind: "directed", directedKind: "complaint", directedReason: REASON });
      }
      expect((await fx.as("officerB", { method: "GET", url: `/tasks/${taskId}` })).statusCode).toBe(403);
      expect((await fx.as("public", { method: "GET", url: `/tasks/${taskId}` })).statusCode).toBe(401);
    });
  });
}
