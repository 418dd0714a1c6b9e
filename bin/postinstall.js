#!/usr/bin/env node
// npm postinstall: generate the Prisma clients for both providers (src/store/generated/sqlite and
// src/store/generated/postgresql) from the committed schemas, with the local prisma CLI and its
// JavaScript/WebAssembly engines only (prisma/<provider>/prisma.config.ts sets `engine: "js"`), so
// nothing is downloaded. Plain Node on purpose: it runs before anything else is usable.
// Both generations run in parallel. Fails loudly (non-zero exit, the CLI's output) so a broken
// schema cannot go unnoticed.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const cli = join(root, "node_modules", "prisma", "build", "index.js");

if (!existsSync(cli)) {
  console.error("postinstall: node_modules/prisma is missing; cannot generate the Prisma clients");
  process.exit(1);
}

function generate(provider) {
  const config = join(root, "prisma", provider, "prisma.config.ts");
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, "generate", "--config", config], {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: "1", CHECKPOINT_DISABLE: "1", PRISMA_GENERATE_NO_HINTS: "1" },
    });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("error", (err) => resolve({ provider, ok: false, output: `${output}\n${err.message}`, config }));
    child.on("close", (code, signal) => resolve({ provider, ok: code === 0, output, config, code: code ?? signal, ms: Date.now() - started }));
  });
}

const results = await Promise.all(["sqlite", "postgresql"].map(generate));
let failed = false;
for (const r of results) {
  if (r.ok) {
    console.log(`postinstall: generated Prisma client for ${r.provider} in ${r.ms} ms`);
  } else {
    failed = true;
    process.stderr.write(r.output);
    console.error(`postinstall: prisma generate failed for ${r.provider} (exit ${r.code}).`);
    console.error(`A download error here usually means a schema syntax error: run prisma validate --config ${r.config}`);
  }
}
if (failed) process.exit(1);
