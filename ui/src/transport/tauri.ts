//! The transport inside the desktop app: Tauri IPC commands and events.
import { invoke } from '@tauri-apps/api/core';
import { listen, type UnlistenFn } from '@tauri-apps/api/event';
import type {
  AuditEntry,
  CallRecord,
  EngineEvent,
  PolicyEvent,
  PolicyView,
  SecretStatus,
  Settings,
  Snapshot,
  TokenView,
} from '../types';
import { toErrorInfo } from './errors';
import type { PolicyApi, Transport, Unsubscribe } from './types';

/** The shell's `policy-event`: what happened, and the policy after it. */
interface PolicyUpdate {
  event: PolicyEvent;
  view: PolicyView;
}

/** IPC errors are already `ErrorInfo`; anything else is made into one. */
async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (err) {
    throw toErrorInfo(err);
  }
}

/** `listen` is async; the returned function unsubscribes whenever the listener is ready. */
function subscribe<T>(event: string, cb: (payload: T) => void): Unsubscribe {
  let stop: UnlistenFn | null = null;
  let stopped = false;
  void listen<T>(event, (e) => cb(e.payload)).then((f) => {
    if (stopped) f();
    else stop = f;
  });
  return () => {
    stopped = true;
    stop?.();
  };
}

/**
 * The policy over IPC: the view once, then the one each `policy-event` carries. A first
 * answer slower than an event is dropped, as the event's view is newer.
 */
export function tauriPolicy(
  call_: <T>(cmd: string, args?: Record<string, unknown>) => Promise<T> = call,
  subscribe_: <T>(event: string, cb: (payload: T) => void) => Unsubscribe = subscribe,
): PolicyApi {
  return {
    view: () => call_<PolicyView>('policy_view'),
    onView: (cb) => {
      let heard = false;
      const stop = subscribe_<PolicyUpdate>('policy-event', (u) => {
        heard = true;
        cb(u.view);
      });
      call_<PolicyView>('policy_view').then(
        (v) => !heard && cb(v),
        () => {},
      );
      return stop;
    },
    answer: (origin, answer) => call_('policy_answer', { origin, answer }),
    audit: (limit) => call_<AuditEntry[]>('policy_audit', { limit }),
  };
}

export function createTauriTransport(): Transport {
  return {
    kind: 'tauri',
    snapshot: () => call<Snapshot>('get_snapshot'),
    execute: (command) => call('execute', { command }),
    history: (q) =>
      call<CallRecord[]>('history', {
        limit: q.limit ?? null,
        beforeMs: q.beforeMs ?? null,
        number: q.number ?? null,
      }),
    onSnapshot: (cb) => subscribe<Snapshot>('snapshot', cb),
    onEvent: (cb) => subscribe<EngineEvent>('engine-event', cb),
    settings: {
      get: () => call<Settings>('get_settings'),
      save: (settings) => call('save_settings', { settings }),
      setSecret: (secret) => call('set_secret', { secret }),
      secretStatus: () => call<SecretStatus>('secret_status'),
      openCrm: (callId) => call('open_crm', { callId }),
      showBar: () => call('show_bar'),
      closePopup: () => call('close_popup'),
      fitBar: (height) => call('fit_bar', { height }),
      saveRecording: (name) => call<string>('save_recording', { name }),
      apiToken: () => call<TokenView>('policy_token'),
      rotateApiToken: () => call('policy_rotate_token'),
    },
    policy: tauriPolicy(),
  };
}
