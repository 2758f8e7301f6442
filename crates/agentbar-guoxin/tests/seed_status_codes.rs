//! Every status code seed 002 documents ("Http 请求响应码解释"), per operation: each has the
//! seed's Chinese text and an English one, and turns into a clear core error that keeps the
//! code; a code the seed does not give is a clear error that keeps it too.
//!
//! The lists below are copied from the seed (its bullet glyphs dropped); the test checks that
//! the crate's tables hold exactly these, no more, no fewer.

use agentbar_core::CoreError;
use agentbar_guoxin::error::GuoxinError;
use agentbar_guoxin::protocol::*;

fn seed_lists() -> Vec<(Op, Vec<(u16, &'static str)>)> {
    let captcha = vec![
        (200, "成功"),
        (401, "密码错误"),
        (421, "需付费开通"),
        (503, "系统错误"),
        (420, "参数错误"),
        (486, "后台忙, 稍后再试"),
    ];
    let call_third = vec![
        (200, "操作成功"),
        (400, "参数错误"),
        (404, "无法找到 callee 相关的通话"),
        (500, "系统错误"),
    ];
    let supervise_403 = "主管分机权限不足。到后台分机管理中修改分机权限添加“坐席监控”";
    vec![
        // 3
        (Op::ClickToIpCaptcha, captcha.clone()),
        (Op::ClickToFixedlineCaptcha, captcha),
        // 5
        (
            Op::ClickToTransfer,
            vec![
                (200, "转话成功"),
                (400, "参数错误"),
                (404, "目标分机不存在"),
                (480, "目标分机不在线"),
                (481, "extnum 不存在可以转移的通话"),
                (486, "目标分机忙"),
                (500, "系统错误"),
            ],
        ),
        // 6
        (
            Op::TalkingCallerToIvr,
            vec![
                (200, "转话成功"),
                (404, "主被相关的通话不存在或者语音菜单编号不存在"),
                (
                    483,
                    "两个号码, 找到多个通话, 系统无法准确定位具体是哪个通话, 拒绝执行",
                ),
            ],
        ),
        // 8 (the seed's "200: 操作" is cut short; the others say 操作成功)
        (
            Op::SetExtPresenceState,
            vec![
                (200, "操作成功"),
                (400, "参数错误"),
                (404, "目标分机不存在"),
            ],
        ),
        // 9
        (
            Op::ConferenceCreate,
            vec![
                (200, "操作成功"),
                (404, "找不到相关的通话, 无法创建 3 方会议"),
                (483, "重复创建"),
                (486, "被邀请电话忙"),
                (503, "系统资源不足"),
            ],
        ),
        // 10
        (
            Op::ConferenceJoin,
            vec![
                (200, "操作成功"),
                (404, "找不到相关的会议, 无法加入会议"),
                (486, "被邀请电话忙"),
                (480, "正在创建会议, 稍后再试"),
                (503, "系统资源不足"),
            ],
        ),
        // 11, 12, 13
        (Op::CallThird, call_third.clone()),
        (Op::CallThirdResume, call_third.clone()),
        (Op::CallThirdConference, call_third.clone()),
        (Op::CallThirdTransfer, call_third),
        (
            Op::CallThirdGetThirdState,
            vec![
                (100, "瞬时状态, 很少遇到, 如果获取可忽略"),
                (180, "目标终端振铃"),
                (
                    200,
                    "目标终端接听, 如: PSTN 线路此处不是很准确, 需结合坐席话筒判断",
                ),
                (400, "参数错误"),
                (404, "无法找到 callee 相关的通话, 或者已经转话或创建三方"),
                (603, "目标终端忙, 拒绝接听"),
            ],
        ),
        // 15, 16, 17
        (
            Op::CallMonitor,
            vec![
                (200, "操作成功"),
                (403, supervise_403),
                (404, "被监听分机没有在通话"),
                (503, "系统资源不足"),
            ],
        ),
        (
            Op::ForcePickup,
            vec![
                (200, "操作成功"),
                (403, supervise_403),
                (404, "没有找到可强插的通话"),
                (503, "系统资源不足"),
            ],
        ),
        (
            Op::ForceHungup,
            vec![
                (200, "操作成功"),
                (403, supervise_403),
                (404, "没有找到可强拆的通话"),
                (503, "系统资源不足"),
            ],
        ),
        // 18
        (
            Op::IvrTtsCall,
            vec![
                (200, "操作成功，系统已经开始呼叫"),
                (400, "参数错误"),
                (483, "重复提交"),
                (401, "需要密码"),
                (486, "系统繁忙，稍后再试"),
                (480, "系统暂时不可用，稍后再试"),
            ],
        ),
        // 19, 20 (the seed's "系统已经开始呼叫" on both is a copy slip from 18: dropped)
        (
            Op::Contacts,
            vec![
                (200, "操作成功"),
                (483, "电话号码重复"),
                (400, "参数错误等导致失败"),
            ],
        ),
        (
            Op::Preorders,
            vec![
                (200, "操作成功"),
                (483, "有一个或者多个商机重复"),
                (400, "参数错误等导致失败"),
            ],
        ),
    ]
}

#[test]
fn the_tables_hold_exactly_the_seeds_codes() {
    let lists = seed_lists();
    for (op, list) in &lists {
        let table = documented(*op);
        let got: Vec<(u16, &str)> = table.iter().map(|t| (t.code, t.zh)).collect();
        assert_eq!(&got, list, "{op}");
        for t in table {
            assert!(!t.en.is_empty(), "{op} {}", t.code);
        }
    }
    // Operations whose section prints no list have none.
    for op in Op::ALL {
        if !lists.iter().any(|(o, _)| *o == op) {
            assert!(documented(op).is_empty(), "{op}");
        }
    }
}

#[test]
fn every_documented_refusal_is_a_clear_core_error_with_its_code() {
    for (op, list) in seed_lists() {
        for (code, zh) in list {
            if op == Op::CallThirdGetThirdState {
                continue; // states, not refusals: tests/seed_responses.rs
            }
            let checked = check_status(op, code);
            if (200..300).contains(&code) {
                assert!(checked.is_ok(), "{op} {code}");
                continue;
            }
            let status = checked.unwrap_err();
            assert!(status.is_documented());
            assert_eq!(status.zh(), zh);
            let e: CoreError = GuoxinError::Status(status.clone()).into();
            match e {
                CoreError::Server { code: c, message } => {
                    assert_eq!(c, code.to_string(), "{op}");
                    assert!(message.starts_with(op.name()), "{message}");
                    assert!(message.contains(zh), "{message}");
                    assert!(message.contains(&status.en()), "{message}");
                }
                CoreError::Auth { reason } => {
                    assert_eq!(code, 401, "{op}");
                    assert!(reason.contains(zh), "{reason}");
                }
                other => panic!("{op} {code}: {other:?}"),
            }
        }
    }
}

#[test]
fn the_issues_examples_read_as_the_seed_says() {
    let en = |op, code| StatusError::new(op, code).en();
    assert_eq!(
        en(Op::ClickToTransfer, 480),
        "the target extension is offline"
    );
    assert_eq!(
        en(Op::ClickToTransfer, 481),
        "the extension has no call to transfer"
    );
    assert!(en(Op::TalkingCallerToIvr, 483).contains("more than one call"));
    assert_eq!(en(Op::ClickToTransfer, 486), "the target extension is busy");
    assert!(en(Op::CallMonitor, 403).contains("lacks the monitoring right"));
    assert!(en(Op::ForcePickup, 403).contains("lacks the monitoring right"));
    assert!(en(Op::ForceHungup, 403).contains("lacks the monitoring right"));
}

#[test]
fn unexpected_codes_are_clear_errors_keeping_the_code() {
    for op in Op::ALL {
        let status = check_status(op, 418).unwrap_err();
        assert!(!status.is_documented());
        assert!(status.en().contains("unexpected answer HTTP 418"));
        assert!(status.en().contains(&format!("section {}", op.section())));
        assert!(status.zh().contains("418"));
        let e: CoreError = GuoxinError::Status(status).into();
        match e {
            CoreError::Server { code, message } => {
                assert_eq!(code, "418");
                assert!(message.contains("unexpected"), "{message}");
            }
            other => panic!("{op}: {other:?}"),
        }
        // An undocumented 5xx: the server is broken (reconnect), the code kept in the text.
        let e: CoreError = GuoxinError::Status(StatusError::new(op, 599)).into();
        if lookup(op, 599).is_none() {
            assert!(e.is_connection_error(), "{op}: {e:?}");
            assert!(e.to_string().contains("599"));
        }
    }
    // A 1xx for an operation that answers with its status is no success either.
    assert!(check_status(Op::ClickToDial, 180).is_err());
}
