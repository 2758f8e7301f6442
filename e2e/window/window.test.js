// The desktop window test: the real Agent Bar window (target/debug/agentbar-desktop, WebKitGTK)
// under Xvfb, driven through WebDriver (tauri-driver in front of WebKitWebDriver). The app runs
// its embedded demo (the simulated MVB2000, agent 8005 张三 at extension 2011); the local API
// and the simulator's control API confirm from outside what the window shows.
//
// Run it with scripts/window-test.sh, which installs tauri-driver, starts it under Xvfb with
// an isolated HOME and passes these variables; without them this file skips itself, so the
// Chromium suite's `npm test` in e2e/ lists it as skipped:
//   WEBDRIVER_URL  tauri-driver, e.g. http://127.0.0.1:4444
//   AGENTBAR_BIN   absolute path of agentbar-desktop
//   AGENTBAR_API   the demo's local listener (AGENTBAR_DEMO_LISTEN), e.g. http://127.0.0.1:10800
//   AGENTBAR_SIM   the demo's simulator (AGENTBAR_DEMO_SIM_LISTEN)
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { inflateSync } from 'node:zlib';
import { sleep, waitUntil } from '../lib/wait.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ARTIFACTS = resolve(HERE, '..', 'artifacts');
const { WEBDRIVER_URL: WD, AGENTBAR_BIN: BIN, AGENTBAR_API: API, AGENTBAR_SIM: SIM } = process.env;
const SKIP = WD && BIN && API && SIM ? false : 'needs tauri-driver under Xvfb: run scripts/window-test.sh';

/** Every wait is bounded by this. */
const WAIT_MS = 15_000;
/** Starting the app (WebKitGTK, the engine signing in) takes longer than a click. */
const START_MS = 60_000;
// A caller number unique to this run, so that a stale card cannot match.
const CALLER = `138${String(Date.now() % 100_000).padStart(5, '0')}001`;

/** Polls `check` until it returns a truthy value; fails after `ms` with `what`. */
const until = (what, check, ms = WAIT_MS) => waitUntil(what, check, ms, 150);

// The app's listener takes requests without an Origin only with the pairing token.
const auth = (url) =>
  process.env.AGENTBAR_API_TOKEN && API && url.startsWith(API)
    ? { authorization: `Bearer ${process.env.AGENTBAR_API_TOKEN}` }
    : {};

async function http(method, url, body, ms = WAIT_MS) {
  const r = await fetch(url, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...auth(url) },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(ms),
  });
  const text = await r.text();
  const json = text ? JSON.parse(text) : null;
  return { ok: r.ok, status: r.status, json, text };
}

// --- A WebDriver client: the few W3C endpoints the test needs, over plain fetch. ---

/** The W3C key of an element reference. */
const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';
let session = null;

/** Calls the session's WebDriver endpoint `path`; returns its `value` or throws its error. */
async function wd(method, path, body, ms = WAIT_MS) {
  // Before the session exists, `path` is `/session` itself (creating it).
  const base = session ? `${WD}/session/${session}` : WD;
  const r = await http(method, `${base}${path}`, body, ms);
  if (!r.ok) {
    const v = r.json?.value ?? {};
    throw new Error(`WebDriver ${method} ${path}: ${r.status} ${v.error ?? ''} ${v.message ?? r.text}`);
  }
  return r.json?.value;
}

const find = async (xpath) => (await wd('POST', '/element', { using: 'xpath', value: xpath }))[ELEMENT];
const text = async (xpath) => (await wd('GET', `/element/${await find(xpath)}/text`)).trim();
/** A real WebDriver click (pointer events through WebKitWebDriver), not a script's `click()`. */
const click = async (xpath) => wd('POST', `/element/${await find(xpath)}/click`, {});
const run = (script, ...args) => wd('POST', '/execute/sync', { script, args });

/** A PNG's size and whether it is one flat colour (a frame WebKit has not painted yet). */
function pngFacts(png) {
  assert.equal(png.subarray(1, 4).toString(), 'PNG', 'WebDriver returns a PNG');
  const idat = [];
  let width = 0;
  let height = 0;
  for (let off = 8; off < png.length; ) {
    const len = png.readUInt32BE(off);
    const type = png.toString('latin1', off + 4, off + 8);
    const data = png.subarray(off + 8, off + 8 + len);
    if (type === 'IHDR') [width, height] = [data.readUInt32BE(0), data.readUInt32BE(4)];
    if (type === 'IDAT') idat.push(data);
    off += 12 + len;
  }
  // Filtered rows of one flat colour are zeros after their first pixel.
  const raw = inflateSync(Buffer.concat(idat));
  const stride = raw.length / height;
  let busy = 0;
  for (let i = 0; i < raw.length; i++) if (i % stride > 4 && raw[i] !== 0) busy++;
  return { width, height, flat: busy < width * height * 0.001 };
}

/**
 * Saves a PNG of the current window to e2e/artifacts/`name`. The bar resizes its window to its
 * content after a state change or an open menu (`fits`), and right after a resize WebKit's
 * snapshot is black or the previous frame: so it waits for the bar's window to fit its page,
 * then for two equal snapshots of the page's size that are not one flat colour.
 */
async function screenshot(name, { fits = true } = {}) {
  if (fits) {
    await until('the window to fit its page', () =>
      run('return innerHeight > 0 && innerHeight === document.documentElement.scrollHeight && scrollY === 0'),
    );
  }
  let previous = null;
  const png = await until(`a painted, steady snapshot for ${name}`, async () => {
    const shot = Buffer.from(await wd('GET', '/screenshot'), 'base64');
    const { width, height, flat } = pngFacts(shot);
    const [w, h] = await run('return [innerWidth, innerHeight]');
    const ok = !flat && width === w && height === h && previous?.equals(shot);
    previous = shot;
    return ok && shot;
  });
  writeFileSync(join(ARTIFACTS, name), png);
  return png;
}

// Window parts, by their visible labels (zh-CN), as the Chromium suite finds them.
const cls = (c) => `contains(concat(' ', @class, ' '), ' ${c} ')`;
const BAR = `//header[${cls('bar')}]`;
const STATE_WORD = `${BAR}//span[${cls('state-word')}]`;
const AGENT = `${BAR}//span[${cls('agent')}]`;
const READY = `${BAR}//button[normalize-space()='示闲']`;
const NOT_READY = `${BAR}//button[@aria-haspopup='menu' and starts-with(normalize-space(), '示忙')]`;
const reasonItem = (label) => `//ul[@role='menu']//button[@role='menuitem' and normalize-space()='${label}']`;
const CARD_CALLER = `//article[@aria-label='来电弹屏']//div[${cls('caller')}]`;

const stateWord = () => text(STATE_WORD);
const waitForStateWord = (word) => until(`the state word ${word}`, async () => (await stateWord()) === word);

// The outside view: the local API (what the engine holds) and the simulator (what it was sent).
const snapshot = async () => (await http('GET', `${API}/api/v1/state`)).json.snapshot;
const waitForApiState = (state, reason) =>
  until(`the local API to report ${state}${reason ? `/${reason}` : ''}`, async () => {
    const s = (await snapshot()).state;
    return s.state === state && (reason === undefined || s.reason === reason);
  });
const simRequests = async () => (await http('GET', `${SIM}/_sim/requests`)).json;
const lastSeq = async () => Math.max(0, ...(await simRequests()).map((r) => r.seq));
const param = (req, key) => req.params.find(([k]) => k === key)?.[1];
/** Waits for a `ctiqueuepause.php` with `paused` after request `since`. */
const waitForPause = (paused, since) =>
  until(`ctiqueuepause.php paused=${paused} at the simulator`, async () =>
    (await simRequests()).find((r) => r.seq > since && r.endpoint === 'ctiqueuepause.php' && param(r, 'paused') === paused),
  );

let barHandle = null;
let popupHandle = null;
const switchTo = (handle) => wd('POST', '/window', { handle });
const visibility = () => run('return document.visibilityState');

/** Opens 示忙 ▾, checks the window grew to show the whole menu, and picks `label`. */
async function notReadyFor(label) {
  await click(NOT_READY);
  await until('the window to grow to the whole menu', () =>
    run(`const m = document.querySelector('ul[role=menu]');
         return !!m && m.getBoundingClientRect().bottom <= innerHeight && scrollY === 0`),
  );
  await click(reasonItem(label));
}

describe('the Agent Bar desktop window (WebKitGTK under Xvfb, via WebDriver)', { skip: SKIP }, () => {
  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    await until('tauri-driver /status ready', async () => (await http('GET', `${WD}/status`)).json?.value?.ready);
    const created = await wd(
      'POST',
      '/session',
      { capabilities: { alwaysMatch: { browserName: 'wry', 'tauri:options': { application: BIN } } } },
      START_MS,
    );
    session = created.sessionId;
    // The app opens the bar and a hidden pop-up window (`?view=popup`) it reuses for every call.
    await until('the bar and the pop-up windows', async () => {
      for (const h of await wd('GET', '/window/handles')) {
        await switchTo(h);
        const page = await run(`return document.querySelector('header.bar') ? 'bar' : location.search`);
        if (page === 'bar') barHandle = h;
        else if (page === '?view=popup') popupHandle = h;
      }
      return barHandle && popupHandle;
    }, START_MS);
    await switchTo(barHandle);
  });

  after(async () => {
    if (!session) return;
    try {
      if (barHandle) await switchTo(barHandle).then(() => screenshot('window-last.png')).catch(() => {});
    } finally {
      // Ends the session: WebKitWebDriver closes the app (the script also stops it by PID).
      await wd('DELETE', '').catch(() => {});
      session = null;
    }
  });

  it('starts against the simulator and shows agent 8005 张三 as 示闲', async () => {
    const s = await until('the local API to report agent 8005 signed in and ready', async () => {
      const snap = await snapshot();
      return snap.agent.id === '8005' && snap.presence.presence !== 'signed_out' && snap.state.state === 'ready' && snap;
    }, START_MS).catch(async (e) => {
      // When the engine cannot start, the bar says why (the listener's port taken, ...).
      throw new Error(`${e.message}; the bar shows: ${await text(BAR).catch((e2) => e2.message)}`);
    });
    assert.equal(s.agent.name, '张三');
    assert.equal(s.agent.extension, '2011');
    assert.equal(s.connection.status, 'connected');
    // It signed in at the demo's simulator: 2011 joined queue 5090 there.
    assert.ok(
      (await simRequests()).some((r) => r.endpoint === 'ctiqueueadd.php' && param(r, 'interface') === 'SIP/2011'),
      'ctiqueueadd.php for SIP/2011 at the simulator',
    );
    await until('the bar to show 8005 张三', async () => /^8005\s+张三$/.test(await text(AGENT)));
    await waitForStateWord('示闲');
    assert.equal(await wd('GET', '/title'), 'Agent Bar');
    assert.equal(await visibility(), 'visible');
    await screenshot('window-ready.png');
  });

  it('goes not ready for 午休 with clicks on 示忙 ▾ and 午休', async () => {
    const since = await lastSeq();
    await notReadyFor('午休');
    await waitForStateWord('示忙·午休');
    await waitForApiState('not_ready', 'lunch');
    await waitForPause('true', since);
    await screenshot('window-not-ready.png');
  });

  it('goes ready with a click on 示闲', async () => {
    const since = await lastSeq();
    await click(READY);
    await waitForStateWord('示闲');
    await waitForApiState('ready');
    await waitForPause('false', since);
  });

  it('goes back to not ready for 小休, then ready again', async () => {
    await notReadyFor('小休');
    await waitForStateWord('示忙·小休');
    await waitForApiState('not_ready', 'rest');
    await click(READY);
    await waitForStateWord('示闲');
    await waitForApiState('ready');
  });

  it('shows the pop-up window with the caller for an incoming call, and hides it when the call ends', async () => {
    await switchTo(popupHandle);
    assert.equal(await visibility(), 'hidden', 'no call, no pop-up');
    const r = await http('POST', `${SIM}/_sim/incoming`, { from: CALLER, did: '4000820188', to: { queue: '5090' } });
    assert.ok(r.ok && r.json.call_id, `the simulator takes the call: ${r.text}`);

    await until('the pop-up window to show the caller', async () => (await text(CARD_CALLER)) === CALLER);
    assert.equal(await visibility(), 'visible');
    const rect = await wd('GET', '/window/rect');
    assert.ok(rect.x + rect.width <= 1280 && rect.y + rect.height <= 800, `on the screen: ${JSON.stringify(rect)}`);
    await screenshot('window-popup.png', { fits: false });

    // The bar shows the call too: ringing, or talking once the demo's phone answers (2 s).
    await switchTo(barHandle);
    await until('the bar to show the caller', async () => (await text(BAR)).includes(CALLER));
    assert.match(await stateWord(), /^(振铃|通话中)$/);
    assert.ok((await snapshot()).calls.some((c) => c.remote_number === CALLER), 'the local API has the call');
    await screenshot('window-call.png');

    // The call ends (2011 hangs up): the pop-up hides.
    await http('POST', `${SIM}/_sim/hangup`, { extension: '2011' });
    await switchTo(popupHandle);
    await until('the pop-up window to hide', async () => (await visibility()) === 'hidden');
    await switchTo(barHandle);
  });
});
