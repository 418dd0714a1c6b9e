/**
 * Freeze a panel draw's inputs (docs/draw-spec.md §15.1) from plain data: lists sorted as the
 * spec wants them, every rule of §15.2 applied, nothing from a database. The store gathers the
 * rows (src/store/repos/panels.ts) and calls this inside its transaction.
 *
 *   freezePanel(request) → PanelInputs        (throws DrawInputError with path and 中文 rule)
 */
import { codePointCompare } from "../draws/canonicalJson.ts";
import { validatePanelPrivate, validatePanelPublic } from "./validate.ts";
import type { PanelExpert, PanelInputs, PanelOfficer, PanelPublicInputs, PanelPrivateInputs, Seat } from "./types.ts";

export interface PanelRequest {
  panel: PanelPublicInputs["panel"];
  bureau: PanelPublicInputs["bureau"];
  departments: PanelPublicInputs["departments"];
  seats: Seat[];
  attempt: PanelPublicInputs["attempt"];
  frozenAt: string;
  audit: PanelPublicInputs["audit"];
  reserves: number;
  seedPlan: PanelPublicInputs["seedPlan"];
  salt: string;
  application: PanelPrivateInputs["application"];
  experts: PanelExpert[];
  officers: PanelOfficer[];
  recusals: PanelPrivateInputs["recusals"];
}

const uniqSorted = (xs: readonly string[]) => [...new Set(xs)].sort(codePointCompare);
const byId = <T extends { id: string }>(xs: readonly T[]) => [...xs].sort((a, b) => codePointCompare(a.id, b.id));

export function freezePanel(r: PanelRequest): PanelInputs {
  const seats = byId(r.seats).map((s): Seat => (s.kind === "officer" ? { ...s, qualifications: uniqSorted(s.qualifications) } : { ...s }));
  const experts = byId(r.experts).map((x) => ({ ...x, specialities: uniqSorted(x.specialities), districts: uniqSorted(x.districts), unavailable: uniqSorted(x.unavailable) }));
  const officers = byId(r.officers).map((o) => ({ ...o, qualifications: uniqSorted(o.qualifications), districts: uniqSorted(o.districts), unavailable: uniqSorted(o.unavailable) }));
  const recusals = [...new Map(r.recusals.map((x) => [x.person, x])).values()].sort((a, b) => codePointCompare(a.person, b.person));
  const seedPlan = r.seedPlan.mode === "commitReveal" ? { mode: "commitReveal" as const, departments: uniqSorted(r.seedPlan.departments) } : r.seedPlan;
  const pub: PanelPublicInputs = {
    spec: "ssj-draw/2",
    kind: "panel",
    panel: r.panel,
    bureau: r.bureau,
    departments: byId(r.departments),
    attempt: r.attempt,
    frozenAt: r.frozenAt,
    audit: r.audit,
    seats,
    directory: { experts: experts.length, officers: officers.length },
    config: { reserves: r.reserves },
    seedPlan,
  };
  const priv: PanelPrivateInputs = { salt: r.salt, application: r.application, experts, officers, recusals };
  validatePanelPublic(pub);
  validatePanelPrivate(pub, priv);
  return { public: pub, private: priv };
}
