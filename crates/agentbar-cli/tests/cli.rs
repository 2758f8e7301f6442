//! The `agentbar-cli` binary itself: `sim` and `run --config` as separate processes, the
//! secret from `AGENTBAR_SECRET`, and refusals that never echo a secret.

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_agentbar-cli");
const WEB_KEY: &str = "0866089e569bbd3d";

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Kills the child when the test ends, passed or not.
struct Kill(Child);

impl Drop for Kill {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn write_config(name: &str, body: &str) -> std::path::PathBuf {
    let path =
        std::env::temp_dir().join(format!("agentbar-cli-{}-{name}.toml", std::process::id()));
    std::fs::write(&path, body).unwrap();
    path
}

fn config(sim_port: u16) -> String {
    format!(
        r#"
[server]
vendor = "mvb2000"

[mvb2000]
base_url = "http://127.0.0.1:{sim_port}"
agent_id = "8005"
extension = "2011"
queues = ["5090"]
display_number = "4000820188"

[engine]
auto_sign_in = true
poll_interval_ms = 300
"#
    )
}

async fn wait_json(
    url: &str,
    host: &str,
    ok: impl Fn(&serde_json::Value) -> bool,
) -> serde_json::Value {
    let client = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Ok(r) = client.get(url).header("Host", host).send().await {
            if let Ok(v) = r.json::<serde_json::Value>().await {
                if ok(&v) {
                    return v;
                }
            }
        }
        assert!(Instant::now() < deadline, "timed out polling {url}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn run_against_sim_in_separate_processes() {
    let sim_port = free_port();
    let _sim = Kill(
        Command::new(BIN)
            .args([
                "sim",
                "--vendor",
                "mvb2000",
                "--listen",
                &format!("127.0.0.1:{sim_port}"),
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let path = write_config("run", &config(sim_port));
    let api_port = free_port();
    // The history goes to the default place under the data folder: the test's own.
    let data = std::env::temp_dir().join(format!("agentbar-cli-data-{}", std::process::id()));
    let mut run = Kill(
        Command::new(BIN)
            .args([
                "run",
                "--config",
                path.to_str().unwrap(),
                "--listen",
                &format!("127.0.0.1:{api_port}"),
            ])
            .env("AGENTBAR_SECRET", WEB_KEY)
            .env("XDG_DATA_HOME", &data)
            .env("RUST_LOG", "debug")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let host = format!("127.0.0.1:{api_port}");
    let state = wait_json(&format!("http://{host}/api/v1/state"), &host, |v| {
        v["snapshot"]["connection"]["status"] == "connected"
            && v["snapshot"]["presence"]["presence"] == "ready"
    })
    .await;
    assert_eq!(state["snapshot"]["agent"]["id"], "8005");
    // The snapshot, then events, are printed as JSON lines on stdout. Read on a thread with a
    // deadline: a blocking read must not hang the test if nothing comes.
    let stdout = run.0.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let first = rx
        .recv_timeout(Duration::from_secs(10))
        .expect("a first line on stdout");
    let line: serde_json::Value = serde_json::from_str(&first).unwrap();
    assert_eq!(line["type"], "snapshot", "{first}");
    assert_eq!(line["snapshot"]["agent"]["id"], "8005");
    // Nothing the process logged (at debug level) carries the web key.
    let _ = run.0.kill();
    let mut err = String::new();
    std::io::Read::read_to_string(&mut run.0.stderr.take().unwrap(), &mut err).unwrap();
    assert!(
        err.contains("getpopupscreen") || err.contains("request"),
        "debug log was written"
    );
    assert!(!err.contains(WEB_KEY), "the web key was logged");
    if cfg!(all(unix, not(target_os = "macos"))) {
        assert!(
            data.join("agentbar/history.sqlite3").exists(),
            "history file in the data folder"
        );
    }
    let _ = std::fs::remove_file(path);
    let _ = std::fs::remove_dir_all(data);
}

#[test]
fn a_secret_in_the_config_is_refused_without_echoing_it() {
    let body = config(1).replace("agent_id", &format!("web_key = \"{WEB_KEY}\"\nagent_id"));
    let path = write_config("secret", &body);
    let out = Command::new(BIN)
        .args(["run", "--config", path.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("web_key") && err.contains("AGENTBAR_SECRET"),
        "{err}"
    );
    assert!(!err.contains(WEB_KEY), "{err}");
    let _ = std::fs::remove_file(path);
}

#[test]
fn a_missing_secret_and_a_bad_config_are_clear_errors() {
    let path = write_config("nosecret", &config(1));
    let out = Command::new(BIN)
        .args(["run", "--config", path.to_str().unwrap()])
        .env_remove("AGENTBAR_SECRET")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no secret"));
    let bad = write_config("bad", &config(1).replace("\"2011\"", "\"20;11\""));
    let out = Command::new(BIN)
        .args(["run", "--config", bad.to_str().unwrap()])
        .env("AGENTBAR_SECRET", "x")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("extension"));
    let _ = std::fs::remove_file(path);
    let _ = std::fs::remove_file(bad);
}
