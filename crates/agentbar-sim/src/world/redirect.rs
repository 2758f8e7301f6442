//! Redirect: move one or two legs somewhere else (blind transfer, MeetMe room, IVR/application).

use serde::{Deserialize, Serialize};

use crate::error::SimResult;
use crate::model::{ChannelState, Location};

use super::World;

/// Where a redirected leg goes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Destination {
    /// Dial an extension or an external number (blind transfer).
    Number(String),
    /// Join a MeetMe room.
    Room(String),
    /// Run a context/application (IVR, quality check...): the leg is "in the IVR".
    App {
        /// Context.
        context: String,
        /// Extension.
        exten: String,
    },
}

impl World {
    /// Moves `channel` (and `extra`, if given) to `dest`. A peer that is not moved is hung up.
    pub fn redirect(
        &mut self,
        channel: &str,
        extra: Option<&str>,
        dest: &Destination,
    ) -> SimResult<()> {
        self.chan(channel)?;
        let mut moving = vec![channel.to_owned()];
        if let Some(e) = extra {
            self.chan(e)?;
            if e != channel {
                moving.push(e.to_owned());
            }
        }
        for m in &moving {
            self.detach(m, &moving);
        }
        for m in &moving {
            if !self.channels.contains_key(m) {
                continue;
            }
            match dest {
                Destination::Number(n) => self.dial_from(m, n, None)?,
                Destination::Room(r) => self.join_room(m, r)?,
                Destination::App { context, exten } => {
                    let c = self.chan_mut(m)?;
                    c.state = ChannelState::Up;
                    c.location = Location::App {
                        context: context.clone(),
                        exten: exten.clone(),
                    };
                }
            }
        }
        Ok(())
    }

    /// Takes a leg out of wherever it is, hanging up a peer that is not moving with it.
    fn detach(&mut self, name: &str, moving: &[String]) {
        let Some(ch) = self.channels.get(name).cloned() else {
            return;
        };
        match &ch.location {
            Location::Room { room } => self.leave_room(room, name),
            Location::Spy { .. } => self.spies.retain(|s| s.spy_channel != name),
            Location::Queue { queue } => {
                let offered = self.queues.get_mut(queue).and_then(|q| {
                    let pos = q.waiting.iter().position(|w| w.caller_channel == name)?;
                    q.waiting.remove(pos).offered
                });
                if let Some(o) = offered {
                    if let Some(c) = self.channels.get_mut(o.as_str()) {
                        c.peer = None;
                    }
                    self.hangup_many(vec![o]);
                }
            }
            _ => {}
        }
        if let Some(c) = self.channels.get_mut(name) {
            c.peer = None;
            c.linked = false;
            c.location = Location::Call;
            if c.state != ChannelState::Up {
                c.state = ChannelState::Up;
            }
        }
        if let Some(p) = ch.peer {
            if let Some(pc) = self.channels.get_mut(&p) {
                if pc.peer.as_deref() == Some(name) {
                    pc.peer = None;
                    pc.linked = false;
                }
            }
            if !moving.contains(&p) {
                self.hangup_many(vec![p]);
            }
        }
    }
}
