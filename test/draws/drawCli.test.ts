/**
 * `ssj draw` acts as an authenticated user under the API's rules (issue 8, observation 5): no
 * token, no ceremony; an administrator's token cannot commit or reveal a department's secret; an
 * officer commits only for their own department; a secret used before is refused. Then a full
 * external-seed ceremony from the shell, and `ssj verify` on the exported manifests.
 */
import { join } from "node:path";
import { writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { drawCommand } from "../../src/cli/commands/draw.ts";
import { verifyCommand } from "../../src/cli/commands/verify.ts";
import { secretCommand, explainMismatch } from "../../src/cli/commands/secret.ts";
import { fixture, seedBatch, type Fixture } from "../api/helpers.ts";
import { newSecret, secretHash } from "../api/support/ceremony.ts";
import { createHash } from "node:crypto";

describe("ssj draw", () => {
  let fx: Fixture;
  let batchId: number;
  const saved = { url: process.env.DATABASE_URL, token: process.env.SSJ_TOKEN };
  let out: string[] = [];
  const as = (who: keyof Fixture["tokens"] | null) => {
    if (who) process.env.SSJ_TOKEN = fx.tokens[who];
    else delete process.env.SSJ_TOKEN;
  };

  beforeAll(async () => {
    fx = await fixture();
    ({ batchId } = await seedBatch(fx, { entities: 40, count: 2 }));
    process.env.DATABASE_URL = `file:${join(fx.dir, "test.db")}`;
    vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => void out.push(a.join(" ")));
    vi.spyOn(console, "error").mockImplementation((...a: unknown[]) => void out.push(a.join(" ")));
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    for (const [k, v] of [["DATABASE_URL", saved.url], ["SSJ_TOKEN", saved.token]] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await fx.close();
  });

  it("without a token nothing happens; an administrator can never hold a department's secret", async () => {
    as(null);
    await expect(drawCommand.run(["commit", String(batchId), "--commit-reveal"])).rejects.toThrow(/SSJ_TOKEN/);
    as("officerA");
    out = [];
    expect(await drawCommand.run(["commit", String(batchId), "--commit-reveal"])).toBe(0);
    const drawId = Number(/^抽取 (\d+)/.exec(out[0]!)![1]);
    as("admin");
    out = [];
    expect(await drawCommand.run(["secret", String(drawId), "--hash", secretHash(newSecret())])).toBe(1);
    expect(out.join("\n")).toMatch(/秘密值只能由参与部门的科员本人提交/);
    // an officer's secret goes to their own department, whatever they wish
    as("officerB");
    const s = newSecret();
    expect(await drawCommand.run(["secret", String(drawId), "--hash", secretHash(s)])).toBe(0);
    const rows = await fx.store.prisma.drawCommitment.findMany({ where: { drawId } });
    expect(rows.map((r) => r.departmentId)).toEqual([fx.dept.b]);
    expect((await fx.store.prisma.auditLog.findFirstOrThrow({ where: { action: "draw.secretCommitment" } })).actor).toMatch(/^user:\d+$/);
    // void, then the same secret in the next attempt: refused (it was revealed or could be)
    as("officerA");
    expect(await drawCommand.run(["void", String(drawId), "--reason", "演练结束，作废"])).toBe(0);
    out = [];
    expect(await drawCommand.run(["commit", String(batchId), "--commit-reveal"])).toBe(0);
    const second = Number(/^抽取 (\d+)/.exec(out[0]!)![1]);
    as("officerB");
    out = [];
    expect(await drawCommand.run(["secret", String(second), "--hash", secretHash(s)])).toBe(1);
    expect(out.join("\n")).toMatch(/以前用过/);
    as("officerA");
    expect(await drawCommand.run(["void", String(second), "--reason", "演练结束，作废"])).toBe(0);
  });

  it("external seed from the shell: commit, value, draw once, refuse a second draw; both manifests verify", async () => {
    as("officerA");
    out = [];
    expect(await drawCommand.run(["commit", String(batchId), "--source", "drand", "--reference", "quicknet round 1"])).toBe(0);
    const drawId = Number(/^抽取 (\d+)/.exec(out[0]!)![1]);
    expect(out.join("\n")).toMatch(/已承诺[\s\S]*承诺值\s+[0-9a-f]{64}/);
    const frozenAt = (await fx.store.prisma.draw.findUniqueOrThrow({ where: { id: drawId } })).frozenAt!;
    expect(await drawCommand.run(["external", String(drawId), "--value", "7c1e", "--published-at", new Date(frozenAt.getTime() + 1).toISOString()])).toBe(0);
    out = [];
    expect(await drawCommand.run(["run", String(drawId)])).toBe(0);
    expect(out.join("\n")).toMatch(/已抽取[\s\S]*抽中 16/);
    out = [];
    expect(await drawCommand.run(["run", String(drawId)])).toBe(1);
    expect(out.join("\n")).toMatch(/被拒绝.*已经抽取过/);
    const full = join(fx.dir, "manifest.json");
    const pub = join(fx.dir, "public.json");
    expect(await drawCommand.run(["manifest", String(drawId), "--out", full])).toBe(0);
    expect(await drawCommand.run(["manifest", String(drawId), "--public", "--out", pub])).toBe(0);
    const commitment = (await fx.store.prisma.draw.findUniqueOrThrow({ where: { id: drawId } })).commitment;
    out = [];
    expect(await verifyCommand.run([full, "--commitment", commitment])).toBe(0);
    expect(out.join("\n")).toMatch(/^一致：.*完整清单/);
    out = [];
    expect(await verifyCommand.run([pub, "--commitment", commitment])).toBe(0);
    expect(out.join("\n")).toMatch(/公开清单[\s\S]*只有完整清单/);
    expect(await verifyCommand.run([pub, "--commitment", "0".repeat(64)])).toBe(1);
    await expect(drawCommand.run(["void", String(drawId)])).rejects.toThrow(/缺少 --reason/);
  });
});

describe("ssj secret", () => {
  it("makes a 32-byte secret on this machine, prints the commitment and a receipt, and explains mismatches", async () => {
    const logs: string[] = [];
    const spy = vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => void logs.push(a.join(" ")));
    try {
      const dir = (await import("node:fs")).mkdtempSync(join((await import("node:os")).tmpdir(), "ssj-secret-"));
      const file = join(dir, "secret.txt");
      expect(await secretCommand.run(["new", "--out", file, "--department", "测试市市场监督管理局"])).toBe(0);
      const secret = (await import("node:fs")).readFileSync(file, "utf8").trim();
      expect(secret).toMatch(/^[0-9a-f]{64}$/);
      expect(logs.join("\n")).toContain(secretHash(secret));
      expect(logs.join("\n")).toMatch(/回执[\s\S]*经办人签字/);
      await expect(secretCommand.run(["new", "--out", file])).rejects.toThrow(/不覆盖/);
      expect(await secretCommand.run(["check", "--secret-file", file, "--hash", secretHash(secret)])).toBe(0);
      logs.length = 0;
      const textHash = createHash("sha256").update(secret, "utf8").digest("hex");
      expect(await secretCommand.run(["check", "--secret-file", file, "--hash", textHash])).toBe(1);
      expect(logs.join("\n")).toMatch(/“文本”.*32 个“字节”/);
      expect(explainMismatch(`${secret}\n`, createHash("sha256").update(`${secret}\n`).digest("hex"))).toMatch(/“文本”|换行/);
      expect(explainMismatch(secret.slice(0, 62), secretHash(secret))).toMatch(/62 位/);
      expect(explainMismatch(secret, secretHash(newSecret()))).toMatch(/不是这个秘密值生成的/);
      writeFileSync(file + "2", secret.toUpperCase());
      expect(explainMismatch(secret.toUpperCase(), secretHash(secret))).toMatch(/小写/);
    } finally {
      spy.mockRestore();
    }
  });
});
