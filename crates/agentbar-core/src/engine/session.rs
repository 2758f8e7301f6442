//! The session's state and its pure transitions. No I/O here: each transition returns the
//! events to publish and the [`Effect`]s the engine task must carry out against the server.

use crate::config::EngineConfig;
use crate::error::CoreError;
use crate::model::*;
use crate::vendor::{SignedIn, VendorEvent};
use std::collections::{BTreeMap, HashSet, VecDeque};
use std::time::Duration;
use tokio::time::Instant;

/// Ended calls kept for details that come after the hang-up.
const ENDED_KEPT: usize = 32;

/// How many call ids are remembered to keep a late or repeated sighting from popping again.
const SEEN_KEEP: usize = 4096;

/// Work for the engine task after a transition.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Ask the server for this presence (queued not-ready, wrap-up pause and its end).
    SetPresence(Presence),
    /// Read the agent's presence back from the server.
    RefreshPresence,
}

/// What a command turns into after the engine's own checks.
#[derive(Debug, Clone, PartialEq)]
pub enum Plan {
    /// Send to the adapter.
    Send,
    /// Done by the engine alone (queued presence, wrap-up); `message` tells the agent,
    /// `events` tell every client what changed (ending wrap-up changes the state).
    Local {
        message: Option<String>,
        effects: Vec<Effect>,
        events: Vec<EventKind>,
    },
}

#[derive(Debug, Clone)]
struct WrapUpTimer {
    ends_at: Instant,
    ends_at_ms: i64,
}

#[derive(Debug)]
pub struct Session {
    config: EngineConfig,
    vendor_id: String,
    pub(crate) capabilities: CapabilitySet,
    agent: AgentInfo,
    presence: Presence,
    queued: Option<Presence>,
    /// What to restore after wrap-up when nothing is queued.
    before_wrap_up: Option<Presence>,
    /// The engine paused the agent on the server for wrap-up, so its end must be sent even
    /// when the agent's own presence did not change.
    wrap_up_paused_server: bool,
    calls: Vec<Call>,
    seen: HashSet<CallId>,
    seen_order: VecDeque<CallId>,
    missed: VecDeque<Call>,
    /// The last calls that ended: a server may tell a call's record (recording, talk time)
    /// only after the hang-up, and it still belongs to the call and its history row.
    ended: VecDeque<Call>,
    wrap_up: Option<WrapUpTimer>,
    connection: Connection,
    state: AgentState,
    state_since: Instant,
    state_since_ms: i64,
    totals: BTreeMap<StateKind, Duration>,
    warnings: Vec<Warning>,
    in_flight: Vec<(u64, &'static str)>,
    team: Option<TeamView>,
}

impl Session {
    pub fn new(
        config: EngineConfig,
        vendor_id: &str,
        capabilities: CapabilitySet,
        agent: AgentInfo,
        now: Instant,
        now_ms: i64,
    ) -> Self {
        Session {
            config,
            vendor_id: vendor_id.into(),
            capabilities,
            agent,
            presence: Presence::SignedOut,
            queued: None,
            before_wrap_up: None,
            wrap_up_paused_server: false,
            calls: Vec::new(),
            seen: HashSet::new(),
            seen_order: VecDeque::new(),
            missed: VecDeque::new(),
            ended: VecDeque::new(),
            wrap_up: None,
            connection: Connection::Connecting,
            state: AgentState::SignedOut,
            state_since: now,
            state_since_ms: now_ms,
            totals: BTreeMap::new(),
            warnings: Vec::new(),
            in_flight: Vec::new(),
            team: None,
        }
    }

    pub fn agent(&self) -> &AgentInfo {
        &self.agent
    }

    pub fn presence(&self) -> &Presence {
        &self.presence
    }

    pub fn calls(&self) -> &[Call] {
        &self.calls
    }

    pub fn connection(&self) -> &Connection {
        &self.connection
    }

    pub fn config(&self) -> &EngineConfig {
        &self.config
    }

    /// A presence waiting for the call and wrap-up to end.
    pub fn queued(&self) -> Option<&Presence> {
        self.queued.as_ref()
    }

    /// The state the bar shows: a lost link outranks everything, a call outranks wrap-up,
    /// wrap-up outranks presence.
    fn derive(&self) -> AgentState {
        if matches!(
            self.connection,
            Connection::Reconnecting { .. } | Connection::Failed { .. }
        ) {
            return AgentState::Reconnecting;
        }
        if let Some(call) = self.calls.first() {
            return match call.state {
                CallState::Ringing => AgentState::Ringing,
                CallState::Talking | CallState::Ended => AgentState::Talking,
                CallState::Held => AgentState::Held,
                CallState::Consulting => AgentState::Consulting,
                CallState::Conference => AgentState::Conference,
            };
        }
        if self.wrap_up.is_some() {
            return AgentState::WrapUp;
        }
        match &self.presence {
            Presence::SignedOut => AgentState::SignedOut,
            Presence::Ready => AgentState::Ready,
            Presence::NotReady { reason } => AgentState::NotReady {
                reason: reason.clone(),
            },
        }
    }

    /// Recomputes the shown state; on a change, books the time spent and reports it.
    fn restate(&mut self, now: Instant, now_ms: i64, out: &mut Vec<EventKind>) {
        let next = self.derive();
        if next != self.state {
            let spent = now.saturating_duration_since(self.state_since);
            *self.totals.entry(self.state.kind()).or_default() += spent;
            self.state = next.clone();
            self.state_since = now;
            self.state_since_ms = now_ms;
            out.push(EventKind::StateChanged {
                state: next,
                presence: self.presence.clone(),
            });
        }
    }

    /// Keeps the active call first: a talking call outranks a ringing one.
    fn order_calls(&mut self) {
        self.calls.sort_by_key(|c| match c.state {
            CallState::Talking | CallState::Consulting | CallState::Conference => 0,
            CallState::Held => 1,
            CallState::Ringing => 2,
            CallState::Ended => 3,
        });
    }

    fn remember(&mut self, id: &CallId) {
        if self.seen.insert(id.clone()) {
            self.seen_order.push_back(id.clone());
            if self.seen_order.len() > SEEN_KEEP {
                if let Some(old) = self.seen_order.pop_front() {
                    self.seen.remove(&old);
                }
            }
        }
    }

    pub fn on_vendor_event(
        &mut self,
        ev: VendorEvent,
        now: Instant,
        now_ms: i64,
    ) -> (Vec<EventKind>, Vec<Effect>) {
        let mut out = Vec::new();
        let mut effects = Vec::new();
        match ev {
            VendorEvent::CallSeen { call } => self.call_seen(call, now_ms, &mut out),
            VendorEvent::CallDetails { id, details } => {
                let known = self.calls.iter_mut().find(|c| c.id == id);
                if let Some(c) = known.or_else(|| self.ended.iter_mut().find(|c| c.id == id)) {
                    let before = c.clone();
                    c.merge(details);
                    if *c != before {
                        out.push(EventKind::CallUpdated { call: c.clone() });
                    }
                }
            }
            VendorEvent::CallState { id, state } => self.call_state(&id, state, now_ms, &mut out),
            VendorEvent::ConsultParty { id, party } => {
                if let Some(c) = self.calls.iter_mut().find(|c| c.id == id) {
                    if c.consult_party != party {
                        c.consult_party = party;
                        out.push(EventKind::CallUpdated { call: c.clone() });
                    }
                }
            }
            VendorEvent::ConferenceMembers { id, members } => {
                if let Some(c) = self.calls.iter_mut().find(|c| c.id == id) {
                    if c.conference != members {
                        c.conference = members;
                        out.push(EventKind::CallUpdated { call: c.clone() });
                    }
                }
            }
            VendorEvent::CallGone { id } => {
                self.call_gone(&id, now, now_ms, &mut out, &mut effects)
            }
            VendorEvent::Presence { presence } => self.server_presence(presence),
            VendorEvent::Warning { code, message } => {
                if !self
                    .warnings
                    .iter()
                    .any(|w| w.code == code && w.message == message)
                {
                    self.warnings.retain(|w| w.code != code);
                    self.warnings.push(Warning {
                        code: code.clone(),
                        message: message.clone(),
                    });
                    out.push(EventKind::Warning { code, message });
                }
            }
            VendorEvent::WarningCleared { code } => self.warnings.retain(|w| w.code != code),
            VendorEvent::CrmCallResult { status } => out.push(EventKind::CrmCallResult { status }),
        }
        self.order_calls();
        self.restate(now, now_ms, &mut out);
        (out, effects)
    }

    fn call_seen(&mut self, mut call: Call, now_ms: i64, out: &mut Vec<EventKind>) {
        if let Some(known) = self.calls.iter_mut().find(|c| c.id == call.id) {
            if known.remote_number.is_empty() && !call.remote_number.is_empty() {
                known.remote_number = call.remote_number;
            }
            let state = call.state;
            let id = call.id.clone();
            self.call_state(&id, state, now_ms, out);
            return;
        }
        if self.seen.contains(&call.id) {
            // A late sighting of a call that already ended here: never pop twice.
            return;
        }
        self.remember(&call.id);
        if call.state != CallState::Ringing && call.answered_at_ms.is_none() {
            call.answered_at_ms = Some(now_ms);
        }
        out.push(EventKind::CallOffered { call: call.clone() });
        self.calls.push(call);
    }

    fn call_state(&mut self, id: &CallId, state: CallState, now_ms: i64, out: &mut Vec<EventKind>) {
        let Some(c) = self.calls.iter_mut().find(|c| &c.id == id) else {
            return;
        };
        if c.state == state || state == CallState::Ended {
            return;
        }
        let was_ringing = c.state == CallState::Ringing;
        c.state = state;
        if was_ringing && c.answered_at_ms.is_none() {
            c.answered_at_ms = Some(now_ms);
            out.push(EventKind::CallAnswered { call: c.clone() });
        } else {
            out.push(EventKind::CallUpdated { call: c.clone() });
        }
    }

    fn call_gone(
        &mut self,
        id: &CallId,
        now: Instant,
        now_ms: i64,
        out: &mut Vec<EventKind>,
        effects: &mut Vec<Effect>,
    ) {
        let Some(pos) = self.calls.iter().position(|c| &c.id == id) else {
            return;
        };
        let mut call = self.calls.remove(pos);
        call.state = CallState::Ended;
        call.ended_at_ms = Some(now_ms);
        let answered = call.answered_at_ms.is_some();
        call.outcome = Some(match (answered, call.direction) {
            (true, _) => CallOutcome::Answered,
            (false, Direction::Inbound) => CallOutcome::Missed,
            (false, Direction::Outbound) => CallOutcome::NotAnswered,
        });
        out.push(EventKind::CallEnded { call: call.clone() });
        self.ended.push_front(call.clone());
        self.ended.truncate(ENDED_KEPT);
        if call.outcome == Some(CallOutcome::Missed) {
            out.push(EventKind::CallMissed { call: call.clone() });
            self.missed.push_front(call);
            self.missed.truncate(self.config.missed_keep);
            // Servers may pause an agent who let a call ring out: show what the server says.
            effects.push(Effect::RefreshPresence);
        }
        if !self.calls.is_empty() {
            return;
        }
        let signed_in = self.presence != Presence::SignedOut;
        if answered && signed_in && self.config.wrap_up_secs > 0 {
            self.start_wrap_up(now, now_ms, out, effects);
        } else if let Some(p) = self.queued.take() {
            effects.push(Effect::SetPresence(p));
        }
    }

    fn start_wrap_up(
        &mut self,
        now: Instant,
        now_ms: i64,
        out: &mut Vec<EventKind>,
        effects: &mut Vec<Effect>,
    ) {
        let secs = self.config.wrap_up_secs;
        let ends_at_ms = now_ms + (secs as i64) * 1000;
        self.wrap_up = Some(WrapUpTimer {
            ends_at: now + Duration::from_secs(secs),
            ends_at_ms,
        });
        out.push(EventKind::WrapUpStarted { ends_at_ms });
        // Keep the server from routing a call during after-call work.
        if self.presence == Presence::Ready {
            self.before_wrap_up = Some(Presence::Ready);
            self.wrap_up_paused_server = true;
            effects.push(Effect::SetPresence(Presence::NotReady {
                reason: Some(WRAP_UP_REASON.into()),
            }));
        } else {
            self.before_wrap_up = Some(self.presence.clone());
        }
    }

    /// Ends wrap-up (timer or "done"); returns what to apply on the server.
    fn end_wrap_up(&mut self, now: Instant, now_ms: i64, out: &mut Vec<EventKind>) -> Vec<Effect> {
        if self.wrap_up.take().is_none() {
            return Vec::new();
        }
        out.push(EventKind::WrapUpEnded);
        let restore = self.before_wrap_up.take();
        let next = self.queued.take().or(restore);
        let paused = std::mem::take(&mut self.wrap_up_paused_server);
        self.restate(now, now_ms, out);
        match next {
            Some(p) if paused || p != self.presence => vec![Effect::SetPresence(p)],
            _ => Vec::new(),
        }
    }

    fn server_presence(&mut self, presence: Presence) {
        // The server knows "paused", not why: keep our reason when it agrees we are paused.
        self.presence = match (&self.presence, presence) {
            (Presence::NotReady { reason: Some(r) }, Presence::NotReady { reason: None }) => {
                Presence::NotReady {
                    reason: Some(r.clone()),
                }
            }
            (_, p) => p,
        };
    }

    /// Periodic work: wrap-up expiry and the time-in-state counters.
    pub fn tick(&mut self, now: Instant, now_ms: i64) -> (Vec<EventKind>, Vec<Effect>) {
        let mut out = Vec::new();
        let mut effects = Vec::new();
        if self.wrap_up.as_ref().is_some_and(|w| w.ends_at <= now) {
            effects = self.end_wrap_up(now, now_ms, &mut out);
        }
        self.restate(now, now_ms, &mut out);
        (out, effects)
    }

    pub fn set_connection(&mut self, c: Connection, now: Instant, now_ms: i64) -> Vec<EventKind> {
        let mut out = Vec::new();
        if c != self.connection {
            self.connection = c.clone();
            out.push(EventKind::ConnectionChanged { connection: c });
            self.restate(now, now_ms, &mut out);
        }
        out
    }

    pub fn set_team(&mut self, team: TeamView) -> Vec<EventKind> {
        if self.team.as_ref() == Some(&team) {
            return Vec::new();
        }
        self.team = Some(team.clone());
        vec![EventKind::TeamUpdated { team }]
    }

    /// The engine's own checks before anything is sent: capability, state, input.
    pub fn plan(&mut self, cmd: &Command, now: Instant, now_ms: i64) -> Result<Plan, CoreError> {
        let op = cmd.operation();
        let busy = !self.calls.is_empty();
        // A double click must not sign in, or dial, twice.
        let once = matches!(
            cmd,
            Command::SignIn | Command::SignOut | Command::Dial { .. }
        );
        if once && self.in_flight.iter().any(|(_, n)| *n == cmd.name()) {
            return Err(CoreError::state(op, "already in progress"));
        }
        match cmd {
            Command::FinishWrapUp => {
                if self.wrap_up.is_none() {
                    return Err(CoreError::state(op, "not in wrap-up"));
                }
                let mut events = Vec::new();
                let effects = self.end_wrap_up(now, now_ms, &mut events);
                return Ok(Plan::Local {
                    message: None,
                    effects,
                    events,
                });
            }
            Command::SetNotReady { reason } => {
                self.check_capability(op)?;
                if !self.config.pause_reasons.iter().any(|r| r == reason) {
                    return Err(CoreError::invalid(
                        "reason",
                        format!("{reason:?} is not one of the configured pause reasons"),
                    ));
                }
                if self.presence == Presence::SignedOut {
                    return Err(CoreError::state(op, "sign in first"));
                }
                if busy || self.wrap_up.is_some() {
                    let p = Presence::NotReady {
                        reason: Some(reason.clone()),
                    };
                    self.queued = Some(p);
                    return Ok(Plan::Local {
                        message: Some("queued: applied when the call and wrap-up end".into()),
                        effects: Vec::new(),
                        events: Vec::new(),
                    });
                }
            }
            Command::SetReady => {
                self.check_capability(op)?;
                if self.presence == Presence::SignedOut {
                    return Err(CoreError::state(op, "sign in first"));
                }
                if busy {
                    self.queued = Some(Presence::Ready);
                    return Ok(Plan::Local {
                        message: Some("queued: applied when the call ends".into()),
                        effects: Vec::new(),
                        events: Vec::new(),
                    });
                }
                if self.wrap_up.is_some() {
                    // "Ready" during after-call work means "done, take calls again".
                    self.queued = Some(Presence::Ready);
                    let mut events = Vec::new();
                    let effects = self.end_wrap_up(now, now_ms, &mut events);
                    return Ok(Plan::Local {
                        message: None,
                        effects,
                        events,
                    });
                }
            }
            Command::SignOut => {
                self.check_capability(op)?;
                if busy {
                    return Err(CoreError::state(op, "a call is in progress"));
                }
            }
            Command::Dial { number, .. } => {
                self.check_capability(op)?;
                check_number("number", number)?;
                if self.calls.iter().any(|c| c.state != CallState::Held) {
                    return Err(CoreError::state(
                        op,
                        "a call is in progress; consult instead",
                    ));
                }
            }
            Command::Consult { target } | Command::Transfer { target } => {
                self.check_capability(op)?;
                check_number("target", target)?;
                self.need_call(op)?;
            }
            Command::Conference { target } => {
                self.check_capability(op)?;
                if let Some(t) = target {
                    check_number("target", t)?;
                }
                self.need_call(op)?;
            }
            Command::Dtmf { digits } => {
                self.check_capability(op)?;
                if digits.is_empty()
                    || digits.len() > 32
                    || !digits
                        .chars()
                        .all(|c| c.is_ascii_digit() || c == '*' || c == '#')
                {
                    return Err(CoreError::invalid("digits", "1-32 of 0-9, * and #"));
                }
                self.need_call(op)?;
            }
            Command::ToIvr { target } => {
                self.check_capability(op)?;
                check_token("target", target)?;
                self.need_call(op)?;
            }
            Command::CollectDigits { code } => {
                self.check_capability(op)?;
                check_token("code", code)?;
                self.need_call(op)?;
            }
            Command::Answer { .. } => {
                self.check_capability(op)?;
                if !self.calls.iter().any(|c| c.state == CallState::Ringing) {
                    return Err(CoreError::state(op, "no call is ringing"));
                }
            }
            Command::Hangup { .. }
            | Command::Hold
            | Command::Resume
            | Command::TakeBack
            | Command::CompleteTransfer
            | Command::ConferenceKick { .. }
            | Command::ConferenceMute { .. } => {
                self.check_capability(op)?;
                self.need_call(op)?;
            }
            Command::PickUp { extension } => {
                self.check_capability(op)?;
                check_token("extension", extension)?;
            }
            Command::Monitor { agent }
            | Command::Whisper { agent }
            | Command::Barge { agent }
            | Command::ForceRelease { agent } => {
                self.check_capability(op)?;
                if !self.agent.supervisor {
                    return Err(CoreError::state(op, "only a supervisor can do this"));
                }
                check_token("agent", agent)?;
            }
            Command::SignIn => self.check_capability(op)?,
            // A CRM's server-placed calls do not involve the agent's phone or presence.
            Command::VoiceCode {
                number,
                voice,
                code,
                id,
                plays,
            } => {
                self.check_capability(op)?;
                check_number("number", number)?;
                check_token("voice", voice)?;
                if let Some(c) = code {
                    check_code(c)?;
                }
                if let Some(id) = id {
                    check_task_id("id", id)?;
                }
                if plays.is_some_and(|p| !(1..=10).contains(&p)) {
                    return Err(CoreError::invalid("plays", "1 to 10"));
                }
            }
            Command::IvrCall {
                number,
                ivr,
                vars,
                id,
            } => {
                self.check_capability(op)?;
                check_number("number", number)?;
                check_token("ivr", ivr)?;
                check_vars(vars)?;
                if let Some(id) = id {
                    check_task_id("id", id)?;
                }
            }
            Command::CrmCallResult { id, .. } => {
                self.check_capability(op)?;
                check_task_id("id", id)?;
            }
        }
        Ok(Plan::Send)
    }

    fn check_capability(&self, op: Operation) -> Result<(), CoreError> {
        match self.capabilities.why_not(op) {
            None => Ok(()),
            Some(reason) => Err(CoreError::NotSupported {
                operation: op,
                vendor: self.vendor_id.clone(),
                reason,
            }),
        }
    }

    fn need_call(&self, op: Operation) -> Result<(), CoreError> {
        if self.calls.is_empty() {
            Err(CoreError::state(op, "no call"))
        } else {
            Ok(())
        }
    }

    pub fn begin(&mut self, token: u64, cmd: &Command) {
        self.in_flight.push((token, cmd.name()));
    }

    /// Applies a command's success to the model where the server will not tell us by itself.
    pub fn command_done(
        &mut self,
        token: u64,
        cmd: &Command,
        result: Result<&SignedInOrNot, &CoreError>,
        now: Instant,
        now_ms: i64,
    ) -> Vec<EventKind> {
        self.in_flight.retain(|(t, _)| *t != token);
        let mut out = Vec::new();
        if let Ok(r) = result {
            match (cmd, r) {
                (Command::SignIn, SignedInOrNot::SignedIn(s)) => {
                    self.agent = s.agent.clone();
                    self.presence = s.presence.clone();
                }
                (Command::SignOut, _) => {
                    self.presence = Presence::SignedOut;
                    self.queued = None;
                    self.wrap_up = None;
                    self.wrap_up_paused_server = false;
                }
                (Command::SetReady, _) => self.presence = Presence::Ready,
                (Command::SetNotReady { reason }, _) => {
                    self.presence = Presence::NotReady {
                        reason: Some(reason.clone()),
                    }
                }
                (Command::Hold, _) => self.set_active_state(CallState::Held, &mut out),
                (Command::Resume, _) | (Command::TakeBack, _) => {
                    if let Some(c) = self.calls.first_mut() {
                        c.consult_party = None;
                    }
                    self.set_active_state(CallState::Talking, &mut out)
                }
                (Command::Consult { target }, _) => {
                    if let Some(c) = self.calls.first_mut() {
                        c.consult_party = Some(target.clone());
                    }
                    self.set_active_state(CallState::Consulting, &mut out)
                }
                (Command::Conference { .. }, _) => {
                    self.set_active_state(CallState::Conference, &mut out)
                }
                _ => {}
            }
        }
        self.restate(now, now_ms, &mut out);
        out
    }

    /// Applies a presence the engine itself asked for (queued, wrap-up).
    pub fn presence_applied(&mut self, p: Presence, now: Instant, now_ms: i64) -> Vec<EventKind> {
        if !matches!(&p, Presence::NotReady { reason: Some(r) } if r == WRAP_UP_REASON) {
            self.presence = p;
        }
        let mut out = Vec::new();
        self.restate(now, now_ms, &mut out);
        out
    }

    fn set_active_state(&mut self, state: CallState, out: &mut Vec<EventKind>) {
        if let Some(c) = self.calls.first_mut() {
            if c.state != state {
                c.state = state;
                out.push(EventKind::CallUpdated { call: c.clone() });
            }
        }
    }

    pub fn snapshot(&self, now: Instant, last_seq: u64) -> Snapshot {
        let mut totals = self.totals.clone();
        *totals.entry(self.state.kind()).or_default() +=
            now.saturating_duration_since(self.state_since);
        Snapshot {
            vendor: self.vendor_id.clone(),
            agent: self.agent.clone(),
            state: self.state.clone(),
            state_since_ms: self.state_since_ms,
            state_secs: now.saturating_duration_since(self.state_since).as_secs(),
            presence: self.presence.clone(),
            queued_presence: self.queued.clone(),
            wrap_up: self.wrap_up.as_ref().map(|w| WrapUp {
                ends_at_ms: w.ends_at_ms,
                remaining_secs: w.ends_at.saturating_duration_since(now).as_secs(),
            }),
            connection: self.connection.clone(),
            calls: self.calls.clone(),
            missed: self.missed.iter().cloned().collect(),
            capabilities: self.capabilities.clone(),
            pause_reasons: self.config.pause_reasons.clone(),
            state_totals: totals
                .into_iter()
                .map(|(state, d)| StateTotal {
                    state,
                    secs: d.as_secs(),
                })
                .collect(),
            in_flight: self.in_flight.iter().map(|(_, n)| n.to_string()).collect(),
            warnings: self.warnings.clone(),
            team: self.team.clone(),
            last_event_seq: last_seq,
        }
    }
}

/// A command's successful result as the session needs it.
#[derive(Debug, Clone)]
pub enum SignedInOrNot {
    SignedIn(SignedIn),
    Other,
}

/// Phone numbers as every server takes them: digits, `*`, `#`, a leading `+`.
pub fn check_number(field: &str, n: &str) -> Result<(), CoreError> {
    let body = n.strip_prefix('+').unwrap_or(n);
    if body.is_empty()
        || n.len() > 32
        || !body
            .chars()
            .all(|c| c.is_ascii_digit() || c == '*' || c == '#')
    {
        return Err(CoreError::invalid(
            field,
            "a phone number: 1-32 of 0-9, * and #, optional leading +",
        ));
    }
    Ok(())
}

/// Ids that go into server requests (agents, IVR targets, codes): plain tokens only.
pub fn check_token(field: &str, t: &str) -> Result<(), CoreError> {
    if t.is_empty()
        || t.len() > 64
        || !t
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '@'))
    {
        return Err(CoreError::invalid(
            field,
            "1-64 of letters, digits, _ - . @",
        ));
    }
    Ok(())
}
