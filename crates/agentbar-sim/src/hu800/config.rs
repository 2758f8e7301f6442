//! The 800hu part of [`crate::SimConfig`]: the company, its seat accounts (each driving a model
//! phone), the values `getExtension` reports, the long-poll hold, and where and how call pushes
//! (seed sec 2.7) are delivered.

use serde::{Deserialize, Serialize};

use super::push::Hu800Faults;

/// A password from the configuration. Debug prints `***`.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Password(pub String);

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("***")
    }
}

/// One seat account (坐席): what `sa_user` / `sa_password` name, and the model phone it drives.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hu800Account {
    /// Login name and seat number (`sa_user`, the `extension` `getExtension` answers), e.g. `8005`.
    pub user: String,
    /// Password; requests carry its md5 as 32 hex digits (`sa_password`, either case).
    pub password: Password,
    /// The model phone (device) the seat's calls ring, e.g. `2011`; empty for a seat without one
    /// (those `registerExtension` creates).
    pub extension: String,
    /// Seat name (`name`, `exteName`), e.g. `张三`.
    pub name: String,
    /// System administrator: may `registerExtension` and read every seat's call records.
    #[serde(default)]
    pub admin: bool,
    /// Model queues the seat takes calls from; `getExtension` signs the phone in to them.
    #[serde(default)]
    pub queues: Vec<String>,
    /// User id (`exteId`).
    #[serde(default)]
    pub exte_id: i64,
    /// Number shown to called customers (外显号码, `registerExtension`'s `showphone`).
    #[serde(default)]
    pub show_phone: String,
}

impl Hu800Account {
    /// A seat with password `password`, driving phone `extension`, taking calls of `queues`.
    pub fn new(user: &str, password: &str, extension: &str, name: &str, admin: bool) -> Self {
        Hu800Account {
            user: user.to_owned(),
            password: Password(password.to_owned()),
            extension: extension.to_owned(),
            name: name.to_owned(),
            admin,
            queues: Vec::new(),
            exte_id: 0,
            show_phone: String::new(),
        }
    }
}

/// The company (企业) every seat belongs to, as `getExtension` reports it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hu800Company {
    /// `compId`.
    pub id: i64,
    /// `compNumber` (企业号).
    pub number: String,
    /// `compName` (企业名称).
    pub name: String,
}

/// How call pushes (seed sec 2.7) are delivered.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Hu800PushConfig {
    /// Where pushes go (the seed's `http://127.0.0.1/api/voip.json`); a query of its own is kept
    /// and the push's fields follow it. `None`: nothing is sent.
    pub url: Option<String>,
    /// Pushes waiting for delivery at most; more are dropped (and counted).
    pub queue_capacity: usize,
    /// Further attempts after a failed delivery (no answer, a status other than 2xx, or an
    /// answer other than `{"code":0,...}`).
    pub retries: u32,
    /// First delay between attempts; it doubles up to `retry_cap_ms`.
    pub retry_base_ms: u64,
    /// Longest delay between attempts.
    pub retry_cap_ms: u64,
    /// Time limit of one request.
    pub timeout_ms: u64,
    /// How many deliveries the control API keeps (oldest go first).
    pub log_capacity: usize,
}

impl Default for Hu800PushConfig {
    fn default() -> Self {
        Hu800PushConfig {
            url: None,
            queue_capacity: 1024,
            retries: 3,
            retry_base_ms: 200,
            retry_cap_ms: 2_000,
            timeout_ms: 2_000,
            log_capacity: 5_000,
        }
    }
}

/// The 800hu cloud call center served at `/voip/api/jsondata.html`, `/voip/api/jsonpdata.json`,
/// `/voip/api/jsonpdata.jsonp` and `/voip/record/..`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Hu800Config {
    /// Seat accounts.
    pub accounts: Vec<Hu800Account>,
    /// The company.
    pub company: Hu800Company,
    /// `disablePhoneNum` of `getExtension`: 0 show numbers, 1 hide them.
    pub disable_phone_num: i32,
    /// `exteLoginType` of `getExtension`: 0 SIP, 1 phone device, 2 mobile app, 4 digital phone.
    pub login_type: i32,
    /// The `status` written in a message's content when a call hangs up: 3 as the seed's
    /// `recvMsg` table says, or 2 as its `getLongWaterLine` table says.
    pub hangup_status: i32,
    /// How long `getLongWaterLine` holds a request when nothing is new.
    pub long_poll_hold_ms: u64,
    /// How far back the water line jumps when the server restarts ([`super::Handle::restart`]).
    pub restart_rewind_ms: u64,
    /// `getExtension` signs the seat's phone in to its queues, ready (not paused).
    pub check_in_on_login: bool,
    /// Folder prefix of `cdrRecordFile` (`<record_base><yyyy>/<MM>/<dd>/<cdrId>.mp3`), served
    /// under `/voip/record/`.
    pub record_base: String,
    /// Messages kept per seat (oldest go first).
    pub message_capacity: usize,
    /// Call records kept (oldest go first).
    pub record_capacity: usize,
    /// `findDialrecord` answers at most this many records when the request gives no `limit`.
    pub dial_record_limit: usize,
    /// Call pushes.
    pub push: Hu800PushConfig,
    /// Faults in force from the start (pushes, long polls).
    pub faults: Hu800Faults,
}

impl Default for Hu800Config {
    fn default() -> Self {
        Hu800Config {
            accounts: Vec::new(),
            company: Hu800Company {
                id: 100008,
                number: "100008".to_owned(),
                name: "演示企业".to_owned(),
            },
            disable_phone_num: 0,
            login_type: 0,
            hangup_status: 3,
            long_poll_hold_ms: 30_000,
            restart_rewind_ms: 600_000,
            check_in_on_login: true,
            record_base: String::new(),
            message_capacity: 1_000,
            record_capacity: 5_000,
            dial_record_limit: 20,
            push: Hu800PushConfig::default(),
            faults: Hu800Faults::default(),
        }
    }
}

impl Hu800Config {
    /// The demo company on the demo call center: seat 8005 张三 (password `8005pw`, phone 2011,
    /// queue 5090), 8006 李四 (`8006pw`, 2012, queue 5090), 8001 王班长 (`8001pw`, 2013,
    /// queue 5091, administrator); company 100008 `演示企业`.
    pub fn demo() -> Self {
        let seat = |user: &str, phone: &str, name: &str, admin: bool, queue: &str, id: i64| {
            let mut a = Hu800Account::new(user, &format!("{user}pw"), phone, name, admin);
            a.queues = vec![queue.to_owned()];
            a.exte_id = id;
            a.show_phone = "4000820188".to_owned();
            a
        };
        Hu800Config {
            accounts: vec![
                seat("8005", "2011", "张三", false, "5090", 100_001),
                seat("8006", "2012", "李四", false, "5090", 100_002),
                seat("8001", "2013", "王班长", true, "5091", 100_003),
            ],
            ..Hu800Config::default()
        }
    }
}
