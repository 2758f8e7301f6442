//! The printed figures: a table for people, then one JSON line for machines.

use crate::listener::{LoadResult, Transport};
use crate::refused::{RefusalCheck, REFUSED_NUMBER, REFUSED_PATH, UNTRUSTED_ORIGIN};
use crate::stats::Summary;
use serde_json::{json, Value};
use std::fmt::Write;

/// What a run measured, and how.
#[derive(Debug, Clone)]
pub struct Report {
    pub quick: bool,
    pub poll_interval_ms: u64,
    /// The listener's policy mode, and the one origin it trusts.
    pub policy: &'static str,
    pub trusted_origin: &'static str,
    pub pop: Summary,
    pub loads: Vec<LoadResult>,
    /// What the refused requests reached (nothing, or the run fails before a report).
    pub refusals: RefusalCheck,
    pub total_secs: f64,
}

/// How a load names its case: the path, and who asks.
fn label(l: &LoadResult) -> String {
    format!("{} ({})", l.path, l.caller.name())
}

fn ms(us: f64) -> String {
    format!("{:.3} ms", us / 1000.0)
}

impl Report {
    /// The human-readable table.
    pub fn table(&self) -> String {
        let mut s = String::new();
        let p = &self.pop;
        let _ = writeln!(
            s,
            "Pop latency: getpopupscreen answer (simulator side) -> call_offered read by an SSE client"
        );
        let _ = writeln!(
            s,
            "  {} calls, poll interval {} ms, one at a time",
            p.count, self.poll_interval_ms
        );
        let _ = writeln!(
            s,
            "  {:>10} {:>10} {:>10} {:>10} {:>10} {:>10}",
            "min", "median", "p90", "p99", "max", "mean"
        );
        let _ = writeln!(
            s,
            "  {:>10} {:>10} {:>10} {:>10} {:>10} {:>10}",
            ms(p.min_us),
            ms(p.median_us),
            ms(p.p90_us),
            ms(p.p99_us),
            ms(p.max_us),
            ms(p.mean_us)
        );
        let _ = writeln!(s);
        let _ = writeln!(
            s,
            "Local listener: GET requests, keep-alive connections; policy {}, trusted origin {}",
            self.policy, self.trusted_origin
        );
        let _ = writeln!(
            s,
            "  {:<26} {:<16} {:<11} {:>4} {:>6} {:>7} {:>7} {:>11} {:>11} {:>11} {:>11}",
            "path",
            "caller",
            "transport",
            "conc",
            "status",
            "reqs",
            "bytes",
            "req/s",
            "median",
            "p99",
            "max"
        );
        for l in &self.loads {
            let _ = writeln!(
                s,
                "  {:<26} {:<16} {:<11} {:>4} {:>6} {:>7} {:>7} {:>11.0} {:>11} {:>11} {:>11}",
                l.path,
                l.caller.name(),
                l.transport.name(),
                l.concurrency,
                l.status,
                l.requests,
                l.body_bytes,
                l.requests_per_sec(),
                ms(l.latency.median_us),
                ms(l.latency.p99_us),
                ms(l.latency.max_us)
            );
        }
        let overheads = self.overheads();
        if !overheads.is_empty() {
            let _ = writeln!(s);
            let _ = writeln!(
                s,
                "Listener's own cost at concurrency 1 (loopback median - in-process median):"
            );
            for (case, us) in overheads {
                let _ = writeln!(s, "  {case:<46} {us:>8.1} us per request");
            }
        }
        let r = &self.refusals;
        let _ = writeln!(s);
        let _ = writeln!(
            s,
            "Refused: GET {REFUSED_PATH} with Origin {UNTRUSTED_ORIGIN}, no token"
        );
        let _ = writeln!(
            s,
            "  {} sent, every one answered 403; reached the call center: {} originate requests, \
             {} requests with {REFUSED_NUMBER}, {} calls with it (simulator and engine)",
            r.sent, r.originates, r.sim_requests_with_number, r.calls_with_number
        );
        let _ = writeln!(
            s,
            "  questions pending for the agent: {}",
            r.pending.join(", ")
        );
        let _ = writeln!(s);
        let _ = writeln!(s, "total run time {:.1} s", self.total_secs);
        s
    }

    /// Per case (path and caller): median loopback latency minus median in-process latency,
    /// at concurrency 1.
    pub fn overheads(&self) -> Vec<(String, f64)> {
        let at = |t: Transport, case: &str| {
            self.loads
                .iter()
                .find(|l| l.transport == t && label(l) == case && l.concurrency == 1)
                .map(|l| l.latency.median_us)
        };
        let mut cases: Vec<String> = self.loads.iter().map(label).collect();
        cases.dedup();
        cases
            .into_iter()
            .filter_map(|c| {
                let d = at(Transport::Loopback, &c)? - at(Transport::InProcess, &c)?;
                Some((c, d))
            })
            .collect()
    }

    /// The machine-readable line.
    pub fn json(&self) -> Value {
        let sum = |s: &Summary| {
            json!({
                "count": s.count,
                "min_us": s.min_us.round(),
                "median_us": s.median_us.round(),
                "p90_us": s.p90_us.round(),
                "p99_us": s.p99_us.round(),
                "max_us": s.max_us.round(),
                "mean_us": s.mean_us.round(),
            })
        };
        let loads: Vec<Value> = self
            .loads
            .iter()
            .map(|l| {
                json!({
                    "path": l.path,
                    "caller": l.caller.name(),
                    "status": l.status,
                    "transport": l.transport.name(),
                    "concurrency": l.concurrency,
                    "requests": l.requests,
                    "body_bytes": l.body_bytes,
                    "requests_per_sec": l.requests_per_sec().round(),
                    "latency": sum(&l.latency),
                })
            })
            .collect();
        let overhead: serde_json::Map<String, Value> = self
            .overheads()
            .into_iter()
            .map(|(p, us)| (p, json!(us.round())))
            .collect();
        json!({
            "bench": "agentbar",
            "quick": self.quick,
            "poll_interval_ms": self.poll_interval_ms,
            "policy": self.policy,
            "trusted_origin": self.trusted_origin,
            "pop": sum(&self.pop),
            "listener": loads,
            "listener_overhead_median_us": overhead,
            "refused": {
                "path": REFUSED_PATH,
                "origin": UNTRUSTED_ORIGIN,
                "sent": self.refusals.sent,
                "originates": self.refusals.originates,
                "sim_requests_with_number": self.refusals.sim_requests_with_number,
                "calls_with_number": self.refusals.calls_with_number,
                "pending": self.refusals.pending,
            },
            "total_secs": (self.total_secs * 10.0).round() / 10.0,
        })
    }
}
