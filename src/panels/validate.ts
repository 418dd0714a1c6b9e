/**
 * Strict validation of panel-draw documents (docs/draw-spec.md §15.2): exact shapes, orders,
 * id namespaces, seats, seed plan, attempts. Used by the service's commit and by both verifiers.
 *
 *   validatePanelPublic(p)          throws DrawInputError(path, rule, 中文说明)
 *   validatePanelPrivate(p, priv)   (needs the public part)
 */
import { auditShape, previousAttempt, seedPlan } from "../draws/v2/validate.ts";
import { bool, code, date, district, fail, hex64, instant, int, list, literal, obj, prefix, str, strMax, union, type Check } from "../draws/v2/shape.ts";
import { PANEL_PURPOSES, type PanelPrivateInputs, type PanelPublicInputs } from "./types.ts";

const sortedStrings = list(str, { sorted: true });
const byId = (x: { id: string }) => x.id;

const seat = union("kind", {
  expert: obj({ id: strMax(64), kind: literal("expert"), speciality: strMax(200), count: int(1, 20) }),
  officer: obj({ id: strMax(64), kind: literal("officer"), department: strMax(64), qualifications: sortedStrings, count: int(1, 20) }),
});

const publicShape: Check = obj({
  spec: literal("ssj-draw/2"),
  kind: literal("panel"),
  panel: obj({ id: strMax(64), name: str, purpose: literal(...PANEL_PURPOSES), day: date }),
  bureau: obj({ id: strMax(64), name: str }),
  departments: list(obj({ id: strMax(64), name: str }), { sortedBy: byId }),
  attempt: obj({ number: int(1, 1000), previous: list(previousAttempt) }),
  frozenAt: instant,
  audit: auditShape,
  seats: list(seat, { sortedBy: byId, nonEmpty: true, max: 50 }),
  directory: obj({ experts: int(0), officers: int(0) }),
  config: obj({ reserves: int(0, 20) }),
  seedPlan,
});

const person = {
  id: strMax(64),
  specialities: sortedStrings,
  districts: list(prefix, { sorted: true }),
  active: bool,
  unavailable: list(date, { sorted: true }),
};
const privateShape: Check = obj({
  salt: hex64,
  application: obj({ no: strMax(200), code, district }),
  experts: list(obj({ ...person, library: (v, p) => v === null || strMax(64)(v, p) }), { sortedBy: byId }),
  officers: list(obj({ id: person.id, department: strMax(64), qualifications: sortedStrings, districts: person.districts, active: bool, unavailable: person.unavailable }), { sortedBy: byId }),
  recusals: list(obj({ person: strMax(64), reason: str }), { sortedBy: (x: { person: string }) => x.person }),
});

/** §15.2 rules that need only the public part. */
export function validatePanelPublic(p: PanelPublicInputs, path = "inputs.public"): void {
  publicShape(p, path);
  const deps = new Set(p.departments.map((d) => d.id));
  if (deps.has(p.bureau.id)) fail(`${path}.departments`, "bureau", `审批部门 ${p.bureau.id} 不能同时列为参与的监管部门`);
  p.seats.forEach((s, i) => {
    if (s.kind === "officer" && !deps.has(s.department)) fail(`${path}.seats[${i}].department`, "department", `席位的部门 ${s.department} 不在参与部门之列`);
  });
  if (p.seedPlan.mode === "commitReveal") {
    if (p.seedPlan.departments.every((d) => d === p.bureau.id))
      fail(`${path}.seedPlan.departments`, "seedPlan", "承诺—公开须至少有一个监管部门参加：只由审批部门一方提交秘密值，种子就由它一方决定；没有参与的监管部门时请用外部公开随机数");
    const allowed = new Set([p.bureau.id, ...deps]);
    p.seedPlan.departments.forEach((d, i) => {
      if (!allowed.has(d)) fail(`${path}.seedPlan.departments[${i}]`, "seedPlan", `${d} 既不是审批部门也不是参与的监管部门`);
    });
  }
  const prev = p.attempt.previous;
  if (prev.length !== p.attempt.number - 1) fail(`${path}.attempt.previous`, "attempts", `第 ${p.attempt.number} 次抽取应列出此前 ${p.attempt.number - 1} 次作废的抽取，实列 ${prev.length} 次`);
  prev.forEach((a, i) => {
    if (a.attempt !== i + 1) fail(`${path}.attempt.previous[${i}].attempt`, "attempts", `应为第 ${i + 1} 次`);
    if (!(p.frozenAt > a.voidedAt)) fail(`${path}.frozenAt`, "attempts", `冻结时间 ${p.frozenAt} 不晚于第 ${a.attempt} 次抽取的作废时间 ${a.voidedAt}`);
    if (p.seedPlan.mode === "external" && a.reference === p.seedPlan.reference)
      fail(`${path}.seedPlan.reference`, "seedReused", `外部随机数“${a.reference}”已被第 ${a.attempt} 次（已作废）抽取使用，重新抽取必须使用作废后才公布的新一期数值`);
  });
}

/** §15.2 rules of the private part (full verification, and the service's commit). */
export function validatePanelPrivate(p: PanelPublicInputs, priv: PanelPrivateInputs, path = "inputs.private"): void {
  privateShape(priv, path);
  const deps = new Set(p.departments.map((d) => d.id));
  const ids = new Set<string>();
  priv.experts.forEach((x, i) => {
    if (x.library !== null && !deps.has(x.library)) fail(`${path}.experts[${i}].library`, "department", `专家库所属部门 ${x.library} 不在参与部门之列`);
    ids.add(x.id);
  });
  priv.officers.forEach((o, i) => {
    if (ids.has(o.id)) fail(`${path}.officers[${i}].id`, "namespace", `${o.id} 既是专家又是执法人员：一人只能有一个编号`);
    if (!deps.has(o.department)) fail(`${path}.officers[${i}].department`, "department", `${o.department} 不在参与部门之列`);
    ids.add(o.id);
  });
  priv.recusals.forEach((r, i) => {
    if (!ids.has(r.person)) fail(`${path}.recusals[${i}].person`, "unknownPerson", `${r.person} 不在专家和人员名录中`);
  });
  if (p.directory.experts !== priv.experts.length) fail("inputs.public.directory.experts", "directory", `公开的专家人数为 ${p.directory.experts}，名录中有 ${priv.experts.length} 人`);
  if (p.directory.officers !== priv.officers.length) fail("inputs.public.directory.officers", "directory", `公开的人员数为 ${p.directory.officers}，名录中有 ${priv.officers.length} 人`);
}

export { instant };
