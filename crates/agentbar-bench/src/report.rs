//! The printed figures: a table for people, then one JSON line for machines.

use crate::listener::{LoadResult, Transport};
use crate::stats::Summary;
use serde_json::{json, Value};
use std::fmt::Write;

/// What a run measured, and how.
#[derive(Debug, Clone)]
pub struct Report {
    pub quick: bool,
    pub poll_interval_ms: u64,
    pub pop: Summary,
    pub loads: Vec<LoadResult>,
    pub total_secs: f64,
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
        let _ = writeln!(s, "Local listener: GET requests, keep-alive connections");
        let _ = writeln!(
            s,
            "  {:<16} {:<11} {:>4} {:>7} {:>7} {:>11} {:>11} {:>11} {:>11}",
            "path", "transport", "conc", "reqs", "bytes", "req/s", "median", "p99", "max"
        );
        for l in &self.loads {
            let _ = writeln!(
                s,
                "  {:<16} {:<11} {:>4} {:>7} {:>7} {:>11.0} {:>11} {:>11} {:>11}",
                l.path,
                l.transport.name(),
                l.concurrency,
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
            for (path, us) in overheads {
                let _ = writeln!(s, "  {path:<16} {us:>8.1} us per request");
            }
        }
        let _ = writeln!(s);
        let _ = writeln!(s, "total run time {:.1} s", self.total_secs);
        s
    }

    /// Per path: median loopback latency minus median in-process latency, at concurrency 1.
    pub fn overheads(&self) -> Vec<(String, f64)> {
        let at = |t: Transport, path: &str| {
            self.loads
                .iter()
                .find(|l| l.transport == t && l.path == path && l.concurrency == 1)
                .map(|l| l.latency.median_us)
        };
        let mut paths: Vec<&str> = self.loads.iter().map(|l| l.path.as_str()).collect();
        paths.dedup();
        paths
            .into_iter()
            .filter_map(|p| {
                let d = at(Transport::Loopback, p)? - at(Transport::InProcess, p)?;
                Some((p.to_owned(), d))
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
            "pop": sum(&self.pop),
            "listener": loads,
            "listener_overhead_median_us": overhead,
            "total_secs": (self.total_secs * 10.0).round() / 10.0,
        })
    }
}
