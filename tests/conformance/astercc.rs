//! The asterCC column: the adapter against the simulator's asterCC front end, with the call
//! events the simulator pushes delivered to the session's push listener.
//!
//! The demo team: agent 8005 (phone 2011) is the session's agent, in groups 100 and 101 and
//! admin of 100; 8006 (phone 2012, group 100) is the colleague to transfer to and supervise.
//! Customers call through group 101 (queue 5091), which 8006 is not in, so a call always
//! rings 8005 even while 8006 is checked into group 100.

use super::scenarios::{Column, Server, WAIT};
use agentbar_cli::config::RunnerConfig;
use agentbar_cli::demo::{astercc_demo_config, ASTERCC_AGENT};
use agentbar_cli::secret::Secret;
use agentbar_core::clock::SystemClock;
use agentbar_core::{Operation as Op, Presence, Support};
use agentbar_sim::astercc::{AgentView, Handle};
use agentbar_sim::model::{CallId, IncomingSpec, Location};
use agentbar_sim::{Sim, SimConfig, SimServer};
use agentbar_tests::{answer_when_ringing, customer_leg, sim_config, Rig};
use async_trait::async_trait;
use std::sync::Arc;
use std::time::Duration;

pub const AGENT: &str = ASTERCC_AGENT;
pub const PHONE: &str = "2011";
/// The group customers call through (queue 5091).
pub const RING_GROUP: &str = "101";
/// The colleague: agent number and phone.
pub const OTHER_AGENT: &str = "8006";
pub const OTHER_PHONE: &str = "2012";
/// An outside number for consults and conferences; the simulator answers it after 100 ms.
pub const THIRD_PARTY: &str = "13900009999";
/// The DID customers dial.
pub const DID: &str = "800888";
/// The simulator's main IVR.
pub const IVR: &str = "8000";
/// Where the simulator keeps a held customer and a customer sent to an IVR.
const HOLD_CONTEXT: &str = "astercc-hold";
const IVR_CONTEXT: &str = "astercc-ivr";

/// The capability column the README's matrix shows for asterCC (the demo profile: dialling
/// with `MAKECALL`, after-call work left to the bar).
pub const EXPECTED: &[(Op, Support)] = &[
    (Op::SignIn, Support::Server),
    (Op::SignOut, Support::Server),
    (Op::Ready, Support::Server),
    (Op::PauseReasons, Support::Server),
    (Op::Dial, Support::Server),
    (Op::Hangup, Support::Server),
    (Op::Hold, Support::Server),
    (Op::Consult, Support::Server),
    (Op::TakeBack, Support::Server),
    (Op::BlindTransfer, Support::Client),
    (Op::AttendedTransfer, Support::Server),
    (Op::Conference, Support::Server),
    (Op::ConferenceControl, Support::Server),
    (Op::Dtmf, Support::Server),
    (Op::ToIvr, Support::Server),
    (Op::Monitor, Support::Server),
    (Op::Whisper, Support::Server),
    (Op::Barge, Support::Server),
    (Op::ForceRelease, Support::Server),
    (Op::WrapUp, Support::Client),
    (Op::TeamStatus, Support::Server),
    (Op::QueueStatus, Support::Server),
    (Op::Recordings, Support::Server),
    (Op::AttachedData, Support::Server),
];

/// Requests that only read (status, counters, recordings): the rest act on calls or agents.
const READS: [&str; 6] = [
    "AGENTSTATUS",
    "AGENTREALTIME",
    "TEAMSTATUS",
    "AGENTGROUPSTATUS",
    "QUEUECUSTOMERNUM",
    "GETMONITOR",
];

/// The simulator's side of the column.
pub struct AsterServer {
    pub sim: Sim,
    pub front: Handle,
}

impl AsterServer {
    pub fn new(sim: &Sim) -> Self {
        AsterServer {
            sim: sim.clone(),
            front: agentbar_sim::astercc::handle(sim).expect("every sim has an asterCC front end"),
        }
    }

    /// The phone of an agent number; other numbers are phones already.
    fn phone_of(&self, who: &str) -> String {
        self.sim
            .config()
            .astercc
            .agent(who)
            .map(|a| a.phone.clone())
            .unwrap_or_else(|| who.to_string())
    }

    /// `who` picks up as soon as it rings (or has answered by itself).
    pub async fn answer(&self, who: &str) {
        answer_when_ringing(&self.sim, who).await;
    }

    /// Waits until every event made so far has been delivered to the push listener (and so
    /// handed to the session), so that a next step does not race a late event.
    pub async fn pushed(&self) {
        let made = self.front.events().last().map_or(0, |e| e.event.eventid);
        let deadline = tokio::time::Instant::now() + WAIT;
        while !self.front.deliveries().iter().any(|d| d.eventid >= made) && made > 0 {
            assert!(
                tokio::time::Instant::now() < deadline,
                "events up to {made} never delivered"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// The session's agent as the simulator sees it.
    pub fn me(&self) -> AgentView {
        self.front.agent(AGENT).expect("agent 8005 exists")
    }

    /// Every request the session sent, by `EVENT` (upper case).
    pub fn sent(&self, event: &str) -> Vec<agentbar_sim::model::RequestRecord> {
        self.sim
            .requests()
            .into_iter()
            .filter(|r| r.vendor == "astercc" && r.endpoint.eq_ignore_ascii_case(event))
            .filter(|r| r.param("user") == Some(AGENT))
            .collect()
    }

    /// The customer's live leg of model call `handle`.
    pub fn customer(&self, handle: &str) -> Option<agentbar_sim::model::Channel> {
        customer_leg(&self.sim, handle)
    }
}

#[async_trait]
impl Server for AsterServer {
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
        // Supervisor calls ring the supervisor's own phone first.
        let who = if number == "supervisor" {
            PHONE.to_string()
        } else {
            self.phone_of(number)
        };
        self.answer(&who).await;
    }
    async fn other_agent_talks(&self, from: &str) {
        self.sim
            .incoming_call(IncomingSpec::to_extension(from, DID, OTHER_PHONE))
            .expect("call placed");
        self.answer(OTHER_PHONE).await;
    }
    fn other_agent_in_call(&self) -> bool {
        !self
            .sim
            .channels_of(&format!("SIP/{OTHER_PHONE}"))
            .is_empty()
    }
    fn customer_on_hold(&self, handle: &str) -> bool {
        self.customer(handle).is_some_and(
            |c| matches!(&c.location, Location::App { context, .. } if context == HOLD_CONTEXT),
        )
    }
    fn digits_heard(&self, handle: &str) -> String {
        let sessionid = self.front.sessionid(&CallId(handle.to_string()));
        self.front
            .dtmf()
            .into_iter()
            .filter(|d| d.sessionid == sessionid)
            .map(|d| d.digits)
            .collect()
    }
    fn caller_in_ivr(&self, handle: &str, ivr: &str) -> bool {
        // `AgentToIvr` target `<flow>@<ivrexten>` puts the caller at `<ivrexten>|<flow>`.
        let (flow, exten) = ivr.rsplit_once('@').unwrap_or(("", ivr));
        let want = if flow.is_empty() {
            exten.to_string()
        } else {
            format!("{exten}|{flow}")
        };
        self.customer(handle).is_some_and(|c| {
            matches!(&c.location, Location::App { context, exten } if context == IVR_CONTEXT && *exten == want)
        })
    }
    fn dialled(&self, number: &str) -> bool {
        self.sent("MAKECALL")
            .iter()
            .any(|r| r.param("targetdn") == Some(number))
    }
    fn paused(&self) -> Option<bool> {
        // Paused where no group's queue may offer a call; `None` when checked into none.
        let groups: Vec<bool> = self
            .me()
            .groups
            .iter()
            .filter(|g| g.checked_in)
            .map(|g| g.paused)
            .collect();
        (!groups.is_empty()).then(|| groups.iter().all(|p| *p))
    }
    fn transferred_to(&self, target: &str) -> bool {
        let phone = self.phone_of(target);
        self.sim
            .channels_of(&format!("SIP/{phone}"))
            .iter()
            .any(|c| c.peer.is_some())
            || agentbar_tests::outside_leg_up(&self.sim, target)
    }
    fn conference_size(&self) -> usize {
        self.sim
            .rooms()
            .into_iter()
            .find(|r| {
                r.members
                    .iter()
                    .any(|m| m.channel.starts_with(&format!("SIP/{PHONE}")))
            })
            .map(|r| r.members.len())
            .unwrap_or(0)
    }
    fn spying_on(&self, agent: &str) -> Option<bool> {
        let phone = self.phone_of(agent);
        self.sim
            .spies()
            .into_iter()
            .rev()
            .find(|s| s.target_exten == phone)
            .map(|s| s.mode == agentbar_sim::model::SpyMode::Barge)
    }
    fn control_requests(&self) -> usize {
        self.sim
            .requests()
            .iter()
            .filter(|r| r.vendor == "astercc" && r.param("user") == Some(AGENT))
            .filter(|r| !READS.iter().any(|q| r.endpoint.eq_ignore_ascii_case(q)))
            .count()
    }
}

/// The simulator for asterCC runs: nobody answers by themselves but outside numbers (after
/// 100 ms), and pushes are retried quickly.
pub fn astercc_sim_config() -> SimConfig {
    let mut c = sim_config();
    c.astercc.ivr_return_ms = 500;
    c.astercc.push.retry_base_ms = 50;
    c.astercc.push.retry_cap_ms = 200;
    c.astercc.push.reorder_wait_ms = 300;
    c
}

/// Signs a demo agent in on the simulator (`LOGIN`, then `QUEUE` into `groups`), as the
/// agent's own bar would.
pub async fn sign_in_other(server: &SimServer, agent: &str, groups: &str) {
    let http = reqwest::Client::new();
    let creds = format!(
        "orgidentity=astercc&usertype=agent&user={agent}&pwdtype=plaintext&password={agent}pw"
    );
    for ev in [
        "EVENT=LOGIN".to_string(),
        format!("EVENT=QUEUE&type=1&list={groups}"),
    ] {
        let r = http
            .post(format!("{}/asterccinterfaces", server.url()))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(format!("{ev}&{creds}"))
            .send()
            .await
            .expect("sim answers")
            .text()
            .await
            .expect("sim answers");
        assert!(r.starts_with("|Retuen|1|"), "{ev} for {agent}: {r}");
    }
}

/// Starts the simulator.
pub async fn start_sim(sim: SimConfig) -> SimServer {
    SimServer::start(Sim::new(sim), ([127, 0, 0, 1], 0).into())
        .await
        .expect("sim starts")
}

/// Starts the simulator and a session against it: see [`start_session`].
pub async fn start_rig(sim: SimConfig, tweak: impl FnOnce(&mut RunnerConfig)) -> Rig {
    start_session(start_sim(sim).await, None, tweak).await
}

/// Starts a session with the asterCC demo profile (agent 8005, groups 100 and 101, push
/// listener on loopback) against `server`, and points the simulator's push URL at the push
/// listener. `base_url` overrides where the session sends its requests (a proxy in front of
/// the simulator); `tweak` adjusts the profile.
pub async fn start_session(
    server: SimServer,
    base_url: Option<&str>,
    tweak: impl FnOnce(&mut RunnerConfig),
) -> Rig {
    let password = server
        .sim()
        .config()
        .astercc
        .agent(AGENT)
        .expect("the demo team has agent 8005")
        .password
        .0
        .clone();
    let url = base_url.map_or_else(|| server.url(), str::to_string);
    let mut cfg = astercc_demo_config(&url, ([127, 0, 0, 1], 0).into(), None);
    cfg.engine.poll_interval_ms = 300;
    cfg.engine.wrap_up_secs = 0;
    agentbar_tests::test_token(&mut cfg);
    tweak(&mut cfg);
    let running = agentbar_cli::start(cfg, Secret::new(password), Arc::new(SystemClock))
        .await
        .expect("session starts");
    let push = running.push_addr.expect("push listener enabled");
    agentbar_sim::astercc::handle(server.sim())
        .expect("asterCC front end")
        .set_push_url(Some(&format!("http://{push}/push/astercc")));
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
    rig.wait_for("signed in and ready", WAIT, |s| {
        s.presence == Presence::Ready
    })
    .await;
    rig
}

/// The column's profile: agent numbers up to 4 digits are colleagues (internal consults and
/// transfers), client-side wrap-up of 60 s.
pub fn column_profile(c: &mut RunnerConfig) {
    c.engine.poll_interval_ms = 200;
    c.engine.wrap_up_secs = 60;
    if let Some(a) = c.astercc.as_mut() {
        a.dial.inner_max_len = 4;
    }
}

/// A fresh column: simulator, runner, push listener; 8006 checked into group 100.
pub async fn column() -> (Column, Rig) {
    column_with(|_| {}).await
}

/// [`column`] with the profile adjusted by `tweak` after the column's own settings.
pub async fn column_with(tweak: impl FnOnce(&mut RunnerConfig)) -> (Column, Rig) {
    let rig = start_rig(astercc_sim_config(), |c| {
        column_profile(c);
        tweak(c);
    })
    .await;
    sign_in_other(&rig.server, OTHER_AGENT, "100").await;
    let column = Column {
        vendor: "astercc",
        engine: rig.running.engine.clone(),
        server: Box::new(AsterServer::new(rig.sim())),
        other_agent: OTHER_AGENT.into(),
        third_party: THIRD_PARTY.into(),
        ivr: format!("1-2@{IVR}"),
        barge_takes_over: false,
        sign_out_pauses: false,
    };
    (column, rig)
}
