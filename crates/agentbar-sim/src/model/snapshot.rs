//! A consistent copy of the whole simulated state, for tests and `GET /_sim/state`.

use serde::{Deserialize, Serialize};

use super::{CallRecord, Channel, Device, Queue, Room, Spy};

/// Everything at one instant.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    /// Live channels in creation order.
    pub channels: Vec<Channel>,
    /// MeetMe rooms.
    pub rooms: Vec<Room>,
    /// Queues with members and waiting callers.
    pub queues: Vec<Queue>,
    /// Active spies.
    pub spies: Vec<Spy>,
    /// Devices.
    pub devices: Vec<Device>,
    /// Calls in progress.
    pub calls: Vec<CallRecord>,
}
