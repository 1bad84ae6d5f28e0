import { seedDemo } from "@/lib/demo/seed";
import { stopIpfs } from "@/lib/ipfs/node";

import { withDatabase } from "./with-database";

await withDatabase(async (handle) => {
  const { users, contributions } = await seedDemo(handle.db);
  // The node holds the data folder's block store: released before the app opens it.
  await stopIpfs();
  console.log(`demo data: ${users} user(s), ${contributions} sample contribution(s) added (${handle.driver})`);
});
