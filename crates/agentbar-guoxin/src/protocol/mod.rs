//! Guoxin wire protocol: pure request formatting and answer / notice parsing, no I/O.
//!
//! Requests: validated values ([`validate`]) go into builders ([`callctrl`], [`campaign`],
//! [`calllog`], [`crm`], [`recording`]) that return a [`Request`]; [`Request::path_and_query`]
//! renders it. Answers: most operations answer with their HTTP status only, read by
//! [`check_status`] against the operation's table ([`status`]); CALL_THIRD_GET_THIRD_STATE's
//! status is a [`ThirdState`]; the status table ([`extnum`]) and the call log ([`calllog`]) are
//! JSON. Pop notices: [`parse_notice`].
//!
//! The ground truth is the vendor manual "国信呼叫中心电话客服系统 二次开发接口说明书 V3.0"
//! (seed 002); section numbers in the docs ("seed 11") refer to it.

pub mod callctrl;
pub mod calllog;
pub mod campaign;
pub mod crm;
pub mod extnum;
pub mod form;
pub mod notice;
pub mod op;
pub mod recording;
pub mod request;
pub mod status;
pub mod validate;

pub use agentbar_core::wire::ProtocolError;
pub use callctrl::{
    call_third, call_third_conference, call_third_get_third_state, call_third_resume,
    call_third_transfer, click_to_dial, click_to_hungup, click_to_transfer, conference_create,
    conference_join, extnum_state, set_ext_presence_state, supervise, talking_caller_to_ivr,
    DialLine, PresenceState, Supervise,
};
pub use calllog::{
    call_log_get_with_callid, call_log_query, parse_call_log, parse_call_log_entry, CallLogEntry,
    CallLogQuery, LogDirection, LogState,
};
pub use campaign::{
    captcha_call, captcha_pwd, get_captcha_result, ivr_tts_call, ivr_tts_call_monitor,
    ivr_tts_call_result, md5_hex, parse_captcha_result, parse_ivr_tts_monitor,
    parse_ivr_tts_result, CallResult, CaptchaCall, CaptchaLine, CaptchaPassword, IvrTtsCall,
    IvrTtsLoad, IvrTtsResult,
};
pub use crm::{create_contacts, create_preorders, Contact, ContactDetail, Preorder};
pub use extnum::{format_extnum_state, parse_extnum_state, ExtState, LineState, PresenceWord};
pub use notice::{format_notice, parse_notice, parse_notice_pairs, Notice, NoticeState, MAINCALL};
pub use op::Op;
pub use recording::{file_down, recording_content_type, RecordingRef};
pub use request::{encode_value, Request, UrlCharset};
pub use status::{
    check_status, documented, lookup, parse_status_line, StatusError, StatusText, ThirdState,
};
pub use validate::*;
