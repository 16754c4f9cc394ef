// `mailsite serve` in the real browser: a page carries its Content-Security-Policy, serve
// adds its live-reload script allowed by hash only, and saving a file reloads the open tab
// (no CSP violation on the way). MAILSITE_BIN names the binary (default target/debug).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { launch, watch } from "./site.mjs";

const BIN = process.env.MAILSITE_BIN || "target/debug/mailsite";
let root, child, browser, base;

before(async () => {
  root = mkdtempSync(join(tmpdir(), "mailsite-serve-"));
  for (const part of ["content", "templates", "static", "mailsite.toml"]) cpSync(part, join(root, part), { recursive: true });
  // No --port: serve takes 1111 or the next free port, and says which.
  child = spawn(BIN, ["serve", "--root", root], { stdio: ["ignore", "pipe", "pipe"] });
  base = await new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${out}`)), 60000);
    const read = (chunk) => {
      out += chunk;
      const m = out.match(/serving at (http:\/\/\S+)/);
      if (m) { clearTimeout(timer); resolve(m[1].replace(/\/$/, "")); }
    };
    child.stdout.on("data", read);
    child.stderr.on("data", read);
    child.on("exit", (code) => reject(new Error(`serve exited (${code}): ${out}`)));
  });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  if (child && child.exitCode === null) {
    const done = new Promise((r) => child.on("exit", r));
    child.kill("SIGTERM");
    await done;
  }
  rmSync(root, { recursive: true, force: true });
});

test("saving a page reloads the open tab, under the page's Content-Security-Policy", async () => {
  const page = await browser.newPage();
  const problems = watch(page);
  const stream = page.waitForRequest((r) => r.url().includes("/__mailsite/events"));
  await page.goto(`${base}/en/settings/`);
  const csp = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', "content");
  assert.match(csp, /script-src 'self' 'sha256-[A-Za-z0-9+/=]+'/, "serve allows its script by hash");
  assert.doesNotMatch(csp, /unsafe-inline/);
  // The live-reload stream is open before the save.
  await stream;
  const file = join(root, "content/en/settings.md");
  const text = readFileSync(file, "utf8");
  const marker = "Saved while the tab was open";
  const reloaded = page.waitForEvent("load", { timeout: 30000 });
  writeFileSync(file, text.replace(/\n\+\+\+\n/, `\n+++\n\n${marker}.\n`));
  await reloaded;
  await page.waitForFunction((m) => document.body.textContent.includes(m), marker);
  assert.deepEqual(problems.filter((p) => /Content Security Policy|Refused/.test(p)), []);
  assert.deepEqual(problems, []);
  await page.close();
});
