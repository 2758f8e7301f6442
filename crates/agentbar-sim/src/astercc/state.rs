//! The asterCC front end's state, one per sim: agents, the tracker's view of calls (sessions,
//! legs, holds, consults), and what tests read back (events, DTMF, imports, recordings).
//!
//! Lock order: the sim's state lock first, then this one. Code holding this lock never calls
//! the `Sim` handle; handlers take it inside `Sim::mutate` / `Sim::read` closures.

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Mutex, MutexGuard};

use md5::{Digest, Md5};
use rand::Rng;
use serde::{Deserialize, Serialize};
use tokio::sync::watch;

use super::agents::AgentRt;
use super::config::AsterccConfig;
use super::events::{CallEvent, CallKind};
use super::push::{self, Outbox};
use crate::clock::SimClock;
use crate::model::CallId;

/// The part a leg plays in a call.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Role {
    /// An agent's phone.
    Agent,
    /// The customer (`CALLER`, or `CALLEE` in outbound calls if so configured).
    Customer,
    /// The party an agent consults.
    Consult,
}

/// The tracker's view of one live leg.
#[derive(Clone, Debug)]
pub(crate) struct Leg {
    pub call: CallId,
    pub role: Role,
    /// asterCC's `uniqueid` for the leg: the model channel's creation number.
    pub uniqueid: String,
    /// `activenum`: the device number, or the external number.
    pub number: String,
    /// The device, for agent legs.
    pub device: Option<String>,
    /// The channel as asterCC names it, `Local/<number>@hosted-<from>-<4 hex>;1`.
    pub local: String,
    pub rang: bool,
    pub up: bool,
    pub held: bool,
    pub in_room: bool,
}

/// The tracker's view of one call.
#[derive(Clone, Debug)]
pub(crate) struct Session {
    pub sessionid: String,
    pub kind: CallKind,
    /// Spy and application calls produce no events.
    pub ignored: bool,
    pub calleridnum: String,
    pub did: String,
    pub group: String,
    pub modeltype: String,
    pub model_id: String,
    pub userdata: Option<String>,
    /// The first agent's phone (`activenum` of the final `CONVERSATION` event).
    pub agent_number: String,
    /// The first agent's work number (recording names).
    pub agent_work_number: String,
    pub customer_rang: bool,
    pub customer_answered: bool,
    pub started_ms: i64,
    /// Hold, consult or conference was used: the tracker tidies up its orphans.
    pub managed: bool,
}

/// A leg on hold and the agent leg it waits for.
#[derive(Clone, Debug)]
pub(crate) struct Hold {
    pub holder: String,
    /// Held for a consult (so `Resume` does not apply; `CALLRETURN` does).
    pub consult: bool,
}

/// An event as generated, in order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordedEvent {
    /// The event.
    #[serde(flatten)]
    pub event: CallEvent,
    /// Its wire string.
    pub body: String,
    /// Generated at, epoch ms (simulator clock).
    pub at_ms: i64,
}

/// DTMF an agent sent (`SendDtmf`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DtmfRecord {
    /// Agent work number.
    pub agent: String,
    /// The call's `sessionid`.
    pub sessionid: String,
    /// The leg that heard them (the agent's peer), as asterCC's `uniqueid`.
    pub uniqueid: String,
    /// The digits.
    pub digits: String,
    /// When, epoch ms.
    pub at_ms: i64,
}

/// A customer loaded by `Import`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportRecord {
    /// Campaign id.
    pub model_id: String,
    /// `data`, `http` or `ftp`.
    pub source: String,
    /// Fields (for `data`), in order.
    pub fields: Vec<(String, String)>,
    /// The file address (for `http` / `ftp`).
    pub file: Option<String>,
    /// Put on the dialing list too (`phone_field` given).
    pub listed: bool,
    /// The task id answered (for `http` / `ftp`).
    pub task_id: Option<u64>,
}

/// A call's recording.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recording {
    /// `sessionid`.
    pub sessionid: String,
    /// Call date, `yyyy-mm-dd`.
    pub calldate: String,
    /// File name, e.g. `20130123114549-8005-13800138000.wav`.
    pub file: String,
}

/// Everything behind the lock.
pub(crate) struct Inner {
    pub agents: BTreeMap<String, AgentRt>,
    pub legs: BTreeMap<String, Leg>,
    pub sessions: BTreeMap<CallId, Session>,
    pub holds: BTreeMap<String, Hold>,
    pub consults: BTreeMap<String, String>,
    pub events: VecDeque<RecordedEvent>,
    pub next_eventid: u64,
    pub dtmf: Vec<DtmfRecord>,
    pub imports: Vec<ImportRecord>,
    pub next_import_task: u64,
    pub recordings: BTreeMap<String, Recording>,
}

/// The front end's state.
pub(crate) struct State {
    pub cfg: AsterccConfig,
    pub outbox: Outbox,
    pub clock: SimClock,
    salt: String,
    inner: Mutex<Inner>,
}

impl State {
    pub fn new(cfg: AsterccConfig, down: watch::Receiver<bool>, clock: SimClock) -> State {
        let now = clock.now_ms();
        let agents = cfg
            .agents
            .iter()
            .map(|a| (a.number.clone(), AgentRt::new(&cfg, a, now)))
            .collect();
        let salt = format!("{:016x}", rand::thread_rng().gen::<u64>());
        State {
            outbox: push::outbox(&cfg.push, down, clock.clone()),
            clock,
            salt,
            inner: Mutex::new(Inner {
                agents,
                legs: BTreeMap::new(),
                sessions: BTreeMap::new(),
                holds: BTreeMap::new(),
                consults: BTreeMap::new(),
                events: VecDeque::new(),
                next_eventid: 0,
                dtmf: Vec::new(),
                imports: Vec::new(),
                next_import_task: 0,
                recordings: BTreeMap::new(),
            }),
            cfg,
        }
    }

    pub fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A call's `sessionid`: 32 lower-case hex digits, unique to this sim and call.
    pub fn sessionid(&self, call: &CallId) -> String {
        let d = Md5::digest(format!("{}:{}", self.salt, call.0).as_bytes());
        d.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// Numbers, records and queues an event for delivery.
    pub fn emit(&self, inner: &mut Inner, mut event: CallEvent) {
        inner.next_eventid += 1;
        event.eventid = inner.next_eventid;
        let body = event.body();
        self.outbox.send((event.eventid, body.clone()));
        inner.events.push_back(RecordedEvent {
            event,
            body,
            at_ms: self.clock.now_ms(),
        });
        while inner.events.len() > self.cfg.push.log_capacity.max(1) {
            inner.events.pop_front();
        }
    }
}
