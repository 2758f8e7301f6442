//! A scripted-calls generator for the demo: a customer calls a queue every so often.

use std::time::Duration;

use crate::model::IncomingSpec;

use super::Sim;

impl Sim {
    /// Every `every`, a call from the next number of `numbers` (round robin) arrives at
    /// `queue`. Runs until the returned task is aborted.
    pub fn spawn_script(
        &self,
        every: Duration,
        numbers: Vec<String>,
        queue: &str,
    ) -> tokio::task::JoinHandle<()> {
        let sim = self.clone();
        let queue = queue.to_owned();
        let did = self.config().display_number;
        let start = tokio::time::Instant::now() + every;
        tokio::spawn(async move {
            if numbers.is_empty() {
                return;
            }
            let mut tick = tokio::time::interval_at(start, every);
            for n in numbers.iter().cycle() {
                tick.tick().await;
                let spec = IncomingSpec::to_queue(n, &did, &queue);
                if let Err(e) = sim.incoming_call(spec) {
                    tracing::warn!(error = %e, "scripted call failed");
                }
            }
        })
    }
}
