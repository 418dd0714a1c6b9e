/**
 * `npm run bench -- xlsxBomb [--gb 1.15] [--keep]`
 *
 * The server's memory while it refuses .xlsx bombs (issue 9: a 4.5 MB workbook whose sheet
 * inflates to 1.15 GB took a server to 3.9 GB and killed it). The server runs as it does in
 * production, `node --import tsx api/main.ts`, in its own process on a fresh SQLite file; an admin
 * uploads each bomb to `POST /imports/entities`, and this process samples the server's resident
 * set (/proc/<pid>/status VmRSS, every 10 ms) while it answers. Bombs (built once, streamed
 * through deflate; nothing of them is held in memory here):
 *
 *   sheet        one worksheet inflating to --gb GB of ordinary rows, sizes declared honestly
 *   sheet-lying  the same, but the ZIP directory declares the sheet 1 MB (refused while inflating)
 *   sheet-rows   a worksheet of 500 MB (under the part limit, declared honestly) of the same row
 *                over and over, numbered: streamed, parsed and validated until the row limit
 *                refuses it
 *   strings      a shared-string table inflating to --gb GB of one short string repeated, declared
 *                as 500 MB (under the part limit: refused by the shared-string limits, the one
 *                part the reader keeps whole)
 *
 * Each bomb goes to a fresh server. The floor is that idle server: its RSS after start-up and one
 * small valid import (so that the import code is loaded), sampled for 2 s. Each bomb's figure is its peak RSS minus that floor
 * (target from the issue: under 300 MB). Prints the answer (status, code, message) too: a refusal
 * must be 413/422 naming the limit, and the server must still answer /health afterwards.
 */
import { spawn } from "node:child_process";
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { crc32, createDeflateRaw } from "node:zlib";
import { once } from "node:events";
import { openStore } from "../src/store/index.ts";
import { createUser } from "../src/store/repos/users.ts";

const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const GB = Number(flag("--gb") ?? 1.15);
const KEEP = args.includes("--keep");
const ROOT = fileURLToPath(new URL("..", import.meta.url));
const MB = 1024 * 1024;

// ── a streaming ZIP writer (deflated entries, optional lying sizes) ────────────────────────────

interface Entry {
  name: string;
  /** Chunks of the uncompressed content. */
  chunks: () => Iterable<Buffer>;
  /** Written instead of the real uncompressed size. */
  declaredSize?: number;
}

async function writeZip(path: string, entries: Entry[]): Promise<{ bytes: number; inflated: number }> {
  const out = createWriteStream(path);
  let offset = 0;
  let inflated = 0;
  const write = async (b: Buffer) => {
    offset += b.length;
    if (!out.write(b)) await once(out, "drain");
  };
  const central: Buffer[] = [];
  for (const e of entries) {
    const name = Buffer.from(e.name, "utf8");
    const start = offset;
    // Local header with sizes in a data descriptor (flag bit 3), since they are known only at the end.
    const lh = Buffer.alloc(30);
    lh.writeUInt32LE(0x04034b50, 0);
    lh.writeUInt16LE(20, 4);
    lh.writeUInt16LE(0x0808, 6);
    lh.writeUInt16LE(8, 8);
    lh.writeUInt16LE(name.length, 26);
    await write(lh);
    await write(name);
    let crc = 0;
    let size = 0;
    let comp = 0;
    const deflate = createDeflateRaw({ level: 9, memLevel: 9 });
    const drained = (async () => {
      for await (const c of deflate as AsyncIterable<Buffer>) {
        comp += c.length;
        await write(c);
      }
    })();
    for (const chunk of e.chunks()) {
      crc = crc32(chunk, crc);
      size += chunk.length;
      if (!deflate.write(chunk)) await once(deflate, "drain");
    }
    deflate.end();
    await drained;
    inflated += size;
    const declared = e.declaredSize ?? size;
    const dd = Buffer.alloc(16);
    dd.writeUInt32LE(0x08074b50, 0);
    dd.writeUInt32LE(crc >>> 0, 4);
    dd.writeUInt32LE(comp, 8);
    dd.writeUInt32LE(declared, 12);
    await write(dd);
    const ch = Buffer.alloc(46);
    ch.writeUInt32LE(0x02014b50, 0);
    ch.writeUInt16LE(20, 4);
    ch.writeUInt16LE(20, 6);
    ch.writeUInt16LE(0x0808, 8);
    ch.writeUInt16LE(8, 10);
    ch.writeUInt32LE(crc >>> 0, 16);
    ch.writeUInt32LE(comp, 20);
    ch.writeUInt32LE(declared, 24);
    ch.writeUInt16LE(name.length, 28);
    ch.writeUInt32LE(start, 42);
    central.push(ch, name);
  }
  const cd = Buffer.concat(central);
  const cdStart = offset;
  await write(cd);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(cdStart, 16);
  await write(end);
  out.end();
  await once(out, "finish");
  return { bytes: statSync(path).size, inflated };
}

const NS = `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"`;
const one = (s: string) => () => [Buffer.from(s, "utf8")];
const frame = (sheets: Entry[], strings: Entry): Entry[] => [
  { name: "[Content_Types].xml", chunks: one(`<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`) },
  { name: "xl/workbook.xml", chunks: one(`<?xml version="1.0" encoding="UTF-8"?><workbook ${NS} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="名录" sheetId="1" r:id="rId1"/></sheets></workbook>`) },
  {
    name: "xl/_rels/workbook.xml.rels",
    chunks: one(
      `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
        `<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>` +
        `<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
    ),
  },
  strings,
  ...sheets,
];
const HEADER_ROW = `<row r="1"><c r="A1" t="inlineStr"><is><t>统一社会信用代码</t></is></c><c r="B1" t="inlineStr"><is><t>企业名称</t></is></c><c r="C1" t="inlineStr"><is><t>状态</t></is></c></row>`;

/** The same synthetic row over and over (rows without `r` are valid), in 1 MiB chunks, until `bytes`: deflate's best case, as in a real bomb. */
function* sheetChunks(bytes: number): Iterable<Buffer> {
  yield Buffer.from(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet ${NS}><sheetData>${HEADER_ROW}`);
  const row = `<row><c t="inlineStr"><is><t>91460100MA5T2R3X0K</t></is></c><c t="inlineStr"><is><t>炸弹测试有限公司</t></is></c><c t="inlineStr"><is><t>存续</t></is></c></row>`;
  const chunk = Buffer.from(row.repeat(Math.ceil(MB / Buffer.byteLength(row))), "utf8");
  for (let written = 0; written < bytes; written += chunk.length) yield chunk;
  yield Buffer.from(`</sheetData></worksheet>`);
}

/** Like sheetChunks, but every row numbered (`r` is optional in the format; numbered rows are what Excel writes). */
function* numberedSheetChunks(bytes: number): Iterable<Buffer> {
  yield Buffer.from(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet ${NS}><sheetData>${HEADER_ROW}`);
  const rest = `><c t="inlineStr"><is><t>91460100MA5T2R3X0K</t></is></c><c t="inlineStr"><is><t>炸弹测试有限公司</t></is></c><c t="inlineStr"><is><t>存续</t></is></c></row>`;
  let r = 2;
  for (let written = 0; written < bytes; ) {
    const parts: string[] = [];
    for (let k = 0; k < 4096; k++, r++) parts.push(`<row r="${r}"${rest}`);
    const b = Buffer.from(parts.join(""), "utf8");
    written += b.length;
    yield b;
  }
  yield Buffer.from(`</sheetData></worksheet>`);
}

/** A shared-string table of one short string repeated, until `bytes`. */
function* stringChunks(bytes: number): Iterable<Buffer> {
  yield Buffer.from(`<?xml version="1.0" encoding="UTF-8"?><sst ${NS}>`);
  const chunk = Buffer.from(`<si><t>炸弹测试有限公司</t></si>`.repeat(30_000), "utf8");
  for (let written = 0; written < bytes; written += chunk.length) yield chunk;
  yield Buffer.from(`</sst>`);
}

const emptyStrings: Entry = { name: "xl/sharedStrings.xml", chunks: one(`<?xml version="1.0" encoding="UTF-8"?><sst ${NS}/>`) };
const smallSheet: Entry = { name: "xl/worksheets/sheet1.xml", chunks: one(`<?xml version="1.0" encoding="UTF-8"?><worksheet ${NS}><sheetData>${HEADER_ROW}</sheetData></worksheet>`) };

// ── the server in its own process ────────────────────────────────────────────────────────────

async function freePort(): Promise<number> {
  const s = createServer();
  s.listen(0, "127.0.0.1");
  await once(s, "listening");
  const port = (s.address() as { port: number }).port;
  s.close();
  return port;
}

const rssKb = (pid: number): number => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);

/** Sample the server's RSS every 10 ms while `f` runs; the peak in kB. */
async function peakWhile<T>(pid: number, f: () => Promise<T>): Promise<{ value: T; peakKb: number; ms: number }> {
  let peak = rssKb(pid);
  const timer = setInterval(() => {
    peak = Math.max(peak, rssKb(pid));
  }, 10);
  const t0 = performance.now();
  try {
    const value = await f();
    return { value, peakKb: Math.max(peak, rssKb(pid)), ms: performance.now() - t0 };
  } finally {
    clearInterval(timer);
  }
}

async function upload(base: string, token: string, path: string): Promise<{ status: number; body: { code?: string; message?: string } }> {
  const form = new FormData();
  form.append("file", new Blob([readFileSync(path)]), "名录.xlsx");
  const res = await fetch(`${base}/imports/entities`, { method: "POST", headers: { authorization: `Bearer ${token}` }, body: form });
  return { status: res.status, body: (await res.json()) as { code?: string; message?: string } };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "ssj-bomb-"));
  const bytes = Math.round(GB * 1024 ** 3);
  console.log(`xlsxBomb: building bombs of ${GB} GB inflated in ${dir} (node ${process.version}, ${cpus().length} CPUs, load ${loadavg().map((l) => l.toFixed(1)).join(" ")})`);
  const bombs: { name: string; path: string; bytes: number; inflated: number }[] = [];
  const build = async (name: string, entries: Entry[]) => {
    const path = join(dir, `${name}.xlsx`);
    const t0 = performance.now();
    const z = await writeZip(path, entries);
    bombs.push({ name, path, ...z });
    console.log(`  ${name}: ${(z.bytes / MB).toFixed(1)} MB on disk → ${(z.inflated / MB).toFixed(0)} MB inflated (built in ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  };
  await build("sheet", frame([{ name: "xl/worksheets/sheet1.xml", chunks: () => sheetChunks(bytes) }], emptyStrings));
  await build("sheet-lying", frame([{ name: "xl/worksheets/sheet1.xml", chunks: () => sheetChunks(bytes), declaredSize: MB }], emptyStrings));
  await build("sheet-rows", frame([{ name: "xl/worksheets/sheet1.xml", chunks: () => numberedSheetChunks(Math.min(bytes, 500 * MB)) }], emptyStrings));
  await build("strings", frame([smallSheet], { name: "xl/sharedStrings.xml", chunks: () => stringChunks(bytes), declaredSize: 500 * MB }));
  const valid = join(dir, "valid.xlsx");
  await writeZip(valid, frame([smallSheet], emptyStrings));

  const dbUrl = `file:${join(dir, "bomb.db")}`;
  const store = await openStore({ databaseUrl: dbUrl });
  await store.migrate();
  const { token } = await createUser(store, { name: "基准管理员", role: "admin", department: null }, "bench");
  await store.close();

  console.log(`\n| bomb | file | inflates to | answer | time | idle RSS | peak RSS | above idle |\n|---|---|---|---|---|---|---|---|`);
  const notes: string[] = [];
  try {
    for (const b of bombs) {
      const r = await againstFreshServer(dbUrl, token, valid, b.path);
      console.log(
        `| ${b.name} | ${(b.bytes / MB).toFixed(1)} MB | ${(b.inflated / MB).toFixed(0)} MB | ${r.status} ${r.body.code} | ${(r.ms / 1000).toFixed(1)} s | ${(r.idleKb / 1024).toFixed(0)} MB | ${(r.peakKb / 1024).toFixed(0)} MB | **${((r.peakKb - r.idleKb) / 1024).toFixed(0)} MB** |`,
      );
      notes.push(`${b.name}: ${String(r.body.message).slice(0, 200)} (then /health: ${r.health})`);
    }
    console.log(`\n${notes.join("\n")}`);
  } finally {
    if (!KEEP) rmSync(dir, { recursive: true, force: true });
  }
}

/** Start the server, warm it up, measure its idle RSS, upload `bomb` while sampling, check /health, stop it. */
async function againstFreshServer(dbUrl: string, token: string, valid: string, bomb: string) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ["--import", "tsx", "api/main.ts"], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: dbUrl, PORT: String(port), HOST: "127.0.0.1", SSJ_NO_DEMO: "1", LOG_LEVEL: "warn" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const pid = child.pid!;
  try {
    for (let i = 0; ; i++) {
      try {
        if ((await fetch(`${base}/health`)).ok) break;
      } catch {
        /* not yet */
      }
      if (i > 600) throw new Error("server did not start");
      await new Promise((r) => setTimeout(r, 100));
    }
    const warm = await upload(base, token, valid);
    if (warm.status !== 200) throw new Error(`warm-up import answered ${warm.status}`);
    await new Promise((r) => setTimeout(r, 1000));
    const idle: number[] = [];
    for (let i = 0; i < 40; i++) {
      idle.push(rssKb(pid));
      await new Promise((r) => setTimeout(r, 50));
    }
    idle.sort((a, b) => a - b);
    const idleKb = idle[idle.length >> 1]!;
    const { value, peakKb, ms } = await peakWhile(pid, () => upload(base, token, bomb));
    const health = (await fetch(`${base}/health`)).status;
    return { ...value, idleKb, peakKb, ms, health };
  } finally {
    child.kill("SIGTERM");
    await once(child, "exit").catch(() => {});
  }
}

await main();
