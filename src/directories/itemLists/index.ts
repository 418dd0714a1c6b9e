export * from "./cfb.ts";
export * from "./biff8.ts";
export * from "./grid.ts";
export * from "./itemLists.ts";
