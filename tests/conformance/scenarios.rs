//! The conformance scenarios, written once against the vendor-neutral API (`EngineHandle`)
//! and a vendor-neutral view of the server (`Server`). Each vendor column runs all of them;
//! a scenario whose operation the column's capability set lacks is skipped, and says so.
//! Differences between vendors come in as capabilities, never as `if vendor == ...`.

use agentbar_core::*;
use async_trait::async_trait;
use std::time::Duration;

pub const WAIT: Duration = Duration::from_secs(10);

/// What the scenarios need to see and do on the server side, whatever the vendor.
#[async_trait]
pub trait Server: Send + Sync {
    /// A customer calls the agent's queue; returns a handle for later steps.
    async fn ring_agent(&self, from: &str) -> String;
    /// The agent picks up the phone (desk phone or softphone).
    async fn agent_answers(&self);
    /// The customer of call `handle` hangs up.
    async fn caller_hangs_up(&self, handle: &str);
    /// A third party picks up (consult, conference).
    async fn party_answers(&self, number: &str);
    /// The server was asked to dial `number` for the agent.
    fn dialled(&self, number: &str) -> bool;
    /// The agent's queue membership is paused (`None`: not a member).
    fn paused(&self) -> Option<bool>;
    /// The customer now talks to `target` (blind transfer done).
    fn transferred_to(&self, target: &str) -> bool;
    /// People in the agent's conference, as the server counts them.
    fn conference_size(&self) -> usize;
    /// The supervisor is listening to `agent` (`Some(barge)`), if at all.
    fn spying_on(&self, agent: &str) -> Option<bool>;
    /// A customer calls the other agent straight, who answers (supervisor actions need a
    /// call to act on).
    async fn other_agent_talks(&self, from: &str);
    /// The other agent's phone is in a call.
    fn other_agent_in_call(&self) -> bool;
    /// The customer of call `handle` waits on hold.
    fn customer_on_hold(&self, handle: &str) -> bool;
    /// Digits the customer of call `handle` heard, in order.
    fn digits_heard(&self, handle: &str) -> String;
    /// The customer of call `handle` is in IVR `ivr`.
    fn caller_in_ivr(&self, handle: &str, ivr: &str) -> bool;
    /// How many requests that act on calls or agents the server has received (queries and
    /// polls excluded), to show that refused commands sent none.
    fn control_requests(&self) -> usize;
}

pub struct Column {
    pub vendor: &'static str,
    pub engine: EngineHandle,
    pub server: Box<dyn Server>,
    /// Another agent's id, for supervisor actions and transfers.
    pub other_agent: String,
    pub third_party: String,
    /// Where "to IVR" sends a caller, as the column's `ToIvr` target names it.
    pub ivr: String,
    /// Barge puts the supervisor in the agent's place in the call (Guoxin's FORCE_PICKUP,
    /// 强插) rather than joining the two: the agent is out of the call afterwards.
    pub barge_takes_over: bool,
    /// The server has no log-out: signing out only stops calls coming (800hu's
    /// setUserCheckInOut), so the agent stays a paused queue member.
    pub sign_out_pauses: bool,
}

impl Column {
    fn caps(&self) -> CapabilitySet {
        self.engine.snapshot().capabilities
    }

    /// Skips (with the capability's reason) when the column cannot do `op`.
    fn skip_unless(&self, op: Operation) -> bool {
        if let Some(why) = self.caps().why_not(op) {
            eprintln!("[{}] skipped: {op} not available ({why})", self.vendor);
            return true;
        }
        false
    }

    pub async fn wait(&self, what: &str, f: impl Fn(&Snapshot) -> bool) -> Snapshot {
        let mut w = self.engine.watch();
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            {
                let s = w.borrow_and_update();
                if f(&s) {
                    return s.clone();
                }
            }
            if tokio::time::timeout_at(deadline, w.changed())
                .await
                .is_err()
            {
                panic!(
                    "[{}] timed out waiting for {what}: {:#?}",
                    self.vendor,
                    self.engine.snapshot()
                );
            }
        }
    }

    /// Waits until the server side shows `f`.
    pub async fn until(&self, what: &str, f: impl Fn() -> bool) {
        let deadline = tokio::time::Instant::now() + WAIT;
        while !f() {
            if tokio::time::Instant::now() >= deadline {
                panic!("[{}] timed out waiting for {what}", self.vendor);
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Runs `cmd` once the session knows enough to (a poll may still have to show the
    /// consulted party's leg): retried while it answers "not in this state".
    pub async fn run_when_possible(&self, cmd: Command) -> CommandOutcome {
        let name = cmd.name();
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            match self.engine.execute(cmd.clone()).await {
                Ok(o) => return o,
                Err(CoreError::InvalidState { .. }) if tokio::time::Instant::now() < deadline => {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(e) => panic!("[{}] {name} failed: {e}", self.vendor),
            }
        }
    }

    pub async fn run(&self, cmd: Command) -> CommandOutcome {
        let name = cmd.name();
        match self.engine.execute(cmd).await {
            Ok(o) => o,
            Err(e) => panic!("[{}] {name} failed: {e}", self.vendor),
        }
    }

    pub async fn signed_in(&self) {
        if self.engine.snapshot().presence == Presence::SignedOut {
            // The column may be signing in by itself already (auto sign-in): that is fine.
            match self.engine.execute(Command::SignIn).await {
                Ok(_) => {}
                Err(CoreError::InvalidState { .. }) => {}
                Err(e) => panic!("[{}] sign in failed: {e}", self.vendor),
            }
        }
        self.wait("connected and signed in", |s| {
            s.presence != Presence::SignedOut && s.connection == Connection::Connected
        })
        .await;
    }

    /// An incoming call the agent has answered; returns the server handle.
    pub async fn talking(&self, from: &str) -> String {
        self.signed_in().await;
        if self.engine.snapshot().presence != Presence::Ready {
            self.run(Command::SetReady).await;
        }
        let h = self.server.ring_agent(from).await;
        self.wait("ringing", |s| {
            s.calls.iter().any(|c| c.remote_number == from)
        })
        .await;
        self.server.agent_answers().await;
        self.wait("talking", |s| s.state == AgentState::Talking)
            .await;
        h
    }
}

/// The column's capability set is the one its README row promises.
pub fn capability_set(c: &Column, expected: &[(Operation, Support)]) {
    let caps = c.caps();
    for op in Operation::ALL {
        let want = expected
            .iter()
            .find(|(o, _)| *o == op)
            .map(|(_, s)| *s)
            .unwrap_or(Support::Unavailable);
        assert_eq!(caps.support(op), want, "[{}] capability {op}", c.vendor);
        if want == Support::Unavailable {
            assert!(
                caps.why_not(op).is_some_and(|w| !w.is_empty()),
                "[{}] {op} says why not",
                c.vendor
            );
        }
    }
}

pub async fn sign_in_and_out(c: &Column) {
    if c.skip_unless(Operation::SignIn) {
        return;
    }
    c.signed_in().await;
    assert_eq!(
        c.server.paused(),
        Some(false),
        "[{}] a queue member after sign-in",
        c.vendor
    );
    c.run(Command::SignOut).await;
    c.wait("signed out", |s| s.state == AgentState::SignedOut)
        .await;
    let (expected, what) = if c.sign_out_pauses {
        (Some(true), "checked out: no calls come")
    } else {
        (None, "no longer a queue member")
    };
    assert_eq!(c.server.paused(), expected, "[{}] {what}", c.vendor);
    c.run(Command::SignIn).await;
    c.wait("ready again", |s| s.presence == Presence::Ready)
        .await;
}

pub async fn ready_and_not_ready_with_reason(c: &Column) {
    if c.skip_unless(Operation::Ready) {
        return;
    }
    c.signed_in().await;
    c.run(Command::SetNotReady {
        reason: "training".into(),
    })
    .await;
    let s = c
        .wait("not ready", |s| {
            matches!(s.state, AgentState::NotReady { .. })
        })
        .await;
    assert_eq!(
        s.state,
        AgentState::NotReady {
            reason: Some("training".into())
        }
    );
    assert_eq!(c.server.paused(), Some(true));
    c.run(Command::SetReady).await;
    c.wait("ready", |s| s.state == AgentState::Ready).await;
    assert_eq!(c.server.paused(), Some(false));
}

pub async fn incoming_call_pops_once(c: &Column) {
    c.signed_in().await;
    let mut events = c.engine.subscribe();
    let h = c.server.ring_agent("13700001111").await;
    c.wait("ringing", |s| s.state == AgentState::Ringing).await;
    c.server.agent_answers().await;
    c.wait("talking", |s| s.state == AgentState::Talking).await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    c.server.caller_hangs_up(&h).await;
    c.wait("idle", |s| s.calls.is_empty()).await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let mut offers = 0;
    while let Ok(e) = events.try_recv() {
        if let EventKind::CallOffered { call } = e.kind {
            assert_eq!(call.remote_number, "13700001111");
            assert_eq!(call.direction, Direction::Inbound);
            offers += 1;
        }
    }
    assert_eq!(offers, 1, "[{}] exactly one pop", c.vendor);
}

pub async fn missed_call_is_recorded(c: &Column) {
    c.signed_in().await;
    let h = c.server.ring_agent("13700002222").await;
    c.wait("ringing", |s| s.state == AgentState::Ringing).await;
    c.server.caller_hangs_up(&h).await;
    let s = c
        .wait("missed", |s| {
            s.missed.iter().any(|m| m.remote_number == "13700002222")
        })
        .await;
    assert_eq!(s.missed[0].outcome, Some(CallOutcome::Missed));
}

pub async fn dial_and_hang_up(c: &Column) {
    if c.skip_unless(Operation::Dial) {
        return;
    }
    c.signed_in().await;
    let before = c.server.control_requests();
    let e = c
        .engine
        .execute(Command::Dial {
            number: "8275;4888".into(),
            attached: Default::default(),
        })
        .await;
    assert_eq!(e.unwrap_err().kind(), ErrorKind::InvalidInput);
    assert_eq!(
        c.server.control_requests(),
        before,
        "[{}] nothing sent for a bad number",
        c.vendor
    );
    c.run(Command::Dial {
        number: "82754888".into(),
        attached: Default::default(),
    })
    .await;
    assert!(c.server.dialled("82754888"));
    c.wait("outbound call", |s| {
        s.calls.iter().any(|x| x.remote_number == "82754888")
    })
    .await;
    if c.skip_unless(Operation::Hangup) {
        return;
    }
    c.run(Command::Hangup { call: None }).await;
    c.wait("hung up", |s| s.calls.is_empty()).await;
}

pub async fn blind_transfer(c: &Column) {
    if c.skip_unless(Operation::BlindTransfer) {
        return;
    }
    c.talking("13700003333").await;
    let target = c.other_agent.clone();
    let transfer = c.run(Command::Transfer {
        target: target.clone(),
    });
    if c.caps().support(Operation::BlindTransfer) == Support::Server {
        // The server hands the call over at once: nobody needs to pick up first.
        transfer.await;
    } else {
        // The bar consults and hands the call over once the colleague picks up.
        tokio::join!(transfer, c.server.party_answers(&target));
    }
    c.wait("call handed over", |s| s.calls.is_empty()).await;
    assert!(
        c.server.transferred_to(&target),
        "[{}] the customer reached {target}",
        c.vendor
    );
}

pub async fn consult_and_take_back(c: &Column) {
    if c.skip_unless(Operation::Consult) || c.skip_unless(Operation::TakeBack) {
        return;
    }
    c.talking("13700004444").await;
    let third = c.third_party.clone();
    c.run(Command::Consult {
        target: third.clone(),
    })
    .await;
    let s = c
        .wait("consulting", |s| s.state == AgentState::Consulting)
        .await;
    assert_eq!(s.calls[0].consult_party.as_deref(), Some(third.as_str()));
    c.server.party_answers(&third).await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    c.run(Command::TakeBack).await;
    let s = c
        .wait("back with the customer", |s| s.state == AgentState::Talking)
        .await;
    assert_eq!(s.calls.len(), 1);
    assert_eq!(s.calls[0].remote_number, "13700004444");
    assert_eq!(s.calls[0].consult_party, None);
}

pub async fn conference_of_three(c: &Column) {
    if c.skip_unless(Operation::Conference) {
        return;
    }
    c.talking("13700005555").await;
    let third = c.third_party.clone();
    c.run(Command::Conference {
        target: Some(third.clone()),
    })
    .await;
    c.server.party_answers(&third).await;
    let s = c
        .wait("three in conference", |s| {
            s.calls.first().is_some_and(|x| x.conference.len() == 3)
        })
        .await;
    assert_eq!(s.state, AgentState::Conference);
    assert_eq!(c.server.conference_size(), 3);
}

pub async fn supervisor_actions(c: &Column) {
    c.signed_in().await;
    let agent = c.other_agent.clone();
    c.server.other_agent_talks("13700007777").await;
    for (op, cmd, barge) in [
        (
            Operation::Monitor,
            Command::Monitor {
                agent: agent.clone(),
            },
            false,
        ),
        (
            Operation::Barge,
            Command::Barge {
                agent: agent.clone(),
            },
            true,
        ),
    ] {
        if c.skip_unless(op) {
            continue;
        }
        c.run(cmd).await;
        c.server.party_answers("supervisor").await;
        let mut seen = None;
        for _ in 0..50 {
            seen = c.server.spying_on(&agent);
            if seen == Some(barge) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert_eq!(seen, Some(barge), "[{}] {op} on {agent}", c.vendor);
        if barge && c.barge_takes_over {
            c.until("the agent replaced by the supervisor", || {
                !c.server.other_agent_in_call()
            })
            .await;
            // Force hang-up needs a call the agent is still in.
            c.server.other_agent_talks("13700007878").await;
        }
    }
    if !c.skip_unless(Operation::Whisper) {
        let out = c
            .run(Command::Whisper {
                agent: agent.clone(),
            })
            .await;
        // Either the server whispers, or the supervisor is told how to (a key on the phone).
        assert!(
            out.message.is_some() || c.server.spying_on(&agent).is_some(),
            "[{}] whisper did something",
            c.vendor
        );
    }
    if !c.skip_unless(Operation::ForceRelease) {
        assert!(
            c.server.other_agent_in_call(),
            "[{}] {agent} still talks",
            c.vendor
        );
        c.run(Command::ForceRelease {
            agent: agent.clone(),
        })
        .await;
        c.until("the other agent's call ended", || {
            !c.server.other_agent_in_call()
        })
        .await;
    }
}

pub async fn hold_and_resume(c: &Column) {
    if c.skip_unless(Operation::Hold) {
        return;
    }
    let h = c.talking("13700008888").await;
    c.run(Command::Hold).await;
    c.wait("held", |s| s.state == AgentState::Held).await;
    c.until("the customer on hold", || c.server.customer_on_hold(&h))
        .await;
    c.run(Command::Resume).await;
    c.wait("talking again", |s| s.state == AgentState::Talking)
        .await;
    c.until("the customer back", || !c.server.customer_on_hold(&h))
        .await;
    let s = c.engine.snapshot();
    assert_eq!(s.calls.len(), 1, "[{}] one call", c.vendor);
    assert_eq!(s.calls[0].remote_number, "13700008888");
}

pub async fn send_dtmf(c: &Column) {
    if c.skip_unless(Operation::Dtmf) {
        return;
    }
    let h = c.talking("13700009191").await;
    c.run(Command::Dtmf {
        digits: "12*#".into(),
    })
    .await;
    c.until("the digits heard", || c.server.digits_heard(&h) == "12*#")
        .await;
    // Anything but digits, * and # is refused before anything is sent.
    let before = c.server.control_requests();
    let e = c
        .engine
        .execute(Command::Dtmf {
            digits: "1a".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput, "[{}]", c.vendor);
    assert_eq!(c.server.control_requests(), before, "[{}]", c.vendor);
    assert_eq!(c.server.digits_heard(&h), "12*#");
}

pub async fn consult_then_complete_transfer(c: &Column) {
    if c.skip_unless(Operation::Consult) || c.skip_unless(Operation::AttendedTransfer) {
        return;
    }
    c.talking("13700001212").await;
    let target = c.other_agent.clone();
    c.run(Command::Consult {
        target: target.clone(),
    })
    .await;
    c.wait("consulting", |s| s.state == AgentState::Consulting)
        .await;
    c.server.party_answers(&target).await;
    c.run_when_possible(Command::CompleteTransfer).await;
    c.wait("call handed over", |s| s.calls.is_empty()).await;
    c.until("the customer talks to the colleague", || {
        c.server.transferred_to(&target)
    })
    .await;
}

pub async fn caller_to_ivr(c: &Column) {
    if c.skip_unless(Operation::ToIvr) {
        return;
    }
    let h = c.talking("13700001313").await;
    c.run(Command::ToIvr {
        target: c.ivr.clone(),
    })
    .await;
    c.wait("agent free", |s| s.calls.is_empty()).await;
    c.until("the caller in the IVR", || {
        c.server.caller_in_ivr(&h, &c.ivr)
    })
    .await;
}

pub async fn unsupported_operations_are_refused_and_send_nothing(c: &Column) {
    c.signed_in().await;
    let before = c.server.control_requests();
    let caps = c.caps();
    let probes = [
        (Operation::Hold, Command::Hold),
        (Operation::Dtmf, Command::Dtmf { digits: "1".into() }),
        (Operation::Answer, Command::Answer { call: None }),
    ];
    for (op, cmd) in probes {
        if caps.supports(op) {
            continue;
        }
        let e = c.engine.execute(cmd).await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::NotSupported, "[{}] {op}", c.vendor);
        assert!(
            e.to_string().contains(&caps.why_not(op).unwrap()),
            "the error says why"
        );
    }
    assert_eq!(
        c.server.control_requests(),
        before,
        "[{}] refused commands sent nothing",
        c.vendor
    );
}

pub async fn wrap_up_after_a_call(c: &Column) {
    if c.skip_unless(Operation::WrapUp) {
        return;
    }
    let h = c.talking("13700006666").await;
    // Chosen during the call: queued, applied after wrap-up.
    c.run(Command::SetNotReady {
        reason: "meeting".into(),
    })
    .await;
    assert!(c.engine.snapshot().queued_presence.is_some());
    c.server.caller_hangs_up(&h).await;
    c.wait("wrap-up", |s| s.state == AgentState::WrapUp).await;
    let mut paused = None;
    for _ in 0..40 {
        paused = c.server.paused();
        if paused == Some(true) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(
        paused,
        Some(true),
        "[{}] no call routed during wrap-up",
        c.vendor
    );
    c.run(Command::FinishWrapUp).await;
    let s = c
        .wait("queued not-ready applied", |s| {
            matches!(s.state, AgentState::NotReady { .. })
        })
        .await;
    assert_eq!(
        s.state,
        AgentState::NotReady {
            reason: Some("meeting".into())
        }
    );
    assert_eq!(s.queued_presence, None);
}
