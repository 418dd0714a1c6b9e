/**
 * What the 审管联动 step pages (loopLists.ts, loopDecisions.ts, loopSteps.ts, loopPanels.ts) share:
 * the API answers they read (api/routes/approvals.ts), the step badge, who the signed-in user is
 * in the loop (an approval bureau's officer, a supervising department's officer, or a reader),
 * and how a refused form comes back (the API's message on the form; 403 and 404 as the problem page).
 */
import { randomBytes } from "node:crypto";
import { ApiCallError, answer, field, type FormBody, type PageContext, type PageResult } from "../framework.ts";
import { html, type Html } from "../html.ts";
import { badge, td, type Department } from "./shared.ts";

export interface DeptRef {
  id: number;
  code: string;
  name: string;
}
export interface LoopDepartment extends Department {
  kind: string;
  parentId: number | null;
}
export interface StepView {
  dueOn: string | null;
  doneOn: string | null;
  status: string;
  statusLabel: string;
}
export interface TaskRef {
  id: number;
  taskNo: string;
  status: string;
  windowStart: string;
  windowEnd: string;
}
export interface DecisionView {
  id: number;
  bureau: DeptRef;
  decisionNo: string;
  entity: { id: number; code: string; name: string; districtCode: string };
  listId: number;
  approvalCode: string;
  approvalName: string;
  kind: string;
  kindLabel: string;
  decision: string;
  decisionLabel: string;
  decidedOn: string;
  level: string;
  levelLabel: string;
  approvingBody: string | null;
  licenceNo: string | null;
  commitment: string | null;
  source: string;
  recordedAt: string;
}
export interface PushView {
  id: number;
  department: DeptRef;
  route: string;
  routeLabel: string;
  viaPushId: number | null;
  supervision: { entryId: number; code: string | null; name: string; boundary: string | null }[];
  pushedAt: string;
  workingDays: number;
  acknowledgedAt: string | null;
  step: StepView;
  decision: DecisionView;
}
export interface VerificationView {
  id: number;
  department: DeptRef;
  task: TaskRef;
  nominalDueOn: string;
  step: StepView;
  outcome: string | null;
  outcomeLabel: string | null;
  findings: string | null;
  recordedAt: string | null;
  feedbackTo: DeptRef;
  decision: DecisionView;
}
export interface DisputeView {
  id: number;
  department: DeptRef;
  kind: string;
  kindLabel: string;
  letterNo: string | null;
  letter: string;
  verificationId: number | null;
  sentAt: string;
  state: string;
  stateLabel: string;
  review: StepView;
  outcome: string | null;
  outcomeLabel: string | null;
  reviewNote: string | null;
  reviewedAt: string | null;
  feedbackAck: StepView | null;
  followUpTask: TaskRef | null;
  decision: DecisionView;
}
export interface AlertView {
  id: number;
  externalId: string;
  source: string;
  entity: { id: number; code: string; name: string };
  department: DeptRef;
  category: string;
  level: string;
  levelLabel: string;
  detail: string;
  raisedOn: string;
  receivedAt: string;
  workingDays: number;
  task: TaskRef;
  step: StepView;
  handling: string | null;
  handlingLabel: string | null;
  feedback: string | null;
  handledAt: string | null;
}
export interface Paged<T> {
  total: number;
  items: T[];
}

export const LIMIT = 50;

const STEP_BADGE: Record<string, string> = { pending: "b-info", onTime: "b-ok", late: "b-warn", overdue: "b-bad", noDeadline: "b-warn" };
/** A step's standing; 逾期未办 and 逾期办结 are marked (the overdue list's 未履职、慢履职). */
export function stepBadge(s: { status: string; statusLabel: string }): Html {
  return badge(s.status === "overdue" ? `⚠ ${s.statusLabel}` : s.statusLabel, STEP_BADGE[s.status] ?? "b-info");
}
export const deadline = (s: StepView): string => s.dueOn ?? "期限未定（缺少节假日数据）";

/** The signed-in user's place in the loop. */
export interface LoopUser {
  departments: LoopDepartment[];
  names: Map<number, string>;
  /** The officer's own department (null for administrators and auditors). */
  own: LoopDepartment | null;
  /** An officer of an approval bureau (行政审批部门). */
  bureau: boolean;
  /** An officer of a supervising department (行业监管部门). */
  supervisor: boolean;
}

export async function loopUser(ctx: PageContext): Promise<LoopUser> {
  const departments = await ctx.api.get<LoopDepartment[]>("/departments");
  const own = ctx.role === "officer" ? departments.find((d) => d.id === ctx.departmentId) ?? null : null;
  return { departments, names: new Map(departments.map((d) => [d.id, d.name])), own, bureau: own?.kind === "approval", supervisor: own?.kind === "supervision" };
}

/**
 * A form's API call: success → the handler's answer; a refusal the user can correct (400, 409,
 * 413, 415, 422) → the form again with the message; 401/403/404 and server errors → the console's
 * problem page (a department outside the case sees the API's 403 refusal).
 */
export async function submit(ctx: PageContext, call: () => Promise<PageResult>, again: (e: ApiCallError) => Promise<PageResult>): Promise<PageResult> {
  try {
    return await call();
  } catch (e) {
    if (e instanceof ApiCallError && [400, 409, 413, 415, 422].includes(e.statusCode)) return again(e);
    throw e;
  }
}

/** The API's field path without its envelope: "body.decisions.0.entityCode" → "entityCode". */
export function formError(e: ApiCallError | null | undefined): { message: string; field?: string } | null {
  if (!e) return null;
  const field = e.field?.replace(/^(body|querystring)\./, "").replace(/^decisions(\[\d+\]|\.\d+)\./, "");
  return { message: e.message, ...(field ? { field } : {}) };
}

/** Problem rows of a refused file (details: { row, field, message }), one table row each. */
export function problemRows(e: ApiCallError | null | undefined): Html {
  const rows = (e?.details ?? []) as { row?: number; field?: string | null; message?: string }[];
  if (rows.length === 0) return html``;
  return html`<table class="cards-sm"><caption>逐行问题（${rows.length} 处${rows.length >= 100 ? "，只列出前 100 处" : ""}）：整个文件未导入</caption><thead><tr><th scope="col" class="num">行号</th><th scope="col">列</th><th scope="col">说明</th></tr></thead><tbody>${rows.map(
    (r) => html`<tr>${td("行号", r.row ?? "", "num")}${td("列", r.field ?? "")}${td("说明", r.message ?? "")}</tr>`,
  )}</tbody></table>`;
}

/** A page of a list the API gives whole (duty-list versions and entries, notices, panels). */
export function slice<T>(all: T[], offset: number, limit = LIMIT): Paged<T> {
  return { total: all.length, items: all.slice(offset, offset + limit) };
}

/** Only allowed values of a filter pass. */
export const oneOf = (v: string | undefined, allowed: readonly string[]): string => (v !== undefined && allowed.includes(v) ? v : "");

/**
 * An id chosen in a form: the number, or (not a whole number, e.g. nothing chosen) the text as
 * typed, so that the API refuses it naming the field (its schema wants an integer).
 */
export function idField(f: FormBody, name: string): number | string {
  const s = field(f, name);
  return /^[1-9]\d{0,9}$/.test(s) ? Number(s) : s;
}

/** The form's uploaded `file`, forwarded to the API's multipart route `url` as the signed-in user. */
export async function forwardUpload<T>(ctx: PageContext, url: string, what: string): Promise<T> {
  const file = ctx.files.file;
  if (!file) throw new ApiCallError(400, "VALIDATION_FAILED", `请选择${what}（XLSX 或 CSV）`, "file");
  const boundary = `----ssj${randomBytes(12).toString("hex")}`;
  const name = file.filename.replace(/["\r\n]/g, "_");
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: ${file.mimetype || "application/octet-stream"}\r\n\r\n`, "utf8"),
    file.data,
    Buffer.from(`\r\n--${boundary}--\r\n`, "utf8"),
  ]);
  return answer<T>(await ctx.api.raw("POST", url, body, `multipart/form-data; boundary=${boundary}`));
}
