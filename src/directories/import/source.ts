/**
 * Byte sources for imports: a Buffer or any (async) iterable of byte chunks (a Node Readable is
 * one), with format sniffing and text decoding. Nothing here touches the file system.
 */

export type ByteSource = Uint8Array | AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

export type ImportErrorCode = "format" | "encoding" | "csv" | "header" | "xlsx" | "xls" | "empty" | "limit";

/** A whole-file failure (as opposed to a rejected row): the import cannot go on. */
export class ImportError extends Error {
  override readonly name = "ImportError";
  constructor(readonly code: ImportErrorCode, message: string) {
    super(message);
  }
}

export async function* chunksOf(source: ByteSource): AsyncGenerator<Uint8Array> {
  if (source instanceof Uint8Array) {
    // hand a large buffer over in slices so that progress and backpressure still work
    const SLICE = 1 << 20;
    for (let i = 0; i < source.length; i += SLICE) yield source.subarray(i, Math.min(source.length, i + SLICE));
    return;
  }
  for await (const c of source as AsyncIterable<Uint8Array>) {
    if (typeof c === "string") yield new TextEncoder().encode(c);
    else yield c;
  }
}

/**
 * Reads the first `n` bytes (or fewer at end of input) and returns them with a stream that
 * replays them followed by the rest.
 */
export async function peek(source: AsyncIterable<Uint8Array>, n: number): Promise<{ head: Uint8Array; stream: AsyncGenerator<Uint8Array> }> {
  const it = source[Symbol.asyncIterator]();
  const parts: Uint8Array[] = [];
  let len = 0;
  let done = false;
  while (len < n) {
    const r = await it.next();
    if (r.done) {
      done = true;
      break;
    }
    parts.push(r.value);
    len += r.value.length;
  }
  const head = Buffer.concat(parts);
  async function* replay(): AsyncGenerator<Uint8Array> {
    if (head.length > 0) yield head;
    if (done) return;
    for (;;) {
      const r = await it.next();
      if (r.done) return;
      yield r.value;
    }
  }
  return { head, stream: replay() };
}

export type SniffedFormat = "xlsx" | "xls" | "csv";

export function sniffFormat(head: Uint8Array): SniffedFormat {
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return "xlsx";
  if (head[0] === 0xd0 && head[1] === 0xcf && head[2] === 0x11 && head[3] === 0xe0) return "xls";
  return "csv";
}

export type TextEncodingName = "utf-8" | "utf-16le" | "utf-16be" | "gb18030";

/** Decides the encoding of a text file from its first bytes: BOM, else valid UTF-8, else GB18030 if allowed. */
export function sniffEncoding(head: Uint8Array, allowGb18030: boolean): { encoding: TextEncodingName; bomLength: number } {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: "utf-8", bomLength: 3 };
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: "utf-16le", bomLength: 2 };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: "utf-16be", bomLength: 2 };
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(head, { stream: true });
    return { encoding: "utf-8", bomLength: 0 };
  } catch {
    if (!allowGb18030) {
      throw new ImportError("encoding", "文件不是 UTF-8 文本：请另存为“CSV UTF-8”（或 .xlsx）后重新导入");
    }
    try {
      new TextDecoder("gb18030", { fatal: true }).decode(head, { stream: true });
    } catch {
      throw new ImportError("encoding", "文件既不是 UTF-8 也不是 GB18030/GBK 文本：请另存为“CSV UTF-8”（或 .xlsx）后重新导入");
    }
    return { encoding: "gb18030", bomLength: 0 };
  }
}

/** Decodes a byte stream strictly: an invalid byte sequence is an ImportError naming its offset. */
export async function* decodeText(
  stream: AsyncIterable<Uint8Array>,
  encoding: TextEncodingName,
  bomLength: number,
  onBytes: (n: number) => void,
): AsyncGenerator<string> {
  const dec = new TextDecoder(encoding, { fatal: true });
  let offset = 0;
  let skip = bomLength;
  for await (let chunk of stream) {
    onBytes(chunk.length);
    if (skip > 0) {
      const s = Math.min(skip, chunk.length);
      chunk = chunk.subarray(s);
      skip -= s;
      offset += s;
    }
    let text: string;
    try {
      text = dec.decode(chunk, { stream: true });
    } catch {
      throw new ImportError("encoding", `第 ${offset} 字节附近不是有效的 ${encoding.toUpperCase()} 文本：文件混用了编码或不是文本；请另存为“CSV UTF-8”后重新导入`);
    }
    offset += chunk.length;
    if (text) yield text;
  }
  let tail: string;
  try {
    tail = dec.decode();
  } catch {
    throw new ImportError("encoding", `文件在一个 ${encoding.toUpperCase()} 字符中间结束（被截断？）`);
  }
  if (tail) yield tail;
}
