//! `Guoxin`: the `Vendor` implementation. Validates every input, then speaks the callctrl
//! interface (seed 002) through `Client`. Calls are learnt from pop notices when the server
//! reaches this PC ([`crate::push`]) and from the EXTNUM_STATE poll, reconciled in
//! [`crate::book`]. Sign-in and presence are in `session`, call control in `calls`, the consult
//! and its third-party state in `consult`, supervisor operations and the team view in
//! `supervisor`, the poll in `poll`, recordings and the call log in `records`, and the
//! server-placed calls and imports a CRM uses in `crm`.

mod calls;
mod consult;
mod crm;
mod crm_calls;
mod poll;
mod records;
mod session;
mod supervisor;

use crate::book::CallBook;
use crate::capabilities::capabilities;
use crate::client::{check_host, Client};
use crate::config::GuoxinConfig;
use crate::error::GuoxinError;
use crate::protocol::*;
use crate::push::{lock, GuoxinPush, PushKey};
use agentbar_core::clock::WallClock;
use agentbar_core::config::valid_reason;
use agentbar_core::push::PushReceiver;
use agentbar_core::vendor::{CommandContext, EventSink, SignedIn, VendorEvent};
use agentbar_core::*;
use async_trait::async_trait;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

pub use crm::RESULT_POLL_INTERVAL;

/// A consult in progress (CALL_THIRD), polled for the third party's state.
#[derive(Debug, Clone)]
struct Consult {
    call: CallId,
    target: String,
    last: Option<ThirdState>,
}

/// A conference the bar made, for CONFERENCE_JOIN: named by the caller it was created with.
#[derive(Debug, Clone)]
struct Conference {
    call: CallId,
    id: PhoneNumber,
    /// The parties the bar brought together, in joining order: the interface has no request
    /// that lists a conference's members (seed 9, 10, 12), so this is what the bar shows.
    members: Vec<String>,
}

/// What the adapter remembers between requests.
#[derive(Debug, Default)]
struct Memory {
    /// Guoxin has no log-in: the bar's own sign-in.
    signed_in: bool,
    /// The pause reason last sent, shown while the server says busy.
    last_reason: Option<String>,
    /// The presence last reported, for a presence word the seed does not list.
    last_presence: Option<Presence>,
    /// Bumped each time the bar sets the presence: a poll whose status table was read
    /// before the change finished must not report the old presence over the new one.
    presence_epoch: u64,
    consult: Option<Consult>,
    conference: Option<Conference>,
    /// The last status table and when it was read, for the team view.
    table: Option<(tokio::time::Instant, Vec<ExtState>)>,
    /// Events for the next poll.
    pending: Vec<VendorEvent>,
    /// Days between the server's date and ours, as learnt from the captcha password.
    captcha_skew_days: i64,
    /// Numbers the ids of CRM calls placed without one.
    next_task: u64,
}

pub struct Guoxin {
    cfg: GuoxinConfig,
    client: Client,
    ext: Extension,
    team: Vec<Extension>,
    ivr_ids: Vec<IvrId>,
    captcha_password: Option<CaptchaPassword>,
    book: Arc<Mutex<CallBook>>,
    push: Arc<GuoxinPush>,
    clock: Arc<dyn WallClock>,
    memory: Mutex<Memory>,
}

/// Checks a profile without building anything; the message names the field.
pub fn validate_config(c: &GuoxinConfig) -> Result<(), String> {
    check_host(&c.host)?;
    if c.port == 0 {
        return Err("port: 1-65535".into());
    }
    Extension::parse(&c.extension).map_err(|e| format!("extension: {e}"))?;
    if let Some(id) = &c.agent_id {
        if id.is_empty() || id.chars().count() > 64 || id.chars().any(char::is_control) {
            return Err("agent_id: 1-64 characters, no control characters".into());
        }
    }
    for t in &c.team_extensions {
        Extension::parse(t).map_err(|e| format!("team_extensions: {e}"))?;
    }
    for i in &c.ivr_ids {
        IvrId::parse(i).map_err(|e| format!("ivr_ids: {e}"))?;
    }
    if !valid_reason(&c.reducing_reason) {
        return Err("reducing_reason: 1-32 letters, digits, _ or -".into());
    }
    if c.reducing_reason == WRAP_UP_REASON {
        return Err("reducing_reason: not the wrap-up reason".into());
    }
    if !(500..=60_000).contains(&c.poll_interval_ms) {
        return Err("poll_interval_ms: 500-60000".into());
    }
    if c.push_key_required && !c.push {
        return Err("push_key_required: needs push = true".into());
    }
    if !(1000..=120_000).contains(&c.timeout_ms) {
        return Err("timeout_ms: 1000-120000".into());
    }
    if !(200..=60_000).contains(&c.result_poll_ms) {
        return Err("result_poll_ms: 200-60000".into());
    }
    if !(200..=30_000).contains(&c.third_state_timeout_ms) {
        return Err("third_state_timeout_ms: 200-30000".into());
    }
    if c.max_body_bytes < 1024 || c.max_recording_bytes < c.max_body_bytes {
        return Err("max_body_bytes >= 1024 and max_recording_bytes >= max_body_bytes".into());
    }
    Ok(())
}

fn invalid(e: ProtocolError) -> CoreError {
    GuoxinError::from(e).into()
}

impl Guoxin {
    /// Builds the adapter. `captcha_password` must be given exactly when the profile says
    /// `captcha_pwd_required = true`, `push_key` exactly when it says
    /// `push_key_required = true`.
    ///
    /// # Errors
    ///
    /// `InvalidInput` naming the field of a bad profile.
    pub fn new(
        cfg: GuoxinConfig,
        captcha_password: Option<CaptchaPassword>,
        push_key: Option<PushKey>,
        clock: Arc<dyn WallClock>,
    ) -> Result<Self, CoreError> {
        validate_config(&cfg).map_err(|reason| CoreError::invalid("config", reason))?;
        if cfg.push_key_required != push_key.is_some() {
            return Err(CoreError::invalid(
                "push_key",
                "push_key_required and the stored push key disagree",
            ));
        }
        if cfg.captcha_pwd_required != captcha_password.is_some() {
            return Err(CoreError::invalid(
                "captcha_password",
                "captcha_pwd_required and the stored captcha password disagree",
            ));
        }
        let client = Client::new(
            &cfg.host,
            cfg.port,
            cfg.url_charset,
            Duration::from_millis(cfg.timeout_ms),
            Duration::from_millis(cfg.third_state_timeout_ms),
            cfg.max_body_bytes,
            cfg.max_recording_bytes,
        )?;
        let ext = Extension::parse(&cfg.extension).map_err(invalid)?;
        let team = cfg
            .team_extensions
            .iter()
            .map(|t| Extension::parse(t))
            .collect::<Result<_, _>>()
            .map_err(invalid)?;
        let ivr_ids = cfg
            .ivr_ids
            .iter()
            .map(|i| IvrId::parse(i))
            .collect::<Result<_, _>>()
            .map_err(invalid)?;
        let book = Arc::new(Mutex::new(CallBook::new(ext.as_str())));
        let push = Arc::new(GuoxinPush::new(book.clone(), push_key, clock.clone()));
        Ok(Guoxin {
            cfg,
            client,
            ext,
            team,
            ivr_ids,
            captcha_password,
            book,
            push,
            clock,
            memory: Mutex::new(Memory::default()),
        })
    }

    /// The push receiver, also when the profile has no push (for tests and diagnostics).
    pub fn push(&self) -> Arc<GuoxinPush> {
        self.push.clone()
    }

    /// The profile.
    pub fn config(&self) -> &GuoxinConfig {
        &self.cfg
    }

    /// The interval the engine should poll at (`poll_interval_ms`).
    pub fn poll_interval(&self) -> Duration {
        self.cfg.poll_interval()
    }

    /// A poisoned lock still holds the best memory we have.
    fn memory(&self) -> MutexGuard<'_, Memory> {
        self.memory.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn book(&self) -> MutexGuard<'_, CallBook> {
        lock(&self.book)
    }

    /// Sends a request whose answer is its status.
    async fn control(&self, req: &Request) -> Result<(), CoreError> {
        self.client
            .control(req)
            .await
            .map(|_| ())
            .map_err(CoreError::from)
    }

    fn not_supported(&self, op: Operation) -> CoreError {
        CoreError::NotSupported {
            operation: op,
            vendor: "guoxin".into(),
            reason: capabilities(&self.cfg)
                .why_not(op)
                .unwrap_or_else(|| "not offered".into()),
        }
    }

    /// An IVR menu number, checked against `ivr_ids` when that list is set.
    fn ivr_id(&self, field: &'static str, id: &str) -> Result<IvrId, CoreError> {
        let id = IvrId::parse(id).map_err(|_| CoreError::invalid(field, "1-16 digits"))?;
        if !self.ivr_ids.is_empty() && !self.ivr_ids.contains(&id) {
            return Err(CoreError::invalid(
                field,
                "not one of the IVR menus of this profile (ivr_ids)",
            ));
        }
        Ok(id)
    }
}

#[async_trait]
impl Vendor for Guoxin {
    fn id(&self) -> &'static str {
        "guoxin"
    }

    fn capabilities(&self) -> CapabilitySet {
        capabilities(&self.cfg)
    }

    fn agent(&self) -> AgentInfo {
        AgentInfo {
            id: self.cfg.agent_id(),
            name: self.cfg.agent_name.clone(),
            extension: Some(self.cfg.extension.clone()),
            supervisor: self.cfg.supervisor,
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

    async fn presence(&self) -> Result<Presence, CoreError> {
        let table = self.read_table().await?;
        let row = self.own_row(&table)?;
        Ok(self.presence_from(&row))
    }

    async fn recording(&self, name: &str) -> Result<agentbar_core::vendor::Recording, CoreError> {
        self.fetch_recording(name).await
    }

    fn push_receiver(&self) -> Option<Arc<dyn PushReceiver>> {
        self.cfg
            .push
            .then(|| self.push.clone() as Arc<dyn PushReceiver>)
    }

    async fn team(&self) -> Result<TeamView, CoreError> {
        self.team_view().await
    }
}
