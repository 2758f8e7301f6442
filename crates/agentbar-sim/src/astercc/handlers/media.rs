//! In-call data and media: `SendDtmf` (4.27), `SetVar` (4.28), `AgentToIvr` (4.29),
//! `GetMonitor` (4.22), `Import` (4.23).

use std::time::Duration;

use super::{Ctx, Outcome};
use crate::astercc::legs;
use crate::astercc::reply::{code, BackMsg, Reply};
use crate::astercc::state::{DtmfRecord, ImportRecord};
use crate::astercc::tracker::IVR_CONTEXT;
use crate::model::Location;
use crate::Destination;

/// `SendDtmf` (4.27): `dtmf` of digits, `*` and `#` only, sent into the agent's call and
/// recorded (`GET /_sim/astercc/dtmf`). `BackMsg_99`; `BackMsg_97` for other characters,
/// `BackMsg_98` without a call.
pub(super) fn send_dtmf(c: &Ctx<'_>) -> Outcome {
    let agent = c.agent()?;
    let digits = c.p.str("dtmf");
    if digits.is_empty() {
        return Err(code::EMPTY_PARAMETER.into());
    }
    if !digits
        .chars()
        .all(|d| d.is_ascii_digit() || d == '*' || d == '#')
    {
        return Err(code::BAD_DTMF.into());
    }
    let st = c.st;
    c.mutate(|w, inner| {
        let a = legs::active_leg(w, &agent.phone).ok_or_else(|| Reply::from(code::DTMF_FAILED))?;
        let hearer = legs::linked_peer(w, &a).unwrap_or_else(|| a.clone());
        let ch = w
            .chan(&hearer)
            .map_err(|_| Reply::from(code::DTMF_FAILED))?;
        inner.dtmf.push(DtmfRecord {
            agent: agent.number.clone(),
            sessionid: st.sessionid(&ch.call),
            uniqueid: ch.seq.to_string(),
            digits: digits.to_owned(),
            at_ms: w.now_ms(),
        });
        Ok(Reply::ok(code::DTMF_SENT))
    })
}

/// The seed's rule for `varname`: capital letters, digits, `-` and `_`, starting with a
/// capital letter or a digit.
pub fn varname_ok(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        && chars.all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

/// `SetVar` (4.28): sets channel variable `varname` to `varvalue` on every leg of the agent's
/// call (so the other front ends read it too). `BackMsg_102`; `BackMsg_101` for a bad name,
/// `BackMsg_103` without a call.
pub(super) fn set_var(c: &Ctx<'_>) -> Outcome {
    let agent = c.agent()?;
    let name = c.p.str("varname");
    if name.is_empty() {
        return Err(code::EMPTY_PARAMETER.into());
    }
    if !varname_ok(name) {
        return Err(code::BAD_VARNAME.into());
    }
    let value = c.p.get("varvalue").unwrap_or("");
    c.mutate(|w, _| {
        let calls = legs::calls_of(w, &agent.phone);
        let Some(call) = calls.first() else {
            return Err(code::VAR_FAILED.into());
        };
        for ch in w.channels.values_mut().filter(|ch| &ch.call == call) {
            ch.vars.insert(name.to_owned(), value.to_owned());
        }
        Ok(Reply::ok(code::VAR_SET))
    })
}

/// `ivrflow`: keys separated by `-`, e.g. `1-2-5`; empty starts at the top.
fn ivrflow_ok(flow: &str) -> bool {
    flow.is_empty()
        || flow.split('-').all(|k| {
            !k.is_empty()
                && k.chars()
                    .all(|c| c.is_ascii_digit() || c == '*' || c == '#')
        })
}

/// `AgentToIvr` (4.29, the seed's `AgentTolvr`): sends the customer to IVR `ivrexten` at the
/// point `ivrflow`. `transfer=0` (release) ends the agent's part; `transfer=1` (hold) keeps
/// the agent waiting and brings the customer back after `ivr_return_ms`. `BackMsg_108`;
/// `BackMsg_106` unknown IVR, `BackMsg_107` bad flow, `BackMsg_104` while consulting,
/// `BackMsg_105` release in a conference, `BackMsg_109` without a call.
pub(super) fn agent_to_ivr(c: &Ctx<'_>) -> Outcome {
    let agent = c.agent()?;
    let ivr = c.p.str("ivrexten");
    if ivr.is_empty() {
        return Err(code::EMPTY_PARAMETER.into());
    }
    if !c.st.cfg.ivrs.iter().any(|i| i == ivr) {
        return Err(code::NO_IVR.into());
    }
    let flow = c.p.str("ivrflow");
    if !ivrflow_ok(flow) {
        return Err(code::BAD_IVR_FLOW.into());
    }
    let release = match c.p.str("transfer") {
        "" | "0" => true,
        "1" => false,
        _ => return Err(code::BAD_PARAMETER.into()),
    };
    let dest = Destination::App {
        context: IVR_CONTEXT.to_owned(),
        exten: if flow.is_empty() {
            ivr.to_owned()
        } else {
            format!("{ivr}|{flow}")
        },
    };
    let back = c.mutate(|w, inner| -> Result<Option<(String, String)>, Reply> {
        let a = legs::active_leg(w, &agent.phone).ok_or_else(|| Reply::from(code::IVR_FAILED))?;
        if !legs::consults_of(w, inner, &a).is_empty() || legs::held_for(inner, &a).is_some() {
            return Err(code::IVR_WHILE_CONSULTING.into());
        }
        if matches!(w.chan(&a).map(|c| &c.location), Ok(Location::Room { .. })) {
            return Err(if release {
                code::IVR_RELEASE_IN_CONFERENCE
            } else {
                code::IVR_FAILED
            }
            .into());
        }
        let customer = legs::linked_peer(w, &a).ok_or_else(|| Reply::from(code::IVR_FAILED))?;
        if release {
            // The customer moves; the agent's leg, left behind, hangs up.
            w.redirect(&customer, None, &dest)
                .map_err(|_| Reply::from(code::IVR_FAILED))?;
            return Ok(None);
        }
        for n in [&customer, &a] {
            if let Some(ch) = w.channels.get_mut(n.as_str()) {
                ch.peer = None;
                ch.linked = false;
            }
        }
        if let (Ok(ch), Destination::App { context, exten }) = (w.chan_mut(&customer), &dest) {
            ch.location = Location::App {
                context: context.clone(),
                exten: exten.clone(),
            };
        }
        if let Some(call) = w.channels.get(&a).map(|ch| ch.call.clone()) {
            if let Some(s) = inner.sessions.get_mut(&call) {
                s.managed = true;
            }
        }
        Ok(Some((customer, a)))
    })?;
    if let Some((customer, a)) = back {
        let sim = c.sim.clone();
        let after = Duration::from_millis(c.st.cfg.ivr_return_ms);
        if let Ok(h) = tokio::runtime::Handle::try_current() {
            h.spawn(async move {
                tokio::time::sleep(after).await;
                sim.mutate(|w| {
                    let waiting = w.channels.get(&customer).is_some_and(|ch| {
                        matches!(&ch.location, Location::App { context, .. } if context == IVR_CONTEXT)
                    });
                    if waiting && w.channels.contains_key(&a) {
                        if let Ok(ch) = w.chan_mut(&customer) {
                            ch.location = Location::Call;
                        }
                        w.link(&a, &customer);
                    }
                });
            });
        }
    }
    Ok(Reply::ok(code::TO_IVR))
}

/// `GetMonitor` (4.22): `sessionid` and `calldate` (`yyyy-mm-dd`) give the recording's address,
/// `|Retuen|1|Retuen|http://<webroot>/getMonitor/20130123114549-8005-13800138000.wav`, served by
/// this simulator. `BackMsg_404` when there is no such recording.
pub(super) fn get_monitor(c: &Ctx<'_>) -> Outcome {
    let sessionid = c.p.str("sessionid");
    let calldate = c.p.str("calldate");
    if sessionid.is_empty() || calldate.is_empty() {
        return Err(code::EMPTY_PARAMETER.into());
    }
    let rec = c
        .read(|_, inner| inner.recordings.get(sessionid).cloned())
        .filter(|r| r.calldate == calldate)
        .ok_or_else(|| Reply::from(code::NO_FILE))?;
    let base =
        c.st.cfg
            .webroot_address
            .clone()
            .unwrap_or_else(|| format!("http://{}/", c.host));
    let sep = if base.ends_with('/') { "" } else { "/" };
    Ok(Reply::ok(format!("{base}{sep}getMonitor/{}", rec.file)))
}

/// Every parameter `Import` must carry, even empty (seed 4.23: "所有参数不得缺省").
const IMPORT_FIELDS: [&str; 21] = [
    "orgidentity",
    "usertype",
    "user",
    "pwdtype",
    "password",
    "modeltype",
    "model_id",
    "source",
    "context",
    "source_user",
    "source_pwd",
    "exetime",
    "delrow",
    "phone_field",
    "priority_field",
    "dialtime_field",
    "emptyagent",
    "resetstatus",
    "dupway",
    "dupdiallist",
    "changepackage",
];

/// Reads `name=value` items separated by `|` (the separator the seed's PDF lost), or, with no
/// `|` at all, by white space before each `name=`.
pub fn parse_context(context: &str) -> Option<Vec<(String, String)>> {
    let items: Vec<String> = if context.contains('|') {
        context.split('|').map(str::to_owned).collect()
    } else {
        let mut items: Vec<String> = Vec::new();
        for word in context.split_whitespace() {
            match items.last_mut() {
                Some(last) if !word.contains('=') => {
                    last.push(' ');
                    last.push_str(word);
                }
                _ => items.push(word.to_owned()),
            }
        }
        items
    };
    let mut out = Vec::new();
    for item in items.iter().map(|i| i.trim()).filter(|i| !i.is_empty()) {
        let (k, v) = item.split_once('=')?;
        if k.trim().is_empty() {
            return None;
        }
        out.push((k.trim().to_owned(), v.trim().to_owned()));
    }
    (!out.is_empty()).then_some(out)
}

fn fail(code: BackMsg) -> Reply {
    Reply::fail(code)
}

/// `Import` (4.23): loads one customer (`source=data`, `context` = `name=value|...`) into
/// campaign `model_id`, or accepts a file to fetch (`http` / `ftp`, answered with a task id).
/// `BackMsg_84`, or `BackMsg_83` when `phone_field` put it on the dialing list too; a customer
/// with the same number again: `BackMsg_78` with `dupway=update`, else `BackMsg_81`.
/// `BackMsg_28` when a parameter is missing altogether.
pub(super) fn import(c: &Ctx<'_>) -> Outcome {
    c.who()?;
    let p = c.p;
    if IMPORT_FIELDS.iter().any(|f| !p.has(f)) {
        return Err(code::BAD_PARAMETER.into());
    }
    if !p.str("modeltype").eq_ignore_ascii_case("Campaign") {
        return Err(code::BAD_MODEL.into());
    }
    let model_id = p.str("model_id");
    if model_id.is_empty() || !model_id.chars().all(|c| c.is_ascii_digit()) {
        return Err(code::BAD_CAMPAIGN_ID.into());
    }
    if !c.st.cfg.campaigns.iter().any(|k| k.id == model_id) {
        return Err(code::NO_CAMPAIGN.into());
    }
    let source = p.str("source").to_ascii_lowercase();
    if !matches!(source.as_str(), "data" | "http" | "ftp") {
        return Err(code::BAD_SOURCE.into());
    }
    let context = p.str("context");
    if context.is_empty() {
        return Err(code::EMPTY_CONTEXT.into());
    }
    let phone_field = p.str("phone_field");
    c.mutate(|_, inner| {
        if source != "data" {
            inner.next_import_task += 1;
            let id = inner.next_import_task;
            inner.imports.push(ImportRecord {
                model_id: model_id.to_owned(),
                source: source.clone(),
                fields: Vec::new(),
                file: Some(context.to_owned()),
                listed: !phone_field.is_empty(),
                task_id: Some(id),
            });
            return Ok(Reply::ok(id));
        }
        let fields = parse_context(context).ok_or_else(|| fail(code::BAD_CONTEXT))?;
        let key = if phone_field.is_empty() {
            "phone1"
        } else {
            phone_field
        };
        let phone = fields
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone());
        if !phone_field.is_empty() && phone.is_none() {
            return Err(fail(code::BAD_CONTEXT));
        }
        let same = |r: &ImportRecord| {
            r.model_id == model_id
                && phone.is_some()
                && r.fields.iter().find(|(k, _)| k == key).map(|(_, v)| v) == phone.as_ref()
        };
        if let Some(existing) = inner.imports.iter_mut().find(|r| same(r)) {
            if p.str("dupway").eq_ignore_ascii_case("update") {
                existing.fields = fields;
                return Ok(Reply::ok(code::CUSTOMER_UPDATED));
            }
            return Err(fail(code::DUPLICATE));
        }
        inner.imports.push(ImportRecord {
            model_id: model_id.to_owned(),
            source: source.clone(),
            fields,
            file: None,
            listed: !phone_field.is_empty(),
            task_id: None,
        });
        Ok(Reply::ok(if phone_field.is_empty() {
            code::IMPORTED
        } else {
            code::IMPORTED_AND_LISTED
        }))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_4_28_varname_rule() {
        for ok in ["CUSTOMER_ID", "1ABC", "A-B_9", "X"] {
            assert!(varname_ok(ok), "{ok}");
        }
        for bad in ["", "customer", "_A", "-A", "A B", "Aa", "订单"] {
            assert!(!varname_ok(bad), "{bad}");
        }
    }

    #[test]
    fn seed_4_23_context_sample() {
        assert_eq!(
            parse_context("姓名=客户A|phone1=138xxxx88x8").unwrap(),
            vec![
                ("姓名".to_owned(), "客户A".to_owned()),
                ("phone1".to_owned(), "138xxxx88x8".to_owned())
            ]
        );
        // As the PDF shows it, separator lost.
        assert_eq!(
            parse_context("姓名=客户 A phone1=138xxxx88x8").unwrap(),
            vec![
                ("姓名".to_owned(), "客户 A".to_owned()),
                ("phone1".to_owned(), "138xxxx88x8".to_owned())
            ]
        );
        assert!(parse_context("no equals").is_none());
    }

    #[test]
    fn seed_4_29_ivrflow() {
        assert!(ivrflow_ok("1-2-5"));
        assert!(ivrflow_ok(""));
        assert!(ivrflow_ok("*-#"));
        assert!(!ivrflow_ok("1--2"));
        assert!(!ivrflow_ok("a-1"));
    }
}
