//! Creates the engine the window shows: the embedded demo when `AGENTBAR_DEMO=1` (README's
//! first command), else the profile named by `AGENTBAR_CONFIG` (a runner TOML file,
//! docs/config.md), else the profile saved from the settings page (`agentbar.toml` in
//! the config folder, its secret from the key ring or this session), else the embedded demo
//! (the simulated call center).

use crate::secrets::SecretStore;
use crate::settings::PROFILE_FILE;
use agentbar_cli::demo::{start_demo, Demo, DemoOptions, DemoVendor};
use agentbar_cli::runner::Overrides;
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
}

/// What must stay alive as long as the window: the session (and the demo's simulator).
enum Keep {
    Session(#[allow(dead_code)] Running),
    Demo(#[allow(dead_code)] Demo),
}

/// The app runs one session for its whole life; keeping it here spares every window a handle
/// on the runner's internals.
static KEEP: OnceLock<Mutex<Option<Keep>>> = OnceLock::new();

/// Starts the engine for this desktop session.
///
/// # Errors
///
/// A message for the agent, shown in the bar, when the engine cannot start (bad profile, no
/// secret, the listener's port taken, ...). It never contains the secret.
pub async fn start(config_dir: &Path, secrets: &SecretStore) -> Result<Started, String> {
    let saved = config_dir.join(PROFILE_FILE);
    let demo_asked = std::env::var_os("AGENTBAR_DEMO").is_some_and(|v| v == "1");
    let keep = if demo_asked {
        Keep::Demo(
            start_demo(demo_options()?)
                .await
                .map_err(|e| format!("demo: {e}"))?,
        )
    } else if let Some(path) = std::env::var_os("AGENTBAR_CONFIG") {
        let running = agentbar_cli::runner::start_from_file(
            Path::new(&path),
            Overrides::default(),
            Arc::new(SystemClock),
        )
        .await
        .map_err(|e| e.to_string())?;
        Keep::Session(running)
    } else if saved.exists() {
        let cfg = RunnerConfig::load(&saved).map_err(|e| e.to_string())?;
        let secret = secret_for(&cfg, secrets)?;
        let running = agentbar_cli::start(cfg, secret, Arc::new(SystemClock))
            .await
            .map_err(|e| e.to_string())?;
        Keep::Session(running)
    } else {
        let demo = start_demo(demo_options()?)
            .await
            .map_err(|e| format!("demo: {e}"))?;
        Keep::Demo(demo)
    };
    let running = match &keep {
        Keep::Session(r) => r,
        Keep::Demo(d) => &d.running,
    };
    let started = Started {
        engine: running.engine.clone(),
        history: running.history.clone(),
    };
    let slot = KEEP.get_or_init(|| Mutex::new(None));
    if let Ok(mut s) = slot.lock() {
        *s = Some(keep);
    }
    Ok(started)
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

/// The demo's addresses and call interval: the local listener on 127.0.0.1:10800, the
/// simulator on a free port, a first call after 3 s, then one every 20 s; a test (the window
/// test) moves them with `AGENTBAR_DEMO_LISTEN`, `AGENTBAR_DEMO_SIM_LISTEN` (addresses),
/// `AGENTBAR_DEMO_FIRST_CALL` and `AGENTBAR_DEMO_CALL_EVERY` (seconds), so it needs no fixed
/// port and no scripted call cuts across its clicks.
///
/// # Errors
///
/// Which variable holds a value that does not parse.
fn demo_options() -> Result<DemoOptions, String> {
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
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secrets::Vault;
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
