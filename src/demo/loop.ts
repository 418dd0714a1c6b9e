/**
 * The demo city's approval–supervision loop (审管联动, docs/approvals.md): an approval bureau
 * (西安市行政审批服务局, city) and a district one (雁塔区行政审批服务局), their 职责边界清单, a law-change
 * notice and the list revision it caused, a year (2026) of synthetic decisions (~30 % 告知承诺),
 * their pushes acknowledged mostly on time (some late, a few never), verifications (most done,
 * some 不属实 leading to 函告 → 复核 → 签收 → follow-up task), 互联网+监管 risk alerts, and the open
 * directed tasks placed on December visits. Everything goes through the store's repositories with
 * the day it happened, so deadlines, the overdue list and the audit chain are the real ones.
 * Deterministic for a seed; all names, codes and texts are synthetic.
 *
 *   loadDemoLoop(store, { seed })   after loadDemoCity; refuses when the loop is already loaded
 */
import type { Store } from "../store/index.ts";
import { addWorkingDays, builtInCalendar, isWorkingDay, workingDaysInRange } from "../calendar/index.ts";
import { publishDutyList, recordDecisions, acknowledgePush, sendNotice, type DecisionInput, type LoopActor } from "../store/repos/approvals.ts";
import { acknowledgeDispute, answerAlert, receiveAlerts, recordVerification, reviewDispute, scheduleLoopTasks, sendDispute, type AlertInput } from "../store/repos/loopSteps.ts";
import { Sfc32, seedWords } from "./random.ts";
import { DEFAULT_DEMO_SEED } from "./city.ts";

export const DEMO_YEAR = 2026;

/** Approval items of the city bureau: code, name, basis, [department code, item code, supervision item, forward up?]. */
const CITY_ITEMS: [string, string, string, [string, string, string][]][] = [
  ["XK-001", "食品经营许可", "《中华人民共和国食品安全法》第三十五条", [["D01", "D01-04", "食品经营者监督检查"]]],
  ["XK-002", "食品生产许可", "《中华人民共和国食品安全法》第三十五条", [["D01", "D01-05", "食品生产者监督检查"]]],
  ["XK-003", "药品零售企业许可", "《中华人民共和国药品管理法》第五十二条", [["D01", "D01-12", "药品零售企业监督检查"]]],
  ["XK-004", "建筑工程施工许可", "《中华人民共和国建筑法》第七条", [["D03", "D03-01", "建设工程质量监督"], ["D03", "D03-03", "施工安全监督"]]],
  ["XK-005", "燃气经营许可", "《城镇燃气管理条例》第十五条", [["D03", "D03-08", "燃气经营企业监督检查"], ["D06", "D06-01", "安全生产监督检查"]]],
  ["XK-006", "公共场所卫生许可", "《公共场所卫生管理条例》第八条", [["D04", "D04-01", "公共场所卫生监督检查"]]],
  ["XK-007", "医疗机构执业许可", "《医疗机构管理条例》第十五条", [["D04", "D04-02", "医疗机构依法执业监督"]]],
  ["XK-008", "道路旅客运输经营许可", "《中华人民共和国道路运输条例》第八条", [["D05", "D05-01", "道路旅客运输经营监督"]]],
  ["XK-009", "机动车维修经营备案", "《中华人民共和国道路运输条例》第三十七条", [["D05", "D05-03", "机动车维修经营监督"]]],
  ["XK-010", "危险化学品经营许可", "《危险化学品安全管理条例》第三十三条", [["D06", "D06-02", "危险化学品经营企业监督检查"]]],
  ["XK-011", "烟花爆竹经营（零售）许可", "《烟花爆竹安全管理条例》第十九条", [["D06", "D06-03", "烟花爆竹经营单位监督检查"]]],
  ["XK-012", "旅行社业务经营许可", "《中华人民共和国旅游法》第二十八条", [["D07", "D07-01", "旅行社经营行为监督"]]],
  ["XK-013", "娱乐场所经营许可", "《娱乐场所管理条例》第九条", [["D07", "D07-03", "娱乐场所经营活动监督"]]],
];
/** The district bureau (雁塔区): items delegated to the district (下放), its own district departments. */
const DISTRICT = "610113";
const DISTRICT_ITEMS: [string, string, string, [string, string, string, boolean][]][] = [
  ["YT-XK-001", "食品经营许可（仅销售预包装食品备案）", "《中华人民共和国食品安全法》第三十五条", [["D01", "D01-04", "食品经营者监督检查", false]]],
  ["YT-XK-002", "特种设备使用登记", "《中华人民共和国特种设备安全法》第三十三条", [["D01", "D01-07", "特种设备使用单位监督检查", true]]],
  ["YT-XK-003", "烟花爆竹经营（零售）许可", "《烟花爆竹安全管理条例》第十九条", [["D06", "D06-03", "烟花爆竹经营单位监督检查", false]]],
];
/** Kinds of decision and their weights: 一般审批, 告知承诺 (~30 %), 备案, 下放, 委托. */
const KINDS: [DecisionInput["kind"], number][] = [["general", 50], ["commitment", 30], ["filing", 12], ["delegated", 5], ["entrusted", 3]];
const OUTCOMES: [DecisionInput["decision"], number][] = [["grant", 78], ["change", 10], ["renew", 6], ["deny", 4], ["cancel", 2]];
const ALERT_KINDS = ["投诉举报集中", "抽检不合格", "信用等级下降", "经营异常名录", "舆情监测", "网络交易违规"];

export interface DemoLoopResult {
  bureaus: number;
  listEntries: number;
  decisions: number;
  commitments: number;
  pushes: number;
  acknowledged: number;
  verifications: number;
  verified: number;
  disputes: number;
  alerts: number;
  alertsAnswered: number;
  scheduled: { joined: number; created: number };
  ms: number;
}

export class DemoLoopRefused extends Error {}

const weighted = <T>(rng: Sfc32, table: [T, number][]): T => {
  let x = rng.next() * table.reduce((n, [, w]) => n + w, 0);
  for (const [v, w] of table) if ((x -= w) < 0) return v;
  return table[table.length - 1]![0];
};

/** Decisions for a demo of `entities` entities: a tenth of them, at least 200, at most 3,000. */
export const demoDecisionCount = (entities: number) => Math.max(200, Math.min(3_000, Math.floor(entities / 10)));

export async function loadDemoLoop(store: Store, options: { seed?: string } = {}): Promise<DemoLoopResult> {
  const started = performance.now();
  const seed = options.seed ?? DEFAULT_DEMO_SEED;
  const rng = Sfc32.of(seedWords(seed, "approval-loop"));
  const p = store.prisma;
  if (await p.department.findFirst({ where: { kind: "approval" } })) throw new DemoLoopRefused("审管联动演示数据已载入（已有行政审批部门）：未重复写入");
  const dept = async (code: string) => (await p.department.findUnique({ where: { code } })) ?? (() => { throw new Error(`demo loop: the demo city has no department ${code} (load the demo city first)`); })();
  const city = await dept("D01");
  const cityBureau = await p.department.create({ data: { code: "SP01", name: "西安市行政审批服务局", level: "city", kind: "approval", districtCode: city.districtCode } });
  const districtBureau = await p.department.create({ data: { code: `SP01-${DISTRICT}`, name: "西安市雁塔区行政审批服务局", level: "district", kind: "approval", districtCode: DISTRICT, parentId: cityBureau.id } });
  const admin: LoopActor = { userId: 0, role: "admin", departmentId: null, actor: "ssj demo" };
  const officer = (departmentId: number): LoopActor => ({ userId: 0, role: "officer", departmentId, actor: "ssj demo" });
  const item = async (deptId: number, code: string) => (await p.inspectionItem.findUnique({ where: { departmentId_code: { departmentId: deptId, code } } }))?.id ?? null;

  // 职责边界清单: first versions, then a law-change notice from 住建 and the city list's revision.
  const cityEntries = async (items: typeof CITY_ITEMS) => {
    const out = [];
    for (const [code, name, basis, lines] of items)
      for (const [d, it, sup] of lines) {
        const dd = await dept(d);
        out.push({ approvalCode: code, approvalName: name, approvalBasis: basis, supervisionName: sup, boundary: `${dd.name}负责${sup}；审批部门负责审批环节`, departmentId: dd.id, itemId: await item(dd.id, it) });
      }
    return out;
  };
  const first = await cityEntries(CITY_ITEMS.filter(([c]) => c !== "XK-005"));
  await publishDutyList(store, { bureauId: cityBureau.id, reason: "首次发布（演示数据）", entries: first }, admin);
  const d03 = await dept("D03");
  const notice = await sendNotice(store, { departmentId: d03.id, bureauId: cityBureau.id, law: "《城镇燃气管理条例》（2026年修订，演示）", summary: "燃气经营许可的监管须由住建和应急管理部门共同承担", effectiveOn: `${DEMO_YEAR}-03-01` }, officer(d03.id));
  const cityList = await publishDutyList(store, { bureauId: cityBureau.id, reason: "因法律法规变化增加燃气经营许可", noticeId: notice.id, entries: await cityEntries(CITY_ITEMS) }, admin);
  const districtEntries = [];
  for (const [code, name, basis, lines] of DISTRICT_ITEMS)
    for (const [d, it, sup, forwardUp] of lines) {
      const dd = await dept(`${d}-${DISTRICT}`);
      districtEntries.push({ approvalCode: code, approvalName: name, approvalBasis: basis, supervisionName: sup, boundary: `${dd.name}负责${sup}`, departmentId: dd.id, itemId: await item(dd.id, it), forwardUp });
    }
  await publishDutyList(store, { bureauId: districtBureau.id, reason: "首次发布（演示数据）", entries: districtEntries }, admin);

  // A year of decisions, recorded on the day they were made (and pushed the same day).
  const entities = await p.entity.findMany({ where: { status: "active" }, select: { code: true, districtCode: true }, orderBy: { id: "asc" } });
  const inDistrict = entities.filter((e) => e.districtCode === DISTRICT);
  const cal = builtInCalendar();
  const days = workingDaysInRange(cal, `${DEMO_YEAR}-01-04`, `${DEMO_YEAR}-11-30`);
  const n = demoDecisionCount(entities.length);
  const byDay = new Map<string, { bureauId: number; d: DecisionInput }[]>();
  for (let i = 0; i < n; i++) {
    const district = inDistrict.length > 0 && rng.chance(0.2);
    const e = district ? rng.pick(inDistrict) : rng.pick(entities);
    const code = rng.pick(district ? DISTRICT_ITEMS.map((x) => x[0]) : CITY_ITEMS.map((x) => x[0]));
    const kind = weighted(rng, KINDS);
    const day = rng.pick(days);
    const d: DecisionInput = {
      decisionNo: `${district ? "YTSP" : "XASP"}-${DEMO_YEAR}-${String(i + 1).padStart(6, "0")}`,
      entityCode: e.code,
      approvalCode: code,
      kind,
      decision: weighted(rng, OUTCOMES),
      decidedOn: day,
      licenceNo: `JY${DEMO_YEAR}${String(100000 + i)}`,
      commitment: kind === "commitment" ? "申请人承诺：经营场所、设施设备和管理制度符合法定条件，如有不实愿承担法律责任（演示）" : null,
      approvingBody: kind === "delegated" || kind === "entrusted" ? "西安市雁塔区行政审批服务局（受委托）" : null,
    };
    const k = `${day}|${district ? districtBureau.id : cityBureau.id}`;
    byDay.set(k, [...(byDay.get(k) ?? []), { bureauId: district ? districtBureau.id : cityBureau.id, d }]);
  }
  const result: DemoLoopResult = { bureaus: 2, listEntries: (cityList.entries?.length ?? 0) + districtEntries.length, decisions: 0, commitments: 0, pushes: 0, acknowledged: 0, verifications: 0, verified: 0, disputes: 0, alerts: 0, alertsAnswered: 0, scheduled: { joined: 0, created: 0 }, ms: 0 };
  const ackLater = (day: string, k: number) => safeAdd(cal, day, k);
  for (const [key, list] of [...byDay].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const day = key.split("|")[0]!;
    const out = await recordDecisions(store, { bureauId: list[0]!.bureauId, decisions: list.map((x) => x.d), source: "api" }, admin, day);
    result.decisions += out.recorded;
    result.commitments += list.filter((x) => x.d.kind === "commitment").length;
    result.pushes += out.pushes;
    result.verifications += out.verifications;
  }
  // 签收: most within the three working days, some late, a few never (未履职).
  const pushes = await p.decisionPush.findMany({ where: { route: { not: "forward" } }, orderBy: { id: "asc" } });
  for (const push of pushes) {
    const r = rng.next();
    if (r < 0.03) continue;
    const on = ackLater(push.pushedOn, r < 0.88 ? rng.between(0, 3) : rng.between(4, 12));
    if (!on || on > "2026-11-30") continue;
    await acknowledgePush(store, push.id, officer(push.departmentId), on);
    result.acknowledged++;
  }
  // 核查: most done before the deadline, some late; 不属实 and 未履行 lead to 函告.
  const verifs = await p.verification.findMany({ include: { decision: { include: { bureau: true } } }, orderBy: { id: "asc" } });
  for (const v of verifs) {
    const r = rng.next();
    if (r < 0.15) continue; // still open
    const on = safeAdd(cal, v.decision.decidedOn, r < 0.85 ? rng.between(5, 30) : rng.between(45, 70));
    if (!on || on > "2026-11-30") continue;
    const outcome = rng.chance(0.86) ? "true" : rng.chance(0.7) ? "false" : "unfulfilled";
    await recordVerification(store, v.id, { outcome, checkedOn: on, findings: outcome === "true" ? null : outcome === "false" ? "现场核查发现申请人不具备承诺的条件（演示）" : "申请人未在承诺期限内补齐材料（演示）" }, officer(v.departmentId), on);
    result.verified++;
    if (outcome === "true") continue;
    const dsp = await sendDispute(store, { decisionId: v.decisionId, kind: outcome === "false" ? "falseCommitment" : "brokenCommitment", letterNo: `核查函〔${DEMO_YEAR}〕${v.id}号`, letter: "经核查，申请人承诺与实际不符，请依法复核（演示）", verificationId: v.id }, officer(v.departmentId), on);
    result.disputes++;
    const reviewOn = safeAdd(cal, on, rng.between(2, 14));
    if (!reviewOn || reviewOn > "2026-11-30" || rng.chance(0.1)) continue;
    await reviewDispute(store, dsp.id, { outcome: outcome === "false" ? "revoke" : "rectify", note: "经审查卷宗和审批程序，依法处理（演示）" }, officer(v.decision.bureauId), reviewOn);
    const ackOn = safeAdd(cal, reviewOn, rng.between(0, 4));
    if (ackOn && ackOn <= "2026-11-30") await acknowledgeDispute(store, dsp.id, {}, officer(v.departmentId), ackOn);
  }
  // 风险预警 from the 互联网+监管 system, answered mostly in time.
  const depts = await p.department.findMany({ where: { kind: "supervision", level: "city" }, orderBy: { id: "asc" } });
  const nAlerts = Math.max(30, Math.min(500, Math.floor(entities.length / 100)));
  for (let i = 0; i < nAlerts; i++) {
    const raised = rng.pick(days);
    const a: AlertInput = { externalId: `HLW-${DEMO_YEAR}-${String(i + 1).padStart(5, "0")}`, source: "陕西省互联网+监管系统（演示）", entityCode: rng.pick(entities).code, departmentId: rng.pick(depts).id, category: rng.pick(ALERT_KINDS), level: weighted(rng, [["high", 15], ["medium", 45], ["low", 40]] as [string, number][]), detail: "系统监测到风险信号，请核实处置并反馈（演示）", raisedOn: raised };
    const got = await receiveAlerts(store, [a], admin, raised);
    result.alerts++;
    if (rng.chance(0.2)) continue;
    const on = safeAdd(cal, raised, rng.chance(0.85) ? rng.between(0, 3) : rng.between(8, 20));
    if (!on || on > "2026-11-30") continue;
    await answerAlert(store, got.alerts[0]!.id, { handling: weighted(rng, [["confirmed", 35], ["rectified", 30], ["dismissed", 30], ["referred", 5]] as [string, number][]), feedback: "已核实处置（演示）", handledOn: on }, officer(a.departmentId), on);
    result.alertsAnswered++;
  }
  // The open directed tasks of the loop whose window reaches December, onto December visits.
  const s = await scheduleLoopTasks(store, { from: `${DEMO_YEAR}-12-01`, to: `${DEMO_YEAR}-12-31` }, admin);
  result.scheduled = { joined: s.joined, created: s.created };
  result.ms = performance.now() - started;
  return result;
}

/** k working days after `day` (k = 0: `day` if a working day, else the next), or null past the holiday data. */
function safeAdd(cal: ReturnType<typeof builtInCalendar>, day: string, k: number): string | null {
  try {
    if (k === 0) return isWorkingDay(cal, day) ? day : addWorkingDays(cal, day, 1);
    return addWorkingDays(cal, day, k);
  } catch {
    return null;
  }
}
