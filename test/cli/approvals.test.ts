/**
 * The demo city's approval–supervision loop (src/demo/loop.ts) and `ssj approvals` on it: the
 * loop is there after loading (bureaus, list versions, a year of decisions with ~30 % 告知承诺,
 * pushes, verifications, 函告, alerts, overdue steps, a verifying audit chain); the CLI imports a
 * CSV of decisions as the bureau's officer (all or nothing, rows named), lists overdue steps and
 * prints statistics, in Chinese.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { main } from "../../src/cli/main.ts";
import { openStore, verifyStoredAuditChain, type Store } from "../../src/store/index.ts";
import { loadDemoCity } from "../../src/demo/index.ts";
import { loadDemoLoop, DemoLoopRefused, type DemoLoopResult } from "../../src/demo/loop.ts";
import { createUser } from "../../src/store/repos/users.ts";
import { listPublishedVerifications, overdueList } from "../../src/store/repos/loopSteps.ts";
import ExcelJS from "exceljs";

describe("demo loop and ssj approvals", () => {
  let dir: string;
  let store: Store;
  let loop: DemoLoopResult;
  let out: string[] = [];
  const saved = { token: process.env.SSJ_TOKEN, url: process.env.DATABASE_URL };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "ssj-approvals-"));
    const url = `file:${join(dir, "test.db")}`;
    store = await openStore({ databaseUrl: url });
    await loadDemoCity(store, { seed: "loop-test", entities: 2_000 });
    loop = await loadDemoLoop(store, { seed: "loop-test" });
    process.env.DATABASE_URL = url;
    vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => void out.push(a.join(" ")));
    vi.spyOn(console, "error").mockImplementation((...a: unknown[]) => void out.push(a.join(" ")));
  }, 300_000);

  afterAll(async () => {
    vi.restoreAllMocks();
    for (const [k, v] of [["SSJ_TOKEN", saved.token], ["DATABASE_URL", saved.url]] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("the demo city has the loop: two bureaus, a revised list, a year of decisions (~30 % 告知承诺), steps on and off time", async () => {
    const p = store.prisma;
    expect(await p.department.count({ where: { kind: "approval" } })).toBe(2);
    const lists = await p.dutyList.findMany({ where: { bureau: { code: "SP01" } }, orderBy: { version: "asc" } });
    expect(lists.map((l) => l.status)).toEqual(["superseded", "current"]);
    expect((await p.lawChangeNotice.findFirstOrThrow()).status).toBe("revised");
    const decisions = await p.approvalDecision.count();
    expect(decisions).toBe(loop.decisions);
    const share = (await p.approvalDecision.count({ where: { kind: "commitment" } })) / decisions;
    expect(share).toBeGreaterThan(0.22);
    expect(share).toBeLessThan(0.38);
    expect(await p.decisionPush.count({ where: { route: "area" } })).toBeGreaterThan(0);
    expect(await p.decisionPush.count({ where: { route: "forward" } })).toBeGreaterThan(0);
    expect(await p.verification.count()).toBe(loop.verifications);
    expect(await p.dispute.count()).toBe(loop.disputes);
    expect(await p.riskAlert.count()).toBe(loop.alerts);
    const overdue = await overdueList(store, { limit: 10_000, offset: 0 }, { userId: 0, role: "auditor", departmentId: null });
    expect(new Set(overdue.items.map((i) => i.status))).toEqual(new Set(["overdue", "late", "noDeadline"]));
    expect((await verifyStoredAuditChain(p)).ok).toBe(true);
    await expect(loadDemoLoop(store, { seed: "loop-test" })).rejects.toBeInstanceOf(DemoLoopRefused);
  });

  it("the demo's 不属实 and 未履行承诺 outcomes are published (default rule), its 承诺属实 ones are not", async () => {
    const p = store.prisma;
    const published = await listPublishedVerifications(store, { limit: 500, offset: 0 });
    const broken = await p.verification.count({ where: { outcome: { in: ["false", "unfulfilled"] } } });
    expect(broken).toBeGreaterThan(0);
    expect(published.length).toBe(Math.min(500, broken));
    expect(new Set(published.map((v) => v.outcome))).toEqual(new Set(["false", "unfulfilled"]));
    expect(await p.verification.count({ where: { outcome: "true", publishedAt: { not: null } } })).toBe(0);
  });

  it("ssj approvals import: a CSV of decisions as the bureau's officer; a bad row is named and nothing is written", async () => {
    const bureau = await store.prisma.department.findUniqueOrThrow({ where: { code: "SP01" } });
    process.env.SSJ_TOKEN = (await createUser(store, { name: "审批窗口", role: "officer", department: bureau.id }, "test")).token;
    const entities = await store.prisma.entity.findMany({ where: { status: "active" }, take: 3, orderBy: { id: "asc" } });
    const header = "办件编号,统一社会信用代码,审批事项编码,审批方式,审批结果,决定日期,承诺内容,备注";
    const rows = entities.map((e, i) => `CLI-${i},${e.code},XK-00${i + 1},${i === 0 ? "告知承诺" : "一般审批"},准予许可,2026-11-${10 + i},${i === 0 ? "承诺符合条件" : ""},无`);
    const bad = join(dir, "bad.csv");
    writeFileSync(bad, [header, ...rows, `CLI-9,${entities[0]!.code},XK-999,一般审批,准予许可,2026-11-12,,`].join("\n"));
    const before = await store.prisma.approvalDecision.count();
    out = [];
    expect(await main(["approvals", "import", bad])).toBe(1);
    expect(out.join("\n")).toMatch(/第 5 行.*XK-999.*\[UNKNOWN_APPROVAL_ITEM\]/);
    expect(await store.prisma.approvalDecision.count()).toBe(before);
    const good = join(dir, "good.csv");
    writeFileSync(good, [header, ...rows].join("\n"));
    out = [];
    expect(await main(["approvals", "import", good])).toBe(0);
    expect(out.join("\n")).toMatch(/已导入 3 行：新记录审批决定 3 件.*生成告知承诺核查任务 1 项/);
    expect(out.join("\n")).toMatch(/未使用的列：备注/);
    expect(await store.prisma.approvalDecision.count({ where: { source: "import" } })).toBe(3);
    out = [];
    expect(await main(["approvals", "import", good])).toBe(0);
    expect(out.join("\n")).toMatch(/新记录审批决定 0 件，已记录过（内容相同）3 件/);
  });

  it("ssj approvals overdue and stats speak Chinese; an officer sees only their department's steps", async () => {
    const d01 = await store.prisma.department.findUniqueOrThrow({ where: { code: "D01" } });
    process.env.SSJ_TOKEN = (await createUser(store, { name: "市场监管执法员", role: "officer", department: d01.id }, "test")).token;
    out = [];
    expect(await main(["approvals", "overdue"])).toBe(0);
    const text = out.join("\n");
    expect(text).toMatch(/逾期及期限未定事项 \d+ 项/);
    for (const line of out.slice(1)) expect(line).toContain(`部门 ${d01.id} `);
    out = [];
    expect(await main(["approvals", "overdue", "--department", "1", "--json"])).toBe(d01.id === 1 ? 0 : 1);
    out = [];
    expect(await main(["approvals", "stats", "--year", "2026"])).toBe(0);
    expect(out.join("\n")).toMatch(/2026 年审管联动统计[\s\S]*西安市市场监督管理局：推送 \d+：按时签收 \d+/);
    out = [];
    expect(await main(["approvals", "stats"])).toBe(2);
  });

  it("ssj approvals list: an XLSX 职责边界清单 as the district bureau's officer; a bad department is named by its row", async () => {
    const bureau = await store.prisma.department.findUniqueOrThrow({ where: { code: "SP01-610113" } });
    process.env.SSJ_TOKEN = (await createUser(store, { name: "区审批窗口", role: "officer", department: bureau.id }, "test")).token;
    const write = async (rows: (string | null)[][], name: string) => {
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet("清单");
      ws.addRow(["审批事项编码", "审批事项名称", "监管事项名称", "职责边界", "监管部门", "核查事项编码", "转送上级"]);
      for (const r of rows) ws.addRow(r);
      const f = join(dir, name);
      await wb.xlsx.writeFile(f);
      return f;
    };
    const before = await store.prisma.dutyList.count({ where: { bureauId: bureau.id } });
    out = [];
    const bad = await write([["YT-XK-001", "食品经营许可", "食品经营者监督检查", "区市场监管局负责", "D01-610113", "D01-04", "否"], ["YT-XK-009", "新事项", "监管事项", null, "不存在的部门", null, "否"]], "bad.xlsx");
    expect(await main(["approvals", "list", bad, "--reason", "修订"])).toBe(1);
    expect(out.join("\n")).toMatch(/第 3 行：监管部门“不存在的部门”不存在/);
    expect(await store.prisma.dutyList.count({ where: { bureauId: bureau.id } })).toBe(before);
    out = [];
    const good = await write([["YT-XK-001", "食品经营许可", "食品经营者监督检查", "区市场监管局负责", "D01-610113", "D01-04", "否"], ["YT-XK-002", "特种设备使用登记", "特种设备使用单位监督检查", null, "D01-610113", "D01-07", "是"]], "good.xlsx");
    expect(await main(["approvals", "list", good, "--reason", "年度修订"])).toBe(0);
    expect(out.join("\n")).toMatch(new RegExp(`职责边界清单第 ${before + 1} 版：2 行`));
    const current = await store.prisma.dutyList.findFirstOrThrow({ where: { bureauId: bureau.id, status: "current" }, include: { entries: true } });
    expect(current.source).toBe("good.xlsx");
    expect(current.entries.map((e) => e.forwardUp)).toEqual([false, true]);
  });
});
