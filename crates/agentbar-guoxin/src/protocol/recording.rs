//! Recordings (seed 22): `/Oms/FileDownServlet` by the call's id or by the path the call log
//! gives (`recordVoice`).
//!
//! # Format
//!
//! ```text
//! /Oms/FileDownServlet?callid=1456383508555141554-0%40192.168.1.60
//! /Oms/FileDownServlet?filename=D:/records/monitor/2016-08-22/801_803_20160822160201.wav
//! ```

use super::op::Op;
use super::request::Request;
use super::validate::{CallRef, RecordingPath};
use super::ProtocolError;

/// Which recording: the name a call's `recording` carries. A name with `/` or `\` is a path,
/// anything else a call id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordingRef {
    /// The pop notice's `id` (seed 22: "来电弹屏时推送的 callid").
    CallId(CallRef),
    /// A `recordVoice` path from the call log.
    File(RecordingPath),
}

impl RecordingRef {
    /// Reads a recording's name.
    ///
    /// # Errors
    ///
    /// [`ProtocolError::Invalid`] for a bad call id or path.
    pub fn parse(name: &str) -> Result<Self, ProtocolError> {
        if name.contains(['/', '\\']) {
            Ok(RecordingRef::File(RecordingPath::parse(name)?))
        } else {
            Ok(RecordingRef::CallId(CallRef::parse(name)?))
        }
    }
}

/// Builds FileDownServlet's request.
pub fn file_down(r: &RecordingRef) -> Request {
    match r {
        RecordingRef::CallId(id) => Request::new(Op::FileDown).p("callid", id.as_str()),
        RecordingRef::File(path) => Request::new(Op::FileDown).p("filename", path.as_str()),
    }
}

/// The content type of a downloaded recording: the declared one when it is audio, else by
/// the file's first bytes or name.
pub fn recording_content_type(declared: Option<&str>, name: &str, bytes: &[u8]) -> String {
    if let Some(ct) = declared.filter(|c| c.starts_with("audio/")) {
        return ct.to_string();
    }
    if bytes.starts_with(b"RIFF") {
        return "audio/wav".into();
    }
    if bytes.starts_with(b"ID3") || bytes.starts_with(&[0xff, 0xfb]) {
        return "audio/mpeg".into();
    }
    let lower = name.to_ascii_lowercase();
    match lower.rsplit('.').next() {
        Some("wav") => "audio/wav",
        Some("mp3") => "audio/mpeg",
        Some("gsm") => "audio/gsm",
        Some("ogg") => "audio/ogg",
        Some("amr") => "audio/amr",
        _ => "application/octet-stream",
    }
    .into()
}
