//! Checks only asterCC's interface allows, against the simulator: agent groups, pause reasons
//! in `AgentRealtime`'s counters, pushed events that arrive twice and out of order, internal
//! and external consults, supervision, and after-call work on the server (`ACW`, `ACWOFF`).

use super::astercc::{
    astercc_sim_config, column, column_with, ready_rig, AsterServer, AGENT, DID, OTHER_AGENT,
    OTHER_PHONE, PHONE, THIRD_PARTY,
};
use agentbar_astercc::client::Client;
use agentbar_astercc::config::HttpMethod;
use agentbar_astercc::protocol::{
    agent_realtime, parse_realtime, AcwMode, AgentNo, AgentRealtime, Credentials, OrgIdentity,
    Password, PwdType, StatusWord, UserType,
};
use agentbar_core::{AgentState, Command, EventKind, Operation, Presence, Support};
use agentbar_sim::astercc::push::PushFaults;
use agentbar_sim::astercc::Status;
use agentbar_tests::Rig;
use std::time::Duration;

/// `AgentRealtime` as the adapter reads it (seed 4.26).
async fn realtime(rig: &Rig) -> AgentRealtime {
    let creds = Credentials::new(
        OrgIdentity::parse("astercc").unwrap(),
        UserType::Agent,
        AgentNo::parse(AGENT).unwrap(),
        PwdType::Md5,
        &Password::new(format!("{AGENT}pw")),
    );
    let client = Client::new(
        &rig.server.url(),
        creds,
        HttpMethod::Post,
        Duration::from_secs(5),
        64 * 1024,
    )
    .unwrap();
    let reply = client.call(&agent_realtime()).await.unwrap();
    parse_realtime(&reply.message).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_checks_into_both_groups_and_calls_of_either_ring() {
    // Nobody else is checked in here, so a call through either group rings 8005.
    let rig = ready_rig(astercc_sim_config(), |_| {}).await;
    let srv = AsterServer::new(rig.sim());
    let q = srv.sent("QUEUE");
    assert_eq!(q[0].param("type"), Some("1"));
    assert_eq!(q[0].param("list"), Some("100,101"));
    let me = srv.me();
    assert!(me.logged_in);
    assert_eq!(me.status, Status::Idle);
    let groups: Vec<(&str, bool, bool)> = me
        .groups
        .iter()
        .map(|g| (g.id.as_str(), g.checked_in, g.paused))
        .collect();
    assert_eq!(groups, [("100", true, false), ("101", true, false)]);
    // The group admin of 100 (LOGIN's groupadmin=yes) is a supervisor.
    assert!(rig.snapshot().agent.supervisor);
    for (group, caller) in [("100", "13700005001"), ("101", "13700005002")] {
        let h = srv.front.incoming(caller, DID, group).unwrap();
        let s = rig
            .wait_for("ringing", super::scenarios::WAIT, |s| {
                s.calls.iter().any(|c| c.remote_number == caller)
            })
            .await;
        assert_eq!(s.calls[0].queue.as_deref(), Some(group), "AgentGroupId");
        rig.sim().caller_hangs_up(&h).unwrap();
        rig.wait_for("idle", super::scenarios::WAIT, |s| s.calls.is_empty())
            .await;
    }
    // Signing out leaves both groups.
    rig.running.engine.execute(Command::SignOut).await.unwrap();
    let me = srv.me();
    assert!(me.groups.iter().all(|g| !g.checked_in), "{:?}", me.groups);
    assert_eq!(me.status, Status::Logout);
    rig.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lunch_pause_shows_in_agent_realtime_counters() {
    let rig = ready_rig(astercc_sim_config(), |_| {}).await;
    let srv = AsterServer::new(rig.sim());
    let before = realtime(&rig).await;
    assert_eq!(before.state, StatusWord::Idle);
    assert_eq!(before.pause_counts.lunch, 0);
    rig.running
        .engine
        .execute(Command::SetNotReady {
            reason: "lunch".into(),
        })
        .await
        .unwrap();
    let s = rig
        .wait_for("not ready", super::scenarios::WAIT, |s| {
            matches!(s.state, AgentState::NotReady { .. })
        })
        .await;
    assert_eq!(
        s.state,
        AgentState::NotReady {
            reason: Some("lunch".into())
        }
    );
    let p = srv.sent("QUEUEPAUSE");
    assert_eq!(p.last().unwrap().param("type"), Some("1"));
    assert_eq!(p.last().unwrap().param("pause_reason"), Some("lunch"));
    // The simulator's counters ...
    let me = srv.me();
    assert_eq!(me.status, Status::Pause);
    assert_eq!(me.pause.as_ref().map(|p| p.reason.as_str()), Some("lunch"));
    assert_eq!(me.pauses.total_count, 1);
    assert_eq!(me.pauses.by_reason["lunch"].count, 1);
    assert_eq!(me.pauses.by_reason["rest"].count, 0);
    // ... and the same as the adapter reads them from AgentRealtime.
    let rt = realtime(&rig).await;
    assert_eq!(rt.number, AGENT);
    assert_eq!(rt.state, StatusWord::Pause);
    assert_eq!(rt.pause_count, 1);
    assert_eq!(rt.pause_counts.lunch, 1);
    assert_eq!(
        (
            rt.pause_counts.rest,
            rt.pause_counts.meeting,
            rt.pause_counts.other
        ),
        (0, 0, 0)
    );
    rig.running.engine.execute(Command::SetReady).await.unwrap();
    rig.wait_for("ready", super::scenarios::WAIT, |s| {
        s.state == AgentState::Ready
    })
    .await;
    let rt = realtime(&rig).await;
    assert_eq!(rt.state, StatusWord::Idle);
    assert_eq!(rt.pause_counts.lunch, 1, "a finished pause still counts");
    assert_eq!(rt.pause_durations.lunch, rt.pause_secs);
    rig.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_call_pops_once_from_events_pushed_twice_and_out_of_order() {
    let (c, rig) = column().await;
    c.signed_in().await;
    let srv = AsterServer::new(rig.sim());
    srv.front.set_push_faults(PushFaults {
        duplicate_next: 100,
        reorder_next: 100,
        ..PushFaults::default()
    });
    let mut events = c.engine.subscribe();
    let h = c.server.ring_agent("13700006006").await;
    c.wait("ringing", |s| s.state == AgentState::Ringing).await;
    c.server.agent_answers().await;
    c.wait("talking", |s| s.state == AgentState::Talking).await;
    c.server.caller_hangs_up(&h).await;
    c.wait("idle", |s| s.calls.is_empty()).await;
    // Every event of the call has been delivered, copies and held-back ones too.
    let sent = srv.front.events().len();
    c.until("every event delivered", || {
        srv.front
            .deliveries()
            .iter()
            .filter(|d| !d.duplicate)
            .count()
            >= sent
    })
    .await;
    let d = srv.front.deliveries();
    assert!(d.iter().any(|d| d.duplicate), "duplicates were sent");
    assert!(
        d.iter().any(|d| d.reordered),
        "events were sent out of order"
    );
    assert!(
        d.iter().all(|d| d.status == Some(200)),
        "the listener took them"
    );
    let mut offers = 0;
    let mut ended = 0;
    while let Ok(e) = events.try_recv() {
        match e.kind {
            EventKind::CallOffered { call } => {
                assert_eq!(call.remote_number, "13700006006");
                offers += 1;
            }
            EventKind::CallEnded { .. } => ended += 1,
            _ => {}
        }
    }
    assert_eq!((offers, ended), (1, 1), "one pop, one end");
    assert!(
        c.engine.snapshot().missed.is_empty(),
        "answered, not missed"
    );
    // Without faults the next call pops as usual, once wrap-up is done.
    srv.front.set_push_faults(PushFaults::default());
    c.run(Command::FinishWrapUp).await;
    c.wait("ready", |s| s.state == AgentState::Ready).await;
    c.server.ring_agent("13700006007").await;
    c.wait("the next call", |s| {
        s.calls.iter().any(|x| x.remote_number == "13700006007")
    })
    .await;
    rig.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_internal_consult_names_the_colleague_and_group_then_transfers() {
    let (c, rig) = column().await;
    let srv = AsterServer::new(rig.sim());
    let h = c.talking("13700007007").await;
    c.run(Command::Consult {
        target: OTHER_AGENT.into(),
    })
    .await;
    c.wait("consulting", |s| s.state == AgentState::Consulting)
        .await;
    let r = srv.sent("CONSULT");
    assert_eq!(r[0].param("consulttype"), Some("internal"));
    assert_eq!(r[0].param("targetdn"), Some(OTHER_AGENT));
    assert_eq!(r[0].param("agentgroupid"), Some("100"));
    assert!(
        c.server.customer_on_hold(&h),
        "the customer waits meanwhile"
    );
    // Too early: TRANSFER needs the colleague to have answered (4.10).
    let e = c
        .engine
        .execute(Command::CompleteTransfer)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("BackMsg_29"), "{e}");
    c.server.party_answers(OTHER_AGENT).await;
    c.run(Command::CompleteTransfer).await;
    c.wait("handed over", |s| s.calls.is_empty()).await;
    assert!(c.server.transferred_to(OTHER_AGENT));
    assert_eq!(
        srv.front.agent(OTHER_AGENT).unwrap().status,
        Status::Busy,
        "the colleague talks to the customer"
    );
    rig.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_external_consult_is_taken_back_then_conferenced() {
    let (c, rig) = column().await;
    let srv = AsterServer::new(rig.sim());
    let h = c.talking("13700008008").await;
    // Consult an outside number, then take the customer back (CALLRETURN).
    c.run(Command::Consult {
        target: THIRD_PARTY.into(),
    })
    .await;
    c.wait("consulting", |s| s.state == AgentState::Consulting)
        .await;
    c.server.party_answers(THIRD_PARTY).await;
    c.run(Command::TakeBack).await;
    let s = c
        .wait("back with the customer", |s| {
            s.state == AgentState::Talking && s.calls[0].consult_party.is_none()
        })
        .await;
    assert_eq!(s.calls[0].remote_number, "13700008008");
    c.until("the customer off hold", || !c.server.customer_on_hold(&h))
        .await;
    c.until("the outside party gone", || {
        !rig.sim()
            .channels()
            .iter()
            .any(|x| x.callerid == THIRD_PARTY && !x.hungup)
    })
    .await;
    // The consult's end reaches the session before the next consult starts.
    srv.pushed().await;
    // Consult again, then conference the three.
    c.run(Command::Consult {
        target: THIRD_PARTY.into(),
    })
    .await;
    c.wait("consulting", |s| s.state == AgentState::Consulting)
        .await;
    c.server.party_answers(THIRD_PARTY).await;
    c.run(Command::Conference { target: None }).await;
    c.wait("three in conference", |s| {
        s.state == AgentState::Conference && s.calls[0].conference.len() == 3
    })
    .await;
    assert_eq!(c.server.conference_size(), 3);
    let consults = srv.sent("CONSULT");
    assert_eq!(consults.len(), 2);
    for r in &consults {
        assert_eq!(r.param("consulttype"), Some("external"));
        assert_eq!(r.param("agentgroupid"), Some("0"));
    }
    assert_eq!(srv.sent("CALLRETURN").len(), 1);
    // The outside party leaves: agent and customer talk on.
    rig.sim().hangup_party(THIRD_PARTY).unwrap();
    c.wait("two again", |s| s.state == AgentState::Talking)
        .await;
    rig.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_supervisor_whispers_then_barges_then_force_releases() {
    let (c, rig) = column().await;
    let srv = AsterServer::new(rig.sim());
    c.signed_in().await;
    c.server.other_agent_talks("13700009009").await;
    let spy = || {
        rig.sim()
            .spies()
            .into_iter()
            .rev()
            .find(|s| s.target_exten == OTHER_PHONE)
    };
    let out = c
        .run(Command::Whisper {
            agent: OTHER_AGENT.into(),
        })
        .await;
    assert!(
        out.message.is_some(),
        "the supervisor is told the phone rings"
    );
    let w = srv.sent("Whisper");
    assert_eq!(w[0].param("target"), Some(OTHER_AGENT));
    srv.answer(PHONE).await;
    c.until("whispering", || spy().is_some_and(|s| s.whisper))
        .await;
    c.run(Command::Barge {
        agent: OTHER_AGENT.into(),
    })
    .await;
    // The whisper is left first (HANGUP target=groupadmin, 4.13), then INTRUDE.
    let acts: Vec<String> = rig
        .sim()
        .requests()
        .into_iter()
        .filter(|r| r.param("user") == Some(AGENT))
        .filter(|r| ["HANGUP", "INTRUDE"].contains(&r.endpoint.to_ascii_uppercase().as_str()))
        .map(|r| {
            format!(
                "{}:{}:{}",
                r.endpoint.to_ascii_uppercase(),
                r.param("target").unwrap_or_default(),
                r.param("targetagent").unwrap_or_default()
            )
        })
        .collect();
    assert_eq!(
        acts,
        [
            format!("HANGUP:groupadmin:{OTHER_AGENT}"),
            format!("INTRUDE:{OTHER_AGENT}:")
        ]
    );
    srv.answer(PHONE).await;
    c.until("barging", || {
        spy().is_some_and(|s| s.mode == agentbar_sim::model::SpyMode::Barge)
    })
    .await;
    c.run(Command::ForceRelease {
        agent: OTHER_AGENT.into(),
    })
    .await;
    c.until("the colleague's call ended", || {
        !c.server.other_agent_in_call()
    })
    .await;
    assert_eq!(srv.sent("ForcedRelease").len(), 1);
    rig.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_call_work_in_answer_mode_ends_with_acwoff() {
    let (c, rig) = column_with(|cfg| {
        if let Some(a) = cfg.astercc.as_mut() {
            a.acw = Some(AcwMode::Answer);
        }
    })
    .await;
    let srv = AsterServer::new(rig.sim());
    c.signed_in().await;
    let caps = c.engine.snapshot().capabilities;
    assert_eq!(caps.support(Operation::WrapUp), Support::Server);
    let acw = srv.sent("ACW");
    assert_eq!(acw[0].param("type"), Some("2"), "answer mode");
    assert_eq!(acw[0].param("agent_group_id"), Some("100,101"));
    assert!(srv.me().groups.iter().all(|g| g.acw_mode == "answer"));
    // A call that only rang: no after-call work in answer mode (4.5 应答话后).
    let h = c.server.ring_agent("13700001010").await;
    c.wait("ringing", |s| s.state == AgentState::Ringing).await;
    c.server.caller_hangs_up(&h).await;
    c.wait("missed", |s| !s.missed.is_empty()).await;
    assert!(!srv.me().acw, "no after-call work after an unanswered call");
    // An answered call: the server puts the agent into after-call work.
    let h = c.talking("13700001011").await;
    c.server.caller_hangs_up(&h).await;
    c.wait("wrap-up", |s| s.state == AgentState::WrapUp).await;
    c.until("after-call work on the server", || srv.me().acw)
        .await;
    assert_eq!(srv.me().status, Status::Acw);
    assert_eq!(
        c.server.paused(),
        Some(true),
        "no call is offered meanwhile"
    );
    assert!(srv.sent("ACWOFF").is_empty());
    c.run(Command::FinishWrapUp).await;
    c.wait("ready", |s| s.state == AgentState::Ready).await;
    c.until("after-call work ended on the server", || !srv.me().acw)
        .await;
    assert_eq!(srv.sent("ACWOFF").len(), 1);
    assert_eq!(srv.me().status, Status::Idle);
    assert_eq!(c.server.paused(), Some(false));
    assert_eq!(c.engine.snapshot().presence, Presence::Ready);
    rig.stop().await;
}
