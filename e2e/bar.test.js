// Browser end-to-end tests of Agent Bar: the demo (the simulated call center through one
// vendor's front end, a signed-in session for agent 8005 张三 at extension 2011, and the local
// listener serving the built UI), driven through the real page in headless Chromium with
// playwright-core. The same steps run for every landed vendor (VENDORS below).
//
// Needs: ../target/debug/agentbar-cli (cargo build), ../ui/dist (cd ui && npm run build) and
// Debian's chromium at /usr/bin/chromium (or CHROMIUM_PATH).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, openSync, closeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { freePort, sleep, waitUntil } from './lib/wait.js';
import { CHROMIUM, CHROMIUM_FLAGS, RUN, WAIT_MS, getJson as get, postJson as post, stopProcess } from './lib/common.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..');
const BIN = join(ROOT, 'target', 'debug', 'agentbar-cli');
const UI_DIST = join(ROOT, 'ui', 'dist');
const ARTIFACTS = join(HERE, 'artifacts');
const SCREENSHOTS = join(ROOT, 'docs', 'screenshots');
// The README's screenshots are refreshed only when asked (UPDATE_SCREENSHOTS=1), so a test run
// leaves the work tree clean; every run saves its own in e2e/artifacts/.
const UPDATE_DOCS = process.env.UPDATE_SCREENSHOTS === '1';

// Caller numbers unique to this run, so that stale cards or requests cannot match.
const CALLER_1 = `138${RUN}001`;
const CALLER_2 = `139${RUN}002`;

let demo = null;
let demoExit = null;
let browser = null;
let page = null;
let api = '';
let sim = '';

/** Polls `check` until it returns a truthy value; fails after `ms` with `what`. */
const until = (what, check, ms = WAIT_MS) => waitUntil(what, check, ms);

// The local API's pairing token for this run: the test speaks to the listener as a paired
// program (no Origin), so it presents the token; the page itself is the bar's own origin.
const API_TOKEN = randomBytes(32).toString('hex');
const auth = (url) => (url.startsWith(api) ? { authorization: `Bearer ${API_TOKEN}` } : {});

const getJson = (url) => get(url, auth(url));
const postJson = (url, body) => post(url, body, auth(url));

const snapshot = async () => (await getJson(`${api}/api/v1/state`)).snapshot;
const simRequests = () => getJson(`${sim}/_sim/requests`);
const param = (req, key) => req.params.find(([k]) => k === key)?.[1];

/** Waits for a request to the simulator at `endpoint` that `match` accepts, after `since`. */
function simRequest(what, endpoint, match, since = 0) {
  return until(what, async () =>
    (await simRequests()).find((r) => r.seq > since && r.endpoint === endpoint && match(r)),
  );
}
const lastSeq = async () => Math.max(0, ...(await simRequests()).map((r) => r.seq));

/** POSTs a form to the simulator's asterCC interface, as another agent's own bar would. */
async function asterccForm(fields) {
  const r = await fetch(`${sim}/asterccinterfaces`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
    signal: AbortSignal.timeout(WAIT_MS),
  });
  const text = await r.text();
  assert.ok(r.ok && text.startsWith('|Retuen|1'), `asterCC ${fields.EVENT}: ${text}`);
}

// What differs between the vendors the suite runs against: how the demo starts, what the
// card shows, which requests the simulator must receive, and how a colleague signs in. The
// steps themselves are the same for every vendor.
const VENDORS = {
  mvb2000: {
    title: 'MVB2000 (polled)',
    // The card shows first with what the event carries; the channel's details (queue, IVR
    // keys) follow from the pop-up poll.
    cardFacts: [/被叫号码\s*4000820188/, /按键轨迹\s*1-2/],
    transfer: { endpoint: 'ctiredirect.php', match: (r) => param(r, 'exten') === '2012', what: 'ctiredirect exten=2012' },
    hangup: { endpoint: 'ctihangup.php', match: () => true, what: 'ctihangup' },
    pause: { endpoint: 'ctiqueuepause.php', match: (r) => param(r, 'paused') === 'true', what: 'ctiqueuepause paused=true' },
    colleague: '2012',
    async colleagueSignsIn() {
      const webkey = param((await simRequests())[0], 'webkey');
      const add = await fetch(
        `${sim}/webservice2/ctiqueueadd.php?webkey=${webkey}&queue=5090&interface=SIP/2012`,
        { signal: AbortSignal.timeout(WAIT_MS) },
      );
      assert.ok(add.ok, 'ctiqueueadd for 2012');
    },
    barge: { endpoint: 'ctioriginate.php', match: (r) => param(r, 'application') === 'ChanSpy' && /Bqsv/.test(param(r, 'data') ?? ''), what: 'ctioriginate ChanSpy Bqsv' },
  },
  astercc: {
    title: 'asterCC (pushed events)',
    // Pushed events carry the DID and the agent group; asterCC has no IVR keys to show.
    cardFacts: [/被叫号码\s*4000820188/, /技能组\/队列\s*100/],
    transfer: { endpoint: 'TRANSFER', match: () => true, what: 'TRANSFER (after CONSULT to 2012)' },
    hangup: { endpoint: 'HANGUP', match: () => true, what: 'HANGUP' },
    pause: { endpoint: 'QUEUEPAUSE', match: (r) => param(r, 'pause_reason') === 'lunch', what: 'QUEUEPAUSE pause_reason=lunch' },
    colleague: '8006',
    async colleagueSignsIn() {
      const auth = { usertype: 'agent', user: '8006', orgidentity: 'astercc', pwdtype: 'plaintext', password: '8006pw' };
      await asterccForm({ EVENT: 'LOGIN', ...auth });
      await asterccForm({ EVENT: 'QUEUE', type: '1', list: '100', ...auth });
    },
    barge: { endpoint: 'INTRUDE', match: () => true, what: 'INTRUDE' },
  },
  guoxin: {
    title: 'Guoxin (pushed pop notices, EXTNUM_STATE polled)',
    // A pop notice names the caller and the group; Guoxin has no DID or IVR keys to show.
    cardFacts: [/技能组\/队列\s*5090/],
    transfer: { endpoint: 'CLICK_TO_TRANSFER', match: (r) => param(r, 'transferTo') === '2012' || Object.values(Object.fromEntries(r.params)).includes('2012'), what: 'CLICK_TO_TRANSFER to 2012' },
    hangup: { endpoint: 'CLICK_TO_HUNGUP', match: () => true, what: 'CLICK_TO_HUNGUP' },
    pause: { endpoint: 'SET_EXT_PRESENCE_STATE', match: (r) => param(r, 'state') === 'busy', what: 'SET_EXT_PRESENCE_STATE state=busy' },
    colleague: '2012',
    async colleagueSignsIn() {
      const r = await fetch(`${sim}/bridge/callctrl?extnum=2012&state=online&opt=SET_EXT_PRESENCE_STATE`,
        { signal: AbortSignal.timeout(WAIT_MS) });
      assert.equal(r.status, 200, 'SET_EXT_PRESENCE_STATE online for 2012');
    },
    barge: { endpoint: 'FORCE_PICKUP', match: () => true, what: 'FORCE_PICKUP' },
  },
  '800hu': {
    title: '800hu (long-polled getLongWaterLine, call records pushed)',
    // An 800hu ring message names the caller and the call's record only (seed 2.4).
    cardFacts: [],
    answer: { endpoint: 'sendMsg', match: (r) => param(r, 'kind') === '6', what: 'sendMsg kind=6' },
    transfer: { endpoint: 'transferExten', match: (r) => param(r, 'descExten') === '2012', what: 'transferExten descExten=2012' },
    hangup: { endpoint: 'hangupExten', match: () => true, what: 'hangupExten' },
    pause: { endpoint: 'setUserCheckInOut', match: (r) => param(r, 'status') === '0', what: 'setUserCheckInOut status=0' },
    colleague: '8006',
    noSupervisor: /800hu/,
  },
};

// Page parts, by their visible labels (zh-CN).
const bar = () => page.locator('header.bar');
const stateWord = () => bar().locator('.state-word');
const barButton = (name) => bar().getByRole('button', { name, exact: true });
const cards = () => page.getByRole('article', { name: '来电弹屏' });

async function waitForStateWord(word) {
  await until(`the state word ${word}`, async () => (await stateWord().textContent())?.trim() === word);
}

/** Injects a call from `from` to queue 5090 and waits until the bar sees it ringing. */
async function incoming(from) {
  const { call_id } = await postJson(`${sim}/_sim/incoming`, {
    from,
    did: '4000820188',
    to: { queue: '5090' },
    ivr_keys: '1-2',
  });
  assert.ok(call_id, 'the simulator returns a call id');
  return call_id;
}

/** Answers 2011's ringing call in the simulator (the phone; MVB2000 cannot answer itself). */
async function answerOnPhone() {
  // The demo's phones also answer by themselves after 2 s: either way the call is up.
  await postJson(`${sim}/_sim/answer`, { extension: '2011' }).catch(() => {});
  await waitForStateWord('通话中');
}

/**
 * Ends after-call work and waits for 示闲: 完成 ends the bar's own wrap-up; a server's
 * after-call work (asterCC's ACW shows as 示忙·话后整理) ends with 示闲, as an agent would.
 */
async function finishWrapUp() {
  await until('the call to be over', async () => (await stateWord().textContent())?.trim() !== '通话中');
  await until('示闲 after the wrap-up', async () => {
    const word = (await stateWord().textContent())?.trim() ?? '';
    if (word === '示闲') return true;
    const done = barButton('完成');
    if (await done.isVisible()) await done.click().catch(() => {});
    else if (word.startsWith('示忙')) await barButton('示闲').click().catch(() => {});
    await sleep(300);
    return false;
  });
}

/** Saves a screenshot of `target` (a locator, or the whole page) to e2e/artifacts/`name`. */
async function shot(name, target = page) {
  const file = join(ARTIFACTS, name);
  await target.screenshot({ path: file, animations: 'disabled' });
  return file;
}

async function stopDemo() {
  const child = demo;
  demo = null;
  await stopProcess(child, demoExit);
}

for (const [vendor, V] of Object.entries(VENDORS)) describe(`Agent Bar in the browser, against the simulated ${V.title}`, () => {
  // Screenshots of the first vendor go to the README; every vendor's to e2e/artifacts/<vendor>-*.
  const docs = UPDATE_DOCS && vendor === 'mvb2000';
  const art = (name) => `${vendor}-${name}`;
  before(async () => {
    if (!existsSync(BIN)) {
      throw new Error(`missing ${BIN}: build it first (cargo build -p agentbar-cli)`);
    }
    if (!existsSync(join(UI_DIST, 'index.html'))) {
      throw new Error(`missing ${UI_DIST}/index.html: build the UI first (cd ui && npm ci && npm run build)`);
    }
    if (!existsSync(CHROMIUM)) {
      throw new Error(`missing ${CHROMIUM}: install Debian's chromium (scripts/setup.sh) or set CHROMIUM_PATH`);
    }
    mkdirSync(ARTIFACTS, { recursive: true });
    if (docs) mkdirSync(SCREENSHOTS, { recursive: true });

    const [port, simPort] = [await freePort(), await freePort()];
    api = `http://127.0.0.1:${port}`;
    sim = `http://127.0.0.1:${simPort}`;
    const log = openSync(join(ARTIFACTS, art('demo.log')), 'w');
    try {
      demo = spawn(
        BIN,
        ['demo', '--vendor', vendor, '--listen', `127.0.0.1:${port}`, '--sim-listen', `127.0.0.1:${simPort}`,
          '--ui-dir', '../ui/dist', '--call-every', '3600'],
        {
          cwd: HERE,
          stdio: ['ignore', log, log],
          env: { ...process.env, NO_COLOR: '1', AGENTBAR_API_TOKEN: API_TOKEN },
        },
      );
    } finally {
      closeSync(log);
    }
    demoExit = new Promise((r) => demo.once('exit', r));
    demo.once('error', () => {});

    await until(`${api}/api/v1/health (log: e2e/artifacts/${art('demo.log')})`, async () => {
      if (demo.exitCode !== null) throw new Error(`the demo exited with ${demo.exitCode}; see e2e/artifacts/${art('demo.log')}`);
      return (await getJson(`${api}/api/v1/health`)).ok === true;
    });

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_FLAGS,
      timeout: WAIT_MS,
    });
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, locale: 'zh-CN' });
    page = await context.newPage();
    page.setDefaultTimeout(WAIT_MS);
    page.setDefaultNavigationTimeout(WAIT_MS);
    await page.goto(`${api}/ui/`);
  });

  after(async () => {
    try {
      if (page) await shot(art('last.png')).catch(() => {});
      if (browser) await browser.close().catch(() => {});
    } finally {
      browser = null;
      await stopDemo();
    }
  });

  it('(1) shows the signed-in agent as 示闲', async () => {
    await waitForStateWord('示闲');
    await bar().getByText('8005').waitFor();
    await bar().getByText('张三').waitFor();
    await shot(art('page-ready.png'));
    const file = await shot(art('bar.png'), bar());
    if (docs) copyFileSync(file, join(SCREENSHOTS, 'bar.png'));
  });

  it('(2) pops one card for an incoming call, with the number and what the server knows', async () => {
    await incoming(CALLER_1);
    const card = cards().filter({ hasText: CALLER_1 });
    await card.waitFor();
    // The demo's phone picks up by itself 2 s after it rings: see 振铃 before anything slower.
    await waitForStateWord('振铃');
    if (V.cardFacts.length > 0) {
      const facts = card.locator('dl.facts');
      await until(`${V.cardFacts.join(' and ')} on the card`, async () => {
        const text = await facts.innerText();
        return V.cardFacts.every((f) => f.test(text));
      });
    }
    assert.equal((await card.locator('.caller').textContent()).trim(), CALLER_1);
    await shot(art('page-ringing.png'));
    const file = await shot(art('popup.png'), card);
    if (docs) copyFileSync(file, join(SCREENSHOTS, 'popup.png'));
    // The call is announced again and again (the pop-up poll, repeated pushes): still one card.
    await sleep(1_800);
    assert.equal(await card.count(), 1, 'exactly one card for the call');
  });

  it('(3) answers from the bar where the server can; elsewhere 接听 is disabled with the reason', async () => {
    const answer = barButton('接听');
    if (V.answer) {
      const since = await lastSeq();
      await answer.click();
      await simRequest(V.answer.what, V.answer.endpoint, V.answer.match, since);
      await waitForStateWord('通话中');
      return;
    }
    assert.equal(await answer.isDisabled(), true, '接听 is disabled');
    const why = await answer.getAttribute('title');
    assert.match(why ?? '', /answer/i, `接听's title says why: ${why}`);
    await answerOnPhone();
  });

  it('(4) transfers to 2012 through the 转接 prompt', async () => {
    const since = await lastSeq();
    await barButton('转接').click();
    await page.getByLabel('转接目标（工号/分机/号码）').fill('2012');
    await page.getByRole('button', { name: '确定', exact: true }).click();
    await simRequest(V.transfer.what, V.transfer.endpoint, V.transfer.match, since);
    await until('the call to leave the bar', async () => (await stateWord().textContent())?.trim() !== '通话中');
    await finishWrapUp();
  });

  it('(5) hangs up with 挂断, and the state leaves 通话中', async () => {
    await incoming(CALLER_2);
    await cards().filter({ hasText: CALLER_2 }).waitFor();
    await answerOnPhone();
    const since = await lastSeq();
    await barButton('挂断').click();
    await simRequest(V.hangup.what, V.hangup.endpoint, V.hangup.match, since);
    await until('the state to leave 通话中', async () => (await stateWord().textContent())?.trim() !== '通话中');
    await finishWrapUp();
  });

  it('(6) goes not ready for 午休 from the 示忙 menu', async () => {
    const since = await lastSeq();
    await bar().getByRole('button', { name: /^示忙/ }).click();
    await page.getByRole('menuitem', { name: '午休' }).click();
    await waitForStateWord('示忙·午休');
    const s = await snapshot();
    assert.equal(s.state.state, 'not_ready');
    assert.equal(s.state.reason, 'lunch');
    await simRequest(V.pause.what, V.pause.endpoint, V.pause.match, since);
  });

  // 强插 is enabled only on a member who is on a call, as the team table reports it.
  it('(7) lets the supervisor barge in on a colleague on a call', async () => {
    if (V.noSupervisor) {
      // The server has no supervisor requests: no team panel, and the API says why.
      assert.equal(await bar().getByRole('button', { name: /班长/ }).count(), 0, 'no 班长 panel');
      const r = await fetch(`${api}/api/v1/commands`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...auth(api) },
        body: JSON.stringify({ op: 'barge', agent: V.colleague }),
        signal: AbortSignal.timeout(WAIT_MS),
      });
      const body = await r.json();
      assert.equal(r.status, 422, JSON.stringify(body));
      assert.equal(body.error.code, 'not_supported');
      assert.match(body.error.message, V.noSupervisor);
      return;
    }
    // The colleague (李四, phone 2012) signs in as its own bar would, then takes a call.
    await V.colleagueSignsIn();
    await postJson(`${sim}/_sim/incoming`, { from: `137${RUN}003`, to: { extension: '2012' } });
    await postJson(`${sim}/_sim/answer`, { extension: '2012' }).catch(() => {});
    // Out of the way of the panel: close the pop-up cards.
    for (const close of await page.locator('.popup .close').all()) await close.click().catch(() => {});

    await bar().getByRole('button', { name: /班长/ }).click();
    const row = page.getByRole('row').filter({ has: page.getByRole('cell', { name: V.colleague, exact: true }) });
    await row.waitFor();
    const barge = row.getByRole('button', { name: '强插', exact: true });
    await until(`强插 on ${V.colleague} to be enabled`, async () => barge.isEnabled(), 8_000);
    const since = await lastSeq();
    await barge.click();
    await simRequest(V.barge.what, V.barge.endpoint, V.barge.match, since);
    await shot(art('supervisor.png'));
  });
});
