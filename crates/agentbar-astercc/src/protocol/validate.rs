//! Validated newtypes for every value a request carries, so nothing half-checked reaches the
//! wire.
//!
//! Values travel form-encoded, so no character can add a parameter; the rules are narrower
//! than that anyway, because several values come back to us inside pushed events
//! (`key=value&...`, not encoded) and in `,`- or `-`-separated lists. Each rule admits every
//! form the seed prints.

use agentbar_core::validated_text;

validated_text!(
    /// The team's identity (`orgidentity`, seed 4.1 sample `astercc`): `[A-Za-z0-9_.-]`, 1-64.
    OrgIdentity,
    "orgidentity",
    check_org
);
validated_text!(
    /// An agent number (工号, `2227`) or, with `usertype=account`, an account name:
    /// `[A-Za-z0-9_.@-]`, 1-64.
    AgentNo,
    "user",
    check_agent
);
validated_text!(
    /// An agent group id (坐席组 id, `agentgroupid`, `list`, `agent_group_id`): digits, 1-16.
    GroupId,
    "agentgroupid",
    check_digits16
);
validated_text!(
    /// A queue number for `queueCustomerNum` (`0` means every queue): digits, 1-16.
    QueueNum,
    "queuenum",
    check_digits16
);
validated_text!(
    /// A number to dial or show (`targetdn`, `phonenumber`, `callerid`, `exten`):
    /// `[0-9*#]` with an optional leading `+`, 1-32.
    PhoneNumber,
    "targetdn",
    check_phone
);
validated_text!(
    /// DTMF digits for `SendDtmf` (seed 4.27: digits, `*` and `#` only), 1-32.
    Dtmf,
    "dtmf",
    check_dtmf
);
validated_text!(
    /// A call-data variable name (seed 4.28): upper-case letters, digits, `-` and `_`,
    /// starting with an upper-case letter or a digit; at most 64.
    VarName,
    "varname",
    check_var_name
);
validated_text!(
    /// A call-data value: at most 512 characters, no control characters.
    VarValue,
    "varvalue",
    check_var_value
);
validated_text!(
    /// The main IVR's internal number (`ivrexten`, seed 4.29): digits, 1-16.
    IvrExten,
    "ivrexten",
    check_digits16
);
validated_text!(
    /// An IVR path (`ivrflow`, seed 4.29 `1-2-5`): keys `[0-9*#]` per step, steps joined by
    /// `-`; empty means the IVR's start. At most 64 characters.
    IvrFlow,
    "ivrflow",
    check_flow
);
validated_text!(
    /// A call leg's id (`uniqueid`, seed 4.13 `4781`; Asterisk's `1249550694.0`):
    /// `[A-Za-z0-9.]`, 1-64.
    UniqueId,
    "uniqueid",
    check_uniqueid
);
validated_text!(
    /// A call's id (`sessionid`, seed 6 `efeb7b374a3408b0d0954f30a1504d83`):
    /// `[A-Za-z0-9_.-]`, 1-64.
    SessionId,
    "sessionid",
    check_session
);
validated_text!(
    /// A call's date for `GetMonitor` (seed 4.22 `2013-02-09`): a real `YYYY-MM-DD` date.
    CallDate,
    "calldate",
    check_date
);
validated_text!(
    /// A pause reason (`pause_reason`, seed 4.4): one of the six the server counts
    /// (`training`, `meeting`, `leave`, `lunch`, `rest`, `other`) or a custom one of 1-32
    /// letters, digits, `_` or `-`.
    PauseReason,
    "pause_reason",
    check_reason
);
validated_text!(
    /// A business id (`model_id`): `[A-Za-z0-9_-]`, at most 32; may be empty.
    ModelId,
    "model_id",
    check_model_id
);

validated_text!(
    /// The name the far end sees (`callername`): 1-64 characters, no control characters.
    CallerName,
    "callername",
    check_caller_name
);
validated_text!(
    /// A trunk's identity (`trunkidentity`): `[A-Za-z0-9_.-]`, 1-64.
    TrunkIdentity,
    "trunkidentity",
    check_session
);

fn check_caller_name(s: &str) -> Result<(), String> {
    if s.is_empty() || s.chars().count() > 64 || s.chars().any(char::is_control) {
        return Err("1-64 characters, no control characters".into());
    }
    Ok(())
}

fn check_org(s: &str) -> Result<(), String> {
    token(s, 64, |c| {
        c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-')
    })
    .map_err(|_| "1-64 of letters, digits, _ . -".into())
}

fn check_agent(s: &str) -> Result<(), String> {
    token(s, 64, |c| {
        c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '@' | '-')
    })
    .map_err(|_| "1-64 of letters, digits, _ . @ -".into())
}

fn check_digits16(s: &str) -> Result<(), String> {
    token(s, 16, |c| c.is_ascii_digit()).map_err(|_| "1-16 digits".into())
}

fn check_phone(s: &str) -> Result<(), String> {
    let body = s.strip_prefix('+').unwrap_or(s);
    if s.len() > 32 || token(body, 32, |c| c.is_ascii_digit() || c == '*' || c == '#').is_err() {
        return Err("1-32 of 0-9, * and #, optional leading +".into());
    }
    Ok(())
}

fn check_dtmf(s: &str) -> Result<(), String> {
    token(s, 32, |c| c.is_ascii_digit() || c == '*' || c == '#')
        .map_err(|_| "1-32 of 0-9, * and # (seed 4.27)".into())
}

fn check_var_name(s: &str) -> Result<(), String> {
    let first_ok = s
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
    let rest_ok = token(s, 64, |c| {
        c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-' || c == '_'
    })
    .is_ok();
    if !(first_ok && rest_ok) {
        return Err(
            "upper-case letters, digits, - and _, starting with a letter or digit (seed 4.28)"
                .into(),
        );
    }
    Ok(())
}

fn check_var_value(s: &str) -> Result<(), String> {
    if s.chars().count() > 512 || s.chars().any(char::is_control) {
        return Err("at most 512 characters, no control characters".into());
    }
    Ok(())
}

fn check_flow(s: &str) -> Result<(), String> {
    if s.is_empty() {
        return Ok(());
    }
    let ok = s.len() <= 64
        && s.split('-')
            .all(|step| token(step, 8, |c| c.is_ascii_digit() || c == '*' || c == '#').is_ok());
    if !ok {
        return Err("keys 0-9 * # per step, steps joined by - (like 1-2-5)".into());
    }
    Ok(())
}

fn check_uniqueid(s: &str) -> Result<(), String> {
    token(s, 64, |c| c.is_ascii_alphanumeric() || c == '.')
        .map_err(|_| "1-64 of letters, digits and .".into())
}

fn check_session(s: &str) -> Result<(), String> {
    token(s, 64, |c| {
        c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-')
    })
    .map_err(|_| "1-64 of letters, digits, _ . -".into())
}

fn check_date(s: &str) -> Result<(), String> {
    let shape = s.len() == 10
        && s.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if !shape || chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_err() {
        return Err("a date YYYY-MM-DD".into());
    }
    Ok(())
}

fn check_reason(s: &str) -> Result<(), String> {
    if s.is_empty()
        || s.chars().count() > 32
        || !s
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
    {
        return Err("1-32 letters, digits, _ or -".into());
    }
    Ok(())
}

fn check_model_id(s: &str) -> Result<(), String> {
    if s.is_empty() {
        return Ok(());
    }
    token(s, 32, |c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        .map_err(|_| "at most 32 of letters, digits, _ -".into())
}

fn token(s: &str, max: usize, ok: impl Fn(char) -> bool) -> Result<(), ()> {
    if s.is_empty() || s.len() > max || !s.chars().all(ok) {
        return Err(());
    }
    Ok(())
}

/// The six pause reasons whose durations the server counts (seed 4.4, 4.26).
pub const STANDARD_PAUSE_REASONS: [&str; 6] =
    ["training", "meeting", "leave", "lunch", "rest", "other"];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::ProtocolError;

    #[test]
    fn seed_forms_are_accepted() {
        OrgIdentity::parse("astercc").unwrap();
        AgentNo::parse("2227").unwrap();
        PhoneNumber::parse("013888888888").unwrap();
        PhoneNumber::parse("+8613888888888").unwrap();
        Dtmf::parse("12*#").unwrap();
        VarName::parse("CUSTOMER_ID").unwrap();
        VarName::parse("9-A_B").unwrap();
        IvrFlow::parse("1-2-5").unwrap();
        IvrFlow::parse("").unwrap();
        UniqueId::parse("1249550694.0").unwrap();
        SessionId::parse("efeb7b374a3408b0d0954f30a1504d83").unwrap();
        CallDate::parse("2013-02-09").unwrap();
        PauseReason::parse("lunch").unwrap();
        PauseReason::parse("午休").unwrap();
    }

    #[test]
    fn bad_values_are_refused_with_the_field() {
        assert!(matches!(
            Dtmf::parse("12a"),
            Err(ProtocolError::Invalid { field: "dtmf", .. })
        ));
        assert!(VarName::parse("lower").is_err());
        assert!(VarName::parse("_X").is_err());
        assert!(VarName::parse("-X").is_err());
        assert!(IvrFlow::parse("1--2").is_err());
        assert!(IvrFlow::parse("1-a").is_err());
        assert!(CallDate::parse("2013-02-30").is_err());
        assert!(CallDate::parse("2013-2-9").is_err());
        assert!(PhoneNumber::parse("+").is_err());
        assert!(PhoneNumber::parse("1 2").is_err());
        assert!(GroupId::parse("1,2").is_err());
        assert!(VarValue::parse("a\nb").is_err());
        assert!(PauseReason::parse("a b").is_err());
    }
}
