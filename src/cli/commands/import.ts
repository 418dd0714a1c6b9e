/**
 * `ssj import <entities|inspectors|items|joint-items> <file> [--map 列名=字段 …] [--date-order mdy|dmy] [--district 区划码] [--department <code>] [--json]`
 * `ssj import template <entities|inspectors|items|joint-items> <out.xlsx>`
 *
 * Imports a directory file into the database (DATABASE_URL) in one transaction, with a progress
 * bar on a terminal, and prints the report (Chinese; `--json` for programs): counts, the columns
 * that were not imported, and every rejected or flagged row with row number, field and rule.
 * `--map TYXYDM=code` (repeatable, or comma-separated) maps a column to a field explicitly
 * (`列名=-` ignores it). Upserts by natural key, so importing the same file twice is safe.
 * `template` writes the .xlsx template of a kind (headers and one synthetic example row).
 * Exit 0: imported (rejected rows, if any, are listed); 2: bad usage, or the file was refused
 * as a whole (nothing changed).
 */
import { readFile, stat, writeFile } from "node:fs/promises";
import { createReadStream } from "node:fs";
import cliProgress from "cli-progress";
import type { Command } from "../command.ts";
import { CliError } from "../cliError.ts";
import { cliActor, openCliStore, parseFlags } from "../../store/repos/cliStore.ts";
import { IMPORT_KINDS, importItemList, importJointList, type ImportKind, type ImportReport } from "../../store/repos/imports.ts";
import { importDirectory } from "../../store/import/index.ts";
import { ImportError, importTemplate, TEMPLATE_KINDS, type TemplateKind } from "../../directories/import/index.ts";

const USAGE =
  "用法：ssj import <entities|inspectors|items|joint-items> <文件> [--map 列名=字段 …] [--date-order mdy|dmy] [--district <区划码>] [--department <部门代码>] [--json]\n" +
  "      ssj import template <entities|inspectors|items|joint-items> <输出.xlsx>";

const KIND_LABEL: Record<string, string> = { entities: "检查对象名录", inspectors: "执法检查人员名录", items: "随机抽查事项清单", "joint-items": "部门联合抽查事项清单" };

/** Chinese labels of fields, for issues that name no column of the file (a derived 区划码, a store rule). */
const FIELD_LABEL: Record<string, string> = {
  code: "代码",
  registrationNumber: "注册号",
  name: "名称",
  districtCode: "区划码",
  address: "地址",
  industryCode: "行业代码",
  entityType: "主体类型",
  status: "状态",
  riskClass: "风险等级",
  establishedOn: "成立日期",
  certificateNo: "证件号",
  department: "部门",
  qualifications: "执法资质",
  specialities: "业务专长",
  districts: "负责区划",
  active: "在岗",
  methods: "检查方式",
  leadDepartment: "发起部门",
  partnerDepartments: "配合部门",
};

export function formatReport(r: ImportReport): string {
  const lines = [
    `${KIND_LABEL[r.kind] ?? r.kind}（${r.format}）：读取 ${r.rowsRead} 行，接受 ${r.accepted} 行（新增 ${r.created}，更新 ${r.updated}，未变 ${r.unchanged}），拒绝 ${r.rejected} 行，标记待核实 ${r.flagged} 行`,
  ];
  if (r.districtFrom === "code") lines.push("  区划码：文件没有区划码列，已由统一社会信用代码第 3–8 位 / 注册号前 6 位推得");
  if (r.ignoredColumns.length > 0) lines.push(`  未导入的列（${r.ignoredColumns.length}）：${r.ignoredColumns.map((c) => `第 ${c.index + 1} 列“${c.header}”`).join("、")}（需要时用 --map 列名=字段 指定）`);
  else lines.push("  未导入的列：无");
  for (const w of r.warnings) lines.push(`  注意：${w}`);
  if (r.changes) lines.push(`  变更清单（全记录）：${r.changes.parts} 段，摘要 ${r.changes.digest.slice(0, 16)}…，导入编号 ${r.changes.importId}`);
  for (const i of r.issues)
    lines.push(`  第 ${String(i.row).padStart(6)} 行  ${i.severity === "error" ? "拒绝" : "标记"}  ${(i.column ?? (i.field ? (FIELD_LABEL[i.field] ?? i.field) : "-")).padEnd(12)} ${i.rule.padEnd(16)} ${i.message}`);
  if (r.issuesTruncated) lines.push("  ……更多问题未列出（各类问题的数目见 --json 的 issueCounts）");
  return lines.join("\n");
}

/** `--map A=code` occurrences (repeatable, comma-separated) taken out of the arguments. */
export function takeMaps(args: string[]): { rest: string[]; map: Record<string, string | null> } {
  const rest: string[] = [];
  const map: Record<string, string | null> = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    let v: string | undefined;
    if (a === "--map") v = args[++i];
    else if (a.startsWith("--map=")) v = a.slice(6);
    else {
      rest.push(a);
      continue;
    }
    if (v === undefined) throw new CliError(`--map 需要 列名=字段\n${USAGE}`);
    for (const part of v.split(/[,，]/)) {
      if (part.trim() === "") continue;
      const eq = part.lastIndexOf("=");
      if (eq <= 0) throw new CliError(`--map“${part}”应写作 列名=字段（忽略一列：列名=-）\n${USAGE}`);
      const field = part.slice(eq + 1).trim();
      map[part.slice(0, eq).trim()] = field === "-" || field === "" ? null : field;
    }
  }
  return { rest, map };
}

async function writeTemplate(args: string[]): Promise<number> {
  const [kind, out] = args;
  if (!kind || !TEMPLATE_KINDS.includes(kind as TemplateKind) || !out || args.length !== 2) throw new CliError(USAGE);
  await writeFile(out, await importTemplate(kind as TemplateKind));
  console.log(`已写出${KIND_LABEL[kind]}导入模板：${out}`);
  return 0;
}

export const importCommand: Command = {
  name: "import",
  summary: "导入检查对象、执法人员（CSV/XLSX/XLS）或抽查事项清单（XLSX/XLS）；import template 写出导入模板",
  async run(args) {
    if (args[0] === "template") return writeTemplate(args.slice(1));
    const { rest, map } = takeMaps(args);
    let parsed: ReturnType<typeof parseFlags>;
    try {
      parsed = parseFlags(rest, ["department", "json", "date-order", "district"]);
    } catch (e) {
      throw new CliError(`${(e as Error).message}\n${USAGE}`);
    }
    const [kind, file] = parsed.positionals;
    if (!kind || !IMPORT_KINDS.includes(kind as ImportKind) || !file || parsed.positionals.length !== 2) throw new CliError(USAGE);
    const dateOrder = parsed.flags["date-order"];
    if (dateOrder !== undefined && dateOrder !== "mdy" && dateOrder !== "dmy") throw new CliError(`--date-order 须为 mdy（月/日/年）或 dmy（日/月/年）\n${USAGE}`);
    const district = parsed.flags.district;
    if (district !== undefined && (kind !== "entities" || !/^\d{6}$/.test(district))) throw new CliError(`--district 只用于检查对象名录，须为 6 位区划码\n${USAGE}`);
    const hasMap = Object.keys(map).length > 0;
    if (hasMap && kind !== "entities" && kind !== "inspectors") throw new CliError("--map 只用于检查对象和执法人员名录");
    let size: number;
    try {
      size = (await stat(file)).size;
    } catch {
      throw new CliError(`无法读取 ${file}`);
    }
    const json = parsed.flags.json === "true";
    const bar = process.stderr.isTTY && !json ? new cliProgress.SingleBar({ format: "{bar} {percentage}% | {rows} 行", stream: process.stderr, hideCursor: true }, cliProgress.Presets.shades_classic) : null;
    const store = await openCliStore();
    try {
      let report: ImportReport;
      bar?.start(size, 0, { rows: 0 });
      const onProgress = (p: { rowsRead: number; bytesRead?: number }) => bar?.update(p.bytesRead ?? 0, { rows: p.rowsRead });
      if (kind === "entities" || kind === "inspectors") {
        const source = createReadStream(file, { highWaterMark: 256 * 1024 });
        const r = await importDirectory(store, {
          kind,
          source,
          fileName: file,
          actor: cliActor(),
          totalBytes: size,
          onProgress,
          ...(hasMap ? { columnMap: map } : {}),
          ...(dateOrder ? { dateOrder } : {}),
          ...(district ? { fallbackDistrict: district } : {}),
        });
        report = { ...r, warnings: [] };
      } else {
        const bytes = new Uint8Array(await readFile(file));
        report = kind === "items"
          ? await importItemList(store, bytes, cliActor(), { department: parsed.flags.department, fileName: file })
          : await importJointList(store, bytes, cliActor(), { fileName: file });
      }
      bar?.update(size);
      bar?.stop();
      console.log(json ? JSON.stringify(report) : formatReport(report));
      return 0;
    } catch (e) {
      bar?.stop();
      if (e instanceof ImportError) throw new CliError(`${file}：${e.message}（未导入任何内容）`);
      const err = e as { statusCode?: number; message: string };
      if (err.statusCode && err.statusCode < 500) throw new CliError(`${file}：${err.message}（未导入任何内容）`);
      throw e;
    } finally {
      await store.close();
    }
  },
};
