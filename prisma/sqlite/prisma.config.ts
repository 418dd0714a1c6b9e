// Prisma CLI configuration for the SQLite schema (JavaScript engines only: see
// /work/shared/notes/toolchain.md). Used by `prisma generate` (bin/postinstall.js) and
// `prisma migrate diff` (prisma/build-schemas.ts, with SSJ_PRISMA_OFFLINE=1: an in-memory
// database); migrations are applied by `ssj migrate`, not by the Prisma CLI.
import path from "node:path";
import { defineConfig } from "prisma/config";
import { offline } from "../offlineAdapter.ts";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join(import.meta.dirname, "schema.prisma"),
  async adapter() {
    const { PrismaBetterSQLite3 } = await import("@prisma/adapter-better-sqlite3");
    if (offline) return new PrismaBetterSQLite3({ url: ":memory:" });
    const url = process.env.DATABASE_URL?.startsWith("file:")
      ? process.env.DATABASE_URL
      : `file:${path.join(import.meta.dirname, "../../data/ssj.db")}`;
    return new PrismaBetterSQLite3({ url });
  },
});
