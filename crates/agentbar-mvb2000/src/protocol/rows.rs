//! Typed rows about calls: screen pop, channel details, calls in progress, collected digits.
//!
//! Optional fields that are absent become `""`; a field the row is useless
//! without (a pop-up's `channel` and `uniqueid`) gives
//! [`ProtocolError::MissingField`].

use super::envelope::Row;
use super::error::ProtocolError;

/// A required field: absent or blank is an error.
pub(crate) fn required(row: &Row, field: &'static str) -> Result<String, ProtocolError> {
    match row.get(field) {
        Some(v) if !v.trim().is_empty() => Ok(v.to_owned()),
        _ => Err(ProtocolError::MissingField { field }),
    }
}

/// An optional field: absent is `""`.
pub(crate) fn optional(row: &Row, field: &str) -> String {
    row.get(field).unwrap_or_default().to_owned()
}

/// An optional count: absent or blank is 0, anything else must be a number.
pub(crate) fn count(row: &Row, field: &'static str) -> Result<u32, ProtocolError> {
    match row.get_ignore_case(field).map(str::trim) {
        None | Some("") => Ok(0),
        Some(v) => v
            .parse()
            .map_err(|_| ProtocolError::invalid(field, "is not a whole number")),
    }
}

/// Who placed the call, from the agent's side (seed 18.5 `direct`: IN/OUT/空).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// `IN`: the agent is called.
    In,
    /// `OUT`: the agent called.
    Out,
    /// Empty or anything else.
    Unknown,
}

impl Direction {
    fn from_wire(s: &str) -> Self {
        match s.trim().to_ascii_uppercase().as_str() {
            "IN" => Self::In,
            "OUT" => Self::Out,
            _ => Self::Unknown,
        }
    }
}

/// An Asterisk channel state (seed 18.5 `state`: Ring/Ringing/Up/Down).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChannelState {
    /// `Ring`: the line is off hook and dialing / being dialed out from.
    Ring,
    /// `Ringing`: the phone rings.
    Ringing,
    /// `Up`: answered.
    Up,
    /// `Down`: idle.
    Down,
    /// Any other state Asterisk reports (`Busy`, `Dialing`, ...), as sent.
    Other(String),
}

impl ChannelState {
    /// Reads the state word, ignoring case.
    ///
    /// # Format
    ///
    /// Seed 18.5: `state` "状态(Ring/Ringing/Up/Down)", sample `"state":"Up"`.
    pub fn from_wire(s: &str) -> Self {
        let t = s.trim();
        match t.to_ascii_lowercase().as_str() {
            "ring" => Self::Ring,
            "ringing" => Self::Ringing,
            "up" => Self::Up,
            "down" => Self::Down,
            _ => Self::Other(t.to_owned()),
        }
    }
}

/// One call on the agent's interface, for the screen pop (seed 18).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PopupEntry {
    /// When the row was made, `yyyy-mm-dd hh:mm:ss` server time.
    pub createtime: String,
    /// The agent's active channel (hang up / redirect target).
    pub channel: String,
    /// The agent leg's call id; dedupe pops on it (seed 1.5.5).
    pub uniqueid: String,
    /// The other party's number.
    pub callerid: String,
    /// The other party's name (often `???` in the seed: a charset casualty).
    pub calleridname: String,
    /// Who called whom.
    pub direct: Direction,
    /// The other party's active channel.
    pub peer_channel: String,
    /// The other party's call id.
    pub peer_uniqueid: String,
    /// The agent channel's state.
    pub state: ChannelState,
    /// The number originally dialed.
    pub did: String,
}

/// The seed spells the peer fields three ways: `miscredata` (18.5 table and
/// samples), `misdata` (20.2), `miscdata` (21.6).
const PEER_CHANNEL: &[&str] = &["miscredata", "misdata", "miscdata"];
const PEER_UNIQUEID: &[&str] = &["miscreuniqueid", "misuniqueid", "miscuniqueid"];

impl TryFrom<&Row> for PopupEntry {
    type Error = ProtocolError;

    /// # Format
    ///
    /// Seed 18.5: `{"createtime":"2015-02-04 09:59:22","channel":"SIP/2011-0894c548","uniqueid":"1423015162.92","callerid":"2012","calleridname":"???","direct":"IN","miscredata":"SIP/2012-b7c36250","miscreuniqueid":"1423015162.91","state":"Up","did":""}`
    fn try_from(row: &Row) -> Result<Self, Self::Error> {
        Ok(Self {
            createtime: optional(row, "createtime"),
            channel: required(row, "channel")?,
            uniqueid: required(row, "uniqueid")?,
            callerid: optional(row, "callerid"),
            calleridname: optional(row, "calleridname"),
            direct: Direction::from_wire(row.get("direct").unwrap_or_default()),
            peer_channel: row.get_any(PEER_CHANNEL).unwrap_or_default().to_owned(),
            peer_uniqueid: row.get_any(PEER_UNIQUEID).unwrap_or_default().to_owned(),
            state: ChannelState::from_wire(row.get("state").unwrap_or_default()),
            did: optional(row, "did"),
        })
    }
}

/// The common variables of a call (seed 19.5); all text, as sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChannelDetail {
    /// The channel asked about.
    pub channel: String,
    /// Its call id.
    pub uniqueid: String,
    /// The bridged channel.
    pub dstchannel: String,
    /// The channel the variables were read from.
    pub datachannel: String,
    /// The bridged channel's call id.
    pub dstuniqueid: String,
    /// The number originally dialed.
    pub did: String,
    /// Recording file name without extension.
    pub monitorfile: String,
    /// The number dialed (in the sample, absent from the seed's table).
    pub dialednum: String,
    /// The queue number (`queueenum`, the seed's spelling).
    pub queueenum: String,
    /// The agent number.
    pub agentno: String,
    /// IVR history, IVR numbers joined by `-`.
    pub ivrhist: String,
    /// Seconds waited in queue.
    pub holdtime: String,
    /// Calling number.
    pub caller: String,
    /// Called number.
    pub callee: String,
    /// Area code of the caller.
    pub areacode: String,
    /// City of the caller.
    pub city: String,
    /// Province of the caller.
    pub province: String,
    /// Phone card type of the caller.
    pub simcardtype: String,
}

impl TryFrom<&Row> for ChannelDetail {
    type Error = ProtocolError;

    /// # Format
    ///
    /// Seed 19.5: `{"channel":"SIP/7001-0a8ce848","uniqueid":"1421274641.0","dstchannel":"SIP/100-102-0a8ba5a0","datachannel":"SIP/7001-0a8ce848","dstuniqueid":"1421274641.0","did":"","monitorfile":"","dialednum":"2012","queueenum":"","agentno":"","ivrhist":"","holdtime":"","caller":"2011","callee":"2012","areacode":"","city":"","province":"","simcardtype":""}`
    fn try_from(row: &Row) -> Result<Self, Self::Error> {
        Ok(Self {
            channel: required(row, "channel")?,
            uniqueid: optional(row, "uniqueid"),
            dstchannel: optional(row, "dstchannel"),
            datachannel: optional(row, "datachannel"),
            dstuniqueid: optional(row, "dstuniqueid"),
            did: optional(row, "did"),
            monitorfile: optional(row, "monitorfile"),
            dialednum: optional(row, "dialednum"),
            queueenum: optional(row, "queueenum"),
            agentno: optional(row, "agentno"),
            ivrhist: optional(row, "ivrhist"),
            holdtime: optional(row, "holdtime"),
            caller: optional(row, "caller"),
            callee: optional(row, "callee"),
            areacode: optional(row, "areacode"),
            city: optional(row, "city"),
            province: optional(row, "province"),
            simcardtype: optional(row, "simcardtype"),
        })
    }
}

/// A call in progress (seed 20.5, `getcalls`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallRow {
    /// Row time.
    pub createtime: String,
    /// Calling channel.
    pub srcchannel: String,
    /// Called channel.
    pub dstchannel: String,
    /// Call state word, e.g. `Link`.
    pub callstate: String,
    /// Calling number.
    pub srccallerid: String,
    /// Calling name.
    pub srccalleridname: String,
    /// Called number.
    pub dstcallerid: String,
    /// Called name (`<Unknown>` when Asterisk has none).
    pub dstcalleridname: String,
    /// Calling channel state.
    pub srcchannelstate: ChannelState,
    /// Called channel state.
    pub dstchannelstate: ChannelState,
    /// Calling leg's call id.
    pub srcuniqueid: String,
    /// Called leg's call id.
    pub dstuniqueid: String,
    /// Dial time.
    pub dialtime: String,
    /// Answer time.
    pub linktime: String,
    /// End time (`0000-00-00 00:00:00` while up).
    pub unlinktime: String,
    /// Cleared flag as sent.
    pub clearflag: String,
}

impl TryFrom<&Row> for CallRow {
    type Error = ProtocolError;

    /// # Format
    ///
    /// Seed 20.5: `<item><createtime>2015-02-04 10:11:30</createtime><srcchannel>SIP/2011-b7c36250</srcchannel><dstchannel>SIP/2012-0894c548</dstchannel><callstate>Link</callstate>...<clearflag>0</clearflag></item>`
    fn try_from(row: &Row) -> Result<Self, Self::Error> {
        Ok(Self {
            createtime: optional(row, "createtime"),
            srcchannel: required(row, "srcchannel")?,
            dstchannel: optional(row, "dstchannel"),
            callstate: optional(row, "callstate"),
            srccallerid: optional(row, "srccallerid"),
            srccalleridname: optional(row, "srccalleridname"),
            dstcallerid: optional(row, "dstcallerid"),
            dstcalleridname: optional(row, "dstcalleridname"),
            srcchannelstate: ChannelState::from_wire(row.get("srcchannelstate").unwrap_or("")),
            dstchannelstate: ChannelState::from_wire(row.get("dstchannelstate").unwrap_or("")),
            srcuniqueid: optional(row, "srcuniqueid"),
            dstuniqueid: optional(row, "dstuniqueid"),
            dialtime: optional(row, "dialtime"),
            linktime: optional(row, "linktime"),
            unlinktime: optional(row, "unlinktime"),
            clearflag: optional(row, "clearflag"),
        })
    }
}

/// How far the digit collection got (seed 21.5 `CALLDATA_STATE`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WaitAuthState {
    /// 0: not handled yet.
    Pending,
    /// 1: input complete.
    Done,
    /// 2: input incomplete.
    Incomplete,
    /// 3: the caller hung up.
    HungUp,
    /// Anything else, as sent.
    Other(String),
}

/// The verdict of the collecting program (seed 21.5 `CALLDATA_AUTH`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthStatus {
    /// 0: not handled.
    Unprocessed,
    /// 1: passed.
    Passed,
    /// 2: failed.
    Failed,
    /// Anything else, as sent.
    Other(String),
}

/// The digits a caller keyed in for `ctiwaitauth` (seed 21.5).
///
/// The AGI program leaves unset variables as `(null)`; those become `None`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaitAuthResult {
    /// `CALLDATA_STATE`.
    pub state: WaitAuthState,
    /// `CALLDATA_ID`: customer or member id.
    pub id: Option<String>,
    /// `CALLDATA_ACCOUNT`: account or card number.
    pub account: Option<String>,
    /// `CALLDATA_AUTH` (a JSON number in the seed's sample).
    pub auth: AuthStatus,
    /// `CALLDATA_TIMESTAMP`, Unix seconds as sent.
    pub timestamp: Option<String>,
    /// `CALLDATA_DATA1`..`CALLDATA_DATA4`; DATA1 holds the keys pressed.
    pub data: [Option<String>; 4],
}

fn not_null(row: &Row, field: &str) -> Option<String> {
    match row.get(field).map(str::trim) {
        None | Some("") | Some("(null)") => None,
        Some(v) => Some(v.to_owned()),
    }
}

impl TryFrom<&Row> for WaitAuthResult {
    type Error = ProtocolError;

    /// # Format
    ///
    /// Seed 21.5: `{"CALLDATA_STATE":"1","CALLDATA_ID":"(null)","CALLDATA_ACCOUNT":"(null)","CALLDATA_AUTH":0,"CALLDATA_TIMESTAMP":"1324864355","CALLDATA_DATA1":"4","CALLDATA_DATA2":"(null)","CALLDATA_DATA3":"(null)","CALLDATA_DATA4":"(null)"}`
    fn try_from(row: &Row) -> Result<Self, Self::Error> {
        let state = match required(row, "CALLDATA_STATE")?.trim() {
            "0" => WaitAuthState::Pending,
            "1" => WaitAuthState::Done,
            "2" => WaitAuthState::Incomplete,
            "3" => WaitAuthState::HungUp,
            other => WaitAuthState::Other(other.to_owned()),
        };
        let auth = match not_null(row, "CALLDATA_AUTH").as_deref() {
            None | Some("0") => AuthStatus::Unprocessed,
            Some("1") => AuthStatus::Passed,
            Some("2") => AuthStatus::Failed,
            Some(other) => AuthStatus::Other(other.to_owned()),
        };
        Ok(Self {
            state,
            id: not_null(row, "CALLDATA_ID"),
            account: not_null(row, "CALLDATA_ACCOUNT"),
            auth,
            timestamp: not_null(row, "CALLDATA_TIMESTAMP"),
            data: [
                not_null(row, "CALLDATA_DATA1"),
                not_null(row, "CALLDATA_DATA2"),
                not_null(row, "CALLDATA_DATA3"),
                not_null(row, "CALLDATA_DATA4"),
            ],
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn popup_requires_channel_and_uniqueid() {
        let row: Row = [("channel", "SIP/2011-1")].into_iter().collect();
        assert_eq!(
            PopupEntry::try_from(&row),
            Err(ProtocolError::MissingField { field: "uniqueid" })
        );
        let row: Row = [("uniqueid", "1.2")].into_iter().collect();
        assert_eq!(
            PopupEntry::try_from(&row),
            Err(ProtocolError::MissingField { field: "channel" })
        );
    }

    #[test]
    fn popup_minimal_row_defaults() {
        let row: Row = [
            ("channel", "SIP/2011-1"),
            ("uniqueid", "1.2"),
            ("state", "Busy"),
        ]
        .into_iter()
        .collect();
        let p = PopupEntry::try_from(&row).unwrap();
        assert_eq!(p.direct, Direction::Unknown);
        assert_eq!(p.state, ChannelState::Other("Busy".into()));
        assert_eq!(p.peer_channel, "");
    }

    #[test]
    fn wait_auth_requires_state() {
        assert_eq!(
            WaitAuthResult::try_from(&Row::new()),
            Err(ProtocolError::MissingField {
                field: "CALLDATA_STATE"
            })
        );
    }
}
