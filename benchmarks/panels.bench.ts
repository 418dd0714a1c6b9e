/**
 * `npm run bench -- panels [--experts 100000] [--officers 20000]`
 *
 * A panel draw (专家和人员抽取, docs/draw-spec.md §15) over a large open library: synthetic experts
 * (30 specialities, districts of one city), staff of 5 departments, 6 seats, 100 recusals.
 *   floor    one node:crypto SHA-256 per person on one thread (what any ticket-based draw must pay)
 *   freeze   sorting and validating the directory (freezePanel) and both digests (the commitment)
 *   draw     tickets of every eligible person, the seats, record 0
 *   full     verifyPanelFull on the full manifest (commitment, seed, every seat recomputed, chain)
 *   public   verifyPanelPublic on the public manifest
 * Each step and the floor 3 times, interleaved; the minimum of each is printed with its ratio to the floor.
 */
import { createHash } from "node:crypto";
import { cpus, loadavg } from "node:os";
import { parseArgs } from "node:util";
import { commitmentOf, digestOf } from "../src/draws/v2/digest.ts";
import { seedFromProvenance2 } from "../src/draws/v2/seed.ts";
import { freezePanel, fullPanelManifest, panelDigests, PanelReplay, publicPanelManifest, verifyPanelFull, verifyPanelPublic, type PanelRequest, type Provenance2 } from "../src/panels/index.ts";

const { values } = parseArgs({ options: { experts: { type: "string", default: "100000" }, officers: { type: "string", default: "20000" } } });
const NX = Number(values.experts);
const NO = Number(values.officers);
const hex = (s: string) => createHash("sha256").update(s).digest("hex");
const SPECS = Array.from({ length: 30 }, (_, i) => `专业${i + 1}`);
const DEPTS = ["D1", "D2", "D3", "D4", "D5"];
const request: PanelRequest = {
  panel: { id: "BENCH", name: "基准测试验收", purpose: "acceptance", day: "2026-12-10" },
  bureau: { id: "XZSP", name: "审批局" },
  departments: DEPTS.map((id) => ({ id, name: `部门${id}` })),
  seats: [
    ...SPECS.slice(0, 4).map((s, i) => ({ id: `E${i + 1}`, kind: "expert" as const, speciality: s, count: 3 })),
    { id: "O1", kind: "officer", department: "D1", qualifications: ["执法证"], count: 2 },
    { id: "O2", kind: "officer", department: "D2", qualifications: [], count: 1 },
  ],
  attempt: { number: 1, previous: [] },
  frozenAt: "2026-12-01T02:00:00.000Z",
  audit: { seq: 1, hash: hex("a") },
  reserves: 3,
  seedPlan: { mode: "external", source: "基准", reference: "1" },
  salt: hex("salt"),
  application: { no: "B-1", code: "91610100MA6BENCH1X", district: "610113" },
  // reversed, so that the freeze really sorts
  experts: Array.from({ length: NX }, (_, k) => NX - 1 - k).map((i) => ({
    id: `ZJ${String(i).padStart(7, "0")}`,
    library: DEPTS[i % 5]!,
    specialities: [SPECS[i % 30]!, SPECS[(i * 7) % 30]!],
    districts: i % 3 === 0 ? ["6101"] : [`6101${String(2 + (i % 20)).padStart(2, "0")}`],
    active: i % 50 !== 0,
    unavailable: i % 40 === 0 ? ["2026-12-10"] : [],
  })),
  officers: Array.from({ length: NO }, (_, i) => ({ id: `ZF${String(i).padStart(7, "0")}`, department: DEPTS[i % 5]!, qualifications: i % 4 ? ["执法证"] : [], districts: ["6101"], active: true, unavailable: [] })),
  recusals: Array.from({ length: 100 }, (_, i) => ({ person: `ZJ${String(i * 97).padStart(7, "0")}`, reason: "回避" })),
};

function time<T>(f: () => T): [T, number] {
  const t = performance.now();
  const v = f();
  return [v, performance.now() - t];
}
const best: Record<string, number> = { floor: Infinity, freeze: Infinity, draw: Infinity, full: Infinity, public: Infinity };
console.log(`panels bench ${new Date().toISOString()}: ${NX} experts, ${NO} officers, ${request.seats.length} seats, node ${process.version}, ${cpus().length} CPUs, load average ${loadavg()[0]!.toFixed(1)}`);
let drawn = 0;
for (let run = 0; run < 3; run++) {
  const ids = [...request.experts.map((x) => x.id), ...request.officers.map((o) => o.id)];
  best.floor = Math.min(best.floor!, time(() => ids.forEach((id) => createHash("sha256").update("k").update(id).digest()))[1]);
  const [frozen, tFreeze] = time(() => {
    const inputs = freezePanel(request);
    return { inputs, ...panelDigests(inputs) };
  });
  best.freeze = Math.min(best.freeze!, tFreeze);
  const provenance: Provenance2 = { mode: "external", source: "基准", reference: "1", value: `v${run}`, publishedAt: "2026-12-01T03:00:00.000Z" };
  const seed = seedFromProvenance2(frozen.inputs.public, frozen.commitment, provenance);
  const [m, tDraw] = time(() => {
    const r = new PanelReplay(frozen.inputs, seed, provenance, frozen.commitment);
    const rec = r.makeDraw("2026-12-01T04:00:00.000Z", { seq: 2, hash: hex("b") });
    return fullPanelManifest({ inputs: frozen.inputs, commitment: frozen.commitment, seed: { value: seed, provenance }, records: [rec], head: r.head });
  });
  best.draw = Math.min(best.draw!, tDraw);
  drawn = (m.records[0]!.public as { results: { seats: { drawn: number }[] } }).results.seats.reduce((n, s) => n + s.drawn, 0);
  const [okFull, tFull] = time(() => verifyPanelFull(m).ok);
  best.full = Math.min(best.full!, tFull);
  const pm = publicPanelManifest(m);
  const [okPub, tPub] = time(() => verifyPanelPublic(pm).ok);
  best.public = Math.min(best.public!, tPub);
  if (!okFull || !okPub) throw new Error("verification failed");
  if (commitmentOf(digestOf(frozen.inputs.public), digestOf(frozen.inputs.private)) !== frozen.commitment) throw new Error("commitment");
}
console.log(`drawn ${drawn} persons on ${request.seats.length} seats`);
for (const [k, v] of Object.entries(best)) console.log(`${k.padEnd(7)} ${(v / 1000).toFixed(3)} s${k === "floor" ? "" : `  ${(v / best.floor!).toFixed(1)}× floor`}`);
