//! The HTTP side: the websocket endpoint, health and readiness.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::extract::ws::WebSocketUpgrade;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use draftroom_auth::{Claims, Secret, TokenError};
use draftroom_store::{DocName, Store};
use serde::Serialize;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use tracing::info;

use crate::config::Config;
use crate::connection::{Ending, Peer, serve_connection};
use crate::metrics::Metrics;
use crate::room::{DocKind, Rooms};

/// The name of the cookie the web app keeps its token in.
pub const TOKEN_COOKIE: &str = "draftroom_token";

/// State every handler shares. Cloning is cheap: all of it is behind `Arc`s.
#[derive(Clone)]
pub(crate) struct AppState {
    pub(crate) config: Arc<Config>,
    pub(crate) secret: Secret,
    pub(crate) store: Arc<dyn Store>,
    pub(crate) rooms: Rooms,
    pub(crate) metrics: Arc<Metrics>,
    pub(crate) shutdown: CancellationToken,
    pub(crate) tasks: TaskTracker,
    pub(crate) next_connection: Arc<AtomicU64>,
    /// When the store last answered a check, in milliseconds since the
    /// Unix epoch (0: never).
    pub(crate) store_ok_at: Arc<AtomicU64>,
}

pub(crate) fn router(state: AppState) -> Router {
    Router::new()
        .route("/healthz", get(|| async { "ok\n" }))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
        .route("/ws/{space}/{*doc}", get(websocket))
        .merge(crate::api::routes())
        .merge(crate::web::routes(state.config.web_dir.as_deref()))
        .fallback(|| async { ApiError::new(StatusCode::NOT_FOUND, "not-found", "no such route") })
        .with_state(state)
}

/// An error as clients see it: a status, a stable code and a plain message.
#[derive(Debug)]
pub(crate) struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
}

impl ApiError {
    pub(crate) fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
        }
    }

    /// The request itself is wrong; `message` says how.
    pub(crate) fn bad_request(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::BAD_REQUEST, "bad-request", message)
    }
}

impl From<String> for ApiError {
    fn from(message: String) -> Self {
        ApiError::bad_request(message)
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({}): {}", self.code, self.status, self.message)
    }
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    error: ErrorDetail<'a>,
}

#[derive(Serialize)]
struct ErrorDetail<'a> {
    code: &'a str,
    message: &'a str,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code,
                message: &self.message,
            },
        };
        (self.status, axum::Json(body)).into_response()
    }
}

impl From<TokenError> for ApiError {
    fn from(error: TokenError) -> Self {
        let (status, code) = match &error {
            TokenError::OtherSpace { .. } => (StatusCode::FORBIDDEN, "wrong-space"),
            TokenError::Expired => (StatusCode::UNAUTHORIZED, "token-expired"),
            TokenError::Malformed | TokenError::BadSignature => {
                (StatusCode::UNAUTHORIZED, "bad-token")
            }
        };
        ApiError::new(status, code, error.to_string())
    }
}

async fn metrics(State(state): State<AppState>) -> Response {
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        state.metrics.render(state.rooms.loaded()),
    )
        .into_response()
}

/// Whether the store answers, within 2 s; the reason if not.
async fn store_ready(store: &dyn Store) -> Result<(), String> {
    match tokio::time::timeout(Duration::from_secs(2), store.check()).await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(error)) => Err(format!("store unavailable: {error}")),
        Err(_) => Err("store unavailable: no answer within 2 s".into()),
    }
}

/// How long a successful store check vouches for the store before a
/// websocket upgrade: without it, ten thousand clients reconnecting at once
/// would make ten thousand checks (a Redis round trip, or a read
/// transaction, each).
const STORE_VOUCHED_FOR: Duration = Duration::from_millis(500);

/// Whether the store answers, asking it at most every
/// [`STORE_VOUCHED_FOR`] while it does.
async fn store_ready_recently(state: &AppState) -> Result<(), String> {
    let last_ok = state.store_ok_at.load(Ordering::Relaxed);
    if now_millis().saturating_sub(last_ok) < STORE_VOUCHED_FOR.as_millis() as u64 {
        return Ok(());
    }
    store_ready(&*state.store).await?;
    state.store_ok_at.store(now_millis(), Ordering::Relaxed);
    Ok(())
}

async fn readyz(State(state): State<AppState>) -> Response {
    match store_ready(&*state.store).await {
        Ok(()) => "ready\n".into_response(),
        Err(reason) => (StatusCode::SERVICE_UNAVAILABLE, format!("{reason}\n")).into_response(),
    }
}

pub(crate) fn now_secs() -> u64 {
    now_millis() / 1000
}

fn now_millis() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

/// The token from `Authorization: Bearer`, `?token=` or, for the web
/// app, its cookie.
fn token<'a>(query: &'a HashMap<String, String>, headers: &'a HeaderMap) -> Option<&'a str> {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "));
    if let Some(token) = bearer.or(query.get("token").map(String::as_str)) {
        return Some(token.trim());
    }
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|cookies| cookies.split(';'))
        .filter_map(|cookie| cookie.trim().split_once('='))
        .find_map(|(name, value)| (name == TOKEN_COOKIE).then_some(value))
}

pub(crate) fn authenticate(
    secret: &Secret,
    space: &str,
    query: &HashMap<String, String>,
    headers: &HeaderMap,
) -> Result<Claims, ApiError> {
    let token = token(query, headers).ok_or_else(|| {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "no-token",
            "a token is required (Authorization: Bearer TOKEN, or the query parameter `token`)",
        )
    })?;
    Ok(secret.verify(token, space, now_secs())?)
}

async fn websocket(
    State(state): State<AppState>,
    Path((space, doc)): Path<(String, String)>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
    upgrade: WebSocketUpgrade,
) -> Result<Response, ApiError> {
    let name = DocName::new(&space, &doc).map_err(|error| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "bad-document-name",
            error.to_string(),
        )
    })?;
    let claims = authenticate(&state.secret, &space, &query, &headers)?;
    if state.shutdown.is_cancelled() {
        return Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "shutting-down",
            "the server is shutting down",
        ));
    }
    // Refused here, with the reason, rather than accepted and then closed:
    // a client retries either way, and this way it can tell why.
    store_ready_recently(&state).await.map_err(|reason| {
        ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "store-unavailable", reason)
    })?;
    let config = state.config.clone();
    let upgrade = upgrade
        .read_buffer_size(config.read_buffer_size)
        .write_buffer_size(0)
        .max_message_size(config.max_message_size)
        .max_frame_size(config.max_message_size);
    let read_only = if !claims.role.can_edit() {
        Some("observers are read-only: edits are not applied")
    } else if DocKind::of(&name) == DocKind::ServerOnly {
        Some("this document is kept by the server: edits are not applied")
    } else {
        None
    };
    let peer = Peer {
        connection: state.next_connection.fetch_add(1, Ordering::Relaxed),
        user: Arc::from(claims.user.as_str()),
        role: claims.role,
        read_only,
    };
    Ok(upgrade.on_upgrade(move |socket| {
        let tasks = state.tasks.clone();
        tasks.track_future(async move {
            let membership = state.rooms.join(&name);
            opened(&state.metrics, &peer, &name);
            // Boxed: inline, the task's future would reserve room both for
            // the socket it was handed and for the connection's own copy
            // (measured: 3.6 KB, against 0.55 KB + 1.5 KB boxed).
            let ending = Box::pin(serve_connection(
                socket,
                peer.clone(),
                membership,
                &config,
                state.shutdown.clone(),
            ))
            .await;
            closed(&state.metrics, &peer, &name, &ending);
        })
    }))
}

/// Counts and logs a connection's start.
fn opened(metrics: &Metrics, peer: &Peer, name: &DocName) {
    Metrics::add(&metrics.connections_total);
    metrics.connections_open.fetch_add(1, Ordering::Relaxed);
    info!(connection = peer.connection, user = %peer.user, role = %peer.role, doc = %name, "connection opened");
}

fn closed(metrics: &Metrics, peer: &Peer, name: &DocName, ending: &Ending) {
    metrics.connections_open.fetch_sub(1, Ordering::Relaxed);
    if matches!(ending, Ending::Refused { .. } | Ending::Stuck) {
        Metrics::add(&metrics.connections_refused_total);
    }
    info!(connection = peer.connection, user = %peer.user, role = %peer.role, doc = %name, reason = %ending, "connection closed");
}
