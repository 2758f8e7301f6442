//! The request value every builder returns, and its rendering as the form body
//! (`EVENT=LOGIN&orgidentity=...`) that is POSTed to `/asterccinterfaces` or sent as its query.

use super::auth::{AuthField, Credentials};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// Everything but `A-Z a-z 0-9 - _ . ~ * ,` is escaped: `&`, `=`, `+`, `#`, `%`, spaces and
/// non-ASCII cannot change the form's shape. `,` stays readable because group lists use it.
const FORM: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~')
    .remove(b'*')
    .remove(b',');

/// Encodes one key or value of the form.
pub fn encode_form_value(s: &str) -> String {
    utf8_percent_encode(s, FORM).to_string()
}

/// A parameter's value: given, or one of the auth fields filled in at rendering.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Param {
    Value(String),
    Auth(AuthField),
}

/// One call of the HTTP interface: the `EVENT` and its parameters in the order the seed prints
/// them. Built only by this module's functions from validated values, so it can be sent as it
/// is. It holds no secret: the password is filled in by [`Request::render`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// `LOGIN`, `QUEUE`, `MAKECALL`, ... with the seed's case.
    pub event: &'static str,
    pub params: Vec<(&'static str, Param)>,
}

impl Request {
    pub(crate) fn new(event: &'static str) -> Self {
        Request {
            event,
            params: Vec::new(),
        }
    }

    /// A parameter; an empty value is still sent (`uniqueid=`), as the seed keeps every key
    /// ("所有参数不得缺省, 无数据时, 请使用空参占位").
    pub(crate) fn p(mut self, key: &'static str, value: impl Into<String>) -> Self {
        self.params.push((key, Param::Value(value.into())));
        self
    }

    /// A parameter sent only when there is a value (the optional extras outside the seed).
    pub(crate) fn opt<T: AsRef<str>>(self, key: &'static str, value: Option<T>) -> Self {
        match value {
            Some(v) => {
                let v = v.as_ref().to_string();
                self.p(key, v)
            }
            None => self,
        }
    }

    pub(crate) fn auth(mut self, field: AuthField) -> Self {
        self.params.push((field.key(), Param::Auth(field)));
        self
    }

    /// Several auth fields in the given order.
    pub(crate) fn auths(self, fields: &[AuthField]) -> Self {
        fields.iter().fold(self, |r, f| r.auth(*f))
    }

    /// The auth fields the seed's parameter list lacks, appended so that every call carries
    /// them (the server ignores fields it does not use).
    pub(crate) fn rest_of_auth(self) -> Self {
        let missing: Vec<AuthField> = AuthField::ALL
            .into_iter()
            .filter(|f| !self.params.iter().any(|(k, _)| *k == f.key()))
            .collect();
        self.auths(&missing)
    }

    /// The given value of `key` (auth fields read as `None`).
    pub fn get(&self, key: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| *k == key)
            .and_then(|(_, v)| match v {
                Param::Value(s) => Some(s.as_str()),
                Param::Auth(_) => None,
            })
    }

    /// The keys in order, `EVENT` first.
    pub fn keys(&self) -> Vec<&'static str> {
        std::iter::once("EVENT")
            .chain(self.params.iter().map(|(k, _)| *k))
            .collect()
    }

    /// The form: `EVENT=<event>&<key>=<value>&...`. It carries the password (or its md5):
    /// send it, never log it.
    ///
    /// # Format
    ///
    /// Seed 4 (the PHP sample):
    /// `EVENT=LOGIN&orgidentity=astercc&usertype=agent&user=2227&pwdtype=plaintext&password=2227`
    pub fn render(&self, creds: &Credentials) -> String {
        let mut out = format!("EVENT={}", encode_form_value(self.event));
        for (key, value) in &self.params {
            let v = match value {
                Param::Value(s) => s.as_str(),
                Param::Auth(f) => creds.value(*f),
            };
            out.push('&');
            out.push_str(&encode_form_value(key));
            out.push('=');
            out.push_str(&encode_form_value(v));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::{AgentNo, OrgIdentity, Password, PwdType, UserType};

    fn creds() -> Credentials {
        Credentials::new(
            OrgIdentity::parse("o").unwrap(),
            UserType::Agent,
            AgentNo::parse("u").unwrap(),
            PwdType::Plaintext,
            &Password::new("p&w=d#1 %"),
        )
    }

    #[test]
    fn values_cannot_add_parameters() {
        let r = Request::new("X")
            .p("a", "1&b=2")
            .p("c", "")
            .auth(AuthField::Password);
        assert_eq!(
            r.render(&creds()),
            "EVENT=X&a=1%26b%3D2&c=&password=p%26w%3Dd%231%20%25"
        );
    }

    #[test]
    fn missing_auth_fields_are_appended_in_order() {
        let r = Request::new("X")
            .auth(AuthField::OrgIdentity)
            .p("k", "v")
            .rest_of_auth();
        assert_eq!(
            r.render(&creds()),
            "EVENT=X&orgidentity=o&k=v&usertype=agent&user=u&pwdtype=plaintext&password=p%26w%3Dd%231%20%25"
        );
        assert_eq!(r.get("k"), Some("v"));
        assert_eq!(r.get("password"), None);
    }

    #[test]
    fn non_ascii_is_utf8_escaped() {
        assert_eq!(encode_form_value("张 A"), "%E5%BC%A0%20A");
        assert_eq!(encode_form_value("1,2*#"), "1,2*%23");
    }
}
