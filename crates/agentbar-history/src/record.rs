//! One row of the history as the UI (and a future `/api/v1/history`) sees it, and the pure
//! mapping from the core's `Call` into it.

use agentbar_core::{Call, CallId, CallOutcome, Direction};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A call as the history keeps it.
///
/// # Format
///
/// Serialized with the core's names, e.g.
///
/// ```json
/// {"vendor":"mvb2000","call_id":"1718.42","agent_id":"8005","direction":"inbound",
///  "remote_number":"13800138000","remote_name":null,"masked":false,"did":"4008001234",
///  "queue":"sales","ivr_keys":"1-2","hold_time_secs":12,"started_at_ms":1700000000000,
///  "answered_at_ms":1700000005000,"ended_at_ms":1700000065000,"duration_secs":60,
///  "outcome":"answered","recording":null,"attached":{"order":"A-1"}}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallRecord {
    /// Which server kind reported the call (`Vendor::id`); with `call_id`, the row's key.
    pub vendor: String,
    /// The server's own id of the call.
    pub call_id: CallId,
    /// The agent who was signed in when the call ended.
    pub agent_id: String,
    pub direction: Direction,
    pub remote_number: String,
    pub remote_name: Option<String>,
    /// The server asked us not to show the number: the UI hides it in the history too.
    pub masked: bool,
    /// The number the customer dialled.
    pub did: Option<String>,
    pub queue: Option<String>,
    /// IVR keys pressed before the call reached the agent, e.g. `1-2-5`.
    pub ivr_keys: Option<String>,
    /// Seconds the caller waited in the queue.
    pub hold_time_secs: Option<u64>,
    /// Unix milliseconds.
    pub started_at_ms: i64,
    pub answered_at_ms: Option<i64>,
    pub ended_at_ms: Option<i64>,
    /// Whole seconds from answer to end; `None` when never answered (or not ended).
    pub duration_secs: Option<u64>,
    pub outcome: Option<CallOutcome>,
    /// The server's name for the recording, to fetch it through the engine.
    pub recording: Option<String>,
    /// Data the server attached to the call (CRM fields, IVR variables).
    pub attached: BTreeMap<String, String>,
}

/// Maps an ended call into its history row. Pure: no clock, no I/O.
pub fn row_from_call(vendor: &str, agent: &str, call: &Call) -> CallRecord {
    let duration_secs = match (call.answered_at_ms, call.ended_at_ms) {
        // A wall clock that jumped back between answer and end gives 0, not a negative time.
        (Some(answered), Some(ended)) => Some(ended.saturating_sub(answered).max(0) as u64 / 1000),
        _ => None,
    };
    CallRecord {
        vendor: vendor.to_owned(),
        call_id: call.id.clone(),
        agent_id: agent.to_owned(),
        direction: call.direction,
        remote_number: call.remote_number.clone(),
        remote_name: call.remote_name.clone(),
        masked: call.masked,
        did: call.did.clone(),
        queue: call.queue.clone(),
        ivr_keys: call.ivr_keys.clone(),
        hold_time_secs: call.hold_time_secs,
        started_at_ms: call.started_at_ms,
        answered_at_ms: call.answered_at_ms,
        ended_at_ms: call.ended_at_ms,
        duration_secs,
        outcome: call.outcome,
        recording: call.recording.clone(),
        attached: call.attached.clone(),
    }
}

/// The text stored for a direction: its serde name.
pub(crate) fn direction_text(d: Direction) -> &'static str {
    match d {
        Direction::Inbound => "inbound",
        Direction::Outbound => "outbound",
    }
}

pub(crate) fn parse_direction(s: &str) -> Option<Direction> {
    match s {
        "inbound" => Some(Direction::Inbound),
        "outbound" => Some(Direction::Outbound),
        _ => None,
    }
}

/// The text stored for an outcome: its serde name.
pub(crate) fn outcome_text(o: CallOutcome) -> &'static str {
    match o {
        CallOutcome::Answered => "answered",
        CallOutcome::Missed => "missed",
        CallOutcome::NotAnswered => "not_answered",
        CallOutcome::Transferred => "transferred",
    }
}

pub(crate) fn parse_outcome(s: &str) -> Option<CallOutcome> {
    match s {
        "answered" => Some(CallOutcome::Answered),
        "missed" => Some(CallOutcome::Missed),
        "not_answered" => Some(CallOutcome::NotAnswered),
        "transferred" => Some(CallOutcome::Transferred),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use agentbar_core::{CallState, DetectedBy};

    fn ended(answered: Option<i64>, outcome: CallOutcome) -> Call {
        let mut c = Call::new(
            CallId::new("c1"),
            Direction::Inbound,
            "13800138000",
            DetectedBy::Poll,
            1_000,
        );
        c.state = CallState::Ended;
        c.answered_at_ms = answered;
        c.ended_at_ms = Some(66_999);
        c.outcome = Some(outcome);
        c
    }

    #[test]
    fn duration_runs_from_answer_to_end_in_whole_seconds() {
        let r = row_from_call("fake", "8005", &ended(Some(6_000), CallOutcome::Answered));
        assert_eq!(r.duration_secs, Some(60));
        assert_eq!(r.vendor, "fake");
        assert_eq!(r.agent_id, "8005");
    }

    #[test]
    fn an_unanswered_call_has_no_duration() {
        let r = row_from_call("fake", "8005", &ended(None, CallOutcome::Missed));
        assert_eq!(r.duration_secs, None);
        assert_eq!(r.outcome, Some(CallOutcome::Missed));
    }

    #[test]
    fn a_clock_that_jumped_back_gives_zero_not_negative() {
        let r = row_from_call("fake", "8005", &ended(Some(90_000), CallOutcome::Answered));
        assert_eq!(r.duration_secs, Some(0));
    }

    #[test]
    fn enum_texts_match_the_serde_names() {
        for o in [
            CallOutcome::Answered,
            CallOutcome::Missed,
            CallOutcome::NotAnswered,
            CallOutcome::Transferred,
        ] {
            let json = serde_json::to_string(&o).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", outcome_text(o)));
            assert_eq!(parse_outcome(outcome_text(o)), Some(o));
        }
        for d in [Direction::Inbound, Direction::Outbound] {
            let json = serde_json::to_string(&d).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", direction_text(d)));
            assert_eq!(parse_direction(direction_text(d)), Some(d));
        }
    }

    #[test]
    fn serializes_with_the_documented_field_names() {
        let mut c = ended(Some(6_000), CallOutcome::Answered);
        c.attached.insert("order".into(), "A-1".into());
        let v = serde_json::to_value(row_from_call("mvb2000", "8005", &c)).unwrap_or_default();
        assert_eq!(v["call_id"], "c1");
        assert_eq!(v["direction"], "inbound");
        assert_eq!(v["outcome"], "answered");
        assert_eq!(v["duration_secs"], 60);
        assert_eq!(v["attached"]["order"], "A-1");
    }
}
