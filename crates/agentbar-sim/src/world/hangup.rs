//! Hanging up: a leg leaves, and what that does to its peer, its room, its queue and its spies.

use crate::error::SimResult;
use crate::model::{ChannelState, Location};

use super::{World, RECENT_HANGUPS};

impl World {
    /// Hangs up one channel (and, as Asterisk does, the leg it was talking to or dialing).
    pub fn hangup(&mut self, name: &str) -> SimResult<()> {
        self.chan(name)?;
        self.hangup_many(vec![name.to_owned()]);
        Ok(())
    }

    /// Hangs up every listed channel and whatever that drags down with it.
    pub fn hangup_many(&mut self, mut work: Vec<String>) {
        while let Some(name) = work.pop() {
            let Some(mut ch) = self.channels.remove(&name) else {
                continue;
            };
            self.spies.retain(|s| s.spy_channel != name);
            for s in &mut self.spies {
                if s.target_channel.as_deref() == Some(name.as_str()) {
                    s.target_channel = None;
                }
            }
            match &ch.location {
                Location::Room { room } => self.leave_room(room, &name),
                Location::Queue { queue } => {
                    // The customer gave up while waiting.
                    if let Some(q) = self.queues.get_mut(queue) {
                        if let Some(pos) = q.waiting.iter().position(|w| w.caller_channel == name) {
                            let w = q.waiting.remove(pos);
                            q.abandoned += 1;
                            work.extend(w.offered);
                        }
                    }
                }
                _ => {}
            }
            if let Some(peer) = ch.peer.clone() {
                let offered_from_queue = self.channels.get(&peer).and_then(|p| match &p.location {
                    Location::Queue { queue } => Some(queue.clone()),
                    _ => None,
                });
                if let Some(queue) = offered_from_queue {
                    // An agent let a queue call go (rejected or rang out): it stays queued.
                    if let Some(q) = self.queues.get_mut(&queue) {
                        for w in &mut q.waiting {
                            if w.offered.as_deref() == Some(name.as_str()) {
                                w.offered = None;
                                w.excluded.push(ch.interface.clone());
                            }
                        }
                    }
                    if let Some(p) = self.channels.get_mut(&peer) {
                        p.peer = None;
                    }
                } else if self
                    .channels
                    .get(&peer)
                    .is_some_and(|p| p.peer.as_deref() == Some(name.as_str()))
                {
                    work.push(peer);
                }
            }
            ch.hungup = true;
            ch.state = ChannelState::Down;
            self.recent_hangups.push_back(ch);
            while self.recent_hangups.len() > RECENT_HANGUPS {
                self.recent_hangups.pop_front();
            }
        }
    }

    /// A ringing leg has rung long enough: a queue offer moves on (RONA, with autopause if
    /// configured); anything else gives up, taking its dialing peer with it.
    pub fn ring_timeout(&mut self, name: &str) {
        let Some(ch) = self.channels.get(name) else {
            return;
        };
        if ch.state != ChannelState::Ringing {
            return;
        }
        let queue = ch
            .peer
            .as_ref()
            .and_then(|p| self.channels.get(p))
            .and_then(|p| match &p.location {
                Location::Queue { queue } => Some(queue.clone()),
                _ => None,
            });
        if let Some(q) = queue {
            let iface = ch.interface.clone();
            let autopause = self.cfg.autopause;
            if let Some(queue) = self.queues.get_mut(&q) {
                if let Some(m) = queue.members.iter_mut().find(|m| m.interface == iface) {
                    m.missed += 1;
                    if autopause {
                        m.paused = true;
                    }
                }
            }
        }
        self.hangup_many(vec![name.to_owned()]);
    }
}
