/**
 * Plain data shapes of the draw engine, version 2 (docs/draw-spec.md). Every shape here is
 * exactly what is hashed and published: no database ids, no floating point.
 *
 *   FrozenInputs2 = { public: PublicInputs, private: PrivateInputs }        §3
 *   Manifest2     = { manifest, kind: "full" | "public", spec, inputs, commitment, seed, records, head }   §10
 *   Record        = { kind: "draw" | "substitution" | "schedule", seq, prev, at, public, private }        §9
 */
import type { Conditions, Exclusion, InspectionItem, Quota, RiskClass, TeamRule } from "../types.ts";
import type { CheckResult } from "../inspectors.ts";
import type { RankedEntity, TargetResult } from "../targets.ts";

export const SPEC_V2 = "ssj-draw/2";
export const MANIFEST_V2 = "ssj-draw-manifest/2";

export type { RiskClass, Quota, Conditions, Exclusion, TeamRule, CheckResult, TargetResult, RankedEntity };

export interface AuditHead {
  seq: number;
  hash: string;
}

export interface PreviousAttempt {
  attempt: number;
  commitment: string;
  seed: string | null;
  secretCommitments: string[];
  reference: string | null;
  head: string | null;
  voidedAt: string;
  reason: string;
}

export interface Department2 {
  id: string;
  name: string;
  role: "lead" | "participating";
  items: InspectionItem[];
  scope: { kind: "all" } | { kind: "directed"; conditions: Conditions; codes: string[] };
  quotas: Record<RiskClass, Quota>;
  /** Qualifications (执法资质) an officer needs for this department's items in the batch. */
  requires: string[];
  excluded: Exclusion[];
}

export type SeedPlan2 = { mode: "commitReveal"; departments: string[] } | { mode: "external"; source: string; reference: string };

export interface PublicInputs {
  spec: typeof SPEC_V2;
  batch: {
    id: string;
    name: string;
    year: number;
    level: string;
    plan: { id: string; name: string };
    window: { from: string; to: string };
    /** Working days of the window (holiday calendar). */
    horizon: string[];
  };
  attempt: { number: number; previous: PreviousAttempt[] };
  frozenAt: string;
  audit: AuditHead;
  pool: { codes: string[]; districts: string[]; classCounts: Record<RiskClass, number>; classRoot: string };
  excluded: Exclusion[];
  departments: Department2[];
  config: { generalRatioCap: Record<RiskClass, string>; substitutes: number; team: TeamRule };
  inspectors: null | { officers: Record<string, number>; experts: number };
  seedPlan: SeedPlan2;
}

export interface Officer2 {
  id: string;
  department: string;
  qualifications: string[];
  districts: string[];
  active: boolean;
  /** Most checks of this batch; null = no limit. */
  capacity: number | null;
  /** Most visits on one day. */
  dailyCapacity: number;
  unavailable: string[];
}

export interface Expert2 {
  id: string;
  specialities: string[];
  districts: string[];
  active: boolean;
  capacity: number | null;
}

export interface Recusal2 {
  inspectorId: string;
  code: string;
  reason: string;
}

export interface Directory2 {
  officers: Officer2[];
  experts: Expert2[];
  recusals: Recusal2[];
}

export interface PrivateInputs {
  classKey: string;
  strata: string;
  inspectors: Directory2 | null;
}

export interface FrozenInputs2 {
  public: PublicInputs;
  private: PrivateInputs;
}

export type Provenance2 =
  | { mode: "commitReveal"; reveals: { department: string; commitment: string; committedAt: string; secret: string; revealedAt: string }[] }
  | { mode: "external"; source: string; reference: string; value: string; publishedAt: string };

/** One class of a department's target result (§6.6): codes in ticket order (rank = position + 1). */
export interface StratumResult2 {
  stratum: RiskClass;
  candidates: number;
  quota: number;
  shortfall: number;
  selected: string[];
  next: string[];
}

export interface TargetResult2 {
  department: string;
  strata: StratumResult2[];
}

export interface Results2 {
  targets: TargetResult2[];
  checks: CheckResult[] | null;
}

export interface ClassCount {
  stratum: RiskClass;
  candidates: number;
  quota: number;
  shortfall: number;
  selected: number;
  next: number;
}

export interface PublicTarget {
  department: string;
  classes: ClassCount[];
  /** Codes selected, all classes merged in ticket order (rank = position + 1). */
  selected: string[];
  /** The next candidates of all classes, merged likewise (ranks continue after `selected`). */
  next: string[];
}

export interface PublicResults {
  targets: PublicTarget[];
}

export interface TargetChange {
  department: string;
  out: string;
  in: string | null;
  reason: string;
}

export interface ScheduleVisit {
  code: string;
  day: string;
  officers: string[];
  experts: string[];
}

export type RecordBody =
  | { kind: "draw"; public: { audit: AuditHead; results: PublicResults }; private: { results: Results2 } }
  | { kind: "substitution"; public: { audit: AuditHead; target: TargetChange }; private: { stratum: RiskClass; checks: CheckResult[] } }
  | { kind: "substitution"; public: { audit: AuditHead; inspector: { code: string; department: string } }; private: { out: string; in: string | null; reason: string } }
  | {
      kind: "schedule";
      public: { audit: AuditHead; reason: string | null; visits: number; unscheduled: number };
      private: { visits: ScheduleVisit[]; unscheduled: { code: string; reason: string }[] };
    };

export type DrawRecord2 = RecordBody & { seq: number; prev: string; at: string };

/** A record as the public manifest carries it: the private part replaced by its digest. */
export type PublicRecord2 = Omit<DrawRecord2, "private"> & { privateDigest: string };

export interface FullManifest2 {
  manifest: typeof MANIFEST_V2;
  kind: "full";
  spec: typeof SPEC_V2;
  inputs: FrozenInputs2;
  commitment: string;
  seed: null | { value: string; provenance: Provenance2 };
  records: DrawRecord2[];
  head: string;
}

export interface PublicManifest2 {
  manifest: typeof MANIFEST_V2;
  kind: "public";
  spec: typeof SPEC_V2;
  inputs: { public: PublicInputs; privateDigest: string };
  commitment: string;
  seed: null | { value: string; provenance: Provenance2 };
  records: PublicRecord2[];
  head: string;
}

export type Manifest2 = FullManifest2 | PublicManifest2;
