import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collectImport, importEntitiesFile, importInspectorsFile, type ImportProgress } from "../../src/directories/import/index.ts";
import { parseJointTemplatesFile } from "../../src/directories/itemLists/index.ts";
import { creditCode, csv } from "./helpers.ts";

let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "ssj-imp-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("file helpers", () => {
  it("imports a CSV file from disk with byte progress up to the file size", async () => {
    const lines = ["统一社会信用代码,名称,区划码"];
    for (let i = 1; i <= 3000; i++) lines.push(`${creditCode(i)},示例公司${i},460100`);
    const buf = csv(lines);
    const path = join(dir, "entities.csv");
    await writeFile(path, buf);
    const progress: ImportProgress[] = [];
    const { rows, summary } = await collectImport(await importEntitiesFile(path, { batchSize: 1000, onProgress: (p) => progress.push(p) }));
    expect(rows).toHaveLength(3000);
    expect(summary.bytesRead).toBe(buf.length);
    expect(progress.at(-1)).toEqual({ bytesRead: buf.length, totalBytes: buf.length, rowsRead: 3000 });
  });

  it("imports an inspector CSV file", async () => {
    const path = join(dir, "inspectors.csv");
    await writeFile(path, csv(["姓名,执法证号,部门", "测试员甲,T001,示例局"]));
    const { rows } = await collectImport(await importInspectorsFile(path));
    expect(rows.map((r) => r.value.certificateNo)).toEqual(["T001"]);
  });

  const joint = resolve(import.meta.dirname, "../../../shared/data/real/hainan-joint-inspection-items-v2.xls");
  it.skipIf(!existsSync(joint))("parses the real joint list from its path", async () => {
    expect((await parseJointTemplatesFile(joint)).rows).toHaveLength(83);
  });
});
