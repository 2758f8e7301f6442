//! Calls the server places by itself for a CRM: the captcha call (a voice and a code played
//! to a number, seed 3) and the IVR/TTS call (an IVR menu with text read out, seed 18), with
//! their result queries.
//!
//! # Format
//!
//! ```text
//! /bridge/callctrl?id=1&precallcount=1&playtimes=1&extnum=801&callee=13227841198&toneid=19
//!     &code=112233&pwd=13deae128093437a57dd2caeb0328d40&opt=CLICK_TO_IP_CAPTCHA
//! /bridge/callctrl?id=xxx&opt=GET_CAPTCHA_RESULT                  -> 0..6 or 404
//! /bridge/callctrl?token=0123456789&callee=015919823610&toneid=20&ttsabc=你好世界!&opt=IVR_TTS_CALL
//! /bridge/callctrl?token=xxx&opt=IVR_TTS_CALL_RESULT              -> state=1;satisfact=8
//! /bridge/callctrl?opt=IVR_TTS_CALL_MONITOR                       -> queue=0;playcount=0
//! ```
//!
//! `pwd` is `md5(pwd + callee + code + date)`, date `yyyy-mm-dd`, or `no` without a password.

use super::form::split_semicolon_pairs;
use super::op::Op;
use super::request::Request;
use super::validate::{
    CaptchaCode, Extension, IvrId, PhoneNumber, TaskId, ToneId, TtsName, TtsText,
};
use super::ProtocolError;
use chrono::{Datelike, NaiveDate};
use md5::{Digest, Md5};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// The captcha call's shared secret (`pwd` before hashing). `Debug` hides it and there is
/// deliberately no `Display`.
#[derive(Clone)]
pub struct CaptchaPassword(String);

impl CaptchaPassword {
    pub fn new(secret: impl Into<String>) -> Self {
        CaptchaPassword(secret.into())
    }
}

impl fmt::Debug for CaptchaPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CaptchaPassword(***)")
    }
}

/// Lower-case hex md5.
pub fn md5_hex(data: &[u8]) -> String {
    Md5::digest(data)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The captcha call's `pwd`: md5 of the password, the callee, the code (empty without one)
/// and the date `yyyy-mm-dd` (seed 3: "用 pwd+callee+code+当前日期(格式如: 2015-03-16)，然后进行
/// MD5"); `no` without a password ("如果不用密码请填写 no").
pub fn captcha_pwd(
    secret: Option<&CaptchaPassword>,
    callee: &PhoneNumber,
    code: Option<&CaptchaCode>,
    date: NaiveDate,
) -> String {
    let Some(secret) = secret else {
        return "no".into();
    };
    let day = format!("{:04}-{:02}-{:02}", date.year(), date.month(), date.day());
    let text = format!(
        "{}{}{}{day}",
        secret.0,
        callee.as_str(),
        code.map(CaptchaCode::as_str).unwrap_or_default()
    );
    md5_hex(text.as_bytes())
}

/// The line a captcha call goes out on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaptchaLine {
    /// `CLICK_TO_IP_CAPTCHA`.
    #[default]
    Ip,
    /// `CLICK_TO_FIXEDLINE_CAPTCHA` (without polarity reversal the server first loops a short
    /// "press any key" prompt).
    FixedLine,
}

/// The most calls the server may place ahead while agents are busy, and the most plays: a
/// CRM page cannot make the bar flood the lines.
pub const MAX_PRECALL: u32 = 100;
pub const MAX_PLAYTIMES: u32 = 10;

/// A captcha call (seed 3), checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaptchaCall {
    /// `id`: the caller's unique id, to query the result with.
    pub id: TaskId,
    /// `precallcount`: calls placed ahead while every agent is busy; 0 none.
    pub precallcount: u32,
    /// `playtimes`: how often the voice plays.
    pub playtimes: u32,
    /// `extnum`: the extension or group to hand the call to after the voice; hang up without.
    pub extnum: Option<Extension>,
    pub callee: PhoneNumber,
    /// `toneid`: the voice file's number.
    pub toneid: ToneId,
    /// `code`: the digits to read out.
    pub code: Option<CaptchaCode>,
    pub line: CaptchaLine,
}

impl CaptchaCall {
    /// A call that plays `toneid` once to `callee` and hangs up.
    ///
    /// # Errors
    ///
    /// [`ProtocolError::Invalid`] naming the bad field.
    pub fn new(id: &str, callee: &str, toneid: &str) -> Result<Self, ProtocolError> {
        Ok(CaptchaCall {
            id: TaskId::parse(id)
                .map_err(|_| ProtocolError::invalid("id", "1-64 of letters, digits, _ . : -"))?,
            precallcount: 0,
            playtimes: 1,
            extnum: None,
            callee: PhoneNumber::parse(callee)?,
            toneid: ToneId::parse(toneid)?,
            code: None,
            line: CaptchaLine::Ip,
        })
    }

    /// Checks the counts.
    ///
    /// # Errors
    ///
    /// [`ProtocolError::Invalid`] for `precallcount` over 100 or `playtimes` outside 1-10.
    pub fn validate(&self) -> Result<(), ProtocolError> {
        if self.precallcount > MAX_PRECALL {
            return Err(ProtocolError::invalid("precallcount", "0 to 100"));
        }
        if self.playtimes == 0 || self.playtimes > MAX_PLAYTIMES {
            return Err(ProtocolError::invalid("playtimes", "1 to 10"));
        }
        Ok(())
    }
}

/// Builds the captcha call with its `pwd` (see [`captcha_pwd`]).
///
/// # Errors
///
/// As [`CaptchaCall::validate`].
pub fn captcha_call(c: &CaptchaCall, pwd: &str) -> Result<Request, ProtocolError> {
    c.validate()?;
    let op = match c.line {
        CaptchaLine::Ip => Op::ClickToIpCaptcha,
        CaptchaLine::FixedLine => Op::ClickToFixedlineCaptcha,
    };
    Ok(Request::new(op)
        .p("id", c.id.as_str())
        .p("precallcount", c.precallcount.to_string())
        .p("playtimes", c.playtimes.to_string())
        .opt("extnum", c.extnum.as_ref())
        .p("callee", c.callee.as_str())
        .p("toneid", c.toneid.as_str())
        .opt("code", c.code.as_ref())
        .p("pwd", pwd))
}

/// `id=xxx&opt=GET_CAPTCHA_RESULT` (seed 3; the seed prints it without the port, we use the
/// configured one).
pub fn get_captcha_result(id: &TaskId) -> Request {
    Request::new(Op::GetCaptchaResult).p("id", id.as_str())
}

/// Where a server-placed call stands (seed 3 and 18: "0: 正在排队等待呼叫 ... 404: id 不存在").
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallResult {
    /// 0: queued.
    Queued,
    /// 1: the call succeeded.
    Succeeded,
    /// 2: the call failed.
    Failed,
    /// 3: no such number (空号).
    NoSuchNumber,
    /// 4: calling.
    Calling,
    /// 5: busy.
    Busy,
    /// 6: switched off or out of coverage.
    Unreachable,
    /// 404: no task with this id.
    UnknownId,
    /// A value the seed does not list, kept.
    Other(i64),
}

impl CallResult {
    pub fn from_code(code: i64) -> Self {
        match code {
            0 => CallResult::Queued,
            1 => CallResult::Succeeded,
            2 => CallResult::Failed,
            3 => CallResult::NoSuchNumber,
            4 => CallResult::Calling,
            5 => CallResult::Busy,
            6 => CallResult::Unreachable,
            404 => CallResult::UnknownId,
            other => CallResult::Other(other),
        }
    }

    /// The result's number as the server wrote it.
    pub fn code(&self) -> i64 {
        match self {
            CallResult::Queued => 0,
            CallResult::Succeeded => 1,
            CallResult::Failed => 2,
            CallResult::NoSuchNumber => 3,
            CallResult::Calling => 4,
            CallResult::Busy => 5,
            CallResult::Unreachable => 6,
            CallResult::UnknownId => 404,
            CallResult::Other(n) => *n,
        }
    }

    /// No later query will say anything else.
    pub fn is_final(&self) -> bool {
        !matches!(self, CallResult::Queued | CallResult::Calling)
    }

    /// (zh, en).
    pub fn text(&self) -> (&'static str, &'static str) {
        match self {
            CallResult::Queued => ("正在排队等待呼叫", "queued"),
            CallResult::Succeeded => ("呼叫成功", "the call succeeded"),
            CallResult::Failed => ("呼叫失败", "the call failed"),
            CallResult::NoSuchNumber => ("空号", "no such number"),
            CallResult::Calling => ("正在呼叫中", "calling"),
            CallResult::Busy => ("对方忙", "busy"),
            CallResult::Unreachable => ("关机, 不在服务区", "switched off or out of coverage"),
            CallResult::UnknownId => ("id 不存在", "no task with this id"),
            CallResult::Other(_) => ("未定义的结果", "a result the seed does not list"),
        }
    }
}

fn result_code(what: &'static str, s: &str) -> Result<i64, ProtocolError> {
    s.trim()
        .parse()
        .map_err(|_| ProtocolError::malformed(what, "the result is not a number"))
}

/// Reads GET_CAPTCHA_RESULT's answer: the number in the body (`1`, or `state=1`); HTTP 404
/// reads as [`CallResult::UnknownId`] too, since the seed lists 404 beside the results.
///
/// # Errors
///
/// [`ProtocolError::Malformed`] for a body without a number.
pub fn parse_captcha_result(status: u16, body: &str) -> Result<CallResult, ProtocolError> {
    if status == 404 {
        return Ok(CallResult::UnknownId);
    }
    let body = body.trim().trim_start_matches('\u{feff}').trim();
    let pairs = split_semicolon_pairs(body);
    let value = match pairs.iter().find(|(k, _)| k == "state" || k == "result") {
        Some((_, v)) => v.as_str(),
        None => body,
    };
    if value.is_empty() {
        return Err(ProtocolError::malformed(
            "GET_CAPTCHA_RESULT",
            "empty answer",
        ));
    }
    Ok(CallResult::from_code(result_code(
        "GET_CAPTCHA_RESULT",
        value,
    )?))
}

/// An IVR/TTS call (seed 18), checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IvrTtsCall {
    /// `token`: the task's unique id, to query the result with.
    pub token: TaskId,
    pub callee: PhoneNumber,
    /// `toneid`: the IVR menu's number.
    pub toneid: IvrId,
    /// `ttsXXX` variables of the menu and the texts they read.
    pub tts: BTreeMap<TtsName, TtsText>,
}

/// The most TTS variables of one call.
pub const MAX_TTS_VARS: usize = 16;

impl IvrTtsCall {
    /// A call of IVR menu `toneid` to `callee`, with TTS variables `(name, text)`.
    ///
    /// # Errors
    ///
    /// [`ProtocolError::Invalid`] naming the bad field.
    pub fn new(
        token: &str,
        callee: &str,
        toneid: &str,
        tts: &[(&str, &str)],
    ) -> Result<Self, ProtocolError> {
        if tts.len() > MAX_TTS_VARS {
            return Err(ProtocolError::invalid("ttsXXX", "at most 16 variables"));
        }
        let mut vars = BTreeMap::new();
        for (k, v) in tts {
            if vars
                .insert(TtsName::parse(k)?, TtsText::parse(v)?)
                .is_some()
            {
                return Err(ProtocolError::invalid("ttsXXX", "a variable given twice"));
            }
        }
        Ok(IvrTtsCall {
            token: TaskId::parse(token)?,
            callee: PhoneNumber::parse(callee)?,
            toneid: IvrId::parse(toneid)
                .map_err(|_| ProtocolError::invalid("toneid", "1-16 digits"))?,
            tts: vars,
        })
    }
}

/// Builds IVR_TTS_CALL: `token`, `callee`, `toneid`, the `tts` variables (by name), `opt`.
pub fn ivr_tts_call(c: &IvrTtsCall) -> Request {
    c.tts.iter().fold(
        Request::new(Op::IvrTtsCall)
            .p("token", c.token.as_str())
            .p("callee", c.callee.as_str())
            .p("toneid", c.toneid.as_str()),
        |r, (k, v)| r.named(k.as_str().to_string(), v.as_str()),
    )
}

/// `token=xxx&opt=IVR_TTS_CALL_RESULT`.
pub fn ivr_tts_call_result(token: &TaskId) -> Request {
    Request::new(Op::IvrTtsCallResult).p("token", token.as_str())
}

/// `opt=IVR_TTS_CALL_MONITOR`.
pub fn ivr_tts_call_monitor() -> Request {
    Request::new(Op::IvrTtsCallMonitor)
}

/// IVR_TTS_CALL_RESULT's answer: the state and the keys the customer pressed, by the names
/// the menu collects them under (`satisfact=8`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IvrTtsResult {
    pub state: CallResult,
    pub inputs: BTreeMap<String, String>,
}

/// Reads `state=1;satisfact=8`; HTTP 404, or `state=404`, is an unknown token.
///
/// # Errors
///
/// [`ProtocolError::Malformed`] without a numeric `state`.
pub fn parse_ivr_tts_result(status: u16, body: &str) -> Result<IvrTtsResult, ProtocolError> {
    if status == 404 {
        return Ok(IvrTtsResult {
            state: CallResult::UnknownId,
            inputs: BTreeMap::new(),
        });
    }
    let mut state = None;
    let mut inputs = BTreeMap::new();
    for (k, v) in split_semicolon_pairs(body.trim().trim_start_matches('\u{feff}')) {
        if k == "state" {
            state = Some(CallResult::from_code(result_code(
                "IVR_TTS_CALL_RESULT",
                &v,
            )?));
        } else if !k.is_empty() && inputs.len() < 64 {
            inputs.insert(k, v);
        }
    }
    let state = state.ok_or_else(|| ProtocolError::malformed("IVR_TTS_CALL_RESULT", "no state"))?;
    Ok(IvrTtsResult { state, inputs })
}

/// IVR_TTS_CALL_MONITOR's answer (`queue=0;playcount=0`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IvrTtsLoad {
    /// Calls waiting for an agent: many means the calls go out too fast.
    pub queue: u64,
    /// Calls playing now.
    pub playcount: u64,
}

/// Reads `queue=0;playcount=0`.
///
/// # Errors
///
/// [`ProtocolError::Malformed`] unless both numbers are there.
pub fn parse_ivr_tts_monitor(body: &str) -> Result<IvrTtsLoad, ProtocolError> {
    let pairs = split_semicolon_pairs(body.trim().trim_start_matches('\u{feff}'));
    let get = |k: &str| -> Result<u64, ProtocolError> {
        pairs
            .iter()
            .find(|(pk, _)| pk == k)
            .and_then(|(_, v)| v.parse().ok())
            .ok_or_else(|| {
                ProtocolError::malformed("IVR_TTS_CALL_MONITOR", format!("no number {k}"))
            })
    };
    Ok(IvrTtsLoad {
        queue: get("queue")?,
        playcount: get("playcount")?,
    })
}
