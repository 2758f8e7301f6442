//! The `Sim` operations: scripted parties, PBX actions, and snapshot getters.

use crate::error::{SimError, SimResult};
use crate::model::{
    Agent, CallId, CallRecord, CdrRow, Channel, ChannelState, Device, DeviceKind, IncomingSpec,
    Member, Queue, RequestRecord, Room, Snapshot, Spy,
};
use crate::world::{Destination, OriginateSpec, World};

use super::Sim;

/// Finds the ringing leg meant by `target`: a channel name, an extension, or an external number.
fn ringing_leg(w: &World, target: &str) -> SimResult<String> {
    if w.channels.contains_key(target) {
        return Ok(target.to_owned());
    }
    let mut legs: Vec<&Channel> = w
        .channels
        .values()
        .filter(|c| c.state != ChannelState::Up)
        .filter(|c| match &c.device {
            Some(d) => d == target,
            None => c.callerid == target,
        })
        .collect();
    legs.sort_by_key(|c| c.seq);
    legs.last()
        .map(|c| c.name.clone())
        .ok_or_else(|| SimError::InvalidState(format!("nothing is ringing at {target}")))
}

/// All live legs meant by `target`: a channel name, an extension, or an external number.
fn party_legs(w: &World, target: &str) -> Vec<String> {
    if w.channels.contains_key(target) {
        return vec![target.to_owned()];
    }
    w.channels
        .values()
        .filter(|c| match &c.device {
            Some(d) => d == target,
            None => c.callerid == target,
        })
        .map(|c| c.name.clone())
        .collect()
}

impl Sim {
    // ----- scripted parties -----

    /// A customer calls in. Returns the call's id (the caller leg's uniqueid).
    ///
    /// # Errors
    /// `NotFound` for an unknown queue or extension, `InvalidState` for a full queue.
    pub fn incoming_call(&self, spec: IncomingSpec) -> SimResult<CallId> {
        self.mutate(|w| w.incoming_call(spec))
    }

    /// Sets the digits the caller of `call` keys in when asked (`None`: never answers).
    pub fn set_caller_input(&self, call: &CallId, digits: Option<&str>) -> SimResult<()> {
        self.mutate(|w| w.set_caller_input(call, digits.map(str::to_owned)))
    }

    /// The party at `target` picks up: `target` is an extension (its newest ringing leg), an
    /// external number, or a channel name. Returns the answered channel.
    pub fn answer(&self, target: &str) -> SimResult<String> {
        self.mutate(|w| {
            let leg = ringing_leg(w, target)?;
            w.answer_channel(&leg)?;
            Ok(leg)
        })
    }

    /// The party at `target` (extension, external number, or channel name) hangs up.
    pub fn hangup_party(&self, target: &str) -> SimResult<()> {
        self.mutate(|w| {
            let legs = party_legs(w, target);
            if legs.is_empty() {
                return Err(SimError::not_found("active party", target));
            }
            w.hangup_many(legs);
            Ok(())
        })
    }

    /// Hangs up one channel by name (and the leg linked with it).
    pub fn hangup_channel(&self, channel: &str) -> SimResult<()> {
        self.mutate(|w| w.hangup(channel))
    }

    /// The customer of `call` hangs up (its trunk legs go).
    pub fn caller_hangs_up(&self, call: &CallId) -> SimResult<()> {
        self.mutate(|w| {
            let legs: Vec<String> = w
                .channels
                .values()
                .filter(|c| &c.call == call && c.device.is_none())
                .map(|c| c.name.clone())
                .collect();
            if legs.is_empty() {
                return Err(SimError::not_found("call", call.0.clone()));
            }
            w.hangup_many(legs);
            Ok(())
        })
    }

    /// Makes a ringing channel ring out now, as its time-out would.
    pub fn ring_timeout(&self, channel: &str) -> SimResult<()> {
        self.mutate(|w| {
            w.chan(channel)?;
            w.ring_timeout(channel);
            Ok(())
        })
    }

    // ----- PBX actions -----

    /// Logs an interface into a queue.
    pub fn queue_add(&self, queue: &str, interface: &str, penalty: u32) -> SimResult<()> {
        self.mutate(|w| w.queue_add(queue, interface, penalty))
    }

    /// Logs an interface out of a queue.
    pub fn queue_remove(&self, queue: &str, interface: &str) -> SimResult<()> {
        self.mutate(|w| w.queue_remove(queue, interface))
    }

    /// Pauses or unpauses an interface in `queue`, or in all its queues when `None`.
    pub fn queue_pause(&self, queue: Option<&str>, interface: &str, paused: bool) -> SimResult<()> {
        self.mutate(|w| w.queue_pause(queue, interface, paused))
    }

    /// Binds `user` to a temporary device.
    ///
    /// # Errors
    /// `NotFound` for an unknown device or user; `InvalidState` when the device is fixed, is
    /// already bound (split it first), or the user is bound elsewhere.
    pub fn bind_device(&self, device: &str, user: &str) -> SimResult<()> {
        self.mutate(|w| {
            let d = w.device(device)?;
            if d.kind == DeviceKind::Fixed {
                return Err(SimError::InvalidState(format!("device {device} is fixed")));
            }
            if let Some(u) = &d.user {
                return Err(SimError::InvalidState(format!(
                    "device {device} is bound to {u}; split it first"
                )));
            }
            if !w.agents.contains_key(user) {
                return Err(SimError::not_found("user", user));
            }
            if let Some(other) = w.devices.values().find(|d| d.user.as_deref() == Some(user)) {
                return Err(SimError::InvalidState(format!(
                    "user {user} is bound to device {}",
                    other.number
                )));
            }
            if let Some(d) = w.devices.get_mut(device) {
                d.user = Some(user.to_owned());
            }
            Ok(())
        })
    }

    /// Removes the user from a temporary device.
    pub fn split_device(&self, device: &str) -> SimResult<()> {
        self.mutate(|w| {
            let d = w.device(device)?;
            if d.kind == DeviceKind::Fixed {
                return Err(SimError::InvalidState(format!("device {device} is fixed")));
            }
            if let Some(d) = w.devices.get_mut(device) {
                d.user = None;
            }
            Ok(())
        })
    }

    /// Calls a first party and does `spec.action` when it answers. Returns the first leg.
    pub fn originate(&self, spec: OriginateSpec) -> SimResult<String> {
        self.mutate(|w| w.originate(spec))
    }

    /// Moves `channel` (and `extra`) to `dest`.
    pub fn redirect(
        &self,
        channel: &str,
        extra: Option<&str>,
        dest: &Destination,
    ) -> SimResult<()> {
        self.mutate(|w| w.redirect(channel, extra, dest))
    }

    /// Kicks user `user_no` out of `room` (its leg hangs up).
    pub fn meetme_kick(&self, room: &str, user_no: u32) -> SimResult<()> {
        self.mutate(|w| w.meetme_kick(room, user_no))
    }

    /// Mutes or unmutes a room member.
    pub fn meetme_mute(&self, room: &str, user_no: u32, muted: bool) -> SimResult<()> {
        self.mutate(|w| w.meetme_mute(room, user_no, muted))
    }

    /// Locks or unlocks a room.
    pub fn meetme_lock(&self, room: &str, locked: bool) -> SimResult<()> {
        self.mutate(|w| w.meetme_lock(room, locked))
    }

    /// Reads a channel variable (unknown ones read as empty).
    pub fn get_var(&self, channel: &str, var: &str) -> SimResult<String> {
        self.read(|w| w.get_var(channel, var))
    }

    /// Sets a channel variable.
    pub fn set_var(&self, channel: &str, var: &str, value: &str) -> SimResult<()> {
        self.mutate(|w| w.set_var(channel, var, value))
    }

    /// Sets a voicemail box's message counts.
    pub fn set_mailbox(&self, mailbox: &str, old: u32, new: u32) {
        self.mutate(|w| {
            w.mailboxes.insert(mailbox.to_owned(), (old, new));
        });
    }

    /// A mailbox's (old, new) message counts; unknown boxes have none.
    pub fn mailbox(&self, mailbox: &str) -> (u32, u32) {
        self.read(|w| w.mailboxes.get(mailbox).copied().unwrap_or((0, 0)))
    }

    // ----- getters -----

    /// One channel.
    pub fn channel(&self, name: &str) -> SimResult<Channel> {
        self.read(|w| w.chan(name).cloned())
    }

    /// All live channels, oldest first.
    pub fn channels(&self) -> Vec<Channel> {
        self.read(|w| {
            let mut v: Vec<Channel> = w.channels.values().cloned().collect();
            v.sort_by_key(|c| c.seq);
            v
        })
    }

    /// Live channels on `interface` (e.g. `SIP/2011`), oldest first.
    pub fn channels_of(&self, interface: &str) -> Vec<Channel> {
        self.channels()
            .into_iter()
            .filter(|c| c.interface.eq_ignore_ascii_case(interface))
            .collect()
    }

    /// The most recently hung-up channels (with `hungup` set), oldest first.
    pub fn recent_hangups(&self) -> Vec<Channel> {
        self.read(|w| w.recent_hangups.iter().cloned().collect())
    }

    /// One device.
    pub fn device(&self, number: &str) -> SimResult<Device> {
        self.read(|w| w.device(number).cloned())
    }

    /// The device with dial interface `interface`.
    pub fn device_by_interface(&self, interface: &str) -> Option<Device> {
        self.read(|w| w.device_by_interface(interface).cloned())
    }

    /// All devices.
    pub fn devices(&self) -> Vec<Device> {
        self.read(|w| w.devices.values().cloned().collect())
    }

    /// All agents.
    pub fn agents(&self) -> Vec<Agent> {
        self.read(|w| w.agents.values().cloned().collect())
    }

    /// All queues.
    pub fn queues(&self) -> Vec<Queue> {
        self.read(|w| w.queues.values().cloned().collect())
    }

    /// Members of `queue` (or of every queue) as (queue, member).
    pub fn queue_members(&self, queue: Option<&str>) -> Vec<(String, Member)> {
        self.read(|w| {
            w.queues
                .values()
                .filter(|q| queue.is_none_or(|n| n == q.number))
                .flat_map(|q| q.members.iter().map(|m| (q.number.clone(), m.clone())))
                .collect()
        })
    }

    /// One room.
    pub fn room(&self, number: &str) -> Option<Room> {
        self.read(|w| w.rooms.get(number).cloned())
    }

    /// All rooms.
    pub fn rooms(&self) -> Vec<Room> {
        self.read(|w| w.rooms.values().cloned().collect())
    }

    /// Active spies.
    pub fn spies(&self) -> Vec<Spy> {
        self.read(|w| w.spies.clone())
    }

    /// Calls in progress.
    pub fn active_calls(&self) -> Vec<CallRecord> {
        self.read(|w| w.calls.values().cloned().collect())
    }

    /// Finished calls, oldest first.
    pub fn call_log(&self) -> Vec<CdrRow> {
        self.read(|w| w.cdr.clone())
    }

    /// Everything at once.
    pub fn snapshot(&self) -> Snapshot {
        self.read(|w| {
            let mut channels: Vec<Channel> = w.channels.values().cloned().collect();
            channels.sort_by_key(|c| c.seq);
            Snapshot {
                channels,
                rooms: w.rooms.values().cloned().collect(),
                queues: w.queues.values().cloned().collect(),
                spies: w.spies.clone(),
                devices: w.devices.values().cloned().collect(),
                calls: w.calls.values().cloned().collect(),
            }
        })
    }

    // ----- request log -----

    /// Records a request received by a front end.
    pub fn log_request(&self, vendor: &str, endpoint: &str, params: Vec<(String, String)>) {
        self.lock().log_request(vendor, endpoint, params);
    }

    /// Every request received so far, in order.
    pub fn requests(&self) -> Vec<RequestRecord> {
        self.read(|w| w.requests.clone())
    }

    /// Requests to `endpoint` (e.g. `ctioriginate.php`), in order.
    pub fn requests_to(&self, endpoint: &str) -> Vec<RequestRecord> {
        self.read(|w| {
            w.requests
                .iter()
                .filter(|r| r.endpoint == endpoint)
                .cloned()
                .collect()
        })
    }

    /// Forgets the request log.
    pub fn reset_requests(&self) {
        self.lock().requests.clear();
    }
}
