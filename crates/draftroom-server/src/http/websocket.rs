//! The websocket endpoint `/ws/{space}/{*doc}`: the token is checked
//! before the connection joins its document's room. A refused sign-in is
//! upgraded and closed at once with 4400 + the HTTP status (4401, 4403,
//! 4400) and the reason, which stock clients stop reconnecting on; an
//! unavailable server or store answers 503 before the upgrade, which they
//! retry.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use axum::extract::ws::WebSocketUpgrade;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::Response;
use draftroom_auth::{Claims, Role};
use draftroom_model::EditPolicy;
use draftroom_protocol::close_code;
use draftroom_store::DocName;
use tracing::info;

use super::AppState;
use super::caller::authenticate;
use super::connection::{Ending, Peer, close_with, serve_connection};
use super::error::ApiError;
use super::health::store_ready;
use crate::clock::now_millis;
use crate::metrics::Metrics;
use crate::ops::Actor;

/// What an observer hears when it tries to edit.
const OBSERVER_READ_ONLY: &str = "observers are read-only: edits are not applied";

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
    store_ready(&*state.ops.rooms.store).await?;
    state.store_ok_at.store(now_millis(), Ordering::Relaxed);
    Ok(())
}

pub(crate) async fn websocket(
    State(state): State<AppState>,
    Path((space, doc)): Path<(String, String)>,
    parts: Parts,
    upgrade: WebSocketUpgrade,
) -> Result<Response, ApiError> {
    match admit(&state, &space, &doc, &parts).await {
        Ok((name, claims)) => join(state, name, claims, upgrade).await,
        Err(refusal) => match refusal.close_code() {
            Some(code) => Ok(refuse_after_upgrade(state, upgrade, code, refusal)),
            None => Err(refusal),
        },
    }
}

/// Who is asking for which document, if they may read it: the same
/// rules as the API's.
async fn admit(
    state: &AppState,
    space: &str,
    doc: &str,
    parts: &Parts,
) -> Result<(DocName, Claims), ApiError> {
    let name = DocName::new(space, doc).map_err(|error| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "bad-document-name",
            error.to_string(),
        )
    })?;
    let claims = authenticate(state, space, parts).await?;
    if let Some(reason) = EditPolicy::of(name.doc()).closed_to_clients() {
        return Err(ApiError::new(StatusCode::FORBIDDEN, "server-only", reason));
    }
    state
        .ops
        .may_open(&Actor::from(claims.clone()), name.doc())
        .await?;
    Ok((name, claims))
}

/// Upgrades, then closes at once with `code` and the refusal's message:
/// stock clients stop on a close code of 4400-4499 and can say why.
fn refuse_after_upgrade(
    state: AppState,
    upgrade: WebSocketUpgrade,
    code: u16,
    refusal: ApiError,
) -> Response {
    info!(code, reason = %refusal, "websocket refused");
    Metrics::add(&state.metrics.connections_refused_total);
    let timeout = state.config.send_timeout;
    upgrade.on_upgrade(move |mut socket| {
        state.tasks.track_future(async move {
            close_with(&mut socket, code, refusal.message(), timeout).await;
        })
    })
}

async fn join(
    state: AppState,
    name: DocName,
    claims: Claims,
    upgrade: WebSocketUpgrade,
) -> Result<Response, ApiError> {
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
    // The same rules as the HTTP API: observers change nothing, documents
    // the server keeps take no client's edits, and only the chair writes a
    // Chair's summary.
    let read_only = if claims.role.can_edit() {
        EditPolicy::of(name.doc()).read_only(claims.role >= Role::Chair)
    } else {
        Some(OBSERVER_READ_ONLY)
    };
    let peer = Peer {
        connection: state.next_connection.fetch_add(1, Ordering::Relaxed),
        user: Arc::from(claims.user.as_str()),
        role: claims.role,
        read_only,
        issued_at: claims.iat,
        expires_at: claims.exp,
    };
    let access = state.ops.access.watch(name.space());
    Ok(upgrade.on_upgrade(move |socket| {
        let tasks = state.tasks.clone();
        tasks.track_future(async move {
            let mut socket = socket;
            let membership = match state.ops.rooms.join(&name, peer.read_only.is_some()) {
                Ok(membership) => membership,
                Err(error) => {
                    info!(doc = %name, %error, "websocket refused");
                    let reason = error.to_string();
                    close_with(
                        &mut socket,
                        close_code::TRY_AGAIN_LATER,
                        &reason,
                        config.send_timeout,
                    )
                    .await;
                    return;
                }
            };
            opened(&state.metrics, &peer, &name);
            // Boxed: inline, the task's future would reserve room both for
            // the socket it was handed and for the connection's own copy
            // (measured: 3.6 KB, against 0.55 KB + 1.5 KB boxed).
            let ending = Box::pin(serve_connection(
                socket,
                peer.clone(),
                access,
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
