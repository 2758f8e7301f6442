//! Every chapter-4 `EVENT` of asterCC over HTTP: the replies byte for byte in the seed's
//! shapes, the credentials checks, and what each call does to the shared model.

mod astercc_common;

use std::time::Duration;

use agentbar_sim::astercc::md5_hex;
use agentbar_sim::model::{ChannelState, Location};
use agentbar_sim::Faults;
use astercc_common::{creds, A};

const LOGGED_OUT_100: &str = "agent_group_id=100&groupname=售后&status=logout&groupadmin=yes&agenttype=static&agentline=online&errorcall=no&agent_id=1|||";
const LOGGED_OUT_101: &str = "agent_group_id=101&groupname=售前&status=logout&groupadmin=no&agenttype=static&agentline=online&errorcall=no&agent_id=1|||";

#[tokio::test]
async fn seed_4_login_sample_form_post_and_get() {
    let a = A::default().await;
    // The seed's own request (sec 4), for our agent.
    let body = "EVENT=LOGIN&orgidentity=astercc&usertype=agent&user=8005&pwdtype=plaintext&password=8005pw";
    let want = format!("|Retuen|1|Retuen|BackMsg_04|Retuen|{LOGGED_OUT_100}{LOGGED_OUT_101}");
    assert_eq!(a.post(body).await, want);
    // A Java client in the wild sends GET with a query string.
    assert_eq!(a.get(body).await, want);
    a.check_in("8005", "100").await;
    assert_eq!(
        a.post(body).await,
        format!(
            "|Retuen|1|Retuen|BackMsg_04|Retuen|{}{LOGGED_OUT_101}",
            LOGGED_OUT_100.replace("status=logout", "status=idel")
        )
    );
    assert!(a.h.agent("8005").unwrap().logged_in);
    let log = a.sim.requests();
    assert_eq!(log[0].vendor, "astercc");
    assert_eq!(log[0].endpoint, "LOGIN");
    assert_eq!(log[0].param("user"), Some("8005"));
    assert_eq!(
        a.ev("8005", "LOGOUT", "").await,
        "|Retuen|1|Retuen|BackMsg_08"
    );
    assert!(!a.h.agent("8005").unwrap().logged_in);
    assert!(a.sim.queue_members(Some("5090")).is_empty());
}

#[tokio::test]
async fn credentials_plaintext_md5_and_failures() {
    let a = A::default().await;
    let md5 = md5_hex("8005pw");
    let ok = a
        .post(&format!(
            "EVENT=AGENTSTATUS&orgidentity=astercc&usertype=agent&user=8005&pwdtype=md5&password={md5}"
        ))
        .await;
    assert_eq!(
        ok,
        "|Retuen|1|Retuen|BackMsg_43|Retuen|100-logout,101-logout,"
    );
    let cases = [
        (
            "orgidentity=nope&usertype=agent&user=8005&pwdtype=plaintext&password=8005pw",
            "BackMsg_02",
        ),
        (
            "usertype=agent&user=8005&pwdtype=plaintext&password=8005pw",
            "BackMsg_01",
        ),
        (
            "orgidentity=astercc&usertype=agent&user=8005&pwdtype=plaintext&password=wrong",
            "BackMsg_03",
        ),
        (
            "orgidentity=astercc&usertype=agent&user=7777&pwdtype=plaintext&password=8005pw",
            "BackMsg_03",
        ),
        (
            "orgidentity=astercc&usertype=agent&user=8005&pwdtype=md5&password=8005pw",
            "BackMsg_03",
        ),
        (
            "orgidentity=astercc&usertype=agent&user=8005&pwdtype=base64&password=8005pw",
            "BackMsg_28",
        ),
        (
            "orgidentity=astercc&usertype=account&user=admin&pwdtype=plaintext&password=x",
            "BackMsg_63",
        ),
    ];
    for (q, code) in cases {
        for event in ["LOGIN", "QUEUE", "MAKECALL", "TeamStatus"] {
            assert_eq!(
                a.post(&format!("EVENT={event}&{q}")).await,
                format!("|Retuen|2|Retuen|{code}"),
                "{event} {q}"
            );
        }
    }
    // Upper-case hex md5 is not the lower-case one the seed's clients send.
    let upper = md5.to_uppercase();
    assert_eq!(
        a.post(&format!(
            "EVENT=LOGIN&orgidentity=astercc&usertype=agent&user=8005&pwdtype=md5&password={upper}"
        ))
        .await,
        "|Retuen|2|Retuen|BackMsg_03"
    );
    // An account tied to no agent: team queries only.
    let admin =
        "orgidentity=astercc&usertype=account&user=admin&pwdtype=plaintext&password=adminpw";
    assert_eq!(
        a.post(&format!("EVENT=TeamStatus&{admin}&status=all"))
            .await,
        "|Retuen|1|Retuen|8005:logout,8006:logout,8001:logout"
    );
    assert_eq!(
        a.post(&format!("EVENT=QUEUE&{admin}&type=1")).await,
        "|Retuen|2|Retuen|BackMsg_38"
    );
    assert_eq!(
        a.post(&format!("EVENT=NOSUCH&{}", creds("8005"))).await,
        "|Retuen|2|Retuen|BackMsg_28"
    );
    assert_eq!(a.post(&creds("8005")).await, "|Retuen|2|Retuen|BackMsg_01");
}

#[tokio::test]
async fn seed_4_3_queue_per_group_results() {
    let a = A::default().await;
    assert_eq!(
        a.ev("8005", "QUEUE", "type=1&list=100,102,").await,
        "|Retuen|1|Retuen|100:success,102:NotFoundGroup"
    );
    assert_eq!(
        a.ev("8005", "QUEUE", "type=1&list=100,102").await,
        "|Retuen|3|Retuen|100:CheckedIn,102:NotFoundGroup"
    );
    assert_eq!(
        a.ev("8006", "QUEUE", "type=1&list=101").await,
        "|Retuen|3|Retuen|101:NotInGroup"
    );
    assert_eq!(
        a.ev("8005", "QUEUE", "type=2&list=101").await,
        "|Retuen|3|Retuen|101:NotChecked"
    );
    // The shared model: 8005's phone is a member of group 100's queue.
    let m = a.sim.queue_members(Some("5090"));
    assert_eq!(m.len(), 1);
    assert_eq!(m[0].1.interface, "SIP/2011");
    // Empty list: every group of the agent.
    assert_eq!(
        a.ev("8005", "QUEUE", "type=2&list=").await,
        "|Retuen|1|Retuen|100:success,101:NotChecked"
    );
    assert_eq!(
        a.ev("8005", "QUEUE", "type=1").await,
        "|Retuen|1|Retuen|100:success,101:success"
    );
    assert_eq!(
        a.ev("8005", "QUEUE", "type=3").await,
        "|Retuen|2|Retuen|BackMsg_13"
    );
}

#[tokio::test]
async fn seed_4_4_pause_reasons_and_4_26_realtime_counters() {
    let a = A::default().await;
    assert_eq!(
        a.ev("8005", "QUEUEPAUSE", "type=1&pause_reason=rest").await,
        "|Retuen|2|Retuen|BackMsg_58"
    );
    a.check_in("8005", "100").await;
    assert_eq!(
        a.ev("8005", "QUEUEPAUSE", "type=1").await,
        "|Retuen|2|Retuen|BackMsg_01"
    );
    let clock = a.sim.clock();
    assert_eq!(
        a.ev("8005", "QUEUEPAUSE", "type=1&pause_reason=rest&dnd=1")
            .await,
        "|Retuen|1|Retuen|BackMsg_14"
    );
    assert!(a.sim.queue_members(Some("5090"))[0].1.paused);
    assert_eq!(
        a.ev("8005", "QUEUEPAUSE", "type=1&pause_reason=lunch")
            .await,
        "|Retuen|2|Retuen|BackMsg_66"
    );
    clock.set_offset(chrono::Duration::seconds(10));
    assert_eq!(
        a.ev("8005", "QUEUEPAUSE", "type=2").await,
        "|Retuen|1|Retuen|BackMsg_14"
    );
    assert!(!a.sim.queue_members(Some("5090"))[0].1.paused);
    a.ev("8005", "QUEUEPAUSE", "type=1&pause_reason=meeting")
        .await;
    clock.set_offset(chrono::Duration::seconds(70));
    a.ev("8005", "QUEUEPAUSE", "type=2").await;
    a.ev("8005", "QUEUEPAUSE", "type=1&pause_reason=training")
        .await;
    clock.set_offset(chrono::Duration::seconds(75));
    // Name, number, status, seconds in it, counts (total, rest, leave, meeting, training,
    // lunch, other), seconds (same order). The training pause is still running.
    assert_eq!(
        a.ev("8005", "AgentRealtime", "").await,
        "|Retuen|1|Retuen|张三 8005 pause 5 3 1 0 1 1 0 0 75 10 0 60 5 0 0"
    );
    let v = a.h.agent("8005").unwrap();
    assert_eq!(v.pauses.total_count, 3);
    assert_eq!(v.pauses.by_reason["meeting"].secs, 60);
    assert_eq!(v.pause.unwrap().reason, "training");
}

#[tokio::test]
async fn seed_4_5_to_4_7_acw_and_workway_replies() {
    let a = A::default().await;
    assert_eq!(
        a.ev("8005", "ACW", "type=2&agent_group_id=100").await,
        "|Retuen|2|Retuen|BackMsg_60"
    );
    assert_eq!(
        a.ev("8005", "WORKWAY", "status=all").await,
        "|Retuen|2|Retuen|BackMsg_91"
    );
    a.check_in("8005", "100").await;
    assert_eq!(
        a.ev("8005", "ACW", "type=2&agent_group_id=100").await,
        "|Retuen|1|Retuen|BackMsg_59"
    );
    assert_eq!(
        a.ev("8005", "ACW", "type=1&agent_group_id=100,101").await,
        "|Retuen|2|Retuen|BackMsg_60"
    );
    assert_eq!(
        a.ev("8005", "ACW", "type=7").await,
        "|Retuen|2|Retuen|BackMsg_13"
    );
    assert_eq!(
        a.ev("8005", "ACWOFF", "").await,
        "|Retuen|2|Retuen|BackMsg_90"
    );
    assert_eq!(a.h.agent("8005").unwrap().groups[0].acw_mode, "answer");
    assert_eq!(
        a.ev("8005", "WORKWAY", "status=dialout&agent_group_id=100")
            .await,
        "|Retuen|1|Retuen|BackMsg_62"
    );
    // Outbound only: the group's queue offers the agent nothing.
    assert!(a.sim.queue_members(Some("5090"))[0].1.paused);
    assert_eq!(
        a.ev("8005", "WORKWAY", "status=sometimes").await,
        "|Retuen|2|Retuen|BackMsg_28"
    );
    assert_eq!(
        a.ev("8005", "WORKWAY", "status=dialin").await,
        "|Retuen|1|Retuen|BackMsg_62"
    );
    assert!(!a.sim.queue_members(Some("5090"))[0].1.paused);
    assert_eq!(
        a.ev(
            "8005",
            "MAKECALL",
            "targetdn=13800138000&targettype=exter&agentgroupid=100"
        )
        .await,
        "|Retuen|2|Retuen|BackMsg_18"
    );
}

#[tokio::test]
async fn acw_after_an_answered_call_holds_back_the_next_one() {
    let a = A::default().await;
    a.check_in("8005", "100").await;
    a.ev("8005", "ACW", "type=2").await;
    a.h.incoming("13800138000", "800888", "100").unwrap();
    a.sim.answer("2011").unwrap();
    // A second customer waits meanwhile.
    a.h.incoming("13900139000", "800888", "100").unwrap();
    a.sim.hangup_party("13800138000").unwrap();
    let v = a.h.agent("8005").unwrap();
    assert!(v.acw);
    assert_eq!(
        a.ev("8005", "AGENTSTATUS", "").await,
        "|Retuen|1|Retuen|BackMsg_43|Retuen|100-acw,101-logout,"
    );
    assert!(
        a.sim.channels_of("SIP/2011").is_empty(),
        "no call offered in ACW"
    );
    assert_eq!(
        a.ev("8005", "ACWOFF", "").await,
        "|Retuen|1|Retuen|BackMsg_61"
    );
    let legs = a.sim.channels_of("SIP/2011");
    assert_eq!(legs.len(), 1);
    assert_eq!(legs[0].state, ChannelState::Ringing);
    // Ring mode: a call that only rang is enough.
    a.ev("8005", "ACW", "type=1").await;
    a.sim.hangup_party("13900139000").unwrap();
    assert!(a.h.agent("8005").unwrap().acw);
    // Off: no after-call work.
    a.ev("8005", "ACWOFF", "").await;
    a.ev("8005", "ACW", "type=3").await;
    a.h.incoming("13700137000", "800888", "100").unwrap();
    a.sim.answer("2011").unwrap();
    a.sim.hangup_party("2011").unwrap();
    assert!(!a.h.agent("8005").unwrap().acw);
}

#[tokio::test]
async fn seed_4_8_makecall_rings_the_agent_then_the_customer() {
    let a = A::default().await;
    let q = "targetdn=13800138000&targettype=exter&agentgroupid=100&modeltype=Campaign&model_id=10&userdata=customer_id=109";
    assert_eq!(
        a.ev("8005", "MAKECALL", q).await,
        "|Retuen|2|Retuen|BackMsg_16"
    );
    a.check_in("8005", "100").await;
    assert_eq!(
        a.ev("8005", "MAKECALL", q).await,
        "|Retuen|1|Retuen|BackMsg_19"
    );
    let agent = a.sim.channels_of("SIP/2011");
    assert_eq!(agent.len(), 1);
    assert_eq!(agent[0].state, ChannelState::Ringing);
    assert!(
        a.sim.channels_of("Zap/g0").is_empty(),
        "the customer waits for the agent"
    );
    assert_eq!(
        a.ev("8005", "MAKECALL", q).await,
        "|Retuen|2|Retuen|BackMsg_22"
    );
    a.sim.answer("2011").unwrap();
    let ext = a.sim.channels_of("Zap/g0");
    assert_eq!(ext.len(), 1);
    assert_eq!(ext[0].callerid, "13800138000");
    assert_eq!(
        a.ev("8005", "MAKECALL", q).await,
        "|Retuen|2|Retuen|BackMsg_17|Retuen|busy"
    );
    a.sim.hangup_party("2011").unwrap();
    // Inner: another agent of the team, by work number.
    assert_eq!(
        a.ev("8005", "MAKECALL", "targetdn=8006&targettype=inner")
            .await,
        "|Retuen|1|Retuen|BackMsg_19"
    );
    a.sim.answer("2011").unwrap();
    assert_eq!(
        a.sim.channels_of("SIP/2012")[0].state,
        ChannelState::Ringing
    );
    a.sim.hangup_party("2011").unwrap();
    assert_eq!(
        a.ev("8005", "MAKECALL", "targetdn=9999&targettype=inner")
            .await,
        "|Retuen|2|Retuen|BackMsg_55"
    );
    assert_eq!(
        a.ev("8005", "MAKECALL", "targetdn=1&targettype=both").await,
        "|Retuen|2|Retuen|BackMsg_28"
    );
    assert_eq!(
        a.ev("8005", "MAKECALL", "targetdn=&targettype=exter").await,
        "|Retuen|2|Retuen|BackMsg_01"
    );
}

#[tokio::test]
async fn seed_4_30_devicecall() {
    let a = A::default().await;
    assert_eq!(
        a.post("EVENT=DeviceCall&orgidentity=astercc&exten=2012&targetdn=13800138000&callerid=4000820188").await,
        "|Retuen|1|Retuen|BackMsg_19"
    );
    assert_eq!(
        a.sim.channels_of("SIP/2012")[0].state,
        ChannelState::Ringing
    );
    assert_eq!(
        a.post("EVENT=DeviceCall&orgidentity=other&exten=2012&targetdn=1")
            .await,
        "|Retuen|2|Retuen|BackMsg_02"
    );
    assert_eq!(
        a.post("EVENT=DeviceCall&orgidentity=astercc&exten=4444&targetdn=1")
            .await,
        "|Retuen|2|Retuen|BackMsg_20"
    );
}

/// 8005 checked into 100 and talking to 13800138000 (inbound).
async fn in_call() -> A {
    let a = A::default().await;
    a.check_in("8005", "100").await;
    a.h.incoming("13800138000", "800888", "100").unwrap();
    a.sim.answer("2011").unwrap();
    a
}

#[tokio::test]
async fn seed_4_13_hangup_targets_and_per_uniqueid_results() {
    let a = A::default().await;
    assert_eq!(
        a.ev("8005", "HANGUP", "target=agent").await,
        "|Retuen|2|Retuen|BackMsg_01"
    );
    assert_eq!(
        a.ev("8005", "HANGUP", "target=nobody&targetagent=8005")
            .await,
        "|Retuen|2|Retuen|BackMsg_28"
    );
    assert_eq!(
        a.ev("8005", "HANGUP", "target=agent&targetagent=8005")
            .await,
        "|Retuen|2|Retuen|BackMsg_92"
    );
    let a = in_call().await;
    let customer = a.sim.channels_of("Zap/g0")[0].seq;
    let q = format!("target=channel&uniqueid={customer},999999");
    assert_eq!(
        a.ev("8005", "HANGUP", &q).await,
        format!("|Retuen|1|Retuen|{customer}:success,999999:failed")
    );
    assert!(
        a.sim.channels().is_empty(),
        "the agent's leg goes with the customer's"
    );

    let a = in_call().await;
    assert_eq!(
        a.ev("8005", "HANGUP", "target=caller&targetagent=8005")
            .await,
        "|Retuen|1|Retuen|BackMsg_37"
    );
    assert!(a.sim.channels().is_empty());
    let a = in_call().await;
    assert_eq!(
        a.ev("8005", "HANGUP", "target=consult&targetagent=8005")
            .await,
        "|Retuen|2|Retuen|BackMsg_92"
    );
    assert_eq!(
        a.ev("8005", "HANGUP", "target=all&targetagent=8005").await,
        "|Retuen|1|Retuen|BackMsg_37"
    );
    assert!(a.sim.channels().is_empty());
}

#[tokio::test]
async fn seed_4_20_4_21_hold_and_resume() {
    let a = A::default().await;
    assert_eq!(
        a.ev("8005", "Hold", "silence=0").await,
        "|Retuen|2|Retuen|BackMsg_96"
    );
    let a = in_call().await;
    assert_eq!(
        a.ev("8005", "Resume", "").await,
        "|Retuen|2|Retuen|BackMsg_53"
    );
    assert_eq!(
        a.ev("8005", "Hold", "silence=1").await,
        "|Retuen|1|Retuen|BackMsg_52"
    );
    let c = &a.sim.channels_of("Zap/g0")[0];
    assert!(
        matches!(&c.location, Location::App { context, exten } if context == "astercc-hold" && exten == "silence")
    );
    assert_eq!(
        a.ev("8005", "Hold", "silence=0").await,
        "|Retuen|2|Retuen|BackMsg_51"
    );
    assert_eq!(
        a.ev("8005", "Resume", "").await,
        "|Retuen|1|Retuen|BackMsg_54"
    );
    assert!(a.sim.channels().iter().all(|c| c.linked));
    // The agent hangs up while the customer waits on hold: the call ends.
    a.ev("8005", "Hold", "").await;
    a.sim.hangup_party("2011").unwrap();
    assert!(a.sim.channels().is_empty());
}

#[tokio::test]
async fn seed_4_9_to_4_12_consult_transfer_return_conference_replies() {
    let a = A::default().await;
    assert_eq!(
        a.ev(
            "8005",
            "CONSULT",
            "targetdn=8006&agentgroupid=100&consulttype=internal"
        )
        .await,
        "|Retuen|2|Retuen|BackMsg_92"
    );
    assert_eq!(
        a.ev("8005", "TRANSFER", "").await,
        "|Retuen|2|Retuen|BackMsg_29"
    );
    assert_eq!(
        a.ev("8005", "CALLRETURN", "").await,
        "|Retuen|2|Retuen|BackMsg_33"
    );
    assert_eq!(
        a.ev("8005", "CONFERENCE", "").await,
        "|Retuen|2|Retuen|BackMsg_35"
    );
    let a = in_call().await;
    assert_eq!(
        a.ev(
            "8005",
            "CONSULT",
            "targetdn=8006&agentgroupid=100&consulttype=internal"
        )
        .await,
        "|Retuen|2|Retuen|BackMsg_25"
    );
    assert_eq!(
        a.ev("8005", "CONSULT", "targetdn=8006&consulttype=sideways")
            .await,
        "|Retuen|2|Retuen|BackMsg_28"
    );
    a.check_in("8006", "100").await;
    a.ev("8006", "QUEUEPAUSE", "type=1&pause_reason=rest").await;
    assert_eq!(
        a.ev(
            "8005",
            "CONSULT",
            "targetdn=8006&agentgroupid=100&consulttype=internal"
        )
        .await,
        "|Retuen|2|Retuen|BackMsg_56|Retuen|pause"
    );
    a.ev("8006", "QUEUEPAUSE", "type=2").await;
    assert_eq!(
        a.ev(
            "8005",
            "CONSULT",
            "targetdn=8006&agentgroupid=100&consulttype=internal"
        )
        .await,
        "|Retuen|1|Retuen|BackMsg_27"
    );
    assert_eq!(
        a.ev(
            "8005",
            "CONSULT",
            "targetdn=13900139000&agentgroupid=0&consulttype=external"
        )
        .await,
        "|Retuen|2|Retuen|BackMsg_95"
    );
    assert_eq!(
        a.ev("8005", "TRANSFER", "").await,
        "|Retuen|2|Retuen|BackMsg_29"
    );
    assert_eq!(
        a.ev("8005", "Hold", "").await,
        "|Retuen|2|Retuen|BackMsg_51"
    );
    a.sim.answer("2012").unwrap();
    assert_eq!(
        a.ev("8005", "Resume", "").await,
        "|Retuen|2|Retuen|BackMsg_96"
    );
    assert_eq!(
        a.ev("8005", "CONFERENCE", "").await,
        "|Retuen|1|Retuen|BackMsg_34"
    );
    let rooms = a.sim.rooms();
    assert_eq!(rooms.len(), 1);
    assert_eq!(rooms[0].members.len(), 3);
    assert!(rooms[0].number.starts_with("astercc-"));
}

#[tokio::test]
async fn seed_4_27_dtmf_is_checked_and_recorded() {
    let a = A::default().await;
    assert_eq!(
        a.ev("8005", "SendDtmf", "dtmf=12A").await,
        "|Retuen|2|Retuen|BackMsg_97"
    );
    assert_eq!(
        a.ev("8005", "SendDtmf", "dtmf=12").await,
        "|Retuen|2|Retuen|BackMsg_98"
    );
    let a = in_call().await;
    assert_eq!(
        a.ev("8005", "SendDtmf", "dtmf=0123456789*%23").await,
        "|Retuen|1|Retuen|BackMsg_99"
    );
    let d = a.h.dtmf();
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].digits, "0123456789*#");
    assert_eq!(d[0].agent, "8005");
    assert_eq!(
        d[0].uniqueid,
        a.sim.channels_of("Zap/g0")[0].seq.to_string()
    );
}

#[tokio::test]
async fn seed_4_28_setvar_name_rule_and_shared_variables() {
    let a = A::default().await;
    assert_eq!(
        a.ev("8005", "SetVar", "varname=order_id&varvalue=1").await,
        "|Retuen|2|Retuen|BackMsg_101"
    );
    assert_eq!(
        a.ev("8005", "SetVar", "varname=ORDER_ID&varvalue=1").await,
        "|Retuen|2|Retuen|BackMsg_103"
    );
    let a = in_call().await;
    assert_eq!(
        a.ev("8005", "SetVar", "varname=ORDER-ID_2&varvalue=A%26B")
            .await,
        "|Retuen|1|Retuen|BackMsg_102"
    );
    let customer = a.sim.channels_of("Zap/g0")[0].name.clone();
    assert_eq!(a.sim.get_var(&customer, "ORDER-ID_2").unwrap(), "A&B");
}

#[tokio::test]
async fn seed_4_29_agent_to_ivr_release_and_hold() {
    let a = A::default().await;
    assert_eq!(
        a.ev("8005", "AgentToIvr", "ivrexten=9&ivrflow=1&transfer=0")
            .await,
        "|Retuen|2|Retuen|BackMsg_106"
    );
    assert_eq!(
        a.ev("8005", "AgentToIvr", "ivrexten=8000&ivrflow=1-x&transfer=0")
            .await,
        "|Retuen|2|Retuen|BackMsg_107"
    );
    assert_eq!(
        a.ev("8005", "AgentToIvr", "ivrexten=8000&ivrflow=1-2&transfer=0")
            .await,
        "|Retuen|2|Retuen|BackMsg_109"
    );
    let a = in_call().await;
    // The seed's spelling `AgentTolvr` is accepted too.
    assert_eq!(
        a.ev(
            "8005",
            "AgentTolvr",
            "ivrexten=8000&ivrflow=1-2-5&transfer=0"
        )
        .await,
        "|Retuen|1|Retuen|BackMsg_108"
    );
    assert!(a.sim.channels_of("SIP/2011").is_empty(), "released");
    let c = &a.sim.channels_of("Zap/g0")[0];
    assert!(
        matches!(&c.location, Location::App { context, exten } if context == "astercc-ivr" && exten == "8000|1-2-5")
    );

    let a = in_call().await;
    assert_eq!(
        a.ev("8005", "AgentToIvr", "ivrexten=8000&ivrflow=3&transfer=1")
            .await,
        "|Retuen|1|Retuen|BackMsg_108"
    );
    assert!(!a.sim.channels_of("SIP/2011")[0].linked, "the agent waits");
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert!(
        a.sim.channels().iter().all(|c| c.linked),
        "back from the IVR"
    );
}

#[tokio::test]
async fn seed_4_22_getmonitor_points_at_a_file_the_sim_serves() {
    let a = in_call().await;
    let call = a.sim.active_calls()[0].id.clone();
    a.sim.hangup_party("13800138000").unwrap();
    let sessionid = a.h.sessionid(&call);
    let date = a.h.recordings()[0].calldate.clone();
    let r = a
        .post(&format!(
            "EVENT=GetMonitor&sessionid={sessionid}&calldate={date}"
        ))
        .await;
    let url = r
        .strip_prefix("|Retuen|1|Retuen|")
        .unwrap_or_else(|| panic!("{r}"));
    let file = url
        .strip_prefix(&format!("{}/getMonitor/", a.server.url()))
        .unwrap_or_else(|| panic!("{url}"));
    assert!(file.ends_with("-8005-13800138000.wav"), "{file}");
    assert_eq!(file.len(), "20130123114549-8005-13800138000.wav".len());
    let resp = a.http.get(url).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    let bytes = resp.bytes().await.unwrap();
    assert_eq!(&bytes[..4], b"RIFF");
    assert_eq!(
        a.post(&format!(
            "EVENT=GetMonitor&sessionid={sessionid}&calldate=2013-02-09"
        ))
        .await,
        "|Retuen|2|Retuen|BackMsg_404"
    );
    assert_eq!(
        a.post("EVENT=GetMonitor&sessionid=&calldate=").await,
        "|Retuen|2|Retuen|BackMsg_01"
    );
}

#[tokio::test]
async fn seed_4_23_import_one_customer() {
    let a = A::default().await;
    // The seed's placeholder request with every parameter present.
    let import = |ctx: &str, phone_field: &str, dupway: &str, model_id: &str, source: &str| {
        format!(
            "modeltype=Campaign&model_id={model_id}&source={source}&context={ctx}&source_user=&source_pwd=&exetime=&delrow=0&phone_field={phone_field}&priority_field=&dialtime_field=&emptyagent=no&resetstatus=no&dupway={dupway}&dupdiallist=ignoreDuplicate&changepackage=skip"
        )
    };
    let ctx = "%E5%A7%93%E5%90%8D=%E5%AE%A2%E6%88%B7A%7Cphone1=13800138000";
    assert_eq!(
        a.ev("8005", "Import", &import(ctx, "", "skip", "10", "data"))
            .await,
        "|Retuen|1|Retuen|BackMsg_84"
    );
    assert_eq!(
        a.ev("8005", "Import", &import(ctx, "", "skip", "10", "data"))
            .await,
        "|Retuen|2|Retuen|BackMsg_81"
    );
    assert_eq!(
        a.ev(
            "8005",
            "Import",
            &import(ctx, "phone1", "update", "10", "data")
        )
        .await,
        "|Retuen|1|Retuen|BackMsg_78"
    );
    let other = "phone1=13900139000";
    assert_eq!(
        a.ev(
            "8005",
            "Import",
            &import(other, "phone1", "skip", "10", "data")
        )
        .await,
        "|Retuen|1|Retuen|BackMsg_83"
    );
    let imported = a.h.imports();
    assert_eq!(imported.len(), 2);
    assert_eq!(
        imported[0].fields[0],
        ("姓名".to_owned(), "客户A".to_owned())
    );
    assert_eq!(
        a.ev("8005", "Import", &import(ctx, "", "skip", "99", "data"))
            .await,
        "|Retuen|2|Retuen|BackMsg_73"
    );
    assert_eq!(
        a.ev("8005", "Import", &import(ctx, "", "skip", "x", "data"))
            .await,
        "|Retuen|2|Retuen|BackMsg_67"
    );
    assert_eq!(
        a.ev("8005", "Import", &import(ctx, "", "skip", "10", "mail"))
            .await,
        "|Retuen|2|Retuen|BackMsg_72"
    );
    assert_eq!(
        a.ev("8005", "Import", &import("", "", "skip", "10", "data"))
            .await,
        "|Retuen|2|Retuen|BackMsg_71"
    );
    assert_eq!(
        a.ev(
            "8005",
            "Import",
            &import("http://192.168.1.88/xxx.csv", "", "skip", "10", "http")
        )
        .await,
        "|Retuen|1|Retuen|1"
    );
    assert_eq!(
        a.ev(
            "8005",
            "Import",
            &import(ctx, "", "skip", "10", "data")
                .replace("modeltype=Campaign", "modeltype=BusinessApp")
        )
        .await,
        "|Retuen|2|Retuen|BackMsg_70"
    );
    // "All parameters must be present": one missing is a parameter error.
    assert_eq!(
        a.ev(
            "8005",
            "Import",
            &import(ctx, "", "skip", "10", "data").replace("&changepackage=skip", "")
        )
        .await,
        "|Retuen|2|Retuen|BackMsg_28"
    );
}

#[tokio::test]
async fn seed_4_16_4_19_4_24_status_queries() {
    let a = A::default().await;
    a.check_in("8005", "100").await;
    assert_eq!(
        a.ev("8005", "AGENTSTATUS", "").await,
        "|Retuen|1|Retuen|BackMsg_43|Retuen|100-idle,101-logout,"
    );
    assert_eq!(
        a.ev("8005", "AgentgroupStatus", "agent_group_id=100&status=all")
            .await,
        "|Retuen|1|Retuen|8005:idle,8006:logout"
    );
    assert_eq!(
        a.ev("8006", "AgentgroupStatus", "agent_group_id=100&status=all")
            .await,
        "|Retuen|2|Retuen|BackMsg_65"
    );
    assert_eq!(
        a.ev("8005", "AgentgroupStatus", "agent_group_id=555").await,
        "|Retuen|2|Retuen|BackMsg_50"
    );
    assert_eq!(
        a.ev(
            "8005",
            "AgentgroupStatus",
            "agent_group_id=100&status=busy,ring"
        )
        .await,
        "|Retuen|2|Retuen|BackMsg_94"
    );
    assert_eq!(
        a.ev("8005", "AgentgroupStatus", "agent_group_id=100&status=naps")
            .await,
        "|Retuen|2|Retuen|BackMsg_28"
    );
    a.h.incoming("13800138000", "800888", "100").unwrap();
    assert_eq!(
        a.ev(
            "8005",
            "AgentgroupStatus",
            "agent_group_id=100&status=idle,ring"
        )
        .await,
        "|Retuen|1|Retuen|8005:ring"
    );
    assert_eq!(
        a.ev("8006", "TeamStatus", "status=all").await,
        "|Retuen|1|Retuen|8005:ring,8006:logout,8001:logout"
    );
    a.sim.answer("2011").unwrap();
    assert_eq!(
        a.ev("8006", "TeamStatus", "status=login").await,
        "|Retuen|1|Retuen|8005:busy"
    );
    assert_eq!(
        a.ev("8006", "TeamStatus", "status=logout").await,
        "|Retuen|1|Retuen|8006:logout,8001:logout"
    );
    assert_eq!(
        a.ev("8006", "TeamStatus", "status=acw").await,
        "|Retuen|2|Retuen|BackMsg_94"
    );
}

#[tokio::test]
async fn seed_4_25_queue_customer_num() {
    let a = A::default().await;
    let ask = |q: &str| format!("EVENT=queueCustomerNum&orgidentity=astercc&queuenum={q}&prio=0");
    a.h.incoming("13800138000", "800888", "100").unwrap();
    // The seed's sample: one waiting customer.
    assert_eq!(a.post(&ask("5090")).await, "|Retuen|1|Retuen|1 0 1 0");
    a.h.incoming("13900139000", "800888", "100").unwrap();
    assert_eq!(a.post(&ask("5090")).await, "|Retuen|1|Retuen|2 0 2 0");
    a.check_in("8005", "100").await;
    assert_eq!(a.post(&ask("5090")).await, "|Retuen|1|Retuen|2 1 1 0");
    a.sim.answer("2011").unwrap();
    assert_eq!(a.post(&ask("5090")).await, "|Retuen|1|Retuen|2 0 1 1");
    assert_eq!(a.post(&ask("0")).await, "|Retuen|1|Retuen|2 0 1 1");
    assert_eq!(a.post(&ask("5091")).await, "|Retuen|1|Retuen|0 0 0 0");
    assert_eq!(a.post(&ask("4321")).await, "|Retuen|2|Retuen|BackMsg_30");
    assert_eq!(
        a.post("EVENT=queueCustomerNum&orgidentity=nope&queuenum=0")
            .await,
        "|Retuen|2|Retuen|BackMsg_02"
    );
}

#[tokio::test]
async fn seed_4_14_4_15_4_17_4_18_supervision() {
    let a = A::default().await;
    a.check_in("8006", "100").await;
    let t = "target=8006&phonenumber=2013";
    assert_eq!(
        a.ev("8005", "SILENTMONITOR", t).await,
        "|Retuen|2|Retuen|BackMsg_42"
    );
    assert_eq!(
        a.ev("8005", "INTRUDE", t).await,
        "|Retuen|2|Retuen|BackMsg_40"
    );
    assert_eq!(
        a.ev("8005", "Whisper", t).await,
        "|Retuen|2|Retuen|BackMsg_49"
    );
    assert_eq!(
        a.ev("8005", "ForcedRelease", t).await,
        "|Retuen|2|Retuen|BackMsg_45"
    );
    assert_eq!(
        a.ev("8006", "SILENTMONITOR", "target=8005").await,
        "|Retuen|2|Retuen|BackMsg_65"
    );
    a.h.incoming("13800138000", "800888", "100").unwrap();
    a.sim.answer("2012").unwrap();
    assert_eq!(
        a.ev("8005", "SILENTMONITOR", t).await,
        "|Retuen|1|Retuen|BackMsg_41"
    );
    a.sim.answer("2013").unwrap();
    let spies = a.sim.spies();
    assert_eq!(spies.len(), 1);
    assert_eq!(spies[0].target_exten, "2012");
    assert!(!spies[0].whisper);
    // The seed's Whisper spells the phone parameter `phonennummer`; no phone: the admin's own.
    assert_eq!(
        a.ev("8005", "Whisper", "target=8006&phonennummer=13700137000")
            .await,
        "|Retuen|1|Retuen|BackMsg_48"
    );
    a.sim.answer("13700137000").unwrap();
    assert!(a.sim.spies().iter().any(|s| s.whisper));
    assert_eq!(
        a.ev("8005", "INTRUDE", "target=8006").await,
        "|Retuen|1|Retuen|BackMsg_39"
    );
    a.sim.answer("2011").unwrap();
    assert_eq!(a.sim.spies().len(), 3);
    assert_eq!(
        a.ev("8005", "HANGUP", "target=groupadmin&targetagent=8006")
            .await,
        "|Retuen|1|Retuen|BackMsg_37"
    );
    assert!(a.sim.spies().is_empty());
    assert_eq!(
        a.ev("8005", "ForcedRelease", "target=8006").await,
        "|Retuen|1|Retuen|BackMsg_46"
    );
    assert!(a.sim.channels().is_empty());
    // Spy calls make no events: only the customer's call shows.
    assert!(a
        .h
        .events()
        .iter()
        .all(|e| e.event.calleridnum == "13800138000"));
}

#[tokio::test]
async fn fault_injection_applies_to_astercc() {
    let a = A::default().await;
    let body = format!("EVENT=AGENTSTATUS&{}", creds("8005"));
    let good = a.post(&body).await;
    a.sim.set_faults(Faults {
        error_status: 503,
        error_next: 1,
        malformed_next: 1,
        ..Faults::default()
    });
    let r = a
        .http
        .post(a.url())
        .body(body.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 503);
    let cut = a.post(&body).await;
    assert!(cut.len() < good.len() && good.starts_with(&cut), "{cut}");
    a.sim.set_faults(Faults {
        gbk: true,
        oversized_next: 1,
        oversized_bytes: 1000,
        ..Faults::default()
    });
    let r = a
        .http
        .post(a.url())
        .body(body.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["content-type"], "text/html; charset=GBK");
    let bytes = r.bytes().await.unwrap();
    assert_eq!(bytes.len(), good.len() + 1000);
    a.sim.set_faults(Faults {
        drop_next: 1,
        ..Faults::default()
    });
    assert!(a
        .http
        .post(a.url())
        .body(body.clone())
        .send()
        .await
        .is_err());
    a.sim.set_faults(Faults::default());
    assert_eq!(a.post(&body).await, good);
    // Failed and dropped requests are logged too.
    assert_eq!(a.sim.requests().len(), 6);
}
