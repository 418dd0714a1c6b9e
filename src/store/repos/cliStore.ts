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
      if (!known.includes(key)) throw new Error(`未知选项 --${key}`);
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

/**
 * The user a CLI command acts as: the bearer token in SSJ_TOKEN (or the file named by
 * --token-file), checked exactly as the API checks it. Commands that change a draw act as that
 * user under the API's rules; there is no operator identity above them.
 */
export async function cliUser(store: Store, tokenFile?: string): Promise<{ userId: number; role: "admin" | "officer" | "auditor"; departmentId: number | null; name: string }> {
  const { readFileSync } = await import("node:fs");
  const { createHash } = await import("node:crypto");
  const token = (tokenFile ? readFileSync(tokenFile, "utf8") : (process.env.SSJ_TOKEN ?? "")).trim();
  if (!token) throw new Error("此命令须以用户身份执行：请设置环境变量 SSJ_TOKEN（或 --token-file 指向令牌文件）为该用户的令牌（ssj user create 时显示一次）");
  if (!/^ssj_[A-Za-z0-9_-]{43}$/.test(token)) throw new Error("令牌格式不正确");
  const u = await store.prisma.user.findUnique({ where: { tokenHash: createHash("sha256").update(token, "utf8").digest("hex") } });
  if (!u || u.revokedAt) throw new Error("令牌无效或已被吊销");
  return { userId: u.id, role: u.role as "admin" | "officer" | "auditor", departmentId: u.departmentId ?? null, name: u.name };
}
