//! The Guoxin column: the adapter against the simulator's Guoxin front end, with the pop
//! notices the simulator sends delivered to the session's push listener (`/push/guoxin`) and
//! EXTNUM_STATE polled as the fallback.
//!
//! The demo team: extension 2011 (agent 8005 张三, group 5090, the monitoring right) is the
//! session's; 2012 (8006 李四, group 5090) is the colleague to transfer to and supervise; 2013
//! (8001 王班长, group 5091, no monitoring right) is the consulted party. Customers call group
//! 5090, which only 2011 is signed into, so a call always rings 2011.

use super::scenarios::{Column, Server, WAIT};
use agentbar_cli::config::RunnerConfig;
use agentbar_cli::demo::guoxin_demo_config;
use agentbar_cli::secret::Secret;
use agentbar_core::clock::SystemClock;
use agentbar_core::{Operation as Op, Presence, Support};
use agentbar_sim::guoxin::Handle;
use agentbar_sim::model::{CallId, IncomingSpec, Location};
use agentbar_sim::{Sim, SimConfig, SimServer};
use agentbar_tests::{answer_when_ringing, customer_leg, sim_config, Rig};
use async_trait::async_trait;
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub const PHONE: &str = "2011";
pub const OTHER_PHONE: &str = "2012";
/// An extension without the monitoring right, in group 5091.
pub const NO_RIGHT_PHONE: &str = "2013";
/// The group customers call (model queue 5090).
pub const RING_GROUP: &str = "5090";
/// The DID customers dial.
pub const DID: &str = "4000820188";
/// The simulator's captcha password (its demo configuration).
pub const CAPTCHA_PASSWORD: &str = "guoxin";
/// The simulator's IVR menu (`ivrid`).
pub const IVR: &str = "3";
/// Where the simulator keeps a caller sent to an IVR menu.
const IVR_CONTEXT: &str = "guoxin-ivr";
/// The simulator's marker on a supervisor's trigger call (`CALL_MONITOR`, `FORCE_PICKUP`).
const VAR_ROLE: &str = "GUOXIN_ROLE";

/// The capability column the README's matrix shows for Guoxin (the demo profile).
pub const EXPECTED: &[(Op, Support)] = &[
    (Op::SignIn, Support::Server),
    (Op::SignOut, Support::Server),
    (Op::Ready, Support::Server),
    (Op::PauseReasons, Support::Client),
    (Op::Dial, Support::Server),
    (Op::Hangup, Support::Server),
    (Op::Consult, Support::Server),
    (Op::TakeBack, Support::Server),
    (Op::BlindTransfer, Support::Server),
    (Op::AttendedTransfer, Support::Server),
    (Op::Conference, Support::Server),
    (Op::ToIvr, Support::Server),
    (Op::Monitor, Support::Server),
    (Op::Barge, Support::Server),
    (Op::ForceRelease, Support::Server),
    (Op::WrapUp, Support::Client),
    (Op::TeamStatus, Support::Server),
    (Op::Recordings, Support::Server),
    (Op::VoiceCode, Support::Server),
    (Op::IvrCall, Support::Server),
];

/// Requests that only read (status table, consult state, call log, task results,
/// recordings): the rest act on calls or extensions.
const READS: [&str; 7] = [
    "EXTNUM_STATE",
    "CALL_THIRD_GET_THIRD_STATE",
    "CALL_LOG_QUERY",
    "CALL_LOG_GET_WITH_CALLID",
    "GET_CAPTCHA_RESULT",
    "IVR_TTS_CALL_RESULT",
    "FileDownServlet",
];

/// The simulator's side of the column.
pub struct GuoxinServer {
    pub sim: Sim,
    pub front: Handle,
    /// The model call of the other agent's customer (what a supervisor acts on).
    other_call: Mutex<Option<CallId>>,
}

impl GuoxinServer {
    pub fn new(sim: &Sim) -> Self {
        GuoxinServer {
            sim: sim.clone(),
            front: agentbar_sim::guoxin::handle(sim).expect("every sim has a Guoxin front end"),
            other_call: Mutex::new(None),
        }
    }

    /// `who` picks up as soon as it rings (or has answered by itself).
    pub async fn answer(&self, who: &str) {
        answer_when_ringing(&self.sim, who).await;
    }

    /// Every request the session sent with `opt` (upper case).
    pub fn sent(&self, opt: &str) -> Vec<agentbar_sim::model::RequestRecord> {
        self.sim
            .requests()
            .into_iter()
            .filter(|r| r.vendor == agentbar_sim::guoxin::VENDOR && r.endpoint == opt)
            .collect()
    }

    /// Waits until every notice made so far has reached the push listener, so that a next
    /// step does not race a late notice.
    pub async fn notified(&self) {
        let made = self.front.notices().last().map_or(0, |n| n.seq);
        let deadline = tokio::time::Instant::now() + WAIT;
        while made > 0
            && !self
                .front
                .deliveries()
                .iter()
                .any(|d| d.seq >= made && d.delivered)
        {
            assert!(
                tokio::time::Instant::now() < deadline,
                "notices up to {made} never delivered"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// The customer's live leg of model call `handle`.
    fn customer(&self, handle: &str) -> Option<agentbar_sim::model::Channel> {
        customer_leg(&self.sim, handle)
    }
}

#[async_trait]
impl Server for GuoxinServer {
    async fn ring_agent(&self, from: &str) -> String {
        self.front
            .incoming(from, DID, RING_GROUP)
            .expect("call placed")
            .0
    }
    async fn agent_answers(&self) {
        self.answer(PHONE).await;
    }
    async fn caller_hangs_up(&self, handle: &str) {
        self.sim
            .caller_hangs_up(&CallId(handle.to_string()))
            .expect("caller hangs up");
    }
    async fn party_answers(&self, number: &str) {
        // Supervisor requests are trigger calls: they ring the supervisor's own phone first.
        let who = if number == "supervisor" {
            PHONE
        } else {
            number
        };
        self.answer(who).await;
    }
    fn dialled(&self, number: &str) -> bool {
        ["CLICK_TO_DIAL", "CLICK_TO_IP_DIAL"].iter().any(|opt| {
            self.sent(opt)
                .iter()
                .any(|r| r.param("caller") == Some(PHONE) && r.param("callee") == Some(number))
        })
    }
    fn paused(&self) -> Option<bool> {
        // Presence is membership of the group's queue: offline none, busy or reducing paused.
        match self.front.presence(PHONE).expect("2011 exists").as_str() {
            "offline" => None,
            "online" => Some(false),
            _ => Some(true),
        }
    }
    fn transferred_to(&self, target: &str) -> bool {
        self.sim
            .channels_of(&format!("SIP/{target}"))
            .iter()
            .any(|c| c.peer.is_some())
            || agentbar_tests::outside_leg_up(&self.sim, target)
    }
    fn conference_size(&self) -> usize {
        self.front
            .conferences()
            .into_iter()
            .find(|c| c.members.iter().any(|m| m == PHONE))
            .map(|c| c.members.len())
            .unwrap_or(0)
    }
    fn spying_on(&self, agent: &str) -> Option<bool> {
        // FORCE_PICKUP (强插) puts the supervisor in the agent's place in the customer's call
        // (seed 16): that is the barge; CALL_MONITOR is a listening spy (seed 15).
        let call = self.other_call.lock().unwrap().clone();
        let took_over = self
            .sim
            .channels_of(&format!("SIP/{PHONE}"))
            .iter()
            .any(|c| {
                c.vars.get(VAR_ROLE).is_some_and(|r| r == "SUPERVISOR")
                    && c.linked
                    && call.as_ref().is_some_and(|call| &c.call == call)
            });
        if took_over {
            return Some(true);
        }
        self.sim
            .spies()
            .into_iter()
            .rev()
            .find(|s| s.target_exten == agent)
            .map(|s| s.mode == agentbar_sim::model::SpyMode::Barge)
    }
    async fn other_agent_talks(&self, from: &str) {
        let call = self
            .sim
            .incoming_call(IncomingSpec::to_extension(from, DID, OTHER_PHONE))
            .expect("call placed");
        *self.other_call.lock().unwrap() = Some(call);
        self.answer(OTHER_PHONE).await;
    }
    fn other_agent_in_call(&self) -> bool {
        !self
            .sim
            .channels_of(&format!("SIP/{OTHER_PHONE}"))
            .is_empty()
    }
    fn customer_on_hold(&self, _handle: &str) -> bool {
        // Guoxin has no hold (the column skips the hold scenario).
        false
    }
    fn digits_heard(&self, _handle: &str) -> String {
        // Guoxin sends no DTMF (the column skips the DTMF scenario).
        String::new()
    }
    fn caller_in_ivr(&self, handle: &str, ivr: &str) -> bool {
        self.customer(handle).is_some_and(|c| {
            matches!(&c.location, Location::App { context, exten } if context == IVR_CONTEXT && exten == ivr)
        })
    }
    fn control_requests(&self) -> usize {
        self.sim
            .requests()
            .iter()
            .filter(|r| r.vendor == agentbar_sim::guoxin::VENDOR)
            .filter(|r| !READS.contains(&r.endpoint.as_str()))
            .count()
    }
}

/// The simulator for Guoxin runs: nobody answers by themselves but outside numbers (after
/// 100 ms), and notices are retried quickly.
pub fn guoxin_sim_config() -> SimConfig {
    let mut c = sim_config();
    c.guoxin.notify.retry_base_ms = 50;
    c.guoxin.notify.retry_cap_ms = 200;
    c.guoxin.notify.reorder_wait_ms = 300;
    c
}

/// Starts the simulator.
pub async fn start_sim(sim: SimConfig) -> SimServer {
    SimServer::start(Sim::new(sim), ([127, 0, 0, 1], 0).into())
        .await
        .expect("sim starts")
}

/// Starts a session with the Guoxin demo profile (extension 2011, push listener on loopback)
/// against `server` (or `base`, a proxy in front of it), and points the simulator's notify
/// URL at the push listener when the profile pushes. `tweak` adjusts the profile.
pub async fn start_session(
    server: SimServer,
    base: Option<std::net::SocketAddr>,
    tweak: impl FnOnce(&mut RunnerConfig),
) -> Rig {
    let mut cfg = guoxin_demo_config(
        base.unwrap_or_else(|| server.local_addr()),
        ([127, 0, 0, 1], 0).into(),
        None,
    );
    cfg.engine.wrap_up_secs = 0;
    if let Some(g) = cfg.guoxin.as_mut() {
        g.poll_interval_ms = 500;
    }
    agentbar_tests::test_token(&mut cfg);
    tweak(&mut cfg);
    let push = cfg.guoxin.as_ref().is_some_and(|g| g.push);
    // Guoxin's interface has no authentication: the secret is the simulator's captcha
    // password, when the profile signs captcha calls.
    let signs = cfg.guoxin.as_ref().is_some_and(|g| g.captcha_pwd_required);
    let secret = if signs { CAPTCHA_PASSWORD } else { "" };
    let running = agentbar_cli::start(cfg, Secret::new(secret), Arc::new(SystemClock))
        .await
        .expect("session starts");
    if push {
        let addr = running.push_addr.expect("push listener enabled");
        agentbar_sim::guoxin::handle(server.sim())
            .expect("Guoxin front end")
            .set_notify_url(Some(&format!("http://{addr}/push/guoxin")), None);
    }
    let api = running.api_addr.expect("listener enabled");
    Rig {
        server,
        http: agentbar_tests::api_client(&running),
        running,
        api,
    }
}

/// Starts the simulator and a session against it: see [`start_session`].
pub async fn start_rig(sim: SimConfig, tweak: impl FnOnce(&mut RunnerConfig)) -> Rig {
    start_session(start_sim(sim).await, None, tweak).await
}

/// Like [`start_rig`], then waits until the agent is signed in and ready.
pub async fn ready_rig(sim: SimConfig, tweak: impl FnOnce(&mut RunnerConfig)) -> Rig {
    let rig = start_rig(sim, tweak).await;
    rig.wait_for("signed in and ready", WAIT, |s| {
        s.presence == Presence::Ready
    })
    .await;
    rig
}

/// The column's profile: client-side wrap-up of 60 s, and sign-out sets `offline` (the
/// extension leaves its group, as the shared sign-out scenario expects of every column; the
/// default `busy` keeps it a paused member).
pub fn column_profile(c: &mut RunnerConfig) {
    c.engine.wrap_up_secs = 60;
    if let Some(g) = c.guoxin.as_mut() {
        g.sign_out_presence = agentbar_guoxin::config::SignOutPresence::Offline;
    }
}

/// A fresh column: simulator, runner, push listener with the notify URL pointed at it.
pub async fn column() -> (Column, Rig) {
    column_with(|_| {}).await
}

/// [`column`] with the profile adjusted by `tweak` after the column's own settings.
pub async fn column_with(tweak: impl FnOnce(&mut RunnerConfig)) -> (Column, Rig) {
    let rig = start_rig(guoxin_sim_config(), |c| {
        column_profile(c);
        tweak(c);
    })
    .await;
    let column = Column {
        vendor: "guoxin",
        engine: rig.running.engine.clone(),
        server: Box::new(GuoxinServer::new(rig.sim())),
        other_agent: OTHER_PHONE.into(),
        third_party: NO_RIGHT_PHONE.into(),
        ivr: IVR.into(),
        barge_takes_over: true,
        sign_out_pauses: false,
    };
    (column, rig)
}

/// The column with push off: calls become known from the EXTNUM_STATE poll only.
pub async fn polled_column() -> (Column, Rig) {
    column_with(|c| {
        if let Some(g) = c.guoxin.as_mut() {
            g.push = false;
        }
        c.push = Default::default();
    })
    .await
}
