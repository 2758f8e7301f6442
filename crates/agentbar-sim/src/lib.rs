//! `agentbar-sim`: an in-memory call center with protocol front ends, fault injection and a
//! control API, used by conformance tests, end-to-end tests, benchmarks and the demo.
//!
//! - [`Sim`] is the call center: devices, agents, queues, channels, MeetMe rooms, spies, a call
//!   log and a request log, with scripted parties ([`Sim::incoming_call`], [`Sim::answer`],
//!   [`Sim::hangup_party`]) and vendor-neutral PBX actions ([`Sim::originate`],
//!   [`Sim::redirect`], ...). The model knows no vendor's wire format.
//! - [`mvb2000`] answers the MVB2000 WEBCTI2 protocol (`/webservice2/<name>.php`) from it,
//!   exactly as the vendor's manual prints.
//! - [`astercc`] answers asterCC 2.1's HTTP interface (`/asterccinterfaces`) from it and
//!   POSTs its call events to a push URL, with push faults (duplicates, out of order, delay).
//! - [`guoxin`] answers the Guoxin call center's HTTP interface (`/bridge/callctrl?opt=..`,
//!   results in the HTTP status, `EXTNUM_STATE` JSON) from it and sends its pop notices to a
//!   notify URL, with notice faults (duplicates, out of order, delay).
//! - [`hu800`] answers the 800hu (八百呼) interface (`/voip/api/jsondata.html`, JSONP at
//!   `/voip/api/jsonpdata.jsonp`, `method=<name>`) from it: seat logins, click-to-dial, the
//!   `getLongWaterLine` long poll and `recvMsg` messages, call records and recordings, and
//!   pushes calls to a URL, with push and long-poll faults and a simulated server restart.
//! - [`SimServer`] serves the front ends and the `/_sim/` control API ([`control`]) on one
//!   port, and injects the [`Faults`] set on the sim (latency, 5xx, dropped connections,
//!   malformed/GBK/oversized bodies, listener down).

pub mod astercc;
pub mod clock;
pub mod config;
pub mod control;
pub mod error;
pub mod faults;
pub mod guoxin;
pub mod hu800;
pub mod model;
pub mod mvb2000;
pub mod outbox;
pub mod server;
mod sim;
mod world;

pub use astercc::AsterccConfig;
pub use clock::SimClock;
pub use config::{AgentConfig, ExtensionConfig, QueueConfig, SimConfig, WebKey};
pub use error::{SimError, SimResult};
pub use faults::Faults;
pub use guoxin::GuoxinConfig;
pub use hu800::Hu800Config;
pub use server::SimServer;
pub use sim::{CallerInput, Sim};
pub use world::{Destination, Endpoint, OriginateSpec};
