// The bar: renders the engine's Snapshot and sends commands. Renders only; every rule about
// what is allowed lives in the engine, which answers a refused command with an error.

import { createTransport, toErrorInfo } from './transport.js';
import { hasWord, pickLang, translator } from './i18n.js';

const lang = pickLang();
const t = translator(lang);
const transport = createTransport();
const $ = (id) => document.getElementById(id);

const RETRY_MS = 5000;
const TOAST_MS = 6000;

/** The newest snapshot, when it arrived (for local timers), and why there is none. */
let snap = null;
let receivedAt = 0;
let unavailable = null;
let retryTimer = null;
let toastTimer = null;

// ---- formatting -------------------------------------------------------------------------

function clock(totalSecs, withHours) {
  const s = Math.max(0, Math.floor(totalSecs));
  const h = Math.floor(s / 3600);
  const two = (n) => String(n).padStart(2, '0');
  const ms = `${two(Math.floor((s % 3600) / 60))}:${two(s % 60)}`;
  return withHours || h > 0 ? `${two(h)}:${ms}` : ms;
}

function reasonWord(code) {
  if (!code) return '';
  return hasWord(lang, `reason.${code}`) ? t(`reason.${code}`) : code;
}

function stateWord(state) {
  const base = t(`state.${state.state}`);
  if (state.state === 'not_ready' && state.reason) {
    return `${base}·${reasonWord(state.reason)}`;
  }
  return base;
}

function errorText(info) {
  const e = toErrorInfo(info);
  const label = hasWord(lang, `error.${e.code}`) ? t(`error.${e.code}`) : e.code;
  return e.message ? `${label}${t('sep')}${e.message}` : label;
}

function maskNumber(n) {
  return n.length > 4 ? `****${n.slice(-4)}` : '****';
}

function elapsedSecs() {
  return (Date.now() - receivedAt) / 1000;
}

// ---- rendering --------------------------------------------------------------------------

function render() {
  const bar = $('bar');
  if (!snap) {
    bar.dataset.state = unavailable ? 'unavailable' : 'loading';
    $('agent-id').textContent = '';
    $('agent-name').textContent = '';
    $('state-word').textContent = unavailable
      ? `${t('state.unavailable')}${t('sep')}${toErrorInfo(unavailable).message}`
      : t('state.loading');
    $('state-word').title = unavailable ? errorText(unavailable) : '';
    $('state-timer').textContent = '';
    $('queued').hidden = true;
    $('call').hidden = true;
    $('missed').hidden = true;
    $('connection').textContent = '';
    renderButtons();
    return;
  }
  bar.dataset.state = snap.state.state;
  bar.dataset.connection = snap.connection.status;
  $('agent-id').textContent = snap.agent.id;
  $('agent-name').textContent = snap.agent.name || '';
  $('state-word').textContent = stateWord(snap.state);
  $('state-word').title = '';

  const queued = snap.queued_presence;
  $('queued').hidden = !queued;
  if (queued) {
    const word = t(`queued.${queued.presence}`);
    $('queued').textContent = queued.reason ? `${word}·${reasonWord(queued.reason)}` : word;
  }

  const missed = snap.missed.length;
  $('missed').hidden = missed === 0;
  $('missed').textContent = t('missed', { count: missed });

  renderConnection(snap.connection);
  renderCall();
  renderButtons();
  renderTimers();
}

function renderConnection(c) {
  const el = $('connection');
  el.dataset.status = c.status;
  el.textContent = t(`connection.${c.status}`, c);
  el.title = c.reason || '';
}

function renderCall() {
  const call = snap.calls[0];
  $('call').hidden = !call;
  if (!call) return;
  $('call').dataset.direction = call.direction;
  $('call-dir').textContent = call.direction === 'inbound' ? '↙' : '↗';
  $('call-dir').title = t(`call.${call.direction}`);
  const number = call.masked ? maskNumber(call.remote_number) : call.remote_number;
  $('call-number').textContent = call.remote_name ? `${number} ${call.remote_name}` : number;
  $('call-party').hidden = !call.consult_party;
  $('call-party').textContent = call.consult_party ? t('call.consult', { party: call.consult_party }) : '';
}

/** Timers move every second between snapshots, from the snapshot's own count. */
function renderTimers() {
  if (!snap) return;
  const passed = elapsedSecs();
  if (snap.wrap_up) {
    $('state-timer').textContent = clock(snap.wrap_up.remaining_secs - passed, false);
  } else {
    $('state-timer').textContent = clock(snap.state_secs + passed, true);
  }
  const call = snap.calls[0];
  if (call) {
    const since = call.answered_at_ms ?? call.started_at_ms;
    $('call-timer').textContent = clock((Date.now() - since) / 1000, false);
  }
}

/** Why an operation cannot be done on this server, or null. */
function whyNot(operation) {
  const cap = snap && snap.capabilities[operation];
  if (!cap) return t('cap.not_offered');
  return cap.support === 'unavailable' ? cap.note : null;
}

function renderButtons() {
  const presence = snap ? snap.presence.presence : null;
  const signedIn = presence !== null && presence !== 'signed_out';
  const inFlight = new Set(snap ? snap.in_flight : []);
  const controls = [
    [$('btn-sign-in'), 'sign_in', presence === 'signed_out'],
    [$('btn-sign-out'), 'sign_out', signedIn],
    [$('btn-ready'), 'ready', signedIn && (presence !== 'ready' || Boolean(snap.queued_presence))],
    [$('sel-not-ready'), 'ready', signedIn],
    // The engine ends wrap-up itself, whatever the server offers.
    [$('btn-finish-wrap-up'), null, Boolean(snap && snap.wrap_up)],
  ];
  for (const [el, operation, sensible] of controls) {
    const why = snap && operation ? whyNot(operation) : null;
    el.disabled = !snap || !sensible || Boolean(why);
    el.title = why || '';
    el.classList.toggle('busy', inFlight.has(el.dataset.command));
  }
  $('btn-finish-wrap-up').hidden = !(snap && snap.wrap_up);
  fillReasons(snap ? snap.pause_reasons : []);
}

/** The not-ready list: a title option, then the server's (or default) reasons. */
function fillReasons(reasons) {
  const sel = $('sel-not-ready');
  const key = reasons.join('\n');
  if (sel.dataset.reasons === key && sel.options.length) return;
  sel.dataset.reasons = key;
  sel.replaceChildren(new Option(t('action.not_ready'), '', true, true));
  sel.options[0].disabled = true;
  for (const code of reasons) {
    sel.append(new Option(reasonWord(code), code));
  }
}

// ---- toasts -----------------------------------------------------------------------------

function toast(text, kind = 'info') {
  const el = $('toast');
  el.textContent = text;
  el.dataset.kind = kind;
  el.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => {
    el.hidden = true;
  }, TOAST_MS);
}

// ---- data in ----------------------------------------------------------------------------

function applySnapshot(s) {
  // A pulled snapshot may cross a pushed newer one: never step back.
  if (snap && s.last_event_seq < snap.last_event_seq) return;
  snap = s;
  receivedAt = Date.now();
  unavailable = null;
  clearTimeout(retryTimer);
  render();
}

function onEvent(ev) {
  if (ev.type === 'command_failed') {
    toast(errorText(ev.error), 'error');
  } else if (ev.type === 'command_succeeded' && ev.message) {
    toast(ev.message);
  } else if (ev.type === 'warning') {
    toast(ev.message, 'warning');
  }
  // Everything else reaches the page as the next snapshot.
}

function onStatus(status) {
  if (status === 'live') {
    refresh();
  } else if (snap) {
    $('connection').dataset.status = 'failed';
    $('connection').textContent = t('connection.api_lost');
  }
}

async function refresh() {
  try {
    applySnapshot(await transport.getSnapshot());
  } catch (err) {
    // No engine (start-up failed, local service down): say why where the state would be.
    snap = null;
    unavailable = toErrorInfo(err);
    render();
    clearTimeout(retryTimer);
    retryTimer = setTimeout(refresh, RETRY_MS);
  }
}

// ---- commands out -----------------------------------------------------------------------

async function send(command, el) {
  el.classList.add('busy');
  try {
    const outcome = await transport.execute(command);
    if (outcome && outcome.message) toast(outcome.message);
  } catch (err) {
    toast(errorText(err), 'error');
  } finally {
    el.classList.remove('busy');
  }
}

function wire() {
  for (const el of document.querySelectorAll('[data-i18n]')) {
    el.textContent = t(el.dataset.i18n);
  }
  document.documentElement.lang = lang;
  for (const btn of document.querySelectorAll('button[data-command]')) {
    btn.addEventListener('click', () => send({ op: btn.dataset.command }, btn));
  }
  const sel = $('sel-not-ready');
  sel.addEventListener('change', () => {
    const reason = sel.value;
    sel.selectedIndex = 0;
    if (reason) send({ op: 'set_not_ready', reason }, sel);
  });
}

async function start() {
  wire();
  render();
  try {
    // Listen first, then pull: nothing published in between is lost.
    await transport.subscribe({ onSnapshot: applySnapshot, onEvent, onStatus });
  } catch (err) {
    console.warn('subscribing failed', err);
  }
  await refresh();
  setInterval(renderTimers, 1000);
}

start();
