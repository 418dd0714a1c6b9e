/**
 * Opening the store from the command line: the `--database-url` value when a command takes one,
 * else DATABASE_URL, else the embedded SQLite default (as `npm start`).
 */
import { userInfo } from "node:os";
import { openStore, type Store } from "../index.ts";

export const DEFAULT_DATABASE_URL = "file:data/ssj.db";

export async function openCliStore(databaseUrl?: string): Promise<Store> {
  const store = await openStore({ databaseUrl: databaseUrl || process.env.DATABASE_URL || DEFAULT_DATABASE_URL });
  await store.migrate();
  return store;
}

export function cliActor(): string {
  let login = "unknown";
  try {
    login = userInfo().username;
  } catch {
    /* no passwd entry */
  }
  return `cli:${login}`;
}

/** Parse `--name value` / `--name=value` flags and positionals. */
export function parseFlags(args: string[], known: readonly string[]): { flags: Record<string, string>; positionals: string[] } {
  const flags: Record<string, string> = {};
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.startsWith("--")) {
      const eq = a.indexOf("=");
      const key = eq >= 0 ? a.slice(2, eq) : a.slice(2);
      if (!known.includes(key)) throw new Error(`unknown option --${key}`);
      if (eq >= 0) flags[key] = a.slice(eq + 1);
      else {
        const v = args[i + 1];
        if (v === undefined || v.startsWith("--")) flags[key] = "true";
        else {
          flags[key] = v;
          i++;
        }
      }
    } else positionals.push(a);
  }
  return { flags, positionals };
}
