//! One poll: `getpopupscreen` diffed into call events, then the pop-up details and the
//! members of any conference.

use super::*;

impl Mvb2000 {
    pub(super) async fn poll_once(&self, sink: &EventSink) -> Result<(), CoreError> {
        let iface = self.interface().await?;
        let env = self.call(&popup_screen(&iface)).await?;
        let mut entries = Vec::with_capacity(env.data.len());
        for row in &env.data {
            match PopupEntry::try_from(row) {
                Ok(e) => entries.push(e),
                Err(e) => tracing::warn!("getpopupscreen row skipped: {e}"),
            }
        }
        let changes = self.tracker().update(&entries);
        let now = self.clock.now_ms();
        let mut new_legs = Vec::new();
        let mut answered = Vec::new();
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
                Change::Answered { leg } => answered.push(leg),
            }
        }
        // The pop went out already; details follow as soon as the server gives them.
        for leg in new_legs
            .iter()
            .filter(|l| l.direction == agentbar_core::Direction::Inbound)
        {
            self.enrich(leg, sink).await;
        }
        for leg in &answered {
            self.recording_on_answer(leg, sink).await;
        }
        let conferences = self.tracker().conferences();
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

    /// The recording's file name once the call is answered: a call enriched while it
    /// still rang has none yet, and one placed by the agent is never enriched.
    async fn recording_on_answer(&self, leg: &Leg, sink: &EventSink) {
        let Ok(peer) = Channel::parse(&leg.peer_channel) else {
            return;
        };
        let file = self
            .channel_detail_of(&peer)
            .await
            .map(|d| d.monitorfile)
            .filter(|f| !f.is_empty());
        if let Some(file) = file {
            sink.send(VendorEvent::CallDetails {
                id: CallId::new(&leg.uniqueid),
                details: CallDetails {
                    recording: Some(file),
                    ..CallDetails::default()
                },
            });
        }
    }

    /// `ctigetchanneldetail` of the other party's channel (seed 19.3); a failure is logged
    /// and read as nothing known, since the call goes on without its details.
    async fn channel_detail_of(&self, peer: &Channel) -> Option<ChannelDetail> {
        match self
            .client
            .call(&channel_detail(peer, DetailTarget::Current, None))
            .await
        {
            Ok(env) => env
                .first_row()
                .and_then(|r| ChannelDetail::try_from(r).ok()),
            Err(e) => {
                tracing::warn!("ctigetchanneldetail failed: {e}");
                None
            }
        }
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
        if let Some(d) = self.channel_detail_of(&peer).await {
            let some = |s: &str| Some(s.to_string()).filter(|s| !s.is_empty());
            details.did = details.did.or(some(&d.did));
            details.queue = details.queue.or(some(&d.queueenum));
            details.ivr_keys = details.ivr_keys.or(some(&d.ivrhist));
            details.hold_time_secs = details.hold_time_secs.or(d.holdtime.trim().parse().ok());
            details.recording = some(&d.monitorfile);
            if !(d.city.is_empty() && d.province.is_empty() && d.areacode.is_empty()) {
                details.area = Some(Area {
                    areacode: some(&d.areacode),
                    city: some(&d.city),
                    province: some(&d.province),
                });
            }
        }
        if details != CallDetails::default() {
            sink.send(VendorEvent::CallDetails {
                id: CallId::new(&leg.uniqueid),
                details,
            });
        }
    }
}
