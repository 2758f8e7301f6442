// The example CRM page's logic: connect with the SDK, show the agent's state and the current
// call, and log every event. Plain script (no modules) so it runs from any static server.
(function () {
  'use strict';
  const $ = (id) => document.getElementById(id);
  const MAX_LOG = 200;
  let bar = null;
  /** The call shown in #call: the snapshot's active call, then whatever the events say. */
  let current = null;

  const params = new URLSearchParams(location.search);
  if (params.get('base')) $('base').value = params.get('base');

  function log(text) {
    const li = document.createElement('li');
    li.textContent = new Date().toLocaleTimeString() + '  ' + text;
    const list = $('events');
    list.insertBefore(li, list.firstChild);
    while (list.children.length > MAX_LOG) list.removeChild(list.lastChild);
  }

  function showError(e) {
    // AgentBarError messages already carry the hint (e.g. "click Allow in the bar").
    $('error').textContent = e ? (e.code ? e.code + ': ' : '') + e.message : '';
    if (e) log('error ' + (e.code || '') + ' ' + e.message);
  }

  function setStatus(status, text) {
    $('status').dataset.status = status;
    $('status').textContent = text;
  }

  function showState(state) {
    const word = state.state;
    $('state').dataset.state = word;
    $('state').textContent = word.replace(/_/g, ' ') + (state.reason ? ' (' + state.reason + ')' : '');
  }

  function showCall(call) {
    current = call;
    $('call').dataset.state = call ? call.state : '';
    $('call-number').textContent = call ? (call.masked ? '(hidden)' : call.remote_number) : '-';
    $('call-direction').textContent = call ? call.direction : '-';
    $('call-state').textContent = call ? call.state : '-';
  }

  function fillReasons(reasons) {
    const select = $('reason');
    const keep = select.value;
    select.textContent = '';
    (reasons.length ? reasons : ['rest']).forEach((r) => select.add(new Option(r, r)));
    if (reasons.includes(keep)) select.value = keep;
  }

  function connect() {
    if (bar) bar.close();
    showError(null);
    const base = $('base').value.trim();
    const token = $('token').value.trim() || undefined;
    setStatus('connecting', 'connecting to ' + base + '...');
    bar = AgentBar.connect({ base, token });
    bar.on('snapshot', (s) => {
      setStatus('connected', 'connected (' + s.vendor + ')');
      $('agent').textContent = s.agent.name ? s.agent.name + ' (' + s.agent.id + ')' : s.agent.id;
      fillReasons(s.pause_reasons || []);
      showCall(s.calls[0] || null);
      log('snapshot: ' + s.state.state + ', ' + s.calls.length + ' call(s)');
    });
    bar.onState((state) => showState(state));
    bar.onCall((call, type) => {
      // A new call replaces one that ended; updates of another live call do not.
      if (!current || current.id === call.id || current.state === 'ended') showCall(call);
      log(type + ' ' + (call.masked ? '(hidden)' : call.remote_number) + ' ' + call.direction + ' ' + call.state);
    });
    bar.on('*', (ev, type) => {
      if (type === 'snapshot' || /^call_(offered|answered|ended|updated)$/.test(type)) return;
      log(type + (ev.command ? ' ' + ev.command : '') + (ev.error ? ': ' + ev.error.message : ''));
    });
    bar.onError((e) => {
      setStatus('lost', 'disconnected, retrying');
      log(e.message);
    });
  }

  /** Runs a command from a button; errors go to #error. */
  function run(what, promise) {
    showError(null);
    promise.then((outcome) => log(what + ' ok' + (outcome && outcome.message ? ': ' + outcome.message : '')), showError);
  }

  $('connect').addEventListener('click', connect);
  $('ready').addEventListener('click', () => run('set_ready', bar.setReady()));
  $('notready').addEventListener('click', () => run('set_not_ready', bar.setNotReady($('reason').value)));
  $('dial').addEventListener('click', () => {
    const number = $('number').value.trim();
    if (!number) return showError({ code: 'invalid_input', message: 'enter a number first' });
    run('dial ' + number, bar.dial(number));
  });
  $('hangup').addEventListener('click', () => run('hangup', bar.hangup(current && current.state !== 'ended' ? current.id : undefined)));
  $('number').addEventListener('keydown', (e) => { if (e.key === 'Enter') $('dial').click(); });

  connect();
})();
