//! The request log: every request a protocol front end received, in order.

use serde::{Deserialize, Serialize};

/// One request as a front end received it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestRecord {
    /// Order of arrival, from 1.
    pub seq: u64,
    /// Front end, e.g. `mvb2000`.
    pub vendor: String,
    /// Endpoint, e.g. `ctioriginate.php`.
    pub endpoint: String,
    /// Decoded parameters in the order sent.
    pub params: Vec<(String, String)>,
    /// Arrival time, epoch ms (simulator clock).
    pub at_ms: i64,
}

impl RequestRecord {
    /// The first value of parameter `name`.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The decoded parameters as `k=v&k=v` (no escaping), handy for assertions.
    pub fn query(&self) -> String {
        self.params
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("&")
    }
}
