//! `Mvb2000`: the `Vendor` implementation. Validates every input, then speaks WEBCTI2
//! through `Client`; calls are learnt by polling `getpopupscreen` (seed 1.5.5, 18).
//! Call control is in `calls`, the poll in `poll`, supervisor operations in `supervisor`.

mod calls;
mod poll;
mod supervisor;

use crate::capabilities::capabilities;
use crate::client::Client;
use crate::config::{DialMode, Mvb2000Config};
use crate::error::Mvb2000Error;
use crate::protocol::*;
use crate::tracker::{Change, Leg, Tracker};
use agentbar_core::clock::WallClock;
use agentbar_core::vendor::{CommandContext, EventSink, SignedIn};
use agentbar_core::*;
use async_trait::async_trait;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Variables of the caller's channel that carry the pop-up data (seed 29).
const POP_VARS: [&str; 5] = [
    "MVB_DNID",
    "MVB_ANI",
    "MVB_QUEUENAME",
    "MVB_HOLDTIME",
    "MVB_IVRHIST",
];

/// Supervisor originates wait for the supervisor's phone (seed 5.3, 7.3: timeout 10000).
const SPY_TIMEOUT_MS: u32 = 10_000;
const DIAL_TIMEOUT_MS: u32 = 30_000;

pub struct Mvb2000 {
    cfg: Mvb2000Config,
    client: Client,
    extension: Extension,
    context: Context,
    conference_context: Context,
    trunk: Channel,
    queues: Vec<QueueNo>,
    display: Option<PhoneNumber>,
    /// The agent's dial interface: configured, or learnt from `ctigetdevice` at sign-in.
    interface: Mutex<Option<Channel>>,
    tracker: Mutex<Tracker>,
    room_seq: AtomicU32,
    clock: Arc<dyn WallClock>,
}

/// Checks a profile without building anything; the message names the field.
pub fn validate_config(c: &Mvb2000Config) -> Result<(), String> {
    if !(c.base_url.starts_with("http://") || c.base_url.starts_with("https://")) {
        return Err("base_url: must start with http:// or https://".into());
    }
    if c.agent_id.is_empty()
        || c.agent_id.len() > 32
        || !c.agent_id.chars().all(|ch| ch.is_ascii_alphanumeric())
    {
        return Err("agent_id: 1-32 letters or digits".into());
    }
    Extension::parse(&c.extension).map_err(|e| format!("extension: {e}"))?;
    if let Some(i) = &c.interface {
        Channel::parse(i).map_err(|e| format!("interface: {e}"))?;
    }
    for q in &c.queues {
        QueueNo::parse(q).map_err(|e| format!("queues: {e}"))?;
    }
    for t in &c.team {
        Extension::parse(t).map_err(|e| format!("team: {e}"))?;
    }
    if let Some(d) = &c.display_number {
        PhoneNumber::parse(d).map_err(|e| format!("display_number: {e}"))?;
    }
    Channel::parse(&c.trunk).map_err(|e| format!("trunk: {e}"))?;
    Context::parse(&c.context).map_err(|e| format!("context: {e}"))?;
    Context::parse(&c.conference_context).map_err(|e| format!("conference_context: {e}"))?;
    if c.timeout_ms < 1000 || c.max_body_bytes < 1024 {
        return Err("timeout_ms >= 1000 and max_body_bytes >= 1024 are needed".into());
    }
    Ok(())
}

fn invalid(e: ProtocolError) -> CoreError {
    Mvb2000Error::from(e).into()
}

impl Mvb2000 {
    pub fn new(
        cfg: Mvb2000Config,
        web_key: WebKey,
        clock: Arc<dyn WallClock>,
    ) -> Result<Self, CoreError> {
        validate_config(&cfg).map_err(|reason| CoreError::invalid("config", reason))?;
        let client = Client::new(
            &cfg.base_url,
            web_key,
            cfg.format,
            Duration::from_millis(cfg.timeout_ms),
            cfg.max_body_bytes,
            clock.clone(),
        )?;
        let interface = cfg
            .interface
            .as_deref()
            .map(Channel::parse)
            .transpose()
            .map_err(invalid)?;
        Ok(Mvb2000 {
            extension: Extension::parse(&cfg.extension).map_err(invalid)?,
            context: Context::parse(&cfg.context).map_err(invalid)?,
            conference_context: Context::parse(&cfg.conference_context).map_err(invalid)?,
            trunk: Channel::parse(&cfg.trunk).map_err(invalid)?,
            queues: cfg
                .queues
                .iter()
                .map(|q| QueueNo::parse(q))
                .collect::<Result<_, _>>()
                .map_err(invalid)?,
            display: cfg
                .display_number
                .as_deref()
                .map(PhoneNumber::parse)
                .transpose()
                .map_err(invalid)?,
            interface: Mutex::new(interface),
            tracker: Mutex::new(Tracker::default()),
            room_seq: AtomicU32::new(0),
            client,
            cfg,
            clock,
        })
    }

    /// The call tracker. A lock poisoned by a panicking thread still holds the best map we
    /// have, so it is used rather than turned into a second panic.
    fn tracker(&self) -> std::sync::MutexGuard<'_, Tracker> {
        self.tracker.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn interface_slot(&self) -> std::sync::MutexGuard<'_, Option<Channel>> {
        self.interface.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The active call and its consult leg.
    fn consulting(&self, ctx: &CommandContext, op: Operation) -> Result<(Leg, Leg), CoreError> {
        let leg = self.leg_for(None, ctx, op)?;
        let consult = self.tracker().consult_leg(&leg.uniqueid).cloned();
        let consult = consult.ok_or_else(|| CoreError::state(op, "no consult call"))?;
        Ok((leg, consult))
    }

    async fn call(&self, req: &Request) -> Result<Envelope, CoreError> {
        self.client.call(req).await.map_err(CoreError::from)
    }

    /// The dial interface; asks `ctigetdevice` the first time when not configured.
    async fn interface(&self) -> Result<Channel, CoreError> {
        if let Some(i) = self.interface_slot().clone() {
            return Ok(i);
        }
        let env = self.call(&get_device(&self.extension)).await?;
        let row = env.first_row().ok_or_else(|| CoreError::Protocol {
            reason: "ctigetdevice returned no row".into(),
        })?;
        let info = DeviceInfo::try_from(row).map_err(invalid)?;
        if info.errcode.is_some_and(|c| c != 0) {
            return Err(CoreError::Server {
                code: info.errcode.unwrap_or_default().to_string(),
                message: format!("ctigetdevice refused device {}", self.extension),
            });
        }
        let ch = Channel::parse(&info.dial).map_err(|_| CoreError::Protocol {
            reason: "ctigetdevice returned an invalid dial interface".into(),
        })?;
        *self.interface_slot() = Some(ch.clone());
        Ok(ch)
    }

    /// The channel that reaches `number`: an extension directly, anything longer through
    /// the trunk.
    fn party_channel(&self, number: &PhoneNumber, own: &Channel) -> Result<Channel, CoreError> {
        let n = number.as_str();
        let text = if n.len() <= self.cfg.internal_max_len && n.chars().all(|c| c.is_ascii_digit())
        {
            let tech = own.as_str().split('/').next().unwrap_or("SIP");
            format!("{tech}/{n}")
        } else {
            format!("{}/{n}", self.trunk.as_str())
        };
        Channel::parse(&text).map_err(invalid)
    }

    fn opts(&self, timeout_ms: u32) -> OriginateOptions {
        OriginateOptions {
            timeout_ms: Some(timeout_ms),
            callerid: self.display.clone(),
            asynchronous: Some(true),
        }
    }

    /// The leg of the call a command is about: the one named, else the active one.
    fn leg_for(
        &self,
        call: Option<&CallId>,
        ctx: &CommandContext,
        op: Operation,
    ) -> Result<Leg, CoreError> {
        let id = call
            .or_else(|| ctx.active_call().map(|c| &c.id))
            .ok_or_else(|| CoreError::state(op, "no call"))?;
        self.tracker()
            .leg(id.as_str())
            .cloned()
            .ok_or_else(|| CoreError::NotFound {
                what: format!("call {id} on the server"),
            })
    }

    fn peer(&self, leg: &Leg, op: Operation) -> Result<Channel, CoreError> {
        Channel::parse(&leg.peer_channel)
            .map_err(|_| CoreError::state(op, "the call has no connected party yet"))
    }

    /// A MeetMe room number unique enough for one PC (seed 6.3: generate it dynamically).
    fn new_room(&self) -> Result<RoomNo, CoreError> {
        let seq = self.room_seq.fetch_add(1, Ordering::Relaxed) % 100;
        let secs = (self.clock.now_ms() / 1000) % 1_000_000;
        RoomNo::parse(&format!("{}{secs:06}{seq:02}", 9)).map_err(invalid)
    }

    /// The agent's memberships in its configured queues (all queues when none configured).
    async fn memberships(&self, iface: &Channel) -> Result<Vec<QueueMember>, CoreError> {
        let env = self.call(&queue_members(None, None)).await?;
        Ok(env
            .data
            .iter()
            .filter_map(|r| QueueMember::try_from(r).ok())
            .filter(|m| m.agent == iface.as_str())
            .filter(|m| self.queues.is_empty() || self.queues.iter().any(|q| q.as_str() == m.queue))
            .collect())
    }

    async fn pause_all(&self, paused: bool) -> Result<(), CoreError> {
        let iface = self.interface().await?;
        for q in &self.queues {
            self.call(&queue_pause(q, &iface, paused)).await?;
        }
        Ok(())
    }
}

#[async_trait]
impl Vendor for Mvb2000 {
    fn id(&self) -> &'static str {
        "mvb2000"
    }

    fn capabilities(&self) -> CapabilitySet {
        capabilities()
    }

    fn agent(&self) -> AgentInfo {
        AgentInfo {
            id: self.cfg.agent_id.clone(),
            name: self.cfg.agent_name.clone(),
            extension: Some(self.cfg.extension.clone()),
            supervisor: self.cfg.supervisor,
        }
    }

    async fn sign_in(&self) -> Result<SignedIn, CoreError> {
        if self.cfg.bind_device {
            // Seed 1.5.4: a device already bound must be split before binding.
            let user = Extension::parse(&self.cfg.agent_id).map_err(invalid)?;
            let env = self.call(&get_device(&self.extension)).await?;
            let bound = env
                .first_row()
                .and_then(|r| r.get("user"))
                .unwrap_or_default()
                .to_string();
            if !bound.is_empty() && bound != user.as_str() {
                self.call(&split_device(&self.extension)).await?;
            }
            if bound != user.as_str() {
                self.call(&bind_device(&self.extension, &user)).await?;
            }
        }
        let iface = self.interface().await?;
        // Signing in twice (a restarted bar, a second click) must not fail on "already there".
        let member_of = self.memberships(&iface).await?;
        for q in self
            .queues
            .iter()
            .filter(|q| !member_of.iter().any(|m| m.queue == q.as_str()))
        {
            self.call(&queue_add(q, &iface, None)).await?;
        }
        let presence = self.presence().await?;
        Ok(SignedIn {
            agent: self.agent(),
            presence,
        })
    }

    async fn sign_out(&self) -> Result<(), CoreError> {
        let iface = self.interface().await?;
        let member_of = self.memberships(&iface).await?;
        for q in self
            .queues
            .iter()
            .filter(|q| member_of.iter().any(|m| m.queue == q.as_str()))
        {
            self.call(&queue_remove(q, &iface)).await?;
        }
        if self.cfg.bind_device {
            self.call(&split_device(&self.extension)).await?;
        }
        Ok(())
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

    async fn recording(&self, name: &str) -> Result<agentbar_core::vendor::Recording, CoreError> {
        // `ctigetchanneldetail` gives the name without extension (seed 19.5); `getmonitor`
        // wants the file's name (seed 12.3: `...1249550694.0.WAV`).
        let lower = name.to_ascii_lowercase();
        let name = if [".wav", ".mp3", ".gsm"].iter().any(|e| lower.ends_with(e)) {
            name.to_string()
        } else {
            format!("{name}.WAV")
        };
        let file = RecordingFile::parse(&name).map_err(invalid)?;
        let bytes = self.client.download(&monitor_file(&file, true)).await?;
        Ok(agentbar_core::vendor::Recording {
            content_type: "audio/mpeg".into(),
            bytes,
        })
    }

    async fn presence(&self) -> Result<Presence, CoreError> {
        let iface = self.interface().await?;
        let mine = self.memberships(&iface).await?;
        Ok(if mine.is_empty() {
            Presence::SignedOut
        } else if mine.iter().all(|m| m.paused) {
            Presence::NotReady { reason: None }
        } else {
            Presence::Ready
        })
    }
    async fn team(&self) -> Result<TeamView, CoreError> {
        self.team_view().await
    }
}
