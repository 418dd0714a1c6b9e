/** TypeBox schemas of the public read path (→ OpenAPI, tag "public"). */
import { Type, type TSchema } from "@sinclair/typebox";
import { MAX_PAGE_SIZE } from "../../src/store/readModel/index.ts";

const Date_ = (description: string) => Type.String({ pattern: "^\\d{4}-\\d{2}-\\d{2}$", description });

export const PublishedResult = Type.Object(
  {
    id: Type.String({ description: "public id of the published result" }),
    entityName: Type.String({ description: "市场主体名称" }),
    entityCode: Type.String({ description: "统一社会信用代码（或 15 位注册号）" }),
    taskNumber: Type.String({ description: "抽查任务编号" }),
    taskName: Type.String({ description: "抽查任务名称" }),
    checkDate: Date_("检查日期"),
    department: Type.String({ description: "检查部门" }),
    results: Type.Array(Type.String(), { description: "检查结果" }),
    publishedAt: Type.String({ description: "公示时间 (ISO 8601)" }),
    planId: Type.Optional(Type.String()),
    drawId: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

const cursorDoc = "opaque position: pass the previous page's nextCursor to get the next page";

export const Cursor = Type.Integer({ minimum: 1, description: cursorDoc });
export const PageSize = Type.Integer({ minimum: 1, maximum: MAX_PAGE_SIZE, default: 20, description: `1–${MAX_PAGE_SIZE}, default 20` });

export const ResultQuery = Type.Object(
  {
    code: Type.Optional(
      Type.String({ pattern: "^[0-9A-Za-z]{15}([0-9A-Za-z]{3})?$", description: "统一社会信用代码 (18) or 注册号 (15), exact match" }),
    ),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 50, description: "substring of the entity name (any length ≥ 1)" })),
    department: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: "inspecting department, exact" })),
    from: Type.Optional(Date_("check date from (inclusive)")),
    to: Type.Optional(Date_("check date to (inclusive)")),
    pageSize: Type.Optional(PageSize),
    cursor: Type.Optional(Cursor),
  },
  { additionalProperties: false },
);

const page = <T extends TSchema>(item: T) =>
  Type.Object({
    items: Type.Array(item),
    pageSize: Type.Integer(),
    nextCursor: Type.Union([Type.Integer(), Type.Null()], { description: "null on the last page" }),
  });



export const Departments = Type.Object({
  items: Type.Array(Type.Object({ name: Type.String(), results: Type.Integer({ description: "published results" }) })),
});

export const PublishedPlan = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    year: Type.Integer(),
    leadDepartment: Type.String({ description: "发起部门" }),
    departments: Type.Array(Type.String(), { description: "发起与配合部门" }),
    description: Type.Optional(Type.String()),
    items: Type.Optional(Type.Array(Type.Object({ name: Type.String(), basis: Type.Optional(Type.String()) }))),
    batches: Type.Optional(
      Type.Array(
        Type.Object({
          id: Type.String(),
          name: Type.String(),
          from: Type.Optional(Type.String()),
          to: Type.Optional(Type.String()),
          quantity: Type.Optional(Type.Number()),
        }),
      ),
    ),
    publishedAt: Type.String(),
  },
  {},
);

export const PublishedDraw = Type.Object(
  {
    id: Type.String(),
    planId: Type.String(),
    planName: Type.String(),
    batchId: Type.Optional(Type.String()),
    batchName: Type.Optional(Type.String()),
    department: Type.String(),
    subject: Type.Optional(Type.String()),
    status: Type.Optional(Type.String({ description: "committed（已承诺）| seeded（已生成种子）| drawn（已抽取）| void（已作废）" })),
    statusLabel: Type.Optional(Type.String()),
    attempt: Type.Optional(Type.Integer({ description: "本批次的第几次抽取" })),
    attemptsOfBatch: Type.Optional(Type.Integer({ description: "本批次至今的抽取次数（含作废的）" })),
    frozenAt: Type.Optional(Type.String({ description: "冻结输入、公布承诺值的时刻（早于任何种子）" })),
    commitment: Type.String({ description: "承诺值：在生成种子之前公布" }),
    publicDigest: Type.Optional(Type.String()),
    privateDigest: Type.Optional(Type.String()),
    seedPlan: Type.Optional(Type.Object({}, { additionalProperties: true, description: "承诺时确定的种子方案" })),
    secretCommitments: Type.Optional(Type.Array(Type.Object({ department: Type.String(), hash: Type.String(), committedAt: Type.String(), revealed: Type.Boolean() }))),
    seededAt: Type.Optional(Type.String()),
    seed: Type.Optional(Type.String({ description: "公开的随机种子（生成后）" })),
    seedProvenance: Type.Optional(Type.Union([Type.String(), Type.Object({}, { additionalProperties: true })], { description: "种子来源及时间" })),
    drawnAt: Type.Optional(Type.String()),
    voidedAt: Type.Optional(Type.String()),
    voidReason: Type.Optional(Type.String({ description: "作废理由（公开）" })),
    head: Type.Optional(Type.String({ description: "记录链头：清单的 ETag" })),
    records: Type.Optional(Type.Array(Type.Object({ seq: Type.Integer(), kind: Type.String(), at: Type.String(), digest: Type.String(), summary: Type.String() }))),
    auditHead: Type.Optional(Type.Object({ seq: Type.Integer(), hash: Type.String() })),
    algorithm: Type.String(),
    populationCount: Type.Optional(Type.Number()),
    classCounts: Type.Optional(Type.Object({}, { additionalProperties: true, description: "名录中各风险类别的企业数（总数，不涉及任何企业的类别）" })),
    selectedCount: Type.Optional(Type.Number()),
    publishedAt: Type.String(),
    manifestUrl: Type.String({ description: "download of the manifest (JSON)" }),
    verify: Type.String({ description: "command that re-computes the draw offline" }),
  },
  {},
);

export const AnchorList = Type.Object({
  items: Type.Array(Type.Object({ seq: Type.Integer(), hash: Type.String(), publishedAt: Type.String(), reason: Type.String() })),
});

export const ResultPage = page(PublishedResult);
export const PlanPage = page(PublishedPlan);
export const DrawPage = page(PublishedDraw);

export const PlanDetail = Type.Object({ plan: PublishedPlan, draws: Type.Array(PublishedDraw) });

export const ListQuery = Type.Object({ pageSize: Type.Optional(PageSize), cursor: Type.Optional(Cursor) }, { additionalProperties: false });
export const DrawListQuery = Type.Object(
  { planId: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })), pageSize: Type.Optional(PageSize), cursor: Type.Optional(Cursor) },
  { additionalProperties: false },
);
const Id = Type.String({ minLength: 1, maxLength: 100 });
export const PlanIdParam = Type.Object({ planId: Id });
export const DrawIdParam = Type.Object({ drawId: Id });

export const PageQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 200 })),
    department: Type.Optional(Type.String({ maxLength: 200 })),
    from: Type.Optional(Type.String({ maxLength: 20 })),
    to: Type.Optional(Type.String({ maxLength: 20 })),
    cursor: Type.Optional(Type.String({ maxLength: 20 })),
  },
  { additionalProperties: true },
);
