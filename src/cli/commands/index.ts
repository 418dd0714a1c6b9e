import type { Command } from "../command.ts";
import { migrateCommand } from "./migrate.ts";
import { demoCommand } from "./demo.ts";
import { userCommand } from "./user.ts";
import { auditCommand } from "./audit.ts";
import { importCommand } from "./import.ts";
import { optimizeCommand } from "./optimize.ts";
import { checkScheduleCommand } from "./checkSchedule.ts";
import { verifyCommand } from "./verify.ts";
import { drawCommand } from "./draw.ts";
import { secretCommand } from "./secret.ts";
import { panelCommand } from "./panel.ts";
import { approvalsCommand } from "./approvals.ts";

/** Every `ssj` command, in the order `ssj help` lists them. Add one import and one entry per command. */
export const commands: Command[] = [migrateCommand, demoCommand, userCommand, auditCommand, importCommand, optimizeCommand, checkScheduleCommand, verifyCommand, drawCommand, secretCommand, panelCommand, approvalsCommand];
