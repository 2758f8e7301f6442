//! 800hu (八百呼) cloud call center vendor adapter: the jsondata.html API of seed 004 (pure
//! formatting and parsing in [`protocol`], one exchange in [`client`]), the getLongWaterLine
//! long poll with recvMsg ([`inbox`] decides which messages are new), the pushes of seed 2.7
//! ([`push`]), calls folded from both in [`book`], and the `Vendor` implementation
//! ([`adapter`]).
pub mod adapter;
pub mod attached;
pub mod book;
pub mod capabilities;
pub mod client;
pub mod config;
pub mod error;
pub mod inbox;
pub mod protocol;
pub mod push;

pub use adapter::{Hu800, NewExtension};
pub use capabilities::capabilities;
pub use config::{validate_config, Hu800Config};
pub use protocol::Password;
pub use push::{Hu800Push, PushKey};
