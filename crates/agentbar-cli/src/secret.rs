//! Where the runner finds the server secret: `AGENTBAR_SECRET`, else the OS key ring.

use agentbar_api::policy::PairingToken;
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

/// The environment variable of the local API's pairing token (headless runs, tests).
pub const API_TOKEN_ENV: &str = "AGENTBAR_API_TOKEN";
/// The key-ring user name of the pairing token.
pub const API_TOKEN_USER: &str = "api-token";

/// Where the pairing token came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenSource {
    Env,
    KeyRing,
    /// Made now and stored in the key ring.
    New,
    /// Made now; the key ring refused it, so it changes at each start.
    Ephemeral,
}

#[derive(Debug, thiserror::Error)]
pub enum ApiTokenError {
    #[error("{API_TOKEN_ENV}: {0}")]
    Env(agentbar_api::policy::TokenError),
    #[error("the pairing token could not be made: {0}")]
    Generate(agentbar_api::policy::TokenError),
    #[error("the key ring refused the pairing token: {0}")]
    KeyRing(String),
}

/// The local API's pairing token: `AGENTBAR_API_TOKEN`, else the key ring, else a new one
/// stored there (or, when the key ring refuses, kept for this run only).
pub fn load_api_token() -> Result<(PairingToken, TokenSource), ApiTokenError> {
    if let Ok(v) = std::env::var(API_TOKEN_ENV) {
        return PairingToken::from_hex(v.trim())
            .map(|t| (t, TokenSource::Env))
            .map_err(ApiTokenError::Env);
    }
    let entry = keyring::Entry::new(KEYRING_SERVICE, API_TOKEN_USER);
    if let Ok(Ok(v)) = entry.as_ref().map(keyring::Entry::get_password) {
        match PairingToken::from_hex(v.trim()) {
            Ok(t) => return Ok((t, TokenSource::KeyRing)),
            // Never show the value: it is (or was meant to be) a secret.
            Err(_) => tracing::warn!("the key ring's pairing token is malformed; making a new one"),
        }
    }
    let token = PairingToken::generate().map_err(ApiTokenError::Generate)?;
    match entry.and_then(|e| e.set_password(token.reveal())) {
        Ok(()) => Ok((token, TokenSource::New)),
        Err(e) => {
            tracing::warn!(
                "the key ring refused the pairing token ({e}); it changes at each start \
                 (set {API_TOKEN_ENV} to keep one)"
            );
            Ok((token, TokenSource::Ephemeral))
        }
    }
}

/// Makes a new pairing token and stores it in the key ring (a running bar keeps its old one
/// until it restarts).
pub fn rotate_api_token() -> Result<PairingToken, ApiTokenError> {
    let token = PairingToken::generate().map_err(ApiTokenError::Generate)?;
    keyring::Entry::new(KEYRING_SERVICE, API_TOKEN_USER)
        .and_then(|e| e.set_password(token.reveal()))
        .map_err(|e| ApiTokenError::KeyRing(e.to_string()))?;
    Ok(token)
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
