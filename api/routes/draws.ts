/**
 * The draw ceremony: commit inputs → (commit-reveal secrets | external public value) → seed →
 * draw once → manifest; void with a reason; verify an uploaded manifest.
 *
 * Officers act for their own department; the lead department's officers run the batch's
 * ceremony; every participating department commits and reveals its own secret.
 */
import type { FastifyPluginAsync } from "fastify";
import { Type } from "@sinclair/typebox";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { assertDepartment, requirePrincipal, type Principal } from "../auth.ts";
import { badRequest, forbidden } from "../errors.ts";
import { actorOf } from "../../src/store/repos/audit.ts";
import { getBatch } from "../../src/store/repos/plans.ts";
import {
  commitDraw,
  drawScope,
  enterExternalValue,
  getDraw,
  listBatchDraws,
  manifestText,
  revealSecret,
  runDrawOnce,
  submitSecret,
  substituteInDraw,
  verifyUploadedManifest,
  voidDraw,
} from "../../src/store/repos/draws.ts";
import { assertBatchAccess } from "./plans.ts";
import { IdParams, errors } from "../schemas.ts";

const ALL = ["admin", "officer", "auditor"] as const;
const WRITERS = ["admin", "officer"] as const;
const Hex64 = Type.String({ pattern: "^[0-9a-f]{64}$", description: "64 lowercase hex characters" });

const Draw = Type.Object({
  id: Type.Integer(),
  batchId: Type.Integer(),
  status: Type.String({ description: "committed | seeded | drawn | void" }),
  attempt: Type.Integer(),
  specVersion: Type.String(),
  commitment: Type.String({ description: "SHA-256 of the frozen inputs, fixed before any seed exists" }),
  seedPlan: Type.Unknown(),
  secretCommitments: Type.Array(Type.Object({ department: Type.String(), hash: Type.String(), revealed: Type.Boolean(), committedAt: Type.String() })),
  seed: Type.Union([Type.String(), Type.Null()]),
  seedProvenance: Type.Unknown(),
  voidReason: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  seededAt: Type.Union([Type.String(), Type.Null()]),
  drawnAt: Type.Union([Type.String(), Type.Null()]),
  voidedAt: Type.Union([Type.String(), Type.Null()]),
  summary: Type.Object({
    pool: Type.Integer(),
    excluded: Type.Integer(),
    selected: Type.Union([Type.Integer(), Type.Null()]),
    tasks: Type.Union([Type.Integer(), Type.Null()]),
  }),
});
const CommitBody = Type.Object(
  {
    seed: Type.Union([
      Type.Object({ mode: Type.Literal("commitReveal") }, { additionalProperties: false }),
      Type.Object(
        {
          mode: Type.Literal("external"),
          source: Type.String({ minLength: 1, maxLength: 200, description: "e.g. 中国福利彩票 双色球" }),
          reference: Type.String({ minLength: 1, maxLength: 200, description: "e.g. 2026135 期" }),
        },
        { additionalProperties: false },
      ),
    ]),
  },
  { additionalProperties: false },
);
const DeptField = { departmentId: Type.Optional(Type.Integer({ minimum: 1, description: "officers: their own (default); admins must name it" })) };

const drawRoutes: FastifyPluginAsync = async (fastify) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const store = app.ssj.store;

  /** Officers read draws of batches their department takes part in. */
  async function assertReadable(p: Principal, drawId: number) {
    const s = await drawScope(store, drawId);
    if (p.role === "officer" && !s.departmentIds.includes(p.departmentId!)) throw forbidden("officers may only access draws of batches their department takes part in");
    return s;
  }
  /** The lead department's officers (and admins) run the ceremony. */
  async function assertLead(p: Principal, drawId: number) {
    const s = await drawScope(store, drawId);
    if (p.role === "officer" && p.departmentId !== s.leadDepartmentId) throw forbidden("only the lead department (发起部门) runs the draw ceremony");
    return s;
  }
  function actingDepartment(p: Principal, departmentId: number | undefined): number {
    if (p.role === "officer") {
      const d = departmentId ?? p.departmentId!;
      assertDepartment(p, d, "that department");
      return d;
    }
    if (departmentId === undefined) throw badRequest("admins must name departmentId", "body.departmentId", "VALIDATION_FAILED");
    return departmentId;
  }

  app.post(
    "/batches/:id/draws",
    {
      config: { access: WRITERS },
      schema: {
        tags: ["draws"],
        summary: "Commit a batch's inputs (freeze) and the seed plan; 409 when the batch already has a live draw",
        params: IdParams,
        body: CommitBody,
        response: { 201: Draw, ...errors },
      },
    },
    async (request, reply) => {
      const p = requirePrincipal(request);
      const b = await getBatch(store, request.params.id);
      const lead = b.departments.find((d) => d.role === "lead");
      if (p.role === "officer" && lead?.departmentId !== p.departmentId) throw forbidden("only the lead department (发起部门) commits the draw");
      return reply.status(201).send(await commitDraw(store, b.id, request.body.seed, actorOf(p)));
    },
  );

  app.get(
    "/batches/:id/draws",
    { config: { access: ALL }, schema: { tags: ["draws"], summary: "All draws of a batch, voided ones included", params: IdParams, response: { 200: Type.Array(Draw), ...errors } } },
    async (request) => {
      const b = await getBatch(store, request.params.id);
      assertBatchAccess(requirePrincipal(request), b);
      return listBatchDraws(store, b.id);
    },
  );

  app.get(
    "/draws/:id",
    { config: { access: ALL }, schema: { tags: ["draws"], summary: "A draw and its ceremony state", params: IdParams, response: { 200: Draw, ...errors } } },
    async (request) => {
      await assertReadable(requirePrincipal(request), request.params.id);
      return getDraw(store, request.params.id);
    },
  );

  app.post(
    "/draws/:id/commitments",
    {
      config: { access: ["officer"] },
      schema: {
        tags: ["draws"],
        summary: "Commit-reveal: a department's officer submits SHA-256 of its own secret (admins cannot: one honest department must be enough)",
        params: IdParams,
        body: Type.Object({ hash: Hex64, ...DeptField }, { additionalProperties: false }),
        response: { 201: Draw, ...errors },
      },
    },
    async (request, reply) => {
      const p = requirePrincipal(request);
      await assertReadable(p, request.params.id);
      const dept = actingDepartment(p, request.body.departmentId);
      return reply.status(201).send(await submitSecret(store, request.params.id, dept, request.body.hash, actorOf(p)));
    },
  );

  app.post(
    "/draws/:id/reveals",
    {
      config: { access: ["officer"] },
      schema: {
        tags: ["draws"],
        summary: "Commit-reveal: reveal a department's secret (after all commitments); the last reveal fixes the seed",
        params: IdParams,
        body: Type.Object({ secret: Hex64, ...DeptField }, { additionalProperties: false }),
        response: { 200: Draw, ...errors },
      },
    },
    async (request) => {
      const p = requirePrincipal(request);
      await assertReadable(p, request.params.id);
      const dept = actingDepartment(p, request.body.departmentId);
      return revealSecret(store, request.params.id, dept, request.body.secret, actorOf(p));
    },
  );

  app.post(
    "/draws/:id/external-value",
    {
      config: { access: WRITERS },
      schema: {
        tags: ["draws"],
        summary: "External seed: enter the public value named in the committed plan (published after the commitment)",
        params: IdParams,
        body: Type.Object(
          { value: Type.String({ minLength: 1, maxLength: 500 }), publishedAt: Type.String({ format: "date-time" }) },
          { additionalProperties: false },
        ),
        response: { 200: Draw, ...errors },
      },
    },
    async (request) => {
      const p = requirePrincipal(request);
      await assertLead(p, request.params.id);
      return enterExternalValue(store, request.params.id, request.body.value, new Date(request.body.publishedAt).toISOString(), actorOf(p));
    },
  );

  app.post(
    "/draws/:id/run",
    {
      config: { access: WRITERS },
      schema: { tags: ["draws"], summary: "Run the draw (once): targets, inspector teams, manifest, tasks. Again → 409", params: IdParams, response: { 201: Draw, ...errors } },
    },
    async (request, reply) => {
      const p = requirePrincipal(request);
      await assertLead(p, request.params.id);
      return reply.status(201).send(await runDrawOnce(store, request.params.id, actorOf(p), request.log));
    },
  );

  app.post(
    "/draws/:id/void",
    {
      config: { access: WRITERS },
      schema: {
        tags: ["draws"],
        summary: "Void a draw with a reason (kept on record; its tasks are cancelled)",
        params: IdParams,
        body: Type.Object({ reason: Type.String({ minLength: 2, maxLength: 1000 }) }, { additionalProperties: false }),
        response: { 200: Draw, ...errors },
      },
    },
    async (request) => {
      const p = requirePrincipal(request);
      await assertLead(p, request.params.id);
      return voidDraw(store, request.params.id, request.body.reason.trim(), actorOf(p));
    },
  );

  app.post(
    "/draws/:id/substitutions",
    {
      config: { access: WRITERS },
      schema: {
        tags: ["draws"],
        summary: "递补: replace a drawn entity or officer by the next of the published random order, with a reason (appended to the manifest)",
        params: IdParams,
        body: Type.Union([
          Type.Object(
            {
              kind: Type.Literal("target"),
              out: Type.String({ pattern: "^[0-9A-Z]{15,18}$", description: "credit code of the drawn entity to replace" }),
              reason: Type.String({ minLength: 2, maxLength: 500 }),
              ...DeptField,
            },
            { additionalProperties: false },
          ),
          Type.Object(
            {
              kind: Type.Literal("inspector"),
              entityCode: Type.String({ pattern: "^[0-9A-Z]{15,18}$" }),
              out: Type.String({ minLength: 1, maxLength: 64, description: "certificate number of the drawn officer (or expert id) to replace" }),
              expert: Type.Optional(Type.Boolean()),
              reason: Type.String({ minLength: 2, maxLength: 500 }),
              ...DeptField,
            },
            { additionalProperties: false },
          ),
        ]),
        response: { 201: Type.Object({ in: Type.Union([Type.String(), Type.Null()]), manifestSubstitutions: Type.Integer() }), ...errors },
      },
    },
    async (request, reply) => {
      const p = requirePrincipal(request);
      const scope = await assertReadable(p, request.params.id);
      const b = request.body;
      if (b.kind === "inspector" && b.expert) {
        if (p.role === "officer" && p.departmentId !== scope.leadDepartmentId) throw forbidden("experts are replaced by the lead department");
        return reply.status(201).send(await substituteInDraw(store, request.params.id, { kind: "inspector", departmentId: "expert", entityCode: b.entityCode, out: b.out, reason: b.reason }, actorOf(p)));
      }
      const departmentId = actingDepartment(p, b.departmentId);
      const req = b.kind === "target" ? { kind: "target" as const, departmentId, out: b.out, reason: b.reason } : { kind: "inspector" as const, departmentId, entityCode: b.entityCode, out: b.out, reason: b.reason };
      return reply.status(201).send(await substituteInDraw(store, request.params.id, req, actorOf(p)));
    },
  );

  app.get(
    "/draws/:id/manifest",
    {
      config: { access: ALL },
      schema: {
        tags: ["draws"],
        summary: "Download the draw manifest (byte-exact; verify offline with `ssj verify`)",
        params: IdParams,
        response: { 200: Type.String({ description: "canonical JSON" }), ...errors },
      },
    },
    async (request, reply) => {
      await assertReadable(requirePrincipal(request), request.params.id);
      const text = await manifestText(store, request.params.id);
      return reply
        .header("content-type", "application/json; charset=utf-8")
        .header("content-disposition", `attachment; filename="draw-${request.params.id}-manifest.json"`)
        .serializer((s: unknown) => s as string)
        .send(text);
    },
  );

  app.get(
    "/draws/:id/verify",
    {
      config: { access: ALL },
      schema: {
        tags: ["draws"],
        summary: "Recompute the stored manifest of a drawn draw (commitment, seed, every result)",
        params: IdParams,
        response: {
          200: Type.Object({
            ok: Type.Boolean(),
            path: Type.Optional(Type.String()),
            message: Type.Optional(Type.String()),
            summary: Type.Optional(Type.Unknown()),
            knownDraw: Type.Union([Type.Object({ id: Type.Integer(), status: Type.String(), matchesStored: Type.Boolean() }), Type.Null()]),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      await assertReadable(requirePrincipal(request), request.params.id);
      return verifyUploadedManifest(store, await manifestText(store, request.params.id));
    },
  );

  app.post(
    "/draws/verify",
    {
      config: { access: ALL },
      bodyLimit: app.ssj.uploadLimit,
      schema: {
        tags: ["draws"],
        summary: "Verify an uploaded manifest: recompute commitment, seed, results; name the first divergence",
        body: Type.Object({}, { additionalProperties: true, description: "the manifest JSON document" }),
        response: {
          200: Type.Object({
            ok: Type.Boolean(),
            path: Type.Optional(Type.String()),
            message: Type.Optional(Type.String()),
            summary: Type.Optional(Type.Unknown()),
            knownDraw: Type.Union([Type.Object({ id: Type.Integer(), status: Type.String(), matchesStored: Type.Boolean() }), Type.Null()]),
          }),
          ...errors,
        },
      },
    },
    async (request) => verifyUploadedManifest(store, JSON.stringify(request.body)),
  );
};

export default drawRoutes;
