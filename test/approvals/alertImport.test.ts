/**
 * A file of 互联网+监管 risk alerts (ssj approvals alerts <file>): a problem found after reading —
 * an unknown entity, a level out of the set, a future day, an empty text — names the sheet's row
 * (第 N 行) and column, not the position in the list (alerts[i]); the API keeps naming
 * alerts[i].field. Nothing is written when one row is bad.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importAlertsFile } from "../../src/store/repos/approvalImports.ts";
import { receiveAlerts, type AlertInput } from "../../src/store/repos/loopSteps.ts";
import { RepoError } from "../../src/store/repos/db.ts";
import { fixture, seedBatch, type Fixture } from "../api/helpers.ts";

const HEAD = "预警编号,来源系统,统一社会信用代码,负责部门,预警类型,预警等级,预警内容,预警日期";
const admin = { userId: 0, role: "admin" as const, departmentId: null };

describe("risk alert file: problems name the row and the column", () => {
  let fx: Fixture;
  let dept = "";
  let codes: string[] = [];
  beforeAll(async () => {
    fx = await fixture();
    await seedBatch(fx, { entities: 3, count: 1 });
    dept = (await fx.store.prisma.department.findUniqueOrThrow({ where: { id: fx.dept.a } })).code;
    codes = (await fx.store.prisma.entity.findMany({ orderBy: { id: "asc" }, take: 3 })).map((e) => e.code);
  });
  afterAll(async () => fx?.close());

  const file = (...rows: string[]) => new TextEncoder().encode([HEAD, ...rows].join("\r\n") + "\r\n");
  const row = (id: string, code: string, level = "高", day = "2026-02-20", detail = "近30日投诉12件") => `${id},互联网+监管系统,${code},${dept},投诉集中,${level},${detail},${day}`;
  const refusal = async (bytes: Uint8Array) => {
    const e = await importAlertsFile(fx.store, bytes, admin).then(() => null, (x: unknown) => x);
    expect(e).toBeInstanceOf(RepoError);
    return e as RepoError;
  };

  it("an unknown entity on the third row: 第 3 行“统一社会信用代码”, nothing written", async () => {
    const e = await refusal(file(row("YJ-F-1", codes[0]!), row("YJ-F-2", "91460105MA0NOSUCH0")));
    expect(e.code).toBe("UNKNOWN_ENTITY");
    expect(e.message).toBe("第 3 行“统一社会信用代码”：市场主体 91460105MA0NOSUCH0 不在名录中");
    expect(e.field).toBe("第 3 行.entityCode");
    expect(e.message).not.toContain("alerts[");
    expect(await fx.store.prisma.riskAlert.count({ where: { externalId: "YJ-F-1" } })).toBe(0);
  });

  it("a level out of the set, a future day and an empty text name their rows and columns", async () => {
    const level = await refusal(file(row("YJ-F-3", codes[0]!), row("YJ-F-4", codes[1]!), row("YJ-F-5", codes[2]!, "紧急")));
    expect(level.message).toMatch(/^第 4 行“预警等级”：预警等级须为 high（高）、medium（中）或 low（低），收到 "紧急"$/);
    expect(level.field).toBe("第 4 行.level");
    const future = await refusal(file(row("YJ-F-6", codes[0]!, "中", "2999-01-01")));
    expect(future.code).toBe("FUTURE_DATE");
    expect(future.message).toMatch(/^第 2 行“预警日期”：2999-01-01 晚于今天/);
    const blank = await refusal(file(row("YJ-F-7", codes[0]!, "低", "2026-02-20", "  ")));
    expect(blank.message).toContain("第 2 行：“预警内容”为空"); // found by the sheet reader already
    expect(await fx.store.prisma.riskAlert.count({ where: { externalId: { startsWith: "YJ-F-" } } })).toBe(0);
  });

  it("a good file is received; the API still names alerts[i].field", async () => {
    const ok = await importAlertsFile(fx.store, file(row("YJ-F-8", codes[0]!), row("YJ-F-9", codes[1]!, "低")), admin);
    expect(ok).toMatchObject({ received: 2, unchanged: 0 });
    const bad: AlertInput = { externalId: "YJ-A-1", source: "互联网+监管系统", entityCode: "91460105MA0NOSUCH0", departmentId: fx.dept.a, category: "投诉集中", level: "high", detail: "详情", raisedOn: "2026-02-20" };
    const e = (await receiveAlerts(fx.store, [bad], admin).catch((x: unknown) => x)) as RepoError;
    expect(e.field).toBe("alerts[0].entityCode");
    expect(e.message).toBe("alerts[0].entityCode：市场主体 91460105MA0NOSUCH0 不在名录中");
    const api = await fx.as("admin", { method: "POST", url: "/risk-alerts", payload: { alerts: [bad] } });
    expect(api.statusCode).toBe(422);
    expect(api.json()).toMatchObject({ code: "UNKNOWN_ENTITY", field: "alerts[0].entityCode" });
  });
});
