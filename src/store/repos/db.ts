/**
 * Loose handles the repositories use: the store's Prisma client or a transaction client.
 * (Typed loosely so repositories work with both generated clients, SQLite and PostgreSQL.)
 */
import type { Store, Tx } from "../index.ts";

export type { Db, Tx } from "../index.ts";
export type RepoStore = Store;
/** Transaction client (the repositories run every change in one). */
export type TxDb = Tx;

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
