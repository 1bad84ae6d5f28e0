import { describe, expect, it } from "vitest";

import { ConfigError, parseEnv } from "./env";

function errorOf(source: Record<string, string>): string {
  try {
    parseEnv(source);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error("expected a configuration error");
}

describe("configuration", () => {
  it("needs nothing: an empty environment runs on embedded defaults", () => {
    const env = parseEnv({});
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.DATA_DIR).toBe("./.data");
    expect(env.DB_POOL_MAX).toBe(10);
    expect(env.DB_STATEMENT_TIMEOUT_MS).toBe(15_000);
    expect(env.ADMIN_ADDRESSES).toEqual([]);
  });

  it("treats an empty DATABASE_URL as unset", () => {
    expect(parseEnv({ DATABASE_URL: "  " }).DATABASE_URL).toBeUndefined();
  });

  it("accepts postgres URLs and normalises admin addresses", () => {
    const env = parseEnv({
      DATABASE_URL: "postgresql://u:p@db.internal:5432/nwu",
      ADMIN_ADDRESSES: " 0xF39Fd6e51aad88F6F4ce6aB8827279cffFb92266 ,0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
      DB_POOL_MAX: "25",
    });
    expect(env.DATABASE_URL).toBe("postgresql://u:p@db.internal:5432/nwu");
    expect(env.DB_POOL_MAX).toBe(25);
    expect(env.ADMIN_ADDRESSES).toEqual(["0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266", "0x70997970c51812dc3a010c7d01b50e0d17dc79c8"]);
  });

  it.each([
    [{ DATABASE_URL: "mysql://u:p@h/db" }, "DATABASE_URL"],
    [{ DATABASE_URL: "postgres://u:p@host" }, "DATABASE_URL"],
    [{ DATABASE_URL: "not a url" }, "DATABASE_URL"],
    [{ DB_POOL_MAX: "0" }, "DB_POOL_MAX"],
    [{ DB_POOL_MAX: "ten" }, "DB_POOL_MAX"],
    [{ DB_STATEMENT_TIMEOUT_MS: "1.5" }, "DB_STATEMENT_TIMEOUT_MS"],
    [{ ADMIN_ADDRESSES: "0x123" }, "ADMIN_ADDRESSES"],
    [{ APP_URL: "ftp://x" }, "APP_URL"],
    [{ SEED_DEMO: "maybe" }, "SEED_DEMO"],
  ])("rejects %j with one line naming %s", (source, name) => {
    const message = errorOf(source);
    expect(message.startsWith(`Configuration error: ${name} `)).toBe(true);
    expect(message).not.toContain("\n");
  });

  it("never echoes a database password", () => {
    expect(errorOf({ DATABASE_URL: "mysql://user:s3cret@h/db" })).not.toContain("s3cret");
  });
});
