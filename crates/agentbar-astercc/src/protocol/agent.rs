//! The agent's own state on the server: `LOGIN`, `LOGOUT`, `QUEUE`, `QUEUEPAUSE`, `ACW`,
//! `ACWOFF`, `WORKWAY` (seed 4.1-4.7), and the per-group answers of `LOGIN` and `QUEUE`.

use super::auth::AuthField::{self, *};
use super::error::ProtocolError;
use super::form::split_pairs;
use super::request::Request;
use super::status::StatusWord;
use super::validate::{GroupId, PauseReason, PhoneNumber};
use serde::{Deserialize, Serialize};

const PWD: [AuthField; 2] = [PwdType, Password];

/// `pushevent=yes` (the vendor's JS client): ask the server to push agent notices too.
fn push_event(r: Request, pushevent: bool) -> Request {
    r.opt("pushevent", pushevent.then_some("yes"))
}

fn group_list(groups: &[GroupId]) -> String {
    groups
        .iter()
        .map(GroupId::as_str)
        .collect::<Vec<_>>()
        .join(",")
}

/// # Format
///
/// Seed 4.1: `EVENT=LOGIN&orgidentity=orgidentity&usertype=usertype&user=user&pwdtype=pwdtype&password=password`
pub fn login() -> Request {
    Request::new("LOGIN").auths(&[OrgIdentity, UserType, User, PwdType, Password])
}

/// # Format
///
/// Seed 4.2: `EVENT=LOGOUT&orgidentity=orgidentity&usertype=usertype&user=user&pwdtype=pwdtype&password=password`
pub fn logout() -> Request {
    Request::new("LOGOUT").auths(&[OrgIdentity, UserType, User, PwdType, Password])
}

/// `type` of `QUEUE`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueueAction {
    /// 签入 = 1
    SignIn,
    /// 签出 = 2
    SignOut,
}

/// Signs in to or out of `groups` (all the agent's groups when empty). `deviceexten` and
/// `pushevent` are the vendor's JS client's optional extras, sent only when given.
///
/// # Format
///
/// Seed 4.3: `EVENT=QUEUE&type=type&usertype=usertype&user=user&orgidentity=orgidentity&list=list&pwdtype=pwdtype&password=password`
pub fn queue(
    action: QueueAction,
    groups: &[GroupId],
    deviceexten: Option<&PhoneNumber>,
    pushevent: bool,
) -> Request {
    let t = match action {
        QueueAction::SignIn => "1",
        QueueAction::SignOut => "2",
    };
    let r = Request::new("QUEUE")
        .p("type", t)
        .auths(&[UserType, User, OrgIdentity])
        .p("list", group_list(groups))
        .auths(&PWD)
        .opt("deviceexten", deviceexten);
    push_event(r, pushevent)
}

/// Pauses (`Some(reason)`) or unpauses (`None`) every signed-in group; `dnd` makes the phone
/// follow (any non-empty value, seed 4.4: we send `1`).
///
/// # Format
///
/// Seed 4.4: `EVENT=QUEUEPAUSE&type=type&usertype=usertype&user=user&orgidentity=orgidentity&pause_reason=pause_reason&pwdtype=pwdtype&password=password&dnd=dnd`
pub fn queue_pause(reason: Option<&PauseReason>, dnd: bool, pushevent: bool) -> Request {
    let r = Request::new("QUEUEPAUSE")
        .p("type", if reason.is_some() { "1" } else { "2" })
        .auths(&[UserType, User, OrgIdentity])
        .p(
            "pause_reason",
            reason.map(PauseReason::as_str).unwrap_or_default(),
        )
        .auths(&PWD)
        .p("dnd", if dnd { "1" } else { "" });
    push_event(r, pushevent)
}

/// When after-call work (话后) starts: `type` of `ACW`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AcwMode {
    /// 振铃话后 = 1: after any call that rang.
    Ring,
    /// 应答话后 = 2: after answered calls only.
    Answer,
    /// 关闭话后 = 3: never.
    Off,
}

impl AcwMode {
    pub fn wire(self) -> &'static str {
        match self {
            AcwMode::Ring => "1",
            AcwMode::Answer => "2",
            AcwMode::Off => "3",
        }
    }
}

/// # Format
///
/// Seed 4.5: `EVENT=ACW&type=type&usertype=usertype&user=user&orgidentity=orgidentity&agent_group_id=agent_group_id&pwdtype=pwdtype&password=password`
pub fn acw(mode: AcwMode, groups: &[GroupId], pushevent: bool) -> Request {
    let r = Request::new("ACW")
        .p("type", mode.wire())
        .auths(&[UserType, User, OrgIdentity])
        .p("agent_group_id", group_list(groups))
        .auths(&PWD);
    push_event(r, pushevent)
}

/// # Format
///
/// Seed 4.6: `EVENT=ACWOFF&usertype=usertype&user=user&orgidentity=orgidentity&pwdtype=pwdtype&password=password`
pub fn acw_off(pushevent: bool) -> Request {
    let r = Request::new("ACWOFF").auths(&[UserType, User, OrgIdentity, PwdType, Password]);
    push_event(r, pushevent)
}

/// Which calls the agent takes: `status` of `WORKWAY`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Workway {
    /// 仅呼入: inbound only.
    Dialin,
    /// 仅呼出: outbound only.
    Dialout,
    /// 全部: both.
    All,
}

impl Workway {
    pub fn wire(self) -> &'static str {
        match self {
            Workway::Dialin => "dialin",
            Workway::Dialout => "dialout",
            Workway::All => "all",
        }
    }
}

/// # Format
///
/// Seed 4.7: `EVENT=WORKWAY&status=status&usertype=usertype&user=user&orgidentity=orgidentity&pwdtype=pwdtype&password=password&agent_group_id=agent_group_id`
pub fn workway(way: Workway, groups: &[GroupId], pushevent: bool) -> Request {
    let r = Request::new("WORKWAY")
        .p("status", way.wire())
        .auths(&[UserType, User, OrgIdentity, PwdType, Password])
        .p("agent_group_id", group_list(groups));
    push_event(r, pushevent)
}

/// One group's result of `QUEUE` (seed 4.3 执行结果释义).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GroupOutcome {
    /// Signed in or out.
    Success,
    /// Sign-in: already signed in to the group.
    CheckedIn,
    /// Sign-in: the agent is not a member of the group.
    NotInGroup,
    /// The group does not exist.
    NotFoundGroup,
    /// Sign-out: was not signed in.
    NotChecked,
    Other(String),
}

impl GroupOutcome {
    fn parse(s: &str) -> Self {
        match s.trim() {
            x if x.eq_ignore_ascii_case("success") => GroupOutcome::Success,
            x if x.eq_ignore_ascii_case("CheckedIn") => GroupOutcome::CheckedIn,
            x if x.eq_ignore_ascii_case("NotInGroup") => GroupOutcome::NotInGroup,
            x if x.eq_ignore_ascii_case("NotFoundGroup") => GroupOutcome::NotFoundGroup,
            x if x.eq_ignore_ascii_case("NotChecked") => GroupOutcome::NotChecked,
            x => GroupOutcome::Other(x.chars().take(40).collect()),
        }
    }

    /// The agent ends up where `action` wanted it in this group.
    pub fn reached(&self, action: QueueAction) -> bool {
        match action {
            QueueAction::SignIn => matches!(self, GroupOutcome::Success | GroupOutcome::CheckedIn),
            QueueAction::SignOut => {
                matches!(self, GroupOutcome::Success | GroupOutcome::NotChecked)
            }
        }
    }
}

/// Reads `QUEUE`'s per-group results.
///
/// # Format
///
/// Seed 4.3: `1:success,2:NotChecked` (code 1) and `1:NotChecked,2:NotFoundGroup` (code 3).
///
/// # Errors
///
/// [`ProtocolError::Malformed`] when a piece is not `<group id>:<result>`.
pub fn parse_group_results(message: &str) -> Result<Vec<(String, GroupOutcome)>, ProtocolError> {
    let mut out = Vec::new();
    for piece in message.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (id, result) = piece
            .split_once(':')
            .ok_or_else(|| ProtocolError::malformed("QUEUE result", "a piece is not id:result"))?;
        let id = id.trim();
        if id.is_empty() || id.len() > 16 || !id.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ProtocolError::malformed(
                "QUEUE result",
                "a group id is not digits",
            ));
        }
        out.push((id.to_string(), GroupOutcome::parse(result)));
    }
    Ok(out)
}

/// What `LOGIN` says of one of the agent's groups.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupInfo {
    pub id: String,
    pub name: Option<String>,
    pub status: StatusWord,
    /// The agent leads this group (`groupadmin=yes`): supervisor operations are allowed.
    pub admin: bool,
}

/// Reads the third part of `LOGIN`'s reply: the agent's groups.
///
/// # Format
///
/// The HTTP chapter only says "坐席信息"; the JS chapter (5.1) prints it:
/// `agent_group_id=1&groupname=日语客服组&status=idel&groupadmin=no&agenttype=static&agentline=online&errorcall=no&agent_id=10|||`,
/// one such block per group, each ending in `|||`. The `AGENTSTATUS` form
/// `1-idle,2-pause,` is read too. Blocks that are neither are skipped: sign-in has succeeded
/// whatever this part holds.
pub fn parse_login_groups(text: &str) -> Vec<GroupInfo> {
    let mut out = Vec::new();
    for block in text.split("|||").map(str::trim).filter(|b| !b.is_empty()) {
        if !block.contains('=') {
            if let Ok(states) = super::status::parse_group_states(block) {
                out.extend(states.into_iter().map(|(id, status)| GroupInfo {
                    id,
                    name: None,
                    status,
                    admin: false,
                }));
            }
            continue;
        }
        let pairs = split_pairs(block);
        let get = |k: &str| {
            pairs
                .iter()
                .find(|(key, _)| key.eq_ignore_ascii_case(k))
                .map(|(_, v)| v.trim().to_string())
        };
        let Some(id) = get("agent_group_id").filter(|id| !id.is_empty()) else {
            continue;
        };
        out.push(GroupInfo {
            id,
            name: get("groupname").filter(|n| !n.is_empty()),
            status: StatusWord::parse(&get("status").unwrap_or_default()),
            admin: get("groupadmin").is_some_and(|a| a.eq_ignore_ascii_case("yes")),
        });
    }
    out
}
