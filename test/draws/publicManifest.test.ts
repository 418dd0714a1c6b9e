import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import { verifyCommand } from "../../src/cli/commands/verify.ts";
import { buildManifest, freezeInputs, type DrawManifest } from "../../src/draws/index.ts";
import { publicManifest, verifyPublicManifest, type PublicManifest } from "../../src/draws/publicManifest.ts";
import { arbRequest, makeRequest } from "./fixtures.ts";

const external = (value: string) => ({ mode: "external" as const, source: "drand", reference: "round 42", value, publishedAt: "2026-03-01T00:00:00Z" });

function full(): DrawManifest {
  const req = makeRequest({ n: 300, departments: 3 });
  req.seedPlan = { mode: "external", source: "drand", reference: "round 42" };
  return buildManifest({ inputs: freezeInputs(req), provenance: external("abc123") });
}

describe("publicManifest", () => {
  it("never carries a risk class or inspector, and is the deterministic redaction of the full manifest", () => {
    fc.assert(
      fc.property(arbRequest, fc.string({ minLength: 1, maxLength: 8 }), (req, v) => {
        const m = buildManifest({ inputs: freezeInputs(req), provenance: external(v) });
        const pub = publicManifest(m);
        const text = JSON.stringify(pub);
        expect(text).not.toMatch(/"strat(a|um)"/);
        expect(text).not.toMatch(/"inspectors"\s*:\s*[{[]/);
        expect(text).not.toContain('"checks"');
        expect(JSON.stringify(publicManifest(structuredClone(m)))).toBe(text);
        expect(pub.kind).toBe("public");
        expect(pub.redacted).toContain("inputs.pool.strata");
        expect(verifyPublicManifest(JSON.parse(text))).toMatchObject({ ok: true, partial: true });
      }),
      { numRuns: 40 },
    );
  });

  const pub = publicManifest(full());
  const clone = (): PublicManifest => structuredClone(pub);

  it("partial verification accepts the untampered public manifest and says what needs the full one", () => {
    const out = verifyPublicManifest(clone());
    expect(out.ok).toBe(true);
    if (out.ok) expect(out.needsFullManifest.join(" ")).toMatch(/completeness within strata/);
  });

  it.each([
    ["seed", (p: PublicManifest) => (p.seed.value = "0".repeat(64)), "seed.value"],
    ["ticket", (p: PublicManifest) => (p.results.targets[0]!.selected[0]![2] = "0".repeat(16)), "results.targets[0].selected[0][2]"],
    [
      "swapped rank",
      (p: PublicManifest) => {
        const s = p.results.targets[1]!.selected;
        [s[0]![0], s[1]![0]] = [s[1]![0], s[0]![0]];
      },
      "results.targets[1].selected[0][0]",
    ],
    [
      "swapped order",
      (p: PublicManifest) => {
        const s = p.results.targets[1]!.selected;
        [s[0]![1], s[1]![1], s[0]![2], s[1]![2]] = [s[1]![1], s[0]![1], s[1]![2], s[0]![2]];
      },
      "results.targets[1].selected[1]",
    ],
  ])("catches a tampered %s", (_n, tamper, path) => {
    const p = clone();
    tamper(p);
    expect(verifyPublicManifest(p)).toMatchObject({ ok: false, path });
  });

  it("ssj verify: exit 0 partial, 1 tampered", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pubm-"));
    const ok = join(dir, "ok.json");
    writeFileSync(ok, JSON.stringify(pub));
    const bad = join(dir, "bad.json");
    const t = clone();
    t.results.targets[0]!.selected[0]![2] = "0".repeat(16);
    writeFileSync(bad, JSON.stringify(t));
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    try {
      expect(await verifyCommand.run([ok])).toBe(0);
      expect(log.mock.calls.flat().join("\n")).toMatch(/部分一致（ssj-draw\/1 公开清单）[\s\S]*不能证明/);
      expect(await verifyCommand.run([bad])).toBe(1);
    } finally {
      log.mockRestore();
    }
  });
});
