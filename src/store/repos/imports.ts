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
import { ImportError, type ByteSource } from "../../directories/import/index.ts";
import { importDirectory as storeImportDirectory } from "../import/index.ts";
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
}

export const MAX_REPORTED_ISSUES = 10_000;
/** Long imports need more than the default 30 s transaction. */
const IMPORT_TX = { timeout: 30 * 60_000, maxWait: 60_000 };

function fileError(e: unknown): never {
  if (e instanceof ImportError) throw new RepoError(422, `IMPORT_${e.code.toUpperCase()}`, e.message, "file");
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
  options: { totalBytes?: number; onProgress?: Progress; fileName?: string; batchSize?: number } = {},
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
    issues: r.issues.slice(0, MAX_REPORTED_ISSUES),
    issuesTruncated: r.issues.length > MAX_REPORTED_ISSUES,
  };
}

// ── item lists (抽查事项清单, 联合抽查事项清单) ──────────────────────────────────────────────────

const METHOD_WORDS: [RegExp, "on-site" | "written" | "online"][] = [
  [/现场/, "on-site"],
  [/书面/, "written"],
  [/网络|网上|在线/, "online"],
];

const DEPARTMENT_STEMS: [RegExp, RegExp][] = [
  [/市场监管|市场监督/, /市场监督管理|市场监管/],
  [/生态环境|环保/, /生态环境/],
  [/住房|住建|城乡建设/, /住房和城乡建设|住建/],
  [/卫生健康|卫健/, /卫生健康|卫健/],
  [/交通运输|交通/, /交通运输/],
  [/应急管理|应急/, /应急管理/],
  [/公安/, /公安/],
  [/农业农村|农业/, /农业农村/],
  [/文化|旅游/, /旅游和文化|文化|旅游/],
  [/税务/, /税务/],
  [/教育/, /教育/],
  [/自然资源/, /自然资源/],
  [/水务|水利/, /水务|水利/],
  [/人力资源|人社/, /人力资源/],
  [/商务/, /商务/],
  [/药品|药监/, /药品/],
];

/** The department a list names ("市场监管部门", "海口市市场监督管理局", a code…), or null. */
export function matchDepartment<D extends { id: number; code: string; name: string }>(written: string, departments: D[], prefer?: (d: D) => boolean): D | null {
  const exact = departments.find((d) => d.name === written || d.code === written);
  if (exact) return exact;
  for (const [w, n] of DEPARTMENT_STEMS) {
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
  if (options.department) {
    forced = departments.find((d) => d.code === options.department || d.name === options.department || String(d.id) === options.department) ?? null;
    if (!forced) throw new RepoError(422, "UNKNOWN_DEPARTMENT", `department '${options.department}' does not exist`, "department");
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
          issues.push({ row: it.sourceRow, field: "department", column: "编制单位名称", rule: "unknownDepartment", severity: "error", message: `no department matches "${it.department}"; pass --department <code>` });
          rejected++;
          continue;
        }
        const methods = [...new Set(it.methods.flatMap((m) => METHOD_WORDS.filter(([re]) => re.test(m)).map(([, v]) => v)))];
        if (methods.length === 0) {
          methods.push("on-site");
          issues.push({ row: it.sourceRow, field: "methods", column: "检查方式", rule: "defaultMethod", severity: "flag", message: `检查方式 "${it.methods.join("、")}" has no 现场/书面/网络: recorded as on-site` });
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
      return listImportResult("items", parsed.format, parsed.rows.length, { accepted: items.length - rejected, rejected: rejected + parsed.issues.length, created, updated, unchanged }, issues, actor, options.fileName);
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
          issues.push({ row: t.sourceRow, field: "leadDepartment", column: "发起部门", rule: "unknownDepartment", severity: "error", message: `no department matches "${t.leadDepartment}"` });
          rejected++;
          continue;
        }
        const partners = new Set<number>();
        for (const w of [...t.leadDepartments.slice(1), ...t.partnerDepartments]) {
          const d = matchDepartment(w, departments, city);
          if (!d) issues.push({ row: t.sourceRow, field: "partnerDepartments", column: "配合部门", rule: "unknownDepartment", severity: "flag", message: `no department matches "${w}": left out` });
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
function listImportResult(
  kind: "items" | "joint-items",
  format: ImportReport["format"],
  rowsRead: number,
  counts: { accepted: number; rejected: number; created: number; updated: number; unchanged: number },
  issues: ImportReport["issues"],
  actor: string,
  fileName: string | undefined,
) {
  const report: ImportReport = {
    kind,
    format,
    rowsRead,
    ...counts,
    flagged: issues.filter((i) => i.severity === "flag").length,
    issues: [...issues].sort((a, b) => a.row - b.row).slice(0, MAX_REPORTED_ISSUES),
    issuesTruncated: issues.length > MAX_REPORTED_ISSUES,
  };
  return { value: report, audit: { actor, action: `import.${kind}`, subject: `directory:${kind}`, payload: { file: fileName ?? null, ...report, issues: report.issues.length } } };
}
