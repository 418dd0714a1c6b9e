/** All authenticated route groups of the API (the public read path is registered in app.ts). */
import type { FastifyPluginAsync } from "fastify";
import userRoutes from "./users.ts";

const apiRoutes: FastifyPluginAsync = async (app) => {
  await app.register(userRoutes);
};

export default apiRoutes;
