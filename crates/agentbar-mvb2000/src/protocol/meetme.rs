//! The MeetMe CLI as used through `cticommand.php`: command lines out, `meetme list` text in.

use super::validate::{MemberNo, RoomNo};

/// One `meetme` CLI command (seed 27.2: `meetme (un)lock|(un)mute|kick|list <confno> <usernumber>`).
///
/// The line is assembled from validated digits only, so no input can add a word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MeetMeCommand {
    /// `meetme list <room>`: list members (seed 8.3, 22.3).
    List(RoomNo),
    /// `meetme kick <room> <member>`: remove a member (seed 27.3).
    Kick(RoomNo, MemberNo),
    /// `meetme mute <room> <member>`.
    Mute(RoomNo, MemberNo),
    /// `meetme unmute <room> <member>`.
    Unmute(RoomNo, MemberNo),
    /// `meetme lock <room>`: nobody else may join.
    Lock(RoomNo),
    /// `meetme unlock <room>`.
    Unlock(RoomNo),
}

impl MeetMeCommand {
    /// The CLI line.
    ///
    /// # Format
    ///
    /// Seed 27.2: `meetme kick 36405501 02`; seed 8.3: `meetme list 9111`.
    pub fn command_line(&self) -> String {
        match self {
            Self::List(room) => format!("meetme list {room}"),
            Self::Kick(room, member) => format!("meetme kick {room} {member}"),
            Self::Mute(room, member) => format!("meetme mute {room} {member}"),
            Self::Unmute(room, member) => format!("meetme unmute {room} {member}"),
            Self::Lock(room) => format!("meetme lock {room}"),
            Self::Unlock(room) => format!("meetme unlock {room}"),
        }
    }
}

/// One member line of `meetme list`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetMeMember {
    /// The member number as printed (`"05"`); `meetme kick` wants it back.
    pub user_no: String,
    /// The caller id number.
    pub number: String,
    /// The caller id name; `None` for `<noname>` / `<no name>` / `<unknown>`.
    pub name: Option<String>,
    /// The member's channel, e.g. `SIP/5003-0a08d998`.
    pub channel: String,
    /// `true` when Asterisk printed `(monitored)`, i.e. the member is being recorded.
    pub monitored: bool,
}

/// The parsed `result` text of `meetme list`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MeetMeList {
    /// Members in the order printed.
    pub members: Vec<MeetMeMember>,
    /// The count from the closing `N users in that conference.` line, if present.
    pub reported_count: Option<usize>,
}

/// Parses the `result` field of a `cticommand` answer running `meetme list` (or any meetme command).
///
/// Line breaks carry no meaning here: the seed's PDF wrapped lines anywhere,
/// and Asterisk pads columns with runs of spaces, so the text is split on
/// whitespace and cut at each `User #:`.
///
/// # Format
///
/// Seed 8.5:
/// ```text
/// Privilege: Command ActionID: WEB1252205885 User #: 05 5003 <noname>
/// Channel: SIP/5003-0a08d998 (unmonitored) User #: 06 5002 <noname> Channel:
/// SIP/5002-0a0a4fd8 (unmonitored) User #: 07 8003 苏文佳 Channel:
/// IAX2/iax100-11815 (unmonitored) User #: 08 5003 <noname> Channel:
/// SIP/5003-0a0720c0 (unmonitored) 4 users in that conference.
/// ```
/// Asterisk itself prints one member per line:
/// `User #: 01         5002 <no name>   Channel: SIP/5002-09598800 (unmonitored) 00:00:10`.
/// A `meetme kick` answer (seed 27.5) has no member and no count.
pub fn parse_meetme_list(text: &str) -> MeetMeList {
    let tokens: Vec<&str> = text.split_whitespace().collect();
    let starts: Vec<usize> = (0..tokens.len())
        .filter(|&i| is_user_marker(&tokens, i))
        .collect();
    let reported_count = find_count(&tokens);
    let members = starts
        .iter()
        .enumerate()
        .filter_map(|(n, &start)| {
            let end = starts.get(n + 1).copied().unwrap_or(tokens.len());
            parse_member(&tokens[start + 2..end])
        })
        .collect();
    MeetMeList {
        members,
        reported_count,
    }
}

fn is_user_marker(tokens: &[&str], i: usize) -> bool {
    tokens[i] == "User" && tokens.get(i + 1) == Some(&"#:")
}

/// Finds `N users in that conference.` (or `1 user ...`).
fn find_count(tokens: &[&str]) -> Option<usize> {
    tokens.windows(5).find_map(|w| {
        let tail_ok = matches!(w[1], "users" | "user")
            && w[2] == "in"
            && w[3] == "that"
            && w[4].starts_with("conference");
        if tail_ok {
            w[0].parse().ok()
        } else {
            None
        }
    })
}

fn parse_member(seg: &[&str]) -> Option<MeetMeMember> {
    let user_no = (*seg.first()?).to_owned();
    let chan_at = seg.iter().position(|t| *t == "Channel:")?;
    let channel = (*seg.get(chan_at + 1)?).to_owned();
    let number = if chan_at >= 2 {
        seg[1].to_owned()
    } else {
        String::new()
    };
    let name_tokens = if chan_at > 2 {
        &seg[2..chan_at]
    } else {
        &[][..]
    };
    let name = name_tokens.join(" ");
    let name = match name.as_str() {
        "" | "<noname>" | "<no name>" | "<unknown>" | "<Unknown>" => None,
        _ => Some(name),
    };
    let monitored = seg[chan_at + 2..].contains(&"(monitored)");
    Some(MeetMeMember {
        user_no,
        number,
        name,
        channel,
        monitored,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEED_8_5: &str = "\nPrivilege: Command ActionID: WEB1252205885 User #: 05 5003 <noname>\nChannel: SIP/5003-0a08d998 (unmonitored) User #: 06 5002 <noname> Channel:\nSIP/5002-0a0a4fd8 (unmonitored) User #: 07 8003 苏文佳 Channel:\nIAX2/iax100-11815 (unmonitored) User #: 08 5003 <noname> Channel:\nSIP/5003-0a0720c0 (unmonitored) 4 users in that conference.\n";

    fn member(no: &str, num: &str, name: Option<&str>, chan: &str) -> MeetMeMember {
        MeetMeMember {
            user_no: no.into(),
            number: num.into(),
            name: name.map(Into::into),
            channel: chan.into(),
            monitored: false,
        }
    }

    #[test]
    fn seed_8_5_four_members() {
        let list = parse_meetme_list(SEED_8_5);
        assert_eq!(list.reported_count, Some(4));
        assert_eq!(
            list.members,
            vec![
                member("05", "5003", None, "SIP/5003-0a08d998"),
                member("06", "5002", None, "SIP/5002-0a0a4fd8"),
                member("07", "8003", Some("苏文佳"), "IAX2/iax100-11815"),
                member("08", "5003", None, "SIP/5003-0a0720c0"),
            ]
        );
    }

    #[test]
    fn seed_22_5_two_members() {
        let text = "Privilege: Command ActionID: WEB1273720988 User #: 01 5002 <noname>\nChannel: SIP/5002-09598800 (unmonitored) User #: 02 8003 <noname> Channel:\nIAX2/iax100-20200 (unmonitored) 2 users in that conference.";
        let list = parse_meetme_list(text);
        assert_eq!(list.reported_count, Some(2));
        assert_eq!(
            list.members,
            vec![
                member("01", "5002", None, "SIP/5002-09598800"),
                member("02", "8003", None, "IAX2/iax100-20200"),
            ]
        );
    }

    #[test]
    fn real_asterisk_spacing() {
        let text = "User #: 01         5002 <no name>   Channel: SIP/5002-09598800 (unmonitored) 00:00:10\nUser #: 02  8003 Zhang San  Channel: IAX2/iax100-1 (monitored) 00:01:10\n2 users in that conference.\n";
        let list = parse_meetme_list(text);
        assert_eq!(list.reported_count, Some(2));
        assert_eq!(
            list.members[0],
            member("01", "5002", None, "SIP/5002-09598800")
        );
        assert_eq!(list.members[1].name.as_deref(), Some("Zhang San"));
        assert!(list.members[1].monitored);
    }

    #[test]
    fn seed_27_5_kick_answer_has_no_members() {
        let list = parse_meetme_list("\nPrivilege: Command ActionID: WEB1249630556\n");
        assert_eq!(list, MeetMeList::default());
    }

    #[test]
    fn command_lines() {
        let room = RoomNo::parse("36405501").unwrap();
        let m = MemberNo::parse("02").unwrap();
        assert_eq!(
            MeetMeCommand::Kick(room.clone(), m.clone()).command_line(),
            "meetme kick 36405501 02"
        );
        assert_eq!(
            MeetMeCommand::List(room.clone()).command_line(),
            "meetme list 36405501"
        );
        assert_eq!(
            MeetMeCommand::Mute(room.clone(), m.clone()).command_line(),
            "meetme mute 36405501 02"
        );
        assert_eq!(
            MeetMeCommand::Unmute(room.clone(), m).command_line(),
            "meetme unmute 36405501 02"
        );
        assert_eq!(
            MeetMeCommand::Lock(room.clone()).command_line(),
            "meetme lock 36405501"
        );
        assert_eq!(
            MeetMeCommand::Unlock(room).command_line(),
            "meetme unlock 36405501"
        );
    }

    #[test]
    fn truncated_segments_are_skipped() {
        let list = parse_meetme_list("User #: 01 5002 Channel:");
        assert!(list.members.is_empty());
        let list = parse_meetme_list("User #:");
        assert!(list.members.is_empty());
    }
}
