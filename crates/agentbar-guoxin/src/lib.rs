//! Guoxin call center (telcrm) vendor adapter: the HTTP interface of seed 002 (pure
//! formatting and parsing in [`protocol`], one exchange in [`client`]), the pop notices of
//! section 4 ([`push`]), pushed and polled sightings of a call reconciled in [`book`], and the
//! `Vendor` implementation ([`adapter`]).
pub mod adapter;
pub mod book;
pub mod capabilities;
pub mod client;
pub mod config;
pub mod error;
pub mod protocol;
pub mod push;

pub use adapter::{validate_config, Guoxin, RESULT_POLL_INTERVAL};
pub use config::GuoxinConfig;
pub use protocol::CaptchaPassword;
pub use push::{GuoxinPush, PushKey};
