//! Answering: what a ringing leg does once picked up (link, dial on, join a room, spy, pick up).

use crate::clock::format_ms;
use crate::error::{SimError, SimResult};
use crate::model::{ChannelState, Direction, Location, OnAnswer, Spy};

use super::World;

impl World {
    /// Answers a ringing (or Ring) channel and runs its `on_answer`.
    pub fn answer_channel(&mut self, name: &str) -> SimResult<()> {
        let ch = self.chan(name)?;
        if ch.state == ChannelState::Up {
            return Err(SimError::InvalidState(format!(
                "channel {name} is not ringing"
            )));
        }
        let on_answer = ch.on_answer.clone();
        let peer = ch.peer.clone();
        self.chan_mut(name)?.state = ChannelState::Up;
        match on_answer {
            OnAnswer::Bridge => match peer {
                Some(p) if self.channels.contains_key(&p) => self.link(name, &p),
                _ => self.hangup_many(vec![name.to_owned()]),
            },
            OnAnswer::Dial { number, callerid } => self.dial_from(name, &number, callerid)?,
            OnAnswer::JoinRoom { room, .. } => self.join_room(name, &room)?,
            OnAnswer::Spy {
                exten,
                mode,
                whisper,
                options,
            } => {
                let target_channel = self
                    .device_channels(&exten)
                    .into_iter()
                    .find(|c| c.state == ChannelState::Up)
                    .map(|c| c.name.clone());
                let c = self.chan_mut(name)?;
                c.location = Location::Spy {
                    exten: exten.clone(),
                };
                self.spies.push(Spy {
                    spy_channel: name.to_owned(),
                    target_exten: exten,
                    target_channel,
                    mode,
                    whisper,
                    options,
                });
            }
            OnAnswer::PickUp { exten } => self.pickup(name, &exten),
            OnAnswer::App { context, exten } => {
                self.chan_mut(name)?.location = Location::App { context, exten };
            }
        }
        Ok(())
    }

    /// The answered leg `dialer` dials `number`: an extension rings, anything else goes out on
    /// the trunk. Variables of the dialer are copied to the new leg.
    pub fn dial_from(
        &mut self,
        dialer: &str,
        number: &str,
        callerid: Option<String>,
    ) -> SimResult<()> {
        let d = self.chan(dialer)?.clone();
        let internal = self.devices.contains_key(number);
        // A trunk leg dialing an agent is an outbound call when the call itself is outbound
        // (trunk-first originate), inbound otherwise (customer call, blind transfer).
        let outbound = d.device.is_none()
            && self
                .calls
                .get(&d.call)
                .is_some_and(|c| c.direction == Direction::Out);
        let leg = if internal {
            self.ring_device(number, d.call.clone(), |c| {
                c.direction = if outbound {
                    Direction::Out
                } else {
                    Direction::In
                };
                c.connected = d.callerid.clone();
                c.connectedname = d.calleridname.clone();
                c.did = d.did.clone();
                c.peer = Some(dialer.to_owned());
                c.vars = d.vars.clone();
            })?
        } else {
            let shown = callerid.unwrap_or_else(|| self.cfg.display_number.clone());
            let timeout = self.cfg.originate_timeout_ms;
            self.ring_external(number, d.call.clone(), |c| {
                c.connected = shown;
                c.peer = Some(dialer.to_owned());
                c.vars = d.vars.clone();
                c.ring_timeout_ms = timeout;
            })
        };
        let connectedname = if internal {
            self.device_party_name(number)
        } else {
            String::new()
        };
        let c = self.chan_mut(dialer)?;
        c.peer = Some(leg);
        c.linked = false;
        c.location = Location::Call;
        c.connected = number.to_owned();
        c.connectedname = connectedname;
        if let Some(rec) = self.calls.get_mut(&d.call) {
            rec.dst = number.to_owned();
        }
        Ok(())
    }

    /// Links two legs; if one was a caller waiting in a queue, the queue counts the answer.
    pub fn link(&mut self, a: &str, b: &str) {
        let now = self.now_ms();
        for (x, y) in [(a, b), (b, a)] {
            let queue = match self.channels.get(x).map(|c| &c.location) {
                Some(Location::Queue { queue }) => Some(queue.clone()),
                _ => None,
            };
            if let Some(q) = queue {
                self.queue_connected(&q, x, y);
            }
        }
        for (x, y) in [(a, b), (b, a)] {
            if let Some(c) = self.channels.get_mut(x) {
                c.state = ChannelState::Up;
                c.peer = Some(y.to_owned());
                c.linked = true;
                c.linked_ms = Some(now);
                c.location = Location::Call;
            }
        }
        self.start_recording(a, b);
    }

    /// Names the recording after the agent's leg, e.g. `IN2011-20250101-101010-1423015162.92.WAV`,
    /// and stores it (without extension) as `MVB_MONITORFILE` on both legs.
    fn start_recording(&mut self, a: &str, b: &str) {
        let (Some(ca), Some(cb)) = (self.channels.get(a), self.channels.get(b)) else {
            return;
        };
        let call = ca.call.clone();
        let Some(rec) = self.calls.get(&call) else {
            return;
        };
        if rec.recording.is_some() {
            return;
        }
        let (src, dst) = if ca.originator { (ca, cb) } else { (cb, ca) };
        let order = if rec.direction == Direction::In {
            [dst, src]
        } else {
            [src, dst]
        };
        let Some(agent) = order.into_iter().find(|c| c.device.is_some()) else {
            return;
        };
        let stamp = format_ms(self.now_ms())
            .replace('-', "")
            .replacen(' ', "-", 1)
            .replace(':', "");
        let base = format!(
            "{}{}-{}-{}",
            rec.direction.as_str(),
            agent.device.clone().unwrap_or_default(),
            stamp,
            agent.uniqueid
        );
        let dialed = dst.callerid.clone();
        let now = self.now_ms();
        if let Some(rec) = self.calls.get_mut(&call) {
            rec.recording = Some(format!("{base}.WAV"));
            rec.answered_ms.get_or_insert(now);
        }
        for n in [a, b] {
            if let Some(c) = self.channels.get_mut(n) {
                c.vars.insert("MVB_MONITORFILE".into(), base.clone());
                c.vars
                    .entry("DIALEDPEERNUMBER".into())
                    .or_insert_with(|| dialed.clone());
            }
        }
    }

    /// `picker` (answered) takes the call ringing at `exten`; with nothing ringing it hangs up.
    fn pickup(&mut self, picker: &str, exten: &str) {
        let ringing = self
            .device_channels(exten)
            .into_iter()
            .find(|c| c.state == ChannelState::Ringing && c.peer.is_some())
            .map(|c| (c.name.clone(), c.peer.clone().unwrap_or_default()));
        let Some((ringing, caller)) = ringing else {
            self.hangup_many(vec![picker.to_owned()]);
            return;
        };
        self.channels.remove(&ringing);
        for q in self.queues.values_mut() {
            for w in &mut q.waiting {
                if w.offered.as_deref() == Some(ringing.as_str()) {
                    w.offered = None;
                }
            }
        }
        let (num, nm, did) = match self.channels.get(&caller) {
            Some(c) => (c.callerid.clone(), c.calleridname.clone(), c.did.clone()),
            None => {
                self.hangup_many(vec![picker.to_owned()]);
                return;
            }
        };
        if let Some(p) = self.channels.get_mut(picker) {
            p.connected = num;
            p.connectedname = nm;
            p.did = did;
            p.direction = Direction::In;
            p.originator = false;
        }
        // The picker's own call record has nothing else in it; the leg joins the caller's call.
        let call = self.channels.get(&caller).map(|c| c.call.clone());
        if let (Some(call), Some(p)) = (call, self.channels.get_mut(picker)) {
            p.call = call;
        }
        self.link(picker, &caller);
    }
}
