//! The control API under `/_sim/`, for driving a simulator in another process.
//!
//! | method | path | body | answer |
//! |---|---|---|---|
//! | POST | `/_sim/incoming` | [`IncomingSpec`] | `{"call_id":"1735700000.1"}` |
//! | POST | `/_sim/answer` | `{"extension":"2011"}` (or a channel / external number) | `{"channel":"SIP/2011-0894c548"}` |
//! | POST | `/_sim/hangup` | `{"extension":"2011"}` (or a channel / external number) | `{"ok":true}` |
//! | POST | `/_sim/faults` | [`Faults`] | the faults now in force |
//! | GET | `/_sim/faults` | | the faults in force |
//! | GET | `/_sim/state` | | [`Snapshot`] (channels, rooms, queues with members, spies, devices, calls) |
//! | GET | `/_sim/requests` | | `[RequestRecord]`: `{"seq":1,"vendor":"mvb2000","endpoint":"ctioriginate.php","params":[["channel","SIP/7001"],...],"at_ms":..}` |
//! | POST | `/_sim/reset-requests` | | `{"ok":true}` |
//! | GET | `/_sim/calllog` | | `[CdrRow]` |
//!
//! asterCC ([`crate::astercc`]):
//!
//! | method | path | body | answer |
//! |---|---|---|---|
//! | POST | `/_sim/astercc/push-url` | `{"url":"http://127.0.0.1:9000/push?key=k"}` (`null` clears) | `{"url":...}` |
//! | GET | `/_sim/astercc/push` | | `{"url":...,"faults":PushFaults,"stats":{"queued":3,"dropped_full":0,"dropped_failed":0,"delivered":3}}` |
//! | POST | `/_sim/astercc/push-faults` | [`crate::astercc::push::PushFaults`] `{"duplicate_next":1,"reorder_next":1,"delay_ms":0,...}` | the push faults now in force |
//! | GET | `/_sim/astercc/push-faults` | | the push faults in force |
//! | GET | `/_sim/astercc/events` | | `[RecordedEvent]`: every event generated, in order: `{"eventid":1,"from":"dialin","source":"CALLER","event":"incoming","uniqueid":"1","sessionid":"..",...,"body":"source=CALLER&event=incoming&...&eventid=1&","at_ms":..}` |
//! | GET | `/_sim/astercc/deliveries` | | `[Delivery]`: every POST in the order made: `{"eventid":1,"url":..,"body":..,"status":200,"attempts":1,"delivered":true,"error":null,"duplicate":false,"reordered":false,"at_ms":..}` |
//! | POST | `/_sim/astercc/reset-events` | | `{"ok":true}` (event ids keep increasing) |
//! | POST | `/_sim/astercc/incoming` | `{"from":"13800138000","did":"800888","group":"100"}` | `{"call_id":"..","sessionid":".."}` |
//! | GET | `/_sim/astercc/agents` | | `[AgentView]`: status, groups (checked in, paused, ACW mode, work way), pause in progress, `pauses` `{"total_count":2,"total_secs":70,"by_reason":{"rest":{"count":1,"secs":10},...}}` |
//! | GET | `/_sim/astercc/dtmf` | | `[{"agent":"8005","sessionid":..,"uniqueid":"3","digits":"12#","at_ms":..}]` |
//! | GET | `/_sim/astercc/imports` | | `[ImportRecord]` |
//! | GET | `/_sim/astercc/recordings` | | `[{"sessionid":..,"calldate":"2025-01-01","file":"20250101101010-8005-13800138000.wav"}]` |
//!
//! The customer answers and hangs up through `/_sim/answer` and `/_sim/hangup` with its
//! number; an incoming call to an agent group is also `/_sim/incoming` to the group's queue.
//!
//! Guoxin ([`crate::guoxin`]):
//!
//! | method | path | body | answer |
//! |---|---|---|---|
//! | POST | `/_sim/guoxin/notify-url` | `{"url":"http://127.0.0.1:9000/srvlt","method":"get"}` (`null` url clears; `method` `get`/`post`, optional) | `{"url":..,"method":"get"}` |
//! | GET | `/_sim/guoxin/notify` | | `{"url":..,"method":..,"faults":NoticeFaults,"stats":{"queued":3,"dropped_full":0,"dropped_failed":0,"delivered":3}}` |
//! | POST | `/_sim/guoxin/notify-faults` | [`crate::guoxin::notify::NoticeFaults`] `{"duplicate_next":1,"reorder_next":1,"delay_ms":0,...}` | the notice faults now in force |
//! | GET | `/_sim/guoxin/notify-faults` | | the notice faults in force |
//! | GET | `/_sim/guoxin/notices` | | `[Notice]`: every notice generated, in order: `{"seq":1,"id":"<uuid>@127.0.0.1","caller":"13800138000","callee":"5090","state":"calling","direction":"incoming","businessId":"maincall","group":"5090","channel":"Zap/g0-..","at_ms":..}` |
//! | GET | `/_sim/guoxin/deliveries` | | `[Delivery]`: every request in the order made: `{"seq":1,"method":"get","url":"..?id=..","body":"","status":200,"attempts":1,"delivered":true,"error":null,"duplicate":false,"reordered":false,"at_ms":..}` |
//! | POST | `/_sim/guoxin/reset-notices` | | `{"ok":true}` (notice numbers keep increasing) |
//! | GET | `/_sim/guoxin/third` | | `[ThirdView]`: `CALL_THIRD` state machines: `{"extension":"2011","target":"2012","state":180,"word":"ringing","agent_leg":..,"held_leg":..,"third_leg":..,"started_ms":..}` |
//! | GET | `/_sim/guoxin/conferences` | | `[{"id":"13800138000","room":"guoxin-13800138000","creating":false,"members":["13800138000","2011","2012"],"joining":[],"created_ms":..}]` |
//! | GET | `/_sim/guoxin/extensions` | | `[ExtensionView]`: the `EXTNUM_STATE` row plus `"group":"5090","monitor_right":true` |
//! | POST | `/_sim/guoxin/registration` | `{"extension":"2012","registered":false}` | `{"ok":true}` (unregistered: `OFFLINE`, 480) |
//! | POST | `/_sim/guoxin/monitor-right` | `{"extension":"2013","right":true}` | `{"ok":true}` |
//! | GET | `/_sim/guoxin/tasks` | | `[Task]`: captcha and TTS calls: `{"kind":"tts","key":"0123456789","callee":..,"toneid":"20","state":1,"input":"satisfact=8",...}` |
//! | GET | `/_sim/guoxin/calllog` | | `[CallLogRow]`, oldest first |
//!
//! 800hu ([`crate::hu800`]):
//!
//! | method | path | body | answer |
//! |---|---|---|---|
//! | POST | `/_sim/800hu/push-url` | `{"url":"http://127.0.0.1:9000/api/voip.json"}` (`null` clears) | `{"url":..}` |
//! | GET | `/_sim/800hu/push` | | `{"url":..,"faults":Hu800Faults,"stats":{"queued":3,"dropped_full":0,"dropped_failed":0,"dropped_fault":0,"delivered":3}}` |
//! | GET | `/_sim/800hu/pushes` | | `[PushDelivery]`: every push request in the order made: `{"seq":1,"type":1,"user":"8005","cdrId":..,"url":"..?type=1&phone=..&peer=2","status":200,"code":0,"attempts":1,"delivered":true,"error":null,"duplicate":false,"dropped":false,"at_ms":..}` |
//! | POST | `/_sim/800hu/reset-pushes` | | `{"ok":true}` (push numbers keep increasing) |
//! | POST | `/_sim/800hu/faults` | [`crate::hu800::Hu800Faults`] `{"push_duplicate_next":1,"push_drop_next":1,"push_delay_ms":0,"drop_long_polls_next":1,"drop_long_polls":false,"long_poll_drop_after_ms":200,...}` | the faults now in force |
//! | GET | `/_sim/800hu/faults` | | the faults in force |
//! | POST | `/_sim/800hu/restart` | | `{"ok":true,"water_line":<new base>}`: stores emptied, water line 10 min lower, held long polls closed |
//! | POST | `/_sim/800hu/drop-long-polls` | | `{"dropped":1}`: held long polls closed without an answer |
//! | GET | `/_sim/800hu/messages?user=8005` | | `{"user":"8005","water_line":..,"messages":[{"kind":"2","phone":..,"content":"{status:0,cdrId:..}","time":..,"waterLine":..}]}`; without `user`, `{"8005":[..],..}` |
//! | GET | `/_sim/800hu/records?user=8005` | | `[CdrRecord]`, oldest first (every seat's without `user`) |
//! | GET | `/_sim/800hu/accounts` | | `[AccountView]`: `{"user":"8005","name":"张三","extension":"2011","admin":false,"logged_in":true,"logins":1,"session_id":"voip_..","login_line":1,"water_line":..,"ready":true,"messages":3}` |
//! | POST | `/_sim/800hu/incoming` | `{"from":"13800138000","did":"4000820188","queue":"5090"}` | `{"call_id":".."}` |
//!
//! Errors answer `{"error":"<text>"}` with 404 (unknown thing), 409 (wrong state) or 400.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;

use crate::faults::Faults;
use crate::model::{IncomingSpec, Snapshot};
use crate::{Sim, SimError};

/// The control API router.
pub fn router(sim: Sim) -> Router {
    Router::new()
        .route("/_sim/incoming", post(incoming))
        .route("/_sim/answer", post(answer))
        .route("/_sim/hangup", post(hangup))
        .route("/_sim/faults", post(set_faults).get(get_faults))
        .route("/_sim/state", get(state))
        .route("/_sim/requests", get(requests))
        .route("/_sim/reset-requests", post(reset_requests))
        .route("/_sim/calllog", get(calllog))
        .with_state(sim.clone())
        .merge(crate::astercc::control::router(sim.clone()))
        .merge(crate::guoxin::control::router(sim.clone()))
        .merge(crate::hu800::control::router(sim))
}

/// A party, named by extension, external number or channel.
#[derive(Debug, Deserialize)]
struct Party {
    extension: String,
}

struct ApiError(SimError);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = match &self.0 {
            SimError::NotFound { .. } => StatusCode::NOT_FOUND,
            SimError::InvalidState(_) => StatusCode::CONFLICT,
            _ => StatusCode::BAD_REQUEST,
        };
        (status, Json(json!({ "error": self.0.to_string() }))).into_response()
    }
}

impl From<SimError> for ApiError {
    fn from(e: SimError) -> Self {
        ApiError(e)
    }
}

async fn incoming(
    State(sim): State<Sim>,
    Json(spec): Json<IncomingSpec>,
) -> Result<Response, ApiError> {
    let id = sim.incoming_call(spec)?;
    Ok(Json(json!({ "call_id": id })).into_response())
}

async fn answer(State(sim): State<Sim>, Json(p): Json<Party>) -> Result<Response, ApiError> {
    let channel = sim.answer(&p.extension)?;
    Ok(Json(json!({ "channel": channel })).into_response())
}

async fn hangup(State(sim): State<Sim>, Json(p): Json<Party>) -> Result<Response, ApiError> {
    sim.hangup_party(&p.extension)?;
    Ok(Json(json!({ "ok": true })).into_response())
}

async fn set_faults(State(sim): State<Sim>, Json(f): Json<Faults>) -> Json<Faults> {
    sim.set_faults(f);
    Json(sim.faults())
}

async fn get_faults(State(sim): State<Sim>) -> Json<Faults> {
    Json(sim.faults())
}

async fn state(State(sim): State<Sim>) -> Json<Snapshot> {
    Json(sim.snapshot())
}

async fn requests(State(sim): State<Sim>) -> Response {
    Json(sim.requests()).into_response()
}

async fn reset_requests(State(sim): State<Sim>) -> Response {
    sim.reset_requests();
    Json(json!({ "ok": true })).into_response()
}

async fn calllog(State(sim): State<Sim>) -> Response {
    Json(sim.call_log()).into_response()
}
