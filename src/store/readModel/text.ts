/**
 * Text normalisation and n-gram keys for the public name search (pure, no database).
 *
 * Names and queries go through the same `normalizeName` (NFKC, lower case, collapsed spaces), so
 * full-width/half-width brackets and letter case never decide whether a name is found.
 *
 * Queries of three or more characters use the database's trigram index (SQLite FTS5 `trigram`,
 * PostgreSQL `pg_trgm`). Trigram indexes cannot answer 1–2 character queries ("餐饮" is a common
 * one), so each name also gets a small side index of its 2-character substrings plus its last
 * character: every occurrence of a character c starts one of those keys, so
 *   - a 2-character query is one exact key, and
 *   - a 1-character query is the set of keys that start with it (a prefix).
 * In SQLite the keys are written as fixed-width hex words (6 hex digits per code point) into an
 * FTS5 table with the `ascii` tokenizer, so any character — CJK, punctuation, spaces — is a
 * plain token and "starts with c" is an FTS5 prefix query. PostgreSQL keeps the keys as text in a
 * `text[]` column with a GIN index (unigrams and bigrams, exact containment).
 */

export function normalizeName(s: string): string {
  return s.normalize("NFKC").toLowerCase().replace(/\s+/g, " ").trim();
}

/** Number of characters (code points), not UTF-16 units. */
export function charLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

const hex = (c: string): string => c.codePointAt(0)!.toString(16).padStart(6, "0");

/** SQLite side-index document for a normalised name: hex bigrams and the hex last character. */
export function gramDocument(normalized: string): string {
  const chars = [...normalized];
  if (chars.length === 0) return "";
  const keys = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i++) keys.add(hex(chars[i]!) + hex(chars[i + 1]!));
  keys.add(hex(chars[chars.length - 1]!));
  return [...keys].join(" ");
}

/** FTS5 query over the hex side index for a normalised 1–2 character query. */
export function gramQuery(normalized: string): string {
  const chars = [...normalized];
  if (chars.length === 1) return `${hex(chars[0]!)}*`;
  if (chars.length === 2) return hex(chars[0]!) + hex(chars[1]!);
  throw new RangeError("gram queries are for 1–2 characters");
}

/** PostgreSQL side-index keys: distinct unigrams and bigrams of a normalised name. */
export function gramArray(normalized: string): string[] {
  const chars = [...normalized];
  const keys = new Set<string>(chars);
  for (let i = 0; i + 1 < chars.length; i++) keys.add(chars[i]! + chars[i + 1]!);
  return [...keys];
}

/** An FTS5 string literal (a phrase): the trigram tokenizer turns it into a substring match. */
export function fts5Phrase(s: string): string {
  return `"${s.replace(/"/g, '""')}"`;
}

/** A LIKE pattern matching `s` as a substring, with `\` as the escape character. */
export function likeContains(s: string): string {
  return `%${s.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
}
