//! Devices (extensions) and agents (users).

use serde::{Deserialize, Serialize};

/// Whether a device's user is fixed or may be bound/split at run time (seed sec 1.1, 1.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DeviceKind {
    /// The user is the device's own number and never changes.
    Fixed,
    /// A user is bound with `ctibinddevice` and removed with `ctisplitdevice`.
    Temporary,
}

/// A phone on a desk: a number, a dial interface and, maybe, a bound user.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Device {
    /// Device number, e.g. `2011`.
    pub number: String,
    /// Dial interface, e.g. `SIP/2011`.
    pub interface: String,
    /// Fixed or temporary.
    pub kind: DeviceKind,
    /// Bound user (agent number), if any.
    pub user: Option<String>,
    /// Dial context, `from-internal`.
    pub context: String,
    /// When the device was configured (epoch ms).
    pub created_ms: i64,
    /// Extension state as Asterisk numbers it: 0 idle, 1 in use, 8 ringing, 9 in use and ringing.
    pub status: i32,
    /// When `status` last changed (epoch ms).
    pub status_since_ms: i64,
}

/// An agent (user): a work number and a name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agent {
    /// Work number, e.g. `8005`.
    pub number: String,
    /// Display name.
    pub name: String,
}
