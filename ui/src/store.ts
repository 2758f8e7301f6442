//! The page's state: the latest snapshot, toasts, pop-up cards and the local API's policy
//! (its questions to the agent), fed by the transport. Components read it through
//! `useStore()` and act through `run()` and `answerPrompt()`.
import { inject, reactive, type InjectionKey } from 'vue';
import { t, word } from './i18n';
import { promptQueue, settleAnswering } from './logic/policy';
import { applyEvent, dismiss, emptyPopups, reconcile } from './logic/popups';
import { toErrorInfo } from './transport/errors';
import type { Transport, Unsubscribe } from './transport';
import type { Command, CommandName, EngineEvent, ErrorInfo, PolicyAnswer, PolicyView, Snapshot } from './types';

export interface Toast {
  id: number;
  text: string;
  kind: 'error' | 'info';
}

const TOAST_MS = 5000;
/** A `command_failed` event this soon after our own call failed is the same failure. */
const ECHO_MS = 3000;

export function failureText(command: string, err: ErrorInfo): string {
  const reason = err.message ? `${word('error', err.code)}（${err.message}）` : word('error', err.code);
  return t('toast.failed', { op: word('op', command), reason });
}

export function createStore(transport: Transport, opts: { view: 'bar' | 'popup' } = { view: 'bar' }) {
  const state = reactive({
    snapshot: null as Snapshot | null,
    /** Our clock when the snapshot arrived: the timers count from here. */
    receivedAt: 0,
    loadError: '',
    linkUp: true,
    toasts: [] as Toast[],
    popups: emptyPopups(),
    /** Commands this window sent and is waiting for. */
    pending: [] as string[],
    /** The local API's policy; null where this page cannot see it (or there is no listener). */
    policy: null as PolicyView | null,
    /** Origins the agent answered here whose answer the policy has not confirmed yet. */
    answering: [] as string[],
  });
  const recentFailures = new Map<string, number>();
  const subs: Unsubscribe[] = [];
  let toastId = 0;
  let retry: ReturnType<typeof setTimeout> | null = null;

  function toast(text: string, kind: Toast['kind'] = 'error') {
    const id = ++toastId;
    state.toasts.push({ id, text, kind });
    setTimeout(() => closeToast(id), TOAST_MS);
  }
  function closeToast(id: number) {
    const i = state.toasts.findIndex((x) => x.id === id);
    if (i >= 0) state.toasts.splice(i, 1);
  }

  function setSnapshot(s: Snapshot) {
    state.snapshot = s;
    state.receivedAt = Date.now();
    state.loadError = '';
    state.popups = reconcile(state.popups, s);
  }

  function onEvent(e: EngineEvent) {
    state.popups = applyEvent(state.popups, e);
    if (e.type === 'command_failed') {
      // Our own failures are shown when `execute` rejects; this is for hot keys, the tray
      // and CRM pages.
      const mine = state.pending.includes(e.command) ||
        Date.now() - (recentFailures.get(e.command) ?? 0) < ECHO_MS;
      if (!mine && opts.view === 'bar') toast(failureText(e.command, e.error));
    } else if (e.type === 'ui' && opts.view === 'bar') {
      const r = e.request;
      if (r.action === 'show_window') void transport.settings?.showBar().catch(() => {});
      if (r.action === 'open_url' && transport.kind === 'http') window.open(r.url, '_blank', 'noopener');
    }
  }

  async function load() {
    try {
      setSnapshot(await transport.snapshot());
    } catch (err) {
      state.loadError = toErrorInfo(err).message || t('app.no_engine');
      retry = setTimeout(() => void load(), 3000);
    }
  }

  function setPolicy(v: PolicyView) {
    state.policy = v;
    state.answering = settleAnswering(state.answering, v);
  }

  async function start() {
    subs.push(transport.onSnapshot(setSnapshot), transport.onEvent(onEvent));
    if (transport.onLink) subs.push(transport.onLink((up) => (state.linkUp = up)));
    // Only the bar asks the agent; the pop-up window has no business with the policy.
    if (transport.policy && opts.view === 'bar') subs.push(transport.policy.onView(setPolicy));
    await load();
  }

  /** Pages waiting for the agent's answer, oldest first (the first one is asked). */
  function prompts(): string[] {
    return promptQueue(state.policy, state.answering);
  }

  /** Answers "Allow `origin` to control Agent Bar?"; a failure becomes a toast. */
  async function answerPrompt(origin: string, answer: PolicyAnswer): Promise<boolean> {
    const api = transport.policy;
    if (!api) return false;
    state.answering.push(origin);
    try {
      await api.answer(origin, answer);
    } catch (err) {
      state.answering = state.answering.filter((o) => o !== origin);
      toast(t('policy.answer_failed', { reason: toErrorInfo(err).message }));
      return false;
    }
    // The browser would hear of it at the next poll; ask now so the queue moves at once.
    await api.view().then(setPolicy, () => {});
    return true;
  }


  function stop() {
    subs.splice(0).forEach((u) => u());
    if (retry) clearTimeout(retry);
  }

  /** Sends a command; resolves true on success. Failures become a toast, never a throw. */
  async function run(cmd: Command): Promise<boolean> {
    state.pending.push(cmd.op);
    try {
      const outcome = await transport.execute(cmd);
      if (outcome?.message) toast(t('toast.done', { op: word('op', cmd.op), message: outcome.message }), 'info');
      return true;
    } catch (err) {
      recentFailures.set(cmd.op, Date.now());
      toast(failureText(cmd.op, toErrorInfo(err)));
      return false;
    } finally {
      const i = state.pending.indexOf(cmd.op);
      if (i >= 0) state.pending.splice(i, 1);
    }
  }

  /** A spinner shows while the engine or this window has the command in flight. */
  function busy(name: CommandName): boolean {
    return state.pending.includes(name) || (state.snapshot?.in_flight.includes(name) ?? false);
  }

  function dismissPopup(key: string) {
    state.popups = dismiss(state.popups, key);
  }

  return { state, transport, start, stop, run, busy, toast, closeToast, dismissPopup, prompts, answerPrompt };
}

export type Store = ReturnType<typeof createStore>;
export const STORE: InjectionKey<Store> = Symbol('store');

export function useStore(): Store {
  const s = inject(STORE);
  if (!s) throw new Error('useStore() outside the app');
  return s;
}
