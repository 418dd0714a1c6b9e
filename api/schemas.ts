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
