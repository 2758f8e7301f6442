//! MVB2000 WEBCTI2 wire protocol: pure request formatting and response parsing, no I/O.
//!
//! Requests: validated values ([`validate`]) go into builders ([`originate`],
//! [`control`], [`queries`]) that return a [`Request`]; [`Request::path_and_query`]
//! renders it with the daily [`webkey()`]. Responses: [`parse_envelope`] reads any
//! answer (XML or JSON, any charset the server uses) into an [`Envelope`] of
//! [`Row`]s, which the typed rows ([`rows`], [`status`], [`vars`], [`meetme`]) read.
//!
//! The ground truth is the vendor manual "MVB2000 WEBCTI2 接口使用方法"; section
//! numbers in the docs ("seed 3.4.1") refer to it.

pub mod charset;
pub mod control;
pub mod envelope;
pub mod error;
mod json;
pub mod meetme;
pub mod originate;
pub mod queries;
pub mod query;
pub mod request;
pub mod rows;
pub mod status;
pub mod validate;
pub mod vars;
pub mod webkey;
mod xml;

pub use control::{
    bind_device, get_var, get_vars, hangup, meetme_command, queue_add, queue_pause, queue_remove,
    redirect, redirect_dual, set_var, split_device, wait_auth, WaitAuthKey, WaitAuthTarget,
    MAX_GET_VARS,
};
pub use envelope::{parse_envelope, Envelope, Row, ERRCODE_WEBKEY_INVALID};
pub use error::{ProtocolError, ServerError};
pub use meetme::{parse_meetme_list, MeetMeCommand, MeetMeList, MeetMeMember};
pub use originate::{
    dial_variables, originate_agent_first, originate_chanspy, originate_meetme, originate_pickup,
    originate_trunk_first, originate_tts, originate_voicemail, MeetMeJoin, OriginateOptions,
    SpyMode,
};
pub use queries::{
    calls, channel_detail, cpu_load, extension_status, get_device, mailbox_count, monitor_file,
    popup_screen, queue_members, queue_status, spool_file, DetailTarget,
};
pub use query::encode_query_value;
pub use request::{Format, Request};
pub use rows::{
    AuthStatus, CallRow, ChannelDetail, ChannelState, Direction, PopupEntry, WaitAuthResult,
    WaitAuthState,
};
pub use status::{
    DeviceInfo, ExtensionState, ExtensionStatus, MailboxCount, QueueMember, QueueStatus,
};
pub use validate::{
    Channel, Context, DialExten, Extension, MemberNo, PhoneNumber, QueueNo, RecordingFile, RoomNo,
    ShortcutCode, ShortcutName, VarName, VarValue,
};
pub use vars::{getvar_result, vars_from_rows};
pub use webkey::{md5_hex, webkey, WebKey};
