// Screenshots of every page type, in both languages, at phone and desktop width, light
// and (for a few) dark: written to SHOTS for people to look at; CI keeps the folder.
// The README's two pictures are copied from here (docs/screenshot-*.png).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { start, PAGE_TYPES, PHONE, DESKTOP, SHOTS } from "./site.mjs";

let env;
before(async () => {
  env = await start();
  mkdirSync(SHOTS, { recursive: true });
});
after(() => env.close());

for (const [device, viewport] of [["phone", PHONE], ["desktop", DESKTOP]]) {
  test(`screenshots at ${device} width (${viewport.width} px)`, async () => {
    const context = await env.browser.newContext({ viewport, deviceScaleFactor: 1 });
    const page = await context.newPage();
    for (const [name, path] of Object.entries(PAGE_TYPES)) {
      await page.goto(env.url(path), { waitUntil: "networkidle" });
      if (name.startsWith("search-")) {
        await page.fill('input[name="q"]', name.endsWith("ja") ? "送信サーバー" : "outgoing server");
        await page.locator(".search-results li").first().waitFor();
      }
      const file = join(SHOTS, `${name}-${device}.png`);
      await page.screenshot({ path: file, fullPage: name.startsWith("home") || name.startsWith("search") || name === "language-choice" });
      assert.ok(statSync(file).size > 1000, `${file} is an image`);
      if (name.startsWith("guide-")) {
        // The steps themselves, as a customer scrolls to them (README's phone picture).
        await page.locator(".track").first().evaluate((e) => e.scrollIntoView());
        const steps = join(SHOTS, `${name}-${device}-steps.png`);
        await page.screenshot({ path: steps });
        assert.ok(statSync(steps).size > 1000, `${steps} is an image`);
      }
    }
    await context.close();
  });
}

test("screenshots in the dark scheme", async () => {
  for (const [device, viewport] of [["phone", PHONE], ["desktop", DESKTOP]]) {
    const context = await env.browser.newContext({ viewport, colorScheme: "dark" });
    const page = await context.newPage();
    for (const name of ["home-ja", "plan-ja", "guide-en"]) {
      await page.goto(env.url(PAGE_TYPES[name]), { waitUntil: "networkidle" });
      const file = join(SHOTS, `${name}-${device}-dark.png`);
      await page.screenshot({ path: file });
      assert.ok(statSync(file).size > 1000);
    }
    await context.close();
  }
});
