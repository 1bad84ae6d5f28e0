import path from "node:path";
import { fileURLToPath } from "node:url";

import { defineConfig } from "vitest/config";

const root = path.dirname(fileURLToPath(import.meta.url));
const postgresUrl = process.env.DATABASE_URL?.trim();
// A streaming standby of that PostgreSQL (.ci/run makes one: `pg_basebackup -R`, port 5433) and its
// Debian cluster name, which the replica tests stop and start.
const replicaUrl = process.env.NWU_TEST_REPLICA_URL?.trim();
const replicaCluster = process.env.NWU_TEST_REPLICA_CLUSTER?.trim();
if (process.env.CI && postgresUrl && !(replicaUrl && replicaCluster)) {
  throw new Error("CI runs the replica tests: set NWU_TEST_REPLICA_URL and NWU_TEST_REPLICA_CLUSTER (.ci/run does)");
}

/**
 * Two projects: every test on embedded PGlite, and the integration tests (`*.int.test.ts`) plus the
 * Postgres-only ones (`*.pg.test.ts`) again on real PostgreSQL when DATABASE_URL is set (CI sets it).
 * Each integration file gets a fresh database of its own (see test/db.ts). A third project runs the
 * replica tests (`*.replica.test.ts`) when a standby is configured.
 */
export default defineConfig({
  resolve: {
    alias: {
      "@": root,
      // The package's own server-side entry (a no-op): tests run as the server does.
      "server-only": path.join(root, "node_modules/server-only/empty.js"),
    },
  },
  test: {
    environment: "node",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    exclude: ["**/node_modules/**", "**/.next/**", "e2e/**", "bench/**", ".data/**"],
    projects: [
      {
        extends: true,
        test: {
          name: "pglite",
          include: ["**/*.test.ts"],
          exclude: ["**/node_modules/**", "**/.next/**", "e2e/**", "**/*.pg.test.ts", "**/*.replica.test.ts"],
          env: { DATABASE_URL: "", NWU_TEST_DRIVER: "pglite" },
        },
      },
      ...(postgresUrl
        ? [
            {
              extends: true as const,
              test: {
                name: "postgres",
                include: ["**/*.int.test.ts", "**/*.pg.test.ts"],
                exclude: ["**/node_modules/**", "**/.next/**", "e2e/**"],
                env: { NWU_TEST_DRIVER: "postgres", NWU_TEST_ADMIN_URL: postgresUrl },
              },
            },
          ]
        : []),
      ...(postgresUrl && replicaUrl && replicaCluster
        ? [
            {
              extends: true as const,
              test: {
                name: "replica",
                include: ["**/*.replica.test.ts"],
                exclude: ["**/node_modules/**", "**/.next/**", "e2e/**"],
                env: { NWU_TEST_DRIVER: "postgres", NWU_TEST_ADMIN_URL: postgresUrl, NWU_TEST_REPLICA_URL: replicaUrl, NWU_TEST_REPLICA_CLUSTER: replicaCluster },
              },
            },
          ]
        : []),
    ],
  },
});
