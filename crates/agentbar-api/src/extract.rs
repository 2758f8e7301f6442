//! `ApiJson<T>`: axum's `Json` extractor whose refusals take the [`ApiError`] shape, so a
//! malformed body or a wrong content type reads like every other error.

use crate::error::ApiError;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use axum::Json;
use serde::de::DeserializeOwned;

/// A JSON body of type `T`; requires `content-type: application/json`.
#[derive(Debug, Clone)]
pub struct ApiJson<T>(pub T);

impl<T, S> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        Json::<T>::from_request(req, state)
            .await
            .map(|Json(v)| ApiJson(v))
            .map_err(|e| rejection(e.status(), e.body_text()))
    }
}

/// Maps an axum body rejection (its status and text) onto a stable code.
pub(crate) fn rejection(status: StatusCode, text: String) -> ApiError {
    let code = match status {
        StatusCode::PAYLOAD_TOO_LARGE => "payload_too_large",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
        _ => return ApiError::invalid_input(text),
    };
    ApiError::new(status, code, text)
}
