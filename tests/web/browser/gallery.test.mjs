// The guest gallery on a phone: the real `venuekiosk serve` with a demo card imported, Debian's
// headless chromium driven by playwright-core at an iPhone's viewport. Thumbnails load, the viewer
// opens and swipes, a download arrives (a JPEG without GPS) when the gallery allows it, no
// download control and no original URL when it does not, and the Chinese UI for zh-CN.
// Screenshots go to $VK_BROWSER_ARTIFACTS for a person to look at.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { hasGps, isWholeJpeg } from './jpeg_exif.mjs';

const CHROMIUM = '/usr/bin/chromium';
const venuekiosk = process.env.VK_BINARY;
const makeFixtures = process.env.VK_MAKE_FIXTURES;
const artifacts = process.env.VK_BROWSER_ARTIFACTS || path.join(os.tmpdir(), 'venuekiosk-browser');
const WAIT_MS = 10000;  // every wait is on a condition; this only bounds a hang

let chromium;
try {
  ({ chromium } = await import('playwright-core'));
} catch (e) {
  throw new Error(`playwright-core is not installed: run scripts/ensure-npm.sh (${e.message})`);
}
assert.ok(venuekiosk && makeFixtures, 'VK_BINARY and VK_MAKE_FIXTURES must name the built programs (ctest sets them)');
assert.ok(fs.existsSync(CHROMIUM), `${CHROMIUM} is missing: install Debian's chromium (packages/debian.txt, tag test)`);

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'vk-browser-'));
const data = path.join(work, 'data');
const config = path.join(work, 'venuekiosk.toml');
const TITLE = "Anna & Ben's wedding";  // escaping on the way through
let server = null;
let context = null;
let base = '';
const gallery = { on: null, off: null };  // tokens
let gpsPhoto = 0;                          // a photo whose camera original carries GPS
let gpsOriginal = null;

function vk(...args) {
  return execFileSync(venuekiosk, ['--config', config, '--data-dir', data, ...args], { encoding: 'utf8' });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

// Polls /healthz until the server answers; fails early if the process exits.
async function waitHealthy(child, url) {
  let exited = null;
  child.once('exit', (code, signal) => { exited = `${code ?? signal}`; });
  const deadline = Date.now() + WAIT_MS;
  while (Date.now() < deadline) {
    if (exited !== null) throw new Error(`venuekiosk serve exited (${exited}) before answering`);
    try {
      if ((await fetch(url)).status === 200) return;
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`venuekiosk serve did not answer ${url} within ${WAIT_MS} ms`);
}

before(async () => {
  fs.mkdirSync(artifacts, { recursive: true });
  // The card watcher looks only at an empty folder of ours: cards other tests mount are theirs.
  fs.mkdirSync(path.join(work, 'no-cards'));
  fs.writeFileSync(config, `[event]\ntitle = ${JSON.stringify(TITLE)}\n` +
    `[cards]\nwatch_roots = [${JSON.stringify(path.join(work, 'no-cards'))}]\n`);
  const card = path.join(work, 'card');
  execFileSync(makeFixtures, ['demo-card', card, '--photos', '6'], { stdio: 'ignore' });
  try {
    vk('import', card, '--quiet');
  } catch (e) {
    if (e.status !== 1) throw e;  // 1: the demo card's broken files were refused, as intended
  }
  gpsOriginal = fs.readFileSync(path.join(card, 'DCIM/100CANON/IMG_0001.JPG'));
  const ids = execFileSync('sqlite3', [path.join(data, 'catalog.db'), 'SELECT id, source_path FROM photos ORDER BY id'],
    { encoding: 'utf8' }).trim().split('\n').map((line) => line.split('|'));
  gpsPhoto = Number(ids.find(([, source]) => source.endsWith('IMG_0001.JPG'))[0]);

  const on = JSON.parse(vk('gallery', 'create', 'Family & friends', '--preset', 'media', '--json'));
  const half = Math.ceil(ids.length / 2);
  vk('gallery', 'add', String(on.id), ...ids.slice(0, half).map(([id]) => id), '--section', 'Ceremony');
  vk('gallery', 'add', String(on.id), ...ids.slice(half).map(([id]) => id), '--section', 'Reception');
  gallery.on = on.token;
  gallery.off = JSON.parse(vk('gallery', 'create', 'Guests', '--preset', 'attendee', '--json')).token;

  const listen = `127.0.0.1:${await freePort()}`;
  base = `http://${listen}`;
  // setpriv --pdeathsig: the server goes too if this test is killed (ctest's timeout).
  server = spawn('setpriv', ['--pdeathsig', 'TERM', '--', venuekiosk, '--config', config, '--data-dir', data, 'serve',
    '--listen', listen], { stdio: ['ignore', 'ignore', 'inherit'] });
  await waitHealthy(server, `${base}/healthz`);

  context = await chromium.launchPersistentContext(path.join(work, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 3,
    isMobile: true,
    hasTouch: true,
    locale: 'en-US',
    userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 ' +
      '(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
    acceptDownloads: true,
  });
  context.setDefaultTimeout(WAIT_MS);
});

after(async () => {
  await context?.close();
  if (server && server.exitCode === null) {
    const exited = new Promise((r) => server.once('exit', r));
    server.kill('SIGTERM');
    await exited;
  }
  fs.rmSync(work, { recursive: true, force: true });
});

// Every thumbnail in the viewport (lazy loading fetches only those) has decoded pixels. Waits
// until each has finished (loaded or failed), then names the broken ones.
async function visibleThumbnailsLoaded(page) {
  // Functions, not strings: a string predicate is run through eval, which the gallery's CSP
  // forbids. Each function is sent to the page on its own, so each carries the filter.
  await page.waitForFunction(() => {
    const imgs = [...document.querySelectorAll('.grid img')].filter((img) => {
      const r = img.getBoundingClientRect();
      return r.bottom > 0 && r.top < window.innerHeight && r.width > 0;
    });
    return imgs.length > 0 && imgs.every((img) => img.complete);
  });
  const broken = await page.evaluate(() =>
    [...document.querySelectorAll('.grid img')]
      .filter((img) => {
        const r = img.getBoundingClientRect();
        return r.bottom > 0 && r.top < window.innerHeight && r.width > 0 && img.naturalWidth === 0;
      })
      .map((img) => img.currentSrc),
  );
  assert.deepEqual(broken, [], 'thumbnails that did not load');
  return page.evaluate(() => document.querySelectorAll('.grid img').length);
}

// The viewer's photo has loaded and come to rest, centred (a slide-in has finished).
async function viewerShows(page) {
  await page.waitForFunction(() => {
    const img = document.querySelector('.viewer img');
    const transform = img && getComputedStyle(img).transform;
    return img && img.complete && img.naturalWidth > 0 && (transform === 'none' || transform === 'matrix(1, 0, 0, 1, 0, 0)');
  });
  return page.evaluate(() => ({
    src: document.querySelector('.viewer img').getAttribute('src'),
    count: document.querySelector('.viewer .count').textContent,
  }));
}

// A real finger: touch events through the DevTools protocol, right to left across the photo.
async function swipeLeft(page) {
  const cdp = await page.context().newCDPSession(page);
  const y = 420;
  const point = (x) => [{ x, y, id: 1 }];
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: point(320) });
  for (const x of [280, 220, 160, 100]) {
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: point(x) });
  }
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await cdp.detach();
}

test('thumbnails load and the viewer opens and swipes at a phone viewport', async () => {
  const page = await context.newPage();
  const response = await page.goto(`${base}/g/${gallery.on}`);
  assert.equal(response.status(), 200);
  const thumbs = await visibleThumbnailsLoaded(page);
  assert.equal(thumbs, 6, 'every imported photo has a thumbnail');
  assert.equal(await page.locator('h1').textContent(), TITLE);
  assert.deepEqual(await page.locator('section h2').allTextContents(), ['Ceremony', 'Reception']);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page is ${overflow}px wider than the phone`);
  await page.screenshot({ path: path.join(artifacts, 'gallery-phone.png') });

  await page.locator('.grid a').first().tap();
  const first = await viewerShows(page);
  assert.equal(first.count, `1 / ${thumbs}`);
  await swipeLeft(page);
  await page.waitForFunction((src) => document.querySelector('.viewer img').getAttribute('src') !== src, first.src);
  const second = await viewerShows(page);
  assert.equal(second.count, `2 / ${thumbs}`);
  assert.notEqual(second.src, first.src);
  await page.screenshot({ path: path.join(artifacts, 'viewer-phone.png') });

  await page.keyboard.press('ArrowLeft');  // the keyboard path back
  await page.waitForFunction((src) => document.querySelector('.viewer img').getAttribute('src') === src, first.src);
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => !document.querySelector('.viewer'));
  await page.close();
});

test('a download arrives as a JPEG without GPS when the gallery allows downloads', async () => {
  assert.ok(hasGps(gpsOriginal), 'the camera original carries GPS (else this test proves nothing)');
  const page = await context.newPage();
  await page.goto(`${base}/g/${gallery.on}`);
  await visibleThumbnailsLoaded(page);
  await page.locator(`.grid a[href$="/s/${gpsPhoto}.jpg"]`).tap();
  await viewerShows(page);
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('.viewer a.download').tap()]);
  const bytes = fs.readFileSync(await download.path());
  assert.ok(isWholeJpeg(bytes), `the download is not a whole JPEG (${bytes.length} bytes)`);
  assert.ok(bytes.length > 10000, 'the download is the original, not a thumbnail');
  assert.equal(hasGps(bytes), false, 'the downloaded original still carries GPS');
  assert.equal(bytes.includes('GPS'), false);
  await page.close();
});

test('no download control and no original URL when downloads are off', async () => {
  const page = await context.newPage();
  await page.goto(`${base}/g/${gallery.off}`);
  const thumbs = await visibleThumbnailsLoaded(page);
  assert.ok(thumbs > 0);
  assert.equal(await page.locator('a[download], [data-o], a[href*="all.zip"], a[href*="/o/"]').count(), 0);
  await page.locator('.grid a').first().tap();
  await viewerShows(page);
  assert.equal(await page.locator('.viewer a.download, .viewer [download]').count(), 0);

  const id = await page.evaluate(() => document.querySelector('.grid a').getAttribute('href').match(/(\d+)\.jpg$/)[1]);
  const g = `/g/${gallery.off}`;
  const shapes = [`${g}/o/${id}.jpg`, `${g}/O/${id}.jpg`, `${g}/o/${id}.JPG`, `${g}/o/${id}`, `${g}/o/${id}.jpg?dl=1`,
    `${g}/original/${id}.jpg`, `${g}/all.zip`, `${g}/o//${id}.jpg`, `${g}/o/%3${id.at(0)}${id.slice(1)}.jpg`];
  const statuses = await page.evaluate(async (urls) => Promise.all(urls.map(async (u) => (await fetch(u)).status)),
    [`${g}/t/${id}.jpg`, ...shapes]);
  assert.equal(statuses[0], 200, 'the thumbnail itself is reachable (so the refusals below mean something)');
  shapes.forEach((url, i) => assert.ok([403, 404].includes(statuses[i + 1]), `${url} answered ${statuses[i + 1]}`));
  await page.close();
});

test('the gallery speaks Chinese to a zh-CN phone', async () => {
  const page = await context.newPage();
  // The phone's language for this page alone, as chromium itself would send it (the context's
  // locale is en-US, and Playwright's locale emulation wins over extra headers).
  const cdp = await context.newCDPSession(page);
  const userAgent = await page.evaluate(() => navigator.userAgent);
  await cdp.send('Network.setUserAgentOverride', { userAgent, acceptLanguage: 'zh-CN', platform: 'iPhone' });
  await page.goto(`${base}/g/${gallery.on}`);
  await visibleThumbnailsLoaded(page);
  assert.equal(await page.getAttribute('html', 'lang'), 'zh');
  const hint = await page.locator('header .hint').textContent();
  assert.match(hint, /[\u4e00-\u9fff]/, `the hint is not Chinese: ${hint}`);
  await page.screenshot({ path: path.join(artifacts, 'gallery-phone-zh.png') });
  await page.close();
});
