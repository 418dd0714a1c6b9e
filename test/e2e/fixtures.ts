/**
 * Synthetic published data for the public read-path tests and the end-to-end browser test.
 * Synthetic people and entities only.
 */
import Database from "better-sqlite3";
import { creditCodeCheckChar } from "../../src/directories/creditCode.ts";
import type { PublicRecord } from "../../src/store/readModel/index.ts";

/** A valid 统一社会信用代码 for sequence number n (district 350102). */
export function creditCode(n: number): string {
  const org = n.toString(31).toUpperCase().padStart(9, "0");
  const ALPHA = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  const body = `91350102${[...org].map((c) => ALPHA[parseInt(c, 31)]).join("")}`;
  return body + creditCodeCheckChar(body);
}

export const KNOWN = {
  code: creditCode(424242),
  name: "福州市鼓楼区闽味餐饮管理有限公司",
  drawId: "D-2026-0001",
  planId: "P-2026-01",
};

export function fixtureRecords(): PublicRecord[] {
  const recs: PublicRecord[] = [
    {
      kind: "plan",
      id: KNOWN.planId,
      name: "2026年度食品经营联合抽查计划",
      year: 2026,
      leadDepartment: "福州市市场监督管理局",
      departments: ["福州市市场监督管理局", "福州市卫生健康委员会"],
      description: "部门联合、不定向抽查",
      publishedAt: "2026-01-10T02:00:00.000Z",
    },
    {
      kind: "draw",
      id: KNOWN.drawId,
      planId: KNOWN.planId,
      planName: "2026年度食品经营联合抽查计划",
      batchName: "第一批次",
      department: "福州市市场监督管理局",
      subject: "检查对象",
      drawnAt: "2026-02-03T02:00:00.000Z",
      publishedAt: "2026-02-03T03:00:00.000Z",
      commitment: "sha256:5f0c6f3e1b0a5b1f2e7c9d8a6b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c",
      seed: "8d3f1a2b9c7e6d5f",
      seedProvenance: "中国福利彩票“快乐8”2026030期开奖号码（2026-02-03 21:30 公布）",
      algorithm: "ssj-draw-v1 (SHA-256 ticket order)",
      populationCount: 1200,
      selectedCount: 36,
      manifest: `{"format":"ssj-draw-manifest","version":1,"drawId":"${KNOWN.drawId}","selected":["${KNOWN.code}"]}\n`,
    },
    {
      kind: "result",
      id: "R-KNOWN",
      entityCode: KNOWN.code,
      entityName: KNOWN.name,
      taskNumber: "2026-SJ-0001",
      taskName: "食品经营许可事项抽查",
      department: "福州市市场监督管理局",
      checkDate: "2026-03-05",
      results: ["发现问题已责令改正"],
      publishedAt: "2026-03-20T01:00:00.000Z",
      planId: KNOWN.planId,
      drawId: KNOWN.drawId,
    },
  ];
  const words = ["餐饮", "五金", "建材", "科技", "药房", "物流", "酒店", "餐厅", "超市", "汽修"];
  const depts = ["福州市市场监督管理局", "福州市卫生健康委员会", "福州市生态环境局"];
  for (let i = 0; i < 60; i++) {
    recs.push({
      kind: "result",
      id: `R-${i}`,
      entityCode: creditCode(1000 + i),
      entityName: `福州市${["鼓楼区", "台江区", "仓山区"][i % 3]}${words[i % words.length]}${i}号有限公司`,
      taskNumber: `2026-SJ-${String(100 + i).padStart(4, "0")}`,
      taskName: ["食品经营许可事项抽查", "公共场所卫生抽查", "排污许可抽查"][i % 3]!,
      department: depts[i % 3]!,
      checkDate: `2026-0${1 + (i % 6)}-${String(1 + (i % 28)).padStart(2, "0")}`,
      results: [i % 4 === 0 ? "发现问题待后续处理" : "未发现问题"],
      publishedAt: `2026-07-01T00:00:${String(i % 60).padStart(2, "0")}.000Z`,
    });
  }
  return recs;
}

/** A temp-file or in-memory SQLite "store" with just what the read model and buildApp need. */
export function sqliteStore(file = ":memory:") {
  const raw = new Database(file);
  raw.pragma("journal_mode = WAL");
  return {
    kind: "sqlite" as const,
    raw,
    schemaVersion: async () => "test",
    close: async () => {
      raw.close();
    },
  };
}
