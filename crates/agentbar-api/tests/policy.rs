//! The security policy in the router, in process: every mode against every kind of request a
//! page or program can send, and the proof that a refused request never reaches the engine
//! (the fake vendor records every command it is given).

mod common;

use agentbar_api::policy::{Answer, Origin, PolicyEvent, PolicyMode, RateLimit};
use axum::body::Body;
use axum::http::{header, HeaderMap, Request, StatusCode};
use common::{json, Harness, CRM, HOST};
use http_body_util::BodyExt;

const EVIL: &str = "https://evil.example";
const BAR: &str = "http://127.0.0.1:10800";
const BAD_TOKEN: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Who is asking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    TrustedOrigin,
    TrustedReferer,
    TrustedWithToken,
    UntrustedOrigin,
    UntrustedReferer,
    UntrustedWithToken,
    NoHeaders,
    NoHeadersBearer,
    NoHeadersApiKey,
    BadToken,
    NullOrigin,
    BarPage,
    /// DNS rebinding: a trusted-looking request for another host name.
    RebindingHost,
    /// A trusted page asking for a JSONP callback that reaches into an object.
    JsonpBadCallback,
    /// JSONP from a page not trusted by name, with the token.
    JsonpWithToken,
}

const KINDS: [Kind; 15] = [
    Kind::TrustedOrigin,
    Kind::TrustedReferer,
    Kind::TrustedWithToken,
    Kind::UntrustedOrigin,
    Kind::UntrustedReferer,
    Kind::UntrustedWithToken,
    Kind::NoHeaders,
    Kind::NoHeadersBearer,
    Kind::NoHeadersApiKey,
    Kind::BadToken,
    Kind::NullOrigin,
    Kind::BarPage,
    Kind::RebindingHost,
    Kind::JsonpBadCallback,
    Kind::JsonpWithToken,
];

/// What is asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum What {
    /// `GET /?type=0&phone=...`: the 800hu dial.
    Hu800Dial,
    /// `POST /api/v1/commands {"op":"dial"}`.
    Command,
    /// `GET /api/v1/state`.
    State,
}

fn request(h: &Harness, kind: Kind, what: What, n: usize) -> Request<Body> {
    let number = format!("1390012{n:04}");
    let mut query = String::new();
    match kind {
        Kind::NoHeadersApiKey => query = format!("&apiKey={}", h.token.reveal()),
        Kind::JsonpBadCallback => query = "&callback=document.write".into(),
        Kind::JsonpWithToken => query = "&callback=cb".into(),
        _ => {}
    }
    let mut b = match what {
        What::Hu800Dial => Request::get(format!("/?type=0&phone={number}{query}")),
        What::Command => Request::post(format!("/api/v1/commands?x=1{query}"))
            .header(header::CONTENT_TYPE, "application/json"),
        What::State => Request::get(format!("/api/v1/state?x=1{query}")),
    };
    b = b.header(
        header::HOST,
        if kind == Kind::RebindingHost {
            "evil.example:10800"
        } else {
            HOST
        },
    );
    let bearer = h.bearer();
    let headers: Vec<(header::HeaderName, String)> = match kind {
        Kind::TrustedOrigin | Kind::JsonpBadCallback => vec![(header::ORIGIN, CRM.into())],
        Kind::TrustedReferer => vec![(header::REFERER, format!("{CRM}/customer/7?tab=calls"))],
        Kind::TrustedWithToken | Kind::RebindingHost => vec![
            (header::ORIGIN, CRM.into()),
            (header::AUTHORIZATION, bearer),
        ],
        Kind::UntrustedOrigin => vec![(header::ORIGIN, EVIL.into())],
        Kind::UntrustedReferer => vec![(header::REFERER, format!("{EVIL}/ad.html"))],
        Kind::UntrustedWithToken => {
            vec![
                (header::ORIGIN, EVIL.into()),
                (header::AUTHORIZATION, bearer),
            ]
        }
        Kind::NoHeaders | Kind::NoHeadersApiKey => vec![],
        Kind::NoHeadersBearer | Kind::JsonpWithToken => vec![(header::AUTHORIZATION, bearer)],
        Kind::BadToken => vec![(header::AUTHORIZATION, format!("Bearer {BAD_TOKEN}"))],
        Kind::NullOrigin => vec![
            (header::ORIGIN, "null".into()),
            (header::REFERER, format!("{CRM}/sandboxed")),
        ],
        Kind::BarPage => vec![(header::ORIGIN, BAR.into())],
    };
    for (k, v) in headers {
        b = b.header(k, v);
    }
    let body = match what {
        What::Command => format!(r#"{{"op":"dial","number":"{number}"}}"#),
        _ => String::new(),
    };
    b.body(Body::from(body)).unwrap()
}

/// `Ok(())` when the request must go through, `Err((status, code))` when refused.
fn expected(mode: PolicyMode, kind: Kind, what: What) -> Result<(), (u16, &'static str)> {
    use Kind as K;
    if kind == K::RebindingHost {
        return Err((403, "forbidden_host"));
    }
    // JSONP belongs to the 800hu URLs; elsewhere `callback` is an unknown parameter the
    // policy still reads.
    let jsonp = matches!(kind, K::JsonpBadCallback | K::JsonpWithToken);
    match mode {
        PolicyMode::Open => {
            if kind == K::JsonpBadCallback {
                Err((403, "jsonp_refused"))
            } else {
                Ok(())
            }
        }
        PolicyMode::Prompt => match kind {
            K::TrustedOrigin | K::TrustedReferer | K::TrustedWithToken | K::BarPage => Ok(()),
            K::JsonpBadCallback => Err((403, "jsonp_refused")),
            K::UntrustedOrigin | K::UntrustedReferer => Err((403, "approval_pending")),
            K::UntrustedWithToken | K::NoHeadersBearer | K::NoHeadersApiKey => Ok(()),
            K::JsonpWithToken if jsonp => Err((403, "jsonp_refused")),
            K::NoHeaders => Err((401, "token_required")),
            K::BadToken => Err((401, "bad_token")),
            K::NullOrigin => Err((403, "origin_refused")),
            K::JsonpWithToken | K::RebindingHost => unreachable!("{what:?}"),
        },
        PolicyMode::Strict => match kind {
            K::TrustedWithToken | K::BarPage | K::NoHeadersBearer | K::NoHeadersApiKey => Ok(()),
            K::TrustedOrigin | K::TrustedReferer | K::NoHeaders | K::JsonpBadCallback => {
                Err((401, "token_required"))
            }
            K::UntrustedOrigin | K::UntrustedReferer | K::UntrustedWithToken => {
                Err((403, "untrusted_origin"))
            }
            K::JsonpWithToken => Err((403, "jsonp_refused")),
            K::BadToken => Err((401, "bad_token")),
            K::NullOrigin => Err((403, "origin_refused")),
            K::RebindingHost => unreachable!(),
        },
    }
}

#[tokio::test]
async fn every_mode_times_every_kind_of_request_and_refusals_reach_nothing() {
    let mut checked = 0;
    for mode in [PolicyMode::Prompt, PolicyMode::Strict, PolicyMode::Open] {
        for what in [What::Hu800Dial, What::Command, What::State] {
            for kind in KINDS {
                let h = Harness::with_mode(mode);
                let resp = h.send_raw(request(&h, kind, what, checked)).await;
                let status = resp.status();
                let body = resp.into_body().collect().await.unwrap().to_bytes();
                let text = String::from_utf8_lossy(&body);
                let ctx = format!("{mode:?} {what:?} {kind:?}: {status} {text}");
                assert!(!text.contains(h.token.reveal()), "{ctx}");
                match expected(mode, kind, what) {
                    Ok(()) => {
                        assert_eq!(status, StatusCode::OK, "{ctx}");
                        let dials = usize::from(what != What::State);
                        assert_eq!(h.seen().len(), dials, "{ctx}");
                    }
                    Err((want, code)) => {
                        assert_eq!(status.as_u16(), want, "{ctx}");
                        let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
                        assert_eq!(v["error"]["code"], code, "{ctx}");
                        assert_eq!(h.seen(), [], "a refused request reached the engine: {ctx}");
                    }
                }
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 3 * 3 * KINDS.len());
}

fn from(origin: &str, uri: &str) -> Request<Body> {
    Request::get(uri)
        .header(header::HOST, HOST)
        .header(header::ORIGIN, origin)
        .body(Body::empty())
        .unwrap()
}

#[tokio::test]
async fn prompt_asks_once_per_origin_and_follows_the_answer() {
    let h = Harness::with_mode(PolicyMode::Prompt);
    let mut asks = h.policy.subscribe();
    for _ in 0..3 {
        let (status, v) = json(h.send_raw(from(EVIL, "/?type=0&phone=82754888")).await).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert_eq!(v["error"]["code"], "approval_pending", "{v}");
        assert!(v["error"]["message"].as_str().unwrap().contains(EVIL));
    }
    let evil = Origin::from_header(EVIL).unwrap();
    assert_eq!(
        asks.try_recv().unwrap(),
        PolicyEvent::Asked {
            origin: evil.clone()
        }
    );
    assert!(asks.try_recv().is_err(), "asked more than once");
    assert_eq!(h.policy.view().pending, std::slice::from_ref(&evil));
    assert_eq!(h.seen(), []);

    h.policy.answer(&evil, Answer::Once);
    let (status, v) = json(h.send_raw(from(EVIL, "/?type=0&phone=82754888")).await).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(h.seen().len(), 1);
    assert!(h.policy.view().pending.is_empty());
    assert!(
        !h.policy.view().origins.contains(&evil),
        "once is not saved"
    );

    h.policy.answer(&evil, Answer::Deny);
    let (status, v) = json(h.send_raw(from(EVIL, "/?type=0&phone=82754888")).await).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(v["error"]["code"], "origin_denied", "{v}");
    assert_eq!(h.seen().len(), 1);
    assert!(matches!(asks.try_recv(), Ok(PolicyEvent::Answered { .. })));
    assert!(matches!(asks.try_recv(), Ok(PolicyEvent::Answered { .. })));
    assert!(
        asks.try_recv().is_err(),
        "a denied origin is not asked about again"
    );

    h.policy.answer(&evil, Answer::Always);
    assert!(h.policy.view().origins.contains(&evil));
    let (status, _) = json(h.send_raw(from(EVIL, "/api/v1/state")).await).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn a_flood_of_new_origins_leaves_at_most_a_few_questions() {
    let h = Harness::with_mode(PolicyMode::Prompt);
    let mut codes = Vec::new();
    for i in 0..20 {
        let (_, v) = json(
            h.send_raw(from(&format!("https://x{i}.evil.example"), "/?type=2002"))
                .await,
        )
        .await;
        codes.push(v["error"]["code"].as_str().unwrap().to_string());
    }
    assert_eq!(h.policy.view().pending.len(), 5);
    assert_eq!(codes.iter().filter(|c| *c == "approval_pending").count(), 5);
    assert_eq!(
        codes.iter().filter(|c| *c == "too_many_pending").count(),
        15
    );
}

fn preflight(origin: &str, private_network: bool) -> Request<Body> {
    let mut b = Request::options("/api/v1/commands")
        .header(header::HOST, HOST)
        .header(header::ORIGIN, origin)
        .header(header::ACCESS_CONTROL_REQUEST_METHOD, "POST")
        .header(
            header::ACCESS_CONTROL_REQUEST_HEADERS,
            "content-type, authorization",
        );
    if private_network {
        b = b.header("access-control-request-private-network", "true");
    }
    b.body(Body::empty()).unwrap()
}

fn get(headers: &HeaderMap, name: &str) -> Option<String> {
    headers.get(name).map(|v| v.to_str().unwrap().to_string())
}

#[tokio::test]
async fn cors_and_private_network_access_only_for_trusted_origins() {
    for mode in [PolicyMode::Prompt, PolicyMode::Strict] {
        let h = Harness::with_mode(mode);
        let resp = h.send_raw(preflight(CRM, true)).await;
        assert_eq!(resp.status(), StatusCode::NO_CONTENT, "{mode:?}");
        let hd = resp.headers();
        assert_eq!(get(hd, "access-control-allow-origin").as_deref(), Some(CRM));
        assert_eq!(
            get(hd, "access-control-allow-private-network").as_deref(),
            Some("true")
        );
        assert!(get(hd, "access-control-allow-headers")
            .unwrap()
            .contains("Authorization"));
        assert_eq!(get(hd, "vary").as_deref(), Some("Origin"));
        assert!(get(hd, "access-control-allow-credentials").is_none());

        let resp = h.send_raw(preflight(CRM, false)).await;
        assert!(get(resp.headers(), "access-control-allow-private-network").is_none());

        let resp = h.send_raw(preflight(EVIL, true)).await;
        assert_eq!(resp.status(), StatusCode::FORBIDDEN, "{mode:?}");
        let hd = resp.headers();
        assert!(get(hd, "access-control-allow-origin").is_none(), "{mode:?}");
        assert!(get(hd, "access-control-allow-private-network").is_none());
        assert_eq!(get(hd, "vary").as_deref(), Some("Origin"));

        // A simple request's answer is readable only by a trusted page.
        let resp = h.send_raw(from(CRM, "/api/v1/health")).await;
        assert_eq!(
            get(resp.headers(), "access-control-allow-origin").as_deref(),
            Some(CRM)
        );
        let resp = h.send_raw(from(EVIL, "/api/v1/health")).await;
        assert!(get(resp.headers(), "access-control-allow-origin").is_none());
        assert_eq!(h.seen(), []);
    }
    // In prompt mode the preflight is where a fetch-based page gets the agent asked.
    let h = Harness::with_mode(PolicyMode::Prompt);
    let (_, v) = json(h.send_raw(preflight(EVIL, true)).await).await;
    assert_eq!(v["error"]["code"], "approval_pending", "{v}");
    assert_eq!(h.policy.view().pending.len(), 1);
}

#[tokio::test]
async fn changes_are_rate_limited_per_origin_reads_are_not() {
    let rate = RateLimit {
        burst: 3,
        per_second: 0.01,
    };
    let h = Harness::with_rate(PolicyMode::Prompt, rate);
    let mut statuses = Vec::new();
    for i in 0..5 {
        let resp = h
            .send_raw(from(CRM, &format!("/?type=0&phone=8275488{i}")))
            .await;
        if resp.status() == StatusCode::TOO_MANY_REQUESTS {
            let wait: u64 = get(resp.headers(), "retry-after").unwrap().parse().unwrap();
            assert!(wait >= 1, "{wait}");
        }
        statuses.push(resp.status().as_u16());
    }
    assert_eq!(statuses, [200, 200, 200, 429, 429]);
    assert_eq!(h.seen().len(), 3);
    // Another page has its own bucket; reads are not counted.
    let (status, _) = json(h.send_raw(from(BAR, "/?type=0&phone=82754889")).await).await;
    assert_eq!(status, StatusCode::OK);
    for _ in 0..10 {
        let (status, _) = json(h.send_raw(from(CRM, "/api/v1/state")).await).await;
        assert_eq!(status, StatusCode::OK);
    }
}

#[tokio::test]
async fn the_audit_log_tells_the_agent_who_asked_what_without_the_token() {
    let h = Harness::with_mode(PolicyMode::Prompt);
    h.send_raw(from(EVIL, "/?type=0&phone=82754888")).await;
    h.send_raw(from(CRM, "/?type=0&phone=82754888")).await;
    let req = Request::post("/api/v1/commands")
        .header(header::HOST, HOST)
        .header(header::AUTHORIZATION, format!("Bearer {BAD_TOKEN}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(r#"{"op":"hangup"}"#))
        .unwrap();
    h.send_raw(req).await;
    let req = Request::get("/api/v1/audit?limit=10")
        .header(header::HOST, HOST)
        .header(header::AUTHORIZATION, h.bearer())
        .body(Body::empty())
        .unwrap();
    let (status, v) = json(h.send_raw(req).await).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let text = v.to_string();
    assert!(!text.contains(h.token.reveal()) && !text.contains(BAD_TOKEN));
    let entries = v["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 3, "{v}");
    // Newest first.
    assert_eq!(entries[0]["operation"], "hangup");
    assert_eq!(entries[0]["allowed"], false);
    assert!(entries[0]["why"].as_str().unwrap().starts_with("bad_token"));
    assert_eq!(entries[0]["origin"], serde_json::Value::Null);
    assert_eq!(entries[1]["origin"], CRM);
    assert_eq!(entries[1]["operation"], "type=0");
    assert_eq!(entries[1]["allowed"], true);
    assert_eq!(entries[2]["origin"], EVIL);
    assert!(entries[2]["why"]
        .as_str()
        .unwrap()
        .starts_with("approval_pending"));
    assert!(entries[0]["at_ms"].as_u64().unwrap() > 1_600_000_000_000);
}

#[tokio::test]
async fn only_the_bar_s_own_page_answers_questions() {
    let h = Harness::with_mode(PolicyMode::Prompt);
    h.send_raw(from(EVIL, "/?type=2002")).await;
    let answer = |origin: &str, auth: Option<String>| {
        let mut b = Request::post("/api/v1/policy/answer")
            .header(header::HOST, HOST)
            .header(header::ORIGIN, origin)
            .header(header::CONTENT_TYPE, "application/json");
        if let Some(a) = auth {
            b = b.header(header::AUTHORIZATION, a);
        }
        b.body(Body::from(format!(
            r#"{{"origin":"{EVIL}","answer":"always"}}"#
        )))
        .unwrap()
    };
    // A trusted CRM page, even with the token, cannot make the bar trust another page.
    let (status, v) = json(h.send_raw(answer(CRM, Some(h.bearer()))).await).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{v}");
    assert_eq!(v["error"]["code"], "bar_only");
    let (status, v) = json(h.send_raw(answer(EVIL, None)).await).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{v}");
    assert_eq!(h.policy.view().pending.len(), 1);

    let (status, v) = json(h.send_raw(answer(BAR, None)).await).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let (status, v) = json(h.send_raw(from(BAR, "/api/v1/policy")).await).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["policy"]["mode"], "prompt");
    assert_eq!(v["policy"]["pending"], serde_json::json!([]));
    assert!(v["policy"]["origins"]
        .as_array()
        .unwrap()
        .contains(&serde_json::json!(EVIL)));
    let (status, v) = json(h.send_raw(from(CRM, "/api/v1/policy")).await).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{v}");
}

#[tokio::test]
async fn event_streams_are_policed_like_reads() {
    let h = Harness::with_mode(PolicyMode::Prompt);
    let ws = |origin: &str| {
        Request::get("/api/v1/ws")
            .header(header::HOST, HOST)
            .header(header::ORIGIN, origin)
            .header(header::CONNECTION, "upgrade")
            .header(header::UPGRADE, "websocket")
            .header(header::SEC_WEBSOCKET_VERSION, "13")
            .header(header::SEC_WEBSOCKET_KEY, "dGhlIHNhbXBsZSBub25jZQ==")
            .body(Body::empty())
            .unwrap()
    };
    let (status, v) = json(h.send_raw(ws(EVIL)).await).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{v}");
    assert_eq!(v["error"]["code"], "approval_pending");
    let (status, v) = json(h.send_raw(from(EVIL, "/api/v1/events")).await).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{v}");
    let resp = h.send_raw(from(CRM, "/api/v1/events")).await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(
        get(resp.headers(), "content-type").as_deref(),
        Some("text/event-stream")
    );
}
