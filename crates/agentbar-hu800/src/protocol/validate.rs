//! Validated newtypes for every value a request carries, so nothing half-checked reaches the
//! wire.
//!
//! Values travel percent-encoded in a query string (seed 1.1: "url 里的所有参数值请做
//! urlencode 编码"), so no character could add a parameter; the rules are narrower than that
//! anyway, because the same values come back in messages and pushes and because a CRM page
//! can put any text into a command.

use agentbar_core::validated_text;

validated_text!(
    /// The account that signs every request (`sa_user`, seed samples `100008800`,
    /// `100000800`): 1-64 of letters, digits, `_ . @ -`.
    SaUser,
    "sa_user",
    check_user
);
validated_text!(
    /// A number to call or to name a call by (`descPhone` of callbackPhone, `phone` of sendMsg,
    /// `showphone` of registerExtension): `[0-9*#]` with an optional leading `+`, 1-32. A `*`
    /// also lets a masked number (`138****8888`, `disablePhoneNum=1`) name its call.
    PhoneNumber,
    "descPhone",
    check_phone
);
validated_text!(
    /// An extension to transfer to (`descExten` of transferExten; 800hu's extensions are
    /// digits, seed sample `100001800`): 1-32 digits.
    Extension,
    "descExten",
    check_extension
);
validated_text!(
    /// A value of setUserCheckInOut's `status`: 1-16 of letters, digits, `_` or `-`. The seed
    /// does not list the values; the profile sets them (`ready_status`, `not_ready_status`).
    StatusValue,
    "status",
    check_status
);
validated_text!(
    /// A call record's id (`cdrId`, `scdrId`, the `id` of the MP3 download; seed samples
    /// `2323`, `282982852097151`): 1-32 digits.
    CdrId,
    "cdrId",
    check_cdr_id
);
validated_text!(
    /// The login's line, sent back with every long poll (`loginLine` of getExtension): 1-128
    /// characters without spaces or control characters.
    LoginLine,
    "loginLine",
    check_login_line
);
validated_text!(
    /// Data carried with a dial and given back in the call's messages and pushes
    /// (`paramvalue`, seed 2.2 "接口回调返回值"): 1-1024 characters, no control characters.
    ParamValue,
    "paramvalue",
    check_paramvalue
);
validated_text!(
    /// A recording's path under `/voip/record/` (`cdrRecordFile`, seed 2.7): 1-512
    /// characters, no control characters, no `?` or `#`, no `..` step. The server serves
    /// files there by path; the bar asks only for recordings it was told of.
    RecordFile,
    "cdrRecordFile",
    check_record_file
);

fn token(s: &str, max: usize, ok: impl Fn(char) -> bool) -> Result<(), ()> {
    if s.is_empty() || s.chars().count() > max || !s.chars().all(ok) {
        return Err(());
    }
    Ok(())
}

fn check_user(s: &str) -> Result<(), String> {
    token(s, 64, |c| {
        c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '@' | '-')
    })
    .map_err(|_| "1-64 of letters, digits, _ . @ -".into())
}

/// The rule of [`PhoneNumber`], in words.
pub const PHONE_RULE: &str = "1-32 of 0-9, * and #, optional leading +";

fn check_phone(s: &str) -> Result<(), String> {
    let body = s.strip_prefix('+').unwrap_or(s);
    if s.len() > 32 || token(body, 32, |c| c.is_ascii_digit() || c == '*' || c == '#').is_err() {
        return Err(PHONE_RULE.into());
    }
    Ok(())
}

fn check_extension(s: &str) -> Result<(), String> {
    token(s, 32, |c| c.is_ascii_digit()).map_err(|_| "1-32 digits".into())
}

fn check_status(s: &str) -> Result<(), String> {
    token(s, 16, |c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        .map_err(|_| "1-16 of letters, digits, _ or -".into())
}

fn check_cdr_id(s: &str) -> Result<(), String> {
    token(s, 32, |c| c.is_ascii_digit()).map_err(|_| "1-32 digits".into())
}

fn check_login_line(s: &str) -> Result<(), String> {
    token(s, 128, |c| !c.is_control() && !c.is_whitespace())
        .map_err(|_| "1-128 characters without spaces or control characters".into())
}

fn check_paramvalue(s: &str) -> Result<(), String> {
    token(s, 1024, |c| !c.is_control())
        .map_err(|_| "1-1024 characters, no control characters".into())
}

fn check_record_file(s: &str) -> Result<(), String> {
    let rule = || {
        "a recording path: 1-512 characters, no control characters, ? or #, no .. step".to_string()
    };
    token(s, 512, |c| !c.is_control() && c != '?' && c != '#').map_err(|_| rule())?;
    if s.split(['/', '\\']).any(|step| step == "..") {
        return Err(rule());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::ProtocolError;

    #[test]
    fn seed_values_pass() {
        SaUser::parse("100008800").unwrap();
        SaUser::parse("100000800").unwrap();
        for n in [
            "13688888888",
            "02367073578",
            "+8613688888888",
            "138****8888",
            "*72#",
        ] {
            PhoneNumber::parse(n).unwrap();
        }
        Extension::parse("100001800").unwrap();
        CdrId::parse("282982852097151").unwrap();
        CdrId::parse("2323").unwrap();
        ParamValue::parse("a,b").unwrap();
        RecordFile::parse("2019/05/13/100001800_13688888888.wav").unwrap();
        StatusValue::parse("1").unwrap();
    }

    #[test]
    fn bad_values_fail_naming_the_field() {
        assert!(PhoneNumber::parse("1368888888a").is_err());
        assert!(PhoneNumber::parse("136&method=x").is_err());
        assert!(PhoneNumber::parse("").is_err());
        assert!(PhoneNumber::parse("+").is_err());
        assert!(PhoneNumber::parse(&"1".repeat(33)).is_err());
        assert!(Extension::parse("8001&x=1").is_err());
        assert!(CdrId::parse("12a").is_err());
        assert!(ParamValue::parse("a\nb").is_err());
        assert!(RecordFile::parse("../../etc/passwd").is_err());
        assert!(RecordFile::parse("a/b.wav?x=1").is_err());
        assert!(SaUser::parse("a b").is_err());
        match Extension::parse("x") {
            Err(ProtocolError::Invalid { field, .. }) => assert_eq!(field, "descExten"),
            other => panic!("{other:?}"),
        }
    }
}
