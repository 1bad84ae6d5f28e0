/**
 * The step `npm start` runs between build and serve: validate configuration, reach the database,
 * apply migrations, and seed demo data into an empty embedded database (SEED_DEMO=on also seeds an
 * empty Postgres; off never seeds).
 */
import { migrateDatabase } from "@/db/migrate";
import { isDatabaseEmpty, seedDemo } from "@/db/seed";
import { getEnv } from "@/lib/config/env";

import { withDatabase } from "./with-database";

await withDatabase(async (handle) => {
  await migrateDatabase(handle);
  const { SEED_DEMO } = getEnv();
  const wantSeed = SEED_DEMO === "on" || (SEED_DEMO === "auto" && handle.driver === "pglite");
  if (wantSeed && (await isDatabaseEmpty(handle.db))) {
    const { users } = await seedDemo(handle.db);
    console.log(`database ready (${handle.driver}); demo data seeded: ${users} users`);
  } else {
    console.log(`database ready (${handle.driver})`);
  }
});
