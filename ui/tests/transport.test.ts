import { describe, expect, it, vi } from 'vitest';
import { apiRootFrom, createHttpTransport, type HttpDeps } from '../src/transport/http';
import { toErrorInfo } from '../src/transport/errors';
import type { EngineEvent, Snapshot } from '../src/types';
import { makeSnapshot } from './fixtures';

function respond(status: number, body: unknown) {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

class FakeSource {
  static last: FakeSource;
  listeners = new Map<string, ((m: { data: string }) => void)[]>();
  onopen: (() => void) | null = null;
  onerror: (() => void) | null = null;
  closed = false;
  constructor(public url: string) {
    FakeSource.last = this;
  }
  addEventListener(name: string, cb: (m: { data: string }) => void) {
    this.listeners.set(name, [...(this.listeners.get(name) ?? []), cb]);
  }
  send(name: string, data: unknown) {
    this.listeners.get(name)?.forEach((cb) => cb({ data: JSON.stringify(data) }));
  }
  close() {
    this.closed = true;
  }
}

function transport(fetch: HttpDeps['fetch']) {
  return createHttpTransport('http://127.0.0.1:10800/', {
    fetch,
    EventSource: FakeSource as unknown as typeof EventSource,
  });
}

describe('HTTP transport', () => {
  it('finds the API root: same origin, or ?api= for development', () => {
    expect(apiRootFrom({ search: '', origin: 'http://127.0.0.1:10800' })).toBe('http://127.0.0.1:10800/');
    expect(apiRootFrom({ search: '?api=http://127.0.0.1:10899', origin: 'http://localhost:8000' })).toBe(
      'http://127.0.0.1:10899/',
    );
    expect(apiRootFrom({ search: '?api=javascript:x', origin: 'http://a' })).toBe('http://a/');
  });

  it('unwraps the snapshot', async () => {
    const snap = makeSnapshot();
    const fetch = vi.fn(async () => respond(200, { ok: true, snapshot: snap }));
    expect(await transport(fetch).snapshot()).toEqual(snap);
    expect(fetch).toHaveBeenCalledWith('http://127.0.0.1:10800/api/v1/state', expect.anything());
  });

  it('posts a command as JSON and returns its outcome', async () => {
    const fetch = vi.fn(async (_url: RequestInfo | URL, _init?: RequestInit) =>
      respond(200, { ok: true, command: 'dial', outcome: { message: 'ok', data: null } }),
    );
    const out = await transport(fetch).execute({ op: 'dial', number: '82754888' });
    expect(out).toEqual({ message: 'ok', data: null });
    const [url, init] = fetch.mock.calls[0];
    expect(url).toBe('http://127.0.0.1:10800/api/v1/commands');
    expect(init!.method).toBe('POST');
    expect(JSON.parse(init!.body as string)).toEqual({ op: 'dial', number: '82754888' });
  });

  it('rejects with the API error, and with transport when the network fails', async () => {
    const err = { ok: false, error: { code: 'not_supported', message: 'WEBCTI2 has no hold' } };
    await expect(transport(async () => respond(422, err)).execute({ op: 'hold' })).rejects.toEqual(err.error);
    await expect(
      transport(async () => {
        throw new TypeError('Failed to fetch');
      }).execute({ op: 'hold' }),
    ).rejects.toEqual({ code: 'transport', message: 'Failed to fetch' });
    await expect(transport(async () => new Response('oops', { status: 500 })).snapshot()).rejects.toMatchObject({
      code: 'transport',
    });
  });

  it('asks the history with limit, before and number', async () => {
    const fetch = vi.fn(async (_url: RequestInfo | URL, _init?: RequestInit) => respond(200, { ok: true, calls: [] }));
    await transport(fetch).history({ limit: 50, beforeMs: 1700, number: '138' });
    expect(fetch.mock.calls[0][0]).toBe('http://127.0.0.1:10800/api/v1/history?limit=50&before=1700&number=138');
  });

  it('follows the event stream: snapshot first, events by type, state fetched again', async () => {
    vi.useFakeTimers();
    const later = makeSnapshot({ last_event_seq: 9 });
    const fetch = vi.fn(async () => respond(200, { ok: true, snapshot: later }));
    const tr = transport(fetch);
    const snaps: Snapshot[] = [];
    const events: EngineEvent[] = [];
    const links: boolean[] = [];
    const stopS = tr.onSnapshot((s) => snaps.push(s));
    const stopE = tr.onEvent((e) => events.push(e));
    const stopL = tr.onLink!((up) => links.push(up));
    const src = FakeSource.last;
    expect(src.url).toBe('http://127.0.0.1:10800/api/v1/events');
    src.onopen?.();
    src.send('snapshot', makeSnapshot());
    src.send('call_offered', { seq: 8, at_ms: 1, type: 'call_offered', call: {} });
    expect(events.map((e) => e.type)).toEqual(['call_offered']);
    await vi.runAllTimersAsync();
    expect(snaps.map((s) => s.last_event_seq)).toEqual([7, 9]);
    src.onerror?.();
    expect(links).toEqual([true, false]);
    stopS();
    stopE();
    stopL();
    expect(src.closed).toBe(true);
    vi.useRealTimers();
  });

  it('turns anything thrown into ErrorInfo', () => {
    expect(toErrorInfo({ code: 'auth', message: 'no' })).toEqual({ code: 'auth', message: 'no' });
    expect(toErrorInfo('boom')).toEqual({ code: 'transport', message: 'boom' });
  });
});

describe('HTTP transport ordering', () => {
  it('drops a fetched snapshot older than the one already published', async () => {
    vi.useFakeTimers();
    const stale = makeSnapshot({ last_event_seq: 3 });
    const tr = transport(async () => respond(200, { ok: true, snapshot: stale }));
    const seqs: number[] = [];
    const stop = tr.onSnapshot((s) => seqs.push(s.last_event_seq));
    tr.onEvent(() => {});
    FakeSource.last.send('snapshot', makeSnapshot({ last_event_seq: 5 }));
    FakeSource.last.send('warning', { seq: 6, at_ms: 1, type: 'warning', code: 'x', message: 'y' });
    await vi.runAllTimersAsync();
    expect(seqs).toEqual([5]);
    stop();
    vi.useRealTimers();
  });
});
