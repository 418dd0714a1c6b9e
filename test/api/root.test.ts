import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixture, type Fixture } from "./helpers.ts";

describe("GET /", () => {
  let fx: Fixture;
  beforeAll(async () => {
    fx = await fixture();
  });
  afterAll(async () => fx.close());

  it("sends a visitor without a token to the 公示 page", async () => {
    const res = await fx.as("public", { method: "GET", url: "/" });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe("/public");
  });
});
