/**
 * Joint-check optimization of a drawn batch (solver/, pure) and the resulting schedule.
 *
 * The instance is built from the batch's open tasks (all departments), the participating
 * departments' officers, recusals and the batch window's working days; its seed is the draw's
 * public seed, so anyone holding the instance can replay the schedule. The run (instance digest,
 * seed, schedule) and its joint checks with their teams are stored in one audited transaction.
 */
import { createHash } from "node:crypto";
import { optimize, type Instance, type Schedule } from "../../../solver/index.ts";
import { canonicalJson } from "../../draws/index.ts";
import { workingDaysInRange } from "../../calendar/index.ts";
import { inTransaction } from "./audit.ts";
import { RepoError, type RepoStore, type Tx } from "./db.ts";
import { asArray, getConfig } from "./directories.ts";
import { calendarFor } from "./settings.ts";

export const SOLVER_VERSION = "ssj-solver/1";

type Db = RepoStore["prisma"] | Tx;

export interface ScheduleView {
  batchId: number;
  run: { id: number; instanceDigest: string; seed: string; solverVersion: string; createdAt: string } | null;
  visits: {
    jointCheckId: number;
    day: string;
    status: string;
    entity: { code: string; name: string };
    tasks: { taskId: number; taskNo: string; departmentId: number }[];
    team: { inspectorId: number; name: string; departmentId: number | null; role: string }[];
  }[];
  unscheduled: { taskNo: string; reason: string }[];
}

/** The solver instance for a batch (exported for replay and tests). */
export async function instanceFor(db: Db, store: RepoStore, batchId: number): Promise<{ instance: Instance; drawId: number }> {
  const b = await db.batch.findUnique({ where: { id: batchId }, include: { departments: { include: { department: true } }, liveDraw: true } });
  if (!b) throw new RepoError(404, "NOT_FOUND", `batch ${batchId} not found`);
  if (!b.liveDraw || b.liveDraw.status !== "drawn" || !b.liveDraw.seed)
    throw new RepoError(409, "NOT_DRAWN", `batch ${batchId} has no completed draw to optimize`);
  const cal = await calendarFor(store);
  const days = workingDaysInRange(cal, b.windowStart, b.windowEnd); // 422 for a year without holiday data
  if (days.length === 0) throw new RepoError(422, "EMPTY_WINDOW", `the batch window ${b.windowStart}..${b.windowEnd} has no working day`, "window");
  const codes = new Map(b.departments.map((d) => [d.departmentId, d.department.code]));
  const tasks = await db.task.findMany({
    where: { batchId, drawId: b.liveDraw.id, status: { in: ["open", "scheduled"] } },
    include: { entity: true, items: { include: { item: true } } },
    orderBy: { id: "asc" },
  });
  const officers = await db.inspector.findMany({ where: { departmentId: { in: [...codes.keys()] }, active: true }, orderBy: { id: "asc" } });
  const entityIds = [...new Set(tasks.map((t) => t.entityId))];
  const recusals = await db.recusal.findMany({ where: { entityId: { in: entityIds }, inspectorId: { in: officers.map((o) => o.id) } }, include: { entity: true, inspector: true } });
  const cap = ((await getConfig(store, "optimizer")) ?? {}) as { dailyCapacity?: number; totalCapacity?: number };
  const entities = new Map(tasks.map((t) => [t.entity.code, { id: t.entity.code, district: t.entity.districtCode }]));
  const entityDistricts = [...new Set([...entities.values()].map((e) => e.district))].sort();
  const instance: Instance = {
    horizon: { days },
    entities: [...entities.values()],
    inspectors: officers.map((o) => ({
      id: o.certificateNo,
      department: codes.get(o.departmentId)!,
      // The directory (and the draw engine) store district prefixes ("4601" = the whole city); the
      // solver matches exact district codes: list the instance's districts each officer covers.
      districts: coveredDistricts(asArray(o.districts), entityDistricts),
      qualifications: asArray(o.qualifications),
      dailyCapacity: cap.dailyCapacity ?? 2,
      totalCapacity: cap.totalCapacity ?? 2 * days.length,
      unavailable: [],
    })),
    tasks: tasks.map((t) => ({
      id: t.taskNo,
      entity: t.entity.code,
      department: codes.get(t.departmentId)!,
      items: t.items.map((i) => i.item.code),
      requires: [],
      window: { from: t.windowStart < days[0]! ? days[0]! : t.windowStart, to: t.windowEnd },
      kind: t.kind === "directed" ? "directed" : "random",
    })),
    recusals: recusals.map((r) => ({ inspector: r.inspector.certificateNo, entity: r.entity.code })),
    rules: {},
    seed: b.liveDraw.seed,
  };
  return { instance, drawId: b.liveDraw.id };
}

function coveredDistricts(prefixes: string[], districts: string[]): string[] {
  return districts.filter((d) => prefixes.some((p) => d.startsWith(p)));
}

export async function optimizeBatch(store: RepoStore, batchId: number, options: { replace?: boolean }, actor: string): Promise<ScheduleView> {
  await inTransaction(
    store,
    async (tx) => {
      const { instance } = await instanceFor(tx, store, batchId);
      if (instance.tasks.length === 0) throw new RepoError(409, "NOTHING_TO_SCHEDULE", `batch ${batchId} has no open tasks`);
      const planned = await tx.jointCheck.findMany({ where: { status: "planned", tasks: { some: { task: { batchId } } } }, select: { id: true } });
      if (planned.length > 0 && !options.replace)
        throw new RepoError(409, "ALREADY_SCHEDULED", `batch ${batchId} already has ${planned.length} planned joint checks; pass replace: true to re-plan`);
      if (planned.length > 0) {
        await tx.jointCheck.updateMany({ where: { id: { in: planned.map((p) => p.id) } }, data: { status: "cancelled" } });
        await tx.task.updateMany({ where: { batchId, status: "scheduled" }, data: { status: "open" } });
      }
      let schedule: Schedule;
      try {
        schedule = optimize(instance);
      } catch (e) {
        throw new RepoError(422, "OPTIMIZATION_FAILED", `the optimizer could not build a valid schedule: ${(e as Error).message}`);
      }
      const text = canonicalJson(schedule);
      const run = await tx.optimizationRun.create({
        data: { instanceDigest: createHash("sha256").update(canonicalJson(instance)).digest("hex"), seed: instance.seed, solverVersion: SOLVER_VERSION, schedule: text },
      });
      const taskRows = await tx.task.findMany({ where: { taskNo: { in: instance.tasks.map((t) => t.id) } }, select: { id: true, taskNo: true, entityId: true } });
      const taskByNo = new Map(taskRows.map((t) => [t.taskNo, t]));
      const inspectors = await tx.inspector.findMany({ where: { certificateNo: { in: instance.inspectors.map((i) => i.id) } } });
      const inspByCert = new Map(inspectors.map((i) => [i.certificateNo, i]));
      for (const v of schedule.visits) {
        const first = taskByNo.get(v.tasks[0]!)!;
        const jc = await tx.jointCheck.create({ data: { entityId: first.entityId, day: v.day, optimizationRunId: run.id } });
        await tx.jointCheckTask.createMany({ data: v.tasks.map((no) => ({ jointCheckId: jc.id, taskId: taskByNo.get(no)!.id, entityId: first.entityId })) });
        await tx.teamMember.createMany({
          data: v.team.map((cert) => {
            const i = inspByCert.get(cert)!;
            return { jointCheckId: jc.id, role: "officer", departmentId: i.departmentId, inspectorId: i.id };
          }),
        });
      }
      const scheduled = schedule.visits.flatMap((v) => v.tasks.map((no) => taskByNo.get(no)!.id));
      if (scheduled.length > 0) await tx.task.updateMany({ where: { id: { in: scheduled } }, data: { status: "scheduled" } });
      return {
        value: run.id,
        audit: {
          actor,
          action: "batch.optimize",
          subject: `batch:${batchId}`,
          payload: { runId: run.id, seed: instance.seed, visits: schedule.visits.length, tasks: instance.tasks.length, unscheduled: schedule.unscheduled.length, replaced: planned.length },
        },
      };
    },
    { timeout: 10 * 60_000 },
  );
  return getSchedule(store, batchId);
}

export async function getSchedule(store: RepoStore, batchId: number): Promise<ScheduleView> {
  const b = await store.prisma.batch.findUnique({ where: { id: batchId } });
  if (!b) throw new RepoError(404, "NOT_FOUND", `batch ${batchId} not found`);
  const checks = await store.prisma.jointCheck.findMany({
    where: { status: { not: "cancelled" }, tasks: { some: { task: { batchId } } } },
    include: { entity: true, optimizationRun: true, tasks: { include: { task: true } }, team: { include: { inspector: true } } },
    orderBy: [{ day: "asc" }, { id: "asc" }],
  });
  const runRow = checks.map((c) => c.optimizationRun).filter((r) => r !== null).sort((x, y) => y!.id - x!.id)[0] ?? null;
  const unscheduled = runRow ? (JSON.parse(runRow.schedule) as Schedule).unscheduled.map((u) => ({ taskNo: u.task, reason: u.reason })) : [];
  return {
    batchId,
    run: runRow ? { id: runRow.id, instanceDigest: runRow.instanceDigest, seed: runRow.seed, solverVersion: runRow.solverVersion, createdAt: runRow.createdAt.toISOString() } : null,
    visits: checks.map((c) => ({
      jointCheckId: c.id,
      day: c.day,
      status: c.status,
      entity: { code: c.entity.code, name: c.entity.name },
      tasks: c.tasks.map((t) => ({ taskId: t.taskId, taskNo: t.task.taskNo, departmentId: t.task.departmentId })),
      team: c.team.map((m) => ({ inspectorId: m.inspectorId!, name: m.inspector?.name ?? "", departmentId: m.departmentId, role: m.role })),
    })),
    unscheduled,
  };
}
