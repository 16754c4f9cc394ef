// Every page of the built site, in both languages, in a real Chromium: it loads with no
// console error and no failed request (nothing from another host either), and at phone
// width (375 px) nothing makes it scroll sideways.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { start, pages, watch, PHONE, DESKTOP } from "./site.mjs";

let env;
before(async () => { env = await start(); });
after(() => env.close());

const all = pages();

test("the site has every page of both languages", () => {
  const ja = all.filter((p) => p.startsWith("ja/")).length;
  const en = all.filter((p) => p.startsWith("en/")).length;
  assert.ok(ja > 50, `${ja} Japanese pages`);
  assert.equal(ja, en);
});

for (const [device, viewport] of [["phone", PHONE], ["desktop", DESKTOP]]) {
  test(`every page loads cleanly at ${device} width${device === "phone" ? " and never scrolls sideways" : ""}`, async () => {
    const context = await env.browser.newContext({ viewport });
    const page = await context.newPage();
    const problems = watch(page);
    const foreign = [];
    page.on("request", (r) => {
      if (!r.url().startsWith(env.server.base)) foreign.push(r.url());
    });
    const failures = [];
    for (const path of all) {
      problems.length = 0;
      const response = await page.goto(env.url(path), { waitUntil: "load" });
      if (response.status() !== 200) failures.push(`${path}: HTTP ${response.status()}`);
      if (problems.length) failures.push(`${path}: ${problems.join("; ")}`);
      if (device === "phone") {
        const { scroll, client } = await page.evaluate(() => ({
          scroll: document.documentElement.scrollWidth,
          client: document.documentElement.clientWidth,
        }));
        if (scroll > client) failures.push(`${path}: ${scroll} px wide at ${client} px`);
      }
    }
    assert.deepEqual(foreign, [], "requests to other hosts");
    assert.deepEqual(failures, []);
    await context.close();
  });
}

test("no request leaves the site's folder (no /favicon.ico at the host root)", () => {
  const outside = env.server.requests.filter((p) => !p.startsWith(new URL(env.server.base).pathname));
  assert.deepEqual(outside, []);
});
