//! `Hu800`: the `Vendor` implementation. Validates every input, then speaks the jsondata.html
//! API (seed 004) through `Client`. Calls are learnt from the long poll (`events`: the water
//! line, recvMsg, [`crate::inbox`]) and from pushes ([`crate::push`]), folded in
//! [`crate::book`]. Sign-in and presence are in `session`, call control in `calls`, the call
//! record and recordings in `records`.

mod calls;
mod events;
mod records;
mod session;

use crate::book::CallBook;
use crate::capabilities::capabilities;
use crate::client::Client;
use crate::config::{check_base_url, validate_config, Hu800Config};
use crate::error::Hu800Error;
use crate::inbox::Inbox;
use crate::protocol::*;
use crate::push::{lock, Hu800Push, PushKey};
use agentbar_core::clock::WallClock;
use agentbar_core::push::PushReceiver;
use agentbar_core::vendor::{CommandContext, EventSink, EventSource, SignedIn, VendorEvent};
use agentbar_core::*;
use async_trait::async_trait;
use std::sync::{Arc, Mutex, MutexGuard};

pub use records::NewExtension;

/// What the adapter remembers between requests.
#[derive(Debug)]
struct Memory {
    /// getExtension's answer, while the session holds.
    login: Option<Login>,
    /// What the bar last set: 800hu documents no presence read.
    presence: Presence,
}

pub struct Hu800 {
    cfg: Hu800Config,
    client: Client,
    ready: StatusValue,
    not_ready: StatusValue,
    book: Arc<Mutex<CallBook>>,
    inbox: Mutex<Inbox>,
    push: Arc<Hu800Push>,
    clock: Arc<dyn WallClock>,
    memory: Mutex<Memory>,
}

fn invalid(e: ProtocolError) -> CoreError {
    Hu800Error::from(e).into()
}

impl Hu800 {
    /// Builds the adapter. `push_key` must be given exactly when the profile says
    /// `push_key_required = true`.
    ///
    /// # Errors
    ///
    /// `InvalidInput` naming the field of a bad profile.
    pub fn new(
        cfg: Hu800Config,
        password: Password,
        push_key: Option<PushKey>,
        clock: Arc<dyn WallClock>,
    ) -> Result<Hu800, CoreError> {
        validate_config(&cfg).map_err(|reason| CoreError::invalid("config", reason))?;
        if cfg.push_key_required != push_key.is_some() {
            return Err(CoreError::invalid(
                "push_key",
                "push_key_required and the stored push key disagree",
            ));
        }
        let base = check_base_url(&cfg.base_url).map_err(|r| CoreError::invalid("config", r))?;
        let creds = Credentials::new(SaUser::parse(&cfg.user).map_err(invalid)?, &password);
        let client = Client::new(
            &base,
            creds,
            cfg.timeout(),
            cfg.max_body_bytes,
            cfg.max_recording_bytes,
        )?;
        let book = Arc::new(Mutex::new(CallBook::new(&cfg.user)));
        let push = Arc::new(Hu800Push::new(book.clone(), push_key, clock.clone()));
        Ok(Hu800 {
            ready: StatusValue::parse(&cfg.ready_status).map_err(invalid)?,
            not_ready: StatusValue::parse(&cfg.not_ready_status).map_err(invalid)?,
            cfg,
            client,
            book,
            inbox: Mutex::new(Inbox::default()),
            push,
            clock,
            memory: Mutex::new(Memory {
                login: None,
                presence: Presence::SignedOut,
            }),
        })
    }

    /// The push receiver, also when the profile has no push (for tests and diagnostics).
    pub fn push(&self) -> Arc<Hu800Push> {
        self.push.clone()
    }

    /// The profile.
    pub fn config(&self) -> &Hu800Config {
        &self.cfg
    }

    /// What getExtension said at the last log-in: the account, `disablePhoneNum` (calls are
    /// also marked `masked`), `exteLoginType`, the handles of the session.
    pub fn login_info(&self) -> Option<Login> {
        self.memory().login.clone()
    }

    /// A poisoned lock still holds the best memory we have.
    fn memory(&self) -> MutexGuard<'_, Memory> {
        self.memory.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn inbox(&self) -> MutexGuard<'_, Inbox> {
        self.inbox.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn book(&self) -> MutexGuard<'_, CallBook> {
        lock(&self.book)
    }

    async fn call(&self, req: &Request) -> Result<Reply, CoreError> {
        self.client.call(req).await.map_err(CoreError::from)
    }

    fn not_supported(&self, op: Operation) -> CoreError {
        CoreError::NotSupported {
            operation: op,
            vendor: "800hu".into(),
            reason: capabilities()
                .why_not(op)
                .unwrap_or_else(|| "not offered".into()),
        }
    }
}

#[async_trait]
impl Vendor for Hu800 {
    fn id(&self) -> &'static str {
        "800hu"
    }

    fn capabilities(&self) -> CapabilitySet {
        capabilities()
    }

    fn event_source(&self) -> EventSource {
        EventSource::LongPoll
    }

    fn agent(&self) -> AgentInfo {
        AgentInfo {
            id: self.cfg.user.clone(),
            name: self.cfg.agent_name.clone(),
            extension: None,
            supervisor: false,
        }
    }

    async fn sign_in(&self) -> Result<SignedIn, CoreError> {
        self.sign_in_now().await
    }

    async fn sign_out(&self) -> Result<(), CoreError> {
        self.sign_out_now().await
    }

    async fn execute(
        &self,
        cmd: &Command,
        ctx: &CommandContext,
    ) -> Result<CommandOutcome, CoreError> {
        self.run(cmd, ctx).await
    }

    async fn poll(&self, sink: &EventSink) -> Result<(), CoreError> {
        self.poll_once(sink).await
    }

    /// What the bar last set. 800hu documents no request that reads an agent's state (its web
    /// client reads `voip/extensionmanager/loadmonitor.jsonp`, whose answer is not
    /// documented), so the bar's own record is the best there is.
    async fn presence(&self) -> Result<Presence, CoreError> {
        Ok(self.memory().presence.clone())
    }

    async fn recording(&self, name: &str) -> Result<agentbar_core::vendor::Recording, CoreError> {
        self.fetch_recording(name).await
    }

    fn push_receiver(&self) -> Option<Arc<dyn PushReceiver>> {
        self.cfg
            .push
            .then(|| self.push.clone() as Arc<dyn PushReceiver>)
    }
}
