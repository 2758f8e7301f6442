//! Extension presence and status: `SET_EXT_PRESENCE_STATE` (sec 8) and `EXTNUM_STATE`
//! (sec 14).
//!
//! Presence of an extension in a group is its membership of the group's model queue: not a
//! member `offline`, paused `busy`, a penalty above 0 `reducing` (it gets calls only when no
//! `online` member is free), else `online`. So an agent signed in through another front end
//! reads `online` here, and a call to the group rings whoever is signed in. Extensions in no
//! group keep the presence last set.

use serde::{Deserialize, Serialize};

use super::Ctx;
use crate::guoxin::config::GuoxinConfig;
use crate::guoxin::legs;
use crate::guoxin::reply::{Answer, Op, Outcome};
use crate::guoxin::state::{Inner, State};
use crate::world::World;
use crate::Sim;

/// Presence words (`presence` of `EXTNUM_STATE`; `state` of `SET_EXT_PRESENCE_STATE`).
pub(crate) const ONLINE: &str = "online";
pub(crate) const OFFLINE: &str = "offline";
pub(crate) const REDUCING: &str = "reducing";
pub(crate) const BUSY: &str = "busy";

/// The presence of `ext` (see the module's doc).
pub(crate) fn presence(w: &World, cfg: &GuoxinConfig, inner: &Inner, ext: &str) -> String {
    let groups = cfg.groups_of(ext);
    if groups.is_empty() {
        return inner
            .presence
            .get(ext)
            .cloned()
            .unwrap_or_else(|| ONLINE.to_owned());
    }
    let Some(iface) = w.devices.get(ext).map(|d| d.interface.clone()) else {
        return OFFLINE.to_owned();
    };
    let members: Vec<(bool, u32)> = groups
        .iter()
        .filter_map(|g| w.queues.get(&g.number))
        .flat_map(|q| q.members.iter())
        .filter(|m| m.interface.eq_ignore_ascii_case(&iface))
        .map(|m| (m.paused, m.penalty))
        .collect();
    if members.is_empty() {
        OFFLINE
    } else if members.iter().any(|(paused, _)| *paused) {
        BUSY
    } else if members.iter().any(|(_, penalty)| *penalty > 0) {
        REDUCING
    } else {
        ONLINE
    }
    .to_owned()
}

/// Puts `ext` into (or out of) its groups' queues for `state`.
fn apply(w: &mut World, cfg: &GuoxinConfig, ext: &str, state: &str) {
    let Some(iface) = w.devices.get(ext).map(|d| d.interface.clone()) else {
        return;
    };
    for g in cfg.groups_of(ext) {
        let q = g.number.as_str();
        if !w.queues.contains_key(q) {
            continue;
        }
        if state == OFFLINE {
            let _ = w.queue_remove(q, &iface);
            continue;
        }
        let member = w.queues.get(q).is_some_and(|queue| {
            queue
                .members
                .iter()
                .any(|m| m.interface.eq_ignore_ascii_case(&iface))
        });
        if !member {
            let _ = w.queue_add(q, &iface, 0);
        }
        let _ = w.queue_pause(Some(q), &iface, state == BUSY);
        if let Some(m) = w.queues.get_mut(q).and_then(|queue| {
            queue
                .members
                .iter_mut()
                .find(|m| m.interface.eq_ignore_ascii_case(&iface))
        }) {
            m.penalty = u32::from(state == REDUCING);
        }
    }
}

/// `SET_EXT_PRESENCE_STATE`: `state` `online` (take calls), `reducing` (fewer calls), `busy`
/// (no calls); `offline` (signed out) is accepted too, as section 14 lists it among the
/// presence words. 200; 400 without `extnum` or with another `state`; 404 no such extension.
pub(super) fn set_presence(c: &Ctx<'_>) -> Outcome {
    let op = Op::SetExtPresenceState;
    let ext = c.need("extnum", op, 400)?;
    let state = c.p.str("state").to_ascii_lowercase();
    if ![ONLINE, REDUCING, BUSY, OFFLINE].contains(&state.as_str()) {
        return Err(Answer::code(op, 400));
    }
    let cfg = &c.st.cfg;
    c.mutate(|w, inner| {
        if !w.devices.contains_key(ext) {
            return Err(Answer::code(op, 404));
        }
        if cfg.groups_of(ext).is_empty() {
            inner.presence.insert(ext.to_owned(), state.clone());
        } else {
            apply(w, cfg, ext, &state);
        }
        Ok(Answer::code(op, 200))
    })
}

/// One extension as `EXTNUM_STATE` prints it, in the seed's field order.
///
/// # Format
///
/// Seed sec 14.3:
///
/// ```json
/// {"telNum":"802","userName":"张霞","telRegState":1,"phoneType":"NewRockTech-MX8-v1.9.82.333/UA",
///  "remoteNum":"1322784XXXX","state":"BUSY_OUTGOING","presence":"online","missingCallCount":0}
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExtnumState {
    /// Extension number.
    #[serde(rename = "telNum")]
    pub tel_num: String,
    /// The agent's name (the user bound to the phone), or empty.
    #[serde(rename = "userName")]
    pub user_name: String,
    /// 1 registered, 0 not.
    #[serde(rename = "telRegState")]
    pub tel_reg_state: u8,
    /// Terminal type.
    #[serde(rename = "phoneType")]
    pub phone_type: String,
    /// The customer's number while in a call; absent otherwise.
    #[serde(rename = "remoteNum", default, skip_serializing_if = "Option::is_none")]
    pub remote_num: Option<String>,
    /// `IDEL` (or `ONLINE`, see [`GuoxinConfig::idle_word`]), `BUSY_OUTGOING`,
    /// `BUSY_INCOMING`, `OFFLINE`.
    pub state: String,
    /// `online`, `offline`, `reducing`, `busy`.
    pub presence: String,
    /// Incoming calls that rang and were not answered.
    #[serde(rename = "missingCallCount")]
    pub missing_call_count: u32,
}

/// Every extension's status, by number.
pub(crate) fn states(w: &World, st: &State, inner: &Inner) -> Vec<ExtnumState> {
    let cfg = &st.cfg;
    w.devices
        .values()
        .map(|d| {
            let registered = inner.is_registered(&d.number);
            let legs = w.device_channels(&d.number);
            let state = match legs.first() {
                _ if !registered => "OFFLINE".to_owned(),
                None => cfg.idle_word.clone(),
                Some(l) if l.direction == crate::model::Direction::In => "BUSY_INCOMING".to_owned(),
                Some(_) => "BUSY_OUTGOING".to_owned(),
            };
            ExtnumState {
                tel_num: d.number.clone(),
                user_name: w.device_party_name(&d.number),
                tel_reg_state: u8::from(registered),
                phone_type: cfg.phone_type.clone(),
                remote_num: legs
                    .first()
                    .map(|l| legs::remote_number(w, l))
                    .filter(|n| !n.is_empty()),
                state,
                presence: presence(w, cfg, inner, &d.number),
                missing_call_count: inner.missed.get(&d.number).copied().unwrap_or(0),
            }
        })
        .collect()
}

/// `EXTNUM_STATE`: every extension as a JSON array.
pub(crate) fn extnum_state(sim: &Sim, st: &State) -> Answer {
    let rows = sim.read(|w| {
        let inner = st.lock();
        states(w, st, &inner)
    });
    Answer::json(
        Op::ExtnumState,
        serde_json::to_string(&rows).unwrap_or_else(|_| "[]".to_owned()),
    )
}
