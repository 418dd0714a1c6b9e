/**
 * From the parser's rows (src/directories/import) to the columns of `entities` and `inspectors`:
 * which column each field fills, how free text (主体类型, 状态) maps to the model's values, and
 * which columns an update may touch given the columns the file actually has (a file without a
 * 风险等级 column must not wipe the risk classes already stored).
 */
import type { EntityRow, InspectorRow } from "../../directories/import/index.ts";

export type EntityKindValue = "enterprise" | "individual" | "cooperative" | "other";

const KIND_WORDS: [RegExp, EntityKindValue][] = [
  [/个体|individual/i, "individual"],
  [/合作社|cooperative/i, "cooperative"],
  [/企业|公司|enterprise|company|分支|非公司/i, "enterprise"],
];

const kindCache = new Map<string, EntityKindValue>();

/** The model's entity kind from 主体类型 text, else from the credit code's second character. */
export function entityKind(row: Pick<EntityRow, "entityType" | "code" | "codeKind">): EntityKindValue {
  if (row.entityType) {
    let kind = kindCache.get(row.entityType);
    if (kind === undefined) {
      kind = "other";
      for (const [re, k] of KIND_WORDS)
        if (re.test(row.entityType)) {
          kind = k;
          break;
        }
      if (kindCache.size < 10_000) kindCache.set(row.entityType, kind);
    }
    return kind;
  }
  if (row.codeKind === "legacy" && /^\d{6}NA/.test(row.code)) return "cooperative"; // 农民专业合作社注册号
  if (row.codeKind === "creditCode" && row.code.charCodeAt(0) === 57 /* 9 */) {
    const c = row.code[1];
    return c === "1" ? "enterprise" : c === "2" ? "individual" : c === "3" ? "cooperative" : "other";
  }
  return "other";
}

const STATUS_WORDS: [RegExp, string][] = [
  [/^(存续|在业|开业|正常|active|在营|登记成立)/i, "active"],
  // before 注销: registration systems write a revoked entity that was never deregistered as 吊销，未注销
  [/^吊销[，,、\s（(]*未注销/, "revoked"],
  [/注销|deregistered/i, "deregistered"],
  [/吊销|revoked/i, "revoked"],
  [/撤销|cancelled/i, "cancelled"],
  [/迁出|moved/i, "moved-out"],
  [/停业|歇业|关闭|清算|closed/i, "closed"],
];

const statusCache = new Map<string, string | null>();

/** The model's status for 状态 text ("active" when the cell is empty), or null when unknown. */
export function entityStatus(s: string | null): string | null {
  if (s === null) return "active";
  let v = statusCache.get(s);
  if (v !== undefined) return v;
  v = null;
  const t = s.trim();
  for (const [re, value] of STATUS_WORDS)
    if (re.test(t)) {
      v = value;
      break;
    }
  if (statusCache.size < 10_000) statusCache.set(s, v);
  return v;
}

export type ColumnType = "text" | "bool" | "int" | "json";

export interface TargetColumn {
  name: string;
  type: ColumnType;
  /** The parser field whose presence in the file allows an update of this column; null = always. */
  field: string | null;
}

/** Columns written for an entity, in the order of `entityValues`. `code` is the conflict key. */
export const ENTITY_TARGET: readonly TargetColumn[] = [
  { name: "code", type: "text", field: null },
  { name: "code_kind", type: "text", field: null },
  { name: "code_as_written", type: "text", field: null },
  { name: "checksum_failed", type: "bool", field: null },
  { name: "name", type: "text", field: null },
  { name: "district_code", type: "text", field: null },
  { name: "address", type: "text", field: "address" },
  { name: "industry_code", type: "text", field: "industryCode" },
  { name: "kind", type: "text", field: "entityType" },
  { name: "status", type: "text", field: "status" },
  { name: "risk_class", type: "text", field: "riskClass" },
  { name: "established_on", type: "text", field: "establishedOn" },
];

/** One entity row's values in ENTITY_TARGET order (`status` already mapped and known). */
export function entityValues(r: EntityRow, checksumFailed: boolean, status: string): unknown[] {
  return [
    r.code,
    r.codeKind === "creditCode" ? "uscc" : r.codeKind === "registrationNumber" ? "regno" : "legacy",
    r.codeAsWritten,
    checksumFailed,
    r.name,
    r.districtCode,
    r.address,
    r.industryCode,
    entityKind(r),
    status,
    r.riskClass,
    r.establishedOn,
  ];
}

/** Columns written for an inspector. `certificate_no` is the conflict key. */
export const INSPECTOR_TARGET: readonly TargetColumn[] = [
  { name: "certificate_no", type: "text", field: null },
  { name: "department_id", type: "int", field: null },
  { name: "name", type: "text", field: null },
  { name: "qualifications", type: "json", field: "qualifications" },
  { name: "specialities", type: "json", field: "specialities" },
  { name: "districts", type: "json", field: "districts" },
  { name: "active", type: "bool", field: "active" },
];

export function inspectorValues(r: InspectorRow, departmentId: number): unknown[] {
  return [r.certificateNo, departmentId, r.name, r.qualifications, r.specialities, r.districts, r.active];
}

/** The columns an update may change, given the fields the file's header has. */
export function updatableColumns(target: readonly TargetColumn[], fields: ReadonlySet<string>): TargetColumn[] {
  return target.slice(1).filter((c) => c.field === null || fields.has(c.field));
}
