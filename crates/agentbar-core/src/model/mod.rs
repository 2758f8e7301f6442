//! The vendor-neutral model: what an agent bar knows about an agent, their calls and their team.

mod call;
mod capability;
mod command;
mod crm_call;
mod event;
mod snapshot;
mod state;
mod team;

pub use call::*;
pub use capability::*;
pub use command::*;
pub use crm_call::*;
pub use event::*;
pub use snapshot::*;
pub use state::*;
pub use team::*;
