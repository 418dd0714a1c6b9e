import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixture, type Fixture } from "./helpers.ts";

describe("GET /", () => {
  let fx: Fixture;
  beforeAll(async () => {
    fx = await fixture();
  });
  afterAll(async () => fx.close());

  it("offers a visitor the 公示 page and the console login", async () => {
    const res = await fx.as("public", { method: "GET", url: "/" });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toContain("text/html");
    expect(res.body).toContain('href="/public"');
    expect(res.body).toContain('href="/console/login"');
    expect(res.body).toContain("工作台登录");
  });
});
