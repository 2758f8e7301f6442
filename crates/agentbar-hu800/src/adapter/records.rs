//! A call's record after its hang-up (findDialrecord), recordings (seed 2.7), and the one
//! administrator request, registerExtension (seed 2.9).

use super::*;
use crate::attached::details_from_record;
use crate::client::Answer;
use agentbar_core::wire::HttpError;
use std::time::Duration;

/// A new extension, as registerExtension answers it.
#[derive(Debug, Clone)]
pub struct NewExtension {
    pub extension: String,
    /// Hidden in `Debug`; hand it to the key ring.
    pub password: Password,
}

/// The record of call `id`: read after `delay`, and once more after another `delay` when it
/// is not there yet (the seed: records of the mobile app and of new recording phones "可能不能
/// 马上查询"). `None` when it never came; the reason is logged.
pub(super) async fn record_details(
    client: &crate::client::Client,
    id: &CdrId,
    delay: Duration,
) -> Option<CallDetails> {
    for attempt in 0..2 {
        tokio::time::sleep(delay).await;
        match client
            .call(&find_dialrecord(&RecordQuery::by_id(id.clone())))
            .await
        {
            Ok(reply) => {
                let rows = parse_find_dialrecord(&reply);
                let found = rows
                    .iter()
                    .find(|r| r.cdr_id.as_deref() == Some(id.as_str()))
                    .or_else(|| match rows.as_slice() {
                        // A single record that names no id is the one asked for.
                        [only] if only.cdr_id.is_none() => Some(only),
                        _ => None,
                    });
                if let Some(r) = found {
                    return Some(details_from_record(r));
                }
                tracing::debug!(attempt, "800hu: the call's record is not there yet");
            }
            Err(e) => tracing::info!(attempt, "800hu: reading the call's record failed: {e}"),
        }
    }
    None
}

/// The content type of a recording: the declared one when it is audio, else by its first
/// bytes or name.
fn content_type(declared: Option<&str>, r: &RecordingRef, bytes: &[u8]) -> String {
    if let Some(ct) = declared.filter(|c| c.starts_with("audio/")) {
        return ct.to_string();
    }
    if bytes.starts_with(b"RIFF") {
        return "audio/wav".into();
    }
    if bytes.starts_with(b"ID3")
        || bytes.starts_with(&[0xff, 0xfb])
        || matches!(r, RecordingRef::Mp3(_))
    {
        return "audio/mpeg".into();
    }
    let name = r.name().to_ascii_lowercase();
    match name.rsplit('.').next() {
        Some("wav") => "audio/wav",
        Some("mp3") => "audio/mpeg",
        Some("gsm") => "audio/gsm",
        Some("ogg") => "audio/ogg",
        Some("amr") => "audio/amr",
        _ => "application/octet-stream",
    }
    .into()
}

/// A JSON or HTML answer where audio was asked for: the server's refusal, read.
fn refusal(answer: &Answer, name: &str) -> Option<CoreError> {
    let ct = answer
        .content_type
        .as_deref()
        .unwrap_or("")
        .to_ascii_lowercase();
    let head = answer
        .body
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .copied();
    let not_found = || CoreError::NotFound {
        what: format!("the recording {name}"),
    };
    if answer.body.is_empty() || ct.starts_with("text/html") || head == Some(b'<') {
        return Some(not_found());
    }
    if ct.contains("json") || head == Some(b'{') {
        let text = crate::client::decode(&answer.body, answer.content_type.as_deref());
        return Some(match parse_reply(&text).map(|r| r.code) {
            Ok(Some(-2)) => CoreError::Auth {
                reason: "the recording download refused the user or password (验证错误), code -2"
                    .into(),
            },
            Ok(Some(code)) if code != 0 && code != -11 => {
                let (en, zh) = describe(code);
                CoreError::Server {
                    code: code.to_string(),
                    message: format!("recording download: {en} ({zh})"),
                }
            }
            _ => not_found(),
        });
    }
    None
}

impl Hu800 {
    pub(super) async fn fetch_recording(
        &self,
        name: &str,
    ) -> Result<agentbar_core::vendor::Recording, CoreError> {
        let r = RecordingRef::parse(name).map_err(invalid)?;
        let answer = match self.client.download(&r).await {
            Err(Hu800Error::Http(HttpError::Status(404))) => {
                return Err(CoreError::NotFound {
                    what: format!("the recording {name}"),
                })
            }
            other => other.map_err(CoreError::from)?,
        };
        if let Some(e) = refusal(&answer, name) {
            return Err(e);
        }
        Ok(agentbar_core::vendor::Recording {
            content_type: content_type(answer.content_type.as_deref(), &r, &answer.body),
            bytes: answer.body,
        })
    }

    /// The records findDialrecord answers for `q` (its answer format is not in the seed: see
    /// [`parse_find_dialrecord`]).
    ///
    /// # Errors
    ///
    /// The server's refusal; an unreadable answer.
    pub async fn find_records(&self, q: &RecordQuery) -> Result<Vec<CdrRecord>, CoreError> {
        let reply = self.call(&find_dialrecord(q)).await?;
        Ok(parse_find_dialrecord(&reply))
    }

    /// Creates an extension that shows `showphone` to the called (seed 2.9): the account must
    /// be a system administrator ("登录帐号需要有系统管理员权限"), else the server refuses
    /// (-5). Not a command: an administrator's tool calls it.
    ///
    /// # Errors
    ///
    /// `InvalidInput` for a bad number (nothing sent); the server's refusal; an answer
    /// without `extension`.
    pub async fn register_extension(&self, showphone: &str) -> Result<NewExtension, CoreError> {
        let n = PhoneNumber::parse(showphone)
            .map_err(|_| CoreError::invalid("showphone", PHONE_RULE))?;
        let reply = self.call(&register_extension(&n)).await?;
        let extension = reply
            .text(&["extension"])
            .ok_or_else(|| CoreError::Protocol {
                reason: "registerExtension answered no extension".into(),
            })?;
        Ok(NewExtension {
            extension,
            password: Password::new(reply.text(&["password"]).unwrap_or_default()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_types() {
        let mp3 = RecordingRef::parse("cdr:1").unwrap();
        let wav = RecordingRef::parse("a/b.wav").unwrap();
        assert_eq!(content_type(Some("audio/x-wav"), &wav, b""), "audio/x-wav");
        assert_eq!(content_type(None, &wav, b"RIFF...."), "audio/wav");
        assert_eq!(
            content_type(Some("application/octet-stream"), &mp3, b"xx"),
            "audio/mpeg"
        );
        assert_eq!(content_type(None, &wav, b"xx"), "audio/wav");
    }

    #[test]
    fn refusals_read() {
        let a = |ct: &str, body: &str| Answer {
            status: 200,
            content_type: Some(ct.into()),
            body: body.as_bytes().to_vec(),
        };
        assert!(matches!(
            refusal(&a("application/json", r#"{"code":-11}"#), "x"),
            Some(CoreError::NotFound { .. })
        ));
        assert!(
            matches!(refusal(&a("text/plain", r#"{"code":-5}"#), "x"), Some(CoreError::Server { ref code, .. }) if code == "-5")
        );
        assert!(matches!(
            refusal(&a("text/html", "<html>"), "x"),
            Some(CoreError::NotFound { .. })
        ));
        assert!(refusal(&a("audio/mpeg", "ID3"), "x").is_none());
    }
}
