// First: Next's request stores must be real AsyncLocalStorage before next/headers loads.
import { inRequestScope } from "@/test/request-scope";

import { describe, expect, it } from "vitest";

import { GET as listRoute } from "@/app/api/v1/contributions/route";
import { createApiKeyAction } from "@/lib/api-keys/actions";
import { setupTestDatabase } from "@/test/db";
import { signedInCookie } from "@/test/session";
import { TEST_ORIGIN, newAccount } from "@/test/siwe";

/** Server actions answer errors with the same mapping as routes (`toProblem`), through the real action. */
setupTestDatabase();

describe("validatedAction error mapping", () => {
  it("answers a value PostgreSQL refuses (SQLSTATE class 22: a NUL byte) with 400, as a route does", async () => {
    const route = await listRoute(new Request(`${TEST_ORIGIN}/api/v1/contributions?q=a%00b`), undefined);
    expect(route.status).toBe(400);

    const cookie = await signedInCookie(newAccount());
    const result = await inRequestScope({ cookie }, () => createApiKeyAction({ name: "a\u0000b", scopes: ["contributions:read"] }));
    expect(result).toEqual({ ok: false, status: 400, error: "A value in the request is out of range or malformed" });
  });

  it("still answers 401 without a session and field errors for invalid input", async () => {
    expect(await inRequestScope({}, () => createApiKeyAction({ name: "k", scopes: ["contributions:read"] }))).toMatchObject({ ok: false, status: 401 });
    const cookie = await signedInCookie(newAccount());
    const result = await inRequestScope({ cookie }, () => createApiKeyAction({ name: "", scopes: [] }));
    expect(result).toMatchObject({ ok: false, status: 400, fieldErrors: { name: ["Name the key"], scopes: ["Choose at least one scope"] } });
  });
});
