// How the page reaches the engine. Two implementations of one interface:
//   - Tauri IPC, inside the desktop app (`window.__TAURI__`, from `app.withGlobalTauri`);
//   - the local HTTP API, in a plain browser, so the same page can be tested in headless
//     Chromium against the headless runner.
//
// Interface:
//   kind                                  'tauri' | 'http'
//   getSnapshot(): Promise<Snapshot>
//   execute(command): Promise<CommandOutcome>   command is the engine's JSON, e.g.
//                                               {op: 'set_not_ready', reason: 'lunch'}
//   subscribe({onSnapshot, onEvent, onStatus}): Promise<() => void>
//                                               onStatus('live' | 'lost')
// Every failure rejects with the core's error shape {code, message}.

/** The engine's event kinds (`EventKind`'s `type`), also the SSE event names. */
export const EVENT_KINDS = [
  'state_changed',
  'call_offered',
  'call_updated',
  'call_answered',
  'call_ended',
  'call_missed',
  'connection_changed',
  'presence_queued',
  'wrap_up_started',
  'wrap_up_ended',
  'command_succeeded',
  'command_failed',
  'team_updated',
  'warning',
  'ui',
];

/** The transport for this page: Tauri IPC when inside the app, else HTTP on this origin. */
export function createTransport(win = window) {
  if (win.__TAURI__ && win.__TAURI__.core) {
    return tauriTransport(win.__TAURI__);
  }
  return httpTransport(win, '');
}

/** Turns anything thrown into `{code, message}`. */
export function toErrorInfo(err) {
  if (err && typeof err === 'object') {
    if (typeof err.code === 'string' && 'message' in err) {
      return { code: err.code, message: String(err.message) };
    }
    // An API may wrap it: {"error": {"code": ..., "message": ...}}.
    if (err.error && typeof err.error === 'object') {
      return toErrorInfo(err.error);
    }
    if (err instanceof Error) {
      return { code: 'transport', message: err.message };
    }
  }
  return { code: 'transport', message: String(err) };
}

export function tauriTransport(tauri) {
  const { invoke } = tauri.core;
  const { listen } = tauri.event;
  const call = async (cmd, args) => {
    try {
      return await invoke(cmd, args);
    } catch (err) {
      throw toErrorInfo(err);
    }
  };
  return {
    kind: 'tauri',
    getSnapshot: () => call('get_snapshot'),
    execute: (command) => call('execute', { command }),
    async subscribe({ onSnapshot, onEvent, onStatus }) {
      const unlisten = await Promise.all([
        listen('snapshot', (e) => onSnapshot(e.payload)),
        listen('engine-event', (e) => onEvent(e.payload)),
      ]);
      onStatus('live');
      return () => unlisten.forEach((f) => f());
    },
  };
}

export function httpTransport(win, base) {
  const request = async (path, init = {}) => {
    let res;
    try {
      res = await win.fetch(base + path, {
        ...init,
        headers: { Accept: 'application/json', ...(init.headers || {}) },
      });
    } catch (err) {
      throw toErrorInfo(err);
    }
    const text = await res.text();
    let body = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      // Not JSON: keep the text for the error below.
    }
    if (!res.ok) {
      throw body ? toErrorInfo(body) : { code: 'transport', message: `HTTP ${res.status} ${text}`.trim() };
    }
    return body;
  };
  return {
    kind: 'http',
    getSnapshot: () => request('/api/v1/state'),
    execute: (command) =>
      request('/api/v1/commands', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(command),
      }),
    async subscribe({ onSnapshot, onEvent, onStatus }) {
      const source = new win.EventSource(base + '/api/v1/events');
      const parse = (handler) => (msg) => {
        try {
          handler(JSON.parse(msg.data));
        } catch (err) {
          console.warn('bad SSE data', err);
        }
      };
      source.addEventListener('snapshot', parse(onSnapshot));
      EVENT_KINDS.forEach((kind) => source.addEventListener(kind, parse(onEvent)));
      // Unnamed messages carry an Event too (its `type` says which).
      source.onmessage = parse(onEvent);
      // EventSource reconnects by itself; the page re-reads the state when it is back.
      source.onopen = () => onStatus('live');
      source.onerror = () => onStatus('lost');
      return () => source.close();
    },
  };
}
