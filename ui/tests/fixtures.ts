// Snapshots and calls as the engine sends them (field for field), for the tests.
import { vi } from 'vitest';
import type { Transport } from '../src/transport';
import type { Call, CapabilitySet, EngineEvent, Settings, Snapshot } from '../src/types';

export const ALL_SERVER: CapabilitySet = Object.fromEntries(
  [
    'sign_in', 'sign_out', 'ready', 'pause_reasons', 'dial', 'answer', 'hangup', 'hold', 'consult',
    'take_back', 'blind_transfer', 'attended_transfer', 'conference', 'conference_control', 'dtmf',
    'to_ivr', 'collect_digits', 'pick_up', 'monitor', 'whisper', 'barge', 'force_release',
    'wrap_up', 'team_status', 'queue_status', 'recordings', 'attached_data',
  ].map((op) => [op, { support: 'server', note: `does ${op}` }]),
);

/** MVB2000's gaps, as its adapter declares them. */
export const NO_HOLD_NO_ANSWER: CapabilitySet = {
  ...ALL_SERVER,
  hold: { support: 'unavailable', note: "WEBCTI2 has no hold: use the phone's hold key" },
  answer: { support: 'unavailable', note: 'WEBCTI2 cannot answer: pick up the phone' },
};

export function makeCall(over: Partial<Call> = {}): Call {
  return {
    id: '1718.42', direction: 'inbound', state: 'talking', remote_number: '13800138000',
    remote_name: null, masked: false, did: '4008001234', queue: 'sales', ivr_keys: '1-2',
    hold_time_secs: 12, area: { areacode: '010', city: '北京', province: '北京' },
    attached: { order: 'A-1' }, consult_party: null, conference: [], recording: null,
    detected_by: 'poll', started_at_ms: 1_700_000_000_000, answered_at_ms: 1_700_000_005_000,
    ended_at_ms: null, outcome: null,
    ...over,
  };
}

export function makeSnapshot(over: Partial<Snapshot> = {}): Snapshot {
  return {
    vendor: 'mvb2000',
    agent: { id: '8005', name: '张三', extension: '2011', supervisor: false },
    state: { state: 'ready' },
    state_since_ms: 1_700_000_000_000,
    state_secs: 751,
    presence: { presence: 'ready' },
    queued_presence: null,
    wrap_up: null,
    connection: { status: 'connected' },
    calls: [],
    missed: [],
    capabilities: ALL_SERVER,
    pause_reasons: ['rest', 'lunch', 'meeting', 'training', 'leave', 'other'],
    state_totals: [],
    in_flight: [],
    warnings: [],
    team: null,
    last_event_seq: 7,
    ...over,
  };
}

/** A snapshot with one call in `state` (talking by default). */
export function inCall(call: Partial<Call> = {}, over: Partial<Snapshot> = {}): Snapshot {
  const c = makeCall(call);
  const state = c.state === 'ended' ? 'ready' : c.state;
  return makeSnapshot({ state: { state } as Snapshot['state'], calls: [c], ...over });
}

export function event(kind: Record<string, unknown>, seq = 1): EngineEvent {
  return { seq, at_ms: 1_700_000_000_000, ...kind } as EngineEvent;
}

/** A transport that serves `snap` and records commands; `emit` drives its listeners. */
export function fakeTransport(snap: Snapshot, extra: Partial<Transport> = {}) {
  const snapshotCbs: ((s: Snapshot) => void)[] = [];
  const eventCbs: ((e: EngineEvent) => void)[] = [];
  const transport: Transport = {
    kind: 'http',
    snapshot: vi.fn(async () => snap),
    execute: vi.fn(async () => ({ message: null, data: null })),
    history: vi.fn(async () => []),
    onSnapshot: (cb) => (snapshotCbs.push(cb), () => {}),
    onEvent: (cb) => (eventCbs.push(cb), () => {}),
    ...extra,
  };
  return {
    transport,
    pushSnapshot: (s: Snapshot) => snapshotCbs.forEach((cb) => cb(s)),
    emit: (e: EngineEvent) => eventCbs.forEach((cb) => cb(e)),
  };
}

/** Saved desktop settings (an MVB2000 profile), with `profile` fields replaced. */
export function savedSettings(profile: Partial<Settings['profile']> = {}): Settings {
  return {
    language: 'zh-CN', always_on_top: true, notifications: true, start_at_login: false,
    crm: { url_template: '', open_on: 'never', open_in: 'browser' },
    hotkeys: { answer: '', hangup: '', ready_toggle: '', focus_dial: '' },
    profile: {
      vendor: 'mvb2000', base_url: 'http://10.0.0.5', agent_id: '8005', agent_name: '张三',
      extension: '2011', queues: ['5090'], poll_interval_ms: 1500, pause_reasons: ['lunch'],
      wrap_up_secs: 0, supervisor: false, local_api: { enabled: true, address: '127.0.0.1:10800', policy: 'prompt', trusted_origins: [] },
      orgidentity: '', push_address: '',
      ...profile,
    },
  };
}
