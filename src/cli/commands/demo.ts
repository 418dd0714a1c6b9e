/**
 * `ssj demo [--seed S] [--entities N] [--database-url URL]`: migrate the database, then load the
 * deterministic demo city (西安市: 13 districts, 20 departments and district branches, their
 * inspection items, inspectors, experts, recusals and N synthetic market entities; default 5,000).
 *
 * The load is one transaction: it completes or leaves the database untouched. It refuses a
 * database that already has directory data (exit 1). A progress bar is shown on a terminal,
 * periodic plain lines otherwise. N accepts 2000000, 2_000_000, 2e6, 500k, 2m.
 */
import cliProgress from "cli-progress";
import type { Command } from "../command.ts";
import { CliError } from "../cliError.ts";
import type { DemoLoadProgress } from "../../demo/load.ts";

/** The demo loader acts as an administrator named in the audit log as "ssj demo" (no user account). */
const DEMO_PANEL_ACTOR = { userId: 0, role: "admin" as const, departmentId: null, actor: "ssj demo" };
const USAGE = "用法：ssj demo [--seed <文字>] [--entities <数量>] [--database-url <url>]";

export interface DemoArgs {
  seed?: string;
  entities?: number;
  databaseUrl?: string;
}

export function parseEntityCount(raw: string): number {
  const s = raw.trim().toLowerCase().replace(/_/g, "");
  const m = /^(\d+(?:\.\d+)?)(k|m|e\d+)?$/.exec(s);
  if (!m) throw new CliError(`--entities 须为整数（如 5000、2_000_000、2e6、500k、2m），实为 '${raw}'\n${USAGE}`);
  const base = Number(m[1]);
  const unit = m[2];
  const n = unit === "k" ? base * 1e3 : unit === "m" ? base * 1e6 : unit ? base * 10 ** Number(unit.slice(1)) : base;
  if (!Number.isSafeInteger(n)) throw new CliError(`--entities must be a whole number, got '${raw}'`);
  return n;
}

export function parseDemoArgs(args: string[]): DemoArgs {
  const out: DemoArgs = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const eq = a.indexOf("=");
    const [flag, inline] = a.startsWith("--") && eq > 0 ? [a.slice(0, eq), a.slice(eq + 1)] : [a, undefined];
    const value = () => {
      const v = inline ?? args[++i];
      if (v === undefined || v === "") throw new CliError(`${flag} 须给出值\n${USAGE}`);
      return v;
    };
    if (flag === "--seed") out.seed = value();
    else if (flag === "--entities") out.entities = parseEntityCount(value());
    else if (flag === "--database-url") out.databaseUrl = value();
    else if (flag === "--help" || flag === "-h") throw new CliError(USAGE, 0);
    else throw new CliError(`未知选项 '${a}'\n${USAGE}`);
  }
  return out;
}

/** Progress over all tables: a cli-progress bar on a TTY, a plain line every ~5 s otherwise. */
function progressReporter(tty: boolean) {
  if (tty) {
    const bar = new cliProgress.SingleBar(
      { format: "demo city |{bar}| {percentage}% | {value}/{total} rows | {table} | ETA {eta_formatted}", hideCursor: true, etaBuffer: 50 },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      update(p: DemoLoadProgress) {
        if (!started) {
          bar.start(p.overallTotal, 0, { table: p.table });
          started = true;
        }
        bar.update(p.overallDone, { table: p.phase === "indexes" ? `${p.table}: checks and indexes` : p.table });
      },
      stop() {
        if (started) bar.stop();
      },
    };
  }
  let last = Date.now();
  const t0 = last;
  return {
    update(p: DemoLoadProgress) {
      const now = Date.now();
      if (now - last >= 5000 || p.phase === "indexes") {
        last = now;
        const pct = Math.floor((100 * p.overallDone) / Math.max(p.overallTotal, 1));
        const what = p.phase === "indexes" ? `${p.table}: rows in, building checks and indexes` : `${p.table} ${p.done}/${p.total}`;
        console.log(`演示城市：${p.overallDone}/${p.overallTotal} 行（${pct}%），${what}，${((now - t0) / 1000).toFixed(0)} 秒`);
      }
    },
    stop() {},
  };
}

export const demoCommand: Command = {
  name: "demo",
  summary: "向空数据库载入确定性的演示城市（西安市，合成数据）",
  async run(args) {
    let opts: DemoArgs;
    try {
      opts = parseDemoArgs(args);
    } catch (err) {
      if (err instanceof CliError && err.exitCode === 0) {
        console.log(err.message);
        return 0;
      }
      throw err;
    }
    const { openStore, DatabaseUrlError } = await import("../../store/index.ts");
    const { loadDemoCity, DemoCityRefused, resolveOptions } = await import("../../demo/index.ts");
    let resolved: { seed: string; entities: number };
    try {
      resolved = resolveOptions(opts);
    } catch (err) {
      throw new CliError(`${(err as Error).message}\n${USAGE}`);
    }
    let store;
    try {
      store = await openStore(opts.databaseUrl ? { databaseUrl: opts.databaseUrl } : {});
    } catch (err) {
      if (err instanceof DatabaseUrlError) throw new CliError(err.message);
      throw err;
    }
    try {
      console.log(`数据库：${store.describe}`);
      console.log(`演示城市：种子 '${resolved.seed}'，${resolved.entities} 个市场主体`);
      const progress = progressReporter(Boolean(process.stdout.isTTY));
      let result;
      try {
        result = await loadDemoCity(store, resolved, (p) => progress.update(p));
      } catch (err) {
        if (err instanceof DemoCityRefused) throw new CliError(err.message, 1);
        throw err;
      } finally {
        progress.stop();
      }
      const rows = Object.entries(result.rows)
        .map(([t, n]) => `${t} ${n}`)
        .join(", ");
      console.log(`载入完成，用时 ${(result.ms / 1000).toFixed(1)} 秒：${rows}`);
      const { loadDemoLoop } = await import("../../demo/loop.ts");
      const loop = await loadDemoLoop(store, { seed: resolved.seed });
      console.log(
        `审管联动：行政审批部门 ${loop.bureaus} 个、职责边界清单 ${loop.listEntries} 行；${loop.decisions} 件审批决定（告知承诺 ${loop.commitments} 件），推送 ${loop.pushes} 次、已签收 ${loop.acknowledged} 次；` +
          `核查 ${loop.verifications} 项、已核查 ${loop.verified} 项，函告 ${loop.disputes} 件；风险预警 ${loop.alerts} 条、已反馈 ${loop.alertsAnswered} 条；12 月新排检查 ${loop.scheduled.created} 次（用时 ${(loop.ms / 1000).toFixed(1)} 秒）`,
      );
      const { demoPanels } = await import("../../store/repos/panels.ts");
      const panels = await demoPanels(store, DEMO_PANEL_ACTOR);
      console.log(`专家和人员抽取：${panels.length} 次已抽取的演示抽取（外部随机数为演示值）`);
      return 0;
    } finally {
      await store.close();
    }
  },
};
