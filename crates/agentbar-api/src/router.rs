//! `router(state)`: every path of the local API and the layers around them.
//!
//! | path | method | what |
//! |---|---|---|
//! | `/` | GET, POST (form) | the 800hu client URL API ([`crate::hu800`]) |
//! | `/api/v1/health` | GET | `{"ok":true}` |
//! | `/api/v1/state` | GET | the engine's snapshot |
//! | `/api/v1/capabilities` | GET | the vendor's capability set |
//! | `/api/v1/commands` | POST (JSON) | run one `Command` |
//! | `/api/v1/events` | GET | Server-Sent Events ([`crate::sse`]) |
//! | `/api/v1/ws` | GET | the same events over a WebSocket ([`crate::ws`]) |
//! | `/api/v1/history`, `/api/v1/recordings/{name}` | GET | calls handled, recordings |
//! | `/api/v1/policy`, `/api/v1/policy/answer`, `/api/v1/audit` | GET, POST | the policy ([`crate::policy_api`]) |
//! | `/api/v1/openapi.json`, `/sdk/agentbar.js` | GET | the API's description and the SDK ([`crate::published`]) |
//!
//! Layers, outermost first: the log line, the `Host` check (so a refused request reaches
//! nothing), CORS and preflights ([`guard::browser`]), the body limit; then on each policed
//! route the policy ([`guard::control`] or [`guard::read`]) and the request timeout (all but
//! the event streams).

use crate::error::ApiError;
use crate::limits::{self, Limits};
use crate::policy::Policy;
use crate::{guard, host, hu800, json_api, policy_api, published, sse, trace, ws};
use agentbar_core::EngineHandle;
use axum::extract::DefaultBodyLimit;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::routing::{get, post};
use axum::Router;

/// What every handler shares.
#[derive(Clone)]
pub struct ApiState {
    pub engine: EngineHandle,
    /// The port the listener is on: the only one the `Host` check lets through.
    pub port: u16,
    pub limits: Limits,
    /// The call history, when the session keeps one.
    pub history: Option<agentbar_history::HistoryStore>,
    /// The built web UI (`ui/dist`), served at `/ui/` so a browser runs the same bar against
    /// this session, same origin as the API.
    pub ui_dir: Option<std::path::PathBuf>,
    /// Who may drive the bar (shared with the desktop shell, which shows its questions).
    pub policy: Policy,
}

impl ApiState {
    /// State with the default [`Limits`]. The policy learns the port, so that the bar's own
    /// pages on it are trusted.
    pub fn new(engine: EngineHandle, port: u16, policy: Policy) -> Self {
        policy.set_listener_port(port);
        ApiState {
            engine,
            port,
            limits: Limits::default(),
            history: None,
            ui_dir: None,
            policy,
        }
    }

    /// Serves the web UI in `dir` at `/ui/`.
    pub fn with_ui(mut self, dir: impl Into<std::path::PathBuf>) -> Self {
        self.ui_dir = Some(dir.into());
        self
    }

    /// Serves `/api/v1/history` from `store`.
    pub fn with_history(mut self, store: agentbar_history::HistoryStore) -> Self {
        self.history = Some(store);
        self
    }
}

/// Builds the router; serve it with [`crate::serve`], or call it in process in tests.
pub fn router(state: ApiState) -> Router {
    let timeout = from_fn_with_state(state.clone(), limits::request_timeout);
    let control = Router::new()
        .route(
            "/",
            get(hu800::handler::handle).post(hu800::handler::handle),
        )
        .route("/api/v1/commands", post(json_api::command))
        .route("/api/v1/policy/answer", post(policy_api::answer))
        .route_layer(from_fn_with_state(state.clone(), guard::control))
        .route_layer(timeout.clone());
    let read = Router::new()
        .route("/api/v1/state", get(json_api::state))
        .route("/api/v1/capabilities", get(json_api::capabilities))
        .route("/api/v1/recordings/{name}", get(json_api::recording))
        .route("/api/v1/history", get(json_api::history))
        .route("/api/v1/policy", get(policy_api::view))
        .route("/api/v1/audit", get(policy_api::audit))
        .route_layer(from_fn_with_state(state.clone(), guard::read))
        .route_layer(timeout.clone());
    let streams = Router::new()
        .route("/api/v1/events", get(sse::events))
        .route("/api/v1/ws", get(ws::upgrade))
        .route_layer(from_fn_with_state(state.clone(), guard::read));
    let public = Router::new()
        .route("/api/v1/health", get(json_api::health))
        .route("/api/v1/openapi.json", get(published::openapi))
        .route("/sdk/agentbar.js", get(published::sdk))
        .route_layer(timeout);
    let mut app = control.merge(read).merge(streams).merge(public);
    if let Some(dir) = &state.ui_dir {
        app = app.merge(crate::static_ui::routes(dir));
    }
    app.fallback(|| async { ApiError::not_found() })
        .method_not_allowed_fallback(|| async { ApiError::method_not_allowed() })
        .layer(DefaultBodyLimit::max(state.limits.body_bytes))
        .layer(from_fn_with_state(state.clone(), guard::browser))
        .layer(from_fn_with_state(state.clone(), host::check_host))
        .layer(from_fn(trace::log_request))
        .with_state(state)
}
