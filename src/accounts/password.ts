/**
 * Console passwords: argon2id (RFC 9106) in WebAssembly (hash-wasm), with the OWASP minimum
 * parameters (19 MiB, 2 passes, 1 lane), stored as a PHC string:
 *
 *   hashPassword("…")                 → "$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>"
 *   verifyPassword("…", phc)          → true | false (false for a malformed stored value)
 *   passwordProblem("…", "login")     → null | "密码至少 10 个字符" …  (the rule, in Chinese)
 *
 * One hash costs ~0.1 s of CPU on these machines; that is the point. `burnPasswordTime()` spends
 * the same time for an unknown account, so the answer's timing does not tell whether it exists.
 */
import { randomBytes } from "node:crypto";
import { argon2id, argon2Verify } from "hash-wasm";

export const ARGON2_PARAMS = { parallelism: 1, iterations: 2, memorySize: 19456, hashLength: 32 } as const;
export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 128;

export async function hashPassword(password: string): Promise<string> {
  return argon2id({ password, salt: randomBytes(16), ...ARGON2_PARAMS, outputType: "encoded" });
}

export async function verifyPassword(password: string, phc: string): Promise<boolean> {
  if (!phc.startsWith("$argon2id$")) return false;
  try {
    return await argon2Verify({ password, hash: phc });
  } catch {
    return false;
  }
}

let dummy: Promise<string> | null = null;
/** Spend the time of one verification (for logins naming no account). */
export async function burnPasswordTime(password: string): Promise<void> {
  dummy ??= hashPassword("not-a-real-password-0000");
  await verifyPassword(password, await dummy);
}

/** Why a new password is refused (null when acceptable). */
export function passwordProblem(password: string, login?: string | null): string | null {
  const n = [...password].length;
  if (n < PASSWORD_MIN) return `密码至少 ${PASSWORD_MIN} 个字符`;
  if (n > PASSWORD_MAX) return `密码最多 ${PASSWORD_MAX} 个字符`;
  if (/^\s|\s$/.test(password)) return "密码不能以空格开头或结尾";
  if (new Set(password).size < 4) return "密码过于简单：至少包含 4 个不同的字符";
  if (login && password.toLowerCase().includes(login.toLowerCase())) return "密码不能包含登录账号";
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((r) => r.test(password)).length;
  if (classes < 2) return "密码须至少包含字母、数字、符号中的两类";
  return null;
}

/** Login names: 3–40 characters of letters, digits, `.`, `_`, `-` (stable, typed on any keyboard). */
export const LOGIN_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{2,39}$/;
export function loginProblem(login: string): string | null {
  return LOGIN_PATTERN.test(login) ? null : "登录账号须为 3–40 位字母、数字或 . _ -，以字母或数字开头";
}
