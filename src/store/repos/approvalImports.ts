/**
 * 审管联动 imports from spreadsheets (XLSX or CSV, header in row 1; templates in docs/approvals.md):
 * a 职责边界清单 version, a file of 审批决定, a file of 风险预警. The file is read whole and checked
 * before anything is written; then it goes through the same path as the API (all or nothing).
 * Problems name the row (第 N 行) and the column; nothing half written.
 */
import { ALERT_COLUMNS, DECISION_COLUMNS, DUTY_COLUMNS, sheetRecords, yesNo, type Cell, type DutyEntryInput, type SheetColumn, type SheetProblem } from "../../approvals/index.ts";
import { ImportError, sniffEncoding, sniffFormat, decodeText } from "../../directories/import/source.ts";
import { csvRows, xlsxRows } from "../../directories/import/rowReaders.ts";
import { publishDutyList, recordDecisions, type LoopActor } from "./approvals.ts";
import { receiveAlerts } from "./loopSteps.ts";
import { RepoError, type RepoStore } from "./db.ts";

export const MAX_IMPORT_ROWS = 500_000;

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

/** The rows of an XLSX or CSV (UTF-8 or GB18030) file. */
export async function sheetRows(bytes: Uint8Array): Promise<{ row: number; cells: Cell[] }[]> {
  const rows: { row: number; cells: Cell[] }[] = [];
  try {
    const format = sniffFormat(bytes.subarray(0, 8));
    if (format === "xls") throw new RepoError(422, "UNSUPPORTED_FORMAT", "不支持旧版 .xls：请另存为 .xlsx 或 CSV（UTF-8）后导入");
    const source =
      format === "xlsx"
        ? xlsxRows(bytes)
        : (() => {
            const { encoding, bomLength } = sniffEncoding(bytes.subarray(0, 4096), true);
            return csvRows(decodeText(once(bytes), encoding, bomLength, () => {}));
          })();
    for await (const r of source) {
      rows.push({ row: r.row, cells: r.cells as Cell[] });
      if (rows.length > MAX_IMPORT_ROWS + 1) throw new RepoError(422, "TOO_MANY_ROWS", `文件超过 ${MAX_IMPORT_ROWS} 行：请分文件导入`);
    }
  } catch (e) {
    if (e instanceof ImportError) throw new RepoError(422, "UNREADABLE_FILE", e.message);
    throw e;
  }
  return rows;
}

function records(rows: { row: number; cells: Cell[] }[], columns: readonly SheetColumn[]) {
  const r = sheetRecords(rows, columns);
  if (r.problems.length) throw problemsError(r.problems);
  if (r.records.length === 0) throw new RepoError(422, "EMPTY_FILE", "文件中没有数据行");
  return r;
}

function problemsError(problems: SheetProblem[]): RepoError {
  const shown = problems.slice(0, 20).map((p) => p.message);
  const more = problems.length > 20 ? `；另有 ${problems.length - 20} 处` : "";
  return new RepoError(422, "IMPORT_INVALID", `文件有 ${problems.length} 处问题，未导入：${shown.join("；")}${more}`, problems[0]!.field ?? undefined, problems.slice(0, 100));
}

/** A file of decisions of one bureau (the actor's, or `bureauId` for an administrator). */
export async function importDecisionsFile(store: RepoStore, bytes: Uint8Array, options: { bureauId?: number }, a: LoopActor) {
  const { records: recs, ignored } = records(await sheetRows(bytes), DECISION_COLUMNS);
  const out = await recordDecisions(
    store,
    {
      ...(options.bureauId !== undefined ? { bureauId: options.bureauId } : {}),
      source: "import",
      rowNames: recs.map((r) => `第 ${r.row} 行`),
      decisions: recs.map(({ values: v }) => ({ decisionNo: v.decisionNo!, entityCode: v.entityCode!, approvalCode: v.approvalCode!, kind: v.kind!, decision: v.decision!, decidedOn: v.decidedOn!, approvingBody: v.approvingBody || null, licenceNo: v.licenceNo || null, commitment: v.commitment || null })),
    },
    a,
  );
  return { ...out, rows: recs.length, ignoredColumns: ignored };
}

/** A 职责边界清单 version from a file; departments by code or name, 核查事项 by the department's item code. Also returns the data rows read and the unused columns. */
export async function importDutyListFile(store: RepoStore, bytes: Uint8Array, options: { bureauId?: number; reason: string; noticeId?: number | null; fileName: string }, a: LoopActor) {
  const { records: recs, ignored } = records(await sheetRows(bytes), DUTY_COLUMNS);
  const depts = await store.prisma.department.findMany();
  const problems: SheetProblem[] = [];
  const entries: DutyEntryInput[] = [];
  for (const { row, values: v } of recs) {
    const d = depts.find((x) => x.code === v.department) ?? depts.find((x) => x.name === v.department);
    if (!d) {
      problems.push({ row, field: "department", message: `第 ${row} 行：监管部门“${v.department}”不存在（填部门编码或全称）` });
      continue;
    }
    let itemId: number | null = null;
    if (v.itemCode) {
      const it = await store.prisma.inspectionItem.findUnique({ where: { departmentId_code: { departmentId: d.id, code: v.itemCode } } });
      if (!it) {
        problems.push({ row, field: "itemCode", message: `第 ${row} 行：${d.name} 的抽查事项清单中没有编码 ${v.itemCode}` });
        continue;
      }
      itemId = it.id;
    }
    const forwardUp = yesNo(v.forwardUp ?? "");
    if (forwardUp === null) {
      problems.push({ row, field: "forwardUp", message: `第 ${row} 行：“转送上级”应填 是 或 否` });
      continue;
    }
    entries.push({ approvalCode: v.approvalCode!, approvalName: v.approvalName!, approvalBasis: v.approvalBasis || null, supervisionCode: v.supervisionCode || null, supervisionName: v.supervisionName!, boundary: v.boundary || null, departmentId: d.id, itemId, forwardUp });
  }
  if (problems.length) throw problemsError(problems);
  try {
    const list = await publishDutyList(store, { ...(options.bureauId !== undefined ? { bureauId: options.bureauId } : {}), reason: options.reason, noticeId: options.noticeId ?? null, source: options.fileName, entries }, a);
    return { ...list, rows: recs.length, ignoredColumns: ignored };
  } catch (e) {
    // entries[i] → the sheet row
    if (e instanceof RepoError && e.field?.startsWith("entries[")) {
      const i = Number(/^entries\[(\d+)\]/.exec(e.field)![1]);
      throw new RepoError(e.statusCode, e.code, e.message.replace(/^entries\[\d+\]\.\w+/, `第 ${recs[i]!.row} 行`), e.field);
    }
    throw e;
  }
}

/** A file of 互联网+监管 risk alerts. */
export async function importAlertsFile(store: RepoStore, bytes: Uint8Array, a: LoopActor) {
  const { records: recs } = records(await sheetRows(bytes), ALERT_COLUMNS);
  const depts = await store.prisma.department.findMany();
  const problems: SheetProblem[] = [];
  const alerts = recs.flatMap(({ row, values: v }) => {
    const d = depts.find((x) => x.code === v.department) ?? depts.find((x) => x.name === v.department);
    if (!d) {
      problems.push({ row, field: "department", message: `第 ${row} 行：负责部门“${v.department}”不存在` });
      return [];
    }
    return [{ externalId: v.externalId!, source: v.source!, entityCode: v.entityCode!, departmentId: d.id, category: v.category!, level: v.level!, detail: v.detail!, raisedOn: v.raisedOn! }];
  });
  if (problems.length) throw problemsError(problems);
  const header = (n: string) => ALERT_COLUMNS.find((c) => c.field === (n === "departmentId" ? "department" : n))?.headers[0] ?? n;
  // Every record became an alert (a problem above stops the import), so alerts[i] is recs[i]'s row.
  return receiveAlerts(store, alerts, a, undefined, (i, n) => ({ label: `第 ${recs[i]!.row} 行“${header(n)}”`, path: `第 ${recs[i]!.row} 行.${n}` }));
}
