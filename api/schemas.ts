/** Small TypeBox building blocks shared by route groups. */
import { Type } from "@sinclair/typebox";

export const IdParams = Type.Object({ id: Type.Integer({ minimum: 1, description: "numeric id" }) });
export const IsoDate = Type.String({ pattern: "^\\d{4}-\\d{2}-\\d{2}$", description: "YYYY-MM-DD", examples: ["2026-03-02"] });
export const ErrorRef = Type.Ref("Error");
export const Page = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
});
/** Standard error responses to spread into `response`. */
export const errors = {
  400: ErrorRef,
  401: ErrorRef,
  403: ErrorRef,
  404: ErrorRef,
  409: ErrorRef,
  422: ErrorRef,
};

/** 64 lowercase hex digits (a SHA-256 digest: secret hashes, commitments, chain heads). */
export const Hex64 = Type.String({ pattern: "^[0-9a-f]{64}$", description: "64 位小写十六进制" });

/**
 * The answer of a manifest verification (batch draws and panel draws alike): ok, or the first
 * divergence (path, rule, message), what was proven and what only the full manifest proves, and
 * whether the manifest is a draw this service holds and matches its published commitment.
 */
export function verifyResult(kinds: string) {
  return Type.Object({
    ok: Type.Boolean(),
    kind: Type.String({ description: kinds }),
    path: Type.Optional(Type.String()),
    rule: Type.Optional(Type.String()),
    message: Type.Optional(Type.String()),
    proven: Type.Optional(Type.Array(Type.String(), { description: "已证明的事项（中文）" })),
    notProven: Type.Optional(Type.Array(Type.String(), { description: "只有完整清单才能证明的事项（中文）" })),
    warnings: Type.Optional(Type.Array(Type.String())),
    summary: Type.Optional(Type.Unknown()),
    knownDraw: Type.Union([
      Type.Object({ id: Type.Integer(), status: Type.String(), publishedCommitment: Type.Union([Type.String(), Type.Null()]), matchesPublished: Type.Boolean() }),
      Type.Null(),
    ]),
  });
}

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

/** An expert of a 专家库 as the API returns it (experts routes and panel draws). */
export const ExpertView = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  certificateNo: Nullable(Type.String()),
  organization: Nullable(Type.String()),
  department: Nullable(Type.String({ description: "所属监管部门代码（null：共享专家库）" })),
  specialities: Type.Array(Type.String()),
  districts: Type.Array(Type.String()),
  unavailable: Type.Array(Type.String()),
  active: Type.Boolean(),
});
