import { seedDemo } from "@/lib/demo/seed";

import { withDatabase } from "./with-database";

await withDatabase(async (handle) => {
  const { users } = await seedDemo(handle.db);
  console.log(`demo data: ${users} user(s) added (${handle.driver})`);
});
