/**
 * 审管联动 end to end through the API, on SQLite and on PostgreSQL (skipped, saying why, when
 * PostgreSQL is unreachable unless SSJ_REQUIRE_PG=1): the public 职责边界清单 and a law-change
 * revision; decisions pushed by the list (same level, 属地 for a city decision); a push not
 * acknowledged in time listed as overdue; 告知承诺 verification tasks that join the visit already
 * planned for an entity drawn for a random check (one visit); 函告 → 复核 → 签收 → follow-up task;
 * risk alerts answered; statistics; a department outside a case refused (403); every step in
 * the audit chain.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InjectOptions } from "fastify";
import { openStore, type Store } from "../../src/store/index.ts";
import { createUser } from "../../src/store/repos/users.ts";
import { recordDecisions } from "../../src/store/repos/approvals.ts";
import { fixture, pgProblem, pgSchemaUrl, PG_URL, REQUIRE_PG, seedBatch, type Fixture } from "./helpers.ts";
import { drawBatch } from "./support/ceremony.ts";

const problem = await pgProblem();
if (problem && REQUIRE_PG) throw new Error(`SSJ_REQUIRE_PG=1 but PostgreSQL at ${PG_URL} is unreachable: ${problem}`);
if (problem) console.warn(`[skip] 审管联动 on PostgreSQL: ${PG_URL} unreachable (${problem})`);

type Visit = { jointCheckId: number; day: string; entity: { code: string }; tasks: { taskId: number; taskNo: string; departmentId: number }[]; team: { departmentId: number | null; role: string }[] };

function loopSuite(name: string, makeStore: () => Promise<{ store?: Store; drop?: () => Promise<void> }>) {
  describe(name, () => {
    let fx: Fixture;
    let drop: (() => Promise<void>) | undefined;
    let batchId: number;
    let items: Record<number, number[]>;
    const ids = { bureau: 0, district: 0, outsider: 0 };
    const tok = { bureau: "", district: "", outsider: "" };
    const as = (who: keyof typeof tok, opts: InjectOptions) => fx.app.inject({ ...opts, headers: { ...(opts.headers ?? {}), authorization: `Bearer ${tok[who]}` } });
    let visits: Visit[];

    beforeAll(async () => {
      const s = await makeStore();
      drop = s.drop;
      fx = await fixture(s.store ? { store: s.store } : {});
      const p = fx.store.prisma;
      const r = Math.random().toString(36).slice(2, 7);
      // A city approval bureau; a district line of department A where the entities are (460105);
      // an unrelated supervising department.
      ids.bureau = (await p.department.create({ data: { code: `T-XZSP-${r}`, name: "测试市行政审批服务局", level: "city", kind: "approval", districtCode: "460100" } })).id;
      ids.district = (await p.department.create({ data: { code: `T-QSCJG-${r}`, name: "测试区市场监督管理局", level: "district", districtCode: "460105", parentId: fx.dept.a } })).id;
      ids.outsider = (await p.department.create({ data: { code: `T-WJ-${r}`, name: "测试市卫生健康委员会", level: "city", districtCode: "460100" } })).id;
      for (const k of [1, 2, 3])
        await p.inspector.create({ data: { departmentId: ids.district, name: `区检查员${k}`, certificateNo: `QCERT-${r}-${k}`, qualifications: ["执法证"], specialities: [], districts: ["4601"] } });
      tok.bureau = (await createUser(fx.store, { name: "审批员", role: "officer", department: ids.bureau }, "test")).token;
      tok.district = (await createUser(fx.store, { name: "区执法员", role: "officer", department: ids.district }, "test")).token;
      tok.outsider = (await createUser(fx.store, { name: "卫健执法员", role: "officer", department: ids.outsider }, "test")).token;
      ({ batchId, items } = await seedBatch(fx, { entities: 30, count: 2 }));
      await drawBatch(fx, batchId);
      const o = await fx.as("officerA", { method: "POST", url: `/batches/${batchId}/optimize`, payload: {} });
      expect(o.statusCode, o.body).toBe(201);
      visits = (await fx.as("auditor", { method: "GET", url: `/batches/${batchId}/schedule` })).json().visits;
      expect(visits.length).toBeGreaterThan(2);
    });
    afterAll(async () => {
      await fx?.close();
      await drop?.();
    });

    it("职责边界清单: published by the bureau, public, a new version for a law change supersedes the old one", async () => {
      const entries = [
        { approvalCode: "SP-001", approvalName: "食品经营许可", supervisionName: "食品经营监督检查", departmentId: fx.dept.a, itemId: items[fx.dept.a]![0] },
        { approvalCode: "SP-002", approvalName: "建筑工程施工许可", supervisionName: "施工安全监督", boundary: "施工现场质量安全", departmentId: fx.dept.b, itemId: items[fx.dept.b]![0] },
      ];
      expect((await fx.as("officerA", { method: "POST", url: "/duty-lists", payload: { reason: "首次发布", entries } })).statusCode).toBe(422); // not an approval bureau
      const v1 = await as("bureau", { method: "POST", url: "/duty-lists", payload: { reason: "首次发布", entries: entries.slice(0, 1) } });
      expect(v1.statusCode, v1.body).toBe(201);
      const n = await fx.as("officerB", { method: "POST", url: "/law-change-notices", payload: { bureauId: ids.bureau, law: "《建设工程质量管理条例》修订", summary: "新增施工许可事项的监管要求", effectiveOn: "2026-01-01" } });
      expect(n.statusCode, n.body).toBe(201);
      expect((await as("outsider", { method: "GET", url: `/law-change-notices` })).json()).toEqual([]);
      const v2 = await as("bureau", { method: "POST", url: "/duty-lists", payload: { reason: "因法律法规变化修订", noticeId: n.json().id, entries } });
      expect(v2.statusCode, v2.body).toBe(201);
      expect(v2.json().version).toBe(2);
      const pub = await fx.app.inject({ method: "GET", url: `/duty-lists?bureau=${ids.bureau}` });
      expect(pub.statusCode).toBe(200);
      expect(pub.json().map((l: { version: number; status: string }) => [l.version, l.status])).toEqual([
        [2, "current"],
        [1, "superseded"],
      ]);
      const full = (await fx.app.inject({ method: "GET", url: `/duty-lists/${v2.json().id}` })).json();
      expect(full.entries.map((e: { department: { id: number } }) => e.department.id)).toEqual([fx.dept.a, fx.dept.b]);
      expect((await as("bureau", { method: "GET", url: `/law-change-notices/` })).json()[0]).toMatchObject({ status: "revised", revision: { version: 2 } });
    });

    it("decisions are pushed by the list: same level, and the district department for a city decision (属地); a denial is not; bad rows name the field", async () => {
      const code = visits[0]!.entity.code;
      const bad = await as("bureau", { method: "POST", url: "/approval-decisions", payload: { decisions: [{ decisionNo: "X-0", entityCode: code, approvalCode: "SP-404", kind: "general", decision: "grant", decidedOn: "2026-02-01" }] } });
      expect(bad.statusCode).toBe(422);
      expect(bad.json()).toMatchObject({ code: "UNKNOWN_APPROVAL_ITEM", field: "body.decisions[0].approvalCode" });
      const lbl = await as("bureau", { method: "POST", url: "/approval-decisions", payload: { decisions: [{ decisionNo: "X-1", entityCode: code, approvalCode: "SP-001", kind: "一般审批", decision: "准予许可", decidedOn: "2026-02-01" }, { decisionNo: "X-2", entityCode: code, approvalCode: "SP-002", kind: "general", decision: "deny", decidedOn: "2026-02-01" }] } });
      expect(lbl.statusCode, lbl.body).toBe(201);
      expect(lbl.json()).toMatchObject({ recorded: 2, pushes: 2, verifications: 0 });
      const [granted] = lbl.json().decisions;
      const d = (await as("bureau", { method: "GET", url: `/approval-decisions/${granted.id}` })).json();
      expect(d.pushes.map((p: { department: { id: number }; route: string }) => [p.department.id, p.route])).toEqual([
        [fx.dept.a, "sameLevel"],
        [ids.district, "area"],
      ]);
      // the same decision sent again is recognised; another content under the same number is refused
      const again = await as("bureau", { method: "POST", url: "/approval-decisions", payload: { decisions: [{ decisionNo: "X-1", entityCode: code, approvalCode: "SP-001", kind: "general", decision: "grant", decidedOn: "2026-02-01" }] } });
      expect(again.json()).toMatchObject({ recorded: 0, unchanged: 1 });
      const clash = await as("bureau", { method: "POST", url: "/approval-decisions", payload: { decisions: [{ decisionNo: "X-1", entityCode: code, approvalCode: "SP-001", kind: "general", decision: "grant", decidedOn: "2026-02-02" }] } });
      expect(clash.statusCode).toBe(409);
      // a department outside the case is refused; the district department sees only its own push
      expect((await as("outsider", { method: "GET", url: `/approval-decisions/${granted.id}` })).statusCode).toBe(403);
      expect((await fx.as("officerB", { method: "GET", url: `/approval-decisions/${granted.id}` })).statusCode).toBe(403);
      const seen = (await as("district", { method: "GET", url: `/approval-decisions/${granted.id}` })).json();
      expect(seen.pushes.map((p: { department: { id: number } }) => p.department.id)).toEqual([ids.district]);
      expect((await as("outsider", { method: "POST", url: `/pushes/${d.pushes[0].id}/acknowledge` })).statusCode).toBe(403);
      const ack = await fx.as("officerA", { method: "POST", url: `/pushes/${d.pushes[0].id}/acknowledge` });
      expect(ack.statusCode, ack.body).toBe(200);
      expect(ack.json().step.doneOn).not.toBeNull();
      expect((await fx.as("officerA", { method: "POST", url: `/pushes/${d.pushes[0].id}/acknowledge` })).statusCode).toBe(409);
    });

    it("a push not acknowledged in time is listed as overdue (未履职), one acknowledged late as 慢履职", async () => {
      const code = visits[1]!.entity.code;
      // Recorded on 2026-03-02 (the store's day parameter; the API records today): due three working days later.
      const out = await recordDecisions(fx.store, { decisions: [{ decisionNo: "OLD-1", entityCode: code, approvalCode: "SP-002", kind: "general", decision: "grant", decidedOn: "2026-02-27" }], source: "api" }, { userId: 1, role: "officer", departmentId: ids.bureau }, "2026-03-02");
      const pushId = out.decisions[0]!.pushes[0]!;
      const list = await fx.as("officerB", { method: "GET", url: "/approvals/overdue" });
      expect(list.statusCode, list.body).toBe(200);
      const item = list.json().items.find((i: { subject: string }) => i.subject === `push:${pushId}`);
      expect(item).toMatchObject({ kind: "acknowledge", status: "overdue", dueOn: "2026-03-05", departmentId: fx.dept.b, decisionNo: "OLD-1" });
      expect((await fx.as("officerB", { method: "GET", url: `/approvals/overdue?department=${fx.dept.a}` })).statusCode).toBe(403);
      expect((await fx.as("officerA", { method: "GET", url: "/approvals/overdue" })).json().items.some((i: { subject: string }) => i.subject === `push:${pushId}`)).toBe(false);
      await fx.as("officerB", { method: "POST", url: `/pushes/${pushId}/acknowledge` });
      const after = (await fx.as("auditor", { method: "GET", url: "/approvals/overdue" })).json().items.find((i: { subject: string }) => i.subject === `push:${pushId}`);
      expect(after).toMatchObject({ status: "late" });
    });

    it("告知承诺: the verification task of an entity also drawn for a random check joins its visit (one visit, the team extended only where needed)", async () => {
      const v = visits[2]!;
      const decidedOn = v.day.slice(0, 8) + "01" < v.day ? v.day.slice(0, 8) + "01" : v.day;
      const res = await as("bureau", {
        method: "POST",
        url: "/approval-decisions",
        payload: {
          decisions: [
            { decisionNo: "CN-1", entityCode: v.entity.code, approvalCode: "SP-002", kind: "commitment", decision: "grant", decidedOn, commitment: "承诺具备安全生产条件" },
            { decisionNo: "CN-2", entityCode: v.entity.code, approvalCode: "SP-001", kind: "告知承诺", decision: "grant", decidedOn, commitment: "承诺经营场所符合要求" },
          ],
        },
      });
      expect(res.statusCode, res.body).toBe(201);
      // SP-002 → 住建 (same level, verifies); SP-001 → the district 市场监管 verifies (属地)
      expect(res.json().verifications).toBe(2);
      const vs = (await fx.as("auditor", { method: "GET", url: "/verifications?open=true" })).json().items.filter((x: { decision: { decisionNo: string } }) => x.decision.decisionNo.startsWith("CN-"));
      expect(vs.map((x: { department: { id: number } }) => x.department.id).sort()).toEqual([fx.dept.b, ids.district].sort());
      expect((await as("outsider", { method: "GET", url: `/verifications/${vs[0].id}` })).statusCode).toBe(403);
      const before = (await fx.as("auditor", { method: "GET", url: `/batches/${batchId}/schedule` })).json().visits as Visit[];
      const s = await fx.as("admin", { method: "POST", url: "/approvals/schedule", payload: { from: "2026-03-01", to: "2026-06-30" } });
      expect(s.statusCode, s.body).toBe(201);
      expect(s.json().joined).toBeGreaterThanOrEqual(2);
      const after = (await fx.as("auditor", { method: "GET", url: `/batches/${batchId}/schedule` })).json().visits as Visit[];
      expect(after.length).toBe(before.length);
      const visitOf = after.filter((x) => x.entity.code === v.entity.code);
      expect(visitOf.length).toBe(1);
      const taskNos = visitOf[0]!.tasks.map((t) => t.taskNo);
      for (const x of vs) expect(taskNos).toContain(x.task.taskNo);
      expect(visitOf[0]!.day).toBe(v.day);
      const old = before.find((x) => x.jointCheckId === v.jointCheckId)!;
      // the drawn officers are all still there; the district department's officer was added, nobody for 住建 (already on it)
      const count = (vis: Visit, d: number) => vis.team.filter((m) => m.departmentId === d && m.role === "officer").length;
      expect(count(visitOf[0]!, fx.dept.a)).toBe(count(old, fx.dept.a));
      expect(count(visitOf[0]!, fx.dept.b)).toBe(count(old, fx.dept.b));
      expect(count(visitOf[0]!, ids.district)).toBeGreaterThanOrEqual(1);
      const tasks = await fx.store.prisma.task.findMany({ where: { taskNo: { in: vs.map((x: { task: { taskNo: string } }) => x.task.taskNo) } } });
      expect(tasks.every((t) => t.status === "scheduled" && t.directedKind === "commitment")).toBe(true);
      // running it again finds nothing left to place
      expect((await fx.as("admin", { method: "POST", url: "/approvals/schedule", payload: { from: "2026-03-01", to: "2026-06-30" } })).json().tasks).toBe(0);
    });

    it("verification outcome fed back; 函告 → 复核 → 签收 → follow-up task; steps out of order refused", async () => {
      const vs = (await fx.as("officerB", { method: "GET", url: "/verifications?open=true" })).json().items;
      const ver = vs.find((x: { decision: { decisionNo: string } }) => x.decision.decisionNo === "CN-1");
      const noFindings = await fx.as("officerB", { method: "POST", url: `/verifications/${ver.id}/outcome`, payload: { outcome: "false", checkedOn: ver.decision.decidedOn } });
      expect(noFindings.statusCode).toBe(400);
      expect(noFindings.json().field).toBe("findings");
      const rec = await fx.as("officerB", { method: "POST", url: `/verifications/${ver.id}/outcome`, payload: { outcome: "false", findings: "现场不具备承诺的安全生产条件", checkedOn: ver.decision.decidedOn } });
      expect(rec.statusCode, rec.body).toBe(200);
      const fed = (await as("bureau", { method: "GET", url: `/verifications/${ver.id}` })).json();
      expect(fed).toMatchObject({ outcome: "false", feedbackTo: { id: ids.bureau } });
      expect((await fx.as("officerB", { method: "POST", url: `/verifications/${ver.id}/outcome`, payload: { outcome: "true", checkedOn: ver.decision.decidedOn } })).statusCode).toBe(409);
      expect((await as("outsider", { method: "POST", url: "/disputes", payload: { decisionId: ver.decision.id, kind: "falseCommitment", letter: "越权函告" } })).statusCode).toBe(403);
      const sent = await fx.as("officerB", { method: "POST", url: "/disputes", payload: { decisionId: ver.decision.id, kind: "falseCommitment", letterNo: "住建函〔2026〕1号", letter: "经核查，申请人承诺不实，请复核", verificationId: ver.id } });
      expect(sent.statusCode, sent.body).toBe(201);
      const id = sent.json().id;
      expect(sent.json().state).toBe("sent");
      expect((await fx.as("officerB", { method: "POST", url: `/disputes/${id}/acknowledge`, payload: {} })).statusCode).toBe(409);
      expect((await fx.as("officerB", { method: "POST", url: `/disputes/${id}/review`, payload: { outcome: "revoke", note: "自行复核" } })).statusCode).toBe(403);
      expect((await as("outsider", { method: "GET", url: `/disputes/${id}` })).statusCode).toBe(403);
      const rev = await as("bureau", { method: "POST", url: `/disputes/${id}/review`, payload: { outcome: "revoke", note: "经审查卷宗，承诺不实，撤销许可" } });
      expect(rev.statusCode, rev.body).toBe(200);
      expect(rev.json()).toMatchObject({ state: "reviewed", outcome: "revoke", review: { status: "onTime" } });
      const ack = await fx.as("officerB", { method: "POST", url: `/disputes/${id}/acknowledge`, payload: { itemIds: [items[fx.dept.b]![1]] } });
      expect(ack.statusCode, ack.body).toBe(200);
      expect(ack.json().state).toBe("closed");
      expect(ack.json().followUpTask.taskNo).toMatch(/^FC-/);
      const t = await fx.store.prisma.task.findUnique({ where: { id: ack.json().followUpTask.id } });
      expect(t).toMatchObject({ kind: "directed", directedKind: "followUp", departmentId: fx.dept.b });
    });

    it("risk alerts: a directed task with a deadline by level; a resend is recognised; feedback counted", async () => {
      const code = visits[0]!.entity.code;
      const alert = { externalId: `YJ-${Math.random().toString(36).slice(2, 8)}`, source: "互联网+监管系统", entityCode: code, departmentId: fx.dept.a, category: "投诉集中", level: "high", detail: "近30日投诉12件", raisedOn: "2026-02-20" };
      expect((await fx.as("officerB", { method: "POST", url: "/risk-alerts", payload: { alerts: [alert] } })).statusCode).toBe(403);
      const r = await fx.as("admin", { method: "POST", url: "/risk-alerts", payload: { alerts: [alert] } });
      expect(r.statusCode, r.body).toBe(201);
      expect((await fx.as("admin", { method: "POST", url: "/risk-alerts", payload: { alerts: [alert] } })).json()).toMatchObject({ received: 0, unchanged: 1 });
      const id = r.json().alerts[0].id;
      expect((await fx.as("officerB", { method: "GET", url: `/risk-alerts/${id}` })).statusCode).toBe(403);
      const got = (await fx.as("officerA", { method: "GET", url: `/risk-alerts/${id}` })).json();
      expect(got.task.taskNo).toMatch(/^YJ-/);
      expect(got.workingDays).toBe(3);
      const fb = await fx.as("officerA", { method: "POST", url: `/risk-alerts/${id}/feedback`, payload: { handling: "rectified", feedback: "已责令限期整改" } });
      expect(fb.statusCode, fb.body).toBe(200);
      expect(fb.json().step.status).toBe("onTime");
    });

    it("statistics per department, and every step in the audit chain (which verifies)", async () => {
      const st = await fx.as("officerA", { method: "GET", url: "/approvals/stats?year=2026" });
      expect(st.statusCode, st.body).toBe(200);
      const b = st.json().departments.find((d: { departmentId: number }) => d.departmentId === fx.dept.b);
      expect(b.verifications.outcomes.false).toBe(1);
      expect(b.disputesSent.total).toBe(1);
      expect(b.pushes.late).toBe(1);
      const bureau = st.json().departments.find((d: { departmentId: number }) => d.departmentId === ids.bureau);
      expect(bureau.reviews).toMatchObject({ total: 1, onTime: 1 });
      expect(st.json().visits.duplicatesAvoided).toBeGreaterThan(0);
      const actions = (await fx.store.prisma.auditLog.findMany({ select: { action: true } })).map((x) => x.action);
      for (const a of ["dutyList.publish", "notice.send", "approval.decisions", "push.acknowledge", "loop.schedule", "verification.record", "verification.feedback", "dispute.send", "dispute.review", "dispute.feedback", "dispute.acknowledge", "alert.receive", "alert.answer"]) expect(actions, a).toContain(a);
      const v = await fx.as("auditor", { method: "GET", url: "/audit/verify" });
      expect(v.json().ok).toBe(true);
    });
  });
}

loopSuite("审管联动 through the API (SQLite)", async () => ({}));
describe.skipIf(problem !== null)("PostgreSQL", () => {
  loopSuite("审管联动 through the API (PostgreSQL)", async () => {
    const db = await pgSchemaUrl();
    const store = await openStore({ databaseUrl: db.url });
    await store.migrate();
    return { store, drop: db.drop };
  });
});
