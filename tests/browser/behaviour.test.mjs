// What a customer does with the pages: switch language, search (Japanese and English),
// copy a value, follow a link into a closed section, print, land on a missing address;
// and what a static host needs: sitemap, robots.txt, every link under the sub-path.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { start, watch, PAGE_TYPES, PHONE, DESKTOP, SITE, PREFIX } from "./site.mjs";

let env;
before(async () => { env = await start(); });
after(() => env.close());

const twin = (path) => path.replace(/^(ja|en)\//, (_, l) => (l === "ja" ? "en/" : "ja/"));

test("the language switcher lands on the twin page", async () => {
  const page = await env.browser.newPage({ viewport: PHONE });
  for (const [name, path] of Object.entries(PAGE_TYPES)) {
    if (!/^(ja|en)\//.test(path)) continue;
    await page.goto(env.url(path));
    const other = path.startsWith("ja/") ? "en" : "ja";
    const link = page.locator(`.lang-switch a[hreflang="${other}"]`);
    await Promise.all([page.waitForURL(env.url(twin(path))), link.click()]);
    assert.equal(await page.getAttribute("html", "lang"), other, name);
    assert.equal(await page.locator(`.lang-switch [aria-current="page"][lang="${other}"]`).count(), 1, name);
  }
  await page.close();
});

test("the language choice leads to both homes", async () => {
  const page = await env.browser.newPage();
  await page.goto(env.url(""));
  for (const lang of ["ja", "en"]) {
    await Promise.all([page.waitForURL(env.url(`${lang}/`)), page.click(`.language-list a[hreflang="${lang}"]`)]);
    await page.goBack();
  }
  await page.close();
});

for (const [lang, query] of [["ja", "送信サーバー"], ["en", "outgoing mail server"], ["ja", "ＳＭＴＰ認証"], ["en", "STARTTLS"]]) {
  test(`search finds ${lang} text: ${query}`, async () => {
    const page = await env.browser.newPage({ viewport: PHONE });
    const problems = watch(page);
    await page.goto(env.url(`${lang}/search/`));
    await page.fill('main input[name="q"]', query);
    const first = page.locator("main .search-results a.result-link").first();
    await first.waitFor();
    assert.match(await page.locator(".search-status").textContent(), /\d/);
    assert.ok(page.url().includes("?q="), "the query is in the address");
    // The first result leads to a page of the same language, to a section that says it.
    const href = await first.getAttribute("href");
    await Promise.all([page.waitForNavigation(), first.click()]);
    assert.ok(page.url().startsWith(env.url(`${lang}/`)), page.url());
    const id = decodeURIComponent(new URL(page.url()).hash.slice(1));
    const words = query.normalize("NFKC").toLowerCase().split(/\s+/);
    const text = (await page.evaluate((id) => {
      const target = id ? document.getElementById(id) : document.querySelector("main");
      const section = target.closest("section, details") || target;
      return section.textContent;
    }, id)).normalize("NFKC").toLowerCase();
    const compact = text.replace(/\s+/g, "");
    for (const w of words) {
      // A Japanese compound may be written with a word between (送信メールサーバー).
      const found = compact.includes(w) || [...w].every((c) => compact.includes(c));
      assert.ok(found, `${href}: section does not mention ${w}`);
    }
    assert.deepEqual(problems, []);
    await page.close();
  });
}

test("?q= in the address fills the box and shows results; nothing found says so", async () => {
  const page = await env.browser.newPage();
  await page.goto(env.url(`ja/search/?q=${encodeURIComponent("パスワード")}`));
  assert.equal(await page.inputValue('main input[name="q"]'), "パスワード");
  await page.locator("main .search-results a").first().waitFor();
  await page.fill('main input[name="q"]', "zzqqxx");
  await page.waitForFunction(() => document.querySelectorAll(".search-results li").length === 0);
  assert.match(await page.locator(".search-status").textContent(), /zzqqxx/);
  // The header's search box (every other page) leads here with the query.
  await page.goto(env.url("en/settings/"));
  await page.fill('header input[name="q"]', "password");
  await Promise.all([page.waitForURL(/\/en\/search\/\?q=password/), page.press('header input[name="q"]', "Enter")]);
  await page.locator("main .search-results a").first().waitFor();
  await page.close();
});

test("a copy button copies exactly the value; without JavaScript the value is plain text", async () => {
  const context = await env.browser.newContext({ permissions: ["clipboard-read", "clipboard-write"] });
  const page = await context.newPage();
  await page.goto(env.url("ja/plans/dedicated-maintenance/"));
  const buttons = page.locator("button.copy-button:visible");
  assert.ok((await buttons.count()) > 3, "copy buttons beside the ports");
  for (let i = 0; i < 3; i++) {
    const button = buttons.nth(i);
    const value = await button.evaluate((b) => {
      const marker = b.previousElementSibling.matches("[data-setting]") ? b.previousElementSibling : b.previousElementSibling.querySelector("[data-setting]");
      return marker.textContent;
    });
    await button.click();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), value);
    assert.match(value, /^\d+$/);
  }
  // Placeholders (your domain) are not offered for copying.
  const hidden = await page.locator("button.copy-button[hidden]").count();
  assert.ok(hidden > 0);
  // A value filled in later (a personal settings box) gets its button shown.
  const shown = await page.evaluate(() => {
    const marker = document.querySelector('[data-setting="host"]');
    marker.textContent = "mail.example.jp";
    marker.setAttribute("data-value", "mail.example.jp");
    const holder = marker.parentElement.tagName === "CODE" ? marker.parentElement : marker;
    const button = holder.nextElementSibling;
    return new Promise((r) => setTimeout(() => r(button.matches(".copy-button") && !button.hidden), 50));
  });
  assert.ok(shown);
  await context.close();
  const plain = await env.browser.newContext({ javaScriptEnabled: false });
  const p2 = await plain.newPage();
  await p2.goto(env.url("ja/plans/dedicated-maintenance/"));
  assert.equal(await p2.locator("button.copy-button").count(), 0);
  assert.equal(await p2.locator('[data-setting="port"]').first().evaluate((e) => getComputedStyle(e).userSelect), "all");
  await plain.close();
});

test("a link to a troubleshooting entry opens it", async () => {
  const page = await env.browser.newPage();
  await page.goto(env.url(PAGE_TYPES["guide-en"]));
  const id = await page.locator("details.client-trouble[id]").first().getAttribute("id");
  assert.equal(await page.locator(`details#${id}`).evaluate((d) => d.open), false);
  await page.goto(env.url(`${PAGE_TYPES["guide-en"]}#${id}`));
  assert.equal(await page.locator(`details#${id}`).evaluate((d) => d.open), true);
  await page.close();
});

test("printing hides navigation and shows every collapsed section", async () => {
  const page = await env.browser.newPage({ viewport: DESKTOP });
  await page.goto(env.url(PAGE_TYPES["guide-ja"]));
  const collapsed = () => page.evaluate(() =>
    [...document.querySelectorAll("details:not([open]) > :not(summary)")].filter((e) => !e.checkVisibility()).length,
  );
  assert.ok((await collapsed()) > 0, "the guide has collapsed sections on screen");
  await page.emulateMedia({ media: "print" });
  for (const sel of [".site-header", ".breadcrumb", ".site-search"]) {
    assert.equal(await page.locator(sel).first().evaluate((e) => getComputedStyle(e).display), "none", sel);
  }
  // Without the script's help (a browser's own print): the stylesheet opens the sections.
  assert.equal(await collapsed(), 0, "collapsed content is shown for print");
  // And a real print: the PDF has the collapsed text in it.
  const pdf = await page.pdf({ format: "A4" });
  assert.ok(pdf.length > 10000);
  await page.emulateMedia({ media: "screen" });
  await page.close();
});

test("a plan's settings print as a short sheet", async () => {
  const page = await env.browser.newPage();
  await page.goto(env.url("en/plans/shared-standard/"));
  const pdf = await page.pdf({ format: "A4" });
  const pages = (pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) || []).length;
  assert.ok(pages >= 1 && pages <= 2, `${pages} pages`);
  await page.close();
});

test("a missing address gets the 404 page, styled and working at any depth", async () => {
  const page = await env.browser.newPage();
  const problems = watch(page);
  const response = await page.goto(env.url("ja/no/such/page/"));
  assert.equal(response.status(), 404);
  problems.splice(0, problems.length, ...problems.filter((p) => !p.includes("/ja/no/such/page/") && !p.includes("status of 404")));
  assert.deepEqual(problems, [], "its stylesheet, icon and script load");
  assert.notEqual(await page.locator("h1").first().evaluate((e) => getComputedStyle(e).fontSize), "32px", "styled");
  assert.equal(await page.locator("section[lang=ja] h1").count(), 1);
  assert.equal(await page.locator("section[lang=en] h1").count(), 1);
  await page.fill('section[lang=en] input[name="q"]', "password");
  await Promise.all([page.waitForURL(/\/manual\/en\/search\/\?q=password/), page.press('section[lang=en] input[name="q"]', "Enter")]);
  await page.locator("main .search-results a").first().waitFor();
  await page.goto(env.url("x/y/z.html"));
  await Promise.all([page.waitForURL(env.url("ja/")), page.click("section[lang=ja] a.button-link")]);
  await page.close();
});

test("sitemap.xml lists existing pages with hreflang and x-default; robots.txt names it", async () => {
  const xml = readFileSync(join(SITE, "sitemap.xml"), "utf8");
  const base = "https://example.com" + PREFIX;
  const locs = [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]);
  assert.ok(locs.length > 100);
  const page = await env.browser.newPage();
  for (const loc of locs.filter((_, i) => i % 10 === 0)) {
    assert.ok(loc.startsWith(base), loc);
    const response = await page.goto(env.url(loc.slice(base.length)));
    assert.equal(response.status(), 200, loc);
    assert.equal(await page.getAttribute('link[rel="canonical"]', "href"), loc);
  }
  assert.equal((xml.match(/hreflang="x-default"/g) || []).length, locs.length);
  assert.equal((xml.match(/hreflang="ja"/g) || []).length, locs.length);
  const robots = await (await fetch(env.url("robots.txt"))).text();
  assert.match(robots, new RegExp(`Sitemap: ${base}sitemap.xml`));
  await page.close();
});
