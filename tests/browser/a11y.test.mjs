// axe-core in Chromium: no WCAG 2.0/2.1 A or AA violation on any page type, in both
// languages, at desktop and phone width, and in the dark scheme.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { AxeBuilder } from "@axe-core/playwright";
import { start, PAGE_TYPES, PHONE, DESKTOP } from "./site.mjs";

let env;
before(async () => { env = await start(); });
after(() => env.close());

const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

function describe(violations) {
  return violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
}

for (const [scheme, device, viewport] of [["light", "desktop", DESKTOP], ["light", "phone", PHONE], ["dark", "phone", PHONE]]) {
  test(`axe: WCAG 2.1 AA on every page type (${scheme}, ${device})`, async () => {
    const context = await env.browser.newContext({ viewport, colorScheme: scheme });
    const page = await context.newPage();
    const found = {};
    for (const [name, path] of Object.entries(PAGE_TYPES)) {
      await page.goto(env.url(path), { waitUntil: "networkidle" });
      if (name.startsWith("search-")) {
        await page.fill('input[name="q"]', name.endsWith("ja") ? "送信サーバー" : "outgoing server");
        await page.locator(".search-results li").first().waitFor();
      }
      const result = await new AxeBuilder({ page }).withTags(TAGS).analyze();
      if (result.violations.length) found[name] = describe(result.violations);
      assert.ok(result.passes.length > 10, `${name}: axe ran`);
    }
    assert.deepEqual(found, {});
    await context.close();
  });
}
