/**
 * GET /audit search (the console's 审计日志): subject exactly, action by prefix, actor by
 * substring, combined with AND, paged by seq; an officer may not read the log.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedBatch } from "../api/helpers.ts";
import { drawBatch } from "../api/support/ceremony.ts";
import { consoleFixture, type ConsoleFixture } from "./helpers.ts";

interface Entry {
  seq: number;
  actor: string;
  action: string;
  subject: string;
}

describe("audit log search", () => {
  let fx: ConsoleFixture;
  let drawId: number;
  let all: Entry[];
  beforeAll(async () => {
    fx = await consoleFixture();
    const { batchId } = await seedBatch(fx, { entities: 24, count: 1 });
    drawId = await drawBatch(fx, batchId);
    all = (await fx.as("auditor", { method: "GET", url: "/audit?limit=1000" })).json().entries;
  }, 60_000);
  afterAll(async () => fx.close());

  const search = async (q: string) => {
    const res = await fx.as("auditor", { method: "GET", url: `/audit?limit=1000&${q}` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().entries as Entry[];
  };

  it("each filter returns exactly the matching entries, in seq order", async () => {
    const subject = `draw:${drawId}`;
    expect((await search(`subject=${encodeURIComponent(subject)}`)).map((e) => e.seq)).toEqual(all.filter((e) => e.subject === subject).map((e) => e.seq));
    const prefix = all.find((e) => e.action.includes("."))!.action.split(".")[0]! + ".";
    const byAction = await search(`action=${encodeURIComponent(prefix)}`);
    expect(byAction.length).toBeGreaterThan(0);
    expect(byAction.map((e) => e.seq)).toEqual(all.filter((e) => e.action.startsWith(prefix)).map((e) => e.seq));
    const actor = all[all.length - 1]!.actor;
    const part = actor.slice(0, Math.max(1, actor.length - 1));
    expect((await search(`actor=${encodeURIComponent(part)}`)).map((e) => e.seq)).toEqual(all.filter((e) => e.actor.includes(part)).map((e) => e.seq));
    const both = await search(`action=${encodeURIComponent(prefix)}&subject=${encodeURIComponent(subject)}`);
    expect(both.map((e) => e.seq)).toEqual(all.filter((e) => e.action.startsWith(prefix) && e.subject === subject).map((e) => e.seq));
  });

  it("pages by seq: nextSeq continues exactly where the page ended", async () => {
    const prefix = all[0]!.action.slice(0, 1);
    const first = (await fx.as("auditor", { method: "GET", url: `/audit?limit=2&action=${encodeURIComponent(prefix)}` })).json();
    const want = all.filter((e) => e.action.startsWith(prefix));
    expect(first.entries.map((e: Entry) => e.seq)).toEqual(want.slice(0, 2).map((e) => e.seq));
    if (want.length > 2) {
      expect(first.nextSeq).toBe(want[2]!.seq);
      const second = (await fx.as("auditor", { method: "GET", url: `/audit?limit=2&action=${encodeURIComponent(prefix)}&fromSeq=${first.nextSeq}` })).json();
      expect(second.entries[0].seq).toBe(want[2]!.seq);
    }
  });

  it("an officer may not search the log", async () => {
    expect((await fx.as("officerA", { method: "GET", url: "/audit?action=draw." })).statusCode).toBe(403);
  });
});
