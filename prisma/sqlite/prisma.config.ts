// Prisma CLI configuration for the SQLite schema (JavaScript engines only: see
// /work/shared/notes/toolchain.md). Used by `prisma generate` (bin/postinstall.js) and
// `prisma migrate diff` (prisma/build-schemas.ts); migrations are applied by `ssj migrate`.
import path from "node:path";
import { defineConfig } from "prisma/config";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join(import.meta.dirname, "schema.prisma"),
  async adapter() {
    const { PrismaBetterSQLite3 } = await import("@prisma/adapter-better-sqlite3");
    const url = process.env.DATABASE_URL?.startsWith("file:")
      ? process.env.DATABASE_URL
      : `file:${path.join(import.meta.dirname, "../../data/ssj.db")}`;
    return new PrismaBetterSQLite3({ url });
  },
});
