//! Calls the server places for a CRM, not for the agent: a voice verification code read out
//! to a customer, and an IVR menu with text-to-speech that collects the customer's keys.
//! They are commands like the others (`voice_code`, `ivr_call`); their result comes later,
//! as a `crm_call_result` event when final, and can be read at any time with the
//! `crm_call_result` command.

use super::Operation;
use crate::error::{CoreError, ErrorInfo};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Which kind of server-placed call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CrmCallKind {
    VoiceCode,
    IvrCall,
}

impl CrmCallKind {
    pub fn operation(self) -> Operation {
        match self {
            CrmCallKind::VoiceCode => Operation::VoiceCode,
            CrmCallKind::IvrCall => Operation::IvrCall,
        }
    }
}

/// Where a server-placed call stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CrmCallState {
    Queued,
    Calling,
    Succeeded,
    Failed,
    NoSuchNumber,
    Busy,
    /// Switched off or out of coverage.
    Unreachable,
    /// The server knows no call with this id.
    UnknownId,
    /// A result code the vendor's manual does not list (kept in `code`).
    Other,
    /// The result could not be read (see `error`).
    Unknown,
}

impl CrmCallState {
    /// No later reading will say anything else.
    pub fn is_final(self) -> bool {
        !matches!(
            self,
            CrmCallState::Queued | CrmCallState::Calling | CrmCallState::Unknown
        )
    }
}

/// One reading of a server-placed call's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CrmCallStatus {
    pub id: String,
    pub kind: CrmCallKind,
    pub state: CrmCallState,
    /// The server's own result code, when it gave one.
    pub code: Option<i64>,
    /// Keys the customer pressed, by the names the IVR menu collects them under.
    #[serde(default)]
    pub keys: BTreeMap<String, String>,
    /// Why the result could not be read.
    #[serde(default)]
    pub error: Option<ErrorInfo>,
}

impl CrmCallStatus {
    /// A status that could not be read.
    pub fn unreadable(id: &str, kind: CrmCallKind, e: &CoreError) -> Self {
        CrmCallStatus {
            id: id.into(),
            kind,
            state: CrmCallState::Unknown,
            code: None,
            keys: BTreeMap::new(),
            error: Some(e.info()),
        }
    }
}

/// The most text-to-speech variables of one IVR call.
pub const MAX_IVR_VARS: usize = 16;

/// Checks a CRM's id for a server-placed call: 1-64 of letters, digits, `_ . : -`.
///
/// # Errors
///
/// `InvalidInput` naming `field`.
pub fn check_task_id(field: &str, id: &str) -> Result<(), CoreError> {
    if id.is_empty()
        || id.len() > 64
        || !id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | ':' | '-'))
    {
        return Err(CoreError::invalid(
            field,
            "1-64 of letters, digits, _ . : -",
        ));
    }
    Ok(())
}

/// Checks the digits a voice code reads out: 1-16 digits.
///
/// # Errors
///
/// `InvalidInput` on `code`.
pub fn check_code(code: &str) -> Result<(), CoreError> {
    if code.is_empty() || code.len() > 16 || !code.chars().all(|c| c.is_ascii_digit()) {
        return Err(CoreError::invalid("code", "1-16 digits"));
    }
    Ok(())
}

/// Checks an IVR call's speech variables: at most 16, each text 1-500 characters without
/// control characters (names are the vendor's to check).
///
/// # Errors
///
/// `InvalidInput` on `vars`.
pub fn check_vars(vars: &BTreeMap<String, String>) -> Result<(), CoreError> {
    if vars.len() > MAX_IVR_VARS {
        return Err(CoreError::invalid("vars", "at most 16 variables"));
    }
    for (name, text) in vars {
        if name.is_empty() || name.len() > 64 || name.chars().any(char::is_control) {
            return Err(CoreError::invalid("vars", "a name of 1-64 characters"));
        }
        let n = text.chars().count();
        if n == 0 || n > 500 || text.chars().any(char::is_control) {
            return Err(CoreError::invalid(
                "vars",
                "texts of 1-500 characters without control characters",
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_codes_and_vars() {
        check_task_id("id", "0123456789").unwrap();
        check_task_id("id", "crm:order-17.a_b").unwrap();
        assert!(check_task_id("id", "").is_err());
        assert!(check_task_id("id", "a b").is_err());
        assert!(check_task_id("id", "a&opt=X").is_err());
        assert!(check_task_id("id", &"a".repeat(65)).is_err());
        check_code("112233").unwrap();
        assert!(check_code("12a").is_err());
        assert!(check_code("").is_err());
        let mut vars = BTreeMap::new();
        vars.insert("ttsabc".to_string(), "你好世界!".to_string());
        check_vars(&vars).unwrap();
        vars.insert("ttsdef".to_string(), "a\nb".to_string());
        assert!(check_vars(&vars).is_err());
        let many: BTreeMap<_, _> = (0..17).map(|i| (format!("tts{i}"), "x".into())).collect();
        assert!(check_vars(&many).is_err());
    }

    #[test]
    fn only_queued_calling_and_unknown_may_change() {
        assert!(!CrmCallState::Queued.is_final());
        assert!(!CrmCallState::Calling.is_final());
        assert!(!CrmCallState::Unknown.is_final());
        assert!(CrmCallState::Succeeded.is_final());
        assert!(CrmCallState::UnknownId.is_final());
    }

    #[test]
    fn json_shape() {
        let s = CrmCallStatus {
            id: "1".into(),
            kind: CrmCallKind::IvrCall,
            state: CrmCallState::Succeeded,
            code: Some(1),
            keys: [("satisfact".to_string(), "8".to_string())].into(),
            error: None,
        };
        assert_eq!(
            serde_json::to_value(&s).unwrap(),
            serde_json::json!({"id":"1","kind":"ivr_call","state":"succeeded","code":1,
                "keys":{"satisfact":"8"},"error":null})
        );
    }
}
