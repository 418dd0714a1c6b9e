/** Thin file-system helpers: open a directory file as a stream, with its size for progress. */
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { importEntities, importInspectors, type DirectoryImport, type ImportOptions } from "./importer.ts";
import type { EntityRow, InspectorRow } from "./schema.ts";

async function open(path: string, options: ImportOptions) {
  const { size } = await stat(path);
  return { stream: createReadStream(path, { highWaterMark: 256 * 1024 }), options: { totalBytes: size, ...options } };
}

export async function importEntitiesFile(path: string, options: ImportOptions = {}): Promise<DirectoryImport<EntityRow>> {
  const o = await open(path, options);
  return importEntities(o.stream, o.options);
}

export async function importInspectorsFile(path: string, options: ImportOptions = {}): Promise<DirectoryImport<InspectorRow>> {
  const o = await open(path, options);
  return importInspectors(o.stream, o.options);
}
