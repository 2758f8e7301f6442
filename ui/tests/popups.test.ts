import { describe, expect, it } from 'vitest';
import { applyEvent, dismiss, emptyPopups, reconcile, type PopupState } from '../src/logic/popups';
import { event, inCall, makeCall, makeSnapshot } from './fixtures';

const ringing = makeCall({ state: 'ringing', answered_at_ms: null });
const offered = (call = ringing) => event({ type: 'call_offered', call });

describe('pop-up cards', () => {
  it('opens one card per call id, however often it is offered', () => {
    let s = applyEvent(emptyPopups(), offered());
    s = applyEvent(s, offered());
    expect(s.cards.map((c) => c.key)).toEqual(['1718.42']);
  });

  it('does not pop outbound calls', () => {
    expect(applyEvent(emptyPopups(), offered(makeCall({ direction: 'outbound' }))).cards).toEqual([]);
  });

  it('takes details learnt later and stays up when answered', () => {
    let s = applyEvent(emptyPopups(), offered());
    s = applyEvent(s, event({ type: 'call_updated', call: { ...ringing, ivr_keys: '1-2-5' } }));
    expect(s.cards[0].call.ivr_keys).toBe('1-2-5');
    s = applyEvent(s, event({ type: 'call_answered', call: { ...ringing, state: 'talking' } }));
    expect(s.cards[0].call.state).toBe('talking');
  });

  it('closes when the call ends, is missed, or the API says close_popup', () => {
    const open = applyEvent(emptyPopups(), offered());
    expect(applyEvent(open, event({ type: 'call_ended', call: ringing })).cards).toEqual([]);
    expect(applyEvent(open, event({ type: 'call_missed', call: ringing })).cards).toEqual([]);
    expect(applyEvent(open, event({ type: 'ui', request: { action: 'close_popup' } })).cards).toEqual([]);
  });

  it('shows a number card for show_number with pop', () => {
    const req = { action: 'show_number', phone: '82754888', pop: true };
    const s = applyEvent(emptyPopups(), event({ type: 'ui', request: req }));
    expect(s.cards[0]).toMatchObject({ key: 'number:82754888', kind: 'number' });
    const quiet = applyEvent(emptyPopups(), event({ type: 'ui', request: { ...req, pop: false } }));
    expect(quiet.cards).toEqual([]);
  });

  it('catches up with a snapshot: pops a ringing call, drops a gone one', () => {
    let s: PopupState = reconcile(emptyPopups(), inCall({ state: 'ringing' }));
    expect(s.cards).toHaveLength(1);
    s = reconcile(s, makeSnapshot());
    expect(s.cards).toEqual([]);
  });

  it('never reopens a card the agent closed', () => {
    let s = applyEvent(emptyPopups(), offered());
    s = dismiss(s, '1718.42');
    s = applyEvent(s, offered());
    s = reconcile(s, inCall({ state: 'ringing' }));
    expect(s.cards).toEqual([]);
  });
});
