/** The demo city: a deterministic synthetic 西安市 (city.ts) and its loader (load.ts). */
export * from "./city.ts";
export { loadDemoCity, DemoCityRefused, type DemoLoadProgress, type DemoLoadResult } from "./load.ts";
