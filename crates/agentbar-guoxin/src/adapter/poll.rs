//! One poll: the status table (EXTNUM_STATE, seed 14) for the agent's presence, the phone's
//! registration and the call it shows (reconciled with pushed notices in [`crate::book`]);
//! then, during a consult, the third party's state.

use super::session::{unregistered_warning, UNREGISTERED};
use super::*;

const LAG_WARNING: &str = "pops_may_lag";
const UNPUSHED_WARNING: &str = "push_missing";

impl Guoxin {
    pub(super) async fn poll_once(&self, sink: &EventSink) -> Result<(), CoreError> {
        for ev in std::mem::take(&mut self.memory().pending) {
            sink.send(ev);
        }
        if self.cfg.push {
            sink.send(VendorEvent::WarningCleared {
                code: LAG_WARNING.into(),
            });
        } else {
            sink.send(VendorEvent::Warning {
                code: LAG_WARNING.into(),
                message: "the server's pop notices do not reach this PC (push is off): calls show \
                          from the status poll, up to a poll late, as talking"
                    .into(),
            });
        }
        let epoch = self.memory().presence_epoch;
        self.book().table_read_starts();
        let table = self.read_table().await?;
        let row = self.own_row(&table)?;
        // A table read while the bar signed in or out or set the presence may show the old
        // presence: the next poll reports it instead.
        if self.memory().presence_epoch == epoch {
            sink.send(VendorEvent::Presence {
                presence: self.presence_from(&row),
            });
        }
        if !row.registered || row.state == LineState::Offline {
            sink.send(unregistered_warning(&self.ext));
        } else {
            sink.send(VendorEvent::WarningCleared {
                code: UNREGISTERED.into(),
            });
        }

        let busy_with = self.multi_party_call();
        let now = self.clock.now_ms();
        let (events, unpushed, noticed, live) = {
            let mut book = self.book();
            let events = book.on_poll(Some(&row), busy_with.as_ref(), now);
            (
                events,
                book.take_unpushed_ended(),
                book.take_notice_seen(),
                book.live_calls(),
            )
        };
        for ev in events {
            sink.send(ev);
        }
        // Calls ended by a notice or by this poll take their consult and conference along.
        let tracked: Vec<CallId> = {
            let m = self.memory();
            m.consult
                .iter()
                .map(|c| c.call.clone())
                .chain(m.conference.iter().map(|c| c.call.clone()))
                .collect()
        };
        for id in tracked.iter().filter(|id| !live.contains(id)) {
            self.call_ended(id);
        }
        if self.cfg.push {
            if noticed {
                sink.send(VendorEvent::WarningCleared {
                    code: UNPUSHED_WARNING.into(),
                });
            } else if unpushed {
                sink.send(VendorEvent::Warning {
                    code: UNPUSHED_WARNING.into(),
                    message: "a call showed in the status poll but no pop notice came: check the \
                              server's notice URL (http://<this PC>:<port>/push/guoxin, seed 4.2) \
                              and the push key"
                        .into(),
                });
            }
        }
        self.poll_consult(sink).await;
        Ok(())
    }
}
