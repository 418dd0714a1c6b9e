/**
 * Loose handles the repositories use: the store's Prisma client or a transaction client.
 * (Typed loosely so repositories work with both generated clients, SQLite and PostgreSQL.)
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Db = any;

/** What the repositories need of the persistence engineer's Store. */
export interface RepoStore {
  kind: "sqlite" | "postgresql";
  prisma?: Db;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  [key: string]: any;
}

/** An error a repository raises on purpose; the API maps it 1:1 to its error shape. */
export class RepoError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly details?: unknown[],
  ) {
    super(message);
    this.name = "RepoError";
  }
}

export const isUniqueViolation = (err: unknown): boolean => (err as { code?: unknown })?.code === "P2002";
