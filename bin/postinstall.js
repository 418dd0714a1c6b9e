#!/usr/bin/env node
// npm postinstall: generate the Prisma clients for both providers (src/store/generated/sqlite and
// src/store/generated/postgresql) from the committed schemas, with the local prisma CLI and its
// JavaScript/WebAssembly engines only (prisma/<provider>/prisma.config.ts sets `engine: "js"`), so
// nothing is downloaded. Plain Node on purpose: it runs before anything else is usable.
// Fails loudly (non-zero exit, the CLI's output) so a broken schema cannot go unnoticed.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const cli = join(root, "node_modules", "prisma", "build", "index.js");

if (!existsSync(cli)) {
  console.error("postinstall: node_modules/prisma is missing; cannot generate the Prisma clients");
  process.exit(1);
}

for (const provider of ["sqlite", "postgresql"]) {
  const config = join(root, "prisma", provider, "prisma.config.ts");
  const started = Date.now();
  const r = spawnSync(process.execPath, [cli, "generate", "--config", config], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: "1", CHECKPOINT_DISABLE: "1", PRISMA_GENERATE_NO_HINTS: "1" },
  });
  if (r.status !== 0) {
    process.stderr.write(r.stdout ?? "");
    process.stderr.write(r.stderr ?? "");
    console.error(`postinstall: prisma generate failed for ${provider} (exit ${r.status ?? r.signal}).`);
    console.error("A download error here usually means a schema syntax error: run prisma validate --config " + config);
    process.exit(1);
  }
  console.log(`postinstall: generated Prisma client for ${provider} in ${Date.now() - started} ms`);
}
