// What every browser test shares: the built site (built beforehand, never here), its
// pages, the static server and Debian's Chromium driven by playwright-core.
import { readdirSync, existsSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { chromium } from "playwright-core";
import { serve } from "./server.mjs";

/** The built site: MAILSITE_SITE, by default target/browser-site (see .ci/run). */
export const SITE = process.env.MAILSITE_SITE || "target/browser-site";
/** The path the site is served under; it must be the path of the --base-url it was built with. */
export const PREFIX = process.env.MAILSITE_PREFIX || "/manual/";
/** Where screenshots go (CI keeps this folder). */
export const SHOTS = process.env.MAILSITE_SCREENSHOTS || "target/screenshots";
export const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
export const PHONE = { width: 375, height: 812 };
export const DESKTOP = { width: 1280, height: 900 };

if (!existsSync(join(SITE, "index.html"))) {
  throw new Error(`${SITE}/index.html is missing: build the site first (see .ci/run)`);
}

/** Every page of the site, as paths under the prefix (`ja/settings/`, `404.html`). */
export function pages() {
  const out = [];
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, e.name);
      if (e.isDirectory()) walk(path);
      else if (e.name.endsWith(".html")) {
        const rel = relative(SITE, path).split(sep).join("/");
        out.push(rel.endsWith("index.html") ? rel.slice(0, -"index.html".length) : rel);
      }
    }
  };
  walk(SITE);
  return out;
}

/** One page of each kind in each language: what axe, the switcher and screenshots visit. */
export const PAGE_TYPES = {
  "language-choice": "",
  "not-found": "404.html",
  ...Object.fromEntries(
    ["ja", "en"].flatMap((l) => [
      [`home-${l}`, `${l}/`],
      [`settings-${l}`, `${l}/settings/`],
      [`plan-${l}`, `${l}/plans/dedicated-maintenance/`],
      [`client-${l}`, `${l}/clients/outlook/`],
      [`guide-${l}`, `${l}/clients/thunderbird/dedicated-maintenance/shared-ssl/`],
      [`search-${l}`, `${l}/search/`],
    ]),
  ),
};

export async function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** The server and the browser for one test file; `close()` ends both. */
export async function start() {
  const server = await serve(SITE, PREFIX);
  const browser = await launch();
  return {
    server,
    browser,
    url: (path) => server.base + path,
    close: async () => {
      await browser.close();
      await server.close();
    },
  };
}

/** Records what went wrong while a page loaded: console errors, failed or refused requests. */
export function watch(page) {
  const problems = [];
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`script error: ${e.message}`));
  // A request cut short by the next navigation (a favicon) is not a failure; a missing
  // file is (its HTTP status says so below).
  page.on("requestfailed", (r) => {
    const why = r.failure()?.errorText;
    if (why !== "net::ERR_ABORTED") problems.push(`request failed: ${r.url()} (${why})`);
  });
  page.on("response", (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  return problems;
}
