/**
 * The schedule of a drawn batch: the optimizer places the teams the draw chose on days; it never
 * chooses other people (issue 8, observation 4). Checked against the full manifest's teams.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixture, seedBatch, type Fixture } from "./helpers.ts";
import { drawBatch, fullManifest } from "./support/ceremony.ts";
import { verifyFull2, type FullManifest2 } from "../../src/draws/v2/index.ts";

type Check = { code: string; departments: { department: string; officers: string[]; shortfall: number }[]; experts: { drawn: string[] } };

/** Certificate numbers of a visit's officers. */
async function visitOfficers(fx: Fixture, jointCheckId: number): Promise<string[]> {
  const team = await fx.store.prisma.teamMember.findMany({ where: { jointCheckId, role: "officer" }, include: { inspector: true } });
  return team.map((m) => m.inspector!.certificateNo).sort();
}

describe("joint-check schedule of a drawn batch", () => {
  let fx: Fixture;
  let batchId: number;
  let drawId: number;
  beforeAll(async () => {
    fx = await fixture();
    ({ batchId } = await seedBatch(fx, { entities: 40, count: 3 }));
  });
  afterAll(async () => fx.close());

  it("refuses a batch that has not been drawn", async () => {
    const res = await fx.as("officerA", { method: "POST", url: `/batches/${batchId}/optimize`, payload: {} });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe("NOT_DRAWN");
  });

  it("every visit is one drawn check (进一次门) with exactly the team the draw chose", async () => {
    drawId = await drawBatch(fx, batchId);
    expect((await fx.as("officerB", { method: "POST", url: `/batches/${batchId}/optimize`, payload: {} })).statusCode).toBe(403);
    const res = await fx.as("officerA", { method: "POST", url: `/batches/${batchId}/optimize`, payload: {} });
    expect(res.statusCode, res.body).toBe(201);
    const s = res.json();
    const m = JSON.parse(await fullManifest(fx, drawId)) as FullManifest2;
    const checks = (m.records[0]!.private as { results: { checks: Check[] } }).results.checks;
    expect(s.visits.length + s.unscheduled.length).toBe(checks.length);
    expect(s.visits.length).toBeGreaterThan(0);
    for (const v of s.visits) {
      const c = checks.find((x) => x.code === v.entity.code)!;
      expect(await visitOfficers(fx, v.jointCheckId)).toEqual(c.departments.flatMap((d) => d.officers).sort());
      expect(new Set(v.tasks.map((t: { departmentId: number }) => t.departmentId)).size).toBe(c.departments.length);
    }
    // the schedule is a record of the draw's chain, and the chain verifies
    expect(m.records.map((r) => r.kind)).toEqual(["draw", "schedule"]);
    expect((await verifyFull2(m)).ok).toBe(true);
  });

  it("a re-plan needs a public reason and never changes a team", async () => {
    const before = await fx.as("auditor", { method: "GET", url: `/batches/${batchId}/schedule` });
    const teams = new Map<string, string[]>();
    for (const v of before.json().visits) teams.set(v.entity.code, await visitOfficers(fx, v.jointCheckId));
    const again = await fx.as("officerA", { method: "POST", url: `/batches/${batchId}/optimize`, payload: {} });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe("ALREADY_SCHEDULED");
    const replaced = await fx.as("admin", { method: "POST", url: `/batches/${batchId}/optimize`, payload: { reason: "部分执法人员参加培训，调整检查日期" } });
    expect(replaced.statusCode, replaced.body).toBe(201);
    for (const v of replaced.json().visits) expect(await visitOfficers(fx, v.jointCheckId)).toEqual(teams.get(v.entity.code));
    const pub = (await fx.as("public", { method: "GET", url: `/api/public/draws/${drawId}` })).json();
    expect(pub.records.map((r: { summary: string }) => r.summary)).toContain("重新排期：部分执法人员参加培训，调整检查日期");
    const view = await fx.as("officerB", { method: "GET", url: `/batches/${batchId}/schedule` });
    expect(view.statusCode).toBe(200);
    expect(view.json().draw.id).toBe(drawId);
  });

  it("递补 of an officer changes the planned visit to the new team at once, and the chain still verifies", async () => {
    const m = JSON.parse(await fullManifest(fx, drawId)) as FullManifest2;
    const sched = m.records.at(-1)!.private as { visits: { code: string; officers: string[] }[] };
    const deptCode = (await fx.store.prisma.department.findUniqueOrThrow({ where: { id: fx.dept.a } })).code;
    const checks = (m.records[0]!.private as { results: { checks: Check[] } }).results.checks;
    const teamOf = (code: string) => checks.find((c) => c.code === code)!.departments.find((d) => d.department === deptCode);
    const visit = sched.visits.find((v) => (teamOf(v.code)?.officers.length ?? 0) > 0)!;
    expect(visit, "a scheduled visit with an officer of department A").toBeDefined();
    const out = teamOf(visit.code)!.officers[0]!;
    const sub = await fx.as("officerA", { method: "POST", url: `/draws/${drawId}/substitutions`, payload: { kind: "inspector", entityCode: visit.code, out, reason: "病假" } });
    expect(sub.statusCode, sub.body).toBe(201);
    const after = JSON.parse(await fullManifest(fx, drawId)) as FullManifest2;
    expect(after.records.map((r) => r.kind).slice(-2)).toEqual(["substitution", "schedule"]);
    expect((await verifyFull2(after)).ok).toBe(true);
    const planned = await fx.store.prisma.jointCheck.findFirst({ where: { status: "planned", entity: { code: visit.code } } });
    const officers = planned ? await visitOfficers(fx, planned.id) : [];
    expect(officers).not.toContain(out);
    if (sub.json().in) expect(officers).toContain(sub.json().in);
  });
});
