// The Nu HTML Checker (vnu-jar, Java) over every page of the built site: no errors.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { pages, SITE } from "./site.mjs";

const vnu = createRequire(import.meta.url)("vnu-jar");

test("the Nu HTML Checker finds no error on any page", () => {
  const count = pages().length;
  assert.ok(count > 100, `${count} pages to check`);
  const run = spawnSync("java", ["-Xss4m", "-jar", vnu, "--errors-only", "--skip-non-html", "--format", "gnu", SITE], {
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  assert.equal(run.error, undefined, `java could not run: ${run.error}`);
  const problems = (run.stderr + run.stdout).trim();
  assert.equal(problems, "", problems);
  assert.equal(run.status, 0);
});
