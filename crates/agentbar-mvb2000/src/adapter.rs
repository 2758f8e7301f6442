//! `Mvb2000`: the `Vendor` implementation. Validates every input, then speaks WEBCTI2
//! through `Client`; calls are learnt by polling `getpopupscreen` (seed 1.5.5, 18).

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

    async fn call(&self, req: &Request) -> Result<Envelope, CoreError> {
        self.client.call(req).await.map_err(CoreError::from)
    }

    /// The dial interface; asks `ctigetdevice` the first time when not configured.
    async fn interface(&self) -> Result<Channel, CoreError> {
        if let Some(i) = self.interface.lock().expect("interface lock").clone() {
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
        *self.interface.lock().expect("interface lock") = Some(ch.clone());
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
        self.tracker
            .lock()
            .expect("tracker lock")
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

    async fn conference(
        &self,
        ctx: &CommandContext,
        target: Option<&String>,
    ) -> Result<CommandOutcome, CoreError> {
        let op = Operation::Conference;
        let target = target.ok_or_else(|| {
            CoreError::invalid("target", "MVB2000 needs the third party's number")
        })?;
        let number = PhoneNumber::parse(target).map_err(invalid)?;
        let leg = self.leg_for(None, ctx, op)?;
        let own =
            Channel::parse(&leg.channel).map_err(|_| CoreError::state(op, "no active channel"))?;
        let customer = self.peer(&leg, op)?;
        let iface = self.interface().await?;
        let third = self.party_channel(&number, &iface)?;
        let room = self.new_room()?;
        let exten = DialExten::parse(room.as_str()).map_err(invalid)?;
        // Seed sec 8: call the third party into a new dynamic room, then move both legs of
        // the current call into it.
        let opts = OriginateOptions {
            timeout_ms: Some(SPY_TIMEOUT_MS),
            callerid: self.display.clone(),
            asynchronous: None,
        };
        self.call(&originate_meetme(&third, &room, MeetMeJoin::Create, &opts))
            .await?;
        self.call(&redirect_dual(
            &customer,
            &own,
            &self.conference_context,
            &exten,
        ))
        .await?;
        self.tracker
            .lock()
            .expect("tracker lock")
            .enter_conference(leg.uniqueid.as_str(), room.as_str());
        let members = self.meetme_members(&room).await.unwrap_or_default();
        Ok(CommandOutcome {
            message: None,
            data: Some(serde_json::json!({ "room": room.as_str(), "members": members.len() })),
        })
    }

    async fn meetme_members(&self, room: &RoomNo) -> Result<Vec<ConferenceMember>, CoreError> {
        let env = self
            .call(&meetme_command(&MeetMeCommand::List(room.clone())))
            .await?;
        let text = env
            .first_row()
            .and_then(|r| r.get("result"))
            .unwrap_or_default();
        Ok(parse_meetme_list(text)
            .members
            .into_iter()
            .map(|m| ConferenceMember {
                member: m.user_no,
                number: m.number,
                name: m.name,
                channel: Some(m.channel),
            })
            .collect())
    }

    /// Pop-up data from the caller's channel (seed 19, 29), sent as details of the call.
    async fn enrich(&self, leg: &Leg, sink: &EventSink) {
        let Ok(peer) = Channel::parse(&leg.peer_channel) else {
            return;
        };
        let mut details = CallDetails::default();
        let names: Vec<VarName> = POP_VARS
            .iter()
            .filter_map(|v| VarName::parse(v).ok())
            .collect();
        match get_vars(&peer, &names) {
            Ok(req) => match self.client.call(&req).await {
                Ok(env) => {
                    for (k, v) in vars_from_rows(&names, &env.data) {
                        if v.is_empty() {
                            continue;
                        }
                        match k.as_str() {
                            "MVB_DNID" => details.did = Some(v),
                            "MVB_QUEUENAME" => details.queue = Some(v),
                            "MVB_HOLDTIME" => details.hold_time_secs = v.trim().parse().ok(),
                            "MVB_IVRHIST" => details.ivr_keys = Some(v),
                            // The original caller matters only when it differs from the
                            // number shown (a forwarded call).
                            "MVB_ANI" if v == leg.remote => {}
                            "MVB_ANI" => {
                                details.attached.insert("original_caller".into(), v);
                            }
                            _ => {
                                details.attached.insert(k, v);
                            }
                        }
                    }
                }
                Err(e) => tracing::warn!("ctigetvars failed: {e}"),
            },
            Err(e) => tracing::warn!("ctigetvars request: {e}"),
        }
        match self
            .client
            .call(&channel_detail(&peer, DetailTarget::Current, None))
            .await
        {
            Ok(env) => {
                if let Some(d) = env
                    .first_row()
                    .and_then(|r| ChannelDetail::try_from(r).ok())
                {
                    let some = |s: &str| Some(s.to_string()).filter(|s| !s.is_empty());
                    details.did = details.did.or(some(&d.did));
                    details.queue = details.queue.or(some(&d.queueenum));
                    details.ivr_keys = details.ivr_keys.or(some(&d.ivrhist));
                    details.hold_time_secs =
                        details.hold_time_secs.or(d.holdtime.trim().parse().ok());
                    details.recording = some(&d.monitorfile);
                    if !(d.city.is_empty() && d.province.is_empty() && d.areacode.is_empty()) {
                        details.area = Some(Area {
                            areacode: some(&d.areacode),
                            city: some(&d.city),
                            province: some(&d.province),
                        });
                    }
                }
            }
            Err(e) => tracing::warn!("ctigetchanneldetail failed: {e}"),
        }
        if details != CallDetails::default() {
            sink.send(VendorEvent::CallDetails {
                id: CallId::new(&leg.uniqueid),
                details,
            });
        }
    }

    async fn spy(&self, agent: &str, mode: SpyMode) -> Result<CommandOutcome, CoreError> {
        let target = Extension::parse(agent).map_err(invalid)?;
        let own = self.interface().await?;
        let callerid = PhoneNumber::parse(target.as_str()).ok();
        // Seed 5.3 / 7.3: async=no, timeout 10000, callerid the spied extension.
        let opts = OriginateOptions {
            timeout_ms: Some(SPY_TIMEOUT_MS),
            callerid,
            asynchronous: Some(false),
        };
        self.call(&originate_chanspy(&own, &target, mode, &opts))
            .await?;
        Ok(CommandOutcome::done())
    }

    async fn force_release(&self, agent: &str) -> Result<CommandOutcome, CoreError> {
        let target = Extension::parse(agent).map_err(invalid)?;
        let own = self.interface().await?;
        let tech = own.as_str().split('/').next().unwrap_or("SIP");
        let iface = Channel::parse(&format!("{tech}/{}", target.as_str())).map_err(invalid)?;
        let env = self.call(&popup_screen(&iface)).await?;
        let mut cut = 0;
        for row in &env.data {
            if let Ok(e) = PopupEntry::try_from(row) {
                if let Ok(ch) = Channel::parse(&e.channel) {
                    self.call(&hangup(&ch)).await?;
                    cut += 1;
                }
            }
        }
        if cut == 0 {
            return Err(CoreError::state(
                Operation::ForceRelease,
                format!("{agent} has no call"),
            ));
        }
        Ok(CommandOutcome::done())
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
        let op = cmd.operation();
        match cmd {
            Command::SetReady => self.pause_all(false).await.map(|_| CommandOutcome::done()),
            Command::SetNotReady { .. } => {
                self.pause_all(true).await.map(|_| CommandOutcome::done())
            }
            Command::Dial { number, .. } => {
                let number = PhoneNumber::parse(number).map_err(invalid)?;
                let iface = self.interface().await?;
                let opts = self.opts(DIAL_TIMEOUT_MS);
                let req = match self.cfg.dial_mode {
                    DialMode::AgentFirst => originate_agent_first(
                        &iface,
                        &self.extension,
                        &number,
                        &self.context,
                        &opts,
                    ),
                    DialMode::TrunkFirst => originate_trunk_first(
                        &self.trunk,
                        &number,
                        &self.extension,
                        &self.context,
                        &opts,
                    ),
                };
                self.call(&req).await.map(|_| CommandOutcome::done())
            }
            Command::Hangup { call } => {
                let leg = self.leg_for(call.as_ref(), ctx, op)?;
                let ch = Channel::parse(&leg.channel).map_err(invalid)?;
                self.call(&hangup(&ch))
                    .await
                    .map(|_| CommandOutcome::done())
            }
            Command::Transfer { target } => {
                let exten = DialExten::parse(target).map_err(invalid)?;
                let leg = self.leg_for(None, ctx, op)?;
                let customer = self.peer(&leg, op)?;
                self.call(&redirect(&customer, &self.context, &exten))
                    .await
                    .map(|_| CommandOutcome::done())
            }
            Command::ToIvr { target } => {
                let ivr = Context::parse(target).map_err(invalid)?;
                let leg = self.leg_for(None, ctx, op)?;
                let customer = self.peer(&leg, op)?;
                let s = DialExten::parse("s").map_err(invalid)?;
                self.call(&redirect(&customer, &ivr, &s))
                    .await
                    .map(|_| CommandOutcome::done())
            }
            Command::Consult { target } => {
                let number = PhoneNumber::parse(target).map_err(invalid)?;
                let leg = self.leg_for(None, ctx, op)?;
                let iface = self.interface().await?;
                // Expect the leg before it can show up in a poll.
                self.tracker
                    .lock()
                    .expect("tracker lock")
                    .expect_consult(&leg.uniqueid, number.as_str());
                let req = originate_agent_first(
                    &iface,
                    &self.extension,
                    &number,
                    &self.context,
                    &self.opts(DIAL_TIMEOUT_MS),
                );
                match self.call(&req).await {
                    Ok(_) => Ok(CommandOutcome::done()),
                    Err(e) => {
                        self.tracker
                            .lock()
                            .expect("tracker lock")
                            .end_consult(&leg.uniqueid);
                        Err(e)
                    }
                }
            }
            Command::TakeBack => {
                let leg = self.leg_for(None, ctx, op)?;
                let consult = self
                    .tracker
                    .lock()
                    .expect("tracker lock")
                    .consult_leg(&leg.uniqueid)
                    .cloned();
                let consult =
                    consult.ok_or_else(|| CoreError::state(op, "no consult call to end"))?;
                let ch = Channel::parse(&consult.channel).map_err(invalid)?;
                self.call(&hangup(&ch)).await?;
                self.tracker
                    .lock()
                    .expect("tracker lock")
                    .end_consult(&leg.uniqueid);
                Ok(CommandOutcome::done())
            }
            Command::CompleteTransfer => {
                let leg = self.leg_for(None, ctx, op)?;
                let consult = self
                    .tracker
                    .lock()
                    .expect("tracker lock")
                    .consult_leg(&leg.uniqueid)
                    .cloned();
                let consult = consult.ok_or_else(|| CoreError::state(op, "consult first"))?;
                let customer = self.peer(&leg, op)?;
                let third = self.peer(&consult, op)?;
                let room = self.new_room()?;
                let exten = DialExten::parse(room.as_str()).map_err(invalid)?;
                self.call(&redirect_dual(
                    &customer,
                    &third,
                    &self.conference_context,
                    &exten,
                ))
                .await?;
                for ch in [&leg.channel, &consult.channel] {
                    if let Ok(ch) = Channel::parse(ch) {
                        if let Err(e) = self.call(&hangup(&ch)).await {
                            tracing::debug!("leaving the transferred call: {e}");
                        }
                    }
                }
                Ok(CommandOutcome::done())
            }
            Command::Conference { target } => self.conference(ctx, target.as_ref()).await,
            Command::ConferenceKick { member } | Command::ConferenceMute { member, .. } => {
                let leg = self.leg_for(None, ctx, op)?;
                let room = self
                    .tracker
                    .lock()
                    .expect("tracker lock")
                    .conference_room(&leg.uniqueid)
                    .map(str::to_owned);
                let room = RoomNo::parse(
                    &room.ok_or_else(|| CoreError::state(op, "not in a conference"))?,
                )
                .map_err(invalid)?;
                let member = MemberNo::parse(member).map_err(invalid)?;
                let c = match cmd {
                    Command::ConferenceMute { mute: true, .. } => {
                        MeetMeCommand::Mute(room.clone(), member)
                    }
                    Command::ConferenceMute { mute: false, .. } => {
                        MeetMeCommand::Unmute(room.clone(), member)
                    }
                    _ => MeetMeCommand::Kick(room.clone(), member),
                };
                self.call(&meetme_command(&c)).await?;
                Ok(CommandOutcome::done())
            }
            Command::CollectDigits { code } => {
                let key = WaitAuthKey::Code(ShortcutCode::parse(code).map_err(invalid)?);
                let leg = self.leg_for(None, ctx, op)?;
                let ch = Channel::parse(&leg.channel).map_err(invalid)?;
                let env = self
                    .call(&wait_auth(&ch, &key, WaitAuthTarget::Peer, Some(30)))
                    .await?;
                let r = env
                    .first_row()
                    .map(WaitAuthResult::try_from)
                    .transpose()
                    .map_err(invalid)?;
                let r = r.ok_or_else(|| CoreError::Protocol {
                    reason: "ctiwaitauth returned no row".into(),
                })?;
                Ok(CommandOutcome {
                    message: None,
                    data: Some(serde_json::json!({
                        "state": format!("{:?}", r.state),
                        "digits": r.data[0],
                    })),
                })
            }
            Command::PickUp { extension } => {
                let target = Extension::parse(extension).map_err(invalid)?;
                let own = self.interface().await?;
                let callerid = PhoneNumber::parse(target.as_str()).ok();
                let opts = OriginateOptions {
                    timeout_ms: Some(SPY_TIMEOUT_MS),
                    callerid,
                    asynchronous: None,
                };
                self.call(&originate_pickup(&own, &target, None, &opts))
                    .await
                    .map(|_| CommandOutcome::done())
            }
            Command::Monitor { agent } => self.spy(agent, SpyMode::Monitor).await,
            Command::Whisper { agent } => self.spy(agent, SpyMode::Monitor).await.map(|_| {
                CommandOutcome::with_message(
                    "monitoring started: press 5 on your phone to whisper, 4 to listen only",
                )
            }),
            Command::Barge { agent } => self.spy(agent, SpyMode::Barge).await,
            Command::ForceRelease { agent } => self.force_release(agent).await,
            Command::SignIn | Command::SignOut | Command::FinishWrapUp => {
                Err(CoreError::state(op, "handled by the engine"))
            }
            Command::Answer { .. } | Command::Hold | Command::Resume | Command::Dtmf { .. } => {
                Err(CoreError::NotSupported {
                    operation: op,
                    vendor: "mvb2000".into(),
                    reason: capabilities().why_not(op).unwrap_or_default(),
                })
            }
        }
    }

    async fn poll(&self, sink: &EventSink) -> Result<(), CoreError> {
        let iface = self.interface().await?;
        let env = self.call(&popup_screen(&iface)).await?;
        let mut entries = Vec::with_capacity(env.data.len());
        for row in &env.data {
            match PopupEntry::try_from(row) {
                Ok(e) => entries.push(e),
                Err(e) => tracing::warn!("getpopupscreen row skipped: {e}"),
            }
        }
        let changes = self.tracker.lock().expect("tracker lock").update(&entries);
        let now = self.clock.now_ms();
        let mut new_legs = Vec::new();
        for change in changes {
            match change {
                Change::New { leg, state } => {
                    let mut call = Call::new(
                        CallId::new(&leg.uniqueid),
                        leg.direction,
                        &leg.remote,
                        DetectedBy::Poll,
                        now,
                    );
                    call.state = state;
                    call.remote_name = leg.remote_name.clone();
                    call.did = leg.did.clone();
                    sink.send(VendorEvent::CallSeen { call });
                    new_legs.push(leg);
                }
                Change::State { id, state } => sink.send(VendorEvent::CallState { id, state }),
                Change::Consult { id, party } => sink.send(VendorEvent::ConsultParty { id, party }),
                Change::Gone { id } => sink.send(VendorEvent::CallGone { id }),
            }
        }
        // The pop went out already; details follow as soon as the server gives them.
        for leg in new_legs
            .iter()
            .filter(|l| l.direction == agentbar_core::Direction::Inbound)
        {
            self.enrich(leg, sink).await;
        }
        let conferences = self.tracker.lock().expect("tracker lock").conferences();
        for (id, room) in conferences {
            if let Ok(room) = RoomNo::parse(&room) {
                let members = self.meetme_members(&room).await?;
                sink.send(VendorEvent::ConferenceMembers {
                    id: CallId::new(id),
                    members,
                });
            }
        }
        match self.client.skew_days() {
            0 => sink.send(VendorEvent::WarningCleared {
                code: "clock_skew".into(),
            }),
            d => sink.send(VendorEvent::Warning {
                code: "clock_skew".into(),
                message: format!(
                    "the server's date is {d:+} day(s) from this PC's: check both clocks"
                ),
            }),
        }
        Ok(())
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
        let members = self.call(&queue_members(None, None)).await?;
        let exts = self.call(&extension_status(None)).await?;
        let queues = self.call(&queue_status(None)).await?;
        let status: Vec<ExtensionStatus> = exts
            .data
            .iter()
            .filter_map(|r| ExtensionStatus::try_from(r).ok())
            .collect();
        let mut view = TeamView {
            updated_at_ms: self.clock.now_ms(),
            ..Default::default()
        };
        for m in members
            .data
            .iter()
            .filter_map(|r| QueueMember::try_from(r).ok())
        {
            if !(self.queues.is_empty() || self.queues.iter().any(|q| q.as_str() == m.queue)) {
                continue;
            }
            let ext = m.agent.rsplit('/').next().unwrap_or(&m.agent).to_string();
            if !self.cfg.team.is_empty() && !self.cfg.team.contains(&ext) {
                continue;
            }
            if view
                .members
                .iter()
                .any(|t| t.extension.as_deref() == Some(ext.as_str()))
            {
                continue;
            }
            let state = match status.iter().find(|s| s.exten == ext).map(|s| &s.state) {
                Some(ExtensionState::Busy) => "talking",
                Some(ExtensionState::Ringing) => "ringing",
                Some(ExtensionState::Unavailable) => "signed_out",
                _ if m.paused => "not_ready",
                _ => "ready",
            };
            view.members.push(TeamMember {
                agent: ext.clone(),
                name: None,
                extension: Some(ext),
                state: state.into(),
                state_secs: None,
                current_call: None,
            });
        }
        for q in queues
            .data
            .iter()
            .filter_map(|r| QueueStatus::try_from(r).ok())
        {
            if self.queues.is_empty() || self.queues.iter().any(|x| x.as_str() == q.queue) {
                view.queues.push(QueueFigures {
                    queue: q.queue,
                    waiting: q.calls,
                    longest_wait_secs: None,
                    completed: Some(q.completed as u64),
                    abandoned: Some(q.abandoned as u64),
                });
            }
        }
        Ok(view)
    }
}
