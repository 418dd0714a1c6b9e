/**
 * The demo's panel draws (demoPanels): on the synthetic demo city with an approval bureau added,
 * each bureau gets drawn panels whose stored draws verify against their published commitments, and
 * whose public records name nobody.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDemoCity } from "../../src/demo/index.ts";
import { createUser } from "../../src/store/repos/users.ts";
import { demoPanels, publicPanelDraw, verifyStoredPanelDraw } from "../../src/store/repos/panels.ts";
import { sqliteStore } from "../api/helpers.ts";
import type { Store } from "../../src/store/index.ts";

describe("demo panel draws", () => {
  let store: Store;
  let drawIds: number[];
  let admin: { userId: number; role: "admin"; departmentId: null };
  beforeAll(async () => {
    ({ store } = await sqliteStore());
    await loadDemoCity(store, { seed: "panels", entities: 400 });
    const city = await store.prisma.department.findFirstOrThrow({ where: { level: "city" } });
    await store.prisma.department.create({ data: { code: "DEMO-XZSP", name: "演示市行政审批服务局", level: "city", kind: "approval", districtCode: city.districtCode } });
    await createUser(store, { name: "演示管理员", role: "admin", department: null }, "test");
    const u = await store.prisma.user.findFirstOrThrow({ where: { name: "演示管理员" } });
    admin = { userId: u.id, role: "admin", departmentId: null };
    drawIds = await demoPanels(store, admin, { perBureau: 2, day: "2026-12-21" });
  }, 120_000);
  afterAll(async () => store?.close());

  it("draws panels for the bureau that verify against the published commitment", async () => {
    expect(drawIds.length).toBe(2);
    for (const id of drawIds) {
      const v = await verifyStoredPanelDraw(store, id, admin);
      expect(v, JSON.stringify(v)).toMatchObject({ ok: true, kind: "full", knownDraw: { matchesPublished: true } });
      const pub = await publicPanelDraw(store, id);
      expect(pub.status).toBe("drawn");
      expect(pub.seats[0]!.drawn).toBeGreaterThan(0);
      const names = (await store.prisma.expert.findMany({ select: { name: true } })).map((x) => x.name);
      const text = JSON.stringify(pub);
      for (const n of names) expect(text).not.toContain(n);
      const panel = await store.prisma.panel.findFirstOrThrow({ where: { id: pub.panel.id } });
      expect(text).not.toContain(panel.subjectCode);
    }
  });
});
