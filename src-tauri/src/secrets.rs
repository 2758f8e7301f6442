//! The secrets: the server secret (the MVB2000 web key) and the local API's pairing token, in
//! the OS key ring when there is one, else in memory for this session only. They are never
//! written to a file and never logged.

use agentbar_api::policy::PairingToken;
use agentbar_cli::secret::{keyring_user, Secret, API_TOKEN_ENV, API_TOKEN_USER, KEYRING_SERVICE};
use agentbar_core::error::ErrorInfo;
use agentbar_core::ErrorKind;
use serde::Serialize;
use std::sync::Mutex;

/// Where secrets are kept: the OS key ring, or (tests) a stand-in.
pub trait Vault: Send + Sync {
    /// Stores `secret` for `user`.
    ///
    /// # Errors
    ///
    /// The store's reason, without the secret.
    fn set(&self, user: &str, secret: &str) -> Result<(), String>;
    /// The secret for `user`: `Ok(None)` when none is stored, `Err` when the store is unusable.
    ///
    /// # Errors
    ///
    /// The store's reason.
    fn get(&self, user: &str) -> Result<Option<String>, String>;
}

/// The OS key ring through `keyring` (service `agentbar`, user `<vendor>:<agent>`).
pub struct KeyringVault;

impl Vault for KeyringVault {
    fn set(&self, user: &str, secret: &str) -> Result<(), String> {
        keyring::Entry::new(KEYRING_SERVICE, user)
            .and_then(|e| e.set_password(secret))
            .map_err(|e| e.to_string())
    }

    fn get(&self, user: &str) -> Result<Option<String>, String> {
        match keyring::Entry::new(KEYRING_SERVICE, user).and_then(|e| e.get_password()) {
            Ok(v) if v.is_empty() => Ok(None),
            Ok(v) => Ok(Some(v)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(e.to_string()),
        }
    }
}

/// A key ring in memory, forgotten when the app quits: for tests, which must never touch the
/// agent's real key ring.
#[derive(Default)]
pub struct MemoryVault(Mutex<std::collections::HashMap<String, String>>);

impl Vault for MemoryVault {
    fn set(&self, user: &str, secret: &str) -> Result<(), String> {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(user.into(), secret.into());
        Ok(())
    }

    fn get(&self, user: &str) -> Result<Option<String>, String> {
        Ok(self
            .0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(user)
            .cloned())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Storage {
    Keyring,
    Session,
}

/// What `secret_status` answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SecretStatus {
    pub keyring_available: bool,
    pub stored: bool,
    pub storage: Storage,
}

pub struct SecretStore {
    vault: Box<dyn Vault>,
    /// The secret kept for this session when the key ring refused it: `(user, secret)`.
    session: Mutex<Option<(String, Secret)>>,
    /// The pairing token for this session, once known; it wins over the environment and the
    /// key ring, so a rotation holds even where the key ring refused it.
    token: Mutex<Option<(PairingToken, Storage)>>,
}

/// Why no pairing token could be had. Never carries the token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenFailure(pub String);

impl std::fmt::Display for TokenFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<TokenFailure> for ErrorInfo {
    fn from(e: TokenFailure) -> Self {
        ErrorInfo {
            code: ErrorKind::Server,
            message: e.0,
        }
    }
}

impl SecretStore {
    pub fn new(vault: Box<dyn Vault>) -> Self {
        SecretStore {
            vault,
            session: Mutex::new(None),
            token: Mutex::new(None),
        }
    }

    /// The local API's pairing token, as the runner finds it (docs/crm-integration.md): this
    /// session's, else `AGENTBAR_API_TOKEN`, else the key ring's (user `api-token`), else a
    /// new one stored there (kept for this session only when the key ring refuses it).
    ///
    /// # Errors
    ///
    /// `AGENTBAR_API_TOKEN` is set but not 64 hex digits, or the OS gives no randomness.
    pub fn api_token(&self) -> Result<(PairingToken, Storage), TokenFailure> {
        let mut slot = self.token.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(known) = slot.as_ref() {
            return Ok(known.clone());
        }
        if let Ok(v) = std::env::var(API_TOKEN_ENV) {
            let t = PairingToken::from_hex(v.trim())
                .map_err(|e| TokenFailure(format!("{API_TOKEN_ENV}: {e}")))?;
            *slot = Some((t.clone(), Storage::Session));
            return Ok((t, Storage::Session));
        }
        match self.vault.get(API_TOKEN_USER) {
            Ok(Some(v)) => match PairingToken::from_hex(v.trim()) {
                Ok(t) => {
                    *slot = Some((t.clone(), Storage::Keyring));
                    return Ok((t, Storage::Keyring));
                }
                // Never show the value: it is (or was meant to be) a secret.
                Err(_) => {
                    tracing::warn!("the key ring's pairing token is malformed; making a new one")
                }
            },
            Ok(None) => {}
            Err(e) => tracing::debug!("key ring lookup of the pairing token failed: {e}"),
        }
        drop(slot);
        self.store_new_token()
    }

    /// Makes a new pairing token and stores it (key ring, else this session); it is this
    /// session's token from now on, whatever `AGENTBAR_API_TOKEN` says. The old one stops
    /// working once the caller gives the new one to the live policy.
    ///
    /// # Errors
    ///
    /// The OS gives no randomness.
    pub fn rotate_api_token(&self) -> Result<(PairingToken, Storage), TokenFailure> {
        self.store_new_token()
    }

    fn store_new_token(&self) -> Result<(PairingToken, Storage), TokenFailure> {
        let token = PairingToken::generate().map_err(|e| TokenFailure(e.to_string()))?;
        let kept = self
            .vault
            .set(API_TOKEN_USER, token.reveal())
            .and_then(|_| self.vault.get(API_TOKEN_USER))
            .and_then(|back| match back {
                Some(v) if v == token.reveal() => Ok(()),
                _ => Err("the key ring did not keep it".into()),
            });
        let storage = match kept {
            Ok(()) => Storage::Keyring,
            Err(reason) => {
                tracing::warn!(
                    "key ring unavailable ({reason}): the pairing token is kept for this \
                     session only and changes at the next start (set {API_TOKEN_ENV} to keep one)"
                );
                Storage::Session
            }
        };
        *self.token.lock().unwrap_or_else(|p| p.into_inner()) = Some((token.clone(), storage));
        Ok((token, storage))
    }

    /// The key-ring user of a profile; `invalid_input` while the agent is not named.
    ///
    /// # Errors
    ///
    /// `invalid_input` when `agent_id` is empty.
    pub fn user(vendor: &str, agent_id: &str) -> Result<String, ErrorInfo> {
        if agent_id.trim().is_empty() {
            return Err(ErrorInfo {
                code: ErrorKind::InvalidInput,
                message: "save the profile's agent id before the secret".into(),
            });
        }
        Ok(keyring_user(vendor, agent_id.trim()))
    }

    /// Stores the secret: in the key ring when it takes it (checked by reading it back),
    /// else for this session only.
    ///
    /// # Errors
    ///
    /// `invalid_input` for an empty secret.
    pub fn set(&self, user: &str, secret: &str) -> Result<Storage, ErrorInfo> {
        let secret = secret.trim();
        if secret.is_empty() {
            return Err(ErrorInfo {
                code: ErrorKind::InvalidInput,
                message: "the secret is empty".into(),
            });
        }
        let kept = self
            .vault
            .set(user, secret)
            .and_then(|_| self.vault.get(user))
            .and_then(|back| match back {
                Some(v) if v == secret => Ok(()),
                _ => Err("the key ring did not keep it".into()),
            });
        let mut session = self.session.lock().unwrap_or_else(|p| p.into_inner());
        match kept {
            Ok(()) => {
                *session = None;
                Ok(Storage::Keyring)
            }
            Err(reason) => {
                tracing::warn!(
                    "key ring unavailable ({reason}): the secret is kept in memory for this session only"
                );
                *session = Some((user.to_string(), Secret::new(secret)));
                Ok(Storage::Session)
            }
        }
    }

    /// Where the secret for `user` is and whether the key ring can be used.
    pub fn status(&self, user: Option<&str>) -> SecretStatus {
        let session = self.session.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((u, _)) = session.as_ref() {
            return SecretStatus {
                keyring_available: false,
                stored: user == Some(u.as_str()),
                storage: Storage::Session,
            };
        }
        let probe = user.unwrap_or("agentbar-probe:0");
        match self.vault.get(probe) {
            Ok(found) => SecretStatus {
                keyring_available: true,
                stored: user.is_some() && found.is_some(),
                storage: Storage::Keyring,
            },
            Err(_) => SecretStatus {
                keyring_available: false,
                stored: false,
                storage: Storage::Session,
            },
        }
    }

    /// The secret for `user`: this session's, else `AGENTBAR_SECRET` (headless runs), else
    /// the key ring's.
    pub fn get(&self, user: &str) -> Option<Secret> {
        let session = self.session.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((u, s)) = session.as_ref() {
            if u == user {
                return Some(s.clone());
            }
        }
        if let Ok(v) = std::env::var(agentbar_cli::secret::ENV_VAR) {
            if !v.trim().is_empty() {
                return Some(Secret::new(v.trim()));
            }
        }
        match self.vault.get(user) {
            Ok(found) => found.map(Secret::new),
            Err(e) => {
                tracing::debug!("key ring lookup failed: {e}");
                None
            }
        }
    }
}

/// A key ring for tests that keeps what it is given. Clones share one map, as the OS key ring
/// is shared by several app starts.
#[cfg(test)]
#[derive(Default, Clone)]
pub(crate) struct MapVault(std::sync::Arc<Mutex<std::collections::HashMap<String, String>>>);

#[cfg(test)]
impl MapVault {
    /// What is stored for `user` now.
    pub(crate) fn stored(&self, user: &str) -> Option<String> {
        self.0.lock().unwrap().get(user).cloned()
    }

    pub(crate) fn len(&self) -> usize {
        self.0.lock().unwrap().len()
    }
}

#[cfg(test)]
impl Vault for MapVault {
    fn set(&self, user: &str, secret: &str) -> Result<(), String> {
        self.0.lock().unwrap().insert(user.into(), secret.into());
        Ok(())
    }
    fn get(&self, user: &str) -> Result<Option<String>, String> {
        Ok(self.stored(user))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A key ring like a headless Linux session's: writes "succeed", nothing comes back.
    struct BrokenVault;
    impl Vault for BrokenVault {
        fn set(&self, _: &str, _: &str) -> Result<(), String> {
            Ok(())
        }
        fn get(&self, _: &str) -> Result<Option<String>, String> {
            Err("permission denied".into())
        }
    }

    #[test]
    fn a_working_key_ring_keeps_the_secret() {
        let s = SecretStore::new(Box::<MapVault>::default());
        let user = SecretStore::user("mvb2000", "8005").unwrap();
        assert_eq!(user, "mvb2000:8005");
        assert!(!s.status(Some(&user)).stored);
        assert_eq!(s.set(&user, " k3y ").unwrap(), Storage::Keyring);
        assert_eq!(
            s.status(Some(&user)),
            SecretStatus {
                keyring_available: true,
                stored: true,
                storage: Storage::Keyring
            }
        );
        assert_eq!(s.get(&user).unwrap().expose(), "k3y");
    }

    /// Whether a test may rely on the token's sources (a headless run may set the variable).
    fn no_token_env() -> bool {
        std::env::var_os(API_TOKEN_ENV).is_none()
    }

    #[test]
    fn the_pairing_token_is_made_once_and_kept_in_the_key_ring() {
        if !no_token_env() {
            return;
        }
        let vault = MapVault::default();
        let s = SecretStore::new(Box::new(vault.clone()));
        let (t, storage) = s.api_token().unwrap();
        assert_eq!(storage, Storage::Keyring);
        assert_eq!(t.reveal().len(), 64);
        assert_eq!(vault.stored(API_TOKEN_USER).as_deref(), Some(t.reveal()));
        // Asked again, the same one; a new app over the same key ring finds it too.
        assert_eq!(s.api_token().unwrap().0, t);
        let again = SecretStore::new(Box::new(vault.clone()));
        assert_eq!(again.api_token().unwrap(), (t.clone(), Storage::Keyring));
        // The server secret's users are untouched.
        assert_eq!(vault.len(), 1);

        let (r, storage) = s.rotate_api_token().unwrap();
        assert_eq!(storage, Storage::Keyring);
        assert_ne!(r, t);
        assert_eq!(s.api_token().unwrap().0, r);
        assert_eq!(vault.stored(API_TOKEN_USER).as_deref(), Some(r.reveal()));
    }

    #[test]
    fn a_malformed_stored_token_is_replaced_and_never_shown() {
        if !no_token_env() {
            return;
        }
        let vault = MapVault::default();
        vault.set(API_TOKEN_USER, "not-a-token").unwrap();
        let s = SecretStore::new(Box::new(vault.clone()));
        let (t, _) = s.api_token().unwrap();
        assert_ne!(t.reveal(), "not-a-token");
        assert!(!format!("{:?}", s.api_token()).contains(t.reveal()));
    }

    #[test]
    fn without_a_key_ring_the_token_lives_for_this_session() {
        if !no_token_env() {
            return;
        }
        let s = SecretStore::new(Box::new(BrokenVault));
        let (t, storage) = s.api_token().unwrap();
        assert_eq!(storage, Storage::Session);
        assert_eq!(s.api_token().unwrap(), (t.clone(), Storage::Session));
        let (r, storage) = s.rotate_api_token().unwrap();
        assert_eq!(storage, Storage::Session);
        assert_ne!(r, t);
        assert_eq!(s.api_token().unwrap().0, r);
        // The server secret's session slot is its own.
        assert_eq!(s.set("mvb2000:8005", "k3y").unwrap(), Storage::Session);
        assert_eq!(s.api_token().unwrap().0, r);
        assert_eq!(s.get("mvb2000:8005").unwrap().expose(), "k3y");
    }

    #[test]
    fn without_a_key_ring_the_secret_lives_in_memory() {
        let s = SecretStore::new(Box::new(BrokenVault));
        assert_eq!(s.set("mvb2000:8005", "k3y").unwrap(), Storage::Session);
        assert_eq!(
            s.status(Some("mvb2000:8005")),
            SecretStatus {
                keyring_available: false,
                stored: true,
                storage: Storage::Session
            }
        );
        assert_eq!(s.get("mvb2000:8005").unwrap().expose(), "k3y");
        assert!(s.set("mvb2000:8005", "  ").is_err());
        assert!(SecretStore::user("mvb2000", "").is_err());
    }
}
