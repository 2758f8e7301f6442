//! The server secret (the MVB2000 web key): in the OS key ring when there is one, else in
//! memory for this session only. It is never written to a file and never logged.

use agentbar_cli::secret::{keyring_user, Secret, KEYRING_SERVICE};
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
}

impl SecretStore {
    pub fn new(vault: Box<dyn Vault>) -> Self {
        SecretStore {
            vault,
            session: Mutex::new(None),
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[derive(Default)]
    struct MapVault(Mutex<HashMap<String, String>>);
    impl Vault for MapVault {
        fn set(&self, user: &str, secret: &str) -> Result<(), String> {
            self.0.lock().unwrap().insert(user.into(), secret.into());
            Ok(())
        }
        fn get(&self, user: &str) -> Result<Option<String>, String> {
            Ok(self.0.lock().unwrap().get(user).cloned())
        }
    }

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
