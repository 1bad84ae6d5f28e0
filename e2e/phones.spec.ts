import { mkdirSync } from "node:fs";
import path from "node:path";

import type { Page } from "@playwright/test";

import { DEMO_ACCOUNTS } from "../db/demo-accounts";

import { expect, test } from "./fixtures";
import { MainMenu } from "./pages/main-menu";

/**
 * Issue 17 §5: every main page fits a 390 px phone for every persona (nothing scrolls sideways:
 * wide tables scroll inside their own box), the header folds its links behind a menu button, and
 * junk query parameters never make a page fail. Screenshots of each page, phone and desktop, land
 * in test-results/screens/ for a person to look at.
 */
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };
const SCREENS = path.join("test-results", "screens");

/** Every page under app/ a person visits (not /blank, the bundle baseline; /verify/[id] needs a live assignment of one verifier). */
const MAIN_PAGES = ["/", "/contributions", "/contributions/:id", "/upload", "/verify", "/dashboard", "/wallet", "/billing", "/pricing", "/settings/api-keys", "/admin", "/docs/api", "/status"];

const PERSONAS = [
  { name: "anonymous", key: null },
  { name: "contributor", key: DEMO_ACCOUNTS[3].privateKey },
  { name: "verifier", key: DEMO_ACCOUNTS[1].privateKey },
  { name: "admin", key: DEMO_ACCOUNTS[0].privateKey },
] as const;

const JUNK = "?page=-1&cursor=%00zz&status=nope&status=again&q[]=x&q=%ff%fe&limit=99999&tab=nope&type=zz&sort=%27--&batch_cursor=%E2%80&stripe_events_cursor=..%2F..&owner=0xnope";

/** One contribution every persona may open: uploaded here, so the spec needs nothing from the seed. */
async function contributionPath(request: import("@playwright/test").APIRequestContext): Promise<string> {
  const created = await request.post("/api/v1/contributions", {
    multipart: { title: "A phone-sized contribution with a rather long title that has to wrap", file_type: "document", file: { name: "phone.md", mimeType: "text/markdown", buffer: Buffer.from(`# Phones ${Date.now()}\n\n${"averyveryverylongwordwithoutanybreak".repeat(4)} and \`${"x".repeat(120)}\`\n`) } },
  });
  expect(created.status()).toBe(201);
  return `/contributions/${(await created.json()).id}`;
}

/** How far the page reaches past the viewport, and the outermost elements that stick out (for the failure message). */
async function sidewaysOverflow(page: Page) {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const culprits = [...document.querySelectorAll<HTMLElement>("body *")]
      .filter((el) => el.getBoundingClientRect().right > width + 1 && !(el.parentElement && el.parentElement.getBoundingClientRect().right > width + 1))
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""}${el.className && typeof el.className === "string" ? `.${el.className.trim().split(/\s+/).join(".")}` : ""} (right ${Math.round(el.getBoundingClientRect().right)})`);
    return { scrollWidth: document.documentElement.scrollWidth, width, culprits };
  });
}

/** How far the document runs on below the footer (hidden content that still takes room shows up here). */
async function spaceBelowFooter(page: Page) {
  // A short page is as tall as the viewport whatever its content: only what runs past both counts.
  return page.evaluate(() => document.documentElement.scrollHeight - Math.max(window.innerHeight, document.querySelector("footer")!.getBoundingClientRect().bottom + window.scrollY));
}

async function shoot(page: Page, file: string) {
  mkdirSync(SCREENS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENS, file), fullPage: true });
}

for (const persona of PERSONAS) {
  test(`no main page scrolls sideways at 390 px or 1280 px, as ${persona.name}; screenshots of each`, async ({ page: anonymousPage, signedIn, asContributor }) => {
    test.setTimeout(240_000);
    const contribution = await contributionPath(asContributor.request);
    const page = persona.key ? (await signedIn(persona.key)).page : anonymousPage;
    for (const route of MAIN_PAGES) {
      const url = route.replace("/contributions/:id", contribution);
      const name = `${persona.name}${route === "/" ? "-home" : route.replace(/[/:]+/g, "-")}`;
      await page.setViewportSize(PHONE);
      const response = await page.goto(url, { waitUntil: "load" });
      expect(response!.status(), `${url} as ${persona.name}`).toBeLessThan(500);
      await expect(page.locator("main")).toBeVisible();
      const phone = await sidewaysOverflow(page);
      expect(phone.scrollWidth, `${url} as ${persona.name} at 390 px sticks out: ${phone.culprits.join(", ")}`).toBeLessThanOrEqual(phone.width);
      expect(await spaceBelowFooter(page), `${url} as ${persona.name}: nothing below the footer`).toBeLessThanOrEqual(1);
      await shoot(page, `${name}-phone.png`);

      await page.setViewportSize(DESKTOP);
      const desktop = await sidewaysOverflow(page);
      expect(desktop.scrollWidth, `${url} as ${persona.name} at 1280 px sticks out: ${desktop.culprits.join(", ")}`).toBeLessThanOrEqual(desktop.width);
      expect(await spaceBelowFooter(page), `${url} as ${persona.name} at 1280 px: nothing below the footer`).toBeLessThanOrEqual(1);
      await shoot(page, `${name}-desktop.png`);
    }
  });
}

test("junk query parameters never make a main page answer 5xx, signed out or as admin", async ({ request, asAdmin, asContributor }) => {
  const contribution = await contributionPath(asContributor.request);
  for (const client of [request, asAdmin.request]) {
    for (const route of MAIN_PAGES) {
      const url = route.replace("/contributions/:id", contribution) + JUNK;
      const response = await client.get(url, { maxRedirects: 0 });
      expect(response.status(), url).toBeLessThan(500);
    }
  }
});

test("on a phone the header folds its links behind a menu button that opens, closes on Escape and on navigation", async ({ asAdmin: { page } }) => {
  await page.setViewportSize(PHONE);
  await page.goto("/pricing");
  const menu = new MainMenu(page);
  const header = await page.locator(".site-header").boundingBox();
  expect(header!.height, "the header is one row on a phone").toBeLessThanOrEqual(80);

  await expect(menu.button).toHaveAttribute("aria-expanded", "false");
  await expect(menu.button).toHaveAttribute("aria-controls", (await menu.list.getAttribute("id"))!);
  await expect(menu.link("Contributions")).toBeHidden();
  await page.waitForLoadState("networkidle");

  await menu.button.click();
  await expect(menu.button).toHaveAttribute("aria-expanded", "true");
  // Every section, the admin's own included, and the current page marked.
  for (const name of ["Contributions", "Upload", "Verify", "Dashboard", "Admin", "Pricing", "API", "Status"]) await expect(menu.link(name)).toBeVisible();
  await expect(menu.link("Pricing")).toHaveAttribute("aria-current", "page");
  expect((await sidewaysOverflow(page)).scrollWidth).toBeLessThanOrEqual(PHONE.width);

  await menu.link("Upload").focus();
  await page.keyboard.press("Escape");
  await expect(menu.button).toHaveAttribute("aria-expanded", "false");
  await expect(menu.link("Upload")).toBeHidden();
  await expect(menu.button).toBeFocused();

  // Keyboard only: Enter opens it, a link navigates, and the new page starts with the menu closed.
  await page.keyboard.press("Enter");
  await expect(menu.button).toHaveAttribute("aria-expanded", "true");
  await menu.link("Status").click();
  await expect(page).toHaveURL(/\/status$/);
  await expect(menu.button).toHaveAttribute("aria-expanded", "false");
  await expect(menu.link("Status")).toBeHidden();
  await expect(menu.list.locator("a[aria-current='page']")).toHaveText("Status"); // folded, so out of the accessibility tree: by attribute

  // On a desktop the links are the nav itself: no menu button.
  await page.setViewportSize(DESKTOP);
  await expect(menu.button).toBeHidden();
  await expect(menu.link("Contributions")).toBeVisible();
});

test("the admin users table shows its Grant/Revoke buttons whole at 1280 px, and scrolls in its own box on a phone", async ({ asAdmin: { page } }) => {
  await page.setViewportSize(DESKTOP);
  await page.goto("/admin");
  const region = page.getByRole("region", { name: "User accounts" });
  const fits = () => region.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
  const wide = await fits();
  expect(wide.scroll, "no column of the users table is cut off at 1280 px").toBeLessThanOrEqual(wide.client);
  const box = (await region.boundingBox())!;
  for (const button of await region.getByRole("button", { name: /^(Grant|Revoke) / }).all()) {
    const b = (await button.boundingBox())!;
    expect(b.x + b.width).toBeLessThanOrEqual(box.x + box.width);
  }

  // On a phone the table is wider than the screen: it scrolls inside the region (focusable, so by keyboard too), the page does not.
  await page.setViewportSize(PHONE);
  const narrow = await fits();
  expect(narrow.scroll).toBeGreaterThan(narrow.client);
  expect((await sidewaysOverflow(page)).scrollWidth).toBeLessThanOrEqual(PHONE.width);
  await region.focus();
  for (let i = 0; i < 10; i++) await page.keyboard.press("ArrowRight");
  await expect.poll(() => region.evaluate((el) => el.scrollLeft)).toBeGreaterThan(0);
});

test("dashboard charts name their axes and values, and keep their legend inside the card on a phone", async ({ asContributor: contributor }) => {
  const upload = await contributor.request.post("/api/v1/contributions", {
    multipart: { title: "Chart fixture", file_type: "document", file: { name: "c.md", mimeType: "text/markdown", buffer: Buffer.from(`# Chart ${Date.now()}\n`) } },
  });
  expect(upload.status()).toBe(201);
  const { page } = contributor;
  await page.setViewportSize(PHONE);
  await page.goto("/dashboard");
  const weekly = page.getByRole("region", { name: "Contributions per week" });
  await expect(weekly.getByRole("img", { name: /Contributions per week by status/ })).toBeVisible();
  await expect(weekly.getByTestId("chart-x-title")).toHaveText("Week starting");
  await expect(weekly.getByTestId("chart-y-title")).toHaveText("Contributions");
  // The y axis ends on a round number at or above this week's bar (one upload at least), and starts at 0.
  const yTicks = await weekly.getByTestId("chart-y-axis").locator("span").allTextContents();
  expect(yTicks.at(-1)).toBe("0");
  expect(Number(yTicks[0]!.replace(/,/g, ""))).toBeGreaterThanOrEqual(1);
  // x ticks: short dates, the last one this week.
  const xTicks = await weekly.getByTestId("chart-x-axis").locator("span").allTextContents();
  expect(xTicks.length).toBeGreaterThanOrEqual(3);
  for (const t of xTicks) expect(t).toMatch(/^[A-Z][a-z]{2} \d{1,2}$/);

  const quality = page.getByRole("region", { name: "Quality scores" });
  await expect(quality.getByTestId("chart-x-title")).toHaveText("Quality score");
  await expect(quality.getByTestId("chart-values").locator("span")).toHaveCount(10);

  const card = (await weekly.boundingBox())!;
  const legend = (await weekly.getByTestId("chart-legend").boundingBox())!;
  expect(legend.x).toBeGreaterThanOrEqual(card.x);
  expect(legend.x + legend.width).toBeLessThanOrEqual(card.x + card.width);
  expect(legend.y + legend.height).toBeLessThanOrEqual(card.y + card.height);
});
