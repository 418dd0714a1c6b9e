/**
 * Generates the test vector of docs/draw-spec.md §15.7 (a panel draw): commit-reveal seed, one
 * recused expert, an inactive one, one unavailable on the day, a district the applicant is not
 * in, an officer without the qualification, and one substitution (递补).
 *
 *   npx tsx test/panels/make-vector.mts > vector.json     (paste into the spec's json test-vector-panel block)
 */
import { createHash } from "node:crypto";
import { digestOf } from "../../src/draws/v2/digest.ts";
import { seedFromProvenance2 } from "../../src/draws/v2/seed.ts";
import { freezePanel, fullPanelManifest, panelDigests, panelKey, PanelReplay, personTicket, publicPanelManifest, seatOrder, type Provenance2 } from "../../src/panels/index.ts";
import { panelRequest } from "./fixtures.ts";

const hex = (s: string) => createHash("sha256").update(s).digest("hex");
const inputs = freezePanel(panelRequest({ seedPlan: { mode: "commitReveal", departments: ["SCJG", "XZSP"] } }));
const { publicDigest, privateDigest, commitment } = panelDigests(inputs);
const secret = (d: string) => hex(`vector secret ${d}`);
const provenance: Provenance2 = {
  mode: "commitReveal",
  reveals: ["SCJG", "XZSP"].map((d, i) => ({
    department: d,
    commitment: createHash("sha256").update(Buffer.from(secret(d), "hex")).digest("hex"),
    committedAt: `2026-12-01T02:1${i}:00.000Z`,
    secret: secret(d),
    revealedAt: `2026-12-01T02:3${i}:00.000Z`,
  })),
};
const seed = seedFromProvenance2(inputs.public, commitment, provenance);
const key = panelKey(seed);
const drawAt = "2026-12-01T03:00:00.000Z";
const audit = { seq: 21, hash: hex("vector audit") };
const r = new PanelReplay(inputs, seed, provenance, commitment);
const records = [r.makeDraw(drawAt, audit)];
const out = r.currentSeats().find((s) => s.seat === "E1")!.persons[0]!;
const steps = [{ seat: "E1", out, reason: "因病不能参加", at: "2026-12-02T01:00:00.000Z" }];
for (const s of steps) records.push(r.makeSubstitution(s, s.at, audit));
const full = fullPanelManifest({ inputs, commitment, seed: { value: seed, provenance }, records, head: r.head });
const people = [...inputs.private.experts.map((x) => x.id), ...inputs.private.officers.map((o) => o.id)];
const vector = {
  name: "panel vector 1: commit-reveal seed, seats by speciality and department, one substitution",
  inputs,
  provenance,
  drawAt,
  audit,
  steps,
  expected: {
    publicDigest,
    privateDigest,
    commitment,
    seed,
    panelKey: key.toString("hex"),
    tickets: people.map((id) => [id, personTicket(key, id)]),
    orders: inputs.public.seats.map((s) => [s.id, seatOrder(inputs, s, key)]),
    results: r.results,
    publicResults: (records[0]!.public as { results: unknown }).results,
    records: records.map((rec, i) => ({ record: rec, digest: i === records.length - 1 ? r.head : records[i + 1]!.prev })),
    head: r.head,
    publicManifestDigest: digestOf(publicPanelManifest(full)),
  },
};
console.log(JSON.stringify(vector, null, 1));
