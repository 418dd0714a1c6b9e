import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { verifyCommand } from "../../src/cli/commands/verify.ts";
import { CliError } from "../../src/cli/cliError.ts";
import {
  buildManifest,
  drawInspectors,
  freezeInputs,
  parseManifest,
  secretCommitment,
  substitute,
  substituteTarget,
  ticketOrder,
  verifyManifest,
  type DrawManifest,
} from "../../src/draws/index.ts";
import { makeRequest } from "./fixtures.ts";

function sampleManifest(): DrawManifest {
  const req = makeRequest({ n: 400, departments: 3 });
  req.departments[1]!.quotas = { A: { ratio: "5/100" }, B: { count: 4 }, C: { ratio: "1/10" }, D: { count: 500 } };
  req.seedPlan = { mode: "commitReveal", departments: ["D01", "D02", "D03"] };
  const inputs = freezeInputs(req);
  const secrets = ["01", "02", "03"].map((b) => b.repeat(32));
  const reveals = ["D01", "D02", "D03"].map((d, i) => ({ department: d, commitment: secretCommitment(secrets[i]!), secret: secrets[i]! }));
  const base = buildManifest({ inputs, provenance: { mode: "commitReveal", reveals } });
  // Record a target substitution and an officer substitution, as the store would after the draw.
  const seed = base.seed.value;
  const order = ticketOrder(inputs, seed);
  const t = base.results.targets[0]!.strata[1]!;
  const ts = substituteTarget(inputs, order, base.results.targets, [], { department: "D01", stratum: "B", out: t.selected[0]![1], reason: "到达现场发现已注销" });
  const check = drawInspectors(inputs, seed, base.results.targets).find((c) => c.departments[0]!.reserve.length > 0)!;
  const is = substitute(inputs, seed, check, [], { department: check.departments[0]!.department, out: check.departments[0]!.officers[0]!, reason: "回避" });
  return { ...base, substitutions: { targets: [ts], inspectors: [is] } };
}

const manifest = sampleManifest();
const clone = () => structuredClone(manifest);

describe("verifyManifest", () => {
  it("confirms an untouched manifest, also after a JSON round trip and with the published commitment", async () => {
    const out = await verifyManifest(parseManifest(JSON.stringify(manifest)), { expectedCommitment: manifest.commitment });
    expect(out).toMatchObject({ ok: true, summary: { batch: "2026-B01", departments: 3, substitutions: 2 } });
  });

  it.each([
    ["seed value", (m: DrawManifest) => (m.seed.value = "0".repeat(64)), "seed.value"],
    ["a revealed secret", (m: DrawManifest) => (m.seed.provenance.reveals![1]!.secret = "04".repeat(32)), "seed.provenance"],
    ["the pool", (m: DrawManifest) => m.inputs.pool.codes.splice(5, 1) && (m.inputs.pool.strata = m.inputs.pool.strata.slice(1)), "commitment"],
    ["a quota", (m: DrawManifest) => (m.inputs.departments[0]!.quotas.B = { ratio: "50/100" }), "commitment"],
    ["an exclusion", (m: DrawManifest) => m.inputs.departments[0]!.excluded.push({ code: "ZZZ", rule: "x", reason: "x" }), "commitment"],
    ["a selected entity", (m: DrawManifest) => (m.results.targets[1]!.strata[2]!.selected[0]![1] = m.results.targets[1]!.strata[2]!.next[0]![1]), "results.targets[1].strata[2].selected[0][1]"],
    ["a dropped selection", (m: DrawManifest) => m.results.targets[0]!.strata[3]!.selected.pop(), "results.targets[0].strata[3].selected"],
    ["a shortfall", (m: DrawManifest) => (m.results.targets[1]!.strata[3]!.shortfall = 0), "results.targets[1].strata[3].shortfall"],
    ["an officer", (m: DrawManifest) => (m.results.checks![0]!.departments[0]!.officers[0] = "D01-P999"), "results.checks[0].departments[0].officers[0]"],
    ["the result digest", (m: DrawManifest) => (m.resultDigest = "f".repeat(64)), "resultDigest"],
    ["a target substitution", (m: DrawManifest) => (m.substitutions.targets[0]!.in = m.results.targets[0]!.strata[1]!.next[2]![1]), "substitutions.targets[0].in"],
    ["an officer substitution", (m: DrawManifest) => (m.substitutions.inspectors[0]!.in = "D01-P999"), "substitutions.inspectors[0].in"],
  ])("catches tampering with %s at %s", async (_what, tamper, path) => {
    const m = clone();
    tamper(m);
    const out = await verifyManifest(m);
    expect(out.ok).toBe(false);
    if (!out.ok) expect(out.path.startsWith(path)).toBe(true);
  });

  it("catches a consistently re-committed tampered pool when the published commitment is given", async () => {
    const m = clone();
    m.inputs.departments[2]!.quotas.A = { ratio: "1/1" };
    const rebuilt = buildManifest({ inputs: m.inputs, provenance: m.seed.provenance });
    expect((await verifyManifest(rebuilt)).ok).toBe(true); // self-consistent …
    const out = await verifyManifest(rebuilt, { expectedCommitment: manifest.commitment });
    expect(out).toMatchObject({ ok: false, path: "commitment" }); // … but not what was published
  });

  it("gives the same verdict with 1 and 3 threads on a pool large enough for workers", async () => {
    const req = makeRequest({ n: 60_000, departments: 2, inspectors: false });
    const m = buildManifest({ inputs: freezeInputs(req), provenance: { mode: "external", source: "drand", reference: "quicknet round 1000000", value: "v" } });
    expect((await verifyManifest(m, { threads: 1 })).ok).toBe(true);
    expect((await verifyManifest(m, { threads: 3 })).ok).toBe(true);
    m.results.targets[1]!.strata[0]!.selected[3]![2] = "0000000000000000";
    expect(await verifyManifest(m, { threads: 3 })).toMatchObject({ ok: false, path: "results.targets[1].strata[0].selected[3][2]" });
  });
});

describe("ssj verify", () => {
  const dir = mkdtempSync(join(tmpdir(), "ssj-verify-"));
  let logs: string[] = [];
  beforeEach(() => {
    logs = [];
    vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => void logs.push(a.join(" ")));
  });
  afterEach(() => vi.restoreAllMocks());
  const file = (name: string, text: string) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  const exitOf = async (args: string[]) => {
    try {
      return await verifyCommand.run(args);
    } catch (e) {
      if (e instanceof CliError) return e.exitCode;
      throw e;
    }
  };

  it("exit 0 and a short confirmation when the manifest reproduces", async () => {
    expect(await exitOf([file("ok.json", JSON.stringify(manifest))])).toBe(0);
    expect(logs.join("\n")).toMatch(/^一致：ssj-draw\/1 完整清单，批次 2026-B01 重算一致/);
  });

  it("exit 1 and the first divergence when tampered", async () => {
    const m = clone();
    m.seed.value = "1".repeat(64);
    expect(await exitOf([file("bad.json", JSON.stringify(m))])).toBe(1);
    expect(logs.join("\n")).toMatch(/^不一致：seed\.value：/);
  });

  it("exit 2 for a missing file, invalid JSON, or a document that is not a manifest", async () => {
    await expect(verifyCommand.run([join(dir, "nope.json")])).rejects.toThrow(/无法读取 .*ENOENT/);
    expect(await exitOf([join(dir, "nope.json")])).toBe(2);
    expect(await exitOf([file("junk.json", "{not json")])).toBe(2);
    await expect(verifyCommand.run([file("other.json", '{"hello":1}')])).rejects.toThrow(/不是抽取清单：成员 manifest/);
    expect(await exitOf([])).toBe(2);
  });
});

describe("streamed digests", () => {
  it("resultsDigest and commitment equal SHA-256 of canonicalJson on random draws", async () => {
    const { default: fc } = await import("fast-check");
    const { arbRequest } = await import("./fixtures.ts");
    const { cjsonDigest, runDraw, freezeInputs: freeze, resultsDigest, commitment } = await import("../../src/draws/index.ts");
    fc.assert(
      fc.property(arbRequest, fc.nat(50), (req, i) => {
        const f = freeze(req);
        const results = runDraw(f, String(i).padStart(64, "0"));
        expect(resultsDigest(results)).toBe(cjsonDigest(results));
        expect(resultsDigest({ ...results, checks: null })).toBe(cjsonDigest({ ...results, checks: null }));
        expect(commitment(f)).toBe(cjsonDigest(f));
        // non-ASCII and escapes inside streamed strings, and a pool too large for one buffer
        const odd = { ...f, pool: { ...f.pool, districts: f.pool.districts.map((d, k) => (k % 2 ? `${d}区"\\` : d)) } };
        expect(commitment(odd)).toBe(cjsonDigest(odd));
        const weird = structuredClone(results);
        const row = weird.targets[0]?.strata[0]?.next[0];
        if (row) {
          row[1] = "中\"\\x";
          row[2] = "\u0001";
          expect(resultsDigest(weird)).toBe(cjsonDigest(weird));
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe("commitment of a large pool", () => {
  it("streams more than one buffer and still equals SHA-256 of canonicalJson", async () => {
    const { cjsonDigest, commitment, freezeInputs: freeze } = await import("../../src/draws/index.ts");
    const { makeRequest } = await import("./fixtures.ts");
    const f = freeze(makeRequest({ n: 70_000, departments: 1, inspectors: false }));
    expect(commitment(f)).toBe(cjsonDigest(f));
    const named = { ...f, batch: { ...f.batch, name: "\u0001ssj-draw pool\u0001" } };
    expect(commitment(named)).toBe(cjsonDigest(named));
    const quoted = { ...f, pool: { ...f.pool, districts: f.pool.districts.map((d, i) => (i === 500 ? `${d}"区` : d)) } };
    expect(commitment(quoted)).toBe(cjsonDigest(quoted));
    expect(commitment(quoted)).not.toBe(commitment(f));
  });
});
