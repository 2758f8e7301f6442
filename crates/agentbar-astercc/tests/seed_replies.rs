//! Every reply seed 003 prints in chapter 4, read by our parsers, and replies we refuse.
//!
//! The seed's reply tables lost their `|` to the PDF ("Retuen 1 Retuen 4781:success,..."),
//! so each sample is rebuilt on the format line printed above it:
//! `|Retuen|code|Retuen|message[|Retuen|status]`.

use agentbar_astercc::protocol::*;

#[test]
fn seed_4_x_the_two_shapes() {
    let ok = parse_reply("|Retuen|1|Retuen|message").unwrap();
    assert_eq!(
        (ok.code, ok.message.as_str(), ok.extra.len()),
        (ReplyCode::Success, "message", 0)
    );
    let r = parse_reply("|Retuen|2|Retuen|message").unwrap();
    assert_eq!(r.code, ReplyCode::Failure);
    assert_eq!(
        r.into_result(),
        Err(ServerError::Text {
            text: "message".into()
        })
    );
}

#[test]
fn seed_4_1_login_with_the_groups_part() {
    let r = parse_reply("|Retuen|1|Retuen|message|Retuen|status").unwrap();
    assert_eq!(r.third(), "status");
    // The third part as the JS chapter (5.1) prints it, with the PDF's line break joined.
    let body = "|Retuen|1|Retuen|BackMsg_04|Retuen|agent_group_id=1&groupname=日语客服组&status=idel&groupadmin=no&agenttype=static&agentline=online&errorcall=no&agent_id=10|||agent_group_id=2&groupname=English&status=pause&groupadmin=yes&agenttype=dynamic&agentline=online&errorcall=no&agent_id=11|||";
    let r = parse_reply(body).unwrap().into_result().unwrap();
    assert_eq!(r.message, "BackMsg_04");
    let groups = parse_login_groups(r.third());
    assert_eq!(
        groups,
        vec![
            GroupInfo {
                id: "1".into(),
                name: Some("日语客服组".into()),
                status: StatusWord::Idle,
                admin: false
            },
            GroupInfo {
                id: "2".into(),
                name: Some("English".into()),
                status: StatusWord::Pause,
                admin: true
            },
        ]
    );
    // The AGENTSTATUS form reads too; nonsense gives no groups but no error.
    assert_eq!(parse_login_groups("1-idle,2-busy,").len(), 2);
    assert!(parse_login_groups("whatever").is_empty());
    assert!(parse_login_groups("").is_empty());
}

#[test]
fn seed_4_3_queue_results() {
    let r = parse_reply("|Retuen|1|Retuen|1:success,2:NotChecked").unwrap();
    assert_eq!(r.code, ReplyCode::Success);
    assert_eq!(
        parse_group_results(&r.message).unwrap(),
        vec![
            ("1".into(), GroupOutcome::Success),
            ("2".into(), GroupOutcome::NotChecked)
        ]
    );
    let r = parse_reply("|Retuen|3|Retuen|1:NotChecked,2:NotFoundGroup").unwrap();
    assert_eq!(r.code, ReplyCode::Partial);
    let results = parse_group_results(&r.message).unwrap();
    assert_eq!(results[1], ("2".into(), GroupOutcome::NotFoundGroup));
    // Every result word of 执行结果释义, and what each means for sign-in and sign-out.
    let all = parse_group_results(
        "1:success,2:CheckedIn,3:NotInGroup,4:NotFoundGroup,5:NotChecked,6:Odd,",
    )
    .unwrap();
    let signin: Vec<bool> = all
        .iter()
        .map(|(_, o)| o.reached(QueueAction::SignIn))
        .collect();
    let signout: Vec<bool> = all
        .iter()
        .map(|(_, o)| o.reached(QueueAction::SignOut))
        .collect();
    assert_eq!(signin, [true, true, false, false, false, false]);
    assert_eq!(signout, [true, false, false, false, true, false]);
    assert_eq!(all[5].1, GroupOutcome::Other("Odd".into()));
    assert!(parse_group_results("1success").is_err());
    assert!(parse_group_results("x:success").is_err());
}

#[test]
fn seed_4_13_hangup_per_uniqueid() {
    let r = parse_reply("|Retuen|1|Retuen|4781:success,4782:failed").unwrap();
    assert_eq!(
        parse_hangup_results(&r.message).unwrap(),
        vec![("4781".into(), true), ("4782".into(), false)]
    );
    assert!(parse_hangup_results("BackMsg_37").unwrap().is_empty());
    assert!(parse_hangup_results("4781:success,?:x").is_err());
}

#[test]
fn seed_4_16_agentstatus_groups() {
    // Format line: `agentgroupid1-status1,agentgroupid2-status2,..... agentgroupidn-statusn,`
    let r = parse_reply("|Retuen|1|Retuen|BackMsg_43|Retuen|1-idle,2-pause,").unwrap();
    assert_eq!(
        parse_group_states(r.third()).unwrap(),
        vec![
            ("1".into(), StatusWord::Idle),
            ("2".into(), StatusWord::Pause)
        ]
    );
    assert!(parse_group_states("").unwrap().is_empty());
    assert!(parse_group_states("idle").is_err());
    assert!(parse_group_states("a-idle").is_err());
}

#[test]
fn seed_4_19_and_4_24_agent_lists() {
    // `Retuen 1 Retuen 1005: idle,1006:ring` (note the space after the first colon).
    let r = parse_reply("|Retuen|1|Retuen|1005: idle,1006:ring").unwrap();
    assert_eq!(
        parse_agent_states(&r.message).unwrap(),
        vec![
            ("1005".into(), StatusWord::Idle),
            ("1006".into(), StatusWord::Ringing)
        ]
    );
    let words = parse_agent_states("1:idle,2:busy,3:ring,4:pause,5:acw,6:login,7:logout,").unwrap();
    let team: Vec<String> = words.iter().map(|(_, w)| w.team_word()).collect();
    assert_eq!(
        team,
        [
            "ready",
            "talking",
            "ringing",
            "not_ready",
            "wrap_up",
            "ready",
            "signed_out"
        ]
    );
    assert!(parse_agent_states("BackMsg_43").unwrap().is_empty());
    assert!(parse_agent_states("1005 idle").is_err());
}

#[test]
fn seed_4_22_getmonitor_address() {
    // The space inside the address is the PDF's line break.
    let r = parse_reply(
        "|Retuen|1|Retuen|http://192.168.1.100:8880/getMonitor/ 20130123114549-2227-1986.wav",
    )
    .unwrap();
    assert_eq!(
        parse_monitor_url(&r.message).unwrap(),
        "http://192.168.1.100:8880/getMonitor/20130123114549-2227-1986.wav"
    );
    assert!(parse_monitor_url("BackMsg_44").is_err());
    assert!(parse_monitor_url("file:///etc/passwd").is_err());
    assert!(parse_monitor_url("http:///x").is_err());
}

#[test]
fn seed_4_25_queue_customers_every_form() {
    let want = QueueCustomers {
        total: 1,
        ringing: 0,
        waiting: 1,
        talking: 0,
    };
    assert_eq!(
        parse_queue_customers("|Retuen|1|Retuen|1 0 1 0").unwrap(),
        Ok(want)
    );
    assert_eq!(
        parse_queue_customers("|Retuen|1|Retuen|1|0|1|0").unwrap(),
        Ok(want)
    );
    // The SOAP chapter's forms (3.25).
    assert_eq!(parse_queue_customers("1|1|0|1|0").unwrap(), Ok(want));
    let refused = parse_queue_customers("0|BackMsg_02").unwrap().unwrap_err();
    assert_eq!(refused.code(), "BackMsg_02");
    assert!(refused.is_auth());
    assert_eq!(
        parse_queue_customers("|Retuen|2|Retuen|BackMsg_50")
            .unwrap()
            .unwrap_err()
            .code(),
        "BackMsg_50"
    );
    assert!(parse_queue_customers("|Retuen|1|Retuen|1 0 1").is_err());
    assert!(parse_queue_customers("|Retuen|1|Retuen|a b c d").is_err());
    assert!(parse_queue_customers("hello").is_err());
}

#[test]
fn seed_4_26_agentrealtime_18_fields() {
    let r = parse_reply("|Retuen|1|Retuen|张三 8005 busy 85 7 1 1 2 1 1 1 120 10 20 60 10 10 10}")
        .unwrap();
    let rt = parse_realtime(&r.message).unwrap();
    assert_eq!(
        rt,
        AgentRealtime {
            name: "张三".into(),
            number: "8005".into(),
            state: StatusWord::Busy,
            state_secs: 85,
            pause_count: 7,
            pause_counts: PauseFigures {
                rest: 1,
                leave: 1,
                meeting: 2,
                training: 1,
                lunch: 1,
                other: 1
            },
            pause_secs: 120,
            pause_durations: PauseFigures {
                rest: 10,
                leave: 20,
                meeting: 60,
                training: 10,
                lunch: 10,
                other: 10
            },
        }
    );
    // "坐席名称若为空": no name gives 17 fields.
    let rt = parse_realtime("8005 idle 3 0 0 0 0 0 0 0 0 0 0 0 0 0 0").unwrap();
    assert_eq!((rt.name.as_str(), rt.state), ("", StatusWord::Idle));
    for w in ["idle", "pause", "ring", "busy", "acw", "logout"] {
        let rt = parse_realtime(&format!("n 1 {w} 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0")).unwrap();
        assert!(!matches!(rt.state, StatusWord::Other(_)), "{w}");
    }
    assert!(parse_realtime("张三 8005 busy").is_err());
    assert!(parse_realtime("张三 8005 busy x 7 1 1 2 1 1 1 120 10 20 60 10 10 10").is_err());
}

#[test]
fn failures_carry_the_backmsg_code() {
    let e = parse_reply("|Retuen|2|Retuen|BackMsg_16")
        .unwrap()
        .into_result()
        .unwrap_err();
    assert_eq!(e.code(), "BackMsg_16");
    assert_eq!(e.back_msg().unwrap().zh, "呼叫失败,坐席未签入");
    assert!(e.to_string().contains("BackMsg_16"));
    // A detail after the code is kept.
    let e = parse_reply("|Retuen|2|Retuen|BackMsg_17[busy]")
        .unwrap()
        .into_result()
        .unwrap_err();
    assert!(
        matches!(&e, ServerError::Known { detail: Some(d), .. } if d == "busy"),
        "{e:?}"
    );
}

#[test]
fn an_unknown_backmsg_code_is_a_clear_error_keeping_the_code() {
    let e = parse_reply("|Retuen|2|Retuen|BackMsg_999")
        .unwrap()
        .into_result()
        .unwrap_err();
    assert_eq!(
        e,
        ServerError::UnknownCode {
            raw: "BackMsg_999".into()
        }
    );
    assert_eq!(e.code(), "BackMsg_999");
    assert!(e.to_string().contains("unknown server message code"), "{e}");
}

#[test]
fn replies_without_the_separator_or_with_odd_codes_are_refused() {
    for bad in [
        "",
        "   ",
        "1|success",
        "<html><body>404 Not Found</body></html>",
        "|Retuen|",
        "|Retuen||Retuen|x",
        "|Retuen|4|Retuen|x",
        "|Retuen|ok|Retuen|x",
        "|Retuen 1 Retuen message",
    ] {
        match parse_reply(bad) {
            Err(ProtocolError::Malformed {
                what: "reply",
                reason,
            }) => assert!(!reason.is_empty()),
            other => panic!("{bad:?} gave {other:?}"),
        }
    }
    let e = parse_reply("no separator here").unwrap_err();
    assert!(e.to_string().contains("|Retuen|"), "{e}");
}
