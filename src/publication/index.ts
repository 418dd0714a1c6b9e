export * from "./categories.ts";
export * from "./results.ts";
export * from "./deadlines.ts";
