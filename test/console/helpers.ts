/** Console test harness: the API fixture plus a console account (login + password) per role. */
import type { LightMyRequestResponse } from "fastify";
import { fixture, type Fixture } from "../api/helpers.ts";
import { createAccount } from "../../src/store/repos/accounts.ts";

export const PASSWORDS = { admin: "Admin-pass-2026", officerA: "OfficerA-pass-2026", officerB: "OfficerB-pass-2026", auditor: "Auditor-pass-2026" } as const;
export type Who = keyof typeof PASSWORDS;
export const LOGINS: Record<Who, string> = { admin: "t-admin", officerA: "t-officer-a", officerB: "t-officer-b", auditor: "t-auditor" };

export interface ConsoleFixture extends Fixture {
  /** Logs in over the API; returns the Cookie header value and the CSRF token. */
  session(who: Who): Promise<{ cookie: string; csrf: string }>;
}

/** On a fresh SQLite database, or on `options.store` (e.g. a PostgreSQL schema). */
export async function consoleFixture(options: Parameters<typeof fixture>[0] = {}): Promise<ConsoleFixture> {
  const fx = await fixture(options);
  const roles: Record<Who, { role: "admin" | "officer" | "auditor"; department?: number }> = {
    admin: { role: "admin" },
    officerA: { role: "officer", department: fx.dept.a },
    officerB: { role: "officer", department: fx.dept.b },
    auditor: { role: "auditor" },
  };
  for (const who of Object.keys(roles) as Who[])
    await createAccount(fx.store, { name: `控制台${who}`, role: roles[who].role, department: roles[who].department ?? null, login: LOGINS[who], password: PASSWORDS[who] }, "test", { mustChange: false });
  const cfx = fx as ConsoleFixture;
  cfx.session = async (who) => {
    const res = await fx.app.inject({ method: "POST", url: "/session", payload: { login: LOGINS[who], password: PASSWORDS[who] } });
    if (res.statusCode !== 200) throw new Error(`login failed: ${res.body}`);
    return { cookie: cookieOf(res), csrf: res.json().csrfToken as string };
  };
  return cfx;
}

/** The `name=value` pairs a response sets, as a Cookie header. */
export function cookieOf(res: LightMyRequestResponse, name = "ssj_session"): string {
  const set = res.headers["set-cookie"];
  const list = Array.isArray(set) ? set : set ? [set] : [];
  const c = list.map((s) => String(s).split(";")[0]!).find((s) => s.startsWith(`${name}=`));
  if (!c) throw new Error(`no ${name} cookie in ${JSON.stringify(list)}`);
  return c;
}
