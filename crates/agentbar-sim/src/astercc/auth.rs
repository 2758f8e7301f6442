//! The credentials every call carries: `orgidentity`, `usertype` (`agent` / `account`),
//! `user`, `pwdtype` (`plaintext` / `md5`), `password`.
//!
//! Checked in that order: an empty field answers `BackMsg_01`; a wrong `orgidentity`
//! `BackMsg_02`; an unknown `usertype` or `pwdtype` `BackMsg_28`; an unknown agent or a wrong
//! password `BackMsg_03` (for accounts `BackMsg_63`). With `pwdtype=md5` the password is the
//! lower-case hex md5 of the configured one (`md5("8005pw")` = `f877693343e11b08247aa30ea68bb6ca`);
//! upper-case hex does not match.

use md5::{Digest, Md5};

use super::config::{AsterccConfig, Password};
use super::params::Params;
use super::reply::{code, Reply};

/// Who is calling.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Who {
    /// An agent, by work number.
    Agent(String),
    /// An account, and the agent it acts as.
    Account {
        /// Account name.
        name: String,
        /// The agent's work number, if tied to one.
        agent: Option<String>,
    },
}

impl Who {
    /// The agent this caller is or acts as.
    pub fn agent(&self) -> Option<&str> {
        match self {
            Who::Agent(a) => Some(a),
            Who::Account { agent, .. } => agent.as_deref(),
        }
    }
}

/// Lower-case hex md5.
pub fn md5_hex(s: &str) -> String {
    Md5::digest(s.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Checks `orgidentity` alone (calls that carry nothing else: `DeviceCall`,
/// `queueCustomerNum`).
///
/// # Errors
/// `BackMsg_01` when empty, `BackMsg_02` when it is not this team's.
pub(crate) fn check_org(cfg: &AsterccConfig, p: &Params) -> Result<(), Reply> {
    let org = p.str("orgidentity");
    if org.is_empty() {
        return Err(code::EMPTY_PARAMETER.into());
    }
    if cfg.orgidentity.is_empty() || org != cfg.orgidentity {
        return Err(code::BAD_ORG.into());
    }
    Ok(())
}

fn password_ok(pwdtype: &str, given: &str, stored: &Password) -> bool {
    if pwdtype.eq_ignore_ascii_case("md5") {
        given == md5_hex(&stored.0)
    } else {
        given == stored.0
    }
}

/// Checks the full credentials.
///
/// # Errors
/// The failure reply, see the module doc.
pub(crate) fn authenticate(cfg: &AsterccConfig, p: &Params) -> Result<Who, Reply> {
    check_org(cfg, p)?;
    let usertype = p.str("usertype");
    let user = p.str("user");
    let pwdtype = p.str("pwdtype");
    // Passwords are compared as sent (no trimming).
    let password = p.get("password").unwrap_or("");
    if usertype.is_empty() || user.is_empty() || pwdtype.is_empty() || password.is_empty() {
        return Err(code::EMPTY_PARAMETER.into());
    }
    if !(pwdtype.eq_ignore_ascii_case("plaintext") || pwdtype.eq_ignore_ascii_case("md5")) {
        return Err(code::BAD_PARAMETER.into());
    }
    if usertype.eq_ignore_ascii_case("agent") {
        match cfg.agent(user) {
            Some(a) if password_ok(pwdtype, password, &a.password) => {
                Ok(Who::Agent(a.number.clone()))
            }
            _ => Err(code::BAD_AGENT_LOGIN.into()),
        }
    } else if usertype.eq_ignore_ascii_case("account") {
        match cfg.accounts.iter().find(|a| a.name == user) {
            Some(a) if password_ok(pwdtype, password, &a.password) => Ok(Who::Account {
                name: a.name.clone(),
                agent: a.agent.clone(),
            }),
            _ => Err(code::BAD_ACCOUNT_LOGIN.into()),
        }
    } else {
        Err(code::BAD_PARAMETER.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(q: &str) -> Params {
        Params::parse(q, "")
    }

    #[test]
    fn plaintext_and_md5() {
        let cfg = AsterccConfig::demo();
        let base = "orgidentity=astercc&usertype=agent&user=8005";
        assert_eq!(
            authenticate(
                &cfg,
                &p(&format!("{base}&pwdtype=plaintext&password=8005pw"))
            ),
            Ok(Who::Agent("8005".into()))
        );
        let md5 = md5_hex("8005pw");
        assert_eq!(md5, "f877693343e11b08247aa30ea68bb6ca");
        assert_eq!(
            authenticate(&cfg, &p(&format!("{base}&pwdtype=md5&password={md5}"))),
            Ok(Who::Agent("8005".into()))
        );
        let upper = md5.to_uppercase();
        assert_eq!(
            authenticate(&cfg, &p(&format!("{base}&pwdtype=md5&password={upper}")))
                .unwrap_err()
                .render(),
            "|Retuen|2|Retuen|BackMsg_03"
        );
        // md5 of the md5 is not the password either way round.
        assert!(authenticate(
            &cfg,
            &p(&format!("{base}&pwdtype=plaintext&password={md5}"))
        )
        .is_err());
    }

    #[test]
    fn failures_in_order() {
        let cfg = AsterccConfig::demo();
        let cases = [
            (
                "usertype=agent&user=8005&pwdtype=plaintext&password=8005pw",
                "BackMsg_01",
            ),
            (
                "orgidentity=other&usertype=agent&user=8005&pwdtype=plaintext&password=8005pw",
                "BackMsg_02",
            ),
            (
                "orgidentity=astercc&usertype=agent&user=8005&pwdtype=plaintext&password=",
                "BackMsg_01",
            ),
            (
                "orgidentity=astercc&usertype=agent&user=8005&pwdtype=sha1&password=x",
                "BackMsg_28",
            ),
            (
                "orgidentity=astercc&usertype=boss&user=8005&pwdtype=plaintext&password=x",
                "BackMsg_28",
            ),
            (
                "orgidentity=astercc&usertype=agent&user=9999&pwdtype=plaintext&password=x",
                "BackMsg_03",
            ),
            (
                "orgidentity=astercc&usertype=agent&user=8005&pwdtype=plaintext&password=bad",
                "BackMsg_03",
            ),
            (
                "orgidentity=astercc&usertype=account&user=admin&pwdtype=plaintext&password=bad",
                "BackMsg_63",
            ),
        ];
        for (q, want) in cases {
            let e = authenticate(&cfg, &p(q)).unwrap_err();
            assert_eq!(e.render(), format!("|Retuen|2|Retuen|{want}"), "{q}");
        }
        assert_eq!(
            authenticate(
                &cfg,
                &p("orgidentity=astercc&usertype=account&user=admin&pwdtype=plaintext&password=adminpw")
            ),
            Ok(Who::Account {
                name: "admin".into(),
                agent: None
            })
        );
    }
}
