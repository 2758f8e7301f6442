import { describe, expect, it } from 'vitest';
import { gate, memberGate, OPERATION_OF, unsupportedNote } from '../src/logic/buttons';
import type { CommandName } from '../src/types';
import { ALL_SERVER, inCall, makeSnapshot, NO_HOLD_NO_ANSWER } from './fixtures';

describe('button enabling', () => {
  it('disables an unavailable operation with its note as the tooltip', () => {
    const s = inCall({}, { capabilities: NO_HOLD_NO_ANSWER });
    expect(gate(s, 'hold')).toEqual({ enabled: false, why: "WEBCTI2 has no hold: use the phone's hold key" });
    // resume needs the same capability
    expect(gate(s, 'resume').why).toBe("WEBCTI2 has no hold: use the phone's hold key");
  });

  it('treats an operation missing from the set as unavailable', () => {
    const { dtmf: _gone, ...caps } = ALL_SERVER;
    expect(unsupportedNote(caps, 'dtmf')).toBe('该服务器不支持此操作');
    expect(gate(inCall({}, { capabilities: caps }), 'dtmf').enabled).toBe(false);
  });

  it('counts client-side support as available', () => {
    const caps = { ...ALL_SERVER, wrap_up: { support: 'client' as const, note: 'the bar times it' } };
    const s = makeSnapshot({ state: { state: 'wrap_up' }, capabilities: caps });
    expect(gate(s, 'finish_wrap_up').enabled).toBe(true);
  });

  it('disables hang-up with no call', () => {
    expect(gate(makeSnapshot(), 'hangup')).toEqual({ enabled: false, why: '无通话' });
    expect(gate(inCall(), 'hangup').enabled).toBe(true);
  });

  it('disables answer while ringing when the server cannot answer, with the note', () => {
    const s = inCall({ state: 'ringing', answered_at_ms: null }, { capabilities: NO_HOLD_NO_ANSWER });
    expect(gate(s, 'answer')).toEqual({ enabled: false, why: 'WEBCTI2 cannot answer: pick up the phone' });
  });

  it('enables answer only for a ringing inbound call', () => {
    expect(gate(inCall({ state: 'ringing' }), 'answer').enabled).toBe(true);
    expect(gate(inCall({ state: 'ringing', direction: 'outbound' }), 'answer').why).toBe('无来电');
    expect(gate(inCall(), 'answer').why).toBe('无来电');
  });

  it('follows the call state for hold, resume, consult, take back', () => {
    expect(gate(inCall(), 'hold').enabled).toBe(true);
    expect(gate(inCall(), 'resume').why).toBe('当前通话状态不可操作');
    expect(gate(inCall({ state: 'held' }), 'resume').enabled).toBe(true);
    expect(gate(inCall(), 'take_back').why).toBe('未在咨询');
    expect(gate(inCall({ state: 'consulting' }), 'take_back').enabled).toBe(true);
    expect(gate(inCall({ state: 'consulting' }), 'complete_transfer').enabled).toBe(true);
    expect(gate(makeSnapshot(), 'consult').why).toBe('无通话');
  });

  it('refuses dialling during a call and presence changes when signed out', () => {
    expect(gate(inCall(), 'dial').why).toBe('通话中不可操作');
    expect(gate(makeSnapshot(), 'dial').enabled).toBe(true);
    const out = makeSnapshot({ state: { state: 'signed_out' }, presence: { presence: 'signed_out' } });
    expect(gate(out, 'set_ready').why).toBe('未签入');
    expect(gate(out, 'sign_in').enabled).toBe(true);
    expect(gate(makeSnapshot(), 'sign_in').enabled).toBe(false);
  });

  it('lets not-ready through during a call (the engine queues it)', () => {
    expect(gate(inCall(), 'set_not_ready').enabled).toBe(true);
  });

  it('disables everything while the server link is down', () => {
    const s = makeSnapshot({
      state: { state: 'reconnecting' },
      connection: { status: 'reconnecting', attempt: 1, reason: 'timeout', retry_in_ms: 500 },
    });
    expect(gate(s, 'dial').why).toBe('未连接服务器');
  });

  it('maps every command to the capability the core checks', () => {
    const names = Object.keys(OPERATION_OF) as CommandName[];
    expect(names).toHaveLength(28);
    expect(OPERATION_OF.transfer).toBe('blind_transfer');
    expect(OPERATION_OF.set_not_ready).toBe('ready');
    expect(OPERATION_OF.voice_code).toBe('voice_code');
    expect(OPERATION_OF.ivr_call).toBe('ivr_call');
  });

  it('gates supervisor actions on the capability and the member being on a call', () => {
    const caps = { ...ALL_SERVER, barge: { support: 'unavailable' as const, note: 'no barge here' } };
    const s = makeSnapshot({ capabilities: caps });
    const busy = { agent: '2012', name: null, extension: null, state: 'talking', state_secs: 5, current_call: '139' };
    const idle = { ...busy, state: 'ready', current_call: null };
    expect(memberGate(s, 'monitor', busy).enabled).toBe(true);
    expect(memberGate(s, 'barge', busy)).toEqual({ enabled: false, why: 'no barge here' });
    expect(memberGate(s, 'whisper', idle).why).toBe('该坐席无通话');
  });
});
