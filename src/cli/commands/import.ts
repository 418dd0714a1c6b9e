/**
 * `ssj import <entities|inspectors|items|joint-items> <file> [--department <code>] [--json]`
 *
 * Imports a directory file into the database (DATABASE_URL) in one transaction, with a progress
 * bar on a terminal, and prints the report: every rejected or flagged row with row number, field
 * and rule. Upserts by natural key, so importing the same file twice is safe.
 * Exit 0: imported (rejected rows, if any, are listed); 2: bad usage, or the file was refused
 * as a whole (nothing changed).
 */
import { readFile, stat } from "node:fs/promises";
import { createReadStream } from "node:fs";
import cliProgress from "cli-progress";
import type { Command } from "../command.ts";
import { CliError } from "../cliError.ts";
import { cliActor, openCliStore, parseFlags } from "../../store/repos/cliStore.ts";
import { IMPORT_KINDS, importItemList, importJointList, type ImportKind, type ImportReport } from "../../store/repos/imports.ts";
import { importDirectory } from "../../store/import/index.ts";
import { ImportError } from "../../directories/import/index.ts";

const USAGE = "usage: ssj import <entities|inspectors|items|joint-items> <file> [--department <code>] [--json]";

export function formatReport(r: ImportReport): string {
  const lines = [
    `${r.kind} (${r.format}): ${r.rowsRead} rows read, ${r.accepted} accepted (${r.created} new, ${r.updated} updated, ${r.unchanged} unchanged), ${r.rejected} rejected, ${r.flagged} flagged`,
  ];
  for (const i of r.issues)
    lines.push(`  row ${String(i.row).padStart(6)}  ${i.severity === "error" ? "REJECTED" : "flagged "}  ${(i.field ?? "-").padEnd(16)} ${i.rule.padEnd(18)} ${i.message}`);
  if (r.issuesTruncated) lines.push("  … more issues not shown");
  return lines.join("\n");
}

export const importCommand: Command = {
  name: "import",
  summary: "import entities, inspectors (CSV/XLSX) or item lists (XLSX/XLS) into the directories",
  async run(args) {
    let parsed: ReturnType<typeof parseFlags>;
    try {
      parsed = parseFlags(args, ["department", "json"]);
    } catch (e) {
      throw new CliError(`${(e as Error).message}\n${USAGE}`);
    }
    const [kind, file] = parsed.positionals;
    if (!kind || !IMPORT_KINDS.includes(kind as ImportKind) || !file || parsed.positionals.length !== 2) throw new CliError(USAGE);
    let size: number;
    try {
      size = (await stat(file)).size;
    } catch {
      throw new CliError(`cannot read ${file}`);
    }
    const json = parsed.flags.json === "true";
    const bar = process.stderr.isTTY && !json ? new cliProgress.SingleBar({ format: "{bar} {percentage}% | {rows} rows", stream: process.stderr, hideCursor: true }, cliProgress.Presets.shades_classic) : null;
    const store = await openCliStore();
    try {
      let report: ImportReport;
      bar?.start(size, 0, { rows: 0 });
      const onProgress = (p: { rowsRead: number; bytesRead?: number }) => bar?.update(p.bytesRead ?? 0, { rows: p.rowsRead });
      if (kind === "entities" || kind === "inspectors") {
        const source = createReadStream(file, { highWaterMark: 256 * 1024 });
        report = { ...(await importDirectory(store, { kind, source, fileName: file, actor: cliActor(), totalBytes: size, onProgress })), issuesTruncated: false };
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
      if (e instanceof ImportError) throw new CliError(`${file}: ${e.message} (nothing was imported)`);
      const err = e as { statusCode?: number; message: string };
      if (err.statusCode && err.statusCode < 500) throw new CliError(`${file}: ${err.message} (nothing was imported)`);
      throw e;
    } finally {
      await store.close();
    }
  },
};
