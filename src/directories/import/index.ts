export * from "./cells.ts";
export * from "./source.ts";
export * from "./rowReaders.ts";
export * from "./schema.ts";
export * from "./importer.ts";
export * from "./files.ts";
export * from "./xlsxReader.ts";
export * from "./templates.ts";
