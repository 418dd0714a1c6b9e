import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { main } from "../../src/cli/main.ts";
import { importDirectory } from "../../src/store/repos/imports.ts";
import { creditCode, fixture, type Fixture } from "./helpers.ts";

function multipart(fileName: string, content: string | Buffer, contentType = "text/csv") {
  const boundary = "----ssjtest" + Math.random().toString(16).slice(2);
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: ${contentType}\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { payload: Buffer.concat([head, Buffer.isBuffer(content) ? content : Buffer.from(content, "utf8"), tail]), headers: { "content-type": `multipart/form-data; boundary=${boundary}` } };
}

describe("directory import", () => {
  let fx: Fixture;
  const good1 = creditCode(9001);
  const good2 = creditCode(9002);
  const badCheck = good1.slice(0, 17) + (good1[17] === "0" ? "1" : "0");
  const csv = [
    "统一社会信用代码,企业名称,区划码,行业代码,主体类型,登记状态,风险等级",
    `${good1},海口测试餐饮有限公司,460105,H6210,有限责任公司,存续,B`,
    `${good2},琼山区测试便利店,460107,F5212,个体工商户,在业,低风险`,
    `9.1460100123E+17,数字被Excel吃掉的公司,460105,H6210,有限责任公司,存续,A`,
    `${badCheck},校验位不对的老企业,460106,,有限责任公司,存续,C`,
    `${creditCode(9003)},状态不明公司,460106,,有限责任公司,神秘状态,C`,
    `${creditCode(9004)},,460106,,有限责任公司,存续,C`,
  ].join("\n");

  beforeAll(async () => {
    fx = await fixture();
  });
  afterAll(async () => fx.close());

  it("imports valid rows, reports every rejected/flagged row with row, field, rule", async () => {
    const res = await fx.as("admin", { method: "POST", url: "/imports/entities", ...multipart("entities.csv", csv) });
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json();
    expect(r).toMatchObject({ kind: "entities", format: "csv", rowsRead: 6, accepted: 3, rejected: 3, flagged: 1, created: 3, updated: 0 });
    const issues = r.issues.map((i: { row: number; field: string; rule: string; severity: string }) => [i.row, i.field, i.severity]);
    expect(issues).toContainEqual([4, "code", "error"]);
    expect(issues).toContainEqual([5, "code", "flag"]);
    expect(issues).toContainEqual([6, "status", "error"]);
    expect(issues).toContainEqual([7, "name", "error"]);
    const flagged = await fx.store.prisma.entity.findUnique({ where: { code: badCheck } });
    expect(flagged).toMatchObject({ checksumFailed: true, riskClass: "C" });
    const indiv = await fx.store.prisma.entity.findUnique({ where: { code: good2 } });
    expect(indiv).toMatchObject({ kind: "individual", riskClass: "A", status: "active" });
  });

  it("importing the same file twice changes nothing", async () => {
    const before = await fx.store.prisma.entity.count();
    const res = await fx.as("admin", { method: "POST", url: "/imports/entities", ...multipart("entities.csv", csv) });
    expect(res.json()).toMatchObject({ created: 0, updated: 0, unchanged: 3 });
    expect(await fx.store.prisma.entity.count()).toBe(before);
  });

  it("a rejected file leaves the database unchanged (422, nothing written, not even the audit log)", async () => {
    const entities = await fx.store.prisma.entity.count();
    const audit = await fx.store.prisma.auditLog.count();
    const res = await fx.as("admin", { method: "POST", url: "/imports/entities", ...multipart("junk.csv", "这不是名录\n随便写点什么\n") });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: "IMPORT_HEADER", field: "file" });
    // a file whose rows are fine but that breaks half-way: rows of the first batch are rolled back too
    const broken = csv + "\n" + `${creditCode(9010)},半截公司,460105,H6210,有限责任公司,存续,B` + "\n\"unterminated,quote";
    const res2 = await fx.as("admin", { method: "POST", url: "/imports/entities", ...multipart("broken.csv", broken) });
    expect(res2.statusCode).toBe(422);
    expect(await fx.store.prisma.entity.count()).toBe(entities);
    expect(await fx.store.prisma.entity.findUnique({ where: { code: creditCode(9010) } })).toBeNull();
    expect(await fx.store.prisma.auditLog.count()).toBe(audit);
  });

  it("a file failing after some batches were written rolls back every batch", async () => {
    const entities = await fx.store.prisma.entity.count();
    const rows = Array.from({ length: 1500 }, (_, i) => `${creditCode(20_000 + i)},分批公司${i},460105,H6210,有限责任公司,存续,B`);
    const good = [csv.split("\n")[0], ...rows].join("\n") + "\n";
    // two chunks: the good rows (more than the 64 KiB sniffed at first) are written in batches before the broken tail arrives
    async function* chunks() {
      yield Buffer.from(good);
      await new Promise((r) => setTimeout(r, 10));
      yield Buffer.from('"unterminated,quote\n');
    }
    const seen: number[] = [];
    await expect(
      importDirectory(fx.store, "entities", chunks(), "test", { batchSize: 100, onProgress: (p) => seen.push(p.rowsRead) }),
    ).rejects.toMatchObject({ statusCode: 422 });
    expect(Math.max(...seen)).toBeGreaterThanOrEqual(1000); // batches had been written before the failure
    expect(await fx.store.prisma.entity.count()).toBe(entities);
  });

  it("inspectors: upsert by certificate number; unknown department rejected with its row", async () => {
    const dept = await fx.store.prisma.department.findUniqueOrThrow({ where: { id: fx.dept.a } });
    const file = ["执法证号,姓名,所属部门,执法资质,业务专长,负责区划,在岗", `46010001,张测试,${dept.code},执法证,食品;药品,460105,是`, `46010002,李测试,不存在的局,执法证,,460105,是`, `46010003,王测试,${dept.name},执法证,,460106,否`].join("\n");
    const res = await fx.as("admin", { method: "POST", url: "/imports/inspectors", ...multipart("inspectors.csv", file) });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ accepted: 2, rejected: 1, created: 2 });
    expect(res.json().issues[0]).toMatchObject({ row: 3, field: "department", rule: "unknownDepartment" });
    const again = await fx.as("admin", { method: "POST", url: "/imports/inspectors", ...multipart("inspectors.csv", file) });
    expect(again.json()).toMatchObject({ created: 0, unchanged: 2 });
  });

  it("only admins import; no file → 400; not multipart → 415", async () => {
    expect((await fx.as("officerA", { method: "POST", url: "/imports/entities", ...multipart("e.csv", csv) })).statusCode).toBe(403);
    expect((await fx.as("public", { method: "POST", url: "/imports/entities", ...multipart("e.csv", csv) })).statusCode).toBe(401);
    const json = await fx.as("admin", { method: "POST", url: "/imports/entities", payload: { a: 1 } });
    expect(json.statusCode).toBe(415);
  });

  it("ssj import entities <file> prints the report and is safe twice", async () => {
    if (fx.store.kind !== "sqlite") throw new Error("expects SQLite");
    const dir = mkdtempSync(join(tmpdir(), "ssj-import-"));
    const path = join(dir, "e.csv");
    writeFileSync(path, [csv.split("\n")[0], `${creditCode(9100)},命令行导入公司,460105,H6210,有限责任公司,存续,D`].join("\n"));
    const old = process.env.DATABASE_URL;
    process.env.DATABASE_URL = `file:${fx.store.path}`;
    const out: string[] = [];
    const log = vi.spyOn(console, "log").mockImplementation((s: string) => void out.push(String(s)));
    try {
      expect(await main(["import", "entities", path])).toBe(0);
      expect(out.join("\n")).toMatch(/接受 1 行（新增 1，/);
      expect(await main(["import", "entities", path])).toBe(0);
      expect(out.join("\n")).toMatch(/接受 1 行（新增 0，更新 0，未变 1）/);
      const err = vi.spyOn(console, "error").mockImplementation(() => {});
      writeFileSync(path, "garbage\n");
      expect(await main(["import", "entities", path])).toBe(2);
      expect(await main(["import", "nonsense", path])).toBe(2);
      err.mockRestore();
    } finally {
      log.mockRestore();
      if (old === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = old;
    }
  });
});
