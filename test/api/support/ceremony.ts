/** The draw ceremony through the API, as departments do it (synthetic secrets, test-only). */
import { createHash, randomBytes } from "node:crypto";
import { expect } from "vitest";
import type { Fixture } from "../helpers.ts";

export const newSecret = () => randomBytes(32).toString("hex");
export const secretHash = (s: string) => createHash("sha256").update(Buffer.from(s, "hex")).digest("hex");

type Who = "admin" | "officerA" | "officerB" | "auditor";

export async function commit(fx: Fixture, batchId: number, seed: { mode: "commitReveal" } | { mode: "external"; source: string; reference: string }, who: Who = "officerA") {
  const res = await fx.as(who, { method: "POST", url: `/batches/${batchId}/draws`, payload: { seed } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: number; frozenAt: string; commitment: string; attempt: number };
}

/** The external value, stated as published just after the freeze. */
export async function external(fx: Fixture, drawId: number, value = "03 07 12 19 25 31 + 09") {
  const d = (await fx.as("auditor", { method: "GET", url: `/draws/${drawId}` })).json();
  const publishedAt = new Date(Date.parse(d.frozenAt) + 1).toISOString();
  const res = await fx.as("officerA", { method: "POST", url: `/draws/${drawId}/external-value`, payload: { value, publishedAt } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

export async function run(fx: Fixture, drawId: number) {
  const res = await fx.as("officerA", { method: "POST", url: `/draws/${drawId}/run` });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

/** Commit (external seed, a fresh reference), seed and draw: the draw id. */
export async function drawBatch(fx: Fixture, batchId: number, reference = `第 ${Math.floor(Math.random() * 1e9)} 期`): Promise<number> {
  const d = await commit(fx, batchId, { mode: "external", source: "中国福利彩票 双色球", reference });
  await external(fx, d.id);
  await run(fx, d.id);
  return d.id;
}

/** Both departments commit, then reveal, their own fresh secrets. */
export async function commitReveal(fx: Fixture, drawId: number, secrets = { a: newSecret(), b: newSecret() }) {
  for (const [who, s] of [["officerA", secrets.a], ["officerB", secrets.b]] as const) {
    const r = await fx.as(who, { method: "POST", url: `/draws/${drawId}/commitments`, payload: { hash: secretHash(s) } });
    expect(r.statusCode, r.body).toBe(201);
  }
  for (const [who, s] of [["officerA", secrets.a], ["officerB", secrets.b]] as const) {
    const r = await fx.as(who, { method: "POST", url: `/draws/${drawId}/reveals`, payload: { secret: s } });
    expect(r.statusCode, r.body).toBe(200);
  }
  return secrets;
}

export async function fullManifest(fx: Fixture, drawId: number, who: Who = "auditor") {
  const res = await fx.as(who, { method: "GET", url: `/draws/${drawId}/manifest` });
  expect(res.statusCode, res.body).toBe(200);
  return res.body;
}

export async function publicManifest(fx: Fixture, drawId: number) {
  const res = await fx.as("public", { method: "GET", url: `/api/public/draws/${drawId}/manifest.json` });
  expect(res.statusCode, res.body).toBe(200);
  return res;
}
