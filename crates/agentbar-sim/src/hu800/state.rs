//! What the 800hu front end keeps beyond the shared model: its accounts and their logins, each
//! seat's message store and water line, the call records, and the long polls being held.

use std::collections::{BTreeMap, VecDeque};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use rand::Rng;
use serde::{Deserialize, Serialize};
use tokio::sync::watch;

use super::config::{Hu800Account, Hu800Config};
use super::push::{self, Outbox, Push};
use super::reply::md5_hex;
use crate::clock::SimClock;
use crate::model::CallId;

/// One message of a seat's store, as `recvMsg` answers it (seed sec 2.4).
///
/// # Format
///
/// ```json
/// {"kind":"2","phone":"13800138000","content":"{status:0,cdrId:170000000000001,did:'4000820188',queue:'5090'}",
///  "time":1700000000000,"waterLine":1700000000000}
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredMessage {
    /// `1` outgoing call (去电), `2` incoming call (来电).
    pub kind: String,
    /// The customer's number.
    pub phone: String,
    /// A JavaScript object literal: `{status:<0 ringing|1 answered|hang-up status>,cdrId:<id>,...}`.
    pub content: String,
    /// When the call event happened, Unix ms.
    pub time: i64,
    /// The store's time stamp of this message, ms, strictly increasing.
    #[serde(rename = "waterLine")]
    pub water_line: i64,
    /// The `status` in the content (not on the wire).
    #[serde(skip)]
    pub status: i32,
    /// The `cdrId` in the content (not on the wire).
    #[serde(skip)]
    pub cdr_id: i64,
}

/// A call record (seed sec 2.7's memo), kept for every ended call of a seat; what
/// `findDialrecord` answers and the hang-up push carries as `memo`.
///
/// # Format
///
/// ```json
/// {"cdrId":170000000000001,"cdrExtension":"8005","cdrCalledName":"","cdrExtensionIp":"",
///  "cdrHangupTime":"2026-11-21 10:00:30","cdrPhonePort":"","cdrStartTime":"2026-11-21 10:00:00",
///  "cdrIVR":"","cdrTalktime":25,"cdrChargingTimes":1,"cdrLastPhoneNumber":"13800138000",
///  "cdrPeer":2,"exteName":"张三","cdrHangupReasonText":"正常挂断","cdrPhoneNum":"13800138000",
///  "cdrPhoneIp":"","cdrHangupReasonCode":16,"cdrTrunkRoute":"Zap/g0","cdrCmmId":"1700000000.1",
///  "cdrExtensionPort":"","cdrIVRKey":"1-2","cdrRecordFile":"2026/11/21/170000000000001.mp3",
///  "paramvalue":""}
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CdrRecord {
    /// 记录 ID, the `cdrId` of the call's messages.
    #[serde(rename = "cdrId")]
    pub cdr_id: i64,
    /// 呼叫所属分机: the seat (`8005`).
    #[serde(rename = "cdrExtension")]
    pub cdr_extension: String,
    /// 被号名称: the customer's name when known.
    #[serde(rename = "cdrCalledName")]
    pub cdr_called_name: String,
    /// 呼叫分机 IP.
    #[serde(rename = "cdrExtensionIp")]
    pub cdr_extension_ip: String,
    /// 挂断时间, `yyyy-MM-dd HH:mm:ss`.
    #[serde(rename = "cdrHangupTime")]
    pub cdr_hangup_time: String,
    /// 被号端口.
    #[serde(rename = "cdrPhonePort")]
    pub cdr_phone_port: String,
    /// 开始呼叫时间, `yyyy-MM-dd HH:mm:ss`.
    #[serde(rename = "cdrStartTime")]
    pub cdr_start_time: String,
    /// 呼叫导航名称 (the queue of an inbound call).
    #[serde(rename = "cdrIVR")]
    pub cdr_ivr: String,
    /// 通话时长, seconds.
    #[serde(rename = "cdrTalktime")]
    pub cdr_talktime: i64,
    /// 消费时长, minutes started.
    #[serde(rename = "cdrChargingTimes")]
    pub cdr_charging_times: i64,
    /// The number without leading zeros.
    #[serde(rename = "cdrLastPhoneNumber")]
    pub cdr_last_phone_number: String,
    /// 1 outgoing, 2 incoming.
    #[serde(rename = "cdrPeer")]
    pub cdr_peer: i32,
    /// 呼叫所属分机名: the seat's name.
    #[serde(rename = "exteName")]
    pub exte_name: String,
    /// 挂断原因文本: `正常挂断`, `未接听`, `拒接`.
    #[serde(rename = "cdrHangupReasonText")]
    pub cdr_hangup_reason_text: String,
    /// 被叫号码: the customer's number.
    #[serde(rename = "cdrPhoneNum")]
    pub cdr_phone_num: String,
    /// 被叫号码经过 IP.
    #[serde(rename = "cdrPhoneIp")]
    pub cdr_phone_ip: String,
    /// 挂断原因代码 (Q.850: 16 normal, 19 no answer, 21 rejected).
    #[serde(rename = "cdrHangupReasonCode")]
    pub cdr_hangup_reason_code: i32,
    /// 经过路由: the trunk.
    #[serde(rename = "cdrTrunkRoute")]
    pub cdr_trunk_route: String,
    /// 关联 ID: the model call.
    #[serde(rename = "cdrCmmId")]
    pub cdr_cmm_id: String,
    /// 所属分机路由端口.
    #[serde(rename = "cdrExtensionPort")]
    pub cdr_extension_port: String,
    /// IVR 按键.
    #[serde(rename = "cdrIVRKey")]
    pub cdr_ivr_key: String,
    /// 录音文件路径 (answered calls only), served at `/voip/record/<cdrRecordFile>`.
    #[serde(rename = "cdrRecordFile")]
    pub cdr_record_file: String,
    /// `callbackPhone`'s `paramvalue`, handed back.
    pub paramvalue: String,
}

/// The tracker's view of one live leg on a seat's phone.
#[derive(Clone, Debug)]
pub(crate) struct LegView {
    pub user: String,
    pub call: CallId,
    /// No messages or pushes (monitoring and pick-up legs).
    pub silent: bool,
    pub cdr_id: i64,
    /// `1` outgoing, `2` incoming.
    pub kind: &'static str,
    pub phone: String,
    pub customer_name: String,
    /// `paramvalue` of a `callbackPhone` call.
    pub paramvalue: Option<String>,
    /// Caller extras written into the content after the seed's keys.
    pub extras: Vec<(&'static str, String)>,
    pub queue: String,
    pub ivr_keys: String,
    pub start_ms: i64,
    pub answered_ms: Option<i64>,
    pub talked: bool,
    /// `sendMsg kind=7` turned it down.
    pub rejected: bool,
}

/// One seat's message store and long-poll bookkeeping.
#[derive(Debug)]
pub(crate) struct Store {
    pub msgs: VecDeque<StoredMessage>,
    /// The store's current water line (that of its last message, or the base after a restart).
    pub line: i64,
    /// The line the last `getLongWaterLine` answered.
    pub returned: i64,
    /// Wakes held long polls when `line` changes.
    pub tx: watch::Sender<i64>,
}

/// An account with what its logins changed.
#[derive(Clone, Debug)]
pub(crate) struct AccountRt {
    pub cfg: Hu800Account,
    pub logged_in: bool,
    pub session_id: Option<String>,
    pub login_line: Option<i64>,
    pub logins: u32,
}

/// Everything behind the lock.
pub(crate) struct Inner {
    pub accounts: Vec<AccountRt>,
    pub stores: BTreeMap<String, Store>,
    pub legs: BTreeMap<String, LegView>,
    pub records: VecDeque<CdrRecord>,
    pub next_cdr: i64,
    /// Added to the clock to make water lines; a restart lowers it.
    pub line_shift: i64,
    pub last_line: i64,
    pub next_login_line: i64,
    pub next_push: u64,
    pub restarts: u32,
}

/// The front end's state.
pub(crate) struct State {
    pub cfg: Hu800Config,
    pub clock: SimClock,
    pub outbox: Outbox,
    /// Bumped to close every long poll held now.
    pub drops: watch::Sender<u64>,
    /// Long polls held now.
    pub held: AtomicUsize,
    inner: Mutex<Inner>,
}

/// Counts a held long poll while it lives.
pub(crate) struct HeldGuard(pub Arc<State>);

impl HeldGuard {
    pub fn new(st: Arc<State>) -> HeldGuard {
        st.held.fetch_add(1, Ordering::SeqCst);
        HeldGuard(st)
    }
}

impl Drop for HeldGuard {
    fn drop(&mut self) {
        self.0.held.fetch_sub(1, Ordering::SeqCst);
    }
}

fn new_store(line: i64) -> Store {
    let (tx, _) = watch::channel(line);
    Store {
        msgs: VecDeque::new(),
        line,
        returned: 0,
        tx,
    }
}

impl State {
    pub fn new(cfg: Hu800Config, down: watch::Receiver<bool>, clock: SimClock) -> State {
        let now = clock.now_ms();
        let accounts: Vec<AccountRt> = cfg
            .accounts
            .iter()
            .map(|a| AccountRt {
                cfg: a.clone(),
                logged_in: false,
                session_id: None,
                login_line: None,
                logins: 0,
            })
            .collect();
        let stores = accounts
            .iter()
            .map(|a| (a.cfg.user.clone(), new_store(now)))
            .collect();
        let (drops, _) = watch::channel(0);
        State {
            outbox: push::outbox(&cfg.push, cfg.faults.clone(), down, clock.clone()),
            drops,
            held: AtomicUsize::new(0),
            inner: Mutex::new(Inner {
                accounts,
                stores,
                legs: BTreeMap::new(),
                records: VecDeque::new(),
                // 15 digits like the seed's `id=282982852097151`.
                next_cdr: now * 100,
                line_shift: 0,
                last_line: now,
                next_login_line: 0,
                next_push: 0,
                restarts: 0,
            }),
            clock,
            cfg,
        }
    }

    pub fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Stores a message for `user` (its water line set here) and wakes the seat's long polls.
    pub fn store(&self, inner: &mut Inner, user: &str, mut m: StoredMessage) {
        let line = inner.next_line(self.clock.now_ms());
        m.water_line = line;
        let cap = self.cfg.message_capacity.max(1);
        let store = inner
            .stores
            .entry(user.to_owned())
            .or_insert_with(|| new_store(line));
        store.msgs.push_back(m);
        while store.msgs.len() > cap {
            store.msgs.pop_front();
        }
        store.line = line;
        store.tx.send_replace(line);
    }

    /// Numbers a push and queues it.
    pub fn push(&self, inner: &mut Inner, mut p: Push) {
        inner.next_push += 1;
        p.seq = inner.next_push;
        self.outbox.send(p);
    }

    /// A server restart: every store is emptied and the water line starts again from
    /// `restart_rewind_ms` below where it was; held long polls are closed. Returns the new base.
    pub fn restart(&self) -> i64 {
        self.drops.send_modify(|g| *g += 1);
        let mut inner = self.lock();
        let now = self.clock.now_ms();
        let cur = inner.last_line.max(now + inner.line_shift);
        let rewind = i64::try_from(self.cfg.restart_rewind_ms).unwrap_or(i64::MAX / 4);
        let base = cur - rewind.max(1);
        inner.line_shift = base - now;
        inner.last_line = base;
        inner.restarts += 1;
        for store in inner.stores.values_mut() {
            store.msgs.clear();
            store.line = base;
            store.tx.send_replace(base);
        }
        base
    }

    /// Closes every long poll held now; returns how many there were.
    pub fn drop_long_polls(&self) -> usize {
        let n = self.held.load(Ordering::SeqCst);
        self.drops.send_modify(|g| *g += 1);
        n
    }
}

impl Inner {
    /// The next water line: the clock (shifted by restarts), strictly above the last one.
    pub fn next_line(&mut self, now_ms: i64) -> i64 {
        let line = (now_ms + self.line_shift).max(self.last_line + 1);
        self.last_line = line;
        line
    }

    /// The account `user`.
    pub fn account(&self, user: &str) -> Option<&AccountRt> {
        self.accounts.iter().find(|a| a.cfg.user == user)
    }

    /// The account `user`, to change.
    pub fn account_mut(&mut self, user: &str) -> Option<&mut AccountRt> {
        self.accounts.iter_mut().find(|a| a.cfg.user == user)
    }

    /// The account whose phone is `device`.
    pub fn account_by_phone(&self, device: &str) -> Option<&AccountRt> {
        self.accounts
            .iter()
            .find(|a| !a.cfg.extension.is_empty() && a.cfg.extension == device)
    }

    /// Whether `user` exists and `sa_password` is the md5 of its password (either case).
    pub fn check(&self, user: &str, sa_password: &str) -> bool {
        self.account(user)
            .is_some_and(|a| md5_hex(&a.cfg.password.0).eq_ignore_ascii_case(sa_password))
    }

    /// A new login's session id and line.
    pub fn login(&mut self, user: &str) -> Option<(String, i64)> {
        self.next_login_line += 1;
        let line = self.next_login_line;
        let session = format!("voip_{:032x}", rand::thread_rng().gen::<u128>());
        let a = self.account_mut(user)?;
        a.logged_in = true;
        a.logins += 1;
        a.session_id = Some(session.clone());
        a.login_line = Some(line);
        Some((session, line))
    }

    /// The next call record id.
    pub fn next_cdr_id(&mut self) -> i64 {
        self.next_cdr += 1;
        self.next_cdr
    }

    /// Adds an account (from `registerExtension`) with an empty store.
    pub fn add_account(&mut self, a: Hu800Account) {
        let line = self.last_line;
        self.stores
            .entry(a.user.clone())
            .or_insert_with(|| new_store(line));
        self.accounts.push(AccountRt {
            cfg: a,
            logged_in: false,
            session_id: None,
            login_line: None,
            logins: 0,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state() -> State {
        let (down, _) = watch::channel(false);
        State::new(Hu800Config::demo(), down.subscribe(), SimClock::new())
    }

    fn msg() -> StoredMessage {
        StoredMessage {
            kind: "2".into(),
            phone: "13800138000".into(),
            content: "{status:0,cdrId:1}".into(),
            time: 0,
            water_line: 0,
            status: 0,
            cdr_id: 1,
        }
    }

    #[test]
    fn water_lines_strictly_increase_and_a_restart_goes_back() {
        let st = state();
        let mut lines = Vec::new();
        {
            let mut inner = st.lock();
            for _ in 0..5 {
                st.store(&mut inner, "8005", msg());
            }
            lines.extend(inner.stores["8005"].msgs.iter().map(|m| m.water_line));
        }
        assert!(lines.windows(2).all(|w| w[1] > w[0]), "{lines:?}");
        let last = *lines.last().unwrap();
        let base = st.restart();
        assert!(base < last - 590_000, "{base} vs {last}");
        let mut inner = st.lock();
        assert!(inner.stores["8005"].msgs.is_empty());
        st.store(&mut inner, "8005", msg());
        let after = inner.stores["8005"].msgs[0].water_line;
        assert!(after > base && after < last, "{after}");
    }

    #[test]
    fn md5_check_takes_either_case() {
        let st = state();
        let inner = st.lock();
        assert!(inner.check("8005", "f877693343e11b08247aa30ea68bb6ca"));
        assert!(inner.check("8005", "F877693343E11B08247AA30EA68BB6CA"));
        assert!(!inner.check("8005", "8005pw"));
        assert!(!inner.check("9999", "f877693343e11b08247aa30ea68bb6ca"));
    }
}
