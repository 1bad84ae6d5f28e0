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
      ADMIN_ADDRESSES: " 0xAb5801a7D398351b8bE11C439e05C5B3259aeC9B ,0x1Db3439a222C519ab44bb1144fC28167b4Fa6EE6",
      DB_POOL_MAX: "25",
    });
    expect(env.DATABASE_URL).toBe("postgresql://u:p@db.internal:5432/nwu");
    expect(env.DB_POOL_MAX).toBe(25);
    expect(env.ADMIN_ADDRESSES).toEqual(["0xab5801a7d398351b8be11c439e05c5b3259aec9b", "0x1db3439a222c519ab44bb1144fc28167b4fa6ee6"]);
  });

  describe("demo mode", () => {
    const DEMO_ADMIN = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";
    it.each([
      ["nothing set (embedded database, no APP_URL)", {}, true],
      ["a loopback APP_URL", { APP_URL: "http://127.0.0.1:3000" }, true],
      ["localhost", { APP_URL: "http://localhost:3000" }, true],
      ["IPv6 loopback", { APP_URL: "http://[::1]:3400" }, true],
      ["a public APP_URL", { APP_URL: "https://nwu.example.org" }, false],
      ["a lookalike host", { APP_URL: "http://localhost.example.org" }, false],
      ["PostgreSQL", { DATABASE_URL: "postgres://u:p@h:5432/db" }, false],
      ["forced on", { DATABASE_URL: "postgres://u:p@h:5432/db", DEMO_MODE: "on" }, true],
      ["forced off", { DEMO_MODE: "off" }, false],
    ])("auto with %s → %s", (_, source, on) => {
      const env = parseEnv(source as Record<string, string>);
      expect(env.demoMode).toBe(on);
      expect(env.seedDemo).toBe(on);
    });

    it("SEED_DEMO follows DEMO_MODE unless set", () => {
      expect(parseEnv({ DEMO_MODE: "off", SEED_DEMO: "on" }).seedDemo).toBe(true);
      expect(parseEnv({ SEED_DEMO: "off" }).seedDemo).toBe(false);
    });

    it("refuses a demo key in ADMIN_ADDRESSES outside demo mode, allows it inside", () => {
      const message = errorOf({ APP_URL: "https://nwu.example.org", ADMIN_ADDRESSES: DEMO_ADMIN });
      expect(message).toMatch(/^Configuration error: ADMIN_ADDRESSES names 0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266, a demo account/);
      expect(parseEnv({ ADMIN_ADDRESSES: DEMO_ADMIN }).ADMIN_ADDRESSES).toEqual([DEMO_ADMIN.toLowerCase()]);
    });
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
    [{ DEMO_MODE: "yes" }, "DEMO_MODE"],
    [{ NEXT_PUBLIC_WALLETCONNECT_PROJECT_ID: "my-project" }, "NEXT_PUBLIC_WALLETCONNECT_PROJECT_ID"],
  ])("rejects %j with one line naming %s", (source, name) => {
    const message = errorOf(source);
    expect(message.startsWith(`Configuration error: ${name} `)).toBe(true);
    expect(message).not.toContain("\n");
  });

  it("takes a WalletConnect project id (32 hex digits), unset when empty", () => {
    expect(parseEnv({ NEXT_PUBLIC_WALLETCONNECT_PROJECT_ID: "0123456789abcdef0123456789ABCDEF" }).NEXT_PUBLIC_WALLETCONNECT_PROJECT_ID).toBe("0123456789abcdef0123456789ABCDEF");
    expect(parseEnv({ NEXT_PUBLIC_WALLETCONNECT_PROJECT_ID: "" }).NEXT_PUBLIC_WALLETCONNECT_PROJECT_ID).toBeUndefined();
  });

  it("never echoes a database password", () => {
    expect(errorOf({ DATABASE_URL: "mysql://user:s3cret@h/db" })).not.toContain("s3cret");
  });
});
