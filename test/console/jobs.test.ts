/**
 * Progress of long work (api/jobs.ts, api/routes/jobs.ts, api/console/pages/jobs.ts), as the
 * administrator and the officer see it: an upload of 12,000 rows from the console form runs in
 * the background and reports the rows the store has written, batch by batch, then ends with its
 * report; a rejected file ends failed with the store's Chinese message; a draw and a schedule
 * started from the console report their phases and go on to their pages; a running job's page
 * shows the progress (and refreshes itself without a script); another officer cannot see a job.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jobsFor, type Job } from "../../api/jobs.ts";
import { creditCode, seedBatch } from "../api/helpers.ts";
import { commit, external } from "../api/support/ceremony.ts";
import { consoleFixture, type ConsoleFixture } from "./helpers.ts";

const N = 12_000;

function multipartForm(fields: Record<string, string>, file: { name: string; content: string }) {
  const boundary = `----ssjjob${Math.random().toString(16).slice(2)}`;
  const parts = Object.entries(fields).map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`);
  const body = `${parts.join("")}--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: text/csv\r\n\r\n${file.content}\r\n--${boundary}--\r\n`;
  return { payload: Buffer.from(body, "utf8"), contentType: `multipart/form-data; boundary=${boundary}` };
}

describe("console: progress of imports, draws and scheduling", () => {
  let fx: ConsoleFixture;
  const seen = new Map<string, { phase: string; status: string; done: number | null; total: number | null }[]>();

  beforeAll(async () => {
    fx = await consoleFixture();
    jobsFor(fx.app.ssj).subscribe((j) => {
      const list = seen.get(j.id) ?? [];
      list.push({ phase: j.phase, status: j.status, done: j.done, total: j.total });
      seen.set(j.id, list);
    });
  });
  afterAll(async () => fx?.close());

  const ended = async (id: string): Promise<Job> => {
    const reg = jobsFor(fx.app.ssj);
    while (reg.get(id)!.status === "running") await new Promise((r) => setTimeout(r, 20));
    return reg.get(id)!;
  };
  const jobIdOf = (location: unknown) => {
    const m = /^\/console\/jobs\/([A-Za-z0-9_-]+)$/.exec(String(location));
    expect(m, String(location)).not.toBeNull();
    return m![1]!;
  };
  const upload = async (content: string) => {
    const s = await fx.session("admin");
    const f = multipartForm({ _csrf: s.csrf, kind: "entities", department: "" }, { name: "entities.csv", content });
    const res = await fx.app.inject({ method: "POST", url: "/console/imports", headers: { cookie: s.cookie, "content-type": f.contentType }, payload: f.payload });
    expect(res.statusCode, res.body).toBe(303);
    return { s, id: jobIdOf(res.headers.location) };
  };

  it("an import of 12,000 rows reports the rows written batch by batch, then ends done with its report", async () => {
    const rows = Array.from({ length: N }, (_, i) => `${creditCode(50_000 + i)},进度测试餐饮有限公司${i},460105,H6210,有限责任公司,存续,B`);
    const { s, id } = await upload(["统一社会信用代码,企业名称,区划码,行业代码,主体类型,登记状态,风险等级", ...rows].join("\n"));
    const job = await ended(id);
    expect(job.status, JSON.stringify(job.error)).toBe("done");
    const importing = seen.get(id)!.filter((p) => p.phase === "importing").map((p) => p.done);
    expect(importing).toEqual([5000, 10_000, N]);
    expect(job.phases.map((p) => p.phase)).toEqual(["queued", "importing", "committing", "done"]);
    expect(job.result).toMatchObject({ rowsRead: N, accepted: N, created: N });
    expect(await fx.store.prisma.entity.count()).toBe(N);

    const api = await fx.app.inject({ method: "GET", url: `/jobs/${id}`, headers: { cookie: s.cookie } });
    expect(api.json()).toMatchObject({ status: "done", phase: "done", done: N, kind: "import" });
    const page = await fx.app.inject({ method: "GET", url: `/console/jobs/${id}`, headers: { cookie: s.cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("导入报告");
    expect(page.body).toContain(`<div class="n">${N}</div><div class="k">读取行数</div>`);
  });

  it("a rejected file ends failed with the store's Chinese message, shown on the page", async () => {
    const { s, id } = await upload("这不是名录\n随便写点什么\n");
    const job = await ended(id);
    expect(job.status).toBe("failed");
    expect(job.error!.statusCode).toBe(422);
    expect(job.error!.code).toMatch(/^IMPORT_/);
    const page = await fx.app.inject({ method: "GET", url: `/console/jobs/${id}`, headers: { cookie: s.cookie } });
    expect(page.statusCode).toBe(422);
    expect(page.body).toContain(job.error!.message);
  });

  it("a draw and then its schedule, started from the console, report their phases and go on to their pages", async () => {
    const { batchId } = await seedBatch(fx, { entities: 8, count: 2 });
    const d = await commit(fx, batchId, { mode: "external", source: "中国福利彩票 双色球", reference: "进度测试" });
    await external(fx, d.id);
    const s = await fx.session("officerA");
    const form = { headers: { cookie: s.cookie, "content-type": "application/x-www-form-urlencoded" }, payload: `_csrf=${encodeURIComponent(s.csrf)}` };
    const run = await fx.app.inject({ method: "POST", url: `/console/draws/${d.id}/run`, ...form });
    expect(run.statusCode, run.body).toBe(303);
    const drawJob = await ended(jobIdOf(run.headers.location));
    expect(drawJob.status, JSON.stringify(drawJob.error)).toBe("done");
    expect(drawJob.phases.map((p) => p.phase)).toEqual(["queued", "drawing", "tasks", "publishing", "done"]);
    const tasks = await fx.store.prisma.task.count({ where: { drawId: d.id } });
    expect(tasks).toBeGreaterThan(0);
    const taskSteps = seen.get(drawJob.id)!.filter((p) => p.phase === "tasks");
    expect(taskSteps[0]).toMatchObject({ done: 0, total: tasks });
    expect(taskSteps.at(-1)).toMatchObject({ done: tasks, total: tasks });
    const after = await fx.app.inject({ method: "GET", url: `/console/jobs/${drawJob.id}`, headers: { cookie: s.cookie } });
    expect(after.statusCode).toBe(303);
    expect(after.headers.location).toBe(`/console/draws/${d.id}`);

    const opt = await fx.app.inject({ method: "POST", url: `/console/batches/${batchId}/schedule`, ...form });
    expect(opt.statusCode, opt.body).toBe(303);
    const scheduleJob = await ended(jobIdOf(opt.headers.location));
    expect(scheduleJob.status, JSON.stringify(scheduleJob.error)).toBe("done");
    expect(scheduleJob.phases.map((p) => p.phase)).toEqual(["queued", "instance", "solving", "writing", "publishing", "done"]);
    // the checks (one per drawn entity, all departments together), then the solver's tasks
    const entities = new Set((await fx.store.prisma.task.findMany({ where: { drawId: d.id }, select: { entityId: true } })).map((t) => t.entityId)).size;
    expect(seen.get(scheduleJob.id)!.find((p) => p.phase === "instance")).toMatchObject({ total: entities });
    expect(seen.get(scheduleJob.id)!.find((p) => p.phase === "solving")).toMatchObject({ total: tasks });
    expect(await fx.store.prisma.task.count({ where: { drawId: d.id, status: "scheduled" } })).toBe(tasks);
    const back = await fx.app.inject({ method: "GET", url: `/console/jobs/${scheduleJob.id}`, headers: { cookie: s.cookie } });
    expect(back.headers.location).toBe(`/console/batches/${batchId}/schedule`);

    // A second run of the same draw fails in the job, with the store's 409 message.
    const again = await fx.app.inject({ method: "POST", url: `/console/draws/${d.id}/run`, ...form });
    const refused = await ended(jobIdOf(again.headers.location));
    expect(refused.error).toMatchObject({ statusCode: 409, code: "DRAW_ALREADY_DRAWN" });
  });

  it("a running job's page shows its progress and refreshes itself; only its owner, admins and auditors see it", async () => {
    let release!: () => void;
    const admin = await fx.session("admin");
    const adminId = (await fx.app.inject({ method: "GET", url: "/me", headers: { cookie: admin.cookie } })).json().userId as number;
    const job = jobsFor(fx.app.ssj).start({ kind: "import", ownerId: adminId, label: "导入检查对象名录：大文件.csv" }, async (report) => {
      report({ phase: "importing", done: 3000, total: null, bytesRead: 40, totalBytes: 100 });
      await new Promise<void>((r) => (release = r));
      return null;
    });
    while (jobsFor(fx.app.ssj).get(job.id)!.phase !== "importing") await new Promise((r) => setTimeout(r, 5));
    const page = await fx.app.inject({ method: "GET", url: `/console/jobs/${job.id}`, headers: { cookie: admin.cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("逐行检查并写入：已处理 3000 行");
    expect(page.body).toContain(`data-job="/jobs/${job.id}"`);
    expect(page.body).toContain('<progress class="progress" aria-label="进度" max="100" value="40">');
    expect(page.body).toContain('<noscript><meta http-equiv="refresh" content="2">');
    const officerB = await fx.session("officerB");
    expect((await fx.app.inject({ method: "GET", url: `/jobs/${job.id}`, headers: { cookie: officerB.cookie } })).statusCode).toBe(404);
    const auditor = await fx.session("auditor");
    expect((await fx.app.inject({ method: "GET", url: `/jobs/${job.id}`, headers: { cookie: auditor.cookie } })).json()).toMatchObject({ status: "running", phase: "importing", done: 3000 });
    release();
    expect((await ended(job.id)).status).toBe("done");
  });
});
