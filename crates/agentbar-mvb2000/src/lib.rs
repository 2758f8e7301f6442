//! MVB2000 WEBCTI2 vendor adapter: wire protocol (pure formatting and parsing), HTTP client,
//! poll-driven call tracking, and the `Vendor` implementation.
pub mod adapter;
pub mod capabilities;
pub mod client;
pub mod config;
pub mod error;
pub mod protocol;
pub mod tracker;

pub use adapter::{validate_config, Mvb2000};
pub use config::Mvb2000Config;
