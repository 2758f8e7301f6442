//! Call records and recordings: `findDialrecord` and the recording paths of sec 2.7
//! (`/voip/record/{cdrRecordFile}`, `/voip/api/client/download/record.json?id=..&ismp3=1`).

use serde::Serialize;

use super::{Ctx, Outcome};
use crate::hu800::reply::Reply;
use crate::hu800::state::{CdrRecord, State};

/// `findDialrecord`'s fields.
#[derive(Serialize)]
struct Data {
    data: Vec<CdrRecord>,
}

/// `findDialrecord`: the seat's ended calls, newest first (an administrator's: every seat's),
/// filtered by `phoneNum` (the customer's number, leading zeros or not), `extension` (a seat
/// or its phone) and `scdrId` (one call record), at most `limit`
/// ([`crate::hu800::Hu800Config::dial_record_limit`] when absent or 0). -3 when `limit` or
/// `scdrId` is not a number.
///
/// # Format
///
/// ```json
/// {"code":0,"message":"OK","data":[{"cdrId":170000000000001,"cdrExtension":"8005",...}]}
/// ```
pub(super) fn find_dialrecord(c: &Ctx<'_>) -> Outcome {
    let limit = match c.int("limit")? {
        None | Some(0) => c.st.cfg.dial_record_limit,
        Some(n) => usize::try_from(n).map_err(|_| Reply::bad("limit"))?,
    };
    let scdr = c.int("scdrId")?;
    let phone = c.p.str("phoneNum");
    let ext = c.p.str("extension");
    let data = c.read(|_, inner| {
        let admin = inner.account(&c.user).is_some_and(|a| a.cfg.admin);
        let seat = match ext {
            "" => None,
            e => Some(
                inner
                    .account_by_phone(e)
                    .map_or_else(|| e.to_owned(), |a| a.cfg.user.clone()),
            ),
        };
        inner
            .records
            .iter()
            .rev()
            .filter(|r| admin || r.cdr_extension == c.user)
            .filter(|r| seat.as_ref().is_none_or(|s| &r.cdr_extension == s))
            .filter(|r| {
                phone.is_empty()
                    || r.cdr_phone_num == phone
                    || r.cdr_last_phone_number == phone.trim_start_matches('0')
            })
            .filter(|r| scdr.is_none_or(|id| r.cdr_id == id))
            .take(limit)
            .cloned()
            .collect()
    });
    Ok(Reply::ok_with(&Data { data }))
}

/// The record whose `cdrRecordFile` is `file`.
pub(crate) fn recording_by_file(st: &State, file: &str) -> Option<CdrRecord> {
    st.lock()
        .records
        .iter()
        .find(|r| !r.cdr_record_file.is_empty() && r.cdr_record_file == file)
        .cloned()
}

/// The record `id` when it has a recording.
pub(crate) fn recording_by_id(st: &State, id: &str) -> Option<CdrRecord> {
    let id: i64 = id.trim().parse().ok()?;
    st.lock()
        .records
        .iter()
        .find(|r| r.cdr_id == id && !r.cdr_record_file.is_empty())
        .cloned()
}

/// A small MP3: an empty ID3v2.4 tag, then ten frames of MPEG-1 Layer III (128 kbit/s,
/// 44.1 kHz) silence, about a quarter of a second.
pub(crate) fn mp3() -> Vec<u8> {
    let mut v = b"ID3\x04\x00\x00\x00\x00\x00\x00".to_vec();
    for _ in 0..10 {
        let start = v.len();
        v.extend_from_slice(&[0xFF, 0xFB, 0x90, 0x64]);
        v.resize(start + 417, 0);
    }
    v
}
