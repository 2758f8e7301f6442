//! Smoke test: the whole app (real `tauri.conf.json`, capabilities, commands and bridge) on
//! Tauri's mock runtime, over a real engine driving a fake vendor. Calls go through the mock
//! IPC, as the webview's `invoke` would send them.

use agentbar_core::clock::SystemClock;
use agentbar_core::config::EngineConfig;
use agentbar_core::testing::FakeVendor;
use agentbar_core::{Engine, EngineHandle};
use agentbar_desktop::{bridge, context, run_app, Backend};
use serde_json::{json, Value};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, MockRuntime, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{App, Listener, Manager, WebviewWindow};

const WAIT: Duration = Duration::from_secs(5);

/// An engine on Tauri's runtime, where the app's commands and bridge run too.
fn fake_engine() -> EngineHandle {
    tauri::async_runtime::block_on(async {
        Engine::spawn(
            Arc::new(FakeVendor::default()),
            EngineConfig::default(),
            Arc::new(SystemClock),
        )
    })
}

fn app(backend: Backend) -> (App<MockRuntime>, WebviewWindow<MockRuntime>) {
    let mut app = run_app(mock_builder(), context(), backend).expect("the app builds");
    // One turn of the (mock) event loop runs setup as `App::run` would: it creates the config's
    // windows and starts the bridge. Deprecated only because calling it in a loop busy-waits.
    #[allow(deprecated)]
    app.run_iteration(|_, _| {});
    let bar = app
        .get_webview_window("bar")
        .expect("tauri.conf.json declares the `bar` window");
    (app, bar)
}

/// Sends one IPC call as the page's `invoke(cmd, args)` would.
fn invoke(bar: &WebviewWindow<MockRuntime>, cmd: &str, args: Value) -> Result<Value, Value> {
    get_ipc_response(
        bar,
        InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost".parse().unwrap(),
            body: InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        },
    )
    .map(|body| body.deserialize::<Value>().expect("a JSON answer"))
}

fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + WAIT;
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn get_snapshot_and_execute_reach_the_engine() {
    let engine = fake_engine();
    let (app, bar) = app(Backend::Running(engine.clone()));

    // The bridge forwards snapshots and events; listen as a second window would.
    let (snap_tx, snap_rx) = mpsc::channel::<Value>();
    app.listen_any(bridge::SNAPSHOT_EVENT, move |e| {
        let _ = snap_tx.send(serde_json::from_str(e.payload()).unwrap());
    });
    let (ev_tx, ev_rx) = mpsc::channel::<Value>();
    app.listen_any(bridge::ENGINE_EVENT, move |e| {
        let _ = ev_tx.send(serde_json::from_str(e.payload()).unwrap());
    });

    let snap = invoke(&bar, "get_snapshot", json!({})).expect("get_snapshot answers");
    assert_eq!(snap["vendor"], "fake");
    assert_eq!(snap["agent"]["id"], "8005");
    assert_eq!(snap["agent"]["name"], "张三");
    assert_eq!(snap["state"]["state"], "signed_out");

    let outcome = invoke(&bar, "execute", json!({ "command": { "op": "sign_in" } }))
        .expect("sign_in succeeds");
    assert!(
        outcome.get("message").is_some(),
        "a CommandOutcome: {outcome}"
    );

    wait_for("the ready state", || {
        invoke(&bar, "get_snapshot", json!({})).unwrap()["state"]["state"] == "ready"
    });
    wait_for("a forwarded ready snapshot", || {
        snap_rx
            .try_iter()
            .any(|s| s["presence"]["presence"] == "ready")
    });
    wait_for("a forwarded command_succeeded event", || {
        ev_rx
            .try_iter()
            .any(|e| e["type"] == "command_succeeded" && e["command"] == "sign_in")
    });

    // A refused command comes back as the core's ErrorInfo, not a string.
    let err = invoke(&bar, "execute", json!({ "command": { "op": "hold" } }))
        .expect_err("the fake server cannot hold");
    assert_eq!(err["code"], "not_supported", "{err}");
    assert!(err["message"].as_str().is_some_and(|m| !m.is_empty()));

    tauri::async_runtime::block_on(engine.shutdown());
}

#[test]
fn without_an_engine_commands_answer_the_startup_error() {
    let backend = Backend::from_start(Err("engine runner not wired yet".into()));
    let (_app, bar) = app(backend);

    let err = invoke(&bar, "get_snapshot", json!({})).expect_err("no engine");
    assert_eq!(
        err,
        json!({ "code": "stopped", "message": "engine runner not wired yet" })
    );
    let err =
        invoke(&bar, "execute", json!({ "command": { "op": "sign_in" } })).expect_err("no engine");
    assert_eq!(err["code"], "stopped");
}
