/**
 * Console exports (XLSX and CSV) over a drawn and scheduled batch: the files hold exactly what the
 * API shows the same user (row for row), Chinese survives Excel (BOM), a cell that would be a
 * formula is written as text, and a role or department that may not read the data gets no file.
 */
import ExcelJS from "exceljs";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toCsv } from "../../api/console/pages/exports.ts";
import { seedBatch } from "../api/helpers.ts";
import { drawBatch } from "../api/support/ceremony.ts";
import { consoleFixture, type ConsoleFixture } from "./helpers.ts";

/** A minimal RFC 4180 reader (quoted fields, doubled quotes, CRLF). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let q = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (q) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') q = false;
      else cell += c;
    } else if (c === '"') q = true;
    else if (c === ",") row.push(cell), (cell = "");
    else if (c === "\r" && text[i + 1] === "\n") row.push(cell), rows.push(row), (row = []), (cell = ""), i++;
    else cell += c;
  }
  if (cell !== "" || row.length) row.push(cell), rows.push(row);
  return rows;
}

describe("console exports", () => {
  let fx: ConsoleFixture;
  let batchId: number;
  let planId: number;
  beforeAll(async () => {
    fx = await consoleFixture();
    ({ batchId, planId } = await seedBatch(fx, { entities: 40, count: 2 }));
    await drawBatch(fx, batchId);
    const s = await fx.as("officerA", { method: "POST", url: `/batches/${batchId}/optimize`, payload: {} });
    expect(s.statusCode, s.body).toBeLessThan(300);
  }, 60_000);
  afterAll(async () => fx.close());

  const get = async (who: "officerA" | "officerB" | "auditor" | "admin", url: string) => fx.app.inject({ method: "GET", url, headers: { cookie: (await fx.session(who)).cookie } });

  it("tasks.csv has one row per task the API lists for the filter, with a BOM and Chinese headers", async () => {
    const res = await get("officerA", `/console/exports/tasks.csv?batch=${batchId}`);
    expect(res.statusCode).toBe(200);
    expect(String(res.headers["content-type"])).toContain("text/csv");
    expect(String(res.headers["content-disposition"])).toContain("attachment");
    expect(res.body.startsWith("\uFEFF")).toBe(true);
    const rows = parseCsv(res.body.slice(1).trimEnd());
    expect(rows[0]![0]).toBe("任务编号");
    const api = await fx.as("officerA", { method: "GET", url: `/tasks?batch=${batchId}&limit=500` });
    const tasks = api.json().items as { taskNo: string; entity: { code: string } }[];
    expect(tasks.length).toBeGreaterThan(0);
    expect(rows.slice(1).map((r) => `${r[0]}|${r[2]}`).sort()).toEqual(tasks.map((t) => `${t.taskNo}|${t.entity.code}`).sort());
  });

  it("schedule.xlsx lists every visit of the schedule, team certificate numbers included", async () => {
    const res = await get("auditor", `/console/exports/batches/${batchId}/schedule.xlsx`);
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    const header = (ws.getRow(1).values as unknown[]).slice(1);
    expect(header).toEqual(["日期", "检查对象", "统一社会信用代码", "联合检查", "部门", "任务编号", "检查组", "执法证号"]);
    const schedule = (await fx.as("auditor", { method: "GET", url: `/batches/${batchId}/schedule` })).json() as { visits: { day: string; team: { certificateNo: string | null }[] }[] };
    expect(ws.rowCount - 1).toBe(schedule.visits.length);
    const certs = schedule.visits.flatMap((v) => v.team.map((m) => m.certificateNo)).filter(Boolean);
    const cells = [];
    for (let r = 2; r <= ws.rowCount; r++) cells.push(String(ws.getRow(r).getCell(8).value ?? ""));
    for (const c of certs) expect(cells.join("、")).toContain(c!);
  });

  it("plan and batch exports list every department's items", async () => {
    for (const url of [`/console/exports/plans/${planId}.xlsx`, `/console/exports/batches/${batchId}.csv`]) {
      const res = await get("officerA", url);
      expect(res.statusCode, url).toBe(200);
    }
    const csv = parseCsv((await get("officerA", `/console/exports/batches/${batchId}.csv`)).body.slice(1).trimEnd());
    expect(csv.slice(1).map((r) => r[4])).toEqual(expect.arrayContaining(["牵头", "配合"]));
  });

  it("another department's officer gets no file of department A's tasks; an unknown format is a 404", async () => {
    const res = await get("officerB", `/console/exports/tasks.csv?department=${fx.dept.a}`);
    expect(res.statusCode).toBe(403);
    expect(res.body).not.toContain("任务编号,");
    expect((await get("officerA", `/console/exports/tasks.pdf`)).statusCode).toBe(404);
  });

  it("CSV: any text survives a round trip, and nothing starts with a formula character", () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.string(), { minLength: 3, maxLength: 3 }), { maxLength: 10 }), (rows) => {
        const out = parseCsv(toCsv([{ name: "t", columns: ["a", "b", "c"], rows }]).slice(1).replace(/\r\n$/, ""));
        const back = out.slice(1);
        expect(back.length).toBe(rows.length);
        back.forEach((r, i) =>
          r.forEach((cell, j) => {
            const orig = rows[i]![j]!;
            expect(cell).toBe(/^[=+\-@\t\r]/.test(orig) ? `'${orig}` : orig);
            expect(/^[=+\-@]/.test(cell)).toBe(false);
          }),
        );
      }),
    );
  });
});
