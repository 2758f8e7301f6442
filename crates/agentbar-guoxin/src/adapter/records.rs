//! Recordings (FileDownServlet, seed 22) and the call log (CALL_LOG_QUERY,
//! CALL_LOG_GET_WITH_CALLID, seed 21).

use super::*;

impl Guoxin {
    pub(super) async fn fetch_recording(
        &self,
        name: &str,
    ) -> Result<agentbar_core::vendor::Recording, CoreError> {
        let r = RecordingRef::parse(name).map_err(invalid)?;
        let answer = self
            .client
            .download(&file_down(&r))
            .await
            .map_err(CoreError::from)?;
        if answer.status == 404 || (answer.status == 200 && answer.body.is_empty()) {
            return Err(CoreError::NotFound {
                what: format!("the recording {name}"),
            });
        }
        check_status(Op::FileDown, answer.status)
            .map_err(|e| CoreError::from(GuoxinError::from(e)))?;
        if answer
            .content_type
            .as_deref()
            .is_some_and(|ct| ct.starts_with("text/html"))
        {
            // The servlet's error page, not a recording.
            return Err(CoreError::NotFound {
                what: format!("the recording {name} (the server answered a web page)"),
            });
        }
        Ok(agentbar_core::vendor::Recording {
            content_type: recording_content_type(
                answer.content_type.as_deref(),
                name,
                &answer.body,
            ),
            bytes: answer.body,
        })
    }

    /// The call log (CALL_LOG_QUERY).
    ///
    /// # Errors
    ///
    /// `InvalidInput` for a bad query (nothing sent); the server's refusal; an unreadable
    /// answer.
    pub async fn call_log(&self, q: &CallLogQuery) -> Result<Vec<CallLogEntry>, CoreError> {
        let req = call_log_query(q).map_err(invalid)?;
        let answer = self.client.control(&req).await.map_err(CoreError::from)?;
        parse_call_log(&answer.text()).map_err(|e| CoreError::Protocol {
            reason: e.to_string(),
        })
    }

    /// One call's log entry by its id (the pop notice's `id`), if the server has it
    /// (CALL_LOG_GET_WITH_CALLID).
    ///
    /// # Errors
    ///
    /// `InvalidInput` for a bad id (nothing sent); the server's refusal; an unreadable answer.
    pub async fn call_log_entry(&self, callid: &str) -> Result<Option<CallLogEntry>, CoreError> {
        let id = CallRef::parse(callid).map_err(invalid)?;
        let answer = self
            .client
            .get(&call_log_get_with_callid(&id))
            .await
            .map_err(CoreError::from)?;
        if answer.status == 404 {
            return Ok(None);
        }
        check_status(Op::CallLogGetWithCallid, answer.status)
            .map_err(|e| CoreError::from(GuoxinError::from(e)))?;
        parse_call_log_entry(&answer.text()).map_err(|e| CoreError::Protocol {
            reason: e.to_string(),
        })
    }
}
