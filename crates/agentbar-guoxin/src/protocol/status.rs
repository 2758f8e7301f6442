//! What each operation's HTTP status means. Guoxin answers most requests with nothing but a
//! status code, and the same code means different things for different operations (480 is
//! "target extension offline" for CLICK_TO_TRANSFER, "conference being created" for
//! CONFERENCE_JOIN, "system unavailable" for IVR_TTS_CALL), so the tables are per operation,
//! copied from the "Http 请求响应码解释" lists of seed 002 with an English rendering.
//!
//! CALL_THIRD_GET_THIRD_STATE's codes are states, not errors: see [`ThirdState`]. The results of
//! GET_CAPTCHA_RESULT and IVR_TTS_CALL_RESULT are in the body: see `campaign`.

use super::op::Op;
use std::fmt;

/// One documented status of one operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatusText {
    pub code: u16,
    /// The seed's wording.
    pub zh: &'static str,
    pub en: &'static str,
}

const fn s(code: u16, zh: &'static str, en: &'static str) -> StatusText {
    StatusText { code, zh, en }
}

const OK: StatusText = s(200, "操作成功", "done");

const CAPTCHA: &[StatusText] = &[
    s(200, "成功", "the call is placed"),
    s(401, "密码错误", "wrong password (pwd)"),
    s(
        421,
        "需付费开通",
        "this feature must be purchased and enabled on the server",
    ),
    s(503, "系统错误", "system error on the server"),
    s(420, "参数错误", "the server refused the parameters"),
    s(
        486,
        "后台忙, 稍后再试",
        "the server is busy: try again later",
    ),
];

const TRANSFER: &[StatusText] = &[
    s(200, "转话成功", "transferred"),
    s(400, "参数错误", "the server refused the parameters"),
    s(404, "目标分机不存在", "the target extension does not exist"),
    s(480, "目标分机不在线", "the target extension is offline"),
    s(
        481,
        "extnum 不存在可以转移的通话",
        "the extension has no call to transfer",
    ),
    s(486, "目标分机忙", "the target extension is busy"),
    s(500, "系统错误", "system error on the server"),
];

const TO_IVR: &[StatusText] = &[
    s(200, "转话成功", "the caller is in the IVR menu"),
    s(
        404,
        "主被相关的通话不存在或者语音菜单编号不存在",
        "no call between these numbers, or no IVR menu with this number",
    ),
    s(
        483,
        "两个号码, 找到多个通话, 系统无法准确定位具体是哪个通话, 拒绝执行",
        "more than one call between these numbers: the server cannot tell which one and refused",
    ),
];

const PRESENCE: &[StatusText] = &[
    s(200, "操作成功", "presence set"),
    s(400, "参数错误", "the server refused the parameters"),
    s(
        404,
        "目标分机不存在",
        "the extension does not exist on the server",
    ),
];

const CONF_CREATE: &[StatusText] = &[
    OK,
    s(
        404,
        "找不到相关的通话, 无法创建 3 方会议",
        "no such call: cannot create a conference",
    ),
    s(483, "重复创建", "the conference exists already"),
    s(486, "被邀请电话忙", "the invited number is busy"),
    s(503, "系统资源不足", "not enough resources on the server"),
];

const CONF_JOIN: &[StatusText] = &[
    OK,
    s(
        404,
        "找不到相关的会议, 无法加入会议",
        "no such conference: cannot join",
    ),
    s(486, "被邀请电话忙", "the invited number is busy"),
    s(
        480,
        "正在创建会议, 稍后再试",
        "the conference is still being created: try again shortly",
    ),
    s(503, "系统资源不足", "not enough resources on the server"),
];

const CALL_THIRD: &[StatusText] = &[
    OK,
    s(400, "参数错误", "the server refused the parameters"),
    s(
        404,
        "无法找到 callee 相关的通话",
        "the extension has no call",
    ),
    s(500, "系统错误", "system error on the server"),
];

const THIRD_STATE: &[StatusText] = &[
    s(
        100,
        "瞬时状态, 很少遇到, 如果获取可忽略",
        "trying (a passing state)",
    ),
    s(180, "目标终端振铃", "the third party's phone rings"),
    s(
        200,
        "目标终端接听, 如: PSTN 线路此处不是很准确, 需结合坐席话筒判断",
        "the third party answered (not reliable on PSTN lines: listen on the handset)",
    ),
    s(400, "参数错误", "the server refused the parameters"),
    s(
        404,
        "无法找到 callee 相关的通话, 或者已经转话或创建三方",
        "no consult call: none was made, or it was transferred or conferenced",
    ),
    s(
        603,
        "目标终端忙, 拒绝接听",
        "the third party is busy or declined",
    ),
];

const SUPERVISE_403: StatusText = s(
    403,
    "主管分机权限不足。到后台分机管理中修改分机权限添加“坐席监控”",
    "the supervisor's extension lacks the monitoring right: add \"坐席监控\" (agent monitoring) to it in the server's extension settings",
);
const RESOURCES_503: StatusText = s(503, "系统资源不足", "not enough resources on the server");

const MONITOR: &[StatusText] = &[
    OK,
    SUPERVISE_403,
    s(
        404,
        "被监听分机没有在通话",
        "the monitored extension is not in a call",
    ),
    RESOURCES_503,
];

const PICKUP: &[StatusText] = &[
    OK,
    SUPERVISE_403,
    s(404, "没有找到可强插的通话", "no call to barge into"),
    RESOURCES_503,
];

const FORCE_HUNGUP: &[StatusText] = &[
    OK,
    SUPERVISE_403,
    s(404, "没有找到可强拆的通话", "no call to cut"),
    RESOURCES_503,
];

const IVR_TTS: &[StatusText] = &[
    s(200, "操作成功，系统已经开始呼叫", "the call has started"),
    s(400, "参数错误", "the server refused the parameters"),
    s(483, "重复提交", "this token was submitted already"),
    s(401, "需要密码", "the server wants a password"),
    s(
        486,
        "系统繁忙，稍后再试",
        "the server is busy: try again later",
    ),
    s(
        480,
        "系统暂时不可用，稍后再试",
        "the service is unavailable for now: try again later",
    ),
];

const CONTACTS: &[StatusText] = &[
    s(200, "操作成功", "contacts created"),
    s(483, "电话号码重复", "a phone number exists already"),
    s(400, "参数错误等导致失败", "the server refused the data"),
];

const PREORDERS: &[StatusText] = &[
    s(200, "操作成功", "business opportunities created"),
    s(
        483,
        "有一个或者多个商机重复",
        "one or more opportunities exist already",
    ),
    s(400, "参数错误等导致失败", "the server refused the data"),
];

/// Operations whose section prints no status list: success is a 2xx.
const NONE: &[StatusText] = &[];

/// The statuses seed 002 documents for `op`.
pub fn documented(op: Op) -> &'static [StatusText] {
    match op {
        Op::ClickToIpCaptcha | Op::ClickToFixedlineCaptcha => CAPTCHA,
        Op::ClickToTransfer => TRANSFER,
        Op::TalkingCallerToIvr => TO_IVR,
        Op::SetExtPresenceState => PRESENCE,
        Op::ConferenceCreate => CONF_CREATE,
        Op::ConferenceJoin => CONF_JOIN,
        Op::CallThird | Op::CallThirdResume | Op::CallThirdConference | Op::CallThirdTransfer => {
            CALL_THIRD
        }
        Op::CallThirdGetThirdState => THIRD_STATE,
        Op::CallMonitor => MONITOR,
        Op::ForcePickup => PICKUP,
        Op::ForceHungup => FORCE_HUNGUP,
        Op::IvrTtsCall => IVR_TTS,
        Op::Contacts => CONTACTS,
        Op::Preorders => PREORDERS,
        Op::ClickToDial
        | Op::ClickToIpDial
        | Op::ClickToHungup
        | Op::GetCaptchaResult
        | Op::ExtnumState
        | Op::IvrTtsCallResult
        | Op::IvrTtsCallMonitor
        | Op::CallLogQuery
        | Op::CallLogGetWithCallid
        | Op::FileDown => NONE,
    }
}

/// The documented meaning of `code` for `op`.
pub fn lookup(op: Op, code: u16) -> Option<&'static StatusText> {
    documented(op).iter().find(|t| t.code == code)
}

/// A status other than success: a documented refusal, or a code the seed does not give for
/// the operation (kept as it came).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusError {
    pub op: Op,
    pub code: u16,
    /// The seed's meaning, when the code is documented for `op`.
    pub text: Option<&'static StatusText>,
}

impl StatusError {
    pub fn new(op: Op, code: u16) -> Self {
        StatusError {
            op,
            code,
            text: lookup(op, code),
        }
    }

    /// The English message.
    pub fn en(&self) -> String {
        match self.text {
            Some(t) => t.en.to_string(),
            None => format!(
                "unexpected answer HTTP {} to {} (seed 002 section {} does not document it)",
                self.code,
                self.op.name(),
                self.op.section()
            ),
        }
    }

    /// The Chinese message.
    pub fn zh(&self) -> String {
        match self.text {
            Some(t) => t.zh.to_string(),
            None => format!("{} 返回了未定义的状态码 {}", self.op.name(), self.code),
        }
    }

    /// The seed documents the code for this operation.
    pub fn is_documented(&self) -> bool {
        self.text.is_some()
    }

    /// The server refused who we are (the captcha call's password, IVR_TTS_CALL's 401).
    pub fn is_auth(&self) -> bool {
        self.code == 401 && self.is_documented()
    }
}

impl fmt::Display for StatusError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}: {} ({})",
            self.op.name(),
            self.code,
            self.en(),
            self.zh()
        )
    }
}

impl std::error::Error for StatusError {}

/// Reads the status of an operation whose answer is its status: 2xx is success, anything else
/// a [`StatusError`].
///
/// # Errors
///
/// The refusal, documented or not.
pub fn check_status(op: Op, code: u16) -> Result<(), StatusError> {
    if (200..300).contains(&code) {
        return Ok(());
    }
    Err(StatusError::new(op, code))
}

/// The third party's state during a consult (CALL_THIRD_GET_THIRD_STATE, seed 11), which the
/// server reports as the HTTP status itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThirdState {
    /// 100: a passing state ("瞬时状态, 很少遇到, 如果获取可忽略").
    Trying,
    /// 180: the third party's phone rings.
    Ringing,
    /// 200: the third party answered (not reliable on PSTN lines, says the seed).
    Answered,
    /// 404: no consult call (none made, or transferred or conferenced already).
    NoCall,
    /// 603: busy or declined.
    Declined,
}

impl ThirdState {
    /// The state for a status code.
    ///
    /// # Errors
    ///
    /// 400 (the server refused the parameters) and codes the seed does not list.
    pub fn from_status(code: u16) -> Result<Self, StatusError> {
        match code {
            100 => Ok(ThirdState::Trying),
            180 => Ok(ThirdState::Ringing),
            200 => Ok(ThirdState::Answered),
            404 => Ok(ThirdState::NoCall),
            603 => Ok(ThirdState::Declined),
            other => Err(StatusError::new(Op::CallThirdGetThirdState, other)),
        }
    }

    pub fn code(self) -> u16 {
        match self {
            ThirdState::Trying => 100,
            ThirdState::Ringing => 180,
            ThirdState::Answered => 200,
            ThirdState::NoCall => 404,
            ThirdState::Declined => 603,
        }
    }

    /// The third party is still on the line (trying, ringing or answered).
    pub fn is_live(self) -> bool {
        matches!(
            self,
            ThirdState::Trying | ThirdState::Ringing | ThirdState::Answered
        )
    }

    /// The seed's meaning.
    pub fn text(self) -> &'static StatusText {
        lookup(Op::CallThirdGetThirdState, self.code()).unwrap_or(&OK)
    }
}

/// Reads the status line of an HTTP/1.x answer (`HTTP/1.1 180 Ringing`), as CALL_THIRD_GET_THIRD_STATE
/// is read: the first line only, whatever follows.
///
/// # Errors
///
/// [`super::ProtocolError::Malformed`] when the text does not start with a status line.
pub fn parse_status_line(head: &[u8]) -> Result<u16, super::ProtocolError> {
    let bad = |r: &str| super::ProtocolError::malformed("status line", r);
    let end = head
        .iter()
        .position(|b| *b == b'\n')
        .ok_or_else(|| bad("no complete first line"))?;
    let line = std::str::from_utf8(&head[..end]).map_err(|_| bad("not ASCII"))?;
    let line = line.trim_end_matches('\r');
    let mut parts = line.splitn(3, ' ');
    let version = parts.next().unwrap_or_default();
    if !(version == "HTTP/1.1" || version == "HTTP/1.0") {
        return Err(bad("not HTTP/1.0 or HTTP/1.1"));
    }
    let code = parts.next().unwrap_or_default();
    if code.len() != 3 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad("no three-digit status code"));
    }
    let code: u16 = code.parse().map_err(|_| bad("no status code"))?;
    if !(100..=999).contains(&code) {
        return Err(bad("status code out of range"));
    }
    Ok(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_code_means_different_things_per_operation() {
        assert_eq!(
            StatusError::new(Op::ClickToTransfer, 480).en(),
            "the target extension is offline"
        );
        assert!(StatusError::new(Op::ConferenceJoin, 480)
            .en()
            .contains("still being created"));
        assert!(StatusError::new(Op::IvrTtsCall, 480)
            .en()
            .contains("unavailable"));
    }

    #[test]
    fn undocumented_codes_keep_the_code() {
        let e = StatusError::new(Op::ClickToDial, 502);
        assert!(!e.is_documented());
        assert!(e.en().contains("502") && e.en().contains("section 1"));
        assert!(e.zh().contains("502"));
        assert!(e.to_string().starts_with("CLICK_TO_DIAL 502: "));
    }

    #[test]
    fn status_lines() {
        assert_eq!(
            parse_status_line(b"HTTP/1.1 180 Ringing\r\n\r\n").unwrap(),
            180
        );
        assert_eq!(parse_status_line(b"HTTP/1.0 603\r\n").unwrap(), 603);
        assert_eq!(parse_status_line(b"HTTP/1.1 100 \n").unwrap(), 100);
        assert!(parse_status_line(b"HTTP/1.1 180 Ringing").is_err());
        assert!(parse_status_line(b"HTTP/2 200\r\n").is_err());
        assert!(parse_status_line(b"HTTP/1.1 18 x\r\n").is_err());
        assert!(parse_status_line(b"garbage\r\n").is_err());
    }
}
