/**
 * The step `npm start` runs between build and serve: validate configuration, reach the database,
 * apply migrations, and seed demo data into an empty database in demo mode (SEED_DEMO=on seeds
 * outside it too, off never seeds; see DEMO_MODE).
 */
import { migrateDatabase } from "@/db/migrate";
import { getEnv } from "@/lib/config/env";
import { isDatabaseEmpty, seedDemo } from "@/lib/demo/seed";
import { stopIpfs } from "@/lib/ipfs/node";

import { withDatabase } from "./with-database";

await withDatabase(async (handle) => {
  await migrateDatabase(handle);
  if (getEnv().seedDemo && (await isDatabaseEmpty(handle.db))) {
    const { users, contributions } = await seedDemo(handle.db);
    // The node holds the data folder's block store: released before the app opens it.
    await stopIpfs();
    console.log(`database ready (${handle.driver}); demo data seeded: ${users} users, ${contributions} sample contributions`);
  } else {
    console.log(`database ready (${handle.driver})`);
  }
});
