// The your-settings page and the personal box in a real browser (Debian's Chromium driven by
// playwright-core): values shown for sample addresses against `mailsite explain`, the
// downloaded profile against `mailsite profile`, hostile input shown as text and never run,
// nothing sent anywhere, and the page without JavaScript.
//
// Self-contained: builds the shipped manual into a temporary folder with the mailsite binary
// (MAILSITE_BIN, else target/debug/mailsite, built if missing) and serves it on 127.0.0.1
// itself. Run: npm ci --ignore-scripts && node --test tests/browser/your-settings.test.mjs

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');


function binary() {
  if (process.env.MAILSITE_BIN) return process.env.MAILSITE_BIN;
  const bin = path.join(REPO, 'target/debug/mailsite');
  if (!fs.existsSync(bin)) {
    const r = spawnSync('cargo', ['build', '--quiet', '--locked'], { cwd: REPO, stdio: 'inherit' });
    assert.equal(r.status, 0, 'cargo build');
  }
  return bin;
}

const BIN = binary();
function mailsite(args) {
  const r = spawnSync(BIN, args, { encoding: 'utf8', cwd: REPO });
  assert.equal(r.status, 0, `mailsite ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json', '.css': 'text/css', '.xml': 'application/xml' };

let dir, server, base, browser;

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mailsite-your-settings-'));
  mailsite(['build', '--root', REPO, '--out', path.join(dir, 'site')]);
  const root = path.join(dir, 'site');
  server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost');
    let file = path.join(root, decodeURIComponent(url.pathname));
    if (!file.startsWith(root)) { res.writeHead(403); res.end(); return; }
    if (file.endsWith('/')) file += 'index.html';
    fs.readFile(file, (err, body) => {
      if (err) { res.writeHead(404); res.end(); return; }
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' });
      res.end(body);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${server.address().port}`;
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve()));
  fs.rmSync(dir, { recursive: true, force: true });
});

// A fresh page that records every request and every script error.
async function page(options = {}) {
  const context = await browser.newContext({ acceptDownloads: true, ...options });
  const p = await context.newPage();
  p.requests = [];
  p.errors = [];
  p.on('request', (r) => p.requests.push(r.url()));
  p.on('pageerror', (e) => p.errors.push(e.message));
  return p;
}

async function fill(p, address, plan, variant) {
  await p.fill('#ys-address', address);
  await p.selectOption('#ys-plan', plan);
  if (variant) await p.selectOption('#ys-variant', variant);
  await p.click('#your-settings button[type="submit"]');
}

// The results' markers: setting → [data-value …] in page order, per direction.
async function shown(p) {
  await p.waitForSelector('#ys-results [data-setting="host"]');
  return p.$$eval('#ys-results [data-setting]', (els) => els.map((e) => ({
    setting: e.dataset.setting, direction: e.dataset.direction, protocol: e.dataset.protocol,
    value: e.dataset.value, text: e.textContent,
  })));
}

const SAMPLES = [
  ['info@sample.co.jp', 'shared-standard', 'plain'],
  ['  Info@例え.co.jp ', 'dedicated-maintenance', 'shared-ssl'],
  ['info@www.sample.co.jp', 'shared-managed', 'ssl'],
  ['info@sampledomain.jp', 'dedicated-maintenance', 'shared-ssl'],
  ['INFO@SAMPLE.CO.JP', 'dedicated-setup', 'plain'],
];

test('the page shows, for sample addresses, what explain gives', async () => {
  const p = await page();
  await p.goto(`${base}/ja/your-settings/`);
  for (const [address, plan, variant] of SAMPLES) {
    const want = JSON.parse(mailsite(['explain', '--plan', plan, '--variant', variant,
      `--address=${address}`, '--format', 'json']));
    await fill(p, address, plan, variant);
    await p.waitForFunction((v) => document.querySelector('#ys-results h2')?.textContent.length > 0
      && document.querySelector('#ys-results [data-setting="host"]')?.dataset.variant === v, variant);
    const got = await shown(p);
    const host = got.find((m) => m.setting === 'host');
    assert.equal(host.value, want.incoming[0].host, address);
    assert.ok(host.text.includes(want.incoming[0].host_unicode || want.incoming[0].host), host.text);
    assert.equal(got.find((m) => m.setting === 'username').value, want.incoming[0].username);
    for (const side of ['incoming', 'outgoing']) {
      for (const setting of ['port', 'security', 'auth']) {
        const values = got.filter((m) => m.setting === setting && m.direction === side).map((m) => m.value);
        assert.deepEqual(values, want[side].map((e) => String(e[setting])), `${address} ${side} ${setting}`);
      }
    }
    const warnings = await p.$$eval('#ys-results [data-warning]', (els) => els.map((e) => e.dataset.warning));
    assert.deepEqual(warnings, want.warnings.map((w) => w.id), address);
  }
  assert.deepEqual(p.errors, []);
});

test('only the variants a plan offers can be chosen', async () => {
  const p = await page();
  await p.goto(`${base}/en/your-settings/`);
  await p.selectOption('#ys-plan', 'shared-standard');
  const options = await p.$$eval('#ys-variant option', (os) => os.map((o) => o.value));
  const offered = JSON.parse(mailsite(['explain', '--plan', 'shared-standard', '--address=a@b.jp',
    '--format', 'json'])).map((r) => r.variant);
  assert.deepEqual(options, offered);
});

test('the downloaded profile is the one mailsite profile writes, with fresh UUIDs', async () => {
  const p = await page();
  const [address, plan, variant] = SAMPLES[1];
  await p.goto(`${base}/en/your-settings/`);
  await fill(p, address, plan, variant);
  await shown(p);
  const grab = async () => {
    const [download] = await Promise.all([p.waitForEvent('download'), p.click('[data-slot="profile"]')]);
    assert.match(download.suggestedFilename(), /\.mobileconfig$/);
    return fs.readFileSync(await download.path(), 'utf8');
  };
  const first = await grab();
  const second = await grab();
  const uuid = /[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}/g;
  const ids = first.match(uuid);
  assert.equal(ids.length, 2);
  assert.notDeepEqual(ids, second.match(uuid), 'fresh UUIDs per download');
  const strip = (xml) => xml.replace(/<string>[0-9A-F-]{36}<\/string>/g, '<string>UUID</string>');
  const rust = mailsite(['profile', '--plan', plan, '--variant', variant, `--address=${address}`,
    '--lang', 'en', '--uuid-seed', 'browser']);
  assert.equal(strip(first), strip(rust));
  // Well-formed for a real XML parser (the browser's), with no password in it.
  const parsed = await p.evaluate((xml) => {
    const doc = new DOMParser().parseFromString(xml, 'application/xml');
    return { error: doc.getElementsByTagName('parsererror').length,
      keys: Array.from(doc.getElementsByTagName('key'), (k) => k.textContent) };
  }, first);
  assert.equal(parsed.error, 0);
  assert.ok(parsed.keys.includes('IncomingMailServerHostName'));
  assert.ok(!parsed.keys.includes('IncomingPassword') && !parsed.keys.includes('OutgoingPassword'));
});

test('a link with the address in the fragment shows the settings; nothing is sent anywhere', async () => {
  const p = await page();
  const address = 'info@sample.co.jp';
  await p.goto(`${base}/ja/your-settings/#address=${encodeURIComponent(address)}&plan=shared-managed&variant=plain`);
  const got = await shown(p);
  assert.equal(got.find((m) => m.setting === 'host').value, 'sample.co.jp');
  assert.equal(await p.inputValue('#ys-variant'), 'plain');
  for (const url of p.requests) {
    assert.ok(url.startsWith(base), `request outside the site: ${url}`);
    const u = new URL(url);
    assert.equal(u.search.includes('sample.co.jp') || u.pathname.includes('sample.co.jp'), false, url);
  }
});

test('a link naming a variant its plan does not offer says why and shows no other values', async () => {
  const p = await page();
  const address = 'info@sample.co.jp';
  await p.goto(`${base}/ja/your-settings/#address=${encodeURIComponent(address)}&plan=shared-standard&variant=shared-ssl`);
  await p.waitForSelector('#ys-not-offered:not([hidden])');
  const said = await p.textContent('#ys-not-offered');
  const reason = JSON.parse(fs.readFileSync(path.join(dir, 'site/api/settings.json'), 'utf8'))
    .plans.find((x) => x.id === 'shared-standard')
    .unavailable.find((u) => u.variant === 'shared-ssl');
  assert.ok(said.includes(reason.reason.ja), said);
  assert.equal(await p.$$eval('#ys-results [data-setting]', (els) => els.length), 0);
  // Another link on the same page (only the fragment changes) is read again.
  await p.evaluate((a) => { location.hash = `address=${encodeURIComponent(a)}&plan=shared-managed&variant=plain`; }, address);
  const got = await shown(p);
  assert.equal(got.find((m) => m.setting === 'host').value, 'sample.co.jp');
  assert.equal(await p.isHidden('#ys-not-offered'), true);
});

test('the address entered once shows on plan pages and guides, says whose, and can be cleared', async () => {
  const p = await page();
  await p.goto(`${base}/en/your-settings/`);
  await fill(p, 'info@例え.jp', 'dedicated-maintenance', 'shared-ssl');
  await shown(p);
  const stored = await p.evaluate(() => sessionStorage.getItem('mailsite.address'));
  assert.ok(stored.includes('xn--r8jz45g.jp'));
  await p.goto(`${base}/en/plans/dedicated-maintenance/`);
  assert.equal(new URL(p.url()).search, '');
  await p.waitForSelector('[data-personal-status]:not([hidden])');
  assert.equal(await p.textContent('[data-personal-status] [data-slot="address"]'), 'info@例え.jp');
  const hosts = await p.$$eval('main [data-setting="host"]', (els) => els.map((e) => [e.dataset.value, e.textContent]));
  assert.ok(hosts.length >= 3);
  for (const [pattern, text] of hosts) {
    assert.ok(!text.includes('your-domain'), `${pattern}: ${text}`);
  }
  assert.ok(hosts.some(([pattern, text]) => pattern.startsWith('{stem}') && text.startsWith('例え.neoworks.jp')));
  // The other names the host may be are the reader's too.
  const alternatives = await p.$$eval('main [data-pattern]', (els) => els.map((e) => [e.dataset.pattern, e.textContent]));
  assert.ok(alternatives.length > 0);
  for (const [pattern, text] of alternatives) {
    assert.equal(text.split(' (')[0], pattern.replace('{domain}', '例え.jp'), pattern);
  }
  await p.goto(`${base}/en/clients/thunderbird/dedicated-maintenance/plain/`);
  const users = await p.$$eval('main [data-setting="username"]', (els) => els.map((e) => e.textContent));
  assert.ok(users.length > 0 && users.every((u) => u.startsWith('info@例え.jp')), users.join());
  await p.click('[data-personal-clear]');
  const after = await p.$$eval('main [data-setting="username"]', (els) => els.map((e) => e.textContent));
  assert.ok(after.every((u) => !u.includes('例え')), after.join());
  assert.equal(await p.evaluate(() => sessionStorage.getItem('mailsite.address')), null);
  // The box's messages come from the your-settings page, fetched when one is needed.
  await p.fill('#personal-address', 'info.sample.co.jp');
  await p.click('[data-personal-form] button');
  await p.waitForSelector('[data-personal-error]:not([hidden])');
  assert.equal(await p.textContent('[data-personal-error]'), 'The address has no “@”.');
  // The box takes an address too.
  await p.fill('#personal-address', 'info@sample.co.jp');
  await p.click('[data-personal-form] button');
  await p.waitForSelector('[data-personal-status]:not([hidden])');
  const now = await p.$$eval('main [data-setting="username"]', (els) => els.map((e) => e.textContent));
  assert.ok(now.every((u) => u === 'info@sample.co.jp'), now.join());
  assert.deepEqual(p.errors, []);
});

test('the box under the header is one line until its link is clicked', async () => {
  const p = await page();
  await p.goto(`${base}/ja/plans/shared-standard/`);
  assert.equal(await p.isVisible('[data-personal-form]'), false);
  await p.click('.personal-link a');
  assert.equal(await p.isVisible('[data-personal-form]'), true);
  assert.equal(await p.isVisible('.personal-link'), false);
  assert.equal(await p.evaluate(() => document.activeElement.id), 'personal-address');
  assert.ok(p.url().endsWith('/ja/plans/shared-standard/'), p.url());
  assert.deepEqual(p.errors, []);
});

const HOSTILE = [
  '<script>window.__pwned = 1</script>@sample.co.jp',
  '"><img src=x onerror="window.__pwned=1">@sample.co.jp',
  "info@sample.co.jp'\"><svg onload=window.__pwned=1>",
  `${'a'.repeat(10000)}@sample.co.jp`,
  'a'.repeat(10000),
  '😀@sample.co.jp',
  'info@😀.jp',
  "o'neil&{x}@sample.co.jp",
  // As HTML, `&lt` would become `<`: as text it stays `&lt`.
  'a&ltb@sample.co.jp',
];

test('hostile input is shown as text and never run', async () => {
  const p = await page();
  for (const where of ['/ja/your-settings/', '/en/plans/shared-standard/']) {
    await p.goto(`${base}${where}`);
    const count = () => p.evaluate(() => document.querySelectorAll('script, img, svg, iframe').length);
    const elements = await count();
    for (const input of HOSTILE) {
      if (where.includes('your-settings')) {
        await fill(p, input, 'shared-standard', 'plain');
      } else {
        if (await p.isVisible('[data-personal-clear]')) await p.click('[data-personal-clear]');
        if (await p.isVisible('.personal-link a')) await p.click('.personal-link a');
        await p.fill('#personal-address', input);
        await p.click('[data-personal-form] button');
      }
      await p.waitForFunction(() => [...document.querySelectorAll('[role="alert"], [data-personal-status], #ys-results h2')]
        .some((e) => !e.hidden && e.textContent.trim().length > 0));
      const state = await p.evaluate(() => ({
        pwned: window.__pwned,
        alerts: [...document.querySelectorAll('[role="alert"]')].filter((e) => !e.hidden).map((e) => e.textContent),
        whose: [...document.querySelectorAll('[data-slot="address"]')].map((e) => e.textContent),
      }));
      assert.equal(state.pwned, undefined, input.slice(0, 40));
      assert.equal(await count(), elements, `${input.slice(0, 40)}: no element was added`);
      if (input.startsWith('<script>')) {
        assert.ok(state.alerts.some((t) => t.includes('<')), `the offending character as text: ${state.alerts}`);
      }
      for (const valid of ["o'neil&{x}@sample.co.jp", 'a&ltb@sample.co.jp']) {
        if (input === valid) assert.ok(state.whose.some((t) => t.includes(valid)), state.whose.join());
      }
    }
  }
  assert.deepEqual(p.errors, []);
});

test('without JavaScript the page shows the general rules and no form', async () => {
  const p = await page({ javaScriptEnabled: false });
  await p.goto(`${base}/ja/your-settings/`);
  assert.equal(await p.isVisible('#your-settings'), false);
  const rules = await p.$$eval('.general-rules [data-setting="host"]', (els) => els.map((e) => e.dataset.value));
  assert.ok(rules.includes('mail.{domain}'), rules.join());
  assert.equal(await p.isVisible('[data-personal-form]'), false);
  await p.goto(`${base}/ja/plans/shared-standard/`);
  assert.equal(await p.isVisible('.personal-link a'), true);
  assert.equal(await p.isVisible('[data-personal-form]'), false);
});
