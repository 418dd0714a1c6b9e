/**
 * Synthetic panel-draw inputs for the tests (people are invented): an approval bureau, two
 * supervising departments with expert libraries and staff, one application.
 */
import { createHash } from "node:crypto";
import { freezePanel, type PanelInputs, type PanelRequest } from "../../src/panels/index.ts";
import type { Provenance2 } from "../../src/draws/v2/index.ts";
import { commitmentOf, digestOf, seedFromProvenance2 } from "../../src/draws/v2/index.ts";

export const hex = (s: string) => createHash("sha256").update(s).digest("hex");

export function panelRequest(over: Partial<PanelRequest> = {}): PanelRequest {
  const experts = Array.from({ length: 12 }, (_, i) => ({
    id: `ZJ-${String(i + 1).padStart(3, "0")}`,
    library: i % 3 === 2 ? null : i % 2 === 0 ? "SCJG" : "ZJJ",
    specialities: i % 4 === 0 ? ["结构工程", "消防工程"] : i % 4 === 1 ? ["结构工程"] : i % 4 === 2 ? ["食品检验"] : ["消防工程"],
    districts: i === 5 ? ["610113"] : ["6101"],
    active: i !== 7,
    unavailable: i === 9 ? ["2026-12-10"] : [],
  }));
  const officers = Array.from({ length: 6 }, (_, i) => ({
    id: `ZF-${String(i + 1).padStart(3, "0")}`,
    department: i < 3 ? "ZJJ" : "SCJG",
    qualifications: i === 1 ? [] : ["行政执法证"],
    districts: ["6101"],
    active: true,
    unavailable: [],
  }));
  return {
    panel: { id: "PANEL-1", name: "某建设项目竣工验收（测试）", purpose: "acceptance", day: "2026-12-10" },
    bureau: { id: "XZSP", name: "测试市行政审批服务局" },
    departments: [
      { id: "SCJG", name: "测试市市场监督管理局" },
      { id: "ZJJ", name: "测试市住房和城乡建设局" },
    ],
    seats: [
      { id: "E1", kind: "expert", speciality: "结构工程", count: 2 },
      { id: "E2", kind: "expert", speciality: "消防工程", count: 1 },
      { id: "O1", kind: "officer", department: "ZJJ", qualifications: ["行政执法证"], count: 1 },
    ],
    attempt: { number: 1, previous: [] },
    frozenAt: "2026-12-01T02:00:00.000Z",
    audit: { seq: 7, hash: hex("audit") },
    reserves: 2,
    seedPlan: { mode: "external", source: "测试随机数信标", reference: "第 1001 轮" },
    salt: hex("salt"),
    application: { no: "SP-2026-0001", code: "91610100MA6TEST01X", district: "610113" },
    experts,
    officers,
    recusals: [{ person: "ZJ-001", reason: "曾为申请人提供咨询服务" }],
    ...over,
  };
}

export function externalProvenance(inputs: PanelInputs, value = "0123456789"): Provenance2 {
  const plan = inputs.public.seedPlan as { source: string; reference: string };
  return { mode: "external", source: plan.source, reference: plan.reference, value, publishedAt: "2026-12-01T03:00:00.000Z" };
}

export function seeded(over: Partial<PanelRequest> = {}) {
  const inputs = freezePanel(panelRequest(over));
  const commitment = commitmentOf(digestOf(inputs.public), digestOf(inputs.private));
  const provenance = externalProvenance(inputs);
  const seed = seedFromProvenance2(inputs.public, commitment, provenance);
  return { inputs, commitment, provenance, seed };
}
