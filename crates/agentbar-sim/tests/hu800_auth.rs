//! 800hu requests: md5 credentials (either case), the three API paths, JSONP wrapping, form
//! POSTs, error codes of the dispatch, the request log, and the shared server faults.

mod hu800_common;

use std::time::{Duration, Instant};

use agentbar_sim::Faults;
use hu800_common::{md5, H};

#[tokio::test]
async fn md5_password_is_accepted_in_lower_and_upper_case() {
    let t = H::default().await;
    let lower = md5("8005pw");
    assert_eq!(lower, "f877693343e11b08247aa30ea68bb6ca");
    for pw in [lower.clone(), lower.to_uppercase()] {
        let v = t
            .json(&format!(
                "sa_user=8005&sa_password={pw}&method=getExtension"
            ))
            .await;
        assert_eq!(v["code"], 0, "{pw}: {v}");
        assert_eq!(v["extension"], "8005");
    }
}

#[tokio::test]
async fn wrong_or_missing_credentials_answer_minus_2() {
    let t = H::default().await;
    let cases = [
        // The plain password is not the md5.
        "sa_user=8005&sa_password=8005pw&method=getExtension".to_owned(),
        // Another seat's password.
        format!(
            "sa_user=8005&sa_password={}&method=getExtension",
            md5("8006pw")
        ),
        // Unknown seat.
        format!(
            "sa_user=9999&sa_password={}&method=getExtension",
            md5("9999pw")
        ),
        // The seed's sample (it is not the md5 of its test password, nor a seat here).
        "sa_user=100008800&sa_password=92868F142BE5DD78DD0ACF4370B4EB94&method=getExtension"
            .to_owned(),
        "sa_user=8005&method=getExtension".to_owned(),
        format!("sa_password={}&method=getExtension", md5("8005pw")),
    ];
    for q in cases {
        let v = t.json(&q).await;
        assert_eq!(
            v,
            serde_json::json!({"code":-2,"message":"验证错误"}),
            "{q}"
        );
    }
    assert!(!t.h.logged_in("8005"));
}

#[tokio::test]
async fn unknown_or_missing_method_answers_minus_3() {
    let t = H::default().await;
    let v = t.call("8005", "noSuchMethod", "").await;
    assert_eq!(v["code"], -3, "{v}");
    assert!(
        v["message"].as_str().unwrap().contains("noSuchMethod"),
        "{v}"
    );
    let v = t
        .json(&format!("sa_user=8005&sa_password={}", md5("8005pw")))
        .await;
    assert_eq!(v["code"], -3, "{v}");
    assert!(v["message"].as_str().unwrap().contains("method"), "{v}");
}

#[tokio::test]
async fn all_three_paths_answer_and_jsonp_wraps_the_json() {
    let t = H::default().await;
    let q = H::query("8005", "recvMsg", "client=1&waterLine=0");
    let (s1, ct1, b1) = t.get_raw("/voip/api/jsondata.html", &q).await;
    let (s2, ct2, b2) = t.get_raw("/voip/api/jsonpdata.json", &q).await;
    assert_eq!((s1, s2), (200, 200));
    assert!(ct1.starts_with("application/json"), "{ct1}");
    assert!(ct2.starts_with("application/json"), "{ct2}");
    assert_eq!(b1, r#"{"code":0,"message":"OK","msgs":[]}"#);
    assert_eq!(b1, b2);

    let (s, ct, body) = t
        .get_raw(
            "/voip/api/jsonpdata.jsonp",
            &format!("{q}&callback=jQuery1124_1600999210584&_=1600999210584"),
        )
        .await;
    assert_eq!(s, 200);
    assert!(ct.contains("javascript"), "{ct}");
    assert_eq!(body, format!("jQuery1124_1600999210584({b1})"));

    // Errors are wrapped too.
    let (_, _, body) = t
        .get_raw(
            "/voip/api/jsonpdata.jsonp",
            "sa_user=8005&sa_password=x&method=hangupExten&callback=cb",
        )
        .await;
    assert_eq!(body, r#"cb({"code":-2,"message":"验证错误"})"#);

    // The long poll over JSONP, as the vendor's web client makes it.
    let (_, _, body) = t
        .get_raw(
            "/voip/api/jsonpdata.jsonp",
            &H::query(
                "8005",
                "getLongWaterLine",
                "loginType=jsonpLogin&client=1&message=1&loginLine=1&callback=cb",
            ),
        )
        .await;
    assert!(body.starts_with(r#"cb({"code":0,"waterline":"#), "{body}");
    assert!(body.ends_with(r#""keylist":"","msgs":[]})"#), "{body}");

    // Without a callback the JSONP path answers plain JSON.
    let (_, _, body) = t.get_raw("/voip/api/jsonpdata.jsonp", &q).await;
    assert_eq!(body, b1);
}

#[tokio::test]
async fn a_bad_callback_name_is_refused() {
    let t = H::default().await;
    let q = H::query("8005", "recvMsg", "client=1");
    for cb in ["alert(1)%3Bx", "1abc", "a%20b", "%3Cscript%3E"] {
        let (s, _, body) = t
            .get_raw("/voip/api/jsonpdata.jsonp", &format!("{q}&callback={cb}"))
            .await;
        assert_eq!(s, 400, "{cb}: {body}");
        assert!(body.starts_with("{\"code\":-3"), "{body}");
    }
}

#[tokio::test]
async fn a_form_post_works_like_a_query() {
    let t = H::default().await;
    let r = t
        .http
        .post(format!("{}/voip/api/jsondata.html", t.server.url()))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(H::query("8005", "getExtension", ""))
        .send()
        .await
        .unwrap();
    let v: serde_json::Value = serde_json::from_str(&r.text().await.unwrap()).unwrap();
    assert_eq!(v["code"], 0, "{v}");
    assert!(t.h.logged_in("8005"));
}

#[tokio::test]
async fn the_request_log_names_vendor_and_method() {
    let t = H::default().await;
    t.login("8005").await;
    t.call("8005", "callbackPhone", "").await;
    t.get_raw("/voip/record/2026/01/01/1.mp3", "").await;
    let reqs: Vec<_> = t
        .sim
        .requests()
        .into_iter()
        .filter(|r| r.vendor == agentbar_sim::hu800::VENDOR)
        .collect();
    let endpoints: Vec<&str> = reqs.iter().map(|r| r.endpoint.as_str()).collect();
    assert_eq!(endpoints, ["getExtension", "callbackPhone", "record"]);
    assert_eq!(reqs[0].param("sa_user"), Some("8005"));
    assert_eq!(agentbar_sim::hu800::VENDOR, "800hu");
}

#[tokio::test]
async fn shared_server_faults_apply_to_800hu_paths() {
    let t = H::default().await;
    let q = H::query("8005", "recvMsg", "client=1");
    let url = format!("{}/voip/api/jsondata.html?{q}", t.server.url());

    t.sim.set_faults(Faults {
        error_status: 503,
        error_next: 1,
        ..Faults::default()
    });
    assert_eq!(t.http.get(&url).send().await.unwrap().status(), 503);

    t.sim.set_faults(Faults {
        drop_next: 1,
        ..Faults::default()
    });
    assert!(t.http.get(&url).send().await.is_err(), "dropped connection");

    t.sim.set_faults(Faults {
        malformed_next: 1,
        ..Faults::default()
    });
    let body = t.http.get(&url).send().await.unwrap().text().await.unwrap();
    assert!(
        serde_json::from_str::<serde_json::Value>(&body).is_err(),
        "{body}"
    );

    // JSONP bodies are cut too.
    t.sim.set_faults(Faults {
        malformed_next: 1,
        ..Faults::default()
    });
    let body = t
        .http
        .get(format!(
            "{}/voip/api/jsonpdata.jsonp?{q}&callback=cb",
            t.server.url()
        ))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(body.starts_with("cb(") && !body.ends_with(')'), "{body}");

    t.sim.set_faults(Faults {
        latency_ms: 300,
        ..Faults::default()
    });
    let start = Instant::now();
    assert_eq!(t.http.get(&url).send().await.unwrap().status(), 200);
    assert!(start.elapsed() >= Duration::from_millis(300));

    t.sim.set_faults(Faults::default());
    t.server.pause().await;
    assert!(t.http.get(&url).send().await.is_err(), "listener down");
    t.server.resume().await.unwrap();
    assert_eq!(t.http.get(&url).send().await.unwrap().status(), 200);
}
