//! Agent Bar's local control listener on 127.0.0.1: the 800hu client's URL API, a versioned
//! JSON API and a Server-Sent Events stream, all in front of one [`EngineHandle`].
//!
//! ```no_run
//! # async fn run(engine: agentbar_core::EngineHandle) -> std::io::Result<()> {
//! let listener = agentbar_api::bind("127.0.0.1:10800".parse().unwrap()).await?;
//! let port = listener.local_addr()?.port();
//! let token = agentbar_api::policy::PairingToken::generate().unwrap();
//! let policy = agentbar_api::policy::Policy::new(Default::default(), token);
//! let app = agentbar_api::router(agentbar_api::ApiState::new(engine, port, policy));
//! agentbar_api::serve(listener, app, async { let _ = tokio::signal::ctrl_c().await; }).await
//! # }
//! ```
//!
//! [`EngineHandle`]: agentbar_core::EngineHandle

pub mod error;
pub mod extract;
pub mod feed;
pub mod guard;
pub mod host;
pub mod hu800;
pub mod json_api;
pub mod jsonp;
pub mod limits;
pub mod policy;
pub mod policy_api;
pub mod published;
pub mod push;
pub mod router;
pub mod serve;
pub mod sse;
mod static_ui;
pub mod trace;
pub mod ws;

pub use error::{status_for, ApiError};
pub use hu800::{parse as parse_hu800, Hu800Action, Hu800Error, Hu800Request};
pub use limits::Limits;
pub use push::{bind_push, push_router, serve_push, PushState};
pub use router::{router, ApiState};
pub use serve::{bind, serve};
