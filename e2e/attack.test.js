// The local API's security policy, end to end in headless Chromium (issue 7): pages from an
// untrusted origin on loopback try every way a web page has to reach the listener, and the
// simulated call center receives nothing; a trusted origin's page dials, hears the call over
// Server-Sent Events and hangs up; the SDK's example page works against the same run; and an
// untrusted page works once the agent allows it from the bar's own page.
//
// The demo runs in `prompt` mode with a pairing token from AGENTBAR_API_TOKEN and one trusted
// origin. Four Node servers on loopback stand in for the web: the untrusted pages
// (http://127.0.0.1:<evil> and http://localhost:<evil>), the trusted CRM page plus the sdk/
// directory (http://127.0.0.1:<trusted>), and a page the agent is asked about
// (http://127.0.0.1:<ask>).
//
// Needs: ../target/debug/agentbar-cli (cargo build -p agentbar-cli), ../ui/dist (cd ui && npm
// run build) and Debian's chromium at /usr/bin/chromium (or CHROMIUM_PATH).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, request as httpRequest } from 'node:http';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { freePort, sleep, waitUntil } from './lib/wait.js';
import { CHROMIUM, CHROMIUM_FLAGS, RUN, WAIT_MS, getJson as get, postJson, stopProcess } from './lib/common.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..');
const BIN = join(ROOT, 'target', 'debug', 'agentbar-cli');
const UI_DIST = join(ROOT, 'ui', 'dist');
const SDK_DIR = join(ROOT, 'sdk');
const ARTIFACTS = join(HERE, 'artifacts');
/** How long one attack may take in the page before it counts as done. */
const ATTACK_MS = 4_000;

/** The number attack `k` from untrusted origin `o` tries to dial. */
const attackNumber = (o, k) => `136${RUN}${o}${String(k).padStart(2, '0')}`;
/** How many numbered attacks each untrusted page makes. */
const ATTACKS = 13;
const TRUSTED_NUMBER = `135${RUN}101`;
const SDK_NUMBER = `135${RUN}202`;
const ASK_NUMBER = `135${RUN}303`;
/** A token shaped right but not the bar's. */
const WRONG_TOKEN = '0'.repeat(64);
const TOKEN = randomBytes(32).toString('hex');
const AUTH = { authorization: `Bearer ${TOKEN}` };

let demo = null;
let demoExit = null;
let browser = null;
let context = null;
let api = '';
let sim = '';
let evil = '';
let evilLocalhost = '';
let trusted = '';
let askOrigin = '';
const servers = [];
/** Preflights the untrusted pages' server saw at /probe (for the Private Network Access note). */
const probePreflights = [];
const started = Date.now();

/** Polls `check` until it returns a truthy value; fails after `ms` with `what`. */
const until = (what, check, ms = WAIT_MS) => waitUntil(what, check, ms);

/** GET with the pairing token (a paired program: no Origin). */
const getJson = (url, headers = AUTH) => get(url, headers);

const snapshot = async () => (await getJson(`${api}/api/v1/state`)).snapshot;
const simRequests = () => getJson(`${sim}/_sim/requests`, {});
const audit = async () => (await getJson(`${api}/api/v1/audit?limit=1000`)).entries;
const policyView = async () => (await getJson(`${api}/api/v1/policy`)).policy;
/** Whether a simulator request carries `number` in any parameter. */
const mentions = (req, number) => req.params.some(([, v]) => String(v).includes(number));

/** The dial the call center received for `number` (MVB2000: ctioriginate). */
function simDial(number) {
  return until(`the simulator to receive a dial of ${number}`, async () =>
    (await simRequests()).find((r) => r.endpoint === 'ctioriginate.php' && mentions(r, number)),
  );
}

/** Waits until the bar has no live call. */
async function noCall(what) {
  await until(what, async () => (await snapshot()).calls.length === 0);
}

/** Ends the bar's wrap-up after a call, if there is one, so the next dial is not refused. */
async function readyAgain() {
  await until('the agent to be ready again', async () => {
    const s = await snapshot();
    if (s.calls.length > 0) return false;
    if (s.wrap_up || s.state?.state !== 'ready') {
      await postJson(`${api}/api/v1/commands`, s.wrap_up ? { op: 'finish_wrap_up' } : { op: 'set_ready' }, AUTH)
        .catch(() => {});
      await sleep(200);
      return false;
    }
    return true;
  });
}

/** A GET with headers fetch will not set (Host). */
function rawGet(url, headers) {
  return new Promise((ok, fail) => {
    const req = httpRequest(url, { headers, timeout: WAIT_MS }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { body += c; });
      res.on('end', () => ok({ status: res.statusCode, body }));
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url}: timed out`)));
    req.on('error', fail);
    req.end();
  });
}

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

const BLANK = (title) => `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1></body></html>`;

/** A static web server on 127.0.0.1:`port`: `pages` by path, then files of `dir` under `mount`. */
async function webServer(port, pages, dir = null, mount = '/', onRequest = null) {
  const server = createHttpServer((req, res) => {
    let path;
    try {
      path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    if (onRequest && onRequest(req, res)) return;
    if (pages[path]) {
      res.writeHead(200, { 'content-type': TYPES['.html'], 'cache-control': 'no-store' });
      res.end(pages[path]);
      return;
    }
    if (dir && path.startsWith(mount)) {
      const file = normalize(join(dir, path.slice(mount.length)));
      if (file.startsWith(dir + sep) && existsSync(file) && statSync(file).isFile()) {
        res.writeHead(200, {
          'content-type': TYPES[extname(file)] || 'application/octet-stream',
          'cache-control': 'no-store',
        });
        res.end(readFileSync(file));
        return;
      }
    }
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found');
  });
  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', ok);
  });
  servers.push(server);
  return server;
}

async function stopDemo() {
  const child = demo;
  demo = null;
  await stopProcess(child, demoExit);
}

async function newPage(url) {
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT_MS);
  page.setDefaultNavigationTimeout(WAIT_MS);
  await page.goto(url);
  return page;
}

/**
 * Runs in the untrusted page: every way a page can reach the listener without the agent's
 * consent. Each attempt is bounded; the answer says what the page could see of each.
 */
async function attackFromPage({ api, n, wrongToken, attackMs }) {
  const wait = (ms) => new Promise((r) => setTimeout(r, ms));
  const bounded = (p) => Promise.race([p, wait(attackMs).then(() => 'timeout')]);
  const img = (src, noReferrer) =>
    bounded(new Promise((r) => {
      const i = document.createElement('img');
      if (noReferrer) i.setAttribute('referrerpolicy', 'no-referrer');
      i.onload = () => r('load');
      i.onerror = () => r('error');
      i.src = src;
      document.body.appendChild(i);
    }));
  const form = (action, enctype, fields) =>
    bounded(new Promise((r) => {
      const name = `f${Math.random().toString(36).slice(2)}`;
      const frame = document.createElement('iframe');
      frame.name = name;
      document.body.appendChild(frame);
      // Set after insertion: the initial about:blank load is not the answer.
      frame.onload = () => r('loaded');
      const f = document.createElement('form');
      f.method = 'POST';
      f.action = action;
      f.enctype = enctype;
      f.target = name;
      for (const [k, v] of fields) {
        const input = document.createElement('input');
        input.type = 'hidden';
        input.name = k;
        input.value = v;
        f.appendChild(input);
      }
      document.body.appendChild(f);
      f.submit();
    }));
  const noCors = (url, init = {}) =>
    bounded(fetch(url, { mode: 'no-cors', credentials: 'include', ...init })
      .then((r) => `${r.type} ${r.status}`, (e) => `error: ${e.message}`));
  const cors = (url, init = {}) =>
    bounded(fetch(url, { mode: 'cors', ...init })
      .then(async (r) => ({ status: r.status, body: (await r.text()).slice(0, 200) }), (e) => ({ error: String(e) })));
  const socket = () =>
    bounded(new Promise((r) => {
      const messages = [];
      let s;
      try {
        s = new WebSocket(`${api.replace(/^http/, 'ws')}/api/v1/ws`);
      } catch (e) {
        r({ threw: String(e), messages });
        return;
      }
      let errored = false;
      s.onmessage = (m) => messages.push(String(m.data).slice(0, 200));
      s.onerror = () => { errored = true; };
      s.onclose = (e) => r({ closed: true, code: e.code, errored, messages });
      setTimeout(() => {
        r({ closed: false, state: s.readyState, errored, messages });
        try { s.close(); } catch (_) { /* closing anyway */ }
      }, attackMs - 500);
    }));
  const eventSource = () =>
    bounded(new Promise((r) => {
      const messages = [];
      const es = new EventSource(`${api}/api/v1/events`);
      for (const t of ['snapshot', 'message', 'call_offered', 'state_changed']) {
        es.addEventListener(t, (m) => messages.push(`${t}: ${String(m.data).slice(0, 100)}`));
      }
      es.onerror = () => {
        es.close();
        r({ error: true, messages });
      };
      setTimeout(() => {
        es.close();
        r({ error: false, messages });
      }, attackMs - 500);
    }));
  const jsonp = (src) =>
    bounded(new Promise((r) => {
      const s = document.createElement('script');
      s.onload = () => r('load');
      s.onerror = () => r('error');
      s.src = src;
      document.head.appendChild(s);
    }));
  window.__cbRan = 0;
  window.cb = () => { window.__cbRan += 1; };

  const dial = (number) => `${api}/?type=0&phone=${number}`;
  const command = (number) => JSON.stringify({ op: 'dial', number });
  const out = {};
  // Run one after another: each is a separate line in the audit log.
  out.img = await img(dial(n[1]));
  out.imgNoReferrer = await img(dial(n[2]), true);
  out.formUrlencoded = await form(`${api}/`, 'application/x-www-form-urlencoded', [['type', '0'], ['phone', n[3]]]);
  // The classic JSON-over-text/plain form: name + '=' + value is a JSON document.
  out.formTextPlain = await form(`${api}/api/v1/commands`, 'text/plain',
    [[`{"op":"dial","number":"${n[4]}","pad":"`, '"}']]);
  out.noCorsGet = await noCors(dial(n[5]));
  out.noCorsPostCommand = await noCors(`${api}/api/v1/commands`, { method: 'POST', body: command(n[6]) });
  out.noCorsPostForm = await noCors(`${api}/`, {
    method: 'POST',
    body: new URLSearchParams({ type: '0', phone: n[7] }),
  });
  out.jsonp = await jsonp(`${dial(n[8])}&callback=cb`);
  out.corsPostJson = await cors(`${api}/api/v1/commands`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: command(n[9]),
  });
  out.corsSimplePost = await cors(`${api}/api/v1/commands`, { method: 'POST', body: command(n[10]) });
  out.corsGet = await cors(dial(n[11]));
  out.imgWrongToken = await img(`${dial(n[12])}&apiKey=${wrongToken}`);
  out.corsState = await cors(`${api}/api/v1/state`);
  // A sandboxed frame's requests carry `Origin: null`: it cannot be named, so never trusted.
  out.sandboxedFrame = await bounded(new Promise((r) => {
    window.addEventListener('message', (e) => { if (/^sandbox/.test(String(e.data))) r(String(e.data)); });
    const f = document.createElement('iframe');
    f.setAttribute('sandbox', 'allow-scripts');
    f.srcdoc = `<script>fetch(${JSON.stringify(`${api}/api/v1/commands`)}, { method: 'POST', mode: 'no-cors', ` +
      `body: ${JSON.stringify(command(n[13]))} }).then(() => parent.postMessage('sandbox: sent', '*'), ` +
      `(e) => parent.postMessage('sandbox: ' + e, '*'));<\/script>`;
    document.body.appendChild(f);
  }));
  out.webSocket = await socket();
  out.eventSource = await eventSource();
  out.cbRan = window.__cbRan;
  return out;
}

/** Runs in a page: a JSON command, as a CRM page would send it; never throws. */
async function commandFromPage({ api, body }) {
  try {
    const r = await fetch(`${api}/api/v1/commands`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(8_000),
    });
    return { status: r.status, body: await r.json().catch(() => null) };
  } catch (e) {
    return { error: String(e) };
  }
}

describe('the local API refuses untrusted pages and serves trusted ones (prompt policy)', () => {
  before(async () => {
    if (!existsSync(BIN)) throw new Error(`missing ${BIN}: build it first (cargo build -p agentbar-cli)`);
    if (!existsSync(join(UI_DIST, 'index.html'))) {
      throw new Error(`missing ${UI_DIST}/index.html: build the UI first (cd ui && npm ci && npm run build)`);
    }
    if (!existsSync(CHROMIUM)) throw new Error(`missing ${CHROMIUM}: install Debian's chromium or set CHROMIUM_PATH`);
    mkdirSync(ARTIFACTS, { recursive: true });

    const [port, simPort, evilPort, trustedPort, askPort] = [
      await freePort(), await freePort(), await freePort(), await freePort(), await freePort(),
    ];
    api = `http://127.0.0.1:${port}`;
    sim = `http://127.0.0.1:${simPort}`;
    evil = `http://127.0.0.1:${evilPort}`;
    evilLocalhost = `http://localhost:${evilPort}`;
    trusted = `http://127.0.0.1:${trustedPort}`;
    askOrigin = `http://127.0.0.1:${askPort}`;

    await webServer(evilPort, { '/': BLANK('untrusted'), '/attack.html': BLANK('untrusted') }, null, '/', (req, res) => {
      if (!req.url.startsWith('/probe')) return false;
      // A cross-origin target for the trusted page, to see which preflight headers Chromium sends.
      if (req.method === 'OPTIONS') probePreflights.push({ ...req.headers });
      res.writeHead(req.method === 'OPTIONS' ? 204 : 200, {
        'access-control-allow-origin': req.headers.origin || '*',
        'access-control-allow-methods': 'GET, POST',
        'access-control-allow-headers': 'content-type',
        'access-control-allow-private-network': 'true',
        'content-type': 'text/plain',
      });
      res.end(req.method === 'OPTIONS' ? undefined : 'probe');
      return true;
    });
    await webServer(trustedPort, { '/': BLANK('trusted CRM'), '/crm.html': BLANK('trusted CRM') }, SDK_DIR, '/sdk/');
    await webServer(askPort, { '/': BLANK('a CRM the agent is asked about') });

    const log = openSync(join(ARTIFACTS, 'attack-demo.log'), 'w');
    try {
      demo = spawn(
        BIN,
        ['demo', '--vendor', 'mvb2000', '--listen', `127.0.0.1:${port}`, '--sim-listen', `127.0.0.1:${simPort}`,
          '--ui-dir', '../ui/dist', '--call-every', '3600', '--first-call', '3600',
          '--policy', 'prompt', '--trust-origin', trusted],
        {
          cwd: HERE,
          stdio: ['ignore', log, log],
          env: { ...process.env, NO_COLOR: '1', AGENTBAR_API_TOKEN: TOKEN },
        },
      );
    } finally {
      closeSync(log);
    }
    demoExit = new Promise((r) => demo.once('exit', r));
    demo.once('error', () => {});

    await until(`${api}/api/v1/health (log: e2e/artifacts/attack-demo.log)`, async () => {
      if (demo.exitCode !== null) throw new Error(`the demo exited with ${demo.exitCode}; see e2e/artifacts/attack-demo.log`);
      return (await getJson(`${api}/api/v1/health`, {})).ok === true;
    });
    await until('the agent signed in and ready', async () => {
      const s = await snapshot();
      return s.state?.state === 'ready';
    });

    // The trusted CRM is served as a public site would be (a real CRM is not on loopback), so
    // Chromium applies its rules for public pages reaching loopback (Local Network Access, which
    // replaced Private Network Access preflights); the agent has allowed that in the browser.
    // The untrusted pages stay on loopback: the worst case, where the browser protects nothing.
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [...CHROMIUM_FLAGS, `--ip-address-space-overrides=127.0.0.1:${trustedPort}=public`],
      timeout: WAIT_MS,
    });
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
    for (const origin of [trusted, `http://localhost:${trustedPort}`]) {
      await context.grantPermissions(['local-network-access'], { origin });
    }
  });

  after(async () => {
    try {
      if (browser) await browser.close().catch(() => {});
    } finally {
      browser = null;
      await stopDemo();
      await Promise.all(servers.map((s) => new Promise((r) => { s.closeAllConnections?.(); s.close(r); })));
    }
  });

  it('(1) without a token, a paired program is refused, and with it reads the state', async () => {
    const r = await fetch(`${api}/api/v1/state`, { signal: AbortSignal.timeout(WAIT_MS) });
    assert.equal(r.status, 401);
    assert.equal((await r.json()).error.code, 'token_required');
    const bad = await fetch(`${api}/api/v1/state`, {
      headers: { authorization: `Bearer ${WRONG_TOKEN}` },
      signal: AbortSignal.timeout(WAIT_MS),
    });
    assert.equal(bad.status, 401);
    assert.equal((await bad.json()).error.code, 'bad_token');
    const s = await snapshot();
    assert.equal(s.calls.length, 0, 'no call before the attacks');
    // Not policed: the OpenAPI document and the SDK file.
    for (const path of ['/api/v1/openapi.json', '/sdk/agentbar.js']) {
      const r = await fetch(`${api}${path}`, { signal: AbortSignal.timeout(WAIT_MS) });
      assert.equal(r.status, 200, path);
      const text = await r.text();
      assert.match(text, path.endsWith('.js') ? /AgentBar/ : /"openapi"/, path);
    }
    // DNS rebinding: a page on another name resolving to 127.0.0.1 is refused by its Host,
    // with the token or without.
    const rebound = await rawGet(`${api}/api/v1/state`, { host: `rebind.example:${new URL(api).port}`, ...AUTH });
    assert.equal(rebound.status, 403, rebound.body);
    assert.equal(JSON.parse(rebound.body).error.code, 'forbidden_host');
  });

  it('(2) pages from untrusted origins reach nothing: img, form, no-cors fetch, WebSocket, EventSource, JSONP, CORS', async () => {
    const seqBefore = Math.max(0, ...(await simRequests()).map((r) => r.seq));
    const origins = [evil, evilLocalhost];
    const results = [];
    for (const [o, origin] of origins.entries()) {
      const page = await newPage(`${origin}/attack.html`);
      const n = Object.fromEntries(Array.from({ length: ATTACKS }, (_, i) => [i + 1, attackNumber(o, i + 1)]));
      const out = await page.evaluate(attackFromPage, { api, n, wrongToken: WRONG_TOKEN, attackMs: ATTACK_MS });
      results.push({ origin, out });
      await page.close();
    }
    writeFileSync(join(ARTIFACTS, 'attack-results.json'), `${JSON.stringify(results, null, 2)}\n`);
    // What each page could see: never an answer, never an event, never the callback.
    for (const { origin, out } of results) {
      const ctx = `${origin}: ${JSON.stringify(out)}`;
      assert.equal(out.cbRan, 0, `the JSONP callback never runs (${ctx})`);
      assert.equal(out.jsonp, 'error', `the JSONP script fails to load (${ctx})`);
      for (const k of ['img', 'imgNoReferrer', 'imgWrongToken']) assert.equal(out[k], 'error', `${k} (${ctx})`);
      for (const k of ['corsPostJson', 'corsSimplePost', 'corsGet', 'corsState']) {
        assert.ok(out[k].error, `${k}: a CORS fetch gets no readable answer (${ctx})`);
      }
      assert.equal(out.webSocket.messages.length, 0, `the WebSocket carries no message (${ctx})`);
      assert.equal(out.webSocket.closed, true, `the WebSocket is refused (${ctx})`);
      assert.equal(out.eventSource.messages.length, 0, `the EventSource carries no message (${ctx})`);
      assert.equal(out.eventSource.error, true, `the EventSource fails (${ctx})`);
      for (const k of ['formUrlencoded', 'formTextPlain']) assert.notEqual(out[k], 'timeout', `${k} was answered (${ctx})`);
      assert.equal(out.sandboxedFrame, 'sandbox: sent', `the sandboxed frame's request went out (${ctx})`);
    }

    // The call center received nothing for any of those numbers, and nothing at all that dials.
    await sleep(500);
    const numbers = origins.flatMap((_, o) => Array.from({ length: ATTACKS }, (__, i) => attackNumber(o, i + 1)));
    const after = (await simRequests()).filter((r) => r.seq > seqBefore);
    for (const number of numbers) {
      const hit = after.find((r) => mentions(r, number));
      assert.equal(hit, undefined, `the simulator received ${JSON.stringify(hit)}`);
    }
    assert.deepEqual(after.filter((r) => r.endpoint === 'ctioriginate.php'), [], 'no originate at all');
    const simState = JSON.stringify(await getJson(`${sim}/_sim/state`, {}));
    for (const number of numbers) assert.ok(!simState.includes(number), `${number} in the simulator's state`);
    const s = await snapshot();
    assert.equal(s.calls.length, 0, `the bar has no call: ${JSON.stringify(s.calls)}`);

    // The refusals are in the audit log, under the page's origin (none allowed).
    const entries = (await audit()).filter((e) => e.at_ms >= started);
    writeFileSync(join(ARTIFACTS, 'attack-audit.json'), `${JSON.stringify(entries, null, 2)}\n`);
    const refused = (origin, operation, code) =>
      entries.filter((e) => e.origin === origin && e.operation === operation && !e.allowed && e.why.startsWith(code));
    for (const origin of origins) {
      const ctx = `audit for ${origin}: ${JSON.stringify(entries.filter((e) => e.origin === origin))}`;
      assert.deepEqual(entries.filter((e) => e.origin === origin && e.allowed), [], `nothing allowed (${ctx})`);
      // One line per attempt, each refused while the agent is asked (exact counts: every
      // attempt reached the listener, and was judged by the page's origin).
      const expect = [
        // <img>, no-cors GET, JSONP, CORS GET, and the <img> with a wrong apiKey: judged by
        // the Referer's or the Origin's origin. (A page known by its origin may send an apiKey
        // of its own, as 800hu CRM pages do: it is either ignored, and the page asked about,
        // or refused as bad_token; counted with the others either way.)
        ['type=0', '', 5],
        // The form and the no-cors POST of a form body to /: the type is in the body.
        ['type=?', 'approval_pending', 2],
        // The text/plain form, the no-cors POST and the simple CORS POST of a JSON command.
        ['dial', 'approval_pending', 3],
        // The JSON fetch's preflight (the POST itself is never sent).
        ['preflight', 'approval_pending', 1],
        ['state', 'approval_pending', 1],
        ['websocket', 'approval_pending', 1],
        ['events', 'approval_pending', 1],
      ];
      for (const [operation, code, count] of expect) {
        assert.equal(refused(origin, operation, code).length, count, `${operation} ${code} x${count} (${ctx})`);
      }
      const type0 = refused(origin, 'type=0', '');
      assert.ok(type0.every((e) => /^(approval_pending|bad_token)/.test(e.why)), `type=0 refusals (${ctx})`);
      assert.ok(refused(origin, 'type=0', 'approval_pending').length >= 4, `type=0 approval_pending (${ctx})`);
      assert.equal(entries.filter((e) => e.origin === origin).length, 14, `nothing else (${ctx})`);
    }
    // The no-referrer <img> carries neither Origin nor Referer: the token is required.
    assert.ok(
      refused(null, 'type=0', 'token_required').length === origins.length,
      `no-referrer <img>: token_required with no origin: ${JSON.stringify(entries.filter((e) => e.origin === null))}`,
    );
    assert.equal(
      refused(null, 'dial', 'origin_refused').length, origins.length,
      `sandboxed frame: origin_refused with no origin: ${JSON.stringify(entries.filter((e) => e.origin === null))}`,
    );
    // Both pages now wait for the agent's answer.
    const view = await policyView();
    for (const origin of origins) assert.ok(view.pending.includes(origin), `${origin} pending: ${JSON.stringify(view)}`);
  });

  it('(3) preflights: a trusted origin gets CORS and Private Network Access, an untrusted one neither', async () => {
    const preflight = (origin) =>
      fetch(`${api}/api/v1/commands`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type',
          'access-control-request-private-network': 'true',
        },
        signal: AbortSignal.timeout(WAIT_MS),
      });
    const ok = await preflight(trusted);
    assert.equal(ok.status, 204);
    assert.equal(ok.headers.get('access-control-allow-origin'), trusted);
    assert.equal(ok.headers.get('access-control-allow-private-network'), 'true');
    assert.match(ok.headers.get('access-control-allow-methods') ?? '', /POST/);
    assert.match(ok.headers.get('access-control-allow-headers') ?? '', /content-type/i);
    assert.match(ok.headers.get('vary') ?? '', /origin/i);
    assert.equal(ok.headers.get('access-control-allow-credentials'), null);
    for (const origin of [evil, evilLocalhost]) {
      const no = await preflight(origin);
      assert.equal(no.status, 403, origin);
      assert.equal(no.headers.get('access-control-allow-origin'), null, origin);
      assert.equal(no.headers.get('access-control-allow-private-network'), null, origin);
      assert.match(no.headers.get('vary') ?? '', /origin/i);
    }
  });

  it('(4) a trusted page dials, hears the call over SSE, and hangs up', async (t) => {
    const page = await newPage(`${trusted}/crm.html`);
    // Does this Chromium send a Private Network Access preflight from this public page to
    // loopback? (Noted, not required: newer Chromium asks the user instead, and the headers
    // are checked from Node in (3).)
    const probe = await page.evaluate(async (url) => {
      try {
        const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
        return `${r.status} ${await r.text()}`;
      } catch (e) {
        return String(e);
      }
    }, `${evil}/probe`);
    const pna = probePreflights.some((h) => 'access-control-request-private-network' in h);
    t.diagnostic(`Chromium ${browser.version()}: public page -> loopback JSON fetch: ${probe}; preflights seen ` +
      `${probePreflights.length}, with Access-Control-Request-Private-Network: ${pna}`);

    await page.evaluate((api) => {
      window.__events = [];
      const es = new EventSource(`${api}/api/v1/events`);
      window.__es = es;
      for (const t of ['snapshot', 'call_offered', 'call_updated', 'call_answered', 'call_ended', 'state_changed']) {
        es.addEventListener(t, (m) => window.__events.push({ type: t, data: JSON.parse(m.data) }));
      }
      es.onerror = () => window.__events.push({ type: 'error' });
    }, api);
    await page.waitForFunction(() => window.__events.some((e) => e.type === 'snapshot'), null, { timeout: WAIT_MS });

    const dial = await page.evaluate(commandFromPage, { api, body: { op: 'dial', number: TRUSTED_NUMBER } });
    assert.equal(dial.status, 200, JSON.stringify(dial));
    assert.equal(dial.body.ok, true, JSON.stringify(dial));
    await simDial(TRUSTED_NUMBER);
    const forCall = (type) => (e) => e.type === type && e.data.call?.remote_number === TRUSTED_NUMBER;
    await page.waitForFunction(
      (n) => window.__events.some((e) => /^call_/.test(e.type) && e.data.call?.remote_number === n),
      TRUSTED_NUMBER,
      { timeout: WAIT_MS },
    );
    const seen = await page.evaluate(() => window.__events.map((e) => e.type));
    assert.ok(seen.some((t) => ['call_offered', 'call_updated', 'call_answered'].includes(t)), `events: ${seen}`);

    const hangup = await page.evaluate(commandFromPage, { api, body: { op: 'hangup' } });
    assert.equal(hangup.status, 200, JSON.stringify(hangup));
    await until('call_ended for the trusted page\'s call', async () =>
      (await page.evaluate(() => window.__events)).some(forCall('call_ended')));
    assert.ok((await simRequests()).some((r) => r.endpoint === 'ctihangup.php'), 'the simulator received ctihangup');
    await page.evaluate(() => window.__es.close());

    // The same feed over a WebSocket, and JSONP with a plain callback (never a dotted one).
    const trustedExtras = await page.evaluate(async (api) => {
      const bounded = (p) => Promise.race([p, new Promise((r) => setTimeout(() => r('timeout'), 4_000))]);
      const socket = await bounded(new Promise((r) => {
        const s = new WebSocket(`${api.replace(/^http/, 'ws')}/api/v1/ws`);
        s.onmessage = (m) => { r(JSON.parse(m.data).event); s.close(); };
        s.onclose = (e) => r(`closed ${e.code}`);
      }));
      const script = (src) => bounded(new Promise((r) => {
        const el = document.createElement('script');
        el.onload = () => r('load');
        el.onerror = () => r('error');
        el.src = src;
        document.head.appendChild(el);
      }));
      window.__jsonp = [];
      window.cbOk = (v) => window.__jsonp.push(v);
      const plain = await script(`${api}/?type=2002&callback=cbOk`);
      const dotted = await script(`${api}/?type=2002&callback=window.cbOk`);
      return { socket, plain, dotted, jsonp: window.__jsonp };
    }, api);
    await page.close();
    assert.equal(trustedExtras.socket, 'snapshot', JSON.stringify(trustedExtras));
    assert.equal(trustedExtras.plain, 'load', JSON.stringify(trustedExtras));
    assert.equal(trustedExtras.dotted, 'error', JSON.stringify(trustedExtras));
    assert.deepEqual(trustedExtras.jsonp, [{ ok: true, type: 2002 }], JSON.stringify(trustedExtras));

    // Another port or loopback name is another origin: http://localhost:<trusted port> is not trusted.
    const alias = `http://localhost:${new URL(trusted).port}`;
    const aliasPage = await newPage(`${alias}/crm.html`);
    const aliasRead = await aliasPage.evaluate(async (api) => {
      try {
        const r = await fetch(`${api}/api/v1/state`);
        return `${r.status}`;
      } catch (e) {
        return String(e);
      }
    }, api);
    await aliasPage.close();
    assert.match(aliasRead, /TypeError/, `${alias} reads the state: ${aliasRead}`);

    const entries = (await audit()).filter((e) => e.origin === trusted);
    assert.ok(entries.some((e) => e.operation === 'type=2002' && !e.allowed && e.why.startsWith('jsonp_refused')),
      `the dotted callback is refused: ${JSON.stringify(entries)}`);
    assert.ok((await audit()).some((e) => e.origin === alias && !e.allowed && e.why.startsWith('approval_pending')),
      `${alias} is asked about`);
    assert.ok(entries.some((e) => e.operation === 'dial' && e.allowed && e.why === 'trusted origin'), JSON.stringify(entries));
    await noCall('the trusted call to end');
    await readyAgain();
  });

  it('(5) the SDK example page works against the same bar and simulator', async (t) => {
    const example = join(SDK_DIR, 'example', 'index.html');
    if (!existsSync(example)) {
      t.skip('sdk/example/index.html is not there yet');
      return;
    }
    await sdkExample();
  });

  it('(6) an untrusted page works once the agent allows it from the bar, and is refused after deny', async () => {
    const page = await newPage(`${askOrigin}/`);
    const first = await page.evaluate(commandFromPage, { api, body: { op: 'dial', number: ASK_NUMBER } });
    assert.ok(first.error, `refused before the answer: ${JSON.stringify(first)}`);
    await until(`${askOrigin} to be pending`, async () => (await policyView()).pending.includes(askOrigin));
    const pending = (await audit()).filter((e) => e.origin === askOrigin && !e.allowed);
    assert.ok(pending.some((e) => e.why.startsWith('approval_pending')), JSON.stringify(pending));

    // Only the bar itself may answer: not a paired program, not a trusted CRM page.
    const byToken = await fetch(`${api}/api/v1/policy/answer`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...AUTH },
      body: JSON.stringify({ origin: askOrigin, answer: 'once' }),
      signal: AbortSignal.timeout(WAIT_MS),
    });
    assert.equal(byToken.status, 403);
    assert.equal((await byToken.json()).error.code, 'bar_only');
    const crm = await newPage(`${trusted}/crm.html`);
    const byCrm = await crm.evaluate(async ({ api, origin }) => {
      const r = await fetch(`${api}/api/v1/policy/answer`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ origin, answer: 'always' }),
      });
      return { status: r.status, body: await r.json() };
    }, { api, origin: askOrigin });
    await crm.close();
    assert.equal(byCrm.status, 403, JSON.stringify(byCrm));
    assert.equal(byCrm.body.error.code, 'bar_only');
    assert.ok((await policyView()).pending.includes(askOrigin), 'still pending');

    // The agent answers in the bar (the bar's own page, as the browser runs it): the card asks
    // about the oldest page first; the untrusted pages get 拒绝, the asking page 仅本次.
    const bar = await newPage(`${api}/ui/`);
    const card = bar.locator('.policy-prompt');
    for (let i = 0; i < 5; i++) {
      await card.waitFor({ state: 'visible', timeout: WAIT_MS });
      const question = (await card.locator('strong').textContent()) ?? '';
      assert.match(question, /允许 .* 控制坐席条？/, question);
      if (i === 0) await bar.screenshot({ path: join(ARTIFACTS, 'attack-prompt.png') });
      const isAsk = question.includes(askOrigin);
      await card.locator(`button[data-answer="${isAsk ? 'once' : 'deny'}"]`).click();
      await until('the answer to reach the bar', async () => !(await policyView()).pending.some(
        (o) => question.includes(o)));
      if (isAsk) break;
    }
    const view = await policyView();
    assert.ok(view.allowed_once.includes(askOrigin), JSON.stringify(view));
    assert.ok(view.denied.includes(evilLocalhost), JSON.stringify(view));
    assert.ok(!view.pending.includes(askOrigin) && !view.pending.includes(evilLocalhost), JSON.stringify(view));
    await bar.close();

    // The asking page's retry goes through, to the call center.
    const retry = await page.evaluate(commandFromPage, { api, body: { op: 'dial', number: ASK_NUMBER } });
    assert.equal(retry.status, 200, JSON.stringify(retry));
    await simDial(ASK_NUMBER);
    await until('the bar to see the allowed page\'s call', async () =>
      (await snapshot()).calls.some((c) => c.remote_number === ASK_NUMBER));
    const hangup = await page.evaluate(commandFromPage, { api, body: { op: 'hangup' } });
    assert.equal(hangup.status, 200, JSON.stringify(hangup));
    await page.close();
    await noCall('the allowed page\'s call to end');
    await readyAgain();

    // The denied page is refused as denied (not asked again), and still reaches nothing.
    const denied = await newPage(`${evilLocalhost}/attack.html`);
    const number = attackNumber(2, 1);
    const got = await denied.evaluate(async (url) => {
      try {
        const r = await fetch(url, { mode: 'no-cors' });
        return r.type;
      } catch (e) {
        return String(e);
      }
    }, `${api}/?type=0&phone=${number}`);
    await denied.close();
    assert.equal(got, 'opaque');
    await until('origin_denied in the audit log', async () =>
      (await audit()).some((e) => e.origin === evilLocalhost && !e.allowed && e.why.startsWith('origin_denied')));
    assert.ok(!(await simRequests()).some((r) => mentions(r, number)), 'the denied page reached the simulator');
    assert.ok(!(await policyView()).pending.includes(evilLocalhost), 'a denied page is not asked about again');
  });

  it('(7) the demo\'s log shows neither the token nor what the attacks asked for', async () => {
    const text = readFileSync(join(ARTIFACTS, 'attack-demo.log'), 'utf8');
    assert.ok(!text.includes(TOKEN), 'the pairing token is in the log');
    assert.ok(!text.includes(WRONG_TOKEN), 'a presented token is in the log');
    for (let o = 0; o < 3; o += 1) {
      for (let k = 1; k <= ATTACKS; k += 1) {
        assert.ok(!text.includes(attackNumber(o, k)), `${attackNumber(o, k)} is in the log`);
      }
    }
  });
});

/** The SDK's example page, served with sdk/ from the trusted origin (it loads ../agentbar.js). */
async function sdkExample() {
  const page = await newPage(`${trusted}/sdk/example/index.html?base=${encodeURIComponent(api)}`);
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  try {
    await page.locator('#status[data-status="connected"]').waitFor();
    await page.locator('#state[data-state="ready"]').waitFor();
    assert.match(await page.locator('#agent').innerText(), /8005/);

    // Dial: the call shows in #call and #events, and the call center receives it.
    await page.locator('#number').fill(SDK_NUMBER);
    await page.locator('#dial').click();
    await simDial(SDK_NUMBER);
    await until('the dialled number in #call', async () =>
      (await page.locator('#call-number').innerText()).trim() === SDK_NUMBER);
    await until('the call in #events', async () => (await page.locator('#events').innerText()).includes(SDK_NUMBER));
    assert.equal((await page.locator('#call-direction').innerText()).trim(), 'outbound');

    // Hang up: the call ends in #call and #events, and the call center is told.
    const since = Math.max(0, ...(await simRequests()).map((r) => r.seq));
    await page.locator('#hangup').click();
    await until('ctihangup at the simulator', async () =>
      (await simRequests()).some((r) => r.seq > since && r.endpoint === 'ctihangup.php'));
    await page.locator('#call[data-state="ended"]').waitFor();
    await until('call_ended in #events', async () =>
      (await page.locator('#events').innerText()).includes(`call_ended ${SDK_NUMBER}`));
    await noCall('the SDK call to end');
    await readyAgain();

    // Not ready, then ready again, from the page: #state follows, and so does the call center.
    const pauseSince = Math.max(0, ...(await simRequests()).map((r) => r.seq));
    await page.locator('#notready').click();
    await page.locator('#state[data-state="not_ready"]').waitFor();
    await until('ctiqueuepause paused=true', async () => (await simRequests()).some((r) =>
      r.seq > pauseSince && r.endpoint === 'ctiqueuepause.php' && r.params.some(([k, v]) => k === 'paused' && v === 'true')));
    await page.locator('#ready').click();
    await page.locator('#state[data-state="ready"]').waitFor();
    assert.equal((await page.locator('#error').innerText()).trim(), '', 'no error shown');
    assert.deepEqual(errors, [], 'no page error');
    assert.equal((await snapshot()).state.state, 'ready');
  } finally {
    await page.screenshot({ path: join(ARTIFACTS, 'attack-sdk-example.png') }).catch(() => {});
    await page.close();
  }
}
