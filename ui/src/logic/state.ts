//! What the bar shows for a state: its word, its colour and its tooltip.
import { t, word } from '../i18n';
import type { AgentState, Connection, Presence } from '../types';

/** The colour families of UI.md; `held`, `consulting`, `conference` are call states (red). */
export type Tone = 'ready' | 'not-ready' | 'talking' | 'ringing' | 'wrap-up' | 'idle';

export const TONE_COLOURS: Record<Tone, string> = {
  ready: '#1f9d5c',
  'not-ready': '#d98a00',
  talking: '#d62f2f',
  ringing: '#2563eb',
  'wrap-up': '#7c3aed',
  idle: '#6b7280',
};

export interface StateDisplay {
  word: string;
  tone: Tone;
  colour: string;
  /** Ringing pulses so it cannot be missed. */
  pulse: boolean;
  /** Why the bar is grey (the connection's reason), else empty. */
  tooltip: string;
}

const TONES: Record<AgentState['state'], Tone> = {
  ready: 'ready',
  not_ready: 'not-ready',
  talking: 'talking',
  held: 'talking',
  consulting: 'talking',
  conference: 'talking',
  ringing: 'ringing',
  wrap_up: 'wrap-up',
  signed_out: 'idle',
  reconnecting: 'idle',
};

/** A pause reason in the agent's language (a server's own code is shown as it is). */
export function reasonWord(reason: string | null | undefined): string {
  return reason ? word('reason', reason) : '';
}

/** The state word: "示忙·午休" for not ready with a reason. */
export function stateWord(state: AgentState): string {
  if (state.state === 'not_ready' && state.reason) {
    return t('state.not_ready_reason', { reason: reasonWord(state.reason) });
  }
  return t(`state.${state.state}`);
}

/** The connection in words, or empty when connected. */
export function connectionText(c: Connection): string {
  switch (c.status) {
    case 'connected':
      return '';
    case 'connecting':
      return t('connection.connecting');
    case 'reconnecting':
      return t('connection.reconnecting', { attempt: c.attempt, reason: c.reason });
    case 'failed':
      return t('connection.failed', { reason: c.reason });
  }
}

export function stateDisplay(state: AgentState, connection?: Connection): StateDisplay {
  const tone = TONES[state.state] ?? 'idle';
  return {
    word: stateWord(state),
    tone,
    colour: TONE_COLOURS[tone],
    pulse: state.state === 'ringing',
    tooltip: connection ? connectionText(connection) : '',
  };
}

/** "通话结束后示忙·午休" for a presence queued until the call ends. */
export function queuedText(p: Presence): string {
  switch (p.presence) {
    case 'ready':
      return t('queued.ready');
    case 'signed_out':
      return t('queued.signed_out');
    case 'not_ready':
      return p.reason
        ? t('queued.not_ready', { reason: reasonWord(p.reason) })
        : t('queued.not_ready_plain');
  }
}

/** A team member's state word (the model's words; anything else shown raw). */
export function memberStateWord(state: string): string {
  return word('state', state);
}
