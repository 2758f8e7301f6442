//! The operations (`opt=`) and the status codes each answers, exactly as the seed lists them
//! per section; the answer is mostly the HTTP status itself.
//!
//! # Format
//!
//! ```text
//! HTTP/1.1 481 No Call To Transfer          CLICK_TO_TRANSFER, nothing to transfer (sec 5.3)
//! HTTP/1.1 180 Ringing                      CALL_THIRD_GET_THIRD_STATE (sec 11.3), then close
//! HTTP/1.1 200 OK  + body `<clickcallid>`   CLICK_TO_DIAL (sec 1.3, 21.2)
//! HTTP/1.1 200 OK  + body `state=1;satisfact=8`   IVR_TTS_CALL_RESULT (sec 18.3)
//! ```
//!
//! Codes outside HTTP's registry (420, 421, 480, 481, 483, 486, 603) carry the seed's meaning
//! as their reason phrase, so a reader of the wire sees what the code says.

use axum::body::Body;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// One operation of the Guoxin HTTP interface.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Op {
    /// `CLICK_TO_DIAL` (sec 1).
    ClickToDial,
    /// `CLICK_TO_IP_DIAL` (sec 1).
    ClickToIpDial,
    /// `CLICK_TO_HUNGUP` (sec 2).
    ClickToHungup,
    /// `CLICK_TO_IP_CAPTCHA` (sec 3).
    ClickToIpCaptcha,
    /// `CLICK_TO_FIXEDLINE_CAPTCHA` (sec 3).
    ClickToFixedlineCaptcha,
    /// `GET_CAPTCHA_RESULT` (sec 3).
    GetCaptchaResult,
    /// `CLICK_TO_TRANSFER` (sec 5).
    ClickToTransfer,
    /// `TALKING_CALLER_TO_IVR` (sec 6).
    TalkingCallerToIvr,
    /// `SET_EXT_PRESENCE_STATE` (sec 8).
    SetExtPresenceState,
    /// `CONFERENCE_CREATE` (sec 9).
    ConferenceCreate,
    /// `CONFERENCE_JOIN` (sec 10).
    ConferenceJoin,
    /// `CALL_THIRD` (sec 11).
    CallThird,
    /// `CALL_THIRD_RESUME` (sec 11).
    CallThirdResume,
    /// `CALL_THIRD_GET_THIRD_STATE` (sec 11).
    CallThirdGetThirdState,
    /// `CALL_THIRD_CONFERENCE` (sec 12).
    CallThirdConference,
    /// `CALL_THIRD_TRANSFER` (sec 13).
    CallThirdTransfer,
    /// `EXTNUM_STATE` at `/bridge/jsoncfg` (sec 14).
    ExtnumState,
    /// `CALL_MONITOR` (sec 15).
    CallMonitor,
    /// `FORCE_PICKUP` (sec 16).
    ForcePickup,
    /// `FORCE_HUNGUP` (sec 17).
    ForceHungup,
    /// `IVR_TTS_CALL` (sec 18).
    IvrTtsCall,
    /// `IVR_TTS_CALL_RESULT` (sec 18).
    IvrTtsCallResult,
    /// `IVR_TTS_CALL_MONITOR` (sec 18).
    IvrTtsCallMonitor,
    /// `CALL_LOG_QUERY` (sec 21).
    CallLogQuery,
    /// `CALL_LOG_GET_WITH_CALLID` (sec 21).
    CallLogGetWithCallid,
    /// `/Oms/FileDownServlet` (sec 22).
    FileDown,
}

/// Every operation, for tables and tests.
pub const ALL: &[Op] = &[
    Op::ClickToDial,
    Op::ClickToIpDial,
    Op::ClickToHungup,
    Op::ClickToIpCaptcha,
    Op::ClickToFixedlineCaptcha,
    Op::GetCaptchaResult,
    Op::ClickToTransfer,
    Op::TalkingCallerToIvr,
    Op::SetExtPresenceState,
    Op::ConferenceCreate,
    Op::ConferenceJoin,
    Op::CallThird,
    Op::CallThirdResume,
    Op::CallThirdGetThirdState,
    Op::CallThirdConference,
    Op::CallThirdTransfer,
    Op::ExtnumState,
    Op::CallMonitor,
    Op::ForcePickup,
    Op::ForceHungup,
    Op::IvrTtsCall,
    Op::IvrTtsCallResult,
    Op::IvrTtsCallMonitor,
    Op::CallLogQuery,
    Op::CallLogGetWithCallid,
    Op::FileDown,
];

type Codes = &'static [(u16, &'static str)];

const THIRD: Codes = &[
    (200, "OK"),
    (400, "Bad Parameter"),
    (404, "No Call For Callee"),
    (500, "System Error"),
];
const SUPERVISE: Codes = &[
    (200, "OK"),
    (403, "No Monitoring Right"),
    (404, "No Call Found"),
    (503, "Out Of Resources"),
];
const CAPTCHA: Codes = &[
    (200, "OK"),
    (401, "Wrong Password"),
    (421, "Payment Required"),
    (503, "System Error"),
    (420, "Bad Parameter"),
    (486, "Busy Try Later"),
];
const DIAL: Codes = &[
    (200, "OK"),
    (400, "Bad Parameter"),
    (404, "No Such Extension"),
    (480, "Extension Offline"),
    (486, "Extension Busy"),
];

impl Op {
    /// The operation named by `opt` (any case). The seed's table of section 8 misspells
    /// `SET_EXT_PRESENCE_STATE` as `ET_EXT_PRESENCE_STATE`; both are accepted.
    pub fn from_opt(opt: &str) -> Option<Op> {
        let up = opt.trim().to_ascii_uppercase();
        if up == "ET_EXT_PRESENCE_STATE" {
            return Some(Op::SetExtPresenceState);
        }
        ALL.iter().copied().find(|op| op.name() == up)
    }

    /// The wire name (`opt=` value), or `FileDownServlet`.
    pub fn name(self) -> &'static str {
        match self {
            Op::ClickToDial => "CLICK_TO_DIAL",
            Op::ClickToIpDial => "CLICK_TO_IP_DIAL",
            Op::ClickToHungup => "CLICK_TO_HUNGUP",
            Op::ClickToIpCaptcha => "CLICK_TO_IP_CAPTCHA",
            Op::ClickToFixedlineCaptcha => "CLICK_TO_FIXEDLINE_CAPTCHA",
            Op::GetCaptchaResult => "GET_CAPTCHA_RESULT",
            Op::ClickToTransfer => "CLICK_TO_TRANSFER",
            Op::TalkingCallerToIvr => "TALKING_CALLER_TO_IVR",
            Op::SetExtPresenceState => "SET_EXT_PRESENCE_STATE",
            Op::ConferenceCreate => "CONFERENCE_CREATE",
            Op::ConferenceJoin => "CONFERENCE_JOIN",
            Op::CallThird => "CALL_THIRD",
            Op::CallThirdResume => "CALL_THIRD_RESUME",
            Op::CallThirdGetThirdState => "CALL_THIRD_GET_THIRD_STATE",
            Op::CallThirdConference => "CALL_THIRD_CONFERENCE",
            Op::CallThirdTransfer => "CALL_THIRD_TRANSFER",
            Op::ExtnumState => "EXTNUM_STATE",
            Op::CallMonitor => "CALL_MONITOR",
            Op::ForcePickup => "FORCE_PICKUP",
            Op::ForceHungup => "FORCE_HUNGUP",
            Op::IvrTtsCall => "IVR_TTS_CALL",
            Op::IvrTtsCallResult => "IVR_TTS_CALL_RESULT",
            Op::IvrTtsCallMonitor => "IVR_TTS_CALL_MONITOR",
            Op::CallLogQuery => "CALL_LOG_QUERY",
            Op::CallLogGetWithCallid => "CALL_LOG_GET_WITH_CALLID",
            Op::FileDown => "FileDownServlet",
        }
    }

    /// The codes this operation answers with, and what each means (the reason phrase).
    ///
    /// The seed lists codes for sections 3, 5, 6, 8 to 13 and 15 to 18; for the others
    /// (`CLICK_TO_DIAL`, `CLICK_TO_HUNGUP`, the call log and its downloads, result polling)
    /// it lists none and these are the simulator's choice, in the seed's vocabulary.
    pub fn codes(self) -> Codes {
        match self {
            Op::ClickToDial | Op::ClickToIpDial => DIAL,
            Op::ClickToHungup => &[(200, "OK"), (400, "Bad Parameter"), (404, "No Such Call")],
            Op::ClickToIpCaptcha | Op::ClickToFixedlineCaptcha => CAPTCHA,
            Op::GetCaptchaResult => &[(200, "OK"), (404, "No Such Id")],
            Op::ClickToTransfer => &[
                (200, "Transferred"),
                (400, "Bad Parameter"),
                (404, "Target Extension Not Found"),
                (480, "Target Extension Offline"),
                (481, "No Call To Transfer"),
                (486, "Target Extension Busy"),
                (500, "System Error"),
            ],
            Op::TalkingCallerToIvr => &[
                (200, "Transferred"),
                (404, "No Such Call Or IVR"),
                (483, "Ambiguous Call"),
            ],
            Op::SetExtPresenceState => &[
                (200, "OK"),
                (400, "Bad Parameter"),
                (404, "No Such Extension"),
            ],
            Op::ConferenceCreate => &[
                (200, "OK"),
                (404, "No Such Call"),
                (483, "Already Created"),
                (486, "Invited Phone Busy"),
                (503, "Out Of Resources"),
            ],
            Op::ConferenceJoin => &[
                (200, "OK"),
                (404, "No Such Conference"),
                (486, "Invited Phone Busy"),
                (480, "Conference Being Created"),
                (503, "Out Of Resources"),
            ],
            Op::CallThird
            | Op::CallThirdResume
            | Op::CallThirdConference
            | Op::CallThirdTransfer => THIRD,
            Op::CallThirdGetThirdState => &[
                (100, "Trying"),
                (180, "Ringing"),
                (200, "Answered"),
                (400, "Bad Parameter"),
                (404, "No Call For Callee"),
                (603, "Decline"),
            ],
            Op::ExtnumState | Op::IvrTtsCallMonitor => &[(200, "OK")],
            Op::CallMonitor | Op::ForcePickup | Op::ForceHungup => SUPERVISE,
            Op::IvrTtsCall => &[
                (200, "Calling"),
                (400, "Bad Parameter"),
                (483, "Duplicate Token"),
                (401, "Password Required"),
                (486, "System Busy"),
                (480, "System Unavailable"),
            ],
            Op::IvrTtsCallResult => &[(200, "OK"), (404, "No Such Token")],
            Op::CallLogQuery => &[(200, "OK"), (400, "Bad Parameter")],
            Op::CallLogGetWithCallid | Op::FileDown => {
                &[(200, "OK"), (400, "Bad Parameter"), (404, "Not Found")]
            }
        }
    }

    /// The reason phrase of `status` for this operation, if the operation lists it.
    pub fn reason(self, status: u16) -> Option<&'static str> {
        self.codes()
            .iter()
            .find(|(c, _)| *c == status)
            .map(|(_, r)| *r)
    }
}

/// What an answer carries besides its status.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Content {
    /// Nothing: the status is the answer.
    Empty,
    /// `text/plain`.
    Text(String),
    /// `application/json`.
    Json(String),
    /// A download.
    File {
        /// Offered file name.
        name: String,
        /// The bytes.
        bytes: Vec<u8>,
    },
}

/// One answer: an operation's status code and content.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Answer {
    pub op: Option<Op>,
    pub status: u16,
    pub content: Content,
}

/// Handlers return `Err` too, to use `?`; both sides are answers.
pub(crate) type Outcome = Result<Answer, Answer>;

impl Answer {
    /// Just a status.
    pub fn code(op: Op, status: u16) -> Answer {
        debug_assert!(
            op.reason(status).is_some(),
            "{} does not list {status}",
            op.name()
        );
        Answer {
            op: Some(op),
            status,
            content: Content::Empty,
        }
    }

    /// A status with a text body.
    pub fn text(op: Op, status: u16, text: impl Into<String>) -> Answer {
        Answer {
            content: Content::Text(text.into()),
            ..Answer::code(op, status)
        }
    }

    /// 200 with a JSON body.
    pub fn json(op: Op, json: String) -> Answer {
        Answer {
            content: Content::Json(json),
            ..Answer::code(op, 200)
        }
    }

    /// 200 with a file.
    pub fn file(op: Op, name: String, bytes: Vec<u8>) -> Answer {
        Answer {
            content: Content::File { name, bytes },
            ..Answer::code(op, 200)
        }
    }

    /// 400 for an `opt` this server does not know.
    pub fn unknown_opt() -> Answer {
        Answer {
            op: None,
            status: 400,
            content: Content::Empty,
        }
    }

    /// The reason phrase on the wire.
    pub fn reason(&self) -> &'static str {
        self.op
            .and_then(|op| op.reason(self.status))
            .or_else(|| {
                StatusCode::from_u16(self.status)
                    .ok()
                    .and_then(|s| s.canonical_reason())
            })
            .unwrap_or("Unknown")
    }

    /// The status line and headers of a 1xx answer, which hyper will not send as a final
    /// answer: `HTTP/1.1 180 Ringing\r\nConnection: close\r\n\r\n`. The connection closes after.
    pub fn raw_head(&self) -> Vec<u8> {
        format!(
            "HTTP/1.1 {} {}\r\nConnection: close\r\n\r\n",
            self.status,
            self.reason()
        )
        .into_bytes()
    }
}

impl IntoResponse for Answer {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let reason = self.reason();
        let mut resp = match self.content {
            Content::Empty => Response::new(Body::empty()),
            Content::Text(t) => {
                ([(header::CONTENT_TYPE, "text/plain; charset=UTF-8")], t).into_response()
            }
            Content::Json(j) => (
                [(header::CONTENT_TYPE, "application/json; charset=UTF-8")],
                j,
            )
                .into_response(),
            Content::File { name, bytes } => {
                let ctype = if name.to_ascii_lowercase().ends_with(".mp3") {
                    "audio/mpeg"
                } else {
                    "audio/x-wav"
                };
                let disposition = format!(
                    "attachment; filename=\"{}\"",
                    name.rsplit('/').next().unwrap_or(&name).replace('"', "")
                );
                let mut r = Response::new(Body::from(bytes));
                r.headers_mut()
                    .insert(header::CONTENT_TYPE, HeaderValue::from_static(ctype));
                if let Ok(v) = HeaderValue::from_str(&disposition) {
                    r.headers_mut().insert(header::CONTENT_DISPOSITION, v);
                }
                r
            }
        };
        *resp.status_mut() = status;
        if status.canonical_reason() != Some(reason) {
            if let Ok(phrase) = hyper::ext::ReasonPhrase::try_from(reason.as_bytes().to_vec()) {
                resp.extensions_mut().insert(phrase);
            }
        }
        resp
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_op_round_trips_and_lists_200() {
        for op in ALL {
            if *op != Op::FileDown {
                assert_eq!(Op::from_opt(op.name()), Some(*op));
            }
            assert!(op.reason(200).is_some(), "{}", op.name());
        }
        assert_eq!(
            Op::from_opt("et_ext_presence_state"),
            Some(Op::SetExtPresenceState)
        );
        assert_eq!(Op::from_opt("NOPE"), None);
    }

    #[test]
    fn seed_11_third_state_codes() {
        let codes: Vec<u16> = Op::CallThirdGetThirdState
            .codes()
            .iter()
            .map(|(c, _)| *c)
            .collect();
        assert_eq!(codes, vec![100, 180, 200, 400, 404, 603]);
        let a = Answer::code(Op::CallThirdGetThirdState, 180);
        assert_eq!(
            a.raw_head(),
            b"HTTP/1.1 180 Ringing\r\nConnection: close\r\n\r\n".to_vec()
        );
    }

    #[test]
    fn seed_5_transfer_codes_carry_their_meaning() {
        let codes: Vec<u16> = Op::ClickToTransfer
            .codes()
            .iter()
            .map(|(c, _)| *c)
            .collect();
        assert_eq!(codes, vec![200, 400, 404, 480, 481, 486, 500]);
        assert_eq!(
            Answer::code(Op::ClickToTransfer, 481).reason(),
            "No Call To Transfer"
        );
    }
}
