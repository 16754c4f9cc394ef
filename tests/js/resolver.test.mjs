// The browser's resolver against the engine. Run by `cargo test --test suite setup_js::`, which
// builds the site and passes:
//   MAILSITE_BIN        the mailsite binary (explain, profile)
//   MAILSITE_ROOT       the site root explain reads
//   MAILSITE_SITE       the built site: the scripts browsers get (assets/) and the data they read
//   MAILSITE_PSL_CASES  domains with the number of public-suffix labels the `psl` crate gives
// Needs no npm packages (node:test, node:vm).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';

const { MAILSITE_BIN: BIN, MAILSITE_ROOT: ROOT, MAILSITE_SITE: SITE, MAILSITE_PSL_CASES: CASES } =
  process.env;
if (!BIN || !ROOT || !SITE || !CASES) {
  throw new Error('run through `cargo test --test suite setup_js::` (it sets MAILSITE_BIN, _ROOT, _SITE, _PSL_CASES)');
}

// The scripts as the build wrote them, in a context of their own, as a page loads them.
const ctx = vm.createContext({ URL, TextEncoder, crypto: globalThis.crypto });
for (const name of ['address.js', 'profile.js']) {
  vm.runInContext(fs.readFileSync(path.join(SITE, 'assets', name), 'utf8'), ctx, { filename: name });
}
const A = ctx.MailsiteAddress;
const P = ctx.MailsiteProfile;
const exported = JSON.parse(fs.readFileSync(path.join(SITE, 'api/settings.json'), 'utf8'));

const groups = {};
function getRules(group, tld) {
  if (!(group in groups)) {
    const file = path.join(SITE, 'api/public-suffixes', `${group}.json`);
    groups[group] = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
  }
  return groups[group][tld] || [];
}

// Plain data out of the script's context (its objects have that context's prototypes).
const plain = (v) => JSON.parse(JSON.stringify(v));

function mailsite(args) {
  const r = spawnSync(BIN, args, { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

// explain's message for a malformed address → the browser's error code (src/address.rs).
const REASONS = [
  ['has no `@`', 'no-at'],
  ['nothing before the `@`', 'local-empty'],
  ['longer than 64', 'local-long'],
  ['is not allowed before the `@`', 'local-char'],
  ['dots before the `@`', 'local-dots'],
  ['nothing after the `@`', 'domain-empty'],
  ['is not a valid domain name', 'domain-invalid'],
  ['ends in a number', 'domain-invalid'],
  ['has no dot', 'domain-no-dot'],
  ['longer than 253', 'domain-long'],
  ['is a public suffix', 'public-suffix'],
];

function reason(stderr) {
  const hit = REASONS.find(([text]) => stderr.includes(text));
  assert.ok(hit, `unknown explain error: ${stderr}`);
  return hit[1];
}

// What explain says about an address on a plan: every variant, or the error code.
function explain(plan, input) {
  const r = mailsite(['explain', '--root', ROOT, '--plan', plan, `--address=${input}`, '--format', 'json']);
  if (r.code === 0) return { ok: true, variants: JSON.parse(r.stdout) };
  assert.equal(r.code, 2, r.stderr);
  return { ok: false, error: reason(r.stderr) };
}

async function compare(input, plans = exported.plans) {
  const js = plain(await A.parse(input, getRules));
  for (const plan of plans) {
    const rust = explain(plan.id, input);
    const what = `${JSON.stringify(input)} on ${plan.id}`;
    assert.equal(js.ok, rust.ok, `${what}: browser ${JSON.stringify(js)}, explain ${JSON.stringify(rust)}`);
    if (!rust.ok) {
      assert.equal(js.error, rust.error, what);
      continue;
    }
    assert.equal(rust.variants.length, plan.variants.length, what);
    rust.variants.forEach((want, i) => {
      const got = plain(A.resolve(plan.variants[i], js.address));
      assert.equal(got.address, want.address, what);
      const unicode = A.unicode(js.address);
      assert.equal(unicode === got.address ? undefined : unicode, want.address_unicode, what);
      for (const side of ['incoming', 'outgoing']) {
        const mine = got[side].map(({ port_id, ...rest }) => rest);
        assert.deepEqual(mine, want[side], `${what} ${plan.variants[i].id} ${side}`);
      }
      assert.deepEqual(got.warnings, want.warnings.map((w) => w.id), what);
    });
  }
  return js;
}

// The plan whose variants use the most placeholders ({stem} among them): one explain per address.
const RICHEST = [exported.plans.find((p) => p.variants.some((v) => v.host.pattern.includes('{stem}')))];
assert.ok(RICHEST[0], 'a plan with a {stem} host');

const VALID = [
  'info@sample.co.jp', 'Info@SAMPLE.co.jp', '  info@sample.co.jp  ', '\tinfo@sample.co.jp\u3000',
  'info@www.sample.co.jp', 'info@mail.www.sample.co.jp', 'info@sampledomain.jp', 'info@例え.jp',
  'info@例え.co.jp', 'INFO@xn--r8jz45g.jp', 'info@ＳＡＭＰＬＥ.jp', 'ｉｎｆｏ＠ｓａｍｐｌｅ．ｃｏ．ｊｐ', '　ＩＮＦＯ＋１＠例え．ｊｐ　', 'ｉｎｆｏ@sample.jp', 'info＠sample.jp', 'info@sample。jp', 'info@bücher.de',
  'info@faß.de', 'info@city.kawasaki.jp', 'info@kawasaki.jp', 'info@foo.github.io', 'a@b.zzzz',
  "o'neil+x&y@sample.jp", '{domain}@sample.jp', '{stem}@例え.jp', `${'l'.repeat(64)}@sample.jp`,
  `info@${'a'.repeat(63)}.jp`, 'info@😀.jp', 'info@a-b.jp',
];
const INVALID = [
  'info.sample.co.jp', '@sample.co.jp', 'info@', 'info@localhost', 'info@co.jp',
  'info@foo.kawasaki.jp', 'in fo@sample.jp', 'a..b@sample.jp', '.a@sample.jp', 'a.@sample.jp',
  'info@-bad-.jp', 'info@ab--cd.jp', 'info@sample..jp', 'info@sample.jp.', 'info@.sample.jp',
  'info@sam_ple.jp', 'info@sam%41ple.jp', 'info@sam ple.jp', `${'l'.repeat(65)}@sample.jp`,
  `info@${'a'.repeat(64)}.jp`, `info@${'abcdefghi.'.repeat(26)}jp`, 'info@xn--zz-.jp', 'info@xn--.jp',
  '<script>alert(1)</script>@sample.jp', 'info@sample.co.jp<script>', '"quoted"@sample.jp',
  'ｉｎｆｏ＠', 'ｉｎｆｏ＠ｓａｍｐｌｅ', '\u200binfo@sample.jp', '\ufeffinfo@sample.jp', 'info@a@b.jp',
  'info@例え', 'info@xn--r8jz45g', '', '   ', 'a@b.123', 'a@127.0.0.1',
];

test('valid addresses resolve to what explain gives, on every plan and variant', async () => {
  for (const input of VALID) {
    const r = await compare(input);
    assert.ok(r.ok, `${JSON.stringify(input)} should be valid`);
  }
});

test('malformed addresses are refused for the reason explain gives', async () => {
  for (const input of INVALID) {
    const r = await compare(input, RICHEST);
    assert.equal(r.ok, false, `${JSON.stringify(input)} should be refused`);
  }
});

test('random addresses: the same verdict as explain', async () => {
  // A fixed-seed generator over the characters that make addresses hard.
  let seed = 20261130;
  const next = (n) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const parts = ['a', 'Z', '9', '.', '-', '_', '@', 'xn--', 'ß', '例', 'え', 'Ａ', '。', ' ', '\u3000', '+',
    '{', '}', 'co', 'jp', 'kawasaki', 'city', '😀', '\u0301', '--', 'com'];
  for (let i = 0; i < 120; i++) {
    let s = '';
    const len = 3 + next(10);
    for (let j = 0; j < len; j++) s += parts[next(parts.length)];
    if (next(3) > 0) s = `${s.replace(/@/g, '')}@${['sample.co.jp', 'x.jp', '例え.jp', 'a.b'][next(4)]}`;
    await compare(s, RICHEST);
  }
});

test('every public-suffix rule gives the suffix the psl crate gives', () => {
  const cases = JSON.parse(fs.readFileSync(CASES, 'utf8'));
  assert.ok(cases.length > 30000);
  let checked = 0;
  for (const { domain, labels } of cases) {
    const parts = domain.split('.');
    const tld = parts[parts.length - 1];
    const got = A.suffixLabels(parts, getRules(A.suffixGroup(tld), tld));
    assert.equal(got, labels, domain);
    checked++;
  }
  assert.equal(checked, cases.length);
});

test('the profile made in the browser is the one mailsite profile writes', async () => {
  const uuid = /<string>[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}<\/string>/g;
  const strip = (xml) => xml.replace(uuid, '<string>UUID</string>');
  let compared = 0;
  for (const input of ['info@sample.co.jp', ' Info@例え.co.jp ', "o'neil+x&y@sample.jp", '{domain}@sample.jp']) {
    const a = plain(await A.parse(input, getRules)).address;
    for (const plan of exported.plans) {
      for (const variant of plan.variants) {
        for (const lang of exported.languages) {
          const mine = P.build(exported, variant, a, lang);
          const theirs = mailsite(['profile', '--root', ROOT, '--plan', plan.id, '--variant', variant.id,
            `--address=${input}`, '--lang', lang, '--uuid-seed', 'compare']);
          assert.equal(theirs.code, 0, theirs.stderr);
          assert.equal(strip(mine.xml), strip(theirs.stdout), `${input} ${plan.id}/${variant.id} ${lang}`);
          assert.equal(mine.xml.match(uuid).length, 2);
          assert.match(mine.filename, /^[A-Za-z0-9@._-]+\.mobileconfig$/);
          compared++;
        }
      }
    }
  }
  assert.ok(compared >= 32);
});
