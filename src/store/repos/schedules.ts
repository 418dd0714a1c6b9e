/**
 * The joint-check schedule of a batch as planned (joint checks with their teams), read back for
 * the API. The schedule itself is made by `scheduleBatch` (src/store/repos/draws.ts): the
 * optimizer places the teams the draw chose on days, and the schedule is a record of the draw's
 * chain (docs/draw-spec.md §9.3).
 */
import { RepoError, type RepoStore } from "./db.ts";
import { currentTeams } from "./draws.ts";

export interface ScheduleView {
  batchId: number;
  run: { id: number; instanceDigest: string; seed: string; solverVersion: string; createdAt: string } | null;
  visits: {
    jointCheckId: number;
    day: string;
    status: string;
    entity: { code: string; name: string };
    tasks: { taskId: number; taskNo: string; departmentId: number }[];
    /** certificateNo: the 执法证号 the team shows at the door (行政处罚法 art. 55); an expert's number if any. */
    team: { inspectorId: number | null; expertId: number | null; name: string; departmentId: number | null; role: string; certificateNo: string | null }[];
  }[];
  /** Checks the latest schedule record could not place, with the reason. */
  unscheduled: { code: string; reason: string }[];
  /** The draw whose teams go out, and the chain head the schedule belongs to. */
  draw: { id: number; checks: number } | null;
}

export async function getSchedule(store: RepoStore, batchId: number): Promise<ScheduleView> {
  const b = await store.prisma.batch.findUnique({ where: { id: batchId } });
  if (!b) throw new RepoError(404, "NOT_FOUND", `批次 ${batchId} 不存在`);
  const checks = await store.prisma.jointCheck.findMany({
    where: { status: { not: "cancelled" }, tasks: { some: { task: { batchId } } } },
    include: { entity: true, optimizationRun: true, tasks: { include: { task: true } }, team: { include: { inspector: true, expert: true } } },
    orderBy: [{ day: "asc" }, { id: "asc" }],
  });
  const runRow = checks.map((c) => c.optimizationRun).filter((r) => r !== null).sort((x, y) => y!.id - x!.id)[0] ?? null;
  const teams = await currentTeams(store, batchId);
  const unscheduled = teams?.schedule?.unscheduled ?? [];
  return {
    batchId,
    run: runRow ? { id: runRow.id, instanceDigest: runRow.instanceDigest, seed: runRow.seed, solverVersion: runRow.solverVersion, createdAt: runRow.createdAt.toISOString() } : null,
    visits: checks.map((c) => ({
      jointCheckId: c.id,
      day: c.day,
      status: c.status,
      entity: { code: c.entity.code, name: c.entity.name },
      tasks: c.tasks.map((t) => ({ taskId: t.taskId, taskNo: t.task.taskNo, departmentId: t.task.departmentId })),
      team: c.team.map((m) => ({ inspectorId: m.inspectorId, expertId: m.expertId, name: m.inspector?.name ?? m.expert?.name ?? "", departmentId: m.departmentId, role: m.role, certificateNo: m.inspector?.certificateNo ?? m.expert?.certificateNo ?? null })),
    })),
    unscheduled,
    draw: teams ? { id: teams.drawId, checks: teams.checks.length } : null,
  };
}
