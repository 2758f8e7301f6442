//! Status requests: `AGENTSTATUS`, `AgentgroupStatus`, `TeamStatus`, `AgentRealtime`,
//! `queueCustomerNum` (seed 4.16, 4.19, 4.24-4.26) and the lists they answer.

use super::auth::AuthField::{self, *};
use super::error::{ProtocolError, ServerError};
use super::reply::{parse_reply, SEPARATOR};
use super::request::Request;
use super::validate::{GroupId, QueueNum};

const HEAD: [AuthField; 5] = [OrgIdentity, UserType, User, PwdType, Password];

/// An agent's state word, as the status answers and `LOGIN` write it. The seed uses several
/// spellings (`idle` in 4.26, `idel` and `ringing` in 5.1, `ring` in 4.19); all are read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatusWord {
    /// 空闲: ready for calls.
    Idle,
    /// 振铃
    Ringing,
    /// 通话 / 繁忙: in a call.
    Busy,
    /// 暂停
    Pause,
    /// 话后: after-call work.
    Acw,
    /// 签入 (a filter word; reads as signed in, state unknown).
    Login,
    /// 签出
    Logout,
    Other(String),
}

impl StatusWord {
    pub fn parse(s: &str) -> Self {
        match s.trim().to_ascii_lowercase().as_str() {
            "idle" | "idel" | "free" => StatusWord::Idle,
            "ring" | "ringing" => StatusWord::Ringing,
            "busy" | "talking" => StatusWord::Busy,
            "pause" | "paused" => StatusWord::Pause,
            "acw" => StatusWord::Acw,
            "login" => StatusWord::Login,
            "logout" | "offline" => StatusWord::Logout,
            _ => StatusWord::Other(s.trim().chars().take(32).collect()),
        }
    }

    /// The state word of the model's team view (`TeamMember::state`).
    pub fn team_word(&self) -> String {
        match self {
            StatusWord::Idle | StatusWord::Login => "ready".into(),
            StatusWord::Ringing => "ringing".into(),
            StatusWord::Busy => "talking".into(),
            StatusWord::Pause => "not_ready".into(),
            StatusWord::Acw => "wrap_up".into(),
            StatusWord::Logout => "signed_out".into(),
            StatusWord::Other(w) => w.clone(),
        }
    }
}

/// The states to list (`status` of `AgentgroupStatus` and `TeamStatus`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusFilter {
    All,
    Idle,
    Busy,
    Ring,
    Pause,
    Acw,
    Login,
    Logout,
}

impl StatusFilter {
    pub fn as_str(self) -> &'static str {
        match self {
            StatusFilter::All => "all",
            StatusFilter::Idle => "idle",
            StatusFilter::Busy => "busy",
            StatusFilter::Ring => "ring",
            StatusFilter::Pause => "pause",
            StatusFilter::Acw => "acw",
            StatusFilter::Login => "login",
            StatusFilter::Logout => "logout",
        }
    }
}

fn filters(f: &[StatusFilter]) -> String {
    if f.is_empty() {
        return "all".into();
    }
    f.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(",")
}

/// # Format
///
/// Seed 4.16: `EVENT=AGENTSTATUS&orgidentity=orgidentity&usertype=usertype&user=user&pwdtype=pwdtype&password=password`
pub fn agent_status() -> Request {
    Request::new("AGENTSTATUS").auths(&HEAD)
}

/// # Format
///
/// Seed 4.19: `EVENT=AgentgroupStatus&orgidentity=orgidentity&usertype=usertype&user=user&pwdtype=pwdtype&password=password&agent_group_id=agent_group_id&status=status`
pub fn agentgroup_status(group: &GroupId, status: &[StatusFilter]) -> Request {
    Request::new("AgentgroupStatus")
        .auths(&HEAD)
        .p("agent_group_id", group.as_str())
        .p("status", filters(status))
}

/// # Format
///
/// Seed 4.24: `EVENT=TeamStatus&orgidentity=orgidentity&usertype=usertype&user=user&pwdtype=pwdtype&password=password&status=status`
pub fn team_status(status: &[StatusFilter]) -> Request {
    Request::new("TeamStatus")
        .auths(&HEAD)
        .p("status", filters(status))
}

/// # Format
///
/// Seed 4.26: `EVENT=AgentRealtime&orgidentity=orgidentity&usertype=usertype&user=user&pwdtype=pwdtype&password=password`
pub fn agent_realtime() -> Request {
    Request::new("AgentRealtime").auths(&HEAD)
}

/// Customers in a queue (`0` for every queue) with priority at least `prio`. The seed lists
/// only `orgidentity`; the other auth fields follow so every call carries them.
///
/// # Format
///
/// Seed 4.25: `EVENT=queueCustomerNum&orgidentity=orgidentity&queuenum=queuenum&prio=prio`
pub fn queue_customer_num(queue: &QueueNum, prio: u32) -> Request {
    Request::new("queueCustomerNum")
        .auth(OrgIdentity)
        .p("queuenum", queue.as_str())
        .p("prio", prio.to_string())
        .rest_of_auth()
}

/// Reads `AGENTSTATUS`' status part: each group's state.
///
/// # Format
///
/// Seed 4.16: `agentgroupid1-status1,agentgroupid2-status2,` (each group ends with `,`).
///
/// # Errors
///
/// [`ProtocolError::Malformed`] when a piece is not `<digits>-<word>`.
pub fn parse_group_states(text: &str) -> Result<Vec<(String, StatusWord)>, ProtocolError> {
    pieces(text, '-', "AGENTSTATUS status", |id| {
        !id.is_empty() && id.len() <= 16 && id.bytes().all(|b| b.is_ascii_digit())
    })
}

/// Reads the agent list of `AgentgroupStatus` and `TeamStatus`; empty when the message is a
/// `BackMsg` code rather than a list.
///
/// # Format
///
/// Seed 4.19 and 4.24: `1005: idle,1006:ring` (agent number, `:`, state, `,`-separated).
///
/// # Errors
///
/// [`ProtocolError::Malformed`] when a piece is not `<agent>:<word>`.
pub fn parse_agent_states(text: &str) -> Result<Vec<(String, StatusWord)>, ProtocolError> {
    if super::backmsg::split_code(text).is_some() {
        return Ok(Vec::new());
    }
    pieces(text, ':', "agent status list", |id| {
        !id.is_empty()
            && id.len() <= 64
            && id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '@' | '-'))
    })
}

fn pieces(
    text: &str,
    sep: char,
    what: &'static str,
    id_ok: impl Fn(&str) -> bool,
) -> Result<Vec<(String, StatusWord)>, ProtocolError> {
    let mut out = Vec::new();
    for piece in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (id, word) = piece
            .split_once(sep)
            .ok_or_else(|| ProtocolError::malformed(what, format!("a piece has no '{sep}'")))?;
        let id = id.trim();
        if !id_ok(id) || word.trim().is_empty() {
            return Err(ProtocolError::malformed(
                what,
                "a piece has a bad id or no state",
            ));
        }
        out.push((id.to_string(), StatusWord::parse(word)));
    }
    Ok(out)
}

/// Per-reason pause figures, in the seed's order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PauseFigures {
    pub rest: u64,
    pub leave: u64,
    pub meeting: u64,
    pub training: u64,
    pub lunch: u64,
    pub other: u64,
}

/// One agent's figures for today (`AgentRealtime`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentRealtime {
    /// The account's family name field; empty when unset (seed 4.26).
    pub name: String,
    pub number: String,
    pub state: StatusWord,
    pub state_secs: u64,
    pub pause_count: u64,
    pub pause_counts: PauseFigures,
    pub pause_secs: u64,
    pub pause_durations: PauseFigures,
}

/// Reads `AgentRealtime`'s 18 space-separated fields: name, number, state, seconds in state,
/// pauses in all and per reason (rest, leave, meeting, training, lunch, other), then seconds
/// paused in all and per reason.
///
/// # Format
///
/// Seed 4.26: `张三 8005 busy 85 7 1 1 2 1 1 1 120 10 20 60 10 10 10}`. The `}` is the JS
/// chapter's closing brace copied into the HTTP sample and is ignored. Fields are read from
/// the end, so an empty name (17 fields) or a name with spaces reads right; `|` separates as
/// well as spaces (the PDF's tables lost the `|`s, so either may be meant).
///
/// # Errors
///
/// [`ProtocolError::Malformed`] for fewer than 17 fields or a count that is not a number.
pub fn parse_realtime(message: &str) -> Result<AgentRealtime, ProtocolError> {
    let text = message.trim().trim_end_matches('}').trim();
    let fields: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == '|')
        .filter(|f| !f.is_empty())
        .collect();
    if fields.len() < 17 {
        return Err(ProtocolError::malformed(
            "AgentRealtime",
            "fewer than 17 fields",
        ));
    }
    let (name, tail) = fields.split_at(fields.len() - 17);
    let n = |i: usize| {
        tail[i]
            .parse::<u64>()
            .map_err(|_| ProtocolError::malformed("AgentRealtime", "a count is not a number"))
    };
    let figures = |from: usize| -> Result<PauseFigures, ProtocolError> {
        Ok(PauseFigures {
            rest: n(from)?,
            leave: n(from + 1)?,
            meeting: n(from + 2)?,
            training: n(from + 3)?,
            lunch: n(from + 4)?,
            other: n(from + 5)?,
        })
    };
    Ok(AgentRealtime {
        name: name.join(" "),
        number: tail[0].to_string(),
        state: StatusWord::parse(tail[1]),
        state_secs: n(2)?,
        pause_count: n(3)?,
        pause_counts: figures(4)?,
        pause_secs: n(10)?,
        pause_durations: figures(11)?,
    })
}

/// Customers in a queue by state (`queueCustomerNum`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueueCustomers {
    pub total: u32,
    pub ringing: u32,
    pub waiting: u32,
    pub talking: u32,
}

/// Reads a whole `queueCustomerNum` body.
///
/// # Format
///
/// Seed 4.25: `|Retuen|1|Retuen|1 0 1 0` (total, ringing, waiting, talking; the PDF lost the
/// separator, so `1|0|1|0` reads too). The SOAP chapter's form (3.25) is read as well:
/// `1|1|0|1|0` (result code first) and `0|BackMsg_02` (failure).
///
/// # Errors
///
/// The outer error for an unreadable body; the inner one for the server's refusal.
pub fn parse_queue_customers(
    body: &str,
) -> Result<Result<QueueCustomers, ServerError>, ProtocolError> {
    let body = body.trim_start_matches('\u{feff}').trim();
    let numbers = if body.contains(SEPARATOR) {
        match parse_reply(body)?.into_result() {
            Ok(r) => r.message,
            Err(e) => return Ok(Err(e)),
        }
    } else {
        match body.split_once('|') {
            Some(("0", msg)) => return Ok(Err(ServerError::from_message(msg))),
            Some(("1", rest)) => rest.to_string(),
            _ => {
                return Err(ProtocolError::malformed(
                    "reply",
                    "no |Retuen| separator: not an asterCC answer",
                ))
            }
        }
    };
    let n: Vec<u32> = numbers
        .split(|c: char| c.is_whitespace() || c == '|')
        .filter(|f| !f.is_empty())
        .map(|f| f.parse::<u32>())
        .collect::<Result<_, _>>()
        .map_err(|_| ProtocolError::malformed("queueCustomerNum", "a count is not a number"))?;
    match n[..] {
        [total, ringing, waiting, talking] => Ok(Ok(QueueCustomers {
            total,
            ringing,
            waiting,
            talking,
        })),
        _ => Err(ProtocolError::malformed(
            "queueCustomerNum",
            "not four counts",
        )),
    }
}
