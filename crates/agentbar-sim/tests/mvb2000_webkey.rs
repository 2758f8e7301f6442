//! Webkey check on every request (seed 1.3.4, 30.2).

mod common;

use common::{mask_times, T};

#[tokio::test]
async fn right_key_answers_getcpuload_like_the_seed() {
    let t = T::default().await;
    let body = t.get("getcpuload", "").await;
    // Seed 1.3.4 (the browser's tree view, without its indentation).
    let seed = "<root>\n<errcode>0</errcode>\n<message>SUCCESS</message>\n<data>\n<item>\n\
<createtime>2015-02-03 09:25:41</createtime>\n<infotype>cpupload</infotype>\n<user>0.08</user>\n\
<system>0.33</system>\n<nice>0.08</nice>\n<idle>99.50</idle>\n</item>\n</data>\n</root>";
    assert_eq!(mask_times(&body), mask_times(seed));
}

#[tokio::test]
async fn wrong_key_is_9999_in_json_and_xml() {
    let t = T::default().await;
    let base = t.server.url();
    let url =
        format!("{base}/webservice2/getcpuload.php?webkey=5b3c8c39f0ec17e1823e973c2fad009&json=2");
    let body = t.http.get(url).send().await.unwrap().text().await.unwrap();
    assert_eq!(
        body,
        r#"{"errcode":9999,"message":"WebKey 5b3c8c39f0ec17e1823e973c2fad009 is invalid","data":[]}"#
    );
    let url = format!("{base}/webservice2/getcpuload.php?webkey=bad");
    let body = t.http.get(url).send().await.unwrap().text().await.unwrap();
    assert_eq!(
        body,
        "<root>\n<errcode>9999</errcode>\n<message>WebKey bad is invalid</message>\n<data/>\n</root>"
    );
    let url = format!("{base}/webservice2/getcpuload.php?json=2");
    let body = t.http.get(url).send().await.unwrap().text().await.unwrap();
    assert!(
        body.starts_with(r#"{"errcode":9999,"message":"WebKey  is invalid""#),
        "{body}"
    );
}

#[tokio::test]
async fn server_one_day_ahead_rejects_todays_key() {
    let t = T::default().await;
    t.sim.clock().set_offset(chrono::Duration::days(1));
    let body = t.get("getcpuload", "json=2").await;
    assert!(body.starts_with(r#"{"errcode":9999"#), "{body}");
    t.sim.clock().set_offset(chrono::Duration::zero());
    let body = t.get("getcpuload", "json=2").await;
    assert!(body.starts_with(r#"{"errcode":0"#), "{body}");
}

#[tokio::test]
async fn old_webservice_path_and_request_log() {
    let t = T::default().await;
    let url = format!(
        "{}/webservice/getqueue.php?webkey={}&queue=90&json=2",
        t.server.url(),
        t.key()
    );
    let body = t.http.get(url).send().await.unwrap().text().await.unwrap();
    assert!(
        body.starts_with(r#"{"errcode":0,"message":"SUCCESS","data":[{"#),
        "{body}"
    );
    let log = t.sim.requests();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].vendor, "mvb2000");
    assert_eq!(log[0].endpoint, "getqueue.php");
    assert_eq!(log[0].param("queue"), Some("90"));
}

#[test]
fn seed_webkey_sample() {
    assert_eq!(
        agentbar_sim::mvb2000::webkey::webkey("0866089e569bbd3d", "2011-06-21"),
        "ffccb30a388e48ade2d7ea56909cbabf"
    );
}
