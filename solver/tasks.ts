/**
 * Pipeline step 1, tasks: each task's window in horizon days, its eligible pool and the days on
 * which its department could staff it (ignoring load).
 *
 *   prepareTasks(plan): plan.tasks = [{ index, entity, dept, lo, hi, staffable }],
 *                       plan.unscheduled += tasks no schedule can place, with the reason
 *
 * A task no schedule can place: its window holds no working day; no inspector of its department
 * (with capacity) covers the district without recusal; none of them holds its `requires`; or on
 * no day of the window `minPerDepartment` of them (one qualified) are available. Its window is
 * narrowed to the first/last day on which it could be staffed. These are the only tasks the bound
 * `ComponentProof.bound.unscheduled` starts from.
 */
import { windowDays } from "./model.ts";
import type { Plan, TaskInfo } from "./plan.ts";

export function prepareTasks(plan: Plan): void {
  const { instance, pools, days, D, rules, entities, entityIndex } = plan.problem;
  const staffCache = new Map<string, Uint8Array>();
  instance.tasks.forEach((task, index) => {
    const e = entityIndex.get(task.entity)!;
    const [lo, hi] = windowDays(days, task);
    if (lo > hi) {
      plan.unscheduled.set(index, `window ${task.window.from}..${task.window.to} contains no working day of the horizon`);
      return;
    }
    const pool = pools.forEntity(e, task.department);
    const district = entities[e]!.district;
    if (pool.length === 0) {
      plan.unscheduled.set(index, `no inspector of department ${task.department} with capacity covers district ${district} without recusal`);
      return;
    }
    if (!pool.some((i) => pools.qualifies(i, task.requires))) {
      plan.unscheduled.set(index, `no eligible inspector of department ${task.department} in district ${district} holds [${task.requires.join(", ")}]`);
      return;
    }
    const pinned = pools.pinnedSize(e, task.department);
    if (pinned !== undefined && pool.length < pinned) {
      plan.unscheduled.set(index, `the pinned team of ${task.department} includes an officer who may not inspect ${task.entity} (district, recusal or capacity)`);
      return;
    }
    // A pinned team goes out whole: every member must be available.
    const k = pinned ?? Math.max(1, rules.minPerDepartment);
    const key = `${task.department}|${district}|${pools.hasRecusal(e) || pinned !== undefined ? e : ""}|${[...task.requires].sort().join(",")}`;
    let ok = staffCache.get(key);
    if (!ok) {
      ok = new Uint8Array(D);
      for (let t = 0; t < D; t++) ok[t] = pools.staffable(pool, t, k, task.requires) ? 1 : 0;
      staffCache.set(key, ok);
    }
    let a = lo;
    while (a <= hi && !ok[a]) a++;
    let b = hi;
    while (b >= a && !ok[b]) b--;
    if (a > b) {
      plan.unscheduled.set(index, `no day in window ${task.window.from}..${task.window.to} on which an eligible officer of ${task.department} is available`);
      return;
    }
    const info: TaskInfo = { index, entity: e, dept: task.department, lo: a, hi: b, staffable: ok };
    plan.tasks.push(info);
    plan.taskInfo.set(index, info);
  });
}
