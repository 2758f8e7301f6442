//! Queue rules: log in/out, pause, offering waiting calls to members, counting answers.

use crate::error::{SimError, SimResult};
use crate::model::{CallId, ChannelState, Direction, Location, Member};

use super::{Timer, World};

impl World {
    pub(super) fn new_member(&self, interface: &str, penalty: u32, dynamic: bool) -> Member {
        let agentname = match self.device_by_interface(interface) {
            Some(d) => d.user.clone().unwrap_or_else(|| d.number.clone()),
            None => interface.rsplit('/').next().unwrap_or(interface).to_owned(),
        };
        Member {
            interface: interface.to_owned(),
            agentname,
            dynamic,
            paused: false,
            penalty,
            calls_taken: 0,
            last_call_ms: None,
            added_ms: self.now_ms(),
            missed: 0,
        }
    }

    /// Logs `interface` into `queue`.
    pub fn queue_add(&mut self, queue: &str, interface: &str, penalty: u32) -> SimResult<()> {
        let member = self.new_member(interface, penalty, true);
        let q = self
            .queues
            .get_mut(queue)
            .ok_or_else(|| SimError::not_found("queue", queue))?;
        if q.members
            .iter()
            .any(|m| m.interface.eq_ignore_ascii_case(interface))
        {
            return Err(SimError::InvalidState(format!(
                "Unable to add interface {interface} to queue {queue}: Already there"
            )));
        }
        q.members.push(member);
        Ok(())
    }

    /// Logs `interface` out of `queue`.
    pub fn queue_remove(&mut self, queue: &str, interface: &str) -> SimResult<()> {
        let q = self
            .queues
            .get_mut(queue)
            .ok_or_else(|| SimError::not_found("queue", queue))?;
        let pos = q
            .members
            .iter()
            .position(|m| m.interface.eq_ignore_ascii_case(interface))
            .ok_or_else(|| {
                SimError::not_found("queue member", format!("{interface} in {queue}"))
            })?;
        q.members.remove(pos);
        Ok(())
    }

    /// Pauses or unpauses `interface` in `queue`, or in every queue it is in.
    pub fn queue_pause(
        &mut self,
        queue: Option<&str>,
        interface: &str,
        paused: bool,
    ) -> SimResult<()> {
        if let Some(q) = queue {
            if !self.queues.contains_key(q) {
                return Err(SimError::not_found("queue", q));
            }
        }
        let mut found = false;
        for q in self.queues.values_mut() {
            if queue.is_some_and(|n| n != q.number) {
                continue;
            }
            let mut hit = false;
            for m in &mut q.members {
                if m.interface.eq_ignore_ascii_case(interface) {
                    m.paused = paused;
                    hit = true;
                }
            }
            if hit && !paused {
                // Becoming ready again starts a new round for this member.
                for w in &mut q.waiting {
                    w.excluded.retain(|i| !i.eq_ignore_ascii_case(interface));
                }
            }
            found |= hit;
        }
        if found {
            Ok(())
        } else {
            Err(SimError::not_found("queue member", interface))
        }
    }

    /// Offers every waiting call that is not ringing anywhere to the best free member:
    /// not paused, its device idle, lowest penalty, then least recently called.
    pub(super) fn dispatch_queues(&mut self) {
        let names: Vec<String> = self.queues.keys().cloned().collect();
        for q in names {
            self.dispatch(&q);
        }
    }

    fn dispatch(&mut self, queue: &str) {
        let Some(q) = self.queues.get(queue) else {
            return;
        };
        let entries: Vec<(CallId, String, Vec<String>)> = q
            .waiting
            .iter()
            .filter(|w| w.offered.is_none() && !w.retry_pending)
            .map(|w| (w.call.clone(), w.caller_channel.clone(), w.excluded.clone()))
            .collect();
        for (call, caller, excluded) in entries {
            let free = self.free_members(queue);
            let pick = free.iter().find(|(iface, _)| !excluded.contains(iface));
            match pick {
                Some((_, device)) => {
                    let device = device.clone();
                    let Some(c) = self.channels.get(&caller) else {
                        continue;
                    };
                    let (from, name, did) =
                        (c.callerid.clone(), c.calleridname.clone(), c.did.clone());
                    let caller2 = caller.clone();
                    let Ok(leg) = self.ring_device(&device, call.clone(), |ch| {
                        ch.direction = Direction::In;
                        ch.connected = from;
                        ch.connectedname = name;
                        ch.did = did;
                        ch.peer = Some(caller2);
                    }) else {
                        continue;
                    };
                    if let Some(c) = self.channels.get_mut(&caller) {
                        c.peer = Some(leg.clone());
                    }
                    if let Some(w) = self.waiting_mut(queue, &call) {
                        w.offered = Some(leg);
                    }
                }
                None if !excluded.is_empty() && !free.is_empty() => {
                    // Everyone free already let it ring out: try them again after a pause.
                    if let Some(w) = self.waiting_mut(queue, &call) {
                        w.retry_pending = true;
                    }
                    let ms = self.cfg.queue_retry_ms;
                    self.schedule(
                        ms,
                        Timer::QueueRetry {
                            queue: queue.to_owned(),
                            call,
                        },
                    );
                }
                None => {}
            }
        }
    }

    /// Free members of `queue` in offer order, as (interface, device number).
    fn free_members(&self, queue: &str) -> Vec<(String, String)> {
        let Some(q) = self.queues.get(queue) else {
            return Vec::new();
        };
        let mut v: Vec<&Member> = q
            .members
            .iter()
            .filter(|m| !m.paused)
            .filter(|m| {
                self.device_by_interface(&m.interface)
                    .is_some_and(|d| self.device_channels(&d.number).is_empty())
            })
            .collect();
        v.sort_by_key(|m| (m.penalty, m.last_call_ms.unwrap_or(i64::MIN)));
        v.into_iter()
            .filter_map(|m| {
                self.device_by_interface(&m.interface)
                    .map(|d| (m.interface.clone(), d.number.clone()))
            })
            .collect()
    }

    fn waiting_mut(
        &mut self,
        queue: &str,
        call: &CallId,
    ) -> Option<&mut crate::model::WaitingCall> {
        self.queues
            .get_mut(queue)?
            .waiting
            .iter_mut()
            .find(|w| &w.call == call)
    }

    pub(super) fn queue_retry(&mut self, queue: &str, call: &CallId) {
        if let Some(w) = self.waiting_mut(queue, call) {
            w.retry_pending = false;
            w.excluded.clear();
        }
    }

    /// The queue caller `caller` is being linked with `agent`: leave the queue, count it, and
    /// record hold time and agent on the caller's leg.
    pub(super) fn queue_connected(&mut self, queue: &str, caller: &str, agent: &str) {
        let now = self.now_ms();
        let agent_iface = self.channels.get(agent).map(|c| c.interface.clone());
        let agent_dev = self.channels.get(agent).and_then(|c| c.device.clone());
        let Some(q) = self.queues.get_mut(queue) else {
            return;
        };
        let Some(pos) = q.waiting.iter().position(|w| w.caller_channel == caller) else {
            return;
        };
        let w = q.waiting.remove(pos);
        let hold = (now - w.since_ms).max(0) / 1000;
        q.completed += 1;
        q.total_hold_secs += hold;
        let mut agentno = agent_dev.clone().unwrap_or_default();
        if let Some(m) = q
            .members
            .iter_mut()
            .find(|m| Some(&m.interface) == agent_iface.as_ref())
        {
            m.calls_taken += 1;
            m.last_call_ms = Some(now);
            agentno = m.agentname.clone();
        }
        if let Some(c) = self.channels.get_mut(caller) {
            c.vars.insert("MVB_HOLDTIME".into(), hold.to_string());
            c.vars.insert("MVB_AGENTNO".into(), agentno.clone());
            c.vars.insert("QUEUEAGENTNO".into(), agentno);
            if let Some(d) = &agent_dev {
                c.vars.insert("MVB_CALLEE".into(), d.clone());
            }
            if let Some(d) = &agent_dev {
                c.vars.insert("DIALEDPEERNUMBER".into(), d.clone());
            }
            c.location = Location::Call;
            c.state = ChannelState::Up;
        }
        if let (Some(d), Some(rec)) = (
            agent_dev,
            self.channels
                .get(caller)
                .and_then(|c| self.calls.get_mut(&c.call)),
        ) {
            rec.dst = d;
            rec.answered_ms.get_or_insert(now);
        }
    }
}
