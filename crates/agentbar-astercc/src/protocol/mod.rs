//! asterCC 2.1 wire protocol: pure request formatting and reply / event parsing, no I/O.
//!
//! Requests: validated values ([`validate`]) go into builders ([`agent`], [`calls`],
//! [`supervisor`], [`status`], [`records`]) that return a [`Request`];
//! [`Request::render`] writes the form with the [`Credentials`]. Replies: [`parse_reply`]
//! reads `|Retuen|code|Retuen|message...` and the typed readers read the message.
//! Pushed call events: [`parse_event`].
//!
//! The ground truth is the vendor manual "asterCC 接口开发手册 (2.1)" (seed 003); section
//! numbers in the docs ("seed 4.13") refer to it.

pub mod agent;
pub mod auth;
pub mod backmsg;
pub mod calls;
pub mod error;
pub mod event;
pub mod form;
pub mod records;
pub mod reply;
pub mod request;
pub mod status;
pub mod supervisor;
pub mod validate;

pub use agent::{
    acw, acw_off, login, logout, parse_group_results, parse_login_groups, queue, queue_pause,
    workway, AcwMode, GroupInfo, GroupOutcome, QueueAction, Workway,
};
pub use auth::{md5_hex, AuthField, Credentials, Password, PwdType, UserType};
pub use backmsg::{BackMsg, UnknownBackMsg};
pub use calls::{
    agent_to_ivr, call_return, conference, consult, device_call, hangup, hold, make_call,
    parse_hangup_results, resume, send_dtmf, set_var, transfer, CidType, ConsultTarget, DialExtras,
    DialTarget, HangupTarget, IvrTransfer, ModelType, UserData,
};
pub use error::{ProtocolError, ServerError};
pub use event::{format_event, parse_event, CallEvent, EventType, Source};
pub use records::{
    get_monitor, import_data, parse_monitor_url, ChangePackage, DupDialList, DupWay, ImportOptions,
    ImportRecord,
};
pub use reply::{parse_reply, Reply, ReplyCode, SEPARATOR};
pub use request::{encode_form_value, Param, Request};
pub use status::{
    agent_realtime, agent_status, agentgroup_status, parse_agent_states, parse_group_states,
    parse_queue_customers, parse_realtime, queue_customer_num, team_status, AgentRealtime,
    PauseFigures, QueueCustomers, StatusFilter, StatusWord,
};
pub use supervisor::{supervise, SpyKind};
pub use validate::*;
