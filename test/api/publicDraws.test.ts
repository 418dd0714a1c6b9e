import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { verifyCommand } from "../../src/cli/commands/verify.ts";
import { canonicalJson } from "../../src/draws/index.ts";
import { publicManifest, type FullManifest2 } from "../../src/draws/v2/index.ts";
import { fixture, seedBatch, type Fixture } from "./helpers.ts";

const secret = () => randomBytes(32).toString("hex");
const commitmentOf = (s: string) => createHash("sha256").update(Buffer.from(s, "hex")).digest("hex");

describe("published draws (一公开)", () => {
  let fx: Fixture;
  let drawId: number;
  let deptCodes: string[];

  beforeAll(async () => {
    fx = await fixture();
    deptCodes = (await fx.store.prisma.department.findMany({ where: { id: { in: [fx.dept.a, fx.dept.b] } }, orderBy: { id: "asc" } })).map((d) => d.code);
    const { batchId } = await seedBatch(fx, { entities: 40, count: 2 });
    const c = await fx.as("officerA", { method: "POST", url: `/batches/${batchId}/draws`, payload: { seed: { mode: "commitReveal" } } });
    drawId = c.json().id;
    const s = { a: secret(), b: secret() };
    await fx.as("officerA", { method: "POST", url: `/draws/${drawId}/commitments`, payload: { hash: commitmentOf(s.a) } });
    await fx.as("officerB", { method: "POST", url: `/draws/${drawId}/commitments`, payload: { hash: commitmentOf(s.b) } });
    await fx.as("officerA", { method: "POST", url: `/draws/${drawId}/reveals`, payload: { secret: s.a } });
    await fx.as("officerB", { method: "POST", url: `/draws/${drawId}/reveals`, payload: { secret: s.b } });
    const run = await fx.as("officerA", { method: "POST", url: `/draws/${drawId}/run` });
    expect(run.statusCode, run.body).toBe(201);
  });
  afterAll(async () => fx.close());

  it("the drawn draw is listed with its public manifest (the full one minus its private parts), which ssj verify accepts", async () => {
    const list = await fx.app.inject({ method: "GET", url: "/api/public/draws" });
    expect(list.statusCode, list.body).toBe(200);
    expect(JSON.stringify(list.json())).toContain(`"${drawId}"`);
    const res = await fx.app.inject({ method: "GET", url: `/api/public/draws/${drawId}/manifest.json` });
    expect(res.statusCode, res.body).toBe(200);
    const full = JSON.parse((await fx.as("auditor", { method: "GET", url: `/draws/${drawId}/manifest` })).body) as FullManifest2;
    expect(res.body).toBe(canonicalJson(publicManifest(full)));
    // no entity's class, no inspector: the private parts appear only as their digests
    expect(res.body).not.toMatch(/"(strata|classKey|recusals|checks|riskClass|private)"\s*:|"officers":\[/);
    expect(JSON.parse(res.body).inputs.public.inspectors.officers).toEqual({ [deptCodes[0]!]: 4, [deptCodes[1]!]: 4 }); // counts only
    expect(res.headers.etag).toBe(`"${full.head}"`);
    const file = join(mkdtempSync(join(tmpdir(), "pubdraw-")), "m.json");
    writeFileSync(file, res.body);
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    try {
      expect(await verifyCommand.run([file])).toBe(0);
      expect(log.mock.calls.flat().join("\n")).toMatch(/^一致：[\s\S]*公开清单[\s\S]*只有完整清单/);
    } finally {
      log.mockRestore();
    }
  });
});

describe("rebuildReadModel includes every draw", () => {
  it("a draw survives a rebuild", async () => {
    const { rebuildReadModel } = await import("../../src/store/readModel/index.ts");
    const fx = await fixture();
    try {
      const { batchId } = await seedBatch(fx, { entities: 20, count: 1 });
      const c = await fx.as("officerA", { method: "POST", url: `/batches/${batchId}/draws`, payload: { seed: { mode: "commitReveal" } } });
      const id = c.json().id;
      const s = { a: secret(), b: secret() };
      await fx.as("officerA", { method: "POST", url: `/draws/${id}/commitments`, payload: { hash: commitmentOf(s.a) } });
      await fx.as("officerB", { method: "POST", url: `/draws/${id}/commitments`, payload: { hash: commitmentOf(s.b) } });
      await fx.as("officerA", { method: "POST", url: `/draws/${id}/reveals`, payload: { secret: s.a } });
      await fx.as("officerB", { method: "POST", url: `/draws/${id}/reveals`, payload: { secret: s.b } });
      expect((await fx.as("officerA", { method: "POST", url: `/draws/${id}/run` })).statusCode).toBe(201);
      await rebuildReadModel(fx.store as never);
      const res = await fx.app.inject({ method: "GET", url: `/api/public/draws/${id}/manifest.json` });
      expect(res.statusCode, res.body).toBe(200);
      expect(JSON.parse(res.body).kind).toBe("public");
    } finally {
      await fx.close();
    }
  });
});
