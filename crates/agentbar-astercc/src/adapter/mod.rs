//! `Astercc`: the `Vendor` implementation. Validates every input, then speaks the HTTP
//! interface (seed 4) through `Client`. Calls are learnt from pushed events when the server
//! reaches this PC ([`crate::push`]), else from the status poll. Sign-in and presence are in
//! `session`, call control in `calls`, supervisor operations and the team view in
//! `supervisor`, the poll in `poll`, recordings and data in `records`.

mod calls;
mod poll;
mod records;
mod session;
mod supervisor;

use crate::capabilities::capabilities;
use crate::client::{check_base_url, Client};
use crate::config::AsterccConfig;
use crate::error::AsterccError;
use crate::protocol::*;
use crate::push::{AsterccPush, PushKey};
use agentbar_core::clock::WallClock;
use agentbar_core::push::PushReceiver;
use agentbar_core::vendor::{CommandContext, EventSink, SignedIn, VendorEvent};
use agentbar_core::*;
use async_trait::async_trait;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

/// What the adapter remembers between requests.
#[derive(Debug, Default)]
struct Memory {
    /// The pause reason last sent, shown while the server says "pause".
    last_reason: Option<String>,
    /// The presence last seen outside a call (a call hides it in the status).
    last_presence: Option<Presence>,
    /// The server put the agent into after-call work.
    in_acw: bool,
    /// The agent's name per `AgentRealtime`.
    name: Option<String>,
    /// The agent a supervisor operation runs on.
    supervising: Option<AgentNo>,
    /// Events for the next poll (warnings from sign-in).
    pending: Vec<VendorEvent>,
    /// Without push: the call the status shows, by our own id.
    poll_call: Option<Call>,
    /// The last number dialled and when, to give a polled call its direction and number.
    last_dial: Option<(String, i64)>,
    /// `AgentRealtime` is not answered: read `AGENTSTATUS` instead.
    status_fallback: bool,
    /// Pushed calls that the previous poll already found without a call on the server.
    stale: Vec<CallId>,
    /// Polls in a row that saw a call on the server but none pushed.
    unpushed_polls: u32,
    /// Requests changing the agent's presence (sign-in, sign-out, pause) under way, and how
    /// many have started or ended: a poll that overlaps one does not report presence.
    changing: u32,
    changes: u64,
}

/// A request that changes the agent's presence on the server is under way. A poll whose
/// answer may predate the change (it overlaps the change) must not report presence, or the
/// bar would show the old presence again until the next poll.
struct Changing<'a>(&'a Astercc);

impl Drop for Changing<'_> {
    fn drop(&mut self) {
        let mut m = self.0.memory();
        m.changing = m.changing.saturating_sub(1);
        m.changes += 1;
    }
}

pub struct Astercc {
    cfg: AsterccConfig,
    client: Client,
    agent: AgentNo,
    phone: PhoneNumber,
    groups: Vec<GroupId>,
    team_groups: Vec<GroupId>,
    queues: Vec<QueueNum>,
    dial_group: Option<GroupId>,
    model_id: ModelId,
    extras: DialExtras,
    device_exten: Option<PhoneNumber>,
    push: Arc<AsterccPush>,
    clock: Arc<dyn WallClock>,
    memory: Mutex<Memory>,
}

fn list<T>(
    items: &[String],
    parse: impl Fn(&str) -> Result<T, ProtocolError>,
    field: &str,
) -> Result<Vec<T>, String> {
    items
        .iter()
        .map(|s| parse(s).map_err(|e| format!("{field}: {e}")))
        .collect()
}

fn opt<T>(
    v: &Option<String>,
    parse: impl Fn(&str) -> Result<T, ProtocolError>,
    field: &str,
) -> Result<Option<T>, String> {
    v.as_deref()
        .map(|s| parse(s).map_err(|e| format!("{field}: {e}")))
        .transpose()
}

/// Checks a profile without building anything; the message names the field.
pub fn validate_config(c: &AsterccConfig) -> Result<(), String> {
    check_base_url(&c.base_url)?;
    OrgIdentity::parse(&c.orgidentity).map_err(|e| format!("orgidentity: {e}"))?;
    AgentNo::parse(&c.agent).map_err(|e| format!("agent: {e}"))?;
    PhoneNumber::parse(&c.extension).map_err(|e| format!("extension: {e}"))?;
    list(&c.phone_numbers, PhoneNumber::parse, "phone_numbers")?;
    list(&c.agent_groups, GroupId::parse, "agent_groups")?;
    list(&c.team_groups, GroupId::parse, "team_groups")?;
    list(&c.queues, QueueNum::parse, "queues")?;
    opt(&c.device_exten, PhoneNumber::parse, "device_exten")?;
    opt(&c.dial.group, GroupId::parse, "dial.group")?;
    ModelId::parse(&c.dial.model_id).map_err(|e| format!("dial.model_id: {e}"))?;
    opt(&c.dial.callerid, PhoneNumber::parse, "dial.callerid")?;
    opt(&c.dial.callername, CallerName::parse, "dial.callername")?;
    opt(
        &c.dial.trunkidentity,
        TrunkIdentity::parse,
        "dial.trunkidentity",
    )?;
    opt(&c.dial.agentexten, PhoneNumber::parse, "dial.agentexten")?;
    if c.dial.inner_max_len > 16 {
        return Err("dial.inner_max_len: at most 16".into());
    }
    if c.push_key_required && !c.push {
        return Err("push_key_required: needs push = true".into());
    }
    if !(1000..=120_000).contains(&c.timeout_ms) || c.max_body_bytes < 1024 {
        return Err("timeout_ms 1000-120000 and max_body_bytes >= 1024 are needed".into());
    }
    Ok(())
}

fn ok<T>(r: Result<T, String>) -> Result<T, CoreError> {
    r.map_err(|reason| CoreError::invalid("config", reason))
}

fn invalid(e: ProtocolError) -> CoreError {
    AsterccError::from(e).into()
}

impl Astercc {
    /// Builds the adapter. `push_key` must be given exactly when the profile says
    /// `push_key_required = true`.
    ///
    /// # Errors
    ///
    /// `InvalidInput` naming the field of a bad profile.
    pub fn new(
        cfg: AsterccConfig,
        password: Password,
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
        let creds = Credentials::new(
            OrgIdentity::parse(&cfg.orgidentity).map_err(invalid)?,
            cfg.usertype,
            AgentNo::parse(&cfg.agent).map_err(invalid)?,
            cfg.pwdtype,
            &password,
        );
        let client = Client::new(
            &cfg.base_url,
            creds,
            cfg.method,
            Duration::from_millis(cfg.timeout_ms),
            cfg.max_body_bytes,
        )?;
        let groups = ok(list(&cfg.agent_groups, GroupId::parse, "agent_groups"))?;
        let dial_group = ok(opt(&cfg.dial.group, GroupId::parse, "dial.group"))?
            .or_else(|| groups.first().cloned());
        let extras = DialExtras {
            agentexten: ok(opt(
                &cfg.dial.agentexten,
                PhoneNumber::parse,
                "dial.agentexten",
            ))?,
            callerid: ok(opt(&cfg.dial.callerid, PhoneNumber::parse, "dial.callerid"))?,
            callername: ok(opt(
                &cfg.dial.callername,
                CallerName::parse,
                "dial.callername",
            ))?,
            trunkidentity: ok(opt(
                &cfg.dial.trunkidentity,
                TrunkIdentity::parse,
                "dial.trunkidentity",
            ))?,
            cidtype: cfg.dial.cidtype,
        };
        let phones: Vec<String> = std::iter::once(cfg.extension.clone())
            .chain(cfg.phone_numbers.iter().cloned())
            .collect();
        Ok(Astercc {
            agent: AgentNo::parse(&cfg.agent).map_err(invalid)?,
            phone: PhoneNumber::parse(&cfg.extension).map_err(invalid)?,
            team_groups: ok(list(&cfg.team_groups, GroupId::parse, "team_groups"))?,
            queues: ok(list(&cfg.queues, QueueNum::parse, "queues"))?,
            model_id: ModelId::parse(&cfg.dial.model_id).map_err(invalid)?,
            device_exten: ok(opt(&cfg.device_exten, PhoneNumber::parse, "device_exten"))?,
            push: Arc::new(AsterccPush::new(phones, push_key, clock.clone())),
            groups,
            dial_group,
            extras,
            client,
            clock,
            cfg,
            memory: Mutex::new(Memory::default()),
        })
    }

    /// The push receiver, also when the profile has no push (for tests and diagnostics).
    pub fn push(&self) -> Arc<AsterccPush> {
        self.push.clone()
    }

    /// A poisoned lock still holds the best memory we have.
    fn memory(&self) -> MutexGuard<'_, Memory> {
        self.memory.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Marks a presence change under way until the guard is dropped.
    fn changing(&self) -> Changing<'_> {
        let mut m = self.memory();
        m.changing += 1;
        m.changes += 1;
        Changing(self)
    }

    async fn call(&self, req: &Request) -> Result<Reply, CoreError> {
        self.client.call(req).await.map_err(CoreError::from)
    }

    fn not_supported(&self, op: Operation) -> CoreError {
        CoreError::NotSupported {
            operation: op,
            vendor: "astercc".into(),
            reason: capabilities(&self.cfg)
                .why_not(op)
                .unwrap_or_else(|| "not offered".into()),
        }
    }
}

#[async_trait]
impl Vendor for Astercc {
    fn id(&self) -> &'static str {
        "astercc"
    }

    fn capabilities(&self) -> CapabilitySet {
        capabilities(&self.cfg)
    }

    fn agent(&self) -> AgentInfo {
        AgentInfo {
            id: self.cfg.agent.clone(),
            name: self.cfg.agent_name.clone(),
            extension: Some(self.cfg.extension.clone()),
            supervisor: self.cfg.supervisor,
        }
    }

    async fn sign_in(&self) -> Result<SignedIn, CoreError> {
        let _changing = self.changing();
        self.sign_in_now().await
    }

    async fn sign_out(&self) -> Result<(), CoreError> {
        let _changing = self.changing();
        self.sign_out_now().await
    }

    async fn execute(
        &self,
        cmd: &Command,
        ctx: &CommandContext,
    ) -> Result<CommandOutcome, CoreError> {
        self.control(cmd, ctx).await
    }

    async fn poll(&self, sink: &EventSink) -> Result<(), CoreError> {
        self.poll_once(sink).await
    }

    async fn presence(&self) -> Result<Presence, CoreError> {
        let word = self.read_status().await?;
        Ok(self.presence_from(&word))
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
