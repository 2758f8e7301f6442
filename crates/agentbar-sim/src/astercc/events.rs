//! Call events as asterCC pushes them (seed sec 6 and 7): one `key=value&...&` string per
//! event, POSTed one per request as `application/x-www-form-urlencoded`.
//!
//! # Format
//!
//! Field order follows the seed's samples, which differ by kind of event. An outbound
//! (`from=dialout`) event, seed sec 6 "坐席振铃", with the `eventid` this simulator appends:
//!
//! ```text
//! calleridnum=013888888888&didnumber=&activenum=041139735857&source=AGENT&event=ringing&
//! uniqueid=19866&sessionid=efeb7b374a3408b0d0954f30a1504d83&eventTime=2010-01-01 08:22:01&
//! AgentTeamId=20&modeltype=Campaign&model_id=10&AgentGroupId=100&calltype=dialout&
//! channel=Local/041139735857@hosted-dialout-408a;1&from=dialout&eventid=1&
//! ```
//!
//! An inbound (`from=dialin`) event has no `calltype` and puts `from` before `channel`
//! (`channel` before `from` in the final `CONVERSATION` event); the customer's `incoming`
//! event is short:
//!
//! ```text
//! source=CALLER&event=incoming&modeltype=Campaign&uniqueid=1555&model_id=10&from=dialin&
//! sessionid=1f10eab01f5b1b36230b8e91aef34810&channel=Local/013888888888@hosted-dialin-701a;1&
//! eventid=1&
//! ```
//!
//! (line breaks added here only). Every event ends with `&`; `eventTime` keeps its space.
//! Values are written as they are except `%`, `&`, `+`, `=` and control characters, which are
//! percent-encoded, so both a form decoder and the seed's split-on-`&`-then-`=` parser read
//! them back. A `userdata` given to `MAKECALL` travels as one more field before `eventid`.

use serde::{Deserialize, Serialize};

/// Inbound or outbound (`from`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CallKind {
    /// A customer called in.
    Dialin,
    /// An agent (or a device) called out.
    Dialout,
}

impl CallKind {
    /// `dialin` or `dialout`.
    pub fn as_str(self) -> &'static str {
        match self {
            CallKind::Dialin => "dialin",
            CallKind::Dialout => "dialout",
        }
    }
}

/// What happened (`event`), lower case on the wire.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EventName {
    /// A customer's call arrived.
    Incoming,
    /// The leg rings.
    Ringing,
    /// The leg answered.
    Answer,
    /// The leg (or, with `CONVERSATION`, the whole call) ended.
    Hangup,
    /// The leg joined a conference.
    Join,
    /// The leg was put on hold.
    Onhold,
    /// The leg came back from hold.
    Resume,
}

impl EventName {
    /// The wire word.
    pub fn as_str(self) -> &'static str {
        match self {
            EventName::Incoming => "incoming",
            EventName::Ringing => "ringing",
            EventName::Answer => "answer",
            EventName::Hangup => "hangup",
            EventName::Join => "join",
            EventName::Onhold => "onhold",
            EventName::Resume => "resume",
        }
    }
}

/// One call event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallEvent {
    /// Increasing id; a lower one than already seen is a late event.
    pub eventid: u64,
    /// `dialin` / `dialout`.
    pub from: CallKind,
    /// `AGENT`, `CALLER`, `CALLEE`, `CONSULT` or `CONVERSATION`.
    pub source: String,
    /// What happened.
    pub event: EventName,
    /// The leg's id (`0` for `CONVERSATION`).
    pub uniqueid: String,
    /// The call's id, one per call.
    pub sessionid: String,
    /// The customer's number.
    pub calleridnum: String,
    /// The number the customer dialed (inbound), else empty.
    pub didnumber: String,
    /// The number of the party `source` names.
    pub activenum: String,
    /// `yyyy-mm-dd HH:MM:SS`.
    pub event_time: String,
    /// `AgentTeamId`.
    pub team_id: String,
    /// `modeltype`.
    pub modeltype: String,
    /// `model_id`.
    pub model_id: String,
    /// `AgentGroupId`.
    pub group: String,
    /// The leg's channel (empty in `answer` and `CONVERSATION` events, as in the seed).
    pub channel: String,
    /// What `MAKECALL` passed as `userdata`.
    pub userdata: Option<String>,
}

/// Writes a value so that neither a form decoder nor a split on `&` and `=` misreads it.
pub fn encode_value(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    for c in v.chars() {
        match c {
            '%' | '&' | '+' | '=' => out.push_str(&format!("%{:02X}", c as u32)),
            c if (c as u32) < 0x20 || c == '\u{7f}' => out.push_str(&format!("%{:02X}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// Reads an event body back into pairs (form decoding; `+` stays a `+` only if encoded).
pub fn parse_event(body: &str) -> Vec<(String, String)> {
    body.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            let v = v.replace('+', " ");
            (
                k.to_owned(),
                percent_encoding::percent_decode_str(&v)
                    .decode_utf8_lossy()
                    .into_owned(),
            )
        })
        .collect()
}

impl CallEvent {
    /// The wire string, trailing `&` included.
    pub fn body(&self) -> String {
        let e = self;
        let from = e.from.as_str();
        let event = e.event.as_str();
        let mut f: Vec<(&str, &str)> = if e.event == EventName::Incoming {
            vec![
                ("source", &e.source),
                ("event", event),
                ("modeltype", &e.modeltype),
                ("uniqueid", &e.uniqueid),
                ("model_id", &e.model_id),
                ("from", from),
                ("sessionid", &e.sessionid),
                ("channel", &e.channel),
            ]
        } else {
            vec![
                ("calleridnum", &e.calleridnum),
                ("didnumber", &e.didnumber),
                ("activenum", &e.activenum),
                ("source", &e.source),
                ("event", event),
                ("uniqueid", &e.uniqueid),
                ("sessionid", &e.sessionid),
                ("eventTime", &e.event_time),
                ("AgentTeamId", &e.team_id),
                ("modeltype", &e.modeltype),
                ("model_id", &e.model_id),
                ("AgentGroupId", &e.group),
            ]
        };
        if e.event != EventName::Incoming {
            match (e.from, e.source == "CONVERSATION") {
                (CallKind::Dialout, _) => f.extend([
                    ("calltype", from),
                    ("channel", e.channel.as_str()),
                    ("from", from),
                ]),
                (CallKind::Dialin, false) => {
                    f.extend([("from", from), ("channel", e.channel.as_str())])
                }
                (CallKind::Dialin, true) => {
                    f.extend([("channel", e.channel.as_str()), ("from", from)])
                }
            }
        }
        if let Some(u) = &e.userdata {
            f.push(("userdata", u.as_str()));
        }
        let id = e.eventid.to_string();
        f.push(("eventid", &id));
        let mut out = String::new();
        for (k, v) in f {
            out.push_str(k);
            out.push('=');
            out.push_str(&encode_value(v));
            out.push('&');
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dialout(source: &str, event: EventName, uniqueid: &str, channel: &str) -> CallEvent {
        CallEvent {
            eventid: 7,
            from: CallKind::Dialout,
            source: source.to_owned(),
            event,
            uniqueid: uniqueid.to_owned(),
            sessionid: "efeb7b374a3408b0d0954f30a1504d83".to_owned(),
            calleridnum: "013888888888".to_owned(),
            didnumber: String::new(),
            activenum: "041139735857".to_owned(),
            event_time: "2010-01-01 08:22:01".to_owned(),
            team_id: "20".to_owned(),
            modeltype: "Campaign".to_owned(),
            model_id: "10".to_owned(),
            group: "100".to_owned(),
            channel: channel.to_owned(),
            userdata: None,
        }
    }

    // Seed sec 6, "呼出 / 坐席振铃", byte for byte, then our eventid.
    #[test]
    fn seed_6_dialout_agent_ringing() {
        let e = dialout(
            "AGENT",
            EventName::Ringing,
            "19866",
            "Local/041139735857@hosted-dialout-408a;1",
        );
        assert_eq!(
            e.body(),
            "calleridnum=013888888888&didnumber=&activenum=041139735857&source=AGENT&event=ringing&uniqueid=19866&sessionid=efeb7b374a3408b0d0954f30a1504d83&eventTime=2010-01-01 08:22:01&AgentTeamId=20&modeltype=Campaign&model_id=10&AgentGroupId=100&calltype=dialout&channel=Local/041139735857@hosted-dialout-408a;1&from=dialout&eventid=7&"
        );
    }

    // Seed sec 6, "客户挂断" and "通话整体结束事件".
    #[test]
    fn seed_6_dialout_caller_hangup_and_conversation() {
        let mut e = dialout(
            "CALLER",
            EventName::Hangup,
            "19867",
            "Local/013888888888@hosted-dialout-7636;1",
        );
        e.event_time = "2010-01-01 08:22:47".to_owned();
        assert_eq!(
            e.body(),
            "calleridnum=013888888888&didnumber=&activenum=041139735857&source=CALLER&event=hangup&uniqueid=19867&sessionid=efeb7b374a3408b0d0954f30a1504d83&eventTime=2010-01-01 08:22:47&AgentTeamId=20&modeltype=Campaign&model_id=10&AgentGroupId=100&calltype=dialout&channel=Local/013888888888@hosted-dialout-7636;1&from=dialout&eventid=7&"
        );
        let mut c = dialout("CONVERSATION", EventName::Hangup, "0", "");
        c.event_time = "2010-01-01 08:22:47".to_owned();
        assert_eq!(
            c.body(),
            "calleridnum=013888888888&didnumber=&activenum=041139735857&source=CONVERSATION&event=hangup&uniqueid=0&sessionid=efeb7b374a3408b0d0954f30a1504d83&eventTime=2010-01-01 08:22:47&AgentTeamId=20&modeltype=Campaign&model_id=10&AgentGroupId=100&calltype=dialout&channel=&from=dialout&eventid=7&"
        );
    }

    fn dialin(source: &str, event: EventName, uniqueid: &str, channel: &str) -> CallEvent {
        CallEvent {
            eventid: 3,
            from: CallKind::Dialin,
            source: source.to_owned(),
            event,
            uniqueid: uniqueid.to_owned(),
            sessionid: "1f10eab01f5b1b36230b8e91aef34810".to_owned(),
            calleridnum: "013888888888".to_owned(),
            didnumber: "800888".to_owned(),
            activenum: "041139735857".to_owned(),
            event_time: "2010-01-01 11:11:07".to_owned(),
            team_id: "3".to_owned(),
            modeltype: "Campaign".to_owned(),
            model_id: "10".to_owned(),
            group: "100".to_owned(),
            channel: channel.to_owned(),
            userdata: None,
        }
    }

    // Seed sec 6, "呼入": the samples have no trailing `&`; ours always do.
    #[test]
    fn seed_6_dialin_incoming_ringing_answer() {
        let e = dialin(
            "CALLER",
            EventName::Incoming,
            "1555",
            "Local/013888888888@hosted-dialin-701a;1",
        );
        assert_eq!(
            e.body(),
            "source=CALLER&event=incoming&modeltype=Campaign&uniqueid=1555&model_id=10&from=dialin&sessionid=1f10eab01f5b1b36230b8e91aef34810&channel=Local/013888888888@hosted-dialin-701a;1&eventid=3&"
        );
        let e = dialin(
            "AGENT",
            EventName::Ringing,
            "1556",
            "Local/041139735857@hosted-dialin-531a;1",
        );
        assert_eq!(
            e.body(),
            "calleridnum=013888888888&didnumber=800888&activenum=041139735857&source=AGENT&event=ringing&uniqueid=1556&sessionid=1f10eab01f5b1b36230b8e91aef34810&eventTime=2010-01-01 11:11:07&AgentTeamId=3&modeltype=Campaign&model_id=10&AgentGroupId=100&from=dialin&channel=Local/041139735857@hosted-dialin-531a;1&eventid=3&"
        );
        let mut e = dialin("AGENT", EventName::Answer, "1556", "");
        e.event_time = "2010-01-01 11:11:10".to_owned();
        assert_eq!(
            e.body(),
            "calleridnum=013888888888&didnumber=800888&activenum=041139735857&source=AGENT&event=answer&uniqueid=1556&sessionid=1f10eab01f5b1b36230b8e91aef34810&eventTime=2010-01-01 11:11:10&AgentTeamId=3&modeltype=Campaign&model_id=10&AgentGroupId=100&from=dialin&channel=&eventid=3&"
        );
    }

    // Seed sec 6, dialin "通话整体结束事件" (the sample's empty didnumber aside).
    #[test]
    fn seed_6_dialin_conversation_hangup() {
        let mut e = dialin("CONVERSATION", EventName::Hangup, "0", "");
        e.didnumber = String::new();
        e.event_time = "2010-01-01 11:12:54".to_owned();
        assert_eq!(
            e.body(),
            "calleridnum=013888888888&didnumber=&activenum=041139735857&source=CONVERSATION&event=hangup&uniqueid=0&sessionid=1f10eab01f5b1b36230b8e91aef34810&eventTime=2010-01-01 11:12:54&AgentTeamId=3&modeltype=Campaign&model_id=10&AgentGroupId=100&channel=&from=dialin&eventid=3&"
        );
    }

    #[test]
    fn userdata_survives_both_parsers() {
        let mut e = dialout("AGENT", EventName::Answer, "19866", "");
        e.userdata = Some("customer_id=109&pwd=asdfg".to_owned());
        let body = e.body();
        assert!(body.ends_with("&userdata=customer_id%3D109%26pwd%3Dasdfg&eventid=7&"));
        let pairs = parse_event(&body);
        assert!(pairs.contains(&("userdata".into(), "customer_id=109&pwd=asdfg".into())));
        assert!(pairs.contains(&("eventTime".into(), "2010-01-01 08:22:01".into())));
        // The seed's own parser: split on '&', then on '='.
        let naive: Vec<&str> = body.split('&').collect();
        assert!(naive.contains(&"userdata=customer_id%3D109%26pwd%3Dasdfg"));
    }
}
