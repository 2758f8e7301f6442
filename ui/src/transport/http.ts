//! The transport in a plain browser: the local HTTP API (`docs/local-api.md`) and its SSE
//! stream. Paths are relative to the API root, so the page works at `/ui/` on the listener.
import type { AuditEntry, CallRecord, EngineEvent, EventType, PolicyView, Snapshot } from '../types';
import { toErrorInfo } from './errors';
import type { PolicyApi, Transport, Unsubscribe } from './types';

/** Every event type, which is also the SSE event name. */
export const EVENT_TYPES: EventType[] = [
  'call_offered', 'call_updated', 'call_answered', 'call_ended', 'call_missed',
  'state_changed', 'connection_changed', 'presence_queued', 'wrap_up_started',
  'wrap_up_ended', 'command_succeeded', 'command_failed', 'team_updated', 'warning', 'ui',
  'crm_call_result',
];

/**
 * The API root, ending in `/`: `?api=http://127.0.0.1:10800` wins (development); else the
 * origin the page came from (the listener serves the page under `/ui/`, the API at `/api/v1/`).
 */
export function apiRootFrom(loc: { search: string; origin: string }): string {
  const override = new URLSearchParams(loc.search).get('api');
  const root = override && /^https?:\/\//.test(override) ? override : loc.origin;
  return root.endsWith('/') ? root : root + '/';
}

const REFRESH_DEBOUNCE_MS = 60;
/** How often the browser asks for the policy (pages waiting for the agent, the mode). */
export const POLICY_POLL_MS = 2000;

/** What the transport takes from the browser; tests pass fakes. */
export interface HttpDeps {
  fetch: typeof fetch;
  EventSource: typeof EventSource;
}

const browserDeps = (): HttpDeps => ({
  fetch: (input, init) => globalThis.fetch(input, init),
  EventSource: globalThis.EventSource,
});

export function createHttpTransport(root: string, win: HttpDeps = browserDeps()): Transport {
  async function request<T>(path: string, init?: RequestInit): Promise<T> {
    let res: Response;
    try {
      res = await win.fetch(root + path, {
        ...init,
        headers: { Accept: 'application/json', ...(init?.headers ?? {}) },
      });
    } catch (err) {
      throw toErrorInfo(err);
    }
    const text = await res.text();
    let body: unknown = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      // Not JSON: the status line says enough.
    }
    if (!res.ok || (body as { ok?: boolean } | null)?.ok === false) {
      throw body ? toErrorInfo(body) : { code: 'transport', message: `HTTP ${res.status}` };
    }
    return body as T;
  }

  // One EventSource shared by every subscriber; it reconnects by itself. The stream sends
  // the snapshot once, then events: after each event (or a `lagged`) the state is fetched
  // again, so snapshot subscribers always see the whole state.
  let source: EventSource | null = null;
  const snapshotSubs = new Set<(s: Snapshot) => void>();
  const eventSubs = new Set<(e: EngineEvent) => void>();
  const linkSubs = new Set<(up: boolean) => void>();
  let refresh: ReturnType<typeof setTimeout> | null = null;

  // Fetches may overlap and finish out of order: an answer older than the last snapshot
  // published (by `last_event_seq`) is dropped. The stream's own snapshot always wins, as
  // a restarted engine counts from zero again.
  let newestSeq = -1;
  const publish = (s: Snapshot) => {
    newestSeq = s.last_event_seq;
    snapshotSubs.forEach((cb) => cb(s));
  };
  function scheduleRefresh() {
    if (refresh) return;
    refresh = setTimeout(() => {
      refresh = null;
      request<{ snapshot: Snapshot }>('api/v1/state').then(
        (b) => b.snapshot.last_event_seq >= newestSeq && publish(b.snapshot),
        () => {},
      );
    }, REFRESH_DEBOUNCE_MS);
  }
  function parse(m: Event): unknown {
    try {
      return JSON.parse((m as MessageEvent<string>).data);
    } catch {
      return null;
    }
  }
  function ensureSource() {
    if (source) return;
    source = new win.EventSource(root + 'api/v1/events');
    source.addEventListener('snapshot', (m) => {
      const s = parse(m) as Snapshot | null;
      if (s) publish(s);
    });
    source.addEventListener('lagged', scheduleRefresh);
    for (const type of EVENT_TYPES) {
      source.addEventListener(type, (m) => {
        const e = parse(m) as EngineEvent | null;
        if (!e) return;
        eventSubs.forEach((cb) => cb(e));
        scheduleRefresh();
      });
    }
    source.onopen = () => linkSubs.forEach((cb) => cb(true));
    source.onerror = () => linkSubs.forEach((cb) => cb(false));
  }
  function sub<T>(set: Set<(v: T) => void>, cb: (v: T) => void): Unsubscribe {
    set.add(cb);
    ensureSource();
    return () => {
      set.delete(cb);
      if (source && snapshotSubs.size + eventSubs.size + linkSubs.size === 0) {
        source.close();
        source = null;
      }
    };
  }

  // The policy has no stream of its own: one poll shared by every subscriber, a request at a
  // time. A refusal (`bar_only` for a page that is not the bar's own, a listener without the
  // route) stops it: asking again would only fill the audit log. A lost link does not.
  const policySubs = new Set<(v: PolicyView) => void>();
  let policyTimer: ReturnType<typeof setTimeout> | null = null;
  let policyRunning = false;
  async function pollPolicy() {
    policyTimer = null;
    if (!policySubs.size) return;
    policyRunning = true;
    let again = true;
    try {
      const b = await request<{ policy: PolicyView }>('api/v1/policy');
      policySubs.forEach((cb) => cb(b.policy));
    } catch (err) {
      again = toErrorInfo(err).code === 'transport';
    } finally {
      policyRunning = false;
    }
    if (again && policySubs.size && !policyTimer) policyTimer = setTimeout(() => void pollPolicy(), POLICY_POLL_MS);
  }
  const policy: PolicyApi = {
    view: async () => (await request<{ policy: PolicyView }>('api/v1/policy')).policy,
    onView: (cb) => {
      policySubs.add(cb);
      if (!policyTimer && !policyRunning) void pollPolicy();
      return () => {
        policySubs.delete(cb);
        if (!policySubs.size && policyTimer) {
          clearTimeout(policyTimer);
          policyTimer = null;
        }
      };
    },
    answer: async (origin, answer) => {
      await request('api/v1/policy/answer', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ origin, answer }),
      });
    },
    audit: async (limit) =>
      (await request<{ entries: AuditEntry[] }>(`api/v1/audit?limit=${encodeURIComponent(String(limit))}`)).entries,
  };

  return {
    kind: 'http',
    policy,
    snapshot: async () => (await request<{ snapshot: Snapshot }>('api/v1/state')).snapshot,
    execute: async (command) => {
      const body = await request<{ outcome: { message: string | null; data: unknown } }>(
        'api/v1/commands',
        {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(command),
        },
      );
      return body.outcome;
    },
    history: async (q) => {
      const params = new URLSearchParams();
      if (q.limit !== undefined) params.set('limit', String(q.limit));
      if (q.beforeMs !== undefined) params.set('before', String(q.beforeMs));
      if (q.number) params.set('number', q.number);
      const qs = params.toString();
      const body = await request<{ calls: CallRecord[] }>(`api/v1/history${qs ? '?' + qs : ''}`);
      return body.calls;
    },
    onSnapshot: (cb) => sub(snapshotSubs, cb),
    onEvent: (cb) => sub(eventSubs, cb),
    onLink: (cb) => sub(linkSubs, cb),
    recordingUrl: (name) => root + 'api/v1/recordings/' + encodeURIComponent(name),
  };
}
