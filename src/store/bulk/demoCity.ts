/**
 * Writes a generated demo city (src/demo/city.ts) into the store's tables with `bulkInsert`: one
 * transaction for the whole city, explicit ids (the generator's 1-based ids), entities streamed in
 * batches. The table and column names are those of prisma/schema.base.prisma (@@map / @map);
 * created_at / updated_at take their database defaults.
 */
import type { DemoCity, DemoEntity, EntityGenerator } from "../../demo/city.ts";
import type { Store } from "../index.ts";
import { bulkInsert, type BulkColumn, type BulkInsertResult, type BulkProgress, type BulkTable } from "./bulkInsert.ts";

const c = (name: string, type: BulkColumn["type"]): BulkColumn => ({ name, type });

export const DEMO_TABLES = [
  "departments",
  "inspection_items",
  "joint_templates",
  "joint_template_partners",
  "joint_template_items",
  "entities",
  "inspectors",
  "experts",
  "recusals",
] as const;

function* once<T>(rows: T[][]): Generator<T[][]> {
  yield rows;
}

function* chunks<T>(rows: T[][], size: number): Generator<T[][]> {
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
}

function* entityRows(gen: EntityGenerator, batchSize: number): Generator<unknown[][]> {
  for (const batch of gen.batches(batchSize)) {
    yield batch.map((e: DemoEntity) => [
      e.id,
      e.code,
      e.codeKind,
      e.checksumFailed,
      e.name,
      e.districtCode,
      e.address,
      e.industryCode,
      e.kind,
      e.status,
      e.riskClass,
      e.size,
      e.establishedOn,
      e.statusChangedOn,
    ]);
  }
}

export function demoCityTables(city: DemoCity, entities: EntityGenerator, batchSize = 10_000): BulkTable[] {
  if (entities.count !== city.entityCount || entities.seed !== city.seed) throw new Error("entity generator does not match the city (seed or size)");
  return [
    {
      table: "departments",
      explicitIds: true,
      columns: [c("id", "int"), c("code", "text"), c("name", "text"), c("level", "text"), c("district_code", "text"), c("parent_id", "int"), c("active", "bool")],
      total: city.departments.length,
      batches: once(city.departments.map((d) => [d.id, d.code, d.name, d.level, d.districtCode, d.parentId, true])),
    },
    {
      table: "inspection_items",
      explicitIds: true,
      columns: [
        c("id", "int"),
        c("department_id", "int"),
        c("code", "text"),
        c("category", "text"),
        c("name", "text"),
        c("target", "text"),
        c("legal_basis", "text"),
        c("content", "text"),
        c("methods", "json"),
        c("importance", "text"),
        c("source", "text"),
        c("active", "bool"),
      ],
      total: city.items.length,
      batches: once(city.items.map((x) => [x.id, x.departmentId, x.code, x.category, x.name, x.target, x.legalBasis, x.content, x.methods, x.importance, x.source, true])),
    },
    {
      table: "joint_templates",
      explicitIds: true,
      columns: [c("id", "int"), c("code", "text"), c("field", "text"), c("name", "text"), c("target", "text"), c("lead_department_id", "int")],
      total: city.jointTemplates.length,
      batches: once(city.jointTemplates.map((t) => [t.id, t.code, t.field, t.name, t.target, t.leadDepartmentId])),
    },
    {
      table: "joint_template_partners",
      columns: [c("template_id", "int"), c("department_id", "int")],
      total: city.jointTemplates.reduce((n, t) => n + t.partnerDepartmentIds.length, 0),
      batches: once(city.jointTemplates.flatMap((t) => t.partnerDepartmentIds.map((d) => [t.id, d]))),
    },
    {
      table: "joint_template_items",
      columns: [c("template_id", "int"), c("item_id", "int")],
      total: city.jointTemplates.reduce((n, t) => n + t.itemIds.length, 0),
      batches: once(city.jointTemplates.flatMap((t) => t.itemIds.map((i) => [t.id, i]))),
    },
    {
      table: "entities",
      explicitIds: true,
      columns: [
        c("id", "int"),
        c("code", "text"),
        c("code_kind", "text"),
        c("checksum_failed", "bool"),
        c("name", "text"),
        c("district_code", "text"),
        c("address", "text"),
        c("industry_code", "text"),
        c("kind", "text"),
        c("status", "text"),
        c("risk_class", "text"),
        c("size", "text"),
        c("established_on", "text"),
        c("status_changed_on", "text"),
      ],
      total: city.entityCount,
      batches: entityRows(entities, batchSize),
    },
    {
      table: "inspectors",
      explicitIds: true,
      columns: [
        c("id", "int"),
        c("department_id", "int"),
        c("name", "text"),
        c("certificate_no", "text"),
        c("qualifications", "json"),
        c("specialities", "json"),
        c("districts", "json"),
        c("active", "bool"),
      ],
      total: city.inspectors.length,
      batches: chunks(
        city.inspectors.map((p) => [p.id, p.departmentId, p.name, p.certificateNo, p.qualifications, p.specialities, p.districts, p.active]),
        batchSize,
      ),
    },
    {
      table: "experts",
      explicitIds: true,
      columns: [c("id", "int"), c("name", "text"), c("certificate_no", "text"), c("organization", "text"), c("specialities", "json"), c("districts", "json"), c("active", "bool")],
      total: city.experts.length,
      batches: once(city.experts.map((x) => [x.id, x.name, x.certificateNo, x.organization, x.specialities, x.districts, x.active])),
    },
    {
      table: "recusals",
      explicitIds: true,
      columns: [c("id", "int"), c("inspector_id", "int"), c("entity_id", "int"), c("reason", "text")],
      total: city.recusals.length,
      batches: chunks(
        city.recusals.map((r) => [r.id, r.inspectorId, r.entityId, r.reason]),
        batchSize,
      ),
    },
  ];
}

/** Writes the whole city in one transaction; refuses (nothing written) unless every demo table is empty. */
export async function writeDemoCity(
  store: Store,
  city: DemoCity,
  entities: EntityGenerator,
  onProgress?: (p: BulkProgress) => void,
): Promise<BulkInsertResult> {
  return bulkInsert(store, demoCityTables(city, entities, 10_000), { requireEmpty: true, ...(onProgress ? { onProgress } : {}) });
}
