//! Bad input from a Guoxin server or from whoever reaches the push listener: a status code
//! the seed does not list, an EXTNUM_STATE answer that is not JSON, a pop notice with fields
//! missing. Each is refused with a clear error, and the session goes on: a later call still
//! pops.

use super::guoxin::{guoxin_sim_config, ready_rig, GuoxinServer, DID, RING_GROUP};
use super::scenarios::WAIT;
use agentbar_core::{Command, Connection, EventKind, Presence};
use agentbar_sim::Faults;
use agentbar_tests::Rig;

/// A customer calls and the call pops, once; then hangs up.
async fn a_call_still_pops(rig: &Rig, caller: &str) {
    let srv = GuoxinServer::new(rig.sim());
    let mut events = rig.running.engine.subscribe();
    let h = srv.front.incoming(caller, DID, RING_GROUP).unwrap();
    rig.wait_for("the call pops", WAIT, |s| {
        s.calls.iter().any(|c| c.remote_number == caller)
    })
    .await;
    rig.sim().caller_hangs_up(&h).unwrap();
    rig.wait_for("the call ends", WAIT, |s| s.calls.is_empty())
        .await;
    let mut offers = 0;
    while let Ok(e) = events.try_recv() {
        if matches!(e.kind, EventKind::CallOffered { .. }) {
            offers += 1;
        }
    }
    assert_eq!(offers, 1, "exactly one pop");
}

async fn connected_and_ready(rig: &Rig) {
    rig.wait_for("connected and ready", WAIT, |s| {
        s.connection == Connection::Connected && s.presence == Presence::Ready
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_status_code_the_seed_does_not_list_is_refused_and_the_session_goes_on() {
    let rig = ready_rig(guoxin_sim_config(), |c| c.engine.backoff_max_ms = 1_000).await;
    let engine = rig.running.engine.clone();
    // The fault answers the next request, which may be a poll: try until the command gets it.
    let deadline = tokio::time::Instant::now() + WAIT;
    let e = loop {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the 418 never reached a command"
        );
        connected_and_ready(&rig).await;
        rig.sim().set_faults(Faults {
            error_status: 418,
            error_next: 1,
            ..Faults::default()
        });
        let r = engine
            .execute(Command::SetNotReady {
                reason: "rest".into(),
            })
            .await;
        rig.sim().set_faults(Faults::default());
        match r {
            Err(e) => break e,
            Ok(_) => {
                engine.execute(Command::SetReady).await.unwrap();
            }
        }
    };
    assert!(e.to_string().contains("418"), "names the code: {e}");
    connected_and_ready(&rig).await;
    a_call_still_pops(&rig, "13700003001").await;
    rig.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_extnum_state_that_is_not_json_is_survived() {
    let rig = ready_rig(guoxin_sim_config(), |c| c.engine.backoff_max_ms = 1_000).await;
    let srv = GuoxinServer::new(rig.sim());
    let polls = srv.sent("EXTNUM_STATE").len();
    // The simulator cuts the next answers in half: the status table is no longer JSON.
    rig.sim().set_faults(Faults {
        malformed_next: 3,
        ..Faults::default()
    });
    let deadline = tokio::time::Instant::now() + WAIT;
    while srv.sent("EXTNUM_STATE").len() < polls + 3 {
        assert!(tokio::time::Instant::now() < deadline, "polls stopped");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    rig.sim().set_faults(Faults::default());
    connected_and_ready(&rig).await;
    a_call_still_pops(&rig, "13700003002").await;
    rig.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pop_notice_with_fields_missing_is_refused_and_the_session_goes_on() {
    let rig = ready_rig(guoxin_sim_config(), |_| {}).await;
    let push = rig.running.push_addr.expect("push listener");
    let url = format!("http://{push}/push/guoxin");
    for (what, query) in [
        (
            "no callee, no state",
            "id=abc%40127.0.0.1&caller=13700003003",
        ),
        ("no id", "caller=13700003003&callee=2011&state=ring"),
        ("nothing", ""),
    ] {
        let r = rig
            .http
            .get(format!("{url}?{query}"))
            .send()
            .await
            .expect("the push listener answers");
        let status = r.status().as_u16();
        let body = r.text().await.unwrap_or_default();
        assert!(
            (400..500).contains(&status),
            "{what}: refused, not {status} {body}"
        );
        assert!(!body.is_empty(), "{what}: says why");
    }
    assert!(rig.snapshot().calls.is_empty(), "nothing popped");
    connected_and_ready(&rig).await;
    a_call_still_pops(&rig, "13700003004").await;
    rig.stop().await;
}
