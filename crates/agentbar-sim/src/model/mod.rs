//! The vendor-neutral data of the simulated call center. Plain data; the rules that change it
//! live in `crate::world`.

mod call;
mod channel;
mod device;
mod meetme;
mod queue;
mod request_log;
mod snapshot;
mod spy;

pub use call::{Area, CallId, CallRecord, CdrRow, IncomingSpec, Target};
pub use channel::{Channel, ChannelState, Direction, Location, OnAnswer};
pub use device::{Agent, Device, DeviceKind};
pub use meetme::{Room, RoomMember};
pub use queue::{Member, Queue, WaitingCall};
pub use request_log::RequestRecord;
pub use snapshot::Snapshot;
pub use spy::{Spy, SpyMode};
