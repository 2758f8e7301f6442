//! Seats: `getExtension` (sec 2.1, the login), `setUserCheckInOut` (ready / not ready) and
//! `registerExtension` (sec 2.9).
//!
//! Signing in is queue membership in the model, as for the other front ends: `getExtension`
//! puts the seat's phone into its queues (ready, unless it was a paused member already), and
//! `setUserCheckInOut` pauses (`status=0`) or unpauses (`status=1`) it there, adding it to a
//! queue it is not in. So a seat signed in here is a queue member the Guoxin or asterCC front
//! end reads as signed in too.

use rand::Rng;
use serde::Serialize;

use super::{Ctx, Outcome};
use crate::hu800::config::Hu800Account;
use crate::hu800::reply::Reply;
use crate::world::World;

/// `getExtension`'s fields after `code` and `message`, in the order the vendor's web client
/// reads them.
///
/// # Format
///
/// ```json
/// {"code":0,"message":"OK","exteId":100001,"name":"张三","extension":"8005",
///  "compNumber":"100008","compName":"演示企业","disablePhoneNum":0,"exteLoginType":0,
///  "sessionId":"voip_0f3c..","compId":100008,"loginLine":1}
/// ```
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Extension<'a> {
    exte_id: i64,
    name: &'a str,
    extension: &'a str,
    comp_number: &'a str,
    comp_name: &'a str,
    disable_phone_num: i32,
    exte_login_type: i32,
    session_id: &'a str,
    comp_id: i64,
    login_line: i64,
}

/// Puts `a`'s phone into its queues; `paused` sets the pause state (a new member is ready
/// when it is `None`).
fn sign_in(w: &mut World, a: &Hu800Account, paused: Option<bool>) {
    let Some(iface) = w.devices.get(&a.extension).map(|d| d.interface.clone()) else {
        return;
    };
    for q in &a.queues {
        let Some(queue) = w.queues.get(q) else {
            continue;
        };
        let member = queue
            .members
            .iter()
            .any(|m| m.interface.eq_ignore_ascii_case(&iface));
        if !member {
            let _ = w.queue_add(q, &iface, 0);
        }
        if let Some(p) = paused {
            let _ = w.queue_pause(Some(q), &iface, p);
        }
    }
}

/// `getExtension`: logs the seat in (a new `sessionId` and `loginLine` each time) and, with
/// [`crate::hu800::Hu800Config::check_in_on_login`], signs its phone in to its queues.
pub(super) fn get_extension(c: &Ctx<'_>) -> Outcome {
    let cfg = &c.st.cfg;
    let user = c.user.clone();
    let (a, session, line) = c
        .mutate(|w, inner| {
            let (session, line) = inner.login(&user)?;
            let a = inner.account(&user)?.cfg.clone();
            if cfg.check_in_on_login {
                sign_in(w, &a, None);
            }
            Some((a, session, line))
        })
        .ok_or_else(Reply::auth)?;
    Ok(Reply::ok_with(&Extension {
        exte_id: a.exte_id,
        name: &a.name,
        extension: &a.user,
        comp_number: &cfg.company.number,
        comp_name: &cfg.company.name,
        disable_phone_num: cfg.disable_phone_num,
        exte_login_type: cfg.login_type,
        session_id: &session,
        comp_id: cfg.company.id,
        login_line: line,
    }))
}

/// `setUserCheckInOut`: `status=1` checks in (ready), `status=0` checks out (not ready, the
/// phone stays a paused queue member). -3 without `status` or with another value; -11 for a
/// seat without a phone.
pub(super) fn check_in_out(c: &Ctx<'_>) -> Outcome {
    let paused = match c.need("status")? {
        "1" => false,
        "0" => true,
        _ => return Err(Reply::bad("status")),
    };
    c.phone()?;
    let a = c.account()?.cfg;
    c.mutate(|w, _| sign_in(w, &a, Some(paused)));
    Ok(Reply::ok())
}

/// `registerExtension`'s fields.
#[derive(Serialize)]
struct Registered<'a> {
    extension: &'a str,
    password: &'a str,
}

/// `registerExtension`: an administrator creates a seat showing `showphone` to customers.
/// Answers its number (one above the highest numeric seat) and a 6-digit password; the new
/// seat can log in at once but has no phone. -5 for a seat that is not an administrator, -3
/// without `showphone`.
pub(super) fn register_extension(c: &Ctx<'_>) -> Outcome {
    if !c.account()?.cfg.admin {
        return Err(Reply::no_right());
    }
    let show = c.need("showphone")?.to_owned();
    let (user, password) = {
        let mut inner = c.st.lock();
        let next = inner
            .accounts
            .iter()
            .filter_map(|a| a.cfg.user.parse::<u64>().ok())
            .max()
            .unwrap_or(8000)
            + 1;
        let exte_id = inner
            .accounts
            .iter()
            .map(|a| a.cfg.exte_id)
            .max()
            .unwrap_or(100_000)
            + 1;
        let password = format!("{:06}", rand::thread_rng().gen_range(0..1_000_000));
        let user = next.to_string();
        let mut a = Hu800Account::new(&user, &password, "", &format!("坐席{user}"), false);
        a.exte_id = exte_id;
        a.show_phone = show;
        inner.add_account(a);
        (user, password)
    };
    Ok(Reply::ok_with(&Registered {
        extension: &user,
        password: &password,
    }))
}
