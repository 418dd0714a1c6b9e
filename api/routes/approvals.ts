/**
 * 审管联动 (docs/approvals.md): 职责边界清单, 法律法规变化告知, 审批决定 and their pushes (签收,
 * 转送上级), 告知承诺核查, 函告 → 复核 → 反馈, 风险预警, the overdue list (未履职、慢履职), the
 * statistics and the merge of the loop's directed tasks into the visits (进一次门、查多项事).
 *
 * Who: an approval bureau is a department of kind 'approval'; its officers record decisions,
 * publish the list and review 函告. Officers of supervising departments acknowledge, verify,
 * send 函告 and answer alerts for their own department. A department outside a case gets 403.
 * The list is public (依法公开); everything else needs a token.
 */
import type { FastifyPluginAsync } from "fastify";
import { Type, type TSchema } from "@sinclair/typebox";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { requirePrincipal, type Principal } from "../auth.ts";
import { IdParams, IsoDate, errors } from "../schemas.ts";
import {
  acknowledgePush,
  getDecision,
  getDutyList,
  getNotice,
  listDecisions,
  listDutyLists,
  listNotices,
  listPushes,
  publishDutyList,
  recordDecisions,
  resolveNoticeNoChange,
  sendNotice,
  type LoopActor,
} from "../../src/store/repos/approvals.ts";
import {
  acknowledgeDispute,
  answerAlert,
  getAlert,
  getDispute,
  getVerification,
  listAlerts,
  listDisputes,
  listVerifications,
  listPublishedVerifications,
  loopStatistics,
  overdueList,
  receiveAlerts,
  recordVerification,
  reviewDispute,
  scheduleLoopTasks,
  sendDispute,
} from "../../src/store/repos/loopSteps.ts";
import { statsSheets } from "../../src/approvals/statsExport.ts";
import { CSV_TYPE, XLSX_TYPE, toCsv, toXlsx } from "../sheets.ts";
import { ALERT_HANDLINGS, ALERT_LEVELS, DECISION_KINDS, DISPUTE_KINDS, REVIEW_OUTCOMES, VERIFICATION_OUTCOMES } from "../../src/approvals/values.ts";

const ALL = ["admin", "officer", "auditor"] as const;
const AO = ["admin", "officer"] as const;
const Null = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Enum = (values: readonly string[], description: string) => Type.Unsafe<string>({ type: "string", enum: [...values], description });
const Dept = Type.Object({ id: Type.Integer(), code: Type.String(), name: Type.String() });
const Paging = { limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }), offset: Type.Integer({ minimum: 0, default: 0 }) };
const Step = Type.Object(
  {
    dueOn: Null(Type.String({ description: "期限（YYYY-MM-DD，按工作日计算）；null = 缺少该年节假日数据，期限未定" })),
    doneOn: Null(Type.String({ description: "办结日期" })),
    status: Type.String({ description: "pending 未到期 · onTime 按时办结 · late 逾期办结（慢履职） · overdue 逾期未办（未履职） · noDeadline 期限未定" }),
    statusLabel: Type.String(),
  },
  { description: "一个环节的期限与办理情况" },
);
const TaskRef = Type.Object({ id: Type.Integer(), taskNo: Type.String(), status: Type.String(), windowStart: Type.String(), windowEnd: Type.String() });
const Entry = Type.Object({
  id: Type.Integer(),
  approvalCode: Type.String(),
  approvalName: Type.String(),
  approvalBasis: Null(Type.String()),
  supervisionCode: Null(Type.String()),
  supervisionName: Type.String(),
  boundary: Null(Type.String()),
  department: Dept,
  itemId: Null(Type.Integer()),
  forwardUp: Type.Boolean(),
});
const DutyList = Type.Object({
  id: Type.Integer(),
  bureau: Dept,
  version: Type.Integer(),
  status: Type.String({ description: "current 现行 | superseded 已被替代" }),
  statusLabel: Type.String(),
  reason: Type.String(),
  noticeId: Null(Type.Integer()),
  source: Type.String(),
  digest: Type.String({ description: "条目规范 JSON 的 SHA-256" }),
  publishedAt: Type.String(),
  supersededAt: Null(Type.String()),
  entries: Type.Optional(Type.Array(Entry)),
});
const Notice = Type.Object({
  id: Type.Integer(),
  department: Dept,
  bureau: Dept,
  law: Type.String(),
  summary: Type.String(),
  effectiveOn: Null(Type.String()),
  sentAt: Type.String(),
  sentBy: Type.Integer(),
  status: Type.String({ description: "open 待处理 | revised 已修订清单 | noChange 无需修订" }),
  statusLabel: Type.String(),
  resolutionNote: Null(Type.String()),
  resolvedAt: Null(Type.String()),
  revision: Null(Type.Object({ id: Type.Integer(), version: Type.Integer() })),
});
const Decision = Type.Object({
  id: Type.Integer(),
  bureau: Dept,
  decisionNo: Type.String(),
  entity: Type.Object({ id: Type.Integer(), code: Type.String(), name: Type.String(), districtCode: Type.String() }),
  listId: Type.Integer(),
  approvalCode: Type.String(),
  approvalName: Type.String(),
  kind: Type.String(),
  kindLabel: Type.String(),
  decision: Type.String(),
  decisionLabel: Type.String(),
  decidedOn: Type.String(),
  level: Type.String(),
  levelLabel: Type.String(),
  approvingBody: Null(Type.String()),
  licenceNo: Null(Type.String()),
  commitment: Null(Type.String({ description: "承诺内容（内部）" })),
  source: Type.String(),
  recordedAt: Type.String(),
});
const Push = Type.Object({
  id: Type.Integer(),
  department: Dept,
  route: Type.String({ description: "sameLevel 同级推送 | area 告知属地监管部门 | forward 转送上级" }),
  routeLabel: Type.String(),
  viaPushId: Null(Type.Integer()),
  supervision: Type.Array(Type.Object({ entryId: Type.Integer(), code: Null(Type.String()), name: Type.String(), boundary: Null(Type.String()) })),
  pushedAt: Type.String(),
  workingDays: Type.Integer(),
  acknowledgedAt: Null(Type.String()),
  acknowledgedBy: Null(Type.Integer()),
  step: Step,
  decision: Decision,
});
const Verification = Type.Object({
  id: Type.Integer(),
  department: Dept,
  task: TaskRef,
  nominalDueOn: Type.String({ description: "按月计算的期限（顺延前）" }),
  step: Step,
  outcome: Null(Type.String()),
  outcomeLabel: Null(Type.String()),
  findings: Null(Type.String({ description: "核查发现（内部，不公示）" })),
  recordedAt: Null(Type.String()),
  recordedBy: Null(Type.Integer()),
  publishedAt: Null(Type.String({ description: "核查结果公示的时间；null = 按录入时的公示规则不公示（approvals 配置 publishOutcomes、publishOutcomesByItem）" })),
  feedbackTo: Dept,
  decision: Decision,
});
const Dispute = Type.Object({
  id: Type.Integer(),
  department: Dept,
  kind: Type.String(),
  kindLabel: Type.String(),
  letterNo: Null(Type.String()),
  letter: Type.String(),
  verificationId: Null(Type.Integer()),
  sentAt: Type.String(),
  sentBy: Type.Integer(),
  state: Type.String({ description: "sent 已函告待复核 | reviewed 已复核待签收 | closed 已签收" }),
  stateLabel: Type.String(),
  review: Step,
  outcome: Null(Type.String()),
  outcomeLabel: Null(Type.String()),
  reviewNote: Null(Type.String()),
  reviewedAt: Null(Type.String()),
  reviewedBy: Null(Type.Integer()),
  feedbackAck: Null(Step),
  followUpTask: Null(TaskRef),
  decision: Decision,
});
const Alert = Type.Object({
  id: Type.Integer(),
  externalId: Type.String(),
  source: Type.String(),
  entity: Type.Object({ id: Type.Integer(), code: Type.String(), name: Type.String() }),
  department: Dept,
  category: Type.String(),
  level: Type.String(),
  levelLabel: Type.String(),
  detail: Type.String({ description: "预警详情（内部，不公示）" }),
  raisedOn: Type.String(),
  receivedAt: Type.String(),
  workingDays: Type.Integer(),
  task: TaskRef,
  step: Step,
  handling: Null(Type.String()),
  handlingLabel: Null(Type.String()),
  feedback: Null(Type.String()),
  handledAt: Null(Type.String()),
  handledBy: Null(Type.Integer()),
});
const page = <T extends TSchema>(t: T) => Type.Object({ total: Type.Integer(), items: Type.Array(t) });
const DecisionIn = Type.Object(
  {
    decisionNo: Type.String({ minLength: 1, maxLength: 100, description: "办件编号/决定文书号（本审批部门内唯一；重复推送同一决定会被识别）" }),
    entityCode: Type.String({ minLength: 1, maxLength: 30, description: "市场主体的统一社会信用代码或注册号（须在名录中）" }),
    approvalCode: Type.String({ minLength: 1, maxLength: 100, description: "审批事项编码（须在现行职责边界清单中）" }),
    kind: Type.String({ description: "审批方式：general 一般审批、commitment 告知承诺、filing 备案、delegated 下放、entrusted 委托（也接受中文名称）" }),
    decision: Type.String({ description: "审批结果：grant 准予许可、deny 不予许可、change 准予变更、renew 准予延续、cancel 注销（撤回）（也接受中文名称）" }),
    decidedOn: IsoDate,
    approvingBody: Type.Optional(Null(Type.String({ maxLength: 200, description: "下放/委托时实际作出决定的机关" }))),
    licenceNo: Type.Optional(Null(Type.String({ maxLength: 100 }))),
    commitment: Type.Optional(Null(Type.String({ maxLength: 4000, description: "告知承诺的承诺内容（内部）" }))),
  },
  { additionalProperties: false },
);

function actorOf(p: Principal): LoopActor {
  return { userId: p.userId, role: p.role, departmentId: p.departmentId };
}

const approvalRoutes: FastifyPluginAsync = async (fastify) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const store = app.ssj.store;
  const tags = ["approvals"];

  // ── 职责边界清单 (public) ──
  app.get(
    "/duty-lists",
    {
      config: { access: "public", rateLimit: app.ssj.publicRateLimit },
      schema: { tags, summary: "职责边界清单的各版本（公开）：审批事项 → 监管事项 → 监管部门", querystring: Type.Object({ bureau: Type.Optional(Type.Integer({ minimum: 1, description: "行政审批部门" })), current: Type.Optional(Type.Boolean({ description: "只列现行版本" })) }), response: { 200: Type.Array(DutyList), ...errors } },
    },
    async (request) => listDutyLists(store, { bureauId: request.query.bureau, current: request.query.current }),
  );
  app.get(
    "/duty-lists/:id",
    { config: { access: "public", rateLimit: app.ssj.publicRateLimit }, schema: { tags, summary: "职责边界清单的一个版本及其全部条目（公开）", params: IdParams, response: { 200: DutyList, ...errors } } },
    async (request) => getDutyList(store, request.params.id),
  );
  app.post(
    "/duty-lists",
    {
      config: { access: AO },
      schema: {
        tags,
        summary: "发布职责边界清单的新版本（行政审批部门；上一版本即被替代）",
        description: "每行：审批事项、监管事项、职责边界、同级行业监管部门；`forwardUp` 表示同级监管部门签收后须转送上级同系统部门。因法律法规变化而修订时填 `noticeId`，该告知即标记为“已修订清单”。",
        body: Type.Object(
          {
            bureauId: Type.Optional(Type.Integer({ minimum: 1, description: "行政审批部门（执法人员默认本部门；管理员必填）" })),
            reason: Type.String({ minLength: 2, maxLength: 500, description: "发布或修订的理由（公开）" }),
            noticeId: Type.Optional(Null(Type.Integer({ minimum: 1, description: "引起本次修订的法律法规变化告知" }))),
            entries: Type.Array(
              Type.Object(
                {
                  approvalCode: Type.String({ minLength: 1, maxLength: 100 }),
                  approvalName: Type.String({ minLength: 1, maxLength: 500 }),
                  approvalBasis: Type.Optional(Null(Type.String({ maxLength: 500 }))),
                  supervisionCode: Type.Optional(Null(Type.String({ maxLength: 100 }))),
                  supervisionName: Type.String({ minLength: 1, maxLength: 500 }),
                  boundary: Type.Optional(Null(Type.String({ maxLength: 2000, description: "职责边界" }))),
                  departmentId: Type.Integer({ minimum: 1, description: "同级行业监管部门" }),
                  itemId: Type.Optional(Null(Type.Integer({ minimum: 1, description: "告知承诺核查时检查的抽查事项（该部门清单中）" }))),
                  forwardUp: Type.Optional(Type.Boolean()),
                },
                { additionalProperties: false },
              ),
              { minItems: 1, maxItems: 5000 },
            ),
          },
          { additionalProperties: false },
        ),
        response: { 201: DutyList, ...errors },
      },
    },
    async (request, reply) => reply.status(201).send(await publishDutyList(store, { ...request.body, source: "api" }, actorOf(requirePrincipal(request)))),
  );

  // ── 法律法规变化告知 ──
  app.get(
    "/law-change-notices",
    { config: { access: ALL }, schema: { tags, summary: "法律法规变化告知（执法人员：本部门发出或收到的）", querystring: Type.Object({ status: Type.Optional(Enum(["open", "revised", "noChange"], "处理状态")) }), response: { 200: Type.Array(Notice), ...errors } } },
    async (request) => listNotices(store, { status: request.query.status }, actorOf(requirePrincipal(request))),
  );
  app.post(
    "/law-change-notices",
    {
      config: { access: AO },
      schema: {
        tags,
        summary: "监管部门书面告知行政审批部门：法律法规变化影响清单",
        body: Type.Object(
          {
            departmentId: Type.Optional(Type.Integer({ minimum: 1, description: "发出告知的监管部门（执法人员默认本部门）" })),
            bureauId: Type.Integer({ minimum: 1, description: "收到告知的行政审批部门" }),
            law: Type.String({ minLength: 2, maxLength: 500, description: "法律法规名称及文号" }),
            summary: Type.String({ minLength: 2, maxLength: 4000, description: "变化内容及对清单的影响" }),
            effectiveOn: Type.Optional(Null(IsoDate)),
          },
          { additionalProperties: false },
        ),
        response: { 201: Notice, ...errors },
      },
    },
    async (request, reply) => reply.status(201).send(await sendNotice(store, request.body, actorOf(requirePrincipal(request)))),
  );
  app.post(
    "/law-change-notices/:id/resolve",
    {
      config: { access: AO },
      schema: { tags, summary: "行政审批部门答复告知：无需修订清单（需修订时发布新版本并填 noticeId）", params: IdParams, body: Type.Object({ note: Type.String({ minLength: 2, maxLength: 2000, description: "无需修订的理由" }) }, { additionalProperties: false }), response: { 200: Notice, ...errors } },
    },
    async (request) => resolveNoticeNoChange(store, request.params.id, request.body.note, actorOf(requirePrincipal(request))),
  );

  // ── 审批决定与推送 ──
  app.post(
    "/approval-decisions",
    {
      config: { access: AO },
      bodyLimit: 16 * 1024 * 1024,
      schema: {
        tags,
        summary: "记录审批决定并推送给监管部门（其他系统推送；一次最多 5000 条，全部成功或全部不写入）",
        description:
          "按现行职责边界清单推送给同级监管部门；市级审批的决定同时告知市场主体所在区县/开发区的同系统监管部门。每条推送须在配置的工作日内签收。" +
          "告知承诺的决定同时为核查部门（属地优先）生成核查任务（定向检查，纳入联合检查排期），期限默认为决定之日起两个月。不予许可的决定不推送。",
        body: Type.Object({ bureauId: Type.Optional(Type.Integer({ minimum: 1, description: "行政审批部门（执法人员默认本部门；管理员必填）" })), decisions: Type.Array(DecisionIn, { minItems: 1, maxItems: 5000 }) }, { additionalProperties: false }),
        response: {
          201: Type.Object({
            recorded: Type.Integer(),
            unchanged: Type.Integer({ description: "已记录过、内容相同的决定（重复推送）" }),
            pushes: Type.Integer(),
            verifications: Type.Integer(),
            decisions: Type.Array(Type.Object({ decisionNo: Type.String(), id: Type.Integer(), status: Type.String(), pushes: Type.Array(Type.Integer()), verifications: Type.Array(Type.Integer()) })),
          }),
          ...errors,
        },
      },
    },
    async (request, reply) => reply.status(201).send(await recordDecisions(store, { bureauId: request.body.bureauId, decisions: request.body.decisions, source: "api", prefix: "body.decisions" }, actorOf(requirePrincipal(request)))),
  );
  app.get(
    "/approval-decisions",
    {
      config: { access: ALL },
      schema: { tags, summary: "审批决定（执法人员：本审批部门的，或推送给本部门的）", querystring: Type.Object({ year: Type.Optional(Type.Integer({ minimum: 2000, maximum: 2100 })), kind: Type.Optional(Enum(DECISION_KINDS, "审批方式")), ...Paging }), response: { 200: page(Decision), ...errors } },
    },
    async (request) => listDecisions(store, request.query, actorOf(requirePrincipal(request))),
  );
  app.get(
    "/approval-decisions/:id",
    {
      config: { access: ALL },
      schema: {
        tags,
        summary: "一项审批决定及其推送（监管部门只看到推送给本部门的；与本部门无关的决定 403）",
        params: IdParams,
        response: { 200: Type.Intersect([Decision, Type.Object({ pushes: Type.Array(Push), verifications: Type.Array(Type.Object({ id: Type.Integer(), departmentId: Type.Integer(), outcome: Null(Type.String()) })) })]), ...errors },
      },
    },
    async (request) => getDecision(store, request.params.id, actorOf(requirePrincipal(request))),
  );
  app.get(
    "/pushes",
    {
      config: { access: ALL },
      schema: { tags, summary: "审批结果推送（执法人员：推送给本部门的，或本审批部门发出的）", querystring: Type.Object({ department: Type.Optional(Type.Integer({ minimum: 1 })), pending: Type.Optional(Type.Boolean({ description: "只列未签收的" })), ...Paging }), response: { 200: page(Push), ...errors } },
    },
    async (request) => listPushes(store, { departmentId: request.query.department, pending: request.query.pending, limit: request.query.limit, offset: request.query.offset }, actorOf(requirePrincipal(request))),
  );
  app.post(
    "/pushes/:id/acknowledge",
    { config: { access: AO }, schema: { tags, summary: "签收推送给本部门的审批结果（需转送上级的同时转送）", params: IdParams, response: { 200: Push, ...errors } } },
    async (request) => acknowledgePush(store, request.params.id, actorOf(requirePrincipal(request))),
  );

  // ── 告知承诺核查 ──
  app.get(
    "/verifications",
    { config: { access: ALL }, schema: { tags, summary: "告知承诺核查（执法人员：本部门的，或本审批部门决定的）", querystring: Type.Object({ open: Type.Optional(Type.Boolean({ description: "只列未录入结果的" })), ...Paging }), response: { 200: page(Verification), ...errors } } },
    async (request) => listVerifications(store, request.query, actorOf(requirePrincipal(request))),
  );
  app.get(
    "/verifications/:id",
    { config: { access: ALL }, schema: { tags, summary: "一项告知承诺核查", params: IdParams, response: { 200: Verification, ...errors } } },
    async (request) => getVerification(store, request.params.id, actorOf(requirePrincipal(request))),
  );
  app.post(
    "/verifications/:id/outcome",
    {
      config: { access: AO },
      schema: {
        tags,
        summary: "录入核查结果（推送同级行政审批部门）；录入后不能更改",
        params: IdParams,
        body: Type.Object(
          { outcome: Enum(VERIFICATION_OUTCOMES, "true 承诺属实、false 承诺不属实、unfulfilled 未履行承诺"), findings: Type.Optional(Null(Type.String({ maxLength: 4000, description: "核查发现（不属实、未履行时必填；内部）" }))), checkedOn: IsoDate },
          { additionalProperties: false },
        ),
        response: { 200: Verification, ...errors },
      },
    },
    async (request) => recordVerification(store, request.params.id, request.body, actorOf(requirePrincipal(request))),
  );

  // ── 函告 → 复核 → 反馈 ──
  app.get(
    "/disputes",
    { config: { access: ALL }, schema: { tags, summary: "函告与复核（执法人员：本部门发出的，或针对本审批部门决定的）", querystring: Type.Object({ state: Type.Optional(Enum(["sent", "reviewed", "closed"], "状态")), ...Paging }), response: { 200: page(Dispute), ...errors } } },
    async (request) => listDisputes(store, request.query, actorOf(requirePrincipal(request))),
  );
  app.get(
    "/disputes/:id",
    { config: { access: ALL }, schema: { tags, summary: "一件函告", params: IdParams, response: { 200: Dispute, ...errors } } },
    async (request) => getDispute(store, request.params.id, actorOf(requirePrincipal(request))),
  );
  app.post(
    "/disputes",
    {
      config: { access: ["officer"] },
      schema: {
        tags,
        summary: "监管部门函告行政审批部门：对审批结果有异议，或发现虚假承诺、材料造假、违反承诺",
        body: Type.Object(
          {
            decisionId: Type.Integer({ minimum: 1, description: "推送给本部门的审批决定" }),
            kind: Enum(DISPUTE_KINDS, "dispute 有异议、falseCommitment 虚假承诺、forgedMaterials 材料造假、brokenCommitment 违反承诺"),
            letterNo: Type.Optional(Null(Type.String({ maxLength: 100, description: "函号" }))),
            letter: Type.String({ minLength: 2, maxLength: 8000, description: "函告内容（内部）" }),
            verificationId: Type.Optional(Null(Type.Integer({ minimum: 1, description: "据以函告的核查" }))),
          },
          { additionalProperties: false },
        ),
        response: { 201: Dispute, ...errors },
      },
    },
    async (request, reply) => reply.status(201).send(await sendDispute(store, request.body, actorOf(requirePrincipal(request)))),
  );
  app.post(
    "/disputes/:id/review",
    {
      config: { access: AO },
      schema: {
        tags,
        summary: "行政审批部门复核（审查卷宗和程序）并反馈结果；复核结果不能更改",
        params: IdParams,
        body: Type.Object({ outcome: Enum(REVIEW_OUTCOMES, "maintain 维持、revoke 撤销、rectify 责令整改、dispose 依法处置"), note: Type.String({ minLength: 2, maxLength: 8000, description: "复核意见" }) }, { additionalProperties: false }),
        response: { 200: Dispute, ...errors },
      },
    },
    async (request) => reviewDispute(store, request.params.id, request.body, actorOf(requirePrincipal(request))),
  );
  app.post(
    "/disputes/:id/acknowledge",
    {
      config: { access: AO },
      schema: {
        tags,
        summary: "监管部门签收复核结果；撤销、责令整改、依法处置时生成后续监管任务（定向检查）",
        params: IdParams,
        body: Type.Optional(Type.Object({ itemIds: Type.Optional(Type.Array(Type.Integer({ minimum: 1 }), { uniqueItems: true, description: "后续监管检查的本部门抽查事项" })) }, { additionalProperties: false })),
        response: { 200: Dispute, ...errors },
      },
    },
    async (request) => acknowledgeDispute(store, request.params.id, request.body ?? {}, actorOf(requirePrincipal(request))),
  );

  // ── 风险预警 ──
  app.get(
    "/risk-alerts",
    { config: { access: ALL }, schema: { tags, summary: "风险预警（执法人员：本部门的）", querystring: Type.Object({ open: Type.Optional(Type.Boolean({ description: "只列未反馈的" })), ...Paging }), response: { 200: page(Alert), ...errors } } },
    async (request) => listAlerts(store, request.query, actorOf(requirePrincipal(request))),
  );
  app.get(
    "/risk-alerts/:id",
    { config: { access: ALL }, schema: { tags, summary: "一条风险预警", params: IdParams, response: { 200: Alert, ...errors } } },
    async (request) => getAlert(store, request.params.id, actorOf(requirePrincipal(request))),
  );
  app.post(
    "/risk-alerts",
    {
      config: { access: AO },
      bodyLimit: 16 * 1024 * 1024,
      schema: {
        tags,
        summary: "接收互联网+监管系统推送的风险预警（生成定向检查任务，期限按预警等级的工作日计算）；同一预警编号重复推送会被识别",
        body: Type.Object(
          {
            alerts: Type.Array(
              Type.Object(
                {
                  externalId: Type.String({ minLength: 1, maxLength: 100, description: "预警编号" }),
                  source: Type.String({ minLength: 1, maxLength: 100, description: "来源系统" }),
                  entityCode: Type.String({ minLength: 1, maxLength: 30 }),
                  departmentId: Type.Integer({ minimum: 1, description: "负责处置的监管部门" }),
                  category: Type.String({ minLength: 1, maxLength: 200, description: "预警类型（内部）" }),
                  level: Enum(ALERT_LEVELS, "high 高、medium 中、low 低"),
                  detail: Type.String({ minLength: 1, maxLength: 8000, description: "预警详情（内部，不公示）" }),
                  raisedOn: IsoDate,
                },
                { additionalProperties: false },
              ),
              { minItems: 1, maxItems: 5000 },
            ),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ received: Type.Integer(), unchanged: Type.Integer(), alerts: Type.Array(Type.Object({ externalId: Type.String(), id: Type.Integer(), taskId: Type.Integer(), status: Type.String() })) }), ...errors },
      },
    },
    async (request, reply) => reply.status(201).send(await receiveAlerts(store, request.body.alerts, actorOf(requirePrincipal(request)))),
  );
  app.post(
    "/risk-alerts/:id/feedback",
    {
      config: { access: AO },
      schema: {
        tags,
        summary: "反馈预警的处置结果",
        params: IdParams,
        body: Type.Object({ handling: Enum(ALERT_HANDLINGS, "confirmed 核实属实已处置、rectified 已责令整改、dismissed 核实不属实、referred 移送处理"), feedback: Type.String({ minLength: 2, maxLength: 8000 }), handledOn: Type.Optional(IsoDate) }, { additionalProperties: false }),
        response: { 200: Alert, ...errors },
      },
    },
    async (request) => answerAlert(store, request.params.id, request.body, actorOf(requirePrincipal(request))),
  );

  // ── 公示: 告知承诺核查结果 (only what may be public) ──
  const PublicVerification = Type.Object({
    id: Type.Integer(),
    entityName: Type.String({ description: "市场主体名称" }),
    entityCode: Type.String({ description: "统一社会信用代码" }),
    approvalCode: Type.String({ description: "审批事项编码" }),
    approvalItem: Type.String({ description: "审批事项" }),
    decidedOn: Type.String({ description: "审批决定日期" }),
    outcome: Type.String({ description: "true 承诺属实 · false 承诺不属实 · unfulfilled 未履行承诺" }),
    outcomeLabel: Type.String(),
    checkedOn: Type.String({ description: "核查日期" }),
    department: Type.String({ description: "核查部门" }),
    bureau: Type.String({ description: "审批部门" }),
    publishedAt: Type.String({ description: "公示时间" }),
  });
  app.get(
    "/api/public/commitment-verifications",
    {
      config: { access: "public" as const, rateLimit: app.ssj.publicRateLimit },
      schema: {
        tags: ["public"],
        summary: "公示：告知承诺核查结果（按公示规则公开的：默认承诺不属实、未履行承诺），最新的在前",
        description: "只含市场主体名称、统一社会信用代码、审批事项、决定日期、核查结果及日期、核查部门和审批部门；核查发现、承诺内容、投诉举报和执法人员信息不公开。",
        querystring: Type.Object(
          { code: Type.Optional(Type.String({ pattern: "^[0-9A-Za-z]{15,18}$", description: "统一社会信用代码（精确）" })), ...Paging },
          { additionalProperties: false },
        ),
        response: { 200: Type.Array(PublicVerification), ...errors },
      },
    },
    async (request) => listPublishedVerifications(store, { code: request.query.code?.toUpperCase(), limit: request.query.limit, offset: request.query.offset }),
  );

  // ── 逾期、统计、排期 ──
  app.get(
    "/approvals/overdue",
    {
      config: { access: ALL },
      schema: {
        tags,
        summary: "逾期事项（未履职、慢履职）：逾期未签收/未核查/未复核/未反馈，逾期办结，以及期限未定的环节",
        querystring: Type.Object({ department: Type.Optional(Type.Integer({ minimum: 1, description: "应办理的部门（执法人员：本部门）" })), ...Paging }),
        response: {
          200: page(
            Type.Object({
              kind: Type.String({ description: "acknowledge 签收 · verify 核查 · review 复核 · feedbackAck 复核结果签收 · alert 预警处置" }),
              kindLabel: Type.String(),
              subject: Type.String(),
              departmentId: Type.Integer(),
              dueOn: Null(Type.String()),
              doneOn: Null(Type.String()),
              status: Type.String(),
              statusLabel: Type.String(),
              decisionNo: Null(Type.String()),
              entityCode: Type.String(),
            }),
          ),
          ...errors,
        },
      },
    },
    async (request) => overdueList(store, { departmentId: request.query.department, limit: request.query.limit, offset: request.query.offset }, actorOf(requirePrincipal(request))),
  );
  const Counts = Type.Object({ total: Type.Integer(), pending: Type.Integer(), onTime: Type.Integer(), late: Type.Integer(), overdue: Type.Integer(), noDeadline: Type.Integer() });
  const Rec = Type.Record(Type.String(), Type.Integer());
  app.get(
    "/approvals/stats",
    {
      config: { access: ALL },
      schema: {
        tags,
        summary: "审管联动统计（督查考核）：各部门按时签收、按时核查及结果、函告与复核结果、预警反馈；检查频次、联合检查占比、合并减少的入企次数",
        querystring: Type.Object({ year: Type.Integer({ minimum: 2000, maximum: 2100 }) }),
        response: {
          200: Type.Object({
            year: Type.Integer(),
            today: Type.String(),
            departments: Type.Array(
              Type.Object({
                departmentId: Type.Integer(),
                department: Type.Object({ id: Type.Integer(), code: Type.String(), name: Type.String(), level: Type.String(), kind: Type.String() }),
                pushes: Counts,
                verifications: Type.Intersect([Counts, Type.Object({ outcomes: Rec })]),
                disputesSent: Type.Object({ total: Type.Integer(), byKind: Rec, outcomes: Rec }),
                reviews: Counts,
                alerts: Type.Intersect([Counts, Type.Object({ handlings: Rec })]),
              }),
            ),
            visits: Type.Object({
              total: Type.Integer(),
              joint: Type.Integer(),
              jointShare: Type.String({ description: "联合检查占比（分数）" }),
              duplicatesAvoided: Type.Integer({ description: "合并减少的入企次数" }),
              maxChecksPerYear: Null(Type.Integer()),
              entitiesOverCap: Null(Type.Integer({ description: "年度检查次数超过上限的市场主体数（无常设上限时为 null）" })),
              perEntity: Type.Array(Type.Object({ visits: Type.Integer(), entities: Type.Integer() })),
            }),
          }),
          ...errors,
        },
      },
    },
    async (request) => loopStatistics(store, request.query.year),
  );
  app.get(
    "/approvals/stats/export",
    {
      config: { access: ALL },
      schema: {
        tags,
        summary: "导出审管联动统计（XLSX 或 CSV）：各部门（含层级）、按层级合计、入企检查（联合检查占比、合并减少的入企次数、频次上限）和每户检查次数分布",
        description: "与 GET /approvals/stats 同样的数字和同样的权限。CSV 为 UTF-8（带 BOM），四张表依次排列，中间空一行。",
        querystring: Type.Object(
          { year: Type.Integer({ minimum: 2000, maximum: 2100 }), format: Type.Optional(Type.Union([Type.Literal("xlsx"), Type.Literal("csv")], { default: "xlsx", description: "xlsx（默认）或 csv" })) },
          { additionalProperties: false },
        ),
        produces: [XLSX_TYPE, CSV_TYPE],
        response: { 200: Type.Any({ description: ".xlsx 或 .csv 文件" }), ...errors },
      },
    },
    async (request, reply) => {
      requirePrincipal(request);
      const { year, format = "xlsx" } = request.query;
      const sheets = statsSheets(await loopStatistics(store, year));
      const name = `审管联动统计-${year}.${format}`;
      const body = format === "csv" ? toCsv(sheets) : await toXlsx(sheets);
      return reply
        .header("content-type", format === "csv" ? CSV_TYPE : XLSX_TYPE)
        .header("content-disposition", `attachment; filename="loop-stats-${year}.${format}"; filename*=UTF-8''${encodeURIComponent(name)}`)
        .send(body);
    },
  );
  app.post(
    "/approvals/schedule",
    {
      config: { access: AO },
      schema: {
        tags,
        summary: "把告知承诺核查、风险预警、复核后续监管任务排入检查（进一次门、查多项事）：能并入已排期的入企检查的并入，其余新排",
        description: "已排期的检查日期和人员不变，必要时增加本部门执法人员；优化器的输入摘要和排期记录保存（种子为输入摘要，不可重抽）。执法人员只为本部门任务排期。",
        body: Type.Object({ from: IsoDate, to: IsoDate, departmentId: Type.Optional(Type.Integer({ minimum: 1 })) }, { additionalProperties: false }),
        response: {
          201: Type.Object({ runId: Null(Type.Integer()), tasks: Type.Integer(), joined: Type.Integer({ description: "并入已排期检查的任务数" }), created: Type.Integer({ description: "新排的检查数" }), unscheduled: Type.Array(Type.Object({ taskId: Type.Integer(), taskNo: Type.String(), reason: Type.String() })) }),
          ...errors,
        },
      },
    },
    async (request, reply) => reply.status(201).send(await scheduleLoopTasks(store, request.body, actorOf(requirePrincipal(request)))),
  );
};

export default approvalRoutes;
