/**
 * Database rules Prisma's schema language cannot express, declared once for both providers.
 *
 * prisma/build-schemas.ts renders them into each migration's SQL (after Prisma's own statements):
 *  - checks: PostgreSQL `ALTER TABLE … ADD CONSTRAINT … CHECK (…)`; SQLite cannot add a CHECK to
 *    an existing table, so there each check becomes a BEFORE INSERT and a BEFORE UPDATE trigger
 *    (`WHEN NOT (expr)` → `RAISE(ABORT, 'CHECK constraint failed: <name>')`). Both reject exactly
 *    the rows for which the expression is FALSE (NULL passes, as SQL CHECK semantics say).
 *  - indexes: partial unique indexes (same SQL on both).
 *  - triggers: append-only audit log, recusal enforcement.
 * On SQLite, Prisma rebuilds a table to alter it (CREATE new_x / copy / DROP x / RENAME), which
 * drops its triggers and indexes; the builder re-emits every rule of a rebuilt table.
 *
 * In expressions `{col}` stands for a column of the row being checked (`"col"` in a PostgreSQL
 * CHECK, `NEW."col"` in a SQLite trigger).
 */
import {
  ALERT_HANDLINGS,
  ALERT_LEVELS,
  DECISION_KINDS,
  DECISION_OUTCOMES,
  DECISION_SOURCES,
  DEPARTMENT_KINDS,
  DISPUTE_KINDS,
  DUTY_LIST_STATUSES,
  NOTICE_STATUSES,
  PANEL_PURPOSES,
  PANEL_RECORD_KINDS,
  PUSH_ROUTES,
  REVIEW_OUTCOMES,
  VERIFICATION_OUTCOMES,
  BATCH_ROLES,
  BATCH_STATUSES,
  CAP_LEVELS,
  CODE_KINDS,
  DEPARTMENT_LEVELS,
  STORED_DIRECTED_KINDS,
  DRAW_RECORD_KINDS,
  DRAW_STATUSES,
  ENTITY_KINDS,
  ENTITY_SIZES,
  ENTITY_STATUSES,
  ITEM_IMPORTANCE,
  JOINT_CHECK_STATUSES,
  PLAN_STATUSES,
  RISK_CLASSES,
  TASK_KINDS,
  TASK_STATUSES,
  TEAM_ROLES,
  USER_ROLES,
} from "../src/store/values.ts";

export type Provider = "sqlite" | "postgresql";
export type PerProvider = string | { sqlite: string; postgresql: string };

export interface CheckRule {
  name: string;
  table: string;
  expr: PerProvider;
}
export interface IndexRule {
  name: string;
  table: string;
  /** Full CREATE statement (without the trailing semicolon). */
  create: PerProvider;
}
export interface TriggerRule {
  name: string;
  table: string;
  /** Statements creating the trigger (and, on PostgreSQL, its function). */
  sqlite: string;
  postgresql: string;
  /** Statements dropping it. */
  dropSqlite: string;
  dropPostgresql: string;
}

const q = (v: string) => `'${v.replace(/'/g, "''")}'`;
const oneOf = (col: string, values: readonly string[]) => `{${col}} IN (${values.map(q).join(", ")})`;
const isoDate = (col: string): PerProvider => ({
  sqlite: `{${col}} GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'`,
  postgresql: `{${col}} ~ '^[0-9]{4}-[01][0-9]-[0-3][0-9]$'`,
});
const districtCode = (col: string): PerProvider => ({
  sqlite: `{${col}} GLOB '[0-9][0-9][0-9][0-9][0-9][0-9]'`,
  postgresql: `{${col}} ~ '^[0-9]{6}$'`,
});
const hex64 = (col: string): PerProvider => ({
  sqlite: `length({${col}}) = 64 AND {${col}} NOT GLOB '*[^0-9a-f]*'`,
  postgresql: `{${col}} ~ '^[0-9a-f]{64}$'`,
});
const nonEmpty = (col: string) => `length(trim({${col}})) > 0`;

export const checks: CheckRule[] = [
  { name: "departments_level", table: "departments", expr: oneOf("level", DEPARTMENT_LEVELS) },
  { name: "departments_district_code", table: "departments", expr: districtCode("district_code") },
  { name: "departments_parent", table: "departments", expr: "{parent_id} IS NULL OR {parent_id} <> {id}" },
  { name: "departments_kind", table: "departments", expr: oneOf("kind", DEPARTMENT_KINDS) },

  { name: "inspection_items_importance", table: "inspection_items", expr: oneOf("importance", ITEM_IMPORTANCE) },
  { name: "inspection_items_name", table: "inspection_items", expr: nonEmpty("name") },

  { name: "entities_code_kind", table: "entities", expr: oneOf("code_kind", CODE_KINDS) },
  {
    name: "entities_code_format",
    table: "entities",
    expr: {
      sqlite:
        "({code_kind} = 'uscc' AND length({code}) = 18 AND {code} NOT GLOB '*[^0-9A-HJ-NPQRTUWXY]*') OR " +
        "({code_kind} = 'regno' AND length({code}) = 15 AND {code} NOT GLOB '*[^0-9]*') OR " +
        "({code_kind} = 'legacy' AND length({code}) BETWEEN 1 AND 23 AND {code} NOT GLOB '*[^0-9A-Z]*')",
      postgresql:
        "({code_kind} = 'uscc' AND {code} ~ '^[0-9A-HJ-NPQRTUWXY]{18}$') OR " +
        "({code_kind} = 'regno' AND {code} ~ '^[0-9]{15}$') OR " +
        "({code_kind} = 'legacy' AND {code} ~ '^[0-9A-Z]{1,23}$')",
    },
  },
  { name: "entities_code_as_written", table: "entities", expr: "{code_as_written} IS NULL OR {code_kind} = 'legacy'" },
  { name: "entities_kind", table: "entities", expr: oneOf("kind", ENTITY_KINDS) },
  { name: "entities_status", table: "entities", expr: oneOf("status", ENTITY_STATUSES) },
  { name: "entities_risk_class", table: "entities", expr: oneOf("risk_class", RISK_CLASSES) },
  { name: "entities_size", table: "entities", expr: oneOf("size", ENTITY_SIZES) },
  { name: "entities_district_code", table: "entities", expr: districtCode("district_code") },
  { name: "entities_established_on", table: "entities", expr: isoDate("established_on") },
  { name: "entities_status_changed_on", table: "entities", expr: isoDate("status_changed_on") },
  { name: "entities_name", table: "entities", expr: nonEmpty("name") },

  { name: "recusals_reason", table: "recusals", expr: nonEmpty("reason") },
  { name: "inspectors_certificate_no", table: "inspectors", expr: nonEmpty("certificate_no") },

  { name: "users_role", table: "users", expr: oneOf("role", USER_ROLES) },
  { name: "users_officer_department", table: "users", expr: "{role} <> 'officer' OR {department_id} IS NOT NULL" },
  { name: "users_credential", table: "users", expr: "{token_hash} IS NOT NULL OR ({login} IS NOT NULL AND {password_hash} IS NOT NULL)" },
  { name: "users_failed_logins", table: "users", expr: "{failed_logins} >= 0" },

  { name: "annual_plans_status", table: "annual_plans", expr: oneOf("status", PLAN_STATUSES) },
  { name: "annual_plans_year", table: "annual_plans", expr: "{year} BETWEEN 2000 AND 2100" },

  { name: "batches_status", table: "batches", expr: oneOf("status", BATCH_STATUSES) },
  { name: "batches_window_start", table: "batches", expr: isoDate("window_start") },
  { name: "batches_window_end", table: "batches", expr: isoDate("window_end") },
  { name: "batches_window_order", table: "batches", expr: "{window_start} <= {window_end}" },

  { name: "batch_departments_role", table: "batch_departments", expr: oneOf("role", BATCH_ROLES) },

  { name: "sampling_rules_risk_class", table: "sampling_rules", expr: oneOf("risk_class", RISK_CLASSES) },
  {
    name: "sampling_rules_ratio_xor_count",
    table: "sampling_rules",
    expr: "({ratio_per_mille} IS NULL) <> ({count} IS NULL)",
  },
  { name: "sampling_rules_ratio_range", table: "sampling_rules", expr: "{ratio_per_mille} BETWEEN 0 AND 1000" },
  { name: "sampling_rules_count_range", table: "sampling_rules", expr: "{count} >= 0" },

  { name: "frequency_caps_level", table: "frequency_caps", expr: oneOf("level", CAP_LEVELS) },
  { name: "frequency_caps_max", table: "frequency_caps", expr: "{max_per_year} >= 0" },

  { name: "draws_status", table: "draws", expr: oneOf("status", DRAW_STATUSES) },
  {
    name: "draws_live_batch",
    table: "draws",
    expr:
      "({status} = 'void' AND {live_batch_id} IS NULL) OR " +
      "({status} <> 'void' AND {live_batch_id} IS NOT NULL AND {live_batch_id} = {batch_id})",
  },
  { name: "draws_void_reason", table: "draws", expr: "{status} <> 'void' OR ({void_reason} IS NOT NULL AND {voided_at} IS NOT NULL)" },
  { name: "draws_seeded", table: "draws", expr: "{status} NOT IN ('seeded', 'drawn') OR ({seed} IS NOT NULL AND {seeded_at} IS NOT NULL)" },
  { name: "draws_drawn", table: "draws", expr: "{status} <> 'drawn' OR {drawn_at} IS NOT NULL" },
  {
    name: "draws_inputs",
    table: "draws",
    expr: "{spec_version} <> 'ssj-draw/2' OR ({public_inputs} IS NOT NULL AND {private_inputs} IS NOT NULL AND {private_digest} IS NOT NULL AND {frozen_at} IS NOT NULL)",
  },
  { name: "draws_attempt", table: "draws", expr: "{attempt} >= 1" },
  { name: "draws_void_actor", table: "draws", expr: "{status} <> 'void' OR {spec_version} <> 'ssj-draw/2' OR {void_actor} IS NOT NULL" },

  { name: "draw_records_kind", table: "draw_records", expr: oneOf("kind", DRAW_RECORD_KINDS) },
  { name: "draw_records_seq", table: "draw_records", expr: "{seq} >= 0 AND ({seq} = 0) = ({kind} = 'draw')" },
  { name: "draw_records_prev", table: "draw_records", expr: hex64("prev") },
  { name: "draw_records_digest", table: "draw_records", expr: hex64("digest") },
  { name: "draw_records_private_digest", table: "draw_records", expr: hex64("private_digest") },
  { name: "audit_anchors_hash", table: "audit_anchors", expr: hex64("hash") },
  { name: "draws_input_digest", table: "draws", expr: hex64("input_digest") },

  { name: "draw_commitments_hash", table: "draw_commitments", expr: hex64("hash") },
  {
    name: "draw_commitments_reveal",
    table: "draw_commitments",
    expr: "({reveal} IS NULL) = ({revealed_at} IS NULL)",
  },

  { name: "tasks_kind", table: "tasks", expr: oneOf("kind", TASK_KINDS) },
  { name: "tasks_directed_kind", table: "tasks", expr: `({kind} = 'directed') = ({directed_kind} IS NOT NULL) AND ({directed_kind} IS NULL OR ${oneOf("directed_kind", STORED_DIRECTED_KINDS)})` },
  { name: "tasks_status", table: "tasks", expr: oneOf("status", TASK_STATUSES) },
  {
    name: "tasks_directed_reason",
    table: "tasks",
    expr:
      "({kind} = 'directed' AND {directed_reason} IS NOT NULL AND length(trim({directed_reason})) > 0) OR " +
      "({kind} = 'random' AND {directed_reason} IS NULL AND {draw_id} IS NOT NULL)",
  },
  { name: "tasks_window_start", table: "tasks", expr: isoDate("window_start") },
  { name: "tasks_window_end", table: "tasks", expr: isoDate("window_end") },
  { name: "tasks_window_order", table: "tasks", expr: "{window_start} <= {window_end}" },

  { name: "joint_checks_status", table: "joint_checks", expr: oneOf("status", JOINT_CHECK_STATUSES) },
  { name: "joint_checks_day", table: "joint_checks", expr: isoDate("day") },

  { name: "team_members_role", table: "team_members", expr: oneOf("role", TEAM_ROLES) },
  {
    name: "team_members_person",
    table: "team_members",
    expr:
      "({role} = 'officer' AND {inspector_id} IS NOT NULL AND {expert_id} IS NULL) OR " +
      "({role} = 'expert' AND {expert_id} IS NOT NULL AND {inspector_id} IS NULL AND {replaced_inspector_id} IS NULL)",
  },
  {
    name: "team_members_substitution",
    table: "team_members",
    expr:
      "({replaced_inspector_id} IS NULL AND {substitution_reason} IS NULL) OR " +
      "({replaced_inspector_id} IS NOT NULL AND {substitution_reason} IS NOT NULL AND {replaced_inspector_id} <> {inspector_id})",
  },

  { name: "results_check_date", table: "results", expr: isoDate("check_date") },
  { name: "publications_deadline", table: "publications", expr: isoDate("deadline") },

  { name: "import_changes_part", table: "import_changes", expr: "{part} >= 0" },
  { name: "import_changes_digest", table: "import_changes", expr: hex64("digest") },
  ...loopChecks(),

  { name: "audit_log_seq", table: "audit_log", expr: "{seq} >= 1" },
  { name: "audit_log_hash", table: "audit_log", expr: hex64("hash") },
  { name: "audit_log_prev_hash", table: "audit_log", expr: hex64("prev_hash") },
];

/** "all or none of these columns are set" */
function together(...cols: string[]): string {
  return `(${cols.map((c) => `{${c}} IS NULL`).join(" AND ")}) OR (${cols.map((c) => `{${c}} IS NOT NULL`).join(" AND ")})`;
}

/** Rules of the approval–supervision loop's tables (审管联动, docs/approvals.md). */
function loopChecks(): CheckRule[] {
  return [
    { name: "duty_lists_status", table: "duty_lists", expr: oneOf("status", DUTY_LIST_STATUSES) },
    { name: "duty_lists_version", table: "duty_lists", expr: "{version} >= 1" },
    { name: "duty_lists_reason", table: "duty_lists", expr: nonEmpty("reason") },
    { name: "duty_lists_digest", table: "duty_lists", expr: hex64("digest") },
    { name: "duty_lists_superseded", table: "duty_lists", expr: "({status} = 'superseded') = ({superseded_at} IS NOT NULL)" },
    { name: "duty_entries_approval_code", table: "duty_entries", expr: nonEmpty("approval_code") },
    { name: "duty_entries_approval_name", table: "duty_entries", expr: nonEmpty("approval_name") },
    { name: "duty_entries_supervision_name", table: "duty_entries", expr: nonEmpty("supervision_name") },

    { name: "law_change_notices_status", table: "law_change_notices", expr: oneOf("status", NOTICE_STATUSES) },
    { name: "law_change_notices_law", table: "law_change_notices", expr: nonEmpty("law") },
    { name: "law_change_notices_effective_on", table: "law_change_notices", expr: isoDate("effective_on") },
    { name: "law_change_notices_resolved", table: "law_change_notices", expr: "({status} = 'open') = ({resolved_at} IS NULL) AND ({resolved_at} IS NULL) = ({resolved_by} IS NULL)" },

    { name: "approval_decisions_kind", table: "approval_decisions", expr: oneOf("kind", DECISION_KINDS) },
    { name: "approval_decisions_decision", table: "approval_decisions", expr: oneOf("decision", DECISION_OUTCOMES) },
    { name: "approval_decisions_level", table: "approval_decisions", expr: oneOf("level", DEPARTMENT_LEVELS) },
    { name: "approval_decisions_source", table: "approval_decisions", expr: oneOf("source", DECISION_SOURCES) },
    { name: "approval_decisions_decided_on", table: "approval_decisions", expr: isoDate("decided_on") },
    { name: "approval_decisions_decision_no", table: "approval_decisions", expr: nonEmpty("decision_no") },

    { name: "decision_pushes_route", table: "decision_pushes", expr: oneOf("route", PUSH_ROUTES) },
    { name: "decision_pushes_via", table: "decision_pushes", expr: "({route} = 'forward') = ({via_push_id} IS NOT NULL)" },
    { name: "decision_pushes_pushed_on", table: "decision_pushes", expr: isoDate("pushed_on") },
    { name: "decision_pushes_due_on", table: "decision_pushes", expr: isoDate("due_on") },
    { name: "decision_pushes_working_days", table: "decision_pushes", expr: "{working_days} BETWEEN 0 AND 60" },
    { name: "decision_pushes_acknowledged_on", table: "decision_pushes", expr: isoDate("acknowledged_on") },
    { name: "decision_pushes_acknowledged", table: "decision_pushes", expr: together("acknowledged_at", "acknowledged_on", "acknowledged_by") },

    { name: "verifications_outcome", table: "verifications", expr: oneOf("outcome", VERIFICATION_OUTCOMES) },
    { name: "verifications_nominal_due_on", table: "verifications", expr: isoDate("nominal_due_on") },
    { name: "verifications_due_on", table: "verifications", expr: isoDate("due_on") },
    { name: "verifications_checked_on", table: "verifications", expr: isoDate("checked_on") },
    { name: "verifications_recorded", table: "verifications", expr: together("outcome", "checked_on", "recorded_at", "recorded_by") },
    { name: "verifications_published", table: "verifications", expr: "{published_at} IS NULL OR {outcome} IS NOT NULL" },

    { name: "disputes_kind", table: "disputes", expr: oneOf("kind", DISPUTE_KINDS) },
    { name: "disputes_outcome", table: "disputes", expr: oneOf("outcome", REVIEW_OUTCOMES) },
    { name: "disputes_letter", table: "disputes", expr: nonEmpty("letter") },
    { name: "disputes_sent_on", table: "disputes", expr: isoDate("sent_on") },
    { name: "disputes_review_due_on", table: "disputes", expr: isoDate("review_due_on") },
    { name: "disputes_reviewed_on", table: "disputes", expr: isoDate("reviewed_on") },
    { name: "disputes_feedback_due_on", table: "disputes", expr: isoDate("feedback_due_on") },
    { name: "disputes_feedback_ack_on", table: "disputes", expr: isoDate("feedback_ack_on") },
    { name: "disputes_reviewed", table: "disputes", expr: together("outcome", "reviewed_at", "reviewed_on", "reviewed_by") },
    { name: "disputes_feedback_ack", table: "disputes", expr: together("feedback_ack_at", "feedback_ack_on", "feedback_ack_by") },
    { name: "disputes_order", table: "disputes", expr: "({feedback_ack_at} IS NULL AND {follow_up_task_id} IS NULL AND {feedback_due_on} IS NULL) OR {reviewed_at} IS NOT NULL" },

    { name: "risk_alerts_level", table: "risk_alerts", expr: oneOf("level", ALERT_LEVELS) },
    { name: "risk_alerts_handling", table: "risk_alerts", expr: oneOf("handling", ALERT_HANDLINGS) },
    { name: "risk_alerts_external_id", table: "risk_alerts", expr: nonEmpty("external_id") },
    { name: "risk_alerts_raised_on", table: "risk_alerts", expr: isoDate("raised_on") },
    { name: "risk_alerts_received_on", table: "risk_alerts", expr: isoDate("received_on") },
    { name: "risk_alerts_due_on", table: "risk_alerts", expr: isoDate("due_on") },
    { name: "risk_alerts_handled_on", table: "risk_alerts", expr: isoDate("handled_on") },
    { name: "risk_alerts_working_days", table: "risk_alerts", expr: "{working_days} BETWEEN 0 AND 60" },
    { name: "risk_alerts_handled", table: "risk_alerts", expr: together("handling", "feedback", "handled_at", "handled_on", "handled_by") },

    { name: "expert_recusals_reason", table: "expert_recusals", expr: nonEmpty("reason") },

    { name: "panels_purpose", table: "panels", expr: oneOf("purpose", PANEL_PURPOSES) },
    { name: "panels_day", table: "panels", expr: isoDate("day") },
    { name: "panels_subject_district", table: "panels", expr: districtCode("subject_district") },
    { name: "panels_name", table: "panels", expr: nonEmpty("name") },

    { name: "panel_draws_status", table: "panel_draws", expr: oneOf("status", DRAW_STATUSES) },
    {
      name: "panel_draws_live_panel",
      table: "panel_draws",
      expr:
        "({status} = 'void' AND {live_panel_id} IS NULL) OR " +
        "({status} <> 'void' AND {live_panel_id} IS NOT NULL AND {live_panel_id} = {panel_id})",
    },
    { name: "panel_draws_void", table: "panel_draws", expr: "{status} <> 'void' OR ({void_reason} IS NOT NULL AND {voided_at} IS NOT NULL AND {void_actor} IS NOT NULL)" },
    { name: "panel_draws_seeded", table: "panel_draws", expr: "{status} NOT IN ('seeded', 'drawn') OR ({seed} IS NOT NULL AND {seeded_at} IS NOT NULL)" },
    { name: "panel_draws_drawn", table: "panel_draws", expr: "{status} <> 'drawn' OR {drawn_at} IS NOT NULL" },
    { name: "panel_draws_attempt", table: "panel_draws", expr: "{attempt} >= 1" },
    { name: "panel_draws_input_digest", table: "panel_draws", expr: hex64("input_digest") },
    { name: "panel_draws_private_digest", table: "panel_draws", expr: hex64("private_digest") },
    { name: "panel_draws_commitment", table: "panel_draws", expr: hex64("commitment") },
    { name: "panel_draw_records_kind", table: "panel_draw_records", expr: oneOf("kind", PANEL_RECORD_KINDS) },
    { name: "panel_draw_records_seq", table: "panel_draw_records", expr: "{seq} >= 0 AND ({seq} = 0) = ({kind} = 'draw')" },
    { name: "panel_draw_records_prev", table: "panel_draw_records", expr: hex64("prev") },
    { name: "panel_draw_records_digest", table: "panel_draw_records", expr: hex64("digest") },
    { name: "panel_draw_records_private_digest", table: "panel_draw_records", expr: hex64("private_digest") },
    { name: "panel_draw_commitments_hash", table: "panel_draw_commitments", expr: hex64("hash") },
    { name: "panel_draw_commitments_reveal", table: "panel_draw_commitments", expr: "({reveal} IS NULL) = ({revealed_at} IS NULL)" },
  ];
}

export const indexes: IndexRule[] = [
  {
    // Exactly one lead department (发起部门) per batch: at most one by this index; at least one is
    // checked by the code that marks a batch ready.
    name: "batch_departments_one_lead",
    table: "batch_departments",
    create: `CREATE UNIQUE INDEX "batch_departments_one_lead" ON "batch_departments"("batch_id") WHERE "role" = 'lead'`,
  },
];

const appendOnlyMessage = "audit_log is append-only";

/** BEFORE UPDATE/DELETE refusal on both providers; `{OLD.c}`, `{NEW.c}`, `DIFF(a, b)` in `when`. */
function guard(name: string, table: string, op: "UPDATE" | "DELETE", when: string, message: string): TriggerRule {
  const sqliteWhen = when.replace(/DIFF\(([^,()]+), ([^,()]+)\)/g, "$1 IS NOT $2").replace(/\{(OLD|NEW)\.([a-z_]+)\}/g, '$1."$2"');
  const pgWhen = when.replace(/DIFF\(([^,()]+), ([^,()]+)\)/g, "$1 IS DISTINCT FROM $2").replace(/\{(OLD|NEW)\.([a-z_]+)\}/g, '$1."$2"');
  const fn = `ssj_${name}`;
  const ret = op === "DELETE" ? "OLD" : "NEW";
  return {
    name,
    table,
    sqlite: `CREATE TRIGGER "${name}" BEFORE ${op} ON "${table}" WHEN ${sqliteWhen} BEGIN SELECT RAISE(ABORT, '${message}'); END`,
    dropSqlite: `DROP TRIGGER IF EXISTS "${name}"`,
    postgresql: [
      `CREATE OR REPLACE FUNCTION "${fn}"() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF ${pgWhen} THEN RAISE EXCEPTION '${message}' USING ERRCODE = 'integrity_constraint_violation'; END IF; RETURN ${ret}; END $$`,
      `CREATE TRIGGER "${name}" BEFORE ${op} ON "${table}" FOR EACH ROW EXECUTE FUNCTION "${fn}"()`,
    ].join(";\n"),
    dropPostgresql: [`DROP TRIGGER IF EXISTS "${name}" ON "${table}"`, `DROP FUNCTION IF EXISTS "${fn}"()`].join(";\n"),
  };
}

/** Append-only on both providers (no UPDATE, no DELETE, no TRUNCATE on PostgreSQL). */
function appendOnly(table: string): TriggerRule {
  const message = `${table} is append-only`;
  const fn = `ssj_${table}_append_only`;
  return {
    name: `${table}_append_only`,
    table,
    sqlite: [
      `CREATE TRIGGER "${table}_no_update" BEFORE UPDATE ON "${table}" BEGIN SELECT RAISE(ABORT, '${message}'); END`,
      `CREATE TRIGGER "${table}_no_delete" BEFORE DELETE ON "${table}" BEGIN SELECT RAISE(ABORT, '${message}'); END`,
    ].join(";\n"),
    dropSqlite: [`DROP TRIGGER IF EXISTS "${table}_no_update"`, `DROP TRIGGER IF EXISTS "${table}_no_delete"`].join(";\n"),
    postgresql: [
      `CREATE OR REPLACE FUNCTION "${fn}"() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '${message}' USING ERRCODE = 'integrity_constraint_violation'; END $$`,
      `CREATE TRIGGER "${table}_no_update_delete" BEFORE UPDATE OR DELETE ON "${table}" FOR EACH ROW EXECUTE FUNCTION "${fn}"()`,
      `CREATE TRIGGER "${table}_no_truncate" BEFORE TRUNCATE ON "${table}" FOR EACH STATEMENT EXECUTE FUNCTION "${fn}"()`,
    ].join(";\n"),
    dropPostgresql: [
      `DROP TRIGGER IF EXISTS "${table}_no_update_delete" ON "${table}"`,
      `DROP TRIGGER IF EXISTS "${table}_no_truncate" ON "${table}"`,
      `DROP FUNCTION IF EXISTS "${fn}"()`,
    ].join(";\n"),
  };
}

const fixed = (c: string) => `DIFF({NEW.${c}}, {OLD.${c}})`;
const onceSet = (c: string) => `({OLD.${c}} IS NOT NULL AND DIFF({NEW.${c}}, {OLD.${c}}))`;
const recusalMessage = "recused inspector: a recusal (回避) exists for this inspector and the entity of the visit";

/**
 * The guards of a ceremony's tables (batch draws: `draws`, `draw_commitments`; the approval
 * bureau's panel draws: `panel_draws`, `panel_draw_commitments`): frozen inputs never change, the
 * seed and the outcome are set once, the status only moves forward, nothing is deleted, and a
 * secret commitment is fixed and revealed once (docs/draw-spec.md).
 */
function ceremonyGuards(t: { draws: string; commitments: string; parent: string; setOnce: string[] }): TriggerRule[] {
  const fixedColumns = ["id", t.parent, "spec_version", "input_digest", "commitment", "attempt", "frozen_at", "public_inputs", "private_inputs", "private_digest", "created_at"];
  const forward =
    "({OLD.status} = 'committed' AND {NEW.status} IN ('seeded', 'void')) OR ({OLD.status} = 'seeded' AND {NEW.status} IN ('drawn', 'void')) OR ({OLD.status} = 'drawn' AND {NEW.status} = 'void')";
  return [
    guard(
      `${t.draws}_immutable`,
      t.draws,
      "UPDATE",
      "(" + fixedColumns.map(fixed).join(" OR ") + " OR " + t.setOnce.map(onceSet).join(" OR ") + " OR {OLD.status} = 'void'" + ` OR (DIFF({NEW.status}, {OLD.status}) AND NOT (${forward})))`,
      `${t.draws}: the frozen inputs, commitment, seed and drawn time of a draw cannot be changed, and a status only moves forward (docs/draw-spec.md)`,
    ),
    guard(`${t.draws}_no_delete`, t.draws, "DELETE", "TRUE", `${t.draws}: a draw is never deleted; void it with a reason`),
    guard(
      `${t.commitments}_immutable`,
      t.commitments,
      "UPDATE",
      "(" + ["id", "draw_id", "department_id", "hash", "committed_at"].map(fixed).join(" OR ") + " OR " + ["reveal", "revealed_at"].map(onceSet).join(" OR ") + ")",
      `${t.commitments}: a secret commitment cannot be changed, and a reveal is made once`,
    ),
    guard(`${t.commitments}_no_delete`, t.commitments, "DELETE", "TRUE", `${t.commitments}: a secret commitment is never deleted`),
  ];
}

export const triggers: TriggerRule[] = [
  ...ceremonyGuards({ draws: "draws", commitments: "draw_commitments", parent: "batch_id", setOnce: ["manifest", "seed", "seed_provenance", "seeded_at", "drawn_at", "void_reason", "voided_at", "void_actor"] }),
  appendOnly("draw_records"),
  appendOnly("audit_anchors"),
  ...loopTriggers(),
  appendOnly("import_changes"),
  {
    name: "audit_log_append_only",
    table: "audit_log",
    sqlite: [
      `CREATE TRIGGER "audit_log_no_update" BEFORE UPDATE ON "audit_log" BEGIN SELECT RAISE(ABORT, '${appendOnlyMessage}'); END`,
      `CREATE TRIGGER "audit_log_no_delete" BEFORE DELETE ON "audit_log" BEGIN SELECT RAISE(ABORT, '${appendOnlyMessage}'); END`,
    ].join(";\n"),
    dropSqlite: [`DROP TRIGGER IF EXISTS "audit_log_no_update"`, `DROP TRIGGER IF EXISTS "audit_log_no_delete"`].join(";\n"),
    postgresql: [
      `CREATE OR REPLACE FUNCTION "ssj_audit_log_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '${appendOnlyMessage}' USING ERRCODE = 'integrity_constraint_violation'; END $$`,
      `CREATE TRIGGER "audit_log_no_update_delete" BEFORE UPDATE OR DELETE ON "audit_log" FOR EACH ROW EXECUTE FUNCTION "ssj_audit_log_append_only"()`,
      `CREATE TRIGGER "audit_log_no_truncate" BEFORE TRUNCATE ON "audit_log" FOR EACH STATEMENT EXECUTE FUNCTION "ssj_audit_log_append_only"()`,
    ].join(";\n"),
    dropPostgresql: [
      `DROP TRIGGER IF EXISTS "audit_log_no_update_delete" ON "audit_log"`,
      `DROP TRIGGER IF EXISTS "audit_log_no_truncate" ON "audit_log"`,
      `DROP FUNCTION IF EXISTS "ssj_audit_log_append_only"()`,
    ].join(";\n"),
  },
  {
    name: "team_members_recusal",
    table: "team_members",
    sqlite: [
      `CREATE TRIGGER "team_members_recusal_ins" BEFORE INSERT ON "team_members" WHEN NEW."inspector_id" IS NOT NULL AND EXISTS (SELECT 1 FROM "recusals" r JOIN "joint_checks" j ON j."entity_id" = r."entity_id" WHERE j."id" = NEW."joint_check_id" AND r."inspector_id" = NEW."inspector_id") BEGIN SELECT RAISE(ABORT, '${recusalMessage}'); END`,
      `CREATE TRIGGER "team_members_recusal_upd" BEFORE UPDATE ON "team_members" WHEN NEW."inspector_id" IS NOT NULL AND EXISTS (SELECT 1 FROM "recusals" r JOIN "joint_checks" j ON j."entity_id" = r."entity_id" WHERE j."id" = NEW."joint_check_id" AND r."inspector_id" = NEW."inspector_id") BEGIN SELECT RAISE(ABORT, '${recusalMessage}'); END`,
    ].join(";\n"),
    dropSqlite: [`DROP TRIGGER IF EXISTS "team_members_recusal_ins"`, `DROP TRIGGER IF EXISTS "team_members_recusal_upd"`].join(";\n"),
    postgresql: [
      `CREATE OR REPLACE FUNCTION "ssj_team_members_recusal"() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW."inspector_id" IS NOT NULL AND EXISTS (SELECT 1 FROM "recusals" r JOIN "joint_checks" j ON j."entity_id" = r."entity_id" WHERE j."id" = NEW."joint_check_id" AND r."inspector_id" = NEW."inspector_id") THEN RAISE EXCEPTION '${recusalMessage}' USING ERRCODE = 'integrity_constraint_violation'; END IF; RETURN NEW; END $$`,
      `CREATE TRIGGER "team_members_recusal" BEFORE INSERT OR UPDATE ON "team_members" FOR EACH ROW EXECUTE FUNCTION "ssj_team_members_recusal"()`,
    ].join(";\n"),
    dropPostgresql: [
      `DROP TRIGGER IF EXISTS "team_members_recusal" ON "team_members"`,
      `DROP FUNCTION IF EXISTS "ssj_team_members_recusal"()`,
    ].join(";\n"),
  },
];

/**
 * 审管联动: a decision and a list entry never change; a list version only moves current →
 * superseded; a step once done (签收, 核查结果, 复核, 反馈签收, 预警反馈, 告知处理) cannot be undone or
 * rewritten; panel draws are evidence like draws. Nothing of the loop is ever deleted.
 */
function loopTriggers(): TriggerRule[] {
  const stepsFixed = (name: string, table: string, fixedCols: string[], once: string[], what: string) =>
    guard(name, table, "UPDATE", "(" + [...fixedCols.map(fixed), ...once.map(onceSet)].join(" OR ") + ")", `${table}: ${what} cannot be changed once recorded`);
  const noDelete = (table: string, what: string) => guard(`${table}_no_delete`, table, "DELETE", "TRUE", `${table}: ${what} is never deleted`);
  return [
    appendOnly("duty_entries"),
    appendOnly("approval_decisions"),
    guard(
      "duty_lists_immutable",
      "duty_lists",
      "UPDATE",
      "(" +
        ["id", "bureau_id", "version", "reason", "notice_id", "source", "digest", "actor", "created_at"].map(fixed).join(" OR ") +
        " OR " +
        onceSet("superseded_at") +
        " OR (DIFF({NEW.status}, {OLD.status}) AND NOT ({OLD.status} = 'current' AND {NEW.status} = 'superseded')))",
      "duty_lists: a published list version cannot be changed (only superseded by a new version)",
    ),
    noDelete("duty_lists", "a list version"),
    stepsFixed("law_change_notices_immutable", "law_change_notices", ["id", "department_id", "bureau_id", "law", "summary", "effective_on", "sent_at", "sent_by"], ["resolution_note", "resolved_at", "resolved_by"], "a notice and its resolution"),
    guard("law_change_notices_status", "law_change_notices", "UPDATE", "({OLD.status} <> 'open' AND DIFF({NEW.status}, {OLD.status}))", "law_change_notices: a resolved notice cannot be changed"),
    noDelete("law_change_notices", "a notice"),
    stepsFixed("decision_pushes_immutable", "decision_pushes", ["id", "decision_id", "department_id", "route", "via_push_id", "supervision", "pushed_at", "pushed_on", "working_days"], ["due_on", "acknowledged_at", "acknowledged_on", "acknowledged_by"], "a push and its acknowledgement (签收)"),
    noDelete("decision_pushes", "a push"),
    stepsFixed("verifications_immutable", "verifications", ["id", "decision_id", "department_id", "task_id", "nominal_due_on"], ["due_on", "outcome", "findings", "checked_on", "recorded_at", "recorded_by", "published_at"], "a verification and its outcome"),
    noDelete("verifications", "a verification"),
    stepsFixed(
      "disputes_immutable",
      "disputes",
      ["id", "decision_id", "department_id", "verification_id", "kind", "letter_no", "letter", "sent_at", "sent_on", "sent_by"],
      ["review_due_on", "outcome", "review_note", "reviewed_at", "reviewed_on", "reviewed_by", "feedback_due_on", "feedback_ack_at", "feedback_ack_on", "feedback_ack_by", "follow_up_task_id"],
      "a 函告 and its 复核",
    ),
    noDelete("disputes", "a dispute"),
    stepsFixed(
      "risk_alerts_immutable",
      "risk_alerts",
      ["id", "external_id", "source", "entity_id", "department_id", "category", "level", "detail", "raised_on", "received_at", "received_on", "working_days", "task_id"],
      ["due_on", "handling", "feedback", "handled_at", "handled_on", "handled_by"],
      "an alert and its feedback",
    ),
    noDelete("risk_alerts", "an alert"),
    ...ceremonyGuards({ draws: "panel_draws", commitments: "panel_draw_commitments", parent: "panel_id", setOnce: ["seed", "seed_provenance", "seeded_at", "drawn_at", "void_reason", "voided_at", "void_actor"] }),
    appendOnly("panel_draw_records"),
  ];
}

/** One database object the builder manages, rendered for a provider. */
export interface ExtraObject {
  /** Stable identity across migrations. */
  key: string;
  table: string;
  create: string;
  drop: string;
}

function pick(v: PerProvider, provider: Provider): string {
  return typeof v === "string" ? v : v[provider];
}

/** Renders every rule for one provider, in a stable order. */
/**
 * Data statements a new rule needs on existing rows, run (once, before the rules) in the migration
 * that introduces them; idempotent, since a SQLite table rebuild emits its table's extras again.
 */
export const backfills: { name: string; table: string; sql: string }[] = [
  {
    // Directed tasks recorded before migration 0002 have no kind: they stay "unspecified" (published
    // as plain 定向检查), never a guessed kind.
    name: "tasks_directed_kind",
    table: "tasks",
    sql: `UPDATE "tasks" SET "directed_kind" = 'unspecified' WHERE "kind" = 'directed' AND "directed_kind" IS NULL`,
  },
];

export function renderExtras(provider: Provider): ExtraObject[] {
  const out: ExtraObject[] = backfills.map((b) => ({ key: `backfill:${b.name}`, table: b.table, create: b.sql, drop: "SELECT 1" }));
  for (const c of checks) {
    const expr = pick(c.expr, provider);
    if (provider === "postgresql") {
      const body = expr.replace(/\{([a-z_][a-z0-9_]*)\}/g, '"$1"');
      out.push({
        key: `check:${c.name}`,
        table: c.table,
        create: `ALTER TABLE "${c.table}" ADD CONSTRAINT "ck_${c.name}" CHECK (${body})`,
        drop: `ALTER TABLE "${c.table}" DROP CONSTRAINT IF EXISTS "ck_${c.name}"`,
      });
    } else {
      const body = expr.replace(/\{([a-z_][a-z0-9_]*)\}/g, 'NEW."$1"');
      const raise = `SELECT RAISE(ABORT, 'CHECK constraint failed: ck_${c.name}')`;
      out.push({
        key: `check:${c.name}`,
        table: c.table,
        create: [
          `CREATE TRIGGER "ck_${c.name}_ins" BEFORE INSERT ON "${c.table}" WHEN NOT (${body}) BEGIN ${raise}; END`,
          `CREATE TRIGGER "ck_${c.name}_upd" BEFORE UPDATE ON "${c.table}" WHEN NOT (${body}) BEGIN ${raise}; END`,
        ].join(";\n"),
        drop: [`DROP TRIGGER IF EXISTS "ck_${c.name}_ins"`, `DROP TRIGGER IF EXISTS "ck_${c.name}_upd"`].join(";\n"),
      });
    }
  }
  for (const i of indexes) {
    out.push({ key: `index:${i.name}`, table: i.table, create: pick(i.create, provider), drop: `DROP INDEX IF EXISTS "${i.name}"` });
  }
  for (const t of triggers) {
    out.push({
      key: `trigger:${t.name}`,
      table: t.table,
      create: provider === "sqlite" ? t.sqlite : t.postgresql,
      drop: provider === "sqlite" ? t.dropSqlite : t.dropPostgresql,
    });
  }
  return out;
}
