/**
 * Version 1 stays verifiable forever (docs/draw-spec.md preamble and §14; docs/draw-spec-v1.md):
 * the committed bytes of a version-1 full manifest and of its public manifest, made once by the
 * version-1 engine (buildManifest over freezeInputs(makeRequest({ n: 120, departments: 3 })), an
 * external seed, one target and one inspector substitution; publicManifest), must verify with
 * every later version of the verifier — and a one-character change to a ticket must not.
 *
 * The files are fixtures, not outputs: never regenerate them to make this test pass. Their SHA-256
 * is pinned below.
 */
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { main } from "../../src/cli/main.ts";
import { parseStrictJson } from "../../src/draws/jsonReader.ts";
import { verifyManifest, type DrawManifest } from "../../src/draws/index.ts";
import { verifyPublicManifest, type PublicManifest } from "../../src/draws/publicManifest.ts";
import { validateFrozenStrictV1 } from "../../src/draws/strictV1.ts";

const FULL = join(import.meta.dirname, "fixtures", "v1-manifest.json");
const PUBLIC = join(import.meta.dirname, "fixtures", "v1-public-manifest.json");
const SHA256 = {
  full: "5bb74297c5ca2b3a3ba45fc97ee1757ce3270a8c77fe654f87120af6ea5d24dd",
  public: "343d98eeb83a75df2a175f01522481c5296024b244f9f37195d4f2496eb3cd8d",
};
/** The commitment published before the seed of this (synthetic) draw. */
const COMMITMENT = "35e512a1812ec6934f5deca684dbcc5e33a89a929217606ac115e67718e33f68";
const SEED = "8a9d70eb2349b380612e7454e5e92661f020b9a09cb0ce4ac793dfee240f3438";

const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");

/** The text with one hex character of the first listed ticket16 changed. */
function oneTicketCharChanged(text: string): { text: string; code: string } {
  const m = /\[(\d+),"([0-9A-Z]+)","([0-9a-f]{16})"\]/.exec(text);
  expect(m, "a ranked row [rank, code, ticket16] in the file").not.toBeNull();
  const [row, rank, code, ticket] = m!;
  const changed = (((parseInt(ticket![0]!, 16) + 1) % 16).toString(16)) + ticket!.slice(1);
  const at = m!.index + row.indexOf(`"${ticket}"`) + 1;
  const out = text.slice(0, at) + changed + text.slice(at + 16);
  expect(out.length).toBe(text.length);
  expect(out).toContain(`[${rank},"${code}","${changed}"]`);
  return { text: out, code: code! };
}

describe("ssj-draw/1 manifests committed to the repository verify forever", () => {
  const bytes = { full: readFileSync(FULL), public: readFileSync(PUBLIC) };
  let dir: string;
  const out: string[] = [];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "ssj-v1-compat-"));
    vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => void out.push(a.join(" ")));
    vi.spyOn(console, "error").mockImplementation((...a: unknown[]) => void out.push(a.join(" ")));
  });
  afterAll(() => {
    vi.restoreAllMocks();
  });

  const ssj = async (...args: string[]) => {
    out.length = 0;
    return main(["verify", ...args]);
  };

  it("the fixture files are the committed bytes (not regenerated)", () => {
    expect(sha256(bytes.full)).toBe(SHA256.full);
    expect(sha256(bytes.public)).toBe(SHA256.public);
  });

  it("the full manifest: strict reading, strict v1 validation, and verifyManifest against the published commitment", async () => {
    const m = parseStrictJson<DrawManifest>(bytes.full).value;
    expect(m.manifest).toBe("ssj-draw-manifest/1");
    expect(m.spec).toBe("ssj-draw/1");
    expect(m.inputs.pool.codes.length).toBeGreaterThan(100);
    expect(m.inputs.inspectors).not.toBeNull();
    expect(m.substitutions.targets.length).toBe(1);
    expect(m.substitutions.inspectors.length).toBe(1);
    expect(() => validateFrozenStrictV1(m)).not.toThrow();
    const o = await verifyManifest(m, { expectedCommitment: COMMITMENT });
    expect(o).toMatchObject({ ok: true, summary: { commitment: COMMITMENT, seed: SEED, departments: 3, substitutions: 2 } });
  });

  it("the public manifest: strict reading and verifyPublicManifest", () => {
    const p = parseStrictJson<PublicManifest>(bytes.public).value;
    expect(p.manifest).toBe("ssj-draw-public-manifest/1");
    expect(p.commitment).toBe(COMMITMENT);
    expect(verifyPublicManifest(p)).toMatchObject({ ok: true, summary: { commitment: COMMITMENT, seed: SEED, departments: 3 } });
  });

  it("ssj verify exits 0 on both files, with and without --commitment", async () => {
    expect(await ssj(FULL, "--commitment", COMMITMENT)).toBe(0);
    expect(out.join("\n")).toMatch(/^一致：ssj-draw\/1 完整清单/);
    expect(out.join("\n")).toContain(COMMITMENT);
    expect(await ssj(FULL)).toBe(0);
    expect(await ssj(PUBLIC, "--commitment", COMMITMENT)).toBe(0);
    expect(out.join("\n")).toMatch(/^部分一致（ssj-draw\/1 公开清单）/);
    expect(await ssj(PUBLIC)).toBe(0);
  });

  it("ssj verify exits 1 on both files against another published commitment", async () => {
    expect(await ssj(FULL, "--commitment", "0".repeat(64))).toBe(1);
    expect(await ssj(PUBLIC, "--commitment", "0".repeat(64))).toBe(1);
  });

  it.each([
    ["full", FULL],
    ["public", PUBLIC],
  ] as const)("a one-character change to a ticket in the %s manifest: ssj verify exits 1 at that result", async (_k, path) => {
    const { text } = oneTicketCharChanged(readFileSync(path, "utf8"));
    const file = join(dir, `${_k}-ticket.json`);
    writeFileSync(file, text);
    expect(await ssj(file, "--commitment", COMMITMENT)).toBe(1);
    expect(out.join("\n")).toMatch(/^不一致：results\.targets\[\d+\]/);
  });
});
