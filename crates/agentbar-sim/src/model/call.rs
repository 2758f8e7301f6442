//! Calls: the grouping of legs for scripting and the call log, and the spec of an incoming call.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Identifies a call: the uniqueid of its first leg.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CallId(pub String);

impl std::fmt::Display for CallId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Where an incoming call goes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Target {
    /// A queue number.
    Queue(String),
    /// An extension number.
    Extension(String),
}

/// Caller location, as a number-lookup service would attach it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Area {
    /// Area code, e.g. `0532`.
    pub areacode: String,
    /// City.
    pub city: String,
    /// Province.
    pub province: String,
}

/// A scripted incoming call.
///
/// # Format (control API, `POST /_sim/incoming`)
///
/// ```json
/// {"from":"13905321234","did":"4000820188","to":{"queue":"5090"},"ivr_keys":"1-2",
///  "caller_name":"王先生","vars":{"ORDER":"42"},"area":{"areacode":"0532","city":"青岛",
///  "province":"山东"},"input":"8"}
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncomingSpec {
    /// Caller number.
    pub from: String,
    /// Number the caller dialed.
    #[serde(default)]
    pub did: String,
    /// Queue or extension.
    pub to: Target,
    /// IVR key history, e.g. `1-2-5`.
    #[serde(default)]
    pub ivr_keys: String,
    /// Caller name.
    #[serde(default)]
    pub caller_name: String,
    /// Attached data (extra channel variables on the caller's leg).
    #[serde(default)]
    pub vars: BTreeMap<String, String>,
    /// Caller location.
    #[serde(default)]
    pub area: Area,
    /// Digits the caller keys in when asked (`ctiwaitauth`); `None`: the caller never answers.
    #[serde(default)]
    pub input: Option<String>,
}

impl IncomingSpec {
    /// A call from `from` to queue `queue` with nothing else attached.
    pub fn to_queue(from: &str, did: &str, queue: &str) -> Self {
        IncomingSpec {
            from: from.to_owned(),
            did: did.to_owned(),
            to: Target::Queue(queue.to_owned()),
            ivr_keys: String::new(),
            caller_name: String::new(),
            vars: BTreeMap::new(),
            area: Area::default(),
            input: None,
        }
    }

    /// A call from `from` straight to extension `exten`.
    pub fn to_extension(from: &str, did: &str, exten: &str) -> Self {
        IncomingSpec {
            to: Target::Extension(exten.to_owned()),
            ..Self::to_queue(from, did, "")
        }
    }
}

/// A call in progress.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallRecord {
    /// Identifier.
    pub id: CallId,
    /// Inbound (`IN`) or outbound (`OUT`) from the call center's point of view.
    pub direction: super::Direction,
    /// Calling number.
    pub src: String,
    /// Called number (extension, queue or external number; updated when an agent answers).
    pub dst: String,
    /// DID.
    pub did: String,
    /// Queue, if it went through one.
    pub queue: Option<String>,
    /// First leg's channel.
    pub first_channel: String,
    /// Started at, epoch ms.
    pub created_ms: i64,
    /// Answered at, epoch ms.
    pub answered_ms: Option<i64>,
    /// Recording file name (with `.WAV`), once answered by an extension.
    pub recording: Option<String>,
    /// Digits the caller keys in when asked.
    pub input: Option<String>,
}

/// A finished call (CDR-ish).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CdrRow {
    /// `yyyy-mm-dd HH:MM:SS` start.
    pub calldate: String,
    /// Call identifier (uniqueid of the first leg).
    pub uniqueid: String,
    /// IN/OUT.
    pub direction: super::Direction,
    /// Calling number.
    pub src: String,
    /// Called number.
    pub dst: String,
    /// DID.
    pub did: String,
    /// Queue.
    pub queue: String,
    /// First leg.
    pub channel: String,
    /// Seconds from start to end.
    pub duration: i64,
    /// Seconds from answer to end.
    pub billsec: i64,
    /// `ANSWERED` or `NO ANSWER`.
    pub disposition: String,
    /// Recording file, e.g. `IN2011-20250101-101010-1423015162.92.WAV`, or empty.
    pub recordingfile: String,
}
