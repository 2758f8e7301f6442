//! The engine's JSON as TypeScript: mirrors the serde types of `agentbar-core::model`,
//! `agentbar-core::error` and `agentbar-history::record`, plus the desktop settings.

export type Direction = 'inbound' | 'outbound';
export type CallState = 'ringing' | 'talking' | 'held' | 'consulting' | 'conference' | 'ended';
export type CallOutcome = 'answered' | 'missed' | 'not_answered' | 'transferred';

export interface Area {
  areacode: string | null;
  city: string | null;
  province: string | null;
}

export interface ConferenceMember {
  member: string;
  number: string;
  name: string | null;
  channel: string | null;
}

export interface Call {
  id: string;
  direction: Direction;
  state: CallState;
  remote_number: string;
  remote_name: string | null;
  masked: boolean;
  did: string | null;
  queue: string | null;
  ivr_keys: string | null;
  hold_time_secs: number | null;
  area: Area | null;
  attached: Record<string, string>;
  consult_party: string | null;
  conference: ConferenceMember[];
  recording: string | null;
  detected_by: 'poll' | 'long_poll' | 'push';
  started_at_ms: number;
  answered_at_ms: number | null;
  ended_at_ms: number | null;
  outcome: CallOutcome | null;
}

/** `{"state":"not_ready","reason":"lunch"}`: the one state the bar shows. */
export type AgentState =
  | { state: 'signed_out' }
  | { state: 'ready' }
  | { state: 'not_ready'; reason: string | null }
  | { state: 'ringing' }
  | { state: 'talking' }
  | { state: 'held' }
  | { state: 'consulting' }
  | { state: 'conference' }
  | { state: 'wrap_up' }
  | { state: 'reconnecting' };

export type StateKind = AgentState['state'];

/** `{"presence":"ready"}`: what the agent asked the server for. */
export type Presence =
  | { presence: 'signed_out' }
  | { presence: 'ready' }
  | { presence: 'not_ready'; reason: string | null };

export type Connection =
  | { status: 'connecting' }
  | { status: 'connected' }
  | { status: 'reconnecting'; attempt: number; reason: string; retry_in_ms: number }
  | { status: 'failed'; reason: string };

/** Keys of a capability set (`Operation`). */
export type Operation =
  | 'sign_in' | 'sign_out' | 'ready' | 'pause_reasons' | 'dial' | 'answer' | 'hangup' | 'hold'
  | 'consult' | 'take_back' | 'blind_transfer' | 'attended_transfer' | 'conference'
  | 'conference_control' | 'dtmf' | 'to_ivr' | 'collect_digits' | 'pick_up' | 'monitor'
  | 'whisper' | 'barge' | 'force_release' | 'wrap_up' | 'team_status' | 'queue_status'
  | 'recordings' | 'attached_data' | 'voice_code' | 'ivr_call';

export interface Capability {
  support: 'server' | 'client' | 'unavailable';
  /** How it is done or, when unavailable, why not (the disabled button's tooltip). */
  note: string;
}

/** An operation missing from the map is unavailable. */
export type CapabilitySet = Partial<Record<Operation, Capability>>;

export interface AgentInfo {
  id: string;
  name: string | null;
  extension: string | null;
  supervisor: boolean;
}

export interface WrapUp {
  ends_at_ms: number;
  remaining_secs: number;
}

export interface Warning {
  code: string;
  message: string;
}

export interface TeamMember {
  agent: string;
  name: string | null;
  extension: string | null;
  state: string;
  state_secs: number | null;
  current_call: string | null;
}

export interface QueueFigures {
  queue: string;
  waiting: number;
  longest_wait_secs: number | null;
  completed: number | null;
  abandoned: number | null;
}

export interface TeamView {
  members: TeamMember[];
  queues: QueueFigures[];
  updated_at_ms: number;
}

export interface Snapshot {
  vendor: string;
  agent: AgentInfo;
  state: AgentState;
  state_since_ms: number;
  state_secs: number;
  presence: Presence;
  queued_presence: Presence | null;
  wrap_up: WrapUp | null;
  connection: Connection;
  calls: Call[];
  missed: Call[];
  capabilities: CapabilitySet;
  pause_reasons: string[];
  state_totals: { state: StateKind; secs: number }[];
  in_flight: string[];
  warnings: Warning[];
  team: TeamView | null;
  last_event_seq: number;
}

/** A request to the engine, tagged by `op` (`Command`). */
export type Command =
  | { op: 'sign_in' }
  | { op: 'sign_out' }
  | { op: 'set_ready' }
  | { op: 'set_not_ready'; reason: string }
  | { op: 'dial'; number: string; attached?: Record<string, string> }
  | { op: 'answer'; call?: string | null }
  | { op: 'hangup'; call?: string | null }
  | { op: 'hold' }
  | { op: 'resume' }
  | { op: 'consult'; target: string }
  | { op: 'take_back' }
  | { op: 'transfer'; target: string }
  | { op: 'complete_transfer' }
  | { op: 'conference'; target?: string | null }
  | { op: 'conference_kick'; member: string }
  | { op: 'conference_mute'; member: string; mute: boolean }
  | { op: 'dtmf'; digits: string }
  | { op: 'to_ivr'; target: string }
  | { op: 'collect_digits'; code: string }
  | { op: 'pick_up'; extension: string }
  | { op: 'monitor'; agent: string }
  | { op: 'whisper'; agent: string }
  | { op: 'barge'; agent: string }
  | { op: 'force_release'; agent: string }
  | { op: 'finish_wrap_up' }
  | { op: 'voice_code'; number: string; voice: string; code?: string; id?: string; plays?: number }
  | { op: 'ivr_call'; number: string; ivr: string; vars?: Record<string, string>; id?: string }
  | { op: 'crm_call_result'; kind: CrmCallKind; id: string };

/** Calls the server places for a CRM (a voice code, an IVR menu), and their results. */
export type CrmCallKind = 'voice_code' | 'ivr_call';

export interface CrmCallStatus {
  id: string;
  kind: CrmCallKind;
  state:
    | 'queued' | 'calling' | 'succeeded' | 'failed' | 'no_such_number' | 'busy' | 'unreachable'
    | 'unknown_id' | 'other' | 'unknown';
  code: number | null;
  keys: Record<string, string>;
  error: ErrorInfo | null;
}

export type CommandName = Command['op'];

export interface CommandOutcome {
  message: string | null;
  data: unknown;
}

export type ErrorCode =
  | 'not_supported' | 'invalid_input' | 'invalid_state' | 'server' | 'auth' | 'transport'
  | 'protocol' | 'not_found' | 'stopped';

/** `{"code":"not_supported","message":"..."}`: every failure, from IPC or HTTP. */
export interface ErrorInfo {
  code: ErrorCode | string;
  message: string;
}

export type UiRequest =
  | { action: 'show_window' }
  | { action: 'close_popup' }
  | { action: 'show_number'; phone: string; pop: boolean }
  | { action: 'open_url'; url: string; caption: string | null; width: number | null; height: number | null }
  | { action: 'relogin' };

export type EventKind =
  | { type: 'state_changed'; state: AgentState; presence: Presence }
  | { type: 'call_offered'; call: Call }
  | { type: 'call_updated'; call: Call }
  | { type: 'call_answered'; call: Call }
  | { type: 'call_ended'; call: Call }
  | { type: 'call_missed'; call: Call }
  | { type: 'connection_changed'; connection: Connection }
  | { type: 'presence_queued'; presence: Presence }
  | { type: 'wrap_up_started'; ends_at_ms: number }
  | { type: 'wrap_up_ended' }
  | { type: 'command_succeeded'; command: string; message: string | null }
  | { type: 'command_failed'; command: string; error: ErrorInfo }
  | { type: 'team_updated'; team: TeamView }
  | { type: 'warning'; code: string; message: string }
  | { type: 'ui'; request: UiRequest }
  | { type: 'crm_call_result'; status: CrmCallStatus };

export type EngineEvent = { seq: number; at_ms: number } & EventKind;
export type EventType = EventKind['type'];

/** One row of the call history (`CallRecord`). */
export interface CallRecord {
  vendor: string;
  call_id: string;
  agent_id: string;
  direction: Direction;
  remote_number: string;
  remote_name: string | null;
  masked: boolean;
  did: string | null;
  queue: string | null;
  ivr_keys: string | null;
  hold_time_secs: number | null;
  started_at_ms: number;
  answered_at_ms: number | null;
  ended_at_ms: number | null;
  duration_secs: number | null;
  outcome: CallOutcome | null;
  recording: string | null;
  attached: Record<string, string>;
}

export interface HistoryQuery {
  limit?: number;
  /** Unix milliseconds: only calls that started before. */
  beforeMs?: number;
  number?: string;
}

export type Language = 'zh-CN' | 'en';

/** The desktop settings, round-tripped as plain JSON through `get_settings`/`save_settings`. */
export interface Settings {
  language: 'zh-CN' | 'en';
  always_on_top: boolean;
  notifications: boolean;
  start_at_login: boolean;
  crm: {
    url_template: string;
    open_on: 'ring' | 'answer' | 'never';
    open_in: 'browser' | 'window';
  };
  hotkeys: { answer: string; hangup: string; ready_toggle: string; focus_dial: string };
  /** The server profile; `logic/vendors.ts` says which fields each vendor has. */
  profile: {
    /** `mvb2000`, `astercc`, `guoxin` or `800hu`. */
    vendor: string;
    /** A URL; Guoxin's `host[:port]` (or `http://host:port`). */
    base_url: string;
    /** The agent signing in; 800hu's seat (坐席号); Guoxin: may stay empty (the extension). */
    agent_id: string;
    agent_name: string;
    extension: string;
    queues: string[];
    /** The engine's poll interval; Guoxin's own (EXTNUM_STATE). */
    poll_interval_ms: number;
    pause_reasons: string[];
    wrap_up_secs: number;
    supervisor: boolean;
    /**
     * The local listener CRM pages drive the bar through (loopback only), and who may: the
     * policy and the origins trusted always (applied at once on save).
     */
    local_api: { enabled: boolean; address: string; policy: PolicyMode; trusted_origins: string[] };
    /** asterCC: the team's identity. */
    orgidentity: string;
    /** asterCC, Guoxin, 800hu: where the server's pushes arrive (`0.0.0.0:10801`); empty: none. */
    push_address: string;
  };
}

/** What `secret_status` answers: whether the OS key ring works and where the secret lives. */
export interface SecretStatus {
  keyring_available: boolean;
  stored: boolean;
  /** Where a secret saved now goes: the key ring, or memory until the app quits. */
  storage: 'keyring' | 'session';
}

/** The local API's policy: ask about new pages, only listed pages with the token, or anyone. */
export type PolicyMode = 'prompt' | 'strict' | 'open';

/** The agent's answer to "Allow <origin> to control Agent Bar?". */
export type PolicyAnswer = 'once' | 'always' | 'deny';

/** The live policy (`GET /api/v1/policy`, `policy_view`). Never the token. */
export interface PolicyView {
  mode: PolicyMode;
  /** Origins trusted always. */
  origins: string[];
  /** Origins waiting for the agent's answer, oldest first. */
  pending: string[];
  /** Origins allowed until the bar restarts. */
  allowed_once: string[];
  /** Origins refused until the bar restarts. */
  denied: string[];
}

/** What the shell's `policy-event` says happened. */
export type PolicyEvent =
  | { type: 'asked'; origin: string }
  | { type: 'answered'; origin: string; answer: PolicyAnswer }
  | { type: 'changed' };

/** One control request in the audit log (`GET /api/v1/audit`, `policy_audit`). */
export interface AuditEntry {
  at_ms: number;
  /** The page's origin; null when the request named none. */
  origin: string | null;
  /** What was asked: a command (`dial`), an 800hu request (`type=0`), `events`, ... */
  operation: string;
  allowed: boolean;
  /** Why: the reason allowed, or `code: message` refused. */
  why: string;
}

/** What `policy_token` reveals. */
export interface TokenView {
  token: string;
  /** The key ring, or memory until the app quits (a new token at the next start). */
  storage: 'keyring' | 'session';
}
