//! Smoke test: the whole app (real `tauri.conf.json`, capabilities, commands and bridge) on
//! Tauri's mock runtime, over a real engine driving a fake vendor. Calls go through the mock
//! IPC, as the webview's `invoke` would send them.

use agentbar_core::clock::SystemClock;
use agentbar_core::config::EngineConfig;
use agentbar_core::testing::FakeVendor;
use agentbar_core::{Engine, EngineHandle};
use agentbar_desktop::{bridge, context, run_app, run_app_with, AppOptions, Backend};
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
    started(run_app(mock_builder(), context(), backend).expect("the app builds"))
}

/// The app with its settings in a fresh temporary folder.
fn app_in(
    backend: Backend,
    dir: &std::path::Path,
) -> (App<MockRuntime>, WebviewWindow<MockRuntime>) {
    let options = AppOptions {
        config_dir: Some(dir.to_path_buf()),
        desktop: false,
        ..AppOptions::default()
    };
    started(
        run_app_with(mock_builder(), context(), Some(backend), options).expect("the app builds"),
    )
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("agentbar-smoke-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

fn started(mut app: App<MockRuntime>) -> (App<MockRuntime>, WebviewWindow<MockRuntime>) {
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
    let (app, bar) = app(Backend::running(engine.clone(), None));

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

#[test]
fn settings_round_trip_through_the_config_folder() {
    let dir = temp_dir("settings");
    let engine = fake_engine();
    let (_app, bar) = app_in(Backend::running(engine.clone(), None), &dir);

    let mut settings = invoke(&bar, "get_settings", json!({})).expect("get_settings answers");
    assert_eq!(settings["language"], "zh-CN");
    assert_eq!(settings["hotkeys"]["answer"], "CmdOrCtrl+Alt+A");

    settings["language"] = json!("en");
    settings["always_on_top"] = json!(false);
    settings["crm"] = json!({
        "url_template": "https://crm.example.com/c?tel={phone}",
        "open_on": "answer",
        "open_in": "window"
    });
    settings["profile"]["base_url"] = json!("http://192.168.0.201");
    settings["profile"]["agent_id"] = json!("8005");
    settings["profile"]["extension"] = json!("2011");
    invoke(&bar, "save_settings", json!({ "settings": settings })).expect("valid settings save");
    assert_eq!(invoke(&bar, "get_settings", json!({})).unwrap(), settings);
    assert!(dir.join("settings.json").exists());
    let toml = std::fs::read_to_string(dir.join("agentbar.toml")).expect("the runner profile");
    assert!(toml.contains("agent_id = \"8005\""), "{toml}");

    // Bad settings are refused with the field's name and change nothing.
    let mut bad = settings.clone();
    bad["crm"]["url_template"] = json!("file:///etc/passwd?{phone}");
    let err = invoke(&bar, "save_settings", json!({ "settings": bad })).expect_err("refused");
    assert_eq!(err["code"], "invalid_input");
    assert!(
        err["message"]
            .as_str()
            .unwrap()
            .contains("crm.url_template"),
        "{err}"
    );
    assert_eq!(invoke(&bar, "get_settings", json!({})).unwrap(), settings);

    // A second app over the same folder reads what was saved.
    let (_app2, bar2) = app_in(Backend::running(engine.clone(), None), &dir);
    assert_eq!(invoke(&bar2, "get_settings", json!({})).unwrap(), settings);

    let status = invoke(&bar, "secret_status", json!({})).expect("secret_status answers");
    assert!(
        status["storage"] == "keyring" || status["storage"] == "session",
        "{status}"
    );
    assert_eq!(status["stored"], false);

    tauri::async_runtime::block_on(engine.shutdown());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn history_without_a_store_is_not_supported_and_window_commands_succeed() {
    let dir = temp_dir("history");
    let engine = fake_engine();
    let (_app, bar) = app_in(Backend::running(engine.clone(), None), &dir);

    let err = invoke(&bar, "history", json!({ "limit": 20 })).expect_err("no store");
    assert_eq!(err["code"], "not_supported", "{err}");

    invoke(&bar, "show_bar", json!({})).expect("show_bar");
    invoke(&bar, "close_popup", json!({})).expect("close_popup without a pop-up");

    let err = invoke(&bar, "open_crm", json!({ "callId": "nope" })).expect_err("no such call");
    assert_eq!(err["code"], "not_found", "{err}");

    tauri::async_runtime::block_on(engine.shutdown());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn history_answers_from_the_store() {
    let dir = temp_dir("history-store");
    let engine = fake_engine();
    let store = agentbar_history::HistoryStore::open_in_memory().unwrap();
    let (_app, bar) = app_in(Backend::running(engine.clone(), Some(store)), &dir);
    let rows = invoke(
        &bar,
        "history",
        json!({ "limit": 20, "beforeMs": 1, "number": "1" }),
    )
    .expect("an empty history");
    assert_eq!(rows, json!([]));
    tauri::async_runtime::block_on(engine.shutdown());
    let _ = std::fs::remove_dir_all(&dir);
}

/// Sends one IPC call from `window` at `url`.
fn invoke_from(
    window: &WebviewWindow<MockRuntime>,
    url: &str,
    cmd: &str,
    args: Value,
) -> Result<Value, Value> {
    get_ipc_response(
        window,
        InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: url.parse().unwrap(),
            body: InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        },
    )
    .map(|body| body.deserialize::<Value>().expect("a JSON answer"))
}

#[test]
fn only_the_bar_and_the_popup_get_the_apps_commands() {
    use tauri::{WebviewUrl, WebviewWindowBuilder};
    let dir = temp_dir("acl");
    let engine = fake_engine();
    let (app, _bar) = app_in(Backend::running(engine.clone(), None), &dir);
    let popup = WebviewWindowBuilder::new(
        &app,
        "popup",
        WebviewUrl::App("index.html?view=popup".into()),
    )
    .build()
    .unwrap();
    let web = WebviewWindowBuilder::new(&app, "web-7", WebviewUrl::App("index.html".into()))
        .build()
        .unwrap();
    let local = "tauri://localhost";

    invoke_from(&popup, local, "get_snapshot", json!({})).expect("the pop-up reads the state");
    invoke_from(&popup, local, "close_popup", json!({})).expect("the pop-up closes itself");
    // The card has no business with settings or the secret.
    invoke_from(&popup, local, "set_secret", json!({ "secret": "x" }))
        .expect_err("no secret from the pop-up");
    // A window no capability names (a CRM page) gets nothing, local origin or not.
    invoke_from(&web, local, "get_snapshot", json!({})).expect_err("no IPC for web windows");
    invoke_from(&web, "https://crm.example.com/", "get_snapshot", json!({}))
        .expect_err("no IPC for remote pages");

    tauri::async_runtime::block_on(engine.shutdown());
    let _ = std::fs::remove_dir_all(&dir);
}

/// A live policy as a started listener has, for the app to keep.
fn live_policy(token: &agentbar_api::policy::PairingToken) -> agentbar_desktop::policy::LivePolicy {
    use agentbar_api::policy::{Policy, PolicySettings, RateLimit};
    agentbar_desktop::policy::LivePolicy {
        policy: Policy::new(PolicySettings::default(), token.clone()),
        rate: RateLimit::default(),
        follows_settings: true,
    }
}

#[test]
fn the_bar_answers_the_policy_s_questions_and_always_is_saved() {
    use agentbar_api::policy::{Origin, PairingToken, RequestFacts, RequestKind};
    let dir = temp_dir("policy");
    let engine = fake_engine();
    let token = PairingToken::generate().unwrap();
    let live = live_policy(&token);
    let policy = live.policy.clone();
    let options = AppOptions {
        config_dir: Some(dir.clone()),
        desktop: false,
        policy: Some(live),
        memory_vault: true,
    };
    let (app, bar) = started(
        run_app_with(
            mock_builder(),
            context(),
            Some(Backend::running(engine.clone(), None)),
            options,
        )
        .expect("the app builds"),
    );
    let (tx, rx) = mpsc::channel::<Value>();
    app.listen_any(agentbar_desktop::policy::POLICY_EVENT, move |e| {
        let _ = tx.send(serde_json::from_str(e.payload()).unwrap());
    });

    let view = invoke(&bar, "policy_view", json!({})).expect("policy_view answers");
    assert_eq!(view["mode"], "prompt");
    assert_eq!(view["pending"], json!([]));

    // A page asks: the bar hears the question with the policy after it.
    let crm = "https://crm.example.com";
    let facts = RequestFacts {
        origin: Some(Origin::from_header(crm).unwrap()),
        ..RequestFacts::default()
    };
    let kind = RequestKind {
        operation: "dial",
        changes_state: true,
        jsonp: None,
    };
    assert!(!policy.judge(&facts, kind).is_allowed());
    let mut seen = Vec::new();
    wait_for("the question in the bar", || {
        seen.extend(rx.try_iter());
        seen.iter().any(|u| u["event"]["type"] == "asked")
    });
    let asked = seen.iter().find(|u| u["event"]["type"] == "asked").unwrap();
    assert_eq!(asked["event"]["origin"], crm);
    assert_eq!(asked["view"]["pending"], json!([crm]));

    // A bad origin is named; "always" trusts the page and lands in the saved settings.
    let err = invoke(
        &bar,
        "policy_answer",
        json!({ "origin": "null", "answer": "once" }),
    )
    .expect_err("not an origin");
    assert_eq!(err["code"], "invalid_input");
    invoke(
        &bar,
        "policy_answer",
        json!({ "origin": crm, "answer": "always" }),
    )
    .expect("policy_answer");
    assert!(policy.judge(&facts, kind).is_allowed());
    wait_for("the origin in the saved settings", || {
        invoke(&bar, "get_settings", json!({})).unwrap()["profile"]["local_api"]["trusted_origins"]
            == json!([crm])
    });
    let saved = std::fs::read_to_string(dir.join("settings.json")).unwrap();
    assert!(saved.contains(crm), "{saved}");
    assert!(!saved.contains(token.reveal()), "no token in the settings");

    // Saving the settings applies the mode at once.
    let mut settings = invoke(&bar, "get_settings", json!({})).unwrap();
    settings["profile"]["local_api"]["policy"] = json!("open");
    invoke(
        &bar,
        "save_settings",
        json!({ "settings": settings.clone() }),
    )
    .expect("saved");
    assert_eq!(
        invoke(&bar, "policy_view", json!({})).unwrap()["mode"],
        "open"
    );
    settings["profile"]["local_api"]["trusted_origins"] = json!(["not an origin"]);
    let err = invoke(&bar, "save_settings", json!({ "settings": settings }))
        .expect_err("a bad origin is refused");
    assert!(
        err["message"]
            .as_str()
            .unwrap()
            .contains("profile.local_api.trusted_origins"),
        "{err}"
    );

    // The audit log has the refused and the allowed request, newest first.
    let audit = invoke(&bar, "policy_audit", json!({ "limit": 10 })).expect("policy_audit");
    let rows = audit.as_array().unwrap();
    assert_eq!(rows.len(), 2, "{audit}");
    assert_eq!(rows[0]["allowed"], true);
    assert_eq!(rows[1]["allowed"], false);
    assert_eq!(rows[1]["origin"], crm);
    assert_eq!(rows[1]["operation"], "dial");

    // The token is revealed on request only, and rotating it replaces the listener's.
    let shown = invoke(&bar, "policy_token", json!({})).expect("policy_token");
    assert_eq!(shown["token"], token.reveal());
    invoke(&bar, "policy_rotate_token", json!({})).expect("rotated");
    let after = invoke(&bar, "policy_token", json!({})).unwrap();
    assert_ne!(after["token"], token.reveal());
    assert_eq!(after["token"].as_str().unwrap(), policy.token().reveal());
    assert_ne!(policy.token(), token);

    tauri::async_runtime::block_on(engine.shutdown());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn without_a_listener_the_policy_commands_say_so_and_the_popup_gets_none() {
    let dir = temp_dir("no-policy");
    let engine = fake_engine();
    let (app, bar) = app_in(Backend::running(engine.clone(), None), &dir);
    let err = invoke(&bar, "policy_view", json!({})).expect_err("no listener");
    assert_eq!(err["code"], "not_supported", "{err}");
    let err = invoke(&bar, "policy_audit", json!({ "limit": 5 })).expect_err("no listener");
    assert_eq!(err["code"], "not_supported", "{err}");

    use tauri::{WebviewUrl, WebviewWindowBuilder};
    let popup = WebviewWindowBuilder::new(
        &app,
        "popup",
        WebviewUrl::App("index.html?view=popup".into()),
    )
    .build()
    .unwrap();
    let local = "tauri://localhost";
    for cmd in ["policy_view", "policy_token", "policy_rotate_token"] {
        invoke_from(&popup, local, cmd, json!({})).expect_err("not the pop-up's business");
    }
    tauri::async_runtime::block_on(engine.shutdown());
    let _ = std::fs::remove_dir_all(&dir);
}
