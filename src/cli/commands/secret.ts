/**
 * `ssj secret …`: a department's helper for the commit-reveal seed (docs/draw-spec.md §5), run on
 * the department's own machine. Touches no database and no network.
 *
 *   ssj secret new [--out <file>] [--department <名称>]   32 random bytes → file (mode 600), prints the
 *                                                        commitment to submit and a printable receipt
 *   ssj secret check --secret-file <file> --hash <hex>    does this secret match this commitment? If not,
 *                                                        says precisely why (the commonest mistake is
 *                                                        hashing the 64 hex characters instead of the bytes)
 * Exit 0 match / written; 1 mismatch; 2 usage.
 */
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import type { Command } from "../command.ts";
import { CliError } from "../cliError.ts";
import { parseFlags } from "../../store/repos/cliStore.ts";
import { secretReceipt } from "../../draws/v2/index.ts";
import { createHash } from "node:crypto";

const USAGE = [
  "用法：ssj secret new [--out <文件>] [--department <部门名称>]",
  "      ssj secret check --secret-file <文件> --hash <承诺值>",
].join("\n");

/** Why a secret does not match a commitment, in words (null when it matches). */
export function explainMismatch(secretText: string, hash: string): string | null {
  const h = hash.trim().toLowerCase();
  const raw = secretText;
  const s = raw.trim();
  const sha = (x: string | Buffer) => createHash("sha256").update(x).digest("hex");
  if (!/^[0-9a-fA-F]{64}$/.test(s)) {
    if (/^[0-9a-fA-F]+$/.test(s)) return `秘密值应为 64 位十六进制（32 字节），这里是 ${s.length} 位`;
    return "秘密值应为 64 位十六进制字符（0–9、a–f），文件中含有其他字符";
  }
  const lower = s.toLowerCase();
  if (secretReceipt(lower).hash === h) return s === lower ? null : "秘密值与承诺相符，但须以小写字母公开（公开时请使用小写）";
  if (sha(lower) === h || sha(s) === h || sha(raw) === h)
    return "承诺值是对 64 位十六进制“文本”求的 SHA-256，而规范要求对这 64 位十六进制所表示的 32 个“字节”求 SHA-256（例如 Python：hashlib.sha256(bytes.fromhex(秘密值))）。请重新生成秘密值并提交正确的承诺值";
  if (sha(`${lower}\n`) === h || sha(`${s}\n`) === h) return "承诺值是对带换行符的文本求的 SHA-256（例如 echo 命令会加换行）；规范要求对 32 个字节求 SHA-256";
  return "秘密值与承诺值不符：不是这个秘密值生成的承诺值（请确认使用的是本部门本次抽取的秘密值文件）";
}

export const secretCommand: Command = {
  name: "secret",
  summary: "部门秘密值助手：在本部门电脑上生成秘密值和承诺值（附回执），或核对秘密值与承诺值",
  async run(args) {
    const [sub, ...rest] = args;
    let flags: Record<string, string>;
    try {
      ({ flags } = parseFlags(rest, ["out", "department", "secret-file", "hash"]));
    } catch (e) {
      throw new CliError(`${(e as Error).message}\n${USAGE}`);
    }
    if (sub === "new") {
      const secret = randomBytes(32).toString("hex");
      const { hash } = secretReceipt(secret);
      const at = new Date();
      const file = flags.out && flags.out !== "true" ? flags.out : `secret-${at.toISOString().replace(/[:.]/g, "-")}.txt`;
      if (existsSync(file)) throw new CliError(`${file} 已存在：不覆盖已有的秘密值文件`);
      writeFileSync(file, `${secret}\n`, { mode: 0o600 });
      const dept = flags.department && flags.department !== "true" ? flags.department : "（部门）";
      console.log(
        [
          "══════════ 抽取种子秘密值回执 ══════════",
          `部门：${dept}`,
          `生成时间：${at.toISOString()}（UTC）`,
          `秘密值文件：${file}（仅本机保存，公开阶段之前不得交给任何人，包括管理员）`,
          "提交的承诺值（32 字节秘密值的 SHA-256）：",
          `  ${hash}`,
          "提交：ssj draw secret <抽取号> --hash 上述承诺值（或在工作台“提交承诺”中粘贴）",
          "公开：所有部门提交承诺后，ssj draw reveal <抽取号> --secret-file 秘密值文件",
          "经办人签字：____________    日期：__________",
          "════════════════════════════════════════",
        ].join("\n"),
      );
      return 0;
    }
    if (sub === "check") {
      const file = flags["secret-file"];
      const hash = flags.hash;
      if (!file || file === "true" || !hash || hash === "true") throw new CliError(USAGE);
      let text: string;
      try {
        text = readFileSync(file, "utf8");
      } catch (e) {
        throw new CliError(`无法读取 ${file}：${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      }
      if (!/^[0-9a-fA-F]{64}$/.test(hash.trim())) throw new CliError("承诺值应为 64 位十六进制");
      const why = explainMismatch(text, hash);
      if (why === null) {
        console.log("一致：该秘密值正是这个承诺值的秘密值");
        return 0;
      }
      console.log(`不一致：${why}`);
      return 1;
    }
    throw new CliError(USAGE);
  },
};
