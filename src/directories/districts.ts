/**
 * The national table of administrative division codes (GB/T 2260; districtTable.ts, 2021-01-04):
 *
 *   districtName("469006") → "万宁市";  districtName("469099") → null
 *
 * Province (`460000`), prefecture (`460100`) and county (`460106`) codes are all in it: a
 * registering authority can be at any of those levels.
 */
import { DISTRICT_TABLE } from "./districtTable.ts";

let table: Map<string, string> | null = null;

function load(): Map<string, string> {
  if (table) return table;
  table = new Map();
  for (const entry of DISTRICT_TABLE.split("|")) table.set(entry.slice(0, 6), entry.slice(6));
  return table;
}

/** The division's name, or null when the code is not in the table. */
export function districtName(code: string): string | null {
  return load().get(code) ?? null;
}

export { DISTRICT_TABLE_DATE } from "./districtTable.ts";
