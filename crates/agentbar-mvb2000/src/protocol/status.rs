//! Typed rows about agents and resources: extension state, queue members, queues, mailbox, device.

use super::envelope::Row;
use super::error::ProtocolError;
use super::rows::{count, optional, required};

/// An extension's device state, decoded from `status`.
///
/// The seed prints the codes (`"0"`, `"1"`) but not their meaning; these are
/// Asterisk's `ast_extension_state` values, which the server passes through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExtensionState {
    /// 0: idle.
    Idle,
    /// 1: in use.
    InUse,
    /// 2: busy.
    Busy,
    /// 4: unavailable (not registered).
    Unavailable,
    /// 8: ringing.
    Ringing,
    /// 9: in use and ringing (call waiting).
    InUseRinging,
    /// 16: on hold.
    OnHold,
    /// -1 / -2: no such extension / removed.
    NotFound,
    /// Any other value, as sent.
    Other(String),
}

impl ExtensionState {
    /// Decodes a `status` code.
    ///
    /// # Format
    ///
    /// Seed 2.5 `"status":"0"`, seed 10.5 `"status":"1"`.
    pub fn from_code(code: &str) -> Self {
        match code.trim() {
            "0" => Self::Idle,
            "1" => Self::InUse,
            "2" => Self::Busy,
            "4" => Self::Unavailable,
            "8" => Self::Ringing,
            "9" => Self::InUseRinging,
            "16" => Self::OnHold,
            "-1" | "-2" => Self::NotFound,
            other => Self::Other(other.to_owned()),
        }
    }
}

/// One extension's state (seed 2.5, 10.5).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtensionStatus {
    /// Row time.
    pub createtime: String,
    /// The extension number.
    pub exten: String,
    /// Its dial interface, e.g. `SIP/2011`.
    pub channel: String,
    /// Its context.
    pub context: String,
    /// The raw `status` code.
    pub status: String,
    /// `status` decoded.
    pub state: ExtensionState,
    /// When the state last changed.
    pub statustime: String,
}

impl TryFrom<&Row> for ExtensionStatus {
    type Error = ProtocolError;

    /// # Format
    ///
    /// Seed 2.5: `{"createtime":"2015-01-30 11:30:35","exten":"2011","channel":"SIP/2011","context":"from-internal","status":"0","statustime":"2015-02-03 09:07:57"}`
    fn try_from(row: &Row) -> Result<Self, Self::Error> {
        let status = optional(row, "status");
        Ok(Self {
            createtime: optional(row, "createtime"),
            exten: required(row, "exten")?,
            channel: optional(row, "channel"),
            context: optional(row, "context"),
            state: ExtensionState::from_code(&status),
            status,
            statustime: optional(row, "statustime"),
        })
    }
}

/// One agent in one queue (seed 10.5, `getqueuemember`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueMember {
    /// Row time.
    pub createtime: String,
    /// Queue number.
    pub queue: String,
    /// The agent's interface, e.g. `SIP/2011`.
    pub agent: String,
    /// The agent number.
    pub agentname: String,
    /// `dynamic` (logged in through `ctiqueueadd`) or `static`.
    pub agentship: String,
    /// Penalty.
    pub penalty: u32,
    /// Calls answered.
    pub callstaken: u32,
    /// Last call time.
    pub lastcall: String,
    /// Asterisk device state code of the member, as sent.
    pub status: String,
    /// Not ready ("示忙").
    pub paused: bool,
}

impl TryFrom<&Row> for QueueMember {
    type Error = ProtocolError;

    /// # Format
    ///
    /// Seed 10.5: `{"createtime":"2015-01-23 10:21:19","queue":"90","agent":"SIP/2011","agentname":"2011","agentship":"dynamic","penalty":"0","callstaken":"0","lastcall":"0000-00-00 00:00:00","status":"1","paused":"0"}`
    fn try_from(row: &Row) -> Result<Self, Self::Error> {
        let paused = match row.get("paused").map(str::trim) {
            None | Some("") | Some("0") => false,
            Some("1") => true,
            Some(v) if v.eq_ignore_ascii_case("true") => true,
            Some(v) if v.eq_ignore_ascii_case("false") => false,
            Some(_) => return Err(ProtocolError::invalid("paused", "is not 0 or 1")),
        };
        Ok(Self {
            createtime: optional(row, "createtime"),
            queue: optional(row, "queue"),
            agent: required(row, "agent")?,
            agentname: optional(row, "agentname"),
            agentship: optional(row, "agentship"),
            penalty: count(row, "penalty")?,
            callstaken: count(row, "callstaken")?,
            lastcall: optional(row, "lastcall"),
            status: optional(row, "status"),
            paused,
        })
    }
}

/// One queue's statistics (seed 11.5, `getqueue`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueStatus {
    /// Row time.
    pub createtime: String,
    /// Queue number.
    pub queue: String,
    /// Maximum waiting calls (0: no limit).
    pub max: u32,
    /// Calls waiting now.
    pub calls: u32,
    /// Average hold time, seconds.
    pub holdtime: u32,
    /// Calls completed.
    pub completed: u32,
    /// Calls abandoned.
    pub abandoned: u32,
    /// Service level threshold, seconds (`serviceLevel` in the sample).
    pub service_level: u32,
    /// Service level performance, as sent (`"0.0"`).
    pub service_level_perf: String,
    /// Queue weight.
    pub weight: u32,
}

impl TryFrom<&Row> for QueueStatus {
    type Error = ProtocolError;

    /// # Format
    ///
    /// Seed 11.5: `{"createtime":"2015-01-23 09:29:16","queue":"90","max":"6","calls":"0","holdtime":"0","completed":"0","abandoned":"0","serviceLevel":"0","servicelevelperf":"0.0","weight":"0"}`
    fn try_from(row: &Row) -> Result<Self, Self::Error> {
        Ok(Self {
            createtime: optional(row, "createtime"),
            queue: required(row, "queue")?,
            max: count(row, "max")?,
            calls: count(row, "calls")?,
            holdtime: count(row, "holdtime")?,
            completed: count(row, "completed")?,
            abandoned: count(row, "abandoned")?,
            service_level: count(row, "servicelevel")?,
            service_level_perf: row
                .get_ignore_case("servicelevelperf")
                .unwrap_or_default()
                .to_owned(),
            weight: count(row, "weight")?,
        })
    }
}

/// Voicemail counts of one mailbox (seed 25.5).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailboxCount {
    /// The mailbox.
    pub mailbox: String,
    /// Messages already heard.
    pub old_messages: u32,
    /// Messages not yet heard.
    pub new_messages: u32,
}

impl TryFrom<&Row> for MailboxCount {
    type Error = ProtocolError;

    /// # Format
    ///
    /// Seed 25.5: `{"mailbox":"5003","oldmessages":"0","newmessages":"0"}`; the prose of 25.2
    /// spells `NewMessages` / `OldMessages`, so names are matched ignoring case.
    fn try_from(row: &Row) -> Result<Self, Self::Error> {
        Ok(Self {
            mailbox: row
                .get_ignore_case("mailbox")
                .unwrap_or_default()
                .to_owned(),
            old_messages: count(row, "oldmessages")?,
            new_messages: count(row, "newmessages")?,
        })
    }
}

/// A device as `ctigetdevice` describes it (seed 1.4.2, 1.5.4).
///
/// The seed shows only `errcode` (inside the row) and `dial` (the dial
/// interface); the type, permissions and bound user it mentions are kept in
/// `fields` under whatever names the server uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceInfo {
    /// The row's own `errcode`, if it carries one; the C# sample requires 0.
    pub errcode: Option<i64>,
    /// The dial interface, e.g. `SIP/7001`.
    pub dial: String,
    /// Every field of the row, `dial` and `errcode` included.
    pub fields: Row,
}

impl TryFrom<&Row> for DeviceInfo {
    type Error = ProtocolError;

    /// # Format
    ///
    /// Seed 1.4.2 (C#): the first `row`, `get_xmlvalue(row, "errcode") == 0`, then `get_xmlvalue(row, "dial")`.
    fn try_from(row: &Row) -> Result<Self, Self::Error> {
        let errcode = match row.get("errcode").map(str::trim) {
            None | Some("") => None,
            Some(v) => Some(
                v.parse()
                    .map_err(|_| ProtocolError::invalid("errcode", "is not an integer"))?,
            ),
        };
        Ok(Self {
            errcode,
            dial: optional(row, "dial"),
            fields: row.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paused_values() {
        for (v, want) in [("1", true), ("0", false), ("true", true), ("", false)] {
            let row: Row = [("agent", "SIP/1"), ("paused", v)].into_iter().collect();
            assert_eq!(QueueMember::try_from(&row).unwrap().paused, want);
        }
        let row: Row = [("agent", "SIP/1"), ("paused", "maybe")]
            .into_iter()
            .collect();
        assert!(matches!(
            QueueMember::try_from(&row),
            Err(ProtocolError::Invalid {
                field: "paused",
                ..
            })
        ));
    }

    #[test]
    fn bad_count_names_the_field() {
        let row: Row = [("queue", "90"), ("calls", "x")].into_iter().collect();
        assert!(matches!(
            QueueStatus::try_from(&row),
            Err(ProtocolError::Invalid { field: "calls", .. })
        ));
    }

    #[test]
    fn mailbox_capitalised_names() {
        let row: Row = [
            ("Mailbox", "5003"),
            ("NewMessages", "2"),
            ("OldMessages", "5"),
        ]
        .into_iter()
        .collect();
        let m = MailboxCount::try_from(&row).unwrap();
        assert_eq!(
            (m.mailbox.as_str(), m.new_messages, m.old_messages),
            ("5003", 2, 5)
        );
    }

    #[test]
    fn extension_states() {
        assert_eq!(ExtensionState::from_code("0"), ExtensionState::Idle);
        assert_eq!(ExtensionState::from_code("8"), ExtensionState::Ringing);
        assert_eq!(
            ExtensionState::from_code("x"),
            ExtensionState::Other("x".into())
        );
    }
}
