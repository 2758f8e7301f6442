//! Status queries: cpu load, extension state, queue members, queues, pop-up data, calls.

use super::{Answer, Outcome};
use crate::clock::format_ms;
use crate::model::Channel;
use crate::mvb2000::params::Params;
use crate::mvb2000::render::{row, Reply, Row};
use crate::Sim;

const NO_TIME: &str = "0000-00-00 00:00:00";

fn ok(rows: Vec<Row>) -> Outcome {
    Ok(Answer::Reply(Reply::rows(rows)))
}

/// `getcpuload.php` (seed 1.3.4): one row, fixed figures from the seed's sample.
pub(super) fn getcpuload(sim: &Sim) -> Outcome {
    let now = format_ms(sim.clock().now_ms());
    ok(vec![row([
        ("createtime", now.as_str()),
        ("infotype", "cpupload"),
        ("user", "0.08"),
        ("system", "0.33"),
        ("nice", "0.08"),
        ("idle", "99.50"),
    ])])
}

/// `getextensionstatus.php` (seed 2, 10): all devices, or `exten`.
/// status: 0 idle, 1 in use, 8 ringing, 9 in use and ringing.
pub(super) fn getextensionstatus(sim: &Sim, p: &Params) -> Outcome {
    let exten = p.opt("exten");
    let rows = sim
        .devices()
        .into_iter()
        .filter(|d| exten.is_none_or(|e| e == d.number))
        .map(|d| {
            row([
                ("createtime", format_ms(d.created_ms)),
                ("exten", d.number.clone()),
                ("channel", d.interface.clone()),
                ("context", d.context.clone()),
                ("status", d.status.to_string()),
                ("statustime", format_ms(d.status_since_ms)),
            ])
        })
        .collect();
    ok(rows)
}

/// Asterisk queue-member device status: 1 not in use, 2 in use, 4 invalid, 6 ringing,
/// 7 ringing while in use.
fn member_status(sim: &Sim, interface: &str) -> i32 {
    match sim.device_by_interface(interface).map(|d| d.status) {
        Some(0) => 1,
        Some(1) => 2,
        Some(8) => 6,
        Some(9) => 7,
        _ => 4,
    }
}

/// `getqueuemember.php` (seed 10): members of `queue` (or all), optionally only `agentname`.
pub(super) fn getqueuemember(sim: &Sim, p: &Params) -> Outcome {
    let agent = p.opt("agentname");
    let rows = sim
        .queue_members(p.opt("queue"))
        .into_iter()
        .filter(|(_, m)| {
            agent.is_none_or(|a| m.agentname == a || m.interface.rsplit('/').next() == Some(a))
        })
        .map(|(q, m)| {
            row([
                ("createtime", format_ms(m.added_ms)),
                ("queue", q),
                ("agent", m.interface.clone()),
                ("agentname", m.agentname.clone()),
                (
                    "agentship",
                    if m.dynamic { "dynamic" } else { "static" }.to_owned(),
                ),
                ("penalty", m.penalty.to_string()),
                ("callstaken", m.calls_taken.to_string()),
                (
                    "lastcall",
                    m.last_call_ms.map_or(NO_TIME.to_owned(), format_ms),
                ),
                ("status", member_status(sim, &m.interface).to_string()),
                ("paused", if m.paused { "1" } else { "0" }.to_owned()),
            ])
        })
        .collect();
    ok(rows)
}

/// `getqueue.php` (seed 11): `queue` or all queues.
pub(super) fn getqueue(sim: &Sim, p: &Params) -> Outcome {
    let queue = p.opt("queue");
    let rows = sim
        .queues()
        .into_iter()
        .filter(|q| queue.is_none_or(|n| n == q.number))
        .map(|q| {
            let hold = if q.completed > 0 {
                q.total_hold_secs / i64::from(q.completed)
            } else {
                0
            };
            row([
                ("createtime", format_ms(q.created_ms)),
                ("queue", q.number.clone()),
                ("max", q.max.to_string()),
                ("calls", q.waiting.len().to_string()),
                ("holdtime", hold.to_string()),
                ("completed", q.completed.to_string()),
                ("abandoned", q.abandoned.to_string()),
                ("serviceLevel", "0".to_owned()),
                ("servicelevelperf", "0.0".to_owned()),
                ("weight", "0".to_owned()),
            ])
        })
        .collect();
    ok(rows)
}

/// `getpopupscreen.php` (seed 18): one row per live channel of interface `channel`.
/// `callerid`/`calleridname` are the other party's; `miscredata`/`miscreuniqueid` the peer leg.
pub(super) fn getpopupscreen(sim: &Sim, p: &Params) -> Outcome {
    let iface = p.req("channel")?;
    let chans = sim.channels();
    let rows = chans
        .iter()
        .filter(|c| c.interface.eq_ignore_ascii_case(iface))
        .map(|c| {
            let peer = c
                .peer
                .as_ref()
                .and_then(|p| chans.iter().find(|x| &x.name == p));
            row([
                ("createtime", format_ms(c.created_ms)),
                ("channel", c.name.clone()),
                ("uniqueid", c.uniqueid.clone()),
                ("callerid", c.connected.clone()),
                ("calleridname", c.connectedname.clone()),
                ("direct", c.direction.as_str().to_owned()),
                (
                    "miscredata",
                    peer.map(|p| p.name.clone()).unwrap_or_default(),
                ),
                (
                    "miscreuniqueid",
                    peer.map(|p| p.uniqueid.clone()).unwrap_or_default(),
                ),
                ("state", c.state.as_str().to_owned()),
                ("did", c.did.clone()),
            ])
        })
        .collect();
    ok(rows)
}

fn prefix(name: &str, p: Option<&str>) -> bool {
    p.is_none_or(|p| {
        name.to_ascii_lowercase()
            .starts_with(&p.to_ascii_lowercase())
    })
}

fn name_or_unknown(s: &str) -> String {
    if s.is_empty() {
        "<Unknown>".to_owned()
    } else {
        s.to_owned()
    }
}

/// `getcalls.php` (seed 20.5): one row per pair of legs that are linked or dialing. `src` is the
/// leg that placed the call. `srcchannel`/`dstchannel` are prefixes; a pair matches in either
/// orientation.
pub(super) fn getcalls(sim: &Sim, p: &Params) -> Outcome {
    let (sp, dp) = (p.opt("srcchannel"), p.opt("dstchannel"));
    let chans = sim.channels();
    let mut rows = Vec::new();
    let mut seen: Vec<(String, String)> = Vec::new();
    for c in &chans {
        let Some(peer) = c
            .peer
            .as_ref()
            .and_then(|p| chans.iter().find(|x| &x.name == p))
        else {
            continue;
        };
        if peer.peer.as_deref() != Some(c.name.as_str()) {
            continue;
        }
        let (src, dst): (&Channel, &Channel) = if c.originator && !peer.originator {
            (c, peer)
        } else if peer.originator && !c.originator {
            (peer, c)
        } else if c.seq < peer.seq {
            (c, peer)
        } else {
            (peer, c)
        };
        let key = (src.name.clone(), dst.name.clone());
        if seen.contains(&key) {
            continue;
        }
        seen.push(key);
        let matches = (prefix(&src.name, sp) && prefix(&dst.name, dp))
            || (prefix(&dst.name, sp) && prefix(&src.name, dp));
        if !matches {
            continue;
        }
        rows.push(row([
            ("createtime", format_ms(src.created_ms)),
            ("srcchannel", src.name.clone()),
            ("dstchannel", dst.name.clone()),
            (
                "callstate",
                if src.linked { "Link" } else { "Dial" }.to_owned(),
            ),
            ("srccallerid", src.callerid.clone()),
            ("srccalleridname", name_or_unknown(&src.calleridname)),
            ("dstcallerid", dst.callerid.clone()),
            ("dstcalleridname", name_or_unknown(&dst.calleridname)),
            ("srcchannelstate", src.state.as_str().to_owned()),
            ("dstchannelstate", dst.state.as_str().to_owned()),
            ("srcuniqueid", src.uniqueid.clone()),
            ("dstuniqueid", dst.uniqueid.clone()),
            ("dialtime", format_ms(dst.created_ms)),
            (
                "linktime",
                src.linked_ms.map_or(NO_TIME.to_owned(), format_ms),
            ),
            ("unlinktime", NO_TIME.to_owned()),
            ("clearflag", "0".to_owned()),
        ]));
    }
    ok(rows)
}
