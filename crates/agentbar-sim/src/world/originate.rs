//! Originate: the server calls a first party and, once it answers, does something with it.

use serde::{Deserialize, Serialize};

use crate::error::{SimError, SimResult};
use crate::model::{CallId, CallRecord, Direction, OnAnswer};

use super::World;

/// Who is called first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Endpoint {
    /// An extension (device number), e.g. `7001`.
    Device(String),
    /// An external number on the trunk.
    External(String),
}

/// An originate request in vendor-neutral terms.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OriginateSpec {
    /// First party.
    pub from: Endpoint,
    /// What the first party does on answer.
    pub action: OnAnswer,
    /// Number shown to the party called (display number).
    pub callerid: Option<String>,
    /// How long the first party may ring, ms.
    pub timeout_ms: Option<u64>,
    /// Variables stored on the new legs.
    pub vars: Vec<(String, String)>,
}

impl World {
    /// Starts an originate; returns the first leg's channel name.
    pub fn originate(&mut self, spec: OriginateSpec) -> SimResult<String> {
        let target = match &spec.action {
            OnAnswer::Dial { number, .. } => number.clone(),
            OnAnswer::JoinRoom { room, .. } => room.clone(),
            OnAnswer::Spy { exten, .. } | OnAnswer::PickUp { exten } => {
                self.device(exten)?;
                exten.clone()
            }
            OnAnswer::App { exten, .. } => exten.clone(),
            OnAnswer::Bridge => {
                return Err(SimError::BadArgument("originate needs an action".into()));
            }
        };
        if target.is_empty() {
            return Err(SimError::BadArgument("originate target is empty".into()));
        }
        let timeout = spec.timeout_ms.unwrap_or(self.cfg.originate_timeout_ms);
        let shown = spec.callerid.clone();
        let fill = |c: &mut crate::model::Channel| {
            c.call = CallId(c.uniqueid.clone());
            c.direction = Direction::Out;
            c.originator = true;
            c.on_answer = spec.action.clone();
            c.ring_timeout_ms = timeout;
            c.vars.extend(spec.vars.iter().cloned());
        };
        let (name, src, dst) = match &spec.from {
            Endpoint::Device(ext) => {
                let target2 = target.clone();
                let shown2 = shown.clone();
                let is_dial = matches!(spec.action, OnAnswer::Dial { .. });
                let name = self.ring_device(ext, CallId(String::new()), |c| {
                    fill(c);
                    c.connected = if is_dial {
                        target2
                    } else {
                        shown2.unwrap_or(target2)
                    };
                })?;
                (name, ext.clone(), target.clone())
            }
            Endpoint::External(number) => {
                let display = shown
                    .clone()
                    .unwrap_or_else(|| self.cfg.display_number.clone());
                let name = self.ring_external(number, CallId(String::new()), |c| {
                    fill(c);
                    c.connected = display;
                });
                (name, target.clone(), number.clone())
            }
        };
        let ch = self.chan(&name)?.clone();
        let connectedname = if self.devices.contains_key(&ch.connected) {
            self.device_party_name(&ch.connected)
        } else {
            String::new()
        };
        self.chan_mut(&name)?.connectedname = connectedname;
        self.calls.insert(
            ch.call.clone(),
            CallRecord {
                id: ch.call.clone(),
                direction: Direction::Out,
                src,
                dst,
                did: String::new(),
                queue: None,
                first_channel: name.clone(),
                created_ms: ch.created_ms,
                answered_ms: None,
                recording: None,
                input: None,
            },
        );
        Ok(name)
    }
}
