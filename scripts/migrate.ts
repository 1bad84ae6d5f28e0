import { migrateDatabase } from "@/db/migrate";

import { withDatabase } from "./with-database";

await withDatabase(async (handle) => {
  await migrateDatabase(handle);
  console.log(`migrations applied (${handle.driver})`);
});
