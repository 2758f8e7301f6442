//! Recordings and voicemail counts (seed 12, 25).

use super::{Answer, Outcome};
use crate::mvb2000::errors::{MvbError, ERR_NOT_FOUND};
use crate::mvb2000::params::Params;
use crate::mvb2000::render::{row, Reply};
use crate::Sim;

/// Half a second of 8 kHz 16-bit mono silence, as a WAV file.
fn wav() -> Vec<u8> {
    let data_len: u32 = 8000;
    let mut v = Vec::with_capacity(44 + data_len as usize);
    v.extend_from_slice(b"RIFF");
    v.extend_from_slice(&(36 + data_len).to_le_bytes());
    v.extend_from_slice(b"WAVEfmt ");
    v.extend_from_slice(&16u32.to_le_bytes());
    v.extend_from_slice(&1u16.to_le_bytes());
    v.extend_from_slice(&1u16.to_le_bytes());
    v.extend_from_slice(&8000u32.to_le_bytes());
    v.extend_from_slice(&16000u32.to_le_bytes());
    v.extend_from_slice(&2u16.to_le_bytes());
    v.extend_from_slice(&16u16.to_le_bytes());
    v.extend_from_slice(b"data");
    v.extend_from_slice(&data_len.to_le_bytes());
    v.resize(44 + data_len as usize, 0);
    v
}

/// A few silent MPEG-1 layer III frames behind an ID3 tag.
fn mp3() -> Vec<u8> {
    let mut v = b"ID3\x03\x00\x00\x00\x00\x00\x00".to_vec();
    for _ in 0..8 {
        // 32 kbit/s, 8 kHz is MPEG-2.5; use MPEG-1 32 kbit/s 32 kHz: frame of 144 bytes.
        let mut frame = vec![0xFF, 0xFB, 0x18, 0xC4];
        frame.resize(144, 0);
        v.extend_from_slice(&frame);
    }
    v
}

/// `getmonitor.php?filename=...[&mp3=yes]`: a recording of a known call (active or logged).
pub(super) fn getmonitor(sim: &Sim, p: &Params) -> Outcome {
    let filename = p.req("filename")?;
    let known = sim.call_log().iter().any(|c| c.recordingfile == filename)
        || sim
            .active_calls()
            .iter()
            .any(|c| c.recording.as_deref() == Some(filename));
    if !known {
        return Err(MvbError {
            code: ERR_NOT_FOUND,
            message: format!("no such recording: {filename}"),
        });
    }
    let as_mp3 = matches!(p.opt("mp3"), Some("1" | "yes" | "YES"));
    Ok(if as_mp3 {
        let stem = filename.rsplit_once('.').map_or(filename, |(s, _)| s);
        Answer::File {
            content_type: "audio/mpeg",
            filename: format!("{stem}.mp3"),
            bytes: mp3(),
        }
    } else {
        Answer::File {
            content_type: "audio/wav",
            filename: filename.to_owned(),
            bytes: wav(),
        }
    })
}

/// `ctimailboxcount.php?mailbox=5003` (seed 25.5): `Mailbox Count` with
/// `mailbox`, `oldmessages`, `newmessages`.
pub(super) fn mailboxcount(sim: &Sim, p: &Params) -> Outcome {
    let mb = p.req("mailbox")?;
    let (old, new) = sim.mailbox(mb);
    Ok(Answer::Reply(Reply {
        errcode: 0,
        message: "Mailbox Count".to_owned(),
        rows: vec![row([
            ("mailbox", mb.to_owned()),
            ("oldmessages", old.to_string()),
            ("newmessages", new.to_string()),
        ])],
    }))
}
