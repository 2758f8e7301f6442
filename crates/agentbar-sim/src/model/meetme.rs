//! MeetMe conference rooms.

use serde::{Deserialize, Serialize};

/// A member of a room.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoomMember {
    /// User number in the room, 1, 2, ... (printed `01`, `02`).
    pub user_no: u32,
    /// The member's channel.
    pub channel: String,
    /// The member's number.
    pub callerid: String,
    /// The member's name (may be empty).
    pub calleridname: String,
    /// Muted by `meetme mute`.
    pub muted: bool,
}

/// A room; it exists while it has members.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Room {
    /// Room number.
    pub number: String,
    /// Members in joining order.
    pub members: Vec<RoomMember>,
    /// Locked rooms take no new members.
    pub locked: bool,
    /// Next user number to hand out.
    pub next_user_no: u32,
}
