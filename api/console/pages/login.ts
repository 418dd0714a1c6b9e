/**
 * Login, logout and the landing page `/` (公示 or 工作台登录).
 *
 * The login form is protected against login CSRF by a double-submit token (cookie `ssj_login_csrf`
 * = hidden field), SameSite=Strict and the Origin check; it is rate limited per client like
 * `POST /session`, and uses the same repository function (`login`): lockout, timing and audit are
 * the same as over the API.
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import { login, logout, sameSecret } from "../../../src/store/repos/accounts.ts";
import { LOGIN_RATE_LIMIT } from "../../routes/session.ts";
import { addCookie, clearSessionCookie, cookieHeader, crossSite, parseCookies, sessionToken, setSessionCookie } from "../../session.ts";
import { field, type FormBody } from "../framework.ts";
import { html } from "../html.ts";
import { CONSOLE, layout } from "../layout.ts";
import { randomToken, sendHtml, setFlash, readFlash } from "../respond.ts";

const LOGIN_CSRF = "ssj_login_csrf";

/** Only console paths are followed after login (no open redirect). */
export function safeNext(next: string | undefined): string {
  return next && /^\/console(\/[^\s\\]*)?(\?[^\s\\]*)?$/.test(next) && !next.startsWith("//") ? next : CONSOLE;
}

function loginPage(o: { token: string; next: string; login?: string; error?: string | null; flash?: string | null }): string {
  return layout({
    title: "工作台登录",
    user: null,
    nav: null,
    flash: o.flash,
    body: html`<div class="login">
<h1>工作台登录</h1>
<p class="muted">供各部门科员、管理员和审计（纪检）人员使用。公众请访问 <a href="/public">公示页</a>。</p>
${o.error ? html`<div class="error-box" role="alert" id="form-error" tabindex="-1"><p>${o.error}</p></div>` : ""}
<form method="post" action="${CONSOLE}/login" class="form" data-busy>
<input type="hidden" name="_login_csrf" value="${o.token}">
<input type="hidden" name="next" value="${o.next}">
<div class="field"><label for="login">登录账号</label>
<input id="login" name="login" autocomplete="username" required maxlength="40" value="${o.login ?? ""}" autofocus></div>
<div class="field"><label for="password">密码</label>
<input id="password" name="password" type="password" autocomplete="current-password" required maxlength="128"></div>
<div class="actions"><button type="submit">登录</button><span class="hint" data-busy-text hidden>正在核对…</span></div>
</form>
<p class="hint">连续 5 次输错密码，账号将锁定 15 分钟；闲置 30 分钟后需重新登录。忘记密码请联系本单位管理员重置。</p>
</div>`,
  });
}

function freshToken(request: FastifyRequest, reply: Parameters<typeof addCookie>[0]): string {
  const token = randomToken();
  addCookie(reply, cookieHeader(request, LOGIN_CSRF, token, { path: `${CONSOLE}/login`, maxAgeSeconds: 3600 }));
  return token;
}

export async function loginRoutes(app: FastifyInstance): Promise<void> {
  const store = app.ssj.store;

  app.get(`${CONSOLE}/login`, { schema: { hide: true } }, async (request, reply) => {
    const next = safeNext((request.query as { next?: string }).next);
    if (request.session) return reply.status(303).redirect(next, 303);
    const flash = readFlash(request, reply);
    return sendHtml(reply, 200, loginPage({ token: freshToken(request, reply), next, flash }));
  });

  app.post(`${CONSOLE}/login`, { schema: { hide: true }, config: { rateLimit: LOGIN_RATE_LIMIT } }, async (request, reply) => {
    const form = (request.body ?? {}) as FormBody;
    const next = safeNext(field(form, "next"));
    const loginName = field(form, "login");
    const cookieToken = parseCookies(request.headers.cookie)[LOGIN_CSRF];
    const sent = field(form, "_login_csrf");
    if (!cookieToken || !sent || !sameSecret(cookieToken, sent) || crossSite(request))
      return sendHtml(reply, 403, loginPage({ token: freshToken(request, reply), next, login: loginName, error: "登录表单已过期或来自其他站点，请重新输入。" }));
    const password = typeof form.password === "string" ? form.password : "";
    if (!loginName || !password) return sendHtml(reply, 400, loginPage({ token: freshToken(request, reply), next, login: loginName, error: "请填写登录账号和密码。" }));
    try {
      const r = await login(store, loginName, password);
      setSessionCookie(request, reply, r.token);
      addCookie(reply, cookieHeader(request, LOGIN_CSRF, "", { path: `${CONSOLE}/login`, maxAgeSeconds: 0 }));
      if (r.session.mustChangePassword) setFlash(request, reply, "这是管理员设置的初始密码：请先设置您自己的新密码。");
      return reply.status(303).header("cache-control", "no-store").redirect(r.session.mustChangePassword ? `${CONSOLE}/password` : next, 303);
    } catch (e) {
      const err = e as { statusCode?: number; message?: string };
      if (err.statusCode === 401 || err.statusCode === 423)
        return sendHtml(reply, err.statusCode, loginPage({ token: freshToken(request, reply), next, login: loginName, error: err.message ?? "登录失败" }));
      throw e;
    }
  });

  app.post(`${CONSOLE}/logout`, { schema: { hide: true } }, async (request, reply) => {
    const form = (request.body ?? {}) as FormBody;
    const s = request.session;
    // Logging out needs the session's token too: a foreign page must not be able to log you out.
    if (s && (!sameSecret(field(form, "_csrf"), s.csrfToken) || crossSite(request))) return sendHtml(reply, 403, loginPage({ token: freshToken(request, reply), next: CONSOLE, error: "退出请求无效，请从工作台页面退出。" }));
    const token = sessionToken(request);
    if (token) await logout(store, token);
    clearSessionCookie(request, reply);
    setFlash(request, reply, "您已退出登录。");
    return reply.status(303).redirect(`${CONSOLE}/login`, 303);
  });
}

/** `/`: the two doors — the public record and the console. */
export function renderLanding(): string {
  return layout({
    title: "双随机、一公开",
    user: null,
    nav: null,
    body: html`<div class="landing">
<h1>“双随机、一公开”抽查</h1>
<p>随机抽取检查对象、随机选派执法检查人员，抽查情况及查处结果及时向社会公开。</p>
<div class="choices">
<a href="/public"><strong>公示</strong>查询已公示的抽查计划、抽取过程和检查结果；下载抽取清单自行核验。无需登录。</a>
<a href="${CONSOLE}/login"><strong>工作台登录</strong>各部门科员、管理员、审计（纪检）人员办理抽查计划、抽取、排期、结果录入和审计。</a>
</div>
<p class="hint">其他系统请使用 <a href="/docs">API</a>（Bearer 令牌）。</p>
</div>`,
  });
}
