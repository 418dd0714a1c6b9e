/**
 * Directory imports into the database, each in ONE transaction: a crash or a rejected file
 * (unreadable, no header…) leaves the database unchanged; rejected rows are reported and skipped,
 * valid rows kept. Upserts by natural key — entities by 统一社会信用代码/注册号, inspectors by
 * certificate number, items by (department, code), joint templates by code — so importing the
 * same file twice changes nothing the second time.
 *
 * Parsing is the directory engineer's (src/directories/import, src/directories/itemLists).
 */
import { createHash } from "node:crypto";
import { ImportError, SpreadsheetLimitError, type ByteSource, type DateOrder, type XlsxLimits } from "../../directories/import/index.ts";
import { importDirectory as storeImportDirectory, verifyChangeParts } from "../import/index.ts";
import { parseInspectionItems, parseJointTemplates, type InspectionItem as ListItem } from "../../directories/itemLists/index.ts";
import { inTransaction } from "./audit.ts";
import { RepoError, type RepoStore } from "./db.ts";
import { asArray } from "./directories.ts";

export type ImportKind = "entities" | "inspectors" | "items" | "joint-items";
export const IMPORT_KINDS: readonly ImportKind[] = ["entities", "inspectors", "items", "joint-items"];

export interface ImportIssue {
  row: number;
  field: string | null;
  column: string | null;
  rule: string;
  severity: "error" | "flag";
  message: string;
}

export interface ImportReport {
  kind: ImportKind;
  format: string;
  rowsRead: number;
  accepted: number;
  rejected: number;
  flagged: number;
  created: number;
  updated: number;
  unchanged: number;
  /** Every rejected or flagged row (row number, field, rule), at most `MAX_REPORTED_ISSUES`. */
  issues: ImportIssue[];
  issuesTruncated: boolean;
  /** How many issues of each kind (`field:rule`), all of them, also beyond the listed ones. */
  issueCounts: Record<string, number>;
  /** Columns of the file whose data was not imported (directories; item lists list none). */
  ignoredColumns: { index: number; header: string }[];
  /** Entities: 区划码 from the file's column, or derived from the codes. */
  districtFrom?: "column" | "code" | null;
  /** Directories: the change list (全记录) the audit entry commits to. */
  changes?: { importId: string; parts: number; digest: string; created: number; updated: number };
  /** Whole-file warnings (e.g. --department given for a list that names its departments). */
  warnings: string[];
}

export const MAX_REPORTED_ISSUES = 10_000;
/** Long imports need more than the default 30 s transaction. */
const IMPORT_TX = { timeout: 30 * 60_000, maxWait: 60_000 };

function fileError(e: unknown): never {
  if (e instanceof SpreadsheetLimitError) throw new RepoError(413, "IMPORT_LIMIT", e.message, "file");
  if (e instanceof ImportError) throw new RepoError(e.code === "limit" ? 413 : 422, `IMPORT_${e.code.toUpperCase()}`, e.message, "file");
  if ((e as Error)?.name === "ItemListError" || (e as Error)?.name === "XlsError") throw new RepoError(422, "IMPORT_FORMAT", (e as Error).message, "file");
  throw e;
}

type Progress = (p: { phase: string; rowsRead: number; bytesRead?: number; totalBytes?: number | null }) => void;

function same(a: Record<string, unknown>, b: Record<string, unknown>, keys: string[]): boolean {
  return keys.every((k) => JSON.stringify(a[k] ?? null) === JSON.stringify(b[k] ?? null));
}

/**
 * Entities or inspectors from CSV/XLSX/XLS bytes, through the store's raw-driver import
 * (src/store/import: one transaction, prepared upserts, audit entry in the same transaction).
 */
export async function importDirectory(
  store: RepoStore,
  kind: "entities" | "inspectors",
  source: ByteSource,
  actor: string,
  options: {
    totalBytes?: number;
    onProgress?: Progress;
    fileName?: string;
    batchSize?: number;
    columnMap?: Record<string, string | null>;
    dateOrder?: DateOrder;
    fallbackDistrict?: string;
    limits?: Partial<XlsxLimits>;
  } = {},
): Promise<ImportReport> {
  let r: Awaited<ReturnType<typeof storeImportDirectory>>;
  try {
    r = await storeImportDirectory(store, {
      kind,
      source,
      fileName: options.fileName ?? "upload",
      actor,
      ...(options.totalBytes !== undefined ? { totalBytes: options.totalBytes } : {}),
      ...(options.batchSize !== undefined ? { batchSize: options.batchSize } : {}),
      ...(options.columnMap ? { columnMap: options.columnMap } : {}),
      ...(options.dateOrder ? { dateOrder: options.dateOrder } : {}),
      ...(options.fallbackDistrict ? { fallbackDistrict: options.fallbackDistrict } : {}),
      ...(options.limits ? { limits: options.limits } : {}),
      maxIssues: MAX_REPORTED_ISSUES,
      ...(options.onProgress ? { onProgress: (p) => options.onProgress!({ phase: p.phase, rowsRead: p.rowsRead, bytesRead: p.bytesRead, totalBytes: p.totalBytes }) } : {}),
    });
  } catch (e) {
    fileError(e);
  }
  return {
    kind,
    format: r.format,
    rowsRead: r.rowsRead,
    accepted: r.accepted,
    rejected: r.rejected,
    flagged: r.flagged,
    created: r.created,
    updated: r.updated,
    unchanged: r.unchanged,
    issues: r.issues,
    issuesTruncated: r.issuesTruncated,
    issueCounts: r.issueCounts,
    ignoredColumns: r.ignoredColumns,
    districtFrom: r.districtFrom,
    changes: r.changes,
    warnings: [],
  };
}

// ── item lists (抽查事项清单, 联合抽查事项清单) ──────────────────────────────────────────────────

const METHOD_WORDS: [RegExp, "on-site" | "written" | "online"][] = [
  [/现场/, "on-site"],
  [/书面/, "written"],
  [/网络|网上|在线/, "online"],
];

/**
 * Lines of government (系统): how a list may write a department of the line (any level, full name,
 * abbreviation or "…部门/…机构"), and how a department of that line is named here. Lists name the
 * province's department (省旅文厅, 省消防救援总队) or the line (统计部门, 消防救援机构); a city's
 * service matches them to its own department of the line. Order matters: the first line whose
 * written pattern matches decides (消防 before 公安: 公安消防 is a 消防 body).
 */
const DEPARTMENT_LINES: [RegExp, RegExp][] = [
  [/市场监管|市场监督|工商|质监|质量技术监督|食品药品监督/, /市场监督管理|市场监管/],
  [/生态环境|环保|环境保护/, /生态环境/],
  [/住房|住建|城乡建设|建设厅|建设局/, /住房和城乡建设|住建/],
  [/卫生健康|卫健|卫生计生|卫计/, /卫生健康|卫健/],
  [/交通运输|交通/, /交通运输/],
  [/应急管理|应急|安全生产监督|安监/, /应急管理/],
  [/消防/, /消防/],
  [/公安/, /公安/],
  [/农业农村|农业|畜牧|渔业/, /农业农村/],
  [/文化|旅游|旅文|文旅|文广|文体/, /文化和旅游|旅游和文化|文化|旅游/],
  [/税务/, /税务/],
  [/教育/, /教育/],
  [/自然资源|国土/, /自然资源/],
  [/水务|水利/, /水务|水利/],
  [/人力资源|人社|劳动/, /人力资源/],
  [/商务/, /商务/],
  [/药品|药监/, /药品/],
  [/统计/, /统计/],
  [/城市管理|城管|综合执法/, /城市管理|城管|综合执法/],
  [/民政/, /民政/],
  [/体育/, /体育/],
  [/医疗保障|医保/, /医疗保障|医保/],
  [/烟草/, /烟草/],
  [/林业|园林/, /林业|园林/],
  [/海关/, /海关/],
  [/气象/, /气象/],
  [/邮政/, /邮政/],
  [/工业和信息化|工信|经信|经济和信息化/, /工业和信息化|工信|经济和信息化/],
  [/发展和改革|发展改革|发改/, /发展和改革|发展改革|发改/],
  [/知识产权/, /知识产权/],
  [/广播电视|广电/, /广播电视|广电/],
];

/** The department a list names ("市场监管部门", "海口市市场监督管理局", a code…), or null. */
export function matchDepartment<D extends { id: number; code: string; name: string }>(written: string, departments: D[], prefer?: (d: D) => boolean): D | null {
  const exact = departments.find((d) => d.name === written || d.code === written);
  if (exact) return exact;
  for (const [w, n] of DEPARTMENT_LINES) {
    if (!w.test(written)) continue;
    const hits = departments.filter((d) => n.test(d.name));
    if (hits.length === 0) return null;
    return (prefer && hits.find(prefer)) ?? hits[0]!;
  }
  return null;
}

export async function importItemList(
  store: RepoStore,
  bytes: Uint8Array,
  actor: string,
  options: { department?: string; fileName?: string; onProgress?: Progress } = {},
): Promise<ImportReport> {
  let parsed: Awaited<ReturnType<typeof parseInspectionItems>>;
  try {
    parsed = await parseInspectionItems(bytes);
  } catch (e) {
    fileError(e);
  }
  const departments = await store.prisma.department.findMany();
  let forced: (typeof departments)[number] | null = null;
  const warnings: string[] = [];
  if (options.department) {
    forced = departments.find((d) => d.code === options.department || d.name === options.department || String(d.id) === options.department) ?? null;
    if (!forced) throw new RepoError(422, "UNKNOWN_DEPARTMENT", `部门“${options.department}”不存在`, "department");
    // A list that names its own departments must not be filed under one department.
    const named = [...new Set(parsed.rows.map((r) => r.department).filter((d) => d !== ""))];
    if (named.length > 1)
      throw new RepoError(422, "LIST_NAMES_DEPARTMENTS", `该清单自己写明了 ${named.length} 个部门（${named.slice(0, 8).join("、")}${named.length > 8 ? "…" : ""}）：不能全部归入“${forced.name}”；请去掉 department 参数，按清单中的部门导入`, "department");
    const own = named.length === 1 ? matchDepartment(named[0]!, departments, (d) => d.level === "city") : null;
    if (own && own.id !== forced.id) warnings.push(`清单写明的部门“${named[0]}”对应“${own.name}”，但按参数归入了“${forced.name}”`);
  }
  const city = (d: { level: string }) => d.level === "city";
  const issues: ImportIssue[] = parsed.issues.map((i) => ({ row: i.row, field: i.field, column: null, rule: "list", severity: "error" as const, message: i.message }));
  // Lists repeat an item on several rows, one per legal basis (same 序号): one item, bases joined.
  const grouped = new Map<string, ListItem>();
  for (const it of parsed.rows) {
    const key = itemCode(it);
    const g = grouped.get(key);
    if (!g) grouped.set(key, { ...it, methods: [...it.methods] });
    else {
      const bases = new Set([...g.legalBasis.split("；"), ...it.legalBasis.split("；")].filter((x) => x !== ""));
      g.legalBasis = [...bases].join("；");
      g.methods = [...new Set([...g.methods, ...it.methods])];
      if (it.kind === "key") g.kind = "key";
    }
  }
  const items = [...grouped.values()];
  return inTransaction(
    store,
    async (tx) => {
      let created = 0, updated = 0, unchanged = 0, rejected = 0;
      for (const [n, it] of items.entries()) {
        const dept = forced ?? matchDepartment(it.department, departments, city);
        if (!dept) {
          issues.push({ row: it.sourceRow, field: "department", column: "编制单位名称", rule: "unknownDepartment", severity: "error", message: `没有与“${it.department}”对应的部门（本系统没有这一条线的部门？）；只含一个部门的清单可用 --department <代码> 指定` });
          rejected++;
          continue;
        }
        const methods = [...new Set(it.methods.flatMap((m) => METHOD_WORDS.filter(([re]) => re.test(m)).map(([, v]) => v)))];
        if (methods.length === 0) {
          methods.push("on-site");
          issues.push({ row: it.sourceRow, field: "methods", column: "检查方式", rule: "defaultMethod", severity: "flag", message: `检查方式“${it.methods.join("、")}”中没有 现场/书面/网络：按现场检查记录` });
        }
        const data = {
          departmentId: dept.id,
          code: itemCode(it),
          category: it.category,
          name: it.name,
          target: it.target,
          legalBasis: it.legalBasis || "（未注明）",
          content: it.subject ? `${it.name}（检查主体：${it.subject}）` : it.name,
          methods,
          importance: it.kind,
          source: parsed.title ?? options.fileName ?? "imported list",
        };
        const old = await tx.inspectionItem.findUnique({ where: { departmentId_code: { departmentId: dept.id, code: data.code } } });
        if (!old) {
          await tx.inspectionItem.create({ data });
          created++;
        } else if (same({ ...old, methods: asArray(old.methods) } as unknown as Record<string, unknown>, data, ["category", "name", "target", "legalBasis", "content", "methods", "importance", "source"])) unchanged++;
        else {
          await tx.inspectionItem.update({ where: { id: old.id }, data });
          updated++;
        }
        if ((n + 1) % 100 === 0) options.onProgress?.({ phase: "writing", rowsRead: n + 1 });
      }
      return listImportResult("items", parsed.format, parsed.rows.length, { accepted: items.length - rejected, rejected: rejected + parsed.issues.length, created, updated, unchanged }, issues, actor, options.fileName, warnings);
    },
    IMPORT_TX,
  );
}

/** Stable code of a listed item: what it is (department as written, category, name, target), not where it sits in the file. */
function itemCode(it: ListItem): string {
  return `${it.category.replace(/\s/g, "").slice(0, 12)}-${shortHash(it.department, it.category, it.name, it.target)}`;
}

function shortHash(...parts: string[]): string {
  return createHash("sha256").update(parts.join("\u0000"), "utf8").digest("hex").slice(0, 10).toUpperCase();
}

/** Joint-inspection item list → joint-plan templates (lead + partner departments). */
export async function importJointList(store: RepoStore, bytes: Uint8Array, actor: string, options: { fileName?: string } = {}): Promise<ImportReport> {
  let parsed: Awaited<ReturnType<typeof parseJointTemplates>>;
  try {
    parsed = await parseJointTemplates(bytes);
  } catch (e) {
    fileError(e);
  }
  const departments = await store.prisma.department.findMany();
  const city = (d: { level: string }) => d.level === "city";
  const issues: ImportIssue[] = parsed.issues.map((i) => ({ row: i.row, field: i.field, column: null, rule: "list", severity: "error" as const, message: i.message }));
  return inTransaction(
    store,
    async (tx) => {
      let created = 0, updated = 0, unchanged = 0, rejected = 0;
      for (const [n, t] of parsed.rows.entries()) {
        const lead = t.leadDepartments.map((w) => matchDepartment(w, departments, city)).find((d) => d !== null) ?? null;
        if (!lead) {
          issues.push({ row: t.sourceRow, field: "leadDepartment", column: "发起部门", rule: "unknownDepartment", severity: "error", message: `没有与“${t.leadDepartment}”对应的部门` });
          rejected++;
          continue;
        }
        const partners = new Set<number>();
        for (const w of [...t.leadDepartments.slice(1), ...t.partnerDepartments]) {
          const d = matchDepartment(w, departments, city);
          if (!d) issues.push({ row: t.sourceRow, field: "partnerDepartments", column: "配合部门", rule: "unknownDepartment", severity: "flag", message: `没有与“${w}”对应的部门：未列入配合部门` });
          else if (d.id !== lead.id) partners.add(d.id);
        }
        const code = `JT-${t.field.replace(/\s/g, "").slice(0, 12)}-${shortHash(t.field, t.item, t.target)}`;
        const data = { code, field: t.field, name: t.item, target: t.target, leadDepartmentId: lead.id };
        const old = await tx.jointTemplate.findUnique({ where: { code }, include: { partners: true } });
        const oldPartners = old ? old.partners.map((p) => p.departmentId).sort() : [];
        if (old && same(old as unknown as Record<string, unknown>, data, ["field", "name", "target", "leadDepartmentId"]) && JSON.stringify(oldPartners) === JSON.stringify([...partners].sort())) {
          unchanged++;
          continue;
        }
        const tpl = old ? await tx.jointTemplate.update({ where: { code }, data }) : await tx.jointTemplate.create({ data });
        await tx.jointTemplatePartner.deleteMany({ where: { templateId: tpl.id } });
        if (partners.size > 0) await tx.jointTemplatePartner.createMany({ data: [...partners].map((departmentId) => ({ templateId: tpl.id, departmentId })) });
        if (old) updated++;
        else created++;
      }
      return listImportResult("joint-items", parsed.format, parsed.rows.length, { accepted: parsed.rows.length - rejected, rejected: rejected + parsed.issues.length, created, updated, unchanged }, issues, actor, options.fileName);
    },
    IMPORT_TX,
  );
}

/** The report and audit entry of an item-list import (items or joint templates). */
function countIssues(issues: ImportIssue[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const i of issues) out[`${i.field ?? "row"}:${i.rule}`] = (out[`${i.field ?? "row"}:${i.rule}`] ?? 0) + 1;
  return out;
}

function listImportResult(
  kind: "items" | "joint-items",
  format: ImportReport["format"],
  rowsRead: number,
  counts: { accepted: number; rejected: number; created: number; updated: number; unchanged: number },
  issues: ImportReport["issues"],
  actor: string,
  fileName: string | undefined,
  warnings: string[] = [],
) {
  const report: ImportReport = {
    kind,
    format,
    rowsRead,
    ...counts,
    flagged: issues.filter((i) => i.severity === "flag").length,
    issues: [...issues].sort((a, b) => a.row - b.row).slice(0, MAX_REPORTED_ISSUES),
    issuesTruncated: issues.length > MAX_REPORTED_ISSUES,
    issueCounts: countIssues(issues),
    ignoredColumns: [],
    warnings,
  };
  return { value: report, audit: { actor, action: `import.${kind}`, subject: `directory:${kind}`, payload: { file: fileName ?? null, ...report, issues: report.issues.length } } };
}

/** An import's change list (全记录) as recorded: the audit entry that commits to it, and whether the stored parts chain to it. */
export interface ImportChangeList {
  importId: string;
  auditSeq: number;
  action: string;
  file: string | null;
  at: string;
  actor: string;
  parts: number;
  created: number;
  updated: number;
  digest: string;
  /** The stored parts chain to the audited digest. */
  verified: boolean;
  /** Why not, when not verified. */
  problem: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

async function changeAudit(store: RepoStore, importId: string) {
  if (!UUID.test(importId)) throw new RepoError(404, "NOT_FOUND", `没有编号为“${importId.slice(0, 40)}”的导入`, "importId");
  const rows = await store.prisma.auditLog.findMany({ where: { action: { startsWith: "import." }, payload: { contains: importId } }, orderBy: { seq: "asc" } });
  for (const row of rows) {
    const payload = JSON.parse(row.payload) as { file?: string | null; changes?: { importId: string; parts: number; digest: string; created: number; updated: number } };
    if (payload.changes?.importId === importId) return { row, payload, changes: payload.changes };
  }
  throw new RepoError(404, "NOT_FOUND", `没有编号为“${importId}”的导入`, "importId");
}

/** The summary of an import's change list, verified against its audit entry (reads every part once). */
export async function importChangeList(store: RepoStore, importId: string): Promise<ImportChangeList> {
  const { row, payload, changes } = await changeAudit(store, importId);
  const parts = await store.prisma.importChange.findMany({ where: { importId }, orderBy: { part: "asc" }, select: { part: true, changes: true, digest: true } });
  const problem = verifyChangeParts(changes, parts);
  return {
    importId,
    auditSeq: row.seq,
    action: row.action,
    file: payload.file ?? null,
    at: row.at instanceof Date ? row.at.toISOString() : String(row.at),
    actor: row.actor,
    parts: changes.parts,
    created: changes.created,
    updated: changes.updated,
    digest: changes.digest,
    verified: problem === null,
    problem,
  };
}

/** One part of an import's change list: the keys it created, and the old values of what it changed. */
export async function importChangePart(store: RepoStore, importId: string, part: number): Promise<{ importId: string; part: number; created: string[]; updated: { key: string; old: Record<string, unknown> }[] }> {
  const { changes } = await changeAudit(store, importId);
  if (!Number.isSafeInteger(part) || part < 0 || part >= changes.parts)
    throw new RepoError(404, "NOT_FOUND", `该导入的变更清单有 ${changes.parts} 段（0–${Math.max(0, changes.parts - 1)}），没有第 ${part} 段`, "part");
  const row = await store.prisma.importChange.findUnique({ where: { importId_part: { importId, part } } });
  if (!row) throw new RepoError(409, "CHANGE_LIST_DAMAGED", `变更清单第 ${part} 段缺失（审计记录有 ${changes.parts} 段）`, "part");
  const body = JSON.parse(row.changes) as { created: string[]; updated: { key: string; old: Record<string, unknown> }[] };
  return { importId, part, created: body.created, updated: body.updated };
}
