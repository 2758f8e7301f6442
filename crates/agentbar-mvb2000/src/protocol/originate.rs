//! Builders for `ctioriginate.php`: dialing, ChanSpy monitor/barge, MeetMe, PickUp, voicemail.
//!
//! Every use of `ctioriginate` in the seed fills the same parameter list
//! (seed 3.3: channel, context, exten, priority, application, data, timeout,
//! callerid, variable, account, async); the builders differ only in which
//! ones they fill, and the query keeps that order.

use super::request::Request;
use super::validate::{Channel, Context, Extension, PhoneNumber, RoomNo};

const ENDPOINT: &str = "ctioriginate.php";

/// The optional parameters every originate may carry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OriginateOptions {
    /// How long to ring the first leg, in milliseconds (seed 3.3 `timeout` "30000 (此参数单位为毫秒)").
    pub timeout_ms: Option<u32>,
    /// The number shown to the called party (seed 3.3 `callerid`, "来显号码").
    pub callerid: Option<PhoneNumber>,
    /// `async=yes|no` (seed 3.3; the ChanSpy samples of 5.4 and 7.4 send `no`).
    pub asynchronous: Option<bool>,
}

impl OriginateOptions {
    /// Options with a timeout and a caller id, the usual pair in the seed's samples.
    pub fn with(timeout_ms: Option<u32>, callerid: Option<PhoneNumber>) -> Self {
        Self {
            timeout_ms,
            callerid,
            asynchronous: None,
        }
    }
}

/// The `variable` list that records and CDRs rely on (seed 3.3, "此部分参数必须正确设置，否则会影响录音和话单").
///
/// # Format
///
/// Seed 3.4.1 prints `FIRSTTEXTCALLER=7620|MVB_CALLER=7620|MVB_CALLEE=82754888|MVB_DIRECT=OUT`,
/// while the table of 3.3.1 spells the first name `FIRSTEXTCALLER`. We cannot
/// tell which one the dial plan reads, and Asterisk ignores a channel variable
/// nobody reads, so both spellings are set:
/// `FIRSTEXTCALLER=7620|FIRSTTEXTCALLER=7620|MVB_CALLER=7620|MVB_CALLEE=82754888|MVB_DIRECT=OUT`.
pub fn dial_variables(agent_ext: &Extension, callee: &PhoneNumber) -> String {
    let a = agent_ext.as_str();
    format!(
        "FIRSTEXTCALLER={a}|FIRSTTEXTCALLER={a}|MVB_CALLER={a}|MVB_CALLEE={}|MVB_DIRECT=OUT",
        callee.as_str()
    )
}

fn dial(
    channel: String,
    context: &Context,
    exten: &str,
    variable: String,
    opts: &OriginateOptions,
) -> Request {
    Request::new(ENDPOINT)
        .param("channel", channel)
        .param("context", context.as_str())
        .param("exten", exten)
        .param("priority", "1")
        .opt_param("timeout", opts.timeout_ms.map(|t| t.to_string()))
        .opt_param("callerid", opts.callerid.as_ref())
        .param("variable", variable)
        .opt_param("async", opts.asynchronous.map(yes_no))
}

fn application(channel: &Channel, app: &str, data: String, opts: &OriginateOptions) -> Request {
    Request::new(ENDPOINT)
        .param("channel", channel.as_str())
        .param("application", app)
        .param("data", data)
        .opt_param("timeout", opts.timeout_ms.map(|t| t.to_string()))
        .opt_param("callerid", opts.callerid.as_ref())
        .opt_param("async", opts.asynchronous.map(yes_no))
}

fn yes_no(b: bool) -> &'static str {
    if b {
        "yes"
    } else {
        "no"
    }
}

/// Calls `number` through `trunk` and plays `text` to them with the platform's `ttsplay`
/// application (seed 4): the text travels GBK-encoded and base64'd in `TTS_TEXT`, with the
/// record variables of sec 3 for `record_ext`.
///
/// # Format
///
/// Seed 4.4 (the PDF put spaces after `context=` and `TTS_TEXT=`, and left the base64 `+`
/// raw, which a PHP server would read as a space; we percent-encode it):
/// `/webservice2/ctioriginatetts.php?webkey=0210f50063d2b950b2c6add6ea4b79a9&channel=Zap/g0/82754888&context=custom-ttsplay&exten=s&priority=1&callerid=4000820188&variable=FIRSTEXTCALLER=7001|MVB_CALLER=7001|MVB_CALLEE=82754888|MVB_DIRECT=OUT|TTS_TEXT=xPq6w6Oss6nQxbTvzajQxbu2063E+g==`
pub fn originate_tts(
    trunk: &Channel,
    number: &PhoneNumber,
    record_ext: &Extension,
    text: &str,
    opts: &OriginateOptions,
) -> Result<Request, super::ProtocolError> {
    use base64::Engine as _;
    if text.is_empty() || text.chars().count() > 500 {
        return Err(super::ProtocolError::Invalid {
            field: "text",
            reason: "1-500 characters".into(),
        });
    }
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(text);
    if unmappable {
        return Err(super::ProtocolError::Invalid {
            field: "text",
            reason: "has characters GBK cannot carry".into(),
        });
    }
    let b64 = base64::engine::general_purpose::STANDARD.encode(gbk.as_ref());
    let variable = format!("{}|TTS_TEXT={b64}", dial_variables(record_ext, number));
    let context = Context::parse("custom-ttsplay")?;
    let mut req = dial(
        format!("{}/{}", trunk.as_str(), number.as_str()),
        &context,
        "s",
        variable,
        opts,
    );
    req.endpoint = "ctioriginatetts.php";
    Ok(req)
}

/// Rings the agent's phone first, then dials `number` (seed 3.3.1 / 3.4.1).
///
/// # Format
///
/// Seed 3.4.1 (webkey as printed):
/// `/webservice2/ctioriginate.php?webkey=0210f50063d2b950b2c6add6ea4b79a9&channel=SIP/7001&context=from-internal&exten=82754888&priority=1&callerid=4000820188&variable=FIRSTTEXTCALLER=7620|MVB_CALLER=7620|MVB_CALLEE=82754888|MVB_DIRECT=OUT`
/// (our `variable` also carries `FIRSTEXTCALLER`, see [`dial_variables`]).
pub fn originate_agent_first(
    agent_channel: &Channel,
    agent_ext: &Extension,
    number: &PhoneNumber,
    context: &Context,
    opts: &OriginateOptions,
) -> Request {
    dial(
        agent_channel.as_str().to_owned(),
        context,
        number.as_str(),
        dial_variables(agent_ext, number),
        opts,
    )
}

/// Dials `number` on `trunk` first, then connects it to the agent's extension (seed 3.3.2 / 3.4.2).
///
/// `trunk` is the trunk's dial prefix (`Zap/g0`); the channel sent is
/// `<trunk>/<number>`. Both parts are validated, so the join cannot carry
/// anything else.
///
/// # Format
///
/// Seed 3.4.2:
/// `/webservice2/ctioriginate.php?webkey=0210f50063d2b950b2c6add6ea4b79a9&channel=Zap/g0/82754888&context=from-internal&exten=7620&priority=1&callerid=4000820188&variable=FIRSTTEXTCALLER=7620|MVB_CALLER=7620|MVB_CALLEE=82754888|MVB_DIRECT=OUT`
pub fn originate_trunk_first(
    trunk: &Channel,
    number: &PhoneNumber,
    agent_ext: &Extension,
    context: &Context,
    opts: &OriginateOptions,
) -> Request {
    dial(
        format!("{}/{}", trunk.as_str(), number.as_str()),
        context,
        agent_ext.as_str(),
        dial_variables(agent_ext, number),
        opts,
    )
}

/// What a ChanSpy call lets the supervisor do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpyMode {
    /// Listen only; keys 4/5/6 switch to listen/whisper/barge (seed 7, options `dqs(3)`).
    Monitor,
    /// Join the call (seed 5 "强插", options `Bqsv(3)`).
    Barge,
}

impl SpyMode {
    fn options(self) -> &'static str {
        match self {
            SpyMode::Monitor => "dqs(3)",
            SpyMode::Barge => "Bqsv(3)",
        }
    }
}

/// Rings the supervisor's phone and spies on `target` (seed 5 barge, seed 7 monitor).
///
/// # Format
///
/// Seed 7.4: `/webservice2/ctioriginate.php?webkey=33de2de41e1fe862e6b0e0500bc515cd&channel=SIP/5002&application=ChanSpy&data=5003|dqs(3)&timeout=10000&callerid=5003&async=no`
///
/// Seed 5.4: the same with `data=5003|Bqsv(3)`.
pub fn originate_chanspy(
    spy_channel: &Channel,
    target: &Extension,
    mode: SpyMode,
    opts: &OriginateOptions,
) -> Request {
    let data = format!("{}|{}", target.as_str(), mode.options());
    application(spy_channel, "ChanSpy", data, opts)
}

/// Whether a MeetMe originate opens a new dynamic room or enters an existing one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MeetMeJoin {
    /// `pqd`: the `d` flag lets MeetMe create the room on the fly (seed 6.3, 8.3, 8.4).
    Create,
    /// `pq`: enter a room that exists (seed 6.3 second table, 6.4 second URL).
    Join,
}

/// Rings `channel` and puts it in MeetMe room `room` (seed 6 and 8).
///
/// # Format
///
/// Seed 8.4: `/webservice2/ctioriginate.php?webkey=33de2de41e1fe862e6b0e0500bc515cd&channel=SIP/5002&application=MeetMe&data=9111|pqd&timeout=10000&callerid=5002`
///
/// Seed 6.4 (join): `...&channel=SIP/5003&application=MeetMe&data=9111|pq&timeout=10000&callerid=5002`
pub fn originate_meetme(
    channel: &Channel,
    room: &RoomNo,
    join: MeetMeJoin,
    opts: &OriginateOptions,
) -> Request {
    let flags = match join {
        MeetMeJoin::Create => "pqd",
        MeetMeJoin::Join => "pq",
    };
    application(
        channel,
        "MeetMe",
        format!("{}|{flags}", room.as_str()),
        opts,
    )
}

/// Rings `channel` and picks up the call ringing at `target` (seed 26).
///
/// `context` is needed when the two extensions are not in one pickup group
/// (seed 26.3 note: `5003@from-internal`).
///
/// # Format
///
/// Seed 26.4: `/webservice2/ctioriginate.php?webkey=a1e9ddf61058ba180bd3499dcf300cbc&channel=SIP/5002&application=PickUp&data=5003&timeout=10000&callerid=8003`
pub fn originate_pickup(
    channel: &Channel,
    target: &Extension,
    context: Option<&Context>,
    opts: &OriginateOptions,
) -> Request {
    let data = match context {
        Some(ctx) => format!("{}@{}", target.as_str(), ctx.as_str()),
        None => target.as_str().to_owned(),
    };
    application(channel, "PickUp", data, opts)
}

/// Rings `channel` and opens voicemail box `mailbox@context` without a PIN prompt (seed 24, `s` flag).
///
/// # Format
///
/// Seed 24.4: `/webservice2/ctioriginate.php?webkey=a1e9ddf61058ba180bd3499dcf300cbc&channel=SIP/5003&application=VoiceMailMain&data=5003@default|s&callerid=5003`
pub fn originate_voicemail(
    channel: &Channel,
    mailbox: &Extension,
    context: &Context,
    opts: &OriginateOptions,
) -> Request {
    let data = format!("{}@{}|s", mailbox.as_str(), context.as_str());
    application(channel, "VoiceMailMain", data, opts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dial_variables_set_both_spellings() {
        let ext = Extension::parse("7620").unwrap();
        let num = PhoneNumber::parse("82754888").unwrap();
        assert_eq!(
            dial_variables(&ext, &num),
            "FIRSTEXTCALLER=7620|FIRSTTEXTCALLER=7620|MVB_CALLER=7620|MVB_CALLEE=82754888|MVB_DIRECT=OUT"
        );
    }

    #[test]
    fn trunk_first_joins_trunk_and_number() {
        let r = originate_trunk_first(
            &Channel::parse("Zap/g0").unwrap(),
            &PhoneNumber::parse("82754888").unwrap(),
            &Extension::parse("7620").unwrap(),
            &Context::parse("from-internal").unwrap(),
            &OriginateOptions::default(),
        );
        assert_eq!(r.get("channel"), Some("Zap/g0/82754888"));
        assert_eq!(r.get("exten"), Some("7620"));
    }

    #[test]
    fn pickup_with_context() {
        let r = originate_pickup(
            &Channel::parse("SIP/5002").unwrap(),
            &Extension::parse("5003").unwrap(),
            Some(&Context::parse("from-internal").unwrap()),
            &OriginateOptions::default(),
        );
        assert_eq!(r.get("data"), Some("5003@from-internal"));
    }
}
