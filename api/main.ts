/**
 * `npm start`: open the store from DATABASE_URL (default: embedded SQLite at data/ssj.db),
 * migrate it, load the demo city into an empty database, and serve on HOST:PORT
 * (default 127.0.0.1:3000) until SIGINT/SIGTERM.
 */
import { existsSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { buildApp } from "./app.ts";
import type { ApiStore } from "./storeTypes.ts";

const DEFAULT_DATABASE_URL = "file:data/ssj.db";

async function importIfPresent<T>(relative: string): Promise<T | null> {
  const path = fileURLToPath(new URL(relative, import.meta.url));
  if (!existsSync(path)) return null;
  return (await import(pathToFileURL(path).href)) as T;
}

export async function start(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
  const host = process.env.HOST || "127.0.0.1";
  const port = Number(process.env.PORT || 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be an integer 0–65535, got '${process.env.PORT}'`);

  const storeModule = await importIfPresent<{ openStore(o: { databaseUrl: string }): Promise<ApiStore> }>("../src/store/index.ts");
  if (!storeModule) throw new Error("src/store/index.ts is missing: the persistence layer is required");
  const store = await storeModule.openStore({ databaseUrl });
  await store.migrate?.();

  const app = await buildApp({
    store,
    logger: {
      level: process.env.LOG_LEVEL || "info",
      redact: { paths: ["req.headers.authorization", "headers.authorization"], censor: "[redacted]" },
    },
  });

  if (store.isEmpty && (await store.isEmpty())) {
    const demo = await importIfPresent<{ loadDemoCity?: (s: ApiStore, o: object, p?: (msg: unknown) => void) => Promise<unknown> }>(
      "../src/demo/index.ts",
    );
    if (demo?.loadDemoCity) {
      app.log.info("empty database: loading the demo city");
      await demo.loadDemoCity(store, {}, (progress) => app.log.info({ progress }, "demo city"));
      app.log.info("demo city loaded");
    } else {
      app.log.warn("empty database and no demo city module (src/demo/index.ts): starting empty");
    }
  }

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) {
      app.log.warn({ signal }, "second signal: exiting now");
      process.exit(1);
    }
    closing = true;
    app.log.info({ signal }, "shutting down");
    app
      .close()
      .then(() => store.close())
      .then(
        () => process.exit(0),
        (err) => {
          app.log.error({ err }, "error during shutdown");
          process.exit(1);
        },
      );
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));

  await app.listen({ host, port });
}

const isEntry = process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isEntry) {
  start().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
