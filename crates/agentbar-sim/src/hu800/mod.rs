//! The 800hu (八百呼) cloud call center front end (seed `004_33c128fb062f466d.txt`, "八百呼第三方
//! 系统对接 API 说明" V10.5): HTTP GET (or form POST) `/voip/api/jsondata.html` and
//! `/voip/api/jsonpdata.json` answering JSON, `/voip/api/jsonpdata.jsonp` answering JSONP, each
//! with `sa_user`, `sa_password` (md5 of the password) and `method=<name>`; the seat's call
//! messages by long poll (`getLongWaterLine`) and `recvMsg`; call pushes to a URL ([`push`]);
//! recordings under `/voip/record/`.
//!
//! It runs on the shared call-center model: each seat account drives a model phone (8005 phone
//! 2011 in the demo) and takes calls of model queues (5090), and every call the model runs on
//! that phone, whichever front end or scripted party drives it, becomes messages, pushes and a
//! call record ([`tracker`]). What 800hu keeps beyond the model (logins, message stores and
//! water lines, call records, held long polls) lives in this module.
//!
//! # Starting it
//!
//! Every [`crate::SimServer`] serves it next to the other front ends, on the same port; its
//! settings come from [`crate::SimConfig::hu800`] ([`Hu800Config::demo`] in the demo). Point
//! pushes at a receiver with `SimConfig.hu800.push.url`, [`Handle::set_push_url`] or
//! `POST /_sim/800hu/push-url {"url":"http://127.0.0.1:9000/api/voip.json"}`.
//!
//! # Contract
//!
//! - Every answer is a JSON object with `code` (sec 1.2: 0 success, -2 验证错误, -3 方法内部错误,
//!   -5 没有权限, -11 数据不存在) and `message` first; `getLongWaterLine` has `code`,
//!   `waterline`, `keylist`, `msgs`. A JSONP request with `callback=<name>` gets
//!   `<name>(<json>)`; a name that is not a JavaScript name path answers 400.
//! - `sa_password` is the md5 of the seat's password as 32 hex digits, upper or lower case.
//! - Water lines are ms time stamps, strictly increasing, per seat store; a restart
//!   ([`Handle::restart`]) lowers them. A held long poll is answered within milliseconds of a
//!   message being stored for its seat (a watch channel wakes it).
//! - The sim's faults (latency, 5xx, drops, malformed, GBK, oversized, down) apply to every
//!   800hu path, as to the other front ends; [`Hu800Faults`] adds push faults and dropped long
//!   polls. A push receiver that does not answer never blocks the sim.
//!
//! # Choices where the seed is ambiguous or silent
//!
//! - Credentials are checked before anything else: an unknown seat, a wrong password and a
//!   missing one all answer -2. A missing `method` and an unknown one answer -3 (`缺少参数:
//!   method`, `方法不存在: <name>`); a missing required parameter -3 `缺少参数: <name>`, a bad
//!   value -3 `参数错误: <name>`. `client`, `lostTime`, `loginType`, `message` and `loginLine`
//!   are accepted and not required (they change nothing here); `client` and `lostTime` must be
//!   numbers when given.
//! - `getExtension` is the login: a new `sessionId` (`voip_<32 hex>`) and `loginLine` (a
//!   counter) each time; it signs the phone in to the seat's queues (ready) unless
//!   [`Hu800Config::check_in_on_login`] is off. `setUserCheckInOut` `status` 1 / 0 unpauses /
//!   pauses the phone in its queues. Other methods do not need a login.
//! - Messages: one store per seat, a message when a leg on its phone appears (`status:0`), is
//!   first linked (`status:1`, answered), and ends (`status:<hangup_status>`, 3 by default as
//!   the `recvMsg` table says; 2 as the `getLongWaterLine` table says is configurable). `kind`
//!   is the string `1` (outgoing: `callbackPhone`, or any call the seat places) or `2`
//!   (incoming), `phone` the other party, `content` a JavaScript object literal
//!   `{status:0,cdrId:<id>[,paramvalue:'..'][,did:'..'][,queue:'..']}`: `paramvalue` on calls
//!   `callbackPhone` placed, `did` and `queue` when the model knows them. `cdrId` is one per
//!   leg on the seat's phone (a transferred call gets a new one at the new seat).
//! - `getLongWaterLine` answers at once when the seat's line differs from what its previous
//!   long poll answered (so a first poll answers at once, and so does one after a restart);
//!   `msgs` holds the latest message (`status`, `phone`, `kind`) when it is newer than that.
//! - `callbackPhone` answers at once; -3 while the phone has a call. The customer is shown
//!   the seat's `show_phone`.
//! - `sendMsg` `kind=6` answers, `kind=7` rejects the seat's ringing call whose other party is
//!   `phone` (a queue call goes on to another seat); -11 when none rings.
//! - `hangupExten` hangs up every leg on the seat's phone; -11 without one.
//! - `transferExten` `descExten` is a seat or a model phone; -11 unknown or no conversation,
//!   -3 busy target or the seat itself.
//! - Call records: one per ended leg (sec 2.7's fields in its order, `cdrLastPhoneNumber` as
//!   2.7 spells it); `cdrRecordFile` (`<record_base>yyyy/MM/dd/<cdrId>.mp3`) only for
//!   answered calls, and only those have a recording (a small MP3) and a `type=4` push.
//!   `findDialrecord` answers the seat's records newest first (an administrator's: every
//!   seat's), `scdrId` picks one record.
//! - Pushes: GET `<url>?type=..&phone=..&peer=..[&memo=..]` per leg event as the seed's
//!   example; `memo` (the record's JSON) at `type=3` and `4`. Only `{"code":0,...}` counts as
//!   taken.
//! - `registerExtension` creates a seat numbered one above the highest, with a 6-digit
//!   password and no phone.
//! - Methods the vendor's web client also calls but the seed does not describe
//!   (`getChannelList`, `loadmonitor`) are not served (-3).
//!
//! # Demo identities
//!
//! Seats 8005 张三 (`8005pw`, phone 2011, queue 5090), 8006 李四 (`8006pw`, 2012, queue 5090),
//! 8001 王班长 (`8001pw`, 2013, queue 5091, administrator); company 100008 `演示企业`.

pub mod config;
pub mod control;
mod handle;
mod handlers;
pub mod params;
pub mod push;
pub mod reply;
mod router;
mod state;
mod tracker;

use std::sync::Arc;

pub use config::{Hu800Account, Hu800Company, Hu800Config, Hu800PushConfig, Password};
pub use handle::{AccountView, Handle};
pub use push::{Hu800Faults, Push, PushDelivery, PushStats};
pub use reply::md5_hex;
pub use router::{router, DOWNLOAD_ENDPOINT, RECORD_ENDPOINT};
pub use state::{CdrRecord, StoredMessage};

use crate::Sim;
use state::State;

/// Vendor name used in the request log.
pub const VENDOR: &str = "800hu";

/// Creates the front end's state for `sim` and hooks the tracker into the model.
pub(crate) fn attach(sim: &Sim) {
    let cfg = sim.config().hu800;
    let state = Arc::new(State::new(cfg, sim.down_rx(), sim.clock()));
    let hooked = state.clone();
    sim.add_hook(Arc::new(move |w| tracker::track(w, &hooked)));
    sim.add_front_end(state);
}

pub(crate) fn state_of(sim: &Sim) -> Option<Arc<State>> {
    sim.front_end::<State>()
}

/// The 800hu front end of `sim` (every sim has one).
pub fn handle(sim: &Sim) -> Option<Handle> {
    state_of(sim).map(|st| Handle::new(sim.clone(), st))
}
