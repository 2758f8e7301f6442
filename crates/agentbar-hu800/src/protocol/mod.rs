//! 800hu wire protocol: pure request formatting and answer / message / push parsing, no I/O.
//!
//! Requests: validated values ([`validate`]) go into the builders of [`methods`], which return
//! a [`Request`]; [`Request::path_and_query`] renders it with the [`Credentials`]. Answers:
//! [`parse_reply`] reads the JSON (or JSONP) and its `code` ([`codes`]); the typed readers
//! read the rest: [`parse_login`], [`parse_water_line`], [`parse_recv_msg`],
//! [`parse_find_dialrecord`]. A message's `content` is a JavaScript object literal
//! ([`literal`], [`content`]). Pushes: [`parse_push_pairs`].
//!
//! The ground truth is the vendor manual "八百呼第三方系统对接 API 说明 V10.5" (seed 004);
//! section numbers in the docs ("seed 2.7") refer to it. What the seed leaves out comes from
//! the vendor's own web client (VENDORS.md) and is marked so.

pub mod auth;
pub mod codes;
pub mod content;
pub mod form;
pub mod literal;
pub mod login;
pub mod messages;
pub mod methods;
pub mod push;
pub mod record;
pub mod reply;
pub mod request;
pub mod validate;

pub use agentbar_core::wire::ProtocolError;
pub use auth::{md5_hex, Credentials, Password};
pub use codes::{describe, lookup, CodeText, ServerError, CODES};
pub use content::{format_content, parse_content, CallStatus, Content};
pub use literal::{format_literal, parse_literal, parse_object_literal, Literal};
pub use login::{parse_login, Login, LoginType};
pub use messages::{parse_msgs, parse_recv_msg, parse_water_line, Message, MsgKind, WaterLine};
pub use methods::*;
pub use push::{format_push, parse_push_pairs, Peer, PushNotice, PushType};
pub use record::{parse_find_dialrecord, CdrRecord, RecordingRef, MP3_PREFIX};
pub use reply::{format_reply, parse_reply, Reply};
pub use request::{encode_value, Method, Request, API_PATH};
pub use validate::*;
