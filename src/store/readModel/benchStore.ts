/**
 * A minimal store — just the driver handle — for benchmarks that fill and serve the read model
 * without the domain schema. Real services use `openStore` (src/store/index.ts).
 */
import Database from "better-sqlite3";
import pg from "pg";

export interface BenchStore {
  kind: "sqlite" | "postgresql";
  raw: Database.Database | pg.Pool;
  schemaVersion(): Promise<string>;
  close(): Promise<void>;
}

export async function openBenchStore(kind: "sqlite" | "postgresql", target: string, opts: { create?: boolean } = {}): Promise<BenchStore> {
  if (kind === "sqlite") {
    const raw = new Database(target);
    raw.pragma("journal_mode = WAL");
    raw.pragma("synchronous = NORMAL");
    raw.pragma("cache_size = -262144"); // 256 MiB page cache
    raw.pragma("mmap_size = 2147483648");
    return { kind, raw, schemaVersion: async () => "bench", close: async () => void raw.close() };
  }
  if (opts.create) {
    const url = new URL(target);
    const name = decodeURIComponent(url.pathname.slice(1));
    url.pathname = "/postgres";
    const admin = new pg.Client({ connectionString: url.toString() });
    await admin.connect();
    try {
      const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
      if (exists.rowCount === 0) await admin.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
    } finally {
      await admin.end();
    }
  }
  const raw = new pg.Pool({ connectionString: target, max: 10 });
  return { kind, raw, schemaVersion: async () => "bench", close: async () => raw.end() };
}
