//! The `CALL_THIRD` state machine (seed sec 11 to 13): trying → ringing → answered on paused
//! time, 603 and 404, resume / transfer / conference, and the third party's state as a real
//! `HTTP/1.1 180 Ringing` status line on the wire, read with a raw TCP stream.

mod guoxin_common;

use std::time::Duration;

use agentbar_sim::guoxin;
use agentbar_sim::model::{ChannelState, IncomingSpec, Location};
use agentbar_sim::{Faults, Sim};
use axum::body::Body;
use axum::http::Request;
use guoxin_common::{config, raw_exchange, G};
use tower::ServiceExt;

const STATE: &str = "callee=801&opt=CALL_THIRD_GET_THIRD_STATE";

/// Lets spawned timers run after an `advance`.
async fn settle() {
    for _ in 0..20 {
        tokio::task::yield_now().await;
    }
}

/// The status of `/bridge/callctrl?<query>` served in process (no connection, so 1xx statuses
/// come back as they are).
async fn status(sim: &Sim, query: &str) -> u16 {
    let req = Request::get(format!("/bridge/callctrl?{query}"))
        .body(Body::empty())
        .unwrap();
    agentbar_sim::server::app(sim.clone())
        .oneshot(req)
        .await
        .unwrap()
        .status()
        .as_u16()
}

/// A sim where customer 13500000000 talks with extension 801, and `CALL_THIRD` tries for
/// `trying_ms`.
fn talking(trying_ms: u64) -> Sim {
    let mut cfg = config();
    cfg.guoxin.third_trying_ms = trying_ms;
    let sim = Sim::new(cfg);
    sim.incoming_call(IncomingSpec::to_extension("13500000000", "", "801"))
        .unwrap();
    sim.answer("801").unwrap();
    sim
}

fn customer(sim: &Sim) -> agentbar_sim::model::Channel {
    sim.channels_of("Zap/g0")
        .into_iter()
        .find(|c| c.callerid == "13500000000")
        .unwrap()
}

#[tokio::test(start_paused = true)]
async fn trying_then_ringing_then_answered_then_resume() {
    let sim = talking(500);
    let h = guoxin::handle(&sim).unwrap();
    assert_eq!(
        status(&sim, "callee=801&target=802&opt=CALL_THIRD").await,
        200
    );
    assert_eq!(status(&sim, STATE).await, 100);
    assert_eq!(h.third("801").unwrap().word, "trying");
    assert!(sim.channels_of("SIP/802").is_empty(), "not ringing yet");
    assert_eq!(
        customer(&sim).location,
        Location::App {
            context: "guoxin-hold".into(),
            exten: "moh".into()
        },
        "the customer hears music"
    );

    tokio::time::advance(Duration::from_millis(500)).await;
    settle().await;
    assert_eq!(status(&sim, STATE).await, 180);
    assert_eq!(sim.channels_of("SIP/802")[0].state, ChannelState::Ringing);
    assert_eq!(h.third("801").unwrap().word, "ringing");

    sim.answer("802").unwrap();
    assert_eq!(status(&sim, STATE).await, 200);
    let agent = &sim.channels_of("SIP/801")[0];
    let third = &sim.channels_of("SIP/802")[0];
    assert!(agent.linked);
    assert_eq!(agent.peer.as_deref(), Some(third.name.as_str()));

    assert_eq!(status(&sim, "callee=801&opt=CALL_THIRD_RESUME").await, 200);
    assert!(
        sim.channels_of("SIP/802").is_empty(),
        "the third party is dropped"
    );
    let agent = &sim.channels_of("SIP/801")[0];
    assert_eq!(agent.peer.as_deref(), Some(customer(&sim).name.as_str()));
    assert!(agent.linked);
    assert_eq!(status(&sim, STATE).await, 404);
    assert!(h.thirds().is_empty());
}

#[tokio::test(start_paused = true)]
async fn busy_rejecting_ringing_out_or_leaving_third_parties_read_603() {
    // Busy: an extension in a call.
    let sim = talking(100);
    sim.incoming_call(IncomingSpec::to_extension("13600000000", "", "802"))
        .unwrap();
    sim.answer("802").unwrap();
    status(&sim, "callee=801&target=802&opt=CALL_THIRD").await;
    tokio::time::advance(Duration::from_millis(100)).await;
    settle().await;
    assert_eq!(status(&sim, STATE).await, 603);
    assert_eq!(
        status(&sim, "callee=801&opt=CALL_THIRD_TRANSFER").await,
        404
    );
    assert_eq!(status(&sim, "callee=801&opt=CALL_THIRD_RESUME").await, 200);
    assert!(sim.channels_of("SIP/801")[0].linked);

    // Rejected while ringing.
    let sim = talking(0);
    status(&sim, "callee=801&target=802&opt=CALL_THIRD").await;
    assert_eq!(status(&sim, STATE).await, 180);
    sim.hangup_party("802").unwrap();
    assert_eq!(status(&sim, STATE).await, 603);
    assert_eq!(sim.channels_of("SIP/801").len(), 1, "the agent stays");

    // Rings out.
    let sim = talking(0);
    status(&sim, "callee=801&target=13900000000&opt=CALL_THIRD").await;
    let leg = sim
        .channels_of("Zap/g0")
        .into_iter()
        .find(|c| c.callerid == "13900000000")
        .unwrap();
    sim.ring_timeout(&leg.name).unwrap();
    assert_eq!(status(&sim, STATE).await, 603);

    // Answers, then hangs up.
    let sim = talking(0);
    status(&sim, "callee=801&target=802&opt=CALL_THIRD").await;
    sim.answer("802").unwrap();
    assert_eq!(status(&sim, STATE).await, 200);
    sim.hangup_party("802").unwrap();
    assert_eq!(status(&sim, STATE).await, 603);
    assert_eq!(sim.channels_of("SIP/801").len(), 1, "the agent stays");
    assert_eq!(status(&sim, "callee=801&opt=CALL_THIRD_RESUME").await, 200);

    // Not registered.
    let sim = talking(0);
    guoxin::handle(&sim)
        .unwrap()
        .set_registered("802", false)
        .unwrap();
    status(&sim, "callee=801&target=802&opt=CALL_THIRD").await;
    assert_eq!(status(&sim, STATE).await, 603);
}

#[tokio::test]
async fn transfer_while_ringing_and_when_answered() {
    let sim = talking(0);
    status(&sim, "callee=801&target=802&opt=CALL_THIRD").await;
    assert_eq!(
        status(&sim, "callee=801&opt=CALL_THIRD_TRANSFER").await,
        200
    );
    assert!(sim.channels_of("SIP/801").is_empty(), "the agent left");
    assert_eq!(status(&sim, STATE).await, 404);
    assert_eq!(customer(&sim).location, Location::Call);
    sim.answer("802").unwrap();
    let third = &sim.channels_of("SIP/802")[0];
    assert!(third.linked);
    assert_eq!(third.peer.as_deref(), Some(customer(&sim).name.as_str()));

    let sim = talking(0);
    status(&sim, "callee=801&target=802&opt=CALL_THIRD").await;
    sim.answer("802").unwrap();
    assert_eq!(
        status(&sim, "callee=801&opt=CALL_THIRD_TRANSFER").await,
        200
    );
    assert!(sim.channels_of("SIP/801").is_empty());
    let third = &sim.channels_of("SIP/802")[0];
    assert!(third.linked);
    assert_eq!(third.peer.as_deref(), Some(customer(&sim).name.as_str()));
    // A hang-up now ends the call as usual.
    sim.hangup_party("13500000000").unwrap();
    assert!(sim.channels().is_empty());
}

#[tokio::test]
async fn the_agent_leaving_ends_it_all_and_the_customer_leaving_leaves_a_plain_call() {
    let sim = talking(0);
    status(&sim, "callee=801&target=802&opt=CALL_THIRD").await;
    sim.hangup_party("801").unwrap();
    assert!(sim.channels().is_empty(), "{:?}", sim.channels());
    assert_eq!(status(&sim, STATE).await, 404);

    let sim = talking(0);
    status(&sim, "callee=801&target=802&opt=CALL_THIRD").await;
    sim.answer("802").unwrap();
    sim.hangup_party("13500000000").unwrap();
    assert_eq!(status(&sim, STATE).await, 404);
    let agent = &sim.channels_of("SIP/801")[0];
    assert!(agent.linked);
    sim.hangup_party("802").unwrap();
    assert!(sim.channels().is_empty(), "the plain call ended together");
}

#[tokio::test]
async fn a_real_180_status_line_on_the_wire_then_close() {
    let mut cfg = config();
    cfg.guoxin.third_trying_ms = 0;
    let g = G::new(cfg).await;
    g.talk("13500000000", "801");
    assert_eq!(g.code("callee=801&target=802&opt=CALL_THIRD").await, 200);
    let req = format!("GET /bridge/callctrl?{STATE} HTTP/1.1\r\nHost: sim\r\n\r\n");
    let wire = g.raw(&req).await;
    assert_eq!(wire, "HTTP/1.1 180 Ringing\r\nConnection: close\r\n\r\n");

    // The same on a kept-alive connection, after an ordinary answer.
    let first = "GET /bridge/jsoncfg?opt=EXTNUM_STATE HTTP/1.1\r\nHost: sim\r\n\r\n";
    let wire = raw_exchange(g.server.local_addr(), &[first, &req]).await;
    assert!(wire.starts_with("HTTP/1.1 200 OK\r\n"), "{wire}");
    assert!(
        wire.ends_with("}]HTTP/1.1 180 Ringing\r\nConnection: close\r\n\r\n"),
        "{wire}"
    );

    // An ordinary client reads the final states as usual.
    g.sim.answer("802").unwrap();
    assert_eq!(g.code(STATE).await, 200);
    g.sim.hangup_party("802").unwrap();
    let r = g
        .http
        .get(format!("{}/bridge/callctrl?{STATE}", g.server.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 603);
    assert_eq!(r.status().canonical_reason(), None);
}

#[tokio::test]
async fn a_real_100_status_line_while_trying() {
    let mut cfg = config();
    cfg.guoxin.third_trying_ms = 60_000;
    let g = G::new(cfg).await;
    g.talk("13500000000", "801");
    g.code("callee=801&target=802&opt=CALL_THIRD").await;
    let wire = g
        .raw(&format!(
            "GET /bridge/callctrl?{STATE} HTTP/1.1\r\nHost: sim\r\n\r\n"
        ))
        .await;
    assert_eq!(wire, "HTTP/1.1 100 Trying\r\nConnection: close\r\n\r\n");
    // The control API shows the state machine.
    let v: serde_json::Value = g
        .http
        .get(format!("{}/_sim/guoxin/third", g.server.url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(v[0]["extension"], "801");
    assert_eq!(v[0]["target"], "802");
    assert_eq!(v[0]["state"], 100);
    assert_eq!(v[0]["word"], "trying");
}

#[tokio::test]
async fn the_sims_faults_apply_to_the_raw_path_too() {
    let g = G::default().await;
    g.talk("13500000000", "801");
    g.code("callee=801&target=802&opt=CALL_THIRD").await;
    g.sim.set_faults(Faults {
        error_status: 503,
        error_next: 1,
        ..Faults::default()
    });
    let req =
        format!("GET /bridge/callctrl?{STATE} HTTP/1.1\r\nHost: sim\r\nConnection: close\r\n\r\n");
    let wire = g.raw(&req).await;
    assert!(
        wire.starts_with("HTTP/1.1 503 Service Unavailable\r\n"),
        "{wire}"
    );
    g.sim.set_faults(Faults {
        drop_next: 1,
        ..Faults::default()
    });
    assert_eq!(g.raw(&req).await, "", "dropped without an answer");
    assert!(g.raw(&req).await.starts_with("HTTP/1.1 180 Ringing\r\n"));
}
