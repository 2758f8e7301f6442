//! Recordings (`GetMonitor`, seed 4.22) and the server's data calls that no command maps to:
//! `SetVar` (4.28) and `Import` (4.23), for the runner and the local API.

use super::*;

/// The name a pushed call's recording goes by: `<calldate>/<sessionid>`
/// (`2010-01-01/efeb7b374a3408b0d0954f30a1504d83`).
pub fn parse_recording_name(name: &str) -> Result<(CallDate, SessionId), ProtocolError> {
    let (date, session) = name
        .split_once('/')
        .ok_or_else(|| ProtocolError::invalid("recording", "<YYYY-MM-DD>/<sessionid>"))?;
    Ok((CallDate::parse(date)?, SessionId::parse(session)?))
}

fn content_type(declared: Option<String>, url: &str) -> String {
    if let Some(ct) = declared.filter(|c| c.starts_with("audio/")) {
        return ct;
    }
    let lower = url.to_ascii_lowercase();
    match lower.rsplit('.').next() {
        Some("wav") => "audio/wav",
        Some("mp3") => "audio/mpeg",
        Some("gsm") => "audio/gsm",
        Some("ogg") => "audio/ogg",
        _ => "application/octet-stream",
    }
    .into()
}

impl Astercc {
    pub(super) async fn fetch_recording(
        &self,
        name: &str,
    ) -> Result<agentbar_core::vendor::Recording, CoreError> {
        let (date, session) = parse_recording_name(name).map_err(invalid)?;
        let reply = self.call(&get_monitor(&session, &date)).await?;
        let url = parse_monitor_url(&reply.message).map_err(invalid)?;
        let answer = self.client.download(&url).await.map_err(CoreError::from)?;
        Ok(agentbar_core::vendor::Recording {
            content_type: content_type(answer.content_type, &url),
            bytes: answer.body,
        })
    }

    /// Sets call data on the agent's current call (`SetVar`); the name is checked against
    /// seed 4.28's rule before anything is sent.
    ///
    /// # Errors
    ///
    /// `InvalidInput` for a bad name or value; the server's refusal otherwise.
    pub async fn set_var(&self, name: &str, value: &str) -> Result<(), CoreError> {
        let n = VarName::parse(name).map_err(invalid)?;
        let v = VarValue::parse(value).map_err(invalid)?;
        self.call(&set_var(&n, &v)).await.map(|_| ())
    }

    /// Imports one customer into a campaign (`Import`, `source=data`); answers the server's
    /// message.
    ///
    /// # Errors
    ///
    /// `InvalidInput` for a bad campaign id or record; the server's refusal otherwise.
    pub async fn import_record(
        &self,
        campaign: &str,
        fields: &[(String, String)],
        opts: &ImportOptions,
    ) -> Result<String, CoreError> {
        let id = ModelId::parse(campaign).map_err(invalid)?;
        let record = ImportRecord::new(fields).map_err(invalid)?;
        let req = import_data(&id, &record, opts).map_err(invalid)?;
        self.call(&req).await.map(|r| r.message)
    }
}
