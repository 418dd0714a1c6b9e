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
      if (!v) throw new CliError("--database-url needs a value");
      out.databaseUrl = v;
    } else if (a.startsWith("--database-url=")) out.databaseUrl = a.slice("--database-url=".length);
    else throw new CliError(`unknown option '${a}' (usage: ssj migrate [--status] [--database-url <url>])`);
  }
  return out;
}

export const migrateCommand: Command = {
  name: "migrate",
  summary: "bring the database to the current schema (--status: report only)",
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
      const fmt = (v: { name: string; count: number } | null) => (v ? `${v.name} (${v.count} migration${v.count === 1 ? "" : "s"})` : "none (empty database)");
      if (opts.status) {
        const version = await store.schemaVersion();
        const files = loadMigrations(store.kind);
        const pending = files.filter((f) => !version || f.name > version.name);
        console.log(`database: ${store.describe}`);
        console.log(`schema version: ${fmt(version)}`);
        console.log(pending.length ? `pending: ${pending.map((p) => p.name).join(", ")}` : "pending: none");
        return pending.length ? 1 : 0;
      }
      const report = await store.migrate();
      console.log(`database: ${store.describe}`);
      console.log(report.applied.length ? `applied: ${report.applied.join(", ")}` : "already up to date");
      console.log(`schema version: ${fmt(report.version)}`);
      return 0;
    } catch (err) {
      if (err instanceof MigrationError) throw new CliError(err.message, 1);
      throw err;
    } finally {
      await store.close();
    }
  },
};
