//! The seat's messages: `getLongWaterLine` (sec 2.3, the long poll) and `recvMsg` (sec 2.4).
//!
//! Each seat has a store of messages, each stamped with a water line (ms, strictly
//! increasing). `getLongWaterLine` answers the store's current line: at once when it differs
//! from the line this seat's previous long poll answered, else once a message is stored (woken
//! by a watch channel, not by polling) or after `long_poll_hold_ms`. The client then fetches
//! what is above its own line with `recvMsg`.

use std::future::pending;
use std::time::Duration;

use serde::Serialize;

use super::{Ctx, Outcome, Polled};
use crate::hu800::reply::{code, Reply};
use crate::hu800::state::{HeldGuard, StoredMessage};

/// The most messages one `recvMsg` answers.
const MAX_LIMIT: usize = 1_000;

/// One entry of `getLongWaterLine`'s `msgs`: the latest message, in brief.
#[derive(Serialize)]
struct Brief {
    status: i32,
    phone: String,
    kind: String,
}

/// `getLongWaterLine`'s answer.
///
/// # Format
///
/// ```json
/// {"code":0,"waterline":1700000000000,"keylist":"","msgs":[{"status":0,"phone":"13800138000","kind":"2"}]}
/// ```
#[derive(Serialize)]
struct Line {
    code: i64,
    waterline: i64,
    keylist: &'static str,
    msgs: Vec<Brief>,
}

/// `getLongWaterLine` (`loginType=jsonpLogin`, `client`, `message`, `loginLine` are accepted
/// and change nothing). `msgs` holds the latest message when it is newer than what the
/// previous long poll answered (or the line went back, after a restart), else nothing.
///
/// A held poll ends without an answer (the connection closes) on [`crate::hu800::Handle::drop_long_polls`],
/// a restart, or the `drop_long_polls*` faults.
pub(super) async fn get_long_water_line(c: &Ctx<'_>) -> Polled {
    let st = c.st;
    let (mut rx, prev, line) = {
        let inner = st.lock();
        let Some(store) = inner.stores.get(&c.user) else {
            return Polled::Reply(Reply::not_found("消息"));
        };
        (store.tx.subscribe(), store.returned, store.line)
    };
    if line == prev {
        let _held = HeldGuard::new(st.clone());
        let mut drops = st.drops.subscribe();
        let doom = st.outbox.with_faults(|f| f.long_poll_drop());
        let hold = Duration::from_millis(st.cfg.long_poll_hold_ms);
        let doomed = async {
            match doom {
                Some(ms) => tokio::time::sleep(Duration::from_millis(ms)).await,
                None => pending::<()>().await,
            }
        };
        tokio::select! {
            biased;
            _ = drops.changed() => return Polled::Drop,
            () = doomed => return Polled::Drop,
            _ = rx.wait_for(|l| *l != prev) => {}
            () = tokio::time::sleep(hold) => {}
        }
    }
    let mut inner = st.lock();
    let Some(store) = inner.stores.get_mut(&c.user) else {
        return Polled::Reply(Reply::not_found("消息"));
    };
    let line = store.line;
    let msgs = store
        .msgs
        .back()
        .filter(|m| m.water_line > prev || line < prev)
        .map(|m| Brief {
            status: m.status,
            phone: m.phone.clone(),
            kind: m.kind.clone(),
        })
        .into_iter()
        .collect();
    store.returned = line;
    let body = Line {
        code: code::OK,
        waterline: line,
        keylist: "",
        msgs,
    };
    Polled::Reply(Reply::raw(
        code::OK,
        serde_json::to_string(&body).unwrap_or_default(),
    ))
}

/// `recvMsg`'s fields.
#[derive(Serialize)]
struct Msgs {
    msgs: Vec<StoredMessage>,
}

/// `recvMsg`: the messages above `waterLine` (0 when absent), oldest first, at most `limit`
/// (100 when absent or 0; at most 1000). -3 when either is not a number.
pub(super) fn recv_msg(c: &Ctx<'_>) -> Outcome {
    let from = c.int("waterLine")?.unwrap_or(0);
    let limit = match c.int("limit")? {
        None | Some(0) => 100,
        Some(n) if n < 0 => return Err(Reply::bad("limit")),
        Some(n) => usize::try_from(n).unwrap_or(MAX_LIMIT).min(MAX_LIMIT),
    };
    c.int("client")?;
    let msgs =
        c.st.lock()
            .stores
            .get(&c.user)
            .map(|s| {
                s.msgs
                    .iter()
                    .filter(|m| m.water_line > from)
                    .take(limit)
                    .cloned()
                    .collect()
            })
            .unwrap_or_default();
    Ok(Reply::ok_with(&Msgs { msgs }))
}
