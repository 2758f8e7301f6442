//! Calls of the caller's seat: `callbackPhone` (sec 2.2), `hangupExten` (sec 2.5), `sendMsg`
//! (sec 2.6: answer or reject the ringing call) and `transferExten` (blind transfer).

use super::{Ctx, Outcome};
use crate::hu800::reply::{code, Reply};
use crate::hu800::tracker::VAR_PARAM;
use crate::model::{Channel, ChannelState, Location, OnAnswer};
use crate::world::World;
use crate::{Destination, Endpoint, OriginateSpec};

/// The number a leg stands for: its extension, or the external number on a trunk leg.
fn number(c: &Channel) -> &str {
    c.device.as_deref().unwrap_or(&c.callerid)
}

/// The phone's answered leg talking with someone, and that someone: `(seat, other)`.
fn talking(w: &World, phone: &str) -> Option<(String, String)> {
    w.device_channels(phone)
        .into_iter()
        .filter(|c| c.state == ChannelState::Up && matches!(c.location, Location::Call))
        .find_map(|c| {
            let p = c.peer.as_ref()?;
            (c.linked && w.channels.contains_key(p)).then(|| (c.name.clone(), p.clone()))
        })
}

/// `callbackPhone`: click-to-dial. The seat's phone rings first; once it answers, `descPhone`
/// is called (shown the seat's `show_phone` when it has one). `paramvalue` travels with the
/// call: in its messages' content and its call record.
///
/// -3 without `descPhone` or while the phone has a call; -11 for a seat without a phone.
pub(super) fn callback_phone(c: &Ctx<'_>) -> Outcome {
    let desc = c.need("descPhone")?.to_owned();
    let param = c.p.get("paramvalue").unwrap_or("").to_owned();
    let phone = c.phone()?;
    let show = c.account()?.cfg.show_phone;
    c.mutate(|w, _| {
        if !w.device_channels(&phone).is_empty() {
            return Err(Reply::status(code::METHOD, "分机正在通话中"));
        }
        let spec = OriginateSpec {
            from: Endpoint::Device(phone.clone()),
            action: OnAnswer::Dial {
                number: desc.clone(),
                callerid: (!show.is_empty()).then_some(show),
            },
            callerid: None,
            timeout_ms: None,
            vars: vec![(VAR_PARAM.to_owned(), param)],
        };
        w.originate(spec)
            .map_err(|e| Reply::status(code::METHOD, &e.to_string()))?;
        Ok(Reply::ok())
    })
}

/// `hangupExten`: every leg on the seat's phone hangs up (and so does whom it talks to or
/// dials; a queue call only offered to it stays queued). -11 when the phone has no call.
pub(super) fn hangup_exten(c: &Ctx<'_>) -> Outcome {
    let phone = c.phone()?;
    c.mutate(|w, _| {
        let legs: Vec<String> = w
            .device_channels(&phone)
            .iter()
            .map(|l| l.name.clone())
            .collect();
        if legs.is_empty() {
            return Err(Reply::not_found("没有通话"));
        }
        w.hangup_many(legs);
        Ok(Reply::ok())
    })
}

/// `sendMsg`: `kind=6` answers the seat's ringing call from `phone`, `kind=7` rejects it (a
/// queue call goes on to another seat). `client` (1, or 10 as the seed's table says) and
/// `lostTime` are accepted and change nothing.
///
/// -3 without `phone` or `kind`, for another `kind`, or a `client` / `lostTime` that is not a
/// number; -11 when nothing from `phone` rings the seat's phone.
pub(super) fn send_msg(c: &Ctx<'_>) -> Outcome {
    let from = c.need("phone")?.to_owned();
    let kind = c.need("kind")?;
    c.int("client")?;
    c.int("lostTime")?;
    let answer = match kind.parse::<i64>() {
        Ok(6) => true,
        Ok(7) => false,
        _ => return Err(Reply::bad("kind")),
    };
    let phone = c.phone()?;
    c.mutate(|w, inner| {
        let leg = w
            .device_channels(&phone)
            .into_iter()
            .filter(|l| l.state == ChannelState::Ringing)
            .find(|l| {
                l.connected == from
                    || w.channels
                        .values()
                        .any(|o| o.call == l.call && o.name != l.name && number(o) == from)
            })
            .map(|l| l.name.clone())
            .ok_or_else(|| Reply::not_found(&format!("{from} 没有振铃")))?;
        if answer {
            w.answer_channel(&leg)
                .map_err(|e| Reply::status(code::METHOD, &e.to_string()))?;
        } else {
            if let Some(v) = inner.legs.get_mut(&leg) {
                v.rejected = true;
            }
            w.hangup_many(vec![leg]);
        }
        Ok(Reply::ok())
    })
}

/// `transferExten`: the party the seat talks with goes to `descExten` (a seat, or a model
/// phone number); the seat leaves the call.
///
/// -3 without `descExten`, when it is the seat itself, or when its phone has a call; -11 for
/// an unknown target or when the seat talks with nobody.
pub(super) fn transfer_exten(c: &Ctx<'_>) -> Outcome {
    let target = c.need("descExten")?.to_owned();
    let phone = c.phone()?;
    c.mutate(|w, inner| {
        let dest = inner
            .account(&target)
            .map(|a| a.cfg.extension.clone())
            .filter(|e| w.devices.contains_key(e))
            .or_else(|| w.devices.contains_key(&target).then(|| target.clone()))
            .ok_or_else(|| Reply::not_found(&format!("坐席 {target}")))?;
        if dest == phone {
            return Err(Reply::bad("descExten"));
        }
        let (_, other) = talking(w, &phone).ok_or_else(|| Reply::not_found("没有通话"))?;
        if !w.device_channels(&dest).is_empty() {
            return Err(Reply::status(code::METHOD, "目标坐席正在通话中"));
        }
        w.redirect(&other, None, &Destination::Number(dest))
            .map_err(|e| Reply::status(code::METHOD, &e.to_string()))?;
        Ok(Reply::ok())
    })
}
