/** `ssj draw` over a real (temporary SQLite) store, then `ssj verify` on the exported manifest. */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { drawCommand } from "../../src/cli/commands/draw.ts";
import { verifyCommand } from "../../src/cli/commands/verify.ts";
import { fixture, seedBatch, type Fixture } from "../api/helpers.ts";

describe("ssj draw", () => {
  let fx: Fixture;
  let batchId: number;
  const saved = process.env.DATABASE_URL;
  let out: string[] = [];

  beforeAll(async () => {
    fx = await fixture();
    ({ batchId } = await seedBatch(fx, { entities: 40, count: 2 }));
    process.env.DATABASE_URL = `file:${join(fx.dir, "test.db")}`;
    vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => void out.push(a.join(" ")));
    vi.spyOn(console, "error").mockImplementation((...a: unknown[]) => void out.push(a.join(" ")));
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    if (saved === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = saved;
    await fx.close();
  });

  it("commits, takes the external value, draws once, refuses a second draw, exports a manifest that verifies", async () => {
    out = [];
    expect(await drawCommand.run(["commit", String(batchId), "--source", "drand", "--reference", "quicknet round 1"])).toBe(0);
    const drawId = Number(/^draw (\d+)/.exec(out[0]!)![1]);
    expect(out.join("\n")).toMatch(/committed\n\s+commitment [0-9a-f]{64}/);
    const future = new Date(Date.now() + 60_000).toISOString();
    expect(await drawCommand.run(["external", String(drawId), "--value", "7c1e", "--published-at", future])).toBe(0);
    out = [];
    expect(await drawCommand.run(["run", String(drawId)])).toBe(0);
    expect(out.join("\n")).toMatch(/: drawn\n[\s\S]*selected 16/);
    out = [];
    expect(await drawCommand.run(["run", String(drawId)])).toBe(1);
    expect(out.join("\n")).toMatch(/refused: .*already been drawn/);
    const file = join(fx.dir, "manifest.json");
    expect(await drawCommand.run(["manifest", String(drawId), "--out", file])).toBe(0);
    out = [];
    expect(await verifyCommand.run([file])).toBe(0);
    expect(out.join("\n")).toMatch(/^OK: draw of batch/);
    expect(await drawCommand.run(["void", String(drawId), "--reason", "测试作废"])).toBe(0);
    await expect(drawCommand.run(["void", String(drawId)])).rejects.toThrow(/--reason is required/);
  });
});
