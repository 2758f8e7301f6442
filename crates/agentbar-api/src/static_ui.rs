//! The built web UI at `/ui/`: the same bar the desktop shows, for a browser on this PC.
//! Same origin as the API, so no CORS is needed; a strict CSP because the page drives calls.

use axum::http::{header, HeaderValue};
use axum::response::Redirect;
use axum::routing::get;
use axum::Router;
use std::path::Path;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
                   img-src 'self' data:; connect-src 'self'; media-src 'self'; \
                   frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

pub fn routes<S: Clone + Send + Sync + 'static>(dir: &Path) -> Router<S> {
    let files = ServeDir::new(dir).append_index_html_on_directories(true);
    Router::new()
        .route("/ui", get(|| async { Redirect::permanent("/ui/") }))
        .nest_service("/ui/", files)
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
}
