/**
 * Driver adapters for Prisma CLI commands that need no database (`migrate diff` between two
 * datamodels), selected by SSJ_PRISMA_OFFLINE=1 (prisma/build-schemas.ts sets it).
 *
 * Prisma 6.19's JS schema engine connects through the configured adapter even for a pure
 * datamodel-to-datamodel diff: on SQLite an in-memory database does; on PostgreSQL it only asks for
 * the server version, so a stub answers that (as PostgreSQL 15) and refuses everything else.
 * That keeps `npm run prisma:schemas` and the schema test working on machines without PostgreSQL
 * and without a data/ directory, and makes the generated SQL independent of the local server.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

export const offline = process.env.SSJ_PRISMA_OFFLINE === "1";

export function offlinePostgresAdapterFactory(): Any {
  const refuse = (what: string) => async () => {
    throw new Error(`offline PostgreSQL stub: ${what} needs a real database (unset SSJ_PRISMA_OFFLINE)`);
  };
  const adapter = {
    provider: "postgres",
    adapterName: "@prisma/adapter-pg",
    async queryRaw(q: { sql: string }) {
      if (/server_version_num/.test(q.sql))
        return { columnNames: ["exists", "version", "numeric_version"], columnTypes: [5, 7, 0], rows: [[true, "PostgreSQL 15.0 (offline stub)", 150000]] };
      return refuse(`query ${q.sql.slice(0, 60)}`)();
    },
    executeRaw: refuse("executeRaw"),
    executeScript: refuse("executeScript"),
    startTransaction: refuse("startTransaction"),
    getConnectionInfo: () => ({ schemaName: "public", supportsRelationJoins: true }),
    dispose: async () => {},
  };
  return {
    provider: "postgres",
    adapterName: "@prisma/adapter-pg",
    connect: async () => adapter,
    connectToShadowDb: async () => adapter,
  };
}
