/**
 * Every console page, in one list. To add a page (e.g. issue 12's 审管联动 pages): write it in a
 * module of this folder as a `ConsolePage` (framework.ts) — path, title, roles, menu entry, the
 * API routes it uses, handler — and add the module's list here. The menu, the role check, CSRF,
 * the login redirect and the page matrix test (test/console/pages.test.ts) follow from the list.
 */
import type { ConsolePage } from "../framework.ts";
import { accountPages } from "./account.ts";
import { adminPages } from "./admin.ts";
import { approvalPages } from "./approvals.ts";
import { auditPages } from "./audit.ts";
import { dashboardPages } from "./dashboard.ts";
import { drawPages } from "./draws.ts";
import { expertPages } from "./experts.ts";
import { exportPages } from "./exports.ts";
import { homePages } from "./home.ts";
import { jobPages } from "./jobs.ts";
import { loopDecisionPages } from "./loopDecisions.ts";
import { loopListPages } from "./loopLists.ts";
import { loopPanelPages } from "./loopPanels.ts";
import { loopStepPages } from "./loopSteps.ts";
import { planPages } from "./plans.ts";
import { schedulePages } from "./schedule.ts";
import { taskPages } from "./tasks.ts";

export const PAGES: ConsolePage[] = [...homePages, ...dashboardPages, ...planPages, ...drawPages, ...schedulePages, ...taskPages, ...approvalPages, ...loopListPages, ...loopDecisionPages, ...loopStepPages, ...loopPanelPages, ...adminPages, ...expertPages, ...auditPages, ...exportPages, ...jobPages, ...accountPages];
