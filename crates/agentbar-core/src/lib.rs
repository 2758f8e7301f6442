//! Agent Bar's vendor-neutral core: the model, the `Vendor` trait every CTI adapter implements,
//! typed errors, and the session engine that owns an agent's state.
//!
//! Nothing here knows a vendor's wire format: adapters translate into [`model`] types and
//! [`vendor::VendorEvent`]s; the desktop shell, the local API and the history store only read
//! [`model::Snapshot`]s and forward [`model::Event`]s.

pub mod clock;
pub mod config;
pub mod engine;
pub mod error;
pub mod model;
pub mod push;
#[cfg(feature = "testing")]
pub mod testing;
pub mod vendor;
pub mod wire;

pub use engine::{Engine, EngineHandle};
pub use error::{CoreError, ErrorKind};
pub use model::*;
pub use push::{PushError, PushReceiver, PushRequest};
pub use vendor::{Vendor, VendorEvent};
