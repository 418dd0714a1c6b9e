// Prisma CLI configuration for the PostgreSQL schema (JavaScript engines only: see
// /work/shared/notes/toolchain.md). Used by `prisma generate` (bin/postinstall.js) and
// `prisma migrate diff` (prisma/build-schemas.ts, with SSJ_PRISMA_OFFLINE=1: no server needed);
// migrations are applied by `ssj migrate`, not by the Prisma CLI.
import path from "node:path";
import { defineConfig } from "prisma/config";
import { offline, offlinePostgresAdapterFactory } from "../offlineAdapter.ts";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join(import.meta.dirname, "schema.prisma"),
  async adapter() {
    if (offline) return offlinePostgresAdapterFactory();
    const { PrismaPg } = await import("@prisma/adapter-pg");
    return new PrismaPg({ connectionString: process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres" });
  },
});
