/**
 * Agent Bar JavaScript SDK: drive the agent bar on this PC from a CRM page.
 *
 * No dependencies, no build step. Load it as a classic script (defines `window.AgentBar`):
 *
 *     <script src="http://127.0.0.1:10800/sdk/agentbar.js"></script>
 *
 * or require/import it (CommonJS, AMD, bundlers). The HTTP contract it speaks is
 * `/api/v1/openapi.json` (docs/openapi.json in the repo).
 *
 * Security in one paragraph: the bar trusts pages by origin (its settings, or the agent's
 * "Allow" answer) or by the pairing token. `fetch` sends the token only as
 * `Authorization: Bearer`, never in a URL. `EventSource` and `WebSocket` cannot send headers,
 * so for the event stream the token goes in `?apiKey=` only when needed: with
 * `queryToken: 'auto'` (the default) the stream first connects without it (a trusted page
 * needs none) and adds it after a failed first attempt. The URL only ever goes to the bar on
 * loopback, which logs no query values; use `'never'` if the page is always trusted.
 *
 * @module agentbar
 */
(function (root, factory) {
  'use strict';
  if (typeof module === 'object' && module.exports) module.exports = factory();
  else if (typeof define === 'function' && define.amd) define([], factory);
  else root.AgentBar = factory();
})(typeof globalThis !== 'undefined' ? globalThis : typeof self !== 'undefined' ? self : this, function () {
  'use strict';

  /** Every engine event type (the SSE `event:` names); EventSource needs each by name. */
  const EVENT_TYPES = [
    'state_changed', 'call_offered', 'call_updated', 'call_answered', 'call_ended',
    'call_missed', 'connection_changed', 'presence_queued', 'wrap_up_started', 'wrap_up_ended',
    'command_succeeded', 'command_failed', 'team_updated', 'warning', 'ui', 'crm_call_result',
  ];
  /** What `onCall` listens to. */
  const CALL_EVENTS = ['call_offered', 'call_answered', 'call_ended', 'call_updated'];

  /** What to tell a developer (or the agent) about refusals they can act on. */
  const HINTS = {
    approval_pending: 'Agent Bar is asking the agent whether this page may control it: ' +
      'the agent must click Allow in the bar, then try again.',
    too_many_pending: 'Agent Bar already has questions waiting for the agent; answer them in the bar, then try again.',
    origin_denied: 'The agent denied this page; it stays refused until the bar restarts or the agent trusts it in the settings.',
    token_required: 'Pass the pairing token from Agent Bar\'s settings: AgentBar.connect({ token }).',
    bad_token: 'The token is not the one in Agent Bar\'s settings (it may have been rotated).',
    rate_limited: 'Too many commands at once; try again after retryAfter seconds.',
    network: 'Is Agent Bar running at this address? If it is, it may be refusing this page: ' +
      'the browser hides refusals to pages the bar does not trust yet. Look in the bar for ' +
      '"Allow <this site> to control Agent Bar?".',
  };

  /**
   * A refusal or failure. `code` is the API's stable error code (`invalid_state`,
   * `approval_pending`, ...) or one of the SDK's own: `network` (no answer readable),
   * `bad_response`, `stream_lost`, `closed`, `no_transport`.
   */
  class AgentBarError extends Error {
    /**
     * @param {string} code
     * @param {string} message
     * @param {number} [status] HTTP status; 0 when there was no readable answer.
     * @param {{hint?: string, retryAfter?: number, retryIn?: number, cause?: *}} [extra]
     */
    constructor(code, message, status, extra) {
      const hint = (extra && extra.hint) || HINTS[code];
      super(hint ? message + ' (' + hint + ')' : message);
      this.name = 'AgentBarError';
      this.code = code;
      this.status = status || 0;
      /** What to do about it, when something can be done. */
      this.hint = hint || null;
      Object.assign(this, extra || {});
    }
  }

  /** The `id` of a Call, or the id itself. */
  function idOf(call) {
    return call && typeof call === 'object' ? call.id : call;
  }

  /**
   * One connection to the bar: HTTP calls plus one event stream, reconnected with backoff.
   * Create it with {@link connect}.
   */
  class Client {
    /** @param {ConnectOptions} o */
    constructor(o) {
      const g = typeof globalThis !== 'undefined' ? globalThis : {};
      /** The bar's base URL, without a trailing slash. */
      this.base = String(o.base || 'http://127.0.0.1:10800').replace(/\/+$/, '');
      /** The last snapshot received on the event stream (fresh after every reconnect). */
      this.snapshot = null;
      /** Whether the event stream is up (it has delivered its snapshot). */
      this.connected = false;
      this._token = o.token || null;
      this._ws = o.transport === 'ws';
      this._queryToken = o.queryToken || 'auto';
      this._inUrl = !!this._token && this._queryToken === 'always';
      // Wrapped, not stored bare: browsers refuse `fetch`/`setTimeout` called on another `this`.
      this._fetch = o.fetch || (g.fetch ? (u, i) => g.fetch(u, i)
        : () => Promise.reject(new Error('fetch is not available here; pass one to connect()')));
      this._EventSource = o.EventSource || g.EventSource;
      this._WebSocket = o.WebSocket || g.WebSocket;
      this._later = o.setTimeout || ((f, ms) => setTimeout(f, ms));
      this._cancel = o.clearTimeout || ((t) => clearTimeout(t));
      this._retryMin = o.retryMin || 500;
      this._retryMax = o.retryMax || 30000;
      this._handlers = {};
      this._attempt = 0;
      this._source = null;
      this._timer = null;
      this._closed = false;
      this._aborter = typeof AbortController === 'function' ? new AbortController() : null;
      // Opened after the caller's synchronous `on(...)` calls, so none misses the snapshot.
      if (o.events !== false) Promise.resolve().then(() => this._open());
    }

    // ------------------------------------------------------------------ HTTP

    /**
     * One JSON request; resolves to the answer body (`ok: true`), rejects with AgentBarError.
     * @param {string} method @param {string} path @param {object} [body]
     */
    async request(method, path, body) {
      if (this._closed) throw new AgentBarError('closed', 'this connection to Agent Bar was closed');
      const headers = {};
      if (this._token) headers.Authorization = 'Bearer ' + this._token;
      if (body !== undefined) headers['Content-Type'] = 'application/json';
      let res;
      try {
        res = await this._fetch(this.base + path, {
          method: method,
          headers: headers,
          body: body === undefined ? undefined : JSON.stringify(body),
          mode: 'cors',
          credentials: 'omit',
          cache: 'no-store',
          signal: this._aborter ? this._aborter.signal : undefined,
        });
      } catch (e) {
        if (this._closed) throw new AgentBarError('closed', 'this connection to Agent Bar was closed');
        throw new AgentBarError('network', 'no answer from Agent Bar at ' + this.base + ' (' + ((e && e.message) || e) + ')', 0, { cause: e });
      }
      let data = null;
      try { data = JSON.parse(await res.text()); } catch (_) { /* not JSON: below */ }
      if (res.ok && data && data.ok === true) return data;
      if (data && data.error && data.error.code) {
        const after = Number(res.headers && res.headers.get && res.headers.get('Retry-After'));
        throw new AgentBarError(data.error.code, String(data.error.message || data.error.code), res.status,
          after > 0 ? { retryAfter: after } : undefined);
      }
      throw new AgentBarError('bad_response', 'unexpected answer (HTTP ' + res.status + ') to ' + method + ' ' + path, res.status);
    }

    /** @returns {Promise<object>} the Snapshot (agent, state, calls, capabilities, ...). */
    state() { return this.request('GET', '/api/v1/state').then((d) => d.snapshot); }

    /** @returns {Promise<{vendor: string, capabilities: Object<string, {support: string, note: string}>}>} */
    capabilities() {
      return this.request('GET', '/api/v1/capabilities')
        .then((d) => ({ vendor: d.vendor, capabilities: d.capabilities }));
    }

    /**
     * Runs one command, e.g. `{op: 'dial', number: '82754888'}` (see the API's `Command`).
     * @returns {Promise<{message: ?string, data: *}>} the outcome.
     */
    command(cmd) { return this.request('POST', '/api/v1/commands', cmd).then((d) => d.outcome); }

    /** @param {string} number @param {Object<string,string>} [attached] data to carry with the call */
    dial(number, attached) {
      const c = { op: 'dial', number: String(number) };
      if (attached) c.attached = attached;
      return this.command(c);
    }
    /** @param {string|object} [call] a call id or Call; the current call when absent */
    hangup(call) { return this.command(withCall('hangup', call)); }
    /** @param {string|object} [call] a call id or Call; the ringing call when absent */
    answer(call) { return this.command(withCall('answer', call)); }
    hold() { return this.command({ op: 'hold' }); }
    resume() { return this.command({ op: 'resume' }); }
    /** Blind transfer. @param {string} target */
    transfer(target) { return this.command({ op: 'transfer', target: String(target) }); }
    /** @param {string} target */
    consult(target) { return this.command({ op: 'consult', target: String(target) }); }
    /** @param {string} [target] absent while consulting: conference the consulted party */
    conference(target) {
      return this.command(target == null ? { op: 'conference' } : { op: 'conference', target: String(target) });
    }
    /** @param {string} digits */
    dtmf(digits) { return this.command({ op: 'dtmf', digits: String(digits) }); }
    /** @param {string} target the IVR (context, flow or id as the vendor names them) */
    toIvr(target) { return this.command({ op: 'to_ivr', target: String(target) }); }
    setReady() { return this.command({ op: 'set_ready' }); }
    /** @param {string} reason a pause-reason code (`snapshot.pause_reasons`), e.g. `lunch` */
    setNotReady(reason) { return this.command({ op: 'set_not_ready', reason: String(reason) }); }
    signIn() { return this.command({ op: 'sign_in' }); }
    signOut() { return this.command({ op: 'sign_out' }); }

    /**
     * Calls handled, newest first.
     * @param {{limit?: number, before?: number, number?: string}} [opts] `before` is Unix ms
     *   (ignored with `number`).
     * @returns {Promise<object[]>} CallRecords.
     */
    history(opts) {
      const q = [];
      ['limit', 'before', 'number'].forEach((k) => {
        if (opts && opts[k] != null) q.push(k + '=' + encodeURIComponent(opts[k]));
      });
      return this.request('GET', '/api/v1/history' + (q.length ? '?' + q.join('&') : ''))
        .then((d) => d.calls);
    }

    // ---------------------------------------------------------------- events

    /**
     * Listens to `type`: an engine event type (`call_offered`, ...; the handler gets the
     * event), `snapshot` (the Snapshot: first message of every connection), `lagged`, `error`
     * (an AgentBarError about the stream), or `*` (everything but `error`, type second).
     * @returns {function(): void} unsubscribes.
     */
    on(type, fn) {
      const list = this._handlers[type] || (this._handlers[type] = []);
      list.push(fn);
      return () => {
        const i = list.indexOf(fn);
        if (i >= 0) list.splice(i, 1);
      };
    }

    /** `fn(call, type, event)` on call_offered, call_answered, call_ended, call_updated. */
    onCall(fn) {
      const offs = CALL_EVENTS.map((t) => this.on(t, (ev) => fn(ev.call, t, ev)));
      return () => offs.forEach((off) => off());
    }

    /** `fn(state, presence)` with the snapshot's state, then on every state_changed. */
    onState(fn) {
      const a = this.on('snapshot', (s) => fn(s.state, s.presence));
      const b = this.on('state_changed', (e) => fn(e.state, e.presence));
      return () => { a(); b(); };
    }

    /** `fn(error)`: the stream was lost (it reconnects by itself) or cannot start. */
    onError(fn) { return this.on('error', fn); }

    /** Stops the stream, the reconnect timer and requests in flight; drops all handlers. */
    close() {
      this._closed = true;
      this.connected = false;
      if (this._timer !== null) this._cancel(this._timer);
      this._timer = null;
      const s = this._source;
      this._source = null;
      if (s) s.close();
      if (this._aborter) this._aborter.abort();
      this._handlers = {};
    }

    _emit(type, payload) {
      const fns = (this._handlers[type] || []).concat(type === 'error' ? [] : this._handlers['*'] || []);
      fns.forEach((fn) => {
        // One faulty handler must not stop the others or the stream.
        try { fn(payload, type); } catch (e) { if (typeof console !== 'undefined') console.error(e); }
      });
    }

    _open() {
      if (this._closed || this._source) return;
      const query = this._inUrl ? '?apiKey=' + encodeURIComponent(this._token) : '';
      const Ctor = this._ws ? this._WebSocket : this._EventSource;
      if (!Ctor) {
        this._emit('error', new AgentBarError('no_transport', (this._ws ? 'WebSocket' : 'EventSource') +
          ' is not available here; pass one to connect() or use { events: false }'));
        return;
      }
      let s;
      if (this._ws) {
        s = new Ctor(this.base.replace(/^http/, 'ws') + '/api/v1/ws' + query);
        s.onmessage = (m) => {
          let msg;
          try { msg = JSON.parse(m.data); } catch (_) { return; }
          if (msg && msg.event) this._deliver(s, msg.event, msg.data);
        };
        s.onclose = (ev) => this._lost(s, 'the event socket closed (' + ((ev && ev.code) || 'no code') + ')');
      } else {
        s = new Ctor(this.base + '/api/v1/events' + query);
        ['snapshot', 'lagged'].concat(EVENT_TYPES).forEach((type) => {
          s.addEventListener(type, (m) => {
            let data;
            try { data = JSON.parse(m.data); } catch (_) { return; }
            this._deliver(s, type, data);
          });
        });
        // EventSource would retry by itself at its own pace; this SDK's backoff replaces it.
        s.onerror = () => this._lost(s, 'the event stream failed');
      }
      this._source = s;
    }

    _deliver(source, type, data) {
      if (source !== this._source) return;
      if (type === 'snapshot') {
        this.snapshot = data;
        this.connected = true;
        this._attempt = 0;
      }
      this._emit(type, data);
      // Events were missed: the view is stale. A new connection starts with a fresh snapshot.
      if (type === 'lagged' && this._source === source) {
        this._source = null;
        source.close();
        this._open();
      }
    }

    _lost(source, why) {
      if (source !== this._source || this._closed) return;
      this._source = null;
      source.close();
      // Refused before any message: maybe the page is not trusted by origin, so the token
      // (which EventSource/WebSocket can only carry in the URL) is needed from now on.
      if (!this.connected && this._token && this._queryToken === 'auto') this._inUrl = true;
      this.connected = false;
      const delay = Math.min(this._retryMax, this._retryMin * Math.pow(2, this._attempt++));
      this._emit('error', new AgentBarError('stream_lost', why + '; reconnecting in ' + delay + ' ms', 0, { retryIn: delay }));
      this._timer = this._later(() => { this._timer = null; this._open(); }, delay);
    }
  }

  function withCall(op, call) {
    const id = idOf(call);
    return id == null ? { op: op } : { op: op, call: String(id) };
  }

  /**
   * @typedef {object} ConnectOptions
   * @property {string} [base] the bar's URL (default `http://127.0.0.1:10800`)
   * @property {string} [token] the pairing token from the bar's settings
   * @property {'sse'|'ws'} [transport] the event stream (default `sse`)
   * @property {'auto'|'always'|'never'} [queryToken] when the stream carries `?apiKey=`
   * @property {boolean} [events] `false`: no event stream (commands only)
   * @property {number} [retryMin] first reconnect delay, ms (default 500; doubles to retryMax)
   * @property {number} [retryMax] longest reconnect delay, ms (default 30000)
   * @property {Function} [fetch] @property {Function} [EventSource] @property {Function} [WebSocket]
   * @property {Function} [setTimeout] @property {Function} [clearTimeout] (for tests)
   */

  /**
   * Connects to the bar and opens the event stream.
   * @param {ConnectOptions} [options]
   * @returns {Client}
   */
  function connect(options) {
    return new Client(options || {});
  }

  return { connect: connect, AgentBarError: AgentBarError, Client: Client, EVENT_TYPES: EVENT_TYPES, version: '1.0.0' };
});
