//! The pop-up cards (来电弹屏): one per call id, opened when an inbound call is offered,
//! kept up to date, closed when the call ends or the API asks (`ui` `close_popup`).
//! Pure functions over a small state, so the rules are testable without a window.
import type { Call, EngineEvent, Snapshot } from '../types';

export interface PopupCard {
  /** The call id, or `number:<phone>` for a "show this number" card. */
  key: string;
  call: Call;
  /** `number` cards come from the API's `show_number`: data only, no call buttons. */
  kind: 'call' | 'number';
}

export interface PopupState {
  cards: PopupCard[];
  /** Cards the agent closed: never reopened for the same key. */
  dismissed: string[];
}

export const emptyPopups = (): PopupState => ({ cards: [], dismissed: [] });

function open(s: PopupState, card: PopupCard): PopupState {
  if (s.dismissed.includes(card.key) || s.cards.some((c) => c.key === card.key)) return s;
  return { ...s, cards: [...s.cards, card] };
}

function close(s: PopupState, key: string): PopupState {
  return { ...s, cards: s.cards.filter((c) => c.key !== key) };
}

function update(s: PopupState, call: Call): PopupState {
  return { ...s, cards: s.cards.map((c) => (c.key === call.id ? { ...c, call } : c)) };
}

/** A card for a number without a call (800hu `type=3` with a pop). */
export function numberCard(phone: string, atMs: number): PopupCard {
  return {
    key: `number:${phone}`,
    kind: 'number',
    call: {
      id: `number:${phone}`, direction: 'inbound', state: 'ended', remote_number: phone,
      remote_name: null, masked: false, did: null, queue: null, ivr_keys: null,
      hold_time_secs: null, area: null, attached: {}, consult_party: null, conference: [],
      recording: null, detected_by: 'push', started_at_ms: atMs, answered_at_ms: null,
      ended_at_ms: null, outcome: null,
    },
  };
}

export function applyEvent(s: PopupState, e: EngineEvent): PopupState {
  switch (e.type) {
    case 'call_offered':
      return e.call.direction === 'inbound' ? open(s, { key: e.call.id, call: e.call, kind: 'call' }) : s;
    case 'call_updated':
    case 'call_answered':
      return update(s, e.call);
    case 'call_ended':
    case 'call_missed':
      return close(s, e.call.id);
    case 'ui':
      if (e.request.action === 'close_popup') return { ...s, cards: [] };
      if (e.request.action === 'show_number' && e.request.pop) {
        return open(s, numberCard(e.request.phone, e.at_ms));
      }
      return s;
    default:
      return s;
  }
}

/**
 * Brings the cards in line with a snapshot (after a reconnect or a lag, events may have been
 * missed): a ringing inbound call gets its card, a call that is gone loses it.
 */
export function reconcile(s: PopupState, snap: Snapshot): PopupState {
  const live = new Map(snap.calls.filter((c) => c.state !== 'ended').map((c) => [c.id, c]));
  let next: PopupState = {
    ...s,
    cards: s.cards
      .filter((c) => c.kind === 'number' || live.has(c.key))
      .map((c) => (c.kind === 'call' ? { ...c, call: live.get(c.key)! } : c)),
  };
  for (const call of live.values()) {
    if (call.direction === 'inbound' && call.state === 'ringing') {
      next = open(next, { key: call.id, call, kind: 'call' });
    }
  }
  return next;
}

export function dismiss(s: PopupState, key: string): PopupState {
  return { cards: s.cards.filter((c) => c.key !== key), dismissed: [...s.dismissed, key].slice(-200) };
}
