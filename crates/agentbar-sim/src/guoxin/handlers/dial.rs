//! Placing, ending and moving calls: `CLICK_TO_DIAL` / `CLICK_TO_IP_DIAL` (sec 1),
//! `CLICK_TO_HUNGUP` (sec 2), `CLICK_TO_TRANSFER` (sec 5), `TALKING_CALLER_TO_IVR` (sec 6).

use super::Ctx;
use crate::guoxin::legs;
use crate::guoxin::reply::{Answer, Op, Outcome};
use crate::guoxin::tracker::IVR_CONTEXT;
use crate::model::OnAnswer;
use crate::{Destination, Endpoint, OriginateSpec};

/// Channel variable of click-to-dial legs: the line used, `fixed` or `ip`.
const VAR_LINE: &str = "GUOXIN_LINE";

/// `CLICK_TO_DIAL` / `CLICK_TO_IP_DIAL`: rings extension `caller` first and, once it answers,
/// calls `callee` (`authtype=no`; no other mode is described, so it is not checked).
///
/// 200 with the call's `clickcallid` as the body (sec 21 says the interface answers it at
/// once); the seed lists no other code: 400 without `caller` / `callee`, 404 when `caller`
/// is no extension, 480 when its phone is not registered, 486 when it is in a call.
pub(super) fn click_to_dial(c: &Ctx<'_>, op: Op) -> Outcome {
    let caller = c.need("caller", op, 400)?.to_owned();
    let callee = c.need("callee", op, 400)?.to_owned();
    let line = if op == Op::ClickToIpDial {
        "ip"
    } else {
        "fixed"
    };
    let st = c.st;
    c.mutate(|w, inner| {
        if !w.devices.contains_key(&caller) {
            return Err(Answer::code(op, 404));
        }
        if !inner.is_registered(&caller) {
            return Err(Answer::code(op, 480));
        }
        if !w.device_channels(&caller).is_empty() {
            return Err(Answer::code(op, 486));
        }
        let spec = OriginateSpec {
            from: Endpoint::Device(caller.clone()),
            action: OnAnswer::Dial {
                number: callee.clone(),
                callerid: None,
            },
            callerid: None,
            timeout_ms: None,
            vars: vec![(VAR_LINE.to_owned(), line.to_owned())],
        };
        let leg = w.originate(spec).map_err(|_| Answer::code(op, 400))?;
        let call = w
            .chan(&leg)
            .map(|ch| ch.call.clone())
            .map_err(|_| Answer::code(op, 400))?;
        let id = st.click_id(&call);
        inner.click_ids.insert(call, id.clone());
        Ok(Answer::text(op, 200, id))
    })
}

/// `CLICK_TO_HUNGUP`: ends the call between extension `caller` and `callee`, ringing or
/// answered (every call of the extension when `callee` is empty). 200; the seed lists no
/// other code: 400 without `caller`, 404 when there is no such call. A `caller` that is no
/// extension while `callee` is one is read the other way round.
pub(super) fn click_to_hungup(c: &Ctx<'_>) -> Outcome {
    let op = Op::ClickToHungup;
    let caller = c.need("caller", op, 400)?;
    let callee = c.p.str("callee");
    c.mutate(|w, _| {
        let (ext, other) = if !w.devices.contains_key(caller) && w.devices.contains_key(callee) {
            (callee, caller)
        } else {
            (caller, callee)
        };
        let calls = legs::calls_with(w, ext, other);
        if calls.is_empty() {
            return Err(Answer::code(op, 404));
        }
        w.hangup_many(legs::legs_of(w, &calls));
        Ok(Answer::code(op, 200))
    })
}

/// `CLICK_TO_TRANSFER`: the party extension `extnum` talks with goes to extension `target`
/// (blind transfer); `extnum` leaves the call.
///
/// 200; 400 without `extnum` / `target`; 404 `target` is no extension; 481 `extnum` talks
/// with nobody; 480 `target`'s phone is not registered; 486 `target` is in a call (or is
/// `extnum`); 500 the model refused.
pub(super) fn click_to_transfer(c: &Ctx<'_>) -> Outcome {
    let op = Op::ClickToTransfer;
    let ext = c.need("extnum", op, 400)?;
    let target = c.need("target", op, 400)?;
    c.mutate(|w, inner| {
        if !w.devices.contains_key(target) {
            return Err(Answer::code(op, 404));
        }
        let (_, other) = legs::talking(w, ext).ok_or_else(|| Answer::code(op, 481))?;
        if !inner.is_registered(target) {
            return Err(Answer::code(op, 480));
        }
        if target == ext || !w.device_channels(target).is_empty() {
            return Err(Answer::code(op, 486));
        }
        w.redirect(&other, None, &Destination::Number(target.to_owned()))
            .map_err(|_| Answer::code(op, 500))?;
        Ok(Answer::code(op, 200))
    })
}

/// `TALKING_CALLER_TO_IVR`: the customer `caller` talking with extension `callee` goes to IVR
/// menu `ivrid`; the extension leaves the call.
///
/// 200; 404 no such call, no such menu (or a parameter missing); 483 the two numbers are in
/// more than one call.
pub(super) fn talking_caller_to_ivr(c: &Ctx<'_>) -> Outcome {
    let op = Op::TalkingCallerToIvr;
    let caller = c.need("caller", op, 404)?;
    let callee = c.need("callee", op, 404)?;
    let ivr = c.need("ivrid", op, 404)?;
    if !c.st.cfg.ivrs.iter().any(|i| i == ivr) {
        return Err(Answer::code(op, 404));
    }
    c.mutate(|w, _| {
        let pairs = legs::pairs_between(w, callee, caller);
        let (_, customer) = match pairs.as_slice() {
            [] => return Err(Answer::code(op, 404)),
            [one] => one.clone(),
            _ => return Err(Answer::code(op, 483)),
        };
        let dest = Destination::App {
            context: IVR_CONTEXT.to_owned(),
            exten: ivr.to_owned(),
        };
        w.redirect(&customer, None, &dest)
            .map_err(|_| Answer::code(op, 404))?;
        Ok(Answer::code(op, 200))
    })
}
