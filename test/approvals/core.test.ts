/**
 * The loop's pure core (src/approvals): routing, deadlines (failing closed), step classification,
 * the dispute state machine, the directed tasks and their merge into the optimizer's schedule,
 * statistics. Properties with fast-check; the examples name the plan's rules.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  addMonths,
  childrenIndex,
  classifyStep,
  disputeState,
  disputeTransition,
  dutyListDigest,
  forwardTarget,
  loopSettings,
  loopStats,
  mergeInstance,
  monthDeadline,
  readMerge,
  routeDecision,
  validateDutyList,
  verificationTask,
  verifiers,
  workingDayDeadline,
  LoopError,
  type DepartmentRef,
  type DutyEntry,
  type MergeInput,
  DECISION_KINDS,
  DECISION_OUTCOMES,
  PUSHED_OUTCOMES,
} from "../../src/approvals/index.ts";
import { builtInCalendar, isWorkingDay, workingDaysBetween } from "../../src/calendar/index.ts";
import { checkSchedule, optimize } from "../../solver/index.ts";
import { directedTaskName } from "../../src/publication/results.ts";

const cal = builtInCalendar();
const dept = (id: number, over: Partial<DepartmentRef> = {}): DepartmentRef => ({ id, code: `D${id}`, name: `部门${id}`, level: "city", kind: "supervision", districtCode: "610100", parentId: null, active: true, ...over });

// A city: bureau 1 (city), supervising 2 (市场监管), 3 (卫健); districts 610104 and 610113 with
// their own lines (20, 21 under 2; 30 under 3), a 开发区 line 22 under 2, a district bureau 40.
const departments = new Map<number, DepartmentRef>(
  [
    dept(1, { kind: "approval" }),
    dept(2),
    dept(3),
    dept(20, { level: "district", districtCode: "610104", parentId: 2 }),
    dept(21, { level: "district", districtCode: "610113", parentId: 2 }),
    dept(22, { level: "zone", districtCode: "610113", parentId: 2 }),
    dept(30, { level: "district", districtCode: "610104", parentId: 3 }),
    dept(40, { level: "district", districtCode: "610104", kind: "approval" }),
  ].map((d) => [d.id, d]),
);
const children = childrenIndex(departments.values());
const entry = (id: number, departmentId: number, approvalCode: string, over: Partial<DutyEntry> = {}): DutyEntry => ({
  id,
  approvalCode,
  approvalName: `审批${approvalCode}`,
  approvalBasis: null,
  supervisionCode: null,
  supervisionName: `监管${id}`,
  boundary: null,
  departmentId,
  itemId: null,
  forwardUp: false,
  ...over,
});
const entries = [entry(1, 2, "A1"), entry(2, 3, "A1"), entry(3, 2, "A1"), entry(4, 3, "A2")];

describe("routing (审批结果推送)", () => {
  it("same level by the list, one push per department; a city decision also reaches the entity's district and 开发区 departments", () => {
    const pushes = routeDecision({ bureau: departments.get(1)!, approvalCode: "A1", kind: "general", decision: "grant", entityDistrict: "610113" }, entries, departments, children);
    expect(pushes.map((p) => [p.departmentId, p.route])).toEqual([
      [2, "sameLevel"],
      [3, "sameLevel"],
      [21, "area"],
      [22, "area"],
    ]);
    expect(pushes[0]!.supervision.map((s) => s.entryId)).toEqual([1, 3]);
    // 属地核查: the area departments verify for line 2; line 3 has no department in 610113.
    expect(verifiers(pushes, departments).map((p) => p.departmentId)).toEqual([3, 21, 22]);
  });
  it("a denial is not pushed; an item the list does not name is refused (fail closed)", () => {
    expect(routeDecision({ bureau: departments.get(1)!, approvalCode: "A1", kind: "general", decision: "deny", entityDistrict: "610104" }, entries, departments, children)).toEqual([]);
    expect(() => routeDecision({ bureau: departments.get(1)!, approvalCode: "ZZ", kind: "general", decision: "grant", entityDistrict: "610104" }, entries, departments, children)).toThrow(LoopError);
  });
  it("forward: only a same-level push asking for it, to the active higher department of the line", () => {
    expect(forwardTarget({ route: "sameLevel", forwardUp: true, departmentId: 20 }, departments)?.id).toBe(2);
    expect(forwardTarget({ route: "area", forwardUp: true, departmentId: 20 }, departments)).toBeNull();
    expect(forwardTarget({ route: "sameLevel", forwardUp: true, departmentId: 2 }, departments)).toBeNull();
  });
  it("property: every push names a distinct active supervising department, same-level ones exactly the list's, area ones only below city in the entity's district", () => {
    const ids = [...departments.keys()].filter((i) => departments.get(i)!.kind === "supervision");
    fc.assert(
      fc.property(
        fc.array(fc.record({ d: fc.constantFrom(...ids.filter((i) => departments.get(i)!.level === "city")), code: fc.constantFrom("A", "B") }), { minLength: 1, maxLength: 8 }),
        fc.constantFrom("610104", "610113", "610100"),
        fc.constantFrom(...DECISION_OUTCOMES),
        (es, district, decision) => {
          const list = es.map((e, i) => entry(i + 1, e.d, e.code));
          const run = () => routeDecision({ bureau: departments.get(1)!, approvalCode: "A", kind: "general", decision, entityDistrict: district }, list, departments, children);
          if (!list.some((e) => e.approvalCode === "A")) {
            expect(run).toThrow(LoopError);
            return;
          }
          const pushes = run();
          if (!PUSHED_OUTCOMES.includes(decision)) {
            expect(pushes).toEqual([]);
            return;
          }
          const depts = pushes.map((p) => p.departmentId);
          expect(new Set(depts).size).toBe(depts.length);
          expect(new Set(pushes.filter((p) => p.route === "sameLevel").map((p) => p.departmentId))).toEqual(new Set(list.filter((e) => e.approvalCode === "A").map((e) => e.departmentId)));
          for (const p of pushes.filter((x) => x.route === "area")) {
            const d = departments.get(p.departmentId)!;
            expect(d.districtCode).toBe(district);
            expect(depts).toContain(d.parentId);
          }
          const sum = pushes.filter((p) => p.route === "sameLevel").reduce((n, p) => n + p.supervision.length, 0);
          expect(sum).toBe(list.filter((e) => e.approvalCode === "A").length);
        },
      ),
    );
  });
});

describe("duty list (职责边界清单)", () => {
  const ok = { approvalCode: "A1", approvalName: "食品经营许可", supervisionName: "食品经营监督检查", departmentId: 2 };
  it("same-level supervising departments only, once per (item, department, supervision item); digest is order-sensitive", () => {
    const v = validateDutyList(departments.get(1)!, [ok, { ...ok, departmentId: 3 }], departments);
    expect(v[0]!.forwardUp).toBe(false);
    expect(dutyListDigest(v)).toMatch(/^[0-9a-f]{64}$/);
    expect(dutyListDigest(v)).not.toBe(dutyListDigest([...v].reverse()));
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return [(e as LoopError).code, (e as LoopError).field];
      }
      return null;
    };
    expect(code(() => validateDutyList(departments.get(2)!, [ok], departments))).toEqual(["NOT_AN_APPROVAL_BUREAU", "bureauId"]);
    expect(code(() => validateDutyList(departments.get(1)!, [ok, ok], departments))).toEqual(["DUPLICATE_ENTRY", "entries[1].approvalCode"]);
    expect(code(() => validateDutyList(departments.get(1)!, [{ ...ok, departmentId: 20 }], departments))).toEqual(["LEVEL_MISMATCH", "entries[0].departmentId"]);
    expect(code(() => validateDutyList(departments.get(40)!, [{ ...ok, departmentId: 21 }], departments))).toEqual(["AREA_MISMATCH", "entries[0].departmentId"]);
    expect(code(() => validateDutyList(departments.get(1)!, [{ ...ok, forwardUp: true }], departments))).toEqual(["NO_HIGHER_DEPARTMENT", "entries[0].forwardUp"]);
    expect(code(() => validateDutyList(departments.get(1)!, [{ ...ok, departmentId: 1 }], departments))).toEqual(["NOT_A_SUPERVISING_DEPARTMENT", "entries[0].departmentId"]);
    expect(code(() => validateDutyList(departments.get(1)!, [], departments))).toEqual(["VALIDATION_FAILED", "entries"]);
    expect(validateDutyList(departments.get(40)!, [{ ...ok, departmentId: 20, forwardUp: true }], departments)[0]!.forwardUp).toBe(true);
  });
});

describe("deadlines on the holiday calendar, failing closed", () => {
  const day = fc.integer({ min: 0, max: 365 * 3 - 1 }).map((n) => new Date(Date.UTC(2024, 0, 1) + n * 86_400_000).toISOString().slice(0, 10));
  it("签收 within n working days: exactly n working days after the push day; null for a year without data", () => {
    fc.assert(
      fc.property(day, fc.integer({ min: 1, max: 15 }), (d, n) => {
        const due = workingDayDeadline(cal, d, n);
        if (due === null) {
          expect(Number(d.slice(0, 4)) >= 2026).toBe(true);
          return;
        }
        expect(isWorkingDay(cal, due)).toBe(true);
        expect(workingDaysBetween(cal, d, due)).toBe(n);
      }),
    );
    expect(workingDayDeadline(cal, "2026-12-30", 3)).toBeNull(); // reaches 2027: no holiday data yet
    expect(workingDayDeadline(cal, "2026-09-30", 1)).toBe("2026-10-08"); // 国庆 2026
  });
  it("months: the corresponding day or the month's end; a holiday last day moves to the next working day", () => {
    expect(addMonths("2026-12-31", 2)).toBe("2027-02-28");
    expect(addMonths("2024-01-31", 1)).toBe("2024-02-29");
    expect(monthDeadline(cal, "2026-08-01", 2)).toEqual({ nominal: "2026-10-01", due: "2026-10-08" });
    expect(monthDeadline(cal, "2026-11-15", 2)).toEqual({ nominal: "2027-01-15", due: null });
    fc.assert(
      fc.property(day, fc.integer({ min: 1, max: 12 }), (d, m) => {
        const { nominal, due } = monthDeadline(cal, d, m);
        const months = (Number(nominal.slice(0, 4)) - Number(d.slice(0, 4))) * 12 + Number(nominal.slice(5, 7)) - Number(d.slice(5, 7));
        expect(months).toBe(m);
        expect(Number(nominal.slice(8))).toBeLessThanOrEqual(Number(d.slice(8)));
        if (due !== null) {
          expect(due >= nominal).toBe(true);
          expect(isWorkingDay(cal, due)).toBe(true);
          expect(workingDaysBetween(cal, nominal, due)).toBe(isWorkingDay(cal, nominal) ? 0 : 1);
        }
      }),
    );
  });
});

describe("steps (未履职、慢履职)", () => {
  it("property: done ⇒ on time or late (late iff after the deadline); not done ⇒ pending, overdue or no deadline", () => {
    const d = fc.integer({ min: 0, max: 60 }).map((n) => new Date(Date.UTC(2026, 0, 1) + n * 86_400_000).toISOString().slice(0, 10));
    fc.assert(
      fc.property(fc.option(d), fc.option(d), d, (dueOn, doneOn, today) => {
        const s = classifyStep({ dueOn, doneOn }, today);
        if (doneOn !== null) expect(s).toBe(dueOn !== null && doneOn > dueOn ? "late" : "onTime");
        else if (dueOn === null) expect(s).toBe("noDeadline");
        else expect(s).toBe(today > dueOn ? "overdue" : "pending");
      }),
    );
  });
});

describe("dispute state machine (函告 → 复核 → 反馈)", () => {
  it("property: steps go forward only, each by its party, once", () => {
    const ev = fc.record({ type: fc.constantFrom("review" as const, "acknowledge" as const), by: fc.constantFrom("bureau" as const, "department" as const, "other" as const) });
    fc.assert(
      fc.property(fc.array(ev, { maxLength: 8 }), (events) => {
        let s = disputeState({ reviewedAt: null, feedbackAckAt: null });
        const order = ["sent", "reviewed", "closed"];
        for (const e of events) {
          const before = s;
          try {
            s = disputeTransition(s, e);
            expect(order.indexOf(s)).toBe(order.indexOf(before) + 1);
            expect(e.by).toBe(e.type === "review" ? "bureau" : "department");
          } catch (err) {
            expect(err).toBeInstanceOf(LoopError);
            expect(s).toBe(before);
          }
        }
      }),
    );
  });
});

describe("settings", () => {
  it("defaults, and refusals naming the member", () => {
    expect(loopSettings(undefined).verificationMonths).toBe(2);
    expect(loopSettings({ ackWorkingDays: 5, alertWorkingDays: { high: 1 } })).toMatchObject({ ackWorkingDays: 5, alertWorkingDays: { high: 1, medium: 7, low: 15 } });
    expect(() => loopSettings({ ackWorkingDays: 0 })).toThrow(/approvals.ackWorkingDays/);
    expect(() => loopSettings({ foo: 1 })).toThrow(/approvals.foo/);
    expect(() => loopSettings({ alertWorkingDays: { urgent: 1 } })).toThrow(/alertWorkingDays.urgent/);
  });
});

describe("merge into the optimizer's schedule (进一次门、查多项事)", () => {
  const days = ["2026-04-01", "2026-04-02", "2026-04-03", "2026-04-07", "2026-04-08"];
  const inspectors = ["S", "W"].flatMap((dep) => [1, 2, 3, 4].map((k) => ({ certificateNo: `${dep}-${k}`, departmentCode: dep, districts: ["6101"], qualifications: [], unavailable: [] })));
  it("property: a directed task whose window holds a planned visit's day joins that visit; the visit keeps its day and team; the schedule is feasible", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ entity: fc.integer({ min: 0, max: 3 }), dep: fc.constantFrom("S", "W"), from: fc.integer({ min: 0, max: 4 }), len: fc.integer({ min: 0, max: 4 }) }), { minLength: 1, maxLength: 6 }),
        fc.array(fc.record({ entity: fc.integer({ min: 0, max: 3 }), day: fc.integer({ min: 0, max: 4 }) }), { maxLength: 3 }),
        (ts, vs) => {
          const seenEntity = new Set<number>();
          const visits = vs.filter((v) => !seenEntity.has(v.entity) && seenEntity.add(v.entity)).map((v, i) => ({ jointCheckId: 100 + i, entityCode: `E${v.entity}`, district: "610104", day: days[v.day]!, officers: [{ certificateNo: "S-1", departmentCode: "S" }, { certificateNo: "S-2", departmentCode: "S" }] }));
          const tasks = ts.map((t, i) => ({ taskId: i + 1, entityCode: `E${t.entity}`, district: "610104", departmentCode: t.dep, windowStart: days[t.from]!, windowEnd: days[Math.min(4, t.from + t.len)]!, itemIds: [] }));
          const m: MergeInput = { days, tasks, visits, inspectors, recusals: [], dailyCapacity: 3, busy: new Map() };
          const instance = mergeInstance(m);
          const schedule = optimize(instance);
          expect(checkSchedule(instance, schedule).feasible).toBe(true);
          for (const v of schedule.visits) {
            const pinned = v.tasks.filter((t) => t.startsWith("V"));
            for (const p of pinned) {
              const jc = visits.find((x) => `V${x.jointCheckId}:S` === p)!;
              expect(v.day).toBe(jc.day);
              expect(v.team.filter((c) => c.startsWith("S-")).sort()).toEqual(["S-1", "S-2"]);
            }
          }
          const out = readMerge(m, schedule);
          const joinedTasks = new Set(out.joined.flatMap((j) => j.taskIds));
          for (const t of tasks) {
            const jc = visits.find((v) => v.entityCode === t.entityCode);
            if (jc && t.windowStart <= jc.day && jc.day <= t.windowEnd) expect(joinedTasks.has(t.taskId), `task ${t.taskId}`).toBe(true);
          }
          const all = [...joinedTasks, ...out.created.flatMap((c) => c.taskIds), ...out.unscheduled.map((u) => u.taskId)].sort((a, b) => a - b);
          expect(all).toEqual(tasks.map((t) => t.taskId));
          // same inputs, same schedule: the seed is the instance's digest
          expect(mergeInstance(m).seed).toBe(instance.seed);
        },
      ),
      { numRuns: 60 },
    );
  });
  it("the verification task: window from the decision day to the deadline, the nominal one when the holiday data is missing", () => {
    const t = verificationTask({ entityId: 1, departmentId: 2, itemIds: [5, 3, 5], decisionNo: "X-1", approvalName: "食品经营许可", kind: "commitment", decidedOn: "2026-11-20", nominalDueOn: "2027-01-20", dueOn: null });
    expect(t).toMatchObject({ directedKind: "commitment", itemIds: [3, 5], windowStart: "2026-11-20", windowEnd: "2027-01-20" });
    expect(t.reason).toContain("告知承诺");
  });
});

describe("statistics", () => {
  it("property: each department's step counts add up to its total; duplicates avoided = tasks − visits", () => {
    const row = fc.record({ departmentId: fc.integer({ min: 1, max: 4 }), dueOn: fc.option(fc.constantFrom("2026-03-01", "2026-03-05")), doneOn: fc.option(fc.constantFrom("2026-03-01", "2026-03-09")) });
    fc.assert(
      fc.property(fc.array(row), fc.array(row), fc.array(fc.record({ entityId: fc.integer({ min: 1, max: 5 }), departmentIds: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 3 }), tasks: fc.integer({ min: 1, max: 4 }) })), (pushes, alerts, visits) => {
        const s = loopStats({ today: "2026-03-03", pushes, verifications: [], disputes: [], alerts: alerts.map((a) => ({ ...a, handling: null })), visits, maxChecksPerYear: 2 });
        for (const d of s.departments)
          for (const c of [d.pushes, d.alerts]) expect(c.pending + c.onTime + c.late + c.overdue + c.noDeadline).toBe(c.total);
        expect(s.departments.reduce((n, d) => n + d.pushes.total, 0)).toBe(pushes.length);
        expect(s.visits.duplicatesAvoided).toBe(visits.reduce((n, v) => n + v.tasks, 0) - visits.length);
        expect(s.visits.perEntity.reduce((n, p) => n + p.visits * p.entities, 0)).toBe(visits.length);
      }),
    );
  });
});

it("the loop's directed tasks publish under their kind only (never the internal reason)", () => {
  expect(directedTaskName("commitment", ["食品经营者检查"])).toBe("定向检查：告知承诺核查 · 食品经营者检查");
  expect(directedTaskName("riskAlert", [])).toBe("定向检查：风险预警");
  expect(directedTaskName("followUp", ["事项甲"])).toBe("定向检查：复核后续监管 · 事项甲");
  expect(DECISION_KINDS.length).toBe(5);
});
