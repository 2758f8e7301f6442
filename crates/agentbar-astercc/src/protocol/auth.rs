//! Who we are on every request: `orgidentity`, `usertype`, `user`, `pwdtype`, `password`
//! (seed 4.1 and every section after it).

use super::validate::{AgentNo, OrgIdentity};
use md5::{Digest, Md5};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The agent's (or account's) password. It comes from the key ring or `AGENTBAR_SECRET`,
/// never from a file; `Debug` hides it and there is deliberately no `Display`.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    pub fn new(secret: impl Into<String>) -> Self {
        Password(secret.into())
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(***)")
    }
}

/// `usertype`: sign in as an agent (工号) or as an account (帐号).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UserType {
    #[default]
    Agent,
    Account,
}

impl UserType {
    pub fn as_str(self) -> &'static str {
        match self {
            UserType::Agent => "agent",
            UserType::Account => "account",
        }
    }
}

/// `pwdtype`: how the password travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PwdType {
    /// As typed (`plaintext`, the seed's sample).
    Plaintext,
    /// Lower-case hex md5 of the password (`md5`), so it is not readable on the wire.
    #[default]
    Md5,
}

impl PwdType {
    pub fn as_str(self) -> &'static str {
        match self {
            PwdType::Plaintext => "plaintext",
            PwdType::Md5 => "md5",
        }
    }
}

/// Lower-case hex md5.
///
/// # Format
///
/// `"123456"` gives `e10adc3949ba59abbe56e057f20f883e`.
pub fn md5_hex(bytes: &[u8]) -> String {
    Md5::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The five auth parameters, ready to render. `Debug` hides the password.
#[derive(Clone)]
pub struct Credentials {
    pub orgidentity: OrgIdentity,
    pub usertype: UserType,
    pub user: AgentNo,
    pub pwdtype: PwdType,
    /// The `password` parameter as sent: the password itself, or its md5.
    wire_password: Password,
}

impl Credentials {
    pub fn new(
        orgidentity: OrgIdentity,
        usertype: UserType,
        user: AgentNo,
        pwdtype: PwdType,
        password: &Password,
    ) -> Self {
        let wire = match pwdtype {
            PwdType::Plaintext => password.0.clone(),
            PwdType::Md5 => md5_hex(password.0.as_bytes()),
        };
        Credentials {
            orgidentity,
            usertype,
            user,
            pwdtype,
            wire_password: Password(wire),
        }
    }

    /// The value of `field` in a request.
    pub(crate) fn value(&self, field: AuthField) -> &str {
        match field {
            AuthField::OrgIdentity => self.orgidentity.as_str(),
            AuthField::UserType => self.usertype.as_str(),
            AuthField::User => self.user.as_str(),
            AuthField::PwdType => self.pwdtype.as_str(),
            AuthField::Password => &self.wire_password.0,
        }
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("orgidentity", &self.orgidentity)
            .field("usertype", &self.usertype)
            .field("user", &self.user)
            .field("pwdtype", &self.pwdtype)
            .field("password", &"***")
            .finish()
    }
}

/// One of the five auth parameters, as a request lists it in the seed's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthField {
    OrgIdentity,
    UserType,
    User,
    PwdType,
    Password,
}

impl AuthField {
    pub const ALL: [AuthField; 5] = [
        AuthField::OrgIdentity,
        AuthField::UserType,
        AuthField::User,
        AuthField::PwdType,
        AuthField::Password,
    ];

    pub fn key(self) -> &'static str {
        match self {
            AuthField::OrgIdentity => "orgidentity",
            AuthField::UserType => "usertype",
            AuthField::User => "user",
            AuthField::PwdType => "pwdtype",
            AuthField::Password => "password",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn creds(pwdtype: PwdType) -> Credentials {
        Credentials::new(
            OrgIdentity::parse("astercc").unwrap(),
            UserType::Agent,
            AgentNo::parse("2227").unwrap(),
            pwdtype,
            &Password::new("123456"),
        )
    }

    #[test]
    fn md5_is_lower_case_hex_of_the_password() {
        assert_eq!(md5_hex(b"123456"), "e10adc3949ba59abbe56e057f20f883e");
        assert_eq!(
            creds(PwdType::Md5).value(AuthField::Password),
            "e10adc3949ba59abbe56e057f20f883e"
        );
        assert_eq!(
            creds(PwdType::Plaintext).value(AuthField::Password),
            "123456"
        );
    }

    #[test]
    fn debug_never_shows_the_password() {
        let c = creds(PwdType::Plaintext);
        let d = format!("{c:?} {:?}", Password::new("123456"));
        assert!(!d.contains("123456"), "{d}");
        assert!(d.contains("***"));
    }
}
