/**
 * What `buildApp` accepts as a store. Route plugins use the persistence engineer's full `Store`
 * (src/store/index.ts) via `app.ssj.store`; `buildApp` itself only needs this much, so tests of
 * single route groups may pass a stand-in.
 */
import type { Store } from "../src/store/index.ts";

export interface ApiStore {
  kind: "sqlite" | "postgresql";
  schemaVersion(): Promise<unknown>;
  close(): Promise<void>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  [key: string]: any;
}

export type { Store };
