//! `ctioriginate.php` (seed 3, 5, 6, 7, 8, 24, 26): agent-first and trunk-first dialing,
//! MeetMe, ChanSpy, PickUp, and any other application or context.

use super::{Answer, Outcome};
use crate::model::{OnAnswer, SpyMode};
use crate::mvb2000::errors::MvbError;
use crate::mvb2000::params::Params;
use crate::mvb2000::render::Reply;
use crate::{Endpoint, OriginateSpec, Sim};

/// `SIP/7001` is a device; `Zap/g0/82754888` (three parts) is an external number on a trunk.
fn endpoint(sim: &Sim, channel: &str) -> Result<Endpoint, MvbError> {
    let parts: Vec<&str> = channel.split('/').collect();
    match parts.as_slice() {
        [_, _, number] if !number.is_empty() => Ok(Endpoint::External((*number).to_owned())),
        [_, _] => sim
            .device_by_interface(channel)
            .map(|d| Endpoint::Device(d.number))
            .ok_or_else(|| crate::SimError::not_found("device", channel).into()),
        _ => Err(MvbError::bad(format!(
            "Invalid parameter channel: {channel}"
        ))),
    }
}

/// Splits application data on `|`, `,` (and, for ChanSpy, a space as the seed's tables show).
fn split_data(data: &str, space: bool) -> (String, String) {
    let mut it = data
        .splitn(2, |c: char| c == '|' || c == ',' || (space && c == ' '))
        .map(str::trim);
    let first = it.next().unwrap_or("").to_owned();
    let rest = it.next().unwrap_or("").to_owned();
    (first, rest)
}

/// `5003@from-internal` names extension 5003.
fn exten_of(s: &str) -> String {
    s.split('@').next().unwrap_or(s).to_owned()
}

fn action(p: &Params) -> Result<OnAnswer, MvbError> {
    if let Some(app) = p.opt("application") {
        let data = p.opt("data").unwrap_or("");
        return Ok(match app.to_ascii_lowercase().as_str() {
            "meetme" => {
                let (room, flags) = split_data(data, false);
                if room.is_empty() {
                    return Err(MvbError::bad("Missing parameter: data (room)"));
                }
                OnAnswer::JoinRoom { room, flags }
            }
            "chanspy" => {
                let (exten, options) = split_data(data, true);
                if exten.is_empty() {
                    return Err(MvbError::bad("Missing parameter: data (extension)"));
                }
                let mode = if options.contains('B') {
                    SpyMode::Barge
                } else {
                    SpyMode::Monitor
                };
                OnAnswer::Spy {
                    exten: exten_of(&exten),
                    mode,
                    whisper: options.contains(['w', 'W']),
                    options,
                }
            }
            "pickup" => {
                if data.is_empty() {
                    return Err(MvbError::bad("Missing parameter: data (extension)"));
                }
                OnAnswer::PickUp {
                    exten: exten_of(data),
                }
            }
            _ => OnAnswer::App {
                context: app.to_owned(),
                exten: data.to_owned(),
            },
        });
    }
    let context = p.req("context")?;
    let exten = p.req("exten")?;
    Ok(if context == "from-internal" {
        OnAnswer::Dial {
            number: exten.to_owned(),
            callerid: p.opt("callerid").map(str::to_owned),
        }
    } else {
        OnAnswer::App {
            context: context.to_owned(),
            exten: exten.to_owned(),
        }
    })
}

/// Parses `A=1|B=2`.
fn variables(p: &Params) -> Vec<(String, String)> {
    p.opt("variable")
        .map(|v| {
            v.split('|')
                .filter_map(|kv| {
                    let (k, v) = kv.split_once('=')?;
                    Some((k.trim().to_owned(), v.trim().to_owned()))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// `ctioriginate.php`: always `Originate successfully queued` when accepted.
pub(super) fn originate(sim: &Sim, p: &Params) -> Outcome {
    let from = endpoint(sim, p.req("channel")?)?;
    let spec = OriginateSpec {
        from,
        action: action(p)?,
        callerid: p.opt("callerid").map(str::to_owned),
        timeout_ms: p.num("timeout")?,
        vars: variables(p),
    };
    sim.originate(spec)?;
    Ok(Answer::Reply(Reply::ok("Originate successfully queued")))
}
