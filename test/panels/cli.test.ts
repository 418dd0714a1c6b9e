/**
 * `ssj panel` end to end on a database (as a token user, the API's rules) and `ssj verify` on the
 * manifests it writes: the full one verifies, a department outside the case is refused.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { panelCommand } from "../../src/cli/commands/panel.ts";
import { verifyCommand } from "../../src/cli/commands/verify.ts";
import { createUser } from "../../src/store/repos/users.ts";
import { createPanel } from "../../src/store/repos/panels.ts";
import { fixture, type Fixture } from "../api/helpers.ts";

describe("ssj panel", () => {
  let fx: Fixture;
  let bureauToken: string;
  let panelId: number;
  const saved = { url: process.env.DATABASE_URL, token: process.env.SSJ_TOKEN };
  let out: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), "ssj-panel-cli-"));

  beforeAll(async () => {
    fx = await fixture();
    const p = fx.store.prisma;
    const b = await p.department.create({ data: { code: "T-XZSP-CLI", name: "测试区行政审批局", level: "district", kind: "approval", districtCode: "610113" } });
    const u = await createUser(fx.store, { name: "审批科员", role: "officer", department: b.id }, "test");
    bureauToken = u.token;
    for (let i = 1; i <= 4; i++)
      await p.expert.create({ data: { name: `专家${i}`, certificateNo: `CLI-ZJ-${i}`, specialities: ["技术审查"], districts: ["61"], departmentId: fx.dept.a } });
    const me = await p.user.findFirstOrThrow({ where: { name: "审批科员" } });
    panelId = (await createPanel(fx.store, { purpose: "technicalReview", name: "技术审查（测试）", applicationNo: "CLI-1", subjectCode: "91610113MA6CLI001X", subjectDistrict: "610113", day: "2026-12-20", seats: [{ id: "E1", kind: "expert", speciality: "技术审查", count: 2 }] }, { userId: me.id, role: "officer", departmentId: b.id })).id;
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

  it("commit, external value, run once, substitute, manifest → ssj verify; an outsider is refused", async () => {
    process.env.SSJ_TOKEN = bureauToken;
    out = [];
    expect(await panelCommand.run(["commit", String(panelId), "--source", "测试信标", "--reference", "第 9 轮", "--reserves", "1"])).toBe(0);
    const drawId = Number(/抽取 (\d+)/.exec(out.join("\n"))![1]);
    const frozen = (await fx.store.prisma.panelDraw.findUniqueOrThrow({ where: { id: drawId } })).frozenAt;
    expect(await panelCommand.run(["external", String(drawId), "--value", "42", "--published-at", new Date(frozen.getTime() + 1).toISOString()])).toBe(0);
    expect(await panelCommand.run(["run", String(drawId)])).toBe(0);
    out = [];
    expect(await panelCommand.run(["run", String(drawId)])).toBe(1);
    expect(out.join("\n")).toMatch(/只能进行一次/);
    out = [];
    expect(await panelCommand.run(["show", String(panelId)])).toBe(0);
    const first = /席位 E1：(CLI-ZJ-\d)/.exec(out.join("\n"))![1]!;
    out = [];
    expect(await panelCommand.run(["substitute", String(drawId), "--seat", "E1", "--out", first, "--reason", "临时出差"])).toBe(0);
    expect(out.join("\n")).toMatch(/递补：CLI-ZJ-\d/);
    const full = join(dir, "full.json");
    const pub = join(dir, "public.json");
    expect(await panelCommand.run(["manifest", String(drawId), "--out", full])).toBe(0);
    expect(await panelCommand.run(["manifest", String(drawId), "--public", "--out", pub])).toBe(0);
    expect(readFileSync(pub, "utf8")).not.toMatch(/CLI-ZJ|专家\d|临时出差/);
    for (const f of [full, pub]) {
      out = [];
      expect(await verifyCommand.run([f]), out.join("\n")).toBe(0);
      expect(out.join("\n")).toMatch(/一致：专家和人员抽取/);
    }
    process.env.SSJ_TOKEN = fx.tokens.officerA;
    out = [];
    expect(await panelCommand.run(["show", String(panelId)])).toBe(1);
    expect(out.join("\n")).toMatch(/被拒绝.*FORBIDDEN/);
    expect(await panelCommand.run(["manifest", String(drawId), "--out", join(dir, "x.json")])).toBe(1);
  });
});
