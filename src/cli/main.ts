/**
 * `ssj`: the command-line home of all non-HTTP work. Each command lives in its own module under
 * `src/cli/commands/` and is registered in `commands/index.ts`; this file only dispatches.
 *
 * Exit codes: 0 success, 1 a check failed (e.g. `ssj verify` found a divergence), 2 bad usage or
 * unreadable input.
 */
import { commands } from "./commands/index.ts";
import { CliError } from "./cliError.ts";

function usage(): string {
  const lines = ["用法：ssj <命令> [选项]", "", "命令："];
  for (const c of commands) lines.push(`  ${c.name.padEnd(16)} ${c.summary}`);
  return lines.join("\n");
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "help" || name === "--help" || name === "-h") {
    console.log(usage());
    return name ? 0 : 2;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    console.error(`ssj：未知命令 '${name}'\n\n${usage()}`);
    return 2;
  }
  try {
    return await command.run(rest);
  } catch (err) {
    if (err instanceof CliError) {
      console.error(`ssj ${name}: ${err.message}`);
      return err.exitCode;
    }
    throw err;
  }
}

const isEntry = process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isEntry) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      console.error(err);
      process.exitCode = 70;
    },
  );
}
