//! The `agentbar-cli` binary itself: `sim` and `run --config` as separate processes, the
//! secret from `AGENTBAR_SECRET`, and refusals that never echo a secret.

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_agentbar-cli");
const WEB_KEY: &str = "0866089e569bbd3d";
/// The local API's pairing token, given as a headless run gets it.
const API_TOKEN: &str = "5f0c2a7e9b1d4c3a8e6f0b2d4a6c8e0f1a3b5c7d9e1f2a4b6c8d0e2f4a6b8c0d";

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

/// Reads a child's pipe on a thread from the start, line by line: an undrained pipe fills
/// (64 KiB of debug log) and blocks the child inside its logger, which then answers nothing.
fn drain(pipe: impl std::io::Read + Send + 'static) -> std::sync::mpsc::Receiver<String> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(pipe).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

/// Every request has a deadline: a peer that accepts and never answers fails the test
/// instead of hanging it.
async fn wait_json(
    url: &str,
    host: &str,
    ok: impl Fn(&serde_json::Value) -> bool,
) -> Result<serde_json::Value, String> {
    let client = reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(2))
        .build()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut last: String;
    loop {
        match client
            .get(url)
            .header("Host", host)
            .header("Authorization", format!("Bearer {API_TOKEN}"))
            .send()
            .await
        {
            Ok(r) => match r.json::<serde_json::Value>().await {
                Ok(v) if ok(&v) => return Ok(v),
                Ok(v) => last = v.to_string(),
                Err(e) => last = e.to_string(),
            },
            Err(e) => last = e.to_string(),
        }
        if Instant::now() >= deadline {
            return Err(format!("timed out polling {url}; last: {last}"));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn run_against_sim_in_separate_processes() {
    let sim_port = free_port();
    let path = write_config("run", &config(sim_port));
    let api_port = free_port();
    // The runner starts first on purpose: the server is not there yet, and its configured
    // sign-in must happen once the server answers.
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
            .env("AGENTBAR_API_TOKEN", API_TOKEN)
            .env("XDG_DATA_HOME", &data)
            .env("RUST_LOG", "debug")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let stdout = drain(run.0.stdout.take().unwrap());
    let stderr = drain(run.0.stderr.take().unwrap());
    tokio::time::sleep(Duration::from_millis(300)).await;
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
    let host = format!("127.0.0.1:{api_port}");
    let state = wait_json(&format!("http://{host}/api/v1/state"), &host, |v| {
        v["snapshot"]["connection"]["status"] == "connected"
            && v["snapshot"]["presence"]["presence"] == "ready"
    })
    .await;
    let log = |rx: &std::sync::mpsc::Receiver<String>| rx.try_iter().collect::<Vec<_>>();
    let state = state.unwrap_or_else(|e| {
        let _ = run.0.kill();
        let tail = log(&stderr);
        let tail = tail[tail.len().saturating_sub(40)..].join("\n");
        panic!("{e}\nthe runner's log, last lines:\n{tail}")
    });
    assert_eq!(state["snapshot"]["agent"]["id"], "8005");
    // The snapshot, then events, are printed as JSON lines on stdout.
    let first = stdout
        .recv_timeout(Duration::from_secs(10))
        .expect("a first line on stdout");
    let line: serde_json::Value = serde_json::from_str(&first).unwrap();
    assert_eq!(line["type"], "snapshot", "{first}");
    assert_eq!(line["snapshot"]["agent"]["id"], "8005");
    // Nothing the process logged (at debug level) carries the web key.
    let _ = run.0.kill();
    let _ = run.0.wait();
    let err = stderr.iter().collect::<Vec<_>>().join("\n");
    assert!(
        err.contains("getpopupscreen") || err.contains("request"),
        "debug log was written"
    );
    assert!(!err.contains(WEB_KEY), "the web key was logged");
    assert!(!err.contains(API_TOKEN), "the pairing token was logged");
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
