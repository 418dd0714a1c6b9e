/**
 * `ssj migrate`: bring the database (DATABASE_URL, else SQLite data/ssj.db) to the current schema.
 * Safe to run twice and from two processes at once (see src/store/migrate.ts).
 *
 *   ssj migrate            apply pending migrations, print the schema version
 *   ssj migrate --status   only print the schema version and what is pending
 *   --database-url <url>   override DATABASE_URL
 */
import type { Command } from "../command.ts";
import { CliError } from "../cliError.ts";

function parse(args: string[]): { status: boolean; databaseUrl?: string } {
  const out: { status: boolean; databaseUrl?: string } = { status: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--status") out.status = true;
    else if (a === "--database-url") {
      const v = args[++i];
      if (!v) throw new CliError("--database-url 须给出连接串");
      out.databaseUrl = v;
    } else if (a.startsWith("--database-url=")) out.databaseUrl = a.slice("--database-url=".length);
    else throw new CliError(`未知选项 '${a}'（用法：ssj migrate [--status] [--database-url <url>]）`);
  }
  return out;
}

export const migrateCommand: Command = {
  name: "migrate",
  summary: "把数据库升级到当前结构（--status：只报告，不升级）",
  async run(args) {
    const opts = parse(args);
    const { openStore, MigrationError, DatabaseUrlError, loadMigrations } = await import("../../store/index.ts");
    let store;
    try {
      store = await openStore(opts.databaseUrl ? { databaseUrl: opts.databaseUrl } : {});
    } catch (err) {
      if (err instanceof DatabaseUrlError) throw new CliError(err.message);
      throw err;
    }
    try {
      const fmt = (v: { name: string; count: number } | null) => (v ? `${v.name}（共 ${v.count} 次迁移）` : "无（空数据库）");
      if (opts.status) {
        const version = await store.schemaVersion();
        const files = loadMigrations(store.kind);
        const pending = files.filter((f) => !version || f.name > version.name);
        console.log(`数据库：${store.describe}`);
        console.log(`结构版本：${fmt(version)}`);
        console.log(pending.length ? `待执行迁移：${pending.map((p) => p.name).join(", ")}` : "待执行迁移：无");
        return pending.length ? 1 : 0;
      }
      const report = await store.migrate();
      console.log(`数据库：${store.describe}`);
      console.log(report.applied.length ? `已执行迁移：${report.applied.join(", ")}` : "已是最新结构");
      console.log(`结构版本：${fmt(report.version)}`);
      return 0;
    } catch (err) {
      if (err instanceof MigrationError) throw new CliError(err.message, 1);
      throw err;
    } finally {
      await store.close();
    }
  },
};
