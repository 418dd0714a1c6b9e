/** The audit hash chain as specified in docs/data-model.md (pure functions, no database). */
import { describe, expect, it } from "vitest";
import { GENESIS_HASH, canonicalJson, nextAuditRow, verifyAuditChain, type AuditRow } from "../../src/audit/chain.ts";

const at = (s: string) => new Date(s);

function chain(n: number): AuditRow[] {
  const rows: AuditRow[] = [];
  for (let i = 0; i < n; i++)
    rows.push(nextAuditRow(rows.at(-1) ?? null, { actor: `user:${i}`, action: "x.y", subject: `s:${i}`, payload: { i, list: [i, "二"] } }, at(`2026-03-0${1 + (i % 9)}T00:00:00.000Z`)));
  return rows;
}

describe("canonical JSON", () => {
  it("sorts keys at every level, writes no whitespace, keeps array order", () => {
    expect(canonicalJson({ b: 1, a: { d: [3, 1, { z: 0, y: null }], c: "é" } })).toBe('{"a":{"c":"é","d":[3,1,{"y":null,"z":0}]},"b":1}');
  });
  it("refuses values JSON cannot represent faithfully", () => {
    expect(() => canonicalJson({ a: undefined })).toThrow();
    expect(() => canonicalJson(Number.NaN)).toThrow();
    expect(() => canonicalJson(Infinity)).toThrow();
    expect(() => canonicalJson(new Date(0))).toThrow(/ISO string/);
    expect(() => canonicalJson(1n)).toThrow();
  });
});

describe("audit hash chain", () => {
  it("matches the documented worked example (independently checked with sha256sum)", () => {
    const r = nextAuditRow(
      null,
      { actor: "user:1", action: "draw.commit", subject: "batch:7", payload: { z: 1, a: ["二", 2.5, null, true] } },
      at("2026-03-01T08:00:00.000Z"),
    );
    expect(r.seq).toBe(1);
    expect(r.prevHash).toBe(GENESIS_HASH);
    expect(r.payload).toBe('{"a":["二",2.5,null,true],"z":1}');
    expect(r.hash).toBe("ebbee39cf0c8385333fa7d9cfd8accf7d17e9ba12c91b99cfcefbbacd95a4d4b");
  });

  it("verifies an intact chain in any order and reports its head", () => {
    const rows = chain(6);
    expect(verifyAuditChain([...rows].reverse())).toEqual({ ok: true, count: 6, head: rows[5]!.hash });
    expect(verifyAuditChain([])).toEqual({ ok: true, count: 0, head: GENESIS_HASH });
  });

  it("detects an edited field, payload, timestamp, a removed row, a relinked row and a non-canonical payload", () => {
    const edit = (i: number, patch: Partial<AuditRow>) => chain(5).map((r, k) => (k === i ? { ...r, ...patch } : r));
    expect(verifyAuditChain(edit(2, { actor: "mallory" }))).toMatchObject({ ok: false, seq: 3 });
    expect(verifyAuditChain(edit(1, { payload: '{"i":1,"list":[1,"三"]}' }))).toMatchObject({ ok: false, seq: 2 });
    expect(verifyAuditChain(edit(0, { at: at("2030-01-01T00:00:00.000Z") }))).toMatchObject({ ok: false, seq: 1 });
    expect(verifyAuditChain(chain(5).filter((r) => r.seq !== 3))).toMatchObject({ ok: false, seq: 4, reason: /gap/ });
    const rows = chain(5);
    // Re-hashing an edited row is not enough: the next row's prevHash no longer links.
    const forged = nextAuditRow(rows[1]!, { actor: "mallory", action: "x.y", subject: "s:2", payload: {} }, rows[2]!.at);
    expect(verifyAuditChain([...rows.slice(0, 2), forged, ...rows.slice(3)])).toMatchObject({ ok: false, seq: 4, reason: /prevHash/ });
    expect(verifyAuditChain(edit(3, { payload: '{ "i":3, "list":[3,"二"] }' }))).toMatchObject({ ok: false, seq: 4, reason: /canonical/ });
  });
});
