//! The server-placed calls a CRM asks for through the local API (`POST /api/v1/commands`):
//! `voice_code` (Guoxin's captcha call, seed 3) and `ivr_call` (IVR_TTS_CALL, seed 18), their
//! result as a `crm_call_result` event on the stream and through the `crm_call_result`
//! command; refused before anything is sent when the input is bad, and refused with the
//! reason where the server has no such call.

use super::guoxin::{guoxin_sim_config, ready_rig, GuoxinServer, CAPTCHA_PASSWORD};
use super::scenarios::WAIT;
use agentbar_guoxin::protocol::{captcha_pwd, CaptchaCode, CaptchaPassword, PhoneNumber};
use agentbar_sim::model::RequestRecord;
use agentbar_tests::{sim_config, Rig};
use serde_json::{json, Value};

const CUSTOMER: &str = "13800138000";

/// The Guoxin demo session, reading results every 200 ms instead of the seed's 5 s.
async fn guoxin_rig(ivr_ids: &[&str]) -> Rig {
    let ivr_ids: Vec<String> = ivr_ids.iter().map(|s| s.to_string()).collect();
    ready_rig(guoxin_sim_config(), move |c| {
        if let Some(g) = c.guoxin.as_mut() {
            g.result_poll_ms = 200;
            g.ivr_ids = ivr_ids;
        }
    })
    .await
}

fn param<'a>(r: &'a RequestRecord, name: &str) -> Option<&'a str> {
    r.params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

fn is_result_of(id: &str) -> impl Fn(&str, &Value) -> bool + '_ {
    move |n, v| n == "crm_call_result" && v["status"]["id"] == id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_voice_code_is_placed_signed_and_its_result_arrives_on_the_stream() {
    let rig = guoxin_rig(&[]).await;
    let srv = GuoxinServer::new(rig.sim());
    let events = rig.events().await;
    let (status, body) = rig
        .command(json!({"op": "voice_code", "number": CUSTOMER, "voice": "19", "code": "112233"}))
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["outcome"]["data"]["kind"], "voice_code");
    let id = body["outcome"]["data"]["id"].as_str().unwrap().to_owned();
    assert!(id.starts_with("agentbar-"), "the bar made the id: {id}");

    // The seed's request, signed with the day's md5 of the password, callee and code (the
    // server's day: a neighbouring one when the two clocks straddle midnight).
    let sent = srv.sent("CLICK_TO_IP_CAPTCHA");
    let last = sent.last().expect("the captcha call was sent");
    for (name, value) in [
        ("id", id.as_str()),
        ("callee", CUSTOMER),
        ("toneid", "19"),
        ("code", "112233"),
        ("playtimes", "1"),
    ] {
        assert_eq!(param(last, name), Some(value), "{name}: {:?}", last.params);
    }
    let today = chrono::Local::now().date_naive();
    let signed = [today.pred_opt(), Some(today), today.succ_opt()]
        .into_iter()
        .flatten()
        .map(|day| {
            captcha_pwd(
                Some(&CaptchaPassword::new(CAPTCHA_PASSWORD)),
                &PhoneNumber::parse(CUSTOMER).unwrap(),
                Some(&CaptchaCode::parse("112233").unwrap()),
                day,
            )
        })
        .any(|pwd| param(last, "pwd") == Some(pwd.as_str()));
    assert!(
        signed,
        "pwd = md5(password + callee + code + date): {:?}",
        last.params
    );

    // The customer answers (the simulator's outside parties answer by themselves): final.
    let (_, ev) = events.wait("the result", WAIT, is_result_of(&id)).await;
    assert_eq!(ev["status"]["kind"], "voice_code");
    assert_eq!(ev["status"]["state"], "succeeded");
    assert_eq!(ev["status"]["code"], 1);
    assert!(
        srv.sent("GET_CAPTCHA_RESULT")
            .iter()
            .all(|r| param(r, "id") == Some(id.as_str())),
        "the result is read by the call's id"
    );
    assert_eq!(events.count(is_result_of(&id)), 1, "reported once");

    // And read on demand.
    let (status, body) = rig
        .command(json!({"op": "crm_call_result", "kind": "voice_code", "id": id}))
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["outcome"]["data"]["state"], "succeeded");
    rig.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_ivr_call_reads_its_texts_and_reports_the_keys_pressed() {
    let rig = guoxin_rig(&[]).await;
    let srv = GuoxinServer::new(rig.sim());
    let events = rig.events().await;
    let call = json!({"op": "ivr_call", "number": CUSTOMER, "ivr": "20",
        "vars": {"ttsabc": "你好世界!"}, "id": "order-17"});
    let (status, body) = rig.command(call.clone()).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["outcome"]["data"]["id"], "order-17",
        "the CRM's own id"
    );
    let sent = srv.sent("IVR_TTS_CALL");
    assert_eq!(sent.len(), 1);
    for (name, value) in [
        ("token", "order-17"),
        ("callee", CUSTOMER),
        ("toneid", "20"),
        ("ttsabc", "你好世界!"),
    ] {
        assert_eq!(
            param(&sent[0], name),
            Some(value),
            "{name}: {:?}",
            sent[0].params
        );
    }
    let (_, ev) = events
        .wait("the result", WAIT, is_result_of("order-17"))
        .await;
    assert_eq!(ev["status"]["state"], "succeeded");
    assert_eq!(ev["status"]["keys"]["satisfact"], "8", "{ev}");

    // The same token again: the server's 483, said clearly; the session goes on.
    let (status, body) = rig.command(call).await;
    assert_eq!(status, 502, "{body}");
    assert_eq!(body["error"]["code"], "server");
    assert!(
        body["error"]["message"].as_str().unwrap().contains("483"),
        "{body}"
    );
    let (status, body) = rig
        .command(json!({"op": "crm_call_result", "kind": "ivr_call", "id": "order-17"}))
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["outcome"]["data"]["keys"]["satisfact"], "8");
    rig.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_requests_send_nothing_and_unknown_ids_read_as_such() {
    let rig = guoxin_rig(&["3"]).await;
    let srv = GuoxinServer::new(rig.sim());
    let bad = [
        json!({"op": "voice_code", "number": "138-0013", "voice": "19"}),
        json!({"op": "voice_code", "number": CUSTOMER, "voice": "19", "code": "12ab"}),
        json!({"op": "voice_code", "number": CUSTOMER, "voice": "19", "plays": 11}),
        json!({"op": "voice_code", "number": CUSTOMER, "voice": "x&opt=FORCE_HUNGUP"}),
        json!({"op": "voice_code", "number": CUSTOMER, "voice": "19", "id": "a b"}),
        // Not one of the profile's IVR menus.
        json!({"op": "ivr_call", "number": CUSTOMER, "ivr": "20"}),
        json!({"op": "ivr_call", "number": CUSTOMER, "ivr": "3", "vars": {"ttsabc": "a\nb"}}),
        // Guoxin's variables start with tts.
        json!({"op": "ivr_call", "number": CUSTOMER, "ivr": "3", "vars": {"abc": "x"}}),
        json!({"op": "crm_call_result", "kind": "ivr_call", "id": ""}),
    ];
    for b in bad {
        let (status, body) = rig.command(b.clone()).await;
        assert_eq!(status, 400, "{b} -> {body}");
        assert_eq!(body["error"]["code"], "invalid_input", "{b} -> {body}");
    }
    for opt in [
        "CLICK_TO_IP_CAPTCHA",
        "IVR_TTS_CALL",
        "GET_CAPTCHA_RESULT",
        "IVR_TTS_CALL_RESULT",
    ] {
        assert!(srv.sent(opt).is_empty(), "{opt} was sent");
    }
    let (status, body) = rig
        .command(json!({"op": "crm_call_result", "kind": "voice_code", "id": "never-placed"}))
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["outcome"]["data"]["state"], "unknown_id");
    assert_eq!(body["outcome"]["data"]["code"], 404);
    assert_eq!(
        rig.snapshot().presence,
        agentbar_core::Presence::Ready,
        "the session went on"
    );
    rig.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn servers_without_such_calls_refuse_them_with_the_reason() {
    let rig = Rig::ready(sim_config(), |_| {}).await;
    for (op, body) in [
        (
            "voice_code",
            json!({"op": "voice_code", "number": CUSTOMER, "voice": "19"}),
        ),
        (
            "ivr_call",
            json!({"op": "ivr_call", "number": CUSTOMER, "ivr": "3"}),
        ),
    ] {
        let (status, answer) = rig.command(body).await;
        assert_eq!(status, 422, "{answer}");
        assert_eq!(answer["error"]["code"], "not_supported");
        assert!(
            answer["error"]["message"]
                .as_str()
                .unwrap()
                .contains("WEBCTI2"),
            "{op}: {answer}"
        );
        let (_, caps) = rig.get("/api/v1/capabilities").await;
        assert_eq!(caps["capabilities"][op]["support"], "unavailable", "{caps}");
    }
    rig.stop().await;
}
