//! The 800hu client's local URL API (seed 004, chapter 3 "客户端控制 API"): pure parsing of a
//! request's parameters into what the bar should do. No I/O; [`handler`] runs the result.
//!
//! # Format
//!
//! ```text
//! http://127.0.0.1:10800?phone=1300000000&type=x&hold=1
//! http://localhost:10800?type=0&phone=13900120013&disablePop=true
//! http://127.0.0.1:10800?type=1000&url=[base64(url)]&caption=窗口名&width=1100&height=300
//! http://127.0.0.1:10800/?type=2002
//! ```
//!
//! | `type` | seed | here |
//! |---|---|---|
//! | 0 | 呼叫 call `phone` | `Command::Dial` |
//! | 1 | 挂断 hang up | `Command::Hangup { call: None }` |
//! | 2 | 转接 transfer to `phone` | `Command::Transfer` |
//! | 3 | 显示资料不弹屏 show data, no pop | `UiRequest::ShowNumber` |
//! | 4 | 批量外呼 batch call, numbers split by `,` | `Dial` of the first; the rest are checked and reported not dialled |
//! | 992 / 993 / 994 / 981 | 监听 / 指导 / 强插 / 强断 | `Monitor` / `Whisper` / `Barge` / `ForceRelease` with `agent` = `phone` |
//! | 2001 | 重新登录客户端 sign in again | `UiRequest::Relogin` (not with `host`/`user`/`pass`) |
//! | 2002 | 呼入/呼出时把客户端界面弹出 bring the window up | `UiRequest::ShowWindow` |
//! | 1003 | 关闭弹屏窗口 close the pop-up | `UiRequest::ClosePopup` |
//! | 1000 | 外部 URL 弹窗 open a URL window | `UiRequest::OpenUrl` |
//! | 1001, 1002, 1005–1008 | work orders, orders and waybills | refused as not supported |
//!
//! `hold`: `0` a normal call, `1` show the pop-up. `disablePop`: `true` no pop for the call,
//! `false` (default) pop. For `type=3` ("no pop") the pop is shown only with `hold=1`, and
//! `disablePop=true` always wins. `httpPort` (which client's window a pop came from) and
//! `apiKey` (the CRM's session) are accepted and not used here; `apiKey` is never logged.
//! The seed does not say what `phone` is for the supervisor types beyond "电话号码"; it is
//! taken as the number (extension) of the agent to act on.

pub mod handler;
pub mod params;

use agentbar_core::{Command, UiRequest};
use params::Params;
use std::collections::BTreeMap;

/// Why a request was refused before anything reached the engine.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Hu800Error {
    /// A parameter is missing or malformed.
    #[error("{field}: {reason}")]
    Invalid { field: &'static str, reason: String },
    /// A `type` the 800hu client knows and this bar does not do.
    #[error("type={code}: {reason}")]
    Unsupported { code: u32, reason: String },
}

impl Hu800Error {
    pub fn invalid(field: &'static str, reason: impl Into<String>) -> Self {
        Hu800Error::Invalid {
            field,
            reason: reason.into(),
        }
    }

    fn unsupported(code: u32, reason: impl Into<String>) -> Self {
        Hu800Error::Unsupported {
            code,
            reason: reason.into(),
        }
    }
}

/// What one request asks of the bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Hu800Action {
    /// Run `command` on the engine; when it succeeds, pass `then` (if any) to the window.
    Command {
        command: Command,
        then: Option<UiRequest>,
    },
    /// A request for the desktop window alone.
    Ui(UiRequest),
}

/// A parsed request: its `type`, the action, and what was accepted but will not be done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hu800Request {
    pub type_code: u32,
    pub action: Hu800Action,
    /// `type=4`: the numbers after the first, checked but not dialled.
    pub not_dialled: Vec<String>,
    /// Said back to the caller: parts of the request the bar cannot honour yet.
    pub notes: Vec<String>,
}

/// How `hold` and `disablePop` combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Pop {
    /// `hold=1`: show the pop-up.
    show: bool,
    /// `disablePop=true`: no pop, whatever else says.
    disabled: bool,
}

impl Pop {
    fn read(p: &Params) -> Result<Pop, Hu800Error> {
        Ok(Pop {
            show: params::hold(p.get("hold")?)? == Some(true),
            disabled: params::flag("disablePop", p.get("disablepop")?)? == Some(true),
        })
    }

    fn wanted(self) -> bool {
        self.show && !self.disabled
    }
}

const NO_POP_NOTE: &str =
    "disablePop=true: the bar cannot yet keep its own pop-up closed for this call";

/// Turns the parameters of one request (query and, for POST, form body, in order) into what
/// the bar should do. Parameters this API does not use (`callback`, `_`, `httpPort`,
/// `apiKey`) are ignored here.
///
/// # Errors
///
/// [`Hu800Error::Invalid`] for a missing or unknown `type`, a missing or malformed `phone`,
/// bad base64 or a bad size; [`Hu800Error::Unsupported`] for the 800hu client's work-order
/// types and for `type=2001` with credentials.
pub fn parse(
    pairs: impl IntoIterator<Item = (String, String)>,
) -> Result<Hu800Request, Hu800Error> {
    let p = Params::new(pairs);
    let raw = p.get("type")?.filter(|t| !t.is_empty()).ok_or_else(|| {
        Hu800Error::invalid("type", "required (0 dial, 1 hang up, 2 transfer, ...)")
    })?;
    let code: u32 = raw
        .bytes()
        .all(|b| b.is_ascii_digit())
        .then(|| raw.parse().ok())
        .flatten()
        .ok_or_else(|| Hu800Error::invalid("type", "must be a number"))?;
    let pop = Pop::read(&p)?;
    let mut notes = Vec::new();
    let mut not_dialled = Vec::new();
    let command = |command| Hu800Action::Command {
        command,
        then: None,
    };
    let action =
        match code {
            0 => {
                let phone = params::phone("phone", p.require("phone", "type=0 (dial)")?)?;
                dial(phone, pop, &mut notes)
            }
            1 => command(Command::Hangup { call: None }),
            2 => command(Command::Transfer {
                target: params::phone("phone", p.require("phone", "type=2 (transfer)")?)?,
            }),
            3 => Hu800Action::Ui(UiRequest::ShowNumber {
                phone: params::phone("phone", p.require("phone", "type=3 (show data)")?)?,
                pop: pop.wanted(),
            }),
            4 => {
                let mut list =
                    params::phone_list(p.require("phone", "type=4 (batch call)")?)?.into_iter();
                // `phone_list` never yields an empty list: "" is refused by `require`.
                let first = list.next().unwrap_or_default();
                not_dialled = list.collect();
                if !not_dialled.is_empty() {
                    notes.push(format!(
                    "batch dialling beyond the first number is not supported: dialled {first}, \
                     {} not dialled",
                    not_dialled.len()
                ));
                }
                dial(first, pop, &mut notes)
            }
            992 => command(Command::Monitor {
                agent: supervised(&p, "type=992 (monitor)")?,
            }),
            993 => command(Command::Whisper {
                agent: supervised(&p, "type=993 (whisper)")?,
            }),
            994 => command(Command::Barge {
                agent: supervised(&p, "type=994 (barge in)")?,
            }),
            981 => command(Command::ForceRelease {
                agent: supervised(&p, "type=981 (force release)")?,
            }),
            2001 => {
                if ["host", "user", "pass"].iter().any(|k| p.has(k)) {
                    return Err(Hu800Error::unsupported(
                    code,
                    "signing in with a server and credentials given in a URL is not supported; \
                     set them in the bar's settings (type=2001 alone signs in again)",
                ));
                }
                Hu800Action::Ui(UiRequest::Relogin)
            }
            2002 => Hu800Action::Ui(UiRequest::ShowWindow),
            1003 => Hu800Action::Ui(UiRequest::ClosePopup),
            1000 => Hu800Action::Ui(UiRequest::OpenUrl {
                url: params::base64_url(p.require("url", "type=1000 (open a URL)")?)?,
                caption: params::caption(p.get("caption")?)?,
                width: params::size("width", p.get("width")?)?,
                height: params::size("height", p.get("height")?)?,
            }),
            1001 | 1002 | 1005..=1008 => return Err(Hu800Error::unsupported(
                code,
                "work orders, orders and waybills (设计/打印工单、订单、物流单) are features of \
                 the 800hu client that this bar does not have",
            )),
            other => return Err(Hu800Error::invalid("type", format!("unknown type {other}"))),
        };
    Ok(Hu800Request {
        type_code: code,
        action,
        not_dialled,
        notes,
    })
}

fn dial(number: String, pop: Pop, notes: &mut Vec<String>) -> Hu800Action {
    if pop.disabled {
        notes.push(NO_POP_NOTE.into());
    }
    let then = pop.wanted().then(|| UiRequest::ShowNumber {
        phone: number.clone(),
        pop: true,
    });
    Hu800Action::Command {
        command: Command::Dial {
            number,
            attached: BTreeMap::new(),
        },
        then,
    }
}

fn supervised(p: &Params, what: &str) -> Result<String, Hu800Error> {
    params::phone("phone", p.require("phone", what)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(pairs: &[(&str, &str)]) -> Result<Hu800Request, Hu800Error> {
        parse(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())))
    }

    fn cmd(pairs: &[(&str, &str)]) -> (Command, Option<UiRequest>) {
        match q(pairs).unwrap().action {
            Hu800Action::Command { command, then } => (command, then),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn seed_sample_3_4_dials_without_a_pop() {
        let r = q(&[
            ("type", "0"),
            ("phone", "13900120013"),
            ("disablePop", "true"),
        ])
        .unwrap();
        assert_eq!(
            r.action,
            Hu800Action::Command {
                command: Command::Dial {
                    number: "13900120013".into(),
                    attached: BTreeMap::new()
                },
                then: None
            }
        );
        assert_eq!(r.notes, [NO_POP_NOTE]);
    }

    #[test]
    fn hold_1_shows_the_pop_unless_disabled() {
        let (_, then) = cmd(&[("type", "0"), ("phone", "1300000000"), ("Hold", "1")]);
        assert_eq!(
            then,
            Some(UiRequest::ShowNumber {
                phone: "1300000000".into(),
                pop: true
            })
        );
        let (_, then) = cmd(&[
            ("type", "0"),
            ("phone", "1300000000"),
            ("hold", "1"),
            ("DisablePop", "True"),
        ]);
        assert_eq!(then, None);
    }

    #[test]
    fn type_3_shows_data_without_a_pop_by_default() {
        let show = |extra: &[(&str, &str)]| {
            let mut v = vec![("type", "3"), ("phone", "139")];
            v.extend_from_slice(extra);
            q(&v).unwrap().action
        };
        let pop = |pop| {
            Hu800Action::Ui(UiRequest::ShowNumber {
                phone: "139".into(),
                pop,
            })
        };
        assert_eq!(show(&[]), pop(false));
        assert_eq!(show(&[("hold", "1")]), pop(true));
        assert_eq!(show(&[("hold", "1"), ("disablePop", "true")]), pop(false));
    }

    #[test]
    fn batch_dials_the_first_and_reports_the_rest() {
        let r = q(&[("type", "4"), ("phone", "139001,139002,139003")]).unwrap();
        assert!(matches!(
            r.action,
            Hu800Action::Command { command: Command::Dial { ref number, .. }, .. } if number == "139001"
        ));
        assert_eq!(r.not_dialled, ["139002", "139003"]);
        assert_eq!(r.notes.len(), 1);
        assert!(q(&[("type", "4"), ("phone", "139001,bad")]).is_err());
    }

    #[test]
    fn relogin_with_credentials_is_refused() {
        assert_eq!(
            q(&[("type", "2001")]).unwrap().action,
            Hu800Action::Ui(UiRequest::Relogin)
        );
        let e = q(&[
            ("type", "2001"),
            ("host", "voip.800ing.com"),
            ("user", "10000800"),
            ("pass", "123456"),
        ])
        .unwrap_err();
        assert!(matches!(e, Hu800Error::Unsupported { code: 2001, .. }));
        assert!(!e.to_string().contains("123456"));
    }

    #[test]
    fn refusals() {
        let invalid = |pairs: &[(&str, &str)], field: &str| match q(pairs) {
            Err(Hu800Error::Invalid { field: f, .. }) => assert_eq!(f, field, "{pairs:?}"),
            other => panic!("{pairs:?}: {other:?}"),
        };
        invalid(&[], "type");
        invalid(&[("type", "")], "type");
        invalid(&[("type", "x")], "type");
        invalid(&[("type", "-1")], "type");
        invalid(&[("type", "5")], "type");
        invalid(&[("type", "0")], "phone");
        invalid(&[("type", "0"), ("phone", "139-001")], "phone");
        invalid(&[("type", "0"), ("phone", "1"), ("phone", "2")], "phone");
        invalid(&[("type", "0"), ("type", "1"), ("phone", "2")], "type");
        invalid(&[("type", "0"), ("phone", "1"), ("hold", "yes")], "hold");
        invalid(&[("type", "992")], "phone");
        invalid(&[("type", "1000"), ("url", "%%%")], "url");
        invalid(&[("type", "1000")], "url");
        assert!(matches!(
            q(&[("type", "1001"), ("phone", "1")]),
            Err(Hu800Error::Unsupported { code: 1001, .. })
        ));
    }
}
