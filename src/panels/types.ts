/**
 * Plain data shapes of a panel draw (专家和人员抽取, docs/draw-spec.md §15): the experts and the
 * supervising-department staff an approval bureau draws for a 现场踏勘, 技术审查, 听证论证 or 验收.
 * Same engine as a batch's draw (ssj-draw/2): committed inputs, §5 seed, §9 record chain.
 *
 *   PanelInputs   = { public: PanelPublicInputs, private: PanelPrivateInputs }      §15.1
 *   PanelManifest = { manifest: "ssj-panel-manifest/2", kind, spec, inputs, commitment, seed, records, head }   §15.5
 */
import type { AuditHead, PreviousAttempt, Provenance2, SeedPlan2 } from "../draws/v2/types.ts";

export const PANEL_MANIFEST = "ssj-panel-manifest/2";
import { PANEL_PURPOSES, type PanelPurpose } from "../approvals/values.ts";
export { PANEL_PURPOSES };
export type PanelPurposeCode = PanelPurpose;

export type { AuditHead, PreviousAttempt, Provenance2, SeedPlan2 };

export type Seat =
  | { id: string; kind: "expert"; speciality: string; count: number }
  | { id: string; kind: "officer"; department: string; qualifications: string[]; count: number };

export interface PanelPublicInputs {
  spec: "ssj-draw/2";
  kind: "panel";
  panel: { id: string; name: string; purpose: PanelPurposeCode; day: string };
  bureau: { id: string; name: string };
  /** The supervising departments taking part (staff seats, expert libraries), sorted by id. */
  departments: { id: string; name: string }[];
  attempt: { number: number; previous: PreviousAttempt[] };
  frozenAt: string;
  audit: AuditHead;
  seats: Seat[];
  /** How many experts and officers the private directory holds. */
  directory: { experts: number; officers: number };
  config: { reserves: number };
  seedPlan: SeedPlan2;
}

export interface PanelExpert {
  id: string;
  /** The department whose 专家库 the expert is in (a `departments` id), or null (a shared library). */
  library: string | null;
  specialities: string[];
  districts: string[];
  active: boolean;
  unavailable: string[];
}

export interface PanelOfficer {
  id: string;
  department: string;
  qualifications: string[];
  districts: string[];
  active: boolean;
  unavailable: string[];
}

export interface PanelPrivateInputs {
  /** 32 random bytes: the private part cannot be confirmed by guessing it from its digest. */
  salt: string;
  application: { no: string; code: string; district: string };
  experts: PanelExpert[];
  officers: PanelOfficer[];
  /** 回避 declared for this application: the person (expert or officer id) and why. */
  recusals: { person: string; reason: string }[];
}

export interface PanelInputs {
  public: PanelPublicInputs;
  private: PanelPrivateInputs;
}

export interface SeatResult {
  seat: string;
  candidates: number;
  required: number;
  drawn: string[];
  reserve: string[];
  shortfall: number;
}

export interface PublicSeatResult {
  seat: string;
  candidates: number;
  required: number;
  drawn: number;
  reserve: number;
  shortfall: number;
}

export interface PanelResults {
  seats: SeatResult[];
}

export interface PublicPanelResults {
  seats: PublicSeatResult[];
}

export type PanelRecordBody =
  | { kind: "draw"; public: { audit: AuditHead; results: PublicPanelResults }; private: { results: PanelResults } }
  | { kind: "substitution"; public: { audit: AuditHead; seat: string }; private: { out: string; in: string | null; reason: string } };

export type PanelRecord = PanelRecordBody & { seq: number; prev: string; at: string };
export type PublicPanelRecord = Omit<PanelRecord, "private"> & { privateDigest: string };

export interface FullPanelManifest {
  manifest: typeof PANEL_MANIFEST;
  kind: "full";
  spec: "ssj-draw/2";
  inputs: PanelInputs;
  commitment: string;
  seed: null | { value: string; provenance: Provenance2 };
  records: PanelRecord[];
  head: string;
}

export interface PublicPanelManifest {
  manifest: typeof PANEL_MANIFEST;
  kind: "public";
  spec: "ssj-draw/2";
  inputs: { public: PanelPublicInputs; privateDigest: string };
  commitment: string;
  seed: null | { value: string; provenance: Provenance2 };
  records: PublicPanelRecord[];
  head: string;
}

export type PanelManifest = FullPanelManifest | PublicPanelManifest;
