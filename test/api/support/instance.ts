/**
 * A second API instance in its own process, on the same database (for race tests): prints
 * `{"port":N}` once listening; SIGTERM closes it. Usage: DATABASE_URL=… node --import tsx instance.ts
 */
import type { AddressInfo } from "node:net";
import { buildApp } from "../../../api/app.ts";
import { openStore } from "../../../src/store/index.ts";

const store = await openStore({ databaseUrl: process.env.DATABASE_URL });
const app = await buildApp({ store });
await app.listen({ host: "127.0.0.1", port: 0 });
process.stdout.write(`${JSON.stringify({ port: (app.server.address() as AddressInfo).port })}\n`);
process.on("SIGTERM", () => {
  void app.close().then(() => store.close()).then(() => process.exit(0));
});
