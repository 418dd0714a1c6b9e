/** All authenticated route groups of the API (the public read path is registered in app.ts). */
import type { FastifyPluginAsync } from "fastify";
import userRoutes from "./users.ts";
import directoryRoutes from "./directories.ts";
import planRoutes from "./plans.ts";
import auditRoutes from "./audit.ts";
import drawRoutes from "./draws.ts";
import resultRoutes from "./results.ts";
import importRoutes from "./imports.ts";
import scheduleRoutes from "./schedules.ts";
import sessionRoutes from "./session.ts";
import overviewRoutes from "./overview.ts";
import approvalRoutes from "./approvals.ts";
import approvalImportRoutes from "./approvalImports.ts";

const apiRoutes: FastifyPluginAsync = async (app) => {
  await app.register(userRoutes);
  await app.register(directoryRoutes);
  await app.register(planRoutes);
  await app.register(auditRoutes);
  await app.register(drawRoutes);
  await app.register(resultRoutes);
  await app.register(importRoutes);
  await app.register(scheduleRoutes);
  await app.register(sessionRoutes);
  await app.register(overviewRoutes);
  await app.register(approvalRoutes); // 审管联动 (docs/approvals.md)
  await app.register(approvalImportRoutes); // 审管联动 file imports (职责边界清单 XLSX/CSV)
};

export default apiRoutes;
