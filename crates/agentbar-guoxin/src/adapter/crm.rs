//! What a CRM asks of the server besides the agent's calls, with typed, checked inputs (no
//! core command maps to these): the captcha call (seed 3), the IVR/TTS call (seed 18), their
//! results, and importing customers and opportunities (seed 19, 20).

use super::*;
use chrono::{Days, NaiveDate, TimeZone};

/// How often the seed asks results to be read ("每隔 5 秒查询一次").
pub const RESULT_POLL_INTERVAL: Duration = Duration::from_secs(5);

impl Guoxin {
    /// Our local date, by the (injectable) wall clock, moved by the skew learnt so far.
    fn captcha_day(&self, extra: i64) -> NaiveDate {
        let today = chrono::Local
            .timestamp_millis_opt(self.clock.now_ms())
            .single()
            .map(|t| t.date_naive())
            .unwrap_or_else(|| chrono::Local::now().date_naive());
        let by = self.memory().captcha_skew_days + extra;
        if by >= 0 {
            today
                .checked_add_days(Days::new(by as u64))
                .unwrap_or(today)
        } else {
            today
                .checked_sub_days(Days::new(by.unsigned_abs()))
                .unwrap_or(today)
        }
    }

    /// Places a captcha call (CLICK_TO_IP_CAPTCHA or CLICK_TO_FIXEDLINE_CAPTCHA, seed 3): the
    /// server calls `callee` and plays the voice `toneid` with the `code` read out. Its `pwd`
    /// is the day's md5 of the stored captcha password, the callee and the code (or `no`
    /// without a password). The server's date decides: when it refuses the password (401),
    /// the neighbouring days are tried (the call was not placed), and the one that works is
    /// kept for later calls. The line is the call's own (`call.line`).
    ///
    /// # Errors
    ///
    /// `InvalidInput` for bad counts (nothing sent); `Auth` when every date is refused; the
    /// server's other refusals (421 not purchased, 420, 486, 503) with their code.
    pub async fn captcha_call(&self, call: &CaptchaCall) -> Result<(), CoreError> {
        call.validate().map_err(invalid)?;
        let send = |day: NaiveDate| {
            let pwd = captcha_pwd(
                self.captcha_password.as_ref(),
                &call.callee,
                call.code.as_ref(),
                day,
            );
            captcha_call(call, &pwd).map_err(invalid)
        };
        let first = send(self.captcha_day(0))?;
        let err = match self.client.control(&first).await {
            Ok(_) => return Ok(()),
            Err(GuoxinError::Status(s)) if s.code == 401 && self.captcha_password.is_some() => s,
            Err(e) => return Err(e.into()),
        };
        for extra in [-1, 1] {
            match self.client.control(&send(self.captcha_day(extra))?).await {
                Ok(_) => {
                    tracing::warn!(
                        skew_days = extra,
                        "the server's date differs from ours: captcha passwords use its date"
                    );
                    self.memory().captcha_skew_days += extra;
                    return Ok(());
                }
                Err(GuoxinError::Status(s)) if s.code == 401 => continue,
                Err(e) => return Err(e.into()),
            }
        }
        Err(GuoxinError::Status(err).into())
    }

    /// The captcha call's result now (GET_CAPTCHA_RESULT).
    ///
    /// # Errors
    ///
    /// `InvalidInput` for a bad id; transport failures; an unreadable answer.
    pub async fn captcha_result(&self, id: &str) -> Result<CallResult, CoreError> {
        read_captcha_result(&self.client, id).await
    }

    /// Reads the captcha call's result every `every` ([`RESULT_POLL_INTERVAL`], 5 s, as seed
    /// 3 asks) until it is final or `max` has passed; answers the last result read.
    ///
    /// # Errors
    ///
    /// As [`Guoxin::captcha_result`].
    pub async fn captcha_wait(
        &self,
        id: &str,
        every: Duration,
        max: Duration,
    ) -> Result<CallResult, CoreError> {
        let deadline = tokio::time::Instant::now() + max;
        loop {
            let r = self.captcha_result(id).await?;
            if r.is_final() || tokio::time::Instant::now() + every > deadline {
                return Ok(r);
            }
            tokio::time::sleep(every).await;
        }
    }

    /// Places an IVR/TTS call (IVR_TTS_CALL, seed 18): the server calls `callee` into the IVR
    /// menu `toneid`, reading out the TTS variables. The menu must be one of `ivr_ids` when
    /// that list is set.
    ///
    /// # Errors
    ///
    /// `InvalidInput` for a menu outside `ivr_ids` (nothing sent); the server's refusals (400,
    /// 483 token used already, 401, 486, 480) with their code.
    pub async fn ivr_tts_call(&self, call: &IvrTtsCall) -> Result<(), CoreError> {
        self.ivr_id("toneid", call.toneid.as_str())?;
        self.control(&ivr_tts_call(call)).await
    }

    /// The IVR/TTS call's result now (IVR_TTS_CALL_RESULT): its state and the keys collected.
    ///
    /// # Errors
    ///
    /// `InvalidInput` for a bad token; transport failures; an unreadable answer.
    pub async fn ivr_tts_result(&self, token: &str) -> Result<IvrTtsResult, CoreError> {
        read_ivr_tts_result(&self.client, token).await
    }

    /// Reads the IVR/TTS call's result every `every` ([`RESULT_POLL_INTERVAL`], 5 s, as seed
    /// 18 asks) until it is final or `max` has passed; answers the last result read.
    ///
    /// # Errors
    ///
    /// As [`Guoxin::ivr_tts_result`].
    pub async fn ivr_tts_wait(
        &self,
        token: &str,
        every: Duration,
        max: Duration,
    ) -> Result<IvrTtsResult, CoreError> {
        let deadline = tokio::time::Instant::now() + max;
        loop {
            let r = self.ivr_tts_result(token).await?;
            if r.state.is_final() || tokio::time::Instant::now() + every > deadline {
                return Ok(r);
            }
            tokio::time::sleep(every).await;
        }
    }

    /// Calls queued for an agent and calls playing, of the IVR/TTS calls
    /// (IVR_TTS_CALL_MONITOR): many queued means the calls go out too fast.
    ///
    /// # Errors
    ///
    /// Transport failures; an unreadable answer.
    pub async fn ivr_tts_load(&self) -> Result<IvrTtsLoad, CoreError> {
        let answer = self
            .client
            .control(&ivr_tts_call_monitor())
            .await
            .map_err(CoreError::from)?;
        parse_ivr_tts_monitor(&answer.text()).map_err(|e| CoreError::Protocol {
            reason: e.to_string(),
        })
    }

    /// Imports customers (ContactsSrvlt, seed 19).
    ///
    /// # Errors
    ///
    /// `InvalidInput` for none or over 500 (nothing sent); 483 (a number exists) and 400 with
    /// their code.
    pub async fn create_contacts(&self, list: &[Contact]) -> Result<(), CoreError> {
        let req = create_contacts(list).map_err(invalid)?;
        self.control(&req).await
    }

    /// Imports business opportunities (PreorderSrvlt, seed 20).
    ///
    /// # Errors
    ///
    /// `InvalidInput` for none or over 500 (nothing sent); 483 (one exists) and 400 with their
    /// code.
    pub async fn create_preorders(&self, list: &[Preorder]) -> Result<(), CoreError> {
        let req = create_preorders(list).map_err(invalid)?;
        self.control(&req).await
    }
}

/// GET_CAPTCHA_RESULT through `client`: also used by the task that waits for a result after
/// its command has returned.
pub(super) async fn read_captcha_result(
    client: &Client,
    id: &str,
) -> Result<CallResult, CoreError> {
    let id = TaskId::parse(id)
        .map_err(|_| CoreError::invalid("id", "1-64 of letters, digits, _ . : -"))?;
    let answer = client
        .get(&get_captcha_result(&id))
        .await
        .map_err(CoreError::from)?;
    if answer.status != 404 {
        check_status(Op::GetCaptchaResult, answer.status)
            .map_err(|e| CoreError::from(GuoxinError::from(e)))?;
    }
    parse_captcha_result(answer.status, &answer.text()).map_err(|e| CoreError::Protocol {
        reason: e.to_string(),
    })
}

/// IVR_TTS_CALL_RESULT through `client` (see [`read_captcha_result`]).
pub(super) async fn read_ivr_tts_result(
    client: &Client,
    token: &str,
) -> Result<IvrTtsResult, CoreError> {
    let token = TaskId::parse(token).map_err(invalid)?;
    let answer = client
        .get(&ivr_tts_call_result(&token))
        .await
        .map_err(CoreError::from)?;
    if answer.status != 404 {
        check_status(Op::IvrTtsCallResult, answer.status)
            .map_err(|e| CoreError::from(GuoxinError::from(e)))?;
    }
    parse_ivr_tts_result(answer.status, &answer.text()).map_err(|e| CoreError::Protocol {
        reason: e.to_string(),
    })
}
