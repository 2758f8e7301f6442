//! Property tests of the session's pure transitions: whatever order and repetition the
//! servers report calls in, a call pops once, the shown state follows the model, and nothing
//! panics.

use agentbar_core::config::EngineConfig;
use agentbar_core::engine::Session;
use agentbar_core::*;
use proptest::prelude::*;
use std::collections::{HashMap, HashSet};
use std::time::Duration;
use tokio::time::Instant;

#[derive(Debug, Clone)]
enum Step {
    Seen(u8, u8),
    Gone(u8),
    Presence(u8),
    Tick(u16),
    Command(u8),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => (0u8..6, 0u8..5).prop_map(|(id, st)| Step::Seen(id, st)),
        2 => (0u8..6).prop_map(Step::Gone),
        1 => (0u8..3).prop_map(Step::Presence),
        1 => (0u16..120).prop_map(Step::Tick),
        1 => (0u8..6).prop_map(Step::Command),
    ]
}

fn state(n: u8) -> CallState {
    [
        CallState::Ringing,
        CallState::Talking,
        CallState::Held,
        CallState::Consulting,
        CallState::Conference,
    ][n as usize % 5]
}

fn caps() -> CapabilitySet {
    Operation::ALL
        .iter()
        .fold(CapabilitySet::new(), |c, op| c.server(*op, "x"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn a_call_pops_at_most_once_and_state_follows_the_model(steps in proptest::collection::vec(step(), 1..80)) {
        let start = Instant::now();
        let mut now = start;
        let mut now_ms = 1_700_000_000_000i64;
        let cfg = EngineConfig { wrap_up_secs: 30, ..EngineConfig::default() };
        let mut s = Session::new(cfg, "prop", caps(), AgentInfo::default(), now, now_ms);
        let mut offers: HashMap<String, usize> = HashMap::new();
        let mut ended: HashSet<String> = HashSet::new();
        for st in steps {
            let events = match st {
                Step::Seen(id, n) => {
                    let mut call = Call::new(CallId::new(format!("c{id}")), Direction::Inbound, "13800138000", DetectedBy::Poll, now_ms);
                    call.state = state(n);
                    s.on_vendor_event(VendorEvent::CallSeen { call }, now, now_ms).0
                }
                Step::Gone(id) => s.on_vendor_event(VendorEvent::CallGone { id: CallId::new(format!("c{id}")) }, now, now_ms).0,
                Step::Presence(p) => {
                    let presence = [Presence::Ready, Presence::NotReady { reason: None }, Presence::SignedOut][p as usize % 3].clone();
                    s.on_vendor_event(VendorEvent::Presence { presence }, now, now_ms).0
                }
                Step::Tick(secs) => {
                    now += Duration::from_secs(secs as u64);
                    now_ms += secs as i64 * 1000;
                    s.tick(now, now_ms).0
                }
                Step::Command(c) => {
                    let cmd = [
                        Command::SetNotReady { reason: "lunch".into() },
                        Command::SetReady,
                        Command::FinishWrapUp,
                        Command::Hangup { call: None },
                        Command::Dial { number: "82754888".into(), attached: Default::default() },
                        Command::SignOut,
                    ][c as usize % 6].clone();
                    let _ = s.plan(&cmd, now, now_ms);
                    Vec::new()
                }
            };
            for e in events {
                match e {
                    EventKind::CallOffered { call } => {
                        *offers.entry(call.id.0.clone()).or_default() += 1;
                        prop_assert!(!ended.contains(&call.id.0), "an ended call popped again");
                    }
                    EventKind::CallEnded { call } => { ended.insert(call.id.0.clone()); }
                    _ => {}
                }
            }
            let snap = s.snapshot(now, 0);
            let ids: HashSet<_> = snap.calls.iter().map(|c| c.id.clone()).collect();
            prop_assert_eq!(ids.len(), snap.calls.len(), "a call is listed once");
            if !snap.calls.is_empty() {
                let idle = matches!(snap.state, AgentState::Ready | AgentState::NotReady { .. } | AgentState::SignedOut | AgentState::WrapUp);
                prop_assert!(!idle, "a live call outranks presence and wrap-up: {:?}", snap.state);
            } else if snap.wrap_up.is_some() {
                prop_assert_eq!(&snap.state, &AgentState::WrapUp);
            }
        }
        prop_assert!(offers.values().all(|n| *n == 1), "{offers:?}");
    }
}
