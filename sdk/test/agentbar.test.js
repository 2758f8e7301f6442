// Unit tests of sdk/agentbar.js with `node --test sdk/test/` (Node 18+, no dependencies): a
// fake fetch, EventSource, WebSocket and timer are passed to connect(), so every request
// and every stream message is under the test's control.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const AgentBar = require('../agentbar.js');

const BASE = 'http://127.0.0.1:10800';
const TOKEN = 'ab'.repeat(32);

/** A fetch that records requests and answers from `reply(url, init)` (a Response or an Error). */
function fakeFetch(reply) {
  const calls = [];
  const fetch = async (url, init) => {
    calls.push({ url, init, body: init.body === undefined ? undefined : JSON.parse(init.body) });
    const r = reply(url, init);
    if (r instanceof Error) throw r;
    return r;
  };
  fetch.calls = calls;
  return fetch;
}

const json = (body, status = 200, headers = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
const ok = (extra) => json({ ok: true, command: 'x', outcome: { message: null, data: null }, ...extra });
const refusal = (status, code, message = code, headers) => json({ ok: false, error: { code, message } }, status, headers);

/** An EventSource class whose instances the test drives. */
function fakeEventSource() {
  class FakeEventSource {
    constructor(url) {
      this.url = url;
      this.listeners = {};
      this.closed = false;
      FakeEventSource.all.push(this);
    }
    addEventListener(type, fn) {
      (this.listeners[type] = this.listeners[type] || []).push(fn);
    }
    close() {
      this.closed = true;
    }
    /** The server sends `event: type` with `data`. */
    emit(type, data) {
      for (const fn of this.listeners[type] || []) fn({ type, data: JSON.stringify(data) });
    }
    fail() {
      this.onerror({ type: 'error' });
    }
  }
  FakeEventSource.all = [];
  return FakeEventSource;
}

function fakeWebSocket() {
  class FakeWebSocket {
    constructor(url) {
      this.url = url;
      this.closed = false;
      FakeWebSocket.all.push(this);
    }
    close() {
      this.closed = true;
    }
    frame(event, data) {
      this.onmessage({ data: JSON.stringify({ event, data }) });
    }
    drop(code = 1006) {
      this.onclose({ code });
    }
  }
  FakeWebSocket.all = [];
  return FakeWebSocket;
}

/** Timers the test runs by hand. */
function fakeTimers() {
  const t = { pending: new Map(), next: 1 };
  t.setTimeout = (fn, ms) => {
    const id = t.next++;
    t.pending.set(id, { fn, ms });
    return id;
  };
  t.clearTimeout = (id) => t.pending.delete(id);
  t.delays = () => [...t.pending.values()].map((p) => p.ms);
  t.runAll = () => {
    const due = [...t.pending.values()];
    t.pending.clear();
    due.forEach((p) => p.fn());
  };
  return t;
}

/** The stream is opened on a microtask after connect(). */
const tick = () => new Promise((r) => setImmediate(r));

const snapshot = (over = {}) => ({
  vendor: 'mvb2000',
  state: { state: 'ready' },
  presence: { presence: 'ready' },
  calls: [],
  last_event_seq: 7,
  ...over,
});
const call = (id, state = 'ringing') => ({ id, direction: 'inbound', state, remote_number: '13800138000' });

function setup(opts = {}) {
  const fetch = fakeFetch(opts.reply || (() => ok()));
  const EventSource = fakeEventSource();
  const WebSocket = fakeWebSocket();
  const timers = fakeTimers();
  const bar = AgentBar.connect({
    base: BASE,
    fetch,
    EventSource,
    WebSocket,
    setTimeout: timers.setTimeout,
    clearTimeout: timers.clearTimeout,
    ...opts.connect,
  });
  return { bar, fetch, EventSource, WebSocket, timers };
}

test('commands POST the exact JSON with the token in Authorization only', async () => {
  const { bar, fetch } = setup({ connect: { token: TOKEN, events: false } });
  const outcome = await bar.dial('82754888', { order: 'A-1' });
  assert.deepEqual(outcome, { message: null, data: null });
  const [req] = fetch.calls;
  assert.equal(req.url, `${BASE}/api/v1/commands`);
  assert.equal(req.init.method, 'POST');
  assert.deepEqual(req.body, { op: 'dial', number: '82754888', attached: { order: 'A-1' } });
  assert.equal(req.init.headers.Authorization, `Bearer ${TOKEN}`);
  assert.equal(req.init.headers['Content-Type'], 'application/json');
  assert.equal(req.init.mode, 'cors');
  assert.equal(req.init.credentials, 'omit');
  assert.ok(!req.url.includes(TOKEN), 'the token never goes in a fetch URL');
});

test('every helper sends its op with snake_case fields and nothing else', async () => {
  const { bar, fetch } = setup({ connect: { events: false } });
  const cases = [
    [() => bar.dial('139'), { op: 'dial', number: '139' }],
    [() => bar.hangup(), { op: 'hangup' }],
    [() => bar.hangup('c1'), { op: 'hangup', call: 'c1' }],
    [() => bar.hangup(call('c2')), { op: 'hangup', call: 'c2' }],
    // CallId is a string on the wire: a number would be refused.
    [() => bar.hangup(42), { op: 'hangup', call: '42' }],
    [() => bar.answer(), { op: 'answer' }],
    [() => bar.answer('c3'), { op: 'answer', call: 'c3' }],
    [() => bar.hold(), { op: 'hold' }],
    [() => bar.resume(), { op: 'resume' }],
    [() => bar.transfer('2012'), { op: 'transfer', target: '2012' }],
    [() => bar.consult('2013'), { op: 'consult', target: '2013' }],
    [() => bar.conference(), { op: 'conference' }],
    [() => bar.conference('2014'), { op: 'conference', target: '2014' }],
    [() => bar.dtmf('12#'), { op: 'dtmf', digits: '12#' }],
    [() => bar.toIvr('survey'), { op: 'to_ivr', target: 'survey' }],
    [() => bar.setReady(), { op: 'set_ready' }],
    [() => bar.setNotReady('lunch'), { op: 'set_not_ready', reason: 'lunch' }],
    [() => bar.signIn(), { op: 'sign_in' }],
    [() => bar.signOut(), { op: 'sign_out' }],
    [() => bar.command({ op: 'monitor', agent: '2012' }), { op: 'monitor', agent: '2012' }],
  ];
  for (const [run, want] of cases) await run();
  assert.deepEqual(fetch.calls.map((c) => c.body), cases.map(([, want]) => want));
  assert.ok(fetch.calls.every((c) => c.init.headers.Authorization === undefined), 'no token, no header');
});

test('reads unwrap the answer and send no body, no content type and no token header', async () => {
  const snap = snapshot();
  const { bar, fetch } = setup({
    connect: { events: false },
    reply: (url) => {
      if (url.endsWith('/api/v1/state')) return json({ ok: true, snapshot: snap });
      if (url.endsWith('/api/v1/capabilities')) return json({ ok: true, vendor: '800hu', capabilities: { dial: { support: 'server', note: 'callOut' } } });
      return json({ ok: true, calls: [{ call_id: '1' }] });
    },
  });
  assert.deepEqual(await bar.state(), snap);
  assert.deepEqual(await bar.capabilities(), { vendor: '800hu', capabilities: { dial: { support: 'server', note: 'callOut' } } });
  assert.deepEqual(await bar.history({ limit: 20, number: '+86 139' }), [{ call_id: '1' }]);
  await bar.history();
  assert.equal(fetch.calls[2].url, `${BASE}/api/v1/history?limit=20&number=%2B86%20139`);
  assert.equal(fetch.calls[3].url, `${BASE}/api/v1/history`);
  for (const c of fetch.calls) {
    assert.equal(c.init.method, 'GET');
    assert.equal(c.init.body, undefined);
    // Without custom headers a cross-origin GET needs no preflight.
    assert.deepEqual(c.init.headers, {});
  }
});

test('API errors reject with AgentBarError carrying code, message and status', async () => {
  const answers = [
    refusal(409, 'invalid_state', 'cannot hangup now: no call'),
    refusal(403, 'approval_pending', 'waiting for the agent to allow https://crm.example.com in Agent Bar'),
    refusal(429, 'rate_limited', 'too many requests', { 'Retry-After': '3' }),
    new Response('<html>oops</html>', { status: 500 }),
    new TypeError('Failed to fetch'),
  ];
  const { bar } = setup({ connect: { events: false }, reply: () => answers.shift() });
  await assert.rejects(bar.hangup(), (e) => {
    assert.ok(e instanceof AgentBar.AgentBarError);
    assert.ok(e instanceof Error);
    assert.equal(e.code, 'invalid_state');
    assert.equal(e.status, 409);
    assert.equal(e.message, 'cannot hangup now: no call');
    return true;
  });
  await assert.rejects(bar.dial('1'), (e) => {
    assert.equal(e.code, 'approval_pending');
    assert.equal(e.status, 403);
    assert.match(e.hint, /click Allow in the bar/);
    assert.match(e.message, /waiting for the agent/);
    assert.match(e.message, /click Allow/);
    return true;
  });
  await assert.rejects(bar.setReady(), (e) => e.code === 'rate_limited' && e.retryAfter === 3 && e.status === 429);
  await assert.rejects(bar.state(), (e) => e.code === 'bad_response' && e.status === 500);
  await assert.rejects(bar.state(), (e) => {
    assert.equal(e.code, 'network');
    assert.equal(e.status, 0);
    assert.match(e.message, /Failed to fetch/);
    assert.match(e.hint, /Allow/, 'a browser hides refusals to untrusted pages: say so');
    return true;
  });
});

test('the stream starts with a snapshot; onState, onCall and on() see the events', async () => {
  const { bar, EventSource } = setup();
  const states = [];
  const calls = [];
  const all = [];
  bar.onState((state, presence) => states.push([state.state, presence.presence]));
  bar.onCall((c, type, ev) => calls.push([type, c.id, c.state, ev.seq]));
  const off = bar.on('*', (_, type) => all.push(type));
  await tick();
  assert.equal(EventSource.all.length, 1);
  const es = EventSource.all[0];
  assert.equal(es.url, `${BASE}/api/v1/events`);
  assert.equal(bar.connected, false);

  es.emit('snapshot', snapshot({ state: { state: 'not_ready', reason: 'lunch' }, presence: { presence: 'not_ready', reason: 'lunch' } }));
  assert.equal(bar.connected, true);
  assert.equal(bar.snapshot.last_event_seq, 7);
  es.emit('call_offered', { seq: 8, at_ms: 1, type: 'call_offered', call: call('c1') });
  es.emit('state_changed', { seq: 9, at_ms: 2, type: 'state_changed', state: { state: 'ringing' }, presence: { presence: 'ready' } });
  es.emit('call_answered', { seq: 10, at_ms: 3, type: 'call_answered', call: call('c1', 'talking') });
  es.emit('call_updated', { seq: 11, at_ms: 4, type: 'call_updated', call: call('c1', 'talking') });
  off();
  es.emit('call_missed', { seq: 12, at_ms: 5, type: 'call_missed', call: call('c0', 'ended') });
  es.emit('call_ended', { seq: 13, at_ms: 6, type: 'call_ended', call: call('c1', 'ended') });

  assert.deepEqual(states, [['not_ready', 'not_ready'], ['ringing', 'ready']]);
  assert.deepEqual(calls, [
    ['call_offered', 'c1', 'ringing', 8],
    ['call_answered', 'c1', 'talking', 10],
    ['call_updated', 'c1', 'talking', 11],
    ['call_ended', 'c1', 'ended', 13],
  ]);
  assert.deepEqual(all, ['snapshot', 'call_offered', 'state_changed', 'call_answered', 'call_updated']);
  bar.close();
});

test('a lost stream reconnects with doubling backoff, reset by the next snapshot', async () => {
  const { bar, EventSource, timers } = setup({ connect: { retryMin: 100, retryMax: 350 } });
  const errors = [];
  bar.onError((e) => errors.push(e));
  await tick();
  EventSource.all[0].emit('snapshot', snapshot());
  EventSource.all[0].fail();
  assert.equal(EventSource.all[0].closed, true, 'the SDK, not EventSource, decides when to retry');
  assert.equal(bar.connected, false);
  assert.deepEqual(timers.delays(), [100]);
  assert.equal(errors.length, 1);
  assert.equal(errors[0].code, 'stream_lost');
  assert.equal(errors[0].retryIn, 100);

  const delays = [];
  for (let i = 1; i <= 3; i++) {
    timers.runAll();
    assert.equal(EventSource.all.length, i + 1);
    EventSource.all[i].fail();
    delays.push(...timers.delays());
  }
  assert.deepEqual(delays, [200, 350, 350]);

  timers.runAll();
  const live = EventSource.all[4];
  live.emit('snapshot', snapshot({ last_event_seq: 99 }));
  assert.equal(bar.snapshot.last_event_seq, 99, 'after a reconnect the first message is a fresh snapshot');
  live.fail();
  assert.deepEqual(timers.delays(), [100]);
  bar.close();
});

test('events from a replaced stream are ignored', async () => {
  const { bar, EventSource, timers } = setup();
  const seen = [];
  bar.onCall((c) => seen.push(c.id));
  await tick();
  const old = EventSource.all[0];
  old.fail();
  timers.runAll();
  old.emit('call_offered', { seq: 1, at_ms: 1, type: 'call_offered', call: call('stale') });
  EventSource.all[1].emit('call_offered', { seq: 2, at_ms: 1, type: 'call_offered', call: call('fresh') });
  assert.deepEqual(seen, ['fresh']);
  bar.close();
});

test('the stream carries ?apiKey= only when a token is needed (queryToken auto)', async () => {
  const { bar, EventSource, timers } = setup({ connect: { token: TOKEN } });
  await tick();
  assert.equal(EventSource.all[0].url, `${BASE}/api/v1/events`, 'a trusted page needs no token in the URL');
  EventSource.all[0].fail();
  timers.runAll();
  assert.equal(EventSource.all[1].url, `${BASE}/api/v1/events?apiKey=${TOKEN}`);
  bar.close();

  // Lost after it worked: the origin was enough, the token stays out of the URL.
  const s = setup({ connect: { token: TOKEN } });
  await tick();
  s.EventSource.all[0].emit('snapshot', snapshot());
  s.EventSource.all[0].fail();
  s.timers.runAll();
  assert.equal(s.EventSource.all[1].url, `${BASE}/api/v1/events`);
  s.bar.close();
});

test('queryToken always / never, and no token at all', async () => {
  const always = setup({ connect: { token: TOKEN, queryToken: 'always' } });
  const never = setup({ connect: { token: TOKEN, queryToken: 'never' } });
  const none = setup();
  await tick();
  assert.equal(always.EventSource.all[0].url, `${BASE}/api/v1/events?apiKey=${TOKEN}`);
  for (const s of [never, none]) {
    s.EventSource.all[0].fail();
    s.timers.runAll();
    assert.equal(s.EventSource.all[1].url, `${BASE}/api/v1/events`);
  }
  [always, never, none].forEach((s) => s.bar.close());
});

test('the WebSocket transport reads {event, data} frames and reconnects', async () => {
  const { bar, WebSocket, EventSource, timers } = setup({ connect: { transport: 'ws', token: TOKEN } });
  const calls = [];
  bar.onCall((c, type) => calls.push(type));
  await tick();
  assert.equal(EventSource.all.length, 0);
  const ws = WebSocket.all[0];
  assert.equal(ws.url, 'ws://127.0.0.1:10800/api/v1/ws');
  ws.frame('snapshot', snapshot());
  ws.onmessage({ data: 'not json' });
  ws.frame('call_offered', { seq: 8, at_ms: 1, type: 'call_offered', call: call('c1') });
  assert.equal(bar.connected, true);
  assert.deepEqual(calls, ['call_offered']);
  ws.drop(1006);
  assert.equal(ws.closed, true);
  assert.deepEqual(timers.delays(), [500]);
  timers.runAll();
  assert.equal(WebSocket.all.length, 2);
  assert.equal(WebSocket.all[1].url, 'ws://127.0.0.1:10800/api/v1/ws', 'it had worked: no token in the URL');
  bar.close();

  const https = AgentBar.connect({ base: 'https://bar.local:9443/', WebSocket, transport: 'ws' });
  await tick();
  assert.equal(WebSocket.all[2].url, 'wss://bar.local:9443/api/v1/ws');
  https.close();
});

test('lagged reopens the stream at once for a fresh snapshot', async () => {
  const { bar, EventSource, timers } = setup();
  const lagged = [];
  bar.on('lagged', (d) => lagged.push(d.skipped));
  await tick();
  EventSource.all[0].emit('snapshot', snapshot());
  EventSource.all[0].emit('lagged', { skipped: 17 });
  assert.deepEqual(lagged, [17]);
  assert.equal(EventSource.all[0].closed, true);
  assert.equal(EventSource.all.length, 2);
  assert.equal(timers.pending.size, 0);
  bar.close();
});

test('close stops the stream, the retry timer, handlers and requests', async () => {
  const { bar, EventSource, timers, fetch } = setup({
    // A request that hangs until aborted, as fetch does (at once if already aborted).
    reply: (url, init) =>
      new Promise((_, reject) => {
        if (init.signal.aborted) reject(new Error('aborted'));
        init.signal.addEventListener('abort', () => reject(new Error('aborted')));
      }),
  });
  const seen = [];
  bar.on('*', (_, t) => seen.push(t));
  await tick();
  EventSource.all[0].fail();
  assert.equal(timers.pending.size, 1);
  const inFlight = bar.dial('1');
  await tick();
  bar.close();
  assert.equal(timers.pending.size, 0, 'the reconnect timer is cancelled');
  const hung = new Promise((_, reject) => setTimeout(() => reject(new Error('still in flight after close')), 500));
  await assert.rejects(Promise.race([inFlight, hung]), (e) => e.code === 'closed');
  await assert.rejects(bar.state(), (e) => e.code === 'closed');
  assert.equal(fetch.calls.length, 1, 'nothing is sent after close');
  EventSource.all[0].emit('call_offered', { seq: 1, at_ms: 1, type: 'call_offered', call: call('x') });
  assert.deepEqual(seen, []);
  assert.equal(EventSource.all.length, 1);

  // Closed while connected: the live source is closed too, and no reconnect follows.
  const s = setup();
  await tick();
  s.EventSource.all[0].emit('snapshot', snapshot());
  s.bar.close();
  assert.equal(s.EventSource.all[0].closed, true);
  assert.equal(s.bar.connected, false);
  s.EventSource.all[0].fail();
  assert.equal(s.timers.pending.size, 0);
});

test('one throwing handler does not stop the others; unsubscribe works', async () => {
  const { bar, EventSource } = setup();
  const seen = [];
  const logged = [];
  const original = console.error;
  console.error = (e) => logged.push(e.message);
  try {
    bar.onCall(() => {
      throw new Error('boom');
    });
    const off = bar.onCall((c) => seen.push(c.id));
    await tick();
    EventSource.all[0].emit('call_offered', { seq: 1, at_ms: 1, type: 'call_offered', call: call('a') });
    off();
    EventSource.all[0].emit('call_ended', { seq: 2, at_ms: 2, type: 'call_ended', call: call('a', 'ended') });
  } finally {
    console.error = original;
  }
  assert.deepEqual(seen, ['a']);
  assert.deepEqual(logged, ['boom', 'boom']);
  bar.close();
});

test('events: false opens no stream; a missing EventSource is reported, not thrown', async () => {
  const s = setup({ connect: { events: false } });
  await tick();
  assert.equal(s.EventSource.all.length, 0);
  s.bar.close();

  const bar = AgentBar.connect({ base: BASE, fetch: fakeFetch(() => ok()), EventSource: null });
  const errors = [];
  bar.onError((e) => errors.push(e.code));
  await tick();
  assert.deepEqual(errors, typeof globalThis.EventSource === 'function' ? [] : ['no_transport']);
  bar.close();
});
