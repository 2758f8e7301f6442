//! Where the runner finds the server secret: `AGENTBAR_SECRET`, else the OS key ring.

use std::fmt;

/// A secret string; `Debug` never shows it.
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    pub fn new(s: impl Into<String>) -> Self {
        Secret(s.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

pub const ENV_VAR: &str = "AGENTBAR_SECRET";
pub const KEYRING_SERVICE: &str = "agentbar";

#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    #[error(
        "no secret: set {env} or store it in the key ring (service `{KEYRING_SERVICE}`, user `{user}`)"
    )]
    Missing { env: &'static str, user: String },
    #[error("{0} is empty")]
    Empty(&'static str),
}

/// The key-ring user name of a profile's secret: `<vendor>:<agent>`.
pub fn keyring_user(vendor: &str, agent: &str) -> String {
    format!("{vendor}:{agent}")
}

/// Reads the secret for `user`: the environment wins (headless runs), then the key ring.
pub fn load(user: &str) -> Result<Secret, SecretError> {
    load_with(ENV_VAR, user)
}

/// The environment variable of a push key (asterCC's `?key=` on the team's push URL).
pub const PUSH_KEY_ENV: &str = "AGENTBAR_PUSH_KEY";

/// The key-ring user name of a profile's push key: `<vendor>-push:<agent>`.
pub fn push_key_user(vendor: &str, agent: &str) -> String {
    format!("{vendor}-push:{agent}")
}

/// Reads a profile's push key: `AGENTBAR_PUSH_KEY`, then the key ring.
pub fn load_push_key(user: &str) -> Result<Secret, SecretError> {
    load_with(PUSH_KEY_ENV, user)
}

fn load_with(env_var: &'static str, user: &str) -> Result<Secret, SecretError> {
    match std::env::var(env_var) {
        Ok(v) if v.trim().is_empty() => return Err(SecretError::Empty(env_var)),
        Ok(v) => return Ok(Secret(v.trim().to_string())),
        Err(_) => {}
    }
    match keyring::Entry::new(KEYRING_SERVICE, user).and_then(|e| e.get_password()) {
        Ok(v) if !v.is_empty() => Ok(Secret(v)),
        Ok(_) => Err(SecretError::Missing {
            env: env_var,
            user: user.into(),
        }),
        Err(e) => {
            tracing::debug!("key ring lookup failed: {e}");
            Err(SecretError::Missing {
                env: env_var,
                user: user.into(),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_the_secret() {
        assert_eq!(
            format!("{:?}", Secret::new("0866089e569bbd3d")),
            "Secret(***)"
        );
    }
}
