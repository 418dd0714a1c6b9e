/**
 * A CSV record reader over decoded text chunks: the semantics of csv-parse with the options this
 * importer used (`relax_column_count`, `relax_quotes`, `skip_empty_lines: false`, a record size
 * limit), without its per-byte Buffer machinery (the text was decoded once already; csv-parse
 * re-encoded it to bytes and decoded every field again — a third of the parse time).
 * A differential property test (test/store/importCsv.test.ts) holds it to csv-parse's output.
 *
 *  - the record delimiter is the first of `\r\n`, `\n`, `\r` met outside quotes; from then on
 *    only that one ends a record (as csv-parse);
 *  - a field starting with `"` is quoted: `""` inside is one quote; the closing quote must be
 *    followed by the delimiter, the record delimiter or the end, else (relaxed) the field goes on
 *    as plain text with its quotes kept (`"a"b` → `"a"b`); a quote inside an unquoted field is text;
 *  - an empty line is a record with one empty field; no record after the final delimiter;
 *  - an unclosed quote at the end, or a record over `maxRecordChars`, is a CsvTextError.
 */

export class CsvTextError extends Error {
  override readonly name = "CsvTextError";
  constructor(
    readonly code: "CSV_QUOTE_NOT_CLOSED" | "CSV_MAX_RECORD_SIZE",
    message: string,
    /** Records completed before the error. */
    readonly records: number,
  ) {
    super(message);
  }
}

const QUOTE = 34;
const CR = 13;
const LF = 10;

/** Rows-in-progress reader: feed text chunks, get complete records. */
export class CsvTextReader {
  #buf = "";
  /** 0 = not yet known, else the record delimiter: "\r\n" | "\n" | "\r". */
  #rd: "" | "\r\n" | "\n" | "\r" = "";
  #records = 0;
  readonly #delim: number;

  constructor(
    delimiter: string,
    private readonly maxRecordChars: number,
  ) {
    if (delimiter.length !== 1) throw new RangeError("the delimiter must be one character");
    this.#delim = delimiter.charCodeAt(0);
  }

  get records(): number {
    return this.#records;
  }

  /** Records completed by this chunk (the rest is kept until more text or `end()`). */
  push(chunk: string): string[][] {
    const text = this.#buf.length ? this.#buf + chunk : chunk;
    const out: string[][] = [];
    const used = this.#parse(text, false, out);
    this.#buf = used < text.length ? text.slice(used) : "";
    if (this.#buf.length > this.maxRecordChars) this.#tooLong();
    return out;
  }

  /** The last records at the end of the text. */
  end(): string[][] {
    const out: string[][] = [];
    const text = this.#buf;
    this.#buf = "";
    if (text.length > 0) this.#parse(text, true, out);
    return out;
  }

  #tooLong(): never {
    throw new CsvTextError("CSV_MAX_RECORD_SIZE", `Max Record Size: record exceed the maximum number of tolerated characters of ${this.maxRecordChars}`, this.#records);
  }

  /**
   * Parses complete records from `text` into `out`; returns the index where the first incomplete
   * record starts (text.length when all is consumed). With `final`, the end of the text ends the
   * last record.
   */
  #parse(text: string, final: boolean, out: string[][]): number {
    const n = text.length;
    const delim = this.#delim;
    let start = 0; // start of the current record
    let pos = 0;
    let fields: string[] = [];
    for (;;) {
      // ── one field at `pos` ──
      let value: string;
      let c = pos < n ? text.charCodeAt(pos) : -1;
      let end: number; // index of the char ending the field (delimiter / record delimiter / n)
      if (c === QUOTE) {
        let p = pos + 1;
        let acc = "";
        let relaxed = false;
        for (;;) {
          const q = text.indexOf('"', p);
          if (q < 0 || (q + 1 >= n && !final)) {
            if (final && q < 0) {
              throw new CsvTextError("CSV_QUOTE_NOT_CLOSED", "Quote Not Closed: the parsing is finished with an opening quote", this.#records);
            }
            return start; // need more text
          }
          const next = q + 1 < n ? text.charCodeAt(q + 1) : -1;
          if (next === QUOTE) {
            acc += text.slice(p, q + 1);
            p = q + 2;
            continue;
          }
          const rdl = next === -1 || next === delim ? 0 : this.#isRecordDelimiterAt(text, q + 1, final);
          if (rdl < 0) return start; // "\r" at the end of the text: maybe "\r\n"
          if (next === -1 || next === delim || rdl > 0) {
            acc += text.slice(p, q);
            end = q + 1;
            break;
          }
          // relaxed closing quote: the field goes on as text, quotes kept
          acc = `"${acc}${text.slice(p, q)}"`;
          relaxed = true;
          end = q + 1;
          break;
        }
        if (relaxed) {
          const e = this.#scanPlain(text, end, final);
          if (e < 0) return start;
          acc += text.slice(end, e);
          end = e;
        }
        value = acc;
      } else {
        const e = this.#scanPlain(text, pos, final);
        if (e < 0) return start;
        value = text.slice(pos, e);
        end = e;
      }
      fields.push(value);
      // ── what ends the field ──
      if (end >= n) {
        if (!final) return start;
        if (end - start > this.maxRecordChars) this.#tooLong();
        out.push(fields);
        this.#records++;
        return n;
      }
      c = text.charCodeAt(end);
      if (c === delim) {
        pos = end + 1;
        continue;
      }
      const rdl = this.#isRecordDelimiterAt(text, end, final);
      if (rdl < 0) return start; // "\r" at the end of the text: "\r\n"?
      if (end - start > this.maxRecordChars) this.#tooLong();
      out.push(fields);
      this.#records++;
      fields = [];
      pos = start = end + rdl;
      if (pos >= n) return n; // no record after the final delimiter
    }
  }

  /**
   * End of an unquoted field starting at `from`: the index of the next delimiter or record
   * delimiter, or n at the end of the text (when `final`); -1 when more text is needed.
   */
  #scanPlain(text: string, from: number, final: boolean): number {
    const n = text.length;
    const delim = this.#delim;
    const rd = this.#rd;
    for (let i = from; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c === delim) return i;
      if (c === CR || c === LF) {
        if (rd === "") {
          if (c === CR && i + 1 >= n && !final) return -1; // "\r" then maybe "\n"
          return i;
        }
        if (rd === "\n" ? c === LF : rd === "\r" ? c === CR : c === CR && i + 1 < n && text.charCodeAt(i + 1) === LF) return i;
        if (rd === "\r\n" && c === CR && i + 1 >= n && !final) return -1;
      }
    }
    return final ? n : -1;
  }

  /**
   * Length of the record delimiter at `i` (discovering it on first sight), 0 when there is none,
   * -1 when the text ends in the middle of a possible "\r\n".
   */
  #isRecordDelimiterAt(text: string, i: number, final: boolean): number {
    const c = text.charCodeAt(i);
    if (c !== CR && c !== LF) return 0;
    const rd = this.#rd;
    if (rd === "") {
      if (c === LF) {
        this.#rd = "\n";
        return 1;
      }
      if (i + 1 >= text.length) {
        if (!final) return -1;
        this.#rd = "\r";
        return 1;
      }
      this.#rd = text.charCodeAt(i + 1) === LF ? "\r\n" : "\r";
      return this.#rd.length;
    }
    if (rd === "\n") return c === LF ? 1 : 0;
    if (rd === "\r") return c === CR ? 1 : 0;
    if (c !== CR) return 0;
    if (i + 1 >= text.length) return final ? 0 : -1;
    return text.charCodeAt(i + 1) === LF ? 2 : 0;
  }
}
