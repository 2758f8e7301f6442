//! The delivery task: drains the queue in order, applies the faults, and makes each request
//! with doubling back-off until the receiver takes it or the retries are spent.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{mpsc, watch};

use super::{lock, FaultPlan, Outcome, Outgoing, Shared, Wire};

/// What one delivery needs besides the item.
struct Courier<W: Wire> {
    client: reqwest::Client,
    shared: Arc<Shared<W>>,
    down: watch::Receiver<bool>,
}

/// Delivers queued items in order until every sender is gone (the sim was dropped).
pub(super) async fn run<W: Wire>(
    mut rx: mpsc::Receiver<Outgoing<W>>,
    shared: Arc<Shared<W>>,
    down: watch::Receiver<bool>,
) {
    let client = match reqwest::Client::builder()
        .timeout(Duration::from_millis(shared.settings.timeout_ms.max(1)))
        .build()
    {
        Ok(c) => c,
        Err(e) => {
            tracing::error!(error = %e, "{}: no HTTP client; nothing is delivered", W::NAME);
            return;
        }
    };
    let wait = Duration::from_millis(shared.settings.reorder_wait_ms);
    let mut c = Courier {
        client,
        shared,
        down,
    };
    let mut held: Option<Outgoing<W>> = None;
    loop {
        let next = if held.is_some() {
            match tokio::time::timeout(wait, rx.recv()).await {
                Ok(next) => next,
                Err(_) => {
                    // Nothing came after the held item: let it go on its own.
                    if let Some(h) = held.take() {
                        c.deliver(&h, false, true).await;
                    }
                    continue;
                }
            }
        } else {
            rx.recv().await
        };
        let Some(o) = next else {
            if let Some(h) = held.take() {
                c.deliver(&h, false, true).await;
            }
            return;
        };
        let plan = lock(&c.shared.faults).plan();
        if plan.drop {
            c.drop(&o);
            continue;
        }
        if plan.reorder && held.is_none() {
            held = Some(o);
            continue;
        }
        c.deliver(&o, false, false).await;
        if plan.duplicate {
            c.deliver(&o, true, false).await;
        }
        if let Some(h) = held.take() {
            c.deliver(&h, false, true).await;
        }
    }
}

impl<W: Wire> Courier<W> {
    /// Records an item a fault dropped, without a request.
    fn drop(&self, o: &Outgoing<W>) {
        let outcome = Outcome {
            request: W::request(&o.item, &o.url, o.via),
            status: None,
            answer: W::Answer::default(),
            attempts: 0,
            error: Some("dropped by a push fault".to_owned()),
            duplicate: false,
            reordered: false,
            dropped: true,
            at_ms: self.shared.clock.now_ms(),
        };
        self.shared.finish(o, outcome);
    }

    /// One item to the receiver: wait while the sim is down, the fault delay, then request with
    /// doubling back-off until it is taken or the retries are spent.
    async fn deliver(&mut self, o: &Outgoing<W>, duplicate: bool, reordered: bool) {
        // A sim that is down sends nothing; the sender side being gone ends the wait.
        let _ = self.down.wait_for(|d| !*d).await;
        let delay = lock(&self.shared.faults).delay_ms();
        if delay > 0 {
            tokio::time::sleep(Duration::from_millis(delay)).await;
        }
        let s = &self.shared.settings;
        let request = W::request(&o.item, &o.url, o.via);
        let mut backoff = Duration::from_millis(s.retry_base_ms);
        let cap = Duration::from_millis(s.retry_cap_ms.max(s.retry_base_ms));
        let mut attempts = 0;
        let (status, answer, error) = loop {
            attempts += 1;
            let req = match request.content_type {
                None => self.client.get(&request.url),
                Some(ct) => self
                    .client
                    .post(&request.url)
                    .header(reqwest::header::CONTENT_TYPE, ct)
                    .body(request.body.clone()),
            };
            let (status, answer, error) = match req.send().await {
                Ok(resp) => {
                    let st = resp.status();
                    // Read the whole answer: the front end may judge it, and the connection
                    // can then be reused.
                    let body = resp.bytes().await.unwrap_or_default();
                    let (answer, error) = W::judge(st, &body);
                    (Some(st.as_u16()), answer, error)
                }
                Err(e) => (None, W::Answer::default(), Some(e.to_string())),
            };
            if error.is_none() || attempts > s.retries {
                break (status, answer, error);
            }
            tokio::time::sleep(backoff).await;
            backoff = (backoff * 2).min(cap);
        };
        let outcome = Outcome {
            request,
            status,
            answer,
            attempts,
            error,
            duplicate,
            reordered,
            dropped: false,
            at_ms: self.shared.clock.now_ms(),
        };
        self.shared.finish(o, outcome);
    }
}
