import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";

import { users } from "@/db/schema";
import { decodeCursor } from "@/lib/pagination";
import { setupTestDatabase } from "@/test/db";
import { insertUser } from "@/test/fixtures";

import { countUsers, listUsers } from "./list";

const testDb = setupTestDatabase();
let ada = { id: "", address: "" };

beforeAll(async () => {
  const { db } = testDb.handle;
  for (let i = 0; i < 7; i++) await insertUser(db);
  ada = await insertUser(db);
  await db.update(users).set({ username: "ada_lovelace" }).where(eq(users.id, ada.id));
  const grace = await insertUser(db);
  await db.update(users).set({ username: "grace%hopper" }).where(eq(users.id, grace.id));
});

describe("admin user search", () => {
  it("finds an address by a fragment from its middle, in any case", async () => {
    const middle = ada.address.slice(15, 27).toUpperCase();
    const page = await listUsers({ q: middle, limit: 50 });
    expect(page.items.map((u) => u.id)).toContain(ada.id);
    expect(page.items.every((u) => u.address.includes(middle.toLowerCase()))).toBe(true);
    expect(await countUsers(middle)).toBe(page.items.length);
  });

  it("finds a username by any part of it; % and _ are literal", async () => {
    expect((await listUsers({ q: "LOVE", limit: 50 })).items.map((u) => u.id)).toEqual([ada.id]);
    expect((await listUsers({ q: "a_l", limit: 50 })).items.map((u) => u.username)).toEqual(["ada_lovelace"]);
    expect((await listUsers({ q: "e%h", limit: 50 })).items.map((u) => u.username)).toEqual(["grace%hopper"]);
    expect(await countUsers("%")).toBe(1);
    expect(await countUsers("nobody-like-this")).toBe(0);
  });

  it("pages newest first both ways with no duplicate or gap", async () => {
    const all = (await listUsers({ limit: 100 })).items.map((u) => u.id);
    expect(all).toHaveLength(9);
    expect(await countUsers(undefined)).toBe(9);
    const first = await listUsers({ limit: 4 });
    const second = await listUsers({ limit: 4, cursor: decodeCursor(first.nextCursor) });
    const third = await listUsers({ limit: 4, cursor: decodeCursor(second.nextCursor) });
    expect([...first.items, ...second.items, ...third.items].map((u) => u.id)).toEqual(all);
    expect(third.nextCursor).toBeNull();
    const back = await listUsers({ limit: 4, cursor: decodeCursor(third.prevCursor, true) });
    expect(back.items.map((u) => u.id)).toEqual(second.items.map((u) => u.id));
    const start = await listUsers({ limit: 4, cursor: decodeCursor(back.prevCursor, true) });
    expect(start.items.map((u) => u.id)).toEqual(first.items.map((u) => u.id));
    expect(start.prevCursor).toBeNull();
  });
});
