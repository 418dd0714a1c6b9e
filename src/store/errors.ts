/**
 * Classifying database errors the same way on both providers.
 *
 * The drivers report rule violations differently: SQLite CHECK rules are triggers here (see
 * prisma/constraints.ts), whose RAISE the SQLite adapter reports as a foreign-key error (P2003);
 * PostgreSQL reports SQLSTATE codes. Use `dbErrorKind(err)` instead of Prisma error codes when the
 * kind matters.
 */
export type DbErrorKind = "unique" | "foreign-key" | "check" | "not-null" | "append-only" | "recusal" | "immutable";

function texts(err: unknown, depth = 0): string[] {
  if (!err || typeof err !== "object" || depth > 4) return [];
  const e = err as Record<string, unknown>;
  const out: string[] = [];
  for (const k of ["message", "code", "originalCode", "originalMessage", "kind"]) if (typeof e[k] === "string") out.push(e[k] as string);
  for (const k of ["cause", "meta"]) out.push(...texts(e[k], depth + 1));
  if (e.meta && typeof e.meta === "object") out.push(...texts((e.meta as Record<string, unknown>).driverAdapterError, depth + 1));
  return out;
}

/** The database's own words: the driver's code and message, when the error carries them. */
function driverTexts(err: unknown): string[] {
  const e = err as Record<string, unknown> | null;
  if (!e || typeof e !== "object") return [];
  const meta = e.meta as Record<string, unknown> | undefined;
  const adapter = (meta?.driverAdapterError ?? (e.name === "DriverAdapterError" ? e : undefined)) as Record<string, unknown> | undefined;
  const out = typeof e.code === "string" ? [e.code] : [];
  if (adapter) out.push(...texts(adapter));
  return adapter ? out : [];
}

export function dbErrorKind(err: unknown): DbErrorKind | null {
  // Prisma's own `message` quotes the calling source code; prefer the driver's words when present.
  const driver = driverTexts(err);
  const all = (driver.length > 0 ? driver : texts(err)).join("\n");
  if (/append-only/.test(all)) return "append-only";
  if (/recused inspector/.test(all)) return "recusal";
  if (/cannot be changed|is never deleted|a reveal is made once/.test(all)) return "immutable";
  if (/CHECK constraint failed|violates check constraint|\b23514\b/.test(all)) return "check";
  if (/\bP2002\b|UNIQUE constraint failed|duplicate key value|\b23505\b|UniqueConstraintViolation/.test(all)) return "unique";
  if (/NOT NULL constraint failed|violates not-null|\b23502\b|NullConstraintViolation|\bP2011\b/.test(all)) return "not-null";
  if (/\bP2003\b|FOREIGN KEY constraint failed|violates foreign key|\b23503\b|ForeignKeyConstraintViolation/.test(all)) return "foreign-key";
  return null;
}
