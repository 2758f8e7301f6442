//! The asterCC 2.1 front end (seed `003_f3ff09404c4c4f1b.txt`): the HTTP interface of
//! chapter 4 at `/asterccinterfaces` (form POST, or GET with a query string, `EVENT=<NAME>`),
//! answered as `|Retuen|<code>|Retuen|<message>[|Retuen|<more>]` ([`reply`]), and the call
//! events of chapters 6 and 7 POSTed one by one to a push URL ([`events`], [`push`]).
//!
//! It runs on the shared call-center model: asterCC agent group 100 is model queue 5090 in the
//! demo, agents' phones are model devices, and every call the model runs (whatever front end
//! or scripted party drives it) produces events. What asterCC keeps beyond the model (sign-in,
//! pause reasons and counters, after-call work, work way, DTMF, imports) lives in this module.
//!
//! # Starting it
//!
//! Every [`crate::SimServer`] serves it next to MVB2000; the team comes from
//! [`crate::SimConfig::astercc`] ([`AsterccConfig::demo`] in the demo). Point events at a
//! receiver with `SimConfig.astercc.push.url`, [`Handle::set_push_url`] or
//! `POST /_sim/astercc/push-url {"url":"http://127.0.0.1:9000/push?key=..."}`; the URL is used
//! as configured, query and all.
//!
//! # Contract
//!
//! - Every `EVENT` of chapter 4 answers in the seed's shapes; failures carry the seed's
//!   `BackMsg_NN` codes (section 8.2), see each handler and [`reply::code`].
//! - Credentials are checked on every call (`DeviceCall`, `queueCustomerNum` check only
//!   `orgidentity`; `GetMonitor` nothing, as the seed's requests show): see `auth`.
//! - Events follow section 6 in order and shape, carry an increasing `eventid`, a
//!   `sessionid` per call and a `uniqueid` per leg, and reach the push URL in the order made
//!   unless push faults say otherwise; a receiver that does not answer never blocks the sim.
//!
//! # Choices where the seed is ambiguous or silent
//!
//! - `QUEUE`: code 1 when some group succeeded (the seed's sample `1:success,2:NotChecked`),
//!   code 3 when none did (`1:NotChecked,2:NotFoundGroup`).
//! - `LOGIN` signs in without checking into groups (that is `QUEUE`); its third part is the
//!   per-group string of section 5.1 (`agent_group_id=..&groupname=..&status=idel&...|||`)
//!   with status `idel`, `ringing`, `busy`, `pause`, `acw`, or `logout` when not checked in.
//! - Status words: `idle`, `ring`, `busy`, `pause`, `acw`, `logout` (section 4.26's list).
//! - A status placeholder in a message (`BackMsg_17` / `BackMsg_56` `[状态]`) travels as a
//!   further part: `|Retuen|2|Retuen|BackMsg_17|Retuen|busy`.
//! - `QUEUEPAUSE` needs `pause_reason` to pause; a reason outside the six the seed counts
//!   counts only in the totals of `AgentRealtime`. `dnd` is recorded, not enforced.
//! - After-call work starts when an agent's leg hangs up, by the mode of the call's group
//!   (ring / answer / off, default off); while in it, and while paused, the agent's queue
//!   memberships are paused in the model, so no queue call is offered.
//! - `WORKWAY=dialout` pauses the group's queue for the agent; `dialin` refuses `MAKECALL` in
//!   that group (`BackMsg_18`).
//! - `HANGUP` needs `targetagent` when `uniqueid` is empty, as the seed says. A `uniqueid` is
//!   the model channel's creation number. Hanging up one leg of a two-party call ends both.
//! - `CALLRETURN` also takes back a call put on `Hold`; a consulted party hanging up leaves the
//!   customer on hold until `CALLRETURN`. An agent hanging up while someone waits on hold ends
//!   the call. The last member left in a conference is hung up.
//! - `GetMonitor` answers `http://<webroot>/getMonitor/<yyyymmddHHMMSS>-<agent>-<customer>.wav`
//!   (the seed's sample has a stray space after `getMonitor/`); the sim serves the file.
//! - `Import` with `source=data`: `context` items are separated by `|` (lost in the seed's
//!   PDF; white space before `name=` is accepted too); the customer's number is `phone_field`
//!   or `phone1`; `http`/`ftp` answer a task id and fetch nothing.
//! - `queueCustomerNum` takes the group's queue number (5090), `0` for all; `prio` must be a
//!   number and filters nothing.
//! - `AgentTolvr` (the seed's slip) is accepted as `AgentToIvr`; `phonennummer` as
//!   `phonenumber`. `EVENT` names match without regard to case.
//! - Events: `activenum` is the number of the party `source` names (the seed's samples
//!   repeat the agent's number on every event; its field list says otherwise); `source` of the
//!   customer in outbound calls is `CALLER` as section 6 prints (section 7's code reads
//!   `CALLEE`; see [`AsterccConfig::dialout_customer_source`]); `channel` is empty in
//!   `answer` events as in the samples; the customer's `incoming` event has the short field
//!   list of its sample (no `eventTime`, no `calleridnum`); `eventid` is the last field;
//!   every event ends with `&`. Consult legs are `CONSULT` (`ringing`, `answer`, `hangup`);
//!   while consulting the customer is `onhold`, back with `resume`; `CONFERENCE` sends `join`
//!   for customer, agent and consulted party.
//! - Extra fields the vendor's JS client sends are accepted: `callerid` on `MAKECALL` is the
//!   number shown to the customer; `pushevent` (agent notifications), `deviceexten`,
//!   `agentexten`, `callername`, `trunkidentity`, `cidtype` are ignored.
//! - An account (`usertype=account`) tied to no agent may `LOGIN` (`BackMsg_04` with an empty
//!   third part), `LOGOUT` and ask team-wide questions; agent operations answer `BackMsg_38`.
//!
//! # Demo identities
//!
//! `orgidentity=astercc`, team 20: agent 8005 张三 (`8005pw`, phone 2011, groups 100 and 101,
//! admin of 100), 8006 李四 (`8006pw`, 2012, group 100), 8001 王班长 (`8001pw`, 2013, group
//! 101); account `admin` / `adminpw`; group 100 `售后` on queue 5090, group 101 `售前` on queue
//! 5091; campaign 10; IVR 8000.

mod agents;
mod auth;
pub mod config;
pub mod control;
pub mod events;
mod handle;
mod handlers;
mod legs;
pub mod params;
pub mod push;
pub mod reply;
mod router;
mod state;
mod tracker;

use std::sync::Arc;

pub use agents::{Pause, PauseStats, Status, Workway, REASONS};
pub use auth::md5_hex;
pub use config::{
    AsterccAccountConfig, AsterccAgentConfig, AsterccCampaignConfig, AsterccConfig,
    AsterccGroupConfig, Password, PushConfig,
};
pub use handle::{AgentView, GroupView, Handle, PauseView, ReasonView};
pub use router::router;
pub use state::{DtmfRecord, ImportRecord, RecordedEvent, Recording, Role};

use crate::Sim;
use state::State;

/// Vendor name used in the request log.
pub const VENDOR: &str = "astercc";

/// Creates the front end's state for `sim` and hooks the tracker into the model.
pub(crate) fn attach(sim: &Sim) {
    let cfg = sim.config().astercc;
    let state = Arc::new(State::new(cfg, sim.down_rx(), sim.clock()));
    let hooked = state.clone();
    sim.add_hook(Arc::new(move |w| tracker::track(w, &hooked)));
    sim.add_front_end(state);
}

pub(crate) fn state_of(sim: &Sim) -> Option<Arc<State>> {
    sim.front_end::<State>()
}

/// The asterCC front end of `sim` (every sim has one).
pub fn handle(sim: &Sim) -> Option<Handle> {
    state_of(sim).map(|st| Handle::new(sim.clone(), st))
}
