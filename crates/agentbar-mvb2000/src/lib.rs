//! MVB2000 WEBCTI2 vendor adapter: wire protocol (pure formatting and parsing) for the agent bar.
pub mod protocol;
