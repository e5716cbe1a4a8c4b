//! `/healthz`, `/readyz` and `/metrics`: what operators and load balancers
//! ask.

use std::time::Duration;

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use draftroom_store::Store;

use super::AppState;
use super::error::ApiError;

pub(crate) async fn healthz() -> &'static str {
    "ok\n"
}

/// Whether the store answers, within 2 s; the reason if not.
pub(crate) async fn store_ready(store: &dyn Store) -> Result<(), String> {
    match tokio::time::timeout(Duration::from_secs(2), store.check()).await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(error)) => Err(format!("store unavailable: {error}")),
        Err(_) => Err("store unavailable: no answer within 2 s".into()),
    }
}

pub(crate) async fn readyz(State(state): State<AppState>) -> Response {
    match store_ready(&*state.ops.rooms.store).await {
        Ok(()) => "ready\n".into_response(),
        Err(reason) => (StatusCode::SERVICE_UNAVAILABLE, format!("{reason}\n")).into_response(),
    }
}

pub(crate) async fn metrics(State(state): State<AppState>) -> Response {
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        state.metrics.render(state.ops.rooms.loaded()),
    )
        .into_response()
}

/// Everything but health, on a connection beyond the cap.
pub(crate) async fn at_capacity() -> ApiError {
    ApiError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "too-many-connections",
        "the server holds as many connections as it may; try again shortly",
    )
}
