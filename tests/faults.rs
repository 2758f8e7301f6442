//! Faults from the simulator's fault injection: the session says what is wrong, keeps
//! running, recovers by itself, and never pops a call twice or logs a secret.

use agentbar_core::{AgentState, Connection, Presence};
use agentbar_sim::model::IncomingSpec;
use agentbar_sim::Faults;
use agentbar_tests::{is_offer_from, sim_config, Rig};
use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

const WAIT: Duration = Duration::from_secs(15);

/// Everything logged by this test binary, to check what a log line says (and never says).
fn log_buffer() -> Arc<Mutex<Vec<u8>>> {
    static BUF: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
    BUF.get_or_init(|| {
        let buf = Arc::new(Mutex::new(Vec::new()));
        let w = buf.clone();
        let _ = tracing_subscriber::fmt()
            .with_env_filter("debug,hyper=warn,reqwest=warn,h2=warn")
            .with_ansi(false)
            .with_writer(move || LogWriter(w.clone()))
            .try_init();
        buf
    })
    .clone()
}

struct LogWriter(Arc<Mutex<Vec<u8>>>);

impl Write for LogWriter {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn logged() -> String {
    String::from_utf8_lossy(&log_buffer().lock().unwrap()).into_owned()
}

fn assert_no_secret_logged() {
    let log = logged();
    let key = sim_config().web_key.0;
    assert!(!log.contains(&key), "the web key was logged");
    let today = chrono_today();
    let daily = agentbar_mvb2000::protocol::webkey(&key, today);
    assert!(!log.contains(&daily), "the day's webkey was logged");
}

fn chrono_today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

async fn ready_rig() -> Rig {
    log_buffer();
    let rig = Rig::start(sim_config(), |c| {
        c.engine.poll_interval_ms = 300;
        c.engine.backoff_max_ms = 4_000;
    })
    .await;
    rig.wait_for("signed in", WAIT, |s| {
        s.presence == Presence::Ready && s.connection == Connection::Connected
    })
    .await;
    rig
}

fn reason(c: &Connection) -> String {
    match c {
        Connection::Reconnecting { reason, .. } | Connection::Failed { reason } => reason.clone(),
        _ => String::new(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_down_for_30s_then_back_recovers_without_a_second_pop() {
    let rig = ready_rig().await;
    let events = rig.events().await;
    rig.sim()
        .incoming_call(IncomingSpec::to_queue("13800138000", "4000820188", "5090"))
        .unwrap();
    events.wait("pop", WAIT, is_offer_from("13800138000")).await;
    rig.sim().answer("2011").unwrap();
    rig.wait_for("talking", WAIT, |s| s.state == AgentState::Talking)
        .await;

    let down_at = Instant::now();
    rig.server.pause().await;
    let s = rig
        .wait_for("reconnecting", WAIT, |s| {
            matches!(s.connection, Connection::Reconnecting { .. })
        })
        .await;
    assert_eq!(s.state, AgentState::Reconnecting);
    assert!(!reason(&s.connection).is_empty());
    // Backoff: attempts keep coming, further apart, while the server is away.
    tokio::time::sleep(Duration::from_secs(30).saturating_sub(down_at.elapsed())).await;
    let s = rig.snapshot();
    match s.connection {
        Connection::Reconnecting {
            attempt,
            retry_in_ms,
            ..
        } => {
            assert!(attempt >= 4, "retried {attempt} times in 30 s");
            assert_eq!(retry_in_ms, 4_000, "backoff reached its cap");
        }
        other => panic!("still down, but connection is {other:?}"),
    }
    assert_eq!(s.calls.len(), 1, "the call is kept while reconnecting");

    rig.server.resume().await.unwrap();
    let s = rig
        .wait_for("recovered", WAIT, |s| s.connection == Connection::Connected)
        .await;
    assert_eq!(s.state, AgentState::Talking);
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(
        events.count(is_offer_from("13800138000")),
        1,
        "no second pop after recovery"
    );
    assert!(
        logged().contains("server poll failed"),
        "the outage is in the log"
    );
    assert_no_secret_logged();
    rig.stop().await;
}

/// Injects `faults`, expects the session to report `expect` in its connection state, and
/// then to recover and keep working.
async fn fault_then_recovery(faults: Faults, expect: &str) {
    let rig = ready_rig().await;
    rig.sim().set_faults(faults);
    let s = rig
        .wait_for(expect, WAIT, |s| reason(&s.connection).contains(expect))
        .await;
    assert_eq!(s.state, AgentState::Reconnecting);
    rig.sim().set_faults(Faults::default());
    rig.wait_for("recovered", WAIT, |s| {
        s.connection == Connection::Connected && s.state == AgentState::Ready
    })
    .await;
    // Still a working session.
    let (status, body) = rig
        .command(serde_json::json!({"op": "set_not_ready", "reason": "rest"}))
        .await;
    assert_eq!(status, 200, "{body}");
    assert!(logged().contains(expect), "{expect:?} is in the log");
    assert_no_secret_logged();
    rig.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_xml_is_a_clear_error_and_the_session_recovers() {
    fault_then_recovery(
        Faults {
            malformed_next: 1000,
            ..Faults::default()
        },
        "malformed",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversized_body_is_refused_and_the_session_recovers() {
    fault_then_recovery(
        Faults {
            oversized_next: 1000,
            oversized_bytes: 4 * 1024 * 1024,
            ..Faults::default()
        },
        "larger than",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http_503_and_dropped_connections_are_transport_errors() {
    fault_then_recovery(
        Faults {
            error_next: 1000,
            error_status: 503,
            ..Faults::default()
        },
        "HTTP status 503",
    )
    .await;
    fault_then_recovery(
        Faults {
            drop_next: 1000,
            ..Faults::default()
        },
        "server unreachable",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gbk_bodies_are_decoded() {
    let rig = ready_rig().await;
    rig.sim().set_faults(Faults {
        gbk: true,
        ..Faults::default()
    });
    let mut spec = IncomingSpec::to_queue("13912345678", "4000820188", "5090");
    spec.caller_name = "王小明".into();
    spec.area.city = "青岛".into();
    spec.area.province = "山东".into();
    rig.sim().incoming_call(spec).unwrap();
    let s = rig
        .wait_for("GBK pop with details", WAIT, |s| {
            s.calls
                .first()
                .is_some_and(|c| c.area.as_ref().and_then(|a| a.city.as_deref()) == Some("青岛"))
        })
        .await;
    let call = &s.calls[0];
    assert_eq!(call.remote_name.as_deref(), Some("王小明"));
    assert_eq!(
        call.area.as_ref().unwrap().province.as_deref(),
        Some("山东")
    );
    assert_eq!(s.connection, Connection::Connected);
    rig.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_date_a_day_ahead_is_reported_as_clock_skew_and_tolerated() {
    let rig = ready_rig().await;
    rig.sim().clock().set_offset(chrono::Duration::days(1));
    let s = rig
        .wait_for("skew warning", WAIT, |s| {
            s.warnings.iter().any(|w| w.code == "clock_skew")
        })
        .await;
    assert_eq!(
        s.connection,
        Connection::Connected,
        "the neighbouring date was accepted"
    );
    assert!(logged().contains("clock skew"));
    // Two days off: refused for every date tried, reported as an auth failure, not a crash.
    rig.sim().clock().set_offset(chrono::Duration::days(3));
    let s = rig
        .wait_for("auth failure", WAIT, |s| {
            matches!(s.connection, Connection::Failed { .. })
        })
        .await;
    assert!(
        reason(&s.connection).contains("web key refused"),
        "{:?}",
        s.connection
    );
    rig.sim().clock().set_offset(chrono::Duration::zero());
    rig.wait_for("recovered", Duration::from_secs(20), |s| {
        s.connection == Connection::Connected
    })
    .await;
    assert_no_secret_logged();
    rig.stop().await;
}
