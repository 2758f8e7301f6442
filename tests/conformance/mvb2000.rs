//! The MVB2000 column: the adapter against the simulator's WEBCTI2 front end.

use super::scenarios::{Column, Server};
use agentbar_core::{Operation as Op, Support};
use agentbar_sim::model::{CallId, IncomingSpec, Location};
use agentbar_sim::Sim;
use agentbar_tests::{sim_config, Rig};
use async_trait::async_trait;

const AGENT_EXT: &str = "2011";
const AGENT_IFACE: &str = "SIP/2011";
const OTHER_EXT: &str = "2012";
const OTHER_IFACE: &str = "SIP/2012";

/// The capability column the README's matrix shows for MVB2000.
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
    (Op::ConferenceControl, Support::Server),
    (Op::ToIvr, Support::Server),
    (Op::CollectDigits, Support::Server),
    (Op::PickUp, Support::Server),
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

struct MvbServer(Sim);

impl MvbServer {
    /// Answers the ringing phone of `who`, as soon as it rings.
    async fn answer(&self, who: &str) {
        agentbar_tests::answer_when_ringing(&self.0, who).await;
    }
}

#[async_trait]
impl Server for MvbServer {
    async fn ring_agent(&self, from: &str) -> String {
        let id = self
            .0
            .incoming_call(IncomingSpec::to_queue(from, "4000820188", "5090"))
            .expect("call placed");
        id.0
    }
    async fn agent_answers(&self) {
        self.answer(AGENT_EXT).await;
    }
    async fn caller_hangs_up(&self, handle: &str) {
        self.0
            .caller_hangs_up(&CallId(handle.to_string()))
            .expect("caller hangs up");
    }
    async fn party_answers(&self, number: &str) {
        // MVB2000 originates ring the agent's (or supervisor's) own phone first.
        let _ = self.0.answer(AGENT_EXT);
        if number != "supervisor" {
            self.answer(number).await;
        }
    }
    fn dialled(&self, number: &str) -> bool {
        self.0.requests_to("ctioriginate.php").iter().any(|r| {
            r.param("exten") == Some(number)
                || r.param("channel")
                    .is_some_and(|c| c.ends_with(&format!("/{number}")))
        })
    }
    fn paused(&self) -> Option<bool> {
        self.0
            .queue_members(Some("5090"))
            .into_iter()
            .find(|(_, m)| m.interface == AGENT_IFACE)
            .map(|(_, m)| m.paused)
    }
    fn transferred_to(&self, target: &str) -> bool {
        !self.0.channels_of(&format!("SIP/{target}")).is_empty()
    }
    fn conference_size(&self) -> usize {
        self.0
            .rooms()
            .into_iter()
            .find(|r| r.members.iter().any(|m| m.channel.starts_with(AGENT_IFACE)))
            .map(|r| r.members.len())
            .unwrap_or(0)
    }
    fn spying_on(&self, agent: &str) -> Option<bool> {
        self.0
            .spies()
            .into_iter()
            .rev()
            .find(|s| s.target_exten == agent)
            .map(|s| s.mode == agentbar_sim::model::SpyMode::Barge)
    }
    async fn other_agent_talks(&self, from: &str) {
        self.0
            .incoming_call(IncomingSpec::to_extension(from, "4000820188", OTHER_EXT))
            .expect("call placed");
        self.answer(OTHER_EXT).await;
    }
    fn other_agent_in_call(&self) -> bool {
        !self.0.channels_of(OTHER_IFACE).is_empty()
    }
    fn customer_on_hold(&self, _handle: &str) -> bool {
        // WEBCTI2 has no hold (the column skips the hold scenario).
        false
    }
    fn digits_heard(&self, _handle: &str) -> String {
        // WEBCTI2 sends no DTMF (the column skips the DTMF scenario).
        String::new()
    }
    fn caller_in_ivr(&self, handle: &str, ivr: &str) -> bool {
        self.0.channels().iter().any(|c| {
            c.call.0 == handle
                && c.device.is_none()
                && matches!(&c.location, Location::App { context, .. } if context == ivr)
        })
    }
    fn control_requests(&self) -> usize {
        // Everything but the reads (get*.php, ctiget*.php) acts on calls or agents.
        self.0
            .requests()
            .iter()
            .filter(|r| !(r.endpoint.starts_with("get") || r.endpoint.starts_with("ctiget")))
            .count()
    }
}

/// A fresh column: simulator, runner and listener, agent 8005 at 2011 (a supervisor), with
/// client-side wrap-up on.
pub async fn column() -> (Column, Rig) {
    let rig = Rig::start(sim_config(), |c| {
        c.engine.poll_interval_ms = 200;
        c.engine.wrap_up_secs = 60;
    })
    .await;
    let column = Column {
        vendor: "mvb2000",
        engine: rig.running.engine.clone(),
        server: Box::new(MvbServer(rig.sim().clone())),
        other_agent: OTHER_EXT.into(),
        third_party: "2013".into(),
        ivr: "custom-survey".into(),
        barge_takes_over: false,
        sign_out_pauses: false,
    };
    (column, rig)
}
