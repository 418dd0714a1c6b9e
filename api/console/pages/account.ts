/** 修改密码: every console user; required first when an administrator set the password. */
import { ApiCallError, field, type ConsolePage } from "../framework.ts";
import { html } from "../html.ts";
import { CONSOLE, errorBox } from "../layout.ts";

const ALL = ["admin", "officer", "auditor"] as const;
const LABELS = { currentPassword: "当前密码", newPassword: "新密码", confirm: "确认新密码" };

function form(csrf: string, error?: { message: string; field?: string } | null, must = false) {
  const bad = (name: string) => (error?.field?.endsWith(name) ? "true" : "false");
  return html`<h1>修改密码</h1>
${must ? html`<p class="note">您正在使用管理员设置的初始密码。设置自己的新密码后才能使用工作台。</p>` : ""}
${errorBox(error, LABELS)}
<form method="post" action="${CONSOLE}/password" class="form login">
<input type="hidden" name="_csrf" value="${csrf}">
<div class="field"><label for="currentPassword">当前密码</label>
<input id="currentPassword" name="currentPassword" type="password" autocomplete="current-password" required aria-invalid="${bad("currentPassword")}"></div>
<div class="field"><label for="newPassword">新密码</label>
<input id="newPassword" name="newPassword" type="password" autocomplete="new-password" required minlength="10" maxlength="128" aria-describedby="pw-help" aria-invalid="${bad("newPassword")}">
<small id="pw-help">至少 10 个字符，包含字母、数字、符号中的两类，不能包含登录账号。修改后，您在其他设备上的登录随即失效。</small></div>
<div class="field"><label for="confirm">确认新密码</label>
<input id="confirm" name="confirm" type="password" autocomplete="new-password" required aria-invalid="${bad("confirm")}"></div>
<div class="actions"><button type="submit">保存新密码</button></div>
</form>`;
}

export const accountPages: ConsolePage[] = [
  {
    path: `${CONSOLE}/password`,
    title: "修改密码",
    roles: ALL,
    nav: { group: "me", label: "修改密码", order: 90 },
    uses: [],
    handler: async (ctx) => ctx.render(form(ctx.session.csrfToken, null, ctx.session.mustChangePassword)),
  },
  {
    path: `${CONSOLE}/password`,
    method: "POST",
    title: "修改密码",
    roles: ALL,
    uses: ["POST /session/password"],
    handler: async (ctx) => {
      const currentPassword = typeof ctx.form.currentPassword === "string" ? ctx.form.currentPassword : "";
      const newPassword = typeof ctx.form.newPassword === "string" ? ctx.form.newPassword : "";
      if (newPassword !== (typeof ctx.form.confirm === "string" ? ctx.form.confirm : ""))
        return ctx.render(form(ctx.session.csrfToken, { message: "两次输入的新密码不一致", field: "confirm" }, ctx.session.mustChangePassword), { status: 400 });
      try {
        await ctx.api.post("/session/password", { currentPassword, newPassword });
      } catch (e) {
        if (e instanceof ApiCallError && e.statusCode < 500 && e.statusCode !== 401)
          return ctx.render(form(ctx.session.csrfToken, e, ctx.session.mustChangePassword), { status: e.statusCode });
        throw e;
      }
      void field;
      return ctx.redirect(CONSOLE, "密码已修改。");
    },
  },
];
