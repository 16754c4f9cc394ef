// Issue 11's budget: every client guide, in both languages, is at most 6,000 CSS px tall at
// phone width (375 px) with every <details> closed, and its HTML at most 25,000 bytes. Prints
// the figures per client and language (max and median), as README quotes them.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { statSync } from "node:fs";
import { join } from "node:path";
import { start, pages, PHONE, SITE } from "./site.mjs";

const MAX_HEIGHT = 6000;
const MAX_BYTES = 25000;
const GUIDE = /^(ja|en)\/clients\/([^/]+)\/[^/]+\/[^/]+\/$/;

let env;
before(async () => { env = await start(); });
after(() => env.close());

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : Math.round((s[mid - 1] + s[mid]) / 2);
};

test("every guide fits the phone budget (6,000 px with details closed, 25,000 bytes)", async () => {
  const guides = pages().filter((p) => GUIDE.test(p));
  assert.ok(guides.length >= 40, `${guides.length} guides`);
  const context = await env.browser.newContext({ viewport: PHONE });
  const page = await context.newPage();
  const figures = new Map(); // "client lang" → { heights, sizes }
  const over = [];
  for (const path of guides) {
    const [, lang, client] = path.match(GUIDE);
    await page.goto(env.url(path), { waitUntil: "load" });
    const height = await page.evaluate(() => {
      for (const d of document.querySelectorAll("details")) d.open = false;
      return Math.ceil(document.documentElement.scrollHeight);
    });
    const bytes = statSync(join(SITE, path, "index.html")).size;
    const key = `${client} ${lang}`;
    if (!figures.has(key)) figures.set(key, { heights: [], sizes: [] });
    figures.get(key).heights.push(height);
    figures.get(key).sizes.push(bytes);
    if (height > MAX_HEIGHT) over.push(`${path}: ${height} px tall (at most ${MAX_HEIGHT})`);
    if (bytes > MAX_BYTES) over.push(`${path}: ${bytes} bytes (at most ${MAX_BYTES})`);
  }
  await context.close();
  const rows = [...figures.entries()].sort(([a], [b]) => a.localeCompare(b));
  console.log("| guide | pages | height max | height median | HTML max | HTML median |");
  console.log("|---|---:|---:|---:|---:|---:|");
  for (const [key, { heights, sizes }] of rows) {
    console.log(
      `| ${key} | ${heights.length} | ${Math.max(...heights)} px | ${median(heights)} px | ` +
        `${(Math.max(...sizes) / 1000).toFixed(1)} KB | ${(median(sizes) / 1000).toFixed(1)} KB |`,
    );
  }
  assert.deepEqual(over, [], over.join("\n"));
});
