//! The Guoxin call center front end (seed `002_acb775e6dbdf5c67.txt`, "国信呼叫中心二次开发接口
//! 说明书" V3.0): HTTP GET `/bridge/callctrl?...&opt=<OPT>` answered mostly by the HTTP status
//! itself ([`reply`]), `/bridge/jsoncfg?opt=EXTNUM_STATE` (JSON), `/Oms/FileDownServlet`
//! (recordings), and pop notices (sec 4) sent to a notify URL ([`notify`]).
//!
//! It runs on the shared call-center model: every model device is a Guoxin extension, Guoxin
//! group 5090 is model queue 5090 in the demo, and every call the model runs (whatever front
//! end or scripted party drives it) produces notices and a call log row. What Guoxin keeps
//! beyond the model (phone registration, monitoring rights, `CALL_THIRD` state machines,
//! conferences, captcha and TTS tasks, notices, call log) lives in this module.
//!
//! # Starting it
//!
//! Every [`crate::SimServer`] serves it next to the other front ends, on the same port; its
//! settings come from [`crate::SimConfig::guoxin`] ([`GuoxinConfig::demo`] in the demo). Point
//! notices at a receiver with `SimConfig.guoxin.notify.url` (and `.method`, `get` or `post`),
//! [`Handle::set_notify_url`], or
//! `POST /_sim/guoxin/notify-url {"url":"http://127.0.0.1:9000/srvlt","method":"get"}`.
//!
//! # Contract
//!
//! - Each operation answers only the status codes its seed section lists ([`reply::Op::codes`];
//!   the sections that list none get the simulator's choice, documented there), driven by the
//!   model's state.
//! - `CALL_THIRD_GET_THIRD_STATE` answers 100 and 180 as a real `HTTP/1.1 180 Ringing` status
//!   line, then closes the connection (hyper will not send a 1xx as a final answer, so the
//!   server writes it raw: [`crate::server`]'s `RawReply`).
//! - Notices follow sec 4.3 in fields and order, for every leg ringing an extension plus the
//!   call's first leg (`businessId=maincall`), reach the notify URL in the order made unless
//!   notice faults say otherwise, and a receiver that does not answer never blocks the sim.
//! - The sim's faults (latency, 5xx, drops, malformed, oversized, GBK, down) apply to every
//!   Guoxin path, as to the other front ends.
//!
//! # Choices where the seed is ambiguous or silent
//!
//! - `EXTNUM_STATE`'s idle word is `IDEL` (the table) unless [`GuoxinConfig::idle_word`] says
//!   `ONLINE` (the sample). A ringing or talking phone is `BUSY_INCOMING` / `BUSY_OUTGOING` by
//!   the direction of its leg; an unregistered one `OFFLINE`. `remoteNum` is whom the phone
//!   talks to, else the call's outside party, and is absent without a call.
//!   `missingCallCount` counts incoming calls that rang the phone and were not answered.
//! - Presence is queue membership of the extension's groups (see `handlers/presence.rs`);
//!   `SET_EXT_PRESENCE_STATE` also accepts `offline` (section 14 lists it). Extensions in no
//!   group keep the word last set (`online` at first).
//! - `CLICK_TO_DIAL` answers the call's `clickcallid` as its body (sec 21 says it is answered
//!   at once). `CLICK_TO_IP_DIAL` behaves the same on the model. `authtype` is not checked.
//! - Codes for missing parameters stay within each section's list: 404 where the list has no
//!   400 (`TALKING_CALLER_TO_IVR`, conferences), 403 for a missing `leaderExtnum`, 420 for the
//!   captcha call.
//! - 480 "target offline" means the phone is not registered ([`Handle::set_registered`],
//!   `unregistered`); 486 "busy" means the phone has a call.
//! - `CALL_THIRD` while one is in progress answers 404. The third party failing (an extension
//!   busy or not registered, rejecting, ringing out, or hanging up after answering) reads 603
//!   until `CALL_THIRD_RESUME`. `CALL_THIRD_TRANSFER` works while the third party still rings
//!   (the waiting party then hears it ring); `CALL_THIRD_CONFERENCE` needs it answered. The
//!   agent hanging up during `CALL_THIRD` ends the call for all.
//! - A conference is numbered by the creating `caller` (the seed's advice) and
//!   `CALL_THIRD_CONFERENCE`'s by the call's calling number; it lives in MeetMe room
//!   `guoxin-<number>`; a member left alone is hung up.
//! - `CALL_MONITOR` and `FORCE_PICKUP` ring the leader's phone first (the seed calls them
//!   trigger interfaces); `FORCE_PICKUP` (强插) replaces the worker in the call, as the seed
//!   describes. 503 when the leader's phone cannot take a call.
//! - Notices: `id` is one per call (the seed: same id for one call's notices) and is the
//!   `callid` of the call log and recording download; `businessId` is `maincall` for the
//!   call's first leg, else `<epoch ms><seq>-0@<server_ip>` per leg; `direction` is
//!   `incoming` / `outgoing`; sent as GET with a query (the seed's form) unless configured to
//!   POST a form. The call log prints `callid` with `%40`, as the seed's sample does; lookups
//!   accept `@` or `%40`.
//! - Captcha and TTS results: the body is the state (`1`, or `state=1;satisfact=8`); an
//!   unknown id answers status 404 with body `404` / `state=404`. States 3, 5, 6 (empty
//!   number, busy, switched off) are never produced; an unanswered call is 2.
//!
//! # Demo identities
//!
//! Extensions 2011 (8005 张三, group 5090, monitoring right), 2012 (8006 李四, group 5090),
//! 2013 (8001 王班长, group 5091, no monitoring right); groups 5090 and 5091 on the model
//! queues of the same numbers; IVR `3`; tones `19`, `20`; captcha password `guoxin`.

pub mod config;
pub mod control;
mod handle;
mod handlers;
mod legs;
pub mod notify;
pub mod params;
pub mod reply;
mod router;
mod state;
mod tracker;

use std::sync::Arc;

pub use config::{GuoxinConfig, GuoxinGroupConfig, NoticeMethod, NotifyConfig, Password};
pub use handle::{ConferenceView, ExtensionView, Handle, ThirdView};
pub use handlers::ExtnumState;
pub use router::router;
pub use state::{CallLogRow, Notice, NoticeState, Task, MAINCALL};

use crate::Sim;
use state::State;

/// Vendor name used in the request log.
pub const VENDOR: &str = "guoxin";

/// Creates the front end's state for `sim` and hooks the tracker into the model.
pub(crate) fn attach(sim: &Sim) {
    let cfg = sim.config().guoxin;
    let state = Arc::new(State::new(cfg, sim.down_rx(), sim.clock()));
    let hooked = state.clone();
    sim.add_hook(Arc::new(move |w| tracker::track(w, &hooked)));
    sim.add_front_end(state);
}

pub(crate) fn state_of(sim: &Sim) -> Option<Arc<State>> {
    sim.front_end::<State>()
}

/// The Guoxin front end of `sim` (every sim has one).
pub fn handle(sim: &Sim) -> Option<Handle> {
    state_of(sim).map(|st| Handle::new(sim.clone(), st))
}
