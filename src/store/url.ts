/**
 * Which database a URL selects.
 *
 *   (none)                       SQLite at <repo>/data/ssj.db (directory created on demand)
 *   file:<path>                  SQLite at <path> (relative paths: to the current directory)
 *   postgresql://… postgres://…  PostgreSQL; an optional `?schema=<name>` selects the schema
 *                                (search_path), default "public"
 * Anything else is refused. DATABASE_URL is the environment default.
 */
import { dirname, isAbsolute, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const DEFAULT_SQLITE_PATH = join(REPO_ROOT, "data", "ssj.db");

export type DatabaseTarget =
  | { kind: "sqlite"; path: string }
  | { kind: "postgresql"; connectionString: string; schema: string; display: string };

export class DatabaseUrlError extends Error {}

export function resolveDatabase(databaseUrl: string | undefined = process.env.DATABASE_URL): DatabaseTarget {
  const url = databaseUrl?.trim();
  if (!url) return { kind: "sqlite", path: DEFAULT_SQLITE_PATH };
  if (url.startsWith("file:")) {
    let path = url.slice("file:".length);
    if (path.startsWith("//")) path = fileURLToPath(url);
    path = path.replace(/\?.*$/, "");
    if (!path || path === ":memory:" || path.startsWith(":memory:"))
      throw new DatabaseUrlError("an in-memory SQLite database is not supported (the store opens two connections): use a file");
    return { kind: "sqlite", path: isAbsolute(path) ? path : resolve(path) };
  }
  if (url.startsWith("postgresql://") || url.startsWith("postgres://")) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new DatabaseUrlError("DATABASE_URL is not a valid postgresql:// URL");
    }
    const schema = parsed.searchParams.get("schema") ?? "public";
    if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema))
      throw new DatabaseUrlError(`schema '${schema}' must be a plain identifier ([A-Za-z_][A-Za-z0-9_]*)`);
    parsed.searchParams.delete("schema");
    const display = new URL(parsed.href);
    if (display.password) display.password = "***";
    return { kind: "postgresql", connectionString: parsed.href, schema, display: display.href };
  }
  throw new DatabaseUrlError(
    `unsupported DATABASE_URL '${url.replace(/\/\/[^@/]*@/, "//***@")}': use file:<path> (SQLite) or postgresql://… (PostgreSQL)`,
  );
}
