#!/usr/bin/env python3
"""Measures the desktop app's footprint against the simulator: RSS idle (signed out) and
signed in, CPU while idle at a 1.5 s poll, and RSS after 1,000 simulated calls.

Runs the release binaries under Xvfb (scripts/footprint.sh builds them first). Prints a
table and one JSON line. Only loopback traffic; every wait is bounded.
"""
import json, os, socket, subprocess, sys, tempfile, time, urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CLI = os.path.join(ROOT, "target/release/agentbar-cli")
APP = os.path.join(ROOT, "target/release/agentbar-desktop")
WEB_KEY = "0866089e569bbd3d"  # the simulator's demo web key
CALLS = int(os.environ.get("FOOTPRINT_CALLS", "1000"))
TICK = os.sysconf("SC_CLK_TCK")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http(method, url, body=None, host=None, timeout=10):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method)
    if body is not None:
        req.add_header("Content-Type", "application/json")
    if host:
        req.add_header("Host", host)
    with urllib.request.urlopen(req, timeout=timeout) as r:
        return json.loads(r.read() or b"null")


def wait(what, f, timeout=30, every=0.1):
    end = time.time() + timeout
    while time.time() < end:
        try:
            v = f()
            if v:
                return v
        except Exception:
            pass
        time.sleep(every)
    raise SystemExit(f"footprint: timed out waiting for {what}")


def find_pid(name, exclude=()):
    for p in os.listdir("/proc"):
        if p.isdigit():
            try:
                with open(f"/proc/{p}/comm") as f:
                    if f.read().strip() == name[:15] and int(p) not in exclude:
                        return int(p)
            except OSError:
                pass
    return None


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def children(pid):
    """The app and its WebKit helper processes (web and network processes are separate)."""
    out = []
    for p in os.listdir("/proc"):
        if p.isdigit():
            try:
                with open(f"/proc/{p}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                if int(fields[1]) == pid:
                    out.append(int(p))
            except OSError:
                pass
    return out


def tree_rss(pid):
    return sum(rss_mib(p) for p in [pid] + children(pid))


def pss_mib(pid):
    """Proportional set size: shared pages divided among their sharers, so the processes'
    figures add up to what the app really takes."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def breakdown(pid):
    """PSS per process of the app's tree, by name (WebKitWebProcess appears once per page)."""
    out = []
    for p in [pid] + children(pid):
        try:
            with open(f"/proc/{p}/comm") as f:
                name = f.read().strip()
        except OSError:
            continue
        out.append((name, round(pss_mib(p), 1)))
    return out


def cpu_ticks(pids):
    total = 0
    for p in pids:
        try:
            with open(f"/proc/{p}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except OSError:
            pass
    return total


def profile(sim_port, api_port, poll_ms, auto):
    return f"""
[server]
vendor = "mvb2000"
[mvb2000]
base_url = "http://127.0.0.1:{sim_port}"
agent_id = "8005"
agent_name = "张三"
extension = "2011"
queues = ["5090"]
display_number = "4000820188"
[engine]
poll_interval_ms = {poll_ms}
auto_sign_in = {str(auto).lower()}
[listener]
address = "127.0.0.1:{api_port}"
[history]
path = ":memory:"
"""


def run_app(tmp, poll_ms, auto):
    sim_port, api_port = free_port(), free_port()
    sim = subprocess.Popen([CLI, "sim", "--listen", f"127.0.0.1:{sim_port}"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    cfg = os.path.join(tmp, f"profile-{poll_ms}.toml")
    with open(cfg, "w") as f:
        f.write(profile(sim_port, api_port, poll_ms, auto))
    env = dict(os.environ, AGENTBAR_CONFIG=cfg, AGENTBAR_SECRET=WEB_KEY,
               XDG_CONFIG_HOME=os.path.join(tmp, "config"), XDG_DATA_HOME=os.path.join(tmp, "data"),
               RUST_LOG="warn")
    app = subprocess.Popen(["dbus-run-session", "--", "xvfb-run", "-a", "-s", "-screen 0 1280x800x24", APP],
                           env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    host = f"127.0.0.1:{api_port}"
    wait("the app's listener", lambda: http("GET", f"http://{host}/api/v1/health", host=host), 60)
    pid = wait("the app's process", lambda: find_pid("agentbar-desktop"), 10)
    print(f"footprint: app pid {pid}", file=sys.stderr, flush=True)
    return sim, app, pid, sim_port, host


def stop(*procs):
    for p in procs:
        p.terminate()
    for p in procs:
        try:
            p.wait(10)
        except subprocess.TimeoutExpired:
            p.kill()
    subprocess.run(["pkill", "-f", "target/release/agentbar-desktop"], check=False)
    # The next run must not find this one's process.
    wait("the app to exit", lambda: find_pid("agentbar-desktop") is None, 20)


def main():
    for f in (CLI, APP):
        if not os.path.exists(f):
            raise SystemExit(f"footprint: {f} missing (scripts/footprint.sh builds it)")
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        # 1. Idle and signed in, at the default 1.5 s poll.
        sim, app, pid, sim_port, host = run_app(tmp, 1500, False)
        try:
            time.sleep(15)
            out["rss_idle_signed_out_mib"] = round(tree_rss(pid), 1)
            out["rss_idle_signed_out_app_mib"] = round(rss_mib(pid), 1)
            http("POST", f"http://{host}/api/v1/commands", {"op": "sign_in"}, host=host)
            wait("signed in", lambda: http("GET", f"http://{host}/api/v1/state", host=host)
                 ["snapshot"]["presence"]["presence"] == "ready")
            time.sleep(10)
            out["rss_signed_in_mib"] = round(tree_rss(pid), 1)
            out["rss_signed_in_app_mib"] = round(rss_mib(pid), 1)
            pids = [pid] + children(pid)
            t0, c0 = time.time(), cpu_ticks(pids)
            time.sleep(60)
            t1, c1 = time.time(), cpu_ticks(pids)
            out["cpu_idle_percent_1500ms_poll"] = round(100.0 * (c1 - c0) / TICK / (t1 - t0), 2)
            print(f"footprint: phase 1 {json.dumps(out)}", file=sys.stderr, flush=True)
        finally:
            stop(app, sim)
        # 2. 1,000 calls: ring, answer, hang up, each seen by the bar (100 ms poll so the run
        #    takes minutes, not the 75 minutes three polls a call would take at 1.5 s).
        sim, app, pid, sim_port, host = run_app(tmp, 100, True)
        simurl = f"http://127.0.0.1:{sim_port}"
        try:
            wait("signed in", lambda: http("GET", f"http://{host}/api/v1/state", host=host)
                 ["snapshot"]["presence"]["presence"] == "ready")
            state = lambda: http("GET", f"http://{host}/api/v1/state", host=host)["snapshot"]
            time.sleep(5)
            out["pss_before_calls"] = breakdown(pid)
            started = time.time()
            for n in range(CALLS):
                number = f"1390{n:07d}"
                http("POST", f"{simurl}/_sim/incoming",
                     {"from": number, "did": "4000820188", "to": {"queue": "5090"}})
                wait("ringing", lambda: any(c["remote_number"] == number for c in state()["calls"]), 10, 0.02)
                wait("answered", lambda: http("POST", f"{simurl}/_sim/answer", {"extension": "2011"}), 5, 0.02)
                wait("talking", lambda: state()["state"]["state"] == "talking", 10, 0.02)
                http("POST", f"{simurl}/_sim/hangup", {"extension": "2011"})
                wait("ended", lambda: not state()["calls"], 10, 0.02)
            out["calls"] = CALLS
            out["calls_seconds"] = round(time.time() - started, 1)
            time.sleep(5)
            out["rss_after_calls_mib"] = round(tree_rss(pid), 1)
            out["rss_after_calls_app_mib"] = round(rss_mib(pid), 1)
            out["pss_after_calls"] = breakdown(pid)
        finally:
            stop(app, sim)
    print("Agent Bar desktop footprint (release build, Xvfb, simulated MVB2000)")
    print(f"  RSS idle, signed out:        {out['rss_idle_signed_out_mib']:7.1f} MiB "
          f"(app process {out['rss_idle_signed_out_app_mib']:.1f} MiB, the rest WebKit's helpers)")
    print(f"  RSS signed in:               {out['rss_signed_in_mib']:7.1f} MiB (app {out['rss_signed_in_app_mib']:.1f})")
    print(f"  CPU idle, 1.5 s poll:        {out['cpu_idle_percent_1500ms_poll']:7.2f} % of one core (60 s)")
    print(f"  RSS after {out['calls']} calls:      {out['rss_after_calls_mib']:7.1f} MiB "
          f"(app {out['rss_after_calls_app_mib']:.1f}; the calls took {out['calls_seconds']} s)")
    for when in ("before", "after"):
        parts = out[f"pss_{when}_calls"]
        print(f"  PSS {when} the calls:         {sum(m for _, m in parts):7.1f} MiB: "
              + ", ".join(f"{n} {m}" for n, m in parts))
    print(json.dumps(out))


if __name__ == "__main__":
    main()
