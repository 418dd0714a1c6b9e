/** Directory files (entities, inspectors) into the database: see importDirectory.ts. */
export * from "./importDirectory.ts";
export { entityKind, entityStatus } from "./mapping.ts";
export { appendAuditPgRaw, appendAuditSqliteRaw } from "./rawAudit.ts";
export { verifyChangeParts, partDigest, type ChangeSummary } from "./changeLog.ts";
