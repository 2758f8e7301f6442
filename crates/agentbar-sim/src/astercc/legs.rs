//! Finding an agent's legs in the model: its call leg, whom it talks to, who waits on hold,
//! whom it consults.

use super::agents::is_call_leg;
use super::state::{Inner, Role};
use crate::model::{CallId, Channel, ChannelState, Location};
use crate::world::World;

/// The agent's call legs (spy legs left out), oldest first.
pub fn call_legs<'w>(w: &'w World, phone: &str) -> Vec<&'w Channel> {
    w.device_channels(phone)
        .into_iter()
        .filter(|c| is_call_leg(c))
        .collect()
}

/// The agent's answered leg in a call or a conference.
pub fn active_leg(w: &World, phone: &str) -> Option<String> {
    call_legs(w, phone)
        .into_iter()
        .find(|c| {
            c.state == ChannelState::Up
                && matches!(c.location, Location::Call | Location::Room { .. })
        })
        .map(|c| c.name.clone())
}

/// The leg `leg` is linked with, if alive.
pub fn linked_peer(w: &World, leg: &str) -> Option<String> {
    let c = w.channels.get(leg)?;
    let p = c.peer.as_ref()?;
    (c.linked && w.channels.contains_key(p)).then(|| p.clone())
}

/// The leg held for `agent_leg`, and whether it is held for a consult.
pub fn held_for(inner: &Inner, agent_leg: &str) -> Option<(String, bool)> {
    inner
        .holds
        .iter()
        .find(|(_, h)| h.holder == agent_leg)
        .map(|(k, h)| (k.clone(), h.consult))
}

/// The consulted legs of `agent_leg`, oldest first.
pub fn consults_of(w: &World, inner: &Inner, agent_leg: &str) -> Vec<String> {
    let mut v: Vec<&Channel> = inner
        .consults
        .iter()
        .filter(|(_, a)| a.as_str() == agent_leg)
        .filter_map(|(x, _)| w.channels.get(x))
        .collect();
    v.sort_by_key(|c| c.seq);
    v.into_iter().map(|c| c.name.clone()).collect()
}

/// Calls the agent's legs are in.
pub fn calls_of(w: &World, phone: &str) -> Vec<CallId> {
    let mut v: Vec<CallId> = Vec::new();
    for c in call_legs(w, phone) {
        if !v.contains(&c.call) {
            v.push(c.call.clone());
        }
    }
    v
}

/// Live legs of `calls` whose tracked role is `role`, oldest first.
pub fn legs_with_role(w: &World, inner: &Inner, calls: &[CallId], role: Role) -> Vec<String> {
    let mut v: Vec<&Channel> = w
        .channels
        .values()
        .filter(|c| calls.contains(&c.call))
        .filter(|c| inner.legs.get(&c.name).is_some_and(|l| l.role == role))
        .collect();
    v.sort_by_key(|c| c.seq);
    v.into_iter().map(|c| c.name.clone()).collect()
}

/// The live channel with asterCC `uniqueid` `id` (the model channel's creation number).
pub fn by_uniqueid<'w>(w: &'w World, id: &str) -> Option<&'w Channel> {
    w.channels.values().find(|c| c.seq.to_string() == id)
}
