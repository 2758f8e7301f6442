//! The 800hu column: the adapter against the simulator's 800hu front end, calls learnt by
//! long-polling getLongWaterLine and reading recvMsg, call records pushed (seed 004 2.7) to
//! the session's push listener (`/push/800hu`).
//!
//! The demo seats: 8005 (张三, phone 2011, queue 5090) is the session's; 8006 (李四, phone
//! 2012, queue 5090) is the colleague to transfer to; 8001 (王班长, phone 2013) the admin.

use super::scenarios::{Column, Server};
use agentbar_cli::config::RunnerConfig;
use agentbar_cli::demo::{hu800_demo_config, HU800_USER};
use agentbar_cli::secret::Secret;
use agentbar_core::clock::SystemClock;
use agentbar_core::{Operation as Op, Presence, Support};
use agentbar_sim::hu800::Handle;
use agentbar_sim::model::{CallId, IncomingSpec};
use agentbar_sim::{Sim, SimConfig, SimServer};
use agentbar_tests::{answer_when_ringing, sim_config, Rig};
use async_trait::async_trait;
use std::sync::Arc;

pub const PHONE: &str = "2011";
const IFACE: &str = "SIP/2011";
/// The colleague's seat and phone.
pub const OTHER_SEAT: &str = "8006";
pub const OTHER_PHONE: &str = "2012";
/// The queue customers call, and the number they dial.
pub const QUEUE: &str = "5090";
pub const DID: &str = "4000820188";

/// The capability column the README's matrix shows for 800hu.
pub const EXPECTED: &[(Op, Support)] = &[
    (Op::SignIn, Support::Server),
    (Op::SignOut, Support::Server),
    (Op::Ready, Support::Server),
    (Op::PauseReasons, Support::Client),
    (Op::Dial, Support::Server),
    (Op::Answer, Support::Server),
    (Op::Hangup, Support::Server),
    (Op::BlindTransfer, Support::Server),
    (Op::WrapUp, Support::Client),
    (Op::Recordings, Support::Server),
    (Op::AttachedData, Support::Server),
    (Op::Hold, Support::Unavailable),
    (Op::Consult, Support::Unavailable),
    (Op::Conference, Support::Unavailable),
    (Op::Monitor, Support::Unavailable),
    (Op::Barge, Support::Unavailable),
    (Op::TeamStatus, Support::Unavailable),
];

/// Methods that only read (the long poll, messages, records): the rest act on calls or seats.
const READS: [&str; 3] = ["getLongWaterLine", "recvMsg", "findDialrecord"];

/// The simulator's side of the column.
pub struct Hu800Server {
    pub sim: Sim,
    pub front: Handle,
}

impl Hu800Server {
    pub fn new(sim: &Sim) -> Self {
        Hu800Server {
            sim: sim.clone(),
            front: agentbar_sim::hu800::handle(sim).expect("every sim has an 800hu front end"),
        }
    }

    /// Every request the session sent with `method`.
    pub fn sent(&self, method: &str) -> Vec<agentbar_sim::model::RequestRecord> {
        self.sim
            .requests()
            .into_iter()
            .filter(|r| r.vendor == agentbar_sim::hu800::VENDOR && r.endpoint == method)
            .collect()
    }

    /// The model phone of a seat, or the number itself.
    fn phone_of(&self, target: &str) -> String {
        self.front
            .accounts()
            .into_iter()
            .find(|a| a.user == target)
            .map_or_else(|| target.to_string(), |a| a.extension)
    }
}

#[async_trait]
impl Server for Hu800Server {
    async fn ring_agent(&self, from: &str) -> String {
        self.front
            .incoming(from, DID, QUEUE)
            .expect("call placed")
            .0
    }
    async fn agent_answers(&self) {
        answer_when_ringing(&self.sim, PHONE).await;
    }
    async fn caller_hangs_up(&self, handle: &str) {
        self.sim
            .caller_hangs_up(&CallId(handle.to_string()))
            .expect("caller hangs up");
    }
    async fn party_answers(&self, number: &str) {
        answer_when_ringing(&self.sim, &self.phone_of(number)).await;
    }
    fn dialled(&self, number: &str) -> bool {
        self.sent("callbackPhone")
            .iter()
            .any(|r| r.param("descPhone") == Some(number))
    }
    fn paused(&self) -> Option<bool> {
        self.sim
            .queue_members(Some(QUEUE))
            .into_iter()
            .find(|(_, m)| m.interface == IFACE)
            .map(|(_, m)| m.paused)
    }
    fn transferred_to(&self, target: &str) -> bool {
        let phone = self.phone_of(target);
        self.sim
            .channels_of(&format!("SIP/{phone}"))
            .iter()
            .any(|c| c.peer.is_some())
            || agentbar_tests::outside_leg_up(&self.sim, &phone)
    }
    fn conference_size(&self) -> usize {
        0
    }
    fn spying_on(&self, _agent: &str) -> Option<bool> {
        None
    }
    async fn other_agent_talks(&self, from: &str) {
        self.sim
            .incoming_call(IncomingSpec::to_extension(from, DID, OTHER_PHONE))
            .expect("call placed");
        answer_when_ringing(&self.sim, OTHER_PHONE).await;
    }
    fn other_agent_in_call(&self) -> bool {
        !self
            .sim
            .channels_of(&format!("SIP/{OTHER_PHONE}"))
            .is_empty()
    }
    fn customer_on_hold(&self, _handle: &str) -> bool {
        false
    }
    fn digits_heard(&self, _handle: &str) -> String {
        String::new()
    }
    fn caller_in_ivr(&self, _handle: &str, _ivr: &str) -> bool {
        false
    }
    fn control_requests(&self) -> usize {
        self.sim
            .requests()
            .iter()
            .filter(|r| r.vendor == agentbar_sim::hu800::VENDOR)
            .filter(|r| !READS.contains(&r.endpoint.as_str()))
            .count()
    }
}

/// The simulator for 800hu runs: outside numbers answer by themselves (after 100 ms), long
/// polls are held as the real server holds them.
pub fn hu800_sim_config() -> SimConfig {
    sim_config()
}

/// The seat's password in the simulator.
pub fn password(sim: &SimConfig) -> String {
    sim.hu800
        .accounts
        .iter()
        .find(|a| a.user == HU800_USER)
        .map(|a| a.password.0.clone())
        .expect("the demo seat")
}

/// Starts the simulator and a session with the 800hu demo profile against it, the push URL
/// pointed at the push listener; `tweak` adjusts the profile.
pub async fn start_rig(sim: SimConfig, tweak: impl FnOnce(&mut RunnerConfig)) -> Rig {
    let secret = password(&sim);
    let server = SimServer::start(Sim::new(sim), ([127, 0, 0, 1], 0).into())
        .await
        .expect("sim starts");
    let mut cfg = hu800_demo_config(&server.url(), ([127, 0, 0, 1], 0).into(), None);
    cfg.engine.wrap_up_secs = 0;
    agentbar_tests::test_token(&mut cfg);
    tweak(&mut cfg);
    let push = cfg.hu800.as_ref().is_some_and(|h| h.push);
    let running = agentbar_cli::start(cfg, Secret::new(secret), Arc::new(SystemClock))
        .await
        .expect("session starts");
    if push {
        let addr = running.push_addr.expect("push listener enabled");
        agentbar_sim::hu800::handle(server.sim())
            .expect("800hu front end")
            .set_push_url(Some(&format!("http://{addr}/push/800hu")));
    }
    let api = running.api_addr.expect("listener enabled");
    Rig {
        server,
        http: agentbar_tests::api_client(&running),
        running,
        api,
    }
}

/// Like [`start_rig`], then waits until the agent is signed in and ready.
pub async fn ready_rig(sim: SimConfig, tweak: impl FnOnce(&mut RunnerConfig)) -> Rig {
    let rig = start_rig(sim, tweak).await;
    rig.wait_for("signed in and ready", super::scenarios::WAIT, |s| {
        s.presence == Presence::Ready
    })
    .await;
    rig
}

/// A fresh column: client-side wrap-up of 60 s, as every column's wrap-up scenario expects.
pub async fn column() -> (Column, Rig) {
    let rig = start_rig(hu800_sim_config(), |c| c.engine.wrap_up_secs = 60).await;
    let column = Column {
        vendor: "800hu",
        engine: rig.running.engine.clone(),
        server: Box::new(Hu800Server::new(rig.sim())),
        other_agent: OTHER_SEAT.into(),
        third_party: "8001".into(),
        ivr: String::new(),
        barge_takes_over: false,
        sign_out_pauses: true,
    };
    (column, rig)
}
