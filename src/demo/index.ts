/**
 * The demo city: a deterministic synthetic 西安市 for trying the service end to end.
 *
 *   ssj demo [--seed S] [--entities N] [--database-url URL]    (N default 5,000; 2m works)
 *   npm start                                                 (loads it into an empty database)
 *   loadDemoCity(store, { seed, entities }, onProgress)        (migrates, loads in one transaction)
 *
 * What is in it (city.ts, catalogue in catalog.ts):
 *  - the 13 real 区划码 of Xi'an's districts and counties (610102 … 610124);
 *  - 20 city departments D01…D20 (市场监督管理局, 生态环境局, 住房和城乡建设局, 卫生健康委员会,
 *    交通运输局, 应急管理局, …) and district branches D01-<区划码>, D06-<区划码> (parent = the city
 *    department), each with 5–13 inspection items (legal basis, method, 重点/一般);
 *  - 8 joint templates (部门联合抽查) JT01…JT08 over those items;
 *  - N entities with unique 统一社会信用代码 (valid; one in a thousand fails only its check
 *    character and is flagged `checksumFailed`) or, for ~2 % older 个体工商户, a 15-digit 注册号;
 *    kinds, GB/T 4754 industries, statuses, risk classes A/B/C/D ≈ 30/55/12/3 %, sizes, dates;
 *  - ~1,000 inspectors (≥ 2 active, fully qualified officers per department × district), ~90
 *    experts, and recusals that never leave a department × district with fewer than two officers.
 * Ids are 1-based in generation order. All names, people and codes are synthetic.
 */
export * from "./city.ts";
export { loadDemoCity, DemoCityRefused, type DemoLoadProgress, type DemoLoadResult } from "./load.ts";
