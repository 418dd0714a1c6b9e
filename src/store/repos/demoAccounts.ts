/**
 * Demo console accounts (demo city only, synthetic, fixed passwords printed by `npm start`):
 *
 *   demo-admin 管理员 · demo-auditor 审计 · demo-scjg 科员（市场监督管理局 D01）·
 *   demo-cgzf 科员（城市管理和综合执法局 D10, the partner of the joint template JT01）
 *
 * `ensureDemoAccounts` creates the missing ones (only when the demo city's departments exist) and
 * returns them; an account whose login exists is left alone (its password may have been changed).
 */
import { createAccount } from "./accounts.ts";
import type { RepoStore } from "./db.ts";

export interface DemoAccount {
  login: string;
  password: string;
  role: "admin" | "officer" | "auditor";
  name: string;
  department?: string;
}

export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  { login: "demo-admin", password: "Xa-Admin-2026!", role: "admin", name: "演示管理员" },
  { login: "demo-scjg", password: "Xa-Scjg-2026!", role: "officer", name: "演示科员（市场监管）", department: "D01" },
  { login: "demo-cgzf", password: "Xa-Cgzf-2026!", role: "officer", name: "演示科员（城管执法）", department: "D10" },
  { login: "demo-auditor", password: "Xa-Audit-2026!", role: "auditor", name: "演示审计员" },
];

export async function ensureDemoAccounts(store: RepoStore): Promise<DemoAccount[]> {
  const depts = await store.prisma.department.findMany({ where: { code: { in: ["D01", "D10"] } } });
  if (depts.length < 2) return [];
  const out: DemoAccount[] = [];
  for (const a of DEMO_ACCOUNTS) {
    if (!(await store.prisma.user.findUnique({ where: { login: a.login } })))
      await createAccount(store, { name: a.name, role: a.role, department: a.department ?? null, login: a.login, password: a.password }, "ssj demo", { mustChange: false });
    out.push(a);
  }
  return out;
}
