//! Who we are on every request: `sa_user` and `sa_password`, the 32-character md5 of the
//! password (seed 1.1, "基础参数").
//!
//! The seed's sample `sa_password=92868F142BE5DD78DD0ACF4370B4EB94` is upper-case and is not
//! the md5 of the test password printed beside it; the vendor's web client sends the
//! lower-case md5 (js-md5), and so do we.

use super::validate::SaUser;
use md5::{Digest, Md5};
use std::fmt;

/// The account's password. It comes from the key ring or the environment, never from a file;
/// `Debug` hides it and there is deliberately no `Display`.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    pub fn new(secret: impl Into<String>) -> Self {
        Password(secret.into())
    }

    /// The secret itself, for handing to the key ring (a new extension's password from
    /// `registerExtension`); never for logs.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(***)")
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

/// `sa_user` and `sa_password` as sent. `Debug` hides the password's md5 too: it opens the
/// account as well as the password does.
#[derive(Clone)]
pub struct Credentials {
    pub user: SaUser,
    /// md5 of the password, 32 lower-case hex digits.
    wire_password: String,
}

impl Credentials {
    pub fn new(user: SaUser, password: &Password) -> Self {
        Credentials {
            user,
            wire_password: md5_hex(password.0.as_bytes()),
        }
    }

    /// The `sa_password` parameter.
    pub(crate) fn sa_password(&self) -> &str {
        &self.wire_password
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("user", &self.user)
            .field("sa_password", &"***")
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn md5_is_lower_case_hex_of_the_password() {
        assert_eq!(md5_hex(b"123456"), "e10adc3949ba59abbe56e057f20f883e");
        let c = Credentials::new(
            SaUser::parse("100008800").unwrap(),
            &Password::new("123456"),
        );
        assert_eq!(c.sa_password(), "e10adc3949ba59abbe56e057f20f883e");
    }

    #[test]
    fn debug_never_shows_the_password_or_its_md5() {
        let c = Credentials::new(
            SaUser::parse("100008800").unwrap(),
            &Password::new("123456"),
        );
        let d = format!("{c:?} {:?}", Password::new("123456"));
        assert!(!d.contains("123456") && !d.contains("e10adc"), "{d}");
        assert!(d.contains("***"));
    }
}
