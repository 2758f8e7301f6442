//! Files the listener publishes for CRM developers, built into the binary so they always match
//! it: the OpenAPI document of the JSON API (`docs/openapi.json`) and the JavaScript SDK
//! (`sdk/agentbar.js`). Neither carries anything about the agent, so neither is policed.

use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, X_CONTENT_TYPE_OPTIONS};
use axum::response::IntoResponse;

pub const OPENAPI: &str = include_str!("../../../docs/openapi.json");
pub const SDK: &str = include_str!("../../../sdk/agentbar.js");

/// `GET /api/v1/openapi.json`.
pub async fn openapi() -> impl IntoResponse {
    (
        [
            (CONTENT_TYPE, "application/json"),
            (CACHE_CONTROL, "no-cache"),
            (X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        OPENAPI,
    )
}

/// `GET /sdk/agentbar.js`.
pub async fn sdk() -> impl IntoResponse {
    (
        [
            (CONTENT_TYPE, "application/javascript; charset=utf-8"),
            (CACHE_CONTROL, "no-cache"),
            (X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        SDK,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_openapi_document_is_json_and_names_every_route_of_the_router() {
        let doc: serde_json::Value = serde_json::from_str(OPENAPI).unwrap();
        assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
        let paths = doc["paths"].as_object().unwrap();
        for route in [
            "/",
            "/api/v1/health",
            "/api/v1/state",
            "/api/v1/capabilities",
            "/api/v1/commands",
            "/api/v1/events",
            "/api/v1/ws",
            "/api/v1/history",
            "/api/v1/recordings/{name}",
            "/api/v1/policy",
            "/api/v1/policy/answer",
            "/api/v1/audit",
            "/api/v1/openapi.json",
            "/sdk/agentbar.js",
        ] {
            assert!(paths.contains_key(route), "{route} is not documented");
        }
    }
}
