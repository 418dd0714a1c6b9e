/**
 * The part of the persistence engineer's `Store` (src/store/index.ts) that the API relies on.
 * Kept structural so the HTTP layer can be built and tested while the store evolves.
 */
export interface ApiStore {
  kind: "sqlite" | "postgresql";
  schemaVersion(): Promise<string | number | null>;
  isEmpty?(): Promise<boolean>;
  migrate?(): Promise<unknown>;
  close(): Promise<void>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  prisma?: any;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  [key: string]: any;
}
