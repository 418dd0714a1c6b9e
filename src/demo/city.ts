/**
 * The demo city: a deterministic synthetic 西安市 for the 双随机、一公开 service. Pure: no I/O, no
 * clock, no global randomness — the same `{seed, entities}` always gives the same city.
 *
 * - `demoCity(options)`: districts, departments (20 city departments D01…D20 plus district
 *   branches of D01 市场监督管理局 and D06 应急管理局 in every district), their 抽查事项清单,
 *   joint templates (部门联合抽查), inspectors, experts and recusals. Small: built in memory.
 * - `entityGenerator(options)`: the entity directory, computed per index (`at(i)`) and streamed
 *   (`batches(size)`), so two million entities need no more memory than one batch.
 *
 * Entity i is computed from the seed and i alone (its own sfc32 stream), so any slice can be
 * generated independently. Codes are unique by construction: the organisation-code body is a keyed
 * bijection of i (see `permute30`), and both the 18-character 统一社会信用代码 and the 15-digit 注册号
 * embed it. Ids are 1-based and assigned in order (entity id = i + 1), so the city can be written
 * into an empty database with explicit ids and recusals can refer to entities by id.
 */
import { creditCodeCheckChar, CREDIT_CODE_ALPHABET, registrationNumberCheckDigit } from "../directories/creditCode.ts";
import {
  CITY,
  COOP_WORDS,
  DEPARTMENTS,
  DISTRICTS,
  EXPERT_ORGS,
  GIVEN_CHARS,
  INDUSTRIES,
  JOINT_TEMPLATES,
  RECUSAL_REASONS,
  ROAD_CHARS,
  SURNAMES,
  TRADE_CHARS,
  type DistrictDef,
  type ItemMethod,
} from "./catalog.ts";
import { cumulative, permute30, seedWords, Sfc32, type CumulativeTable, type Words } from "./random.ts";

export const DEFAULT_DEMO_SEED = "xian-demo-2026";
export const DEFAULT_DEMO_ENTITIES = 5_000;
/** Organisation-code numbers available (31^6); far above any useful demo size. */
export const MAX_DEMO_ENTITIES = 31 ** 6;

export interface DemoCityOptions {
  seed?: string;
  entities?: number;
}

export type EntityKind = "enterprise" | "individual" | "cooperative";
export type EntityStatus = "active" | "deregistered" | "revoked" | "moved-out";
export type RiskClass = "A" | "B" | "C" | "D";
export type EntitySize = "large" | "medium" | "small" | "micro";

export interface DemoDistrict {
  code: string;
  name: string;
}

export interface DemoDepartment {
  id: number;
  /** D01…D20 for city departments, e.g. D01-610113 for a district branch. */
  code: string;
  name: string;
  level: "city" | "district";
  districtCode: string;
  parentId: number | null;
}

export interface DemoItem {
  id: number;
  departmentId: number;
  /** e.g. D01-04; a district branch's copy of its parent's item keeps the parent's code. */
  code: string;
  category: string;
  name: string;
  target: string;
  legalBasis: string;
  content: string;
  methods: ItemMethod[];
  importance: "key" | "general";
  source: string;
  /** GB/T 4754 divisions or sections the item applies to; empty = all entities. */
  industries: string[];
}

export interface DemoEntity {
  /** 1-based: index + 1. */
  id: number;
  code: string;
  codeKind: "uscc" | "regno";
  /** The code is well formed but its check character is wrong (as with some very old real codes). */
  checksumFailed: boolean;
  name: string;
  districtCode: string;
  address: string;
  industryCode: string;
  kind: EntityKind;
  status: EntityStatus;
  riskClass: RiskClass;
  size: EntitySize;
  establishedOn: string;
  statusChangedOn: string | null;
}

export interface DemoInspector {
  id: number;
  departmentId: number;
  name: string;
  certificateNo: string;
  qualifications: string[];
  specialities: string[];
  districts: string[];
  active: boolean;
}

export interface DemoExpert {
  id: number;
  name: string;
  certificateNo: string;
  organization: string;
  specialities: string[];
  districts: string[];
  active: boolean;
}

export interface DemoRecusal {
  id: number;
  inspectorId: number;
  entityId: number;
  reason: string;
}

export interface DemoJointTemplate {
  id: number;
  code: string;
  field: string;
  name: string;
  target: string;
  leadDepartmentId: number;
  partnerDepartmentIds: number[];
  /** Items of the lead and partner departments checked together. */
  itemIds: number[];
}

export interface DemoCity {
  seed: string;
  entityCount: number;
  city: { code: string; name: string };
  districts: DemoDistrict[];
  departments: DemoDepartment[];
  items: DemoItem[];
  jointTemplates: DemoJointTemplate[];
  inspectors: DemoInspector[];
  experts: DemoExpert[];
  recusals: DemoRecusal[];
}

/** Risk-class shares of the demo directory (A low … D high). */
export const RISK_SHARES: Readonly<Record<RiskClass, number>> = { A: 0.3, B: 0.55, C: 0.12, D: 0.03 };
/** Share of entity kinds. */
export const KIND_SHARES: Readonly<Record<EntityKind, number>> = { enterprise: 0.33, individual: 0.65, cooperative: 0.02 };

export function resolveOptions(options: DemoCityOptions = {}): { seed: string; entities: number } {
  const seed = options.seed ?? DEFAULT_DEMO_SEED;
  const entities = options.entities ?? DEFAULT_DEMO_ENTITIES;
  if (!Number.isInteger(entities) || entities < 0 || entities > MAX_DEMO_ENTITIES) {
    throw new RangeError(`entities must be an integer in 0..${MAX_DEMO_ENTITIES}, got ${entities}`);
  }
  return { seed, entities };
}

// ── helpers ─────────────────────────────────────────────────────────────────────────────────

const DAY_MS = 86_400_000;
const dayNumber = (iso: string) => Math.floor(Date.parse(`${iso}T00:00:00Z`) / DAY_MS);
const OLD_FROM = dayNumber("1993-01-01");
const OLD_TO = dayNumber("2015-09-30");
const NEW_FROM = dayNumber("2015-10-01");
const NEW_TO = dayNumber("2026-10-31");
const LAST_DAY = NEW_TO + 20;
/** ISO strings of every day the generator can produce (formatting a Date per entity is slow). */
const ISO_DAYS: string[] = Array.from({ length: LAST_DAY - OLD_FROM + 1 }, (_, k) => new Date((OLD_FROM + k) * DAY_MS).toISOString().slice(0, 10));
const isoDay = (day: number): string => ISO_DAYS[day - OLD_FROM]!;

const SURNAME_LIST = [...SURNAMES];
const GIVEN_LIST = [...GIVEN_CHARS];
const TRADE_LIST = [...TRADE_CHARS];
const ROAD_LIST = [...ROAD_CHARS];

function personName(rng: Sfc32): string {
  const given = rng.chance(0.7) ? rng.pick(GIVEN_LIST) + rng.pick(GIVEN_LIST) : rng.pick(GIVEN_LIST);
  return rng.pick(SURNAME_LIST) + given;
}

function tradeName(rng: Sfc32): string {
  const a = rng.int(TRADE_LIST.length);
  let b = rng.int(TRADE_LIST.length - 1);
  if (b >= a) b++;
  return TRADE_LIST[a]! + TRADE_LIST[b]!;
}

/** GB 11714 organisation-code check character for an 8-character body. */
export function organizationCodeCheckChar(body8: string): string {
  const W = [3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const c = body8.charCodeAt(i);
    const v = c <= 57 ? c - 48 : c - 55; // '0'-'9' → 0-9, 'A'-'Z' → 10-35
    sum += v * W[i]!;
  }
  const r = 11 - (sum % 11);
  return r === 10 ? "X" : r === 11 ? "0" : String(r);
}

function base31(n: number, width: number): string {
  let s = "";
  for (let k = 0; k < width; k++) {
    s = CREDIT_CODE_ALPHABET[n % 31]! + s;
    n = Math.floor(n / 31);
  }
  return s;
}

const KIND_DIGIT: Record<EntityKind, string> = { enterprise: "1", individual: "2", cooperative: "3" };
/** Organisation-code numbers below this are written as 8 digits (codes converted from pre-2015 registrations). */
const OLD_NUMBERS = 100_000_000;

// ── entities ────────────────────────────────────────────────────────────────────────────────

export interface EntityGenerator {
  readonly seed: string;
  readonly count: number;
  /** Entity with index i (0-based; id = i + 1). */
  at(i: number): DemoEntity;
  /** Entities [from, to) in order. */
  entities(from?: number, to?: number): Generator<DemoEntity>;
  /** Entities in arrays of at most `size`. */
  batches(size: number, from?: number, to?: number): Generator<DemoEntity[]>;
}

export function entityGenerator(options: DemoCityOptions = {}): EntityGenerator {
  const { seed, entities: count } = resolveOptions(options);
  const streamWords = seedWords(seed, "entity");
  const codeKey: Words = seedWords(seed, "organisation-code");

  const districtTable = cumulative(DISTRICTS.map((d) => d.weight));
  const rural = DISTRICTS.filter((d) => d.rural);
  const ruralTable = cumulative(rural.map((d) => d.weight));
  const industryTables: Record<EntityKind, { list: typeof INDUSTRIES; table: CumulativeTable }> = {
    enterprise: { list: INDUSTRIES, table: cumulative(INDUSTRIES.map((x) => x.weight.enterprise)) },
    individual: { list: INDUSTRIES, table: cumulative(INDUSTRIES.map((x) => x.weight.individual)) },
    cooperative: { list: INDUSTRIES, table: cumulative(INDUSTRIES.map((x) => x.weight.cooperative)) },
  };
  const riskTable = cumulative([RISK_SHARES.A, RISK_SHARES.B, RISK_SHARES.C, RISK_SHARES.D]);
  const RISKS: RiskClass[] = ["A", "B", "C", "D"];

  function at(i: number): DemoEntity {
    if (!(Number.isInteger(i) && i >= 0 && i < count)) throw new RangeError(`entity index ${i} out of [0, ${count})`);
    const number = permute30(i, MAX_DEMO_ENTITIES, codeKey);
    const rng = Sfc32.of(streamWords, i);

    const k = rng.next();
    const kind: EntityKind = k < KIND_SHARES.enterprise ? "enterprise" : k < KIND_SHARES.enterprise + KIND_SHARES.individual ? "individual" : "cooperative";
    let district: DistrictDef = DISTRICTS[rng.weighted(districtTable)]!;
    if (kind === "cooperative" && !district.rural) district = rural[rng.weighted(ruralTable)]!;
    const it = industryTables[kind];
    const industry = it.list[rng.weighted(it.table)]!;

    const old = number < OLD_NUMBERS;
    const established = old ? rng.between(OLD_FROM, OLD_TO) : rng.between(NEW_FROM, NEW_TO);

    // Code.
    let code: string;
    let codeKind: DemoEntity["codeKind"] = "uscc";
    let checksumFailed = false;
    if (old && kind === "individual" && rng.chance(0.35)) {
      codeKind = "regno";
      const first14 = district.code + String(number).padStart(8, "0");
      code = first14 + registrationNumberCheckDigit(first14);
    } else {
      const body8 = old ? String(number).padStart(8, "0") : "MA" + base31(number, 6);
      const first17 = "9" + KIND_DIGIT[kind] + district.code + body8 + organizationCodeCheckChar(body8);
      const check = creditCodeCheckChar(first17);
      if (i % 1000 === 499) {
        // One code in a thousand fails only its check character, as some very old real ones do
        // (by index, so even the default 5,000-entity city has a handful).
        checksumFailed = true;
        const right = CREDIT_CODE_ALPHABET.indexOf(check);
        let wrong = CREDIT_CODE_ALPHABET[(right + 1 + rng.int(30)) % 31]!;
        // Never produce something that looks like a number mangled by Excel (15 digits + "000").
        if (/^\d{15}00$/.test(first17) && wrong === "0") wrong = "1";
        code = first17 + wrong;
      } else {
        code = first17 + check;
      }
    }

    // Name.
    const trade = tradeName(rng);
    let name: string;
    if (kind === "enterprise") {
      const word = rng.pick(industry.enterpriseWords);
      const r = rng.next();
      const prefix = r < 0.7 ? "西安" : r < 0.9 ? "陕西" : `西安市${district.name}`;
      const s = rng.next();
      const suffix = s < 0.92 ? "有限公司" : s < 0.98 ? "有限责任公司" : "股份有限公司";
      name = prefix + trade + word + suffix;
    } else if (kind === "individual") {
      const word = rng.pick(industry.shopWords);
      const r = rng.next();
      name =
        r < 0.5 ? district.name + trade + word : r < 0.8 ? `西安市${district.name}${trade}${word}` : `${district.name}${rng.pick(SURNAME_LIST)}记${word}`;
    } else {
      const words = COOP_WORDS[industry.code] ?? COOP_WORDS.A01!;
      name = `${district.name}${trade}${rng.pick(words)}专业合作社`;
    }

    // Status.
    const s = rng.next();
    const status: EntityStatus = s < 0.92 ? "active" : s < 0.97 ? "deregistered" : s < 0.995 ? "revoked" : "moved-out";
    const statusChangedOn = status === "active" ? null : isoDay(rng.between(Math.min(Math.max(established + 180, NEW_FROM), LAST_DAY), LAST_DAY));

    const riskClass = RISKS[rng.weighted(riskTable)]!;
    const z = rng.next();
    const size: EntitySize =
      kind === "individual" ? "micro" : kind === "cooperative" ? (z < 0.9 ? "micro" : "small") : z < 0.8 ? "micro" : z < 0.95 ? "small" : z < 0.99 ? "medium" : "large";
    const road = rng.pick(ROAD_LIST) + rng.pick(ROAD_LIST) + rng.pick(["路", "路", "街", "大道"]);
    const address = `西安市${district.name}${road}${rng.between(1, 999)}号`;

    return {
      id: i + 1,
      code,
      codeKind,
      checksumFailed,
      name,
      districtCode: district.code,
      address,
      industryCode: industry.code,
      kind,
      status,
      riskClass,
      size,
      establishedOn: isoDay(established),
      statusChangedOn,
    };
  }

  function* entities(from = 0, to = count): Generator<DemoEntity> {
    for (let i = from; i < to; i++) yield at(i);
  }

  function* batches(size: number, from = 0, to = count): Generator<DemoEntity[]> {
    if (!(Number.isInteger(size) && size > 0)) throw new RangeError("batch size must be a positive integer");
    for (let start = from; start < to; start += size) {
      const end = Math.min(to, start + size);
      const batch = new Array<DemoEntity>(end - start);
      for (let i = start; i < end; i++) batch[i - start] = at(i);
      yield batch;
    }
  }

  return { seed, count, at, entities, batches };
}

// ── the rest of the city ────────────────────────────────────────────────────────────────────

function itemTarget(industries: string[]): string {
  if (industries.length === 0) return "辖区内各类市场主体";
  const labels = industries.map((code) => {
    const exact = INDUSTRIES.find((x) => x.code === code);
    if (exact) return exact.label;
    const section = INDUSTRIES.filter((x) => x.code.startsWith(code)).map((x) => x.label);
    return section.length ? section.join("、") : code;
  });
  return `${[...new Set(labels)].join("、")}等市场主体`;
}

export function demoCity(options: DemoCityOptions = {}): DemoCity {
  const { seed, entities: entityCount } = resolveOptions(options);
  const districts: DemoDistrict[] = DISTRICTS.map((d) => ({ code: d.code, name: d.name }));
  const districtCodes = districts.map((d) => d.code);

  // Departments and their item lists.
  const departments: DemoDepartment[] = [];
  const items: DemoItem[] = [];
  const categoriesOf = new Map<number, string[]>();
  const defOf = new Map<number, (typeof DEPARTMENTS)[number]>();
  const addItems = (dept: DemoDepartment, def: (typeof DEPARTMENTS)[number]) => {
    def.items.forEach(([name, category, legalBasis, method, key, targets], n) => {
      const industries = targets ? targets.split(",") : [];
      items.push({
        id: items.length + 1,
        departmentId: dept.id,
        code: `${def.id}-${String(n + 1).padStart(2, "0")}`,
        category,
        name,
        target: itemTarget(industries),
        legalBasis,
        content: `依据${legalBasis}，检查${category}方面法定义务的履行情况`,
        methods: [method],
        importance: key ? "key" : "general",
        source: `${CITY.name}${def.name}随机抽查事项清单（演示数据）`,
        industries,
      });
    });
    categoriesOf.set(dept.id, [...new Set(def.items.map((x) => x[1]))]);
    defOf.set(dept.id, def);
  };
  for (const def of DEPARTMENTS) {
    const dept: DemoDepartment = { id: departments.length + 1, code: def.id, name: `${CITY.name}${def.name}`, level: "city", districtCode: CITY.code, parentId: null };
    departments.push(dept);
    addItems(dept, def);
  }
  for (const def of DEPARTMENTS) {
    if (!def.districtLevel) continue;
    const parent = departments.find((d) => d.code === def.id)!;
    for (const district of districts) {
      const dept: DemoDepartment = {
        id: departments.length + 1,
        code: `${def.id}-${district.code}`,
        name: `${CITY.name}${district.name}${def.name}`,
        level: "district",
        districtCode: district.code,
        parentId: parent.id,
      };
      departments.push(dept);
      addItems(dept, def);
    }
  }

  // Joint templates over the city departments' items.
  const cityDept = (code: string) => {
    const d = departments.find((x) => x.code === code && x.level === "city");
    if (!d) throw new Error(`joint template: unknown department ${code}`);
    return d;
  };
  const jointTemplates: DemoJointTemplate[] = JOINT_TEMPLATES.map((t, k) => {
    const lead = cityDept(t.lead);
    const partners = t.partners.map(cityDept);
    const allowed = new Set([lead.id, ...partners.map((p) => p.id)]);
    const itemIds = t.items.map((code) => {
      const item = items.find((x) => x.code === code && allowed.has(x.departmentId));
      if (!item) throw new Error(`joint template ${t.code}: item ${code} is not an item of its departments`);
      return item.id;
    });
    return { id: k + 1, code: t.code, field: t.field, name: t.name, target: t.target, leadDepartmentId: lead.id, partnerDepartmentIds: partners.map((p) => p.id), itemIds };
  });

  // Inspectors: per department and district, at least two active officers qualified for every
  // category of the department's list; more with partial qualifications, some inactive, some also
  // covering a second district.
  const rng = Sfc32.of(seedWords(seed, "people"));
  const inspectors: DemoInspector[] = [];
  for (const dept of departments) {
    const def = defOf.get(dept.id)!;
    const categories = categoriesOf.get(dept.id)!;
    const deptNo = def.id.slice(1);
    const homes = dept.level === "city" ? districtCodes : [dept.districtCode];
    for (const home of homes) {
      const big = def.id === "D01" || def.id === "D06";
      const n = dept.level === "district" ? rng.between(3, 6) : big ? rng.between(3, 6) : rng.between(2, 5);
      for (let k = 0; k < n; k++) {
        const full = k < 2;
        const covered = [home];
        if (dept.level === "city" && rng.chance(0.25)) {
          const other = rng.pick(districtCodes);
          if (other !== home) covered.push(other);
        }
        inspectors.push({
          id: inspectors.length + 1,
          departmentId: dept.id,
          name: personName(rng),
          certificateNo: `${home}${dept.level === "city" ? 1 : 2}${deptNo}${String(k + 1).padStart(4, "0")}`,
          qualifications: full ? categories.slice() : rng.sample(categories, rng.between(1, categories.length)),
          specialities: rng.sample(def.specialities, rng.between(1, 2)),
          districts: covered,
          active: full || rng.chance(0.9),
        });
      }
    }
  }

  // Experts: a few per city department's field, mostly city-wide.
  const experts: DemoExpert[] = [];
  for (const def of DEPARTMENTS) {
    const n = rng.between(3, 6);
    for (let k = 0; k < n; k++) {
      experts.push({
        id: experts.length + 1,
        name: personName(rng),
        certificateNo: `ZJ${def.id.slice(1)}${String(k + 1).padStart(4, "0")}`,
        organization: `西安${tradeName(rng)}${rng.pick(EXPERT_ORGS)}`,
        specialities: rng.sample(def.expertFields, rng.between(1, def.expertFields.length)),
        districts: rng.chance(0.8) ? districtCodes.slice() : rng.sample(districtCodes, rng.between(1, 4)).sort(),
        active: rng.chance(0.95),
      });
    }
  }

  // Recusals: an active inspector covering the entity's district, only where that department still
  // has at least two other active officers for the district, at most one per entity × department.
  const activeCount = new Map<string, number>();
  for (const p of inspectors) if (p.active) for (const d of p.districts) activeCount.set(`${p.departmentId}:${d}`, (activeCount.get(`${p.departmentId}:${d}`) ?? 0) + 1);
  const eligible = new Map<string, DemoInspector[]>();
  for (const p of inspectors) {
    if (!p.active) continue;
    for (const d of p.districts) {
      if ((activeCount.get(`${p.departmentId}:${d}`) ?? 0) < 3) continue;
      const list = eligible.get(d) ?? [];
      list.push(p);
      eligible.set(d, list);
    }
  }
  const recusals: DemoRecusal[] = [];
  if (entityCount > 0) {
    const gen = entityGenerator({ seed, entities: entityCount });
    const wanted = Math.min(5_000, Math.max(10, Math.floor(entityCount / 400)), entityCount);
    const seen = new Set<string>();
    const rr = Sfc32.of(seedWords(seed, "recusals"));
    for (let attempt = 0; recusals.length < wanted && attempt < wanted * 20; attempt++) {
      const entity = gen.at(rr.int(entityCount));
      const candidates = eligible.get(entity.districtCode);
      if (!candidates?.length) continue;
      const p = rr.pick(candidates);
      const key = `${entity.id}:${p.departmentId}`;
      if (seen.has(key)) continue;
      seen.add(key);
      recusals.push({ id: recusals.length + 1, inspectorId: p.id, entityId: entity.id, reason: rr.pick(RECUSAL_REASONS) });
    }
  }

  return { seed, entityCount, city: { code: CITY.code, name: CITY.name }, districts, departments, items, jointTemplates, inspectors, experts, recusals };
}

/** Active inspectors per `departmentId:districtCode` (recusals not counted). */
export function inspectorCoverage(city: Pick<DemoCity, "inspectors">): Map<string, number> {
  const m = new Map<string, number>();
  for (const p of city.inspectors) if (p.active) for (const d of p.districts) m.set(`${p.departmentId}:${d}`, (m.get(`${p.departmentId}:${d}`) ?? 0) + 1);
  return m;
}
