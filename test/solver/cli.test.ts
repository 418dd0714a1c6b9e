import { afterAll, describe, expect, it, vi } from "vitest";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { optimizeCommand } from "../../src/cli/commands/optimize.ts";
import { checkScheduleCommand } from "../../src/cli/commands/checkSchedule.ts";
import { CliError } from "../../src/cli/cliError.ts";
import { generateInstance } from "../../benchmarks/instances/generator.ts";

const dir = mkdtempSync(join(tmpdir(), "ssj-optimize-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("ssj optimize / check-schedule", () => {
  const inst = generateInstance({ tasks: 50, departments: 2, inspectors: 16, days: 8, districts: 1, seed: "cli" });
  const instPath = join(dir, "instance.json");
  const outPath = join(dir, "schedule.json");
  writeFileSync(instPath, JSON.stringify(inst));

  it("writes a schedule that check-schedule accepts (exit 0)", async () => {
    const err = vi.spyOn(console, "error").mockImplementation(() => {});
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    expect(await optimizeCommand.run([instPath, "--out", outPath])).toBe(0);
    const schedule = JSON.parse(readFileSync(outPath, "utf8"));
    expect(schedule.visits.length).toBeGreaterThan(0);
    expect(await checkScheduleCommand.run([instPath, outPath])).toBe(0);
    expect(log.mock.calls.at(-1)![0]).toMatch(/^可行；任务 50 个/);
    err.mockRestore();
    log.mockRestore();
  });

  it("exits 1 listing every violation", async () => {
    const schedule = JSON.parse(readFileSync(outPath, "utf8"));
    schedule.visits[0].team = [];
    schedule.unscheduled = schedule.unscheduled.slice(1);
    const bad = join(dir, "bad.json");
    writeFileSync(bad, JSON.stringify(schedule));
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    expect(await checkScheduleCommand.run([instPath, bad])).toBe(1);
    const lines = log.mock.calls.map((c) => String(c[0]));
    expect(lines.some((l) => l.startsWith("[min-team]"))).toBe(true);
    expect(lines.at(-1)).toMatch(/^不可行：违反约束/);
    if (inst.tasks.length > schedule.visits.flatMap((v: { tasks: string[] }) => v.tasks).length + schedule.unscheduled.length)
      expect(lines.some((l) => l.startsWith("[task-coverage]"))).toBe(true);
    log.mockRestore();
  });

  it("rejects bad input with exit code 2", async () => {
    const broken = join(dir, "broken.json");
    writeFileSync(broken, JSON.stringify({ ...inst, horizon: { days: ["2027-03-02", "2027-03-01"] } }));
    await expect(optimizeCommand.run([broken])).rejects.toThrow(/strictly ascending/);
    await expect(optimizeCommand.run([])).rejects.toBeInstanceOf(CliError);
    await expect(optimizeCommand.run(["--batch", "x"])).rejects.toThrow(/--batch 须给出批次号/);
    await expect(optimizeCommand.run([instPath, "--batch", "7"])).rejects.toThrow(/二选一/);
    await expect(checkScheduleCommand.run([instPath])).rejects.toBeInstanceOf(CliError);
  });
});
