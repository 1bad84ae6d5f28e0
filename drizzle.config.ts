import { defineConfig } from "drizzle-kit";

// Only `generate` uses this file: it diffs db/schema.ts against the committed migrations and needs
// no database. Migrations are applied by `npm run db:migrate` (scripts/migrate.ts) on either driver.
export default defineConfig({
  dialect: "postgresql",
  schema: "./db/schema.ts",
  out: "./db/migrations",
  casing: "snake_case",
});
