//! Finding calls in the model the way Guoxin requests name them: by extension, or by the two
//! numbers talking ("caller" and "callee").

use crate::model::{CallId, Channel, ChannelState, Location};
use crate::world::World;

/// The number a leg stands for: its extension, or the external number on a trunk leg.
pub fn number(c: &Channel) -> &str {
    c.device.as_deref().unwrap_or(&c.callerid)
}

/// Whether the leg is in a MeetMe room.
pub fn in_room(c: &Channel) -> bool {
    matches!(c.location, Location::Room { .. })
}

/// Whether `name` is a live leg.
pub fn alive(w: &World, name: &str) -> bool {
    w.channels.contains_key(name)
}

/// The leg `leg` is linked with, if alive.
pub fn linked_peer(w: &World, leg: &str) -> Option<String> {
    let c = w.channels.get(leg)?;
    let p = c.peer.as_ref()?;
    (c.linked && w.channels.contains_key(p)).then(|| p.clone())
}

/// The extension's answered leg talking with someone, and that someone: `(agent, other)`.
pub fn talking(w: &World, extension: &str) -> Option<(String, String)> {
    w.device_channels(extension)
        .into_iter()
        .filter(|c| c.state == ChannelState::Up && matches!(c.location, Location::Call))
        .find_map(|c| linked_peer(w, &c.name).map(|p| (c.name.clone(), p)))
}

/// Whether the extension is in a conversation (a linked call or a conference).
pub fn in_conversation(w: &World, extension: &str) -> bool {
    talking(w, extension).is_some()
        || w.device_channels(extension)
            .iter()
            .any(|c| c.state == ChannelState::Up && in_room(c))
}

/// Linked pairs of legs whose numbers are `a` and `b` (either way round), each pair once.
pub fn pairs_between(w: &World, a: &str, b: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut legs: Vec<&Channel> = w.channels.values().collect();
    legs.sort_by_key(|c| c.seq);
    for c in legs {
        if number(c) != a {
            continue;
        }
        let Some(p) = linked_peer(w, &c.name) else {
            continue;
        };
        let Some(pc) = w.channels.get(&p) else {
            continue;
        };
        if number(pc) == b && !out.iter().any(|(x, y)| x == &p && y == &c.name) {
            out.push((c.name.clone(), p));
        }
    }
    out
}

/// Calls the extension has a leg in, with `other` (if not empty) a party of the call or the
/// number the extension's leg is calling. Oldest leg first.
pub fn calls_with(w: &World, extension: &str, other: &str) -> Vec<CallId> {
    let mut out: Vec<CallId> = Vec::new();
    for c in w.device_channels(extension) {
        if out.contains(&c.call) {
            continue;
        }
        let hit = other.is_empty()
            || c.connected == other
            || w.channels
                .values()
                .any(|o| o.call == c.call && o.name != c.name && number(o) == other);
        if hit {
            out.push(c.call.clone());
        }
    }
    out
}

/// Every live leg of `calls`.
pub fn legs_of(w: &World, calls: &[CallId]) -> Vec<String> {
    w.channels
        .values()
        .filter(|c| calls.contains(&c.call))
        .map(|c| c.name.clone())
        .collect()
}

/// The customer's number in the extension's call, for `remoteNum`: whom its leg talks to, else
/// the call's external party, else whom it rings or is rung by.
pub fn remote_number(w: &World, leg: &Channel) -> String {
    if let Some(p) = linked_peer(w, &leg.name).and_then(|p| w.channels.get(&p)) {
        return number(p).to_owned();
    }
    let mut trunk: Vec<&Channel> = w
        .channels
        .values()
        .filter(|o| o.call == leg.call && o.device.is_none())
        .collect();
    trunk.sort_by_key(|o| o.seq);
    trunk
        .first()
        .map(|o| o.callerid.clone())
        .unwrap_or_else(|| leg.connected.clone())
}
