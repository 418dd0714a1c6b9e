/**
 * Writes the synthetic import corpus (test/directories/corpus.ts) to a folder, to try by hand:
 *
 *   npx tsx test/directories/write-corpus.mts /tmp/corpus
 *   npm run ssj -- import entities /tmp/corpus/万宁市主体名录.xls --district 469006
 *   npm run ssj -- import entities /tmp/corpus/秀英个体户.csv --map 商户名称=name --map 备注=-
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { countyXls, inspectorsXlsx, pinyinXlsx, unifiedCodeCsv } from "./corpus.ts";

const dir = process.argv[2];
if (!dir) {
  console.error("用法：npx tsx test/directories/write-corpus.mts <目录>");
  process.exit(2);
}
mkdirSync(dir, { recursive: true });
const files: [string, Uint8Array][] = [
  ["万宁市主体名录.xls", countyXls().bytes],
  ["文昌市数据导出.xlsx", (await pinyinXlsx()).bytes],
  ["秀英个体户.csv", unifiedCodeCsv().bytes],
  ["执法人员.xlsx", (await inspectorsXlsx("市场监督管理局")).bytes],
];
for (const [name, bytes] of files) {
  writeFileSync(join(dir, name), bytes);
  console.log(`${join(dir, name)}（${bytes.length} 字节）`);
}
