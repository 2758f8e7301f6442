//! Validated newtypes for every value a request carries, so nothing half-checked reaches the
//! wire.
//!
//! Values travel percent-encoded in a query string, so no character could add a parameter;
//! the rules are narrower than that anyway, because the same values come back in pop notices
//! and in the status table, and because a CRM page can put any text into a command. Each rule
//! admits every form seed 002 prints (with its `x` placeholders replaced by digits).

use super::ProtocolError;
use agentbar_core::validated_text;

validated_text!(
    /// An extension (分机号码: `caller` of CLICK_TO_DIAL, `extnum`, `callee` of CALL_THIRD,
    /// `leaderExtnum`, `wokerExtnum`; seed samples `801`, `802`, `803`) or a group number
    /// (`group=3003`, `extnum` of the captcha call): digits, 1-16.
    Extension,
    "extnum",
    check_extension
);
validated_text!(
    /// A number to call or name a call by (`callee`, `target`, `caller` of a customer,
    /// `conferenceid`, `telnum`): `[0-9*#]` with an optional leading `+`, 1-32.
    PhoneNumber,
    "callee",
    check_phone
);
validated_text!(
    /// An IVR menu number (`ivrid` of TALKING_CALLER_TO_IVR, seed 6 sample `3`; `toneid` of
    /// IVR_TTS_CALL, seed 18 sample `20`): digits, 1-16.
    IvrId,
    "ivrid",
    check_digits16
);
validated_text!(
    /// A voice file number (`toneid` of the captcha call, seed 3 sample `19`): digits, 1-16.
    ToneId,
    "toneid",
    check_digits16
);
validated_text!(
    /// A task id chosen by the caller (`id` of the captcha call, `token` of IVR_TTS_CALL; seed
    /// samples `1`, `0123456789`): `[A-Za-z0-9_.:-]`, 1-64.
    TaskId,
    "token",
    check_task
);
validated_text!(
    /// The captcha's digits (`code`, seed 3: "需纯数字", sample `112233`): digits, 1-16.
    CaptchaCode,
    "code",
    check_digits16
);
validated_text!(
    /// A call's id as the server gives it (the pop notice's `id`, the call log's `callid`,
    /// seed samples `df0897e8-b468-4b57-a5d8-9b48c92aa9c5@192.168.1.86`,
    /// `1456383508555141554-0@192.168.1.60`): SIP Call-IDs, 1-256 printable ASCII characters
    /// without spaces.
    CallRef,
    "callid",
    check_call_ref
);
validated_text!(
    /// A recording's path on the server (`recordVoice` of the call log, `filename` of
    /// FileDownServlet, seed 22 sample `D:/records/monitor/2016-08-22/801_803_20160822160201.wav`):
    /// 1-512 characters without control characters, no `..` step, ending in an audio file
    /// extension (`.wav`, `.mp3`, `.gsm`, `.ogg`, `.amr`). FileDownServlet serves any path it is
    /// given; the bar only asks it for recordings.
    RecordingPath,
    "filename",
    check_recording_path
);
validated_text!(
    /// The name of a text-to-speech variable of an IVR (seed 18: "tts 开头的变量", sample
    /// `ttsabc`): `tts` followed by 1-32 letters, digits or `_`.
    TtsName,
    "ttsXXX",
    check_tts_name
);
validated_text!(
    /// The text a TTS variable reads out (seed 18 sample `你好世界!`): 1-500 characters, no
    /// control characters.
    TtsText,
    "ttsXXX",
    check_tts_text
);
validated_text!(
    /// A free text of the CRM interfaces (`cname`, `cvalue`, `product`, `comment`, `qq`):
    /// 1-200 characters, no control characters.
    CrmText,
    "cname",
    check_crm_text
);

fn token(s: &str, max: usize, ok: impl Fn(char) -> bool) -> Result<(), ()> {
    if s.is_empty() || s.chars().count() > max || !s.chars().all(ok) {
        return Err(());
    }
    Ok(())
}

fn check_extension(s: &str) -> Result<(), String> {
    token(s, 16, |c| c.is_ascii_digit()).map_err(|_| "1-16 digits".into())
}

fn check_phone(s: &str) -> Result<(), String> {
    let body = s.strip_prefix('+').unwrap_or(s);
    if s.len() > 32 || token(body, 32, |c| c.is_ascii_digit() || c == '*' || c == '#').is_err() {
        return Err("1-32 of 0-9, * and #, optional leading +".into());
    }
    Ok(())
}

fn check_digits16(s: &str) -> Result<(), String> {
    token(s, 16, |c| c.is_ascii_digit()).map_err(|_| "1-16 digits".into())
}

fn check_task(s: &str) -> Result<(), String> {
    token(s, 64, |c| {
        c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | ':' | '-')
    })
    .map_err(|_| "1-64 of letters, digits, _ . : -".into())
}

fn check_call_ref(s: &str) -> Result<(), String> {
    token(s, 256, |c| c.is_ascii_graphic())
        .map_err(|_| "1-256 printable ASCII characters, no spaces".into())
}

/// Audio file extensions the bar downloads.
pub const RECORDING_EXTENSIONS: [&str; 5] = ["wav", "mp3", "gsm", "ogg", "amr"];

fn check_recording_path(s: &str) -> Result<(), String> {
    let rule = || {
        "a recording path: 1-512 characters, no control characters, no .. step, ending in .wav, .mp3, .gsm, .ogg or .amr".to_string()
    };
    if s.is_empty() || s.chars().count() > 512 || s.chars().any(char::is_control) {
        return Err(rule());
    }
    if s.split(['/', '\\']).any(|step| step == "..") {
        return Err(rule());
    }
    let ext = s.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    if !ext.is_some_and(|e| RECORDING_EXTENSIONS.contains(&e.as_str())) {
        return Err(rule());
    }
    Ok(())
}

fn check_tts_name(s: &str) -> Result<(), String> {
    let rest = s.strip_prefix("tts").unwrap_or("");
    token(rest, 32, |c| c.is_ascii_alphanumeric() || c == '_')
        .map_err(|_| "tts followed by 1-32 letters, digits or _".into())
}

fn check_tts_text(s: &str) -> Result<(), String> {
    if s.is_empty() || s.chars().count() > 500 || s.chars().any(char::is_control) {
        return Err("1-500 characters, no control characters".into());
    }
    Ok(())
}

fn check_crm_text(s: &str) -> Result<(), String> {
    if s.is_empty() || s.chars().count() > 200 || s.chars().any(char::is_control) {
        return Err("1-200 characters, no control characters".into());
    }
    Ok(())
}

impl Extension {
    /// The extension as a number to call or name a call by.
    pub fn as_number(&self) -> PhoneNumber {
        PhoneNumber(self.0.clone())
    }
}

/// A date of the call-log query (`beginDate`, `endDate`, seed 21: `yyyy-MM-dd`).
pub fn parse_date(field: &'static str, s: &str) -> Result<chrono::NaiveDate, ProtocolError> {
    if s.len() != 10 {
        return Err(ProtocolError::invalid(field, "a date yyyy-mm-dd"));
    }
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| ProtocolError::invalid(field, "a date yyyy-mm-dd"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_values_pass() {
        for e in ["801", "802", "803", "816", "3003"] {
            Extension::parse(e).unwrap();
        }
        for n in [
            "13500000000",
            "1591982000",
            "015919823610",
            "+8613227841198",
            "*72#",
        ] {
            PhoneNumber::parse(n).unwrap();
        }
        TaskId::parse("0123456789").unwrap();
        CallRef::parse("df0897e8-b468-4b57-a5d8-9b48c92aa9c5@192.168.1.86").unwrap();
        RecordingPath::parse("D:/records/monitor/2016-08-22/801_803_20160822160201.wav").unwrap();
        TtsName::parse("ttsabc").unwrap();
        TtsText::parse("你好世界!").unwrap();
    }

    #[test]
    fn bad_values_fail_naming_the_field() {
        assert!(Extension::parse("80a").is_err());
        assert!(Extension::parse("").is_err());
        assert!(PhoneNumber::parse("135&opt=X").is_err());
        assert!(PhoneNumber::parse("+").is_err());
        assert!(CallRef::parse("a b").is_err());
        assert!(RecordingPath::parse("C:/Windows/win.ini").is_err());
        assert!(RecordingPath::parse("D:/records/../../secret.wav").is_err());
        assert!(TtsName::parse("abc").is_err());
        assert!(TtsName::parse("tts").is_err());
        assert!(TtsText::parse("a\nb").is_err());
        match IvrId::parse("x") {
            Err(ProtocolError::Invalid { field, .. }) => assert_eq!(field, "ivrid"),
            other => panic!("{other:?}"),
        }
        assert!(parse_date("beginDate", "2016-02-30").is_err());
        assert!(parse_date("beginDate", "2016-3-1").is_err());
        assert_eq!(
            parse_date("beginDate", "2016-03-01").unwrap().to_string(),
            "2016-03-01"
        );
    }
}
