//! Creates the engine the window shows: the embedded demo when `AGENTBAR_DEMO=1` (README's
//! first command), else the profile named by `AGENTBAR_CONFIG` (a runner TOML file,
//! docs/config.md), else the profile saved from the settings page (`agentbar.toml` in
//! the config folder, its secret from the key ring or this session), else the embedded demo
//! (the simulated call center).
//!
//! Every one of them gets the local API's pairing token from the app's secret store (never
//! from a file), and the shell keeps the listener's live policy.

use crate::policy::LivePolicy;
use crate::secrets::SecretStore;
use crate::settings::{LocalApi, PROFILE_FILE};
use agentbar_api::policy::{PairingToken, RateLimit};
use agentbar_cli::demo::{start_demo, Demo, DemoOptions, DemoVendor};
use agentbar_cli::secret::Secret;
use agentbar_cli::{RunnerConfig, Running};
use agentbar_core::clock::SystemClock;
use agentbar_core::EngineHandle;
use agentbar_history::HistoryStore;
use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

/// What the shell gets from a started session.
pub struct Started {
    pub engine: EngineHandle,
    /// The call history, when the profile keeps one.
    pub history: Option<HistoryStore>,
    /// The local listener's policy, when the listener runs.
    pub policy: Option<LivePolicy>,
}

/// What must stay alive as long as the window: the session (and the demo's simulator).
enum Keep {
    Session(#[allow(dead_code)] Running),
    Demo(#[allow(dead_code)] Demo),
}

/// The app runs one session for its whole life; keeping it here spares every window a handle
/// on the runner's internals.
static KEEP: OnceLock<Mutex<Option<Keep>>> = OnceLock::new();

/// Starts the engine for this desktop session; `local_api` is the settings' local-API section,
/// which the demo and a saved profile follow.
///
/// # Errors
///
/// A message for the agent, shown in the bar, when the engine cannot start (bad profile, no
/// secret, the listener's port taken, ...). It never contains a secret or the token.
pub async fn start(
    config_dir: &Path,
    secrets: &SecretStore,
    local_api: &LocalApi,
) -> Result<Started, String> {
    let saved = config_dir.join(PROFILE_FILE);
    let demo_asked = std::env::var_os("AGENTBAR_DEMO").is_some_and(|v| v == "1");
    let file = std::env::var_os("AGENTBAR_CONFIG");
    let (keep, follows_settings, rate) = if demo_asked || (file.is_none() && !saved.exists()) {
        let mut opts = demo_options(local_api)?;
        opts.token = Some(api_token(secrets)?);
        let demo = start_demo(opts).await.map_err(|e| format!("demo: {e}"))?;
        (Keep::Demo(demo), true, RateLimit::default())
    } else if let Some(path) = file {
        let mut cfg = RunnerConfig::load(Path::new(&path)).map_err(|e| e.to_string())?;
        with_token(&mut cfg, secrets)?;
        let secret = if cfg.needs_secret() {
            agentbar_cli::secret::load(&agentbar_cli::secret::keyring_user(
                &cfg.server.vendor,
                &cfg.agent_id(),
            ))
            .map_err(|e| e.to_string())?
        } else {
            Secret::new("")
        };
        let rate = rate_of(&cfg);
        let running = agentbar_cli::start(cfg, secret, Arc::new(SystemClock))
            .await
            .map_err(|e| e.to_string())?;
        (Keep::Session(running), false, rate)
    } else {
        let mut cfg = RunnerConfig::load(&saved).map_err(|e| e.to_string())?;
        follow_settings(&mut cfg, local_api);
        with_token(&mut cfg, secrets)?;
        let secret = secret_for(&cfg, secrets)?;
        let rate = rate_of(&cfg);
        let running = agentbar_cli::start(cfg, secret, Arc::new(SystemClock))
            .await
            .map_err(|e| e.to_string())?;
        (Keep::Session(running), true, rate)
    };
    let running = match &keep {
        Keep::Session(r) => r,
        Keep::Demo(d) => &d.running,
    };
    let policy = running.policy.clone().map(|policy| LivePolicy {
        policy,
        rate,
        follows_settings,
    });
    let started = Started {
        engine: running.engine.clone(),
        history: running.history.clone(),
        policy,
    };
    let slot = KEEP.get_or_init(|| Mutex::new(None));
    if let Ok(mut s) = slot.lock() {
        *s = Some(keep);
    }
    Ok(started)
}

/// The app's pairing token (secret store: this session, `AGENTBAR_API_TOKEN`, the key ring,
/// else a new one stored there).
///
/// # Errors
///
/// Why there is none, without the token.
fn api_token(secrets: &SecretStore) -> Result<PairingToken, String> {
    secrets
        .api_token()
        .map(|(t, _)| t)
        .map_err(|e| format!("local API pairing token: {e}"))
}

/// Gives a profile with the listener on the app's pairing token: the runner never reads one
/// from a file.
///
/// # Errors
///
/// As [`api_token`].
fn with_token(cfg: &mut RunnerConfig, secrets: &SecretStore) -> Result<(), String> {
    if cfg.listener.enabled {
        cfg.listener.token = Some(api_token(secrets)?);
    }
    Ok(())
}

/// The settings page's policy and trusted origins over a saved profile's: the settings are
/// where the agent changes them (and "always allow" adds to them).
fn follow_settings(cfg: &mut RunnerConfig, local_api: &LocalApi) {
    cfg.listener.policy = local_api.policy;
    cfg.listener.trusted_origins = local_api.valid_origins();
}

fn rate_of(cfg: &RunnerConfig) -> RateLimit {
    RateLimit {
        burst: cfg.listener.rate_burst,
        per_second: cfg.listener.rate_per_second,
    }
}

/// The secret a saved profile starts with: none when its server needs none (Guoxin, whose
/// interface has no authentication), as `agentbar-cli run` decides; else this session's or
/// the key ring's, under `<vendor>:<agent>`.
///
/// # Errors
///
/// Which key-ring user has no secret, for the agent to enter it in the settings.
fn secret_for(cfg: &RunnerConfig, secrets: &SecretStore) -> Result<Secret, String> {
    if !cfg.needs_secret() {
        return Ok(Secret::new(""));
    }
    let user = agentbar_cli::secret::keyring_user(&cfg.server.vendor, &cfg.agent_id());
    secrets.get(&user).ok_or_else(|| {
        format!("no secret for {user}: enter it in the settings (key ring service `agentbar`)")
    })
}

/// The demo's addresses and call interval, and the settings' local-API policy: the local listener on 127.0.0.1:10800, the
/// simulator on a free port, a first call after 3 s, then one every 20 s; a test (the window
/// test) moves them with `AGENTBAR_DEMO_LISTEN`, `AGENTBAR_DEMO_SIM_LISTEN` (addresses),
/// `AGENTBAR_DEMO_FIRST_CALL` and `AGENTBAR_DEMO_CALL_EVERY` (seconds), so it needs no fixed
/// port and no scripted call cuts across its clicks.
///
/// # Errors
///
/// Which variable holds a value that does not parse.
fn demo_options(local_api: &LocalApi) -> Result<DemoOptions, String> {
    fn var<T: std::str::FromStr>(name: &str, default: T) -> Result<T, String> {
        match std::env::var(name) {
            Ok(v) => v
                .trim()
                .parse()
                .map_err(|_| format!("demo: {name}={v:?} does not parse")),
            Err(_) => Ok(default),
        }
    }
    Ok(DemoOptions {
        vendor: var("AGENTBAR_DEMO_VENDOR", DemoVendor::Mvb2000)?,
        listen: var("AGENTBAR_DEMO_LISTEN", ([127, 0, 0, 1], 10800).into())?,
        // The bar is the UI here; the local API need not serve the web UI too.
        ui_dir: None,
        sim_listen: var("AGENTBAR_DEMO_SIM_LISTEN", ([127, 0, 0, 1], 0).into())?,
        call_every: Duration::from_secs(var("AGENTBAR_DEMO_CALL_EVERY", 20u64)?.max(1)),
        // A newcomer sees a call pop within seconds.
        first_call: Some(Duration::from_secs(var("AGENTBAR_DEMO_FIRST_CALL", 3u64)?)),
        policy: local_api.policy,
        trusted_origins: local_api.valid_origins(),
        token: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secrets::{MapVault, Vault};
    use crate::settings::Profile;

    /// A key ring holding nothing.
    struct EmptyVault;
    impl Vault for EmptyVault {
        fn set(&self, _: &str, _: &str) -> Result<(), String> {
            Err("read-only".into())
        }
        fn get(&self, _: &str) -> Result<Option<String>, String> {
            Ok(None)
        }
    }

    fn saved(vendor: &str, base_url: &str) -> RunnerConfig {
        let p = Profile {
            vendor: vendor.into(),
            base_url: base_url.into(),
            agent_id: "8005".into(),
            extension: "801".into(),
            ..Profile::default()
        };
        RunnerConfig::parse(&p.to_runner_toml()).unwrap()
    }

    #[test]
    fn a_saved_profile_gets_the_app_s_token_and_the_settings_policy() {
        use agentbar_api::policy::{Origin, PolicyMode};
        let secrets = SecretStore::new(Box::<MapVault>::default());
        let mut cfg = saved("mvb2000", "http://192.168.0.201");
        assert!(cfg.listener.token.is_none());
        with_token(&mut cfg, &secrets).unwrap();
        let token = cfg.listener.token.clone().expect("a token");
        assert_eq!(secrets.api_token().unwrap().0, token);
        // Never in the profile's text, nor in what may be logged of the config.
        assert!(!format!("{cfg:?}").contains(token.reveal()));

        let local_api = LocalApi {
            policy: PolicyMode::Strict,
            trusted_origins: vec!["https://crm.example.com".into(), "bad".into()],
            ..LocalApi::default()
        };
        follow_settings(&mut cfg, &local_api);
        assert_eq!(cfg.listener.policy, PolicyMode::Strict);
        assert_eq!(
            cfg.listener.trusted_origins,
            [Origin::from_header("https://crm.example.com").unwrap()]
        );
        assert_eq!(rate_of(&cfg), RateLimit::default());
        cfg.validate().unwrap();

        // A listener that is off needs no token.
        let mut off = saved("mvb2000", "http://192.168.0.201");
        off.listener.enabled = false;
        with_token(&mut off, &secrets).unwrap();
        assert!(off.listener.token.is_none());
    }

    #[test]
    fn without_a_key_ring_the_token_still_comes_from_the_app() {
        // The empty key ring refuses to store: the token is this session's, and stays put.
        let secrets = SecretStore::new(Box::new(EmptyVault));
        let mut a = saved("800hu", "http://voip.800ing.com:8080");
        let mut b = saved("mvb2000", "http://192.168.0.201");
        with_token(&mut a, &secrets).unwrap();
        with_token(&mut b, &secrets).unwrap();
        assert!(a.listener.token.is_some());
        assert_eq!(a.listener.token, b.listener.token);
    }

    #[test]
    fn the_demo_follows_the_settings_policy() {
        use agentbar_api::policy::PolicyMode;
        let local_api = LocalApi {
            policy: PolicyMode::Open,
            trusted_origins: vec!["http://10.0.0.5:8080/".into()],
            ..LocalApi::default()
        };
        let opts = demo_options(&local_api).unwrap();
        assert_eq!(opts.policy, PolicyMode::Open);
        assert_eq!(opts.trusted_origins.len(), 1);
        assert_eq!(opts.trusted_origins[0].as_str(), "http://10.0.0.5:8080");
        let opts = demo_options(&LocalApi::default()).unwrap();
        assert_eq!(opts.policy, PolicyMode::Prompt);
        assert!(opts.trusted_origins.is_empty());
    }

    #[test]
    fn a_guoxin_profile_starts_without_a_secret_the_others_ask_for_theirs() {
        let secrets = SecretStore::new(Box::new(EmptyVault));
        let guoxin = secret_for(&saved("guoxin", "192.168.1.20"), &secrets).unwrap();
        assert_eq!(guoxin.expose(), "");
        // A headless run's AGENTBAR_SECRET would stand in for the empty key ring.
        if std::env::var_os(agentbar_cli::secret::ENV_VAR).is_some() {
            return;
        }
        let e = secret_for(&saved("800hu", "http://voip.800ing.com:8080"), &secrets)
            .err()
            .unwrap();
        assert!(e.contains("800hu:8005"), "{e}");
        let e = secret_for(&saved("mvb2000", "http://192.168.0.201"), &secrets)
            .err()
            .unwrap();
        assert!(e.contains("mvb2000:8005"), "{e}");
    }
}
