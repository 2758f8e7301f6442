//! The 800hu client URL API (seed 004, chapter 3) against a real engine and a fake vendor.

mod common;

use agentbar_core::{Command, UiRequest};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use base64::Engine as _;
use common::*;
use http_body_util::BodyExt;
use std::collections::BTreeMap;

fn dial(n: &str) -> Command {
    Command::Dial {
        number: n.into(),
        attached: BTreeMap::new(),
    }
}

#[tokio::test]
async fn type_0_dials_the_phone() {
    let h = Harness::new();
    let mut rx = h.engine.subscribe();
    // Seed 3.4, verbatim.
    let (status, v) = h.get("/?type=0&phone=13900120013&disablePop=true").await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["ok"], true);
    assert_eq!(v["type"], 0);
    assert_eq!(v["outcome"]["message"], "done");
    assert_eq!(h.seen(), [dial("13900120013")]);
    assert!(v["notes"][0].as_str().unwrap().contains("disablePop"));
    assert_eq!(ui_requests_so_far(&h.engine, &mut rx).await, []);
}

#[tokio::test]
async fn type_0_with_hold_1_dials_then_shows_the_pop() {
    let h = Harness::new();
    let mut rx = h.engine.subscribe();
    // The seed's template, with its capitalised `Hold`.
    let (status, v) = h.get("/?phone=1300000000&type=0&Hold=1").await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(h.seen(), [dial("1300000000")]);
    assert_eq!(
        ui_requests_so_far(&h.engine, &mut rx).await,
        [UiRequest::ShowNumber {
            phone: "1300000000".into(),
            pop: true
        }]
    );
}

#[tokio::test]
async fn type_1_hangs_up_and_type_2_transfers() {
    let h = Harness::new();
    h.with_call().await;
    let (status, v) = h.get("/?type=2&phone=8002").await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let (status, v) = h.get("/?type=1").await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(
        h.seen(),
        [
            Command::Transfer {
                target: "8002".into()
            },
            Command::Hangup { call: None }
        ]
    );
}

#[tokio::test]
async fn type_3_shows_data_without_a_call() {
    let h = Harness::new();
    let mut rx = h.engine.subscribe();
    let (status, v) = h.get("/?type=3&phone=13900120013").await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let (status, _) = h.get("/?type=3&phone=13900120014&hold=1").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        ui_requests_so_far(&h.engine, &mut rx).await,
        [
            UiRequest::ShowNumber {
                phone: "13900120013".into(),
                pop: false
            },
            UiRequest::ShowNumber {
                phone: "13900120014".into(),
                pop: true
            }
        ]
    );
    assert_eq!(h.seen(), []);
}

#[tokio::test]
async fn type_4_dials_the_first_and_reports_the_rest() {
    let h = Harness::new();
    let (status, v) = h.get("/?type=4&phone=139001%2C139002,139003").await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(h.seen(), [dial("139001")]);
    assert_eq!(v["not_dialled"], serde_json::json!(["139002", "139003"]));
    assert!(v["notes"][0].as_str().unwrap().contains("not supported"));
}

#[tokio::test]
async fn supervisor_types_act_on_the_agent_in_phone() {
    let h = Harness::new();
    for t in [992, 993, 994, 981] {
        let (status, v) = h.get(&format!("/?type={t}&phone=8005")).await;
        assert_eq!(status, StatusCode::OK, "{t}: {v}");
    }
    let agent = || "8005".to_string();
    assert_eq!(
        h.seen(),
        [
            Command::Monitor { agent: agent() },
            Command::Whisper { agent: agent() },
            Command::Barge { agent: agent() },
            Command::ForceRelease { agent: agent() },
        ]
    );
}

#[tokio::test]
async fn window_types_become_ui_requests() {
    let h = Harness::new();
    let mut rx = h.engine.subscribe();
    for t in [2001, 2002, 1003] {
        let (status, v) = h.get(&format!("/?type={t}")).await;
        assert_eq!(status, StatusCode::OK, "{t}: {v}");
        assert_eq!(v, serde_json::json!({"ok": true, "type": t}));
    }
    assert_eq!(
        ui_requests_so_far(&h.engine, &mut rx).await,
        [
            UiRequest::Relogin,
            UiRequest::ShowWindow,
            UiRequest::ClosePopup
        ]
    );
    assert_eq!(h.seen(), []);
}

#[tokio::test]
async fn type_1000_opens_the_decoded_url() {
    let h = Harness::new();
    let mut rx = h.engine.subscribe();
    let url = "https://crm.example/customer?id=42&from=bar";
    let std = base64::engine::general_purpose::STANDARD.encode(url);
    let safe = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(url);
    // Seed 3.1's sample, with a percent-encoded caption "窗口名".
    let (status, v) = h
        .get(&format!(
            "/?type=1000&url={}&caption=%E7%AA%97%E5%8F%A3%E5%90%8D&width=1100&height=300",
            std.replace('=', "%3D")
                .replace('+', "%2B")
                .replace('/', "%2F")
        ))
        .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let (status, v) = h.get(&format!("/?type=1000&url={safe}")).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(
        ui_requests_so_far(&h.engine, &mut rx).await,
        [
            UiRequest::OpenUrl {
                url: url.into(),
                caption: Some("窗口名".into()),
                width: Some(1100),
                height: Some(300)
            },
            UiRequest::OpenUrl {
                url: url.into(),
                caption: None,
                width: None,
                height: None
            }
        ]
    );
}

#[tokio::test]
async fn bad_requests_are_refused_and_nothing_reaches_the_engine() {
    let h = Harness::new();
    let mut rx = h.engine.subscribe();
    let js = base64::engine::general_purpose::STANDARD.encode("javascript:alert(1)");
    let web = base64::engine::general_purpose::STANDARD.encode("https://crm.example/");
    let cases: Vec<(String, StatusCode, &str, &str)> = vec![
        ("/".into(), StatusCode::BAD_REQUEST, "invalid_input", "type"),
        (
            "/?type=5&phone=1".into(),
            StatusCode::BAD_REQUEST,
            "invalid_input",
            "unknown type 5",
        ),
        (
            "/?type=dial".into(),
            StatusCode::BAD_REQUEST,
            "invalid_input",
            "type",
        ),
        (
            "/?type=0".into(),
            StatusCode::BAD_REQUEST,
            "invalid_input",
            "phone",
        ),
        (
            "/?type=0&phone=139-0012".into(),
            StatusCode::BAD_REQUEST,
            "invalid_input",
            "phone",
        ),
        (
            "/?type=0&phone=1%2B39".into(),
            StatusCode::BAD_REQUEST,
            "invalid_input",
            "phone",
        ),
        (
            "/?type=0&phone=139&phone=138".into(),
            StatusCode::BAD_REQUEST,
            "invalid_input",
            "more than once",
        ),
        (
            format!("/?type=0&phone={}", "1".repeat(33)),
            StatusCode::BAD_REQUEST,
            "invalid_input",
            "phone",
        ),
        (
            "/?type=0&phone=139&hold=2".into(),
            StatusCode::BAD_REQUEST,
            "invalid_input",
            "hold",
        ),
        (
            "/?type=0&phone=139&disablePop=maybe".into(),
            StatusCode::BAD_REQUEST,
            "invalid_input",
            "disablePop",
        ),
        (
            "/?type=3&phone=abc".into(),
            StatusCode::BAD_REQUEST,
            "invalid_input",
            "phone",
        ),
        (
            "/?type=4&phone=139001,x".into(),
            StatusCode::BAD_REQUEST,
            "invalid_input",
            "number 2",
        ),
        (
            "/?type=992".into(),
            StatusCode::BAD_REQUEST,
            "invalid_input",
            "phone",
        ),
        (
            "/?type=1000&url=%25%25".into(),
            StatusCode::BAD_REQUEST,
            "invalid_input",
            "base64",
        ),
        (
            "/?type=1000".into(),
            StatusCode::BAD_REQUEST,
            "invalid_input",
            "url",
        ),
        (
            format!("/?type=1000&url={js}"),
            StatusCode::BAD_REQUEST,
            "invalid_input",
            "http",
        ),
        (
            format!("/?type=1000&url={web}&width=5000"),
            StatusCode::BAD_REQUEST,
            "invalid_input",
            "width",
        ),
        (
            "/?type=1001&phone=1".into(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "not_supported",
            "1001",
        ),
        (
            "/?type=2001&host=voip.800ing.com&user=10000800&pass=123456".into(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "not_supported",
            "settings",
        ),
        (
            "/?type=0&phone=139&callback=alert(1)".into(),
            StatusCode::FORBIDDEN,
            "jsonp_refused",
            "callback",
        ),
        (
            "/?type=0&phone=139&callback=document.write".into(),
            StatusCode::FORBIDDEN,
            "jsonp_refused",
            "plain identifier",
        ),
    ];
    for (uri, want_status, code, mentions) in cases {
        let (status, v) = h.get(&uri).await;
        assert_eq!(status, want_status, "{uri}: {v}");
        let msg = assert_error(&v, code);
        assert!(
            msg.contains(mentions),
            "{uri}: {msg:?} should mention {mentions:?}"
        );
        assert!(!msg.contains("123456"), "{msg}");
    }
    assert_eq!(h.seen(), []);
    assert_eq!(ui_requests_so_far(&h.engine, &mut rx).await, []);
}

#[tokio::test]
async fn engine_refusals_and_server_failures_keep_the_core_code() {
    let h = Harness::new();
    let (status, v) = h.get("/?type=1").await;
    assert_eq!(status, StatusCode::CONFLICT, "{v}");
    assert!(assert_error(&v, "invalid_state").contains("no call"));
    let (status, v) = h.get(&format!("/?type=0&phone={SERVER_FAILS}")).await;
    assert_eq!(status, StatusCode::BAD_GATEWAY, "{v}");
    assert_error(&v, "server");
    let (status, v) = h.get(&format!("/?type=0&phone={UNREACHABLE}")).await;
    assert_eq!(status, StatusCode::GATEWAY_TIMEOUT, "{v}");
    assert_error(&v, "transport");
}

#[tokio::test]
async fn hold_1_shows_no_pop_when_the_dial_fails() {
    let h = Harness::new();
    let mut rx = h.engine.subscribe();
    let (status, _) = h
        .get(&format!("/?type=0&phone={SERVER_FAILS}&hold=1"))
        .await;
    assert_eq!(status, StatusCode::BAD_GATEWAY);
    assert_eq!(ui_requests_so_far(&h.engine, &mut rx).await, []);
}

#[tokio::test]
async fn post_form_works_like_get() {
    let h = Harness::new();
    let req = Request::post("/?type=0")
        .header(header::HOST, HOST)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from("phone=82754888"))
        .unwrap();
    let (status, v) = json(h.send(req).await).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(h.seen(), [dial("82754888")]);

    let req = Request::post("/")
        .header(header::HOST, HOST)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(r#"{"type":0,"phone":"1"}"#))
        .unwrap();
    let (status, v) = json(h.send(req).await).await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{v}");
    assert_error(&v, "unsupported_media_type");
    assert_eq!(h.seen().len(), 1);
}

async fn text(h: &Harness, uri: &str) -> (StatusCode, Option<String>, String) {
    let req = Request::get(uri)
        .header(header::HOST, HOST)
        .body(Body::empty())
        .unwrap();
    let resp = h.send(req).await;
    let status = resp.status();
    let ct = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .map(|v| v.to_str().unwrap().to_string());
    let body = resp.into_body().collect().await.unwrap().to_bytes();
    (status, ct, String::from_utf8(body.to_vec()).unwrap())
}

#[tokio::test]
async fn jsonp_wraps_answers_and_errors() {
    let h = Harness::new();
    let (status, ct, body) = text(&h, "/?type=2002&callback=jQuery1124_17").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(ct.as_deref(), Some("application/javascript; charset=utf-8"));
    assert_eq!(body, r#"/**/jQuery1124_17({"ok":true,"type":2002});"#);

    let (status, _, body) = text(&h, "/?type=0&phone=x&callback=cb").await;
    assert_eq!(status, StatusCode::OK, "a script never runs a 4xx");
    let inner = body
        .strip_prefix("/**/cb(")
        .and_then(|b| b.strip_suffix(");"))
        .unwrap();
    let v: serde_json::Value = serde_json::from_str(inner).unwrap();
    assert_error(&v, "invalid_input");
    assert_eq!(h.seen(), []);
}
