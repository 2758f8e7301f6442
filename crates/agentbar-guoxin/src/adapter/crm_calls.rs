//! The CRM's server-placed calls as commands: `voice_code` (the captcha call, seed 3),
//! `ivr_call` (IVR_TTS_CALL, seed 18) and `crm_call_result`. Placing answers once the server
//! has accepted the call, with the call's id; a task then reads the result every
//! `result_poll_ms` (the seeds ask for 5 s) and reports it to the engine when final, or
//! after [`RESULT_WAIT_MAX`] with what it last read.

use super::crm::{read_captcha_result, read_ivr_tts_result};
use super::*;
use std::collections::BTreeMap;

/// How long the bar reads a result before it reports what it has. Queued calls wait for a
/// free line; ten minutes covers a busy afternoon without keeping tasks forever.
pub const RESULT_WAIT_MAX: Duration = Duration::from_secs(600);

impl Guoxin {
    /// The captcha call of a `voice_code` command, checked; nothing is sent.
    pub(super) fn voice_code_call(
        &self,
        number: &str,
        voice: &str,
        code: Option<&str>,
        id: Option<&str>,
        plays: Option<u32>,
    ) -> Result<CaptchaCall, CoreError> {
        let id = self.task_id(id);
        let mut call = CaptchaCall::new(&id, number, voice).map_err(invalid)?;
        call.code = code.map(CaptchaCode::parse).transpose().map_err(invalid)?;
        call.playtimes = plays.unwrap_or(1);
        call.line = self.cfg.captcha_line;
        // The counts are checked by `captcha_call`, before anything is sent.
        Ok(call)
    }

    pub(super) async fn place_voice_code(
        &self,
        call: CaptchaCall,
        ctx: &CommandContext,
    ) -> Result<CommandOutcome, CoreError> {
        self.captcha_call(&call).await?;
        let id = call.id.as_str().to_owned();
        self.watch_result(CrmCallKind::VoiceCode, &id, ctx);
        Ok(placed(CrmCallKind::VoiceCode, &id))
    }

    pub(super) async fn place_ivr_call(
        &self,
        number: &str,
        ivr: &str,
        vars: &BTreeMap<String, String>,
        id: Option<&str>,
        ctx: &CommandContext,
    ) -> Result<CommandOutcome, CoreError> {
        let id = self.task_id(id);
        let tts: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let call = IvrTtsCall::new(&id, number, ivr, &tts).map_err(invalid)?;
        self.ivr_tts_call(&call).await?;
        self.watch_result(CrmCallKind::IvrCall, &id, ctx);
        Ok(placed(CrmCallKind::IvrCall, &id))
    }

    pub(super) async fn crm_call_result(
        &self,
        kind: CrmCallKind,
        id: &str,
    ) -> Result<CommandOutcome, CoreError> {
        let status = read_status(&self.client, kind, id).await?;
        Ok(CommandOutcome {
            message: None,
            data: serde_json::to_value(status).ok(),
        })
    }

    /// The CRM's id, else one of ours: unique for this adapter's life and across restarts
    /// (the wall clock's milliseconds), since the server refuses a token used before (483).
    fn task_id(&self, given: Option<&str>) -> String {
        match given {
            Some(id) => id.to_owned(),
            None => {
                let n = {
                    let mut m = self.memory();
                    m.next_task += 1;
                    m.next_task
                };
                format!("agentbar-{}-{n}", self.clock.now_ms())
            }
        }
    }

    /// Reads the result in the background and reports it through the engine's sink (none in
    /// a bare adapter: the CRM reads it with `crm_call_result`).
    fn watch_result(&self, kind: CrmCallKind, id: &str, ctx: &CommandContext) {
        let Some(sink) = ctx.events.clone() else {
            return;
        };
        let client = self.client.clone();
        let every = Duration::from_millis(self.cfg.result_poll_ms);
        let id = id.to_owned();
        tokio::spawn(async move {
            let status = wait_for_result(&client, kind, &id, every, RESULT_WAIT_MAX).await;
            sink.send(VendorEvent::CrmCallResult { status });
        });
    }
}

/// What a placing command answers: the call's kind and id.
fn placed(kind: CrmCallKind, id: &str) -> CommandOutcome {
    CommandOutcome {
        message: None,
        data: Some(serde_json::json!({ "kind": kind, "id": id })),
    }
}

/// One reading of a result, in the model's terms.
async fn read_status(
    client: &Client,
    kind: CrmCallKind,
    id: &str,
) -> Result<CrmCallStatus, CoreError> {
    Ok(match kind {
        CrmCallKind::VoiceCode => status(kind, id, &read_captcha_result(client, id).await?, None),
        CrmCallKind::IvrCall => {
            let r = read_ivr_tts_result(client, id).await?;
            status(kind, id, &r.state, Some(r.inputs))
        }
    })
}

/// Reads every `every` until the result is final or `max` has passed. A failed reading (the
/// server restarting) is tried again at the next turn; only the last one counts.
async fn wait_for_result(
    client: &Client,
    kind: CrmCallKind,
    id: &str,
    every: Duration,
    max: Duration,
) -> CrmCallStatus {
    let deadline = tokio::time::Instant::now() + max;
    loop {
        let status = read_status(client, kind, id)
            .await
            .unwrap_or_else(|e| CrmCallStatus::unreadable(id, kind, &e));
        if status.state.is_final() || tokio::time::Instant::now() + every > deadline {
            return status;
        }
        tokio::time::sleep(every).await;
    }
}

pub(super) fn status(
    kind: CrmCallKind,
    id: &str,
    r: &CallResult,
    keys: Option<BTreeMap<String, String>>,
) -> CrmCallStatus {
    let state = match r {
        CallResult::Queued => CrmCallState::Queued,
        CallResult::Succeeded => CrmCallState::Succeeded,
        CallResult::Failed => CrmCallState::Failed,
        CallResult::NoSuchNumber => CrmCallState::NoSuchNumber,
        CallResult::Calling => CrmCallState::Calling,
        CallResult::Busy => CrmCallState::Busy,
        CallResult::Unreachable => CrmCallState::Unreachable,
        CallResult::UnknownId => CrmCallState::UnknownId,
        CallResult::Other(_) => CrmCallState::Other,
    };
    CrmCallStatus {
        id: id.to_owned(),
        kind,
        state,
        code: Some(r.code()),
        keys: keys.unwrap_or_default(),
        error: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_server_gone_while_waiting_is_reported_as_unknown_with_the_error() {
        // A port nothing listens on: every reading fails at once.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let client = Client::new(
            "127.0.0.1",
            port,
            UrlCharset::Utf8,
            Duration::from_secs(2),
            Duration::from_secs(2),
            4096,
            4096,
        )
        .unwrap();
        let s = wait_for_result(
            &client,
            CrmCallKind::IvrCall,
            "order-17",
            Duration::from_millis(50),
            Duration::from_millis(300),
        )
        .await;
        assert_eq!(s.state, CrmCallState::Unknown);
        assert_eq!(s.id, "order-17");
        assert_eq!(s.error.unwrap().code, ErrorKind::Transport);
    }

    #[test]
    fn every_seed_result_maps_and_keeps_its_code() {
        for code in [0, 1, 2, 3, 4, 5, 6, 404, 77] {
            let s = status(
                CrmCallKind::VoiceCode,
                "1",
                &CallResult::from_code(code),
                None,
            );
            assert_eq!(s.code, Some(code));
            assert_eq!(s.state.is_final(), !matches!(code, 0 | 4), "{code}");
        }
        assert_eq!(
            status(CrmCallKind::IvrCall, "1", &CallResult::Other(77), None).state,
            CrmCallState::Other
        );
    }
}
