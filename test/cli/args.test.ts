import { describe, expect, it } from "vitest";
import { subcommandArgs } from "../../src/cli/args.ts";
import { CliError } from "../../src/cli/cliError.ts";

const spec = { flags: ["reason", "department", "json"] as const, subs: ["show", "void"], usage: "用法：ssj x show <号>" };

function usageError(f: () => unknown): CliError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(CliError);
    expect((e as CliError).exitCode).toBe(2);
    return e as CliError;
  }
  throw new Error("no usage error");
}

describe("subcommand arguments", () => {
  it("parses the subcommand, flags and positionals", () => {
    const cli = subcommandArgs(["void", "12", "--reason", "名录有误", "--json", "--department=3"], spec);
    expect(cli.sub).toBe("void");
    expect(cli.id(0, "抽取号")).toBe(12);
    expect(cli.need("reason")).toBe("名录有误");
    expect(cli.int("department")).toBe(3);
    expect(cli.flags.json).toBe("true");
  });
  it("names the argument and the rule in Chinese, followed by the usage", () => {
    expect(usageError(() => subcommandArgs(["show", "--colour", "red"], spec)).message).toMatch(/^未知选项 --colour\n用法/);
    expect(usageError(() => subcommandArgs(["reroll"], spec)).message).toBe(spec.usage);
    expect(usageError(() => subcommandArgs([], spec)).message).toBe(spec.usage);
    const cli = subcommandArgs(["show", "0", "--reason", "--department", "3.5"], spec);
    expect(usageError(() => cli.id(0, "抽取号")).message).toMatch(/^抽取号须为正整数\n/);
    expect(usageError(() => cli.id(1, "抽取号")).message).toMatch(/^抽取号须为正整数\n/);
    expect(usageError(() => cli.need("reason")).message).toMatch(/^缺少 --reason\n/);
    expect(usageError(() => cli.int("department")).message).toMatch(/^--department 须为正整数\n/);
    expect(subcommandArgs(["show", "1"], spec).int("department")).toBeUndefined();
  });
});
