//! Which buttons are enabled, and why not: the server's capability first (its note is the
//! tooltip), then whether the action makes sense in the current state.
import { t } from '../i18n';
import type { Call, CapabilitySet, CommandName, Operation, Snapshot, TeamMember } from '../types';

/** The capability each command needs (`Command::operation` in the core). */
export const OPERATION_OF: Record<CommandName, Operation> = {
  sign_in: 'sign_in',
  sign_out: 'sign_out',
  set_ready: 'ready',
  set_not_ready: 'ready',
  dial: 'dial',
  answer: 'answer',
  hangup: 'hangup',
  hold: 'hold',
  resume: 'hold',
  consult: 'consult',
  take_back: 'take_back',
  transfer: 'blind_transfer',
  complete_transfer: 'attended_transfer',
  conference: 'conference',
  conference_kick: 'conference_control',
  conference_mute: 'conference_control',
  dtmf: 'dtmf',
  to_ivr: 'to_ivr',
  collect_digits: 'collect_digits',
  pick_up: 'pick_up',
  monitor: 'monitor',
  whisper: 'whisper',
  barge: 'barge',
  force_release: 'force_release',
  finish_wrap_up: 'wrap_up',
  voice_code: 'voice_code',
  ivr_call: 'ivr_call',
  // By its `kind` in the core; the bar has no button for it, CRM pages send it.
  crm_call_result: 'voice_code',
};

export interface Gate {
  enabled: boolean;
  /** The tooltip of a disabled button; empty when enabled. */
  why: string;
}

const OPEN: Gate = { enabled: true, why: '' };
const closed = (why: string): Gate => ({ enabled: false, why });

/** Why the server cannot do `op`, or null when it can (server- or client-side). */
export function unsupportedNote(caps: CapabilitySet, op: Operation): string | null {
  const c = caps[op];
  if (!c) return t('why.cap_missing');
  if (c.support === 'unavailable') return c.note || t('why.cap_missing');
  return null;
}

/** The call the buttons act on: the first live one (the engine lists the active one first). */
export function activeCall(s: Snapshot): Call | null {
  return s.calls.find((c) => c.state !== 'ended') ?? null;
}

function stateGate(s: Snapshot, cmd: CommandName): Gate {
  const signedIn = s.presence.presence !== 'signed_out';
  const call = activeCall(s);
  const callState = call?.state;
  const inCall = (...states: Call['state'][]) =>
    !call ? closed(t('why.no_call')) : states.includes(call.state) ? OPEN : closed(t('why.call_state'));

  if (cmd === 'sign_in') return signedIn ? closed(t('why.signed_in')) : OPEN;
  if (!signedIn) return closed(t('why.signed_out'));
  switch (cmd) {
    case 'sign_out':
      return call ? closed(t('why.busy')) : OPEN;
    case 'set_ready':
      return s.presence.presence === 'ready' && !s.queued_presence
        ? closed(t('why.already_ready'))
        : OPEN;
    case 'set_not_ready':
      return OPEN; // during a call the engine queues it for the call's end
    case 'dial':
      return call ? closed(t('why.busy')) : OPEN;
    case 'answer':
      return call?.direction === 'inbound' && callState === 'ringing'
        ? OPEN
        : closed(t('why.no_ringing'));
    case 'hangup':
      return call ? OPEN : closed(t('why.no_call'));
    case 'hold':
      return inCall('talking');
    case 'resume':
      return inCall('held');
    case 'consult':
    case 'to_ivr':
      return inCall('talking', 'held');
    case 'transfer':
      return inCall('talking', 'held');
    case 'complete_transfer':
    case 'take_back':
      return call ? (callState === 'consulting' ? OPEN : closed(t('why.no_consult'))) : closed(t('why.no_call'));
    case 'conference':
      return inCall('talking', 'held', 'consulting');
    case 'dtmf':
      return inCall('talking', 'consulting', 'conference');
    case 'finish_wrap_up':
      return s.state.state === 'wrap_up' ? OPEN : closed(t('why.not_wrap_up'));
    default:
      return OPEN;
  }
}

/** Whether the bar's button for `cmd` is enabled, and its tooltip when not. */
export function gate(s: Snapshot, cmd: CommandName): Gate {
  const note = unsupportedNote(s.capabilities, OPERATION_OF[cmd]);
  if (note) return closed(note);
  if (s.connection.status !== 'connected') return closed(t('why.offline'));
  return stateGate(s, cmd);
}

export type SupervisorOp = 'monitor' | 'whisper' | 'barge' | 'force_release';
export const SUPERVISOR_OPS: SupervisorOp[] = ['monitor', 'whisper', 'barge', 'force_release'];

/** A supervisor action on a team member: needs the capability and the member on a call. */
export function memberGate(s: Snapshot, op: SupervisorOp, m: TeamMember): Gate {
  const note = unsupportedNote(s.capabilities, op);
  if (note) return closed(note);
  if (s.connection.status !== 'connected') return closed(t('why.offline'));
  const onCall = m.current_call !== null || ['talking', 'held', 'consulting', 'conference'].includes(m.state);
  return onCall ? OPEN : closed(t('why.member_idle'));
}
