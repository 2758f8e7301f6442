//! Validated newtypes for every value a request carries, so nothing half-checked reaches the wire.
//!
//! The rules are deliberately narrower than what Asterisk accepts: each value
//! ends up inside an Asterisk application argument list (`|`-separated) or a
//! CLI command line (space-separated), so a stray `|`, `,`, space or control
//! character could add arguments or words. Each rule admits every form the
//! seed prints.

use agentbar_core::validated_text;

validated_text!(
    /// A number to dial or show: `[0-9*#+]`, 1 to 32 characters, `+` only first
    /// (seed 3.3: `82754888`, callerid `4000820188`).
    PhoneNumber,
    "number",
    check_phone
);
validated_text!(
    /// A dial interface or active channel (seed 1.1): `SIP/7001`, `Zap/g0/82754888`,
    /// `SIP/192.168.1.8-b77044b8`, `Local/123@from-internal`. Technology
    /// `[A-Za-z0-9]+`, `/`, then `[A-Za-z0-9._@:/-]+`; at most 128 characters.
    Channel,
    "channel",
    check_channel
);
validated_text!(
    /// An extension, device, user or mailbox number: digits, 1 to 16.
    Extension,
    "exten",
    check_extension
);
validated_text!(
    /// A MeetMe conference number (seed 6.3 `9111`, 22.2 `19465983`): digits, 1 to 16.
    RoomNo,
    "confno",
    check_room
);
validated_text!(
    /// A MeetMe member number (seed 27.2 `02`): digits, 1 to 4; leading zeros kept.
    MemberNo,
    "usernumber",
    check_member
);
validated_text!(
    /// A dial-plan context (`from-internal`, `custom-dynamicmeetme`):
    /// `[A-Za-z0-9_-]+`, at most 64.
    Context,
    "context",
    check_context
);
validated_text!(
    /// An `exten` to send a call to: a phone number, or `s` (seed 20.3 "注意大小写").
    DialExten,
    "exten",
    check_dial_exten
);
validated_text!(
    /// A channel variable name (`DIALEDPEERNUMBER`, `MVB_QMCALLERID`):
    /// `[A-Za-z_][A-Za-z0-9_]*`, at most 64.
    VarName,
    "variable",
    check_var_name
);
validated_text!(
    /// A channel variable value: 1 to 256 characters, no `|`, `,` or control
    /// characters (they would split the originate `variable` list). Empty is
    /// refused because an empty parameter is left out of the query.
    VarValue,
    "value",
    check_var_value
);
validated_text!(
    /// A queue number (seed 13.2 `5090`, 11.2 `90`): digits, 1 to 16.
    QueueNo,
    "queue",
    check_queue
);
validated_text!(
    /// A recording file name for `getmonitor` (seed 12.2
    /// `OUT5050-20090806-172454-1249550694.0.WAV`): `[A-Za-z0-9._-]+`, at most
    /// 128, not starting with `.` so it cannot name a parent directory.
    RecordingFile,
    "filename",
    check_recording_file
);
validated_text!(
    /// A shortcut-key code for `ctiwaitauth` (seed 21.4 `06`): digits, 1 to 8.
    ShortcutCode,
    "code",
    check_shortcut_code
);
validated_text!(
    /// A shortcut-key name for `ctiwaitauth` (seed 21.3): 1 to 64 characters,
    /// no `|`, `,` or control characters.
    ShortcutName,
    "name",
    check_shortcut_name
);

fn check_len(value: &str, min: usize, max: usize) -> Result<(), String> {
    let n = value.chars().count();
    if n < min {
        return Err(if min == 1 {
            "is empty".to_owned()
        } else {
            format!("is shorter than {min} characters")
        });
    }
    if n > max {
        return Err(format!("is longer than {max} characters"));
    }
    Ok(())
}

fn check_chars(value: &str, allowed: impl Fn(char) -> bool, rule: &str) -> Result<(), String> {
    if value.chars().all(allowed) {
        Ok(())
    } else {
        Err(format!("contains a character outside {rule}"))
    }
}

fn check_digits(value: &str, max: usize) -> Result<(), String> {
    check_len(value, 1, max)?;
    check_chars(value, |c| c.is_ascii_digit(), "0-9")
}

fn check_phone(value: &str) -> Result<(), String> {
    check_len(value, 1, 32)?;
    check_chars(
        value,
        |c| c.is_ascii_digit() || matches!(c, '*' | '#' | '+'),
        "0-9 * # +",
    )?;
    if value.char_indices().any(|(i, c)| c == '+' && i > 0) {
        return Err("has '+' after the first character".to_owned());
    }
    Ok(())
}

fn check_channel(value: &str) -> Result<(), String> {
    check_len(value, 1, 128)?;
    let Some((tech, rest)) = value.split_once('/') else {
        return Err("has no '/' between technology and name".to_owned());
    };
    if tech.is_empty() {
        return Err("has an empty technology".to_owned());
    }
    check_chars(
        tech,
        |c| c.is_ascii_alphanumeric(),
        "A-Za-z0-9 in the technology",
    )?;
    if rest.is_empty() {
        return Err("has an empty name after '/'".to_owned());
    }
    check_chars(
        rest,
        |c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '@' | ':' | '/' | '-'),
        "A-Za-z0-9 . _ @ : / - in the name",
    )
}

fn check_extension(value: &str) -> Result<(), String> {
    check_digits(value, 16)
}

fn check_room(value: &str) -> Result<(), String> {
    check_digits(value, 16)
}

fn check_member(value: &str) -> Result<(), String> {
    check_digits(value, 4)
}

fn check_queue(value: &str) -> Result<(), String> {
    check_digits(value, 16)
}

fn check_shortcut_code(value: &str) -> Result<(), String> {
    check_digits(value, 8)
}

fn check_context(value: &str) -> Result<(), String> {
    check_len(value, 1, 64)?;
    check_chars(
        value,
        |c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-'),
        "A-Za-z0-9 _ -",
    )
}

fn check_dial_exten(value: &str) -> Result<(), String> {
    if value == "s" {
        return Ok(());
    }
    check_phone(value).map_err(|reason| format!("is not 's' and {reason}"))
}

fn check_var_name(value: &str) -> Result<(), String> {
    check_len(value, 1, 64)?;
    check_chars(
        value,
        |c| c.is_ascii_alphanumeric() || c == '_',
        "A-Za-z0-9 _",
    )?;
    if value.starts_with(|c: char| c.is_ascii_digit()) {
        return Err("starts with a digit".to_owned());
    }
    Ok(())
}

fn check_free_text(value: &str, max: usize) -> Result<(), String> {
    check_len(value, 1, max)?;
    check_chars(
        value,
        |c| !c.is_control() && c != '|' && c != ',',
        "printable text without | and ,",
    )
}

fn check_var_value(value: &str) -> Result<(), String> {
    check_free_text(value, 256)
}

fn check_shortcut_name(value: &str) -> Result<(), String> {
    check_free_text(value, 64)
}

fn check_recording_file(value: &str) -> Result<(), String> {
    check_len(value, 1, 128)?;
    check_chars(
        value,
        |c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'),
        "A-Za-z0-9 . _ -",
    )?;
    if value.starts_with('.') {
        return Err("starts with '.'".to_owned());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::ProtocolError;

    const INJECTIONS: &[&str] = &[
        "5003 kick",
        "9111&command=x",
        "SIP/7001|x",
        "1\n2",
        "SIP/7001 ",
        " 5003",
        "5003\r",
        "a,b",
        "x\0y",
        "",
    ];

    fn field_of(err: ProtocolError) -> &'static str {
        match err {
            ProtocolError::Invalid { field, .. } => field,
            other => panic!("expected Invalid, got {other:?}"),
        }
    }

    #[test]
    fn seed_channels_are_accepted() {
        for c in [
            "SIP/7001",
            "IAX2/6001",
            "ZAP/2",
            "Zap/g0/82754888",
            "IAX2/fax2-1807",
            "SIP/627003-b7265460",
            "SIP/192.168.1.8-b77044b8",
            "SIP/100-102-0a949e98",
            "Zap/8-1",
            "IAX2/iax100-16385",
            "IAX2/iax100",
            "Local/123@from-internal",
        ] {
            assert_eq!(Channel::parse(c).unwrap().as_str(), c);
        }
    }

    #[test]
    fn channel_rejects_bad_forms() {
        for c in [
            "SIP",
            "/7001",
            "SIP/",
            "S-P/1",
            &format!("SIP/{}", "1".repeat(130)),
        ] {
            assert_eq!(field_of(Channel::parse(c).unwrap_err()), "channel");
        }
    }

    #[test]
    fn every_validator_rejects_injection() {
        for bad in INJECTIONS {
            assert_eq!(field_of(PhoneNumber::parse(bad).unwrap_err()), "number");
            assert_eq!(field_of(Channel::parse(bad).unwrap_err()), "channel");
            assert_eq!(field_of(Extension::parse(bad).unwrap_err()), "exten");
            assert_eq!(field_of(RoomNo::parse(bad).unwrap_err()), "confno");
            assert_eq!(field_of(MemberNo::parse(bad).unwrap_err()), "usernumber");
            assert_eq!(field_of(Context::parse(bad).unwrap_err()), "context");
            assert_eq!(field_of(DialExten::parse(bad).unwrap_err()), "exten");
            assert_eq!(field_of(VarName::parse(bad).unwrap_err()), "variable");
            assert_eq!(field_of(QueueNo::parse(bad).unwrap_err()), "queue");
            assert_eq!(field_of(RecordingFile::parse(bad).unwrap_err()), "filename");
            assert_eq!(field_of(ShortcutCode::parse(bad).unwrap_err()), "code");
        }
        // Free text may hold spaces and '&' (they are percent-encoded), but
        // never the argument separators or control characters.
        for bad in ["SIP/7001|x", "1\n2", "a,b", "x\0y", "5003\r", ""] {
            assert_eq!(field_of(VarValue::parse(bad).unwrap_err()), "value");
            assert_eq!(field_of(ShortcutName::parse(bad).unwrap_err()), "name");
        }
    }

    #[test]
    fn phone_number_rules() {
        for ok in [
            "82754888",
            "4000820188",
            "+8613800138000",
            "*65",
            "#1",
            "8003",
        ] {
            PhoneNumber::parse(ok).unwrap();
        }
        for bad in ["1+2", "123a", &"1".repeat(33), "++1"] {
            PhoneNumber::parse(bad).unwrap_err();
        }
    }

    #[test]
    fn small_number_rules() {
        MemberNo::parse("02").unwrap();
        MemberNo::parse("12345").unwrap_err();
        Extension::parse(&"1".repeat(17)).unwrap_err();
        DialExten::parse("s").unwrap();
        DialExten::parse("S").unwrap_err();
        DialExten::parse("9111").unwrap();
        VarName::parse("1ABC").unwrap_err();
        VarName::parse("_MVB_DNID").unwrap();
        VarValue::parse("1249611782.110").unwrap();
        VarValue::parse("苏文佳").unwrap();
        VarValue::parse(&"x".repeat(257)).unwrap_err();
        RecordingFile::parse("OUT5050-20090806-172454-1249550694.0.WAV").unwrap();
        RecordingFile::parse("../etc/passwd").unwrap_err();
        RecordingFile::parse("..").unwrap_err();
        Context::parse("custom-dynamicmeetme").unwrap();
        ShortcutCode::parse("06").unwrap();
    }

    #[test]
    fn error_does_not_echo_the_input() {
        let err = PhoneNumber::parse("13800138000x").unwrap_err().to_string();
        assert!(!err.contains("13800138000"), "{err}");
        assert!(err.starts_with("invalid number"), "{err}");
    }

    #[test]
    fn try_from_matches_parse() {
        assert_eq!(
            Channel::try_from("SIP/7001").unwrap(),
            Channel::parse("SIP/7001").unwrap()
        );
        let e: Result<Extension, _> = "50 03".parse();
        assert!(e.is_err());
    }
}
