/** Small response helpers shared by the console plugin and its pages. */
import { randomBytes } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";
import { addCookie, cookieHeader, parseCookies } from "../session.ts";
import { html, type Html } from "./html.ts";
import { CONSOLE, layout, type LayoutUser } from "./layout.ts";

const FLASH_COOKIE = "ssj_flash";
const HTML = "text/html; charset=utf-8";

export function sendHtml(reply: FastifyReply, status: number, body: string): FastifyReply {
  return reply.status(status).header("cache-control", "no-store").type(HTML).send(body);
}

export function readFlash(request: FastifyRequest, reply: FastifyReply): string | null {
  const v = parseCookies(request.headers.cookie)[FLASH_COOKIE];
  if (!v) return null;
  addCookie(reply, cookieHeader(request, FLASH_COOKIE, "", { maxAgeSeconds: 0, path: CONSOLE }));
  return v.slice(0, 300);
}

export function setFlash(request: FastifyRequest, reply: FastifyReply, text: string): void {
  addCookie(reply, cookieHeader(request, FLASH_COOKIE, text.slice(0, 300), { maxAgeSeconds: 60, path: CONSOLE }));
}

/** The page shown for a refusal or failure (403, 404, API errors). */
export function problemPage(title: string, message: string, user: LayoutUser | null, nav: Html | null): string {
  return layout({
    title,
    user,
    nav,
    body: html`<h1>${title}</h1><p class="error-box" role="alert">${message}</p><p><a href="${CONSOLE}">返回工作台首页</a></p>`,
  });
}


/** A random token (login form double-submit cookie). */
export const randomToken = (): string => randomBytes(24).toString("base64url");
