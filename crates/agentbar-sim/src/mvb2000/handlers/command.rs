//! `cticommand.php` (seed 8.5, 22, 27): the MeetMe CLI subset
//! `meetme list|kick|mute|unmute|lock|unlock <room> [<user>]`.

use super::{Answer, Outcome};
use crate::mvb2000::errors::{MvbError, ERR_UNKNOWN_COMMAND};
use crate::mvb2000::params::Params;
use crate::mvb2000::render::{row, Reply};
use crate::Sim;

fn unsupported(cmd: &str) -> MvbError {
    MvbError {
        code: ERR_UNKNOWN_COMMAND,
        message: format!("Unsupported command: {cmd}"),
    }
}

fn digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// One row `result`. The text sits between newlines as in the seed's XML:
///
/// ```text
/// <result>
/// Privilege: Command ActionID: WEB1252205885 User #: 05 5003 <noname> Channel: SIP/5003-0a08d998 (unmonitored) ... 4 users in that conference.
/// </result>
/// ```
pub(super) fn command(sim: &Sim, p: &Params) -> Outcome {
    let cmd = p.req("command")?;
    let words: Vec<&str> = cmd.split_whitespace().collect();
    let (verb, room, user) = match words.as_slice() {
        [m, verb, room] if m.eq_ignore_ascii_case("meetme") && digits(room) => (*verb, *room, None),
        [m, verb, room, user]
            if m.eq_ignore_ascii_case("meetme") && digits(room) && digits(user) =>
        {
            (*verb, *room, user.parse::<u32>().ok())
        }
        _ => return Err(unsupported(cmd)),
    };
    let mut text = format!(
        "Privilege: Command ActionID: WEB{}",
        sim.clock().epoch_secs()
    );
    match (verb.to_ascii_lowercase().as_str(), user) {
        ("list", _) => match sim.room(room) {
            Some(r) => {
                for m in &r.members {
                    let name = if m.calleridname.is_empty() {
                        "<noname>"
                    } else {
                        m.calleridname.as_str()
                    };
                    let muted = if m.muted { " (Muted)" } else { "" };
                    text.push_str(&format!(
                        " User #: {:02} {} {} Channel: {}{muted} (unmonitored)",
                        m.user_no, m.callerid, name, m.channel
                    ));
                }
                text.push_str(&format!(" {} users in that conference.", r.members.len()));
            }
            None => text.push_str(&format!(" No such conference: {room}.")),
        },
        ("kick", Some(u)) => sim.meetme_kick(room, u)?,
        ("mute", Some(u)) => sim.meetme_mute(room, u, true)?,
        ("unmute", Some(u)) => sim.meetme_mute(room, u, false)?,
        ("lock", None) => sim.meetme_lock(room, true)?,
        ("unlock", None) => sim.meetme_lock(room, false)?,
        _ => return Err(unsupported(cmd)),
    }
    Ok(Answer::Reply(Reply::rows(vec![row([(
        "result",
        format!("\n{text}\n"),
    )])])))
}
