/**
 * The console's page frame: skip link, header (user, role, 退出), the role's menu (built from the
 * pages the role may open), flash message, main content. Accessible as the 公示 page is: lang
 * zh-CN, landmarks, one h1 per page, labelled controls, visible focus, no horizontal scroll at 390 px.
 */
import type { Role } from "../auth.ts";
import type { ConsolePage } from "./framework.ts";
import { html, raw, type Html } from "./html.ts";

export const CONSOLE = "/console";
export const STYLE_URL = `${CONSOLE}/assets/console.css`;
export const SCRIPT_URL = `${CONSOLE}/assets/console.js`;

export const ROLE_LABEL: Record<Role, string> = { admin: "管理员", officer: "科员", auditor: "审计（纪检）" };

/** Menu groups in order. */
export const GROUPS: { id: string; label: string }[] = [
  { id: "home", label: "工作台" },
  { id: "plans", label: "计划与抽取" },
  { id: "results", label: "检查与结果" },
  { id: "audit", label: "审计" },
  { id: "admin", label: "管理" },
  { id: "me", label: "账号" },
];

export interface LayoutUser {
  name: string;
  role: Role;
  departmentName: string | null;
  csrfToken: string;
}

export function navFor(pages: readonly ConsolePage[], role: Role, current: string): Html {
  const groups = GROUPS.map((g) => {
    const entries = pages
      .filter((p) => p.nav?.group === g.id && p.roles.includes(role) && (p.method ?? "GET") === "GET")
      .sort((a, b) => a.nav!.order - b.nav!.order);
    if (entries.length === 0) return "";
    return html`<li><span class="group">${g.label}</span><ul>${entries.map(
      (p) => html`<li><a href="${p.path}"${isCurrent(p.path, current) ? raw(' aria-current="page"') : ""}>${p.nav!.label}</a></li>`,
    )}</ul></li>`;
  });
  return html`<nav class="menu" aria-label="工作台菜单"><ul>${groups}</ul></nav>`;
}

const isCurrent = (path: string, current: string) => current === path || (path !== CONSOLE && current.startsWith(`${path}/`));

export function layout(o: { title: string; user: LayoutUser | null; nav: Html | null; flash?: string | null; body: Html; wide?: boolean }): string {
  const user = o.user;
  return html`<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${o.title} · 双随机工作台</title>
<link rel="stylesheet" href="${STYLE_URL}">
<script src="${SCRIPT_URL}" defer></script>
</head>
<body>
<a class="skip" href="#main">跳到主要内容</a>
<header class="top">
<p class="brand"><a href="${CONSOLE}">“双随机、一公开”工作台</a></p>
${user
  ? html`<div class="who"><span>${user.name}（${ROLE_LABEL[user.role]}${user.departmentName ? html`，${user.departmentName}` : ""}）</span>
<form method="post" action="${CONSOLE}/logout" class="inline"><input type="hidden" name="_csrf" value="${user.csrfToken}"><button type="submit" class="link">退出登录</button></form></div>`
  : html`<div class="who"><a href="/public">公示</a></div>`}
</header>
<div class="frame${o.nav ? "" : " no-nav"}">
${o.nav ?? ""}
<main id="main" tabindex="-1"${o.wide ? raw(' class="wide"') : ""}>
${o.flash ? html`<p class="flash" role="status">${o.flash}</p>` : ""}
${o.body}
</main>
</div>
<footer class="foot"><p>本工作台与 API 使用同一套权限：页面只显示、只执行您的角色可以做的事。<a href="/public">公示页</a> · <a href="/docs">API 文档</a></p></footer>
</body>
</html>
`.text;
}

/** Error summary at the top of a form: the API's message, naming the field. */
export function errorBox(error: { message: string; field?: string } | null | undefined, fieldLabels: Record<string, string> = {}): Html {
  if (!error) return html``;
  const label = error.field ? fieldLabels[error.field.replace(/^body\./, "")] ?? fieldLabels[error.field] : undefined;
  return html`<div class="error-box" role="alert" tabindex="-1" id="form-error"><p><strong>未能保存：</strong>${label ? html`【${label}】` : ""}${error.message}</p></div>`;
}
