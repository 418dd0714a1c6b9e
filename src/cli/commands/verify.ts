/**
 * `ssj verify <manifest.json> [--commitment <hex>] [--head <hex>] [--threads <n>]`: recompute a
 * draw offline from its manifest (docs/draw-spec.md §11; version 1: docs/draw-spec-v1.md §10).
 *
 * Reads the file with the strict streaming reader (duplicate keys, non-integers … are not a
 * manifest), recognises the version and the kind (full: auditors; public: anyone), and prints in
 * Chinese exactly what was proven and, for a public manifest, what only the full manifest proves.
 * Exit 0 when everything checked holds; 1 at the first divergence (path and reason); 2 when the
 * file cannot be read or is not a manifest.
 */
import type { Command } from "../command.ts";
import { CliError } from "../cliError.ts";
import { readStrictJsonFile, StrictJsonError } from "../../draws/jsonReader.ts";
import { ManifestFormatError, parseManifest, verifyManifest, type DrawManifest } from "../../draws/index.ts";
import { isPublicManifest, verifyPublicManifest } from "../../draws/publicManifest.ts";
import { validateFrozenStrictV1 } from "../../draws/strictV1.ts";
import { verifyFull2, verifyPublic2, type FullManifest2, type PublicManifest2, type Verify2Outcome } from "../../draws/v2/index.ts";
import { canonicalJson } from "../../draws/canonicalJson.ts";
import { isPanelManifest } from "../../panels/index.ts";
import { printPanelOutcome } from "./panel.ts";

const HASH_PATHS = ["inputs.public", "inputs.private", "records[*].public", "records[*].private"];
const SKIP_PATHS = ["records[*].private.results"];
const USAGE = "用法：ssj verify <清单.json> [--commitment <抽取前公布的承诺值>] [--head <链头>] [--threads <n>]";
const HEX = /^[0-9a-f]{64}$/;

function printV2(o: Extract<Verify2Outcome, { ok: true }>): void {
  const s = o.summary;
  console.log(`一致：批次 ${s.batch} 第 ${s.attempt} 次抽取（${o.kind === "full" ? "完整清单，审计核验" : "公开清单，公众核验"}）`);
  console.log(`  承诺值 ${s.commitment}`);
  if (s.seed) console.log(`  种子   ${s.seed}`);
  console.log(`  链头   ${s.head}（${s.records} 条记录；${s.departments} 个部门，抽中 ${s.selected} 个对象${s.checks !== null ? `，${s.checks} 个检查组` : ""}）`);
  console.log("已证明：");
  for (const p of o.proven) console.log(`  ✓ ${p}`);
  if (o.notProven.length > 0) {
    console.log("公开清单不能证明、只有完整清单（由审计/纪检持有）才能证明：");
    for (const p of o.notProven) console.log(`  · ${p}`);
  }
  for (const w of o.warnings) console.log(`注意：${w}`);
}

export const verifyCommand: Command = {
  name: "verify",
  summary: "离线重算抽取清单（完整或公开），说明证明了什么；不一致时指出第一处",
  async run(args) {
    let file: string | undefined;
    let expectedCommitment: string | undefined;
    let expectedHead: string | undefined;
    let threads: number | undefined;
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      if (a === "--commitment") {
        expectedCommitment = args[++i];
        if (!expectedCommitment || !HEX.test(expectedCommitment)) throw new CliError(`--commitment 须为 64 位小写十六进制\n${USAGE}`);
      } else if (a === "--head") {
        expectedHead = args[++i];
        if (!expectedHead || !HEX.test(expectedHead)) throw new CliError(`--head 须为 64 位小写十六进制\n${USAGE}`);
      } else if (a === "--threads") {
        threads = Number(args[++i]);
        if (!Number.isInteger(threads) || threads < 1) throw new CliError(`--threads 须为正整数\n${USAGE}`);
      } else if (a === "--help" || a === "-h") {
        console.log(USAGE);
        return 0;
      } else if (a.startsWith("--")) throw new CliError(`未知选项 ${a}\n${USAGE}`);
      else if (file === undefined) file = a;
      else throw new CliError(`一次只能核验一份清单\n${USAGE}`);
    }
    if (!file) throw new CliError(USAGE);
    let doc: unknown;
    let spans: Record<string, (string | null)[]> = {};
    // The records' private results are compared by digest: read and checked, but not built (a
    // divergence is then located by reading them in full).
    const read = async (skip: boolean) => {
      try {
        const r = await readStrictJsonFile(file!, { hashPaths: HASH_PATHS, skipPaths: skip ? SKIP_PATHS : [] });
        doc = r.value;
        spans = r.spans;
      } catch (e) {
        if (e instanceof StrictJsonError) throw new CliError(`${file} 不是有效的抽取清单：${e.message}`);
        throw new CliError(`无法读取 ${file}：${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      }
    };
    await read(true);
    const o = doc as unknown as { manifest?: unknown; kind?: unknown } | null;
    if (isPanelManifest(doc)) return (await read(false), printPanelOutcome(doc, { ...(expectedCommitment ? { expectedCommitment } : {}), ...(expectedHead ? { expectedHead } : {}) })); // 专家和人员抽取 (§15): read whole
    if (o && o.manifest === "ssj-draw-manifest/2") {
      const opts = { spans, threads, ...(expectedCommitment ? { expectedCommitment } : {}), ...(expectedHead ? { expectedHead } : {}) };
      let out: Verify2Outcome;
      if (o.kind === "full") {
        out = await verifyFull2(doc as FullManifest2, opts);
        if (!out.ok && /^records\[\d+\]\.private/.test(out.path)) {
          await read(false);
          out = await verifyFull2(doc as FullManifest2, { ...opts, spans: spans! });
        }
      } else if (o.kind === "public") out = await verifyPublic2(doc as PublicManifest2, opts);
      else throw new CliError(`${file}：kind 应为 "full" 或 "public"`);
      if (!out.ok) {
        console.log(`不一致：${out.path}：${out.message}（规则 ${out.rule}）`);
        return 1;
      }
      printV2(out);
      return 0;
    }
    if (expectedHead) throw new CliError("--head 只适用于 ssj-draw/2 清单");
    // Version 1.
    if (isPublicManifest(doc)) {
      const pv = verifyPublicManifest(doc);
      if (!pv.ok) {
        console.log(`不一致：${pv.path}：${pv.message}`);
        return 1;
      }
      if (expectedCommitment && expectedCommitment !== pv.summary.commitment) {
        console.log(`不一致：commitment：清单的承诺值 ${pv.summary.commitment} 不是抽取前公布的承诺值 ${expectedCommitment}`);
        return 1;
      }
      console.log(`部分一致（ssj-draw/1 公开清单）：批次 ${pv.summary.batch}（${pv.summary.departments} 个部门，抽中 ${pv.summary.selected} 个）`);
      console.log("已核对：所列对象的票号由种子和代码重算一致、名次连续、按票号排序、均在名录中；种子由来源记录导出。");
      console.log("不能证明（版本 1 的公开清单无法重算承诺值）：名录是否完整、是否按类别抽取、配额、检查组、递补。请向审计索取完整清单，或使用 ssj-draw/2 的清单。");
      return 0;
    }
    let manifest: DrawManifest;
    try {
      manifest = parseManifest(canonicalJson(doc));
    } catch (e) {
      if (e instanceof ManifestFormatError) throw new CliError(`${file}：${e.message}`);
      throw e;
    }
    try {
      validateFrozenStrictV1(manifest);
    } catch (e) {
      console.log(`不一致：${(e as Error).message}`);
      return 1;
    }
    const outcome = await verifyManifest(manifest, { expectedCommitment, threads });
    if (!outcome.ok) {
      console.log(`不一致：${outcome.path}：${outcome.message}`);
      return 1;
    }
    const s = outcome.summary;
    console.log(`一致：ssj-draw/1 完整清单，批次 ${s.batch} 重算一致（${s.departments} 个部门，抽中 ${s.selected} 个，${s.checks} 个检查组，${s.substitutions} 次递补）`);
    console.log(`  承诺值 ${s.commitment}\n  种子   ${s.seed}`);
    if (!expectedCommitment) console.log("注意：未与抽取前公布的承诺值比对（--commitment）");
    return 0;
  },
};
