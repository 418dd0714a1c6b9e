/** 工作台首页: what the signed-in role has to do next. */
import type { ConsolePage } from "../framework.ts";
import { html } from "../html.ts";
import { CONSOLE, ROLE_LABEL } from "../layout.ts";

interface Deadlines {
  today: string;
  overdue: { taskId: number; taskNo: string; entityName: string; deadline: string }[];
  dueSoon: { taskId: number; taskNo: string; entityName: string; deadline: string; workingDaysLeft: number }[];
  undetermined: unknown[];
}

const TODO: Record<string, { href: string; label: string; what: string }[]> = {
  officer: [
    { href: `${CONSOLE}/plans`, label: "抽查计划", what: "编制年度计划和批次（牵头、配合部门，事项，比例），批准后公示" },
    { href: `${CONSOLE}/draws`, label: "抽取仪式", what: "冻结输入、提交并公开本部门秘密值、抽取、递补" },
    { href: `${CONSOLE}/tasks`, label: "检查任务", what: "排期日历、录入检查结果、公示结果" },
    { href: `${CONSOLE}/deadlines`, label: "公示期限", what: "已逾期和 5 个工作日内到期的结果" },
    { href: `${CONSOLE}/dashboard`, label: "统计", what: "本部门的计划、抽取、联合检查占比、结果分类、按时公示" },
  ],
  admin: [
    { href: `${CONSOLE}/users`, label: "用户", what: "建立科员账号、重置密码、停用" },
    { href: `${CONSOLE}/entities`, label: "名录库", what: "检查对象、执法人员名录，导入及逐行报告" },
    { href: `${CONSOLE}/config`, label: "配置", what: "比例上限、检查组规则、节假日表、结果类别名称" },
    { href: `${CONSOLE}/dashboard`, label: "统计", what: "各部门、各年度的抽查情况" },
  ],
  auditor: [
    { href: `${CONSOLE}/draws`, label: "抽取记录", what: "每次抽取的状态经过、清单下载" },
    { href: `${CONSOLE}/verify`, label: "清单核验", what: "核验存储的或上传的清单，结论用中文说明" },
    { href: `${CONSOLE}/audit`, label: "审计日志", what: "检索日志、核验哈希链" },
    { href: `${CONSOLE}/dashboard`, label: "统计", what: "各部门、各年度的抽查情况，按时公示率" },
  ],
};

export const homePages: ConsolePage[] = [
  {
    path: CONSOLE,
    title: "工作台首页",
    roles: ["admin", "officer", "auditor"],
    nav: { group: "home", label: "首页", order: 1 },
    uses: ["GET /results/deadlines"],
    handler: async (ctx) => {
      let deadlines: Deadlines | null = null;
      if (ctx.role === "officer") deadlines = await ctx.api.get<Deadlines>("/results/deadlines");
      const todo = TODO[ctx.role] ?? [];
      return ctx.render(html`<h1>工作台首页</h1>
<p>您好，${ctx.session.principal.name}。您以<strong>${ROLE_LABEL[ctx.role]}</strong>身份登录。</p>
${deadlines
  ? html`<section aria-labelledby="due-title"><h2 id="due-title">公示期限提醒</h2>
<div class="cards">
<div class="card"><div class="n">${deadlines.overdue.length}</div><div class="k">已逾期未公示</div></div>
<div class="card"><div class="n">${deadlines.dueSoon.length}</div><div class="k">5 个工作日内到期</div></div>
</div><p><a href="${CONSOLE}/deadlines">查看公示期限清单</a></p></section>`
  : ""}
<section aria-labelledby="todo-title"><h2 id="todo-title">常用功能</h2>
<ul>${todo.map((t) => html`<li><a href="${t.href}">${t.label}</a>：${t.what}</li>`)}</ul></section>`);
    },
  },
];
