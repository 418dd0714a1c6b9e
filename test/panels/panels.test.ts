/**
 * The panel draw core (docs/draw-spec.md §15): eligibility, the draw, substitutions, both
 * manifests verified, and tampering of every kind rejected, also by fast-check.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { eligibleFor, fullPanelManifest, panelKey, PanelReplay, personTicket, publicPanelManifest, seatOrder, verifyPanelFull, verifyPanelManifest, verifyPanelPublic, type FullPanelManifest } from "../../src/panels/index.ts";
import { freezePanel } from "../../src/panels/index.ts";
import { DrawInputError } from "../../src/draws/rational.ts";
import { panelRequest, seeded } from "./fixtures.ts";

function manifest(steps: { seat: string; out: "first"; reason: string }[] = []): FullPanelManifest {
  const { inputs, commitment, provenance, seed } = seeded();
  const r = new PanelReplay(inputs, seed, provenance, commitment);
  const records = [r.makeDraw("2026-12-01T04:00:00.000Z", { seq: 9, hash: "a".repeat(64) })];
  steps.forEach((s, i) => {
    const out = r.currentSeats().find((x) => x.seat === s.seat)!.persons[0]!;
    records.push(r.makeSubstitution({ seat: s.seat, out, reason: s.reason }, `2026-12-01T05:0${i}:00.000Z`, { seq: 10 + i, hash: "b".repeat(64) }));
  });
  return fullPanelManifest({ inputs, commitment, seed: { value: seed, provenance }, records, head: r.head });
}

const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

describe("panel draw", () => {
  it("draws each seat from its eligible persons only, nobody twice, with 回避, speciality, district and day", () => {
    const m = manifest();
    const res = (m.records[0]!.private as { results: { seats: { seat: string; drawn: string[]; reserve: string[]; shortfall: number }[] } }).results;
    const x = new Map(m.inputs.private.experts.map((e) => [e.id, e]));
    const all = res.seats.flatMap((s) => s.drawn);
    expect(new Set(all).size).toBe(all.length);
    for (const s of res.seats.filter((s) => s.seat.startsWith("E"))) {
      const speciality = s.seat === "E1" ? "结构工程" : "消防工程";
      for (const id of [...s.drawn, ...s.reserve]) {
        const e = x.get(id)!;
        expect(e.specialities).toContain(speciality);
        expect(e.active).toBe(true);
        expect(e.unavailable).not.toContain("2026-12-10");
        expect(id).not.toBe("ZJ-001"); // recused
      }
    }
    const o1 = res.seats.find((s) => s.seat === "O1")!;
    expect(o1.drawn).toHaveLength(1);
    expect(["ZF-001", "ZF-003"]).toContain(o1.drawn[0]); // ZJJ, qualified (ZF-002 lacks 行政执法证)
    expect(res.seats.every((s) => s.shortfall === 0)).toBe(true);
  });

  it("a full and a public manifest verify; the public one names nobody", () => {
    const m = manifest([{ seat: "E1", out: "first", reason: "因病不能参加" }]);
    const full = verifyPanelFull(m, { expectedCommitment: m.commitment });
    expect(full, JSON.stringify(full)).toMatchObject({ ok: true, kind: "full" });
    const pm = publicPanelManifest(m);
    const pub = verifyPanelPublic(pm, { expectedCommitment: m.commitment, expectedHead: m.head });
    expect(pub, JSON.stringify(pub)).toMatchObject({ ok: true, kind: "public" });
    const text = JSON.stringify(pm);
    for (const p of [...m.inputs.private.experts, ...m.inputs.private.officers]) expect(text).not.toContain(p.id);
    expect(text).not.toContain(m.inputs.private.application.code);
    expect(text).not.toContain("因病");
  });

  it("a substitution takes the next free person of the seat's order, never one who stepped aside", () => {
    const { inputs, commitment, provenance, seed } = seeded();
    const r = new PanelReplay(inputs, seed, provenance, commitment);
    r.makeDraw("2026-12-01T04:00:00.000Z", { seq: 1, hash: "a".repeat(64) });
    const before = r.currentSeats().find((s) => s.seat === "E2")!.persons;
    const reserve = r.results.seats.find((s) => s.seat === "E2")!.reserve;
    const rec = r.makeSubstitution({ seat: "E2", out: before[0]!, reason: "回避：与申请人有亲属关系" }, "2026-12-01T05:00:00.000Z", { seq: 2, hash: "b".repeat(64) });
    expect((rec.private as { in: string }).in).toBe(reserve[0]);
    expect(() => r.makeSubstitution({ seat: "E2", out: before[0]!, reason: "再次" }, "2026-12-01T05:01:00.000Z", { seq: 3, hash: "b".repeat(64) })).toThrow(DrawInputError);
    expect(() => r.makeSubstitution({ seat: "E2", out: reserve[0]!, reason: " " }, "2026-12-01T05:01:00.000Z", { seq: 3, hash: "b".repeat(64) })).toThrow(/理由/);
  });

  it("refuses inputs that break §15.2 (a staff seat of a department not taking part, one id in both lists)", () => {
    expect(() => freezePanel(panelRequest({ seats: [{ id: "O1", kind: "officer", department: "WJW", qualifications: [], count: 1 }] }))).toThrow(/参与部门/);
    expect(() => freezePanel(panelRequest({ seedPlan: { mode: "commitReveal", departments: ["XZSP"] } }))).toThrow(/审批部门一方/);
    const r = panelRequest();
    expect(() => freezePanel({ ...r, officers: [...r.officers, { ...r.officers[0]!, id: "ZJ-002" }] })).toThrow(/一人只能有一个编号/);
  });

  it("property: on random directories every seat takes the smallest-ticket free eligible persons, nobody twice; substitutes are the next free", () => {
    const base = panelRequest();
    fc.assert(
      fc.property(
        fc.record({
          active: fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
          specs: fc.array(fc.subarray(["结构工程", "消防工程", "食品检验"]), { minLength: 12, maxLength: 12 }),
          counts: fc.tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 3 })),
          reserves: fc.integer({ min: 0, max: 4 }),
          value: fc.string({ minLength: 1, maxLength: 8 }),
          subs: fc.array(fc.tuple(fc.constantFrom("E1", "E2", "O1"), fc.nat()), { maxLength: 5 }),
        }),
        (c) => {
          const experts = base.experts.map((x, i) => ({ ...x, active: c.active[i]!, specialities: c.specs[i]! }));
          const { inputs, commitment, provenance, seed } = seeded({ experts, reserves: c.reserves, seats: base.seats.map((s, i) => ({ ...s, count: c.counts[i]! })) });
          const key = panelKey(seed);
          const r = new PanelReplay(inputs, seed, provenance, commitment);
          const taken = new Set<string>();
          for (const [i, s] of r.results.seats.entries()) {
            const seat = inputs.public.seats[i]!;
            const free = seatOrder(inputs, seat, key).filter((id) => !taken.has(id));
            expect(s.drawn).toEqual(free.slice(0, seat.count));
            expect(s.reserve).toEqual(free.slice(s.drawn.length, s.drawn.length + c.reserves));
            expect(s.shortfall > 0).toBe(free.length < seat.count);
            for (const id of s.drawn) expect(eligibleFor(inputs, seat)).toContain(id);
            s.drawn.forEach((id) => taken.add(id));
          }
          const tickets = (ids: string[]) => ids.map((id) => personTicket(key, id));
          for (const s of inputs.public.seats) {
            const t = tickets(seatOrder(inputs, s, key));
            expect([...t].sort()).toEqual(t);
          }
          r.makeDraw("2026-12-01T04:00:00.000Z", { seq: 1, hash: "a".repeat(64) });
          const aside = new Set<string>();
          c.subs.forEach(([seat, k], i) => {
            const persons = r.currentSeats().find((s) => s.seat === seat)!.persons;
            if (persons.length === 0) return;
            const out = persons[k % persons.length]!;
            const onSeats = new Set(r.currentSeats().flatMap((s) => s.persons));
            aside.add(out);
            const expected = seatOrder(inputs, inputs.public.seats.find((s) => s.id === seat)!, key).find((id) => !onSeats.has(id) && !aside.has(id)) ?? null;
            const rec = r.makeSubstitution({ seat, out, reason: "回避" }, `2026-12-01T05:0${i}:00.000Z`, { seq: 2, hash: "b".repeat(64) });
            expect((rec.private as { in: string | null }).in).toBe(expected);
          });
          const all = r.currentSeats().flatMap((s) => s.persons);
          expect(new Set(all).size).toBe(all.length);
          for (const id of aside) expect(all).not.toContain(id);
        },
      ),
      { numRuns: 150 },
    );
  });

  describe("tampering is rejected", () => {
    const m = manifest([{ seat: "E1", out: "first", reason: "因病不能参加" }]);
    const cases: [string, (x: FullPanelManifest) => void, string][] = [
      ["a drawn expert swapped", (x) => ((x.records[0]!.private as { results: { seats: { drawn: string[] }[] } }).results.seats[0]!.drawn[0] = "ZJ-012"), "recompute"],
      ["a seat's count raised", (x) => ((x.inputs.public.seats[0] as { count: number }).count = 3), "commitment"],
      ["an expert's speciality changed", (x) => (x.inputs.private.experts[2]!.specialities = ["结构工程"]), "commitment"],
      ["a recusal removed", (x) => (x.inputs.private.recusals = []), "commitment"],
      ["the seed value replaced", (x) => (x.seed!.value = "c".repeat(64)), "seed"],
      ["the substitution's incoming person changed", (x) => ((x.records[1]!.private as { in: string }).in = "ZJ-011"), "recompute"],
      ["a record dropped", (x) => x.records.pop(), "chain"],
      ["the head replaced", (x) => (x.head = "d".repeat(64)), "chain"],
    ];
    for (const [what, change, rule] of cases)
      it(what, () => {
        const t = clone(m);
        change(t);
        const out = verifyPanelFull(t);
        expect(out.ok, JSON.stringify(out)).toBe(false);
        expect((out as { rule: string }).rule).toBe(rule);
      });

    it("public: the counts or the records changed", () => {
      const pm = publicPanelManifest(m);
      const a = clone(pm);
      (a.records[0]!.public as { results: { seats: { drawn: number }[] } }).results.seats[0]!.drawn = 1;
      expect(verifyPanelPublic(a).ok).toBe(false);
      const b = clone(pm);
      b.records[1]!.privateDigest = "e".repeat(64);
      expect(verifyPanelPublic(b)).toMatchObject({ ok: false, rule: "chain" });
      expect(verifyPanelPublic(pm, { expectedCommitment: "f".repeat(64) })).toMatchObject({ ok: false, rule: "publishedCommitment" });
    });

    it("property: changing any string or number anywhere in the full manifest is detected", () => {
      const leaves: (string | number)[][] = [];
      const walk = (v: unknown, path: (string | number)[]) => {
        if (typeof v === "string" || typeof v === "number") leaves.push(path);
        else if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, i]));
        else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) walk(x, [...path, k]);
      };
      walk(m, []);
      fc.assert(
        fc.property(fc.integer({ min: 0, max: leaves.length - 1 }), (i) => {
          const path = leaves[i]!;
          const t = clone(m) as unknown as Record<string | number, unknown>;
          let o = t as Record<string | number, unknown>;
          for (const k of path.slice(0, -1)) o = o[k] as Record<string | number, unknown>;
          const k = path[path.length - 1]!;
          o[k] = typeof o[k] === "number" ? (o[k] as number) + 1 : `${o[k] as string}X`;
          return verifyPanelManifest(t as unknown as FullPanelManifest).ok === false;
        }),
        { numRuns: 300 },
      );
    });
  });
});
