/**
 * `npm start`: open the store from DATABASE_URL (default: embedded SQLite at data/ssj.db),
 * migrate it, load the demo city into an empty database, and serve on HOST:PORT
 * (default 127.0.0.1:3000) until SIGINT/SIGTERM, then close the server and the store.
 */
import { pathToFileURL } from "node:url";
import { buildApp } from "./app.ts";
import { openStore } from "../src/store/index.ts";
import { loadDemoCity } from "../src/demo/index.ts";
import { loadDemoLoop } from "../src/demo/loop.ts";
import { demoPanels } from "../src/store/repos/panels.ts";
import { publishDailyAnchor } from "../src/store/repos/anchors.ts";
import { ensureDemoAccounts } from "../src/store/repos/demoAccounts.ts";
import { ROLE_LABEL } from "./console/layout.ts";

const DEFAULT_DATABASE_URL = "file:data/ssj.db";

export async function start(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
  const host = process.env.HOST || "127.0.0.1";
  const port = Number(process.env.PORT || 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be an integer 0–65535, got '${process.env.PORT}'`);

  const store = await openStore({ databaseUrl });
  const migrated = await store.migrate();

  const app = await buildApp({
    store,
    logger: {
      level: process.env.LOG_LEVEL || "info",
      redact: { paths: ["req.headers.authorization", "headers.authorization"], censor: "[redacted]" },
    },
  });
  app.log.info({ database: store.describe, applied: migrated.applied, schemaVersion: migrated.version?.name ?? null }, "database ready");

  if (await store.isEmpty()) {
    if (process.env.SSJ_NO_DEMO === "1") app.log.warn("empty database and SSJ_NO_DEMO=1: starting without the demo city");
    else {
      app.log.info("empty database: loading the demo city");
      let lastPercent = -1;
      const result = await loadDemoCity(store, {}, (p) => {
        const percent = p.overallTotal > 0 ? Math.floor((100 * p.overallDone) / p.overallTotal) : 100;
        if (percent >= lastPercent + 10 || percent === 100) {
          lastPercent = percent;
          app.log.info({ percent }, "loading the demo city");
        }
      });
      app.log.info({ seed: result.seed, entities: result.entities }, "demo city loaded");
      const loop = await loadDemoLoop(store, { seed: result.seed }); // 审管联动 (docs/approvals.md)
      app.log.info({ decisions: loop.decisions, pushes: loop.pushes, verifications: loop.verifications, alerts: loop.alerts }, "demo approval–supervision loop loaded");
      const panels = await demoPanels(store, { userId: 0, role: "admin", departmentId: null, actor: "ssj demo" }); // 专家和人员抽取
      app.log.info({ panelDraws: panels.length }, "demo panel draws made");
    }
  }

  // 一公开 of the audit log: its head is published at least daily (and at every draw event), so that
  // cutting the log's tail or recomputing its chain is detected (`ssj audit verify --anchors`).
  const anchor = () => publishDailyAnchor(store).catch((err: unknown) => app.log.error({ err }, "audit anchor could not be published"));
  await anchor();
  const anchorTimer = setInterval(anchor, 60 * 60_000);
  anchorTimer.unref();

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) {
      app.log.warn({ signal }, "second signal: exiting now");
      process.exit(1);
    }
    closing = true;
    clearInterval(anchorTimer);
    app.log.info({ signal }, "shutting down: finishing requests in flight");
    app
      .close()
      .then(() => store.close())
      .then(
        () => process.exit(0),
        (err: unknown) => {
          app.log.error({ err }, "error during shutdown");
          process.exit(1);
        },
      );
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));

  const demo = process.env.SSJ_NO_DEMO === "1" ? [] : await ensureDemoAccounts(store);
  const address = await app.listen({ host, port });
  const base = address.replace("://0.0.0.0", "://127.0.0.1").replace("://[::]", "://127.0.0.1");
  const lines = [`公示页      ${base}/public`, `工作台登录  ${base}/console/login`, `API 文档    ${base}/docs`];
  if (demo.length) {
    lines.push("演示账号（仅用于演示城市，数据为合成数据；正式使用前请删除或修改密码）：");
    for (const a of demo) lines.push(`  ${ROLE_LABEL[a.role].padEnd(6, "　")} 账号 ${a.login.padEnd(13)} 密码 ${a.password}`);
  }
  process.stdout.write(`\n${lines.join("\n")}\n\n`);
}

const isEntry = process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isEntry) {
  start().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
