/**
 * Argument helpers shared by the subcommand-style commands (`ssj draw`, `ssj panel`,
 * `ssj approvals`): every usage error names the argument and the rule, followed by the usage text.
 *
 *   const cli = subcommandArgs(args, { flags: FLAGS, subs: ["list", "show"], usage: USAGE });
 *   cli.sub          // "list"
 *   cli.flags        // { json: "true", reason: "…" }
 *   cli.positionals  // ["12"]
 *   cli.id(0, "抽取号"), cli.need("reason"), cli.int("department")
 */
import type { Store } from "../store/index.ts";
import { cliUser, openCliStore, parseFlags } from "../store/repos/cliStore.ts";
import { RepoError } from "../store/repos/db.ts";
import { CliError } from "./cliError.ts";

const POSITIVE_ID = /^[1-9][0-9]{0,9}$/;

export interface SubcommandArgs {
  sub: string;
  flags: Record<string, string>;
  positionals: string[];
  /** The positional at `index` as a positive integer id, or a usage error naming `what`. */
  id(index: number, what: string): number;
  /** The value of `--name`, or a usage error when it is missing or given without a value. */
  need(name: string): string;
  /** `--name` as a positive integer, undefined when absent, a usage error when malformed. */
  int(name: string): number | undefined;
}

export function subcommandArgs(args: string[], spec: { flags: readonly string[]; subs: readonly string[]; usage: string }): SubcommandArgs {
  const [sub, ...rest] = args;
  const fail = (message: string): never => {
    throw new CliError(`${message}\n${spec.usage}`);
  };
  let parsed: ReturnType<typeof parseFlags>;
  try {
    parsed = parseFlags(rest, spec.flags);
  } catch (e) {
    return fail((e as Error).message);
  }
  if (!sub || !spec.subs.includes(sub)) throw new CliError(spec.usage);
  const { flags, positionals } = parsed;
  return {
    sub,
    flags,
    positionals,
    id: (index, what) => {
      const v = positionals[index];
      return v !== undefined && POSITIVE_ID.test(v) ? Number(v) : fail(`${what}须为正整数`);
    },
    need: (name) => {
      const v = flags[name];
      return v && v !== "true" ? v : fail(`缺少 --${name}`);
    },
    int: (name) => {
      const v = flags[name];
      if (v === undefined) return undefined;
      return POSITIVE_ID.test(v) ? Number(v) : fail(`--${name} 须为正整数`);
    },
  };
}

export type CliUser = Awaited<ReturnType<typeof cliUser>>;

/**
 * Open the store, identify the token's user exactly as the API does, run `body` as that user and
 * close the store. A refusal by the store's rules (RepoError) prints `ssj <command> <sub>：被拒绝：…`
 * and exits 1; an unknown id exits 2; a malformed time is a usage error.
 */
export async function runAsCliUser(command: string, cli: SubcommandArgs, body: (store: Store, user: CliUser) => Promise<void>): Promise<number> {
  const store = await openCliStore();
  try {
    let user: CliUser;
    try {
      user = await cliUser(store, cli.flags["token-file"]);
    } catch (e) {
      throw new CliError((e as Error).message);
    }
    await body(store, user);
    return 0;
  } catch (e) {
    if (e instanceof RepoError) {
      if (e.statusCode === 404) throw new CliError(e.message, 2);
      console.error(`ssj ${command} ${cli.sub}：被拒绝：${e.message} [${e.code}]`);
      return 1;
    }
    if (e instanceof RangeError) throw new CliError(`时间格式不正确：${e.message}`);
    throw e;
  } finally {
    await store.close();
  }
}
