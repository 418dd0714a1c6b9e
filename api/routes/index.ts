/** All authenticated route groups of the API (the public read path is registered in app.ts). */
import type { FastifyPluginAsync } from "fastify";

const apiRoutes: FastifyPluginAsync = async () => {
  // route groups are registered here as they land
};

export default apiRoutes;
