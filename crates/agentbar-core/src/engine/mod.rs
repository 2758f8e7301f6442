//! The session engine: one tokio task owns the state. Commands come in over a channel,
//! snapshots go out over a watch channel, events over a broadcast channel.

mod auto_sign_in;
mod poller;
mod session;

pub use poller::backoff;
pub use session::{check_number, check_token, Effect, Plan, Session};

use crate::clock::WallClock;
use crate::config::EngineConfig;
use crate::error::CoreError;
use crate::model::*;
use crate::vendor::{CommandContext, EventSink, Vendor, VendorEvent};
use auto_sign_in::AutoSignIn;
use poller::{PollReport, Poller};
use session::SignedInOrNot;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{broadcast, mpsc, oneshot, watch, Notify};
use tokio::time::Instant;

const EVENT_BUFFER: usize = 1024;
const TICK: Duration = Duration::from_secs(1);

type Reply = oneshot::Sender<Result<CommandOutcome, CoreError>>;

enum Msg {
    Command(Command, Reply),
    Done {
        token: u64,
        cmd: Command,
        result: Result<(CommandOutcome, SignedInOrNot), CoreError>,
        reply: Option<Reply>,
    },
    PresenceRead(Result<Presence, CoreError>),
    PresenceSet(Presence, Result<CommandOutcome, CoreError>),
    Team(Result<TeamView, CoreError>),
    Vendor(VendorEvent),
    Ui(UiRequest),
    Shutdown(oneshot::Sender<()>),
}

/// A cloneable handle on a running engine.
#[derive(Clone)]
pub struct EngineHandle {
    tx: mpsc::UnboundedSender<Msg>,
    /// For reads that touch no session state (recordings): they need not queue behind the
    /// engine's task.
    vendor: Arc<dyn Vendor>,
    snapshot: watch::Receiver<Snapshot>,
    /// Weak, so that the stream ends for every subscriber when the engine stops, however
    /// many handles are still around.
    events: broadcast::WeakSender<Event>,
}

impl EngineHandle {
    /// Runs a command: the engine's checks, then the adapter. Resolves when the server has
    /// answered (or at once when the engine handled it alone).
    pub async fn execute(&self, cmd: Command) -> Result<CommandOutcome, CoreError> {
        let (reply, rx) = oneshot::channel();
        self.tx
            .send(Msg::Command(cmd, reply))
            .map_err(|_| CoreError::Stopped)?;
        rx.await.map_err(|_| CoreError::Stopped)?
    }

    pub fn snapshot(&self) -> Snapshot {
        self.snapshot.borrow().clone()
    }

    pub fn watch(&self) -> watch::Receiver<Snapshot> {
        self.snapshot.clone()
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Event> {
        match self.events.upgrade() {
            Some(tx) => tx.subscribe(),
            // Stopped: a receiver whose sender is already gone reports `Closed` at once.
            None => broadcast::channel(1).1,
        }
    }

    /// Passes a window request (from the local API) to whoever shows windows.
    pub fn ui_request(&self, req: UiRequest) {
        let _ = self.tx.send(Msg::Ui(req));
    }

    /// Feeds an event that reached us outside the poll loop (a pushed webhook).
    pub fn vendor_event(&self, ev: VendorEvent) {
        let _ = self.tx.send(Msg::Vendor(ev));
    }

    /// Fetches a call recording from the server.
    pub async fn recording(&self, name: &str) -> Result<crate::vendor::Recording, CoreError> {
        if let Some(reason) = self
            .snapshot
            .borrow()
            .capabilities
            .why_not(Operation::Recordings)
        {
            return Err(CoreError::NotSupported {
                operation: Operation::Recordings,
                vendor: self.vendor.id().into(),
                reason,
            });
        }
        self.vendor.recording(name).await
    }

    /// Stops the engine and its poller; resolves when they have stopped.
    pub async fn shutdown(&self) {
        let (tx, rx) = oneshot::channel();
        if self.tx.send(Msg::Shutdown(tx)).is_ok() {
            let _ = rx.await;
        }
    }
}

pub struct Engine {
    vendor: Arc<dyn Vendor>,
    session: Session,
    clock: Arc<dyn WallClock>,
    tx: mpsc::UnboundedSender<Msg>,
    snapshot: watch::Sender<Snapshot>,
    events: broadcast::Sender<Event>,
    seq: u64,
    next_token: u64,
    kick: Arc<Notify>,
    last_wall_ms: i64,
    last_mono: Instant,
    last_team: Option<Instant>,
    team_in_flight: bool,
    auto_sign_in: AutoSignIn,
    /// The vendor's event channel, for results that come after their command.
    sink: Option<EventSink>,
}

impl Engine {
    /// Starts the engine and its poller on the current tokio runtime.
    pub fn spawn(
        vendor: Arc<dyn Vendor>,
        config: EngineConfig,
        clock: Arc<dyn WallClock>,
    ) -> EngineHandle {
        let now = Instant::now();
        let now_ms = clock.now_ms();
        let session = Session::new(
            config.clone(),
            vendor.id(),
            vendor.capabilities(),
            vendor.agent(),
            now,
            now_ms,
        );
        let (tx, rx) = mpsc::unbounded_channel();
        let (snap_tx, snap_rx) = watch::channel(session.snapshot(now, 0));
        let (events, _) = broadcast::channel(EVENT_BUFFER);
        let handle = EngineHandle {
            tx: tx.clone(),
            vendor: vendor.clone(),
            snapshot: snap_rx,
            events: events.downgrade(),
        };
        let engine = Engine {
            vendor,
            session,
            clock,
            tx,
            snapshot: snap_tx,
            events,
            seq: 0,
            next_token: 0,
            kick: Arc::new(Notify::new()),
            last_wall_ms: now_ms,
            last_mono: now,
            last_team: None,
            team_in_flight: false,
            auto_sign_in: AutoSignIn::new(
                config.auto_sign_in,
                Duration::from_millis(config.backoff_initial_ms),
                Duration::from_millis(config.backoff_max_ms),
            ),
            sink: None,
        };
        tokio::spawn(engine.run(rx));
        handle
    }

    async fn run(mut self, mut rx: mpsc::UnboundedReceiver<Msg>) {
        let (sink, mut vendor_rx) = EventSink::new();
        self.sink = Some(sink.clone());
        let (report_tx, mut reports) = mpsc::unbounded_channel();
        let (stop_tx, stop_rx) = watch::channel(false);
        let config = self.session.config().clone();
        let poller = Poller {
            vendor: self.vendor.clone(),
            sink,
            reports: report_tx,
            interval: config.poll_interval(),
            backoff_initial: Duration::from_millis(config.backoff_initial_ms),
            backoff_max: Duration::from_millis(config.backoff_max_ms),
            kick: self.kick.clone(),
        };
        let poll_task = tokio::spawn(poller.run(stop_rx));
        self.maybe_auto_sign_in();
        self.publish();
        let mut tick = tokio::time::interval(TICK);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                msg = rx.recv() => match msg {
                    Some(Msg::Shutdown(done)) => {
                        let _ = stop_tx.send(true);
                        let _ = poll_task.await;
                        let _ = done.send(());
                        return;
                    }
                    Some(m) => self.handle(m),
                    None => break,
                },
                Some(ev) = vendor_rx.recv() => self.handle(Msg::Vendor(ev)),
                Some(r) = reports.recv() => self.poll_report(r),
                _ = tick.tick() => self.tick(),
            }
            self.publish();
        }
        let _ = stop_tx.send(true);
        let _ = poll_task.await;
    }

    fn now(&self) -> (Instant, i64) {
        (Instant::now(), self.clock.now_ms())
    }

    fn emit(&mut self, kinds: Vec<EventKind>) {
        for kind in kinds {
            self.seq += 1;
            let ev = Event {
                seq: self.seq,
                at_ms: self.clock.now_ms(),
                kind,
            };
            tracing::debug!(seq = ev.seq, "event {}", event_name(&ev.kind));
            // No subscriber is fine: events are also folded into snapshots.
            let _ = self.events.send(ev);
        }
    }

    fn publish(&mut self) {
        let snap = self.session.snapshot(Instant::now(), self.seq);
        self.snapshot.send_if_modified(|old| {
            if *old != snap {
                *old = snap;
                true
            } else {
                false
            }
        });
    }

    fn handle(&mut self, msg: Msg) {
        let (now, now_ms) = self.now();
        match msg {
            Msg::Command(cmd, reply) => {
                if matches!(cmd, Command::SignIn | Command::SignOut) {
                    self.auto_sign_in.cancel();
                }
                self.command(cmd, reply)
            }
            Msg::Done {
                token,
                cmd,
                result,
                reply,
            } => {
                let events = self.session.command_done(
                    token,
                    &cmd,
                    result.as_ref().map(|(_, s)| s),
                    now,
                    now_ms,
                );
                self.emit(events);
                let result = result.map(|(o, _)| o);
                if cmd == Command::SignIn {
                    self.auto_sign_in.finished(result.as_ref().map(|_| ()), now);
                }
                match &result {
                    Ok(o) => self.emit(vec![EventKind::CommandSucceeded {
                        command: cmd.name().into(),
                        message: o.message.clone(),
                    }]),
                    Err(e) => {
                        tracing::warn!(command = cmd.name(), "command failed: {e}");
                        if e.is_connection_error() {
                            self.kick.notify_one();
                        }
                        self.emit(vec![EventKind::command_failed(&cmd, e.info())]);
                    }
                }
                // Whoever awaited the command sees its effect in the next snapshot they read.
                self.publish();
                if let Some(reply) = reply {
                    let _ = reply.send(result);
                }
            }
            Msg::PresenceRead(Ok(p)) => {
                let (events, effects) = self.session.on_vendor_event(
                    VendorEvent::Presence { presence: p },
                    now,
                    now_ms,
                );
                self.emit(events);
                self.effects(effects);
            }
            Msg::PresenceRead(Err(e)) => tracing::warn!("reading presence failed: {e}"),
            Msg::PresenceSet(p, Ok(_)) => {
                let events = self.session.presence_applied(p, now, now_ms);
                self.emit(events);
            }
            Msg::PresenceSet(p, Err(e)) => {
                tracing::warn!("applying presence {p:?} failed: {e}");
                self.emit(vec![EventKind::CommandFailed {
                    command: "apply_presence".into(),
                    error: e.info(),
                }]);
                self.refresh_presence();
            }
            Msg::Team(r) => {
                self.team_in_flight = false;
                match r {
                    Ok(t) => {
                        let events = self.session.set_team(t);
                        self.emit(events);
                    }
                    Err(e) => tracing::warn!("team status failed: {e}"),
                }
            }
            Msg::Vendor(ev) => {
                let (events, effects) = self.session.on_vendor_event(ev, now, now_ms);
                self.emit(events);
                self.effects(effects);
            }
            Msg::Ui(request) => self.emit(vec![EventKind::Ui { request }]),
            Msg::Shutdown(_) => {}
        }
    }

    fn command(&mut self, cmd: Command, reply: Reply) {
        let (now, now_ms) = self.now();
        match self.session.plan(&cmd, now, now_ms) {
            Err(e) => {
                if cmd == Command::SignIn {
                    self.auto_sign_in.finished(Err(&e), now);
                }
                self.emit(vec![EventKind::command_failed(&cmd, e.info())]);
                self.publish();
                let _ = reply.send(Err(e));
            }
            Ok(Plan::Local {
                message,
                effects,
                events: ended,
            }) => {
                if cmd == Command::SignIn {
                    self.auto_sign_in.finished(Ok(()), now);
                }
                if let Some(p) = self.session.queued().cloned() {
                    self.emit(vec![EventKind::PresenceQueued { presence: p }]);
                }
                let mut events = ended;
                // A wrap-up whose time ran out since the last tick ends here: its presence
                // must still reach the server.
                let (ev, expired) = self.session.tick(now, now_ms);
                events.extend(ev);
                self.emit(events);
                self.effects(effects);
                self.effects(expired);
                self.publish();
                let _ = reply.send(Ok(CommandOutcome {
                    message,
                    data: None,
                }));
            }
            Ok(Plan::Send) => {
                let token = self.next_token;
                self.next_token += 1;
                self.session.begin(token, &cmd);
                let vendor = self.vendor.clone();
                let ctx = self.context();
                let tx = self.tx.clone();
                tokio::spawn(async move {
                    let result = match &cmd {
                        Command::SignIn => vendor
                            .sign_in()
                            .await
                            .map(|s| (CommandOutcome::done(), SignedInOrNot::SignedIn(s))),
                        Command::SignOut => vendor
                            .sign_out()
                            .await
                            .map(|_| (CommandOutcome::done(), SignedInOrNot::Other)),
                        _ => vendor
                            .execute(&cmd, &ctx)
                            .await
                            .map(|o| (o, SignedInOrNot::Other)),
                    };
                    let _ = tx.send(Msg::Done {
                        token,
                        cmd,
                        result,
                        reply: Some(reply),
                    });
                });
            }
        }
    }

    fn context(&self) -> CommandContext {
        CommandContext {
            agent: self.session.agent().clone(),
            calls: self.session.calls().to_vec(),
            presence: Some(self.session.presence().clone()),
            events: self.sink.clone(),
        }
    }

    fn effects(&mut self, effects: Vec<Effect>) {
        for e in effects {
            match e {
                Effect::RefreshPresence => self.refresh_presence(),
                Effect::SetPresence(p) => {
                    let cmd = match &p {
                        Presence::Ready => Command::SetReady,
                        Presence::NotReady { reason } => Command::SetNotReady {
                            reason: reason.clone().unwrap_or_else(|| "other".into()),
                        },
                        Presence::SignedOut => Command::SignOut,
                    };
                    let vendor = self.vendor.clone();
                    let ctx = self.context();
                    let tx = self.tx.clone();
                    tokio::spawn(async move {
                        let r = match &cmd {
                            Command::SignOut => {
                                vendor.sign_out().await.map(|_| CommandOutcome::done())
                            }
                            _ => vendor.execute(&cmd, &ctx).await,
                        };
                        let _ = tx.send(Msg::PresenceSet(p, r));
                    });
                }
            }
        }
    }

    fn refresh_presence(&self) {
        let vendor = self.vendor.clone();
        let tx = self.tx.clone();
        tokio::spawn(async move {
            let r = vendor.presence().await;
            let _ = tx.send(Msg::PresenceRead(r));
        });
    }

    fn poll_report(&mut self, r: PollReport) {
        let (now, now_ms) = self.now();
        let was_up = self.session.connection().is_up();
        let connection = match r {
            PollReport::Ok => Connection::Connected,
            PollReport::Failed {
                error,
                attempt,
                retry_in,
            } => {
                tracing::warn!(attempt, "server poll failed: {error}");
                match error {
                    CoreError::Auth { reason } => Connection::Failed { reason },
                    e => Connection::Reconnecting {
                        attempt,
                        reason: e.to_string(),
                        retry_in_ms: retry_in.as_millis() as u64,
                    },
                }
            }
        };
        let recovered = !was_up && connection.is_up();
        let events = self.session.set_connection(connection, now, now_ms);
        self.emit(events);
        if recovered && self.session.presence() != &Presence::SignedOut {
            // Whatever changed while we were away, the server's word is what counts.
            self.refresh_presence();
        }
        self.maybe_auto_sign_in();
    }

    /// Sends the configured sign-in at start, and again after it could not reach the server
    /// once the server answers (see `auto_sign_in`).
    fn maybe_auto_sign_in(&mut self) {
        let connected = self.session.connection().is_up();
        if self.auto_sign_in.due(connected, Instant::now()) {
            let (reply, _) = oneshot::channel();
            self.command(Command::SignIn, reply);
        }
    }

    fn tick(&mut self) {
        let (now, now_ms) = self.now();
        let mono = now.saturating_duration_since(self.last_mono).as_millis() as i64;
        let wall = now_ms - self.last_wall_ms;
        self.last_mono = now;
        self.last_wall_ms = now_ms;
        let threshold = self.session.config().clock_jump_threshold_ms as i64;
        if (wall - mono).abs() > threshold {
            tracing::warn!(
                jump_ms = wall - mono,
                "wall clock jumped: re-checking the server"
            );
            self.kick.notify_one();
            if self.session.presence() != &Presence::SignedOut {
                self.refresh_presence();
            }
        }
        let (events, effects) = self.session.tick(now, now_ms);
        self.emit(events);
        self.effects(effects);
        self.maybe_refresh_team(now);
    }

    fn maybe_refresh_team(&mut self, now: Instant) {
        let agent = self.session.agent();
        if !agent.supervisor
            || self.team_in_flight
            || !self.session.capabilities.supports(Operation::TeamStatus)
            || !self.session.connection().is_up()
        {
            return;
        }
        let every = Duration::from_millis(self.session.config().team_refresh_ms);
        if self
            .last_team
            .is_some_and(|t| now.saturating_duration_since(t) < every)
        {
            return;
        }
        self.last_team = Some(now);
        self.team_in_flight = true;
        let vendor = self.vendor.clone();
        let tx = self.tx.clone();
        tokio::spawn(async move {
            let _ = tx.send(Msg::Team(vendor.team().await));
        });
    }
}

fn event_name(k: &EventKind) -> &'static str {
    match k {
        EventKind::StateChanged { .. } => "state_changed",
        EventKind::CallOffered { .. } => "call_offered",
        EventKind::CallUpdated { .. } => "call_updated",
        EventKind::CallAnswered { .. } => "call_answered",
        EventKind::CallEnded { .. } => "call_ended",
        EventKind::CallMissed { .. } => "call_missed",
        EventKind::ConnectionChanged { .. } => "connection_changed",
        EventKind::PresenceQueued { .. } => "presence_queued",
        EventKind::WrapUpStarted { .. } => "wrap_up_started",
        EventKind::WrapUpEnded => "wrap_up_ended",
        EventKind::CommandSucceeded { .. } => "command_succeeded",
        EventKind::CommandFailed { .. } => "command_failed",
        EventKind::TeamUpdated { .. } => "team_updated",
        EventKind::Warning { .. } => "warning",
        EventKind::Ui { .. } => "ui",
        EventKind::CrmCallResult { .. } => "crm_call_result",
    }
}
