//! Every request string seed 003 prints in chapter 4, rebuilt by our builders.
//!
//! Each literal is copied from the seed with the PDF's line breaks joined and its bold
//! markup (`**`) removed. The seed writes each value as its own name (`type=type`); the
//! test's credentials use those names where they are valid values (`orgidentity`, `user`,
//! `password` in plain text), and [`fill`] puts real values (form-encoded) where the name is
//! not one (`usertype=agent`, `type=1`, ...). The order of parameters is the seed's.

use agentbar_astercc::protocol::*;
use std::collections::BTreeMap;

fn creds() -> Credentials {
    Credentials::new(
        OrgIdentity::parse("orgidentity").unwrap(),
        UserType::Agent,
        AgentNo::parse("user").unwrap(),
        PwdType::Plaintext,
        &Password::new("password"),
    )
}

/// The seed's literal with the values of `subst` put in (encoded as a form value); keys must
/// be in the literal.
fn fill(seed: &str, subst: &[(&str, &str)]) -> String {
    let base = [("usertype", "agent"), ("pwdtype", "plaintext")];
    seed.split('&')
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap();
            match subst.iter().chain(base.iter()).find(|(sk, _)| *sk == k) {
                Some((_, nv)) => format!("{k}={}", encode_form_value(nv)),
                None => format!("{k}={v}"),
            }
        })
        .collect::<Vec<_>>()
        .join("&")
}

fn check(req: &Request, seed: &str, subst: &[(&str, &str)]) {
    for (k, _) in subst {
        assert!(
            seed.contains(&format!("&{k}=")),
            "{k} not in the seed literal"
        );
    }
    assert_eq!(req.render(&creds()), fill(seed, subst));
}

fn check_with_tail(req: &Request, seed: &str, subst: &[(&str, &str)], tail: &str) {
    assert_eq!(req.render(&creds()), format!("{}{tail}", fill(seed, subst)));
}

fn g(ids: &[&str]) -> Vec<GroupId> {
    ids.iter().map(|i| GroupId::parse(i).unwrap()).collect()
}
fn num(n: &str) -> PhoneNumber {
    PhoneNumber::parse(n).unwrap()
}
fn agent(a: &str) -> AgentNo {
    AgentNo::parse(a).unwrap()
}

/// The auth fields the seed leaves out of 4.22, 4.25 and 4.30, appended by us.
const AUTH_TAIL: &str = "&usertype=agent&user=user&pwdtype=plaintext&password=password";

#[test]
fn seed_4_php_sample_login_with_real_values() {
    let c = Credentials::new(
        OrgIdentity::parse("astercc").unwrap(),
        UserType::Agent,
        agent("2227"),
        PwdType::Plaintext,
        &Password::new("2227"),
    );
    assert_eq!(
        login().render(&c),
        "EVENT=LOGIN&orgidentity=astercc&usertype=agent&user=2227&pwdtype=plaintext&password=2227"
    );
    // md5: the password travels as its lower-case hex md5.
    let c = Credentials::new(
        OrgIdentity::parse("astercc").unwrap(),
        UserType::Account,
        agent("admin"),
        PwdType::Md5,
        &Password::new("123456"),
    );
    assert_eq!(
        login().render(&c),
        "EVENT=LOGIN&orgidentity=astercc&usertype=account&user=admin&pwdtype=md5&password=e10adc3949ba59abbe56e057f20f883e"
    );
}

#[test]
fn seed_4_1_login() {
    check(&login(), "EVENT=LOGIN&orgidentity=orgidentity&usertype=usertype&user=user&pwdtype=pwdtype&password=password", &[]);
}

#[test]
fn seed_4_2_logout() {
    check(&logout(), "EVENT=LOGOUT&orgidentity=orgidentity&usertype=usertype&user=user&pwdtype=pwdtype&password=password", &[]);
}

const QUEUE: &str = "EVENT=QUEUE&type=type&usertype=usertype&user=user&orgidentity=orgidentity&list=list&pwdtype=pwdtype&password=password";

#[test]
fn seed_4_3_queue_sign_in_and_out() {
    check(
        &queue(QueueAction::SignIn, &g(&["1", "2"]), None, false),
        QUEUE,
        &[("type", "1"), ("list", "1,2")],
    );
    check(
        &queue(QueueAction::SignOut, &[], None, false),
        QUEUE,
        &[("type", "2"), ("list", "")],
    );
    // The JS client's extras come after the seed's fields, only when asked for.
    check_with_tail(
        &queue(QueueAction::SignIn, &g(&["7"]), Some(&num("8001")), true),
        QUEUE,
        &[("type", "1"), ("list", "7")],
        "&deviceexten=8001&pushevent=yes",
    );
}

const QUEUEPAUSE: &str = "EVENT=QUEUEPAUSE&type=type&usertype=usertype&user=user&orgidentity=orgidentity&pause_reason=pause_reason&pwdtype=pwdtype&password=password&dnd=dnd";

#[test]
fn seed_4_4_queuepause_with_reason_and_dnd() {
    let lunch = PauseReason::parse("lunch").unwrap();
    check(
        &queue_pause(Some(&lunch), true, false),
        QUEUEPAUSE,
        &[("type", "1"), ("pause_reason", "lunch"), ("dnd", "1")],
    );
    check(
        &queue_pause(None, false, false),
        QUEUEPAUSE,
        &[("type", "2"), ("pause_reason", ""), ("dnd", "")],
    );
    for r in STANDARD_PAUSE_REASONS {
        let pr = PauseReason::parse(r).unwrap();
        assert_eq!(
            queue_pause(Some(&pr), false, false).get("pause_reason"),
            Some(r)
        );
    }
    // A custom reason is sent as it is, encoded.
    let custom = PauseReason::parse("培训-2").unwrap();
    check(
        &queue_pause(Some(&custom), false, false),
        QUEUEPAUSE,
        &[("type", "1"), ("pause_reason", "培训-2"), ("dnd", "")],
    );
}

#[test]
fn seed_4_5_acw_modes() {
    let seed = "EVENT=ACW&type=type&usertype=usertype&user=user&orgidentity=orgidentity&agent_group_id=agent_group_id&pwdtype=pwdtype&password=password";
    for (mode, t) in [
        (AcwMode::Ring, "1"),
        (AcwMode::Answer, "2"),
        (AcwMode::Off, "3"),
    ] {
        check(
            &acw(mode, &g(&["1", "2", "3"]), false),
            seed,
            &[("type", t), ("agent_group_id", "1,2,3")],
        );
    }
}

#[test]
fn seed_4_6_acwoff() {
    check(&acw_off(false), "EVENT=ACWOFF&usertype=usertype&user=user&orgidentity=orgidentity&pwdtype=pwdtype&password=password", &[]);
}

#[test]
fn seed_4_7_workway() {
    let seed = "EVENT=WORKWAY&status=status&usertype=usertype&user=user&orgidentity=orgidentity&pwdtype=pwdtype&password=password&agent_group_id=agent_group_id";
    for (w, s) in [
        (Workway::Dialin, "dialin"),
        (Workway::Dialout, "dialout"),
        (Workway::All, "all"),
    ] {
        check(
            &workway(w, &g(&["1", "2", "3"]), false),
            seed,
            &[("status", s), ("agent_group_id", "1,2,3")],
        );
    }
}

const MAKECALL: &str = "EVENT=MAKECALL&targetdn=targetdn&targettype=targettype&agentgroupid=agentgroupid&usertype=usertype&user=user&orgidentity=orgidentity&pwdtype=pwdtype&password=password&modeltype=modeltype&model_id=model_id&userdata=userdata";

#[test]
fn seed_4_8_makecall_external_with_userdata() {
    let mut data = BTreeMap::new();
    data.insert("customer_id".to_string(), "109".to_string());
    data.insert("pwd".to_string(), "asdfg".to_string());
    let ud = UserData::from_map(&data).unwrap();
    assert_eq!(ud.as_str(), "customer_id=109&pwd=asdfg");
    let req = make_call(
        &DialTarget::External(num("013888888888")),
        Some(&g(&["100"])[0]),
        ModelType::Campaign,
        &ModelId::parse("10").unwrap(),
        &ud,
        &DialExtras::default(),
    );
    check(
        &req,
        MAKECALL,
        &[
            ("targetdn", "013888888888"),
            ("targettype", "exter"),
            ("agentgroupid", "100"),
            ("modeltype", "Campaign"),
            ("model_id", "10"),
            ("userdata", "customer_id=109&pwd=asdfg"),
        ],
    );
    assert!(req
        .render(&creds())
        .contains("&userdata=customer_id%3D109%26pwd%3Dasdfg"));
}

#[test]
fn seed_4_8_makecall_inner_and_the_optional_fields() {
    let extras = DialExtras {
        agentexten: Some(num("8001")),
        callerid: Some(num("4000820188")),
        callername: Some(CallerName::parse("Service").unwrap()),
        trunkidentity: Some(TrunkIdentity::parse("trunk-1").unwrap()),
        cidtype: Some(CidType::Given),
    };
    let req = make_call(
        &DialTarget::Agent(agent("1986")),
        None,
        ModelType::BusinessApp,
        &ModelId::parse("").unwrap(),
        &UserData::default(),
        &extras,
    );
    check_with_tail(
        &req,
        MAKECALL,
        &[
            ("targetdn", "1986"),
            ("targettype", "inner"),
            ("agentgroupid", ""),
            ("modeltype", "BusinessApp"),
            ("model_id", ""),
            ("userdata", ""),
        ],
        "&agentexten=8001&callerid=4000820188&callername=Service&trunkidentity=trunk-1&cidtype=0",
    );
}

#[test]
fn userdata_refuses_what_would_break_the_event_string() {
    for (k, v) in [
        ("a b", "1"),
        ("k", "x&y"),
        ("k", "x=y"),
        ("k", "it's"),
        ("", "1"),
    ] {
        let mut m = BTreeMap::new();
        m.insert(k.to_string(), v.to_string());
        assert!(UserData::from_map(&m).is_err(), "{k:?}={v:?}");
    }
}

#[test]
fn seed_4_9_consult_internal_and_external() {
    let seed = "EVENT=CONSULT&targetdn=targetdn&agentgroupid=agentgroupid&consulttype=consulttype&pwdtype=pwdtype&password=password&usertype=usertype&user=user&orgidentity=orgidentity";
    let internal = ConsultTarget::Internal {
        agent: agent("1986"),
        group: g(&["100"]).remove(0),
    };
    check(
        &consult(&internal),
        seed,
        &[
            ("targetdn", "1986"),
            ("agentgroupid", "100"),
            ("consulttype", "internal"),
        ],
    );
    // External consults send group 0 (seed: "外线咨询时填 0").
    check(
        &consult(&ConsultTarget::External(num("013888888888"))),
        seed,
        &[
            ("targetdn", "013888888888"),
            ("agentgroupid", "0"),
            ("consulttype", "external"),
        ],
    );
}

#[test]
fn seed_4_10_to_4_12_transfer_callreturn_conference() {
    check(&transfer(), "EVENT=TRANSFER&pwdtype=pwdtype&password=password&usertype=usertype&user=user&orgidentity=orgidentity", &[]);
    check(&call_return(), "EVENT=CALLRETURN&pwdtype=pwdtype&password=password&usertype=usertype&user=user&orgidentity=orgidentity", &[]);
    check(&conference(), "EVENT=CONFERENCE&pwdtype=pwdtype&password=password&usertype=usertype&user=user&orgidentity=orgidentity", &[]);
}

const HANGUP: &str = "EVENT=HANGUP&uniqueid=uniqueid&targetagent=targetagent&target=target&pwdtype=pwdtype&password=password&usertype=usertype&user=user&orgidentity=orgidentity";

#[test]
fn seed_4_13_hangup_every_target() {
    let uids = [
        UniqueId::parse("4781").unwrap(),
        UniqueId::parse("4782").unwrap(),
    ];
    let req = hangup(HangupTarget::Channel, &uids, None).unwrap();
    check(
        &req,
        HANGUP,
        &[
            ("uniqueid", "4781,4782"),
            ("targetagent", ""),
            ("target", "channel"),
        ],
    );
    for (t, w) in [
        (HangupTarget::Agent, "agent"),
        (HangupTarget::Caller, "caller"),
        (HangupTarget::Consult, "consult"),
        (HangupTarget::All, "all"),
    ] {
        let req = hangup(t, &[], Some(&agent("1986"))).unwrap();
        check(
            &req,
            HANGUP,
            &[("uniqueid", ""), ("targetagent", "1986"), ("target", w)],
        );
    }
    // Seed: "2227 组长监听 1986, 欲挂断 2227, 此处需要填写 1986".
    let req = hangup(HangupTarget::GroupAdmin, &[], Some(&agent("1986"))).unwrap();
    check(
        &req,
        HANGUP,
        &[
            ("uniqueid", ""),
            ("targetagent", "1986"),
            ("target", "groupadmin"),
        ],
    );
}

#[test]
fn seed_4_13_hangup_rules_are_checked_before_sending() {
    assert!(hangup(HangupTarget::Channel, &[], Some(&agent("1986"))).is_err());
    assert!(hangup(HangupTarget::Agent, &[], None).is_err());
    let u = [UniqueId::parse("4781").unwrap()];
    assert!(hangup(HangupTarget::GroupAdmin, &u, None).is_err());
    assert!(hangup(HangupTarget::Consult, &u, None).is_ok());
}

#[test]
fn seed_4_14_intrude() {
    check(
        &supervise(SpyKind::Intrude, &agent("1986"), &num("8001")),
        "EVENT=INTRUDE&target=target&phonenumber=phonenumber&pwdtype=pwdtype&password=password&usertype=usertype&user=user&orgidentity=orgidentity",
        &[("target", "1986"), ("phonenumber", "8001")],
    );
}

#[test]
fn seed_4_15_silentmonitor_sends_both_spellings() {
    // The PDF's bold markup splits the name: `**phonenum**ber=phonenumbe**r**`.
    check_with_tail(
        &supervise(SpyKind::Monitor, &agent("1986"), &num("8001")),
        "EVENT=SILENTMONITOR&target=target&phonenumber=phonenumber&pwdtype=pwdtype&password=password&usertype=usertype&user=user&orgidentity=orgidentity",
        &[("target", "1986"), ("phonenumber", "8001")],
        "&phonennummer=8001",
    );
}

#[test]
fn seed_4_16_agentstatus() {
    check(&agent_status(), "EVENT=AGENTSTATUS&orgidentity=orgidentity&usertype=usertype&user=user&pwdtype=pwdtype&password=password", &[]);
}

#[test]
fn seed_4_17_forcedrelease_sends_both_spellings() {
    check_with_tail(
        &supervise(SpyKind::ForcedRelease, &agent("1986"), &num("8001")),
        "EVENT=ForcedRelease&target=target&phonenumber=phonenumber&pwdtype=pwdtype&password=password&usertype=usertype&user=user&orgidentity=orgidentity",
        &[("target", "1986"), ("phonenumber", "8001")],
        "&phonennummer=8001",
    );
}

#[test]
fn seed_4_18_whisper_keeps_phonennummer_and_adds_phonenumber() {
    check_with_tail(
        &supervise(SpyKind::Whisper, &agent("1986"), &num("8001")),
        "EVENT=Whisper&target=target&phonennummer=phonennummer&pwdtype=pwdtype&password=password&usertype=usertype&user=user&orgidentity=orgidentity",
        &[("target", "1986"), ("phonennummer", "8001")],
        "&phonenumber=8001",
    );
}

#[test]
fn seed_4_19_agentgroupstatus_with_filters() {
    let seed = "EVENT=AgentgroupStatus&orgidentity=orgidentity&usertype=usertype&user=user&pwdtype=pwdtype&password=password&agent_group_id=agent_group_id&status=status";
    let req = agentgroup_status(&g(&["1"])[0], &[StatusFilter::Idle, StatusFilter::Busy]);
    check(
        &req,
        seed,
        &[("agent_group_id", "1"), ("status", "idle,busy")],
    );
    let req = agentgroup_status(&g(&["1"])[0], &[]);
    check(&req, seed, &[("agent_group_id", "1"), ("status", "all")]);
    let every = [
        StatusFilter::All,
        StatusFilter::Idle,
        StatusFilter::Busy,
        StatusFilter::Ring,
        StatusFilter::Pause,
        StatusFilter::Acw,
        StatusFilter::Login,
        StatusFilter::Logout,
    ];
    assert_eq!(
        agentgroup_status(&g(&["1"])[0], &every).get("status"),
        Some("all,idle,busy,ring,pause,acw,login,logout")
    );
}

#[test]
fn seed_4_20_hold_and_4_21_resume() {
    let seed = "EVENT=Hold&silence=silence&orgidentity=orgidentity&usertype=usertype&user=user&pwdtype=pwdtype&password=password";
    check(&hold(true), seed, &[("silence", "1")]);
    check(&hold(false), seed, &[("silence", "0")]);
    check(&resume(), "EVENT=Resume&orgidentity=orgidentity&usertype=usertype&user=user&pwdtype=pwdtype&password=password", &[]);
}

#[test]
fn seed_4_22_getmonitor() {
    let req = get_monitor(
        &SessionId::parse("efeb7b374a3408b0d0954f30a1504d83").unwrap(),
        &CallDate::parse("2013-02-09").unwrap(),
    );
    check_with_tail(
        &req,
        "EVENT=GetMonitor&sessionid=sessionid&calldate=calldate",
        &[
            ("sessionid", "efeb7b374a3408b0d0954f30a1504d83"),
            ("calldate", "2013-02-09"),
        ],
        "&orgidentity=orgidentity&usertype=agent&user=user&pwdtype=plaintext&password=password",
    );
}

const IMPORT: &str = "EVENT=Import&orgidentity=orgidentity&usertype=usertype&user=user&pwdtype=pwdtype&password=password&modeltype=modeltype&model_id=model_id&source=source&context=context&source_user=source_user&source_pwd=source_pwd&exetime=exetime&delrow=delrow&phone_field=phone_field&priority_field=priority_field&dialtime_field=dialtime_field&emptyagent=emptyagent&resetstatus=resetstatus&dupway=dupway&dupdiallist=dupdiallist&changepackage=changepackage";

#[test]
fn seed_4_23_import_data() {
    let record = ImportRecord::new(&[("姓名", "客户 A"), ("phone1", "13800000008")]).unwrap();
    let opts = ImportOptions {
        phone_field: "phone1".into(),
        priority_field: "priority".into(),
        dialtime_field: "dialtime".into(),
        emptyagent: true,
        resetstatus: false,
        dupway: DupWay::Update,
        dupdiallist: DupDialList::IgnoreSuccess,
        changepackage: ChangePackage::ReassignToCurrent,
    };
    let req = import_data(&ModelId::parse("12").unwrap(), &record, &opts).unwrap();
    check(
        &req,
        IMPORT,
        &[
            ("modeltype", "Campaign"),
            ("model_id", "12"),
            ("source", "data"),
            ("context", "姓名=客户 A|phone1=13800000008"),
            ("source_user", ""),
            ("source_pwd", ""),
            ("exetime", ""),
            ("delrow", ""),
            ("phone_field", "phone1"),
            ("priority_field", "priority"),
            ("dialtime_field", "dialtime"),
            ("emptyagent", "yes"),
            ("resetstatus", "no"),
            ("dupway", "update"),
            ("dupdiallist", "ignoreSuccess"),
            ("changepackage", "reassignToCurrent"),
        ],
    );
}

#[test]
fn seed_4_23_import_with_the_three_fields_left_empty() {
    // The seed's second literal: phone_field, priority_field and dialtime_field empty.
    let seed = "EVENT=Import&orgidentity=orgidentity&usertype=usertype&user=user&pwdtype=pwdtype&password=password&modeltype=modeltype&model_id=model_id&source=source&context=context&source_user=source_user&source_pwd=source_pwd&exetime=exetime&delrow=delrow&phone_field=&priority_field=&dialtime_field=&emptyagent=emptyagent&resetstatus=resetstatus&dupway=dupway&dupdiallist=dupdiallist&changepackage=changepackage";
    let record = ImportRecord::new(&[("phone1", "13800000008")]).unwrap();
    let req = import_data(
        &ModelId::parse("12").unwrap(),
        &record,
        &ImportOptions::default(),
    )
    .unwrap();
    check(
        &req,
        seed,
        &[
            ("modeltype", "Campaign"),
            ("model_id", "12"),
            ("source", "data"),
            ("context", "phone1=13800000008"),
            ("source_user", ""),
            ("source_pwd", ""),
            ("exetime", ""),
            ("delrow", ""),
            ("emptyagent", "no"),
            ("resetstatus", "no"),
            ("dupway", "skip"),
            ("dupdiallist", "ignoreDuplicate"),
            ("changepackage", "skip"),
        ],
    );
    assert!(ImportRecord::new::<&str, &str>(&[]).is_err());
    assert!(ImportRecord::new(&[("a|b", "1")]).is_err());
    assert!(ImportRecord::new(&[("a", "1|2")]).is_err());
}

#[test]
fn seed_4_24_teamstatus() {
    check(
        &team_status(&[StatusFilter::All]),
        "EVENT=TeamStatus&orgidentity=orgidentity&usertype=usertype&user=user&pwdtype=pwdtype&password=password&status=status",
        &[("status", "all")],
    );
}

#[test]
fn seed_4_25_queuecustomernum() {
    check_with_tail(
        &queue_customer_num(&QueueNum::parse("0").unwrap(), 0),
        "EVENT=queueCustomerNum&orgidentity=orgidentity&queuenum=queuenum&prio=prio",
        &[("queuenum", "0"), ("prio", "0")],
        AUTH_TAIL,
    );
}

#[test]
fn seed_4_26_agentrealtime() {
    check(&agent_realtime(), "EVENT=AgentRealtime&orgidentity=orgidentity&usertype=usertype&user=user&pwdtype=pwdtype&password=password", &[]);
}

#[test]
fn seed_4_27_senddtmf() {
    check(
        &send_dtmf(&Dtmf::parse("12*#").unwrap()),
        "EVENT=SendDtmf&orgidentity=orgidentity&usertype=usertype&user=user&pwdtype=pwdtype&password=password&dtmf=dtmf",
        &[("dtmf", "12*#")],
    );
    assert!(Dtmf::parse("12a").is_err());
    assert!(Dtmf::parse("").is_err());
}

#[test]
fn seed_4_28_setvar_checks_the_name_first() {
    check(
        &set_var(&VarName::parse("CUSTOMER_ID").unwrap(), &VarValue::parse("109").unwrap()),
        "EVENT=SetVar&orgidentity=orgidentity&usertype=usertype&user=user&pwdtype=pwdtype&password=password&varname=varname&varvalue=varvalue",
        &[("varname", "CUSTOMER_ID"), ("varvalue", "109")],
    );
    for bad in ["customer", "_ID", "-ID", "ID!", ""] {
        assert!(VarName::parse(bad).is_err(), "{bad}");
    }
}

#[test]
fn seed_4_29_agenttoivr_with_the_pdf_slip_corrected() {
    // The seed prints `AgentTolvr` (lower-case L): a PDF slip for `AgentToIvr`.
    let seed = "EVENT=AgentTolvr&orgidentity=orgidentity&usertype=usertype&user=user&pwdtype=pwdtype&password=password&ivrexten=ivrexten&ivrflow=ivrflow&transfer=transfer"
        .replace("AgentTolvr", "AgentToIvr");
    let req = agent_to_ivr(
        &IvrExten::parse("8001").unwrap(),
        &IvrFlow::parse("1-2-5").unwrap(),
        IvrTransfer::Release,
    );
    check(
        &req,
        &seed,
        &[
            ("ivrexten", "8001"),
            ("ivrflow", "1-2-5"),
            ("transfer", "0"),
        ],
    );
    let req = agent_to_ivr(
        &IvrExten::parse("8001").unwrap(),
        &IvrFlow::parse("").unwrap(),
        IvrTransfer::Suspend,
    );
    check(
        &req,
        &seed,
        &[("ivrexten", "8001"), ("ivrflow", ""), ("transfer", "1")],
    );
}

#[test]
fn seed_4_30_devicecall() {
    check_with_tail(
        &device_call(&num("8001"), &num("013888888888"), Some(&num("4000820188"))),
        "EVENT=DeviceCall&orgidentity=orgidentity&exten=exten&targetdn=targetdn&callerid=callerid",
        &[
            ("exten", "8001"),
            ("targetdn", "013888888888"),
            ("callerid", "4000820188"),
        ],
        AUTH_TAIL,
    );
    check_with_tail(
        &device_call(&num("8001"), &num("013888888888"), None),
        "EVENT=DeviceCall&orgidentity=orgidentity&exten=exten&targetdn=targetdn&callerid=callerid",
        &[
            ("exten", "8001"),
            ("targetdn", "013888888888"),
            ("callerid", ""),
        ],
        AUTH_TAIL,
    );
}
