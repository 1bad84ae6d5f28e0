import "@/test/next-async-storage";

import { beforeAll, describe, expect, it } from "vitest";

import HomePage from "@/app/page";
import { countStatements } from "@/db/statement-counter";
import { setupTestDatabase } from "@/test/db";
import { insertContribution, insertUser } from "@/test/fixtures";
import { inRequestScope } from "@/test/request-scope";

import { platformFigures, recentVerified } from "./overview";

const testDb = setupTestDatabase();

beforeAll(async () => {
  const { db } = testDb.handle;
  const owner = await insertUser(db);
  await insertUser(db, ["verifier"]);
  for (let i = 0; i < 30; i++) await insertContribution(db, owner.id, { title: `Item ${i}`, status: i % 3 === 0 ? "verified" : i % 3 === 1 ? "verifying" : "rejected" });
  await insertContribution(db, owner.id, { title: "Calibration", status: "verifying", calibration: true });
});

describe("the home page's figures", () => {
  it("count what is public (calibration items never), and list at most the newest verified asked for", async () => {
    expect(await platformFigures()).toMatchObject({ contributions: 30, verified: 10, open: 10, verifiers: 1, rewarded: "0" });
    const recent = await recentVerified(5);
    expect(recent.map((c) => c.title)).toEqual(["Item 27", "Item 24", "Item 21", "Item 18", "Item 15"]);
    expect(await recentVerified(500)).toHaveLength(10);
  });

  it("the page issues at most 2 SQL statements for a visitor, whatever the numbers", async () => {
    // Server components are async functions: rendering one runs all of its data fetching.
    const { count } = await countStatements(() => inRequestScope({}, () => HomePage()));
    expect(count).toBeGreaterThanOrEqual(1);
    expect(count).toBeLessThanOrEqual(2);
  });
});
