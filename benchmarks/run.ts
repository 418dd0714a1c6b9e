/**
 * `npm run bench -- <name> [options]`: runs `benchmarks/<name>.bench.ts`, which prints its figures.
 * Benchmarks are never tests: they measure, print, and the latest figures are kept, dated, in
 * benchmarks/RESULTS.md.
 */
import { readdirSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { dirname, join } from "node:path";

const here = dirname(fileURLToPath(import.meta.url));
const available = readdirSync(here)
  .filter((f) => f.endsWith(".bench.ts"))
  .map((f) => f.slice(0, -".bench.ts".length))
  .sort();
const [name, ...args] = process.argv.slice(2);
if (!name || !available.includes(name)) {
  console.error(`usage: npm run bench -- <name> [options]\navailable: ${available.join(", ") || "(none)"}`);
  process.exit(2);
}
process.argv = [process.argv[0]!, join(here, `${name}.bench.ts`), ...args];
await import(pathToFileURL(join(here, `${name}.bench.ts`)).href);
