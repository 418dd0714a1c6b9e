/**
 * Plain data shapes of the draw engine. The persistence layer maps DB rows to these; nothing here
 * carries a database id into anything that is hashed or ordered.
 */

/** Credit-risk class (国市监信发〔2022〕6号): A low, B general, C elevated, D high. The stratum of the draw. */
export type RiskClass = "A" | "B" | "C" | "D";
export const RISK_CLASSES: readonly RiskClass[] = ["A", "B", "C", "D"];

/**
 * One market entity of the 检查对象名录库, as the draw needs it.
 *   { code: "91350100M000100Y43", name: "某某有限公司", district: "350102", industry: "C13",
 *     kind: "enterprise", size: "small", status: "active", riskClass: "B" }
 * `code` is the 统一社会信用代码 (or, for old registrations, the 15-digit 注册号): the ONLY identity
 * used by tickets. `district` is the 6-digit 区划码; `industry` a GB/T 4754 code (prefix-matched).
 */
export interface Entity {
  code: string;
  name?: string;
  district: string;
  industry: string;
  kind: string;
  size?: string;
  /** "active" can be drawn; any other status (deregistered 注销, revoked 吊销, cancelled 撤销, movedOut 迁出 …) is excluded. */
  status: string;
  riskClass: RiskClass;
}

/**
 * 定向 conditions: AND across fields, OR within one field. `districts` and `industries` match by
 * prefix ("3501" matches "350102"); `kinds` and `sizes` match exactly. An absent field does not
 * constrain. No conditions at all = 不定向 (all active entities).
 */
export interface Conditions {
  districts?: string[];
  industries?: string[];
  kinds?: string[];
  sizes?: string[];
}

/** How many to draw in a stratum: a rational ratio "p/q" (integers, 0 ≤ p ≤ q) or a count. */
export type Quota = { ratio: string } | { count: number };

export interface InspectionItem {
  id: string;
  name: string;
  /** 重点 items: any ratio; 一般 items: ratio capped by configuration. */
  kind: "key" | "general";
}

/** One department's part of a batch. */
export interface DepartmentInput {
  id: string;
  name: string;
  role: "lead" | "participating";
  items: InspectionItem[];
  /** Absent: 不定向. */
  conditions?: Conditions;
  quotas: Record<RiskClass, Quota>;
  /** Qualification an officer of this department needs for this batch (e.g. "执法证"); absent = any. */
  qualification?: string;
}

/** A past check, for yearly frequency caps. `kind` e.g. "random", "complaint", "referral". */
export interface CheckRecord {
  code: string;
  department: string;
  level: string;
  year: number;
  kind: string;
}

/**
 * 同一企业年度检查频次上限: a department may check one entity at most `maxPerYear` times a year at
 * `level` (its own level; and at most `maxPerYearAllLevels` across levels, when set). Checks whose
 * kind is listed in `exemptKinds` (e.g. complaints, referrals) do not count. Every cap of a
 * department applies to it in any batch, whatever the batch's level.
 */
export interface FrequencyCap {
  department: string;
  level: string;
  maxPerYear: number;
  maxPerYearAllLevels?: number;
  exemptKinds: string[];
}

/** Any other configured exclusion: entities matching `conditions` or listed in `codes`. */
export interface ExclusionRule {
  id: string;
  reason: string;
  conditions?: Conditions;
  codes?: string[];
  /** Departments it applies to; absent = all. */
  departments?: string[];
}

/** Team composition (行政处罚法 art. 42: at least two officers; experts never count). */
export interface TeamRule {
  /** Officers each participating department sends (default 1). */
  minPerDepartment: number;
  /** Officers per check in total (default 2); a single-department check gets all from that department. */
  minTotal: number;
  /** Experts per check (default 0), drawn separately. */
  experts: number;
  /** How many further officers of the random order the result lists for 递补 (default 3). */
  reserves: number;
}

export const DEFAULT_TEAM_RULE: TeamRule = { minPerDepartment: 1, minTotal: 2, experts: 0, reserves: 3 };

export interface Inspector {
  id: string;
  department: string;
  qualifications: string[];
  /** 区划码 prefixes the officer covers ("35" a whole province, "350102" one district). */
  districts: string[];
  active: boolean;
}

export interface Expert {
  id: string;
  specialities: string[];
  districts: string[];
  active: boolean;
}

/** 回避: inspector (officer or expert) `inspectorId` must not inspect entity `code`. */
export interface Recusal {
  inspectorId: string;
  code: string;
  reason: string;
}

/** How the seed will be obtained; fixed (and committed) before any seed exists. */
export type SeedPlan =
  | { mode: "commitReveal"; departments: string[] }
  | { mode: "external"; source: string; reference: string };

export interface DrawConfig {
  /** Upper ratio for departments whose items are all 一般 (per class), "p/q". */
  generalRatioCap: Record<RiskClass, string>;
  /** Next candidates listed after the selected ones, per department and stratum (for 递补). */
  substitutes: number;
  frequencyCaps: FrequencyCap[];
  rules: ExclusionRule[];
  team: TeamRule;
}

export interface BatchInfo {
  id: string;
  name: string;
  year: number;
  /** Administrative level of the checking departments, e.g. "city", "district" (for frequency caps). */
  level: string;
}

/** Everything freezeInputs needs. */
export interface DrawRequest {
  batch: BatchInfo;
  entities: Entity[];
  departments: DepartmentInput[];
  config: DrawConfig;
  history: CheckRecord[];
  inspectors?: { officers: Inspector[]; experts: Expert[]; recusals: Recusal[] };
  seedPlan: SeedPlan;
}

export interface Exclusion {
  code: string;
  rule: string;
  reason: string;
}

/** A department as frozen in the manifest. */
export interface FrozenDepartment {
  id: string;
  name: string;
  role: "lead" | "participating";
  items: InspectionItem[];
  /** "all" = every pool entity; otherwise the 定向 conditions and the resulting sorted codes. */
  scope: { kind: "all" } | { kind: "directed"; conditions: Conditions; codes: string[] };
  quotas: Record<RiskClass, Quota>;
  qualification: string | null;
  /** Entities of its scope it must not draw, sorted by code, with reasons. */
  excluded: Exclusion[];
}

/**
 * The frozen inputs: the committed, canonical description of the batch. The pool is columnar
 * (codes sorted strictly ascending; strata[i] and districts[i] belong to codes[i]).
 */
export interface FrozenInputs {
  spec: string;
  batch: BatchInfo;
  pool: { codes: string[]; strata: string; districts: string[] };
  /** Entities removed before the pool (status, rules for all departments), sorted by code. */
  excluded: Exclusion[];
  departments: FrozenDepartment[];
  config: { generalRatioCap: Record<RiskClass, string>; substitutes: number; team: TeamRule };
  inspectors: { officers: Inspector[]; experts: Expert[]; recusals: Recusal[] } | null;
  seedPlan: SeedPlan;
}

export const SPEC_VERSION = "ssj-draw/1";
