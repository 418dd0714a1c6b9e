/**
 * What each kind of verification proves, in the words people read (CLI, API, 公示 page): one list,
 * so the page can never claim more than the verifier checks. docs/draw-spec.md §11.
 */

/** Proven by a public verification (anyone, from the public manifest). */
export const PUBLIC_PROVES = {
  inputs: "名录、排除名单、各部门的抽查范围、事项、配额和配置与承诺值一致：增加、删除或替换任何一家企业都会被发现",
  seed: "随机种子由公布的来源按公开算法导出，来源的时间晚于输入冻结的时间",
  tickets: "每个列出的票号都由种子和企业代码重新计算，结果一致",
  membership: "每个抽中对象和候补对象都是该部门的候选对象（在名录中、在抽查范围内、未被排除），没有重复",
  quotas: "各部门每一风险类别的配额按公布的比例或数量计算无误，抽中和候补的数量与配额相符",
  chain: "记录链完整：每条递补、排期记录都引用前一条记录的摘要，没有记录被删改或调换顺序",
  substitutions: "每次对象递补都说明了理由，被替换的是当时抽中的对象，递补进来的是未被抽中过的候选对象",
} as const;

/** Only the full manifest (auditors, 纪检) can prove these; the public verifier lists them verbatim. */
export const NEEDS_FULL_MANIFEST = [
  "各企业的风险类别是否属实（类别计数只能用完整清单核对）",
  "同一风险类别内是否严格按票号从小到大抽取、没有跳过票号更小的候选对象",
  "检查组人员的抽取和人员递补",
  "递补进来的对象是否与被替换的对象属于同一风险类别",
  "排期是否与抽取确定的检查组一致、是否符合出勤限制",
] as const;

/** Proven additionally by a full verification. */
export const FULL_PROVES = {
  classes: "风险类别树与类别计数由完整名录重新计算，与承诺值一致",
  completeness: "各部门各类别的抽中对象和候补对象按票号顺序重新计算，结果一致",
  teams: "每个检查的检查组按种子和执法人员名录重新抽取，结果一致（含回避、资质、区域和人员负荷上限）",
  replay: "每条递补按公开顺序重放，递补对象和人员一致；每份排期与检查组一致并符合出勤限制",
} as const;

/** Warning when the commitment was not compared with the one published before the seed. */
export const NO_PUBLISHED_COMMITMENT =
  "未与抽取前公布的承诺值比对：请用 --commitment 给出公示页在生成种子前公布的承诺值，否则无法排除清单连同承诺值一起被替换";
