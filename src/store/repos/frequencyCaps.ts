/**
 * 同一企业年度检查频次上限 (国办发〔2024〕54号) of each department, with its exemptions: read by every
 * role (the cap is published), set by administrators. The draw applies it as a recorded exclusion
 * (docs/draw-spec.md §3.2, rule `frequencyCap`); a directed check of a kind that is not exempt is
 * refused once the entity has reached the cap (createDirectedTask).
 */
import { frequencyCapExclusion } from "../../draws/index.ts";
import { STORED_DIRECTED_KINDS } from "../values.ts";
import { capHistory, checkKind, coreCap, departmentCaps, departmentTree, type CapRow, type DepartmentCaps, type Exemption } from "../translate/frequencyCaps.ts";
import { inTransaction } from "./audit.ts";
import { RepoError, type RepoStore } from "./db.ts";

/** Kinds a department may exempt: every directed kind (a drawn check, `random`, never). */
export const EXEMPTABLE_KINDS = STORED_DIRECTED_KINDS.filter((k) => k !== "unspecified");
export const EXEMPT_KIND_LABEL: Record<string, string> = {
  complaint: "投诉举报",
  referral: "转办交办",
  dataAlert: "数据监测",
  commitment: "告知承诺核查",
  riskAlert: "风险预警",
  followUp: "复核后续监管",
};
export const MAX_CAP = 100;

export interface FrequencyCapsView extends DepartmentCaps {
  departmentId: number;
  level: string;
  /** false: no cap configured (the fields show nothing). */
  configured: boolean;
  updatedAt: string | null;
}

type Tx = Parameters<Parameters<typeof inTransaction>[1]>[0];

async function departmentOf(tx: Tx | RepoStore["prisma"], id: number) {
  const d = await tx.department.findUnique({ where: { id } });
  if (!d) throw new RepoError(404, "NOT_FOUND", `部门 ${id} 不存在`);
  return d;
}

export async function getFrequencyCaps(store: RepoStore, departmentId: number): Promise<FrequencyCapsView> {
  const d = await departmentOf(store.prisma, departmentId);
  return viewOf(d, await store.prisma.frequencyCap.findMany({ where: { departmentId, planId: null }, orderBy: { id: "asc" } }));
}

function viewOf(d: { id: number; level: string }, rows: (CapRow & { createdAt: Date })[]): FrequencyCapsView {
  const c = departmentCaps(rows, d.id, d.level);
  const updatedAt = rows.length ? new Date(Math.max(...rows.map((r) => r.createdAt.getTime()))).toISOString() : null;
  return { departmentId: d.id, level: d.level, configured: c !== null, maxPerYear: c?.maxPerYear ?? 0, maxPerYearAllLevels: c?.maxPerYearAllLevels ?? null, exemptions: c?.exemptions ?? [], updatedAt };
}

export interface FrequencyCapsInput {
  maxPerYear: number;
  maxPerYearAllLevels?: number | null;
  exemptions: Exemption[];
}

const fail = (field: string, message: string): never => {
  throw new RepoError(422, "INVALID_FREQUENCY_CAP", message, field);
};

/** The rules a cap must obey, with the field named (the form checks the same). */
export function checkFrequencyCaps(input: FrequencyCapsInput): Exemption[] {
  const n = input.maxPerYear;
  if (!Number.isSafeInteger(n) || n < 1 || n > MAX_CAP) fail("maxPerYear", `maxPerYear：本层级年度检查频次上限须为 1–${MAX_CAP} 的整数，收到 ${JSON.stringify(n)}`);
  const all = input.maxPerYearAllLevels ?? null;
  if (all !== null) {
    if (!Number.isSafeInteger(all) || all < 1 || all > MAX_CAP) fail("maxPerYearAllLevels", `maxPerYearAllLevels：跨层级年度检查频次上限须为 1–${MAX_CAP} 的整数，收到 ${JSON.stringify(all)}`);
    if (all < n) fail("maxPerYearAllLevels", `maxPerYearAllLevels：跨层级上限（${all}）不能小于本层级上限（${n}）`);
  }
  const seen = new Set<string>();
  return input.exemptions.map((e, i) => {
    if (e.kind === "random") fail(`exemptions.${i}.kind`, `exemptions.${i}.kind：双随机抽查不能豁免，只有定向检查（投诉举报、转办交办等）可以不计入频次`);
    if (!(EXEMPTABLE_KINDS as readonly string[]).includes(e.kind))
      fail(`exemptions.${i}.kind`, `exemptions.${i}.kind：未知的定向检查类型“${e.kind}”（允许：${EXEMPTABLE_KINDS.map((k) => `${k} ${EXEMPT_KIND_LABEL[k]}`).join("、")}）`);
    if (seen.has(e.kind)) fail(`exemptions.${i}.kind`, `exemptions.${i}.kind：${EXEMPT_KIND_LABEL[e.kind]}（${e.kind}）重复列出`);
    seen.add(e.kind);
    const reason = typeof e.reason === "string" ? e.reason.trim() : "";
    if (reason.length < 2 || reason.length > 200) fail(`exemptions.${i}.reason`, `exemptions.${i}.reason：须写明${EXEMPT_KIND_LABEL[e.kind]}不计入频次的理由（2–200 个字符）`);
    return { kind: e.kind, reason };
  });
}

/** Replace a department's standing cap (null: remove it). */
export async function setFrequencyCaps(store: RepoStore, departmentId: number, input: FrequencyCapsInput | null, actor: string): Promise<FrequencyCapsView> {
  const exemptions = input ? checkFrequencyCaps(input) : [];
  await inTransaction(store, async (tx) => {
    const d = await departmentOf(tx, departmentId);
    await tx.frequencyCap.deleteMany({ where: { departmentId, planId: null } });
    if (input) {
      await tx.frequencyCap.create({ data: { departmentId, level: d.level, maxPerYear: input.maxPerYear, exemptions: exemptions as any } });
      const all = input.maxPerYearAllLevels ?? null;
      if (all !== null) await tx.frequencyCap.create({ data: { departmentId, level: "any", maxPerYear: all, exemptions: exemptions as any } });
    }
    const payload = input ? { maxPerYear: input.maxPerYear, maxPerYearAllLevels: input.maxPerYearAllLevels ?? null, exemptions } : null;
    return { value: null, audit: { actor, action: input ? "frequencyCap.set" : "frequencyCap.remove", subject: `department:${departmentId}`, payload } };
  });
  return getFrequencyCaps(store, departmentId);
}

/**
 * Refuses a directed check whose kind the department does not exempt when the entity already
 * reached the department's cap this year (its line's counted checks). Runs in the task's transaction.
 */
export async function assertUnderFrequencyCap(
  tx: Tx,
  input: { entityId: number; entityCode: string; department: { id: number; code: string; level: string }; directedKind: string; year: number },
): Promise<void> {
  const rows = await tx.frequencyCap.findMany({ where: { departmentId: input.department.id, planId: null } });
  const caps = departmentCaps(rows, input.department.id, input.department.level);
  if (!caps || caps.exemptions.some((e) => e.kind === input.directedKind)) return;
  const past = await tx.task.findMany({
    where: { entityId: input.entityId, status: { not: "cancelled" }, windowStart: { startsWith: String(input.year) } },
    select: { kind: true, directedKind: true, department: { select: { code: true, level: true } } },
  });
  const tree = departmentTree(await tx.department.findMany({ select: { id: true, code: true, parentId: true } }));
  const history = capHistory(
    past.map((t) => ({ code: input.entityCode, department: t.department.code, level: t.department.level, year: input.year, kind: checkKind(t) })),
    tree,
    [input.department.code],
  );
  const x = frequencyCapExclusion(input.entityCode, coreCap(input.department.code, input.department.level, caps), input.year, history);
  if (!x) return;
  const exempt = caps.exemptions.map((e) => EXEMPT_KIND_LABEL[e.kind] ?? e.kind).join("、") || "无";
  const label = EXEMPT_KIND_LABEL[input.directedKind] ?? input.directedKind;
  const limit = `本层级 ${caps.maxPerYear} 次${caps.maxPerYearAllLevels !== null ? `，跨层级 ${caps.maxPerYearAllLevels} 次` : ""}`;
  throw new RepoError(
    409,
    "FREQUENCY_CAP_REACHED",
    `${input.entityCode} 在 ${input.year} 年已达到本部门的年度检查频次上限（${limit}，豁免的检查不计入）；${label}不在本部门的豁免之列（豁免：${exempt}），不能再建立此定向检查`,
    "body.directedKind",
  );
}

/** Every department's cap (departments without one: configured false). */
export async function listFrequencyCaps(store: RepoStore): Promise<FrequencyCapsView[]> {
  const [depts, rows] = await Promise.all([store.prisma.department.findMany({ orderBy: { id: "asc" } }), store.prisma.frequencyCap.findMany({ where: { planId: null }, orderBy: { id: "asc" } })]);
  return depts.map((d) => viewOf(d, rows.filter((r) => r.departmentId === d.id)));
}

/**
 * A department's cap as published (国办发〔2024〕54号 asks every department to publish it):
 *
 *   { department: "某市市场监督管理局", level: "city", levelLabel: "市级", maxPerYear: 2,
 *     maxPerYearAllLevels: 4, exemptions: [{ kind: "complaint", label: "投诉举报", reason: "…" }], updatedAt }
 *
 * Only departments that set a cap; the exemption reasons are the department's published rule.
 */
export interface PublicFrequencyCap {
  department: string;
  level: string;
  levelLabel: string;
  maxPerYear: number;
  maxPerYearAllLevels: number | null;
  exemptions: { kind: string; label: string; reason: string }[];
  updatedAt: string | null;
}

const LEVEL_LABEL: Record<string, string> = { city: "市级", district: "区县级", zone: "开发区" };

export async function listPublicFrequencyCaps(store: RepoStore): Promise<PublicFrequencyCap[]> {
  const [views, depts] = await Promise.all([listFrequencyCaps(store), store.prisma.department.findMany({ select: { id: true, name: true } })]);
  const name = new Map(depts.map((d) => [d.id, d.name]));
  return views
    .filter((v) => v.configured)
    .map((v) => ({
      department: name.get(v.departmentId) ?? "",
      level: v.level,
      levelLabel: LEVEL_LABEL[v.level] ?? v.level,
      maxPerYear: v.maxPerYear,
      maxPerYearAllLevels: v.maxPerYearAllLevels,
      exemptions: v.exemptions.map((e) => ({ kind: e.kind, label: EXEMPT_KIND_LABEL[e.kind] ?? e.kind, reason: e.reason })),
      updatedAt: v.updatedAt,
    }));
}
