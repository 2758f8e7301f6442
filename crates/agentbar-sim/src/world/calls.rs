//! Incoming calls: the customer's leg arrives on the trunk and goes to a queue or an extension.

use crate::error::{SimError, SimResult};
use crate::model::{
    CallId, CallRecord, ChannelState, Direction, IncomingSpec, Location, Target, WaitingCall,
};

use super::World;

impl World {
    /// Creates the caller's leg with its variables and sends it to the target.
    ///
    /// Variables set on the caller's leg: `MVB_DNID` (did), `MVB_ANI` (caller), `MVB_CALLER`,
    /// `MVB_CALLEE` (queue or extension), `MVB_QUEUENAME`, `MVB_HOLDTIME` (0 until answered),
    /// `MVB_IVRHIST`, `MVB_AREACODE`, `MVB_CITY`, `MVB_PROVINCE`, then the attached ones.
    pub fn incoming_call(&mut self, spec: IncomingSpec) -> SimResult<CallId> {
        if spec.from.is_empty() {
            return Err(SimError::BadArgument(
                "incoming call needs a caller number".into(),
            ));
        }
        let (queue, callee) = match &spec.to {
            Target::Queue(q) => {
                let queue = self
                    .queues
                    .get(q)
                    .ok_or_else(|| SimError::not_found("queue", q.clone()))?;
                if queue.max > 0 && queue.waiting.len() >= queue.max as usize {
                    return Err(SimError::InvalidState(format!("queue {q} is full")));
                }
                (Some(q.clone()), q.clone())
            }
            Target::Extension(e) => {
                self.device(e)?;
                (None, e.clone())
            }
        };
        let trunk = self.cfg.trunk.clone();
        let mut ch = self.blank_channel(&trunk, None, CallId(String::new()));
        ch.call = CallId(ch.uniqueid.clone());
        ch.callerid = spec.from.clone();
        ch.calleridname = spec.caller_name.clone();
        ch.connected = spec.did.clone();
        ch.direction = Direction::In;
        ch.did = spec.did.clone();
        ch.originator = true;
        let vars = [
            ("MVB_DNID", spec.did.clone()),
            ("MVB_ANI", spec.from.clone()),
            ("MVB_CALLER", spec.from.clone()),
            ("MVB_CALLEE", callee.clone()),
            ("MVB_QUEUENAME", queue.clone().unwrap_or_default()),
            ("MVB_HOLDTIME", "0".to_owned()),
            ("MVB_IVRHIST", spec.ivr_keys.clone()),
            ("MVB_AREACODE", spec.area.areacode.clone()),
            ("MVB_CITY", spec.area.city.clone()),
            ("MVB_PROVINCE", spec.area.province.clone()),
        ];
        for (k, v) in vars {
            ch.vars.insert(k.to_owned(), v);
        }
        ch.vars.extend(spec.vars.clone());
        let id = ch.call.clone();
        let name = ch.name.clone();
        let now = self.now_ms();
        self.calls.insert(
            id.clone(),
            CallRecord {
                id: id.clone(),
                direction: Direction::In,
                src: spec.from.clone(),
                dst: callee.clone(),
                did: spec.did.clone(),
                queue: queue.clone(),
                first_channel: name.clone(),
                created_ms: now,
                answered_ms: None,
                recording: None,
                input: spec.input.clone(),
            },
        );
        match &spec.to {
            Target::Queue(q) => {
                // The queue answers the customer and plays music while it waits.
                ch.state = ChannelState::Up;
                ch.location = Location::Queue { queue: q.clone() };
                self.channels.insert(name.clone(), ch);
                if let Some(queue) = self.queues.get_mut(q) {
                    queue.waiting.push(WaitingCall {
                        call: id.clone(),
                        caller_channel: name,
                        since_ms: now,
                        offered: None,
                        excluded: Vec::new(),
                        retry_pending: false,
                    });
                }
            }
            Target::Extension(e) => {
                ch.state = ChannelState::Ring;
                let (from, cname, did) =
                    (ch.callerid.clone(), ch.calleridname.clone(), ch.did.clone());
                self.channels.insert(name.clone(), ch);
                let caller = name.clone();
                let leg = self.ring_device(e, id.clone(), |c| {
                    c.direction = Direction::In;
                    c.connected = from;
                    c.connectedname = cname;
                    c.did = did;
                    c.peer = Some(caller);
                })?;
                if let Some(c) = self.channels.get_mut(&name) {
                    c.peer = Some(leg);
                }
            }
        }
        Ok(id)
    }

    /// Sets the digits the caller of `call` keys in when asked.
    pub fn set_caller_input(&mut self, call: &CallId, digits: Option<String>) -> SimResult<()> {
        let rec = self
            .calls
            .get_mut(call)
            .ok_or_else(|| SimError::not_found("call", call.0.clone()))?;
        rec.input = digits;
        Ok(())
    }
}
