//! asterCC 2.1 vendor adapter: the HTTP interface of seed 003 chapter 4 (pure formatting and
//! parsing in [`protocol`], one exchange in [`client`]), the pushed call events of chapters 6
//! and 7 ([`push`]), and the `Vendor` implementation ([`adapter`]).
pub mod adapter;
pub mod capabilities;
pub mod client;
pub mod config;
pub mod error;
pub mod protocol;
pub mod push;

pub use adapter::{validate_config, Astercc};
pub use config::AsterccConfig;
pub use protocol::Password;
pub use push::{AsterccPush, PushKey};
