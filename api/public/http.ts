/** HTTP caching for the public read path: strong ETags, 304 on If-None-Match, Cache-Control. */
import { createHash } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";

/** Search results and pages: published data changes only on publication; a minute is harmless. */
export const CACHE_SHORT = "public, max-age=60";
/**
 * A draw's public manifest grows with its record chain (递补, schedules): its ETag is the chain head
 * and caches must revalidate every time, so nobody is served a stale record.
 */
export const CACHE_MANIFEST = "public, no-cache";
/** The stylesheet. */
export const CACHE_ASSET = "public, max-age=86400";

export const etagOf = (body: string): string => `"${createHash("sha1").update(body).digest("base64url")}"`;

/** RFC 9110 weak comparison of an If-None-Match header against one entity tag. */
export function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === "*") return true;
  const bare = etag.replace(/^W\//, "");
  for (const part of header.split(",")) if (part.trim().replace(/^W\//, "") === bare) return true;
  return false;
}

export function sendCached(
  request: FastifyRequest,
  reply: FastifyReply,
  body: string,
  contentType: string,
  cacheControl: string,
  etag: string = etagOf(body),
): FastifyReply {
  reply.header("etag", etag).header("cache-control", cacheControl);
  if (etagMatches(request.headers["if-none-match"], etag)) return reply.code(304).send();
  return reply.type(contentType).send(body);
}

export const JSON_TYPE = "application/json; charset=utf-8";
export const HTML_TYPE = "text/html; charset=utf-8";
