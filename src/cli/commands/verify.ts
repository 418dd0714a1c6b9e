/**
 * `ssj verify <manifest.json> [--commitment <hex>] [--threads <n>]`: recompute a draw offline
 * from its manifest (docs/draw-spec.md §10).
 *
 * Exit 0 and a short confirmation when everything matches; exit 1 and the first point of
 * divergence when not (tampered seed, pool, quotas, results, substitutions); exit 2 when the
 * manifest cannot be read or is not a draw manifest.
 */
import { readFileSync } from "node:fs";
import type { Command } from "../command.ts";
import { CliError } from "../cliError.ts";
import { ManifestFormatError, parseManifest, verifyManifest } from "../../draws/index.ts";
import { isPublicManifest, verifyPublicManifest } from "../../draws/publicManifest.ts";

const USAGE = "usage: ssj verify <manifest.json> [--commitment <published commitment hex>] [--threads <n>]";

export const verifyCommand: Command = {
  name: "verify",
  summary: "recompute a draw from its manifest and confirm it, or show the first divergence",
  async run(args) {
    let file: string | undefined;
    let expectedCommitment: string | undefined;
    let threads: number | undefined;
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      if (a === "--commitment") {
        expectedCommitment = args[++i];
        if (!expectedCommitment || !/^[0-9a-f]{64}$/.test(expectedCommitment)) throw new CliError(`--commitment needs 64 lowercase hex characters\n${USAGE}`);
      } else if (a === "--threads") {
        threads = Number(args[++i]);
        if (!Number.isInteger(threads) || threads < 1) throw new CliError(`--threads needs a positive integer\n${USAGE}`);
      } else if (a === "--help" || a === "-h") {
        console.log(USAGE);
        return 0;
      } else if (a.startsWith("--")) {
        throw new CliError(`unknown option ${a}\n${USAGE}`);
      } else if (file === undefined) {
        file = a;
      } else {
        throw new CliError(`only one manifest at a time\n${USAGE}`);
      }
    }
    if (!file) throw new CliError(USAGE);
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (err) {
      throw new CliError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (isPublicManifest(parsed)) {
      let pv;
      try {
        pv = verifyPublicManifest(parsed);
      } catch (err) {
        throw new CliError(`${file}: not a readable public manifest: ${(err as Error).message}`);
      }
      if (!pv.ok) {
        console.log(`DIVERGES at ${pv.path}: ${pv.message}`);
        return 1;
      }
      console.log(
        `OK: partial verification (public manifest): draw of batch ${pv.summary.batch} (${pv.summary.departments} departments, ${pv.summary.selected} selected)\n` +
          `checked:\n${pv.checked.map((c) => `  - ${c}`).join("\n")}\n` +
          `needs the full manifest (held by auditors / 纪检):\n${pv.needsFullManifest.map((c) => `  - ${c}`).join("\n")}\n` +
          `commitment ${pv.summary.commitment}\nseed       ${pv.summary.seed}`,
      );
      return 0;
    }
    let manifest;
    try {
      manifest = parseManifest(text);
    } catch (err) {
      if (err instanceof ManifestFormatError) throw new CliError(`${file}: ${err.message}`);
      throw err;
    }
    const outcome = await verifyManifest(manifest, { expectedCommitment, threads });
    if (!outcome.ok) {
      console.log(`DIVERGES at ${outcome.path}: ${outcome.message}`);
      return 1;
    }
    const s = outcome.summary;
    console.log(
      `OK: draw of batch ${s.batch} reproduced (${s.departments} departments, ${s.selected} selected, ${s.checks} checks, ${s.substitutions} substitutions)\n` +
        `commitment ${s.commitment}\nseed       ${s.seed}`,
    );
    return 0;
  },
};
