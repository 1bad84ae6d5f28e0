import { expect, test } from "./fixtures";
import { SiteHeader } from "./pages/site-header";

/** The fixture's fresh verifiers are real users: new wallets, signed in, granted the role by the admin. */
test("fresh verifiers are distinct signed-in wallets holding the verifier role, in the API and the browser", async ({ freshVerifiers, asContributor }) => {
  const panel = await freshVerifiers(3);
  expect(new Set(panel.map((v) => v.address)).size).toBe(3);
  for (const verifier of panel) {
    const session = (await (await verifier.request.get("/api/auth/session")).json()) as { address: string; roles: string[] };
    expect(session.address.toLowerCase()).toBe(verifier.address.toLowerCase());
    expect(session.roles).toContain("verifier");
    expect((await verifier.page.goto("/verify"))?.status()).toBe(200);
    await expect(new SiteHeader(verifier.page).accountButton).toHaveAttribute("title", verifier.address);
  }
  // A persona without the role is still refused: the role came from the grant, not from the fixture.
  expect((await asContributor.page.goto("/verify"))?.status()).toBe(403);
});
