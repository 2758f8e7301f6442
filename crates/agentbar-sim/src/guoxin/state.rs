//! What the Guoxin front end keeps beyond the shared model: phone registration, monitoring
//! rights, the notices and call log it derived, the `CALL_THIRD` state machines, conferences,
//! and the captcha and TTS tasks.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::sync::{Mutex, MutexGuard};

use md5::{Digest, Md5};
use rand::Rng;
use serde::{Deserialize, Serialize};
use tokio::sync::watch;

use super::config::GuoxinConfig;
use super::notify::{self, Outbox};
use crate::clock::SimClock;
use crate::model::CallId;

/// A call state of a pop notice (seed sec 4.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NoticeState {
    /// The caller reached the server and is being handled (主叫到达服务器，处理中).
    Calling,
    /// The extension rings (振铃中); not sent when it answers by itself.
    Ringing,
    /// Hung up while ringing: the call is cancelled (振铃中挂机，取消呼叫).
    Canceled,
    /// Connected (已经接通).
    Talking,
    /// Hung up (挂机).
    Hungup,
}

impl NoticeState {
    /// The wire word.
    pub fn as_str(self) -> &'static str {
        match self {
            NoticeState::Calling => "calling",
            NoticeState::Ringing => "ringing",
            NoticeState::Canceled => "canceled",
            NoticeState::Talking => "talking",
            NoticeState::Hungup => "hungup",
        }
    }
}

/// The `businessId` of notices about the original caller's side, which pop-up clients ignore.
pub const MAINCALL: &str = "maincall";

/// One pop notice, as generated.
///
/// # Format
///
/// Seed sec 4.3, the fields in this order, form-encoded (`@` as `%40`):
///
/// ```text
/// id=c635814c-4c50-4340-adcf-bc3824e1ea70%40192.168.1.82&caller=1591982xxxx&callee=802&state=ringing&direction=incoming&businessId=14310454421088926826-0%40192.168.1.102&group=3003
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    /// Order of generation, from 1.
    pub seq: u64,
    /// The call's id, the same on every notice of one call.
    pub id: String,
    /// Calling number.
    pub caller: String,
    /// Called number (the extension, for notices about an extension).
    pub callee: String,
    /// Call state.
    pub state: NoticeState,
    /// `incoming` or `outgoing` (a field the seed reserves).
    pub direction: String,
    /// `maincall`, or the id of the leg to the extension.
    #[serde(rename = "businessId")]
    pub business_id: String,
    /// The extension's group (or the group the call came in through).
    pub group: String,
    /// The model channel the notice is about (not on the wire).
    pub channel: String,
    /// Generated at, epoch ms (simulator clock).
    pub at_ms: i64,
}

fn enc(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC)
        .to_string()
        .replace("%2D", "-")
        .replace("%2E", ".")
        .replace("%5F", "_")
}

impl Notice {
    /// The notice's fields as the seed's query: `id=..&caller=..&callee=..&state=..&direction=..&businessId=..&group=..`.
    pub fn form(&self) -> String {
        format!(
            "id={}&caller={}&callee={}&state={}&direction={}&businessId={}&group={}",
            enc(&self.id),
            enc(&self.caller),
            enc(&self.callee),
            self.state.as_str(),
            enc(&self.direction),
            enc(&self.business_id),
            enc(&self.group)
        )
    }
}

/// The tracker's view of one live leg.
#[derive(Clone, Debug)]
pub(crate) struct LegView {
    pub call: CallId,
    /// No notices for this leg (a trunk leg other than the call's first, or an ignored call).
    pub silent: bool,
    pub business_id: String,
    pub caller: String,
    pub callee: String,
    pub direction: String,
    pub group: String,
    pub device: Option<String>,
    pub rang: bool,
    pub talked: bool,
}

/// The tracker's view of one live call.
#[derive(Clone, Debug)]
pub(crate) struct CallView {
    /// Calls placed to monitor, barge or take over produce no notices and no call log row.
    pub ignored: bool,
    /// The call log row of the call.
    pub log_id: u64,
}

/// A row of the call log (seed sec 21.2), in the seed's field order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallLogRow {
    /// Row number.
    pub id: u64,
    /// Calling number.
    pub caller: String,
    /// Called number (the extension that answered an inbound call).
    pub callee: String,
    /// Start, epoch ms.
    #[serde(rename = "beginTime")]
    pub begin_time: i64,
    /// Seconds talked.
    pub duration: i64,
    /// `STATE_FAILED`, `STATE_RECEIVED` or `STATE_RECEIVING`.
    pub state: String,
    /// `CENTREX_CALL`, `LOCAL_CALL`, `NATIONAL_CALL`, `OVERSEAS_CALL`.
    #[serde(rename = "callType")]
    pub call_type: String,
    /// Customer rating; empty as in the seed's sample.
    pub estimate: String,
    /// Call channel (the server's address).
    pub channel: String,
    /// The call's id, `@` written `%40` as the seed's sample prints it.
    pub callid: String,
    /// Text record.
    pub record: String,
    /// Recording path for `/Oms/FileDownServlet?filename=`.
    #[serde(rename = "recordVoice")]
    pub record_voice: String,
    /// Customer name.
    pub cname: String,
    /// Service type.
    pub servicetype: String,
    /// Sub-state.
    pub manustate: String,
    /// The id `CLICK_TO_DIAL` answered, for calls it placed.
    pub clickcallid: String,
    /// FXO port.
    pub fxonum: String,
    /// Product.
    pub productid: i64,
    /// Start as `Mar 28, 2016 6:27:47 PM`.
    #[serde(rename = "_callTime")]
    pub call_time: String,
    /// Internal.
    #[serde(rename = "_judge")]
    pub judge: i64,
    /// The model call (not on the wire).
    #[serde(skip)]
    pub call: Option<CallId>,
    /// Incoming (`true`) or outgoing, for `dirction` (not on the wire).
    #[serde(skip)]
    pub incoming: bool,
    /// Answered at, epoch ms (not on the wire).
    #[serde(skip)]
    pub answered_ms: Option<i64>,
    /// Still in progress (not on the wire).
    #[serde(skip)]
    pub live: bool,
}

/// Where a `CALL_THIRD` stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Phase {
    /// Set up, the third party does not ring yet (100).
    Trying,
    /// The third party's leg rings (180).
    Ringing(String),
    /// The third party answered (200).
    Answered(String),
    /// Busy, rejected, not reachable, or gone (603).
    Failed,
}

impl Phase {
    /// The status `CALL_THIRD_GET_THIRD_STATE` answers.
    pub fn code(&self) -> u16 {
        match self {
            Phase::Trying => 100,
            Phase::Ringing(_) => 180,
            Phase::Answered(_) => 200,
            Phase::Failed => 603,
        }
    }

    /// The third party's leg, while it lives.
    pub fn leg(&self) -> Option<&str> {
        match self {
            Phase::Ringing(l) | Phase::Answered(l) => Some(l),
            _ => None,
        }
    }
}

/// A `CALL_THIRD` in progress for one extension.
#[derive(Clone, Debug)]
pub(crate) struct Third {
    pub id: u64,
    pub agent_leg: String,
    /// The customer, waiting with music.
    pub held_leg: String,
    pub target: String,
    pub phase: Phase,
    pub started_ms: i64,
}

/// A conference (seed sec 9, 10, 12): a model MeetMe room `guoxin-<id>`.
#[derive(Clone, Debug)]
pub(crate) struct Conference {
    pub room: String,
    pub call: CallId,
    /// The leg `CONFERENCE_CREATE` invited, while it rings (joins answer 480 meanwhile).
    pub creating: Option<String>,
    /// Legs invited by `CONFERENCE_JOIN`, while they ring.
    pub joining: Vec<String>,
    pub created_ms: i64,
}

/// A captcha or TTS call (seed sec 3, 18).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Task {
    /// `captcha` or `tts`.
    pub kind: String,
    /// The caller's `id` or `token`.
    pub key: String,
    /// The customer's number.
    pub callee: String,
    /// Voice or IVR played.
    pub toneid: String,
    /// 0 queued, 1 success, 2 failed, 3 empty number, 4 calling, 5 busy, 6 switched off.
    pub state: u16,
    /// Keys the customer pressed (TTS), e.g. `satisfact=8`.
    pub input: String,
    /// Where the customer goes after the voice (captcha `extnum`).
    pub extnum: Option<String>,
    /// The customer's leg, while it lives.
    pub leg: Option<String>,
    /// Created at, epoch ms.
    pub created_ms: i64,
}

/// Everything behind the lock.
pub(crate) struct Inner {
    pub registered: BTreeMap<String, bool>,
    pub rights: BTreeSet<String>,
    /// Presence of extensions in no group (grouped ones read it from queue membership).
    pub presence: BTreeMap<String, String>,
    pub missed: BTreeMap<String, u32>,
    pub legs: BTreeMap<String, LegView>,
    pub calls: BTreeMap<CallId, CallView>,
    pub log: VecDeque<CallLogRow>,
    pub next_log_id: u64,
    pub notices: VecDeque<Notice>,
    pub next_notice: u64,
    pub thirds: BTreeMap<String, Third>,
    pub next_third: u64,
    pub conferences: BTreeMap<String, Conference>,
    pub click_ids: BTreeMap<CallId, String>,
    pub tasks: BTreeMap<(String, String), Task>,
}

/// The front end's state.
pub(crate) struct State {
    pub cfg: GuoxinConfig,
    pub outbox: Outbox,
    pub clock: SimClock,
    salt: String,
    inner: Mutex<Inner>,
}

fn uuid_of(digest: &[u8]) -> String {
    let h: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

impl State {
    pub fn new(cfg: GuoxinConfig, down: watch::Receiver<bool>, clock: SimClock) -> State {
        let registered = cfg
            .unregistered
            .iter()
            .map(|e| (e.clone(), false))
            .collect();
        let salt = format!("{:016x}", rand::thread_rng().gen::<u64>());
        State {
            outbox: notify::outbox(&cfg.notify, down, clock.clone()),
            clock,
            salt,
            inner: Mutex::new(Inner {
                registered,
                rights: cfg.monitor_rights.iter().cloned().collect(),
                presence: BTreeMap::new(),
                missed: BTreeMap::new(),
                legs: BTreeMap::new(),
                calls: BTreeMap::new(),
                log: VecDeque::new(),
                next_log_id: 0,
                notices: VecDeque::new(),
                next_notice: 0,
                thirds: BTreeMap::new(),
                next_third: 0,
                conferences: BTreeMap::new(),
                click_ids: BTreeMap::new(),
                tasks: BTreeMap::new(),
            }),
            cfg,
        }
    }

    pub fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A call's id: `<uuid>@<server_ip>`, unique to this sim and call.
    pub fn call_id(&self, call: &CallId) -> String {
        let d = Md5::digest(format!("{}:{}", self.salt, call.0).as_bytes());
        format!("{}@{}", uuid_of(&d), self.cfg.server_ip)
    }

    /// The id `CLICK_TO_DIAL` answers for a call it placed (a bare uuid).
    pub fn click_id(&self, call: &CallId) -> String {
        uuid_of(&Md5::digest(
            format!("click:{}:{}", self.salt, call.0).as_bytes(),
        ))
    }

    /// The `businessId` of a leg to an extension: `<epoch ms><seq>-0@<server_ip>`, the shape of
    /// the seed's `14310454421088926826-0@192.168.1.102`.
    pub fn business_id(&self, created_ms: i64, seq: u64) -> String {
        format!("{created_ms}{seq:07}-0@{}", self.cfg.server_ip)
    }

    /// Records a notice and queues it for delivery.
    pub fn emit(&self, inner: &mut Inner, mut n: Notice) {
        inner.next_notice += 1;
        n.seq = inner.next_notice;
        n.at_ms = self.clock.now_ms();
        self.outbox.send((n.seq, n.form()));
        inner.notices.push_back(n);
        while inner.notices.len() > self.cfg.notify.log_capacity.max(1) {
            inner.notices.pop_front();
        }
    }
}

impl Inner {
    /// Whether `extension`'s phone is registered.
    pub fn is_registered(&self, extension: &str) -> bool {
        self.registered.get(extension).copied().unwrap_or(true)
    }

    /// The call log row numbered `id`.
    pub fn row_mut(&mut self, id: u64) -> Option<&mut CallLogRow> {
        self.log.iter_mut().find(|r| r.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_4_notice_form_keeps_the_order_and_encodes_at() {
        let n = Notice {
            seq: 1,
            id: "c635814c-4c50-4340-adcf-bc3824e1ea70@192.168.1.82".into(),
            caller: "1591982xxxx".into(),
            callee: "802".into(),
            state: NoticeState::Ringing,
            direction: "incoming".into(),
            business_id: "14310454421088926826-0@192.168.1.102".into(),
            group: "3003".into(),
            channel: String::new(),
            at_ms: 0,
        };
        assert_eq!(
            n.form(),
            "id=c635814c-4c50-4340-adcf-bc3824e1ea70%40192.168.1.82&caller=1591982xxxx&callee=802&state=ringing&direction=incoming&businessId=14310454421088926826-0%40192.168.1.102&group=3003"
        );
    }

    #[test]
    fn ids_have_the_seeds_shape() {
        let (down, _) = watch::channel(false);
        let st = State::new(GuoxinConfig::demo(), down.subscribe(), SimClock::new());
        let id = st.call_id(&CallId("1.1".into()));
        let (uuid, host) = id.split_once('@').unwrap();
        assert_eq!(host, "127.0.0.1");
        let parts: Vec<usize> = uuid.split('-').map(str::len).collect();
        assert_eq!(parts, vec![8, 4, 4, 4, 12]);
        assert_eq!(st.call_id(&CallId("1.1".into())), id);
        assert_ne!(st.call_id(&CallId("1.2".into())), id);
        assert_eq!(
            st.business_id(1431045442108, 8926826),
            "14310454421088926826-0@127.0.0.1"
        );
    }
}
