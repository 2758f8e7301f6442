//! The simulated call center's state and its synchronous rules. `World` lives behind the
//! `Sim` handle's mutex; every rule is a plain method so it is easy to test and never awaits.
//!
//! Rules that must happen later (ring time-outs, auto answer, queue retries) are not run here:
//! a method pushes a [`Timer`] into `timers`, and the `Sim` handle spawns a tokio sleep for
//! each one after releasing the lock.

mod answer;
mod calls;
mod hangup;
mod meetme;
mod originate;
mod queue;
mod redirect;
mod vars;

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use rand::Rng;

pub use originate::{Endpoint, OriginateSpec};
pub use redirect::Destination;

use crate::clock::{format_ms, SimClock};
use crate::config::SimConfig;
use crate::error::{SimError, SimResult};
use crate::faults::Faults;
use crate::model::{
    Agent, CallId, CallRecord, CdrRow, Channel, ChannelState, Device, Direction, Location,
    OnAnswer, Queue, RequestRecord, Room, Spy,
};

/// Something to do after a delay.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Timer {
    /// The channel has rung long enough.
    RingTimeout(String),
    /// The party on the channel picks up.
    AutoAnswer(String),
    /// Offer a queue call again to members that let it ring out.
    QueueRetry { queue: String, call: CallId },
}

/// How many hung-up channels are kept for inspection.
const RECENT_HANGUPS: usize = 100;

/// The whole simulated state.
pub(crate) struct World {
    pub cfg: SimConfig,
    pub clock: SimClock,
    pub devices: BTreeMap<String, Device>,
    pub agents: BTreeMap<String, Agent>,
    pub queues: BTreeMap<String, Queue>,
    pub channels: BTreeMap<String, Channel>,
    pub calls: BTreeMap<CallId, CallRecord>,
    pub rooms: BTreeMap<String, Room>,
    pub spies: Vec<Spy>,
    pub cdr: Vec<CdrRow>,
    pub recent_hangups: VecDeque<Channel>,
    pub requests: Vec<RequestRecord>,
    pub mailboxes: BTreeMap<String, (u32, u32)>,
    pub faults: Faults,
    pub timers: Vec<(u64, Timer)>,
    seq: u64,
    request_seq: u64,
}

impl World {
    pub fn new(cfg: SimConfig, clock: SimClock) -> Self {
        let now = clock.now_ms();
        let devices = cfg
            .extensions
            .iter()
            .map(|e| {
                let d = Device {
                    number: e.number.clone(),
                    interface: format!("{}/{}", e.tech, e.number),
                    kind: e.kind,
                    user: e.user.clone(),
                    context: "from-internal".to_owned(),
                    created_ms: now,
                    status: 0,
                    status_since_ms: now,
                };
                (e.number.clone(), d)
            })
            .collect();
        let agents = cfg
            .agents
            .iter()
            .map(|a| {
                let agent = Agent {
                    number: a.number.clone(),
                    name: a.name.clone(),
                };
                (a.number.clone(), agent)
            })
            .collect();
        let mut w = World {
            devices,
            agents,
            queues: BTreeMap::new(),
            channels: BTreeMap::new(),
            calls: BTreeMap::new(),
            rooms: BTreeMap::new(),
            spies: Vec::new(),
            cdr: Vec::new(),
            recent_hangups: VecDeque::new(),
            requests: Vec::new(),
            mailboxes: BTreeMap::new(),
            faults: Faults::default(),
            timers: Vec::new(),
            seq: 0,
            request_seq: 0,
            clock,
            cfg: cfg.clone(),
        };
        for q in &cfg.queues {
            let mut queue = Queue {
                number: q.number.clone(),
                members: Vec::new(),
                waiting: Vec::new(),
                completed: 0,
                abandoned: 0,
                total_hold_secs: 0,
                max: q.max,
                created_ms: now,
            };
            for iface in &q.static_members {
                queue.members.push(w.new_member(iface, 0, false));
            }
            w.queues.insert(q.number.clone(), queue);
        }
        w
    }

    pub fn now_ms(&self) -> i64 {
        self.clock.now_ms()
    }

    /// Runs after every change: offers waiting calls, updates device states, closes calls.
    pub fn after_mutation(&mut self) {
        self.dispatch_queues();
        self.refresh_device_status();
        self.finish_calls();
    }

    /// Applies a timer that has come due.
    pub fn fire(&mut self, timer: Timer) {
        match timer {
            Timer::RingTimeout(ch) => self.ring_timeout(&ch),
            Timer::AutoAnswer(ch) => {
                let ringing = self
                    .channels
                    .get(&ch)
                    .is_some_and(|c| c.state == ChannelState::Ringing);
                if ringing {
                    if let Err(e) = self.answer_channel(&ch) {
                        tracing::debug!(channel = %ch, error = %e, "auto answer failed");
                    }
                }
            }
            Timer::QueueRetry { queue, call } => self.queue_retry(&queue, &call),
        }
    }

    pub fn schedule(&mut self, delay_ms: u64, timer: Timer) {
        self.timers.push((delay_ms, timer));
    }

    pub fn log_request(&mut self, vendor: &str, endpoint: &str, params: Vec<(String, String)>) {
        self.request_seq += 1;
        let rec = RequestRecord {
            seq: self.request_seq,
            vendor: vendor.to_owned(),
            endpoint: endpoint.to_owned(),
            params,
            at_ms: self.now_ms(),
        };
        self.requests.push(rec);
    }

    // ----- lookups -----

    pub fn chan(&self, name: &str) -> SimResult<&Channel> {
        self.channels
            .get(name)
            .ok_or_else(|| SimError::not_found("channel", name))
    }

    pub fn chan_mut(&mut self, name: &str) -> SimResult<&mut Channel> {
        self.channels
            .get_mut(name)
            .ok_or_else(|| SimError::not_found("channel", name))
    }

    pub fn device(&self, number: &str) -> SimResult<&Device> {
        self.devices
            .get(number)
            .ok_or_else(|| SimError::not_found("device", number))
    }

    pub fn device_by_interface(&self, interface: &str) -> Option<&Device> {
        self.devices
            .values()
            .find(|d| d.interface.eq_ignore_ascii_case(interface))
    }

    /// Name of the agent bound to a device, or empty.
    pub fn device_party_name(&self, device: &str) -> String {
        self.devices
            .get(device)
            .and_then(|d| d.user.as_ref())
            .and_then(|u| self.agents.get(u))
            .map(|a| a.name.clone())
            .unwrap_or_default()
    }

    /// Live channels of a device, oldest first.
    pub fn device_channels(&self, device: &str) -> Vec<&Channel> {
        let mut v: Vec<&Channel> = self
            .channels
            .values()
            .filter(|c| c.device.as_deref() == Some(device))
            .collect();
        v.sort_by_key(|c| c.seq);
        v
    }

    // ----- channel creation -----

    fn next_uniqueid(&mut self) -> (String, u64) {
        self.seq += 1;
        (
            format!("{}.{}", self.clock.epoch_secs(), self.seq),
            self.seq,
        )
    }

    fn channel_name(&self, interface: &str) -> String {
        let mut rng = rand::thread_rng();
        loop {
            let name = format!("{interface}-{:08x}", rng.gen::<u32>());
            if !self.channels.contains_key(&name) {
                return name;
            }
        }
    }

    /// A fresh channel on `interface`, not yet inserted. Callers fill in the rest.
    pub fn blank_channel(
        &mut self,
        interface: &str,
        device: Option<String>,
        call: CallId,
    ) -> Channel {
        let (uniqueid, seq) = self.next_uniqueid();
        Channel {
            name: self.channel_name(interface),
            uniqueid,
            seq,
            interface: interface.to_owned(),
            device,
            call,
            state: ChannelState::Down,
            callerid: String::new(),
            calleridname: String::new(),
            connected: String::new(),
            connectedname: String::new(),
            direction: Direction::In,
            did: String::new(),
            peer: None,
            linked: false,
            originator: false,
            vars: BTreeMap::new(),
            created_ms: self.now_ms(),
            linked_ms: None,
            location: Location::Call,
            on_answer: OnAnswer::Bridge,
            ring_timeout_ms: self.cfg.ring_timeout_ms,
            hungup: false,
        }
    }

    /// Rings extension `exten`: a new Ringing leg on its interface, filled in by `fill`, with the
    /// ring time-out and (if configured) agent auto answer scheduled. Returns the channel name.
    pub fn ring_device(
        &mut self,
        exten: &str,
        call: CallId,
        fill: impl FnOnce(&mut Channel),
    ) -> SimResult<String> {
        let dev = self.device(exten)?.clone();
        let mut ch = self.blank_channel(&dev.interface, Some(dev.number.clone()), call);
        ch.callerid = dev.number.clone();
        ch.calleridname = self.device_party_name(&dev.number);
        ch.state = ChannelState::Ringing;
        fill(&mut ch);
        let name = ch.name.clone();
        self.schedule(ch.ring_timeout_ms, Timer::RingTimeout(name.clone()));
        if let Some(ms) = self.cfg.agent_auto_answer_ms {
            self.schedule(ms, Timer::AutoAnswer(name.clone()));
        }
        self.channels.insert(name.clone(), ch);
        Ok(name)
    }

    /// Rings external `number` on the trunk (leg filled in by `fill`). Returns the channel name.
    pub fn ring_external(
        &mut self,
        number: &str,
        call: CallId,
        fill: impl FnOnce(&mut Channel),
    ) -> String {
        let trunk = self.cfg.trunk.clone();
        let mut ch = self.blank_channel(&trunk, None, call);
        ch.callerid = number.to_owned();
        ch.direction = Direction::Out;
        ch.state = ChannelState::Ringing;
        fill(&mut ch);
        let name = ch.name.clone();
        self.schedule(ch.ring_timeout_ms, Timer::RingTimeout(name.clone()));
        if let Some(ms) = self.cfg.external_auto_answer_ms {
            self.schedule(ms, Timer::AutoAnswer(name.clone()));
        }
        self.channels.insert(name.clone(), ch);
        name
    }

    // ----- bookkeeping -----

    fn refresh_device_status(&mut self) {
        let mut busy: BTreeMap<&str, (bool, bool)> = BTreeMap::new();
        for c in self.channels.values() {
            if let Some(d) = c.device.as_deref() {
                let e = busy.entry(d).or_default();
                if c.state == ChannelState::Ringing {
                    e.1 = true;
                } else {
                    e.0 = true;
                }
            }
        }
        let now = self.clock.now_ms();
        let codes: Vec<(String, i32)> = self
            .devices
            .keys()
            .map(|k| {
                let code = match busy.get(k.as_str()).copied().unwrap_or_default() {
                    (false, false) => 0,
                    (true, false) => 1,
                    (false, true) => 8,
                    (true, true) => 9,
                };
                (k.clone(), code)
            })
            .collect();
        for (k, code) in codes {
            if let Some(d) = self.devices.get_mut(&k) {
                if d.status != code {
                    d.status = code;
                    d.status_since_ms = now;
                }
            }
        }
    }

    fn finish_calls(&mut self) {
        let live: BTreeSet<&CallId> = self.channels.values().map(|c| &c.call).collect();
        let ended: Vec<CallId> = self
            .calls
            .keys()
            .filter(|id| !live.contains(id))
            .cloned()
            .collect();
        let now = self.now_ms();
        for id in ended {
            let Some(rec) = self.calls.remove(&id) else {
                continue;
            };
            self.cdr.push(CdrRow {
                calldate: format_ms(rec.created_ms),
                uniqueid: rec.id.0.clone(),
                direction: rec.direction,
                src: rec.src,
                dst: rec.dst,
                did: rec.did,
                queue: rec.queue.unwrap_or_default(),
                channel: rec.first_channel,
                duration: (now - rec.created_ms) / 1000,
                billsec: rec.answered_ms.map_or(0, |a| (now - a) / 1000),
                disposition: if rec.answered_ms.is_some() {
                    "ANSWERED"
                } else {
                    "NO ANSWER"
                }
                .to_owned(),
                recordingfile: rec.recording.unwrap_or_default(),
            });
        }
    }
}
